"""Card payment on the pay page in a real browser against a real localstripe: its Stripe.js stand-in
renders the card fields, the page sends only a payment-method reference to our server, which creates the
PaymentIntent for the order's total; 3-D Secure runs in localstripe's dialog; a declined card shows the
bank's message and leaves the order unpaid."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from orders.models import Order, OrderStatus, ShippingMethod
from payments.models import JournalEntry, Payment
from tests.factories import ProductFactory, ProductVariantFactory, SellerProfileFactory, UserFactory
from tests.orders.factories import order_place, purchasable_variant

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "correct-horse-battery"

pytestmark = [
    pytest.mark.browser,
    # No webhooks here: the page's own calls settle the payment (webhook delivery by localstripe is
    # tested in tests/payments/test_stripe_webhooks_live.py).
    pytest.mark.usefixtures("transactional_db", "stripe_settings", "celery_eager"),
]


def _sign_in(page, email: str, next_url: str) -> None:
    page.goto(reverse("account_login") + "?next=" + next_url)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"**{next_url}")


def _card(page, number: str) -> None:
    """localstripe's card element: plain inputs named by their placeholders (Stripe's own frame in
    production)."""
    card = page.locator("#card-element")
    card.get_by_placeholder("number").fill(number)
    card.get_by_placeholder("exp_month").fill("12")
    card.get_by_placeholder("exp_year").fill("34")
    card.get_by_placeholder("cvc").fill("123")
    card.get_by_placeholder("postal_code").fill("12345")


def test_shopper_checks_out_and_pays_by_card(page):
    ARTIFACTS.mkdir(exist_ok=True)
    seller = SellerProfileFactory(shop_name="Clay Corner")
    ProductVariantFactory(
        product=ProductFactory(seller=seller, title="Stoneware Mug", slug="stoneware-mug", price_amount=1500),
        sku="MUG-1",
        stock=8,
    )
    ShippingMethod.objects.create(seller=seller, name="Letter post", flat_amount=300)
    shopper = UserFactory(email="buyer@example.com")

    _sign_in(page, "buyer@example.com", reverse("catalog:product-detail", args=["stoneware-mug"]))
    page.get_by_label("Quantity").fill("2")
    page.get_by_role("button", name="Add to cart").click()
    page.get_by_role("link", name="Go to checkout").click()
    page.get_by_label("Full name").fill("Bea Buyer")
    page.get_by_label("Address line 1").fill("1 Market Street")
    page.get_by_label("City").fill("Springfield")
    page.get_by_label("Postal code").fill("12345")
    page.get_by_label("Country").select_option("US")
    page.get_by_role("button", name="Place order").click()

    expect(page.get_by_role("heading", name="Pay by card")).to_be_visible()
    expect(page.get_by_text("Test payment")).to_have_count(0)
    _card(page, "4242424242424242")
    page.screenshot(path=ARTIFACTS / "card-payment-1-form.png", full_page=True)
    page.get_by_role("button", name="Pay $33.00").click()

    expect(page.get_by_text("Thank you! Your payment was received.")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "card-payment-2-paid.png", full_page=True)
    order = Order.objects.get(buyer=shopper)
    payment = Payment.objects.get(order=order)
    assert (order.status, order.total_amount) == (OrderStatus.PAID, 3300)
    assert (payment.provider, payment.status, payment.captured_amount) == ("stripe", "captured", 3300)
    assert payment.reference.startswith("pi_")
    assert JournalEntry.objects.filter(key=f"capture:{payment.pk}").exists()


def test_three_d_secure_runs_in_the_banks_dialog_then_the_order_is_paid(page):
    shopper = UserFactory(email="secure@example.com")
    order = order_place(user=shopper, lines=[(purchasable_variant(price=2000), 1)])
    pay_url = reverse("orders:order-pay", args=[order.number])
    _sign_in(page, "secure@example.com", pay_url)

    _card(page, "4000002500003155")
    page.get_by_role("button", name="Pay $20.00").click()

    expect(page.get_by_text("3D Secure")).to_be_visible()
    expect(page.locator("#card-status")).to_have_text("Your bank asks you to confirm this payment.")
    page.screenshot(path=ARTIFACTS / "card-payment-3-3ds.png", full_page=True)
    assert Payment.objects.get(order=order).status == Payment.Status.REQUIRES_ACTION
    page.get_by_role("button", name="Complete authentication").click()

    expect(page.get_by_text("Thank you! Your payment was received.")).to_be_visible()
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert Payment.objects.get(order=order).status == Payment.Status.CAPTURED


def test_a_declined_card_shows_the_banks_message_and_the_order_stays_unpaid(page):
    shopper = UserFactory(email="declined@example.com")
    order = order_place(user=shopper, lines=[(purchasable_variant(price=1200), 1)])
    pay_url = reverse("orders:order-pay", args=[order.number])
    _sign_in(page, "declined@example.com", pay_url)

    _card(page, "4000000000000002")
    page.get_by_role("button", name="Pay $12.00").click()

    expect(page.get_by_text("Your payment was declined: Your card was declined.")).to_be_visible()
    expect(page.get_by_role("heading", name="Pay by card")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "card-payment-4-declined.png", full_page=True)
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_PAYMENT
    assert list(Payment.objects.filter(order=order).values_list("status", flat=True).order_by("pk")) == [
        Payment.Status.FAILED,
        Payment.Status.CREATED,
    ]
