import pytest

from accounts.models import SellerProfile
from catalog import selectors
from catalog.models import Category, Product
from tests.factories import (
    ProductFactory,
    ProductVariantFactory,
    SellerProfileFactory,
    TagFactory,
    category_create,
)

pytestmark = pytest.mark.django_db


def _slugs(queryset) -> list[str]:
    return [p.slug for p in queryset]


def test_only_active_products_of_approved_sellers_in_active_categories_are_visible():
    # given
    shelf = category_create("Shelf")
    hidden_shelf = category_create("Hidden shelf")
    Category.objects.filter(pk=hidden_shelf.pk).update(is_active=False)
    ProductFactory(slug="visible", category=shelf)
    ProductFactory(slug="draft", category=shelf, status=Product.Status.DRAFT)
    ProductFactory(slug="delisted", category=shelf, status=Product.Status.DELISTED)
    ProductFactory(
        slug="suspended-seller",
        category=shelf,
        seller=SellerProfileFactory(status=SellerProfile.Status.SUSPENDED),
    )
    ProductFactory(
        slug="pending-seller",
        category=shelf,
        seller=SellerProfileFactory(status=SellerProfile.Status.PENDING),
    )
    ProductFactory(slug="inactive-category", category=hidden_shelf)

    # when
    visible = _slugs(selectors.product_list_visible())

    # then
    assert visible == ["visible"]
    assert selectors.product_get_visible(slug="visible").slug == "visible"
    assert selectors.product_get_visible(slug="draft") is None
    assert selectors.product_get_visible(slug="suspended-seller") is None
    assert selectors.product_get_visible(slug="inactive-category") is None


def test_category_listing_covers_the_whole_subtree_and_nothing_else():
    # given
    electronics = category_create("Electronics")
    phones = category_create("Phones", parent=electronics)
    cases = category_create("Cases", parent=phones)
    garden = category_create("Garden")
    ProductFactory(slug="tv", category=electronics)
    ProductFactory(slug="phone", category=phones)
    ProductFactory(slug="case", category=cases)
    ProductFactory(slug="rake", category=garden)

    # when
    in_electronics = set(_slugs(selectors.product_list(category=electronics)))
    in_phones = set(_slugs(selectors.product_list(category=phones)))

    # then
    assert in_electronics == {"tv", "phone", "case"}
    assert in_phones == {"phone", "case"}


def test_sorting_by_price_both_ways_and_unknown_sort_falls_back_to_newest():
    # given
    shelf = category_create("Shelf")
    ProductFactory(slug="mid", category=shelf, price_amount=500)
    ProductFactory(slug="cheap", category=shelf, price_amount=100)
    ProductFactory(slug="dear", category=shelf, price_amount=900)

    # when / then
    assert _slugs(selectors.product_list(sort="price-asc")) == ["cheap", "mid", "dear"]
    assert _slugs(selectors.product_list(sort="price-desc")) == ["dear", "mid", "cheap"]
    assert selectors.product_sort_parse("price-asc") == selectors.ProductSort.PRICE_ASC
    assert selectors.product_sort_parse("drop table") == selectors.ProductSort.NEWEST
    assert selectors.product_sort_parse(None) == selectors.ProductSort.NEWEST


def test_listing_carries_the_compare_at_price_of_the_cheapest_variant():
    # given
    product = ProductFactory(price_amount=1000)
    ProductVariantFactory(product=product, price_amount=1500, compare_at_amount=3000, position=0)
    ProductVariantFactory(product=product, price_amount=1000, compare_at_amount=1200, position=1)

    # when
    listed = selectors.product_list().get()

    # then
    assert listed.compare_at_amount == 1200


def test_search_needs_every_word_and_matches_title_brand_description_and_tags():
    # given
    shelf = category_create("Shelf")
    ProductFactory(
        slug="lamp", category=shelf, title="Brass desk lamp", brand="Lumo", tags=[TagFactory(name="vintage")]
    )
    ProductFactory(slug="chair", category=shelf, title="Oak chair", description="A sturdy vintage chair.")
    ProductFactory(slug="mug", category=shelf, title="Mug", brand="Lumo")

    # when / then
    assert set(_slugs(selectors.product_list(query="VINTAGE"))) == {"lamp", "chair"}
    assert _slugs(selectors.product_list(query="vintage lumo")) == ["lamp"]
    assert _slugs(selectors.product_list(query="lamp chair")) == []


def test_a_product_with_two_matching_tags_is_listed_once():
    # given
    ProductFactory(slug="scarf", title="Scarf", tags=[TagFactory(name="wool"), TagFactory(name="woolly")])

    # when
    found = _slugs(selectors.product_list(query="wool"))

    # then
    assert found == ["scarf"]


def test_visible_categories_hide_an_inactive_branch_and_name_the_parent():
    # given
    home = category_create("Home")
    kitchen = category_create("Kitchen", parent=home)
    category_create("Knives", parent=kitchen)
    archive = category_create("Archive")
    category_create("Old stuff", parent=archive)
    Category.objects.filter(pk=archive.pk).update(is_active=False)

    # when
    visible = [(c.slug, c.parent_slug) for c in selectors.category_list_visible()]

    # then
    assert visible == [("home", None), ("kitchen", "home"), ("knives", "kitchen")]
    assert selectors.category_get_visible(slug="old-stuff") is None
    assert [
        c.slug for c in selectors.category_list_ancestors(category=Category.objects.get(slug="knives"))
    ] == [
        "home",
        "kitchen",
    ]


def test_top_categories_are_the_active_roots_and_cached():
    # given
    category_create("Books")
    toys = category_create("Toys")
    category_create("Puzzles", parent=toys)
    hidden = category_create("Hidden")
    Category.objects.filter(pk=hidden.pk).update(is_active=False)

    # when
    first = selectors.category_list_top()
    category_create("Music")
    second = selectors.category_list_top()

    # then
    assert first == [{"name": "Books", "slug": "books"}, {"name": "Toys", "slug": "toys"}]
    assert second == first


def test_only_approved_sellers_have_a_storefront():
    SellerProfileFactory(slug="open")
    SellerProfileFactory(slug="closed", status=SellerProfile.Status.SUSPENDED)

    assert selectors.seller_get_visible(slug="open").slug == "open"
    assert selectors.seller_get_visible(slug="closed") is None


def test_the_cart_reads_the_same_visibility_as_the_listings():
    # given: every way a product can be hidden, including below an inactive ancestor category
    shelf = category_create("Shelf")
    closed = category_create("Closed")
    inner = category_create("Inner", parent=closed)
    Category.objects.filter(pk=closed.pk).update(is_active=False)
    products = [
        ProductFactory(slug="visible", category=shelf),
        ProductFactory(slug="draft", category=shelf, status=Product.Status.DRAFT),
        ProductFactory(
            slug="suspended-seller",
            category=shelf,
            seller=SellerProfileFactory(status=SellerProfile.Status.SUSPENDED),
        ),
        ProductFactory(slug="inactive-category", category=closed),
        ProductFactory(slug="inactive-ancestor", category=inner),
    ]
    variants = [ProductVariantFactory(product=product) for product in products]

    # when
    by_cart = selectors.variant_map_for_cart(variant_ids=[v.pk for v in variants])

    # then
    visible = set(_slugs(selectors.product_list_visible()))
    assert {v.product.slug for v in by_cart.values() if v.purchasable} == visible == {"visible"}
    assert len(by_cart) == len(variants)


def test_category_ancestor_ids_go_up_to_the_root():
    home = category_create("Home")
    kitchen = category_create("Kitchen", parent=home)
    knives = category_create("Knives", parent=kitchen)
    garden = category_create("Garden")
    for category in (knives, garden):
        category.refresh_from_db()  # sorted siblings: adding "Garden" moved the "Home" subtree's paths

    ancestors = selectors.category_ancestor_ids(paths=[knives.path, garden.path])

    assert ancestors == {
        knives.path: frozenset({home.pk, kitchen.pk, knives.pk}),
        garden.path: frozenset({garden.pk}),
    }
    assert selectors.category_ancestor_ids(paths=[]) == {}
