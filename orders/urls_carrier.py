"""Carriers' server-to-server callbacks, mounted at /carriers/."""

from django.urls import path

from orders.views.carrier_webhook import carrier_webhook

app_name = "carrier"

urlpatterns = [
    path("<slug:carrier>/webhook/", carrier_webhook, name="webhook"),
]
