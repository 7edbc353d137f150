"""The seller portal at /seller/: one "seller" namespace composed from each app's seller pages."""

from catalog.urls_seller import urlpatterns as catalog_patterns
from orders.urls_seller import urlpatterns as orders_patterns
from orders.urls_seller_promotions import urlpatterns as promotion_patterns
from orders.urls_seller_reviews import urlpatterns as review_patterns
from payments.urls_seller import urlpatterns as payment_patterns

app_name = "seller"

urlpatterns = [*catalog_patterns, *orders_patterns, *promotion_patterns, *review_patterns, *payment_patterns]
