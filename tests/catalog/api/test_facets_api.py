"""The facet counts API: same parameters as the product list, counts per facet value, 400 on bad input."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import ProductFactory, ProductVariantFactory, category_create

pytestmark = pytest.mark.django_db

URL = reverse("catalog-api:product-facets")


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def shelf():
    shelf = category_create("Shelf")
    for brand, condition, stock in [("Acme", "new", 3), ("Acme", "used", 0), ("Zenith", "new", 1)]:
        ProductVariantFactory(
            product=ProductFactory(category=shelf, brand=brand, condition=condition), stock=stock
        )
    ProductVariantFactory(product=ProductFactory(category=category_create("Elsewhere"), brand="Other"))
    return shelf


def _counts(values) -> dict[str, int]:
    return {value["value"]: value["count"] for value in values}


def test_facets_of_a_category_count_each_value_with_the_other_facets_applied(api, shelf):
    # when the shopper has ticked the Acme brand and "in stock"
    response = api.get(URL, {"category": "shelf", "brand": "Acme", "in_stock": "true"})

    # then
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 2  # the sold-out one is not listed
    assert _counts(body["brands"]) == {"Acme": 1, "Zenith": 1}  # in stock, any brand
    assert _counts(body["conditions"]) == {"new": 1, "used": 0, "refurbished": 0}  # Acme and in stock
    assert body["in_stock"]["count"] == 1  # Acme, in stock or not
    assert body["in_stock"]["selected"] is True
    assert body["sold_out"] == {"value": "true", "label": "Include sold out", "count": 1, "selected": False}


def test_facets_count_sold_out_products_when_they_are_asked_for(api, shelf):
    body = api.get(URL, {"category": "shelf", "include_sold_out": "true"}).json()

    assert body["total"] == 3
    assert _counts(body["brands"]) == {"Acme": 2, "Zenith": 1}
    assert (body["sold_out"]["count"], body["sold_out"]["selected"]) == (1, True)


def test_facets_of_a_search(api, shelf):
    ProductVariantFactory(product=ProductFactory(category=shelf, title="Brass lamp", brand="Lumo"))

    body = api.get(URL, {"q": "brass"}).json()

    assert body["total"] == 1
    assert _counts(body["brands"]) == {"Lumo": 1}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"category": "no-such-category"}, "category"),
        ({"min_price": "-1"}, "min_price"),
        ({"in_stock": "maybe"}, "in_stock"),
        ({"condition": "broken"}, "condition"),
    ],
)
def test_bad_parameters_are_a_400_naming_the_field(api, shelf, params, field):
    response = api.get(URL, params)

    assert response.status_code == 400
    assert list(response.json()) == [field]
