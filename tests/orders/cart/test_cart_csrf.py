"""``/cart/add/`` is CSRF-protected like every form, although the product page it is posted from is shared
from a page cache: the page carries no token and no cookie of anyone, and its script (static/js/csrf.js)
sends the visitor's own token from the ``csrftoken`` cookie, which ``/csrf/`` hands out uncached."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from orders.models import Cart, CartLine
from tests.orders.factories import purchasable_variant

pytestmark = pytest.mark.django_db

ADD = "orders:cart-add"


@pytest.fixture
def browser():
    """A client that checks CSRF like the middleware does for a real browser."""
    return Client(enforce_csrf_checks=True)


def _token(client) -> str:
    response = client.get(reverse("csrf-token"))
    assert response.status_code == 200
    return response.json()["token"]


def test_a_post_without_a_token_is_refused_and_adds_nothing(browser):
    variant = purchasable_variant(stock=5)

    response = browser.post(reverse(ADD), {"variant": variant.pk, "quantity": "1"})

    assert response.status_code == 403
    assert (Cart.objects.count(), CartLine.objects.count()) == (0, 0)


def test_a_post_with_a_cookie_but_no_token_is_refused(browser):
    variant = purchasable_variant(stock=5)
    _token(browser)

    response = browser.post(reverse(ADD), {"variant": variant.pk, "quantity": "1"})

    assert response.status_code == 403
    assert CartLine.objects.count() == 0


def test_a_token_from_another_visitor_is_refused(browser):
    variant = purchasable_variant(stock=5)
    _token(browser)
    someone_else = _token(Client(enforce_csrf_checks=True))

    response = browser.post(
        reverse(ADD), {"variant": variant.pk, "quantity": "1"}, HTTP_X_CSRFTOKEN=someone_else
    )

    assert response.status_code == 403
    assert CartLine.objects.count() == 0


def test_the_token_endpoint_sets_the_cookie_and_is_never_cached(browser):
    response = browser.get(reverse("csrf-token"))

    assert response.status_code == 200
    assert settings.CSRF_COOKIE_NAME in response.cookies
    assert response.cookies[settings.CSRF_COOKIE_NAME]["httponly"] == ""  # the script must read it
    assert "no-cache" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert settings.SESSION_COOKIE_NAME not in response.cookies


def test_the_cookie_token_sent_as_a_header_adds_to_the_cart(browser):
    variant = purchasable_variant(stock=5)
    _token(browser)
    cookie = browser.cookies[settings.CSRF_COOKIE_NAME].value

    response = browser.post(reverse(ADD), {"variant": variant.pk, "quantity": "2"}, HTTP_X_CSRFTOKEN=cookie)

    assert response.status_code == 302
    assert response["Location"] == reverse("orders:cart")
    assert list(CartLine.objects.values_list("variant_id", "quantity")) == [(variant.pk, 2)]


def test_the_cookie_token_in_the_form_field_adds_to_the_cart(browser):
    # What static/js/csrf.js does: the cookie's value in a hidden csrfmiddlewaretoken field.
    variant = purchasable_variant(stock=5)
    _token(browser)
    cookie = browser.cookies[settings.CSRF_COOKIE_NAME].value

    response = browser.post(
        reverse(ADD), {"variant": variant.pk, "quantity": "1", "csrfmiddlewaretoken": cookie}
    )

    assert response.status_code == 302
    assert list(CartLine.objects.values_list("variant_id", "quantity")) == [(variant.pk, 1)]


def test_a_valid_token_from_another_origin_is_still_refused(browser):
    variant = purchasable_variant(stock=5)
    token = _token(browser)

    response = browser.post(
        reverse(ADD),
        {"variant": variant.pk, "quantity": "1"},
        HTTP_X_CSRFTOKEN=token,
        HTTP_ORIGIN="https://evil.example",
    )

    assert response.status_code == 403
    assert CartLine.objects.count() == 0


def test_the_cached_product_page_carries_no_token_and_sets_no_cookie_but_loads_the_script(browser):
    variant = purchasable_variant(stock=5)
    url = reverse("catalog:product-detail", args=[variant.product.slug])

    first = browser.get(url)  # rendered and stored in the page cache
    second = browser.get(url)  # served from it

    for response in (first, second):
        html = response.content.decode()
        assert response.status_code == 200
        assert settings.CSRF_COOKIE_NAME not in response.cookies
        assert "csrfmiddlewaretoken" not in html
        assert f'data-token-url="{reverse("csrf-token")}"' in html
        assert "/static/js/csrf.js" in html


def test_the_cart_page_still_works_without_javascript(browser):
    # Uncached pages render {% csrf_token %}: the plain form post needs no script.
    variant = purchasable_variant(stock=5)
    token = _token(browser)
    browser.post(reverse(ADD), {"variant": variant.pk, "quantity": "1"}, HTTP_X_CSRFTOKEN=token)

    page = browser.get(reverse("orders:cart"))
    form_token = page.context["csrf_token"]
    response = browser.post(
        reverse("orders:cart"), {f"quantity-{variant.pk}": "3", "csrfmiddlewaretoken": str(form_token)}
    )

    assert 'name="csrfmiddlewaretoken"' in page.content.decode()
    assert response.status_code == 302
    assert list(CartLine.objects.values_list("quantity", flat=True)) == [3]
