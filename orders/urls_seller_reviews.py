"""Seller portal pages for reviews of the seller's products and their replies ("seller" namespace)."""

urlpatterns: list = []
