import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import SellerProfile
from catalog.models import Category, Product
from tests.factories import (
    ProductFactory,
    ProductVariantFactory,
    SellerProfileFactory,
    TagFactory,
    category_create,
)

pytestmark = pytest.mark.django_db

LIST_URL = "/api/catalog/products/"


@pytest.fixture
def api():
    return APIClient()


def _slugs(response) -> list[str]:
    return [item["slug"] for item in response.json()["results"]]


def test_url_names_resolve_to_the_documented_paths():
    assert reverse("catalog-api:product-list") == LIST_URL
    assert reverse("catalog-api:product-detail", args=["x"]) == "/api/catalog/products/x/"
    assert reverse("catalog-api:category-list") == "/api/catalog/categories/"
    assert reverse("catalog-api:category-detail", args=["x"]) == "/api/catalog/categories/x/"


def test_product_list_shows_only_visible_products_in_the_documented_shape(api):
    # given
    shelf = category_create("Shelf")
    hidden_shelf = category_create("Hidden")
    Category.objects.filter(pk=hidden_shelf.pk).update(is_active=False)
    seller = SellerProfileFactory(shop_name="Potter", slug="potter")
    product = ProductFactory(
        slug="bowl", title="Bowl", brand="Clay", category=shelf, seller=seller, price_amount=1500
    )
    ProductVariantFactory(product=product, price_amount=1500, compare_at_amount=2000)
    ProductFactory(slug="draft", category=shelf, status=Product.Status.DRAFT)
    ProductFactory(slug="suspended", category=shelf, seller__status=SellerProfile.Status.SUSPENDED)
    ProductFactory(slug="inactive-category", category=hidden_shelf)

    # when
    response = api.get(LIST_URL)

    # then
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["results"][0]
    item.pop("published_at")
    assert item == {
        "id": product.pk,
        "slug": "bowl",
        "title": "Bowl",
        "brand": "Clay",
        "condition": "new",
        "price_amount": 1500,
        "compare_at_amount": 2000,
        "currency": "USD",
        "rating_avg": None,
        "rating_count": 0,
        "in_stock": True,
        "seller": {"shop_name": "Potter", "slug": "potter"},
        "category": {"name": "Shelf", "slug": "shelf"},
        "thumbnail_url": None,
    }


def test_product_list_leaves_sold_out_products_out_unless_asked_for_and_their_page_stays(api):
    # given a product whose only SKU has sold out, and one in stock
    shelf = category_create("Shelf")
    ProductVariantFactory(product=ProductFactory(slug="gone", category=shelf), stock=0)
    ProductVariantFactory(product=ProductFactory(slug="here", category=shelf), stock=2)

    # when
    default = api.get(LIST_URL)
    with_sold_out = api.get(LIST_URL, {"include_sold_out": "true", "ordering": "newest"})
    detail = api.get(reverse("catalog-api:product-detail", args=["gone"]))

    # then
    assert _slugs(default) == ["here"]
    assert {item["slug"]: item["in_stock"] for item in with_sold_out.json()["results"]} == {
        "gone": False,
        "here": True,
    }
    assert detail.status_code == 200
    assert detail.json()["in_stock"] is False
    assert [v["in_stock"] for v in detail.json()["variants"]] == [False]


def test_product_detail_has_variants_tags_and_a_seller_summary(api):
    # given
    seller = SellerProfileFactory(shop_name="Potter", slug="potter", kind=SellerProfile.Kind.BUSINESS)
    product = ProductFactory(slug="bowl", seller=seller, category=category_create("Kitchen"))
    ProductVariantFactory(product=product, sku="B-1", name="Small", attributes={"size": "S"}, stock=0)
    ProductVariantFactory(product=product, sku="B-2", name="Large", price_amount=2500, compare_at_amount=3000)
    product.tags.add(TagFactory(name="clay"))

    # when
    response = api.get(reverse("catalog-api:product-detail", args=["bowl"]))

    # then
    assert response.status_code == 200
    body = response.json()
    assert [
        (v["sku"], v["name"], v["price_amount"], v["compare_at_amount"], v["in_stock"])
        for v in body["variants"]
    ] == [
        ("B-1", "Small", 1999, None, False),
        ("B-2", "Large", 2500, 3000, True),
    ]
    assert body["variants"][0]["attributes"] == {"size": "S"}
    assert body["seller"] == {
        "shop_name": "Potter",
        "slug": "potter",
        "kind": "business",
        "rating_avg": None,
        "rating_count": 0,
    }
    assert body["tags"] == [{"name": "clay", "slug": "clay"}]
    assert body["category"] == {"name": "Kitchen", "slug": "kitchen"}


@pytest.mark.parametrize(
    "hidden",
    [
        {"status": Product.Status.DRAFT},
        {"status": Product.Status.DELISTED},
        {"seller__status": SellerProfile.Status.SUSPENDED},
    ],
)
def test_hidden_product_detail_is_404(api, hidden):
    ProductFactory(slug="hidden", **hidden)

    response = api.get(reverse("catalog-api:product-detail", args=["hidden"]))

    assert response.status_code == 404


def test_product_in_inactive_category_detail_is_404(api):
    category = category_create("Retired")
    ProductFactory(slug="gone", category=category)
    Category.objects.filter(pk=category.pk).update(is_active=False)

    response = api.get(reverse("catalog-api:product-detail", args=["gone"]))

    assert response.status_code == 404


def test_category_filter_includes_the_subtree(api):
    # given
    electronics = category_create("Electronics")
    phones = category_create("Phones", parent=electronics)
    ProductFactory(slug="tv", category=electronics)
    ProductFactory(slug="phone", category=phones)
    ProductFactory(slug="rake", category=category_create("Garden"))

    # when
    all_electronics = api.get(LIST_URL, {"category": "electronics", "ordering": "price-asc"})
    only_phones = api.get(LIST_URL, {"category": "phones"})

    # then
    assert set(_slugs(all_electronics)) == {"tv", "phone"}
    assert _slugs(only_phones) == ["phone"]


def test_price_condition_brand_seller_and_q_filters(api):
    # given
    shelf = category_create("Shelf")
    potter = SellerProfileFactory(slug="potter")
    ProductFactory(slug="cheap", category=shelf, price_amount=100, brand="Acme", seller=potter)
    ProductFactory(
        slug="mid", category=shelf, price_amount=500, brand="Zeta", condition="used", title="Blue mug"
    )
    ProductFactory(slug="dear", category=shelf, price_amount=900, brand="acme")

    # when / then
    assert _slugs(api.get(LIST_URL, {"min_price": 100, "max_price": 500, "ordering": "price-asc"})) == [
        "cheap",
        "mid",
    ]
    assert _slugs(api.get(LIST_URL, {"condition": "used"})) == ["mid"]
    assert _slugs(api.get(LIST_URL, {"brand": "ACME", "ordering": "price-desc"})) == ["dear", "cheap"]
    assert _slugs(api.get(LIST_URL, {"seller": "potter"})) == ["cheap"]
    assert _slugs(api.get(LIST_URL, {"q": "blue MUG"})) == ["mid"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"category": "no-such-category"}, "category"),
        ({"seller": "no-such-shop"}, "seller"),
        ({"min_price": "-1"}, "min_price"),
        ({"max_price": "ten"}, "max_price"),
        ({"min_price": "1.5"}, "min_price"),
        ({"condition": "broken"}, "condition"),
        ({"ordering": "cheapest"}, "ordering"),
    ],
)
def test_invalid_filters_are_400_with_a_field_error(api, params, field):
    ProductFactory()

    response = api.get(LIST_URL, params)

    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_unknown_category_error_names_the_problem(api):
    response = api.get(LIST_URL, {"category": "nope"})

    assert response.json() == {"category": ["No active category with this slug."]}


def test_min_price_above_max_price_is_400(api):
    response = api.get(LIST_URL, {"min_price": 900, "max_price": 100})

    assert response.status_code == 400
    assert response.json() == {"min_price": ["Must not be greater than max_price."]}


def test_product_list_is_paginated_by_24_with_a_fixed_number_of_queries(api):
    # given
    shelf = category_create("Shelf")
    for _ in range(30):
        ProductVariantFactory(product=ProductFactory(category=shelf))

    # when
    with CaptureQueriesContext(connection) as page_1:
        first = api.get(LIST_URL)
    with CaptureQueriesContext(connection) as page_2:
        second = api.get(LIST_URL, {"page": 2, "category": "shelf"})

    # then
    assert (first.json()["count"], len(first.json()["results"])) == (30, 24)
    assert len(second.json()["results"]) == 6
    assert len(page_1) == 4  # category structure (cached afterwards), count, page ids, products
    # category lookups (the filter's and the attribute facets'), attribute definitions (cached
    # afterwards), count, page ids, products
    assert len(page_2) == 6


def test_category_list_is_the_visible_tree(api):
    # given
    home = category_create("Home")
    kitchen = category_create("Kitchen", parent=home)
    archive = category_create("Archive")
    category_create("Old", parent=archive)
    Category.objects.filter(pk=archive.pk).update(is_active=False)

    home.refresh_from_db()  # adding "Archive" sorted it before "Home" (node_order_by), moving its path
    kitchen.refresh_from_db()

    # when
    response = api.get(reverse("catalog-api:category-list"))

    # then
    assert response.status_code == 200
    assert response.json() == [
        {"id": home.pk, "name": "Home", "slug": "home", "depth": 1, "path": home.path, "parent_slug": None},
        {
            "id": kitchen.pk,
            "name": "Kitchen",
            "slug": "kitchen",
            "depth": 2,
            "path": kitchen.path,
            "parent_slug": "home",
        },
    ]


def test_category_detail_has_its_active_children_and_hidden_ones_are_404(api):
    # given
    home = category_create("Home")
    category_create("Kitchen", parent=home)
    garden = category_create("Garden", parent=home)
    Category.objects.filter(pk=garden.pk).update(is_active=False)

    # when
    response = api.get(reverse("catalog-api:category-detail", args=["home"]))
    hidden = api.get(reverse("catalog-api:category-detail", args=["garden"]))

    # then
    assert response.status_code == 200
    assert response.json()["children"] == [{"name": "Kitchen", "slug": "kitchen"}]
    assert response.json()["parent_slug"] is None
    assert hidden.status_code == 404


def test_schema_endpoint_generates(api):
    response = api.get(reverse("schema"))

    assert response.status_code == 200
    assert b"/api/catalog/products/{slug}/" in response.content


def test_api_root_links_the_catalog_lists(api):
    response = api.get(reverse("api-root"))

    assert response.json()["products"] == "http://testserver/api/catalog/products/"
    assert response.json()["categories"] == "http://testserver/api/catalog/categories/"
    assert response.json()["facets"] == "http://testserver/api/catalog/facets/"
    assert response.json()["seller-products"] == "http://testserver/api/seller/products/"
