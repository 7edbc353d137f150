"""Ledger posting throughput: realistic capture entries (a payment split between two sellers: cash,
each seller's pending funds, commission, and a platform promotion on some) posted with
``entries_post_batch`` in batches, then a smaller number posted one by one with ``entry_post`` (one
transaction each, as the payment services do) for comparison.

    DJANGO_SETTINGS_MODULE=marketplace.settings python benchmarks/ledger.py [ENTRIES] [BATCH] [SINGLE]

Runs against the database of ``DATABASE_URL`` (``benchmarks/ledger.sh`` gives it its own). The orders,
seller orders and payments the entries point at are created once and reused; the entries of a run carry
a key prefix of their own and are deleted at the end, so runs do not accumulate.
"""

import os
import random
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Sum  # noqa: E402
from django.utils import timezone  # noqa: E402
from tqdm import tqdm  # noqa: E402

from accounts.models import SellerProfile, User  # noqa: E402
from orders.models import Order, OrderStatus, SellerOrder  # noqa: E402
from payments import ledger  # noqa: E402
from payments.ledger import EntrySpec, Posting  # noqa: E402
from payments.models import JournalEntry, JournalLine, LedgerAccount, Payment  # noqa: E402

SELLERS = 200
PREFIX = "bench-ledger"
Kind = LedgerAccount.Kind


def sellers_prepare() -> list[int]:
    existing = set(User.objects.filter(email__startswith=f"{PREFIX}-seller-").values_list("email", flat=True))
    User.objects.bulk_create(
        [
            User(email=f"{PREFIX}-seller-{i}@bench.invalid", password="!")  # noqa: S106 (unusable)
            for i in range(SELLERS)
            if f"{PREFIX}-seller-{i}@bench.invalid" not in existing
        ]
    )
    users = User.objects.filter(email__startswith=f"{PREFIX}-seller-", seller_profile__isnull=True)
    SellerProfile.objects.bulk_create(
        [
            SellerProfile(user=u, shop_name=f"Bench {u.pk}", slug=f"{PREFIX}-{u.pk}", status="approved")
            for u in users
        ]
    )
    return list(
        SellerProfile.objects.filter(slug__startswith=f"{PREFIX}-")
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def payments_prepare(count: int, seller_ids: list[int]) -> list[tuple[int, int, list[tuple[int, int]]]]:
    """``count`` paid orders of two sellers each with their payment: ``(payment, order, [(seller, part)])``."""
    have = Order.objects.filter(number__startswith=f"{PREFIX}-").count()
    now = timezone.now()
    rng = random.Random(have)
    for start in tqdm(range(have, count, 2000), desc="orders", unit=" batch", disable=have >= count):
        numbers = range(start, min(start + 2000, count))
        orders = Order.objects.bulk_create(
            [
                Order(
                    number=f"{PREFIX}-{n:08d}",
                    email="bench@bench.invalid",
                    status=OrderStatus.PAID,
                    currency=settings.DEFAULT_CURRENCY,
                    placed_at=now,
                    paid_at=now,
                )
                for n in numbers
            ]
        )
        SellerOrder.objects.bulk_create(
            [
                SellerOrder(order=order, seller_id=seller_id, status=OrderStatus.PAID)
                for order in orders
                for seller_id in rng.sample(seller_ids, 2)
            ]
        )
        Payment.objects.bulk_create(
            [
                Payment(
                    order=order,
                    provider="test",
                    status=Payment.Status.CAPTURED,
                    amount=0,
                    currency=settings.DEFAULT_CURRENCY,
                    reference=f"{PREFIX}-{order.number}",
                )
                for order in orders
            ]
        )
    parts: dict[int, list[tuple[int, int]]] = {}
    for part_id, order_id, seller_id in SellerOrder.objects.filter(
        order__number__startswith=f"{PREFIX}-"
    ).values_list("pk", "order_id", "seller_id"):
        parts.setdefault(order_id, []).append((seller_id, part_id))
    rows = (
        Payment.objects.filter(reference__startswith=f"{PREFIX}-")
        .order_by("pk")
        .values_list("pk", "order_id")
    )
    return [(payment_id, order_id, parts[order_id]) for payment_id, order_id in rows[:count]]


def capture_spec(
    run: str, index: int, payment_id: int, order_id: int, parts, rng: random.Random
) -> EntrySpec:
    """What ``capture_post`` posts for a two-seller payment: 5 lines, 7 with platform promotions."""
    postings, total = [], 0
    promoted = index % 2 == 0
    for seller_id, part_id in parts:
        base = rng.randint(500, 50_000)
        commission = base * rng.choice([500, 1000, 1500]) // 10_000
        promotions = base // 10 if promoted else 0
        postings += [
            Posting(Kind.SELLER_PENDING, -(base - commission), seller_id, part_id),
            Posting(Kind.COMMISSION_REVENUE, -commission, seller_order_id=part_id),
            Posting(Kind.PROMOTIONS, promotions, seller_order_id=part_id),
        ]
        total += base - promotions
    return EntrySpec(
        kind=JournalEntry.Kind.CAPTURE,
        key=f"{run}:capture:{index}",
        currency=settings.DEFAULT_CURRENCY,
        postings=[Posting(Kind.PROVIDER_CASH, total), *postings],
        memo=f"payment {payment_id} captured",
        order_id=order_id,
        payment_id=payment_id,
    )


def main(entries: int, batch: int, single: int) -> None:
    run = f"{PREFIX}-{uuid.uuid4().hex[:8]}"
    rng = random.Random(42)
    seller_ids = sellers_prepare()
    payments = payments_prepare(entries + single, seller_ids)
    specs = [capture_spec(run, i, *payments[i], rng) for i in range(entries + single)]
    batched, one_by_one = specs[:entries], specs[entries:]
    line_count = sum(sum(1 for p in s.postings if p.amount) for s in batched)
    print(
        f"database {connection.settings_dict['NAME']} ({connection.vendor}); run {run}: "
        f"{entries:,} capture entries ({line_count:,} lines, {line_count / entries:.1f} per entry) "
        f"in batches of {batch}, then {single:,} one by one"
    )
    ledger.accounts_cache_clear()  # the first batch resolves the accounts from the database

    started = time.perf_counter()
    with tqdm(total=entries, desc="entries_post_batch", unit=" entries") as bar:
        for start in range(0, entries, batch):
            chunk = batched[start : start + batch]
            created = ledger.entries_post_batch(chunk)
            assert created == len(chunk), (created, len(chunk))
            bar.update(len(chunk))
    batch_seconds = time.perf_counter() - started

    started = time.perf_counter()
    for spec in tqdm(one_by_one, desc="entry_post", unit=" entries"):
        _entry, created = ledger.entry_post(spec)
        assert created
    single_seconds = time.perf_counter() - started

    posted = JournalLine.objects.filter(entry__key__startswith=f"{run}:")
    assert posted.values("entry").distinct().count() == entries + single
    assert posted.aggregate(total=Sum("amount"))["total"] == 0
    single_lines = sum(sum(1 for p in s.postings if p.amount) for s in one_by_one)
    print(
        f"batch  (entries_post_batch, {batch}/transaction): {entries / batch_seconds:,.0f} entries/s, "
        f"{line_count / batch_seconds:,.0f} lines/s ({entries:,} entries in {batch_seconds:.2f} s)"
    )
    if single:
        print(
            f"single (entry_post, 1/transaction):          {single / single_seconds:,.0f} entries/s, "
            f"{single_lines / single_seconds:,.0f} lines/s ({single:,} entries in {single_seconds:.2f} s)"
        )

    with transaction.atomic():
        deleted_lines, _ = posted.delete()
        deleted_entries, _ = JournalEntry.objects.filter(key__startswith=f"{run}:").delete()
    print(f"removed this run's {deleted_entries:,} entries and {deleted_lines:,} lines")


if __name__ == "__main__":
    main(
        entries=int(sys.argv[1]) if len(sys.argv) > 1 else 20_000,
        batch=int(sys.argv[2]) if len(sys.argv) > 2 else 500,
        single=int(sys.argv[3]) if len(sys.argv) > 3 else 1_000,
    )
