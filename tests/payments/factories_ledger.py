"""Records the ledger's invariants are checked against, built row by row: a captured sale (order, seller
parts, lines, their fixed commission, the payment) and payouts. The tests post the ledger entries
themselves, so what is under test is the posting, not these rows."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone

from accounts.models import SellerProfile
from orders.models import Order, OrderStatus, SellerOrder
from payments.ledger import SellerAllocation
from payments.models import LineCommission, Payment, Payout, Refund
from tests.orders.factories_seller import OrderFactory, OrderLineFactory, SellerOrderFactory

_serial = itertools.count(1)


@dataclass(frozen=True)
class LineSpec:
    """One order line: the seller's price (``base``), the platform's commission on it and the
    platform-funded discount the shopper got (so the shopper paid ``base - platform_discount``)."""

    base: int
    commission: int = 0
    platform_discount: int = 0


@dataclass(frozen=True)
class PartSpec:
    seller: SellerProfile
    lines: Sequence[LineSpec]
    shipping: int = 0


@dataclass
class Sale:
    order: Order
    payment: Payment
    parts: list[SellerOrder]
    allocations: list[SellerAllocation]

    @property
    def amount(self) -> int:
        return self.payment.captured_amount


def sale_create(*, parts: Sequence[PartSpec], currency: str = "USD", allocate: bool = True) -> Sale:
    """A paid order of ``parts`` with its payment captured in full. With ``allocate`` the lines'
    commission is fixed (``LineCommission`` rows) and ``allocations`` is each seller's share, as
    ``payments.commissions.order_allocate`` would return it; without, nothing is allocated (an order
    cancelled before its money arrived)."""
    order = OrderFactory(buyer=None, email="buyer@example.com", currency=currency)
    seller_orders, allocations, total = [], [], 0
    for spec in parts:
        part = SellerOrderFactory(
            order=order, seller=spec.seller, shipping_amount=spec.shipping, status=OrderStatus.PAID
        )
        commissions = []
        for line_spec in spec.lines:
            line = OrderLineFactory(
                seller_order=part,
                variant=None,
                unit_price_amount=line_spec.base,
                discount_amount=line_spec.platform_discount,
            )
            commissions.append(
                LineCommission(
                    order_line=line,
                    seller_order=part,
                    seller=spec.seller,
                    base_amount=line_spec.base,
                    platform_discount_amount=line_spec.platform_discount,
                    rate_bp=0,
                    rate_source="test",
                    amount=line_spec.commission,
                    currency=currency,
                )
            )
        if allocate:
            LineCommission.objects.bulk_create(commissions)
        subtotal = sum(s.base - s.platform_discount for s in spec.lines)
        SellerOrder.objects.filter(pk=part.pk).update(
            subtotal_amount=subtotal, total_amount=subtotal + spec.shipping
        )
        total += subtotal + spec.shipping
        seller_orders.append(part)
        allocations.append(
            SellerAllocation(
                seller_id=spec.seller.pk,
                seller_order_id=part.pk,
                seller_amount=sum(s.base - s.commission for s in spec.lines) + spec.shipping,
                commission=sum(s.commission for s in spec.lines),
                promotions=sum(s.platform_discount for s in spec.lines),
            )
        )
    Order.objects.filter(pk=order.pk).update(total_amount=total)
    payment = Payment.objects.create(
        order=order,
        provider="test",
        status=Payment.Status.CAPTURED,
        amount=total,
        currency=currency,
        reference=f"test_pay_{next(_serial)}",
        captured_amount=total,
        captured_at=timezone.now(),
    )
    return Sale(
        order=order, payment=payment, parts=seller_orders, allocations=allocations if allocate else []
    )


def refund_record(
    *,
    payment: Payment,
    amount: int,
    seller_order: SellerOrder | None = None,
    seller_amount: int = 0,
    commission: int = 0,
    promotions: int = 0,
    status: str = Refund.Status.SUCCEEDED,
) -> Refund:
    """The refund row (succeeded unless told), with the payment's refunded amount kept in step."""
    refund = Refund.objects.create(
        payment=payment,
        seller_order=seller_order,
        amount=amount,
        currency=payment.currency,
        status=status,
        idempotency_key=f"refund:test:{next(_serial)}",
        seller_amount=seller_amount,
        commission_amount=commission,
        promotions_amount=promotions,
        succeeded_at=timezone.now() if status == Refund.Status.SUCCEEDED else None,
    )
    if status == Refund.Status.SUCCEEDED:
        payment.refunded_amount += amount
        Payment.objects.filter(pk=payment.pk).update(refunded_amount=payment.refunded_amount)
    return refund


def payout_record(
    *, seller: SellerProfile, amount: int, currency: str = "USD", status: str = Payout.Status.PENDING
) -> Payout:
    return Payout.objects.create(
        seller=seller,
        amount=amount,
        currency=currency,
        status=status,
        provider="manual",
        run_key=f"test-run-{next(_serial)}",
    )
