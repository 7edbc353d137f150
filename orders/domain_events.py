"""Events the orders app publishes (see ``common.domain_events``). Higher apps subscribe to them:
payments refunds a paid part that was cancelled; after-sales, risk, analytics and recommendations react
to orders being paid, cancelled, delivered and completed."""

from __future__ import annotations

from dataclasses import dataclass

from common.domain_events import DomainEvent


@dataclass(frozen=True)
class OrderPlaced(DomainEvent):
    order_id: int


@dataclass(frozen=True)
class OrderPaid(DomainEvent):
    order_id: int


@dataclass(frozen=True)
class OrderCancelled(DomainEvent):
    order_id: int
    was_paid: bool


@dataclass(frozen=True)
class OrderDelivered(DomainEvent):
    order_id: int


@dataclass(frozen=True)
class OrderCompleted(DomainEvent):
    order_id: int


@dataclass(frozen=True)
class SellerOrderStatusChanged(DomainEvent):
    """Any move of one seller's part of an order, with who made it (``OrderEvent.Actor``)."""

    seller_order_id: int
    order_id: int
    seller_id: int
    from_status: str
    to_status: str
    actor_kind: str


@dataclass(frozen=True)
class SellerOrderCancelled(DomainEvent):
    """A seller's part was cancelled; ``was_paid`` when money had been taken for it (it is owed back)."""

    seller_order_id: int
    order_id: int
    was_paid: bool
    actor_kind: str
