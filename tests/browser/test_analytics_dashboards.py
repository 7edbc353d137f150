"""An operator opens the analytics overview, changes the date range and sees the figures and the chart
change, and exports a table as CSV; a seller opens their own shop's analytics; every analytics page fits a
360 px wide phone. In a real browser."""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from analytics.selectors import platform_today
from tests.analytics import facts
from tests.factories import OperatorFactory, ProductFactory, SellerProfileFactory, category_create

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

PHONE = {"width": 360, "height": 740}


def _sign_in(page, email: str, next_url: str) -> None:
    page.goto(reverse("account_login") + "?next=" + next_url)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**" + next_url)


def _figures():
    """A shop selling today and 60 days ago, with traffic, a category and stock."""
    today = platform_today()
    long_ago = today - timezone.timedelta(days=60)
    seller = SellerProfileFactory(
        shop_name="Kettle Corner with a rather long shop name", user__email="kettles@example.com"
    )
    kitchen = category_create("Kitchen appliances and accessories")
    kettle = ProductFactory(
        seller=seller, category=kitchen, title="Stainless steel electric kettle, 1.7 litres"
    )
    for day, gmv, orders in ((today, 12000, 2), (long_ago, 50000, 5)):
        facts.sales(day, gmv_amount=gmv, orders_paid=orders, commission_amount=gmv // 10)
        facts.sales(day, seller_id=seller.pk, gmv_amount=gmv, orders_paid=orders, commission_amount=gmv // 10)
        facts.traffic(day, visitors=40, sessions=50, sessions_product_view=30, sessions_placed=orders)
        facts.traffic(
            day,
            seller_id=seller.pk,
            source="newsletter-spring",
            visitors=20,
            sessions=25,
            product_views=30,
            sessions_placed=orders,
        )
        facts.product(
            day,
            product_id=kettle.pk,
            seller_id=seller.pk,
            category_id=kitchen.pk,
            units=orders,
            orders=orders,
            gmv_amount=gmv,
            product_views=30,
        )
        facts.category(
            day,
            category_id=kitchen.pk,
            top_category_id=kitchen.pk,
            seller_id=seller.pk,
            orders=orders,
            units=orders,
            gmv_amount=gmv,
            product_views=30,
        )
        facts.landing(day, "/p/stainless-steel-electric-kettle-with-a-long-address/", sessions=20)
        facts.search(
            day, "electric kettle with temperature control", searches=9, sessions=8, sessions_with_order=1
        )
    facts.stock(
        today,
        variant_id=kettle.pk,
        product_id=kettle.pk,
        seller_id=seller.pk,
        on_hand=3,
        category_id=kitchen.pk,
    )
    facts.all_month_rows(long_ago, today)
    facts.rolled(today, timezone.now() - timezone.timedelta(minutes=5))
    return seller


def test_an_operator_changes_the_range_sees_the_figures_change_and_exports_csv(live_server, page):
    _figures()
    OperatorFactory(email="ops@example.com")

    # the operator opens the overview from the account menu: the last 30 days by default
    _sign_in(page, "ops@example.com", reverse("catalog:home"))
    page.locator(".account-menu summary").click()
    page.get_by_role("link", name="Analytics").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Analytics overview")
    gmv = page.locator('[data-kpi="gmv-USD"] [data-testid="kpi-value"]')
    expect(gmv).to_have_text("$120.00")
    expect(page.get_by_role("img", name="GMV per day (USD)")).to_be_visible()
    expect(page.get_by_test_id("freshness")).to_contain_text("Figures updated 5 minutes ago.")
    expect(page.locator('[data-table="series"] tbody tr')).to_have_count(30)

    # when they pick the last 90 days, the sale of 60 days ago counts and the chart has weekly points
    page.get_by_role("link", name="Last 90 days").click()
    expect(gmv).to_have_text("$620.00")
    expect(page.get_by_role("img", name="GMV per week (USD)")).to_be_visible()
    expect(page.locator('[data-kpi="orders"] [data-testid="kpi-value"]')).to_have_text("7")

    # and custom dates around that day only
    day = platform_today() - timezone.timedelta(days=60)
    page.get_by_role("textbox", name="From").fill(day.isoformat())
    page.get_by_role("textbox", name="To").fill(day.isoformat())
    page.get_by_role("button", name="Show").click()
    expect(gmv).to_have_text("$500.00")

    # a bad range is refused next to the field, with no figures
    page.get_by_role("textbox", name="From").fill((day + timezone.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("After the end.")).to_be_visible()
    expect(gmv).to_have_count(0)

    # the series table exports as CSV
    page.get_by_role("link", name="Last 90 days").click()
    with page.expect_download() as download:
        page.locator('[data-export="series"]').click()
    path = download.value.path()
    content = Path(path).read_text(encoding="utf-8-sig")
    assert download.value.suggested_filename.startswith("ops-analytics-series-")
    assert content.splitlines()[0] == "From,To,GMV,Paid orders"
    assert "500.00,5" in content
    assert "120.00,2" in content


def test_a_seller_opens_their_own_analytics(live_server, page):
    _figures()
    other = SellerProfileFactory(shop_name="Someone Else")
    facts.sales(platform_today(), seller_id=other.pk, gmv_amount=777700, orders_paid=9)

    _sign_in(page, "kettles@example.com", reverse("seller:dashboard"))
    page.get_by_role("navigation", name="Seller portal").get_by_role("link", name="Analytics").click()

    expect(page.locator('[data-kpi="gmv-USD"] [data-testid="kpi-value"]')).to_have_text("$120.00")
    expect(page.locator('[data-kpi="repeat_customer_rate"]')).to_be_visible()
    expect(page.get_by_role("img", name="GMV per day (USD)")).to_be_visible()
    expect(page.get_by_text("$7,777.00")).to_have_count(0)
    page.get_by_role("navigation", name="Analytics").get_by_role("link", name="Products").click()
    expect(page.locator('[data-table="best_sellers"]')).to_contain_text("Stainless steel electric kettle")
    page.get_by_role("navigation", name="Analytics").get_by_role("link", name="Traffic").click()
    expect(page.locator('[data-table="sources"]')).to_contain_text("newsletter-spring")


def _phone_context(browser, live_server, user, locale: str):
    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=live_server.url, locale=locale, viewport=PHONE)
    cookies = [
        {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value},
        {"name": settings.LANGUAGE_COOKIE_NAME, "value": "zh-hans" if locale.startswith("zh") else "en"},
    ]
    context.add_cookies([{**cookie, "url": live_server.url} for cookie in cookies])
    context.set_default_timeout(10_000)
    return context


@pytest.mark.parametrize("locale", ["en-US", "zh-CN"])
def test_every_analytics_page_fits_a_360px_phone(live_server, browser, locale):
    seller = _figures()
    pages = {
        OperatorFactory(): [
            "/ops/analytics/?preset=90d",
            "/ops/analytics/traffic/?preset=90d",
            "/ops/analytics/products/?preset=90d",
            "/ops/analytics/sellers/?preset=90d",
        ],
        seller.user: [
            "/seller/analytics/?preset=90d",
            "/seller/analytics/traffic/?preset=90d",
            "/seller/analytics/products/?preset=90d",
        ],
    }
    overflowing = []
    for user, paths in pages.items():
        context = _phone_context(browser, live_server, user, locale)
        page = context.new_page()
        for path in paths:
            response = page.goto(path)
            assert response is not None
            assert response.status == 200, (path, response.status)
            if "sellers" not in path:
                expect(page.locator("svg.chart").first).to_be_visible()
            scroll_width, inner_width = page.evaluate(
                "[document.documentElement.scrollWidth, window.innerWidth]"
            )
            if scroll_width > inner_width:
                ARTIFACTS.mkdir(exist_ok=True)
                name = path.strip("/").split("?")[0].replace("/", "_")
                page.screenshot(path=ARTIFACTS / f"FAILED-mobile-{locale}-{name}.png", full_page=True)
                overflowing.append((path, scroll_width, inner_width))
        context.close()

    assert overflowing == []
