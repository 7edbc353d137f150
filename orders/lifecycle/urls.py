"""Shopper pages of placed orders: "My orders", the guest look-up, an order, its cancellation and receipt
confirmation (``marketplace.urls_shop`` mounts them in the "orders" namespace, with the cart's pages and
the payments app's pay page)."""

from django.urls import path

from orders.lifecycle import views_shop as shop

urlpatterns = [
    path("orders/", shop.OrderListView.as_view(), name="order-list"),
    path("orders/lookup/", shop.GuestOrderLookupView.as_view(), name="guest-lookup"),
    path("orders/<str:number>/", shop.OrderDetailView.as_view(), name="order-detail"),
    path("orders/<str:number>/cancel/", shop.OrderCancelView.as_view(), name="order-cancel"),
    path(
        "orders/<str:number>/parts/<int:part_id>/received/",
        shop.OrderReceiptConfirmView.as_view(),
        name="order-receipt-confirm",
    ),
]
