"""Operators cancel a seller's part of an order from the admin, with a reason, through the state machine."""

import pytest
from django.contrib.admin import helpers
from django.core import mail
from django.urls import reverse

from catalog.models import ProductVariant
from orders.lifecycle.services import order_payment_confirmed
from orders.models import OrderEvent, OrderStatus
from tests.factories import OperatorFactory, SellerProfileFactory
from tests.orders.factories import order_place, purchasable_variant
from tests.orders.factories_seller import paid_part, shipment_of

pytestmark = pytest.mark.django_db

URL = reverse("admin:orders_sellerorder_changelist")


def _paid_order(variant, quantity):
    order = order_place(lines=[(variant, quantity)], email="buyer@example.com")
    order_payment_confirmed(order_id=order.pk, amount=order.total_amount, currency=order.currency)
    return order


def test_the_action_asks_for_a_reason_first_and_changes_nothing(client):
    client.force_login(OperatorFactory())
    variant = purchasable_variant(stock=5)
    part = _paid_order(variant, 2).seller_orders.get()

    page = client.post(URL, {"action": "cancel_seller_orders", helpers.ACTION_CHECKBOX_NAME: [part.pk]})
    empty_reason = client.post(
        URL,
        {
            "action": "cancel_seller_orders",
            helpers.ACTION_CHECKBOX_NAME: [part.pk],
            "apply": "yes",
            "reason": "",
        },
    )

    assert page.status_code == 200
    assert "Only parts not yet shipped can be cancelled" in page.content.decode()
    assert empty_reason.status_code == 200
    part.refresh_from_db()
    assert part.status == OrderStatus.PAID
    assert ProductVariant.objects.get(pk=variant.pk).stock == 3


def test_an_operator_cancels_a_paid_part_with_a_reason_and_both_sides_are_told(
    client, django_capture_on_commit_callbacks
):
    operator = OperatorFactory()
    client.force_login(operator)
    seller = SellerProfileFactory(user__email="shop@example.com")
    variant = purchasable_variant(seller=seller, stock=5)
    part = _paid_order(variant, 2).seller_orders.get()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            URL,
            {
                "action": "cancel_seller_orders",
                helpers.ACTION_CHECKBOX_NAME: [part.pk],
                "apply": "yes",
                "reason": "Seller account under investigation",
            },
            follow=True,
        )

    assert response.status_code == 200
    part.refresh_from_db()
    assert (part.status, part.cancelled_by, part.cancel_reason) == (
        OrderStatus.CANCELLED,
        "operator",
        "Seller account under investigation",
    )
    event = OrderEvent.objects.filter(seller_order=part).latest("pk")
    assert (event.actor_kind, event.actor_id, event.data) == ("operator", operator.pk, {"refund_due": True})
    assert ProductVariant.objects.get(pk=variant.pk).stock == 5
    assert sorted(m.to[0] for m in mail.outbox) == ["buyer@example.com", "shop@example.com"]
    assert all("Our team cancelled" in m.body for m in mail.outbox)


def test_a_shipped_part_is_refused_with_a_message_and_left_alone(client):
    client.force_login(OperatorFactory())
    part = paid_part(status=OrderStatus.PROCESSING)
    shipment_of(part)

    response = client.post(
        URL,
        {
            "action": "cancel_seller_orders",
            helpers.ACTION_CHECKBOX_NAME: [part.pk],
            "apply": "yes",
            "reason": "x",
        },
        follow=True,
    )

    assert "Not changed" in response.content.decode()
    part.refresh_from_db()
    assert part.status == OrderStatus.PROCESSING
