"""A visitor buys without an account: the card is declined once, then paid; later, on another device, the
guest finds the order by number and e-mail and cancels it. A seller sets up a shipping method that the
checkout then offers."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from catalog.models import ProductVariant
from orders.models import Order, OrderStatus, ShippingMethod
from tests.factories import ProductFactory, ProductVariantFactory, SellerProfileFactory, category_create

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_guest_pays_after_a_decline_then_finds_and_cancels_the_order_elsewhere(live_server, page, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    seller = SellerProfileFactory(shop_name="Paper Goods", user__email="paper@example.com")
    notebook = ProductVariantFactory(
        product=ProductFactory(
            seller=seller,
            category=category_create("Notebooks", slug="notebooks"),
            title="Dot Grid Notebook",
            slug="dot-grid-notebook",
            price_amount=1200,
        ),
        sku="NB-1",
        stock=3,
    )

    # The seller adds a shipping method in the portal.
    seller_page = browser.new_context(base_url=live_server.url, locale="en-US").new_page()
    seller_page.goto(reverse("account_login") + "?next=" + reverse("seller:shipping-method-create"))
    seller_page.get_by_label("Email").fill("paper@example.com")
    seller_page.get_by_label("Password").fill("correct-horse-battery")
    seller_page.get_by_role("button", name="Sign In").click()
    seller_page.wait_for_url(f"**{reverse('seller:shipping-method-create')}")
    seller_page.get_by_label("Name").fill("Letter post")
    seller_page.get_by_label("Flat amount").fill("2.50")
    seller_page.get_by_label("Amount per started kilogram").fill("0")
    seller_page.get_by_role("button", name="Save").click()
    expect(seller_page.get_by_text("Letter post").first).to_be_visible()
    assert list(ShippingMethod.objects.values_list("seller_id", "name", "flat_amount")) == [
        (seller.pk, "Letter post", 250)
    ]

    # A visitor (no account) buys two notebooks.
    page.goto(reverse("catalog:product-detail", args=["dot-grid-notebook"]))
    page.get_by_label("Quantity").fill("2")
    page.get_by_role("button", name="Add to cart").click()
    page.get_by_role("link", name="Go to checkout").click()
    page.get_by_label("E-mail for order updates").fill("guest@example.com")
    page.get_by_label("Full name").fill("Gus Guest")
    page.get_by_label("Address line 1").fill("9 Side Road")
    page.get_by_label("City").fill("Shelbyville")
    page.get_by_label("Postal code").fill("54321")
    page.get_by_label("Country").select_option("GB")
    expect(page.get_by_label("Letter post")).to_be_checked()
    expect(page.locator(".totals")).to_contain_text("$26.50")  # 2 x 12.00 + 2.50
    page.get_by_role("button", name="Place order").click()

    # The card is declined: the order waits, the stock stays reserved, the shopper can try again.
    page.get_by_role("button", name="Simulate a declined card").click()
    expect(page.get_by_text("Your payment was declined. You can try again.")).to_be_visible()
    order = Order.objects.get(email="guest@example.com")
    assert (order.status, order.buyer_id, order.total_amount) == (OrderStatus.PENDING_PAYMENT, None, 2650)
    assert ProductVariant.objects.get(pk=notebook.pk).stock == 1
    page.get_by_role("button", name="Pay now (test)").click()
    expect(page.get_by_text("Thank you! Your payment was received.")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "guest-1-paid.png", full_page=True)

    # On another device: the order is not visible by its address alone...
    other = browser.new_context(base_url=live_server.url, locale="en-US").new_page()
    response = other.goto(reverse("orders:order-detail", args=[order.number]))
    assert response.status == 404
    # ...a wrong e-mail finds nothing, the right one finds it.
    other.goto(reverse("orders:guest-lookup"))
    other.get_by_label("Order number").fill(order.number)
    other.get_by_label("E-mail used for the order").fill("someone@example.com")
    other.get_by_role("button", name="Find my order").click()
    expect(other.get_by_text("We could not find an order with this number and e-mail.")).to_be_visible()
    other.get_by_label("E-mail used for the order").fill("GUEST@example.com")
    other.get_by_role("button", name="Find my order").click()
    expect(other.get_by_role("heading", level=1)).to_have_text(f"Order {order.number}")
    expect(other.get_by_role("heading", name="From Paper Goods — Paid")).to_be_visible()

    # The guest cancels: the order is cancelled and the notebooks are back on sale.
    other.get_by_label("Why are you cancelling? (optional)").fill("Ordered twice by mistake")
    other.get_by_role("button", name="Cancel order").click()
    expect(other.get_by_text("Your order was cancelled.")).to_be_visible()
    expect(other.get_by_role("heading", name="From Paper Goods — Cancelled")).to_be_visible()
    other.screenshot(path=ARTIFACTS / "guest-2-cancelled.png", full_page=True)
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert ProductVariant.objects.get(pk=notebook.pk).stock == 3
