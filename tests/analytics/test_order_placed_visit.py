"""The ``order_placed`` event names the shopper's visitor id, so the rollups join an order (a guest's too)
to the visit it was placed in."""

import uuid

import pytest
from django.urls import reverse

from analytics.models import Event
from analytics.services import events_flush
from orders.models import Order
from tests.orders.factories import ADDRESS, purchasable_variant

pytestmark = pytest.mark.django_db


def test_a_guests_order_placed_event_carries_the_visitor_id_of_the_checkout(
    client, django_capture_on_commit_callbacks
):
    variant = purchasable_variant(price=1000, stock=5)
    client.get(reverse("orders:cart"))  # the first response sets the visitor cookie
    client.post(
        reverse("orders:cart-add"),
        {"variant": variant.pk, "quantity": "1"},
        HTTP_SEC_FETCH_SITE="same-origin",
    )
    form = {
        **ADDRESS,
        "email": "guest@example.com",
        "coupon_code": "",
        "idempotency_key": uuid.uuid4().hex,
        "expected_total": "1000",
        "action": "place",
    }

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("orders:checkout"), form)
    events_flush()

    placed = Event.objects.get(type="order_placed")
    step = Event.objects.get(type="checkout_step")
    assert placed.object_id == str(Order.objects.get().pk)
    assert placed.user_id is None
    assert placed.session_key == step.session_key == client.cookies["mp_vid"].value
