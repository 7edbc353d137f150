"""Storefront pages run a fixed number of SQL queries however many products a page shows.

Bounds are measured with a cold cache (the header category nav is one query on a miss) and an
anonymous visitor; a signed-in visitor adds the session and user lookups.
"""

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.factories import (
    ProductFactory,
    ProductVariantFactory,
    SellerProfileFactory,
    TagFactory,
    category_create,
)

pytestmark = pytest.mark.django_db

HOME_MAX = 3  # category structure (nav + hidden branches), new arrivals, best sellers
CATEGORY_MAX = 9  # nav, category, ancestors, children, facet totals, brands, attributes, count, page
SELLER_STORE_MAX = 4  # nav, seller, count, page
SEARCH_MAX = 6  # nav, facet totals, brands, attributes, count, page
PRODUCT_MAX = 6  # category structure, product+seller+category, variants, images, tags, ancestors


@pytest.fixture
def tree():
    root = category_create("Root")
    middle = category_create("Middle", parent=root)
    leaf = category_create("Leaf", parent=middle)
    return {"root": root, "middle": middle, "leaf": leaf}


def _add_products(count: int, *, categories, seller=None) -> None:
    """Products as varied as a real page: own sellers (unless given), variants with compare-at, tags."""
    tag = TagFactory(name="widget")
    for i in range(count):
        product = ProductFactory(
            title=f"Widget {i}",
            category=categories[i % len(categories)],
            seller=seller or SellerProfileFactory(),
            sales_count=i,
            rating_avg="4.20",
            rating_count=i,
        )
        ProductVariantFactory(product=product, compare_at_amount=product.price_amount + 500)
        ProductVariantFactory(product=product, price_amount=product.price_amount + 100, stock=0)
        product.tags.add(tag)


def _get(client, url, bound, assert_max, params=None):
    cache.clear()
    with assert_max(bound) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured)


def test_category_page_queries_do_not_grow_with_the_number_of_products(
    client, tree, django_assert_max_num_queries
):
    # given 24 products on the page
    url = reverse("catalog:category-detail", args=["middle"])
    _add_products(24, categories=[tree["middle"], tree["leaf"]])
    with_24 = _get(client, url, CATEGORY_MAX, django_assert_max_num_queries)

    # when there are 48 (a full first page and a full second page)
    _add_products(24, categories=[tree["middle"], tree["leaf"]])
    with_48 = _get(client, url, CATEGORY_MAX, django_assert_max_num_queries)
    page_2 = _get(client, url, CATEGORY_MAX, django_assert_max_num_queries, {"page": 2, "sort": "rating"})

    # then
    assert with_24 == with_48 == page_2 == CATEGORY_MAX


def test_home_queries_do_not_grow_with_the_number_of_products(client, tree, django_assert_max_num_queries):
    _add_products(12, categories=[tree["leaf"]])
    with_12 = _get(client, reverse("catalog:home"), HOME_MAX, django_assert_max_num_queries)

    _add_products(24, categories=[tree["leaf"]])
    with_36 = _get(client, reverse("catalog:home"), HOME_MAX, django_assert_max_num_queries)

    assert with_12 == with_36 == HOME_MAX


def test_seller_store_queries_do_not_grow_with_the_number_of_products(
    client, tree, django_assert_max_num_queries
):
    seller = SellerProfileFactory(slug="busy")
    url = reverse("catalog:seller-store", args=["busy"])
    _add_products(24, categories=[tree["leaf"], tree["root"]], seller=seller)
    with_24 = _get(client, url, SELLER_STORE_MAX, django_assert_max_num_queries)

    _add_products(24, categories=[tree["leaf"], tree["root"]], seller=seller)
    with_48 = _get(client, url, SELLER_STORE_MAX, django_assert_max_num_queries)

    assert with_24 == with_48 == SELLER_STORE_MAX


def test_search_queries_do_not_grow_with_the_number_of_results(client, tree, django_assert_max_num_queries):
    url = reverse("catalog:search")
    _add_products(24, categories=[tree["leaf"]])
    with_24 = _get(client, url, SEARCH_MAX, django_assert_max_num_queries, {"q": "widget"})

    _add_products(24, categories=[tree["leaf"]])
    with_48 = _get(client, url, SEARCH_MAX, django_assert_max_num_queries, {"q": "widget"})

    assert with_24 == with_48 == SEARCH_MAX


def test_product_page_queries_do_not_grow_with_variants_or_tags(client, tree, django_assert_max_num_queries):
    # given a product with one variant and one tag, and one with ten of each
    small = ProductFactory(category=tree["leaf"])
    ProductVariantFactory(product=small)
    small.tags.add(TagFactory(name="one"))
    big = ProductFactory(category=tree["leaf"])
    for i in range(10):
        ProductVariantFactory(product=big, stock=i)
        big.tags.add(TagFactory(name=f"tag-{i}"))

    # when
    for_small = _get(
        client,
        reverse("catalog:product-detail", args=[small.slug]),
        PRODUCT_MAX,
        django_assert_max_num_queries,
    )
    for_big = _get(
        client, reverse("catalog:product-detail", args=[big.slug]), PRODUCT_MAX, django_assert_max_num_queries
    )

    # then
    assert for_small == for_big == PRODUCT_MAX
