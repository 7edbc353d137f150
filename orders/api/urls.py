"""The shopper API, mounted at /api/orders/ (see ``orders.api.shop``)."""

from django.urls import path

from orders.api import shop

app_name = "orders-api"

urlpatterns = [
    path("", shop.OrderListApi.as_view(), name="order-list"),
    path("cart/", shop.CartApi.as_view(), name="cart"),
    path("cart/lines/", shop.CartLineCreateApi.as_view(), name="cart-line-create"),
    path("cart/lines/<int:variant_id>/", shop.CartLineDetailApi.as_view(), name="cart-line-detail"),
    path("checkout/", shop.CheckoutApi.as_view(), name="checkout"),
    path("reviews/", shop.ProductReviewCreateApi.as_view(), name="review-create"),
    path("reviews/<int:review_id>/", shop.ProductReviewUpdateApi.as_view(), name="review-detail"),
    path("seller-ratings/", shop.SellerRatingCreateApi.as_view(), name="seller-rating-create"),
    path("<str:number>/", shop.OrderDetailApi.as_view(), name="order-detail"),
    path("<str:number>/cancel/", shop.OrderCancelApi.as_view(), name="order-cancel"),
]
