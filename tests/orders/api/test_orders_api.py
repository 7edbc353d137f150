"""The shopper's orders (/api/orders/): their own list and details only, and cancelling."""

import pytest

from orders.models import Order, OrderEvent, OrderStatus
from orders.shipping.services import shipment_create
from tests.factories import UserFactory
from tests.orders.api.conftest import client_for, place_order

pytestmark = pytest.mark.django_db

LIST_URL = "/api/orders/"


def test_the_list_holds_only_the_shoppers_own_orders(api, shopper, variant):
    mine = place_order(shopper, [(variant, 1)])
    place_order(UserFactory(), [(variant, 1)])

    response = api.get(LIST_URL)

    assert response.status_code == 200
    assert response.json()["count"] == 1
    [item] = response.json()["results"]
    assert item["number"] == mine.number
    assert item["status"] == OrderStatus.PAID
    assert item["total_amount"] == 1999
    assert [part["seller"]["shop_name"] for part in item["parts"]] == ["Attic"]


def test_the_list_reads_a_bounded_number_of_queries(api, shopper, variant, django_assert_max_num_queries):
    for _ in range(5):
        place_order(shopper, [(variant, 1)], paid=False)

    with django_assert_max_num_queries(8):
        response = api.get(LIST_URL)

    assert response.json()["count"] == 5


def test_the_list_needs_a_signed_in_shopper():
    assert client_for().get(LIST_URL).status_code == 403


def test_the_detail_shows_parts_lines_and_timeline(api, shopper, variant):
    order = place_order(shopper, [(variant, 2)])

    response = api.get(f"{LIST_URL}{order.number}/")

    assert response.status_code == 200
    body = response.json()
    assert body["number"] == order.number
    assert body["status"] == OrderStatus.PAID
    assert body["totals"]["total_amount"] == 3998
    assert body["cancellable"] is True
    assert body["payment"] is None
    [part] = body["parts"]
    assert part["status"] == OrderStatus.PAID
    [line] = part["lines"]
    assert (line["sku"], line["quantity"], line["unit_price_amount"]) == ("TEAPOT-1", 2, 1999)
    assert part["shipments"] == []
    assert body["timeline"][0]["to_status"] == OrderStatus.PENDING_PAYMENT
    assert body["timeline"][-1]["to_status"] == OrderStatus.PAID


def test_another_shoppers_order_is_a_404(variant):
    owner, intruder = UserFactory(), UserFactory()
    order = place_order(owner, [(variant, 1)])

    assert client_for(intruder).get(f"{LIST_URL}{order.number}/").status_code == 404
    assert client_for().get(f"{LIST_URL}{order.number}/").status_code == 404
    assert client_for(intruder).get(f"{LIST_URL}NOSUCHORDER/").status_code == 404


def test_another_shopper_cannot_cancel_and_nothing_changes(variant):
    owner, intruder = UserFactory(), UserFactory()
    order = place_order(owner, [(variant, 1)])
    events = OrderEvent.objects.count()

    response = client_for(intruder).post(
        f"{LIST_URL}{order.number}/cancel/", {"reason": "mine now"}, format="json"
    )

    assert response.status_code == 404
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert OrderEvent.objects.count() == events


def test_the_shopper_cancels_their_order(api, shopper, variant):
    order = place_order(shopper, [(variant, 1)])

    response = api.post(f"{LIST_URL}{order.number}/cancel/", {"reason": "Changed my mind"}, format="json")

    assert response.status_code == 200
    assert response.json()["status"] == OrderStatus.CANCELLED
    assert response.json()["cancellable"] is False
    assert Order.objects.get(pk=order.pk).cancel_reason == "Changed my mind"


def test_a_shipped_order_cannot_be_cancelled(api, shopper, variant, seller):
    order = place_order(shopper, [(variant, 1)])
    shipment_create(
        seller_order_id=order.seller_orders.get().pk,
        seller_id=seller.pk,
        carrier="DHL",
        tracking_number="TRACK-1",
    )

    response = api.post(f"{LIST_URL}{order.number}/cancel/", {}, format="json")

    assert response.status_code == 400
    assert Order.objects.get(pk=order.pk).status == OrderStatus.SHIPPED


def test_a_too_long_reason_is_a_400(api, shopper, variant):
    order = place_order(shopper, [(variant, 1)])

    response = api.post(f"{LIST_URL}{order.number}/cancel/", {"reason": "x" * 501}, format="json")

    assert response.status_code == 400
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PAID


def test_the_api_root_links_the_orders_api():
    response = client_for().get("/api/")

    assert response.json()["cart"] == "http://testserver/api/orders/cart/"
    assert response.json()["orders"] == "http://testserver/api/orders/"
    assert response.json()["checkout"] == "http://testserver/api/orders/checkout/"
    assert response.json()["seller-orders"] == "http://testserver/api/seller/orders/"
