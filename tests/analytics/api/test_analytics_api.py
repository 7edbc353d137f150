"""The analytics API: operators' endpoints (404 for anyone else), a seller's own (their rows only), the
range parameters (400 naming the field), and the figures themselves."""

import pytest
from django.test import Client
from django.utils import timezone

from accounts.services import seller_api_token_create
from analytics.selectors import platform_today
from tests.analytics import facts
from tests.factories import (
    OperatorFactory,
    ProductFactory,
    SellerProfileFactory,
    UserFactory,
    category_create,
)

pytestmark = pytest.mark.django_db

OPS = [
    "/api/analytics/overview/",
    "/api/analytics/traffic/",
    "/api/analytics/products/",
    "/api/analytics/sellers/",
]
SELLER = [
    "/api/seller/analytics/overview/",
    "/api/seller/analytics/traffic/",
    "/api/seller/analytics/products/",
]
HUGE = str(2**63)


@pytest.fixture
def today():
    return platform_today()


@pytest.fixture
def operator():
    client = Client(raise_request_exception=False)
    client.force_login(OperatorFactory())
    return client


def _seller_client(seller) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(seller.user)
    return client


@pytest.mark.parametrize("path", OPS)
def test_operator_endpoints_are_a_404_for_anyone_else(path):
    assert Client().get(path).status_code == 404
    for user in (UserFactory(), SellerProfileFactory().user, UserFactory(is_staff=True, is_active=False)):
        client = Client()
        client.force_login(user)
        assert client.get(path).status_code == 404


@pytest.mark.parametrize("path", OPS)
def test_operator_endpoints_answer_an_operator(operator, path):
    response = operator.get(path)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


def test_the_overview_has_kpis_with_the_change_series_and_top_sellers(operator, today):
    seller = SellerProfileFactory(shop_name="Kettle Corner")
    facts.sales(today, gmv_amount=30000, orders_paid=3)
    facts.sales(today - timezone.timedelta(days=7), gmv_amount=20000, orders_paid=4)
    facts.sales(today, seller_id=seller.pk, gmv_amount=30000, orders_paid=3, commission_amount=3000)
    facts.traffic(today, visitors=40, sessions=50, sessions_placed=2)

    body = operator.get("/api/analytics/overview/", {"preset": "7d"}).json()

    kpis = {(k["key"], k["currency"]): k for k in body["kpis"]}
    assert kpis["gmv", "USD"] == {
        "key": "gmv",
        "kind": "money",
        "currency": "USD",
        "value": 30000,
        "previous": 20000,
        "change": 50.0,
    }
    assert (kpis["orders", ""]["value"], kpis["orders", ""]["previous"], kpis["orders", ""]["change"]) == (
        3,
        4,
        -25.0,
    )
    assert (kpis["aov", "USD"]["value"], kpis["aov", "USD"]["previous"]) == (10000, 5000)
    assert kpis["conversion_rate", ""]["value"] == 4.0
    assert kpis["refund_rate", ""]["value"] == 0.0
    assert body["range"] == {
        "start": (today - timezone.timedelta(days=6)).isoformat(),
        "end": today.isoformat(),
        "days": 7,
    }
    assert body["previous_range"]["end"] == (today - timezone.timedelta(days=7)).isoformat()
    assert body["series"]["bucket"] == "day"
    assert body["series"]["points"][-1] == {
        "start": today.isoformat(),
        "end": today.isoformat(),
        "gmv_amount": 30000,
        "orders_paid": 3,
    }
    (top,) = body["top_sellers"]
    assert (top["shop_name"], top["gmv_amount"], top["commission_amount"]) == ("Kettle Corner", 30000, 3000)


def test_the_traffic_endpoint_has_the_funnel_and_search(operator, today):
    facts.traffic(
        today,
        device="mobile",
        sessions=10,
        sessions_product_view=10,
        sessions_add_to_cart=4,
        sessions_checkout=2,
        sessions_placed=1,
        sessions_paid=1,
    )
    facts.search(today, "kettle", searches=5, sessions=4, sessions_with_order=1)
    facts.search(today, "unicorn", searches=2, zero_results=2, sessions=2)

    body = operator.get("/api/analytics/traffic/", {"preset": "7d"}).json()

    assert [(s["key"], s["sessions"], s["drop_off"]) for s in body["funnel"]["steps"]] == [
        ("sessions_product_view", 10, None),
        ("sessions_add_to_cart", 4, 60.0),
        ("sessions_checkout", 2, 50.0),
        ("sessions_placed", 1, 50.0),
        ("sessions_paid", 1, 0.0),
    ]
    assert body["funnel_by_device"][0]["label"] == "mobile"
    assert body["search"]["totals"]["purchase_rate"] == 16.7
    assert [q["query"] for q in body["search"]["zero_result_queries"]] == ["unicorn"]


def test_the_sellers_endpoint_sorts_and_pages(operator, today):
    for n in range(3):
        seller = SellerProfileFactory(shop_name=f"Shop {n}")
        facts.sales(
            today, seller_id=seller.pk, gmv_amount=100 * (n + 1), orders_paid=1, orders_cancelled=n % 2
        )

    body = operator.get("/api/analytics/sellers/", {"preset": "7d", "sort": "gmv", "page_size": 2}).json()
    last = operator.get(
        "/api/analytics/sellers/", {"preset": "7d", "sort": "gmv", "page_size": 2, "page": 2}
    ).json()

    assert body["count"] == 3
    assert [row["shop_name"] for row in body["results"]] == ["Shop 0", "Shop 1"]
    assert body["results"][1]["cancellation_rate"] == 100.0
    assert [row["shop_name"] for row in last["results"]] == ["Shop 2"]
    assert operator.get("/api/analytics/sellers/", {"sort": "shop_name"}).status_code == 400


def test_the_products_endpoint_lists_best_sellers_stock_and_categories(operator, today):
    seller = SellerProfileFactory()
    kitchen = category_create("Kitchen")
    kettle = ProductFactory(seller=seller, category=kitchen, title="Kettle")
    facts.product(
        today,
        product_id=kettle.pk,
        seller_id=seller.pk,
        category_id=kitchen.pk,
        units=14,
        orders=3,
        gmv_amount=4200,
        product_views=30,
    )
    facts.stock(
        today, variant_id=1, product_id=kettle.pk, seller_id=seller.pk, on_hand=7, category_id=kitchen.pk
    )
    facts.category(
        today,
        category_id=kitchen.pk,
        top_category_id=kitchen.pk,
        seller_id=seller.pk,
        orders=3,
        product_views=30,
        gmv_amount=4200,
    )

    body = operator.get("/api/analytics/products/", {"preset": "7d", "lead_days": 20}).json()

    assert [(p["title"], p["units"], p["conversion_rate"]) for p in body["best_sellers"]] == [
        ("Kettle", 14, 10.0)
    ]
    (stock,) = body["stock"]
    assert (stock["name"], stock["on_hand"], stock["days_of_cover"], stock["daily_rate"]) == (
        "Kettle",
        7,
        14.0,
        0.5,
    )
    assert [row["name"] for row in body["at_risk"]] == ["Kettle"]
    assert body["snapshot_day"] == today.isoformat()
    assert [(c["name"], c["conversion_rate"]) for c in body["categories"]] == [("Kitchen", 10.0)]
    by_seller = operator.get("/api/analytics/products/", {"preset": "7d", "group": "seller"}).json()
    assert by_seller["stock"][0]["key"] == seller.pk


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2026-02-01", "end": "2026-01-01"}, "start"),
        ({"preset": "custom", "start": "2026-01-01"}, "end"),
        ({"start": "1999-01-01", "end": "2001-01-01"}, "start"),
        ({"start": "2000-01-01", "end": "2026-01-01"}, "start"),  # over five years
        ({"start": "2026-13-01"}, "start"),
        ({"start": "9" * 40}, "start"),
        ({"start": "2026-01-01", "end": "2999-01-01"}, "end"),
        ({"preset": "forever"}, "preset"),
        ({"slow_days": HUGE}, "slow_days"),
        ({"lead_days": "0"}, "lead_days"),
        ({"category": HUGE}, "category"),
        ({"category": "1e400"}, "category"),
        ({"group": "user"}, "group"),
    ],
)
def test_bad_parameters_are_a_400_naming_the_field(operator, params, field):
    response = operator.get("/api/analytics/products/", params)

    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize("path", [*OPS, *SELLER])
def test_a_nul_character_is_a_400(operator, path):
    seller = SellerProfileFactory()
    client = operator if path in OPS else _seller_client(seller)

    response = client.get(path, {"start": "2026-01-01\x00"})

    assert response.status_code == 400


@pytest.mark.parametrize("path", SELLER)
def test_seller_endpoints_need_an_approved_seller(path):
    assert Client().get(path).status_code in (401, 403)
    client = Client()
    client.force_login(UserFactory())
    assert client.get(path).status_code == 403


def _two_shops(today):
    alpha, beta = SellerProfileFactory(shop_name="Alpha"), SellerProfileFactory(shop_name="Beta")
    for seller, gmv, source in ((alpha, 98765, "alpha-news"), (beta, 1000, "beta-blog")):
        product = ProductFactory(seller=seller, title=f"{seller.shop_name} product")
        facts.sales(today, seller_id=seller.pk, gmv_amount=gmv, orders_paid=1)
        facts.traffic(today, seller_id=seller.pk, source=source, sessions=5, visitors=5)
        facts.product(today, product_id=product.pk, seller_id=seller.pk, units=2, gmv_amount=gmv)
        facts.stock(today, variant_id=product.pk, product_id=product.pk, seller_id=seller.pk, on_hand=3)
        facts.landing(today, f"/p/{seller.shop_name.lower()}/", seller_id=seller.pk, sessions=5)
    return alpha, beta


@pytest.mark.parametrize("path", SELLER)
def test_a_seller_reads_only_their_own_rows_by_session_or_api_key(today, path):
    _alpha, beta = _two_shops(today)
    key = seller_api_token_create(seller_id=beta.pk)[1]

    by_session = _seller_client(beta).get(path, {"preset": "7d"})
    by_key = Client().get(path, {"preset": "7d"}, headers={"Authorization": f"Bearer {key}"})

    for response in (by_session, by_key):
        assert response.status_code == 200
        body = response.content.decode()
        for secret in ("Alpha", "alpha-news", "98765", "/p/alpha/"):
            assert secret not in body
    if path.endswith("overview/"):
        gmv = next(k for k in by_key.json()["kpis"] if k["key"] == "gmv")
        assert gmv["value"] == 1000


def test_the_api_runs_a_fixed_number_of_queries(operator, today, django_assert_max_num_queries):
    _two_shops(today)
    bounds = {OPS[0]: 11, OPS[1]: 12, OPS[2]: 13, OPS[3]: 5}
    for path, most in bounds.items():
        with django_assert_max_num_queries(most):
            assert operator.get(path, {"preset": "30d"}).status_code == 200
