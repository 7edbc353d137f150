"""The one module that imports ``stripe``: a ``StripeClient`` built from settings on every call (so tests
and the demo can point it at localstripe through ``STRIPE_API_BASE``), the handful of API calls the
payments app makes, and webhook signature verification. Everything returned is plain ``dict``s.

Card numbers never pass through here: the browser turns the card into a payment-method reference with
Stripe.js and only that reference reaches our server. The library's own debug log (which prints request
parameters) is kept quiet regardless of the root log level.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import stripe
from django.conf import settings

logger = logging.getLogger(__name__)
logging.getLogger("stripe").setLevel(logging.WARNING)

# Expanded on every PaymentIntent we read: the charge (captured amount, refunds) and its balance
# transaction (the provider's fee).
INTENT_EXPAND = ["latest_charge.balance_transaction"]


@dataclass(eq=False)
class GatewayError(Exception):
    """Stripe refused the request (``transient`` False: retrying the same request cannot help) or could
    not be reached / asked us to slow down (``transient`` True: retry later with the same idempotency
    key). ``message`` is Stripe's text for the shopper when it is a decline."""

    message: str
    code: str = ""
    http_status: int | None = None
    transient: bool = False
    declined: bool = False
    payment_intent_id: str = ""

    def __str__(self) -> str:
        return f"{self.http_status or '-'} {self.code or 'error'}: {self.message}"

    @property
    def not_found(self) -> bool:
        return self.http_status == 404


def _client() -> stripe.StripeClient:
    base = settings.STRIPE_API_BASE or None
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": base} if base else None,
        max_network_retries=settings.STRIPE_MAX_NETWORK_RETRIES,
        http_client=stripe.RequestsClient(timeout=settings.STRIPE_TIMEOUT_SECONDS),
    )


def _error(exc: stripe.StripeError) -> GatewayError:
    body = exc.json_body if isinstance(exc.json_body, dict) else {}
    error = body.get("error") if isinstance(body.get("error"), dict) else {}
    intent = error.get("payment_intent")
    transient = isinstance(exc, stripe.APIConnectionError | stripe.RateLimitError) or (
        exc.http_status is not None and exc.http_status >= 500
    )
    return GatewayError(
        message=exc.user_message or error.get("message") or str(exc) or "Stripe error",
        code=exc.code or error.get("code") or "",
        http_status=exc.http_status,
        transient=transient,
        declined=isinstance(exc, stripe.CardError),
        payment_intent_id=intent.get("id", "") if isinstance(intent, dict) else "",
    )


def _call(fn, *args: Any, **kwargs: Any) -> dict:
    try:
        return fn(*args, **kwargs).to_dict()
    except stripe.StripeError as exc:
        error = _error(exc)
        logger.info("stripe %s refused: %s", getattr(fn, "__qualname__", fn), error)
        raise error from None


# --- the calls ------------------------------------------------------------------------------------


def customer_create(*, email: str, order_number: str, idempotency_key: str) -> dict:
    return _call(
        _client().v1.customers.create,
        params={"email": email, "metadata": {"order_number": order_number}},
        options={"idempotency_key": idempotency_key},
    )


def payment_method_attach(*, customer_id: str, payment_method: str) -> tuple[str, dict]:
    """Attach the browser's payment method to the customer (Stripe checks the card here) and return
    the id to charge and the card's public details (brand, last 4 digits). ``pm_…`` (Stripe.js
    ``createPaymentMethod``) is attached; ``tok_…`` (Stripe.js ``createToken``, which localstripe's
    Stripe.js offers) becomes a card source of the customer."""
    client = _client()
    if payment_method.startswith("tok_"):
        card = _call(
            client.v1.customers.payment_sources.create, customer_id, params={"source": payment_method}
        )
        return card["id"], {"brand": card.get("brand"), "last4": card.get("last4")}
    attached = _call(client.v1.payment_methods.attach, payment_method, params={"customer": customer_id})
    card = attached.get("card") or {}
    return payment_method, {"brand": card.get("brand"), "last4": card.get("last4")}


def payment_intent_create(
    *,
    amount: int,
    currency: str,
    customer_id: str,
    payment_method: str,
    capture_method: str,
    payment_method_types: list[str],
    metadata: dict[str, str],
    idempotency_key: str,
) -> dict:
    """Create and confirm in one call (server-side confirmation)."""
    return _call(
        _client().v1.payment_intents.create,
        params={
            "amount": amount,
            "currency": currency.lower(),
            "customer": customer_id,
            "payment_method": payment_method,
            "payment_method_types": payment_method_types,
            "capture_method": capture_method,
            "confirm": True,
            "metadata": metadata,
            "expand": INTENT_EXPAND,
        },
        options={"idempotency_key": idempotency_key},
    )


def payment_intent_retrieve(intent_id: str) -> dict:
    return _call(_client().v1.payment_intents.retrieve, intent_id, params={"expand": INTENT_EXPAND})


def payment_intent_capture(*, intent_id: str, amount: int, idempotency_key: str) -> dict:
    return _call(
        _client().v1.payment_intents.capture,
        intent_id,
        params={"amount_to_capture": amount, "expand": INTENT_EXPAND},
        options={"idempotency_key": idempotency_key},
    )


def payment_intent_cancel(*, intent_id: str, idempotency_key: str) -> dict:
    return _call(
        _client().v1.payment_intents.cancel,
        intent_id,
        params={"expand": INTENT_EXPAND},
        options={"idempotency_key": idempotency_key},
    )


def refund_create(*, intent_id: str, amount: int, metadata: dict[str, str], idempotency_key: str) -> dict:
    return _call(
        _client().v1.refunds.create,
        params={"payment_intent": intent_id, "amount": amount, "metadata": metadata},
        options={"idempotency_key": idempotency_key},
    )


def refund_list(*, intent_id: str) -> list[dict]:
    listing = _call(_client().v1.refunds.list, params={"payment_intent": intent_id, "limit": 100})
    return list(listing.get("data") or [])


def transfer_create(
    *, amount: int, currency: str, destination: str, metadata: dict[str, str], idempotency_key: str
) -> dict:
    """A Stripe Connect transfer from the platform's balance to a connected account (a seller payout)."""
    return _call(
        _client().v1.transfers.create,
        params={
            "amount": amount,
            "currency": currency.lower(),
            "destination": destination,
            "metadata": metadata,
        },
        options={"idempotency_key": idempotency_key},
    )


def balance_transactions() -> Iterator[dict]:
    """Every balance transaction, newest first, page after page (the caller stops when it has enough).
    Raises ``GatewayError`` when a page cannot be read."""
    try:
        pages = _client().v1.balance_transactions.list(params={"limit": 100})
        for transaction in pages.auto_paging_iter():
            yield transaction.to_dict()
    except stripe.StripeError as exc:
        raise _error(exc) from None


# --- webhooks -------------------------------------------------------------------------------------


class SignatureInvalid(Exception):
    pass


def webhook_event_verify(*, payload: bytes, signature_header: str, secret: str, tolerance: int) -> dict:
    """The event in a correctly signed ``payload`` (as ``stripe.Webhook.construct_event`` checks it:
    HMAC-SHA256 of "<t>.<body>", ``t`` within ``tolerance`` seconds), parsed as plain JSON rather than
    into library objects — the request path only stores it."""
    if not secret or not signature_header:
        raise SignatureInvalid("missing signature or secret")
    try:
        text = payload.decode("utf-8")  # anyone can send bytes that are not UTF-8: a 400, never a 500
    except UnicodeDecodeError:
        raise SignatureInvalid("body is not UTF-8") from None
    try:
        stripe.WebhookSignature.verify_header(text, signature_header, secret, tolerance)
    except (stripe.SignatureVerificationError, ValueError) as exc:
        raise SignatureInvalid(str(exc)) from None
    # The library refuses only old timestamps; one from the future is as suspect (a clock far off, or a
    # signature made to be replayed later).
    stamps = [item.partition("=")[2] for item in signature_header.split(",") if item.strip().startswith("t=")]
    if not stamps or not stamps[0].strip().isdigit() or int(stamps[0]) > time.time() + tolerance:
        raise SignatureInvalid("timestamp outside the tolerance")
    if "\\u0000" in text.lower():
        # PostgreSQL cannot store a NUL character in JSON text; no real event carries one.
        raise SignatureInvalid("body contains a NUL character")
    try:
        event = json.loads(text)
    except (ValueError, RecursionError):  # RecursionError: JSON nested thousands deep
        raise SignatureInvalid("body is not JSON") from None
    if not isinstance(event, dict):
        raise SignatureInvalid("body is not a JSON object")
    return event
