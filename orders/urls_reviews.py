"""Placeholder until written."""

app_name = "reviews"
urlpatterns: list = []
