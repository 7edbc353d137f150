"""What the review pages read: the buyer's review state of an order, a product's reviews with the star
histogram, a seller's reviews in the portal, and how many purchases await a review."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from catalog.models import Product
from orders.models import OrderStatus, ProductReview
from orders.reviews import selectors as sel
from orders.reviews import services as svc
from tests.factories import ProductFactory, SellerProfileFactory, UserFactory
from tests.orders.reviews.factories import OrderLineFactory, delivered_line, review_row

pytestmark = pytest.mark.django_db


def _review(line, rating, **fields):
    return svc.product_review_create(
        order_line_id=line.pk,
        author_id=line.seller_order.order.buyer_id,
        rating=rating,
        title=fields.get("title", ""),
        body=fields.get("body", ""),
        now=fields.get("now"),
    )


def test_order_review_state_per_line_and_part(product, buyer, django_assert_num_queries):
    # given an order with a delivered part (two lines, one reviewed long ago) and a shipped part
    reviewed = delivered_line(buyer=buyer, product=product)
    part = reviewed.seller_order
    open_line = OrderLineFactory(seller_order=part)
    review = _review(reviewed, 4, now=timezone.now() - timedelta(days=40))
    shipped = delivered_line(buyer=buyer, status=OrderStatus.SHIPPED).seller_order
    shipped.order = part.order
    shipped.save(update_fields=["order"])

    # when (parts, lines with reviews, products; the category structure is cached after the first read)
    sel.order_review_state(order_id=part.order_id, user_id=buyer.pk)
    with django_assert_num_queries(3):
        parts = sel.order_review_state(order_id=part.order_id, user_id=buyer.pk)

    # then
    assert [p.part.pk for p in parts] == [part.pk, shipped.pk]
    delivered, not_yet = parts
    assert (delivered.delivered, delivered.rating_reviewable, delivered.rating) == (True, True, None)
    first, second = delivered.lines
    assert (first.line.pk, first.review.pk, first.reviewable, first.editable) == (
        reviewed.pk,
        review.pk,
        False,
        False,
    )
    assert (second.line.pk, second.review, second.reviewable, second.editable) == (
        open_line.pk,
        None,
        True,
        False,
    )
    assert first.product_slug == "brass-lamp"
    assert (not_yet.delivered, not_yet.rating_reviewable, [s.reviewable for s in not_yet.lines]) == (
        False,
        False,
        [False],
    )


def test_order_review_state_of_someone_elses_order_is_empty(product, buyer):
    line = delivered_line(buyer=buyer, product=product)

    assert sel.order_review_state(order_id=line.seller_order.order_id, user_id=UserFactory().pk) == []


def test_a_review_is_editable_for_30_days(product, buyer):
    line = delivered_line(buyer=buyer, product=product)
    written = timezone.now() - timedelta(days=29)
    _review(line, 5, now=written)

    (part,) = sel.order_review_state(order_id=line.seller_order.order_id, user_id=buyer.pk)

    assert part.lines[0].editable is True
    assert part.lines[0].edit_until == written + timedelta(days=30)


def test_a_line_whose_product_is_gone_is_not_reviewable(buyer):
    line = delivered_line(buyer=buyer)
    Product.objects.filter(pk=line.product_id_snapshot).delete()

    (part,) = sel.order_review_state(order_id=line.seller_order.order_id, user_id=buyer.pk)

    assert (part.lines[0].reviewable, part.lines[0].product_slug) == (False, None)
    assert sel.order_lines_awaiting_review_count(buyer.pk) == 0


def test_product_reviews_for_page_histogram_and_latest(product, django_assert_num_queries):
    now = timezone.now()
    for days_ago, rating in enumerate([5, 5, 4, 1, 5]):
        _review(delivered_line(product=product), rating, now=now - timedelta(days=days_ago))
    hidden = _review(delivered_line(product=product), 2)
    ProductReview.objects.filter(pk=hidden.pk).update(is_visible=False)
    other_product = ProductFactory()
    _review(delivered_line(product=other_product), 3)

    with django_assert_num_queries(1):
        page = sel.product_reviews_for_page(product_id=product.pk, limit=3)
        authors = [review.author.email for review in page.reviews]  # joined, no extra query

    assert [(row.stars, row.count, row.percent) for row in page.histogram] == [
        (5, 3, 60),
        (4, 1, 20),
        (3, 0, 0),
        (2, 0, 0),
        (1, 1, 20),
    ]
    assert (page.count, page.average, page.more) == (5, Decimal("4.00"), True)
    assert [review.rating for review in page.reviews] == [5, 5, 4]
    assert len(authors) == 3


def test_product_reviews_for_page_without_reviews(product):
    page = sel.product_reviews_for_page(product_id=product.pk, limit=10)

    assert (page.reviews, page.count, page.average, page.more) == ([], 0, None, False)
    assert [row.count for row in page.histogram] == [0, 0, 0, 0, 0]


def test_seller_review_list_is_scoped_and_filtered(product):
    mine_5 = _review(delivered_line(product=product), 5)
    mine_2 = _review(delivered_line(product=product), 2)
    svc.product_review_reply(review_id=mine_2.pk, seller_id=product.seller_id, reply="Sorry")
    _review(delivered_line(seller=SellerProfileFactory()), 5)  # someone else's

    def ids(**filters):
        return list(
            sel.seller_review_list(seller_id=product.seller_id, filters=filters).values_list("pk", flat=True)
        )

    assert ids() == [mine_2.pk, mine_5.pk]
    assert ids(rating=5) == [mine_5.pk]
    assert ids(replied="no") == [mine_5.pk]
    assert ids(replied="yes") == [mine_2.pk]
    assert sel.seller_review_get(seller_id=SellerProfileFactory().pk, review_id=mine_5.pk) is None


def test_order_lines_awaiting_review_count(buyer, product):
    reviewed = delivered_line(buyer=buyer, product=product)
    _review(reviewed, 5)
    OrderLineFactory(seller_order=reviewed.seller_order)
    delivered_line(buyer=buyer, status=OrderStatus.COMPLETED)
    delivered_line(buyer=buyer, status=OrderStatus.SHIPPED)
    delivered_line()  # another shopper's
    line = delivered_line(buyer=buyer)
    review_row(line, is_visible=False)  # hidden still counts as reviewed

    assert sel.order_lines_awaiting_review_count(buyer.pk) == 2
