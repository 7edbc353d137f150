"""The checkout API ships to real countries only: the checkout service's rule (django-countries' list),
its refusal a 400 keyed by the address field, nothing written."""

import pytest

from orders.models import Order
from tests.orders.api.conftest import ADDRESS

pytestmark = pytest.mark.django_db

CHECKOUT_URL = "/api/orders/checkout/"
LINES_URL = "/api/orders/cart/lines/"


def _fill(api, variant) -> None:
    assert api.post(LINES_URL, {"variant": variant.pk, "quantity": 1}, format="json").status_code == 201


def _checkout(api, country: str):
    return api.post(
        CHECKOUT_URL,
        {"shipping_address": {**ADDRESS, "country": country}},
        format="json",
        HTTP_IDEMPOTENCY_KEY="key-1",
    )


@pytest.mark.parametrize("country", ["UN", "XX", "EU", "United States"])
def test_a_code_that_is_not_a_country_is_a_400_on_the_country_field(api, variant, country):
    _fill(api, variant)

    response = _checkout(api, country)

    assert response.status_code == 400
    assert list(response.json()["shipping_address"]) == ["country"]
    assert not Order.objects.exists()


def test_the_service_says_why_a_region_is_refused(api, variant):
    _fill(api, variant)

    body = _checkout(api, "un").json()

    assert body["detail"] == "Choose a country from the list."
    assert body["shipping_address"] == {"country": ["“UN” is not a country."]}


def test_a_real_country_is_accepted(api, variant):
    _fill(api, variant)

    response = _checkout(api, "us")

    assert response.status_code == 201
    assert Order.objects.get().shipping_address["country"] == "US"
