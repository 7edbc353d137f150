"""My orders, the order page, cancellation, receipt confirmation and the guest look-up; nobody sees or
changes another shopper's order."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from catalog.models import ProductVariant
from orders.lifecycle.services import order_payment_confirmed
from orders.models import OrderStatus
from tests.factories import UserFactory
from tests.orders.factories import order_place, part_status_force, purchasable_variant

pytestmark = pytest.mark.django_db

NOT_FOUND = "We could not find an order with this number and e-mail."


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_my_orders_lists_only_mine_with_a_bounded_number_of_queries(django_assert_max_num_queries):
    me, other = UserFactory(), UserFactory()
    mine = [
        order_place(user=me, lines=[(purchasable_variant(), 1), (purchasable_variant(), 1)]) for _ in range(4)
    ]
    theirs = order_place(user=other)
    client = _signed_in(me)

    with django_assert_max_num_queries(8):
        response = client.get(reverse("orders:order-list"))

    html = response.content.decode()
    assert response.status_code == 200
    assert all(order.number in html for order in mine)
    assert theirs.number not in html


def test_my_orders_needs_a_signed_in_shopper(client):
    response = client.get(reverse("orders:order-list"))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_the_order_page_shows_parts_lines_and_timeline(django_assert_max_num_queries):
    me = UserFactory()
    first = purchasable_variant(title="Teapot")
    second = purchasable_variant(title="Mug")
    order = order_place(user=me, lines=[(first, 1), (second, 2)])
    client = _signed_in(me)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("orders:order-detail", args=[order.number]))

    html = response.content.decode()
    assert response.status_code == 200
    assert order.number in html
    assert "Teapot" in html
    assert "Mug" in html
    assert first.product.seller.shop_name in html
    assert response.context["cancellable"] is True


@pytest.mark.parametrize("url_name", ["orders:order-detail", "orders:order-pay"])
def test_another_shoppers_order_is_not_found(url_name):
    order = order_place(user=UserFactory())
    stranger = _signed_in(UserFactory())

    assert stranger.get(reverse(url_name, args=[order.number])).status_code == 404
    assert Client().get(reverse(url_name, args=[order.number])).status_code == 404


def test_another_shopper_cannot_cancel_or_confirm_my_order():
    order = order_place(user=UserFactory())
    part = part_status_force(order.seller_orders.get(), OrderStatus.SHIPPED)
    stranger = _signed_in(UserFactory())

    cancel = stranger.post(reverse("orders:order-cancel", args=[order.number]))
    received = stranger.post(reverse("orders:order-receipt-confirm", args=[order.number, part.pk]))

    assert (cancel.status_code, received.status_code) == (404, 404)
    part.refresh_from_db()
    assert part.status == OrderStatus.SHIPPED


def test_the_shopper_cancels_an_unpaid_order_and_the_stock_returns():
    me = UserFactory()
    variant = purchasable_variant(stock=5)
    order = order_place(user=me, lines=[(variant, 2)])
    client = _signed_in(me)

    response = client.post(reverse("orders:order-cancel", args=[order.number]), {"reason": "Ordered twice"})

    assert response["Location"] == reverse("orders:order-detail", args=[order.number])
    assert _messages(response) == ["Your order was cancelled."]
    order.refresh_from_db()
    assert (order.status, order.cancel_reason) == (OrderStatus.CANCELLED, "Ordered twice")
    assert ProductVariant.objects.get(pk=variant.pk).stock == 5
    page = client.get(reverse("orders:order-detail", args=[order.number]))
    assert page.context["cancellable"] is False


def test_cancelling_a_shipped_order_is_refused_with_a_message():
    me = UserFactory()
    order = order_place(user=me)
    part_status_force(order.seller_orders.get(), OrderStatus.SHIPPED)
    client = _signed_in(me)

    page = client.get(reverse("orders:order-detail", args=[order.number]))
    response = client.post(reverse("orders:order-cancel", args=[order.number]))

    assert page.context["cancellable"] is False
    assert response.status_code == 302
    assert len(_messages(response)) == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED


def test_the_shopper_confirms_a_parcel_arrived():
    me = UserFactory()
    order = order_place(user=me)
    part = part_status_force(order.seller_orders.get(), OrderStatus.SHIPPED)
    client = _signed_in(me)

    response = client.post(reverse("orders:order-receipt-confirm", args=[order.number, part.pk]))

    assert _messages(response) == ["Thank you for confirming that your parcel arrived."]
    part.refresh_from_db()
    assert part.status == OrderStatus.DELIVERED


def test_a_part_of_another_order_cannot_be_confirmed_through_mine():
    me = UserFactory()
    mine = order_place(user=me)
    other = order_place(user=UserFactory())
    their_part = part_status_force(other.seller_orders.get(), OrderStatus.SHIPPED)
    client = _signed_in(me)

    response = client.post(reverse("orders:order-receipt-confirm", args=[mine.number, their_part.pk]))

    assert response.status_code == 404
    their_part.refresh_from_db()
    assert their_part.status == OrderStatus.SHIPPED


def test_a_guest_finds_their_order_by_number_and_email():
    order = order_place(user=None, cart=None, email="guest@example.com")
    client = Client()
    assert client.get(reverse("orders:order-detail", args=[order.number])).status_code == 404

    response = client.post(
        reverse("orders:guest-lookup"), {"number": order.number.lower(), "email": "GUEST@example.com"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("orders:order-detail", args=[order.number])
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize("wrong", ["email", "number"])
def test_a_wrong_number_or_email_gets_the_same_not_found_answer(wrong):
    order = order_place(email="guest@example.com")
    data = {"number": order.number, "email": "guest@example.com"}
    data[wrong] = "other@example.com" if wrong == "email" else "MNOPE"

    response = Client().post(reverse("orders:guest-lookup"), data)

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [NOT_FOUND]


def test_the_payment_page_of_a_paid_order_leads_to_the_order():
    me = UserFactory()
    order = order_place(user=me)
    order_payment_confirmed(order_id=order.pk, amount=order.total_amount, currency=order.currency)
    client = _signed_in(me)

    response = client.get(reverse("orders:order-pay", args=[order.number]))

    assert response.status_code == 302
    assert response["Location"] == reverse("orders:order-detail", args=[order.number])
