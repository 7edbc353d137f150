"""Reads of an order's refunds for the order pages: what was paid, what has been given back and each
refund with its state. The shopper sees the whole order's; a seller only their own part's.

"Refunded" counts settled (succeeded) refunds only; a pending or failed refund is listed but gives
nothing back (yet). Refunds are listed in the order they were asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Sum

from payments.models import Payment, Refund


@dataclass(frozen=True)
class RefundRow:
    at: datetime  # when it settled, or when it was asked for while it has not
    amount: int
    currency: str
    reason_label: str
    status: str
    status_label: str
    shop_name: str  # the seller's part it refunds; blank for one of the whole payment


@dataclass(frozen=True)
class RefundSummary:
    currency: str
    paid_amount: int
    refunded_amount: int  # succeeded refunds
    refunds: list[RefundRow]

    @property
    def net_paid_amount(self) -> int:
        return self.paid_amount - self.refunded_amount

    @property
    def pending_amount(self) -> int:
        return sum(row.amount for row in self.refunds if row.status == Refund.Status.PENDING)

    @property
    def refunded_in_full(self) -> bool:
        return self.paid_amount > 0 and self.refunded_amount >= self.paid_amount


def _rows(refunds: list[Refund]) -> list[RefundRow]:
    return [
        RefundRow(
            at=refund.succeeded_at or refund.created_at,
            amount=refund.amount,
            currency=refund.currency,
            reason_label=refund.get_reason_display(),
            status=refund.status,
            status_label=refund.get_status_display(),
            shop_name=refund.seller_order.seller.shop_name if refund.seller_order else "",
        )
        for refund in refunds
    ]


def _refunded(refunds: list[Refund]) -> int:
    return sum(refund.amount for refund in refunds if refund.status == Refund.Status.SUCCEEDED)


def order_refund_summary(*, order_id: int) -> RefundSummary | None:
    """The shopper's view of an order's refunds, every seller's part and any refund of a whole payment
    (None when nothing was ever refunded). "Paid" is what the order's payments captured. One query
    without refunds, two with."""
    refunds = list(
        Refund.objects.filter(payment__order_id=order_id)
        .select_related("seller_order__seller")
        .order_by("created_at", "pk")
    )
    if not refunds:
        return None
    captured = Payment.objects.filter(order_id=order_id).aggregate(total=Sum("captured_amount"))["total"]
    return RefundSummary(
        currency=refunds[0].currency,
        paid_amount=captured or 0,
        refunded_amount=_refunded(refunds),
        refunds=_rows(refunds),
    )


def seller_order_refund_summary(*, seller_id: int, seller_order_id: int) -> RefundSummary | None:
    """A seller's view of the refunds of one of their order parts (None when there are none, or for
    another seller's part). "Paid" is the part's total. One query."""
    refunds = list(
        Refund.objects.filter(seller_order_id=seller_order_id, seller_order__seller_id=seller_id)
        .select_related("seller_order__seller")
        .order_by("created_at", "pk")
    )
    if not refunds:
        return None
    part = refunds[0].seller_order  # the one filtered on
    return RefundSummary(
        currency=refunds[0].currency,
        paid_amount=part.total_amount if part is not None else 0,
        refunded_amount=_refunded(refunds),
        refunds=_rows(refunds),
    )
