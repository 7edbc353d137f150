"""An id or a count past the 64-bit columns in a request body is a 400 naming the field, never a 500
(SQLite refuses to bind it: ``OverflowError``). Found by the API fuzz test (tests/marketplace/test_api_fuzz.py)."""

import pytest

from tests.orders.api.conftest import client_for, place_order, seller_client

pytestmark = pytest.mark.django_db

HUGE = 2**63  # one past the 64-bit columns


def test_adding_a_sku_with_an_out_of_range_id_is_a_400_naming_it(shopper):
    response = client_for(shopper).post("/api/orders/cart/lines/", {"variant": HUGE}, format="json")

    assert response.status_code == 400
    assert "variant" in response.json()


def test_reviewing_an_out_of_range_order_line_is_a_400_naming_it(shopper):
    response = client_for(shopper).post(
        "/api/orders/reviews/", {"order_line": HUGE, "rating": 5}, format="json"
    )

    assert response.status_code == 400
    assert "order_line" in response.json()


def test_shipping_an_out_of_range_order_line_or_quantity_is_a_400_naming_it(seller, variant, shopper):
    part = place_order(shopper, [(variant, 1)]).seller_orders.get()
    api = seller_client(seller)

    for line in ({"order_line": HUGE, "quantity": 1}, {"order_line": part.lines.get().pk, "quantity": HUGE}):
        response = api.post(
            f"/api/seller/orders/{part.pk}/shipments/",
            {"carrier": "UPS", "tracking_number": "1Z999", "lines": [line]},
            format="json",
        )

        assert response.status_code == 400, line
        assert "lines" in response.json(), line
