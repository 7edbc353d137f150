"""Seller portal pages for the seller's parts of orders (mounted in the "seller" namespace); shipping's
pages are ``orders.shipping.urls_seller``."""

from django.urls import path

from orders.lifecycle import views_seller as seller

urlpatterns = [
    path("orders/", seller.SellerOrderListView.as_view(), name="order-list"),
    path("orders/<int:pk>/", seller.SellerOrderDetailView.as_view(), name="order-detail"),
    path("orders/<int:pk>/process/", seller.SellerOrderProcessView.as_view(), name="order-process"),
    path("orders/<int:pk>/cancel/", seller.SellerOrderCancelView.as_view(), name="order-cancel"),
    path(
        "orders/<int:pk>/packing-slip/",
        seller.SellerOrderPackingSlipView.as_view(),
        name="order-packing-slip",
    ),
]
