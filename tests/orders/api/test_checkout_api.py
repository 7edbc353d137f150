"""The checkout API (/api/orders/checkout/): the Idempotency-Key, who owns a key, validation, stock and a
total that changed — each refusal writing nothing."""

import pytest

from catalog.models import ProductVariant
from orders.models import CartLine, Order, OrderStatus, ShippingMethod
from tests.factories import (
    AddressFactory,
    ProductFactory,
    ProductVariantFactory,
    SellerProfileFactory,
    UserFactory,
)
from tests.orders.api.conftest import ADDRESS, client_for

pytestmark = pytest.mark.django_db

CHECKOUT_URL = "/api/orders/checkout/"
LINES_URL = "/api/orders/cart/lines/"
CHECKOUT_MAX_QUERIES = 17


def _fill(api, variant, quantity: int = 2) -> None:
    response = api.post(LINES_URL, {"variant": variant.pk, "quantity": quantity}, format="json")
    assert response.status_code == 201


def _checkout(api, body=None, *, key: str | None = "key-1"):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return api.post(
        CHECKOUT_URL, body if body is not None else {"shipping_address": ADDRESS}, format="json", **headers
    )


def test_checkout_places_the_order_and_points_to_payment(api, shopper, variant):
    _fill(api, variant, 2)

    response = _checkout(api, {"shipping_address": ADDRESS, "expected_total": 3998})

    assert response.status_code == 201
    body = response.json()
    order = Order.objects.get()
    assert body["number"] == order.number
    assert body["status"] == OrderStatus.PENDING_PAYMENT
    assert body["email"] == "ada@example.com"
    assert body["totals"]["total_amount"] == 3998
    assert body["payment"]["next_url"].endswith(f"/orders/{order.number}/pay/")
    assert body["payment"]["amount"] == 3998
    assert order.buyer == shopper
    assert order.shipping_address["country"] == "GB"
    assert not CartLine.objects.exists()
    assert ProductVariant.objects.get(pk=variant.pk).stock == 8


def test_the_same_key_twice_gives_the_same_order_once(api, variant):
    _fill(api, variant)

    first = _checkout(api)
    second = _checkout(api)

    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["number"] == second.json()["number"]
    assert Order.objects.count() == 1
    assert ProductVariant.objects.get(pk=variant.pk).stock == 8


def test_two_shoppers_with_the_same_key_get_two_orders(api, variant):
    other = client_for(UserFactory())
    _fill(api, variant)
    _fill(other, variant)

    mine = _checkout(api, key="same")
    theirs = _checkout(other, key="same")

    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert mine.json()["number"] != theirs.json()["number"]
    assert Order.objects.count() == 2


def test_two_guests_with_the_same_key_get_two_orders(variant):
    first_guest, second_guest = client_for(), client_for()
    _fill(first_guest, variant, 1)
    _fill(second_guest, variant, 1)
    body = {"shipping_address": ADDRESS, "email": "guest@example.com"}

    first = _checkout(first_guest, body, key="same")
    retried = _checkout(first_guest, body, key="same")
    second = _checkout(second_guest, body, key="same")

    assert (first.status_code, retried.status_code, second.status_code) == (201, 200, 201)
    assert first.json()["number"] == retried.json()["number"] != second.json()["number"]
    assert Order.objects.filter(buyer__isnull=True).count() == 2


def test_a_guest_reads_the_order_they_placed_but_nobody_else_does(variant):
    guest = client_for()
    _fill(guest, variant, 1)
    number = _checkout(guest, {"shipping_address": ADDRESS, "email": "guest@example.com"}).json()["number"]

    assert guest.get(f"/api/orders/{number}/").status_code == 200
    assert client_for().get(f"/api/orders/{number}/").status_code == 404


def test_a_missing_idempotency_key_is_a_400(api, variant):
    _fill(api, variant)

    response = _checkout(api, key=None)

    assert response.status_code == 400
    assert "idempotency_key" in response.json()
    assert not Order.objects.exists()


def test_a_too_long_idempotency_key_is_a_400(api, variant):
    _fill(api, variant)

    assert _checkout(api, key="k" * 201).status_code == 400
    assert not Order.objects.exists()


@pytest.mark.parametrize("country", ["XX", "GBR", "1A", "", "ZZ"])
def test_a_bad_country_is_a_400(api, variant, country):
    _fill(api, variant)

    response = _checkout(api, {"shipping_address": {**ADDRESS, "country": country}})

    assert response.status_code == 400
    assert "country" in response.json()["shipping_address"]
    assert not Order.objects.exists()


def test_a_lower_case_country_is_accepted(api, variant):
    _fill(api, variant)

    response = _checkout(api, {"shipping_address": {**ADDRESS, "country": "gb"}})

    assert response.status_code == 201
    assert Order.objects.get().shipping_address["country"] == "GB"


def test_a_missing_address_field_is_a_400(api, variant):
    _fill(api, variant)
    address = {key: value for key, value in ADDRESS.items() if key != "city"}

    response = _checkout(api, {"shipping_address": address})

    assert response.status_code == 400
    assert "city" in response.json()["shipping_address"]
    assert not Order.objects.exists()


def test_a_saved_address_is_used(api, shopper, variant):
    address = AddressFactory(user=shopper, city="Paris", country="FR")
    _fill(api, variant)

    response = _checkout(api, {"address_id": address.pk})

    assert response.status_code == 201
    assert Order.objects.get().shipping_address["city"] == "Paris"


def test_someone_elses_address_id_is_a_400_not_found(api, variant):
    theirs = AddressFactory()
    _fill(api, variant)

    response = _checkout(api, {"address_id": theirs.pk})

    assert response.status_code == 400
    assert "not found" in response.json()["address_id"][0]
    assert not Order.objects.exists()


def test_both_or_neither_address_is_a_400(api, shopper, variant):
    _fill(api, variant)
    address = AddressFactory(user=shopper)

    assert _checkout(api, {}).status_code == 400
    assert _checkout(api, {"shipping_address": ADDRESS, "address_id": address.pk}).status_code == 400
    assert not Order.objects.exists()


def test_a_guest_must_give_an_email(variant):
    guest = client_for()
    _fill(guest, variant)

    response = _checkout(guest)

    assert response.status_code == 400
    assert "email" in response.json()
    assert not Order.objects.exists()


def test_a_tampered_expected_total_is_a_409_and_nothing_is_written(api, variant):
    _fill(api, variant, 2)

    response = _checkout(api, {"shipping_address": ADDRESS, "expected_total": 1})

    assert response.status_code == 409
    assert response.json()["total_amount"] == 3998
    assert "expected_total" in response.json()
    assert not Order.objects.exists()
    assert CartLine.objects.get().quantity == 2
    assert ProductVariant.objects.get(pk=variant.pk).stock == 10


def test_a_price_change_after_the_shopper_looked_is_a_409(api, variant):
    _fill(api, variant, 1)
    seen = api.get("/api/orders/cart/").json()["totals"]["total_amount"]
    ProductVariant.objects.filter(pk=variant.pk).update(price_amount=2999)

    response = _checkout(api, {"shipping_address": ADDRESS, "expected_total": seen})

    assert response.status_code == 409
    assert response.json()["total_amount"] == 2999
    assert not Order.objects.exists()


def test_stock_gone_since_adding_is_a_409_and_nothing_is_written(api, variant):
    _fill(api, variant, 3)
    ProductVariant.objects.filter(pk=variant.pk).update(stock=1)

    response = _checkout(api)

    assert response.status_code == 409
    assert "stock" in response.json()["detail"]
    assert not Order.objects.exists()
    assert ProductVariant.objects.get(pk=variant.pk).stock == 1


def test_an_empty_cart_is_a_400(api):
    response = _checkout(api)

    assert response.status_code == 400
    assert not Order.objects.exists()


def test_a_shipping_method_of_another_seller_is_a_400(api, variant, seller):
    elsewhere = ShippingMethod.objects.create(seller=SellerProfileFactory(), name="Courier", flat_amount=500)
    _fill(api, variant)

    response = _checkout(api, {"shipping_address": ADDRESS, "shipping": {str(seller.pk): elsewhere.pk}})

    assert response.status_code == 400
    assert str(seller.pk) in response.json()["shipping"]
    assert not Order.objects.exists()


def test_the_chosen_shipping_method_is_charged(api, variant, seller):
    ShippingMethod.objects.create(seller=seller, name="Post", flat_amount=300, position=0)
    courier = ShippingMethod.objects.create(seller=seller, name="Courier", flat_amount=900, position=1)
    _fill(api, variant, 1)

    response = _checkout(
        api, {"shipping_address": ADDRESS, "shipping": {str(seller.pk): courier.pk}, "expected_total": 2899}
    )

    assert response.status_code == 201
    assert response.json()["totals"]["shipping_amount"] == 900
    assert Order.objects.get().seller_orders.get().shipping_method_name == "Courier"


@pytest.mark.parametrize("skus", [1, 3])
def test_a_checkout_takes_a_bounded_number_of_queries(api, seller, skus, django_assert_max_num_queries):
    # Session and user, the key, the cart, the priced cart (lines with their SKUs, flash sales, spend tiers,
    # shipping methods), then the order, its part, lines, one stock UPDATE per SKU, the stock movements,
    # the timeline row, the cart lines (the mail after the commit is not counted here).
    ShippingMethod.objects.create(seller=seller, name="Post", flat_amount=300)
    for _ in range(skus):
        _fill(api, ProductVariantFactory(product=ProductFactory(seller=seller), stock=5), 1)

    with django_assert_max_num_queries(CHECKOUT_MAX_QUERIES + skus - 1):
        response = _checkout(api)

    assert response.status_code == 201
    assert ProductVariant.objects.filter(stock=4).count() == skus
