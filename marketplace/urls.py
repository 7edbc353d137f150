from django.conf import settings
from django.contrib import admin
from django.http import Http404, HttpRequest, HttpResponse
from django.templatetags.static import static
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog, set_language
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from catalog.views import seo
from marketplace import urls_shop
from marketplace.api import api_root
from marketplace.csrf import csrf_token
from marketplace.health import healthz

api_patterns = [
    path("", api_root, name="api-root"),
    path("catalog/", include("catalog.api.urls")),
    path("seller/", include("catalog.api.urls_seller")),
    path("orders/", include("orders.api.urls")),
    path("seller/", include("orders.api.urls_seller")),
    path("seller/analytics/", include("analytics.api.urls_seller")),
    path("analytics/", include("analytics.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # The visitor's CSRF token (and cookie) for forms on cached pages (static/js/csrf.js).
    path("csrf/", csrf_token, name="csrf-token"),
    # Exempt from CSRF so the language form needs no per-visitor token and pages stay cacheable; the
    # worst a forged request can do is switch someone's display language.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("account/", include("accounts.urls")),
    path("api/", include(api_patterns)),
    path("seller/", include("marketplace.urls_seller")),
    path("ops/analytics/", include("analytics.urls_ops")),
    path("robots.txt", seo.RobotsTxtView.as_view(), name="robots-txt"),
    # Browsers ask for /favicon.ico whatever the page links; send them to the icon the pages link.
    path("favicon.ico", RedirectView.as_view(url=static("img/favicon.svg"), permanent=True), name="favicon"),
    path("sitemap.xml", seo.sitemap_index, name="sitemap-index"),
    path("sitemap-<slug:section>.xml", seo.sitemap_section, name="sitemap-section"),
    path("carriers/", include("orders.shipping.urls_carrier")),
    path("payments/", include("payments.urls")),
    path("", include((urls_shop.orders_patterns, "orders"))),
    path("", include("orders.reviews.urls")),
    path("", include((urls_shop.catalog_patterns, "catalog"))),
]


def media_serve(request: HttpRequest, path: str) -> HttpResponse:
    """Uploaded files, when ``SERVE_MEDIA`` is on (read per request, so it can be switched in tests);
    otherwise the proxy in front serves them and this is a 404."""
    if not settings.SERVE_MEDIA:
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT)


if settings.MEDIA_URL.startswith("/") and not settings.MEDIA_URL.startswith("//"):
    urlpatterns += [path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", media_serve, name="media")]
