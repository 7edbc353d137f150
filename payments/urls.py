"""Payments endpoints under /payments/: Stripe's webhook and the pay page's JSON calls."""

from django.urls import path

from payments import views

app_name = "payments"

urlpatterns = [
    path("webhooks/stripe/", views.StripeWebhookView.as_view(), name="stripe-webhook"),
    path("orders/<str:number>/confirm/", views.PaymentConfirmView.as_view(), name="payment-confirm"),
    path("orders/<str:number>/refresh/", views.PaymentRefreshView.as_view(), name="payment-refresh"),
]
