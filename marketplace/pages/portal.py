"""Seller portal pages composed from several apps (see ``marketplace.pages``)."""

from __future__ import annotations

from typing import Any

from catalog.views.seller import SellerDashboardView
from orders.lifecycle.selectors import seller_order_counts
from orders.lifecycle.views_seller import SellerOrderDetailView
from orders.models import SellerOrder
from payments.selectors_payouts import seller_order_commission
from payments.selectors_refunds import seller_order_refund_summary


class SellerDashboardPage(SellerDashboardView):
    """The portal's home: the listings' figures with the orders waiting for the seller."""

    def dashboard_context_extra(self, *, seller_id: int) -> dict[str, Any]:
        return {"order_counts": seller_order_counts(seller_id=seller_id)}


class SellerOrderDetailPage(SellerOrderDetailView):
    """A seller's order part with the commission the platform took on it and what was refunded of it."""

    @classmethod
    def detail_context_extra(cls, part: SellerOrder) -> dict[str, Any]:
        return {
            "commission": seller_order_commission(seller_id=part.seller_id, seller_order_id=part.pk),
            "refunds": seller_order_refund_summary(seller_id=part.seller_id, seller_order_id=part.pk),
        }
