"""The checkout ships to real countries only (the address book's rule: one list, django-countries), and
the order pages show the country's name in the reader's language, not its code."""

import uuid

import pytest
from django.urls import reverse

from common.exceptions import ApplicationError
from orders.cart import services as cart_services
from orders.models import CartLine, Order, SellerOrder
from tests.factories import AddressFactory, UserFactory
from tests.orders.factories import ADDRESS, cart_with_lines, purchasable_variant

pytestmark = pytest.mark.django_db

NOT_COUNTRIES = ["UN", "XX", "United States", "EU", "GBR"]


def _place(cart, user, country: str):
    return cart_services.checkout_place(
        cart_id=cart.pk,
        buyer_id=user.pk,
        email=user.email,
        shipping_address={**ADDRESS, "country": country},
        shipping_choice={},
        coupon_code="",
        expected_total=None,
        idempotency_key=uuid.uuid4().hex,
        owner=f"user:{user.pk}",
    )


def _form(**overrides) -> dict:
    return {
        **ADDRESS,
        "email": "bea@example.com",
        "coupon_code": "",
        "idempotency_key": uuid.uuid4().hex,
        "expected_total": "",
        "action": "place",
        **overrides,
    }


@pytest.mark.parametrize("country", NOT_COUNTRIES)
def test_the_checkout_service_refuses_what_is_not_a_country(country):
    user = UserFactory()
    cart = cart_with_lines(user=user, lines=[(purchasable_variant(price=1000), 1)])

    with pytest.raises(ApplicationError) as excinfo:
        _place(cart, user, country)

    assert list(excinfo.value.extra) == ["country"]
    assert not Order.objects.exists()
    assert CartLine.objects.filter(cart=cart).count() == 1


def test_the_checkout_service_stores_the_upper_case_code():
    user = UserFactory()
    cart = cart_with_lines(user=user, lines=[(purchasable_variant(price=1000), 1)])

    order, _created = _place(cart, user, "us")

    assert order.shipping_address["country"] == "US"


@pytest.mark.parametrize("country", NOT_COUNTRIES)
def test_the_checkout_page_refuses_what_is_not_a_country_next_to_the_field(client, country):
    user = UserFactory()
    cart_with_lines(user=user, lines=[(purchasable_variant(price=1000), 1)])
    client.force_login(user)

    response = client.post(reverse("orders:checkout"), _form(country=country))

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["country"]
    assert not Order.objects.exists()


def test_the_checkout_page_offers_a_select_of_country_names(client):
    user = UserFactory()
    cart_with_lines(user=user, lines=[(purchasable_variant(price=1000), 1)])
    client.force_login(user)

    html = client.get(reverse("orders:checkout")).content.decode()

    assert '<select name="country" autocomplete="country"' in html
    assert '<option value="US" selected>United States of America</option>' in html


def test_a_saved_address_ships_to_its_country(client):
    user = UserFactory()
    address = AddressFactory(user=user, country="CN")
    cart_with_lines(user=user, lines=[(purchasable_variant(price=1000), 1)])
    client.force_login(user)

    response = client.post(reverse("orders:checkout"), _form(saved_address=str(address.pk), country=""))

    assert response.status_code == 302
    assert Order.objects.get().shipping_address["country"] == "CN"


def test_the_order_page_shows_the_country_name_in_the_readers_language(client):
    user = UserFactory()
    cart_with_lines(user=user, lines=[(purchasable_variant(price=1000), 1)])
    client.force_login(user)
    client.post(reverse("orders:checkout"), _form(country="US"))
    order = Order.objects.get()
    url = reverse("orders:order-detail", args=[order.number])

    english = client.get(url).content.decode()
    chinese = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert order.shipping_address["country"] == "US"
    assert "12345<br>United States of America</address>" in english
    assert "12345<br>美国</address>" in chinese


def test_the_sellers_order_page_and_packing_slip_show_the_country_name(client):
    buyer = UserFactory()
    variant = purchasable_variant(price=1000)
    cart = cart_with_lines(user=buyer, lines=[(variant, 1)])
    _place(cart, buyer, "US")
    part = SellerOrder.objects.get()
    client.force_login(variant.product.seller.user)

    detail = client.get(reverse("seller:order-detail", args=[part.pk])).content.decode()
    slip = client.get(reverse("seller:order-packing-slip", args=[part.pk])).content.decode()
    slip_zh = client.get(
        reverse("seller:order-packing-slip", args=[part.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()

    assert "United States of America" in detail
    assert "United States of America" in slip
    assert "美国" in slip_zh
