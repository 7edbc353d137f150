"""Seller funds become available once an order part has been completed for the return window."""

from datetime import timedelta

import pytest
from django.utils import timezone

from orders.models import OrderStatus
from payments import ledger
from payments.models import JournalEntry, Refund
from payments.services_payouts import seller_funds_release
from payments.tasks_payouts import seller_funds_release_task
from tests.factories import SellerProfileFactory
from tests.payments.factories_payouts import SALE_SELLER_AMOUNT, captured_sale

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _payout_settings(settings):
    settings.COMMISSION_DEFAULT_BP = 1000
    settings.SELLER_FUNDS_HOLD_DAYS = 14


def _balance(seller, currency="USD"):
    [balance] = [b for b in ledger.seller_balances(seller_id=seller.pk) if b.currency == currency]
    return balance


def test_a_part_completed_longer_ago_than_the_hold_is_released_and_a_recent_one_is_not():
    # given
    seller = SellerProfileFactory()
    old = captured_sale(seller=seller, completed_days_ago=15)
    captured_sale(seller=seller, completed_days_ago=13)

    # when
    released = seller_funds_release(now=timezone.now())

    # then
    assert released == 1
    balance = _balance(seller)
    assert (balance.pending, balance.available) == (SALE_SELLER_AMOUNT, SALE_SELLER_AMOUNT)
    assert (
        ledger.seller_order_pending_balance(seller_order_id=old.pk, seller_id=seller.pk, currency="USD") == 0
    )


def test_parts_not_completed_yet_stay_pending_however_old():
    seller = SellerProfileFactory()
    part = captured_sale(seller=seller)
    type(part).objects.filter(pk=part.pk).update(
        status=OrderStatus.DELIVERED, delivered_at=timezone.now() - timedelta(days=60)
    )

    assert seller_funds_release(now=timezone.now()) == 0
    assert _balance(seller).pending == SALE_SELLER_AMOUNT


def test_release_is_idempotent_one_entry_per_part():
    seller = SellerProfileFactory()
    part = captured_sale(seller=seller, completed_days_ago=20)

    first = seller_funds_release(now=timezone.now())
    second = seller_funds_release(now=timezone.now())

    assert (first, second) == (1, 0)
    assert JournalEntry.objects.filter(key=f"available:{part.pk}").count() == 1
    assert _balance(seller).available == SALE_SELLER_AMOUNT


def test_the_hold_follows_the_setting(settings):
    settings.SELLER_FUNDS_HOLD_DAYS = 3
    seller = SellerProfileFactory()
    captured_sale(seller=seller, completed_days_ago=4)

    assert seller_funds_release(now=timezone.now()) == 1


def test_what_a_refund_took_back_before_release_is_not_released():
    # given a completed part of which 500 was refunded from the seller's pending money
    seller = SellerProfileFactory()
    part = captured_sale(seller=seller, completed_days_ago=20)
    payment = part.order.payments.get()
    refund = Refund.objects.create(
        payment=payment,
        seller_order=part,
        amount=500,
        currency="USD",
        status=Refund.Status.SUCCEEDED,
        idempotency_key="refund:test:release",
        seller_amount=450,
        commission_amount=50,
    )
    ledger.refund_post(
        refund_id=refund.pk,
        payment_id=payment.pk,
        order_id=part.order_id,
        currency="USD",
        amount=500,
        seller_id=seller.pk,
        seller_order_id=part.pk,
        seller_amount=450,
        commission=50,
        promotions=0,
    )

    # when
    seller_funds_release(now=timezone.now())

    # then only the rest becomes available, and the books still balance
    balance = _balance(seller)
    assert (balance.pending, balance.available) == (0, SALE_SELLER_AMOUNT - 450)
    assert ledger.ledger_problems() == []


def test_each_seller_and_currency_is_released_on_its_own():
    alice, bob = SellerProfileFactory(), SellerProfileFactory()
    captured_sale(seller=alice, completed_days_ago=20)
    captured_sale(seller=bob, completed_days_ago=20, currency="EUR")

    assert seller_funds_release_task.apply().get() == 2

    assert _balance(alice).available == SALE_SELLER_AMOUNT
    assert _balance(bob, "EUR").available == SALE_SELLER_AMOUNT
