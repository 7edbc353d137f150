"""The OpenAPI schema, with the orders API mounted, generates without a warning and validates."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_the_schema_with_the_orders_api_validates(tmp_path):
    target = tmp_path / "openapi.yaml"

    call_command(
        "spectacular",
        "--urlconf",
        "tests.orders.api.urls",
        "--validate",
        "--fail-on-warn",
        "--file",
        str(target),
    )

    schema = target.read_text()
    for path in (
        "/api/orders/cart/lines/{variant_id}/:",
        "/api/orders/checkout/:",
        "/api/seller/orders/{seller_order_id}/shipments/:",
        "/api/seller/shipments/{shipment_id}/events/:",
        "/api/seller/reviews/{review_id}/reply/:",
    ):
        assert path in schema
    assert "Idempotency-Key" in schema
