"""Orders are read-only in the admin: no field (address, tax, money, timestamps, who cancelled) can be
posted; money shows in major units with its currency."""

import pytest
from django.urls import reverse

from orders.models import Order, ShippingMethod
from tests.factories import OperatorFactory, SellerProfileFactory
from tests.orders.factories import order_place, purchasable_variant

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(client):
    user = OperatorFactory()
    client.force_login(user)
    return user


@pytest.fixture
def order():
    seller = SellerProfileFactory(shop_name="Attic")
    method = ShippingMethod.objects.create(seller=seller, name="Express", flat_amount=1500)
    return order_place(
        lines=[(purchasable_variant(seller=seller, price=58499), 1)],
        email="buyer@example.com",
        shipping_choice={seller.pk: method.pk},
    )


def test_the_order_page_shows_money_in_major_units_and_has_no_inputs(client, operator, order):
    assert order.total_amount == 59999

    html = client.get(reverse("admin:orders_order_change", args=[order.pk])).content.decode()

    assert "$599.99" in html
    assert "59999" not in html
    for field in ("tax_amount", "shipping_address", "total_amount", "pricing_explanation", "paid_at"):
        assert f'name="{field}"' not in html
    assert 'name="_save"' not in html
    listing = client.get(reverse("admin:orders_order_changelist")).content.decode()
    assert "$599.99" in listing


def test_posting_a_new_tax_or_address_changes_nothing(client, operator, order):
    address = dict(order.shipping_address)

    response = client.post(
        reverse("admin:orders_order_change", args=[order.pk]),
        {
            "tax_amount": "1",
            "total_amount": "1",
            "shipping_address": '{"line1": "Elsewhere 1"}',
            "status": "completed",
            "paid_at_0": "2020-01-01",
            "paid_at_1": "00:00:00",
        },
    )

    assert response.status_code == 403
    order.refresh_from_db()
    assert (order.tax_amount, order.total_amount, order.shipping_address, order.status, order.paid_at) == (
        Order.objects.get(pk=order.pk).tax_amount,
        59999,
        address,
        "pending_payment",
        None,
    )


def test_a_seller_order_cannot_be_edited_and_shows_its_labelled_shipping_method(client, operator, order):
    part = order.seller_orders.get()
    url = reverse("admin:orders_sellerorder_change", args=[part.pk])

    html = client.get(url).content.decode()
    response = client.post(
        url, {"cancelled_by": "operator", "tax_amount": "0", "shipping_amount": "0", "status": "cancelled"}
    )

    assert "Attic · Express ($15.00)" in html
    assert "$599.99" in html
    assert 'name="cancelled_by"' not in html
    assert response.status_code == 403
    part.refresh_from_db()
    assert (part.cancelled_by, part.shipping_amount, part.status) == ("", 1500, "pending_payment")


def test_orders_are_neither_added_nor_deleted(client, operator, order):
    assert client.get(reverse("admin:orders_order_add")).status_code == 403
    assert (
        client.post(reverse("admin:orders_order_delete", args=[order.pk]), {"post": "yes"}).status_code == 403
    )
    assert Order.objects.filter(pk=order.pk).exists()
