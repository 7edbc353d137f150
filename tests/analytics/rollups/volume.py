"""A busy platform day written in bulk (no services: only its shape matters), for timing a rollup: about
3,000 visitors and 14,000 events, 1,400 orders with 4,000 lines from 40 sellers, nine in ten paid with
their commission in the ledger, 50 refunds and 20 cancellations. Used by
``test_performance.py`` and ``benchmarks/analytics_rollup.py``."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction

from accounts.models import SellerProfile, User
from analytics.models import Event
from analytics.rollups.calendar import day_span
from catalog.models import Product, ProductVariant
from orders.models import Order, OrderEvent, OrderLine, OrderStatus, SellerOrder
from payments.models import JournalEntry, JournalLine, LedgerAccount, Payment, Refund
from tests.factories import category_create

REFERRERS = ["", "", "https://www.google.com/", "https://m.facebook.com/", "https://blog.example/post"]
DEVICES = ["desktop", "mobile", "mobile", "tablet"]


@dataclass
class Volume:
    events: int
    orders: int
    lines: int


def _catalog(rng: random.Random, tag: str, sellers: int, products: int) -> list[ProductVariant]:
    users = User.objects.bulk_create(
        [User(email=f"vol-{tag}-{i}@example.invalid", password="!") for i in range(sellers)]
    )
    profiles = SellerProfile.objects.bulk_create(
        [
            SellerProfile(user=u, shop_name=f"Vol {u.pk}", slug=f"vol-{tag}-{u.pk}", status="approved")
            for u in users
        ]
    )
    top = category_create(f"Vol {tag}", slug=f"vol-{tag}")
    leaves = [category_create(f"Vol {tag} {i}", parent=top, slug=f"vol-{tag}-{i}") for i in range(8)]
    made = Product.objects.bulk_create(
        [
            Product(
                seller=rng.choice(profiles),
                category=rng.choice(leaves),
                title=f"Vol {tag} {i}",
                slug=f"vol-{tag}-p{i}",
                status=Product.Status.ACTIVE,
                price_amount=rng.randrange(500, 20000),
            )
            for i in range(products)
        ]
    )
    return ProductVariant.objects.bulk_create(
        [
            ProductVariant(product=p, sku=f"VOL-{tag}-{p.pk}", price_amount=p.price_amount, stock=50)
            for p in made
        ]
    )


def _visit(
    rng: random.Random, key: str, start: datetime, variants: list[ProductVariant], buys: bool
) -> list[Event]:
    when, device = start, rng.choice(DEVICES)
    hits = []
    for n in range(3 if buys else rng.randrange(2, 6)):
        variant = rng.choice(variants)
        hits.append(
            Event(
                type="page_view",
                session_key=key,
                object_type="catalog.product",
                object_id=str(variant.product_id),
                path=f"/p/{variant.product.slug}/",
                referrer=rng.choice(REFERRERS) if n == 0 else "",
                user_agent_class=device,
                occurred_at=when,
            )
        )
        when += timedelta(seconds=rng.randrange(20, 600))
    if buys:
        for kind, properties in (
            ("add_to_cart", {"variant": variants[0].pk}),
            ("checkout_step", {"step": "checkout"}),
        ):
            hits.append(
                Event(
                    type=kind,
                    session_key=key,
                    properties=properties,
                    user_agent_class=device,
                    occurred_at=when,
                )
            )
            when += timedelta(seconds=rng.randrange(20, 300))
    return hits


def _orders(
    rng: random.Random, tag: str, buyers: list[tuple[str, datetime]], variants: list[ProductVariant]
) -> list[Order]:
    orders = Order.objects.bulk_create(
        [
            Order(
                number=f"V{tag}{i:06d}",
                email=f"buyer{i % 1100}@example.invalid",
                status=OrderStatus.PAID,
                currency="USD",
                placed_at=placed,
                paid_at=placed + timedelta(minutes=1) if i % 10 else None,
            )
            for i, (_key, placed) in enumerate(buyers)
        ]
    )
    parts: list[SellerOrder] = []
    lines: list[OrderLine] = []
    for order in orders:
        chosen = rng.sample(variants, 3 if rng.random() < 0.86 else 2)
        by_seller: dict[int, list[ProductVariant]] = {}
        for variant in chosen:
            by_seller.setdefault(variant.product.seller_id, []).append(variant)
        for seller_id, seller_variants in by_seller.items():
            part = SellerOrder(order=order, seller_id=seller_id, status=OrderStatus.PAID)
            part.total_amount = sum(v.price_amount for v in seller_variants)
            parts.append(part)
            lines += [
                OrderLine(
                    seller_order=part,
                    product_id_snapshot=v.product_id,
                    variant=v,
                    title="x",
                    sku=v.sku,
                    unit_price_amount=v.price_amount,
                    quantity=1,
                    total_amount=v.price_amount,
                )
                for v in seller_variants
            ]
    SellerOrder.objects.bulk_create(parts, batch_size=2000)
    for line in lines:
        line.seller_order_id = line.seller_order.pk
    OrderLine.objects.bulk_create(lines, batch_size=2000)
    totals: dict[int, int] = {}
    for part in parts:
        totals[part.order_id] = totals.get(part.order_id, 0) + part.total_amount
    for order in orders:
        order.total_amount = order.subtotal_amount = totals[order.pk]
    Order.objects.bulk_update(orders, ["total_amount", "subtotal_amount"], batch_size=2000)
    return orders


def _ledger(orders: list[Order]) -> None:
    revenue, _ = LedgerAccount.objects.get_or_create(
        kind=LedgerAccount.Kind.COMMISSION_REVENUE, currency="USD"
    )
    cash, _ = LedgerAccount.objects.get_or_create(kind=LedgerAccount.Kind.PROVIDER_CASH, currency="USD")
    paid = [order for order in orders if order.paid_at]
    entries = JournalEntry.objects.bulk_create(
        [JournalEntry(kind="capture", key=f"vol-capture-{o.pk}", order=o, created_at=o.paid_at) for o in paid]
    )
    parts = {}
    for part in SellerOrder.objects.filter(order__in=paid):
        parts.setdefault(part.order_id, []).append(part)
    lines = []
    for entry in entries:
        for part in parts[entry.order_id]:
            commission = part.total_amount // 10
            lines.append(
                JournalLine(
                    entry=entry, account=revenue, amount=-commission, currency="USD", seller_order=part
                )
            )
            lines.append(JournalLine(entry=entry, account=cash, amount=commission, currency="USD"))
    JournalLine.objects.bulk_create(lines, batch_size=2000)


def _refunds_and_cancellations(orders: list[Order], day_end: datetime) -> None:
    paid = [order for order in orders if order.paid_at][:70]
    payments = Payment.objects.bulk_create(
        [
            Payment(
                order=o,
                provider="test",
                status="captured",
                amount=o.total_amount,
                captured_amount=o.total_amount,
                currency="USD",
                reference=f"vol-{o.pk}",
            )
            for o in paid[:50]
        ]
    )
    refunds = []
    for payment in payments:
        part = SellerOrder.objects.filter(order_id=payment.order_id).first()
        line = part.lines.first()
        refunds.append(
            Refund(
                payment=payment,
                seller_order=part,
                amount=line.total_amount,
                currency="USD",
                status=Refund.Status.SUCCEEDED,
                idempotency_key=f"vol-refund-{payment.pk}",
                lines=[{"order_line": line.pk, "quantity": 1, "amount": line.total_amount}],
                succeeded_at=day_end - timedelta(hours=1),
            )
        )
    Refund.objects.bulk_create(refunds)
    events = [
        OrderEvent(
            order=o,
            seller_order=o.seller_orders.first(),
            from_status="paid",
            to_status="cancelled",
            actor_kind="system",
        )
        for o in paid[50:]
    ]
    OrderEvent.objects.bulk_create(events)
    OrderEvent.objects.filter(pk__in=[e.pk for e in events]).update(created_at=day_end - timedelta(hours=2))


@transaction.atomic
def day_seed(
    day: date, *, tag: str = "a", visitors: int = 3000, buyers: int = 1400, seed: int = 14
) -> Volume:
    rng = random.Random(seed)
    span = day_span(day)
    variants = _catalog(rng, tag, sellers=40, products=400)
    events: list[Event] = []
    buying: list[tuple[str, datetime]] = []
    seconds = int((span.end - span.start).total_seconds()) - 3 * 3600
    for i in range(visitors):
        key = f"vol{tag}{i:08d}"
        start = span.start + timedelta(seconds=rng.randrange(seconds))
        hits = _visit(rng, key, start, variants, buys=i < buyers)
        events += hits
        if i < buyers:
            buying.append((key, hits[-1].occurred_at + timedelta(seconds=30)))
    orders = _orders(rng, tag, buying, variants)
    events += [
        Event(
            type="order_placed",
            session_key=key,
            object_type="orders.order",
            object_id=str(order.pk),
            occurred_at=placed,
        )
        for (key, placed), order in zip(buying, orders, strict=True)
    ]
    Event.objects.bulk_create(sorted(events, key=lambda e: e.occurred_at), batch_size=5000)
    _ledger(orders)
    _refunds_and_cancellations(orders, span.end)
    return Volume(
        events=len(events),
        orders=len(orders),
        lines=OrderLine.objects.filter(seller_order__order__in=orders).count(),
    )
