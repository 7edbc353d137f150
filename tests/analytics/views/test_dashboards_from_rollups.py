"""From an order to the dashboards: a visit and a paid order, rolled up by the real rollup jobs, show on the
operators' overview and on the seller's own page, and not on another seller's."""

from datetime import date

import pytest
from django.test import Client

from analytics.rollups.services import rollup_span
from tests.analytics.rollups.builders import TZ, at, event, order_at, pay, placed_event
from tests.factories import OperatorFactory, SellerProfileFactory, UserFactory
from tests.orders.factories import purchasable_variant

pytestmark = pytest.mark.django_db

D1 = date(2026, 3, 10)
ON_D1 = {"preset": "custom", "start": D1.isoformat(), "end": D1.isoformat()}


@pytest.fixture(autouse=True)
def _platform_days(settings):
    settings.ANALYTICS_TIME_ZONE = TZ
    settings.ANALYTICS_EVENT_RETENTION_DAYS = 100_000


def _cards(response) -> dict[str, str]:
    assert response.status_code == 200
    return {card["key"] + card["currency"]: card["value"] for card in response.context["cards"]}


def test_a_paid_order_rolled_up_shows_on_the_overview_and_the_sellers_own_page():
    # given a visitor who views a kettle of one shop and buys it on D1
    kettles, other = SellerProfileFactory(shop_name="Kettles"), SellerProfileFactory(shop_name="Other")
    variant = purchasable_variant(seller=kettles, price=2500)
    shopper = UserFactory()
    event("visitor-1", at(D1, "09:58"), path="/")
    event("visitor-1", at(D1, "09:59"), product=variant.product, path=f"/p/{variant.product.slug}/")
    order = order_at(at(D1, "10:00"), lines=[(variant, 2)], user=shopper)
    placed_event("visitor-1", order, user_id=shopper.pk)
    pay(order, at(D1, "10:01"))

    # when the day is rolled up
    rollup_span(start=D1, end=D1)

    # then the operators' overview counts the order, its visit and its new customer
    operator = Client()
    operator.force_login(OperatorFactory())
    platform = _cards(operator.get("/ops/analytics/", ON_D1))
    total = f"${order.total_amount / 100:,.2f}"
    assert platform["gmvUSD"] == total
    assert (platform["orders"], platform["new_customers"], platform["sessions"]) == ("1", "1", "1")
    assert platform["conversion_rate"] == "100.0 %"

    # and the shop sees its sale and the visit that viewed its product; the other shop sees none of it
    own = Client()
    own.force_login(kettles.user)
    mine = _cards(own.get("/seller/analytics/", ON_D1))
    assert (mine["gmvUSD"], mine["orders"], mine["visitors"], mine["product_views"]) == (total, "1", "1", "1")
    stranger = Client()
    stranger.force_login(other.user)
    theirs = _cards(stranger.get("/seller/analytics/", ON_D1))
    assert (theirs["gmvUSD"], theirs["orders"], theirs["visitors"]) == ("$0.00", "0", "0")
