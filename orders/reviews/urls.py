"""The shopper's review pages for their delivered orders (namespace "reviews", mounted at the site root)."""

from django.urls import path

from orders.reviews import views_shop as views

app_name = "reviews"

urlpatterns = [
    path("orders/<str:number>/reviews/", views.OrderReviewsView.as_view(), name="order-reviews"),
    path(
        "orders/<str:number>/reviews/items/<int:line_id>/",
        views.OrderLineReviewSaveView.as_view(),
        name="line-review",
    ),
    path(
        "orders/<str:number>/reviews/sellers/<int:part_id>/",
        views.SellerRatingSaveView.as_view(),
        name="seller-rating",
    ),
]
