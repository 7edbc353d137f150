"""The catalog's seller portal pages; ``marketplace.urls_seller`` mounts them in the "seller" namespace."""

from django.urls import path

from catalog.views import seller, seller_import

urlpatterns = [
    path("", seller.SellerDashboardView.as_view(), name="dashboard"),
    path("products/", seller.SellerProductListView.as_view(), name="product-list"),
    path("products/new/", seller.SellerProductCreateView.as_view(), name="product-create"),
    path("products/import/", seller_import.SellerProductImportView.as_view(), name="product-import"),
    path("products/export/", seller_import.SellerProductExportView.as_view(), name="product-export"),
    path("products/<int:pk>/", seller.SellerProductTransitionView.as_view(), name="product-transition"),
    path("products/<int:pk>/edit/", seller.SellerProductEditView.as_view(), name="product-edit"),
    path("products/<int:pk>/images/", seller.SellerProductImageAddView.as_view(), name="product-image-add"),
    path(
        "products/<int:pk>/images/<int:image_pk>/",
        seller.SellerProductImageUpdateView.as_view(),
        name="product-image-update",
    ),
    path(
        "products/<int:pk>/images/<int:image_pk>/delete/",
        seller.SellerProductImageDeleteView.as_view(),
        name="product-image-delete",
    ),
    path(
        "products/<int:pk>/images/<int:image_pk>/move/",
        seller.SellerProductImageMoveView.as_view(),
        name="product-image-move",
    ),
    path("inventory/", seller.SellerInventoryView.as_view(), name="inventory"),
    path("inventory/<int:pk>/adjust/", seller.SellerStockAdjustView.as_view(), name="stock-adjust"),
]
