"""The order mail leaves through the real broker and is sent by a real ``celery worker`` process, not by
the request that placed the order (PostgreSQL + Redis only)."""

import uuid

import pytest
from django.urls import reverse

from common.tasks import email_send_task
from orders.models import Order
from tests.factories import UserFactory
from tests.orders.factories import ADDRESS, cart_with_lines, purchasable_variant

pytestmark = [pytest.mark.services, pytest.mark.usefixtures("celery_worker_process", "transactional_db")]


def test_the_order_placed_mail_is_sent_by_the_worker_not_the_request(client, mailoutbox, monkeypatch):
    user = UserFactory(email="worker-mail@example.com")
    cart_with_lines(user=user, lines=[(purchasable_variant(price=1500), 1)])
    client.force_login(user)
    enqueued = []
    apply_async = email_send_task.apply_async

    def apply_async_keeping_the_result(*args, **kwargs):
        # The task ignores its result (nobody waits for a mail); this test waits for this one.
        result = apply_async(*args, ignore_result=False, **kwargs)
        enqueued.append((kwargs["kwargs"], result))
        return result

    monkeypatch.setattr(email_send_task, "apply_async", apply_async_keeping_the_result)
    form = {
        **ADDRESS,
        "email": "worker-mail@example.com",
        "coupon_code": "",
        "idempotency_key": uuid.uuid4().hex,
        "expected_total": client.get(reverse("orders:checkout")).context["form"].initial["expected_total"],
        "action": "place",
    }

    response = client.post(reverse("orders:checkout"), form)

    order = Order.objects.get()
    assert response.status_code == 302
    [(message, result)] = enqueued
    assert (message["to"], message["template"], message["context"]["kind"]) == (
        "worker-mail@example.com",
        "emails/orders/order",
        "placed",
    )
    assert message["context"]["order"]["number"] == order.number
    assert result.get(timeout=30) is None  # rendered and sent by the worker, without an error
    assert result.state == "SUCCESS"
    assert mailoutbox == []  # the request's process sent nothing
