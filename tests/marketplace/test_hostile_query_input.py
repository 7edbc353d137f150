"""A NUL character or an out-of-range number in any filter of any listing (the product API, search,
category and shop pages) is a 400 with the field named, or a form error on the page — never a 500."""

import pytest
from django.test import Client

from catalog.api.filters import ProductFilter
from tests.factories import ProductFactory, ProductVariantFactory, SellerProfileFactory, category_create

pytestmark = pytest.mark.django_db

HUGE = str(2**63)  # 9223372036854775808: one past the 64-bit columns


@pytest.fixture
def listing():
    category = category_create("Kitchen")
    seller = SellerProfileFactory(slug="attic")
    ProductVariantFactory(product=ProductFactory(category=category, seller=seller, brand="Acme"), stock=2)
    return category


def _pages(category) -> list[str]:
    return ["/api/catalog/products/", "/search/", f"/c/{category.slug}/", "/shops/attic/"]


def _filter_names() -> list[str]:
    return sorted({*ProductFilter.base_filters, "q", "page", "sort", "min_price", "max_price"})


@pytest.mark.parametrize("name", _filter_names())
def test_a_nul_character_in_any_filter_is_a_400_naming_the_field(listing, name):
    client = Client(raise_request_exception=False)
    for url in _pages(listing):
        response = client.get(url, {name: "a\x00b"})

        assert response.status_code == 400, (url, name, response.status_code)
        if url.startswith("/api/"):
            assert name in response.json()


@pytest.mark.parametrize("name", ["min_price", "max_price", "page", "min_rating", "in_stock"])
@pytest.mark.parametrize("value", [HUGE, "-" + HUGE, "1e400", "10" * 40])
def test_an_out_of_range_number_in_a_filter_is_never_a_500(listing, name, value):
    client = Client(raise_request_exception=False)
    for url in _pages(listing):
        response = client.get(url, {name: value})

        assert response.status_code in (200, 400, 404), (url, name, value, response.status_code)
        if url.startswith("/api/") and name in ("min_price", "max_price"):
            assert response.status_code == 400
            assert name in response.json()


def test_a_nul_character_in_a_form_post_is_a_400(listing):
    response = Client(raise_request_exception=False).post("/account/", {"name": "x\x00"})

    assert response.status_code == 400
