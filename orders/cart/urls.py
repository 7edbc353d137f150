"""Shopper pages of the cart and checkout (``marketplace.urls_shop`` mounts them in the "orders"
namespace)."""

from django.urls import path

from orders.cart import views

urlpatterns = [
    path("cart/", views.CartView.as_view(), name="cart"),
    path("cart/add/", views.CartAddView.as_view(), name="cart-add"),
    path("checkout/", views.CheckoutView.as_view(), name="checkout"),
]
