"""Placeholder until written."""

app_name = "carrier"
urlpatterns: list = []
