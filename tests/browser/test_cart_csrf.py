"""A first-time visitor adds to the cart from the product page served from the page cache: the page has no
CSRF token and sets no cookie, so static/js/csrf.js fetches the visitor's token first; a second addition
uses the cookie directly. A forged cross-site form gets nothing into the cart."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from playwright.sync_api import expect

from orders.models import CartLine
from tests.factories import ProductFactory, ProductVariantFactory, SellerProfileFactory, category_create

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def _csrf_cookie(page) -> str | None:
    return next((c["value"] for c in page.context.cookies() if c["name"] == "csrftoken"), None)


def test_a_new_visitor_adds_to_the_cart_from_the_cached_product_page(live_server, page, browser):
    variant = ProductVariantFactory(
        product=ProductFactory(
            seller=SellerProfileFactory(shop_name="Paper Goods"),
            category=category_create("Notebooks", slug="notebooks"),
            title="Dot Grid Notebook",
            slug="dot-grid-notebook",
            price_amount=1200,
        ),
        sku="NB-1",
        stock=5,
    )
    url = reverse("catalog:product-detail", args=["dot-grid-notebook"])
    cache.clear()
    # Another visitor renders the page into the page cache first.
    warm = browser.new_context(base_url=live_server.url, locale="en-US").new_page()
    warm.goto(url)
    token_requests = []
    page.on("request", lambda r: token_requests.append(r.url) if "/csrf/" in r.url else None)

    page.goto(url)
    assert _csrf_cookie(page) is None  # the shared page handed out no token
    page.get_by_label("Quantity").fill("2")
    page.get_by_role("button", name="Add to cart").click()

    expect(page.get_by_text("Added to your cart.")).to_be_visible()
    assert page.url.endswith(reverse("orders:cart"))
    assert list(CartLine.objects.values_list("variant_id", "quantity")) == [(variant.pk, 2)]
    assert len(token_requests) == 1
    assert _csrf_cookie(page) is not None

    # With the cookie in place, the next addition needs no round trip.
    page.goto(url)
    page.get_by_label("Quantity").fill("1")
    page.get_by_role("button", name="Add to cart").click()

    expect(page.get_by_text("Added to your cart.")).to_be_visible()
    assert list(CartLine.objects.values_list("quantity", flat=True)) == [3]
    assert len(token_requests) == 1


def test_a_form_on_another_page_cannot_add_to_the_cart(live_server, page):
    variant = ProductVariantFactory(stock=5)
    page.goto(reverse("catalog:product-detail", args=[variant.product.slug]))
    page.get_by_role("button", name="Add to cart").click()  # the visitor now has a cart and a token
    expect(page.get_by_text("Added to your cart.")).to_be_visible()
    # A page of no origin of ours (about:blank) posting to the shop: it cannot read the token.
    page.goto("about:blank")
    page.set_content(
        f'<form method="post" action="{live_server.url}{reverse("orders:cart-add")}">'
        f'<input name="variant" value="{variant.pk}"><input name="quantity" value="4"><button>Win</button></form>'
    )

    with page.expect_response(lambda response: "/cart/add/" in response.url) as answer:
        page.get_by_role("button", name="Win").click()

    assert answer.value.status == 403
    assert list(CartLine.objects.values_list("quantity", flat=True)) == [1]
