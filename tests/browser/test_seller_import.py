"""A seller imports a CSV of listings through the portal's import page, in a real browser."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from catalog.models import Product, StockMovement
from tests.factories import SellerProfileFactory, category_create

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

CSV = (
    "product_ref,title,category,brand,condition,description,tags,sku,variant_name,price,compare_at_price,stock\n"
    "can,Copper Watering Can,watering-cans,Verdigris,new,Hand-made.,Garden|Copper,CAN-5L,5 L,34.50,,12\n"
    "can,Copper Watering Can,watering-cans,Verdigris,new,Hand-made.,Garden|Copper,CAN-10L,10 L,49.00,55.00,4\n"
    "hose,Garden Hose 20 m,watering-cans,,new,,,HOSE-20,,19.99,,30\n"
)


def test_seller_uploads_a_csv_and_finds_the_listings_on_the_product_list(live_server, page, tmp_path):
    home = category_create("Home & Garden", slug="home-garden")
    category_create("Watering Cans", parent=home, slug="watering-cans")
    seller = SellerProfileFactory(shop_name="Green Thumb", user__email="grower@example.com")
    upload = tmp_path / "listings.csv"
    upload.write_text(CSV, encoding="utf-8")
    ARTIFACTS.mkdir(exist_ok=True)

    # The seller signs in through the real sign-in page and opens the portal's import page.
    page.goto(reverse("account_login") + "?next=" + reverse("seller:dashboard"))
    page.get_by_label("Email").fill("grower@example.com")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(live_server.url + reverse("seller:dashboard"))
    page.get_by_role("link", name="Import / export").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import / export")

    # A check first: the preview reports what would change and saves nothing.
    page.get_by_label("Spreadsheet file (.csv or .xlsx)").set_input_files(upload)
    page.get_by_label("Validate only").check()
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("The file is valid — nothing has been saved yet")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "seller-import-1-preview.png", full_page=True)
    assert Product.objects.count() == 0

    # Then the import itself.
    page.get_by_label("Spreadsheet file (.csv or .xlsx)").set_input_files(upload)
    page.get_by_label("Validate only").uncheck()
    page.get_by_role("button", name="Upload").click()
    page.wait_for_url(live_server.url + reverse("seller:product-list"))
    page.screenshot(path=ARTIFACTS / "seller-import-2-imported.png", full_page=True)

    expect(page.get_by_role("status")).to_contain_text(
        "Import complete. Listings created: 2, updated: 0, unchanged: 0. "
        "SKUs created: 3, updated: 0. Stock changes: 3."
    )
    expect(page.get_by_role("link", name="Copper Watering Can")).to_be_visible()
    expect(page.get_by_role("link", name="Garden Hose 20 m")).to_be_visible()
    assert sorted(Product.objects.filter(seller=seller).values_list("title", "status")) == [
        ("Copper Watering Can", "draft"),
        ("Garden Hose 20 m", "draft"),
    ]
    assert sorted(StockMovement.objects.values_list("variant__sku", "delta", "reason")) == [
        ("CAN-10L", 4, "import"),
        ("CAN-5L", 12, "import"),
        ("HOSE-20", 30, "import"),
    ]
