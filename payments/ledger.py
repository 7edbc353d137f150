"""The double-entry ledger: the one writer of ``JournalEntry``/``JournalLine`` rows.

Every money movement (capture, provider fee, refund, funds becoming available, payout, chargeback) is
posted here as an entry whose lines sum to zero in its currency. Debits are positive, credits negative:
cash at the provider has a positive balance, what the platform owes sellers and its revenue have negative
balances. Entries are immutable; a correction is a reversing entry (``entry_reverse``).

Posting is idempotent by ``key`` (one business fact → one key, e.g. ``capture:<payment id>``): reporting
the same fact twice, or from two processes at once, posts it once.

The accounts (``LedgerAccount.Kind``), per currency:

- ``provider_cash``: money the platform holds at the payment provider (asset, debit).
- ``shopper_clearing``: a payment captured but not allocated to sellers (an order cancelled meanwhile).
- ``seller_pending`` / ``seller_available`` per seller: owed to the seller (liability, credit); pending until
  the seller order completes and its return window passes, then available for payouts.
- ``commission_revenue``: the platform's commission (credit).
- ``promotions``: platform-funded discounts (platform coupons and tiers), an expense (debit): the seller
  is credited the price before them.
- ``refunds``: passes refunds through, so each refund is visible as money out; nets to zero per refund.
- ``provider_fees``: provider fees (expense, debit).
- ``payouts_in_transit``: payouts created but not yet confirmed paid.
- ``chargebacks``: disputed payments lost (expense, debit), borne by the platform.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum

from common.exceptions import ApplicationError
from payments.models import JournalEntry, JournalLine, LedgerAccount

Kind = LedgerAccount.Kind
SELLER_KINDS = frozenset({Kind.SELLER_PENDING, Kind.SELLER_AVAILABLE})
KEY_MAX_LENGTH = cast(int, JournalEntry._meta.get_field("key").max_length)


class LedgerError(ApplicationError):
    pass


@dataclass(frozen=True)
class Posting:
    """One line of an entry: ``amount`` debits (+) or credits (-) the account ``kind`` (of ``seller_id``
    for the seller kinds). ``seller_order_id`` tags seller money with the order part it belongs to."""

    kind: str
    amount: int
    seller_id: int | None = None
    seller_order_id: int | None = None


@dataclass(frozen=True)
class EntrySpec:
    kind: str
    key: str
    currency: str
    postings: Sequence[Posting]
    memo: str = ""
    order_id: int | None = None
    payment_id: int | None = None
    reverses_id: int | None = None
    # When the fact happened, for history posted after the fact (an import); None: now.
    occurred_at: datetime | None = None

    def entry(self) -> JournalEntry:
        """The unsaved entry row of this spec."""
        entry = JournalEntry(
            kind=self.kind,
            key=self.key,
            memo=self.memo[:300],
            order_id=self.order_id,
            payment_id=self.payment_id,
            reverses_id=self.reverses_id,
        )
        if self.occurred_at is not None:
            entry.created_at = self.occurred_at
        return entry


# --- accounts -----------------------------------------------------------------------------------------

# Account ids never change once created, so a process-wide cache is safe — but only for rows that are
# committed: an id read or created inside a transaction that later rolls back names no row (or, where ids
# are reused, another account). So an id enters the cache when its transaction commits.
AccountKey = tuple[str, int | None, str]  # (kind, seller id, currency)
_ACCOUNT_IDS: dict[AccountKey, int] = {}


def _account_key_check(kind: str, seller_id: int | None) -> None:
    if kind not in Kind.values:
        raise LedgerError(f"unknown ledger account kind {kind!r}")
    if (kind in SELLER_KINDS) != (seller_id is not None):
        raise LedgerError(f"account {kind!r} {'needs' if kind in SELLER_KINDS else 'takes no'} seller")


def _account_id_remember(key: AccountKey, account_id: int) -> None:
    transaction.on_commit(lambda: _ACCOUNT_IDS.__setitem__(key, account_id))


def account_id_get(*, kind: str, currency: str, seller_id: int | None = None) -> int:
    _account_key_check(kind, seller_id)
    cache_key = (kind, seller_id, currency)
    account_id = _ACCOUNT_IDS.get(cache_key)
    if account_id is None:
        try:
            with transaction.atomic():
                account, _created = LedgerAccount.objects.get_or_create(
                    kind=kind, seller_id=seller_id, currency=currency
                )
        except IntegrityError:  # created by a concurrent poster between our read and insert
            account = LedgerAccount.objects.get(kind=kind, seller_id=seller_id, currency=currency)
        account_id = account.pk
        _account_id_remember(cache_key, account_id)
    return account_id


def account_ids_get(keys: Iterable[AccountKey]) -> dict[AccountKey, int]:
    """Ids of many accounts: those not cached are read with one query, the missing ones created."""
    wanted = set(keys)
    for kind, seller_id, _currency in wanted:
        _account_key_check(kind, seller_id)
    ids = {key: _ACCOUNT_IDS[key] for key in wanted if key in _ACCOUNT_IDS}
    missing = wanted - ids.keys()
    if missing:
        seller_ids = {seller_id for _kind, seller_id, _currency in missing if seller_id is not None}
        rows = LedgerAccount.objects.filter(
            kind__in={kind for kind, _seller_id, _currency in missing},
            currency__in={currency for _kind, _seller_id, currency in missing},
        ).filter(Q(seller__isnull=True) | Q(seller_id__in=seller_ids))
        for account_id, kind, seller_id, currency in rows.values_list("pk", "kind", "seller_id", "currency"):
            key = (kind, seller_id, currency)
            if key in missing:
                ids[key] = account_id
                _account_id_remember(key, account_id)
        for kind, seller_id, currency in missing - ids.keys():
            ids[(kind, seller_id, currency)] = account_id_get(
                kind=kind, currency=currency, seller_id=seller_id
            )
    return ids


def accounts_cache_clear() -> None:
    """Tests that flush the database (transaction=True) call this; ids of dropped rows must not leak."""
    _ACCOUNT_IDS.clear()


# --- posting ------------------------------------------------------------------------------------------


def _validated(spec: EntrySpec) -> list[Posting]:
    if spec.kind not in JournalEntry.Kind.values:
        raise LedgerError(f"unknown entry kind {spec.kind!r}")
    if not spec.key or len(spec.key) > KEY_MAX_LENGTH:
        raise LedgerError(f"entry key must be 1..{KEY_MAX_LENGTH} characters: {spec.key!r}")
    if len(spec.currency) != 3 or not spec.currency.isalpha() or not spec.currency.isupper():
        raise LedgerError(f"bad currency {spec.currency!r}")
    postings = []
    for posting in spec.postings:
        if not isinstance(posting.amount, int) or isinstance(posting.amount, bool):
            raise LedgerError("ledger amounts are integer minor units")
        if posting.amount != 0:
            postings.append(posting)
    if not postings:
        raise LedgerError(f"entry {spec.key!r} moves no money")
    total = sum(p.amount for p in postings)
    if total != 0:
        raise LedgerError(f"entry {spec.key!r} does not balance: lines sum to {total} {spec.currency}")
    return postings


def _lines(
    entry_id: int, spec: EntrySpec, postings: Iterable[Posting], account_ids: dict[AccountKey, int]
) -> list[JournalLine]:
    return [
        JournalLine(
            entry_id=entry_id,
            account_id=account_ids[(p.kind, p.seller_id, spec.currency)],
            amount=p.amount,
            currency=spec.currency,
            seller_order_id=p.seller_order_id,
        )
        for p in postings
    ]


def entry_post(spec: EntrySpec) -> tuple[JournalEntry, bool]:
    """Post one balanced entry; ``(entry, created)``. The same key again returns the first entry."""
    postings = _validated(spec)
    existing = JournalEntry.objects.filter(key=spec.key).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            entry = spec.entry()
            entry.save(force_insert=True)
            account_ids = account_ids_get((p.kind, p.seller_id, spec.currency) for p in postings)
            JournalLine.objects.bulk_create(_lines(entry.pk, spec, postings, account_ids))
    except IntegrityError:
        # Lost a race on the same key: the other poster's entry stands.
        existing = JournalEntry.objects.filter(key=spec.key).first()
        if existing is None:
            raise
        return existing, False
    return entry, True


@transaction.atomic
def entries_post_batch(specs: Sequence[EntrySpec]) -> int:
    """Post many entries in one transaction with two bulk inserts; keys already posted are skipped.
    Returns how many were created. For imports, replays and the ledger benchmark."""
    validated = [(spec, _validated(spec)) for spec in specs]
    keys = [spec.key for spec, _ in validated]
    if len(set(keys)) != len(keys):
        raise LedgerError("a batch repeats a key")
    posted = set(JournalEntry.objects.filter(key__in=keys).values_list("key", flat=True))
    todo = [(spec, postings) for spec, postings in validated if spec.key not in posted]
    entries = JournalEntry.objects.bulk_create([spec.entry() for spec, _ in todo], batch_size=2000)
    if entries and entries[0].pk is None:  # backends that return no ids from bulk inserts
        by_key = dict(JournalEntry.objects.filter(key__in=[s.key for s, _ in todo]).values_list("key", "pk"))
        for entry in entries:
            entry.pk = by_key[entry.key]
    account_ids = account_ids_get(
        (p.kind, p.seller_id, spec.currency) for spec, postings in todo for p in postings
    )
    lines: list[JournalLine] = []
    for entry, (spec, postings) in zip(entries, todo, strict=True):
        lines.extend(_lines(entry.pk, spec, postings, account_ids))
    JournalLine.objects.bulk_create(lines, batch_size=2000)
    return len(entries)


@transaction.atomic
def entry_reverse(*, entry_id: int, key: str, memo: str = "") -> JournalEntry:
    """A new entry that undoes ``entry_id`` line by line (the original stays as it was)."""
    original = JournalEntry.objects.select_for_update().get(pk=entry_id)
    lines = list(original.lines.select_related("account"))
    currency = lines[0].currency
    spec = EntrySpec(
        kind=JournalEntry.Kind.REVERSAL,
        key=key,
        currency=currency,
        postings=[
            Posting(
                kind=line.account.kind,
                amount=-line.amount,
                seller_id=line.account.seller_id,
                seller_order_id=line.seller_order_id,
            )
            for line in lines
        ],
        memo=memo or f"reverses {original.key}",
        order_id=original.order_id,
        payment_id=original.payment_id,
        reverses_id=original.pk,
    )
    if JournalEntry.objects.filter(reverses_id=original.pk).exclude(key=key).exists():
        raise LedgerError(f"entry {original.key!r} is already reversed")
    entry, _created = entry_post(spec)
    return entry


# --- balances -----------------------------------------------------------------------------------------


def account_balance(*, kind: str, currency: str, seller_id: int | None = None) -> int:
    """Debit-positive balance of one account (0 when it has never been used)."""
    total = JournalLine.objects.filter(
        account__kind=kind, account__seller_id=seller_id, account__currency=currency
    ).aggregate(total=Sum("amount"))["total"]
    return int(total or 0)


def seller_order_pending_balance(*, seller_order_id: int, seller_id: int, currency: str) -> int:
    """What the platform still owes a seller for one order part in their pending account (credit-positive)."""
    total = JournalLine.objects.filter(
        account__kind=Kind.SELLER_PENDING,
        account__seller_id=seller_id,
        account__currency=currency,
        seller_order_id=seller_order_id,
    ).aggregate(total=Sum("amount"))["total"]
    return -int(total or 0)


def seller_orders_pending_balances(*, seller_order_ids: Iterable[int]) -> dict[int, int]:
    """``seller_order_pending_balance`` of many order parts in one query (parts without any are left out)."""
    rows = (
        JournalLine.objects.filter(
            account__kind=Kind.SELLER_PENDING, seller_order_id__in=set(seller_order_ids)
        )
        .values("seller_order_id")
        .annotate(total=Sum("amount"))
        .values_list("seller_order_id", "total")
    )
    return {seller_order_id: -int(total or 0) for seller_order_id, total in rows}


@dataclass(frozen=True)
class SellerBalance:
    currency: str
    pending: int  # owed, not yet payable (order not complete, or inside the return window)
    available: int  # payable now (negative: the seller owes the platform, taken from later sales)
    in_transit: int  # payouts created, not yet confirmed paid
    paid_out: int  # payouts confirmed paid


def seller_balances(*, seller_id: int) -> list[SellerBalance]:
    """A seller's money per currency (amounts owed to the seller are positive): pending and available
    from the ledger, in transit and paid out from their payouts."""
    from payments.models import Payout

    rows = (
        JournalLine.objects.filter(account__seller_id=seller_id)
        .values("account__kind", "currency")
        .annotate(total=Sum("amount"))
    )
    owed: dict[str, dict[str, int]] = defaultdict(dict)
    row: Mapping[str, Any]  # each loop below reads other .values() columns
    for row in rows:
        owed[row["currency"]][row["account__kind"]] = -int(row["total"] or 0)
    payouts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in (
        Payout.objects.filter(seller_id=seller_id).values("currency", "status").annotate(total=Sum("amount"))
    ):
        payouts[row["currency"]][row["status"]] += int(row["total"] or 0)
    return [
        SellerBalance(
            currency=currency,
            pending=owed[currency].get(Kind.SELLER_PENDING, 0),
            available=owed[currency].get(Kind.SELLER_AVAILABLE, 0),
            in_transit=payouts[currency][Payout.Status.PENDING] + payouts[currency][Payout.Status.IN_TRANSIT],
            paid_out=payouts[currency][Payout.Status.PAID],
        )
        for currency in sorted(set(owed) | set(payouts))
    ]


# --- the business facts -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SellerAllocation:
    """A seller's share of a captured payment: ``seller_amount`` is credited to them (price they charged,
    shipping included, minus commission), ``commission`` to the platform, ``promotions`` is what the
    platform's own discounts cost it. seller_amount + commission - promotions = what the shopper paid."""

    seller_id: int
    seller_order_id: int
    seller_amount: int
    commission: int
    promotions: int

    @property
    def paid_by_shopper(self) -> int:
        return self.seller_amount + self.commission - self.promotions


def capture_post(
    *,
    payment_id: int,
    order_id: int,
    currency: str,
    amount: int,
    allocations: Sequence[SellerAllocation] | None,
) -> tuple[JournalEntry, bool]:
    """Money captured at the provider. With ``allocations`` it is split to sellers, commission and
    promotions in the same entry (their paid_by_shopper must add up to ``amount``); without, it waits in
    shopper clearing (a payment for an order that was cancelled meanwhile, to be refunded)."""
    return entry_post(
        capture_spec(
            payment_id=payment_id,
            order_id=order_id,
            currency=currency,
            amount=amount,
            allocations=allocations,
        )
    )


def capture_spec(
    *,
    payment_id: int,
    order_id: int,
    currency: str,
    amount: int,
    allocations: Sequence[SellerAllocation] | None,
    occurred_at: datetime | None = None,
) -> EntrySpec:
    """The entry ``capture_post`` posts (``entries_post_batch`` posts many of them at once)."""
    postings = [Posting(Kind.PROVIDER_CASH, amount)]
    if allocations is None:
        postings.append(Posting(Kind.SHOPPER_CLEARING, -amount))
    else:
        if sum(a.paid_by_shopper for a in allocations) != amount:
            raise LedgerError(f"allocations of payment {payment_id} do not add up to {amount}")
        for a in allocations:
            postings.append(Posting(Kind.SELLER_PENDING, -a.seller_amount, a.seller_id, a.seller_order_id))
            postings.append(
                Posting(Kind.COMMISSION_REVENUE, -a.commission, seller_order_id=a.seller_order_id)
            )
            postings.append(Posting(Kind.PROMOTIONS, a.promotions, seller_order_id=a.seller_order_id))
    return EntrySpec(
        kind=JournalEntry.Kind.CAPTURE,
        key=f"capture:{payment_id}",
        currency=currency,
        postings=postings,
        memo=f"payment {payment_id} captured",
        order_id=order_id,
        payment_id=payment_id,
        occurred_at=occurred_at,
    )


def fee_post(*, payment_id: int, order_id: int, currency: str, amount: int) -> tuple[JournalEntry, bool]:
    return entry_post(
        EntrySpec(
            kind=JournalEntry.Kind.FEE,
            key=f"fee:{payment_id}",
            currency=currency,
            postings=[Posting(Kind.PROVIDER_FEES, amount), Posting(Kind.PROVIDER_CASH, -amount)],
            memo=f"provider fee on payment {payment_id}",
            order_id=order_id,
            payment_id=payment_id,
        )
    )


def _seller_order_lock(seller_order_id: int) -> None:
    """Serialise the writers of one order part's pending funds (a refund and the release of its funds):
    each reads the part's pending balance and posts from it, so they must not interleave.

    Locked in the one lock order (``orders.lifecycle.locks``: its order, then the part, FOR NO KEY
    UPDATE). A refund settling holds both already, so this takes nothing new (FOR UPDATE raised the mode
    it held the part in). The release of funds used to lock the part alone FOR UPDATE: a buyer rating the
    seller for that part (holding the seller's profile, inserting a row pointing at the part) waited at
    its COMMIT for the release, whose COMMIT checked the seller's new ledger account against that profile
    and waited for the rating: a deadlock (``tests/concurrency/test_funds_release_rating_race.py``)."""
    from orders.lifecycle.locks import order_parts_lock
    from orders.models import SellerOrder

    order_id = SellerOrder.objects.filter(pk=seller_order_id).values_list("order_id", flat=True).first()
    if order_id is not None:
        order_parts_lock(order_id=order_id, seller_order_ids=[seller_order_id])


@transaction.atomic
def refund_post(
    *,
    refund_id: int,
    payment_id: int,
    order_id: int,
    currency: str,
    amount: int,
    seller_id: int | None,
    seller_order_id: int | None,
    seller_amount: int,
    commission: int,
    promotions: int,
) -> tuple[JournalEntry, bool]:
    """Money given back to the shopper. A seller's refund is taken from their pending funds for that
    order part first, then from their available funds; commission is given back and the platform's
    promotion unwound in proportion. Without a seller it comes out of shopper clearing."""
    pending = 0
    if seller_id is not None and seller_order_id:
        _seller_order_lock(seller_order_id)
        pending = seller_order_pending_balance(
            seller_order_id=seller_order_id, seller_id=seller_id, currency=currency
        )
    return entry_post(
        refund_spec(
            refund_id=refund_id,
            payment_id=payment_id,
            order_id=order_id,
            currency=currency,
            amount=amount,
            seller_id=seller_id,
            seller_order_id=seller_order_id,
            seller_amount=seller_amount,
            commission=commission,
            promotions=promotions,
            pending=pending,
        )
    )


def refund_spec(
    *,
    refund_id: int,
    payment_id: int,
    order_id: int,
    currency: str,
    amount: int,
    seller_id: int | None,
    seller_order_id: int | None,
    seller_amount: int,
    commission: int,
    promotions: int,
    pending: int,
    occurred_at: datetime | None = None,
) -> EntrySpec:
    """The entry ``refund_post`` posts, given what is ``pending`` for the seller order part (its seller
    pending balance, credit-positive), which the seller's share is taken from first."""
    postings = [Posting(Kind.REFUNDS, amount), Posting(Kind.PROVIDER_CASH, -amount)]
    if seller_id is None:
        postings += [Posting(Kind.SHOPPER_CLEARING, amount), Posting(Kind.REFUNDS, -amount)]
    else:
        if seller_amount + commission - promotions != amount:
            raise LedgerError(f"refund {refund_id}: seller, commission and promotions do not add up")
        from_pending = min(max(0, pending), seller_amount)
        postings += [
            Posting(Kind.SELLER_PENDING, from_pending, seller_id, seller_order_id),
            Posting(Kind.SELLER_AVAILABLE, seller_amount - from_pending, seller_id, seller_order_id),
            Posting(Kind.COMMISSION_REVENUE, commission, seller_order_id=seller_order_id),
            Posting(Kind.PROMOTIONS, -promotions, seller_order_id=seller_order_id),
            Posting(Kind.REFUNDS, -amount),
        ]
    return EntrySpec(
        kind=JournalEntry.Kind.REFUND,
        key=f"refund:{refund_id}",
        currency=currency,
        postings=postings,
        memo=f"refund {refund_id} of payment {payment_id}",
        order_id=order_id,
        payment_id=payment_id,
        occurred_at=occurred_at,
    )


@transaction.atomic
def funds_available_post(*, seller_id: int, seller_order_id: int, currency: str) -> JournalEntry | None:
    """Move what is pending for one completed order part to the seller's available funds (None when
    nothing is pending). Posted once per order part."""
    _seller_order_lock(seller_order_id)
    amount = seller_order_pending_balance(
        seller_order_id=seller_order_id, seller_id=seller_id, currency=currency
    )
    if amount <= 0:
        return None
    entry, _created = entry_post(
        EntrySpec(
            kind=JournalEntry.Kind.FUNDS_AVAILABLE,
            key=f"available:{seller_order_id}",
            currency=currency,
            postings=[
                Posting(Kind.SELLER_PENDING, amount, seller_id, seller_order_id),
                Posting(Kind.SELLER_AVAILABLE, -amount, seller_id, seller_order_id),
            ],
            memo=f"seller order {seller_order_id} completed",
        )
    )
    return entry


def payout_post(*, payout_id: int, seller_id: int, currency: str, amount: int) -> tuple[JournalEntry, bool]:
    return entry_post(
        EntrySpec(
            kind=JournalEntry.Kind.PAYOUT,
            key=f"payout:{payout_id}",
            currency=currency,
            postings=[
                Posting(Kind.SELLER_AVAILABLE, amount, seller_id),
                Posting(Kind.PAYOUTS_IN_TRANSIT, -amount),
            ],
            memo=f"payout {payout_id} to seller {seller_id}",
        )
    )


def payout_paid_post(*, payout_id: int, currency: str, amount: int) -> tuple[JournalEntry, bool]:
    return entry_post(
        EntrySpec(
            kind=JournalEntry.Kind.PAYOUT_PAID,
            key=f"payout-paid:{payout_id}",
            currency=currency,
            postings=[Posting(Kind.PAYOUTS_IN_TRANSIT, amount), Posting(Kind.PROVIDER_CASH, -amount)],
            memo=f"payout {payout_id} paid",
        )
    )


def payout_failed_post(
    *, payout_id: int, seller_id: int, currency: str, amount: int
) -> tuple[JournalEntry, bool]:
    """A failed payout gives the money back to the seller's available funds."""
    return entry_post(
        EntrySpec(
            kind=JournalEntry.Kind.PAYOUT_FAILED,
            key=f"payout-failed:{payout_id}",
            currency=currency,
            postings=[
                Posting(Kind.PAYOUTS_IN_TRANSIT, amount),
                Posting(Kind.SELLER_AVAILABLE, -amount, seller_id),
            ],
            memo=f"payout {payout_id} failed",
        )
    )


def chargeback_post(
    *, dispute_reference: str, payment_id: int, order_id: int, currency: str, amount: int
) -> tuple[JournalEntry, bool]:
    """A disputed payment taken back by the card network: the platform bears it (sellers keep their
    share; recovering it from a seller is an operator decision, posted as its own entry)."""
    return entry_post(
        EntrySpec(
            kind=JournalEntry.Kind.CHARGEBACK,
            key=f"chargeback:{dispute_reference}",
            currency=currency,
            postings=[Posting(Kind.CHARGEBACKS, amount), Posting(Kind.PROVIDER_CASH, -amount)],
            memo=f"chargeback {dispute_reference} on payment {payment_id}",
            order_id=order_id,
            payment_id=payment_id,
        )
    )


# --- invariants ---------------------------------------------------------------------------------------


def ledger_problems() -> list[str]:
    """Every broken invariant, as sentences (empty when the books are right):

    1. every entry's lines sum to zero, in a single currency, each line in its account's currency;
    2. the sum over all accounts is zero per currency;
    3. each seller's payable (pending + available) equals their captured sales (price charged, shipping
       included) minus commission, minus what refunds took back from them, minus their payouts that did
       not fail — computed from the commission, refund and payout records, not from the ledger.
    """
    from django.db.models import Count, F

    from payments.models import LineCommission, Payout, Refund

    problems: list[str] = []
    row: Mapping[str, Any]  # each loop below reads other .values() columns
    unbalanced = (
        JournalLine.objects.values("entry_id", "entry__key")
        .annotate(total=Sum("amount"), currencies=Count("currency", distinct=True))
        .filter(~Q(total=0) | Q(currencies__gt=1))
    )
    for row in unbalanced[:100]:
        problems.append(
            f"entry {row['entry__key']} does not balance (sum {row['total']}, {row['currencies']} currencies)"
        )
    # Balances are read per account (in its currency), the zero-sum check per line currency: a line in
    # another currency than its account would slip past both.
    astray = (
        JournalLine.objects.exclude(currency=F("account__currency"))
        .values_list("entry__key", flat=True)
        .distinct()
        .order_by("entry__key")
    )
    for key in astray[:100]:
        problems.append(f"entry {key} has a line in another currency than its account")
    for row in JournalLine.objects.values("currency").annotate(total=Sum("amount")).filter(~Q(total=0)):
        problems.append(f"all accounts in {row['currency']} sum to {row['total']}, not 0")

    expected: dict[tuple[int, str], int] = defaultdict(int)
    for row in LineCommission.objects.values("seller_id", "currency").annotate(
        credited=Sum(F("base_amount") - F("amount"))
    ):
        expected[(row["seller_id"], row["currency"])] += int(row["credited"] or 0)
    # Shipping of every allocated order part goes to the seller in full (no commission on shipping).
    from orders.models import SellerOrder

    allocated = LineCommission.objects.values("seller_order_id").distinct()
    for row in (
        SellerOrder.objects.filter(pk__in=allocated)
        .values("seller_id", "order__currency")
        .annotate(shipping=Sum("shipping_amount"))
    ):
        expected[(row["seller_id"], row["order__currency"])] += int(row["shipping"] or 0)
    for row in (
        Refund.objects.filter(status=Refund.Status.SUCCEEDED, seller_order__isnull=False)
        .values("seller_order__seller_id", "currency")
        .annotate(taken=Sum("seller_amount"))
    ):
        expected[(row["seller_order__seller_id"], row["currency"])] -= int(row["taken"] or 0)
    for row in (
        Payout.objects.exclude(status=Payout.Status.FAILED)
        .values("seller_id", "currency")
        .annotate(total=Sum("amount"))
    ):
        expected[(row["seller_id"], row["currency"])] -= int(row["total"] or 0)

    actual: dict[tuple[int, str], int] = defaultdict(int)
    for row in (
        JournalLine.objects.filter(account__kind__in=SELLER_KINDS)
        .values("account__seller_id", "currency")
        .annotate(total=Sum("amount"))
    ):
        actual[(row["account__seller_id"], row["currency"])] = -int(row["total"] or 0)
    for seller_id, currency in sorted(set(expected) | set(actual)):
        if expected[(seller_id, currency)] != actual[(seller_id, currency)]:
            problems.append(
                f"seller {seller_id} {currency}: ledger payable {actual[(seller_id, currency)]}, "
                f"records say {expected[(seller_id, currency)]}"
            )
    return problems
