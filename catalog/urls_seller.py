"""The seller portal, mounted at /seller/."""

from django.urls import path

from catalog.views import seller

app_name = "seller"

urlpatterns = [
    path("", seller.SellerDashboardView.as_view(), name="dashboard"),
    path("products/", seller.SellerProductListView.as_view(), name="product-list"),
    path("products/new/", seller.SellerProductCreateView.as_view(), name="product-create"),
    path("products/<int:pk>/", seller.SellerProductTransitionView.as_view(), name="product-transition"),
    path("products/<int:pk>/edit/", seller.SellerProductEditView.as_view(), name="product-edit"),
    path("inventory/", seller.SellerInventoryView.as_view(), name="inventory"),
    path("inventory/<int:pk>/adjust/", seller.SellerStockAdjustView.as_view(), name="stock-adjust"),
]
