"""The payment provider interface the payment services talk to, the providers behind it, and the one
mapping from a Stripe PaymentIntent to our payment facts.

A provider answers in ``PaymentFacts``: what it says about one payment at one moment (our status, the
amounts, the charge, the fee, the refunds it knows of). ``payments.services.payment_facts_apply`` is what
turns facts into state; nothing here touches the database.

- ``StripePaymentProvider`` ("stripe") goes through ``payments.stripe_gateway`` (the official library),
  against Stripe or, with ``STRIPE_API_BASE``, localstripe. The browser makes a payment-method reference
  with Stripe.js; ``confirm`` attaches it to a Customer (Stripe checks the card there) and creates the
  PaymentIntent for the order's server-side total with ``confirm=True`` (server-side confirmation).
- ``TestPaymentProvider`` ("test") moves no money: a clearly marked page lets the shopper confirm or
  decline. ``check --deploy`` refuses it (``payments.checks``), so production has no fake-success path.

Only card payments are exercised here; other types in ``STRIPE_PAYMENT_METHOD_TYPES`` (Alipay, WeChat
Pay) are passed through to Stripe, whose redirect flows this page does not drive yet.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Protocol

from django.conf import settings
from django.utils import timezone

from payments.models import Payment

Status = Payment.Status


class ProviderUnavailable(Exception):
    """The provider could not be reached or asked us to slow down: try again later (same idempotency
    key, so nothing is done twice)."""


class ProviderRefused(Exception):
    """The provider refused the request for good."""

    def __init__(self, message: str, *, not_found: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.not_found = not_found


@dataclass(frozen=True)
class RefundFact:
    reference: str  # "re_..."
    amount: int
    status: str  # "pending", "succeeded" or "failed"
    refund_id: int | None = None  # our Refund's id, from the metadata we sent


@dataclass(frozen=True)
class PaymentFacts:
    """What the provider says about one payment at ``occurred_at``."""

    reference: str
    status: str  # a Payment.Status value
    amount: int
    currency: str
    occurred_at: datetime
    captured_amount: int = 0
    client_secret: str = ""
    charge_reference: str = ""
    fee_amount: int = 0
    payment_method_summary: str = ""
    failure_message: str = ""
    # None: these facts say nothing about refunds (a PaymentIntent read without its charge's refunds).
    refunds: tuple[RefundFact, ...] | None = None
    payment_id: int | None = None  # from our metadata
    order_number: str = ""


@dataclass(frozen=True)
class PaymentStart:
    reference: str


# --- the one mapping ------------------------------------------------------------------------------

INTENT_STATUS = {
    "requires_payment_method": Status.CREATED,  # FAILED when it carries a last payment error
    "requires_confirmation": Status.CREATED,
    "processing": Status.CREATED,
    "requires_action": Status.REQUIRES_ACTION,
    "requires_capture": Status.AUTHORISED,
    "succeeded": Status.CAPTURED,
    "canceled": Status.CANCELLED,
}

REFUND_STATUS = {"succeeded": "succeeded", "failed": "failed", "canceled": "failed"}


def _int(value) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def refund_fact(refund: dict) -> RefundFact:
    metadata = refund.get("metadata") or {}
    refund_id = metadata.get("refund_id")
    return RefundFact(
        reference=str(refund.get("id") or ""),
        amount=_int(refund.get("amount")),
        status=REFUND_STATUS.get(refund.get("status") or "", "pending"),
        refund_id=int(refund_id) if str(refund_id or "").isdigit() else None,
    )


def _card_summary(details: dict | None) -> str:
    card = (details or {}).get("card") or details or {}
    brand, last4 = str(card.get("brand") or "").title(), str(card.get("last4") or "")
    return f"{brand} •••• {last4}".strip() if last4 else ""


def payment_intent_facts(intent: dict, *, occurred_at: datetime) -> PaymentFacts:
    """Our facts from a PaymentIntent (with ``latest_charge`` expanded, or the legacy ``charges`` list):
    status, amounts, charge, fee from its balance transaction, and the charge's refunds when listed."""
    stripe_status = intent.get("status") or ""
    error = intent.get("last_payment_error") or {}
    status = INTENT_STATUS.get(stripe_status, Status.CREATED)
    if stripe_status == "requires_payment_method" and error:
        status = Status.FAILED
    charge = intent.get("latest_charge")
    if not isinstance(charge, dict):
        listed = ((intent.get("charges") or {}).get("data")) or []
        charge = listed[-1] if listed and isinstance(listed[-1], dict) else {}
    captured = 0
    if status == Status.CAPTURED:
        if "amount_received" in intent:
            captured = _int(intent.get("amount_received"))
        elif "amount_captured" in charge:
            captured = _int(charge.get("amount_captured"))
        elif charge.get("captured"):
            captured = _int(charge.get("amount"))
    transaction = charge.get("balance_transaction")
    fee = _int(transaction.get("fee")) if isinstance(transaction, dict) else 0
    refunds = None
    if isinstance(charge.get("refunds"), dict) and isinstance(charge["refunds"].get("data"), list):
        refunds = tuple(refund_fact(r) for r in charge["refunds"]["data"] if isinstance(r, dict))
    metadata = intent.get("metadata") or {}
    payment_id = str(metadata.get("payment_id") or "")
    return PaymentFacts(
        reference=str(intent.get("id") or ""),
        status=status,
        amount=_int(intent.get("amount")),
        currency=str(intent.get("currency") or "").upper(),
        occurred_at=occurred_at,
        captured_amount=captured,
        client_secret=str(intent.get("client_secret") or ""),
        charge_reference=str(charge.get("id") or ""),
        fee_amount=fee,
        payment_method_summary=_card_summary(charge.get("payment_method_details")),
        failure_message=str(error.get("message") or "")[:300] if status == Status.FAILED else "",
        refunds=refunds,
        payment_id=int(payment_id) if payment_id.isdigit() else None,
        order_number=str(metadata.get("order_number") or ""),
    )


def event_time(event: dict) -> datetime:
    return datetime.fromtimestamp(_int(event.get("created")), tz=UTC)


# --- the interface --------------------------------------------------------------------------------


class PaymentProvider(Protocol):
    code: str

    def start(self, *, payment_id: int, amount: int, currency: str, order_number: str) -> PaymentStart:
        """Called when the pay page opens; the provider's reference, when it has one already."""
        ...

    def confirm(
        self,
        *,
        payment_id: int,
        amount: int,
        currency: str,
        order_number: str,
        email: str,
        payment_method: str,
        idempotency_key: str,
    ) -> PaymentFacts:
        """Charge the browser-made ``payment_method`` for ``amount`` (the order's server-side total). A
        decline is answered with FAILED facts carrying the provider's message, not an exception."""
        ...

    def retrieve(self, *, reference: str) -> PaymentFacts: ...

    def capture(self, *, reference: str, amount: int, idempotency_key: str) -> PaymentFacts: ...

    def cancel(self, *, reference: str, idempotency_key: str) -> PaymentFacts: ...

    def refund(self, *, reference: str, amount: int, refund_id: int, idempotency_key: str) -> RefundFact: ...

    def refunds(self, *, reference: str) -> tuple[RefundFact, ...]: ...


class TestPaymentProvider:
    """No money moves: the shopper confirms or declines on our own "test payment" page
    (``payments.services.payment_test_complete``). Refunds and cancellations succeed at once."""

    code = "test"

    def start(self, *, payment_id: int, amount: int, currency: str, order_number: str) -> PaymentStart:
        return PaymentStart(reference=f"test_{order_number}_{secrets.token_hex(6)}")

    def confirm(self, **kwargs) -> PaymentFacts:
        raise ProviderRefused("the test provider is confirmed on its own page")

    def retrieve(self, *, reference: str) -> PaymentFacts:
        raise ProviderRefused("the test provider keeps no state", not_found=True)

    def capture(self, *, reference: str, amount: int, idempotency_key: str) -> PaymentFacts:
        raise ProviderRefused("the test provider captures at once")

    def cancel(self, *, reference: str, idempotency_key: str) -> PaymentFacts:
        return PaymentFacts(
            reference=reference, status=Status.CANCELLED, amount=0, currency="", occurred_at=timezone.now()
        )

    def refund(self, *, reference: str, amount: int, refund_id: int, idempotency_key: str) -> RefundFact:
        return RefundFact(
            reference=f"test_re_{secrets.token_hex(8)}",
            amount=amount,
            status="succeeded",
            refund_id=refund_id,
        )

    def refunds(self, *, reference: str) -> tuple[RefundFact, ...]:
        return ()


class StripePaymentProvider:
    """Stripe PaymentIntents through the official library (``payments.stripe_gateway``)."""

    code = "stripe"

    def __init__(self) -> None:
        from payments import stripe_gateway

        self.gateway = stripe_gateway

    def _refused(self, error) -> Exception:
        if error.transient:
            return ProviderUnavailable(str(error))
        return ProviderRefused(error.message, not_found=error.not_found)

    def start(self, *, payment_id: int, amount: int, currency: str, order_number: str) -> PaymentStart:
        # The PaymentIntent is created with the card, at confirmation (localstripe cannot confirm an
        # existing intent with a new payment method, and an intent per page view would litter Stripe).
        return PaymentStart(reference="")

    def confirm(
        self,
        *,
        payment_id: int,
        amount: int,
        currency: str,
        order_number: str,
        email: str,
        payment_method: str,
        idempotency_key: str,
    ) -> PaymentFacts:
        gateway = self.gateway
        now = timezone.now()
        try:
            customer = gateway.customer_create(
                email=email, order_number=order_number, idempotency_key=f"{idempotency_key}:customer"
            )
            charge_with, card = gateway.payment_method_attach(
                customer_id=customer["id"], payment_method=payment_method
            )
            intent = gateway.payment_intent_create(
                amount=amount,
                currency=currency,
                customer_id=customer["id"],
                payment_method=charge_with,
                capture_method=settings.STRIPE_CAPTURE_METHOD,
                payment_method_types=list(settings.STRIPE_PAYMENT_METHOD_TYPES),
                metadata={"order_number": order_number, "payment_id": str(payment_id)},
                idempotency_key=idempotency_key,
            )
        except gateway.GatewayError as error:
            if error.transient:
                raise ProviderUnavailable(str(error)) from None
            # A decline (at attach or at charge) or an unusable payment method: the payment failed.
            return PaymentFacts(
                reference=error.payment_intent_id,
                status=Status.FAILED,
                amount=amount,
                currency=currency,
                occurred_at=now,
                failure_message=error.message[:300],
                payment_id=payment_id,
                order_number=order_number,
            )
        facts = payment_intent_facts(intent, occurred_at=now)
        if not facts.payment_method_summary:
            facts = replace(facts, payment_method_summary=_card_summary(card))
        return facts

    def retrieve(self, *, reference: str) -> PaymentFacts:
        now = timezone.now()
        try:
            intent = self.gateway.payment_intent_retrieve(reference)
        except self.gateway.GatewayError as error:
            raise self._refused(error) from None
        return payment_intent_facts(intent, occurred_at=now)

    def capture(self, *, reference: str, amount: int, idempotency_key: str) -> PaymentFacts:
        now = timezone.now()
        try:
            intent = self.gateway.payment_intent_capture(
                intent_id=reference, amount=amount, idempotency_key=idempotency_key
            )
        except self.gateway.GatewayError as error:
            raise self._refused(error) from None
        return payment_intent_facts(intent, occurred_at=now)

    def cancel(self, *, reference: str, idempotency_key: str) -> PaymentFacts:
        now = timezone.now()
        try:
            intent = self.gateway.payment_intent_cancel(intent_id=reference, idempotency_key=idempotency_key)
        except self.gateway.GatewayError as error:
            raise self._refused(error) from None
        return payment_intent_facts(intent, occurred_at=now)

    def refund(self, *, reference: str, amount: int, refund_id: int, idempotency_key: str) -> RefundFact:
        try:
            refund = self.gateway.refund_create(
                intent_id=reference,
                amount=amount,
                metadata={"refund_id": str(refund_id)},
                idempotency_key=idempotency_key,
            )
        except self.gateway.GatewayError as error:
            raise self._refused(error) from None
        return refund_fact(refund)

    def refunds(self, *, reference: str) -> tuple[RefundFact, ...]:
        try:
            return tuple(refund_fact(r) for r in self.gateway.refund_list(intent_id=reference))
        except self.gateway.GatewayError as error:
            raise self._refused(error) from None


PROVIDERS: dict[str, type] = {"test": TestPaymentProvider, "stripe": StripePaymentProvider}


def payment_provider_get(code: str | None = None) -> PaymentProvider:
    """The provider new payments use (``PAYMENT_PROVIDER``), or the one an existing payment was made
    with (``code``)."""
    code = code or settings.PAYMENT_PROVIDER
    try:
        return PROVIDERS[code]()
    except KeyError:
        raise LookupError(f"unknown PAYMENT_PROVIDER {code!r}; known: {', '.join(PROVIDERS)}") from None
