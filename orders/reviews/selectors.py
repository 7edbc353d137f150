"""Reads for reviews and reputation: what of an order its buyer may review, the reviews a product page
shows (with the star histogram), a seller's reviews in the portal and how many purchases await a review.

Every read is scoped by who asks (the buyer's user id, the seller's id) and runs a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Case, Exists, OuterRef, Prefetch, QuerySet, Sum, When, Window
from django.db.models.functions import Coalesce
from django.utils import timezone

from catalog.models import Product
from catalog.selectors import product_list_visible
from orders.models import Order, OrderLine, ProductReview, SellerOrder, SellerRating
from orders.reviews.services import (
    RATING_MAX,
    RATING_MIN,
    REVIEWABLE_STATUSES,
    order_line_product_id,
    rating_average,
    review_edit_deadline,
)

# --- the buyer's review page ----------------------------------------------------------------------------


@dataclass
class LineReviewState:
    line: OrderLine
    product_id: int | None
    product_slug: str | None  # None: the product has no public page (gone or not visible)
    reviewable: bool  # a new review may be written now
    review: ProductReview | None
    editable: bool  # the existing review may still be changed
    edit_until: datetime | None
    form: Any = None  # the view's form for it, if it can be written or changed


@dataclass
class PartReviewState:
    part: SellerOrder
    delivered: bool
    lines: list[LineReviewState]
    rating: SellerRating | None
    rating_reviewable: bool
    rating_editable: bool
    rating_edit_until: datetime | None
    form: Any = None  # the view's seller-rating form, if the rating can be given or changed


def order_review_state(*, order_id: int, user_id: int, now: datetime | None = None) -> list[PartReviewState]:
    """For each part of the buyer's order (none if the order is not theirs): whether it can be reviewed
    yet, and per line the existing review and whether it may still be changed; same for the seller
    rating. Three queries (parts with seller and rating, lines with their reviews, product slugs), plus
    the cached category structure that product visibility reads."""
    now = now or timezone.now()
    parts = list(
        SellerOrder.objects.filter(order_id=order_id, order__buyer_id=user_id)
        .select_related("seller", "seller_rating", "order")
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=OrderLine.objects.select_related("review", "variant").order_by("pk"),
            )
        )
        .order_by("pk")
    )
    product_ids = {
        product_id
        for part in parts
        for line in part.lines.all()
        if (product_id := order_line_product_id(line)) is not None
    }
    products = _product_slugs(product_ids)  # {id: (slug, visible)} of those that still exist
    states = []
    for part in parts:
        delivered = part.status in REVIEWABLE_STATUSES
        lines = []
        for line in part.lines.all():
            product_id = order_line_product_id(line)
            review = getattr(line, "review", None)
            deadline = review_edit_deadline(review.created_at) if review is not None else None
            lines.append(
                LineReviewState(
                    line=line,
                    product_id=product_id,
                    product_slug=_public_slug(products, product_id),
                    reviewable=delivered and review is None and product_id in products,
                    review=review,
                    editable=deadline is not None and now <= deadline,
                    edit_until=deadline,
                )
            )
        rating = getattr(part, "seller_rating", None)
        rating_deadline = review_edit_deadline(rating.created_at) if rating is not None else None
        states.append(
            PartReviewState(
                part=part,
                delivered=delivered,
                lines=lines,
                rating=rating,
                rating_reviewable=delivered and rating is None,
                rating_editable=rating_deadline is not None and now <= rating_deadline,
                rating_edit_until=rating_deadline,
            )
        )
    return states


def _product_slugs(product_ids: set[int]) -> dict[int, tuple[str, bool]]:
    if not product_ids:
        return {}
    visible = product_list_visible().filter(pk=OuterRef("pk"))
    rows = Product.objects.filter(pk__in=product_ids).values_list("pk", "slug", Exists(visible))
    return {pk: (slug, is_visible) for pk, slug, is_visible in rows}


def _public_slug(products: dict[int, tuple[str, bool]], product_id: int | None) -> str | None:
    slug, visible = products.get(product_id, ("", False)) if product_id is not None else ("", False)
    return slug if visible else None


def order_lines_awaiting_review_count(user_id: int) -> int:
    """How many delivered items the shopper bought have no review yet and could still have one (their
    product still exists): one query."""
    product = Product.objects.filter(
        pk=Coalesce(OuterRef("product_id_snapshot"), OuterRef("variant__product_id"))
    )
    return OrderLine.objects.filter(
        Exists(product),
        seller_order__order__buyer_id=user_id,
        seller_order__status__in=REVIEWABLE_STATUSES,
        review__isnull=True,
    ).count()


# --- the product page -----------------------------------------------------------------------------------


@dataclass
class HistogramRow:
    stars: int
    count: int
    percent: int  # of all visible reviews, rounded


@dataclass
class ProductReviewsPage:
    reviews: list[ProductReview]
    histogram: list[HistogramRow]  # 5 stars first
    count: int
    average: Decimal | None
    more: bool = field(default=False)  # more reviews exist than are shown


def product_reviews_for_page(*, product_id: int, limit: int = 10) -> ProductReviewsPage:
    """The latest ``limit`` visible reviews of a product (with their authors and any seller reply) and
    the 5..1 star histogram of all of them, in one query: each row carries the per-star counts over all
    the product's visible reviews (window sums, computed before the limit applies)."""
    star_sums = {
        f"stars_{stars}": Window(Sum(Case(When(rating=stars, then=1), default=0)))
        for stars in range(RATING_MIN, RATING_MAX + 1)
    }
    reviews = list(
        ProductReview.objects.filter(product_id=product_id, is_visible=True)
        .select_related("author")
        .annotate(**star_sums)
        .order_by("-created_at", "-pk")[:limit]
    )
    first = reviews[0] if reviews else None
    counts = {
        stars: int(getattr(first, f"stars_{stars}") or 0) if first is not None else 0
        for stars in range(RATING_MIN, RATING_MAX + 1)
    }
    total = sum(counts.values())
    histogram = [
        HistogramRow(
            stars=stars, count=counts[stars], percent=round(100 * counts[stars] / total) if total else 0
        )
        for stars in range(RATING_MAX, RATING_MIN - 1, -1)
    ]
    return ProductReviewsPage(
        reviews=reviews,
        histogram=histogram,
        count=total,
        average=rating_average(sum(stars * n for stars, n in counts.items()), total),
        more=total > len(reviews),
    )


# --- the seller portal ----------------------------------------------------------------------------------


def seller_review_list(
    *, seller_id: int, filters: Mapping[str, Any] | None = None
) -> QuerySet[ProductReview]:
    """Reviews of the seller's products, newest first, with product and author joined. ``filters``:
    ``rating`` (1-5), ``replied`` ("yes" / "no"), ``product`` (a product id)."""
    filters = filters or {}
    reviews = ProductReview.objects.filter(seller_id=seller_id).select_related("product", "author")
    rating = filters.get("rating")
    if rating:
        reviews = reviews.filter(rating=int(rating))
    replied = filters.get("replied")
    if replied == "yes":
        reviews = reviews.exclude(seller_reply="")
    elif replied == "no":
        reviews = reviews.filter(seller_reply="")
    product = filters.get("product")
    if product:
        reviews = reviews.filter(product_id=int(product))
    return reviews.order_by("-created_at", "-pk")


def seller_review_get(*, seller_id: int, review_id: int) -> ProductReview | None:
    """One review of the seller's products; another seller's review is None (a 404)."""
    return (
        ProductReview.objects.filter(pk=review_id, seller_id=seller_id)
        .select_related("product", "author", "order_line__seller_order__order")
        .first()
    )


def order_get_for_reviewer(*, number: str, user_id: int) -> Order | None:
    """The signed-in buyer's own order by number; anyone else's (or a guest order) is None (a 404)."""
    return Order.objects.filter(number=number, buyer_id=user_id).first()
