"""A shopper reviews a delivered purchase and rates the seller; the seller replies in the portal; both show
on the product page — in a real browser."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from orders.models import ProductReview, SellerRating
from tests.factories import ProductFactory, ProductVariantFactory, SellerProfileFactory, UserFactory
from tests.orders.reviews.factories import delivered_line

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def _sign_in(page, email: str, next_url: str, live_server) -> None:
    page.goto(reverse("account_login") + "?next=" + next_url)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(live_server.url + next_url)


def test_shopper_reviews_a_delivered_order_and_the_seller_replies(live_server, page, browser):
    seller = SellerProfileFactory(shop_name="Green Thumb", user__email="grower@example.com")
    product = ProductFactory(seller=seller, title="Copper Watering Can", slug="copper-watering-can")
    ProductVariantFactory(product=product, sku="CAN-5L")
    shopper = UserFactory(email="ada@example.com", display_name="Ada L.")
    line = delivered_line(buyer=shopper, product=product)
    part = line.seller_order
    reviews_url = reverse("reviews:order-reviews", args=[part.order.number])
    product_url = reverse("catalog:product-detail", args=[product.slug])
    ARTIFACTS.mkdir(exist_ok=True)

    # The shopper opens the order's review page.
    _sign_in(page, "ada@example.com", reviews_url, live_server)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Review order {part.order.number}")
    item = page.locator(f"#line-{line.pk}")
    expect(item.get_by_role("heading", name="Copper Watering Can")).to_be_visible()
    item.get_by_role("radio", name="4 stars — very good").check()
    item.get_by_label("Title").fill("Pours <b>evenly</b>")
    item.get_by_label("Your review").fill("Sturdy copper, long spout.\nA little heavy when full.")
    page.screenshot(path=ARTIFACTS / "reviews-1-order-reviews.png", full_page=True)
    item.get_by_role("button", name="Publish review of Copper Watering Can").click()
    expect(page.get_by_text("Thank you! Your review of “Copper Watering Can” is published.")).to_be_visible()

    # …and rates the seller.
    rating = page.locator(f"#part-{part.pk}")
    rating.get_by_role("radio", name="5 stars — excellent").check()
    rating.get_by_label("Comment on the seller").fill("Well packed, quick.")
    rating.get_by_role("button", name="Rate seller Green Thumb").click()
    expect(page.get_by_text("Thank you for rating Green Thumb.")).to_be_visible()
    expect(page.locator(f"#part-{part.pk}")).to_contain_text("You rated this seller 5 out of 5.")

    review = ProductReview.objects.get()
    assert (review.rating, review.title, review.body) == (
        4,
        "Pours evenly",
        "Sturdy copper, long spout.\nA little heavy when full.",
    )
    assert SellerRating.objects.get().rating == 5
    product.refresh_from_db()
    seller.refresh_from_db()
    assert (product.rating_avg, product.rating_count) == (Decimal("4.00"), 1)
    assert (seller.rating_avg, seller.rating_count) == (Decimal("5.00"), 1)

    # The review is on the product page.
    page.goto(product_url)
    reviews = page.locator("#reviews")
    expect(reviews.get_by_role("heading", name="Pours evenly")).to_be_visible()
    expect(reviews).to_contain_text("Sturdy copper, long spout.")
    expect(reviews).to_contain_text("Ada L.")
    expect(reviews).to_contain_text("4.0 out of 5")
    expect(reviews.get_by_role("row", name="4 stars")).to_contain_text("1 (100%)")

    # A visitor without a session sees it too (a page shared from the cache).
    visitor = browser.new_context(base_url=live_server.url, locale="en-US").new_page()
    visitor.goto(product_url)
    expect(visitor.locator("#reviews")).to_contain_text("Sturdy copper, long spout.")

    # The seller replies in the portal.
    seller_page = browser.new_context(base_url=live_server.url, locale="en-US").new_page()
    _sign_in(seller_page, "grower@example.com", reverse("seller:review-list"), live_server)
    row = seller_page.get_by_role("row").filter(has_text="Copper Watering Can")
    expect(row).to_contain_text("4 out of 5")
    row.get_by_role("link", name="Reply to the review of Copper Watering Can").click()
    seller_page.get_by_label("Your reply").fill("Thank you, Ada! A lighter 3 L can is coming soon.")
    seller_page.get_by_role("button", name="Publish reply").click()
    seller_page.wait_for_url(live_server.url + reverse("seller:review-list"))
    expect(
        seller_page.get_by_text("Your reply to the review of “Copper Watering Can” is published.")
    ).to_be_visible()
    seller_page.screenshot(path=ARTIFACTS / "reviews-2-seller-replied.png", full_page=True)

    # The reply shows on the product page, for the shopper and for a visitor (the cached page is renewed).
    page.reload()
    expect(page.locator("#reviews")).to_contain_text("Reply from Green Thumb")
    expect(page.locator("#reviews")).to_contain_text("A lighter 3 L can is coming soon.")
    page.screenshot(path=ARTIFACTS / "reviews-3-product-page.png", full_page=True)
    visitor.reload()
    expect(visitor.locator("#reviews")).to_contain_text("A lighter 3 L can is coming soon.")
    expect(visitor.locator(".seller-card")).to_contain_text("★ 5.0 (1)")
