"""Shopper-facing reads of the catalog: which products and categories a shopper may see, and the
querysets every storefront page and the public API list them with.

The visibility rule lives in ``product_list_visible`` and nowhere else: a product is shown only if it is
ACTIVE, its seller is APPROVED and its own category is active. (``product_is_visible`` asks the same of one
product already in memory, for the cart; a test keeps the two in step.)
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Length, Substr
from django.db.models.lookups import LessThan
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import SellerProfile
from catalog import attributes, search, selectors_attributes
from catalog.listing_cache import listing_cache_invalidate, listing_version, memo_forget, memo_get
from catalog.models import Category, Product, ProductImage, ProductVariant, translation_get

NAV_CACHE_KEY = "catalog:category-structure:v2"
NAV_CACHE_SECONDS = 300
SEARCH_MAX_WORDS = 8
SEARCH_MAX_LENGTH = 200
BRAND_FACET_LIMIT = 30
ATTRIBUTE_FACET_LIMIT = 30  # values per attribute
# Query parameters of listings that an attribute code may not take over as its facet's parameter.
RESERVED_FACET_PARAMS = frozenset(
    {"page", "sort", "q", "brand", "condition", "min_price", "max_price", "min_rating", "in_stock"}
    | {"include_sold_out"}
    | {"category", "seller", "ordering", "page_size", "format"}
)
FACET_ATTRIBUTE_TYPES = frozenset({attributes.CHOICE, attributes.TEXT, attributes.BOOLEAN})
SELLER_RATING_FLOORS = (4, 3)

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
    "in_stock",
    "seller__id",
    "seller__shop_name",
    "seller__slug",
    "category__id",
    "category__name",
    "category__slug",
)


class ProductSort(models.TextChoices):
    RELEVANCE = "relevance", _("Relevance")
    NEWEST = "newest", _("Newest")
    PRICE_ASC = "price-asc", _("Price: low to high")
    PRICE_DESC = "price-desc", _("Price: high to low")
    BEST_SELLING = "best-selling", _("Best-selling")
    RATING = "rating", _("Customer rating")


# The id last on every ordering so pages never repeat or skip a product between requests; each ordering
# matches one partial index of ``Product.Meta.indexes`` (price: the same index read backwards).
_SORT_ORDERING = {
    ProductSort.NEWEST: (F("published_at").desc(nulls_last=True), "-id"),
    ProductSort.PRICE_ASC: ("price_amount", "id"),
    ProductSort.PRICE_DESC: ("-price_amount", "-id"),
    ProductSort.BEST_SELLING: ("-sales_count", F("rating_avg").desc(nulls_last=True), "-id"),
    ProductSort.RATING: (F("rating_avg").desc(nulls_last=True), "-rating_count", "-id"),
}


def product_sort_choices(*, searching: bool) -> list[tuple[str, str]]:
    """The sorts a listing offers: relevance only makes sense for a search."""
    return [
        (value, label) for value, label in ProductSort.choices if searching or value != ProductSort.RELEVANCE
    ]


def product_sort_parse(value: str | None, *, searching: bool = False) -> ProductSort:
    """The sort a shopper asked for, or the default for anything unknown (never an error): relevance
    for a search, newest otherwise."""
    default = ProductSort.RELEVANCE if searching else ProductSort.NEWEST
    try:
        sort = ProductSort(value)
    except ValueError:
        return default
    return default if sort == ProductSort.RELEVANCE and not searching else sort


# --- products -------------------------------------------------------------------------------------


def product_list_visible() -> QuerySet[Product]:
    """THE visibility rule: every shopper-facing product read starts here. A product is visible when it
    is ACTIVE, its seller is APPROVED, and neither its category nor any ancestor of it is inactive."""
    queryset = Product.objects.filter(
        status=Product.Status.ACTIVE,
        seller__status=SellerProfile.Status.APPROVED,
        category__is_active=True,
    )
    for path in category_inactive_paths():
        queryset = queryset.exclude(category__path__startswith=path)
    return queryset


def product_is_visible(product: Product) -> bool:
    """``product_list_visible``'s rule for one product already read with its seller and category (the
    cart reads them anyway, so it asks this instead of querying the rule again)."""
    path = product.category.path
    return (
        product.status == Product.Status.ACTIVE
        and product.seller.status == SellerProfile.Status.APPROVED
        and product.category.is_active
        and not any(path.startswith(inactive) for inactive in category_inactive_paths())
    )


def product_qs_order(queryset: QuerySet[Product], *, sort: ProductSort | str) -> QuerySet[Product]:
    """Order by ``sort``; relevance needs the ``relevance`` annotation of a search, else it is newest."""
    searching = "relevance" in queryset.query.annotations
    sort = product_sort_parse(sort, searching=searching)
    if sort == ProductSort.RELEVANCE:
        return queryset.order_by(F("relevance").desc(), *_SORT_ORDERING[ProductSort.NEWEST])
    return queryset.order_by(*_SORT_ORDERING[sort])


def product_qs_in_category_subtree(queryset: QuerySet[Product], *, category: Category) -> QuerySet[Product]:
    """Products of ``category`` and all its descendants: one materialised-path prefix match."""
    return queryset.filter(category__path__startswith=category.path)


def product_search_words(query: str) -> list[str]:
    return query[:SEARCH_MAX_LENGTH].split()[:SEARCH_MAX_WORDS]


def product_qs_search(queryset: QuerySet[Product], *, query: str) -> QuerySet[Product]:
    """Products matching the shopper's words (title, brand, description, tags, category name), annotated
    with ``relevance``; how they match and rank depends on the database (see ``catalog.search``)."""
    return search.product_qs_search_ranked(queryset, words=product_search_words(query))


def product_search_correction(*, query: str) -> str:
    """The query with its typos corrected, for a search that found nothing ("" when there is none to
    make; see ``catalog.search.query_corrected``)."""
    return search.query_corrected(product_list_visible(), query=query)


def product_search_suggestions(*, query: str) -> list[str]:
    """Titles of visible products in stock close to a query that found nothing ("Did you mean …?"): a
    suggestion leads to a search, which leaves sold-out products out."""
    return search.product_titles_similar(product_list_visible().filter(product_in_stock_q()), query=query)


# --- facets ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProductFacetFilters:
    """What a shopper narrowed a listing to; prices in minor units. Empty means "no filter"."""

    min_price: int | None = None
    max_price: int | None = None
    brands: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    min_seller_rating: int | None = None
    in_stock: bool = False
    # Sold-out products (no SKU in stock) are left out of listings unless the shopper asks for them.
    include_sold_out: bool = False
    # ((code, scope, values), ...), e.g. (("colour", "variant", ("Red", "Blue")),); values as typed.
    attributes: tuple[tuple[str, str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class FacetAttribute:
    """A category attribute offered as a facet: its code is also its query parameter."""

    code: str
    label: str
    scope: str = attributes.VARIANT
    type: str = attributes.CHOICE
    # (canonical value, label shown for it) where they differ, in the active language.
    choice_labels: tuple[tuple[str, str], ...] = ()


def product_facet_attributes(*, category: Category | None) -> list[FacetAttribute]:
    """The attribute facets of a listing: the filterable choice, text and yes/no attributes its category
    defines (or inherits). None across categories (search, the whole catalogue)."""
    if category is None:
        return []
    return [
        FacetAttribute(spec.code, spec.name, spec.scope, spec.type, spec.choice_labels)
        for spec in selectors_attributes.category_attribute_specs_cached(category_id=category.pk)
        if spec.is_facet and spec.type in FACET_ATTRIBUTE_TYPES and spec.code not in RESERVED_FACET_PARAMS
    ]


def facet_value_parse(value: str, attribute_type: str) -> object:
    """A facet value as the query string gives it, as it is stored in the attributes JSON."""
    if attribute_type == attributes.BOOLEAN:
        return value.lower() in ("true", "1", "yes")
    return value


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class ProductFacets:
    total: int = 0  # products before any facet is applied
    brands: list[FacetValue] = field(default_factory=list)
    conditions: list[FacetValue] = field(default_factory=list)
    seller_ratings: list[FacetValue] = field(default_factory=list)
    in_stock: FacetValue | None = None
    # "Include sold out": its count is how many sold-out products the other facets match.
    sold_out: FacetValue | None = None
    attributes: list[AttributeFacet] = field(default_factory=list)


@dataclass(frozen=True)
class AttributeFacet:
    name: str
    label: str
    values: list[FacetValue]


def product_in_stock_q() -> Q:
    """A product is in stock when any of its variants has stock: ``Product.in_stock``, which the stock
    services keep (no read of the SKUs per listed row). Without it a product is sold out."""
    return Q(in_stock=True)


def product_facet_q(filters: ProductFacetFilters) -> dict[str, Q]:
    """One condition per active facet, keyed by facet, so counts can leave their own facet out."""
    conditions: dict[str, Q] = {}
    if filters.min_price is not None:
        conditions["min_price"] = Q(price_amount__gte=filters.min_price)
    if filters.max_price is not None:
        conditions["max_price"] = Q(price_amount__lte=filters.max_price)
    if filters.brands:
        brand_q = Q()
        for brand in filters.brands:
            brand_q |= Q(brand__iexact=brand)
        conditions["brand"] = brand_q
    if filters.conditions:
        conditions["condition"] = Q(condition__in=filters.conditions)
    if filters.min_seller_rating is not None:
        conditions["min_rating"] = Q(seller__rating_avg__gte=filters.min_seller_rating)
    if filters.in_stock or not filters.include_sold_out:
        # One condition for both: "in stock only", and leaving sold-out products out unless asked.
        conditions["in_stock"] = product_in_stock_q()
    for code, scope, values in filters.attributes:
        if not values:
            continue
        if scope == attributes.PRODUCT:
            conditions[code] = Q(**{f"attributes__{code}__in": list(values)})
        else:
            # Some variant has one of the values (not necessarily the variant in stock).
            conditions[code] = Q(
                Exists(
                    ProductVariant.objects.filter(
                        product_id=OuterRef("pk"), **{f"attributes__{code}__in": list(values)}
                    )
                )
            )
    return conditions


def product_qs_filter_facets(
    queryset: QuerySet[Product], *, filters: ProductFacetFilters
) -> QuerySet[Product]:
    return queryset.filter(*product_facet_q(filters).values())


def _all_but(conditions: dict[str, Q], facet: str) -> Q:
    combined = Q()
    for name, condition in conditions.items():
        if name != facet:
            combined &= condition
    return combined


def _attribute_facets(
    base: QuerySet[Product],
    *,
    conditions: dict[str, Q],
    filters: ProductFacetFilters,
    facet_attributes: Sequence[FacetAttribute],
) -> list[AttributeFacet]:
    """Products per attribute value, every attribute in one query (a UNION ALL of one grouping per
    attribute: product-scope values from the product row, variant-scope ones over the variants, each
    product counted once). Attributes without values in the listing are left out."""
    if not facet_attributes:
        return []
    groupings = []
    for attribute in facet_attributes:
        products = base.filter(_all_but(conditions, attribute.code))
        if attribute.scope == attributes.PRODUCT:
            rows, count = products, Count("pk")
        else:
            rows = ProductVariant.objects.filter(product__in=products.values("pk"))
            count = Count("product_id", distinct=True)
        groupings.append(
            rows.annotate(facet=Value(attribute.code), value=KeyTextTransform(attribute.code, "attributes"))
            .exclude(value=None)
            .values("facet", "value")
            .annotate(count=count)
            .order_by()
        )
    rows = groupings[0].union(*groupings[1:], all=True) if len(groupings) > 1 else groupings[0]
    chosen = {code: {str(v).lower() for v in values} for code, _scope, values in filters.attributes}
    by_code: dict[str, list[FacetValue]] = {attribute.code: [] for attribute in facet_attributes}
    types = {attribute.code: attribute.type for attribute in facet_attributes}
    choice_labels = {attribute.code: dict(attribute.choice_labels) for attribute in facet_attributes}
    value_rows = cast("Iterable[dict[str, Any]]", rows)  # .values() rows; the union hides it from mypy
    for row in sorted(value_rows, key=lambda r: (-r["count"], str(r["value"]))):
        values = by_code[row["facet"]]
        value = str(row["value"])
        if len(values) < ATTRIBUTE_FACET_LIMIT and value != "":
            # The value stays canonical (it is the filter parameter); only the label is translated.
            label = choice_labels[row["facet"]].get(value, value)
            if types[row["facet"]] == attributes.BOOLEAN:
                label = str(_("Yes") if value == "true" else _("No"))
            selected = value.lower() in chosen.get(row["facet"], set())
            values.append(FacetValue(value, label, row["count"], selected))
    return [
        AttributeFacet(attribute.code, attribute.label, by_code[attribute.code])
        for attribute in facet_attributes
        if by_code[attribute.code]
    ]


def product_facet_counts(
    queryset: QuerySet[Product],
    *,
    filters: ProductFacetFilters,
    facet_attributes: Sequence[FacetAttribute] = (),
) -> ProductFacets:
    """Counts for the facet sidebar of a listing whose unfiltered products are ``queryset``.

    Each facet counts with every *other* facet applied (so ticking one brand still shows the others'
    counts). Three queries whatever the page size: one aggregate of conditional counts for condition,
    seller rating and stock; brands grouped (at most ``BRAND_FACET_LIMIT``); variant attribute values
    grouped (one UNION ALL). An empty listing stops after the first.
    """
    conditions = product_facet_q(filters)
    base = queryset.order_by()
    # The total counts sold-out products only when they are asked for (it is what the listing would hold
    # without facets); the sold-out count tells how many asking for them would add.
    aggregates: dict[str, Count] = {
        "total": Count("pk") if filters.include_sold_out else Count("pk", filter=product_in_stock_q()),
        "sold_out": Count("pk", filter=_all_but(conditions, "in_stock") & ~product_in_stock_q()),
    }
    for value, _label in Product.Condition.choices:
        aggregates[f"condition_{value}"] = Count(
            "pk", filter=_all_but(conditions, "condition") & Q(condition=value)
        )
    for floor in SELLER_RATING_FLOORS:
        aggregates[f"rating_{floor}"] = Count(
            "pk", filter=_all_but(conditions, "min_rating") & Q(seller__rating_avg__gte=Decimal(floor))
        )
    aggregates["in_stock"] = Count("pk", filter=_all_but(conditions, "in_stock") & product_in_stock_q())
    totals = base.aggregate(**aggregates)
    sold_out = FacetValue("true", str(_("Include sold out")), totals["sold_out"], filters.include_sold_out)
    if not totals["total"]:
        return ProductFacets(sold_out=sold_out if totals["sold_out"] else None)

    brand_rows = (
        base.filter(_all_but(conditions, "brand"))
        .exclude(brand="")
        .values("brand")
        .annotate(count=Count("pk"))
        .order_by("-count", "brand")[:BRAND_FACET_LIMIT]
    )
    chosen_brands = {brand.casefold() for brand in filters.brands}
    brands = [
        FacetValue(row["brand"], row["brand"], row["count"], row["brand"].casefold() in chosen_brands)
        for row in brand_rows
    ]
    return ProductFacets(
        total=totals["total"],
        attributes=_attribute_facets(
            base, conditions=conditions, filters=filters, facet_attributes=facet_attributes
        ),
        brands=brands,
        conditions=[
            FacetValue(value, label, totals[f"condition_{value}"], value in filters.conditions)
            for value, label in Product.Condition.choices
        ],
        seller_ratings=[
            FacetValue(
                str(floor),
                _("%(rating)s stars & up") % {"rating": floor},
                totals[f"rating_{floor}"],
                filters.min_seller_rating == floor,
            )
            for floor in SELLER_RATING_FLOORS
        ],
        in_stock=FacetValue("true", _("In stock only"), totals["in_stock"], filters.in_stock),
        sold_out=sold_out,
    )


def product_qs_for_listing(queryset: QuerySet[Product]) -> QuerySet[Product]:
    """Card columns only, seller and category joined, and the compare-at price of the cheapest variant
    as ``compare_at_amount`` (a correlated subquery: the query count does not grow with the page)."""
    cheapest_compare_at = (
        ProductVariant.objects.filter(product_id=OuterRef("pk"))
        .order_by("price_amount", "position", "id")
        .values("compare_at_amount")[:1]
    )
    cover = ProductImage.objects.filter(product_id=OuterRef("pk")).order_by("position", "id")
    return (
        queryset.select_related("seller", "category")
        .only(*LISTING_FIELDS)
        .annotate(
            compare_at_amount=Subquery(cheapest_compare_at),
            # Storage names (not URLs) of the first image's thumbnail and its alt text; "" or None if none.
            cover_thumbnail=Subquery(cover.values("thumbnail")[:1]),
            cover_alt=Subquery(cover.values("alt_text")[:1]),
        )
    )


def product_list(
    *,
    category: Category | None = None,
    seller: SellerProfile | None = None,
    query: str = "",
    filters: ProductFacetFilters | None = None,
    sort: ProductSort | str = ProductSort.NEWEST,
) -> QuerySet[Product]:
    """Visible products for a listing page or the list API, ready to paginate, narrowed by ``filters``
    (none given: no facet, and sold-out products left out). A search is ordered by relevance unless
    another sort is asked for."""
    queryset = product_list_unfiltered(category=category, seller=seller, query=query)
    queryset = product_qs_filter_facets(queryset, filters=filters or ProductFacetFilters())
    return product_qs_order(product_qs_for_listing(queryset), sort=sort)


def product_list_unfiltered(
    *, category: Category | None = None, seller: SellerProfile | None = None, query: str = ""
) -> QuerySet[Product]:
    """The products a listing shows before facets narrow it: what facet counts are computed over. Sold-out
    ones are still in it: leaving them out is a facet (``ProductFacetFilters.include_sold_out``)."""
    queryset = product_list_visible()
    if category is not None:
        queryset = product_qs_in_category_subtree(queryset, category=category)
    if seller is not None:
        queryset = queryset.filter(seller=seller)
    if query:
        queryset = product_qs_search(queryset, query=query)
    return queryset


def product_list_new_arrivals(*, limit: int = 12) -> list[Product]:
    return product_list_by_ids(ids=_ids_cached(product_list(sort=ProductSort.NEWEST)[:limit]))


def product_list_best_sellers(*, limit: int = 12) -> list[Product]:
    """Products that have sold at least once, most sold first."""
    best = product_list(sort=ProductSort.BEST_SELLING).filter(sales_count__gt=0)[:limit]
    return product_list_by_ids(ids=_ids_cached(best))


# --- cached listing reads -------------------------------------------------------------------------
#
# Which products a listing holds (its ids per page, its total and its facet counts) is the expensive
# part of a listing page: it scans every match. It is cached for ``LISTING_CACHE_SECONDS``, keyed by the
# listing's own SQL, so a new product or a changed count shows up within that time. What a card shows
# (title, price, stock, and visibility itself) is always read live by ``product_list_by_ids``: a delisted
# product disappears from every page at once.

LISTING_CACHE_SECONDS = 60


def _queryset_cache_key(prefix: str, queryset: QuerySet, *extra: object) -> str:
    sql, params = queryset.query.sql_with_params()
    raw = repr((sql, params, extra, listing_version()))
    digest = hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()
    return f"catalog:{prefix}:{digest}"


def _ids_cached(queryset: QuerySet[Product]) -> list[int]:
    key = _queryset_cache_key("ids", queryset)
    ids = cache.get(key)
    if ids is None:
        ids = [product.pk for product in queryset]
        cache.set(key, ids, LISTING_CACHE_SECONDS)
    return ids


def product_list_by_ids(*, ids: list[int]) -> list[Product]:
    """The visible products among ``ids`` as listing cards, in the order of ``ids``; one query."""
    if not ids:
        return []
    by_id = {p.pk: p for p in product_qs_for_listing(product_list_visible().filter(pk__in=ids))}
    return [by_id[pk] for pk in ids if pk in by_id]


class ListingPaginator(Paginator):
    """A paginator over a listing queryset whose count and page ids are cached (see above); the page's
    products are read live. ``Paginator.get_page`` semantics are unchanged."""

    @cached_property
    def count(self) -> int:
        key = _queryset_cache_key("count", self.object_list)
        count = cache.get(key)
        if count is None:
            count = self.object_list.count()
            cache.set(key, count, LISTING_CACHE_SECONDS)
        return count

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        ids = _ids_cached(self.object_list[bottom:top]) if top > bottom else []
        return self._get_page(product_list_by_ids(ids=ids), number, self)


def product_facet_counts_cached(
    queryset: QuerySet[Product],
    *,
    filters: ProductFacetFilters,
    facet_attributes: Sequence[FacetAttribute] = (),
) -> ProductFacets:
    """``product_facet_counts``, cached for ``LISTING_CACHE_SECONDS`` per listing, filters and language
    (the facet labels are translated when they are computed)."""
    key = _queryset_cache_key("facets", queryset.order_by(), filters, tuple(facet_attributes), get_language())
    facets = cache.get(key)
    if facets is None:
        facets = product_facet_counts(queryset, filters=filters, facet_attributes=facet_attributes)
        cache.set(key, facets, LISTING_CACHE_SECONDS)
    return facets


def product_id_for_slug(*, slug: str) -> int | None:
    """The id behind a product slug (slugs never change), cached; None for an unknown slug."""
    key = f"catalog:product-id:{slug}"
    product_id = cache.get(key)
    if product_id is None:
        product_id = Product.objects.filter(slug=slug).values_list("pk", flat=True).first()
        if product_id is not None:
            cache.set(key, product_id, 24 * 60 * 60)
    return product_id


def product_get_visible(*, slug: str) -> Product | None:
    """A visible product with what its page needs: seller, category, variants, images (in order), tags."""
    return (
        product_list_visible()
        .select_related("seller", "category")
        .prefetch_related("variants", "images", "tags")
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


def category_page_get(*, slug: str) -> tuple[Category, list[Category], list[Category]] | None:
    """A visible category with its ancestors (root first) and active children, for its page; cached
    with the tree structure (a category edit calls ``category_list_top_invalidate``)."""
    key = f"catalog:category-page:{_category_structure()['version']}:{slug}"
    found = cache.get(key)
    if found is None:
        category = category_get_visible(slug=slug)
        if category is None:
            return None
        found = (
            category,
            category_list_ancestors(category=category),
            category_list_children(category=category),
        )
        cache.set(key, found, NAV_CACHE_SECONDS)
    return found


def category_list_ancestors(*, category: Category) -> list[Category]:
    """Root first, parent last: one ``path IN (...)`` query on the materialised path (none for a root)."""
    return list(Category.objects.get_ancestors(category))


def category_list_children(*, category: Category) -> list[Category]:
    """Active direct children (the parent is assumed visible, so active children are visible)."""
    return list(Category.objects.get_children(category).filter(is_active=True))


def _category_structure() -> dict[str, list]:
    """The two facts about the tree every storefront page needs, from one query, cached for a few
    minutes: the active roots (header nav, home tiles) and the paths of the inactive categories that have
    no inactive ancestor (every product below one of them is hidden). A category edit calls
    ``category_list_top_invalidate``; anything else shows up within ``NAV_CACHE_SECONDS``."""
    return memo_get(NAV_CACHE_KEY, _category_structure_load)


def _category_structure_load() -> dict[str, list]:
    structure = cache.get(NAV_CACHE_KEY)
    if structure is None:
        rows = (
            Category.objects.filter(Q(depth=1) | Q(is_active=False))
            .order_by("path")
            .values("path", "name", "translations", "slug", "depth", "is_active", "position")
        )
        top: list[dict] = []
        inactive: list[str] = []
        for row in rows:
            if not row["is_active"]:
                if not any(row["path"].startswith(outer) for outer in inactive):
                    inactive.append(row["path"])
            elif row["depth"] == 1:
                top.append(row)
        top.sort(key=lambda row: (row["position"], row["name"]))
        structure = {
            # Every language's names: ``category_list_top`` picks the visitor's, so one cached structure
            # serves all languages.
            "top": [
                {"name": row["name"], "translations": row["translations"], "slug": row["slug"]} for row in top
            ],
            "inactive_paths": inactive,
            # Names this generation of the tree in other caches' keys (``category_page_get``).
            "version": time.time_ns(),
        }
        cache.set(NAV_CACHE_KEY, structure, NAV_CACHE_SECONDS)
    return structure


def category_list_top() -> list[dict[str, str]]:
    """Active root categories as ``{"name", "slug"}`` for the header nav and home tiles (cached), named in
    the active language (English where a category has no name in it)."""
    language = get_language()
    return [
        {
            "name": translation_get(row["translations"], "name", row["name"], language=language),
            "slug": row["slug"],
        }
        for row in _category_structure()["top"]
    ]


def category_inactive_paths() -> list[str]:
    """Tree paths under which every product is hidden (cached, see ``_category_structure``)."""
    return _category_structure()["inactive_paths"]


def category_list_top_invalidate() -> None:
    """For the category services (and the admin) to call after a write, so the nav, the visibility
    rule and the listings do not wait out their caches."""
    cache.delete(NAV_CACHE_KEY)
    memo_forget(NAV_CACHE_KEY)
    listing_cache_invalidate()


# --- sellers --------------------------------------------------------------------------------------


def seller_get_visible(*, slug: str) -> SellerProfile | None:
    """An approved seller's public profile; pending, suspended and rejected sellers have no storefront."""
    return SellerProfile.objects.filter(slug=slug, status=SellerProfile.Status.APPROVED).first()


def seller_list_visible() -> QuerySet[SellerProfile]:
    """Every seller with a storefront (approved), as the sitemap lists them."""
    return SellerProfile.objects.filter(status=SellerProfile.Status.APPROVED)


# --- what a cart or checkout needs --------------------------------------------------------------------


# What a cart, the checkout and an order line read of a SKU, its product, seller and category.
CART_VARIANT_FIELDS = (
    "sku",
    "name",
    "attributes",
    "price_amount",
    "currency",
    "stock",
    "weight_grams",
    "product__title",
    "product__slug",
    "product__status",
    "product__seller__shop_name",
    "product__seller__slug",
    "product__seller__status",
    "product__category__path",
    "product__category__is_active",
)


def variant_map_for_cart(*, variant_ids: Collection[int]) -> dict[int, ProductVariant]:
    """SKUs with their product, seller and category (one query), each marked ``purchasable`` when
    shoppers may buy it now (``product_is_visible``). Only the columns of ``CART_VARIANT_FIELDS`` are
    read. ``category_ancestor_ids`` gives the categories a category-scoped promotion needs."""
    if not variant_ids:
        return {}
    variants = {
        v.pk: v
        for v in ProductVariant.objects.select_related("product__seller", "product__category")
        .only(*CART_VARIANT_FIELDS)
        .filter(pk__in=list(variant_ids))
        .order_by()
    }
    for variant in variants.values():
        variant.purchasable = product_is_visible(variant.product)  # type: ignore[attr-defined]
    return variants


def category_ancestor_ids(*, paths: Collection[str]) -> dict[str, frozenset[int]]:
    """For each category tree path, the ids of that category and every ancestor (one query)."""
    steplen = Category.steplen
    prefixes = {path[:end] for path in paths for end in range(steplen, len(path) + 1, steplen)}
    if not prefixes:
        return {}
    id_for_path = dict(Category.objects.filter(path__in=prefixes).values_list("path", "pk"))
    return {
        path: frozenset(
            id_for_path[path[:end]]
            for end in range(steplen, len(path) + 1, steplen)
            if path[:end] in id_for_path
        )
        for path in paths
    }


def product_map_by_ids(*, product_ids: Collection[int]) -> dict[int, Product]:
    """Products by id in any status (a report names a product that was since delisted), title, slug
    and seller only (one query)."""
    if not product_ids:
        return {}
    rows = Product.objects.filter(pk__in=list(product_ids)).only("id", "title", "slug", "status", "seller_id")
    return {product.pk: product for product in rows.order_by()}


def category_map_by_ids(*, category_ids: Collection[int]) -> dict[int, Category]:
    """Categories by id, active or not, with what ``localized_name`` and the tree need (one query)."""
    if not category_ids:
        return {}
    rows = Category.objects.filter(pk__in=list(category_ids)).only(
        "id", "name", "slug", "translations", "path", "depth", "is_active"
    )
    return {category.pk: category for category in rows.order_by()}
