"""The seller API for orders (/api/seller/orders/, shipments/, reviews/): API key auth, the seller's own
parts only (another seller's id is a 404 and nothing changes), shipping, tracking, cancelling."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.services import seller_suspend
from orders.models import OrderEvent, OrderStatus, SellerOrder, Shipment, ShipmentEvent
from orders.shipping.services import shipment_create
from tests.factories import (
    OperatorFactory,
    ProductFactory,
    ProductVariantFactory,
    SellerProfileFactory,
    UserFactory,
)
from tests.orders.api.conftest import client_for, place_order, seller_client

pytestmark = pytest.mark.django_db

URL = "/api/seller/orders/"


@pytest.fixture
def part(variant):
    """A paid part of an order for 2 teapots."""
    return place_order(UserFactory(), [(variant, 2)]).seller_orders.get()


@pytest.fixture
def seller_api(seller):
    return seller_client(seller)


@pytest.fixture
def intruder():
    return seller_client(SellerProfileFactory(shop_name="Rival"))


def test_the_list_holds_the_sellers_own_parts(seller_api, part):
    other_variant = ProductVariantFactory(product=ProductFactory(title="Kettle"))
    place_order(UserFactory(), [(other_variant, 1)])

    response = seller_api.get(URL)

    assert response.status_code == 200
    assert response.json()["count"] == 1
    [item] = response.json()["results"]
    assert item["id"] == part.pk
    assert item["order_number"] == part.order.number
    assert item["status"] == OrderStatus.PAID
    assert item["ship_to_name"] == "Ada Lovelace"
    assert (item["item_count"], item["line_count"], item["total_amount"]) == (2, 1, 3998)


def test_the_list_filters_by_status(seller_api, part, variant):
    unpaid = place_order(UserFactory(), [(variant, 1)], paid=False).seller_orders.get()

    paid = seller_api.get(URL, {"status": "paid"}).json()["results"]
    pending = seller_api.get(URL, {"status": "pending_payment"}).json()["results"]
    bad = seller_api.get(URL, {"status": "lost"})

    assert [p["id"] for p in paid] == [part.pk]
    assert [p["id"] for p in pending] == [unpaid.pk]
    assert bad.status_code == 400


def test_the_list_reads_a_bounded_number_of_queries(seller_api, variant, django_assert_max_num_queries):
    for _ in range(5):
        place_order(UserFactory(), [(variant, 1)])

    with django_assert_max_num_queries(10):
        response = seller_api.get(URL)

    assert response.json()["count"] == 5


def test_the_detail_shows_address_lines_and_timeline(seller_api, part):
    response = seller_api.get(f"{URL}{part.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert body["shipping_address"]["postal_code"] == "N1 9GU"
    [line] = body["lines"]
    assert (line["sku"], line["quantity"], line["shipped_quantity"], line["remaining_quantity"]) == (
        "TEAPOT-1",
        2,
        0,
        2,
    )
    assert body["timeline"][-1]["to_status"] == OrderStatus.PAID


def test_without_credentials_it_is_a_401_and_a_shopper_gets_a_403(part):
    assert client_for().get(URL).status_code == 401
    assert client_for(UserFactory()).get(URL).status_code == 403
    assert client_for(OperatorFactory()).get(URL).status_code == 403


def test_a_suspended_seller_is_cut_off(seller, seller_api, part):
    seller_suspend(seller_id=seller.pk, reason="Fraud", actor=OperatorFactory())

    assert seller_api.get(URL).status_code == 403


def test_the_portal_session_works_with_its_csrf_token(seller, part):
    session = client_for(seller.user, csrf=True)

    assert session.get(f"{URL}{part.pk}/").status_code == 200
    assert session.post(f"{URL}{part.pk}/processing/").status_code == 403
    assert SellerOrder.objects.get(pk=part.pk).status == OrderStatus.PAID


def test_shipping_everything_marks_the_part_shipped(seller_api, part):
    response = seller_api.post(
        f"{URL}{part.pk}/shipments/", {"carrier": "DHL", "tracking_number": "JD0001"}, format="json"
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["carrier"], body["tracking_number"], body["status"]) == ("DHL", "JD0001", "shipped")
    assert body["lines"] == [{"order_line": part.lines.get().pk, "quantity": 2}]
    assert [event["status"] for event in body["events"]] == ["shipped"]
    assert SellerOrder.objects.get(pk=part.pk).status == OrderStatus.SHIPPED


def test_shipping_some_lines_keeps_the_part_processing(seller_api, part):
    line = part.lines.get()

    response = seller_api.post(
        f"{URL}{part.pk}/shipments/",
        {"carrier": "DHL", "tracking_number": "JD0002", "lines": [{"order_line": line.pk, "quantity": 1}]},
        format="json",
    )

    assert response.status_code == 201
    assert SellerOrder.objects.get(pk=part.pk).status == OrderStatus.PROCESSING
    detail = seller_api.get(f"{URL}{part.pk}/").json()
    assert (detail["lines"][0]["shipped_quantity"], detail["lines"][0]["remaining_quantity"]) == (1, 1)


@pytest.mark.parametrize(
    "lines",
    [
        [{"order_line": "LINE", "quantity": 3}],
        [{"order_line": "LINE", "quantity": 0}],
        [{"order_line": "LINE", "quantity": -1}],
        [{"order_line": 999999, "quantity": 1}],
        [{"order_line": "LINE", "quantity": 1}, {"order_line": "LINE", "quantity": 1}],
        [],
    ],
)
def test_bad_shipment_lines_are_a_400_and_ship_nothing(seller_api, part, lines):
    line_id = part.lines.get().pk
    rows = [
        {**row, "order_line": line_id if row["order_line"] == "LINE" else row["order_line"]} for row in lines
    ]

    response = seller_api.post(
        f"{URL}{part.pk}/shipments/",
        {"carrier": "DHL", "tracking_number": "JD0003", "lines": rows},
        format="json",
    )

    assert response.status_code == 400
    assert "lines" in response.json()
    assert not Shipment.objects.exists()
    assert SellerOrder.objects.get(pk=part.pk).status == OrderStatus.PAID


def test_a_duplicate_tracking_number_is_a_400(seller_api, part, variant):
    other = place_order(UserFactory(), [(variant, 1)]).seller_orders.get()
    seller_api.post(
        f"{URL}{part.pk}/shipments/", {"carrier": "DHL", "tracking_number": "JD0004"}, format="json"
    )

    response = seller_api.post(
        f"{URL}{other.pk}/shipments/", {"carrier": "DHL", "tracking_number": "JD0004"}, format="json"
    )

    assert response.status_code == 400
    assert "tracking_number" in response.json()
    assert Shipment.objects.count() == 1


def test_tracking_updates_lead_to_delivery(seller_api, part):
    shipment_id = seller_api.post(
        f"{URL}{part.pk}/shipments/", {"carrier": "DHL", "tracking_number": "JD0005"}, format="json"
    ).json()["id"]
    events_url = f"/api/seller/shipments/{shipment_id}/events/"

    in_transit = seller_api.post(
        events_url,
        {"status": "in_transit", "location": "Leipzig", "occurred_at": timezone.now().isoformat()},
        format="json",
    )
    delivered = seller_api.post(
        events_url, {"status": "delivered", "description": "Left at door"}, format="json"
    )

    assert in_transit.status_code == 201
    assert delivered.status_code == 201
    assert [e["status"] for e in delivered.json()["events"]] == ["shipped", "in_transit", "delivered"]
    assert delivered.json()["status"] == "delivered"
    assert SellerOrder.objects.get(pk=part.pk).status == OrderStatus.DELIVERED


@pytest.mark.parametrize(
    "body",
    [
        {"status": "lost"},
        {"status": "shipped"},
        {"status": "in_transit", "occurred_at": "yesterday"},
        {"status": "in_transit", "occurred_at": "2999-01-01T00:00:00Z"},
        {"status": "in_transit", "location": "x" * 121},
    ],
)
def test_bad_tracking_updates_are_a_400(seller_api, part, seller, body):
    shipment = shipment_create(
        seller_order_id=part.pk, seller_id=seller.pk, carrier="DHL", tracking_number="JD0006"
    )

    response = seller_api.post(f"/api/seller/shipments/{shipment.pk}/events/", body, format="json")

    assert response.status_code == 400
    assert ShipmentEvent.objects.filter(shipment=shipment).count() == 1


def test_start_processing_and_cancel_with_a_reason(seller_api, part, variant):
    processing = seller_api.post(f"{URL}{part.pk}/processing/")
    no_reason = seller_api.post(f"{URL}{part.pk}/cancel/", {"reason": ""}, format="json")
    cancelled = seller_api.post(f"{URL}{part.pk}/cancel/", {"reason": "Broken in storage"}, format="json")

    assert processing.status_code == 200
    assert processing.json()["status"] == OrderStatus.PROCESSING
    assert no_reason.status_code == 400
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == OrderStatus.CANCELLED
    assert cancelled.json()["cancel_reason"] == "Broken in storage"
    variant.refresh_from_db()
    assert variant.stock == 10


def test_an_illegal_move_is_a_400(seller_api, variant):
    unpaid = place_order(UserFactory(), [(variant, 1)], paid=False).seller_orders.get()

    response = seller_api.post(f"{URL}{unpaid.pk}/processing/")

    assert response.status_code == 400
    assert SellerOrder.objects.get(pk=unpaid.pk).status == OrderStatus.PENDING_PAYMENT


def test_another_sellers_order_and_shipment_are_404s_and_nothing_changes(intruder, part, seller):
    shipment = shipment_create(
        seller_order_id=part.pk,
        seller_id=seller.pk,
        carrier="DHL",
        tracking_number="JD0007",
        quantities={part.lines.get().pk: 1},
    )
    events = OrderEvent.objects.count()
    tracking = ShipmentEvent.objects.count()
    later = (timezone.now() - timedelta(minutes=1)).isoformat()

    responses = [
        intruder.get(f"{URL}{part.pk}/"),
        intruder.post(f"{URL}{part.pk}/processing/"),
        intruder.post(f"{URL}{part.pk}/cancel/", {"reason": "spite"}, format="json"),
        intruder.post(
            f"{URL}{part.pk}/shipments/", {"carrier": "UPS", "tracking_number": "1Z999"}, format="json"
        ),
        intruder.post(
            f"/api/seller/shipments/{shipment.pk}/events/",
            {"status": "delivered", "occurred_at": later},
            format="json",
        ),
    ]

    assert [r.status_code for r in responses] == [404] * 5
    assert intruder.get(URL).json()["count"] == 0
    assert SellerOrder.objects.get(pk=part.pk).status == OrderStatus.PROCESSING
    assert Shipment.objects.count() == 1
    assert Shipment.objects.get().status == Shipment.Status.SHIPPED
    assert OrderEvent.objects.count() == events
    assert ShipmentEvent.objects.count() == tracking
