"""The storefront's "catalog" and "orders" namespaces, composed from each app's shopper pages with the
pages of ``marketplace.pages`` that show several apps (the product page with its reviews, an order with
its refunds) and the pay page, which is the payments app's view of an order."""

from django.urls import path

from catalog.urls import urlpatterns as catalog_app_patterns
from marketplace.pages.storefront import OrderDetailPage, ProductDetailPage
from marketplace.urls_compose import patterns_with_views
from orders.cart.urls import urlpatterns as cart_patterns
from orders.lifecycle.urls import urlpatterns as order_patterns
from payments.views import OrderPayView

catalog_patterns = patterns_with_views(
    catalog_app_patterns, **{"product-detail": ProductDetailPage.as_view()}
)

orders_patterns = [
    *cart_patterns,
    *patterns_with_views(order_patterns, **{"order-detail": OrderDetailPage.as_view()}),
    path("orders/<str:number>/pay/", OrderPayView.as_view(), name="order-pay"),
]
