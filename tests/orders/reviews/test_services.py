"""Reviews and seller ratings: who may write them and when, once only, the 30-day edit window, the one
seller reply, exact aggregates and plain-text storage."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from catalog.listing_cache import product_version
from catalog.models import Product
from orders.models import OrderStatus, ProductReview, SellerRating
from orders.reviews import services as svc
from tests.factories import SellerProfileFactory, UserFactory
from tests.orders.reviews.factories import delivered_line, review_row

pytestmark = pytest.mark.django_db


def _review(line, *, rating=4, title="Good", body="Works well.", **kwargs):
    return svc.product_review_create(
        order_line_id=line.pk,
        author_id=line.seller_order.order.buyer_id,
        rating=rating,
        title=title,
        body=body,
        **kwargs,
    )


def _rate(part, *, rating=5, comment="", **kwargs):
    return svc.seller_rating_create(
        seller_order_id=part.pk, author_id=part.order.buyer_id, rating=rating, comment=comment, **kwargs
    )


# --- who may review, and when --------------------------------------------------------------------------


@pytest.mark.parametrize("status", [OrderStatus.DELIVERED, OrderStatus.COMPLETED])
def test_a_delivered_or_completed_line_can_be_reviewed_by_its_buyer(status, product, buyer):
    line = delivered_line(buyer=buyer, product=product, status=status)

    review = _review(line, rating=4, title="Bright", body="Lights the room.")

    assert (review.product_id, review.seller_id, review.author_id, review.rating) == (
        product.pk,
        product.seller_id,
        buyer.pk,
        4,
    )
    assert (review.title, review.body, review.is_visible) == ("Bright", "Lights the room.", True)


@pytest.mark.parametrize(
    "status",
    [
        OrderStatus.PENDING_PAYMENT,
        OrderStatus.PAID,
        OrderStatus.PROCESSING,
        OrderStatus.SHIPPED,
        OrderStatus.CANCELLED,
    ],
)
def test_a_line_not_yet_delivered_cannot_be_reviewed(status, product, buyer):
    line = delivered_line(buyer=buyer, product=product, status=status)

    with pytest.raises(svc.ReviewNotAllowed, match="once it has been delivered"):
        _review(line)

    assert ProductReview.objects.count() == 0
    assert Product.objects.get(pk=product.pk).rating_count == 0


def test_only_the_buyer_of_the_line_can_review_it(product, buyer):
    line = delivered_line(buyer=buyer, product=product)
    stranger = UserFactory()

    with pytest.raises(svc.ReviewNotAllowed, match="Only the buyer"):
        svc.product_review_create(
            order_line_id=line.pk, author_id=stranger.pk, rating=1, title="", body="fake"
        )

    assert ProductReview.objects.count() == 0


def test_a_guest_order_cannot_be_reviewed(product):
    line = delivered_line(product=product)
    order = line.seller_order.order
    order.buyer = None
    order.save(update_fields=["buyer"])

    with pytest.raises(svc.ReviewNotAllowed):
        svc.product_review_create(
            order_line_id=line.pk, author_id=UserFactory().pk, rating=5, title="", body=""
        )


def test_an_unknown_line_is_not_found(buyer):
    with pytest.raises(svc.ReviewNotFound):
        svc.product_review_create(order_line_id=987654, author_id=buyer.pk, rating=5, title="", body="")


def test_a_line_is_reviewed_once_with_a_clear_error(product, buyer):
    line = delivered_line(buyer=buyer, product=product)
    _review(line, rating=5)

    with pytest.raises(svc.ReviewAlreadyExists, match="already reviewed this item"):
        _review(line, rating=1)

    assert list(ProductReview.objects.values_list("rating", flat=True)) == [5]
    product.refresh_from_db()
    assert (product.rating_avg, product.rating_count) == (Decimal("5.00"), 1)


def test_the_database_refuses_a_second_review_of_a_line(product, buyer):
    line = delivered_line(buyer=buyer, product=product)
    review_row(line)

    with pytest.raises(IntegrityError), transaction.atomic():
        review_row(line, rating=1)


@pytest.mark.parametrize("rating", [0, 6, -1, True, "5"])
def test_a_rating_outside_1_to_5_is_refused(rating, product, buyer):
    line = delivered_line(buyer=buyer, product=product)

    with pytest.raises(svc.ReviewInvalid) as refused:
        _review(line, rating=rating)

    assert refused.value.extra == {"rating": ["a whole number from 1 to 5"]}
    assert ProductReview.objects.count() == 0


# --- editing ------------------------------------------------------------------------------------------


def test_the_author_can_change_a_review_within_30_days(product, buyer):
    line = delivered_line(buyer=buyer, product=product)
    written = timezone.now()
    review = _review(line, rating=5, title="Great", body="Great.", now=written)

    svc.product_review_update(
        review_id=review.pk,
        author_id=buyer.pk,
        rating=2,
        title="Broke",
        body="Broke after a month.",
        now=written + timedelta(days=svc.REVIEW_EDIT_DAYS),
    )

    review.refresh_from_db()
    assert (review.rating, review.title, review.body) == (2, "Broke", "Broke after a month.")
    product.refresh_from_db()
    assert (product.rating_avg, product.rating_count) == (Decimal("2.00"), 1)


def test_after_30_days_a_review_can_no_longer_be_changed(product, buyer):
    line = delivered_line(buyer=buyer, product=product)
    written = timezone.now() - timedelta(days=31)
    review = _review(line, rating=5, title="Great", body="Great.", now=written)
    assert ProductReview.objects.get(pk=review.pk).created_at == written

    with pytest.raises(svc.ReviewEditClosed, match="30 days"):
        svc.product_review_update(review_id=review.pk, author_id=buyer.pk, rating=1, title="", body="")

    review.refresh_from_db()
    assert (review.rating, review.title) == (5, "Great")


def test_nobody_but_the_author_can_change_a_review(product, buyer):
    review = _review(delivered_line(buyer=buyer, product=product), rating=5)

    with pytest.raises(svc.ReviewNotFound):
        svc.product_review_update(
            review_id=review.pk, author_id=UserFactory().pk, rating=1, title="x", body="x"
        )

    assert ProductReview.objects.get(pk=review.pk).rating == 5


# --- seller replies -----------------------------------------------------------------------------------


def test_the_seller_replies_once(product, buyer):
    review = _review(delivered_line(buyer=buyer, product=product))
    now = timezone.now()

    replied = svc.product_review_reply(
        review_id=review.pk, seller_id=product.seller_id, reply="Thank you!", now=now
    )
    with pytest.raises(svc.ReplyAlreadyExists):
        svc.product_review_reply(review_id=review.pk, seller_id=product.seller_id, reply="Again")

    review.refresh_from_db()
    assert (replied.seller_reply, review.seller_reply, review.seller_replied_at) == (
        "Thank you!",
        "Thank you!",
        now,
    )


def test_a_seller_cannot_reply_to_a_review_of_another_sellers_product(product, buyer):
    review = _review(delivered_line(buyer=buyer, product=product))
    other = SellerProfileFactory()

    with pytest.raises(svc.ReviewNotFound):
        svc.product_review_reply(review_id=review.pk, seller_id=other.pk, reply="Buy mine instead")

    review.refresh_from_db()
    assert (review.seller_reply, review.seller_replied_at) == ("", None)


@pytest.mark.parametrize("reply", ["", "   ", "<b></b>"])
def test_an_empty_reply_is_refused(reply, product, buyer):
    review = _review(delivered_line(buyer=buyer, product=product))

    with pytest.raises(svc.ReviewInvalid):
        svc.product_review_reply(review_id=review.pk, seller_id=product.seller_id, reply=reply)

    assert ProductReview.objects.get(pk=review.pk).seller_reply == ""


# --- aggregates ---------------------------------------------------------------------------------------


def test_product_aggregates_are_exact(product):
    _review(delivered_line(product=product), rating=5)
    _review(delivered_line(product=product), rating=4)

    product.refresh_from_db()
    assert (product.rating_avg, product.rating_count) == (Decimal("4.50"), 2)


def test_product_aggregates_round_half_up_and_follow_edits(product):
    first = _review(delivered_line(product=product), rating=5)
    _review(delivered_line(product=product), rating=4)
    _review(delivered_line(product=product), rating=4)
    product.refresh_from_db()
    assert (product.rating_avg, product.rating_count) == (Decimal("4.33"), 3)

    svc.product_review_update(review_id=first.pk, author_id=first.author_id, rating=2, title="", body="")

    product.refresh_from_db()
    assert (product.rating_avg, product.rating_count) == (Decimal("3.33"), 3)


def test_hidden_reviews_do_not_count(product):
    hidden = _review(delivered_line(product=product), rating=1)
    ProductReview.objects.filter(pk=hidden.pk).update(is_visible=False)

    _review(delivered_line(product=product), rating=4)

    product.refresh_from_db()
    assert (product.rating_avg, product.rating_count) == (Decimal("4.00"), 1)


def test_rating_average():
    assert svc.rating_average(9, 2) == Decimal("4.50")
    assert svc.rating_average(2, 3) == Decimal("0.67")
    assert svc.rating_average(5, 6) == Decimal("0.83")
    assert svc.rating_average(0, 0) is None


def test_a_review_renews_the_cached_product_page_after_commit(
    product, buyer, django_capture_on_commit_callbacks
):
    before = product_version(product.pk)

    with django_capture_on_commit_callbacks(execute=True):
        _review(delivered_line(buyer=buyer, product=product))

    assert product_version(product.pk) != before


def test_a_reply_renews_the_cached_product_page_after_commit(
    product, buyer, django_capture_on_commit_callbacks
):
    review = _review(delivered_line(buyer=buyer, product=product))
    before = product_version(product.pk)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        svc.product_review_reply(review_id=review.pk, seller_id=product.seller_id, reply="Thanks")

    assert len(callbacks) == 1
    assert product_version(product.pk) != before


# --- seller ratings -----------------------------------------------------------------------------------


def test_seller_ratings_once_per_part_with_exact_aggregates(seller):
    part_1 = delivered_line(seller=seller).seller_order
    part_2 = delivered_line(seller=seller).seller_order
    part_3 = delivered_line(seller=seller).seller_order

    _rate(part_1, rating=5, comment="Fast")
    _rate(part_2, rating=4)
    _rate(part_3, rating=4)
    with pytest.raises(svc.ReviewAlreadyExists):
        _rate(part_1, rating=1)

    seller.refresh_from_db()
    assert (seller.rating_avg, seller.rating_count) == (Decimal("4.33"), 3)
    assert SellerRating.objects.get(seller_order=part_1).comment == "Fast"


def test_a_seller_can_be_rated_only_after_delivery_by_the_buyer(seller):
    shipped = delivered_line(seller=seller, status=OrderStatus.SHIPPED).seller_order
    delivered = delivered_line(seller=seller).seller_order

    with pytest.raises(svc.ReviewNotAllowed):
        _rate(shipped)
    with pytest.raises(svc.ReviewNotAllowed):
        svc.seller_rating_create(
            seller_order_id=delivered.pk, author_id=UserFactory().pk, rating=1, comment=""
        )

    assert SellerRating.objects.count() == 0
    seller.refresh_from_db()
    assert (seller.rating_avg, seller.rating_count) == (None, 0)


def test_a_seller_rating_can_be_changed_for_30_days_only(seller):
    part = delivered_line(seller=seller).seller_order
    given = timezone.now()
    row = _rate(part, rating=5, now=given)

    svc.seller_rating_update(
        rating_id=row.pk, author_id=part.order.buyer_id, rating=3, comment="Slow reply", now=given
    )
    seller.refresh_from_db()
    assert (seller.rating_avg, seller.rating_count) == (Decimal("3.00"), 1)

    with pytest.raises(svc.ReviewEditClosed):
        svc.seller_rating_update(
            rating_id=row.pk,
            author_id=part.order.buyer_id,
            rating=1,
            comment="",
            now=given + timedelta(days=30, seconds=1),
        )
    row.refresh_from_db()
    assert (row.rating, row.comment) == (3, "Slow reply")


# --- text ---------------------------------------------------------------------------------------------


def test_html_in_a_review_is_stored_as_harmless_plain_text(product, buyer):
    line = delivered_line(buyer=buyer, product=product)

    review = _review(
        line,
        title='<script>alert("t")</script>Great lamp',
        body='<b>Bright</b> <img src=x onerror="alert(1)">and warm.\r\nWould buy again <3',
    )

    review.refresh_from_db()
    assert review.title == 'alert("t")Great lamp'
    assert review.body == "Bright and warm.\nWould buy again <3"
    assert "<script" not in review.title + review.body
    assert "onerror" not in review.body


def test_control_characters_are_dropped(product, buyer):
    review = _review(
        delivered_line(buyer=buyer, product=product), title="Nice\x00 \u202elamp", body="a\x07b\n\n\n\nc"
    )

    assert (review.title, review.body) == ("Nice lamp", "ab\n\nc")


@pytest.mark.parametrize(("field", "limit"), [("title", svc.TITLE_MAX_LENGTH), ("body", svc.BODY_MAX_LENGTH)])
def test_review_texts_are_length_limited(field, limit, product, buyer):
    line = delivered_line(buyer=buyer, product=product)
    texts = {"title": "", "body": ""}

    texts[field] = "x" * (limit + 1)
    with pytest.raises(svc.ReviewInvalid) as refused:
        _review(line, **texts)
    texts[field] = "x" * limit
    review = _review(line, **texts)

    assert field in refused.value.extra
    assert len(getattr(review, field)) == limit


def test_reply_and_comment_are_length_limited(product, buyer):
    line = delivered_line(buyer=buyer, product=product)
    review = _review(line)

    with pytest.raises(svc.ReviewInvalid):
        svc.product_review_reply(
            review_id=review.pk, seller_id=product.seller_id, reply="x" * (svc.REPLY_MAX_LENGTH + 1)
        )
    with pytest.raises(svc.ReviewInvalid):
        _rate(line.seller_order, comment="x" * (svc.COMMENT_MAX_LENGTH + 1))

    assert ProductReview.objects.get(pk=review.pk).seller_reply == ""
    assert SellerRating.objects.count() == 0
