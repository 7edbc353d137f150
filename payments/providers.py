"""The payment provider interface the checkout talks to, and the providers behind it.

The checkout only needs two things from a provider: start a payment for an order's server-computed total,
and learn whether the money is confirmed. ``TestPaymentProvider`` ("test") moves no money: a clearly marked
page lets the shopper confirm or decline, which is how the demo and the tests run until Stripe arrives with
the payments issue. It refuses to be used when ``DEBUG`` is off and the provider was not chosen explicitly.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings


@dataclass(frozen=True)
class PaymentStart:
    reference: str
    # Where the shopper goes to pay (a provider page, or our own page hosting the provider's widget).
    next_step: str


class PaymentProvider(Protocol):
    code: str

    def start(self, *, amount: int, currency: str, order_number: str) -> PaymentStart: ...


class TestPaymentProvider:
    """No money moves: the shopper confirms or declines on our own "test payment" page."""

    code = "test"

    def start(self, *, amount: int, currency: str, order_number: str) -> PaymentStart:
        return PaymentStart(reference=f"test_{order_number}_{secrets.token_hex(6)}", next_step="test-page")


PROVIDERS: dict[str, type] = {"test": TestPaymentProvider}


def payment_provider_get() -> PaymentProvider:
    code = settings.PAYMENT_PROVIDER
    try:
        return PROVIDERS[code]()
    except KeyError:
        raise LookupError(f"unknown PAYMENT_PROVIDER {code!r}; known: {', '.join(PROVIDERS)}") from None
