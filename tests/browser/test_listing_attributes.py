"""The listing form swaps in the specification fields of the category a seller picks, in a real browser."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from catalog.models import Category, CategoryAttribute, Product
from tests.factories import SellerProfileFactory, category_create

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_picking_a_category_shows_its_fields_without_a_reload_and_keeps_what_was_typed(live_server, page):
    electronics = category_create("Electronics")
    category_create("Phones", parent=electronics)
    CategoryAttribute.objects.create(
        category=electronics, code="colour", name="Colour", type="choice", scope="variant", choices=["Black"]
    )
    CategoryAttribute.objects.create(
        category=Category.objects.get(slug="phones"),
        code="screen_size",
        name="Screen size",
        type="number",
        unit="in",
    )
    SellerProfileFactory(user__email="maker@example.com")

    page.goto(reverse("account_login") + "?next=" + reverse("seller:product-create"))
    page.get_by_label("Email").fill("maker@example.com")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(live_server.url + reverse("seller:product-create"))

    page.get_by_label("Title").fill("Pocket phone")
    page.locator("#id_variants-0-sku").fill("PH-1")
    page.get_by_label("Category").select_option(label="Phones")

    expect(page.get_by_label("Screen size (in)")).to_be_visible()
    expect(page.locator("#listing-attributes-status")).to_have_text(  # swapped in, not reloaded
        "The specification fields now match the chosen category."
    )
    page.get_by_label("Screen size (in)").fill("6.1")
    page.locator("#id_variants-0-attr_colour").select_option("Black")
    expect(page.locator("#id_variants-0-sku")).to_have_value("PH-1")
    page.locator("#id_variants-0-price").fill("199.00")
    page.locator("#id_variants-0-stock").fill("3")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state()

    product = Product.objects.get()
    assert (product.title, product.attributes) == ("Pocket phone", {"screen_size": 6.1})
    assert product.variants.get().attributes == {"colour": "Black"}
