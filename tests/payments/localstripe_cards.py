"""What the shopper's browser does with Stripe.js, done from a test: turn a test card into a payment-method
reference at localstripe. ``pm_…`` is what real Stripe.js's ``createPaymentMethod`` gives; ``tok_…`` is
what localstripe's Stripe.js ``createToken`` gives (the fallback ``static/js/payment.js`` uses offline).
Card numbers go to localstripe only, never to our server — as in production."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.parse
import urllib.request

from django.conf import settings

VISA = "4242424242424242"
DECLINED = "4000000000000002"  # declined when attached to a customer (localstripe), generic decline
DECLINED_AT_CHARGE = "4000000000000341"
THREE_D_SECURE = "4000002500003155"


def _post(path: str, data: dict, *, key: str | None = None, method: str = "POST") -> dict:
    body = urllib.parse.urlencode(data).encode()
    request = urllib.request.Request(settings.STRIPE_API_BASE + path, data=body, method=method)  # noqa: S310
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    if key:
        request.add_header("Authorization", f"Bearer {key}")
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback)
        return json.loads(response.read())


def _get(path: str) -> dict:
    request = urllib.request.Request(settings.STRIPE_API_BASE + path)  # noqa: S310
    request.add_header("Authorization", f"Bearer {settings.STRIPE_SECRET_KEY}")
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback)
        return json.loads(response.read())


def card_payment_method(number: str = VISA) -> str:
    """A ``pm_…`` for the card, as Stripe.js ``createPaymentMethod`` makes it."""
    card = {"card[number]": number, "card[exp_month]": "12", "card[exp_year]": "2034", "card[cvc]": "123"}
    return _post("/v1/payment_methods", {"type": "card", **card}, key=settings.STRIPE_SECRET_KEY)["id"]


def card_token(number: str = VISA) -> str:
    """A ``tok_…`` for the card, as localstripe's Stripe.js ``createToken`` makes it (publishable key)."""
    card = {"card[number]": number, "card[exp_month]": "12", "card[exp_year]": "2034", "card[cvc]": "123"}
    return _post("/v1/tokens", {**card, "key": settings.STRIPE_PUBLISHABLE_KEY})["id"]


def authenticate(intent_id: str, client_secret: str, *, success: bool = True) -> dict:
    """The shopper answers the 3-D Secure dialog (what localstripe's ``confirmCardPayment`` posts)."""
    query = urllib.parse.urlencode({"success": "true" if success else "false"})
    return _post(
        f"/v1/payment_intents/{intent_id}/_authenticate?{query}",
        {"key": settings.STRIPE_PUBLISHABLE_KEY, "client_secret": client_secret},
    )


def intent(intent_id: str) -> dict:
    return _get(f"/v1/payment_intents/{intent_id}")


def refunds(intent_id: str) -> list[dict]:
    return _get(f"/v1/refunds?payment_intent={intent_id}")["data"]


def refund_in_dashboard(intent_id: str, amount: int) -> dict:
    """A refund an operator makes in the Stripe dashboard (not through the marketplace)."""
    return _post(
        "/v1/refunds", {"payment_intent": intent_id, "amount": str(amount)}, key=settings.STRIPE_SECRET_KEY
    )


def signed_event(
    event: dict, *, secret: str | None = None, timestamp: int | None = None
) -> tuple[bytes, str]:
    """An event body and its ``Stripe-Signature`` header, signed like Stripe signs them."""
    body = json.dumps(event).encode()
    timestamp = int(time.time()) if timestamp is None else timestamp
    key = (secret if secret is not None else settings.STRIPE_WEBHOOK_SECRET).encode()
    digest = hmac.new(key, f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return body, f"t={timestamp},v1={digest}"


def event(event_type: str, obj: dict, *, event_id: str, created: int | None = None) -> dict:
    return {
        "id": event_id,
        "object": "event",
        "type": event_type,
        "created": int(time.time()) if created is None else created,
        "data": {"object": obj},
    }
