"""Seller portal pages for orders, shipments and shipping methods (mounted in the "seller" namespace)."""

urlpatterns: list = []
