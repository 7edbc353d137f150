"""A shopper's first clicks in a real browser: home -> category -> product."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import ProductFactory, ProductVariantFactory, category_create

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_shopper_goes_from_home_through_a_category_to_a_product(live_server, page):
    electronics = category_create("Electronics")
    radios = category_create("Radios", parent=electronics)
    product = ProductFactory(title="Pocket Radio 3000", slug="pocket-radio-3000", category=radios)
    ProductVariantFactory(product=product)
    ARTIFACTS.mkdir(exist_ok=True)

    page.goto(reverse("catalog:home"))
    page.screenshot(path=ARTIFACTS / "smoke-1-home.png", full_page=True)
    page.get_by_role("link", name="Electronics").first.click()
    page.wait_for_url(live_server.url + reverse("catalog:category-detail", kwargs={"slug": "electronics"}))
    page.screenshot(path=ARTIFACTS / "smoke-2-category.png", full_page=True)
    page.get_by_role("link", name="Pocket Radio 3000").first.click()
    page.wait_for_url(
        live_server.url + reverse("catalog:product-detail", kwargs={"slug": "pocket-radio-3000"})
    )
    page.screenshot(path=ARTIFACTS / "smoke-3-product.png", full_page=True)

    expect(page.get_by_role("heading", level=1)).to_have_text("Pocket Radio 3000")
