"""Seller portal pages for promotions: coupons, flash sales, spend tiers (mounted in the "seller" namespace)."""

from django.urls import path

from orders.promotions import views_seller as views

urlpatterns: list = [
    path("promotions/coupons/", views.SellerCouponListView.as_view(), name="coupon-list"),
    path("promotions/coupons/new/", views.SellerCouponCreateView.as_view(), name="coupon-create"),
    path("promotions/coupons/<int:pk>/edit/", views.SellerCouponEditView.as_view(), name="coupon-edit"),
    path(
        "promotions/coupons/<int:pk>/deactivate/",
        views.SellerCouponDeactivateView.as_view(),
        name="coupon-deactivate",
    ),
    path("promotions/flash-sales/", views.SellerFlashSaleListView.as_view(), name="flash-sale-list"),
    path("promotions/flash-sales/new/", views.SellerFlashSaleCreateView.as_view(), name="flash-sale-create"),
    path(
        "promotions/flash-sales/<int:pk>/edit/",
        views.SellerFlashSaleEditView.as_view(),
        name="flash-sale-edit",
    ),
    path(
        "promotions/flash-sales/<int:pk>/deactivate/",
        views.SellerFlashSaleDeactivateView.as_view(),
        name="flash-sale-deactivate",
    ),
    path("promotions/spend-tiers/", views.SellerSpendTierListView.as_view(), name="spend-tier-list"),
    path("promotions/spend-tiers/new/", views.SellerSpendTierCreateView.as_view(), name="spend-tier-create"),
    path(
        "promotions/spend-tiers/<int:pk>/deactivate/",
        views.SellerSpendTierDeactivateView.as_view(),
        name="spend-tier-deactivate",
    ),
]
