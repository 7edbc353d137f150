"""Seller-portal reads of orders: scoped to the seller, bounded in queries."""

import pytest

from orders.lifecycle.selectors import (
    seller_order_counts,
    seller_order_get,
    seller_order_list,
    seller_order_remaining,
    seller_order_timeline,
)
from orders.models import OrderEvent, OrderStatus
from orders.shipping.services import shipment_create
from tests.factories import SellerProfileFactory
from tests.orders.factories_seller import SellerOrderFactory, paid_part

pytestmark = pytest.mark.django_db


def test_seller_order_list_is_the_sellers_own_newest_first_and_filters_by_status():
    seller = SellerProfileFactory()
    old = paid_part(seller=seller, quantities=(2, 3))
    new = paid_part(seller=seller, quantities=(1,), status=OrderStatus.SHIPPED)
    paid_part()  # someone else's

    everything = list(seller_order_list(seller_id=seller.pk))
    shipped = list(seller_order_list(seller_id=seller.pk, status="shipped"))
    unknown = list(seller_order_list(seller_id=seller.pk, status="nonsense"))

    assert everything == [new, old]
    assert (everything[1].item_count, everything[1].line_count) == (5, 2)
    assert shipped == [new]
    assert unknown == [new, old]


def test_seller_order_counts_count_every_status_and_what_is_to_ship():
    seller = SellerProfileFactory()
    for status in ("paid", "paid", "processing", "shipped", "cancelled"):
        SellerOrderFactory(seller=seller, status=status)
    SellerOrderFactory(status="paid")  # someone else's

    counts = seller_order_counts(seller_id=seller.pk)

    assert counts == {
        "pending_payment": 0,
        "paid": 2,
        "processing": 1,
        "shipped": 1,
        "delivered": 0,
        "completed": 0,
        "cancelled": 1,
        "to_ship": 3,
    }


def test_seller_order_get_is_none_for_another_seller_and_knows_what_remains():
    part = paid_part(quantities=(3, 1))
    a, b = part.lines.order_by("pk")
    shipment_create(
        seller_order_id=part.pk,
        seller_id=part.seller_id,
        carrier="UPS",
        tracking_number="1Z0001",
        quantities={a.pk: 2},
    )

    assert seller_order_get(seller_id=SellerProfileFactory().pk, seller_order_id=part.pk) is None
    got = seller_order_get(seller_id=part.seller_id, seller_order_id=part.pk)
    assert [(line.pk, line.shipped_quantity, line.remaining_quantity) for line in got.lines.all()] == [
        (a.pk, 2, 1),
        (b.pk, 0, 1),
    ]
    assert seller_order_remaining(seller_order_id=part.pk) == {a.pk: 1, b.pk: 1}


def test_the_timeline_shows_this_part_and_the_whole_order_but_not_another_sellers_part():
    part = paid_part()
    other = SellerOrderFactory(order=part.order)
    mine = OrderEvent.objects.create(
        order=part.order, seller_order=part, actor_kind="seller", to_status="processing"
    )
    whole = OrderEvent.objects.create(order=part.order, actor_kind="system", to_status="paid")
    OrderEvent.objects.create(
        order=part.order, seller_order=other, actor_kind="seller", to_status="cancelled"
    )

    assert list(seller_order_timeline(seller_order=part)) == [mine, whole]
