"""What the order pages read of refunds: only succeeded refunds count as refunded, every refund is listed
with its state, a seller reads only their own part's, in a bounded number of queries."""

import itertools

import pytest
from django.utils import translation

from payments.models import Payment, Refund
from payments.selectors_refunds import order_refund_summary, seller_order_refund_summary
from tests.factories import SellerProfileFactory
from tests.payments.factories_payouts import captured_sale

pytestmark = pytest.mark.django_db

_keys = itertools.count(1)


def _refund(part, amount, status, reason=Refund.Reason.RETURN, seller_order=True):
    return Refund.objects.create(
        payment=Payment.objects.get(order_id=part.order_id),
        seller_order=part if seller_order else None,
        amount=amount,
        currency="USD",
        reason=reason,
        status=status,
        idempotency_key=f"test:{next(_keys)}",
    )


def test_only_succeeded_refunds_count_and_every_refund_is_listed_in_order():
    # given a captured part of 2 x 10.00 + 4.95 shipping with a succeeded, a pending and a failed refund
    seller = SellerProfileFactory()
    part = captured_sale(seller=seller, quantities=(2,))
    _refund(part, 1000, Refund.Status.SUCCEEDED)
    _refund(part, 495, Refund.Status.PENDING, reason=Refund.Reason.GOODWILL)
    _refund(part, 700, Refund.Status.FAILED)

    # when
    with translation.override("en"):
        summary = seller_order_refund_summary(seller_id=seller.pk, seller_order_id=part.pk)

    # then
    assert (summary.paid_amount, summary.refunded_amount, summary.net_paid_amount) == (2495, 1000, 1495)
    assert summary.pending_amount == 495
    assert summary.refunded_in_full is False
    assert [(r.amount, r.reason_label, r.status, r.status_label) for r in summary.refunds] == [
        (1000, "Return accepted", "succeeded", "Succeeded"),
        (495, "Goodwill", "pending", "Pending"),
        (700, "Return accepted", "failed", "Failed"),
    ]


def test_the_shopper_reads_every_parts_refunds_and_those_of_the_whole_payment():
    seller = SellerProfileFactory(shop_name="Attic")
    part = captured_sale(seller=seller, quantities=(1,))
    _refund(part, 1000, Refund.Status.SUCCEEDED)
    _refund(part, 495, Refund.Status.SUCCEEDED, reason=Refund.Reason.OTHER, seller_order=False)

    summary = order_refund_summary(order_id=part.order_id)

    assert (summary.paid_amount, summary.refunded_amount, summary.net_paid_amount) == (1495, 1495, 0)
    assert summary.refunded_in_full is True
    assert [r.shop_name for r in summary.refunds] == ["Attic", ""]


def test_nothing_without_refunds_nor_for_another_sellers_part():
    seller = SellerProfileFactory()
    part = captured_sale(seller=seller)
    untouched = captured_sale(seller=seller)
    _refund(part, 500, Refund.Status.SUCCEEDED)

    assert seller_order_refund_summary(seller_id=SellerProfileFactory().pk, seller_order_id=part.pk) is None
    assert seller_order_refund_summary(seller_id=seller.pk, seller_order_id=untouched.pk) is None
    assert order_refund_summary(order_id=untouched.order_id) is None


def test_many_refunds_are_read_in_a_fixed_number_of_queries(django_assert_num_queries):
    seller = SellerProfileFactory()
    part = captured_sale(seller=seller, quantities=(5,))
    for _ in range(5):
        _refund(part, 100, Refund.Status.SUCCEEDED)

    with django_assert_num_queries(1):
        seller_summary = seller_order_refund_summary(seller_id=seller.pk, seller_order_id=part.pk)
    with django_assert_num_queries(2):
        order_summary = order_refund_summary(order_id=part.order_id)

    assert len(seller_summary.refunds) == len(order_summary.refunds) == 5
