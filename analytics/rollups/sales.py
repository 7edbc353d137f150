"""The money side of a day: orders placed (with their sellers' parts), and the refunds, cancellations
after payment and commission postings that happened that day, each with the attribution (channel,
device, customer type) of the order it belongs to.

Definitions:

* **Paid**: an order with ``paid_at`` set (whenever the payment came); every part of a paid order counts
  (a part cancelled before the money arrived is refunded later and the refund books on its own day).
* **New customer**: the order is the customer's first paid order; the customer is the buyer's account, or
  for a guest the e-mail address in lower case. An order that is paid and later refunded or cancelled
  still made its customer known: their next order is returning.
* **Shipped late**: a paid part that shipped after its promise, the end of the platform day that is its
  shipping method's ``delivery_days_max`` days after the order's placed day: past that day even the
  fastest carrier cannot keep the promised delivery window. Booked on the order's placed day (the cohort),
  so the late share of a day's orders is ``orders_shipped_late / orders_paid``; a part without a shipping
  method (deleted since) has no promise and is never late.
* **Seller- and platform-funded discounts**: a line's discount is the platform's for its platform spend
  tier and platform coupon shares (``pricing_explanation``), the seller's for the rest (seller tiers and
  coupons), as in ``payments.commissions``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import F, Q, QuerySet, Sum
from django.db.models.functions import Lower

from analytics.models import OrderAttribution, VisitorType
from analytics.rollups.calendar import Span, day_span, local_day
from analytics.rollups.visits import DayVisit, chunks
from orders.models import Coupon, Order, OrderEvent, OrderLine, OrderStatus, SellerOrder
from orders.pricing import COUPON, PLATFORM_TIER
from payments.models import JournalLine, LedgerAccount, Refund


@dataclass
class PartRow:
    id: int
    seller_id: int
    total: int
    shipping: int
    discount: int
    discount_platform: int = 0
    units: int = 0
    late: bool = False


@dataclass
class OrderRow:
    id: int
    placed_at: datetime
    paid: bool
    total: int
    currency: str
    buyer_id: int | None
    email: str
    parts: list[PartRow] = field(default_factory=list)

    @property
    def customer(self) -> str:
        return f"u:{self.buyer_id}" if self.buyer_id is not None else f"e:{self.email.strip().lower()}"


@dataclass(frozen=True)
class Attribution:
    channel: str = "direct"
    device: str = "other"
    customer_type: str = VisitorType.NEW


def _placed_between(prefix: str, start: datetime, end: datetime) -> Q:
    return Q(**{f"{prefix}placed_at__gte": start, f"{prefix}placed_at__lt": end})


def _late(shipped_at: datetime | None, days_max: int | None, placed_at: datetime) -> bool:
    if shipped_at is None or days_max is None:
        return False
    return shipped_at >= day_span(local_day(placed_at) + timedelta(days=days_max)).end


def _order_rows(queryset: QuerySet[Order]) -> dict[int, OrderRow]:
    return {
        row["id"]: OrderRow(
            id=row["id"],
            placed_at=row["placed_at"],
            paid=row["paid_at"] is not None,
            total=row["total_amount"],
            currency=row["currency"],
            buyer_id=row["buyer_id"],
            email=row["email"],
        )
        for row in queryset.order_by("placed_at", "id").values(
            "id", "placed_at", "paid_at", "total_amount", "currency", "buyer_id", "email"
        )
    }


def orders_by_id(order_ids: Collection[int]) -> list[OrderRow]:
    """Orders by id, without their parts."""
    return list(_order_rows(Order.objects.filter(pk__in=list(order_ids))).values())


def orders_read(*, start: datetime, end: datetime) -> list[OrderRow]:
    """Orders placed in [start, end) with their parts: units, discounts split by who funds them, late."""
    orders = _order_rows(Order.objects.filter(_placed_between("", start, end)))
    in_span = _placed_between("seller_order__order__", start, end)
    units = dict(
        OrderLine.objects.filter(in_span)
        .values("seller_order_id")
        .annotate(n=Sum("quantity"))
        .values_list("seller_order_id", "n")
    )
    platform = _platform_discounts(in_span)
    parts = SellerOrder.objects.filter(_placed_between("order__", start, end)).order_by("order_id", "id")
    for row in parts.values(
        "id",
        "order_id",
        "seller_id",
        "total_amount",
        "shipping_amount",
        "discount_amount",
        "shipped_at",
        days_max=F("shipping_method__delivery_days_max"),
    ):
        order = orders[row["order_id"]]
        order.parts.append(
            PartRow(
                id=row["id"],
                seller_id=row["seller_id"],
                total=row["total_amount"],
                shipping=row["shipping_amount"],
                discount=row["discount_amount"],
                discount_platform=platform.get(row["id"], 0),
                units=int(units.get(row["id"]) or 0),
                late=order.paid and _late(row["shipped_at"], row["days_max"], order.placed_at),
            )
        )
    return list(orders.values())


def _platform_discounts(lines_filter: Q) -> dict[int, int]:
    """Platform-funded discount per seller order, from the discounted lines' pricing explanations."""
    discounted = list(
        OrderLine.objects.filter(lines_filter, discount_amount__gt=0).values_list(
            "seller_order_id", "pricing_explanation"
        )
    )
    coupon_ids = {
        adjustment.get("rule_id")
        for _part, explanation in discounted
        for adjustment in explanation or []
        if adjustment.get("kind") == COUPON
    }
    platform_coupons = set(
        Coupon.objects.filter(pk__in=coupon_ids - {None}, seller__isnull=True).values_list("pk", flat=True)
    )
    by_part: dict[int, int] = defaultdict(int)
    for part_id, explanation in discounted:
        by_part[part_id] += _platform_share(explanation or [], platform_coupons)
    return by_part


def _platform_share(explanation: list[dict[str, Any]], platform_coupons: set[int]) -> int:
    return sum(
        int(adjustment.get("amount") or 0)
        for adjustment in explanation
        if adjustment.get("kind") == PLATFORM_TIER
        or (adjustment.get("kind") == COUPON and adjustment.get("rule_id") in platform_coupons)
    )


def _customers_paid_before(orders: Collection[OrderRow], before: datetime) -> set[str]:
    """The customers of ``orders`` who had a paid order placed before ``before``."""
    paid_before = Order.objects.filter(paid_at__isnull=False, placed_at__lt=before)
    buyers = {order.buyer_id for order in orders if order.buyer_id is not None}
    emails = {order.email.strip().lower() for order in orders if order.buyer_id is None}
    seen: set[str] = set()
    for batch in chunks(sorted(buyers)):
        found = paid_before.filter(buyer_id__in=batch).values_list("buyer_id", flat=True).distinct()
        seen.update(f"u:{buyer_id}" for buyer_id in found)
    for email_batch in chunks(sorted(emails)):
        found_emails = (
            paid_before.annotate(email_ci=Lower("email"))
            .filter(email_ci__in=email_batch)
            .values_list("email_ci", flat=True)
            .distinct()
        )
        seen.update(f"e:{email}" for email in found_emails)
    return seen


def customer_types(orders: list[OrderRow], *, before: datetime) -> dict[int, str]:
    """New or returning for each of ``orders`` (all placed at or after ``before``, in time order)."""
    seen = _customers_paid_before(orders, before)
    types: dict[int, str] = {}
    for order in sorted(orders, key=lambda o: (o.placed_at, o.id)):
        types[order.id] = VisitorType.RETURNING if order.customer in seen else VisitorType.NEW
        if order.paid:
            seen.add(order.customer)
    return types


def attributions_build(
    orders: list[OrderRow], links: dict[int, DayVisit], *, span: Span
) -> dict[int, Attribution]:
    """The attribution of the day's orders: the source and device of the visit each was placed in
    (direct and other without one) and the customer type."""
    types = customer_types(orders, before=span.start)
    attributions = {}
    for order in orders:
        visit = links.get(order.id)
        attributions[order.id] = Attribution(
            channel=visit.source.channel if visit else "direct",
            device=visit.measures.device if visit else "other",
            customer_type=types[order.id],
        )
    return attributions


def attributions_stored(order_ids: Collection[int]) -> dict[int, Attribution]:
    found: dict[int, Attribution] = {}
    for batch in chunks(sorted(order_ids)):
        for order_id, channel, device, customer_type in OrderAttribution.objects.filter(
            order_id__in=batch
        ).values_list("order_id", "channel", "device", "customer_type"):
            found[order_id] = Attribution(channel, device, customer_type)
    return found


def _customer_type_of(order: OrderRow) -> str:
    """New or returning for an order on its own (placed on a day never rolled up)."""
    earlier = Order.objects.filter(paid_at__isnull=False).filter(
        Q(placed_at__lt=order.placed_at) | Q(placed_at=order.placed_at, pk__lt=order.id)
    )
    if order.buyer_id is not None:
        earlier = earlier.filter(buyer_id=order.buyer_id)
    else:
        earlier = earlier.annotate(email_ci=Lower("email")).filter(email_ci=order.email.strip().lower())
    return VisitorType.RETURNING if earlier.exists() else VisitorType.NEW


def attributions_lookup(order_ids: Collection[int], known: dict[int, Attribution]) -> dict[int, Attribution]:
    """The attribution of any orders: the day's own (``known``), else as stored by the rollup of their
    placed day, else direct, other and the customer type worked out now."""
    found = {order_id: known[order_id] for order_id in order_ids if order_id in known}
    found.update(attributions_stored(set(order_ids) - found.keys()))
    missing = set(order_ids) - found.keys()
    for batch in chunks(sorted(missing)):
        for order in orders_by_id(batch):
            found[order.id] = Attribution(customer_type=_customer_type_of(order))
    return found


@dataclass(frozen=True)
class RefundRow:
    order_id: int
    seller_order_id: int
    seller_id: int
    amount: int
    currency: str
    lines: list[dict[str, Any]]


@dataclass(frozen=True)
class CancelRow:
    order_id: int
    seller_id: int  # 0: the whole order
    currency: str


@dataclass(frozen=True)
class CommissionRow:
    order_id: int | None
    seller_id: int | None
    currency: str
    amount: int  # commission earned (reversals and refunds negative)


@dataclass
class MoneyEvents:
    refunds: list[RefundRow]
    cancellations: list[CancelRow]
    commissions: list[CommissionRow]

    def order_ids(self) -> set[int]:
        ids = {r.order_id for r in self.refunds} | {c.order_id for c in self.cancellations}
        return ids | {c.order_id for c in self.commissions if c.order_id is not None}


def money_events_read(span: Span) -> MoneyEvents:
    """What happened to money on the day: refunds that succeeded (of seller orders, i.e. of sales; a
    refund of a payment never allocated to sellers is no sale's), cancellations of paid orders and
    parts, and the commission posted to the ledger (capture, refund and reversal entries), exactly the
    ledger's ``commission_revenue`` movement, credit positive."""
    refunds = [
        RefundRow(row[0], row[1], row[2], row[3], row[4], row[5] or [])
        for row in Refund.objects.filter(
            status=Refund.Status.SUCCEEDED,
            succeeded_at__gte=span.start,
            succeeded_at__lt=span.end,
            seller_order__isnull=False,
        )
        .order_by("id")
        .values_list(
            "seller_order__order_id",
            "seller_order_id",
            "seller_order__seller_id",
            "amount",
            "currency",
            "lines",
        )
    ]
    cancellations = [
        CancelRow(order_id, seller_id or 0, currency)
        for order_id, seller_id, currency in OrderEvent.objects.filter(
            kind=OrderEvent.Kind.STATUS,
            to_status=OrderStatus.CANCELLED,
            created_at__gte=span.start,
            created_at__lt=span.end,
        )
        .exclude(from_status=OrderStatus.PENDING_PAYMENT)
        .values_list("order_id", "seller_order__seller_id", "order__currency")
    ]
    commissions = [
        CommissionRow(
            row["entry__order_id"], row["seller_order__seller_id"], row["currency"], -int(row["total"])
        )
        for row in JournalLine.objects.filter(
            account__kind=LedgerAccount.Kind.COMMISSION_REVENUE,
            entry__created_at__gte=span.start,
            entry__created_at__lt=span.end,
        )
        .values("entry__order_id", "seller_order__seller_id", "currency")
        .annotate(total=Sum("amount"))
        .order_by("entry__order_id", "seller_order__seller_id", "currency")
    ]
    return MoneyEvents(refunds, cancellations, commissions)


def later_activity_days(order_ids: Collection[int], *, after: date) -> set[date]:
    """Days after ``after`` on which any of ``order_ids`` was refunded, cancelled or moved commission:
    the days whose facts carry the orders' attribution."""
    moments: list[datetime | None] = []
    for batch in chunks(sorted(order_ids)):
        moments += Refund.objects.filter(
            seller_order__order_id__in=batch, status=Refund.Status.SUCCEEDED
        ).values_list("succeeded_at", flat=True)
        moments += OrderEvent.objects.filter(
            order_id__in=batch, kind=OrderEvent.Kind.STATUS, to_status=OrderStatus.CANCELLED
        ).values_list("created_at", flat=True)
        moments += (
            JournalLine.objects.filter(
                entry__order_id__in=batch, account__kind=LedgerAccount.Kind.COMMISSION_REVENUE
            )
            .values_list("entry__created_at", flat=True)
            .distinct()
        )
    return {day for day in (local_day(m) for m in moments if m is not None) if day > after}


def attributions_changed(old: dict[int, Attribution], new: dict[int, Attribution]) -> set[int]:
    return {order_id for order_id in old.keys() | new.keys() if old.get(order_id) != new.get(order_id)}
