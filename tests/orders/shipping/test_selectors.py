"""Reads of shipping methods: checkout's one read of the sellers' active methods, bounded in queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orders.shipping.selectors import shipping_methods_for_sellers
from tests.factories import SellerProfileFactory
from tests.orders.factories_seller import ShippingMethodFactory

pytestmark = pytest.mark.django_db


def test_shipping_methods_for_sellers_gives_active_methods_by_position_per_seller():
    a, b, c = SellerProfileFactory(), SellerProfileFactory(), SellerProfileFactory()
    second = ShippingMethodFactory(seller=a, position=2, name="Express")
    first = ShippingMethodFactory(seller=a, position=1, name="Standard")
    ShippingMethodFactory(seller=a, position=0, is_active=False)
    only_b = ShippingMethodFactory(seller=b)
    ShippingMethodFactory(seller=c)

    with CaptureQueriesContext(connection) as queries:
        result = shipping_methods_for_sellers(seller_ids=[a.pk, b.pk])

    assert result == {a.pk: [first, second], b.pk: [only_b]}
    assert len(queries) == 1
    assert shipping_methods_for_sellers(seller_ids=[]) == {}
