"""The cart API (/api/orders/cart/): adding, changing and removing lines, its bad input, stock, CSRF."""

import pytest

from orders.models import Cart, CartLine, ShippingMethod
from tests.factories import ProductFactory, ProductVariantFactory
from tests.orders.api.conftest import client_for

pytestmark = pytest.mark.django_db

CART_URL = "/api/orders/cart/"
LINES_URL = "/api/orders/cart/lines/"
ADD_MINIMAL_MAX_QUERIES = 10


def test_an_empty_cart_for_a_new_visitor(client):
    response = client_for().get(CART_URL)

    assert response.status_code == 200
    assert response.json()["lines"] == []
    assert response.json()["totals"] == {
        "currency": "USD",
        "subtotal_amount": 0,
        "discount_amount": 0,
        "shipping_amount": 0,
        "tax_amount": 0,
        "total_amount": 0,
    }
    assert "csrftoken" in response.cookies


def test_adding_a_sku_returns_the_priced_cart(api, shopper, variant, seller):
    response = api.post(LINES_URL, {"variant": variant.pk, "quantity": 2}, format="json")

    assert response.status_code == 201
    body = response.json()
    [line] = body["lines"]
    assert line["variant"] == variant.pk
    assert line["sku"] == "TEAPOT-1"
    assert line["title"] == "Teapot"
    assert line["seller"] == {"id": seller.pk, "shop_name": "Attic", "slug": seller.slug}
    assert line["quantity"] == 2
    assert line["unit_price_amount"] == 1999
    assert line["seen_unit_price_amount"] == 1999
    assert line["price_changed"] is False
    assert line["stock"] == 10
    assert line["purchasable"] is True
    assert line["pricing"]["total_amount"] == 3998
    assert [g["seller"]["id"] for g in body["groups"]] == [seller.pk]
    assert body["groups"][0]["variants"] == [variant.pk]
    assert body["totals"]["subtotal_amount"] == 3998
    assert body["totals"]["total_amount"] == 3998
    assert body["ready"] is True
    assert CartLine.objects.get(cart__user=shopper).quantity == 2


def test_a_guest_cart_lives_in_the_session(variant):
    guest = client_for()

    guest.post(LINES_URL, {"variant": variant.pk, "quantity": 1}, format="json")
    response = guest.get(CART_URL)

    assert [line["variant"] for line in response.json()["lines"]] == [variant.pk]
    assert client_for().get(CART_URL).json()["lines"] == []
    assert Cart.objects.get().user is None


def test_a_price_change_is_shown_not_silently_charged(api, variant):
    api.post(LINES_URL, {"variant": variant.pk, "quantity": 1}, format="json")
    variant.price_amount = 2499
    variant.save(update_fields=["price_amount"])

    [line] = api.get(CART_URL).json()["lines"]

    assert (line["seen_unit_price_amount"], line["unit_price_amount"], line["price_changed"]) == (
        1999,
        2499,
        True,
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"variant": 1, "quantity": -1}, "quantity"),
        ({"variant": 1, "quantity": 0}, "quantity"),
        ({"variant": 1, "quantity": 1000}, "quantity"),
        ({"variant": 1, "quantity": "two"}, "quantity"),
        ({"quantity": 1}, "variant"),
        ({"variant": "x", "quantity": 1}, "variant"),
    ],
)
def test_bad_input_is_a_400_with_field_errors(api, body, field):
    response = api.post(LINES_URL, body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not CartLine.objects.exists()


def test_an_unknown_or_unavailable_sku_is_a_400(api, variant):
    draft = ProductVariantFactory(product=ProductFactory(status="draft"))

    unknown = api.post(LINES_URL, {"variant": 999999, "quantity": 1}, format="json")
    hidden = api.post(LINES_URL, {"variant": draft.pk, "quantity": 1}, format="json")

    assert unknown.status_code == 400
    assert unknown.json()["variant"] == ["not available"]
    assert hidden.status_code == 400
    assert not CartLine.objects.exists()


def test_an_out_of_stock_sku_is_a_409_with_a_message(api, variant):
    variant.stock = 0
    variant.save(update_fields=["stock"])

    response = api.post(LINES_URL, {"variant": variant.pk, "quantity": 1}, format="json")

    assert response.status_code == 409
    assert response.json()["detail"] == "Sorry, this product is out of stock."
    assert not CartLine.objects.exists()


def test_a_quantity_above_the_stock_is_capped_with_a_notice(api, variant):
    response = api.post(LINES_URL, {"variant": variant.pk, "quantity": 12}, format="json")

    assert response.status_code == 201
    assert response.json()["lines"][0]["quantity"] == 10
    assert response.json()["notices"] == ["Only 10 in stock: your cart now holds all of them."]


def test_patch_sets_the_quantity_and_zero_removes_the_line(api, variant):
    api.post(LINES_URL, {"variant": variant.pk, "quantity": 1}, format="json")

    changed = api.patch(f"{LINES_URL}{variant.pk}/", {"quantity": 3}, format="json")
    removed = api.patch(f"{LINES_URL}{variant.pk}/", {"quantity": 0}, format="json")

    assert changed.status_code == 200
    assert changed.json()["lines"][0]["quantity"] == 3
    assert removed.status_code == 200
    assert removed.json()["lines"] == []
    assert not CartLine.objects.exists()


def test_patch_with_a_negative_quantity_is_a_400_and_changes_nothing(api, variant):
    api.post(LINES_URL, {"variant": variant.pk, "quantity": 2}, format="json")

    response = api.patch(f"{LINES_URL}{variant.pk}/", {"quantity": -1}, format="json")

    assert response.status_code == 400
    assert "quantity" in response.json()
    assert CartLine.objects.get().quantity == 2


def test_delete_removes_the_line(api, variant):
    api.post(LINES_URL, {"variant": variant.pk, "quantity": 1}, format="json")

    response = api.delete(f"{LINES_URL}{variant.pk}/")

    assert response.status_code == 200
    assert response.json()["lines"] == []


def test_a_line_not_in_the_cart_is_a_404(api, variant):
    assert api.patch(f"{LINES_URL}{variant.pk}/", {"quantity": 1}, format="json").status_code == 404
    assert api.delete(f"{LINES_URL}{variant.pk}/").status_code == 404


def test_another_shoppers_cart_cannot_be_touched(api, variant, shopper):
    other = client_for()
    other.post(LINES_URL, {"variant": variant.pk, "quantity": 1}, format="json")

    response = api.delete(f"{LINES_URL}{variant.pk}/")

    assert response.status_code == 404
    assert CartLine.objects.filter(cart__user__isnull=True).count() == 1


def test_a_signed_in_shopper_needs_the_csrf_token(shopper, variant):
    api = client_for(shopper, csrf=True)

    refused = api.post(LINES_URL, {"variant": variant.pk, "quantity": 1}, format="json")
    token = api.get(CART_URL).cookies["csrftoken"].value
    accepted = api.post(
        LINES_URL, {"variant": variant.pk, "quantity": 1}, format="json", HTTP_X_CSRFTOKEN=token
    )

    assert refused.status_code == 403
    assert accepted.status_code == 201


def test_a_guest_with_a_cart_needs_the_csrf_token_too(variant):
    guest = client_for(csrf=True)
    token = guest.get(CART_URL).cookies["csrftoken"].value
    first = guest.post(
        LINES_URL, {"variant": variant.pk, "quantity": 1}, format="json", HTTP_X_CSRFTOKEN=token
    )

    forged = guest.delete(f"{LINES_URL}{variant.pk}/")

    assert first.status_code == 201
    assert forged.status_code == 403
    assert CartLine.objects.count() == 1


def test_form_bodies_are_refused(api, variant):
    response = api.post(LINES_URL, {"variant": variant.pk, "quantity": 1})

    assert response.status_code == 415
    assert not CartLine.objects.exists()


def test_the_cart_lists_shipping_options_and_previews_a_choice(api, variant, seller):
    post = ShippingMethod.objects.create(seller=seller, name="Post", flat_amount=300, position=0)
    courier = ShippingMethod.objects.create(seller=seller, name="Courier", flat_amount=900, position=1)
    api.post(LINES_URL, {"variant": variant.pk, "quantity": 1}, format="json")

    default = api.get(CART_URL).json()
    chosen = api.get(CART_URL, {"shipping": f"{seller.pk}:{courier.pk}"}).json()
    bad = api.get(CART_URL, {"shipping": "courier"})

    [group] = default["groups"]
    assert [m["name"] for m in group["shipping_methods"]] == ["Post", "Courier"]
    assert group["shipping_method_id"] == post.pk
    assert default["totals"]["total_amount"] == 2299
    assert chosen["groups"][0]["shipping_method_id"] == courier.pk
    assert chosen["groups"][0]["pricing"]["shipping_amount"] == 900
    assert chosen["totals"]["total_amount"] == 2899
    assert bad.status_code == 400


@pytest.mark.parametrize("prefer", ["return=minimal", 'respond-async, RETURN="minimal"; extra=1'])
def test_prefer_return_minimal_answers_the_line_and_the_units_without_the_priced_cart(api, variant, prefer):
    other = ProductVariantFactory(product=ProductFactory(seller=variant.product.seller), stock=5)
    api.post(LINES_URL, {"variant": other.pk, "quantity": 2}, format="json")

    response = api.post(LINES_URL, {"variant": variant.pk, "quantity": 12}, format="json", HTTP_PREFER=prefer)

    assert response.status_code == 201
    assert response.json() == {
        "variant": variant.pk,
        "quantity": 10,
        "count": 12,
        "notices": ["Only 10 in stock: your cart now holds all of them."],
    }
    assert response["Preference-Applied"] == "return=minimal"
    assert "Prefer" in response["Vary"]
    assert CartLine.objects.get(variant=variant).quantity == 10


def test_other_preferences_get_the_whole_priced_cart(api, variant):
    response = api.post(
        LINES_URL, {"variant": variant.pk, "quantity": 1}, format="json", HTTP_PREFER="return=representation"
    )

    assert response.status_code == 201
    assert response.json()["totals"]["total_amount"] == 1999
    assert "Preference-Applied" not in response


def test_adding_to_the_cart_takes_a_bounded_number_of_queries(
    api, variant, seller, django_assert_max_num_queries
):
    # Session and user, the cart, the SKU, the cart's lock and lines, the new line; then either the
    # unit count or the priced cart (lines with their SKUs, flash sales, spend tiers, shipping methods).
    other = ProductVariantFactory(product=ProductFactory(seller=seller), stock=5)
    ShippingMethod.objects.create(seller=seller, name="Post", flat_amount=300)
    api.post(LINES_URL, {"variant": other.pk, "quantity": 1}, format="json")

    with django_assert_max_num_queries(ADD_MINIMAL_MAX_QUERIES):
        minimal = api.post(
            LINES_URL, {"variant": variant.pk, "quantity": 1}, format="json", HTTP_PREFER="return=minimal"
        )
    with django_assert_max_num_queries(ADD_MINIMAL_MAX_QUERIES + 3):
        full = api.post(LINES_URL, {"variant": variant.pk, "quantity": 1}, format="json")

    assert (minimal.status_code, full.status_code) == (201, 201)
    assert len(full.json()["lines"]) == 2
