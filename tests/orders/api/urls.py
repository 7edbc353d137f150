"""The project's URLs with the orders API mounted where ``marketplace/urls.py`` mounts it (the
integrator adds those two lines there); tests and the schema check use this URLconf until then."""

from django.urls import include, path

from marketplace import urls as project_urls

urlpatterns = [
    path("api/orders/", include("orders.api.urls")),
    path("api/seller/", include("orders.api.urls_seller")),
    *project_urls.urlpatterns,
]
