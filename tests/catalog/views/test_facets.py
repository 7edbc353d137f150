"""The facet sidebar of category and search pages, and the same facets in the product list API."""

from decimal import Decimal

import pytest
from django.urls import reverse

from catalog import selectors
from catalog.models import CategoryAttribute
from tests.caches import caches_clear
from tests.factories import ProductFactory, ProductVariantFactory, SellerProfileFactory, category_create

pytestmark = pytest.mark.django_db

FACETED_CATEGORY_MAX = 10  # structure, category, ancestors, children, 3 facet queries, count, ids, cards


@pytest.fixture
def shelf():
    """A category with a subcategory, and products in both, varied in every faceted field; and a sold-out
    product, which listings leave out unless asked for."""
    root = category_create("Kitchen")
    knives = category_create("Knives", parent=root)
    good_seller = SellerProfileFactory(rating_avg=Decimal("4.50"))
    fair_seller = SellerProfileFactory(rating_avg=Decimal("3.20"))
    poor_seller = SellerProfileFactory(rating_avg=None)
    products = [
        ("pan", root, "Acme", "new", 1250, good_seller, 5),
        ("pot", root, "Zeta", "used", 3000, fair_seller, 3),
        ("knife", knives, "acme", "new", 999, poor_seller, 2),
        ("board", knives, "Birch", "refurbished", 4500, good_seller, 1),
        ("grater", knives, "Acme", "new", 1500, good_seller, 0),
    ]
    for slug, category, brand, condition, price, seller, stock in products:
        product = ProductFactory(
            slug=slug,
            title=slug.title(),
            category=category,
            brand=brand,
            condition=condition,
            price_amount=price,
            seller=seller,
        )
        ProductVariantFactory(product=product, stock=stock)
    ProductFactory(slug="elsewhere", category=category_create("Garden"), brand="Acme")
    return root


def _get(client, params=None, slug="kitchen"):
    return client.get(reverse("catalog:category-detail", args=[slug]), params or {})


def _listed(response) -> set[str]:
    return {p.slug for p in response.context["products"]}


def _counts(values) -> dict[str, int]:
    return {v.value: v.count for v in values}


def test_without_filters_the_facets_count_the_whole_subtree(client, shelf):
    response = _get(client)

    facets = response.context["facets"]
    assert _listed(response) == {"pan", "pot", "knife", "board"}
    assert facets.total == 4
    assert _counts(facets.brands) == {"Acme": 1, "Birch": 1, "Zeta": 1, "acme": 1}
    assert _counts(facets.conditions) == {"new": 2, "used": 1, "refurbished": 1}
    assert _counts(facets.seller_ratings) == {"4": 2, "3": 3}
    assert facets.in_stock.count == 4
    assert (facets.sold_out.count, facets.sold_out.selected) == (1, False)


def test_price_filter_takes_major_units(client, shelf):
    response = _get(client, {"min_price": "12.50", "max_price": "30"})

    assert _listed(response) == {"pan", "pot"}
    assert 'value="12.50"' in response.content.decode()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"min_price": "abc"}, "min_price"),
        ({"max_price": "-1"}, "max_price"),
        ({"min_price": "1.005"}, "min_price"),
    ],
)
def test_an_invalid_price_is_a_form_error_not_a_500_and_other_facets_still_apply(
    client, shelf, params, field
):
    response = _get(client, {**params, "condition": "used"})

    assert response.status_code == 200
    assert list(response.context["filter_form"].errors) == [field]
    assert 'class="field-error"' in response.content.decode()
    assert _listed(response) == {"pot"}


def test_a_min_price_above_the_max_price_is_a_form_error(client, shelf):
    response = _get(client, {"min_price": "40", "max_price": "10"})

    assert response.status_code == 200
    assert response.context["filter_form"].errors == {"min_price": ["Must not be greater than max_price."]}
    assert _listed(response) == {"knife"}


def test_brand_filter_takes_several_brands_in_any_case(client, shelf):
    response = _get(client, {"brand": ["ACME", "birch"]})

    facets = response.context["facets"]
    assert _listed(response) == {"pan", "knife", "board"}
    # the brand facet counts without its own filter, so the other brands stay choosable
    assert _counts(facets.brands) == {"Acme": 1, "Birch": 1, "Zeta": 1, "acme": 1}
    assert {v.value for v in facets.brands if v.selected} == {"Acme", "Birch", "acme"}


def test_condition_filter_and_the_other_facets_count_within_it(client, shelf):
    response = _get(client, {"condition": ["new", "refurbished"]})

    facets = response.context["facets"]
    assert _listed(response) == {"pan", "knife", "board"}
    assert _counts(facets.conditions) == {"new": 2, "used": 1, "refurbished": 1}
    assert _counts(facets.brands) == {"Acme": 1, "Birch": 1, "acme": 1}
    assert facets.in_stock.count == 3
    assert facets.sold_out.count == 1  # the grater is new too


def test_seller_rating_filter(client, shelf):
    assert _listed(_get(client, {"min_rating": "4"})) == {"pan", "board"}
    assert _listed(_get(client, {"min_rating": "3"})) == {"pan", "pot", "board"}


def test_a_sold_out_product_is_left_out_unless_asked_for_and_one_sku_in_stock_is_enough(client, shelf):
    # given a product with one SKU sold out and one in stock, besides the shelf's sold-out grater
    extra = ProductFactory(slug="kettle", category=shelf)
    ProductVariantFactory(product=extra, stock=0)
    ProductVariantFactory(product=extra, stock=1)

    # when
    default = _get(client)
    with_sold_out = _get(client, {"include_sold_out": "true"})

    # then
    assert _listed(default) == {"pan", "pot", "knife", "board", "kettle"}
    assert (default.context["facets"].total, default.context["facets"].sold_out.count) == (5, 1)
    assert _listed(with_sold_out) == {"pan", "pot", "knife", "board", "kettle", "grater"}
    facets = with_sold_out.context["facets"]
    assert (facets.total, facets.sold_out.count, facets.sold_out.selected) == (6, 1, True)
    assert _counts(facets.brands) == {"Acme": 3, "Birch": 1, "Zeta": 1, "acme": 1}


def test_in_stock_only_still_wins_over_include_sold_out(client, shelf):
    response = _get(client, {"in_stock": "true", "include_sold_out": "1"})

    assert _listed(response) == {"pan", "pot", "knife", "board"}


def test_the_sold_out_checkbox_shows_how_many_and_keeps_its_state(client, shelf):
    unticked = _get(client).content.decode()
    ticked = _get(client, {"include_sold_out": "true"}).content.decode()

    assert '<input type="checkbox" id="facet-sold-out" name="include_sold_out" value="true">' in unticked
    assert (
        '<label for="facet-sold-out">Include sold out <span class="facet-count">(1)</span></label>'
        in unticked
    )
    assert 'id="facet-sold-out" name="include_sold_out" value="true" checked' in ticked
    assert 'href="?">Clear filters</a>' in ticked
    # the sold-out card says so
    assert ticked.count('<span class="sold-out">Sold out</span>') == 1
    assert '<span class="sold-out">' not in unticked


def test_a_category_with_only_sold_out_products_offers_to_show_them(client):
    # given
    shelf = category_create("Bare")
    ProductVariantFactory(product=ProductFactory(slug="gone", category=shelf), stock=0)

    # when
    response = _get(client, slug="bare")

    # then
    html = response.content.decode()
    assert _listed(response) == set()
    assert "Everything in this category is sold out right now." in html
    assert '<a href="?include_sold_out=true">Show sold-out products</a>' in html
    assert _listed(_get(client, {"include_sold_out": "true"}, slug="bare")) == {"gone"}


def test_variant_attribute_facets_filter_and_count_products_not_variants(client):
    # given a category defining colour and size on its SKUs, two red products (one in two sizes) and a
    # blue one
    shelf = category_create("Shirts")
    _define(shelf, "colour", "Colour")
    _define(shelf, "size", "Size")
    red_tee = ProductFactory(slug="red-tee", category=shelf)
    ProductVariantFactory(product=red_tee, attributes={"colour": "Red", "size": "S"})
    ProductVariantFactory(product=red_tee, attributes={"colour": "Red", "size": "M"})
    red_cap = ProductFactory(slug="red-cap", category=shelf)
    ProductVariantFactory(product=red_cap, attributes={"colour": "Red"})
    blue_tee = ProductFactory(slug="blue-tee", category=shelf)
    ProductVariantFactory(product=blue_tee, attributes={"colour": "Blue", "size": "M"})

    # when
    everything = _get(client, slug="shirts")
    red_m = _get(client, {"colour": "Red", "size": "M"}, slug="shirts")

    # then
    attributes = {a.name: _counts(a.values) for a in everything.context["facets"].attributes}
    assert attributes == {"colour": {"Red": 2, "Blue": 1}, "size": {"M": 2, "S": 1}}
    assert _listed(red_m) == {"red-tee"}
    narrowed = {a.name: _counts(a.values) for a in red_m.context["facets"].attributes}
    assert narrowed == {"colour": {"Red": 1, "Blue": 1}, "size": {"M": 1, "S": 1}}
    assert "<legend>Colour</legend>" in everything.content.decode()


def test_unknown_facet_values_are_errors_and_ignored(client, shelf):
    response = _get(client, {"condition": "broken", "min_rating": "5", "in_stock": "maybe"})

    assert response.status_code == 200
    assert sorted(response.context["filter_form"].errors) == ["condition", "in_stock", "min_rating"]
    assert _listed(response) == {"pan", "pot", "knife", "board"}


def test_combined_facets_and_pagination_keep_the_query_string(client):
    # given 30 in-stock Acme products and a few that do not match
    category_create("Shelf")
    shelf = category_create("Top", parent=None, slug="top")
    for i in range(30):
        ProductVariantFactory(product=ProductFactory(slug=f"acme-{i}", category=shelf, brand="Acme"), stock=1)
    ProductVariantFactory(product=ProductFactory(slug="zeta", category=shelf, brand="Zeta"), stock=1)
    ProductVariantFactory(product=ProductFactory(slug="empty", category=shelf, brand="Acme"), stock=0)

    # when
    first = _get(client, {"brand": "Acme", "in_stock": "true", "sort": "price-asc"}, slug="top")
    second = _get(client, {"brand": "Acme", "in_stock": "true", "sort": "price-asc", "page": "2"}, slug="top")

    # then
    html = first.content.decode()
    assert first.context["page_obj"].paginator.count == 30
    assert 'href="?brand=Acme&amp;in_stock=true&amp;sort=price-asc&amp;page=2" rel="next"' in html
    assert len(second.context["products"]) == 6
    assert (
        'href="?brand=Acme&amp;in_stock=true&amp;sort=price-asc&amp;page=1" rel="prev"'
        in second.content.decode()
    )
    assert 'href="?sort=price-asc">Clear filters</a>' in html
    # "in stock only" is what listings show anyway: no box of its own, the sold-out one is left unticked
    assert '<input type="checkbox" id="facet-sold-out" name="include_sold_out" value="true">' in html


def test_the_sidebar_is_an_accessible_get_form(client, shelf):
    html = _get(client).content.decode()

    assert '<form method="get" id="facets-form" class="facets" aria-labelledby="facets-heading">' in html
    assert "<legend>Brand</legend>" in html
    assert '<label for="facet-condition-used">Used <span class="facet-count">(1)</span></label>' in html
    assert '<select id="sort-select" name="sort" form="facets-form">' in html
    assert "Clear filters" not in html


def test_search_page_has_the_same_facets_over_its_results(client, shelf):
    response = client.get(reverse("catalog:search"), {"q": "acme", "condition": "new"})

    assert _listed(response) == {"pan", "knife", "elsewhere"}  # not the sold-out grater
    assert response.context["facets"].total == 3
    assert 'name="q" value="acme"' in response.content.decode()


def test_search_leaves_sold_out_products_out_unless_asked_for(client, shelf):
    url = reverse("catalog:search")

    assert _listed(client.get(url, {"q": "grater"})) == set()
    assert _listed(client.get(url, {"q": "grater", "include_sold_out": "true"})) == {"grater"}
    assert _listed(client.get(url, {"q": "acme"})) == {"pan", "knife", "elsewhere"}
    assert _listed(client.get(url, {"q": "acme", "include_sold_out": "1"})) == {
        "pan",
        "knife",
        "grater",
        "elsewhere",
    }


def test_a_search_that_finds_only_sold_out_products_offers_to_show_them(client, shelf):
    response = client.get(reverse("catalog:search"), {"q": "grater"})

    html = response.content.decode()
    assert "No products match “grater”." in html
    assert "1 sold-out product matches." in html
    assert '<a href="?q=grater&amp;include_sold_out=true">Show sold-out products</a>' in html


def test_api_accepts_the_same_facets(client, shelf):
    url = "/api/catalog/products/"

    def slugs(params):
        return {p["slug"] for p in client.get(url, {"category": "kitchen", **params}).json()["results"]}

    assert slugs({"brand": ["acme", "zeta"]}) == {"pan", "pot", "knife"}
    assert slugs({"brand": ["acme", "zeta"], "include_sold_out": "true"}) == {"pan", "pot", "knife", "grater"}
    assert slugs({"in_stock": "true", "include_sold_out": "true"}) == {"pan", "pot", "knife", "board"}
    assert slugs({"min_rating": "4"}) == {"pan", "board"}
    assert slugs({"condition": ["used", "refurbished"]}) == {"pot", "board"}
    assert slugs({"min_price": 1000, "max_price": 3000}) == {"pan", "pot"}
    assert slugs({"colour": "Red"}) == {"pan", "pot", "knife", "board"}  # kitchen has no colour: ignored


@pytest.mark.parametrize(
    "params",
    [
        {"in_stock": "yes"},
        {"include_sold_out": "yes"},
        {"min_rating": "5"},
        {"condition": "broken"},
        {"brand": "x" * 81},
    ],
)
def test_api_unknown_facet_values_are_400_with_a_field_error(client, shelf, params):
    response = client.get("/api/catalog/products/", params)

    assert response.status_code == 400
    assert list(response.json()) == list(params)


def _add_products(count: int, *, category) -> None:
    seller = SellerProfileFactory(rating_avg=Decimal("4.80"))
    for i in range(count):
        product = ProductFactory(category=category, brand=f"Brand {i % 3}", seller=seller)
        ProductVariantFactory(product=product, stock=i % 2)


def test_a_category_page_with_two_facets_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
):
    # given a category with a parent (so breadcrumbs query ancestors) and a subcategory
    root = category_create("Root")
    middle = category_create("Middle", parent=root)
    leaf = category_create("Leaf", parent=middle)
    params = {"brand": ["Brand 0", "Brand 1"], "in_stock": "true"}
    counts = []

    for _round in range(2):  # 24 products, then 48
        _add_products(12, category=middle)
        _add_products(12, category=leaf)

        # when (with a cold cache, as the header nav is one query on a miss)
        caches_clear()
        with django_assert_max_num_queries(FACETED_CATEGORY_MAX) as captured:
            response = _get(client, params, slug="middle")

        # then
        assert response.status_code == 200
        counts.append(len(captured))

    assert response.context["facets"].total == 24  # half the products are sold out
    assert len(response.context["products"]) == 16
    assert counts == [FACETED_CATEGORY_MAX, FACETED_CATEGORY_MAX]


def test_facet_counts_stay_three_queries_for_any_number_of_brands(django_assert_num_queries):
    root = category_create("Root")
    _add_products(90, category=root)
    filters = selectors.ProductFacetFilters(brands=("Brand 0",), in_stock=True)
    selectors.category_inactive_paths()  # the cached tree structure, read by every listing

    with django_assert_num_queries(3):
        facets = selectors.product_facet_counts(
            selectors.product_list_unfiltered(category=root),
            filters=filters,
            facet_attributes=[
                selectors.FacetAttribute("colour", "Colour"),
                selectors.FacetAttribute("size", "Size"),
            ],
        )

    assert _counts(facets.brands) == {"Brand 0": 15, "Brand 1": 15, "Brand 2": 15}
    assert (facets.total, facets.sold_out.count) == (45, 15)  # half are sold out, a third of them Brand 0


def _define(category, code, name, *, type_="choice", scope="variant", **extra):
    return CategoryAttribute.objects.create(
        category=category, code=code, name=name, type=type_, scope=scope, **extra
    )


def test_product_attribute_and_yes_no_facets_come_from_the_category_and_its_ancestors(client):
    # given "material" defined on the parent, "vegan" (yes/no) on the category itself
    beauty = category_create("Beauty")
    soaps = category_create("Soaps", parent=beauty)
    _define(beauty, "material", "Material", scope="product", choices=["Olive oil", "Goat milk"])
    _define(soaps, "vegan", "Vegan", type_="boolean", scope="product")
    _define(soaps, "notes", "Notes", type_="text", scope="product", is_facet=False)
    ProductFactory(slug="olive", category=soaps, attributes={"material": "Olive oil", "vegan": True})
    ProductFactory(slug="goat", category=soaps, attributes={"material": "Goat milk", "vegan": False})
    ProductFactory(slug="plain", category=soaps, attributes={"notes": "Unscented"})

    # when
    everything = _get(client, slug="soaps")
    vegan = _get(client, {"vegan": "true"}, slug="soaps")

    # then
    facets = {a.label: {v.label: v.count for v in a.values} for a in everything.context["facets"].attributes}
    assert facets == {"Material": {"Olive oil": 1, "Goat milk": 1}, "Vegan": {"Yes": 1, "No": 1}}
    assert _listed(vegan) == {"olive"}
    narrowed = {a.name: _counts(a.values) for a in vegan.context["facets"].attributes}
    assert narrowed == {"material": {"Olive oil": 1}, "vegan": {"true": 1, "false": 1}}
    assert _listed(_get(client, {"material": "Goat milk"}, slug="soaps")) == {"goat"}


def test_the_facets_api_counts_the_attributes_of_the_category_asked_for(client):
    shirts = category_create("Shirts")
    _define(shirts, "colour", "Colour")
    ProductVariantFactory(product=ProductFactory(category=shirts), attributes={"colour": "Red"})
    ProductVariantFactory(product=ProductFactory(category=shirts), attributes={"colour": "Blue"})

    body = client.get("/api/catalog/facets/", {"category": "shirts", "colour": "Red"}).json()
    listed = client.get("/api/catalog/products/", {"category": "shirts", "colour": "Red"}).json()

    assert body["attributes"] == [
        {
            "name": "colour",
            "label": "Colour",
            "values": [
                {"value": "Blue", "label": "Blue", "count": 1, "selected": False},
                {"value": "Red", "label": "Red", "count": 1, "selected": True},
            ],
        }
    ]
    assert listed["count"] == 1
