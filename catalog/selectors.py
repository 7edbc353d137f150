"""Shopper-facing reads of the catalog: which products and categories a shopper may see, and the
querysets every storefront page and the public API list them with.

The visibility rule lives in ``product_list_visible`` and nowhere else: a product is shown only if it is
ACTIVE, its seller is APPROVED and its own category is active.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Length, Substr
from django.db.models.lookups import LessThan
from django.utils.translation import gettext_lazy as _

from accounts.models import SellerProfile
from catalog.models import Category, Product, ProductVariant

NAV_CACHE_KEY = "catalog:nav-categories:v1"
NAV_CACHE_SECONDS = 300
SEARCH_MAX_WORDS = 8
SEARCH_MAX_LENGTH = 200

# Columns a product card or an API list item reads; everything else stays in the database.
LISTING_FIELDS = (
    "id",
    "title",
    "slug",
    "brand",
    "condition",
    "price_amount",
    "currency",
    "published_at",
    "sales_count",
    "rating_avg",
    "rating_count",
    "seller__id",
    "seller__shop_name",
    "seller__slug",
    "category__id",
    "category__name",
    "category__slug",
)


class ProductSort(models.TextChoices):
    NEWEST = "newest", _("Newest")
    PRICE_ASC = "price-asc", _("Price: low to high")
    PRICE_DESC = "price-desc", _("Price: high to low")
    BEST_SELLING = "best-selling", _("Best-selling")
    RATING = "rating", _("Customer rating")


# "-id" last on every ordering so pages never repeat or skip a product between requests.
_SORT_ORDERING = {
    ProductSort.NEWEST: (F("published_at").desc(nulls_last=True), "-id"),
    ProductSort.PRICE_ASC: ("price_amount", "-id"),
    ProductSort.PRICE_DESC: ("-price_amount", "-id"),
    ProductSort.BEST_SELLING: ("-sales_count", F("rating_avg").desc(nulls_last=True), "-id"),
    ProductSort.RATING: (F("rating_avg").desc(nulls_last=True), "-rating_count", "-id"),
}


def product_sort_parse(value: str | None) -> ProductSort:
    """The sort a shopper asked for, or the default for anything unknown (never an error)."""
    try:
        return ProductSort(value)
    except ValueError:
        return ProductSort.NEWEST


# --- products -------------------------------------------------------------------------------------


def product_list_visible() -> QuerySet[Product]:
    """THE visibility rule: every shopper-facing product read starts here."""
    return Product.objects.filter(
        status=Product.Status.ACTIVE,
        seller__status=SellerProfile.Status.APPROVED,
        category__is_active=True,
    )


def product_qs_order(queryset: QuerySet[Product], *, sort: ProductSort | str) -> QuerySet[Product]:
    return queryset.order_by(*_SORT_ORDERING[product_sort_parse(sort)])


def product_qs_in_category_subtree(queryset: QuerySet[Product], *, category: Category) -> QuerySet[Product]:
    """Products of ``category`` and all its descendants: one materialised-path prefix match."""
    return queryset.filter(category__path__startswith=category.path)


def product_search_words(query: str) -> list[str]:
    return query[:SEARCH_MAX_LENGTH].split()[:SEARCH_MAX_WORDS]


def product_qs_search(queryset: QuerySet[Product], *, query: str) -> QuerySet[Product]:
    """Every word must match the title, brand, description or a tag name (case-insensitive).

    Tags are matched with ``EXISTS`` rather than a join so a product never appears twice.
    """
    for word in product_search_words(query):
        tag_match = Exists(
            Product.tags.through.objects.filter(product_id=OuterRef("pk"), tag__name__icontains=word)
        )
        queryset = queryset.filter(
            Q(title__icontains=word) | Q(brand__icontains=word) | Q(description__icontains=word) | tag_match
        )
    return queryset


def product_qs_for_listing(queryset: QuerySet[Product]) -> QuerySet[Product]:
    """Card columns only, seller and category joined, and the compare-at price of the cheapest variant
    as ``compare_at_amount`` (a correlated subquery: the query count does not grow with the page)."""
    cheapest_compare_at = (
        ProductVariant.objects.filter(product_id=OuterRef("pk"))
        .order_by("price_amount", "position", "id")
        .values("compare_at_amount")[:1]
    )
    return (
        queryset.select_related("seller", "category")
        .only(*LISTING_FIELDS)
        .annotate(compare_at_amount=Subquery(cheapest_compare_at))
    )


def product_list(
    *,
    category: Category | None = None,
    seller: SellerProfile | None = None,
    query: str = "",
    sort: ProductSort | str = ProductSort.NEWEST,
) -> QuerySet[Product]:
    """Visible products for a listing page or the list API, ready to paginate."""
    queryset = product_list_visible()
    if category is not None:
        queryset = product_qs_in_category_subtree(queryset, category=category)
    if seller is not None:
        queryset = queryset.filter(seller=seller)
    if query:
        queryset = product_qs_search(queryset, query=query)
    return product_qs_order(product_qs_for_listing(queryset), sort=sort)


def product_list_new_arrivals(*, limit: int = 12) -> list[Product]:
    return list(product_list(sort=ProductSort.NEWEST)[:limit])


def product_list_best_sellers(*, limit: int = 12) -> list[Product]:
    """Products that have sold at least once, most sold first."""
    return list(product_list(sort=ProductSort.BEST_SELLING).filter(sales_count__gt=0)[:limit])


def product_get_visible(*, slug: str) -> Product | None:
    """A visible product with what its page needs: seller, category, variants (in order) and tags."""
    return (
        product_list_visible()
        .select_related("seller", "category")
        .prefetch_related("variants", "tags")
        .filter(slug=slug)
        .first()
    )


# --- categories -----------------------------------------------------------------------------------


def category_list_visible() -> QuerySet[Category]:
    """Active categories none of whose ancestors is inactive (hiding a branch hides all of it), with
    the parent's slug as ``parent_slug``. Ordered as the tree is drawn (depth-first)."""
    steplen = Category.steplen
    inactive_ancestor = Category.objects.filter(
        LessThan(F("depth"), OuterRef("depth")),
        is_active=False,
        path=Substr(OuterRef("path"), 1, Length("path")),
    )
    parent_slug = Category.objects.filter(
        path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - steplen)
    ).values("slug")[:1]
    return (
        Category.objects.filter(is_active=True)
        .exclude(Exists(inactive_ancestor))
        .annotate(parent_slug=Subquery(parent_slug))
        .order_by("path")
    )


def category_get_visible(*, slug: str) -> Category | None:
    return category_list_visible().filter(slug=slug).first()


def category_list_ancestors(*, category: Category) -> list[Category]:
    """Root first, parent last: one ``path IN (...)`` query on the materialised path (none for a root)."""
    return list(Category.objects.get_ancestors(category))


def category_list_children(*, category: Category) -> list[Category]:
    """Active direct children (the parent is assumed visible, so active children are visible)."""
    return list(Category.objects.get_children(category).filter(is_active=True))


def category_list_top() -> list[dict[str, str]]:
    """Active root categories as ``{"name", "slug"}`` for the header nav and home tiles.

    Cached for a few minutes: it is on every storefront page and changes rarely. A category edit shows
    up in the nav within ``NAV_CACHE_SECONDS``.
    """
    top = cache.get(NAV_CACHE_KEY)
    if top is None:
        top = list(
            Category.objects.get_root_nodes()
            .filter(is_active=True)
            .order_by("position", "name")
            .values("name", "slug")
        )
        cache.set(NAV_CACHE_KEY, top, NAV_CACHE_SECONDS)
    return top


def category_list_top_invalidate() -> None:
    """For the category services to call after a write, so the nav does not wait out the cache."""
    cache.delete(NAV_CACHE_KEY)


# --- sellers --------------------------------------------------------------------------------------


def seller_get_visible(*, slug: str) -> SellerProfile | None:
    """An approved seller's public profile; pending, suspended and rejected sellers have no storefront."""
    return SellerProfile.objects.filter(slug=slug, status=SellerProfile.Status.APPROVED).first()
