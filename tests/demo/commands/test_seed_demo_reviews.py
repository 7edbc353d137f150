"""The demo's ratings come from real review rows: reviews of its own delivered orders, and aggregates
recomputed from them."""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone

from accounts.models import SellerProfile
from catalog.models import Product
from orders.models import OrderLine, OrderStatus, ProductReview, SellerOrder, SellerRating

pytestmark = pytest.mark.django_db

SMALL = {
    "products": 200,
    "sellers": 20,
    "shoppers": 40,
    "orders": 150,
    "events": 300,
    "no_progress": True,
    "rollups": False,
}
REVIEWABLE = {OrderStatus.DELIVERED, OrderStatus.COMPLETED}


def _seed(**overrides) -> str:
    stdout = StringIO()
    call_command("seed_demo", **{**SMALL, **overrides}, stdout=stdout, stderr=StringIO())
    return stdout.getvalue()


def _average(total: int, count: int) -> Decimal | None:
    # Two decimals, half up: what the reviews service stores (5 and 4 give 4.50).
    if not count:
        return None
    return (Decimal(total) / Decimal(count)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _recomputed(rows, group: str) -> dict[int, tuple[Decimal | None, int]]:
    grouped = rows.order_by().values(group).annotate(total=Sum("rating"), count=Count("pk"))
    return {row[group]: (_average(row["total"], row["count"]), row["count"]) for row in grouped}


def _aggregate_mismatches() -> list[tuple[str, int, tuple, tuple]]:
    products = _recomputed(ProductReview.objects.filter(is_visible=True), "product_id")
    sellers = _recomputed(SellerRating.objects.all(), "seller_id")
    mismatches = []
    for kind, model, expected in (("product", Product, products), ("seller", SellerProfile, sellers)):
        for pk, avg, count in model.objects.values_list("pk", "rating_avg", "rating_count"):
            want = expected.get(pk, (None, 0))
            if (avg, count) != want:
                mismatches.append((kind, pk, (avg, count), want))
    return mismatches


def _review_keys() -> list[tuple]:
    return sorted(
        ProductReview.objects.values_list(
            "order_line__seller_order__order__number",
            "order_line__sku",
            "rating",
            "title",
            "body",
            "seller_reply",
            "created_at",
        )
    )


def test_seed_demo_stores_aggregates_equal_to_the_review_rows():
    _seed()

    assert ProductReview.objects.exists()
    assert SellerRating.objects.exists()
    assert _aggregate_mismatches() == []
    reviewed = set(ProductReview.objects.values_list("product_id", flat=True))
    assert Product.objects.filter(rating_count__gt=0).count() == len(reviewed)
    assert Product.objects.exclude(pk__in=reviewed).exclude(rating_avg=None, rating_count=0).count() == 0
    rated = set(SellerRating.objects.values_list("seller_id", flat=True))
    assert SellerProfile.objects.exclude(pk__in=rated).exclude(rating_avg=None, rating_count=0).count() == 0


def test_seed_demo_reviews_only_delivered_lines_bought_by_someone_other_than_the_seller():
    _seed()
    now = timezone.now()

    reviews = ProductReview.objects.select_related(
        "order_line__seller_order__order", "order_line__seller_order__seller", "order_line__variant"
    )
    for review in reviews:
        line = review.order_line
        part = line.seller_order
        order = part.order
        assert part.status in REVIEWABLE, order.number
        assert order.number.startswith("DEMO-")
        assert review.author_id == order.buyer_id
        assert review.author_id != part.seller.user_id
        assert review.seller_id == part.seller_id
        assert review.product_id == line.product_id_snapshot == line.variant.product_id
        assert 1 <= review.rating <= 5
        assert review.body
        # After the parcel arrived (at least 2 days after the order), within the 30-day review window.
        assert order.placed_at + timedelta(days=2) < review.created_at <= now
        assert review.created_at <= order.placed_at + timedelta(days=7 + 30)
        if review.seller_reply:
            assert review.created_at <= review.seller_replied_at <= now
            assert review.updated_at == review.seller_replied_at
        else:
            assert review.seller_replied_at is None
            assert review.updated_at == review.created_at
    for rating in SellerRating.objects.select_related("seller_order__order", "seller_order__seller"):
        part = rating.seller_order
        assert part.status in REVIEWABLE
        assert rating.author_id == part.order.buyer_id != part.seller.user_id
        assert rating.seller_id == part.seller_id
        assert part.order.placed_at + timedelta(days=2) < rating.created_at <= now


def test_seed_demo_reviews_a_realistic_share_mostly_positive_with_some_chinese_and_replies():
    _seed()

    reviewable_lines = OrderLine.objects.filter(
        seller_order__status__in=REVIEWABLE, seller_order__order__buyer__isnull=False
    ).count()
    reviewable_parts = SellerOrder.objects.filter(status__in=REVIEWABLE, order__buyer__isnull=False).count()
    reviews = ProductReview.objects.count()
    stars = dict(ProductReview.objects.order_by().values_list("rating").annotate(n=Count("pk")))

    assert 0.15 * reviewable_lines <= reviews <= 0.4 * reviewable_lines
    assert 0.15 * reviewable_parts <= SellerRating.objects.count() <= 0.45 * reviewable_parts
    assert stars.get(5, 0) + stars.get(4, 0) > 0.6 * reviews
    assert stars.get(1, 0) + stars.get(2, 0) > 0
    assert ProductReview.objects.filter(body__regex=r"[\u4e00-\u9fff]").exists()
    assert ProductReview.objects.exclude(seller_reply="").exists()
    assert "product reviews" in _seed()  # the summary counts them


def test_seed_demo_again_adds_no_reviews_and_changes_no_aggregate():
    _seed()
    reviews, ratings = _review_keys(), SellerRating.objects.count()
    aggregates = list(Product.objects.order_by("pk").values_list("rating_avg", "rating_count"))

    stdout = _seed()

    assert _review_keys() == reviews
    assert SellerRating.objects.count() == ratings
    assert list(Product.objects.order_by("pk").values_list("rating_avg", "rating_count")) == aggregates
    assert "0 product reviews and 0 seller ratings" in stdout


def test_seed_demo_draws_the_same_reviews_again_for_the_same_seed():
    _seed()
    first = _review_keys()
    ProductReview.objects.all().delete()

    _seed()

    assert [key[:6] for key in _review_keys()] == [key[:6] for key in first]


def test_seed_demo_replaces_invented_aggregates_with_the_reviews_figures():
    # given a demo seeded before reviews existed: made-up averages on every seller and many products
    _seed()
    Product.objects.update(rating_avg=Decimal("4.40"), rating_count=1384)
    SellerProfile.objects.update(rating_avg=Decimal("4.71"), rating_count=2400)

    # when the seeder runs again
    _seed()

    # then every figure is the one the review rows give, and the unreviewed products show none
    assert _aggregate_mismatches() == []
    assert Product.objects.filter(rating_count=1384).count() == 0
    assert Product.objects.filter(rating_count=0, rating_avg=None).exists()


def test_seed_demo_keeps_a_review_a_shopper_wrote_and_counts_it():
    _seed()
    line = (
        OrderLine.objects.filter(
            seller_order__status__in=REVIEWABLE, seller_order__order__buyer__isnull=False, review__isnull=True
        )
        .select_related("seller_order__order")
        .order_by("pk")
        .first()
    )
    written = ProductReview.objects.create(
        order_line=line,
        product_id=line.product_id_snapshot,
        seller_id=line.seller_order.seller_id,
        author_id=line.seller_order.order.buyer_id,
        rating=1,
        body="Written by hand.",
    )

    _seed()

    assert ProductReview.objects.get(order_line=line).pk == written.pk
    assert _aggregate_mismatches() == []


def test_seed_demo_product_pages_show_stars_only_with_the_reviews_behind_them(client):
    _seed()
    reviewed = Product.objects.filter(rating_count__gt=0).order_by("-rating_count", "pk").first()
    unreviewed = Product.objects.filter(rating_count=0).order_by("pk").first()

    reviewed_page = client.get(reverse("catalog:product-detail", args=[reviewed.slug])).content.decode()
    unreviewed_page = client.get(reverse("catalog:product-detail", args=[unreviewed.slug])).content.decode()

    visible = ProductReview.objects.filter(product=reviewed, is_visible=True).count()
    assert reviewed.rating_count == visible
    assert f"★ {reviewed.rating_avg:.1f} ({visible})" in _own_rating(reviewed_page)
    assert f'"reviewCount": {visible}' in reviewed_page
    assert "★" not in _own_rating(unreviewed_page)
    assert "aggregateRating" not in unreviewed_page


def _own_rating(page: str) -> str:
    """The product's own rating line: between its title and its price (the seller's card has another)."""
    start = page.index("<h1>")
    return page[start : page.index('class="price-block"', start)]
