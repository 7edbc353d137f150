"""Cached listings never show a change late: a write that changes what listings show starts a new
cache generation when it commits."""

import pytest
from django.urls import reverse

from accounts.services import seller_suspend
from analytics.models import Event
from analytics.services import events_flush
from catalog.services import stock_adjust
from catalog.services_listing import VariantInput, product_seller_transition, product_update
from tests.factories import OperatorFactory, ProductFactory, ProductVariantFactory, category_create

pytestmark = pytest.mark.django_db


def _titles(response) -> list[str]:
    return [product.title for product in response.context["products"]]


@pytest.fixture
def shelf():
    return category_create("Shelf")


def _listing(client, slug="shelf"):
    return client.get(reverse("catalog:category-detail", args=[slug]))


def test_a_delisted_product_leaves_a_cached_category_page_at_once(
    client, shelf, django_capture_on_commit_callbacks
):
    # given a category page in the cache with two products
    lamp = ProductFactory(title="Lamp", category=shelf)
    ProductVariantFactory(product=lamp)
    ProductFactory(title="Vase", category=shelf)
    assert sorted(_titles(_listing(client))) == ["Lamp", "Vase"]

    # when the seller delists one
    with django_capture_on_commit_callbacks(execute=True):
        product_seller_transition(
            seller_id=lamp.seller_id, product_id=lamp.id, action="delist", actor_id=None
        )

    # then the next request no longer shows it, and the count follows
    response = _listing(client)
    assert _titles(response) == ["Vase"]
    assert "1 product" in response.context["listing_html"]


def test_a_product_that_sells_out_leaves_cached_listings_at_once_and_comes_back_when_restocked(
    client, shelf, django_capture_on_commit_callbacks
):
    # given a category page and a search in the cache, each with two products
    lamp = ProductFactory(title="Brass lamp", category=shelf)
    variant = ProductVariantFactory(product=lamp, stock=1)
    ProductVariantFactory(product=ProductFactory(title="Brass vase", category=shelf))
    search = reverse("catalog:search")
    assert sorted(_titles(_listing(client))) == ["Brass lamp", "Brass vase"]
    assert sorted(_titles(client.get(search, {"q": "brass"}))) == ["Brass lamp", "Brass vase"]

    # when the last lamp is sold
    with django_capture_on_commit_callbacks(execute=True):
        stock_adjust(variant_id=variant.id, delta=-1, reason="reservation")

    # then neither shows it any more, unless sold-out products are asked for
    assert _titles(_listing(client)) == ["Brass vase"]
    assert _titles(client.get(search, {"q": "brass"})) == ["Brass vase"]
    with_sold_out = client.get(search, {"q": "brass", "include_sold_out": "true"})
    assert sorted(_titles(with_sold_out)) == ["Brass lamp", "Brass vase"]

    # and a restock brings it back at once
    with django_capture_on_commit_callbacks(execute=True):
        stock_adjust(variant_id=variant.id, delta=3, reason="restock")
    assert sorted(_titles(_listing(client))) == ["Brass lamp", "Brass vase"]


def test_a_new_price_shows_on_a_cached_category_page_at_once(
    client, shelf, django_capture_on_commit_callbacks
):
    # given
    lamp = ProductFactory(title="Lamp", category=shelf, price_amount=1999)
    variant = ProductVariantFactory(product=lamp, sku="LAMP-1", price_amount=1999)
    assert "$19.99" in _listing(client).context["listing_html"]

    # when
    with django_capture_on_commit_callbacks(execute=True):
        product_update(
            seller_id=lamp.seller_id,
            product_id=lamp.id,
            actor_id=None,
            title="Lamp",
            category_id=shelf.id,
            variants=[VariantInput(id=variant.id, sku="LAMP-1", price_amount=2500, stock=10)],
        )

    # then
    html = _listing(client).context["listing_html"]
    assert "$25.00" in html
    assert "$19.99" not in html


def test_a_suspended_sellers_products_leave_cached_search_results_at_once(
    client, shelf, django_capture_on_commit_callbacks
):
    # given
    lamp = ProductFactory(title="Brass lamp", category=shelf)
    ProductFactory(title="Brass vase", category=shelf)
    assert len(client.get(reverse("catalog:search"), {"q": "brass"}).context["products"]) == 2

    # when
    with django_capture_on_commit_callbacks(execute=True):
        seller_suspend(seller_id=lamp.seller_id, actor=OperatorFactory(), reason="Counterfeits")

    # then
    response = client.get(reverse("catalog:search"), {"q": "brass"})
    assert _titles(response) == ["Brass vase"]


def test_a_page_served_from_the_page_cache_still_records_the_visit_and_the_search(client, shelf):
    # given
    ProductFactory(title="Brass lamp", category=shelf)
    events_flush()

    # when the same category page and the same search are asked for twice (the second time cached)
    for _ in range(2):
        assert _listing(client).status_code == 200
        assert client.get(reverse("catalog:search"), {"q": "brass"}).status_code == 200
    events_flush()

    # then every request left its events
    views = Event.objects.filter(type="page_view", object_type="catalog.category")
    assert list(views.values_list("object_id", flat=True)) == [str(shelf.pk)] * 2
    searches = Event.objects.filter(type="search").values_list("properties", flat=True)
    assert list(searches) == [{"q": "brass", "results": 1}] * 2


def test_a_cached_product_page_shows_a_stock_change_at_once(
    client, shelf, django_capture_on_commit_callbacks, django_assert_num_queries
):
    # given a product page seen once (and so cached), with 1 unit left
    lamp = ProductFactory(slug="lamp", title="Lamp", category=shelf)
    variant = ProductVariantFactory(product=lamp, stock=1)
    url = reverse("catalog:product-detail", args=["lamp"])
    assert b"Out of stock" not in client.get(url).content

    # when the last unit goes
    with django_capture_on_commit_callbacks(execute=True):
        stock_adjust(variant_id=variant.id, delta=-1, reason="reservation")

    # then the next visitor sees it sold out, and the page after that comes from the cache again
    assert b"Out of stock" in client.get(url).content
    with django_assert_num_queries(0):
        assert b"Out of stock" in client.get(url).content
