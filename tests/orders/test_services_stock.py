"""An order's stock: reserving the last units sells the product out, cancelling gives them back and the
product is in stock again (``Product.in_stock``, kept by the catalog's stock services)."""

import pytest

from catalog.models import Product
from orders.lifecycle.services import order_cancel_by_shopper
from tests.factories import ProductVariantFactory, UserFactory
from tests.orders.factories import order_place, purchasable_variant

pytestmark = pytest.mark.django_db


def _in_stock(product_id: int) -> bool:
    return Product.objects.values_list("in_stock", flat=True).get(pk=product_id)


def test_an_order_for_the_last_units_sells_the_product_out_and_its_cancellation_brings_it_back():
    # given a product with two SKUs, one already sold out, and another product with units to spare
    shopper = UserFactory()
    last = purchasable_variant(stock=2)
    ProductVariantFactory(product=last.product, stock=0)
    spare = purchasable_variant(stock=5)

    # when the shopper orders the last units, then cancels
    order = order_place(user=shopper, lines=[(last, 2), (spare, 1)])
    after_order = (_in_stock(last.product_id), _in_stock(spare.product_id))
    order_cancel_by_shopper(order_id=order.pk, user_id=shopper.pk)

    # then
    assert after_order == (False, True)
    assert (_in_stock(last.product_id), _in_stock(spare.product_id)) == (True, True)
