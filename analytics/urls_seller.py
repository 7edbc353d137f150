"""A seller's analytics in the portal's "seller" namespace (``marketplace.urls_seller``): /seller/analytics/."""

from django.urls import path

from analytics.views import seller

urlpatterns = [
    path("analytics/", seller.SellerAnalyticsOverviewView.as_view(), name="analytics"),
    path("analytics/traffic/", seller.SellerAnalyticsTrafficView.as_view(), name="analytics-traffic"),
    path("analytics/products/", seller.SellerAnalyticsProductsView.as_view(), name="analytics-products"),
]
