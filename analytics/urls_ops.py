"""Operators' analytics, mounted at /ops/analytics/ (see ``analytics.views.ops``)."""

from django.urls import path

from analytics.views import ops

app_name = "ops-analytics"

urlpatterns = [
    path("", ops.OpsOverviewView.as_view(), name="overview"),
    path("traffic/", ops.OpsTrafficView.as_view(), name="traffic"),
    path("products/", ops.OpsProductsView.as_view(), name="products"),
    path("sellers/", ops.OpsSellersView.as_view(), name="sellers"),
]
