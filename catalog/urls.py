"""The catalog's storefront pages; ``marketplace.urls_shop`` mounts them in the "catalog" namespace."""

from django.urls import path

from catalog.views import shop

urlpatterns = [
    path("", shop.HomeView.as_view(), name="home"),
    path("search/", shop.SearchView.as_view(), name="search"),
    path("c/<slug:slug>/", shop.CategoryDetailView.as_view(), name="category-detail"),
    path("p/<slug:slug>/", shop.ProductDetailView.as_view(), name="product-detail"),
    path("shops/<slug:slug>/", shop.SellerStoreView.as_view(), name="seller-store"),
]
