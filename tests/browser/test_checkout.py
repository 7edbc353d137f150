"""The heart of the marketplace in a real browser: a shopper buys from two shops in one checkout with a
coupon, pays, and sees the order split by seller; one seller ships with a tracking number and the shopper
sees it on the order."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from catalog.models import ProductVariant
from orders.models import Coupon, Order, OrderStatus, SellerOrder, ShippingMethod
from tests.factories import (
    ProductFactory,
    ProductVariantFactory,
    SellerProfileFactory,
    UserFactory,
    category_create,
)

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

PASSWORD = "correct-horse-battery"


def _sign_in(page, email: str, next_url: str) -> None:
    page.goto(reverse("account_login") + "?next=" + next_url)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"**{next_url}")


def test_shopper_buys_from_two_shops_with_a_coupon_and_a_seller_ships_with_tracking(
    live_server, page, browser
):
    ARTIFACTS.mkdir(exist_ok=True)
    kitchen = category_create("Kitchen", slug="kitchen")
    teapots = category_create("Teapots", parent=kitchen, slug="teapots")
    mugs = category_create("Mugs", parent=kitchen, slug="mugs")
    clay = SellerProfileFactory(shop_name="Clay Corner", user__email="clay@example.com")
    leaf = SellerProfileFactory(shop_name="Leaf & Kettle", user__email="leaf@example.com")
    teapot = ProductVariantFactory(
        product=ProductFactory(
            seller=leaf,
            category=teapots,
            title="Cast Iron Teapot",
            slug="cast-iron-teapot",
            price_amount=4000,
        ),
        sku="TEAPOT-1",
        stock=5,
    )
    mug = ProductVariantFactory(
        product=ProductFactory(
            seller=clay, category=mugs, title="Stoneware Mug", slug="stoneware-mug", price_amount=1500
        ),
        sku="MUG-1",
        stock=8,
    )
    ShippingMethod.objects.create(seller=leaf, name="Tracked parcel", flat_amount=500)
    ShippingMethod.objects.create(seller=clay, name="Letter post", flat_amount=300)
    Coupon.objects.create(
        code="SAVE10", kind=Coupon.Kind.PERCENT, percent_off=10, starts_at=timezone.now() - timedelta(days=1)
    )
    shopper = UserFactory(email="buyer@example.com")

    # The shopper signs in and puts one product from each shop in the cart from the product pages.
    _sign_in(page, "buyer@example.com", reverse("catalog:product-detail", args=["cast-iron-teapot"]))
    page.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_role("heading", name="Your cart")).to_be_visible()
    page.goto(reverse("catalog:product-detail", args=["stoneware-mug"]))
    page.get_by_label("Quantity").fill("2")
    page.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_role("heading", name="From Leaf & Kettle")).to_be_visible()
    expect(page.get_by_role("heading", name="From Clay Corner")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "checkout-1-cart.png", full_page=True)

    # Checkout: a new address, the coupon applied and the totals re-priced before placing the order.
    page.get_by_role("link", name="Go to checkout").click()
    page.get_by_label("Full name").fill("Bea Buyer")
    page.get_by_label("Address line 1").fill("1 Market Street")
    page.get_by_label("City").fill("Springfield")
    page.get_by_label("Postal code").fill("12345")
    page.get_by_label("Country").select_option("US")
    page.get_by_label("Coupon code").fill("save10")
    page.get_by_role("button", name="Apply and update totals").click()
    # items 40.00 + 2 x 15.00 = 70.00; 10 % off = 7.00; shipping 5.00 + 3.00; total 71.00
    totals = page.locator(".totals")
    expect(totals).to_contain_text("$7.00")
    expect(totals).to_contain_text("$71.00")
    page.screenshot(path=ARTIFACTS / "checkout-2-review.png", full_page=True)
    page.get_by_role("button", name="Place order").click()

    # The test provider's page: pay.
    expect(page.get_by_role("heading", name="Test payment — no real money moves")).to_be_visible()
    page.get_by_role("button", name="Pay now (test)").click()
    expect(page.get_by_text("Thank you! Your payment was received.")).to_be_visible()
    order = Order.objects.get(buyer=shopper)
    assert (order.status, order.total_amount, order.discount_amount, order.coupon_code) == (
        OrderStatus.PAID,
        7100,
        700,
        "SAVE10",
    )
    parts = {part.seller.shop_name: part for part in order.seller_orders.select_related("seller")}
    assert {name: part.total_amount for name, part in parts.items()} == {
        "Leaf & Kettle": 4100,
        "Clay Corner": 3000,
    }
    assert (ProductVariant.objects.get(pk=teapot.pk).stock, ProductVariant.objects.get(pk=mug.pk).stock) == (
        4,
        6,
    )
    expect(page.get_by_role("heading", name="From Leaf & Kettle — Paid")).to_be_visible()
    expect(page.get_by_role("heading", name="From Clay Corner — Paid")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "checkout-3-paid-order.png", full_page=True)

    # The teapot shop ships its part with a tracking number in the seller portal.
    seller_page = browser.new_context(base_url=live_server.url, locale="en-US").new_page()
    part = parts["Leaf & Kettle"]
    _sign_in(seller_page, "leaf@example.com", reverse("seller:order-detail", args=[part.pk]))
    seller_page.get_by_label("Carrier").fill("Royal Parcel")
    seller_page.get_by_label("Tracking number").fill("RP123456789")
    seller_page.get_by_role("button", name="Mark shipped").click()
    expect(seller_page.get_by_text("RP123456789").first).to_be_visible()
    seller_page.screenshot(path=ARTIFACTS / "checkout-4-seller-shipped.png", full_page=True)
    assert SellerOrder.objects.get(pk=part.pk).status == OrderStatus.SHIPPED

    # The shopper sees the tracking number on the order, on the shipped shop's part only.
    page.reload()
    expect(page.get_by_role("heading", name="From Leaf & Kettle — Shipped")).to_be_visible()
    expect(page.locator(".tracking-number")).to_have_text("RP123456789")
    expect(page.get_by_role("heading", name="From Clay Corner — Paid")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "checkout-5-tracking.png", full_page=True)
