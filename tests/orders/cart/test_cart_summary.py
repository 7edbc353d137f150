"""The cart as the shopper sees it: a fixed number of queries whatever its size, and the lighter read that
leaves the prices out."""

import pytest
from django.utils import timezone

from catalog.models import Product
from orders.cart.selectors import cart_summary
from orders.models import ShippingMethod
from tests.factories import SellerProfileFactory
from tests.orders.factories import cart_with_lines, purchasable_variant

pytestmark = pytest.mark.django_db


def _cart_of_two_shops():
    north, south = SellerProfileFactory(), SellerProfileFactory()
    ShippingMethod.objects.create(seller=north, name="Post", flat_amount=300)
    ShippingMethod.objects.create(seller=south, name="Courier", flat_amount=900)
    lines = [
        (purchasable_variant(seller=north, price=1000), 1),
        (purchasable_variant(seller=north, price=500), 2),
        (purchasable_variant(seller=south, price=2500), 1),
    ]
    return cart_with_lines(lines=lines), north, south


def test_a_priced_summary_takes_four_queries_whatever_the_cart_holds(django_assert_num_queries):
    cart, north, south = _cart_of_two_shops()

    # The lines with their SKUs, flash sales, spend tiers, shipping methods.
    with django_assert_num_queries(4):
        summary = cart_summary(cart_id=cart.pk, now=timezone.now())

    assert [g.seller.pk for g in summary.groups] == [north.pk, south.pk]
    assert (summary.pricing.subtotal, summary.pricing.shipping, summary.pricing.total) == (
        4500,
        1200,
        5700,
    )
    assert summary.ready is True


def test_a_summary_without_prices_reads_only_the_lines_and_the_shipping_methods(django_assert_num_queries):
    cart, north, _south = _cart_of_two_shops()
    hidden = cart.lines.order_by("pk").last().variant.product
    Product.objects.filter(pk=hidden.pk).update(status=Product.Status.DELISTED)

    with django_assert_num_queries(2):
        summary = cart_summary(cart_id=cart.pk, now=timezone.now(), with_prices=False)

    assert summary.pricing is None
    assert [i.purchasable for i in summary.items] == [True, True, False]
    assert [m.name for m in summary.groups[0].shipping_methods] == ["Post"]
    assert summary.groups[0].seller.pk == north.pk


def test_a_cart_that_is_gone_reads_as_empty(django_assert_num_queries):
    # No lines, so no SKUs and no shipping methods to read; the platform's spend tiers are still read.
    with django_assert_num_queries(2):
        summary = cart_summary(cart_id=987_654, now=timezone.now())

    assert (summary.items, summary.groups, summary.pricing) == ([], [], None)
    assert cart_summary(cart_id=None, now=timezone.now()).items == []
