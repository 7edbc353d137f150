"""The reasons and notes the system writes on an order's timeline, as codes translated when shown.

A system event stores a code (``OrderEvent.reason_code``) and its parameters (``reason_params``), never
text in the language of whoever happened to trigger it: the reader sees it in their own language. A
reason typed by a person (a seller's or an operator's cancel reason) is stored verbatim in ``reason``
and never translated. ``reason`` of a system event keeps an English rendering, for the admin and for old
API clients; ``Order.cancel_reason`` and ``SellerOrder.cancel_reason`` copy it, and
``stored_reason_display`` translates such a stored English message back when it is shown.

Parameters are JSON: plain values are shown as they are, ``money_param`` is minor units and a currency
(formatted for the reader's language), ``choice_param`` is a model field's choice (its label shown).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from django.apps import apps
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from common.money import Money

# Stored system text is rendered in the language of the msgids, whatever the deployment's default.
STORED_LANGUAGE = "en"


class ReasonCode(StrEnum):
    ORDER_PLACED = "order_placed"
    PAYMENT_RECEIVED = "payment_received"
    PAID_AFTER_CANCELLATION = "paid_after_cancellation"
    PAYMENT_EXPIRED = "payment_expired"
    CANCELLED_BY_SHOPPER = "cancelled_by_shopper"
    RECEIPT_CONFIRMED = "receipt_confirmed"
    AUTOCOMPLETED = "autocompleted"
    REFUND_SUCCEEDED = "refund_succeeded"
    REFUND_FAILED = "refund_failed"
    PAYMENT_DISPUTED = "payment_disputed"
    REFUNDED_AT_PROVIDER = "refunded_at_provider"
    SECOND_PAYMENT = "second_payment"
    REFUNDED_IN_FULL = "refunded_in_full"


REASONS: dict[str, Promise] = {
    ReasonCode.ORDER_PLACED: _("Order placed"),
    # The provider's payment id stays in the event's ``reason``/``data`` for operators, never in this text.
    ReasonCode.PAYMENT_RECEIVED: _("Payment received"),
    ReasonCode.PAID_AFTER_CANCELLATION: _("Payment received after the order was cancelled; a refund is due."),
    ReasonCode.PAYMENT_EXPIRED: _("Payment was not received in time"),
    ReasonCode.CANCELLED_BY_SHOPPER: _("Cancelled by the shopper"),
    ReasonCode.RECEIPT_CONFIRMED: _("Receipt confirmed by the shopper"),
    ReasonCode.AUTOCOMPLETED: _("Completed automatically after delivery"),
    ReasonCode.REFUND_SUCCEEDED: _("Refund of %(amount)s (%(why)s)"),
    ReasonCode.REFUND_FAILED: _("Refund of %(amount)s failed (%(why)s)"),
    ReasonCode.PAYMENT_DISPUTED: _(
        "The payment of %(amount)s was disputed by the card holder (%(reference)s)."
    ),
    ReasonCode.REFUNDED_AT_PROVIDER: _("Refunded at the payment provider (not through the marketplace)."),
    ReasonCode.SECOND_PAYMENT: _("A second payment for an order already paid."),
    ReasonCode.REFUNDED_IN_FULL: _("Refunded in full before it was shipped: there is nothing left to send."),
}


def money_param(amount: int, currency: str) -> dict[str, Any]:
    return {"amount": amount, "currency": currency}


def choice_param(field: str, value: str) -> dict[str, str]:
    """``field`` is ``"app_label.Model.field"``; the label of ``value`` among its choices is shown."""
    return {"choice": field, "value": value}


def _choice_label(field: str, value: str) -> str:
    try:
        app_label, model_name, field_name = field.split(".")
        choices = apps.get_model(app_label, model_name)._meta.get_field(field_name).flatchoices
    except (LookupError, ValueError, AttributeError):
        return value
    return str(dict(choices).get(value, value))


def _param_text(value: Any) -> Any:
    if isinstance(value, dict):
        if "amount" in value and "currency" in value:
            return Money(int(value["amount"]), str(value["currency"])).format()
        if "choice" in value and "value" in value:
            return _choice_label(str(value["choice"]), str(value["value"]))
    return value


def reason_text(*, code: str, params: Mapping[str, Any] | None = None, fallback: str = "") -> str:
    """The reason in the active language: the code's text with its parameters, else ``fallback`` (a
    stored English system message is translated, anything else is shown as typed)."""
    template = REASONS.get(code) if code else None
    if template is None:
        return stored_reason_display(fallback)
    values = {name: _param_text(value) for name, value in (params or {}).items()}
    try:
        return str(template) % values
    except (KeyError, TypeError, ValueError):
        return fallback or str(template)


def reason_stored_text(*, code: str, params: Mapping[str, Any] | None = None) -> str:
    """The English rendering a system event keeps in ``reason`` (and orders in ``cancel_reason``)."""
    with translation.override(STORED_LANGUAGE):
        return reason_text(code=code, params=params)


def _stored_messages() -> dict[str, str]:
    """English text of the parameterless reasons -> code."""
    return {str(template): code for code, template in REASONS.items() if "%(" not in str(template)}


def stored_reason_display(text: str) -> str:
    """Stored text in the active language: a parameterless system message stored in English (e.g. an
    order's ``cancel_reason`` after its payment window passed) is translated, anything else — a reason
    someone typed — is returned verbatim."""
    if not text:
        return ""
    with translation.override(STORED_LANGUAGE):
        code = _stored_messages().get(text)
    return str(REASONS[code]) if code else text
