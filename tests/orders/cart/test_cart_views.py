"""The cart pages: adding from the product page (CSRF token from the cookie: tests/orders/cart/
test_cart_csrf.py), updating and removing lines, and the visitor's cart joining the user's at sign-in."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from analytics.models import Event
from analytics.services import events_flush
from orders.models import Cart, CartLine
from tests.factories import UserFactory
from tests.orders.factories import PASSWORD, cart_with_lines, purchasable_variant

pytestmark = pytest.mark.django_db

ADD = "orders:cart-add"


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _session_cart_lines(client) -> dict[int, int]:
    cart_id = client.session.get("cart_id")
    return dict(CartLine.objects.filter(cart_id=cart_id).values_list("variant_id", "quantity"))


def _tracked(event_type: str) -> list[Event]:
    events_flush()
    return list(Event.objects.filter(type=event_type).order_by("pk"))


def test_the_product_page_form_adds_to_the_cart_with_the_token_from_the_cookie():
    client = Client(enforce_csrf_checks=True)
    variant = purchasable_variant(stock=5)
    token = client.get(reverse("csrf-token")).json()["token"]

    response = client.post(
        reverse(ADD),
        {"variant": variant.pk, "quantity": "2", "csrfmiddlewaretoken": token},
        HTTP_SEC_FETCH_SITE="same-origin",
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("orders:cart")
    assert _session_cart_lines(client) == {variant.pk: 2}
    assert _messages(response) == ["Added to your cart."]
    (event,) = _tracked("add_to_cart")
    assert event.properties == {"variant": variant.pk, "quantity": 2}


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_REFERER": "https://evil.example/page"},
    ],
)
def test_a_cart_addition_from_another_site_is_refused_and_adds_nothing(headers):
    # Another site cannot read the visitor's token: Django's CSRF check refuses the post (403).
    client = Client(enforce_csrf_checks=True)
    variant = purchasable_variant(stock=5)

    response = client.post(reverse(ADD), {"variant": variant.pk, "quantity": "1"}, **headers)

    assert response.status_code == 403
    assert CartLine.objects.count() == 0
    assert Cart.objects.count() == 0
    assert _tracked("add_to_cart") == []


def test_an_addition_above_the_stock_is_capped_and_says_so(client):
    variant = purchasable_variant(stock=3)

    response = client.post(
        reverse(ADD), {"variant": variant.pk, "quantity": "7"}, HTTP_SEC_FETCH_SITE="same-origin"
    )

    assert _session_cart_lines(client) == {variant.pk: 3}
    assert _messages(response) == ["Only 3 in stock: your cart now holds all of them."]


@pytest.mark.parametrize(
    "data", [{"variant": "x", "quantity": "1"}, {"quantity": "1"}, {"variant": "1", "quantity": "?"}]
)
def test_a_malformed_addition_is_a_bad_request(client, data):
    response = client.post(reverse(ADD), data, HTTP_SEC_FETCH_SITE="same-origin")

    assert response.status_code == 400
    assert CartLine.objects.count() == 0


def test_a_refused_addition_goes_back_with_the_reason_and_never_to_another_site(client):
    variant = purchasable_variant(stock=0)

    response = client.post(
        reverse(ADD),
        {"variant": variant.pk, "quantity": "1", "next": "//evil.example/"},
        HTTP_SEC_FETCH_SITE="same-origin",
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("orders:cart")
    assert _messages(response) == ["Sorry, this product is out of stock."]
    assert CartLine.objects.count() == 0


def test_the_cart_page_shows_lines_grouped_by_seller(client):
    user = UserFactory()
    first = purchasable_variant(title="Teapot")
    second = purchasable_variant(title="Mug")
    cart_with_lines(user=user, lines=[(first, 1), (second, 2)])
    client.force_login(user)

    response = client.get(reverse("orders:cart"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Teapot" in html
    assert "Mug" in html
    assert first.product.seller.shop_name in html


def test_updating_quantities_caps_them_and_zero_removes(client):
    user = UserFactory()
    keep = purchasable_variant(stock=4)
    drop = purchasable_variant(stock=4)
    cart = cart_with_lines(user=user, lines=[(keep, 1), (drop, 1)])
    client.force_login(user)

    response = client.post(reverse("orders:cart"), {f"quantity-{keep.pk}": "9", f"quantity-{drop.pk}": "0"})

    assert response.status_code == 302
    assert dict(CartLine.objects.filter(cart=cart).values_list("variant_id", "quantity")) == {keep.pk: 4}
    assert "Some quantities were lowered to the stock available." in _messages(response)
    assert [e.properties for e in _tracked("remove_from_cart")] == [{"variant": drop.pk}]


def test_removing_a_line_from_the_cart_page(client):
    user = UserFactory()
    variant = purchasable_variant()
    cart = cart_with_lines(user=user, lines=[(variant, 2)])
    client.force_login(user)

    response = client.post(reverse("orders:cart"), {"remove": str(variant.pk)})

    assert response.status_code == 302
    assert not CartLine.objects.filter(cart=cart).exists()
    assert _messages(response) == ["Removed from your cart."]
    assert [e.properties for e in _tracked("remove_from_cart")] == [{"variant": variant.pk}]


def test_a_non_numeric_quantity_is_explained_not_a_server_error(client):
    user = UserFactory()
    variant = purchasable_variant()
    cart_with_lines(user=user, lines=[(variant, 2)])
    client.force_login(user)

    response = client.post(reverse("orders:cart"), {f"quantity-{variant.pk}": "two"})

    assert response.status_code == 302
    assert _messages(response) == ["Enter whole numbers for quantities."]


def test_another_carts_line_cannot_be_changed_from_my_cart_page(client):
    variant = purchasable_variant()
    theirs = cart_with_lines(user=UserFactory(), lines=[(variant, 2)])
    me = UserFactory()
    cart_with_lines(user=me, lines=[])
    client.force_login(me)

    client.post(reverse("orders:cart"), {"remove": str(variant.pk)})
    client.post(reverse("orders:cart"), {f"quantity-{variant.pk}": "1"})

    assert dict(CartLine.objects.filter(cart=theirs).values_list("variant_id", "quantity")) == {variant.pk: 2}


def test_signing_in_merges_the_visitors_cart_into_the_users_capped_by_stock(client):
    user = UserFactory(email="ada@example.com")
    shared = purchasable_variant(stock=5)
    new = purchasable_variant(stock=5)
    users_cart = cart_with_lines(user=user, lines=[(shared, 3)])
    for variant, quantity in ((shared, 4), (new, 1)):
        client.post(
            reverse(ADD), {"variant": variant.pk, "quantity": quantity}, HTTP_SEC_FETCH_SITE="same-origin"
        )
    visitors_cart_id = client.session["cart_id"]

    response = client.post(reverse("account_login"), {"login": "ada@example.com", "password": PASSWORD})

    assert response.status_code == 302
    assert dict(CartLine.objects.filter(cart=users_cart).values_list("variant_id", "quantity")) == {
        shared.pk: 5,
        new.pk: 1,
    }
    assert not Cart.objects.filter(pk=visitors_cart_id).exists()
    assert "cart_id" not in client.session
    cart_page = client.get(reverse("orders:cart"))
    assert cart_page.context["summary"].count == 6
