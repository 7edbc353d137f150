"""An operator works the listing moderation queue, and a seller creates an API key, in a real browser."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from catalog.models import Product, ProductStatusEvent
from tests.factories import OperatorFactory, ProductFactory, ProductVariantFactory, SellerProfileFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def _sign_in(page, email: str, next_url: str) -> None:
    page.goto(reverse("account_login") + "?next=" + next_url)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**" + next_url)


def test_an_operator_rejects_a_screened_listing_with_a_reason_and_approves_another(live_server, page):
    # given two listings held by screening
    seller = SellerProfileFactory(shop_name="Attic Finds")
    fake = ProductFactory(seller=seller, title="Designer bag replica", status=Product.Status.PENDING_REVIEW)
    lamp = ProductFactory(seller=seller, title="Brass lamp", status=Product.Status.PENDING_REVIEW)
    for product in (fake, lamp):
        ProductVariantFactory(product=product)
    OperatorFactory(email="ops@example.com")
    queue = reverse("admin:catalog_listingmoderation_changelist")

    # when the operator opens the queue, rejects one with a reason
    _sign_in(page, "ops@example.com", queue)
    expect(page.get_by_role("link", name="Designer bag replica")).to_be_visible()
    page.locator("tr", has_text="Designer bag replica").locator("input[name=_selected_action]").check()
    page.locator("select[name=action]").select_option("reject_listings")
    page.get_by_role("button", name="Go").click()
    page.get_by_label("Reason").fill("Replicas of branded goods are not allowed.")
    page.locator("input[type=submit]").click()

    # and approves the other
    page.locator("tr", has_text="Brass lamp").locator("input[name=_selected_action]").check()
    page.locator("select[name=action]").select_option("approve_listings")
    page.get_by_role("button", name="Go").click()

    # then the queue is empty, one listing is back to draft with the reason, the other live
    expect(page.get_by_text("0 listings awaiting moderation")).to_be_visible()
    fake.refresh_from_db()
    lamp.refresh_from_db()
    assert (fake.status, lamp.status) == (Product.Status.DRAFT, Product.Status.ACTIVE)
    event = ProductStatusEvent.objects.filter(product=fake).first()
    assert "Replicas of branded goods are not allowed." in event.reason


def test_a_seller_creates_an_api_key_sees_it_once_and_can_use_it(live_server, page, browser):
    # given
    SellerProfileFactory(shop_name="Green Thumb", user__email="grower@example.com")

    # when the seller creates a key on the portal's API access page
    _sign_in(page, "grower@example.com", reverse("seller:dashboard"))
    page.get_by_role("link", name="API access").click()
    page.get_by_role("button", name="Create an API key").click()
    key = page.get_by_test_id("new-api-key").input_value()

    # then the key works against the seller API, and the page never shows it again
    response = page.request.get(
        live_server.url + reverse("seller-api:product-list"), headers={"Authorization": f"Bearer {key}"}
    )
    assert response.status == 200
    page.goto(reverse("seller:api-access"))
    expect(page.get_by_test_id("new-api-key")).to_have_count(0)
    expect(page.get_by_text(key[:12])).to_be_visible()
