"""What search engines read: ``robots.txt`` and the sitemap (an index and its section pages)."""

from __future__ import annotations

from typing import Any

from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.generic import TemplateView

from catalog.filters import ProductFacetFilter
from catalog.sitemaps import SITEMAPS

# Pages only a signed-in person has, or that only repeat what the sitemap lists.
ROBOTS_DISALLOWED_PATHS = (
    "/admin/",
    "/seller/",
    "/account/",
    "/accounts/",
    "/api/",
    "/cart/",
    "/i18n/",
    "/jsi18n/",
    "/search/",
)
# Sorted and faceted variants of a listing multiply without end; the canonical link names the plain page.
ROBOTS_DISALLOWED_PARAMS = ("q", "sort", *ProductFacetFilter.base_filters)


def sitemap_index(request: HttpRequest) -> HttpResponse:
    return sitemap_views.index(request, sitemaps=SITEMAPS, sitemap_url_name="sitemap-section")


def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    return sitemap_views.sitemap(request, sitemaps=SITEMAPS, section=section)


class RobotsTxtView(TemplateView):
    template_name = "shop/catalog/robots.txt"
    content_type = "text/plain; charset=utf-8"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            disallowed_paths=ROBOTS_DISALLOWED_PATHS,
            disallowed_params=sorted(set(ROBOTS_DISALLOWED_PARAMS)),
            sitemap_url=self.request.build_absolute_uri(reverse("sitemap-index")),
        )
        return context
