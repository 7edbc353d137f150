"""Events the payments app publishes (see ``common.domain_events``): risk scores an authorised payment
before it is captured; analytics and after-sales react to captures and settled refunds."""

from __future__ import annotations

from dataclasses import dataclass

from common.domain_events import DomainEvent


@dataclass(frozen=True)
class PaymentAuthorised(DomainEvent):
    """The card was authorised and not yet captured (manual capture: the place for a risk hold)."""

    payment_id: int
    order_id: int
    amount: int
    currency: str


@dataclass(frozen=True)
class PaymentCaptured(DomainEvent):
    payment_id: int
    order_id: int
    amount: int
    currency: str


@dataclass(frozen=True)
class RefundSettled(DomainEvent):
    """A refund the provider confirmed (``succeeded``) or refused; money moved only when it succeeded."""

    refund_id: int
    payment_id: int
    order_id: int
    seller_order_id: int | None
    amount: int
    currency: str
    succeeded: bool
