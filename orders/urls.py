"""Shopper pages of the orders app: cart, checkout and "My orders" (``marketplace.urls_shop`` mounts them in
the "orders" namespace, with the payments app's pay page)."""

from django.urls import path

from orders.views import shop

urlpatterns = [
    path("cart/", shop.CartView.as_view(), name="cart"),
    path("cart/add/", shop.CartAddView.as_view(), name="cart-add"),
    path("checkout/", shop.CheckoutView.as_view(), name="checkout"),
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
