"""Fixtures of the orders API tests: the API mounted (``tests.orders.api.urls``), shoppers, a seller's
purchasable SKU, and orders placed (and paid) through the real services."""

import uuid

import pytest
from rest_framework.test import APIClient

from accounts.services import seller_api_token_create
from orders.cart import services as cart_services
from orders.lifecycle import services as order_services
from orders.models import Order, OrderStatus
from tests.factories import ProductFactory, ProductVariantFactory, SellerProfileFactory, UserFactory

ADDRESS = {
    "full_name": "Ada Lovelace",
    "line1": "12 Analytical Row",
    "line2": "",
    "city": "London",
    "region": "",
    "postal_code": "N1 9GU",
    "country": "GB",
    "phone": "",
}


@pytest.fixture(autouse=True)
def _orders_api_urls(settings):
    settings.ROOT_URLCONF = "tests.orders.api.urls"


@pytest.fixture
def seller():
    return SellerProfileFactory(shop_name="Attic")


@pytest.fixture
def variant(seller):
    """An active product of an approved seller: 10 units at 19.99."""
    product = ProductFactory(seller=seller, title="Teapot", price_amount=1999)
    return ProductVariantFactory(product=product, sku="TEAPOT-1", price_amount=1999, stock=10)


@pytest.fixture
def shopper():
    return UserFactory(email="ada@example.com")


def client_for(user=None, *, csrf: bool = False) -> APIClient:
    api = APIClient(enforce_csrf_checks=csrf)
    if user is not None:
        api.force_login(user)
    return api


@pytest.fixture
def api(shopper):
    return client_for(shopper)


def seller_client(profile) -> APIClient:
    _token, key = seller_api_token_create(seller_id=profile.id)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return api


def place_order(buyer, lines, *, paid: bool = True) -> Order:
    """An order placed by ``buyer`` through the checkout service; paid unless told otherwise.
    ``lines`` is [(variant, quantity)]."""
    cart = cart_services.cart_create(user_id=buyer.pk)
    for variant, quantity in lines:
        cart_services.cart_line_add(cart_id=cart.pk, variant_id=variant.pk, quantity=quantity)
    order, _created = cart_services.checkout_place(
        cart_id=cart.pk,
        buyer_id=buyer.pk,
        email=buyer.email,
        shipping_address=ADDRESS,
        shipping_choice={},
        coupon_code="",
        expected_total=None,
        idempotency_key=uuid.uuid4().hex,
        owner=f"user:{buyer.pk}",
    )
    if paid:
        order_services.order_payment_confirmed(
            order_id=order.pk, amount=order.total_amount, currency=order.currency
        )
        order.refresh_from_db()
        assert order.status == OrderStatus.PAID
    return order
