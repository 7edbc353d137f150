"""The seller API, mounted at /api/seller/ (see ``catalog.api.seller``)."""

from django.urls import path

from catalog.api import seller

app_name = "seller-api"

urlpatterns = [
    path("products/", seller.SellerProductListCreateApi.as_view(), name="product-list"),
    path("products/<int:product_id>/", seller.SellerProductDetailApi.as_view(), name="product-detail"),
    path(
        "products/<int:product_id>/publish/",
        seller.SellerProductPublishApi.as_view(),
        name="product-publish",
    ),
    path("products/<int:product_id>/delist/", seller.SellerProductDelistApi.as_view(), name="product-delist"),
    path("variants/", seller.SellerVariantListApi.as_view(), name="variant-list"),
    path(
        "variants/<int:variant_id>/stock-adjustments/",
        seller.SellerStockAdjustmentCreateApi.as_view(),
        name="stock-adjustment-create",
    ),
    path("stock-movements/", seller.SellerStockMovementListApi.as_view(), name="stock-movement-list"),
]
