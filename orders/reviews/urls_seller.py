"""Seller portal pages for reviews of the seller's products and their replies ("seller" namespace)."""

from django.urls import path

from orders.reviews import views_seller as views

urlpatterns: list = [
    path("reviews/", views.SellerReviewListView.as_view(), name="review-list"),
    path("reviews/<int:pk>/reply/", views.SellerReviewReplyView.as_view(), name="review-reply"),
]
