"""The seller portal at /seller/: one "seller" namespace composed from each app's seller pages, with the
pages of ``marketplace.pages.portal`` that show several apps (the dashboard with its orders to ship, an
order part with its commission)."""

from django.urls import path

from accounts.views import seller_api
from analytics.urls_seller import urlpatterns as analytics_patterns
from catalog.urls_seller import urlpatterns as catalog_patterns
from marketplace.pages.portal import SellerDashboardPage, SellerOrderDetailPage
from marketplace.urls_compose import patterns_with_views
from orders.lifecycle import views_seller as orders_seller
from orders.lifecycle.urls_seller import urlpatterns as orders_patterns
from orders.promotions.urls_seller import urlpatterns as promotion_patterns
from orders.reviews.urls_seller import urlpatterns as review_patterns
from orders.shipping import views_seller as shipping_seller
from orders.shipping.urls_seller import urlpatterns as shipping_patterns
from payments.urls_seller import urlpatterns as payment_patterns

app_name = "seller"

urlpatterns = [
    *patterns_with_views(catalog_patterns, dashboard=SellerDashboardPage.as_view()),
    *patterns_with_views(
        [*orders_patterns, *shipping_patterns],
        **{
            "order-detail": SellerOrderDetailPage.as_view(),
            # A refused form on these is shown on the composed order page.
            "order-ship": shipping_seller.SellerOrderShipView.as_view(detail_view=SellerOrderDetailPage),
            "order-cancel": orders_seller.SellerOrderCancelView.as_view(detail_view=SellerOrderDetailPage),
            "shipment-event-add": shipping_seller.SellerShipmentEventAddView.as_view(
                detail_view=SellerOrderDetailPage
            ),
        },
    ),
    *promotion_patterns,
    *review_patterns,
    *payment_patterns,
    *analytics_patterns,
    path("api-access/", seller_api.SellerApiAccessView.as_view(), name="api-access"),
]
