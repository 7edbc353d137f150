"""Storefront pages for shoppers: home, category, product, seller store, search and the (empty) cart.

Views parse the request, call ``catalog.selectors`` and hand the results to templates under
``templates/shop/catalog/``; they hold no catalog rules of their own.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from catalog import selectors, selectors_attributes
from catalog.attributes import (
    PRODUCT,
    VARIANT,
    AttributeSpec,
    attribute_specs_scoped,
    attribute_summary,
    attribute_values_display,
)
from catalog.filters import ProductFacetFilter
from catalog.listing_cache import product_version
from catalog.models import Category, Product, ProductVariant
from catalog.richtext import description_plain
from common.money import Money
from common.tracking import track, visitor_id

PAGE_SIZE = 24

# The characters json_script escapes, so user text cannot close the <script> element.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}

_SCHEMA_CONDITION = {
    Product.Condition.NEW: "https://schema.org/NewCondition",
    Product.Condition.USED: "https://schema.org/UsedCondition",
    Product.Condition.REFURBISHED: "https://schema.org/RefurbishedCondition",
}


def paginate(request: HttpRequest, queryset: QuerySet, *, per_page: int = PAGE_SIZE) -> Page:
    """A page of a product listing: a non-numeric ``?page=`` gives page 1, one past the end the last
    page. Which products are on it is cached briefly; the cards are read live (``ListingPaginator``)."""
    return selectors.ListingPaginator(queryset, per_page).get_page(request.GET.get("page"))


def _crumb(label: str, url: str | None = None) -> dict[str, Any]:
    return {"label": label, "url": url}


def _category_crumbs(ancestors: list[Category], category: Category, *, link_last: bool) -> list[dict]:
    crumbs = [_crumb(_("Home"), reverse("catalog:home"))]
    for ancestor in ancestors:
        # An inactive ancestor has no page; show its name without a dead link.
        url = reverse("catalog:category-detail", args=[ancestor.slug]) if ancestor.is_active else None
        crumbs.append(_crumb(ancestor.localized_name, url))
    last_url = reverse("catalog:category-detail", args=[category.slug]) if link_last else None
    crumbs.append(_crumb(category.localized_name, last_url))
    return crumbs


def _jsonld_dumps(data: dict[str, Any]) -> SafeString:
    """JSON for a ``<script type="application/ld+json">`` element, escaped exactly like Django's
    ``json_script`` (which cannot set that type): ``<``, ``>`` and ``&`` become ``\\u003C`` etc., so no
    title or description can end the script element."""
    return mark_safe(json.dumps(data, cls=DjangoJSONEncoder).translate(_JSON_SCRIPT_ESCAPES))


def _product_jsonld(
    product: Product,
    variants: list[ProductVariant],
    *,
    url: str,
    seller_url: str,
    image_urls: Sequence[str] = (),
) -> dict:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.title,
        "url": url,
        "description": description_plain(product.description)[:5000],
        "category": product.category.localized_name,
        "itemCondition": _SCHEMA_CONDITION.get(product.condition, _SCHEMA_CONDITION[Product.Condition.NEW]),
    }
    if image_urls:
        data["image"] = list(image_urls)
    if product.brand:
        data["brand"] = {"@type": "Brand", "name": product.brand}
    seller = {"@type": "Organization", "name": product.seller.shop_name, "url": seller_url}
    if variants:
        offers = []
        for variant in variants:
            offers.append(
                {
                    "@type": "Offer",
                    "sku": variant.sku,
                    "name": variant.name or product.title,
                    "price": str(Money(variant.price_amount, variant.currency).to_decimal()),
                    "priceCurrency": variant.currency,
                    "availability": "https://schema.org/InStock"
                    if variant.in_stock
                    else "https://schema.org/OutOfStock",
                    "url": f"{url}?variant={variant.pk}",
                    "seller": seller,
                }
            )
        data["offers"] = offers[0] if len(offers) == 1 else offers
    if product.rating_count and product.rating_avg is not None:
        data["aggregateRating"] = {
            "@type": "AggregateRating",
            "ratingValue": str(product.rating_avg),
            "reviewCount": product.rating_count,
        }
    return data


def _variant_selected(variants: list[ProductVariant], requested: str | None) -> ProductVariant | None:
    """The variant named by ``?variant=<id>`` if it belongs to the product, else the first in stock,
    else the first one."""
    by_id = {str(v.pk): v for v in variants}
    if requested in by_id:
        return by_id[requested]
    return next((v for v in variants if v.in_stock), variants[0] if variants else None)


class StorefrontMixin:
    """What every storefront page shares: the header category nav (cached top-level categories)."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["nav_categories"] = selectors.category_list_top()
        return context


# Query parameters that never change what a page shows: campaign tags share one cached page.
_TRACKING_PARAMS = frozenset({"fbclid", "gclid", "msclkid", "ref"})


def _listing_cache_key(request: HttpRequest, *, kind: str, ident: object = "") -> str:
    params = sorted(
        (name, value)
        for name, values in request.GET.lists()
        if not name.startswith("utm_") and name not in _TRACKING_PARAMS
        for value in values
    )
    raw = repr((kind, ident, params, get_language(), selectors.listing_version()))
    return "catalog:page:" + hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()


def _cached_fragment(key: str, build: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """``build()`` once per ``LISTING_CACHE_SECONDS`` (and catalogue change): the rendered HTML of a
    listing's expensive part and the few facts the rest of the page needs."""
    fragment = cache.get(key)
    if fragment is None:
        fragment = build()
        cache.set(key, fragment, selectors.LISTING_CACHE_SECONDS)
    return fragment


def _page_cacheable(request: HttpRequest) -> bool:
    """A visitor with neither a session nor pending messages sees exactly what every such visitor sees
    (the header has no per-visitor part for them), so the whole page can be shared."""
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not request.user.is_authenticated
    )


class AnonymousPageCacheMixin:
    """Whole storefront pages for visitors without a session, cached like the listing fragments (per
    path, listing parameters, language and listing generation). What a page does besides rendering
    (naming the object shown for analytics, recording a search) is kept in ``page_facts`` and replayed
    on every request, cached or not."""

    request: HttpRequest

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        ident = self.page_cache_ident(request, **kwargs) if _page_cacheable(request) else None
        key = _listing_cache_key(request, kind="page", ident=ident) if ident is not None else None
        if key is not None:
            hit = cache.get(key)
            if hit is not None:
                content, facts = hit
                self.page_replay(facts)
                return HttpResponse(content)
        self.page_facts: dict[str, Any] = {}
        response = super().get(request, *args, **kwargs)  # type: ignore[misc]
        if key is not None and response.status_code == 200:
            response.render()
            cache.set(key, (response.content, self.page_facts), selectors.LISTING_CACHE_SECONDS)
        self.page_replay(self.page_facts)
        return response

    def page_cache_ident(self, request: HttpRequest, **kwargs: Any) -> object | None:
        """What, besides the query string, language and listing generation, names this page in the
        cache; None: do not cache it."""
        return request.path

    def page_replay(self, facts: dict[str, Any]) -> None:
        request = self.request
        if "analytics" in facts:
            request.analytics_object = tuple(facts["analytics"])  # type: ignore[attr-defined]
        if "search" in facts:
            user = request.user
            results = facts["search"]["results"]
            track(
                event_type="search" if results else "search_zero_results",
                user_id=user.pk if user.is_authenticated else None,
                session_key=visitor_id(request),
                properties=facts["search"],
                path=request.path,
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
            )


class ProductListMixin(StorefrontMixin):
    """A sortable, paginated product grid.

    The grid, the facet sidebar and the pagination are rendered once and cached per listing, query
    string and language for ``selectors.LISTING_CACHE_SECONDS``; any change to what a listing shows
    (a listing published, delisted or repriced, a seller suspended) starts a new cache generation
    (``selectors.listing_version``), so a change is visible on the next request."""

    request: HttpRequest

    def sort_requested(self, *, searching: bool = False) -> selectors.ProductSort:
        return selectors.product_sort_parse(self.request.GET.get("sort"), searching=searching)

    def product_page(
        self, queryset: QuerySet[Product], *, sort: selectors.ProductSort, searching: bool = False
    ) -> dict[str, Any]:
        page = paginate(self.request, queryset)
        return {
            "page_obj": page,
            "products": page.object_list,
            "sort": sort.value,
            "sort_choices": selectors.product_sort_choices(searching=searching),
        }

    def faceted_product_page(
        self, *, category: Category | None = None, query: str = "", searching: bool = False
    ) -> dict[str, Any]:
        """The grid narrowed by the facet form, with the sidebar's counts. An invalid field (a price of
        "abc") is shown as a form error and ignored; the other facets still apply."""
        facet_attributes = selectors.product_facet_attributes(category=category)
        filterset = ProductFacetFilter(self.request.GET, facet_attributes=facet_attributes)
        filterset.is_valid()
        filters = filterset.facet_filters()
        sort = self.sort_requested(searching=searching)
        # Attribute facets (colour, size…) are those the category defines; a search across every
        # category offers the general facets only.
        facets = selectors.product_facet_counts_cached(
            selectors.product_list_unfiltered(category=category, query=query),
            filters=filters,
            facet_attributes=facet_attributes,
        )
        products = selectors.product_list(category=category, query=query, filters=filters, sort=sort)
        return {
            "facets": facets,
            "filter_form": filterset.form,
            "filters_active": any(self.request.GET.get(name) for name in filterset.filters),
            **self.product_page(products, sort=sort, searching=searching),
        }

    def cached_listing(
        self, *, template_name: str, kind: str, ident: object, build: Callable[[], dict[str, Any]]
    ) -> dict[str, Any]:
        """``{"listing_html": …, "total": …}`` from the cache, or rendered from ``build()``'s context."""

        def render() -> dict[str, Any]:
            context = build()
            facets = context.get("facets")
            return {
                "listing_html": render_to_string(template_name, context, request=self.request),
                "total": facets.total if facets is not None else context["page_obj"].paginator.count,
            }

        key = _listing_cache_key(self.request, kind=kind, ident=ident)
        return _cached_fragment(key, render)


class HomeView(AnonymousPageCacheMixin, StorefrontMixin, TemplateView):
    template_name = "shop/catalog/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)

        def build() -> dict[str, Any]:
            sections = {
                "new_arrivals": selectors.product_list_new_arrivals(limit=12),
                "best_sellers": selectors.product_list_best_sellers(limit=12),
            }
            html = render_to_string(
                "shop/catalog/includes/home_sections.html", sections, request=self.request
            )
            return {"sections_html": html}

        context.update(_cached_fragment(_listing_cache_key(self.request, kind="home"), build))
        return context


class CategoryDetailView(AnonymousPageCacheMixin, ProductListMixin, TemplateView):
    template_name = "shop/catalog/category_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        found = selectors.category_page_get(slug=kwargs["slug"])
        if found is None:
            raise Http404(_("No such category."))
        category, ancestors, subcategories = found
        self.page_facts["analytics"] = ("catalog.category", category.pk)
        context.update(
            category=category,
            breadcrumbs=_category_crumbs(ancestors, category, link_last=False),
            subcategories=subcategories,
            canonical_url=self.request.build_absolute_uri(
                reverse("catalog:category-detail", args=[category.slug])
            ),
        )
        context.update(
            self.cached_listing(
                template_name="shop/catalog/includes/category_listing.html",
                kind="category",
                ident=category.pk,
                build=lambda: {**context, **self.faceted_product_page(category=category)},
            )
        )
        return context


def product_attributes_shown(
    product: Product, variants: list[ProductVariant]
) -> list[tuple[AttributeSpec, str]]:
    """The specifications of a product (its product-scope values, named, with units), and on each variant
    ``attribute_summary`` for the picker ("Colour: Red · Size: M"). The category's definitions are read
    (cached) only when there are values to show."""
    specs: list[AttributeSpec] = []
    if product.attributes or any(variant.attributes for variant in variants):
        specs = selectors_attributes.category_attribute_specs_cached(category_id=product.category_id)
    variant_specs = attribute_specs_scoped(specs, VARIANT)
    for variant in variants:
        variant.attribute_summary = attribute_summary(variant_specs, variant.attributes)  # type: ignore[attr-defined]
    return attribute_values_display(attribute_specs_scoped(specs, PRODUCT), product.attributes)


class ProductDetailView(AnonymousPageCacheMixin, StorefrontMixin, TemplateView):
    template_name = "shop/catalog/product_detail.html"

    def page_cache_ident(self, request: HttpRequest, **kwargs: Any) -> object | None:
        # The page shows stock, so it also follows the product's own generation (every stock change).
        product_id = selectors.product_id_for_slug(slug=kwargs["slug"])
        if product_id is None:
            return None
        return (request.path, product_id, product_version(product_id))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        product = selectors.product_get_visible(slug=kwargs["slug"])
        if product is None:
            raise Http404(_("No such product."))
        self.page_facts["analytics"] = ("catalog.product", product.pk)
        variants = list(product.variants.all())
        images = list(product.images.all())  # prefetched, in order: the first is the cover
        image_urls = [self.request.build_absolute_uri(image.image.url) for image in images]
        url = self.request.build_absolute_uri(reverse("catalog:product-detail", args=[product.slug]))
        seller_url = self.request.build_absolute_uri(
            reverse("catalog:seller-store", args=[product.seller.slug])
        )
        ancestors = selectors.category_list_ancestors(category=product.category)
        breadcrumbs = _category_crumbs(ancestors, product.category, link_last=True)
        breadcrumbs.append(_crumb(product.title))
        context.update(
            product=product,
            variants=variants,
            selected_variant=_variant_selected(variants, self.request.GET.get("variant")),
            tags=list(product.tags.all()),
            breadcrumbs=breadcrumbs,
            canonical_url=url,
            images=images,
            specifications=product_attributes_shown(product, variants),
            og_image=image_urls[0] if image_urls else "",
            product_jsonld=_jsonld_dumps(
                _product_jsonld(product, variants, url=url, seller_url=seller_url, image_urls=image_urls)
            ),
        )
        context.update(self.product_context_extra(product))
        return context

    def product_context_extra(self, product: Product) -> dict[str, Any]:
        """What pages composed above the catalog add about the product (reviews, recommendations): see
        ``marketplace.pages.storefront``. The catalog alone adds nothing."""
        return {}


class SellerStoreView(AnonymousPageCacheMixin, ProductListMixin, TemplateView):
    template_name = "shop/catalog/seller_store.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        seller = selectors.seller_get_visible(slug=kwargs["slug"])
        if seller is None:
            raise Http404(_("No such shop."))
        self.page_facts["analytics"] = ("accounts.sellerprofile", seller.pk)
        sort = self.sort_requested()
        context.update(
            seller=seller,
            canonical_url=self.request.build_absolute_uri(
                reverse("catalog:seller-store", args=[seller.slug])
            ),
        )
        context.update(
            self.cached_listing(
                template_name="shop/catalog/includes/seller_listing.html",
                kind="seller",
                ident=seller.pk,
                build=lambda: {
                    **context,
                    **self.product_page(selectors.product_list(seller=seller, sort=sort), sort=sort),
                },
            )
        )
        return context


class SearchView(AnonymousPageCacheMixin, ProductListMixin, TemplateView):
    template_name = "shop/catalog/search.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        query = " ".join(selectors.product_search_words(self.request.GET.get("q", "")))
        context["query"] = query
        if not query:
            return context

        def build() -> dict[str, Any]:
            listing = {**context, **self.faceted_product_page(query=query, searching=True)}
            # Corrected and suggested on what the words found, before the shopper's facets narrowed it.
            if not listing["facets"].total:
                corrected = selectors.product_search_correction(query=query)
                if corrected:
                    listing = {
                        **context,
                        **self.faceted_product_page(query=corrected, searching=True),
                        "corrected_query": corrected,
                    }
            if not listing["facets"].total:
                listing["suggestions"] = selectors.product_search_suggestions(query=query)
            return listing

        context.update(
            self.cached_listing(
                template_name="shop/catalog/includes/search_listing.html",
                kind="search",
                ident=query,
                build=build,
            )
        )
        # Recorded on what the words found, before the shopper's facets narrowed it; one event per
        # search, not per page of results.
        if self.request.GET.get("page", "1") == "1":
            self.page_facts["search"] = {"q": query, "results": context["total"]}
        return context
