"""Seller B can neither see nor change seller A's orders, shipments or shipping methods: every portal URL
of the orders app with an id is a 404 for B, and nothing changes."""

import pytest
from django.urls import reverse

from orders.lifecycle import urls_seller
from orders.models import OrderEvent, SellerOrder, Shipment, ShipmentEvent, ShippingMethod
from orders.shipping import urls_seller as shipping_urls_seller
from orders.shipping.services import shipment_create
from tests.factories import SellerProfileFactory
from tests.orders.factories_seller import ShippingMethodFactory, paid_part

pytestmark = pytest.mark.django_db


@pytest.fixture
def a_rows():
    """Seller A's paid part (partly shipped, so it has a shipment) and a shipping method."""
    part = paid_part(quantities=(2, 1))
    first = part.lines.order_by("pk").first()
    shipment = shipment_create(
        seller_order_id=part.pk,
        seller_id=part.seller_id,
        carrier="UPS",
        tracking_number="1ZA001",
        quantities={first.pk: 1},
    )
    method = ShippingMethodFactory(seller=part.seller, name="A's standard", flat_amount=495)
    return {"part": part, "shipment": shipment, "method": method}


@pytest.fixture
def seller_b(client):
    b = SellerProfileFactory()
    client.force_login(b.user)
    return b


def _snapshot(rows):
    part = SellerOrder.objects.get(pk=rows["part"].pk)
    method = ShippingMethod.objects.get(pk=rows["method"].pk)
    shipment = Shipment.objects.get(pk=rows["shipment"].pk)
    return (
        part.status,
        part.cancel_reason,
        method.name,
        method.flat_amount,
        method.is_active,
        shipment.status,
        Shipment.objects.count(),
        ShipmentEvent.objects.count(),
        OrderEvent.objects.count(),
    )


# Which of A's rows each URL's pk names; everything else names A's seller order.
PK_OF = {
    "shipment-event-add": "shipment",
    "shipping-method-edit": "method",
    "shipping-method-deactivate": "method",
}


def test_every_orders_portal_url_with_an_id_is_a_404_for_seller_b_and_changes_nothing(
    client, seller_b, a_rows
):
    """Walks the URL patterns themselves, so a new URL with an id is covered without a new test."""
    before = _snapshot(a_rows)
    all_patterns = [*urls_seller.urlpatterns, *shipping_urls_seller.urlpatterns]
    patterns = [pattern for pattern in all_patterns if pattern.pattern.converters]
    assert {
        "order-detail",
        "order-process",
        "order-ship",
        "order-cancel",
        "order-packing-slip",
        "shipment-event-add",
        "shipping-method-edit",
        "shipping-method-deactivate",
    } <= {p.name for p in patterns}
    shipment = a_rows["shipment"]
    post = {
        "carrier": "DHL",
        "tracking_number": "STOLEN1",
        "reason": "Mine now",
        f"tracking-{shipment.pk}-status": "delivered",
        "name": "Stolen",
        "flat_amount": "0",
        "per_kg_amount": "0",
        "delivery_days_min": "1",
        "delivery_days_max": "2",
        "position": "0",
    }

    for pattern in patterns:
        row = a_rows[PK_OF.get(pattern.name, "part")]
        url = reverse(f"seller:{pattern.name}", kwargs={"pk": row.pk})
        assert client.get(url).status_code == 404, (pattern.name, "GET")
        assert client.post(url, post).status_code == 404, (pattern.name, "POST")

    assert _snapshot(a_rows) == before


def test_seller_b_does_not_see_a_in_lists(client, seller_b, a_rows):
    orders = client.get(reverse("seller:order-list"))
    methods = client.get(reverse("seller:shipping-method-list"))

    assert list(orders.context["parts"]) == []
    assert list(methods.context["methods"]) == []
    assert a_rows["part"].order.number not in orders.content.decode()
    assert orders.context["counts"]["to_ship"] == 0


def test_seller_b_cannot_ship_as_a_through_their_own_part(client, seller_b, a_rows):
    """Line ids of A's part posted to B's own part are not B's lines: ignored by the form, refused by the
    service; A's part is untouched."""
    own = paid_part(seller=seller_b, quantities=(1,))
    a_line = a_rows["part"].lines.order_by("pk").last()
    before = _snapshot(a_rows)

    client.post(
        reverse("seller:order-ship", args=[own.pk]),
        {
            "carrier": "DHL",
            "tracking_number": "B0001",
            f"quantity_{a_line.pk}": "1",
            f"quantity_{own.lines.get().pk}": "1",
        },
    )

    assert _snapshot(a_rows)[:6] == before[:6]
    assert not a_line.shipment_lines.exists()
