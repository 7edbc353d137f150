from django.urls import path

from catalog.api import views

app_name = "catalog-api"

urlpatterns = [
    path("categories/", views.CategoryListApi.as_view(), name="category-list"),
    path("products/", views.ProductListApi.as_view(), name="product-list"),
]
