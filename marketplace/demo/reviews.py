"""Demo reviews: verified-purchase product reviews and seller ratings written by the buyers of the demo's own
delivered (or completed) orders, and the product and seller aggregates recomputed from those rows.

A share of the delivered order lines gets a review (one per line, never by the seller themselves), dated
after the parcel arrived and within the 30 days a review stays editable, with stars skewed positive, a
short plain-text body (mostly English, some Chinese) and now and then the seller's reply; a share of the
delivered seller orders gets a seller rating. Every decision comes from a stream of its own keyed by the
order number and the SKU (or the shop), so the same seed gives the same reviews, and the other demo data
draws exactly what it drew before reviews existed.

Idempotent: lines and seller orders that already have a review or rating are left alone (whoever wrote
it), the unique constraints on ``order_line`` and ``seller_order`` settle a race, and a repeated run draws
the same "no" for every line it skipped. Afterwards every product's and seller's ``rating_avg`` and
``rating_count`` are set from the rows, as the reviews service computes them, for every product and seller
(not only the demo's): without reviews they are None and 0.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple, TypeVar, cast

from django.db import transaction
from django.db.models import Count, DateTimeField, F, Model, QuerySet, Sum

from accounts.models import SellerProfile
from catalog.listing_cache import listing_cache_invalidate, product_cache_invalidate
from catalog.models import Product
from marketplace.demo.base import BATCH_SIZE, ORDER_PREFIX, DemoRun, rng_for
from orders.models import OrderLine, OrderStatus, ProductReview, SellerOrder, SellerRating

_Rated = TypeVar("_Rated", Product, SellerProfile)
_Review = TypeVar("_Review", ProductReview, SellerRating)

# A seller's part of an order may be reviewed once it has arrived (as in the reviews service).
REVIEWABLE_STATUSES = (OrderStatus.DELIVERED, OrderStatus.COMPLETED)
REVIEW_WINDOW_DAYS = 30  # reviews are written while they can still be edited
REVIEW_SHARE = 0.27  # of the delivered lines bought by a signed-in shopper
SELLER_RATING_SHARE = 0.3  # of the delivered seller orders
CHINESE_SHARE = 0.15
# Parcels arrive this many days after the order when the row does not say (the demo orders never do).
DELIVERY_DAYS = (2.0, 7.0)

# Stars 5, 4, 3, 2, 1: most products please, some are so-so. Each product draws one profile.
_PROFILES = (
    (0.40, (70, 21, 5, 2, 2)),
    (0.45, (52, 28, 11, 4, 5)),
    (0.15, (30, 30, 18, 10, 12)),
)
_SELLER_STARS = (64, 24, 7, 2, 3)
# Sellers answer the unhappy reviews more often.
_REPLY_SHARE = {1: 0.5, 2: 0.45, 3: 0.3, 4: 0.12, 5: 0.1}


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split("|"))


# Chinese text is punctuated with full-width marks on purpose.
# ruff: noqa: RUF001
# fmt: off
# By star band: (titles, bodies) in English, then in Chinese.
_TEXTS_EN = {
    "good": (
        _words("Love it|Exactly as described|Great value|Very happy|Would buy again|Excellent quality|"
               "Five stars|Better than expected"),
        _words("Arrived quickly and works perfectly.|Great quality for the price, I use it every day.|"
               "Exactly as pictured. Well packed, too.|Bought it as a gift and they loved it.|"
               "Solid build and it looks even better in person.|Second one I have bought, still happy.|"
               "Does what it says. No complaints at all.|Fast delivery and the seller was helpful."),
    ),
    "mixed": (
        _words("It's okay|Decent|Does the job|Average|Mixed feelings"),
        _words("Fine for the price, but the finish could be better.|Works, though smaller than I expected.|"
               "Took a while to arrive. The product itself is okay.|Not bad, not great. Does the job.|"
               "Good idea, average execution."),
    ),
    "bad": (
        _words("Disappointed|Not as described|Would not buy again|Poor quality"),
        _words("Broke after a week of normal use.|Colour is quite different from the photos.|"
               "Arrived with a scratch and the box was damaged.|Cheap materials, not worth the money.|"
               "Stopped working after a few days. Asked for a return."),
    ),
}
_TEXTS_ZH = {
    "good": (
        _words("非常满意|物超所值|和描述一致|质量很好|还会回购"),
        _words("发货很快，质量很好，非常满意。|和图片一样，包装也很仔细。|用了一段时间，效果不错，推荐购买。|"
               "送给朋友的礼物，他很喜欢。|性价比很高，客服也很耐心。"),
    ),
    "mixed": (
        _words("一般|还可以|中规中矩"),
        _words("东西还行，就是物流有点慢。|比想象中小一点，但能用。|做工一般，价格还算合理。"),
    ),
    "bad": (
        _words("不太满意|质量差|与描述不符"),
        _words("用了几天就坏了，很失望。|颜色和图片差别很大。|收到时外包装破损，有划痕。"),
    ),
}
_REPLIES_EN = {
    "good": _words("Thank you for your kind words! Enjoy it.|Thanks so much for the review, see you again soon.|"
                   "Glad it arrived safely. Thank you for shopping with us."),
    "mixed": _words("Thanks for the honest feedback, we are passing it on to our supplier.|"
                    "Sorry it was slow to arrive; we have changed couriers since."),
    "bad": _words("We are sorry to hear this. Please message us and we will replace it or refund you.|"
                  "Sorry about the damage. We have improved our packaging; please contact us for a return."),
}
_REPLIES_ZH = {
    "good": _words("谢谢您的好评，欢迎再次光临！|感谢支持，祝您使用愉快。"),
    "mixed": _words("感谢您的反馈，我们会继续改进。"),
    "bad": _words("非常抱歉给您带来不便，请联系我们办理退换货。"),
}
_SELLER_COMMENTS_EN = {
    "good": _words("Fast shipping and well packed.|Great seller, quick replies.|Smooth order, thanks!|"
                   "Arrived earlier than promised."),
    "mixed": _words("Shipping took longer than stated.|Okay, but slow to answer messages."),
    "bad": _words("Slow to ship and no answer to my messages.|Parcel arrived damaged."),
}
_SELLER_COMMENTS_ZH = {
    "good": _words("发货快，包装好。|卖家很热情，回复及时。"),
    "mixed": _words("发货有点慢。"),
    "bad": _words("发货很慢，联系不上卖家。"),
}
# fmt: on


class _Part(NamedTuple):
    """A delivered seller order of a signed-in shopper, with what its reviews need."""

    seller_order_id: int
    number: str
    seller_id: int
    seller_slug: str
    buyer_id: int
    placed_at: datetime
    delivered_at: datetime | None


class _LineRow(NamedTuple):
    order_line_id: int
    sku: str
    product_id: int
    part: _Part


def rating_average(total: int, count: int) -> Decimal | None:
    """The mean to two decimals, rounded half up, as the reviews service stores it (None without ratings)."""
    if not count:
        return None
    return (Decimal(total) / Decimal(count)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def reviews_seed(run: DemoRun) -> None:
    """Reviews and seller ratings for the delivered demo orders that have none, then every product's and
    seller's aggregates from the rows."""
    with transaction.atomic():
        parts = _parts_reviewable()
        lines = _lines_unreviewed(parts)
        rated = set(
            SellerRating.objects.filter(seller_order__in=_parts_reviewable_qs()).values_list(
                "seller_order_id", flat=True
            )
        )
        with run.progress("Reviews", len(lines) + len(parts)) as bar:
            reviews = [review for review in (_review_draw(run, row) for row in lines) if review is not None]
            bar.update(len(lines))
            ratings = [
                rating
                for rating in (
                    _seller_rating_draw(run, part)
                    for part in parts.values()
                    if part.seller_order_id not in rated
                )
                if rating is not None
            ]
            bar.update(len(parts))
        run.result.reviews = _insert_dated(ProductReview, reviews)
        run.result.seller_ratings = _insert_dated(SellerRating, ratings)
        _aggregates_store()


# --- what can be reviewed ----------------------------------------------------------------------------
def _parts_reviewable_qs() -> QuerySet[SellerOrder]:
    """The delivered demo seller orders of signed-in shoppers (a part filter as a subquery: a list of
    their ids could exceed what one SQLite statement takes)."""
    return SellerOrder.objects.filter(
        order__number__startswith=ORDER_PREFIX,
        status__in=REVIEWABLE_STATUSES,
        order__buyer_id__isnull=False,
    ).exclude(order__buyer_id=F("seller__user_id"))  # nobody reviews their own shop


def _parts_reviewable() -> dict[int, _Part]:
    rows = (
        _parts_reviewable_qs()
        .order_by("pk")
        .values_list(
            "pk",
            "order__number",
            "seller_id",
            "seller__slug",
            "order__buyer_id",
            "order__placed_at",
            "delivered_at",
        )
    )
    return {row[0]: _Part(*row) for row in rows.iterator(chunk_size=BATCH_SIZE)}


def _lines_unreviewed(parts: dict[int, _Part]) -> list[_LineRow]:
    """The lines of those parts without a review whose product still exists."""
    rows = (
        OrderLine.objects.filter(seller_order__in=_parts_reviewable_qs(), review__isnull=True)
        .order_by("pk")
        .values_list("pk", "sku", "product_id_snapshot", "variant__product_id", "seller_order_id")
    )
    existing = set(Product.objects.values_list("pk", flat=True))
    result = []
    for pk, sku, snapshot, variant_product, part_id in rows.iterator(chunk_size=BATCH_SIZE):
        product_id = snapshot if snapshot is not None else variant_product
        if product_id in existing:
            result.append(_LineRow(pk, sku, product_id, parts[part_id]))
    return result


# --- drawing them ------------------------------------------------------------------------------------
def _band(stars: int) -> str:
    return "good" if stars >= 4 else "mixed" if stars == 3 else "bad"


def _stars(rng: random.Random, weights: Sequence[int]) -> int:
    return rng.choices((5, 4, 3, 2, 1), weights=weights)[0]


def _delivered_at(run: DemoRun, part: _Part) -> datetime:
    """When the parcel arrived: the row's own date, else a few days after the order (never after now)."""
    if part.delivered_at is not None:
        return part.delivered_at
    rng = rng_for(run.seed, "review-delivery", part.number, part.seller_slug)
    earliest = part.placed_at + timedelta(days=DELIVERY_DAYS[0])
    latest = min(part.placed_at + timedelta(days=DELIVERY_DAYS[1]), run.now - timedelta(hours=1))
    return earliest + (latest - earliest) * rng.random() if latest > earliest else latest


def _written_at(rng: random.Random, run: DemoRun, delivered: datetime) -> datetime | None:
    """A moment after delivery and within the review window, mostly in the first days (None if the
    parcel has not arrived by now)."""
    window_end = min(delivered + timedelta(days=REVIEW_WINDOW_DAYS), run.now)
    if window_end <= delivered:
        return None
    return delivered + (window_end - delivered) * (0.01 + 0.99 * rng.random() ** 2)


def _review_draw(run: DemoRun, row: _LineRow) -> ProductReview | None:
    rng = rng_for(run.seed, "review", row.part.number, row.sku)
    if rng.random() >= REVIEW_SHARE:
        return None
    # The product's profile: SKUs are DEMO-<product>-<variant>, so every variant shares it.
    profile_rng = rng_for(run.seed, "review-profile", row.sku.rsplit("-", 1)[0])
    weights = profile_rng.choices([w for _, w in _PROFILES], weights=[p for p, _ in _PROFILES])[0]
    stars = _stars(rng, weights)
    written = _written_at(rng, run, _delivered_at(run, row.part))
    if written is None:
        return None
    chinese = rng.random() < CHINESE_SHARE
    titles, bodies = (_TEXTS_ZH if chinese else _TEXTS_EN)[_band(stars)]
    title = rng.choice(titles) if rng.random() < 0.6 else ""
    body = rng.choice(bodies)
    review = ProductReview(
        order_line_id=row.order_line_id,
        product_id=row.product_id,
        seller_id=row.part.seller_id,
        author_id=row.part.buyer_id,
        rating=stars,
        title=title,
        body=body,
        created_at=written,
        updated_at=written,
    )
    if rng.random() < _REPLY_SHARE[stars]:
        replied = min(written + timedelta(hours=rng.uniform(2, 96)), run.now)
        review.seller_reply = rng.choice((_REPLIES_ZH if chinese else _REPLIES_EN)[_band(stars)])
        review.seller_replied_at = replied
        review.updated_at = replied
    return review


def _seller_rating_draw(run: DemoRun, part: _Part) -> SellerRating | None:
    rng = rng_for(run.seed, "seller-rating", part.number, part.seller_slug)
    if rng.random() >= SELLER_RATING_SHARE:
        return None
    stars = _stars(rng, _SELLER_STARS)
    written = _written_at(rng, run, _delivered_at(run, part))
    if written is None:
        return None
    comment = ""
    if rng.random() < 0.5:
        comments = _SELLER_COMMENTS_ZH if rng.random() < CHINESE_SHARE else _SELLER_COMMENTS_EN
        comment = rng.choice(comments[_band(stars)])
    return SellerRating(
        seller_order_id=part.seller_order_id,
        seller_id=part.seller_id,
        author_id=part.buyer_id,
        rating=stars,
        comment=comment,
        created_at=written,
        updated_at=written,
    )


# --- storing them ------------------------------------------------------------------------------------
def _insert_dated(model: type[_Review], rows: Sequence[_Review]) -> int:
    """Insert the rows with the dates they carry (a row whose one-to-one key is taken meanwhile is
    skipped: the unique constraint decides). Returns how many were inserted."""
    if not rows:
        return 0
    before = model.objects.count()
    with _own_timestamps(model):
        model.objects.bulk_create(rows, batch_size=BATCH_SIZE, ignore_conflicts=True)
    return model.objects.count() - before


@contextmanager
def _own_timestamps(model: type[Model]) -> Iterator[None]:
    """Let ``bulk_create`` keep the rows' own ``created_at`` and ``updated_at``: ``auto_now_add`` and
    ``auto_now`` would stamp them all with today, and dating them afterwards with ``bulk_update`` costs
    seconds per thousand rows. Only for this single-threaded command; the flags are restored."""
    fields = [cast(DateTimeField, model._meta.get_field(name)) for name in ("created_at", "updated_at")]
    saved = [(field.auto_now, field.auto_now_add) for field in fields]
    try:
        for field in fields:
            field.auto_now = field.auto_now_add = False
        yield
    finally:
        for field, (auto_now, auto_now_add) in zip(fields, saved, strict=True):
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def _aggregates_store() -> None:
    """Every product's and seller's average and count from the rows: visible reviews for products, all
    ratings for sellers (as the reviews service counts them). Only rows whose figures differ are written."""
    product_totals = _totals(ProductReview.objects.filter(is_visible=True), "product_id")
    changed_products = _changed(
        Product, Product.objects.values_list("pk", "rating_avg", "rating_count"), product_totals
    )
    seller_totals = _totals(SellerRating.objects.all(), "seller_id")
    changed_sellers = _changed(
        SellerProfile, SellerProfile.objects.values_list("pk", "rating_avg", "rating_count"), seller_totals
    )
    Product.objects.bulk_update(changed_products, ["rating_avg", "rating_count"], batch_size=BATCH_SIZE)
    SellerProfile.objects.bulk_update(changed_sellers, ["rating_avg", "rating_count"], batch_size=BATCH_SIZE)
    if changed_products or changed_sellers:
        # Listings show both figures (and filter on the seller's); product pages show the product's.
        listing_cache_invalidate()
        for product in changed_products:
            product_cache_invalidate(product.pk)


def _totals(rows: QuerySet[ProductReview] | QuerySet[SellerRating], group: str) -> dict[int, tuple[int, int]]:
    grouped = rows.order_by().values(group).annotate(total=Sum("rating"), count=Count("pk"))
    return {row[group]: (row["total"], row["count"]) for row in grouped}


def _changed(
    model: type[_Rated],
    current: Iterable[tuple[int, Decimal | None, int]],
    totals: dict[int, tuple[int, int]],
) -> list[_Rated]:
    changed = []
    for pk, avg, count in current:
        total, want_count = totals.get(pk, (0, 0))
        want_avg = rating_average(total, want_count)
        if (avg, count) != (want_avg, want_count):
            changed.append(model(pk=pk, rating_avg=want_avg, rating_count=want_count))
    return changed
