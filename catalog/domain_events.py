"""Events the catalog publishes (see ``common.domain_events``): recommendations, search indexes and
analytics react to a listing being created, edited, moved between statuses or changing stock."""

from __future__ import annotations

from dataclasses import dataclass

from common.domain_events import DomainEvent


@dataclass(frozen=True)
class ListingChanged(DomainEvent):
    product_id: int
    # "created", "updated", "status" (then ``status`` is the new one), "stock", "rating", "images"
    change: str
    status: str = ""
