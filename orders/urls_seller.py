"""Seller portal pages for orders, shipments and shipping methods (mounted in the "seller" namespace)."""

from django.urls import path

from orders.views import seller

urlpatterns = [
    path("orders/", seller.SellerOrderListView.as_view(), name="order-list"),
    path("orders/<int:pk>/", seller.SellerOrderDetailView.as_view(), name="order-detail"),
    path("orders/<int:pk>/process/", seller.SellerOrderProcessView.as_view(), name="order-process"),
    path("orders/<int:pk>/ship/", seller.SellerOrderShipView.as_view(), name="order-ship"),
    path("orders/<int:pk>/cancel/", seller.SellerOrderCancelView.as_view(), name="order-cancel"),
    path(
        "orders/<int:pk>/packing-slip/",
        seller.SellerOrderPackingSlipView.as_view(),
        name="order-packing-slip",
    ),
    path(
        "shipments/<int:pk>/tracking/",
        seller.SellerShipmentEventAddView.as_view(),
        name="shipment-event-add",
    ),
    path("shipping-methods/", seller.SellerShippingMethodListView.as_view(), name="shipping-method-list"),
    path(
        "shipping-methods/new/",
        seller.SellerShippingMethodCreateView.as_view(),
        name="shipping-method-create",
    ),
    path(
        "shipping-methods/<int:pk>/edit/",
        seller.SellerShippingMethodEditView.as_view(),
        name="shipping-method-edit",
    ),
    path(
        "shipping-methods/<int:pk>/deactivate/",
        seller.SellerShippingMethodDeactivateView.as_view(),
        name="shipping-method-deactivate",
    ),
]
