"""Seller-portal reads of the catalog: always scoped to one seller, so a view that reads through here
cannot show (or hand a service) another seller's listing, SKU or stock movement."""

from __future__ import annotations

from django.db.models import BooleanField, Count, ExpressionWrapper, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from catalog.models import Category, Product, ProductStatusEvent, ProductVariant, StockMovement

LOW_STOCK = Q(stock__lte=F("low_stock_threshold"))


def seller_product_list(*, seller_id: int, search: str = "", status: str = "") -> QuerySet[Product]:
    """The seller's listings, newest change first, with their total stock and SKU count."""
    products = Product.objects.filter(seller_id=seller_id)
    search = search.strip()
    if search:
        products = products.filter(Q(title__icontains=search) | Q(variants__sku__icontains=search)).distinct()
    if status in Product.Status.values:
        products = products.filter(status=status)
    # Aggregates over a subquery-free join would be multiplied by the search join; annotate on ids instead.
    return (
        Product.objects.filter(pk__in=products.values("pk"))
        .select_related("category")
        .annotate(stock_total=Coalesce(Sum("variants__stock"), 0), variant_count=Count("variants"))
        .order_by("-updated_at", "-id")
    )


def seller_product_get(*, seller_id: int, product_id: int) -> Product | None:
    """The listing for its edit page, with its latest status change as ``last_status_from`` and
    ``last_status_reason`` (so a listing rejected in review can show the operator's reason)."""
    latest = ProductStatusEvent.objects.filter(product_id=OuterRef("pk")).order_by("-created_at", "-id")
    return (
        Product.objects.filter(pk=product_id, seller_id=seller_id)
        .select_related("category")
        .prefetch_related("tags", "variants")
        .annotate(
            last_status_from=Subquery(latest.values("from_status")[:1]),
            last_status_reason=Subquery(latest.values("reason")[:1]),
        )
        .first()
    )


def seller_product_status_counts(*, seller_id: int) -> dict[str, int]:
    """Listings per status, every status present (zero when none)."""
    counts = dict.fromkeys(Product.Status.values, 0)
    rows = Product.objects.filter(seller_id=seller_id).values("status").annotate(n=Count("pk")).order_by()
    for row in rows:
        counts[row["status"]] = row["n"]
    return counts


INVENTORY_FILTERS = ("low", "out")


def seller_variant_list(
    *, seller_id: int, low_stock_only: bool = False, stock: str = "", search: str = ""
) -> QuerySet[ProductVariant]:
    """Every SKU of the seller: low-stock ones first (lowest stock first), then by listing. ``stock``
    narrows to "low" (at or below the threshold, out of stock included) or "out" (none left);
    ``search`` matches the SKU code or the listing's title."""
    variants = ProductVariant.objects.filter(product__seller_id=seller_id)
    if low_stock_only or stock == "low":
        variants = variants.filter(LOW_STOCK)
    elif stock == "out":
        variants = variants.filter(stock=0)
    if search:
        variants = variants.filter(Q(sku__icontains=search) | Q(product__title__icontains=search))
    return (
        variants.select_related("product")
        .annotate(is_low=ExpressionWrapper(LOW_STOCK, output_field=BooleanField()))
        .order_by(F("is_low").desc(), "stock", "product__title", "position", "id")
    )


def seller_low_stock_count(*, seller_id: int) -> int:
    return ProductVariant.objects.filter(LOW_STOCK, product__seller_id=seller_id).count()


def seller_variant_get(*, seller_id: int, variant_id: int) -> ProductVariant | None:
    return (
        ProductVariant.objects.filter(pk=variant_id, product__seller_id=seller_id)
        .select_related("product")
        .first()
    )


def seller_stock_movement_list(*, seller_id: int, limit: int = 20) -> QuerySet[StockMovement]:
    return StockMovement.objects.filter(variant__product__seller_id=seller_id).select_related(
        "variant", "variant__product"
    )[:limit]


def seller_product_list_with_variants(
    *, seller_id: int, search: str = "", status: str = ""
) -> QuerySet[Product]:
    """``seller_product_list`` with each listing's tags and SKUs prefetched (the seller API's list)."""
    return seller_product_list(seller_id=seller_id, search=search, status=status).prefetch_related(
        "tags", "variants"
    )


def seller_stock_movement_history(
    *, seller_id: int, variant_id: int | None = None
) -> QuerySet[StockMovement]:
    """The seller's whole stock history (or one SKU's), newest first, for paging through."""
    movements = StockMovement.objects.filter(variant__product__seller_id=seller_id)
    if variant_id is not None:
        movements = movements.filter(variant_id=variant_id)
    return movements.select_related("variant").order_by("-created_at", "-id")


def seller_category_choices() -> QuerySet[Category]:
    """Where a listing may go: active leaves of the tree (a product never sits on a branch)."""
    return Category.objects.filter(is_active=True, numchild=0).order_by("path")
