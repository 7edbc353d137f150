"""The storefront's sitemap sections: what a search engine may index, read through the same visibility
rules as the storefront (``catalog.selectors``), so a hidden product or category is never listed.

Served by ``catalog.views.seo`` as an index (``/sitemap.xml``) of one or more pages per section
(``/sitemap-<section>.xml?p=N``); Django splits a section into pages of ``limit`` URLs.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, QuerySet
from django.urls import reverse

from accounts.models import SellerProfile
from catalog import selectors
from catalog.models import Category, Product

# The sitemaps.org maximum per file; past it the index lists another page of the section.
SITEMAP_MAX_URLS = 50_000


class StaticPagesSitemap(Sitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self) -> list[str]:
        return ["catalog:home"]

    def location(self, item: str) -> str:
        return reverse(item)


class CategorySitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8
    limit = SITEMAP_MAX_URLS

    def items(self) -> QuerySet[Category]:
        return selectors.category_list_visible().only("id", "slug", "path")

    def location(self, item: Category) -> str:
        return reverse("catalog:category-detail", args=[item.slug])


class ProductSitemap(Sitemap):
    """Every visible product, by id so pages are stable; two columns only (the table may be large)."""

    changefreq = "weekly"
    priority = 0.6
    limit = SITEMAP_MAX_URLS

    def items(self) -> QuerySet[Product]:
        return selectors.product_list_visible().only("id", "slug", "updated_at").order_by("id")

    def location(self, item: Product) -> str:
        return reverse("catalog:product-detail", args=[item.slug])

    def lastmod(self, item: Product) -> datetime:
        return item.updated_at

    def get_latest_lastmod(self) -> datetime | None:
        # One aggregate, not Django's default of reading every item for the index.
        return self.items().order_by().aggregate(latest=Max("updated_at"))["latest"]


class SellerStoreSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5
    limit = SITEMAP_MAX_URLS

    def items(self) -> QuerySet[SellerProfile]:
        return selectors.seller_list_visible().only("id", "slug", "updated_at").order_by("id")

    def location(self, item: SellerProfile) -> str:
        return reverse("catalog:seller-store", args=[item.slug])

    def lastmod(self, item: SellerProfile) -> datetime:
        return item.updated_at

    def get_latest_lastmod(self) -> datetime | None:
        return self.items().order_by().aggregate(latest=Max("updated_at"))["latest"]


SITEMAPS: dict[str, type[Sitemap]] = {
    "pages": StaticPagesSitemap,
    "categories": CategorySitemap,
    "products": ProductSitemap,
    "shops": SellerStoreSitemap,
}
