"""Real parallel connections on PostgreSQL: reviews and seller ratings committed at the same moment never
lose an update of the product's or the seller's aggregate (each recomputes under the row's lock)."""

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection, connections

from orders.models import ProductReview, SellerRating
from orders.reviews import services as services_reviews
from tests.factories import ProductFactory
from tests.orders.reviews.factories import delivered_line

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

RATINGS = [5, 4, 4, 3, 5, 1, 2, 5, 4, 3, 5, 5]  # sum 46 over 12: 3.83


def _skip_unless_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL (SQLite serialises writers)")


def test_concurrent_reviews_of_one_product_all_count():
    _skip_unless_postgresql()
    product = ProductFactory()
    lines = [delivered_line(product=product) for _ in RATINGS]

    def review(args):
        line, rating = args
        try:
            services_reviews.product_review_create(
                order_line_id=line.pk,
                author_id=line.seller_order.order.buyer_id,
                rating=rating,
                title="",
                body="",
            )
            return "ok"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(review, zip(lines, RATINGS, strict=True)))

    product.refresh_from_db()
    assert results == ["ok"] * len(RATINGS)
    assert ProductReview.objects.filter(product=product).count() == len(RATINGS)
    assert (product.rating_avg, product.rating_count) == (Decimal("3.83"), len(RATINGS))


def test_concurrent_seller_ratings_all_count():
    _skip_unless_postgresql()
    product = ProductFactory()
    parts = [delivered_line(product=product).seller_order for _ in RATINGS]

    def rate(args):
        part, rating = args
        try:
            services_reviews.seller_rating_create(
                seller_order_id=part.pk, author_id=part.order.buyer_id, rating=rating, comment=""
            )
            return "ok"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(rate, zip(parts, RATINGS, strict=True)))

    seller = product.seller
    seller.refresh_from_db()
    assert results == ["ok"] * len(RATINGS)
    assert SellerRating.objects.filter(seller=seller).count() == len(RATINGS)
    assert (seller.rating_avg, seller.rating_count) == (Decimal("3.83"), len(RATINGS))


def test_the_same_line_reviewed_twice_at_once_gives_one_review_and_one_clear_refusal():
    _skip_unless_postgresql()
    line = delivered_line()

    def review(rating):
        try:
            services_reviews.product_review_create(
                order_line_id=line.pk,
                author_id=line.seller_order.order.buyer_id,
                rating=rating,
                title="",
                body="",
            )
            return "ok"
        except services_reviews.ReviewAlreadyExists:
            return "refused"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = sorted(pool.map(review, [5, 1, 3, 2]))

    assert results == ["ok", "refused", "refused", "refused"]
    product = line.variant.product
    product.refresh_from_db()
    review = ProductReview.objects.get()
    assert (product.rating_count, product.rating_avg) == (1, Decimal(review.rating))
