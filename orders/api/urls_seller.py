"""The seller API for orders (see ``orders.api.seller``), mounted at /api/seller/ next to the catalog's
seller API: ``orders/``, ``shipments/`` and ``reviews/`` below it."""

from django.urls import path

from orders.api import seller

app_name = "seller-orders-api"

urlpatterns = [
    path("orders/", seller.SellerOrderListApi.as_view(), name="order-list"),
    path("orders/<int:seller_order_id>/", seller.SellerOrderDetailApi.as_view(), name="order-detail"),
    path(
        "orders/<int:seller_order_id>/shipments/",
        seller.SellerShipmentCreateApi.as_view(),
        name="shipment-create",
    ),
    path("orders/<int:seller_order_id>/cancel/", seller.SellerOrderCancelApi.as_view(), name="order-cancel"),
    path(
        "orders/<int:seller_order_id>/processing/",
        seller.SellerOrderProcessingApi.as_view(),
        name="order-processing",
    ),
    path(
        "shipments/<int:shipment_id>/events/",
        seller.SellerShipmentEventCreateApi.as_view(),
        name="shipment-event-create",
    ),
    path("reviews/<int:review_id>/reply/", seller.SellerReviewReplyApi.as_view(), name="review-reply"),
]
