"""One day rolled up from a small hand-built world: three visits, three orders, and a refund two days
later. Every number below is worked out by hand from the world in ``shop``."""

from datetime import date

import pytest
from django.db.models import Sum

from analytics.models import (
    CategoryFact,
    Grain,
    LandingPageFact,
    ProductFact,
    SalesFact,
    SearchFact,
    TrafficFact,
    VisitorSession,
)
from analytics.rollups.services import rollup_day
from tests.analytics.rollups.builders import GOOGLE, at, event, order_at, pay, placed_event, refund
from tests.factories import SellerProfileFactory, UserFactory, category_create
from tests.orders.factories import purchasable_variant

pytestmark = pytest.mark.django_db

D = date(2026, 3, 10)  # GMT: local time is UTC
SALES_MEASURES = (
    "orders_placed",
    "orders_paid",
    "units",
    "gmv_amount",
    "refund_amount",
    "refunded_orders",
    "net_revenue_amount",
    "commission_amount",
    "new_customers",
)


@pytest.fixture
def shop():
    """Seller A sells a (10.00) in Shoes > Trainers, seller B sells b (25.00) in Bags.

    - v1, a guest on a phone from Google: views a, adds it to the cart, checks out, places order 1
      (2 x a = 20.00) at 09:12, paid at 09:13.
    - v2, signed-in user u, from the spring newsletter: views b then a, places order 2 (a + b = 35.00)
      at 10:20, paid.
    - v3, direct: views b and leaves (a bounce).
    - order 3 (b = 25.00), placed at 12:00 by another user with no visit, never paid.
    - two days later order 1 gets one unit (10.00) refunded.
    Commission is the default 10 %."""
    shoes = category_create("Shoes")
    trainers = category_create("Trainers", parent=shoes)
    bags = category_create("Bags")
    seller_a, seller_b = SellerProfileFactory(), SellerProfileFactory()
    a = purchasable_variant(seller=seller_a, price=1000, stock=50)
    a.product.category = trainers
    a.product.save()
    b = purchasable_variant(seller=seller_b, price=2500, stock=50)
    b.product.category = bags
    b.product.save()
    u = UserFactory()

    event("v1", at(D, "09:00"), product=a.product, referrer=GOOGLE, path="/p/a/", user_agent_class="mobile")
    event(
        "v1",
        at(D, "09:05"),
        "add_to_cart",
        properties={"variant": a.pk, "quantity": 2},
        user_agent_class="mobile",
    )
    event("v1", at(D, "09:10"), "checkout_step", properties={"step": "checkout"}, user_agent_class="mobile")
    order1 = order_at(at(D, "09:12"), lines=[(a, 2)], email="guest@example.com")
    placed_event("v1", order1)
    payment1 = pay(order1, at(D, "09:13"))

    spring = {"utm_source": "newsletter", "utm_medium": "email", "utm_campaign": "spring"}
    event("v2", at(D, "10:00"), product=b.product, path="/p/b/", user_id=u.pk, **spring)
    event("v2", at(D, "10:05"), product=a.product, path="/p/a/", user_id=u.pk)
    event("v2", at(D, "10:06"), "search", properties={"q": "Red Shoes", "results": 3}, user_id=u.pk)
    order2 = order_at(at(D, "10:20"), lines=[(a, 1), (b, 1)], user=u)
    placed_event("v2", order2, user_id=u.pk)
    pay(order2, at(D, "10:21"))

    event("v3", at(D, "11:00"), product=b.product, path="/p/b/")
    event("v3", at(D, "11:00"), "search_zero_results", properties={"q": "red  shoes", "results": 0})

    order_at(at(D, "12:00"), lines=[(b, 1)], user=UserFactory())

    line1 = order1.seller_orders.get().lines.get()
    refund(payment1, [(line1, 1)], key="return:1", when=at(date(2026, 3, 12), "15:00"))
    return {
        "a": a,
        "b": b,
        "seller_a": seller_a.pk,
        "seller_b": seller_b.pk,
        "shoes": shoes,
        "trainers": trainers,
    }


def _sales(day, **filters):
    found = SalesFact.objects.filter(grain=Grain.DAY, period=day, **filters)
    return {
        (r.seller_id, r.channel, r.device, r.customer_type): tuple(getattr(r, m) for m in SALES_MEASURES)
        for r in found
    }


def test_sales_book_orders_units_gmv_and_commission_on_the_placed_day_in_each_orders_cell(shop):
    rollup_day(day=D)

    a, b = shop["seller_a"], shop["seller_b"]
    #        placed paid units gmv  refund refunded net  commission new
    assert _sales(D) == {
        (0, "search", "mobile", "new"): (1, 1, 2, 2000, 0, 0, 2000, 200, 1),
        (0, "campaign", "desktop", "new"): (1, 1, 2, 3500, 0, 0, 3500, 350, 1),
        (0, "direct", "other", "new"): (1, 0, 0, 0, 0, 0, 0, 0, 0),
        (a, "search", "mobile", "new"): (1, 1, 2, 2000, 0, 0, 2000, 200, 1),
        (a, "campaign", "desktop", "new"): (1, 1, 1, 1000, 0, 0, 1000, 100, 1),
        (b, "campaign", "desktop", "new"): (1, 1, 1, 2500, 0, 0, 2500, 250, 1),
        (b, "direct", "other", "new"): (1, 0, 0, 0, 0, 0, 0, 0, 0),
    }


def test_a_refund_books_on_its_own_day_under_the_orders_cell_and_leaves_the_placed_day_alone(shop):
    rollup_day(day=D)
    placed_before = _sales(D)
    later = date(2026, 3, 12)

    rollup_day(day=later)
    rollup_day(day=D)

    a = shop["seller_a"]
    # The refund gives back 10 % of 10.00 in commission on the refund's day.
    assert _sales(later) == {
        (0, "search", "mobile", "new"): (0, 0, 0, 0, 1000, 1, -1000, -100, 0),
        (a, "search", "mobile", "new"): (0, 0, 0, 0, 1000, 1, -1000, -100, 0),
    }
    assert _sales(D) == placed_before
    refunded = ProductFact.objects.get(grain=Grain.DAY, period=later, product_id=shop["a"].product_id)
    assert (refunded.refunded_units, refunded.refund_amount, refunded.units) == (1, 1000, 0)


def _traffic(day, seller_id):
    measures = (
        "visitors",
        "sessions",
        "bounces",
        "page_views",
        "product_views",
        "add_to_carts",
        "sessions_checkout",
        "sessions_placed",
        "sessions_paid",
        "orders_paid",
        "revenue_amount",
    )
    return {
        (r.channel, r.source, r.campaign, r.device): tuple(getattr(r, m) for m in measures)
        for r in TrafficFact.objects.filter(grain=Grain.DAY, period=day, seller_id=seller_id)
    }


def test_traffic_counts_each_visit_in_its_source_and_device_with_the_orders_placed_in_it(shop):
    rollup_day(day=D)

    #   visitors sessions bounces pages products carts checkout placed paid orders_paid revenue
    assert _traffic(D, 0) == {
        ("search", "google", "", "mobile"): (1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 2000),
        ("campaign", "newsletter", "spring", "desktop"): (1, 1, 0, 2, 2, 0, 0, 1, 1, 1, 3500),
        ("direct", "", "", "desktop"): (1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0),
    }
    # A seller's rows: the visits that viewed the seller's products, with the seller's part of them.
    assert _traffic(D, shop["seller_a"]) == {
        ("search", "google", "", "mobile"): (1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 2000),
        ("campaign", "newsletter", "spring", "desktop"): (1, 1, 0, 1, 1, 0, 0, 1, 1, 1, 1000),
    }
    assert _traffic(D, shop["seller_b"]) == {
        ("campaign", "newsletter", "spring", "desktop"): (1, 1, 0, 1, 1, 0, 0, 1, 1, 1, 2500),
        ("direct", "", "", "desktop"): (1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0),
    }


def test_the_funnel_and_conversion_inputs_add_up_over_the_platform_rows(shop):
    rollup_day(day=D)

    funnel = TrafficFact.objects.filter(grain=Grain.DAY, period=D, seller_id=0).aggregate(
        sessions=Sum("sessions"),
        product=Sum("sessions_product_view"),
        cart=Sum("sessions_add_to_cart"),
        checkout=Sum("sessions_checkout"),
        placed=Sum("sessions_placed"),
        paid=Sum("sessions_paid"),
        orders=Sum("orders_paid"),
        revenue=Sum("revenue_amount"),
    )
    assert funnel == {
        "sessions": 3,
        "product": 3,
        "cart": 1,
        "checkout": 1,
        "placed": 2,
        "paid": 2,
        "orders": 2,
        "revenue": 5500,
    }


def test_visits_are_stored_with_their_landing_page_source_and_orders(shop):
    rollup_day(day=D)

    visits = {
        v.visitor_key: (
            v.channel,
            v.source,
            v.landing_path,
            v.device,
            v.visitor_type,
            v.orders_paid,
            v.revenue_amount,
        )
        for v in VisitorSession.objects.filter(day=D)
    }
    assert visits == {
        "v1": ("search", "google", "/p/a/", "mobile", "new", 1, 2000),
        "v2": ("campaign", "newsletter", "/p/b/", "desktop", "new", 1, 3500),
        "v3": ("direct", "", "/p/b/", "desktop", "new", 0, 0),
    }
    landing = {
        (r.seller_id, r.path, r.channel): (r.sessions, r.bounces, r.sessions_with_order, r.revenue_amount)
        for r in LandingPageFact.objects.filter(grain=Grain.DAY, period=D)
    }
    assert landing == {
        (0, "/p/a/", "search"): (1, 0, 1, 2000),
        (0, "/p/b/", "campaign"): (1, 0, 1, 3500),
        (0, "/p/b/", "direct"): (1, 1, 0, 0),
        (shop["seller_a"], "/p/a/", "search"): (1, 0, 1, 2000),
        (shop["seller_b"], "/p/b/", "campaign"): (1, 0, 1, 2500),
        (shop["seller_b"], "/p/b/", "direct"): (1, 1, 0, 0),
    }


def test_searches_are_keyed_by_the_normalised_query(shop):
    rollup_day(day=D)

    (search,) = SearchFact.objects.filter(grain=Grain.DAY, period=D)
    assert (
        search.query,
        search.searches,
        search.zero_results,
        search.sessions,
        search.sessions_with_order,
    ) == (
        "red shoes",
        2,
        1,
        2,
        1,
    )


def test_products_and_categories_get_views_carts_and_paid_lines(shop):
    rollup_day(day=D)

    products = {
        r.product_id: (
            r.seller_id,
            r.category_id,
            r.product_views,
            r.add_to_carts,
            r.orders,
            r.units,
            r.gmv_amount,
        )
        for r in ProductFact.objects.filter(grain=Grain.DAY, period=D)
    }
    a, b = shop["a"], shop["b"]
    assert products == {
        a.product_id: (shop["seller_a"], shop["trainers"].pk, 2, 1, 2, 3, 3000),
        b.product_id: (shop["seller_b"], b.product.category_id, 2, 0, 1, 1, 2500),
    }
    trainers = CategoryFact.objects.get(grain=Grain.DAY, period=D, category_id=shop["trainers"].pk)
    assert (trainers.top_category_id, trainers.orders, trainers.units, trainers.gmv_amount) == (
        shop["shoes"].pk,
        2,
        3,
        3000,
    )


def test_month_rows_are_the_sums_of_the_day_rows(shop):
    rollup_day(day=D)
    rollup_day(day=date(2026, 3, 12))

    month = {
        (r.seller_id, r.channel): (r.gmv_amount, r.refund_amount, r.net_revenue_amount, r.commission_amount)
        for r in SalesFact.objects.filter(grain=Grain.MONTH, period=date(2026, 3, 1), seller_id=0)
    }
    assert month == {
        (0, "search"): (2000, 1000, 1000, 100),
        (0, "campaign"): (3500, 0, 3500, 350),
        (0, "direct"): (0, 0, 0, 0),
    }
    traffic = TrafficFact.objects.filter(grain=Grain.MONTH, period=date(2026, 3, 1), seller_id=0)
    assert traffic.aggregate(s=Sum("sessions"), v=Sum("visitors")) == {"s": 3, "v": 3}
