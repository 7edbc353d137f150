"""Shopper pages of the orders app: cart, checkout, payment step and "My orders"."""

from django.urls import path

from orders.views import shop

app_name = "orders"

urlpatterns = [
    path("cart/", shop.CartView.as_view(), name="cart"),
    path("cart/add/", shop.CartAddView.as_view(), name="cart-add"),
    path("checkout/", shop.CheckoutView.as_view(), name="checkout"),
    path("orders/", shop.OrderListView.as_view(), name="order-list"),
    path("orders/lookup/", shop.GuestOrderLookupView.as_view(), name="guest-lookup"),
    path("orders/<str:number>/", shop.OrderDetailView.as_view(), name="order-detail"),
    path("orders/<str:number>/pay/", shop.OrderPayView.as_view(), name="order-pay"),
    path("orders/<str:number>/cancel/", shop.OrderCancelView.as_view(), name="order-cancel"),
    path(
        "orders/<str:number>/parts/<int:part_id>/received/",
        shop.OrderReceiptConfirmView.as_view(),
        name="order-receipt-confirm",
    ),
]
