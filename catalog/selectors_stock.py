"""Stock on hand across the catalog, for other apps' reports (the analytics daily stock snapshot)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from catalog.models import ProductVariant


class VariantStock(NamedTuple):
    variant_id: int
    product_id: int
    seller_id: int
    category_id: int
    on_hand: int
    price_amount: int
    currency: str


def variant_stock_iter(*, chunk_size: int = 2000) -> Iterator[VariantStock]:
    """Every SKU's stock on hand with its product, seller, leaf category and price, streamed by id."""
    rows = (
        ProductVariant.objects.order_by("pk")
        .values_list(
            "pk",
            "product_id",
            "product__seller_id",
            "product__category_id",
            "stock",
            "price_amount",
            "currency",
        )
        .iterator(chunk_size=chunk_size)
    )
    for row in rows:
        yield VariantStock._make(row)
