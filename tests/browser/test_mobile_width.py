"""Every page a shopper or a seller opens fits a 360 px wide phone: nothing scrolls sideways (a wide
table scrolls inside its own box, the page does not)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import ProductFactory, ProductVariantFactory, SellerProfileFactory, category_create
from tests.orders.factories import cart_with_lines, order_place

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

PHONE = {"width": 360, "height": 740}


def _signed_in_context(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=live_server.url, locale="en-US", viewport=PHONE)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    context.set_default_timeout(10_000)
    return context


def _overflowing(page, path: str) -> tuple[str, int, int] | None:
    response = page.goto(path)
    assert response is not None, path
    assert response.status == 200, (path, response.status)
    page.wait_for_load_state("load")
    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if scroll_width > inner_width:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"FAILED-mobile-{path.strip('/').replace('/', '_') or 'home'}.png")
        return (path, scroll_width, inner_width)
    return None


def test_shopper_and_seller_pages_fit_a_360px_phone(browser, live_server):
    kitchen = category_create("Kitchen appliances and accessories")
    seller = SellerProfileFactory(shop_name="A shop with a rather long name for a phone screen")
    product = ProductFactory(
        title="Stainless steel electric kettle with temperature control, 1.7 litres",
        category=kitchen,
        seller=seller,
    )
    variant = ProductVariantFactory(
        product=product, sku="KETTLE-17-STAINLESS-EU-PLUG", stock=9, price_amount=129999
    )
    shopper = variant.product.seller.user.__class__.objects.create_user(
        email="phone@example.com", password="correct-horse-battery"
    )
    order = order_place(user=shopper, lines=[(variant, 2)])
    cart_with_lines(user=shopper, lines=[(variant, 3)])  # the order emptied the cart: fill it again
    part = order.seller_orders.get()

    shopper_pages = [
        "/",
        f"/c/{kitchen.slug}/",
        f"/p/{product.slug}/",
        "/search/?q=kettle",
        "/cart/",
        "/checkout/",
        "/orders/",
        f"/orders/{order.number}/",
    ]
    seller_pages = [
        "/seller/",
        "/seller/products/",
        "/seller/inventory/",
        "/seller/orders/",
        f"/seller/orders/{part.pk}/",
        "/seller/shipping-methods/",
        "/seller/promotions/coupons/",
        "/seller/payouts/",
    ]
    overflowing = []
    for user, pages in ((shopper, shopper_pages), (seller.user, seller_pages)):
        context = _signed_in_context(browser, live_server, user)
        page = context.new_page()
        overflowing += [o for path in pages if (o := _overflowing(page, path)) is not None]
        context.close()

    assert overflowing == [], overflowing
