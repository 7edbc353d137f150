"""Reviews and reputation: a shopper's verified-purchase product reviews (one per order line) and seller
ratings (one per seller order), the seller's one reply to a review, and the aggregates they feed.

A review or rating may be written once the seller's part of the order is delivered (or completed), only by
the buyer of that order, and changed for ``REVIEW_EDIT_DAYS`` after it was written. Text is stored as plain
text (tags stripped, control characters dropped) and escaped again whenever it is shown.

After every write the product's (or seller's) average and count are recomputed from the visible rows in
the same transaction, with that product's (or seller's) row locked first, so two reviews committed at the
same moment cannot overwrite each other's aggregate; ``catalog.services.product_rating_set`` and
``accounts.services.seller_rating_set`` store them and renew the cached pages that show them.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from accounts import services as accounts_services
from accounts.models import SellerProfile
from catalog import services as catalog_services
from catalog.listing_cache import product_cache_invalidate
from catalog.models import Product
from common.exceptions import ApplicationError
from orders.models import OrderLine, OrderStatus, ProductReview, SellerOrder, SellerRating

REVIEW_EDIT_DAYS = 30
RATING_MIN, RATING_MAX = 1, 5
TITLE_MAX_LENGTH = 120
BODY_MAX_LENGTH = 4000
REPLY_MAX_LENGTH = 2000
COMMENT_MAX_LENGTH = 500
# A seller's part of an order may be reviewed once the parcel has arrived.
REVIEWABLE_STATUSES = (OrderStatus.DELIVERED, OrderStatus.COMPLETED)


class ReviewNotAllowed(ApplicationError):
    """Not (yet) reviewable: not delivered, not the buyer's, or the product no longer exists."""


class ReviewAlreadyExists(ApplicationError):
    pass


class ReviewNotFound(ApplicationError):
    pass


class ReviewEditClosed(ApplicationError):
    pass


class ReplyAlreadyExists(ApplicationError):
    pass


class ReviewInvalid(ApplicationError):
    """A rating out of range or a text too long (after clean-up) or empty where required."""


# --- text --------------------------------------------------------------------------------------------

_LINE_BREAKS = re.compile(r"\r\n?")
_BLANK_LINES = re.compile(r"\n{3,}")
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def review_text_clean(value: str, *, multiline: bool) -> str:
    """Plain text from what a shopper or seller typed: HTML tags stripped (until none is left), control
    characters and bidirectional overrides dropped (a NUL cannot be stored, an override could disguise the
    text), line breaks normalised (single-line fields get spaces), surrounding whitespace trimmed."""
    text = value or ""
    for _round in range(5):
        stripped = strip_tags(text)
        if stripped == text:
            break
        text = stripped
    chars = []
    for ch in _LINE_BREAKS.sub("\n", text):
        if ch in "\n\t":
            chars.append(ch if multiline else " ")
        elif unicodedata.category(ch) != "Cc" and ch not in _BIDI_CONTROLS:
            chars.append(ch)
    text = "".join(chars)
    if multiline:
        text = _BLANK_LINES.sub("\n\n", "\n".join(line.rstrip() for line in text.split("\n")))
    return text.strip()


def _text(value: str, *, field: str, max_length: int, multiline: bool, required: bool = False) -> str:
    text = review_text_clean(value, multiline=multiline)
    if len(text) > max_length:
        raise ReviewInvalid(
            _("This text is too long: at most %(max)d characters.") % {"max": max_length},
            extra={field: [_("at most %(max)d characters") % {"max": max_length}]},
        )
    if required and not text:
        raise ReviewInvalid(_("Please write something."), extra={field: [_("required")]})
    return text


def _rating(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not RATING_MIN <= value <= RATING_MAX:
        raise ReviewInvalid(
            _("Choose a rating from 1 to 5 stars."), extra={"rating": [_("a whole number from 1 to 5")]}
        )
    return value


# --- aggregates --------------------------------------------------------------------------------------


def rating_average(total: int, count: int) -> Decimal | None:
    """The mean of ``count`` ratings summing to ``total``, to two decimals (half up), exactly: 5 and 4
    give 4.50. None without ratings."""
    if not count:
        return None
    return (Decimal(total) / Decimal(count)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _product_lock(product_id: int) -> None:
    if not list(Product.objects.select_for_update().filter(pk=product_id).values_list("pk", flat=True)):
        raise ReviewNotAllowed(_("This product is no longer sold."))


def _seller_lock(seller_id: int) -> None:
    list(SellerProfile.objects.select_for_update().filter(pk=seller_id).values_list("pk", flat=True))


def _product_aggregate_refresh(product_id: int) -> None:
    """Recompute from the visible reviews (the caller holds the product's row lock)."""
    totals = ProductReview.objects.filter(product_id=product_id, is_visible=True).aggregate(
        total=Sum("rating"), count=Count("pk")
    )
    count = totals["count"] or 0
    catalog_services.product_rating_set(
        product_id=product_id, rating_avg=rating_average(totals["total"] or 0, count), rating_count=count
    )


def _seller_aggregate_refresh(seller_id: int) -> None:
    """Recompute from the seller's ratings (the caller holds the seller's row lock)."""
    totals = SellerRating.objects.filter(seller_id=seller_id).aggregate(
        total=Sum("rating"), count=Count("pk")
    )
    count = totals["count"] or 0
    accounts_services.seller_rating_set(
        seller_id=seller_id, rating_avg=rating_average(totals["total"] or 0, count), rating_count=count
    )


# --- rules -------------------------------------------------------------------------------------------


def review_edit_deadline(created_at: datetime) -> datetime:
    return created_at + timedelta(days=REVIEW_EDIT_DAYS)


def review_editable(created_at: datetime, *, now: datetime | None = None) -> bool:
    return (now or timezone.now()) <= review_edit_deadline(created_at)


def _edit_window_check(created_at: datetime, now: datetime) -> None:
    if not review_editable(created_at, now=now):
        raise ReviewEditClosed(
            _("Reviews can be changed for %(days)d days after they are written; this one no longer can.")
            % {"days": REVIEW_EDIT_DAYS}
        )


def _part_reviewable_check(part: SellerOrder, author_id: int) -> None:
    if part.order.buyer_id is None or part.order.buyer_id != author_id:
        raise ReviewNotAllowed(_("Only the buyer of this order can review it."))
    if part.status not in REVIEWABLE_STATUSES:
        raise ReviewNotAllowed(_("You can review this order once it has been delivered."))


def order_line_product_id(line: OrderLine) -> int | None:
    """The product an order line bought: its snapshot, else its SKU's product (None if both are gone)."""
    if line.product_id_snapshot is not None:
        return line.product_id_snapshot
    return line.variant.product_id if line.variant_id is not None and line.variant else None


# --- product reviews ---------------------------------------------------------------------------------


@transaction.atomic
def product_review_create(
    *,
    order_line_id: int,
    author_id: int,
    rating: int,
    title: str,
    body: str,
    now: datetime | None = None,
) -> ProductReview:
    """The buyer's review of one delivered order line; a second review of the same line is refused (the
    one-to-one on ``order_line`` decides between two concurrent attempts)."""
    line = OrderLine.objects.select_related("seller_order__order", "variant").filter(pk=order_line_id).first()
    if line is None:
        raise ReviewNotFound(_("No such item among your orders."), extra={"order_line": ["not found"]})
    part = line.seller_order
    _part_reviewable_check(part, author_id)
    rating = _rating(rating)
    title = _text(title, field="title", max_length=TITLE_MAX_LENGTH, multiline=False)
    body = _text(body, field="body", max_length=BODY_MAX_LENGTH, multiline=True)
    product_id = order_line_product_id(line)
    if product_id is None:
        raise ReviewNotAllowed(_("This product is no longer sold."))
    _product_lock(product_id)
    review = ProductReview(
        order_line=line,
        product_id=product_id,
        seller_id=part.seller_id,
        author_id=author_id,
        rating=rating,
        title=title,
        body=body,
    )
    review.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            review.save(force_insert=True)
    except IntegrityError as exc:
        raise ReviewAlreadyExists(
            _("You have already reviewed this item; you can change your review instead."),
            extra={"order_line": ["already reviewed"]},
        ) from exc
    if now is not None:
        # auto_now_add / auto_now overwrite what was set before the insert.
        ProductReview.objects.filter(pk=review.pk).update(created_at=now, updated_at=now)
        review.created_at = review.updated_at = now
    _product_aggregate_refresh(product_id)
    return review


@transaction.atomic
def product_review_update(
    *,
    review_id: int,
    author_id: int,
    rating: int,
    title: str,
    body: str,
    now: datetime | None = None,
) -> ProductReview:
    """The author changes their review, within ``REVIEW_EDIT_DAYS`` of writing it."""
    now = now or timezone.now()
    product_id = (
        ProductReview.objects.filter(pk=review_id, author_id=author_id)
        .values_list("product_id", flat=True)
        .first()
    )
    if product_id is None:
        raise ReviewNotFound(_("No such review."), extra={"review": ["not found"]})
    _product_lock(product_id)
    review = ProductReview.objects.select_for_update().get(pk=review_id)
    _edit_window_check(review.created_at, now)
    review.rating = _rating(rating)
    review.title = _text(title, field="title", max_length=TITLE_MAX_LENGTH, multiline=False)
    review.body = _text(body, field="body", max_length=BODY_MAX_LENGTH, multiline=True)
    review.full_clean(validate_unique=False, validate_constraints=False)
    review.save(update_fields=["rating", "title", "body", "updated_at"])
    _product_aggregate_refresh(product_id)
    return review


@transaction.atomic
def product_review_reply(
    *, review_id: int, seller_id: int, reply: str, now: datetime | None = None
) -> ProductReview:
    """The seller's one public reply to a review of one of their products; another seller's review is
    "not found"."""
    review = ProductReview.objects.select_for_update().filter(pk=review_id, seller_id=seller_id).first()
    if review is None:
        raise ReviewNotFound(_("No such review."), extra={"review": ["not found"]})
    if review.seller_reply:
        raise ReplyAlreadyExists(
            _("You have already replied to this review."), extra={"reply": [_("already replied")]}
        )
    review.seller_reply = _text(
        reply, field="reply", max_length=REPLY_MAX_LENGTH, multiline=True, required=True
    )
    review.seller_replied_at = now or timezone.now()
    review.full_clean(validate_unique=False, validate_constraints=False)
    review.save(update_fields=["seller_reply", "seller_replied_at", "updated_at"])
    if review.is_visible:
        product_cache_invalidate(review.product_id)
    return review


# --- seller ratings ----------------------------------------------------------------------------------


@transaction.atomic
def seller_rating_create(
    *,
    seller_order_id: int,
    author_id: int,
    rating: int,
    comment: str = "",
    now: datetime | None = None,
) -> SellerRating:
    """The buyer's rating of the seller of one delivered part of their order, once per part."""
    part = SellerOrder.objects.select_related("order").filter(pk=seller_order_id).first()
    if part is None:
        raise ReviewNotFound(_("No such order among yours."), extra={"seller_order": ["not found"]})
    _part_reviewable_check(part, author_id)
    rating = _rating(rating)
    comment = _text(comment, field="comment", max_length=COMMENT_MAX_LENGTH, multiline=False)
    _seller_lock(part.seller_id)
    row = SellerRating(
        seller_order=part, seller_id=part.seller_id, author_id=author_id, rating=rating, comment=comment
    )
    row.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            row.save(force_insert=True)
    except IntegrityError as exc:
        raise ReviewAlreadyExists(
            _("You have already rated this seller for this order; you can change your rating instead."),
            extra={"seller_order": ["already rated"]},
        ) from exc
    if now is not None:
        SellerRating.objects.filter(pk=row.pk).update(created_at=now, updated_at=now)
        row.created_at = row.updated_at = now
    _seller_aggregate_refresh(part.seller_id)
    return row


@transaction.atomic
def seller_rating_update(
    *,
    rating_id: int,
    author_id: int,
    rating: int,
    comment: str = "",
    now: datetime | None = None,
) -> SellerRating:
    """The author changes their seller rating, within ``REVIEW_EDIT_DAYS`` of giving it."""
    now = now or timezone.now()
    seller_id = (
        SellerRating.objects.filter(pk=rating_id, author_id=author_id)
        .values_list("seller_id", flat=True)
        .first()
    )
    if seller_id is None:
        raise ReviewNotFound(_("No such rating."), extra={"rating_id": ["not found"]})
    _seller_lock(seller_id)
    row = SellerRating.objects.select_for_update().get(pk=rating_id)
    _edit_window_check(row.created_at, now)
    row.rating = _rating(rating)
    row.comment = _text(comment, field="comment", max_length=COMMENT_MAX_LENGTH, multiline=False)
    row.full_clean(validate_unique=False, validate_constraints=False)
    row.save(update_fields=["rating", "comment", "updated_at"])
    _seller_aggregate_refresh(seller_id)
    return row
