"""Storefront views (placeholder until the storefront helper lands)."""

from django.views.generic import TemplateView


class HomeView(TemplateView):
    template_name = "shop/catalog/home.html"


class SearchView(TemplateView):
    template_name = "shop/catalog/home.html"


class CartView(TemplateView):
    template_name = "shop/catalog/home.html"


class CategoryDetailView(TemplateView):
    template_name = "shop/catalog/home.html"


class ProductDetailView(TemplateView):
    template_name = "shop/catalog/home.html"


class SellerStoreView(TemplateView):
    template_name = "shop/catalog/home.html"
