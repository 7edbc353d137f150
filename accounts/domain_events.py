"""Events the accounts app publishes (see ``common.domain_events``)."""

from __future__ import annotations

from dataclasses import dataclass

from common.domain_events import DomainEvent


@dataclass(frozen=True)
class SellerProfileChanged(DomainEvent):
    """A shop's public face or standing changed (approved, suspended, renamed…): listings that show the
    shop, or hide a suspended one, must be rebuilt."""

    seller_id: int
    change: str  # "status" (then ``status`` is the new one) or "rating"
    status: str = ""
