"""A seller creates a coupon in the portal in a real browser and sees it listed."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from orders.models import Coupon
from tests.factories import SellerProfileFactory

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_seller_creates_a_coupon_and_sees_it_listed(live_server, page):
    seller = SellerProfileFactory(shop_name="Green Thumb", user__email="grower@example.com")
    ARTIFACTS.mkdir(exist_ok=True)

    page.goto(reverse("account_login") + "?next=" + reverse("seller:coupon-list"))
    page.get_by_label("Email").fill("grower@example.com")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(live_server.url + reverse("seller:coupon-list"))
    expect(page.get_by_text("You have no coupons yet.")).to_be_visible()

    page.get_by_role("link", name="New coupon").click()
    page.get_by_label("Code", exact=True).fill("spring-5")
    page.get_by_label("Description").fill("Five off in spring")
    page.get_by_label("Kind").select_option(label="Fixed amount off")
    page.get_by_label("Amount off").fill("5.00")
    page.get_by_label("Minimum spend").fill("25.00")
    page.get_by_label("Total uses").fill("100")
    page.screenshot(path=ARTIFACTS / "seller-promotions-1-coupon-form.png", full_page=True)
    page.get_by_role("button", name="Save coupon").click()
    page.wait_for_url(live_server.url + reverse("seller:coupon-list"))
    page.screenshot(path=ARTIFACTS / "seller-promotions-2-coupon-list.png", full_page=True)

    expect(page.get_by_text("Saved coupon SPRING-5.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="SPRING-5")
    expect(row).to_contain_text("$5.00 off")
    expect(row).to_contain_text("$25.00")
    expect(row).to_contain_text("0 of 100")
    expect(row).to_contain_text("Running")
    coupon = Coupon.objects.get()
    assert (coupon.seller_id, coupon.code, coupon.amount_off, coupon.min_spend_amount) == (
        seller.pk,
        "SPRING-5",
        500,
        2500,
    )
