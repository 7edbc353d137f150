"""A seller's analytics pages: their own shop's figures only, on the page and in every CSV."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import SellerProfile
from analytics.selectors import platform_today
from tests.analytics import facts
from tests.factories import ProductFactory, SellerProfileFactory, UserFactory, category_create

pytestmark = pytest.mark.django_db

PAGES = ["/seller/analytics/", "/seller/analytics/traffic/", "/seller/analytics/products/"]
EXPORTS = {
    "/seller/analytics/": ["kpis", "series", "channels", "best_sellers"],
    "/seller/analytics/traffic/": ["sources", "channels", "funnel", "funnel_device", "landing"],
    "/seller/analytics/products/": [
        "best_sellers",
        "stock_product",
        "stock_category",
        "at_risk",
        "slow",
        "categories",
    ],
}


@pytest.fixture
def today():
    return platform_today()


def _client(seller) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(seller.user)
    return client


def _shop(name: str, today, *, gmv: int, units: int, channel_source: str):
    """A shop with a product, a department, a day of sales, traffic, stock and a landing page."""
    seller = SellerProfileFactory(shop_name=name)
    department = category_create(f"{name} department")
    product = ProductFactory(seller=seller, category=department, title=f"{name} product")
    facts.sales(today, seller_id=seller.pk, gmv_amount=gmv, orders_paid=2, customer_type="returning")
    facts.traffic(
        today,
        seller_id=seller.pk,
        source=channel_source,
        visitors=11,
        sessions=12,
        product_views=30,
        sessions_product_view=12,
        sessions_placed=2,
    )
    facts.product(
        today,
        product_id=product.pk,
        seller_id=seller.pk,
        category_id=department.pk,
        units=units,
        gmv_amount=gmv,
        orders=2,
    )
    facts.category(
        today,
        category_id=department.pk,
        top_category_id=department.pk,
        seller_id=seller.pk,
        gmv_amount=gmv,
        orders=2,
    )
    facts.stock(
        today,
        variant_id=product.pk,
        product_id=product.pk,
        seller_id=seller.pk,
        on_hand=3,
        category_id=department.pk,
    )
    facts.landing(today, f"/p/{name.lower()}/", seller_id=seller.pk, sessions=12)
    return seller


def test_a_seller_sees_their_own_figures(today):
    alpha = _shop("Alpha", today, gmv=12300, units=4, channel_source="alpha-news")

    response = _client(alpha).get("/seller/analytics/", {"preset": "7d"})

    assert response.status_code == 200
    cards = {card["key"] + card["currency"]: card["value"] for card in response.context["cards"]}
    assert cards["gmvUSD"] == "$123.00"
    assert cards["orders"] == "2"
    assert cards["visitors"] == "11"
    assert cards["product_views"] == "30"
    assert cards["conversion_rate"] == "16.7 %"
    assert cards["repeat_customer_rate"] == "100.0 %"
    assert "Alpha product" in response.content.decode()


@pytest.mark.parametrize("path", PAGES)
def test_seller_b_never_sees_seller_as_numbers_on_any_page_or_export(today, path):
    _shop("Alpha", today, gmv=98765, units=77, channel_source="alpha-news")
    beta = _shop("Beta", today, gmv=1000, units=1, channel_source="beta-blog")
    client = _client(beta)

    page = client.get(path, {"preset": "7d"}).content.decode()
    exports = [
        client.get(path, {"preset": "7d", "export": key}).content.decode("utf-8-sig") for key in EXPORTS[path]
    ]

    for body in (page, *exports):
        for secret in ("Alpha", "alpha-news", "987.65", "$987.65", "/p/alpha/"):
            assert secret not in body
    own = {PAGES[0]: "Beta product", PAGES[1]: "beta-blog", PAGES[2]: "Beta product"}[path]
    assert own in page


def test_a_seller_cannot_widen_the_scope_with_parameters(today):
    alpha = _shop("Alpha", today, gmv=98765, units=77, channel_source="alpha-news")
    beta = _shop("Beta", today, gmv=1000, units=1, channel_source="beta-blog")
    client = _client(beta)

    response = client.get(
        "/seller/analytics/products/",
        {
            "preset": "7d",
            "seller": alpha.pk,
            "seller_id": alpha.pk,
            "category": alpha.products.get().category_id,
        },
    )

    assert response.status_code == 200
    assert "Alpha" not in response.content.decode()
    assert response.context["built"]["categories"].rows == []


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_users_sign_in_and_non_sellers_are_sent_to_apply(path):
    assert Client().get(path)["Location"].startswith("/accounts/login/")
    client = Client()
    client.force_login(UserFactory())
    assert client.get(path)["Location"] == reverse("accounts:seller-apply")
    suspended = SellerProfileFactory(status=SellerProfile.Status.SUSPENDED)
    client.force_login(suspended.user)
    assert client.get(path).status_code == 403


def test_the_portal_navigation_links_to_analytics(today):
    seller = SellerProfileFactory()

    response = _client(seller).get("/seller/")

    assert 'href="/seller/analytics/"' in response.content.decode()


def test_a_bad_range_is_a_400_with_the_error_next_to_the_field(today):
    seller = SellerProfileFactory()

    response = _client(seller).get("/seller/analytics/", {"start": "2026-02-01", "end": "2026-01-01"})

    assert response.status_code == 400
    assert response.context["form"].errors == {"start": ["After the end."]}


def test_the_products_export_has_the_sellers_rows(today):
    seller = _shop("Gamma", today, gmv=4200, units=3, channel_source="g")

    rows = list(
        csv.reader(
            io.StringIO(
                _client(seller)
                .get("/seller/analytics/products/", {"preset": "7d", "export": "best_sellers"})
                .content.decode("utf-8-sig")
            )
        )
    )

    assert rows == [
        ["Product", "Units", "Orders", "GMV", "Product views", "Conversion"],
        ["Gamma product", "3", "2", "42.00", "0", ""],
    ]


@pytest.mark.parametrize(("path", "most"), [(PAGES[0], 13), (PAGES[1], 9), (PAGES[2], 14)])
def test_each_seller_page_runs_a_fixed_number_of_queries(today, django_assert_max_num_queries, path, most):
    seller = _shop("Delta", today, gmv=500, units=1, channel_source="d")
    for days in range(1, 10):
        day = today - timezone.timedelta(days=days)
        facts.sales(day, seller_id=seller.pk, gmv_amount=days, orders_paid=1)
        facts.traffic(day, seller_id=seller.pk, source=f"s{days}", sessions=days)
        product = ProductFactory(seller=seller)
        facts.product(day, product_id=product.pk, seller_id=seller.pk, units=days)
        facts.stock(today, variant_id=product.pk, product_id=product.pk, seller_id=seller.pk, on_hand=days)
    client = _client(seller)

    with django_assert_max_num_queries(most):
        response = client.get(path, {"preset": "30d"})

    assert response.status_code == 200
