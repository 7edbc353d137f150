"""Storefront pages run a fixed number of SQL queries however many products a page shows.

Bounds are measured with a cold cache and an anonymous visitor; a signed-in visitor adds the session
and user lookups. A listing page's ids, counts, facets and rendered grid are cached, so the same page
again costs no query at all until the cache expires or the catalogue changes.
"""

import pytest
from django.urls import reverse

from tests.caches import caches_clear
from tests.factories import (
    ProductFactory,
    ProductVariantFactory,
    SellerProfileFactory,
    TagFactory,
    UserFactory,
    category_create,
)

pytestmark = pytest.mark.django_db

# "ids, cards": a listing reads the ids of a page (cached), then the cards of those ids (live).
HOME_MAX = 5  # category structure (nav + hidden branches), new arrivals ids, cards, best sellers ids, cards
CATEGORY_MAX = 10  # structure, category, ancestors, children, 3 facet queries, count, ids, cards
SELLER_STORE_MAX = 5  # structure, seller, count, ids, cards
SEARCH_MAX = 6  # structure, 2 facet queries (no attribute facets across categories), count, ids, cards
# structure, slug->id (cached), product+seller+category, variants, images, tags, ancestors, reviews
PRODUCT_MAX = 8


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
    caches_clear()
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


@pytest.mark.parametrize(
    ("name", "args", "params"),
    [
        ("catalog:home", [], {}),
        ("catalog:category-detail", ["middle"], {"sort": "price-asc", "in_stock": "true"}),
        ("catalog:search", [], {"q": "widget", "page": "2"}),
    ],
)
def test_the_same_listing_again_is_served_from_the_cache_without_a_query(
    client, tree, django_assert_num_queries, name, args, params
):
    # given a page seen once
    _add_products(30, categories=[tree["middle"], tree["leaf"]])
    url = reverse(name, args=args)
    first = client.get(url, params)

    # when it is asked for again (with a tracking parameter that does not change the listing)
    with django_assert_num_queries(0):
        again = client.get(url, {**params, "utm_source": "newsletter"})

    # then it is the same page, from the anonymous page cache
    assert again.status_code == first.status_code == 200
    assert b'class="product-card"' in first.content
    assert again.content == first.content


def test_a_signed_in_visitor_is_never_served_the_anonymous_page(client, tree):
    # given a category page cached for anonymous visitors
    _add_products(3, categories=[tree["leaf"]])
    url = reverse("catalog:category-detail", args=["leaf"])
    assert b"Sign in" in client.get(url).content
    user = UserFactory(first_name="Ada")

    # when a shopper signs in and opens it
    client.force_login(user)
    response = client.get(url)

    # then they see their own header and the same products
    assert user.public_name.encode() in response.content
    assert response.content.count(b'class="product-card"') == 3
