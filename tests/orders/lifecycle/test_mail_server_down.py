"""A mail server that hangs up on every message: checkout and shipping still succeed, the mails they
cause are attempted after commit (by the e-mail task, which asks to be retried) and the shopper sees no
error."""

import uuid

import pytest
from django.urls import reverse

from orders.models import Order, OrderStatus, SellerOrder, Shipment
from tests.factories import SellerProfileFactory, UserFactory
from tests.orders.factories import ADDRESS, cart_with_lines, purchasable_variant
from tests.orders.factories_seller import paid_part

pytestmark = pytest.mark.django_db


def test_checkout_places_the_order_while_the_mail_server_is_down(
    client, smtp_down, email_retries, django_capture_on_commit_callbacks
):
    user = UserFactory(email="bea@example.com")
    cart = cart_with_lines(user=user, lines=[(purchasable_variant(price=2500), 2)])
    client.force_login(user)
    form = {
        **ADDRESS,
        "email": "bea@example.com",
        "coupon_code": "",
        "idempotency_key": uuid.uuid4().hex,
        "expected_total": client.get(reverse("orders:checkout")).context["form"].initial["expected_total"],
        "action": "place",
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("orders:checkout"), form)

    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("orders:order-pay", args=[order.number])
    assert (order.buyer_id, order.status) == (user.pk, OrderStatus.PENDING_PAYMENT)
    assert not cart.lines.exists()
    assert smtp_down.attempts == [("bea@example.com", f"Order {order.number} received")]
    assert email_retries == [5]  # a worker tries again in 5 s


def test_the_seller_ships_while_the_mail_server_is_down(
    client, smtp_down, email_retries, django_capture_on_commit_callbacks
):
    seller = SellerProfileFactory(shop_name="Attic")
    client.force_login(seller.user)
    part = paid_part(seller=seller, quantities=(1,), buyer__email="grace@example.com")
    data = {"carrier": "UPS", "tracking_number": "1Z999AA1"}
    data.update({f"quantity_{line.pk}": str(line.quantity) for line in part.lines.all()})

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("seller:order-ship", args=[part.pk]), data)

    assert response.status_code == 302
    assert SellerOrder.objects.get(pk=part.pk).status == OrderStatus.SHIPPED
    assert Shipment.objects.get().tracking_number == "1Z999AA1"
    assert smtp_down.attempts == [
        ("grace@example.com", f"Order {part.order.number}: Attic has shipped your items")
    ]
    assert email_retries == [5]
