"""Seller portal pages for promotions: coupons, flash sales, spend tiers (mounted in the "seller" namespace)."""

urlpatterns: list = []
