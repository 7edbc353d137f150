"""Where products sit in the category tree, for other apps' rules (commission rates per category) and
reports (analytics rollups by seller and category)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from catalog.models import Category, Product, ProductVariant


def product_category_lineages(*, product_ids: list[int]) -> dict[int, list[int]]:
    """For each product id, its category id and then the ancestors' ids, nearest first (two queries)."""
    paths = dict(Product.objects.filter(pk__in=product_ids).values_list("pk", "category__path"))
    steplen = Category.steplen
    prefixes = {
        path[:end] for path in paths.values() if path for end in range(steplen, len(path) + 1, steplen)
    }
    ids_by_path = dict(Category.objects.filter(path__in=prefixes).values_list("path", "pk"))
    return {
        product_id: [
            ids_by_path[path[:end]] for end in range(len(path), 0, -steplen) if path[:end] in ids_by_path
        ]
        for product_id, path in paths.items()
        if path
    }


@dataclass(frozen=True)
class ProductPlacement:
    """Where a product sits for reports: its seller, leaf category and that category's top-level one."""

    seller_id: int
    category_id: int
    top_category_id: int
    currency: str


def product_placements(*, product_ids: Collection[int]) -> dict[int, ProductPlacement]:
    """The placement of each existing product of ``product_ids`` (two queries)."""
    rows = list(
        Product.objects.filter(pk__in=list(product_ids)).values_list(
            "pk", "seller_id", "category_id", "category__path", "currency"
        )
    )
    steplen = Category.steplen
    tops = dict(
        Category.objects.filter(path__in={path[:steplen] for *_, path, _currency in rows}).values_list(
            "path", "pk"
        )
    )
    return {
        pk: ProductPlacement(seller_id, category_id, tops.get(path[:steplen], category_id), currency)
        for pk, seller_id, category_id, path, currency in rows
    }


def variant_product_ids(*, variant_ids: Collection[int]) -> dict[int, int]:
    """The product of each existing SKU of ``variant_ids``."""
    return dict(ProductVariant.objects.filter(pk__in=list(variant_ids)).values_list("pk", "product_id"))
