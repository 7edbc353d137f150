"""Operators' analytics API, mounted at /api/analytics/ (see ``analytics.api.ops``)."""

from django.urls import path

from analytics.api import ops

app_name = "analytics-api"

urlpatterns = [
    path("overview/", ops.OverviewApi.as_view(), name="overview"),
    path("traffic/", ops.TrafficApi.as_view(), name="traffic"),
    path("products/", ops.ProductsApi.as_view(), name="products"),
    path("sellers/", ops.SellersApi.as_view(), name="sellers"),
]
