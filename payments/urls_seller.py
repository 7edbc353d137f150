"""Seller portal pages for the seller's money (mounted in the "seller" namespace)."""

from django.urls import path

from payments import views_seller

urlpatterns = [
    path("payouts/", views_seller.SellerBalanceView.as_view(), name="balance"),
    path("payouts/history/", views_seller.SellerPayoutListView.as_view(), name="payout-list"),
    path("payouts/<int:pk>/", views_seller.SellerPayoutDetailView.as_view(), name="payout-detail"),
    path("payouts/account/", views_seller.SellerPayoutAccountView.as_view(), name="payout-account"),
    path("payouts/statement.csv", views_seller.SellerStatementExportView.as_view(), name="statement-export"),
]
