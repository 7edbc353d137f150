"""Hostile bodies at the Stripe webhook are 400s that store nothing, never 500s: bytes that are not UTF-8
(no secret needed to send them), and correctly signed bodies with a ``created`` past year 9999, a NUL
character in a string, or JSON nested 50,000 deep."""

import hashlib
import hmac
import time

import pytest
from django.conf import settings

from payments.models import WebhookEvent
from tests.payments import localstripe_cards as cards

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stripe_settings", "celery_eager")]

URL = "/payments/webhooks/stripe/"


def _signed(body: bytes) -> str:
    timestamp = int(time.time())
    key = settings.STRIPE_WEBHOOK_SECRET.encode()
    return f"t={timestamp},v1={hmac.new(key, f'{timestamp}.'.encode() + body, hashlib.sha256).hexdigest()}"


def _post(client, body: bytes, signature: str):
    return client.post(URL, data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature)


def test_a_body_that_is_not_utf8_with_a_junk_signature_is_a_400(client):
    response = _post(client, b'{"id": "evt_\xff\xfe"}', "t=1,v1=junk")

    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()


def test_a_non_utf8_body_even_correctly_signed_is_a_400(client):
    body = b'{"id": "evt_\xff", "type": "x"}'

    response = _post(client, body, _signed(body))

    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()


@pytest.mark.parametrize("created", [10**15, 2**63, -(10**15)])
def test_a_signed_event_created_out_of_range_is_a_400(client, created):
    body, signature = cards.signed_event(
        cards.event("payment_intent.succeeded", {"id": "pi_x"}, event_id="evt_time", created=created)
    )

    response = _post(client, body, signature)

    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()


def test_a_signed_event_with_a_nul_character_is_a_400(client):
    body, signature = cards.signed_event(
        cards.event("payment_intent.succeeded", {"id": "pi_\u0000x"}, event_id="evt_nul")
    )
    assert b"\\u0000" in body

    response = _post(client, body, signature)

    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()


def test_a_signed_body_nested_fifty_thousand_deep_is_a_400(client, settings):
    settings.STRIPE_WEBHOOK_MAX_BYTES = 1_000_000
    body = b'{"id": "evt_deep", "type": "x", "data": ' + b"[" * 50_000 + b"]" * 50_000 + b"}"

    response = _post(client, body, _signed(body))

    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()
