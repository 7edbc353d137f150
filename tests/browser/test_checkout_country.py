"""A shopper picks the country from a list of names at checkout (no more two-letter codes to guess), and
the order page names the country: in English, and in Chinese for a Chinese reader."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from orders.models import Order
from tests.factories import ProductFactory, ProductVariantFactory, SellerProfileFactory, category_create

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_a_shopper_picks_a_country_by_name_and_the_order_page_names_it(live_server, page, browser):
    ProductVariantFactory(
        product=ProductFactory(
            seller=SellerProfileFactory(shop_name="Maple Crafts"),
            category=category_create("Crafts", slug="crafts"),
            title="Maple Spoon",
            slug="maple-spoon",
            price_amount=900,
        ),
        sku="SPOON-1",
        stock=3,
    )

    page.goto(reverse("catalog:product-detail", args=["maple-spoon"]))
    page.get_by_role("button", name="Add to cart").click()
    page.get_by_role("link", name="Go to checkout").click()
    country = page.get_by_label("Country")
    # A list of names, the reader's usual country chosen; no region such as "United Nations" on it.
    expect(country).to_have_value("US")
    expect(country.locator("option[value='UN']")).to_have_count(0)
    page.get_by_label("E-mail for order updates").fill("cora@example.com")
    page.get_by_label("Full name").fill("Cora Canuck")
    page.get_by_label("Address line 1").fill("1 Rideau Street")
    page.get_by_label("City").fill("Ottawa")
    page.get_by_label("Postal code").fill("K1N 5Y3")
    country.select_option(label="Canada")
    page.get_by_role("button", name="Place order").click()
    expect(page.get_by_role("button", name="Pay now (test)")).to_be_visible()

    order = Order.objects.get(email="cora@example.com")
    assert order.shipping_address["country"] == "CA"
    page.goto(reverse("orders:order-detail", args=[order.number]))
    expect(page.locator("address")).to_contain_text("Canada")

    # The same guest reading in Chinese (same session cookie, another language).
    chinese = browser.new_context(base_url=live_server.url, locale="zh-CN")
    chinese.add_cookies(page.context.cookies())
    chinese_page = chinese.new_page()
    chinese_page.goto(reverse("orders:order-detail", args=[order.number]))
    expect(chinese_page.locator("address")).to_contain_text("加拿大")
