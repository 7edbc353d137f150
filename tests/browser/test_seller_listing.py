"""A seller lists a product in the portal and a shopper finds it through search, in a real browser."""

from pathlib import Path

import pytest
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from catalog.models import Product, StockMovement
from tests.factories import SellerProfileFactory, category_create

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_seller_creates_and_publishes_a_listing_that_a_shopper_finds_by_search(
    live_server, page, browser, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SERVE_MEDIA = True  # the live server serves the uploaded image itself, as the demo does
    photo = tmp_path / "watering-can.png"
    Image.new("RGB", (600, 400), (184, 115, 51)).save(photo)
    home = category_create("Home & Garden", slug="home-garden")
    category_create("Watering Cans", parent=home, slug="watering-cans")
    seller = SellerProfileFactory(shop_name="Green Thumb", user__email="grower@example.com")
    ARTIFACTS.mkdir(exist_ok=True)

    # The seller signs in through the real sign-in page and opens the portal.
    page.goto(reverse("account_login") + "?next=" + reverse("seller:product-create"))
    page.get_by_label("Email").fill("grower@example.com")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(live_server.url + reverse("seller:product-create"))

    page.get_by_label("Title").fill("Copper Watering Can 5 L")
    page.get_by_label("Category").select_option(label="Watering Cans")
    # Choosing a category redraws the specification fields and the SKU table (listing_form.js): wait for
    # that before typing into the table, or the redrawn table replaces what was typed.
    expect(page.locator("#listing-attributes-status")).to_have_text(
        "The specification fields now match the chosen category."
    )
    page.get_by_label("Brand").fill("Verdigris")
    page.locator("#id_variants-0-sku").fill("CAN-5L")
    page.locator("#id_variants-0-price").fill("34.50")
    page.locator("#id_variants-0-stock").fill("12")
    page.get_by_label("Images").set_input_files(photo)
    page.get_by_label("Image description").fill("Copper watering can with a long spout")
    page.screenshot(path=ARTIFACTS / "seller-1-new-listing.png", full_page=True)
    page.get_by_role("button", name="Save and publish").click()
    page.wait_for_load_state()
    page.screenshot(path=ARTIFACTS / "seller-2-saved.png", full_page=True)

    product = Product.objects.get(seller=seller)
    assert (product.title, product.status, product.price_amount) == (
        "Copper Watering Can 5 L",
        "active",
        3450,
    )
    assert list(StockMovement.objects.values_list("reason", "delta")) == [("initial", 12)]
    assert list(product.images.values_list("alt_text", "width", "height")) == [
        ("Copper watering can with a long spout", 600, 400)
    ]

    # A shopper, in a separate browser context (no session), searches and opens the listing.
    shopper = browser.new_context(base_url=live_server.url).new_page()
    shopper.goto("/")
    shopper.get_by_label("Search products").fill("watering can")
    shopper.get_by_role("button", name="Search").click()
    shopper.get_by_role("link", name="Copper Watering Can 5 L").first.click()
    shopper.screenshot(path=ARTIFACTS / "seller-3-shopper-finds-it.png", full_page=True)

    expect(shopper.get_by_role("heading", level=1)).to_have_text("Copper Watering Can 5 L")
    expect(shopper.get_by_text("$34.50").first).to_be_visible()
    expect(shopper.get_by_role("link", name="Green Thumb").first).to_be_visible()
    photo_shown = shopper.get_by_role("img", name="Copper watering can with a long spout")
    expect(photo_shown).to_be_visible()
    assert photo_shown.evaluate("img => img.complete && img.naturalWidth") == 600  # really loaded
