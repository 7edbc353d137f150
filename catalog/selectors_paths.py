"""Where products sit in the category tree, for other apps' rules (commission rates per category)."""

from __future__ import annotations

from catalog.models import Category, Product


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
