"""Shopper pages composed from several apps (see ``marketplace.pages``)."""

from __future__ import annotations

from typing import Any

from catalog.models import Product
from catalog.views.shop import ProductDetailView
from orders.lifecycle.views_shop import OrderDetailView
from orders.models import Order
from orders.reviews.selectors import product_reviews_for_page
from payments.selectors_refunds import order_refund_summary


class ProductDetailPage(ProductDetailView):
    """The product page with its shoppers' reviews."""

    def product_context_extra(self, product: Product) -> dict[str, Any]:
        # One query; a new review, edit or reply renews the product's page generation.
        return {"product_reviews": product_reviews_for_page(product_id=product.pk, limit=10)}


class OrderDetailPage(OrderDetailView):
    """The shopper's order with what has been refunded of it (every seller's part)."""

    def order_context_extra(self, order: Order) -> dict[str, Any]:
        return {"refunds": order_refund_summary(order_id=order.pk)}
