"""Carriers' server-to-server callbacks, mounted at /carriers/."""

from django.urls import path

from orders.shipping.views_carrier import carrier_webhook

app_name = "carrier"

urlpatterns = [
    path("<slug:carrier>/webhook/", carrier_webhook, name="webhook"),
]
