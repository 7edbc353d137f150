"""A shopper whose browser asks for Chinese sees the catalog's names in Chinese, filters by a translated
choice, and an English shopper of the same (cached) page still sees English."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from catalog.models import Category, CategoryAttribute
from tests.factories import ProductFactory, ProductVariantFactory

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_a_chinese_shopper_sees_chinese_category_names_and_facet_labels(live_server, browser):
    electronics = Category.objects.add_root(
        {"name": "Electronics", "slug": "electronics", "translations": {"zh-hans": {"name": "电子产品"}}}
    )
    Category.objects.add_child(
        electronics, {"name": "Phones", "slug": "phones", "translations": {"zh-hans": {"name": "手机"}}}
    )
    CategoryAttribute.objects.create(
        category=electronics,
        code="colour",
        name="Colour",
        type=CategoryAttribute.Type.CHOICE,
        scope=CategoryAttribute.Scope.VARIANT,
        choices=["Red", "Blue"],
        translations={"zh-hans": {"name": "颜色", "choices": {"Red": "红色", "Blue": "蓝色"}}},
    )
    phones = Category.objects.get(slug="phones")
    for title, colour in (("Red Phone", "Red"), ("Blue Phone", "Blue")):
        product = ProductFactory(category=phones, title=title)
        ProductVariantFactory(product=product, attributes={"colour": colour})
    ARTIFACTS.mkdir(exist_ok=True)

    shopper = browser.new_context(base_url=live_server.url, locale="zh-CN").new_page()
    shopper.goto(reverse("catalog:home"))
    shopper.locator(".category-nav").get_by_role("link", name="电子产品").click()
    shopper.get_by_role("link", name="手机").first.click()
    shopper.wait_for_url(live_server.url + reverse("catalog:category-detail", args=["phones"]))

    expect(shopper.get_by_role("heading", level=1)).to_have_text("手机")
    colour = shopper.locator("fieldset", has=shopper.locator("legend", has_text="颜色"))
    expect(colour).to_be_visible()
    shopper.get_by_label("红色").check()
    shopper.locator("#facets-form").get_by_role("button").last.click()
    shopper.wait_for_url("**colour=Red**")  # the parameter keeps the canonical value
    shopper.screenshot(path=ARTIFACTS / "category-zh-hans.png", full_page=True)
    expect(shopper.get_by_role("link", name="Red Phone")).to_be_visible()
    expect(shopper.get_by_role("link", name="Blue Phone")).to_have_count(0)
    expect(shopper.get_by_label("红色")).to_be_checked()

    english = browser.new_context(base_url=live_server.url, locale="en-US").new_page()
    english.goto(reverse("catalog:category-detail", args=["phones"]) + "?colour=Red")
    expect(english.get_by_role("heading", level=1)).to_have_text("Phones")
    expect(english.get_by_label("Red (1)", exact=True)).to_be_checked()
    expect(english.locator("legend", has_text="Colour")).to_be_visible()
    expect(english.get_by_text("红色")).to_have_count(0)
