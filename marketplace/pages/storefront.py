"""Shopper pages composed from several apps (see ``marketplace.pages``)."""

from __future__ import annotations

from typing import Any

from catalog.models import Product
from catalog.views.shop import ProductDetailView
from orders.reviews.selectors import product_reviews_for_page


class ProductDetailPage(ProductDetailView):
    """The product page with its shoppers' reviews."""

    def product_context_extra(self, product: Product) -> dict[str, Any]:
        # One query; a new review, edit or reply renews the product's page generation.
        return {"product_reviews": product_reviews_for_page(product_id=product.pk, limit=10)}
