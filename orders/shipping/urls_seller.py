"""Seller portal pages for shipping a part, its tracking updates and the seller's shipping methods (mounted
in the "seller" namespace by ``marketplace.urls_seller``)."""

from django.urls import path

from orders.shipping import views_seller

urlpatterns = [
    path("orders/<int:pk>/ship/", views_seller.SellerOrderShipView.as_view(), name="order-ship"),
    path(
        "shipments/<int:pk>/tracking/",
        views_seller.SellerShipmentEventAddView.as_view(),
        name="shipment-event-add",
    ),
    path(
        "shipping-methods/", views_seller.SellerShippingMethodListView.as_view(), name="shipping-method-list"
    ),
    path(
        "shipping-methods/new/",
        views_seller.SellerShippingMethodCreateView.as_view(),
        name="shipping-method-create",
    ),
    path(
        "shipping-methods/<int:pk>/edit/",
        views_seller.SellerShippingMethodEditView.as_view(),
        name="shipping-method-edit",
    ),
    path(
        "shipping-methods/<int:pk>/deactivate/",
        views_seller.SellerShippingMethodDeactivateView.as_view(),
        name="shipping-method-deactivate",
    ),
]
