from django.urls import path

from catalog.api import views

app_name = "catalog-api"

urlpatterns = [
    path("categories/", views.CategoryListApi.as_view(), name="category-list"),
    path("categories/<slug:slug>/", views.CategoryDetailApi.as_view(), name="category-detail"),
    path("products/", views.ProductListApi.as_view(), name="product-list"),
    path("facets/", views.ProductFacetsApi.as_view(), name="product-facets"),
    path("products/<slug:slug>/", views.ProductDetailApi.as_view(), name="product-detail"),
]
