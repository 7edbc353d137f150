"""The commission a seller sees on one of their orders: per line, with the rate and where it came from."""

import pytest
from django.utils import translation

from payments.models import SellerCommission
from payments.selectors_payouts import rate_percent_text, rate_source_label, seller_order_commission
from tests.factories import SellerProfileFactory
from tests.orders.factories_seller import paid_part
from tests.payments.factories_payouts import captured_sale


@pytest.fixture(autouse=True)
def _payout_settings(settings):
    settings.COMMISSION_DEFAULT_BP = 1000


def test_rates_read_as_percentages_without_trailing_zeros():
    assert [rate_percent_text(bp) for bp in (1000, 250, 1005, 0, 10_000)] == [
        "10",
        "2.5",
        "10.05",
        "0",
        "100",
    ]


def test_rate_sources_read_as_words():
    with translation.override("en"):
        labels = [rate_source_label(s) for s in ("seller", "category:7", "default")]

    assert labels == [
        "Your agreed rate",
        "Category rate",
        "Standard rate",
    ]


@pytest.mark.django_db
def test_a_captured_order_shows_each_lines_commission_and_what_the_seller_receives():
    # given a seller with an agreed 2.5 % rate and an order of 2 x 10.00 and 1 x 10.00 plus 4.95 shipping
    seller = SellerProfileFactory()
    SellerCommission.objects.create(seller=seller, rate_bp=250)
    part = captured_sale(seller=seller, quantities=(2, 1))

    # when
    commission = seller_order_commission(seller_id=seller.pk, seller_order_id=part.pk)

    # then
    assert [
        (line.base_amount, line.rate_percent, line.rate_source, line.amount) for line in commission.lines
    ] == [
        (2000, "2.5", "Your agreed rate", 50),
        (1000, "2.5", "Your agreed rate", 25),
    ]
    assert (commission.sales_amount, commission.commission_amount, commission.shipping_amount) == (
        3000,
        75,
        495,
    )
    assert commission.net_amount == 3000 - 75 + 495
    assert commission.currency == "USD"


@pytest.mark.django_db
def test_no_commission_before_capture_nor_for_another_sellers_order():
    seller, other = SellerProfileFactory(), SellerProfileFactory()
    part = captured_sale(seller=seller)
    unpaid = paid_part(seller=seller)

    assert seller_order_commission(seller_id=other.pk, seller_order_id=part.pk) is None
    assert seller_order_commission(seller_id=seller.pk, seller_order_id=unpaid.pk) is None


@pytest.mark.django_db
def test_the_commission_is_read_in_one_query(django_assert_num_queries):
    seller = SellerProfileFactory()
    part = captured_sale(seller=seller, quantities=(1, 1, 1))

    with django_assert_num_queries(1):
        commission = seller_order_commission(seller_id=seller.pk, seller_order_id=part.pk)

    assert len(commission.lines) == 3
