from django.urls import path

from catalog.views import shop

app_name = "catalog"

urlpatterns = [
    path("", shop.HomeView.as_view(), name="home"),
    path("search/", shop.SearchView.as_view(), name="search"),
    path("c/<slug:slug>/", shop.CategoryDetailView.as_view(), name="category-detail"),
    path("p/<slug:slug>/", shop.ProductDetailView.as_view(), name="product-detail"),
    path("shops/<slug:slug>/", shop.SellerStoreView.as_view(), name="seller-store"),
]
