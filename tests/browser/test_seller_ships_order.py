"""A seller opens an incoming paid order in the portal, ships it with a carrier and tracking number, and
follows the parcel: the carrier's webhook update, then the seller's own delivery update, show on the
order's page. In a real browser."""

import json
import time
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from orders.models import OrderStatus, SellerOrder, Shipment
from orders.shipping.views_carrier import carrier_signature
from tests.factories import SellerProfileFactory
from tests.orders.factories_seller import paid_part

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_seller_ships_a_paid_order_and_sees_its_tracking(live_server, page, settings):
    settings.CARRIER_WEBHOOK_SECRET = "browser-test-secret"
    seller = SellerProfileFactory(shop_name="Green Thumb", user__email="grower@example.com")
    part = paid_part(seller=seller, quantities=(2, 1))
    ARTIFACTS.mkdir(exist_ok=True)

    # The seller signs in and finds the paid order on the portal's order list.
    page.goto(reverse("account_login") + "?next=" + reverse("seller:order-list"))
    page.get_by_label("Email").fill("grower@example.com")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(live_server.url + reverse("seller:order-list"))
    expect(page.get_by_text("1 order waiting to be shipped.")).to_be_visible()
    page.get_by_role("link", name=part.order.number).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Order {part.order.number}")
    expect(page.locator("#order-status")).to_have_text("Paid")
    expect(page.get_by_text("Grace Hopper").first).to_be_visible()

    # Ships everything in one parcel (the quantities default to all that remains).
    page.get_by_label("Carrier").fill("Royal Mail")
    page.get_by_label("Tracking number").fill("rm 1234 5678 gb")
    page.screenshot(path=ARTIFACTS / "seller-ships-1-form.png", full_page=True)
    page.get_by_role("button", name="Mark shipped").click()
    expect(page.get_by_text("Shipped with Royal Mail, tracking number RM12345678GB.")).to_be_visible()
    expect(page.locator("#order-status")).to_have_text("Shipped")
    expect(page.locator(".tracking-number")).to_have_text("RM12345678GB")
    expect(page.locator(".shipment-status")).to_have_text("Shipped")
    assert SellerOrder.objects.get(pk=part.pk).status == OrderStatus.SHIPPED

    # The carrier posts a signed tracking update to its webhook; the seller reloads the order.
    assert Shipment.objects.get().status == "shipped"
    body = json.dumps(
        {
            "event_id": "rm-evt-1",
            "tracking_number": "RM12345678GB",
            "status": "in_transit",
            "occurred_at": timezone.now().isoformat(),
            "location": "Leeds sorting centre",
        }
    ).encode()
    response = page.request.post(
        reverse("carrier:webhook", kwargs={"carrier": "royal-mail"}),
        data=body,
        headers={
            "Content-Type": "application/json",
            "X-Carrier-Signature": carrier_signature("browser-test-secret", body, int(time.time())),
        },
    )
    assert response.status == 200, response.text()
    page.reload()
    expect(page.locator(".shipment-status")).to_have_text("In transit")
    expect(page.get_by_text("Leeds sorting centre").first).to_be_visible()

    # The seller adds the delivery update themselves: the parcel and the order are delivered.
    page.get_by_text("Add tracking update").click()
    page.get_by_label("Tracking status").select_option(label="Delivered")
    page.get_by_label("Location").fill("Front door")
    page.get_by_role("button", name="Add update").click()
    expect(page.get_by_text("Tracking update added.")).to_be_visible()
    expect(page.locator(".shipment-status")).to_have_text("Delivered")
    expect(page.locator("#order-status")).to_have_text("Delivered")
    page.screenshot(path=ARTIFACTS / "seller-ships-2-delivered.png", full_page=True)
    assert SellerOrder.objects.get(pk=part.pk).status == OrderStatus.DELIVERED

    # The packing slip prints without the site's header, navigation and footer, and without prices.
    page.get_by_role("link", name="Packing slip").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Packing slip")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    expect(page.locator(".packing-slip")).to_contain_text("SKU-")
    expect(page.locator(".packing-slip")).not_to_contain_text("$")
    page.screenshot(path=ARTIFACTS / "seller-ships-3-packing-slip-print.png", full_page=True)
