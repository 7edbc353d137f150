"""Operators' analytics pages: who may open them, what they show, CSV exports, bad input, query bounds."""

import csv
import io
import re

import pytest
from django.test import Client
from django.utils import timezone

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

PAGES = ["/ops/analytics/", "/ops/analytics/traffic/", "/ops/analytics/products/", "/ops/analytics/sellers/"]


@pytest.fixture
def operator_client():
    client = Client(raise_request_exception=False)
    client.force_login(OperatorFactory())
    return client


@pytest.fixture
def today():
    return platform_today()


def _csv(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _text(response) -> str:
    """The page's text without tags or runs of blanks, for asserting what a reader sees."""
    body = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_visitors_shoppers_and_sellers_get_a_404(path):
    client = Client()
    assert client.get(path).status_code == 404
    client.force_login(UserFactory())
    assert client.get(path).status_code == 404
    client.force_login(SellerProfileFactory().user)
    assert client.get(path).status_code == 404
    client.force_login(UserFactory(is_staff=True, is_active=True))
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_empty_with_a_freshness_note_and_the_booking_rule(operator_client, path):
    response = operator_client.get(path)

    assert response.status_code == 200
    text = _text(response)
    assert "The figures have not been rolled up yet." in text
    assert "Orders are counted on the day they were placed; refunds on the day they were made." in text


def test_the_overview_shows_kpis_with_the_change_and_top_sellers_and_categories(operator_client, today):
    # given this week and the week before
    seller = SellerProfileFactory(shop_name="Kettle Corner")
    kitchen = category_create("Kitchen")
    facts.sales(today, gmv_amount=30000, orders_paid=3, commission_amount=3000, new_customers=2)
    facts.sales(today, seller_id=seller.pk, gmv_amount=30000, orders_paid=3, commission_amount=3000)
    facts.sales(today - timezone.timedelta(days=7), gmv_amount=20000, orders_paid=2)
    facts.traffic(today, visitors=90, sessions=100, sessions_placed=3)
    facts.category(
        today,
        category_id=kitchen.pk,
        top_category_id=kitchen.pk,
        seller_id=seller.pk,
        product_views=60,
        orders=3,
        units=3,
        gmv_amount=30000,
    )
    facts.rolled(today, timezone.now() - timezone.timedelta(minutes=5))

    response = operator_client.get("/ops/analytics/", {"preset": "7d"})

    assert response.status_code == 200
    text = _text(response)
    assert "Figures updated 5 minutes ago." in text
    cards = {card["key"] + card["currency"]: card for card in response.context["cards"]}
    assert (cards["gmvUSD"]["value"], cards["gmvUSD"]["previous"], cards["gmvUSD"]["change"]) == (
        "$300.00",
        "$200.00",
        "50.0",
    )
    assert cards["gmvUSD"]["direction"] == "up"
    assert (cards["aovUSD"]["value"], cards["aovUSD"]["direction"]) == ("$100.00", "flat")
    assert cards["conversion_rate"]["value"] == "3.0 %"
    assert "Kettle Corner" in text
    assert "Kitchen" in text
    assert '<svg class="chart" id="chart-series"' in response.content.decode()
    assert '<svg class="chart" id="chart-categories"' in response.content.decode()


def test_the_overview_csv_exports_the_kpis_the_series_and_the_tables(operator_client, today):
    facts.sales(today, gmv_amount=12345, orders_paid=2)

    kpis = _csv(operator_client.get("/ops/analytics/", {"preset": "7d", "export": "kpis"}))
    series = operator_client.get("/ops/analytics/", {"preset": "7d", "export": "series"})

    assert kpis[0] == ["Figure", "Currency", "This period", "Previous period", "Change", "How it is counted"]
    assert kpis[1][:4] == ["GMV", "USD", "$123.45", "$0.00"]
    start = today - timezone.timedelta(days=6)
    assert series["Content-Disposition"] == (
        f'attachment; filename="ops-analytics-series-{start:%Y%m%d}-{today:%Y%m%d}.csv"'
    )
    rows = _csv(series)
    assert rows[0] == ["From", "To", "GMV", "Paid orders"]
    assert rows[-1] == [today.isoformat(), today.isoformat(), "123.45", "2"]
    assert len(rows) == 8


def test_an_unknown_export_is_a_404(operator_client):
    assert operator_client.get("/ops/analytics/", {"export": "users"}).status_code == 404


def test_csv_cells_a_spreadsheet_would_run_as_formulas_are_quoted(operator_client, today):
    facts.search(today, '=HYPERLINK("http://x")', searches=5)
    facts.search(today, "+1", searches=4)
    facts.search(today, "@SUM(A1)", searches=3)
    facts.search(today, "-2", searches=2)
    facts.search(today, "kettle", searches=1)

    rows = _csv(operator_client.get("/ops/analytics/traffic/", {"preset": "7d", "export": "searches"}))

    assert [row[0] for row in rows[1:]] == ['\'=HYPERLINK("http://x")', "'+1", "'@SUM(A1)", "'-2", "kettle"]
    assert [row[1] for row in rows[1:]] == ["5", "4", "3", "2", "1"]


def test_the_traffic_page_shows_the_funnel_with_drop_offs(operator_client, today):
    facts.traffic(
        today,
        device="mobile",
        sessions=120,
        sessions_product_view=100,
        sessions_add_to_cart=25,
        sessions_checkout=10,
        sessions_placed=5,
        sessions_paid=4,
    )

    response = operator_client.get("/ops/analytics/traffic/", {"preset": "7d"})
    rows = _csv(operator_client.get("/ops/analytics/traffic/", {"preset": "7d", "export": "funnel"}))

    assert response.status_code == 200
    assert rows[1:] == [
        ["Viewed a product", "100", "", "100.0"],
        ["Added to cart", "25", "75.0", "25.0"],
        ["Started checkout", "10", "60.0", "10.0"],
        ["Placed an order", "5", "50.0", "5.0"],
        ["Paid", "4", "20.0", "4.0"],
    ]
    device = _csv(operator_client.get("/ops/analytics/traffic/", {"preset": "7d", "export": "funnel_device"}))
    assert device[1] == ["Mobile", "120", "100", "", "25", "75.0", "10", "60.0", "5", "50.0", "4", "20.0"]


def test_the_products_page_drills_down_from_a_department_to_its_categories(operator_client, today):
    seller = SellerProfileFactory()
    kitchen = category_create("Kitchen")
    kettles = category_create("Kettles", parent=kitchen)
    mugs = category_create("Mugs", parent=kitchen)
    facts.category(
        today,
        category_id=kettles.pk,
        top_category_id=kitchen.pk,
        seller_id=seller.pk,
        gmv_amount=500,
        orders=1,
    )
    facts.category(
        today, category_id=mugs.pk, top_category_id=kitchen.pk, seller_id=seller.pk, gmv_amount=200, orders=1
    )

    tops = operator_client.get("/ops/analytics/products/", {"preset": "7d"})
    leaves = operator_client.get("/ops/analytics/products/", {"preset": "7d", "category": kitchen.pk})

    top_rows = tops.context["built"]["categories"].rows
    assert [(r[0].text, r[0].href) for r in top_rows] == [
        ("Kitchen", f"/ops/analytics/products/?preset=7d&category={kitchen.pk}")
    ]
    assert [r[0].text for r in leaves.context["built"]["categories"].rows] == ["Kettles", "Mugs"]
    assert "All departments" in _text(leaves)


def test_the_products_page_lists_slow_movers_with_the_days_asked_for(operator_client, today):
    seller = SellerProfileFactory()
    lamp = ProductFactory(seller=seller, title="Brass lamp")
    facts.stock(today, variant_id=1, product_id=lamp.pk, seller_id=seller.pk, on_hand=4)
    facts.product(today - timezone.timedelta(days=20), product_id=lamp.pk, seller_id=seller.pk, units=1)

    within_30 = operator_client.get("/ops/analytics/products/", {"preset": "7d"})
    within_10 = operator_client.get("/ops/analytics/products/", {"preset": "7d", "slow_days": 10})

    assert within_30.context["built"]["slow"].rows == []
    assert [r[0].text for r in within_10.context["built"]["slow"].rows] == ["Brass lamp"]
    assert "Slow movers: in stock, no sale in 10 days" in _text(within_10)


def test_the_sellers_page_sorts_by_a_whitelisted_column_and_pages(operator_client, today):
    sellers = [SellerProfileFactory(shop_name=f"Shop {n:02d}") for n in range(30)]
    for n, seller in enumerate(sellers):
        facts.sales(today, seller_id=seller.pk, gmv_amount=1000 + n, orders_paid=1, orders_cancelled=n % 2)

    first = operator_client.get("/ops/analytics/sellers/", {"preset": "7d"})
    second = operator_client.get("/ops/analytics/sellers/", {"preset": "7d", "page": 2})
    ascending = operator_client.get("/ops/analytics/sellers/", {"preset": "7d", "sort": "gmv"})
    junk = operator_client.get(
        "/ops/analytics/sellers/", {"preset": "7d", "sort": "shop_name; drop table", "page": "x"}
    )

    assert [r[0].text for r in first.context["built"]["sellers"].rows][:2] == ["Shop 29", "Shop 28"]
    assert len(first.context["built"]["sellers"].rows) == 25
    assert [r[0].text for r in second.context["built"]["sellers"].rows] == [
        f"Shop {n:02d}" for n in range(4, -1, -1)
    ]
    assert [r[0].text for r in ascending.context["built"]["sellers"].rows][:2] == ["Shop 00", "Shop 01"]
    assert junk.status_code == 200
    headers = first.context["built"]["sellers"].headers
    assert headers[1].sorted == "descending"
    assert headers[1].sort_query == "preset=7d&sort=gmv"
    assert headers[3].sort_query == "preset=7d&sort=-cancellation_rate"
    assert headers[6].sort_query == ""  # rating does not sort
    exported = _csv(operator_client.get("/ops/analytics/sellers/", {"preset": "7d", "export": "sellers"}))
    assert len(exported) == 31


@pytest.mark.parametrize(
    "params",
    [
        {"preset": "custom", "start": "2026-02-01", "end": "2026-01-01"},
        {"preset": "custom", "start": "1990-01-01", "end": "2000-01-01"},
        {"preset": "custom", "start": "2000-01-01"},
        {"start": "not a date"},
        {"start": "99999-01-01", "end": "2026-01-01"},
        {"preset": "forever"},
        {"start": "2" * 40},
        {"slow_days": str(2**63)},
        {"lead_days": "-1"},
        {"category": str(2**64)},
        {"category": "1e400"},
    ],
)
def test_bad_ranges_and_parameters_are_a_400_with_the_form_error_never_a_500(operator_client, params):
    for path in ("/ops/analytics/", "/ops/analytics/products/"):
        response = operator_client.get(path, params)

        if path == "/ops/analytics/" and set(params) & {"slow_days", "lead_days", "category"}:
            assert response.status_code == 200  # not a parameter of this page
            continue
        assert response.status_code == 400, (path, params)
        assert response.context["invalid"] is True
        assert 'role="alert"' in response.content.decode()


@pytest.mark.parametrize("path", PAGES)
def test_a_nul_character_in_a_parameter_is_a_400(operator_client, path):
    assert operator_client.get(path, {"start": "2026-01-01\x00"}).status_code == 400
    assert operator_client.get(path, {"export": "kpis\x00"}).status_code == 400


def test_a_range_of_five_years_is_answered(operator_client, today):
    start = today - timezone.timedelta(days=5 * 365)

    response = operator_client.get(
        "/ops/analytics/", {"preset": "custom", "start": start.isoformat(), "end": today.isoformat()}
    )

    assert response.status_code == 200
    assert response.context["built"]["series"].rows[0][0].csv == start.isoformat()


@pytest.mark.parametrize(("path", "most"), [(PAGES[0], 12), (PAGES[1], 12), (PAGES[2], 14), (PAGES[3], 6)])
def test_each_page_runs_a_fixed_number_of_queries_whatever_the_rows(
    operator_client, today, django_assert_max_num_queries, path, most
):
    sellers = [SellerProfileFactory() for _ in range(6)]
    kitchen = category_create("Kitchen")
    for n, seller in enumerate(sellers):
        product = ProductFactory(seller=seller, category=kitchen)
        for days in range(3):
            day = today - timezone.timedelta(days=days)
            facts.sales(day, seller_id=seller.pk, gmv_amount=100 * n, orders_paid=1)
            facts.product(day, product_id=product.pk, seller_id=seller.pk, category_id=kitchen.pk, units=1)
            facts.category(
                day, category_id=kitchen.pk, top_category_id=kitchen.pk, seller_id=seller.pk, orders=1
            )
            facts.traffic(
                day,
                channel=["direct", "search", "social"][n % 3],
                device=["mobile", "desktop"][n % 2],
                source=f"s{n}",
                sessions=10,
            )
            facts.landing(day, f"/p/{n}/", sessions=3)
            facts.search(day, f"query {n}", searches=2)
        facts.stock(today, variant_id=n, product_id=product.pk, seller_id=seller.pk, on_hand=n)

    with django_assert_max_num_queries(most):
        response = operator_client.get(path, {"preset": "30d"})

    assert response.status_code == 200


def test_the_admin_home_links_to_the_dashboards(operator_client):
    response = operator_client.get("/admin/")

    body = response.content.decode()
    assert response.status_code == 200
    assert 'href="/ops/analytics/"' in body
    assert 'href="/ops/analytics/sellers/"' in body
    assert "Recent actions" in body  # Django's own sidebar is still there
