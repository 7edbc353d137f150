"""Sellers with money in the ledger, for the payout tests: a sale captured through the real commission
split (``order_allocate``) and ledger posting (``capture_post``), optionally completed some days ago and
released to the seller's available balance."""

from __future__ import annotations

import itertools
from datetime import timedelta

from django.utils import timezone

from accounts.models import SellerProfile
from orders.models import Order, OrderStatus, SellerOrder
from payments import ledger
from payments.commissions import order_allocate
from payments.models import Payment, SellerPayoutAccount
from tests.orders.factories_seller import paid_part

_serial = itertools.count(1)

# One line of 1 x 10.00 at the default 10 % commission, plus 4.95 shipping: the seller gets 9.00 + 4.95.
SALE_SELLER_AMOUNT = 1000 - 100 + 495


def captured_sale(
    *,
    seller: SellerProfile,
    quantities: tuple[int, ...] = (1,),
    currency: str = "USD",
    completed_days_ago: int | None = None,
) -> SellerOrder:
    """A paid order part of ``seller`` (1000 per unit, 495 shipping) whose payment was captured and
    split; completed ``completed_days_ago`` days ago when given (else still paid)."""
    part = paid_part(seller=seller, quantities=quantities, currency=currency)
    order = Order.objects.get(pk=part.order_id)
    payment = Payment.objects.create(
        order=order,
        provider="test",
        status=Payment.Status.CAPTURED,
        amount=order.total_amount,
        currency=currency,
        reference=f"test_payout_{next(_serial)}",
        captured_amount=order.total_amount,
        captured_at=timezone.now(),
    )
    ledger.capture_post(
        payment_id=payment.pk,
        order_id=order.pk,
        currency=currency,
        amount=order.total_amount,
        allocations=order_allocate(order_id=order.pk),
    )
    if completed_days_ago is not None:
        completed_at = timezone.now() - timedelta(days=completed_days_ago)
        SellerOrder.objects.filter(pk=part.pk).update(
            status=OrderStatus.COMPLETED, completed_at=completed_at, delivered_at=completed_at
        )
        Order.objects.filter(pk=order.pk).update(status=OrderStatus.COMPLETED)
    part.refresh_from_db()
    return part


def released_sale(*, seller: SellerProfile, **kwargs) -> SellerOrder:
    """A sale completed 30 days ago whose money is available to the seller."""
    part = captured_sale(seller=seller, completed_days_ago=30, **kwargs)
    ledger.funds_available_post(seller_id=seller.pk, seller_order_id=part.pk, currency=part.order.currency)
    return part


def bank_account_for(seller: SellerProfile, *, number: str = "GB33BUKB20201555555555") -> SellerPayoutAccount:
    return SellerPayoutAccount.objects.create(
        seller=seller, provider="manual", account_holder=seller.shop_name, bank_account=number
    )


def stripe_account_for(seller: SellerProfile, *, account_id: str = "acct_1TestSeller") -> SellerPayoutAccount:
    return SellerPayoutAccount.objects.create(
        seller=seller, provider="stripe_connect", stripe_account_id=account_id
    )
