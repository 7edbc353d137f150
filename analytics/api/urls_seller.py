"""A seller's analytics API, mounted at /api/seller/analytics/ (see ``analytics.api.seller``)."""

from django.urls import path

from analytics.api import seller

app_name = "seller-analytics-api"

urlpatterns = [
    path("overview/", seller.SellerOverviewApi.as_view(), name="overview"),
    path("traffic/", seller.SellerTrafficApi.as_view(), name="traffic"),
    path("products/", seller.SellerProductsApi.as_view(), name="products"),
]
