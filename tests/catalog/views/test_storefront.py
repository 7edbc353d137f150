import json
import re

import pytest
from django.urls import reverse

from accounts.models import SellerProfile
from analytics.models import Event
from analytics.services import events_flush
from catalog.models import Category, Product
from tests.factories import (
    ProductFactory,
    ProductVariantFactory,
    SellerProfileFactory,
    TagFactory,
    category_create,
)

pytestmark = pytest.mark.django_db

JSONLD_RE = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def _listed_slugs(response) -> list[str]:
    return [p.slug for p in response.context["products"]]


def _jsonld(response) -> dict:
    return json.loads(JSONLD_RE.search(response.content.decode()).group(1))


# --- home -----------------------------------------------------------------------------------------


def test_home_shows_category_tiles_new_arrivals_and_best_sellers(client):
    # given
    books = category_create("Books")
    category_create("Novels", parent=books)
    ProductFactory(slug="fresh", title="Fresh book", category=books)
    ProductFactory(slug="hit", title="Hit book", category=books, sales_count=40)
    ProductFactory(slug="secret", title="Secret draft", category=books, status=Product.Status.DRAFT)

    # when
    response = client.get(reverse("catalog:home"))

    # then
    assert response.status_code == 200
    assert response.context["nav_categories"] == [{"name": "Books", "slug": "books"}]
    assert [p.slug for p in response.context["new_arrivals"]] == ["hit", "fresh"]
    assert [p.slug for p in response.context["best_sellers"]] == ["hit"]
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert 'href="/c/books/"' in html
    assert "Secret draft" not in html


# --- category -------------------------------------------------------------------------------------


def test_category_page_lists_the_subtree_with_breadcrumbs_and_subcategories(client):
    # given
    electronics = category_create("Electronics")
    phones = category_create("Phones", parent=electronics)
    cases = category_create("Cases", parent=phones)
    ProductFactory(slug="phone", category=phones)
    ProductFactory(slug="case", category=cases)
    ProductFactory(slug="tv", category=electronics)

    # when
    response = client.get(reverse("catalog:category-detail", args=["phones"]))

    # then
    assert response.status_code == 200
    assert set(_listed_slugs(response)) == {"phone", "case"}
    assert [c["label"] for c in response.context["breadcrumbs"]] == ["Home", "Electronics", "Phones"]
    assert [c.slug for c in response.context["subcategories"]] == ["cases"]
    html = response.content.decode()
    assert '<nav class="breadcrumbs" aria-label="Breadcrumb">' in html
    assert '<span aria-current="page">Phones</span>' in html
    assert 'href="/c/cases/"' in html


def test_category_page_view_is_recorded_with_the_category(client):
    # given
    category = category_create("Garden")

    # when
    client.get(reverse("catalog:category-detail", args=["garden"]))
    events_flush()

    # then
    event = Event.objects.get(type="page_view")
    assert (event.object_type, event.object_id) == ("catalog.category", str(category.pk))


def test_category_page_sorts_by_price(client):
    # given
    shelf = category_create("Shelf")
    ProductFactory(slug="mid", category=shelf, price_amount=500)
    ProductFactory(slug="cheap", category=shelf, price_amount=100)
    ProductFactory(slug="dear", category=shelf, price_amount=900)
    url = reverse("catalog:category-detail", args=["shelf"])

    # when
    ascending = client.get(url, {"sort": "price-asc"})
    descending = client.get(url, {"sort": "price-desc"})
    unknown = client.get(url, {"sort": "nonsense"})

    # then
    assert _listed_slugs(ascending) == ["cheap", "mid", "dear"]
    assert _listed_slugs(descending) == ["dear", "mid", "cheap"]
    assert unknown.status_code == 200
    assert unknown.context["sort"] == "newest"
    assert '<option value="price-asc" selected>' in ascending.content.decode()


def test_category_page_paginates_24_per_page_and_tolerates_bad_page_numbers(client):
    # given
    shelf = category_create("Shelf")
    ProductFactory.create_batch(25, category=shelf)
    url = reverse("catalog:category-detail", args=["shelf"])

    # when
    first = client.get(url)
    second = client.get(url, {"page": 2, "sort": "price-asc"})
    garbage = client.get(url, {"page": "abc"})
    beyond = client.get(url, {"page": 999})

    # then
    assert len(first.context["products"]) == 24
    assert len(second.context["products"]) == 1
    assert (garbage.status_code, garbage.context["page_obj"].number) == (200, 1)
    assert (beyond.status_code, beyond.context["page_obj"].number) == (200, 2)
    assert '<nav class="pagination" aria-label="Pagination">' in first.content.decode()
    assert 'href="?page=2"' in first.content.decode()
    assert 'href="?page=1&amp;sort=price-asc"' in second.content.decode()


def test_inactive_category_and_its_subcategories_are_404(client):
    # given
    archive = category_create("Archive")
    category_create("Old", parent=archive)
    Category.objects.filter(pk=archive.pk).update(is_active=False)

    # when / then
    assert client.get(reverse("catalog:category-detail", args=["archive"])).status_code == 404
    assert client.get(reverse("catalog:category-detail", args=["old"])).status_code == 404
    assert client.get(reverse("catalog:category-detail", args=["missing"])).status_code == 404


# --- product --------------------------------------------------------------------------------------


def test_product_page_shows_variants_prices_stock_seller_and_json_ld(client):
    # given
    category = category_create("Shoes")
    seller = SellerProfileFactory(shop_name="Cobbler & Co", slug="cobbler")
    product = ProductFactory(
        slug="boot", title="Walking boot", brand="Trek", category=category, seller=seller, price_amount=5000
    )
    small = ProductVariantFactory(product=product, sku="BOOT-S", name="Small", price_amount=5000, stock=0)
    large = ProductVariantFactory(
        product=product, sku="BOOT-L", name="Large", price_amount=5500, compare_at_amount=7000, stock=2
    )
    product.tags.add(TagFactory(name="hiking"))

    # when
    response = client.get(reverse("catalog:product-detail", args=["boot"]))

    # then
    assert response.status_code == 200
    assert response.context["variants"] == [small, large]
    assert response.context["selected_variant"] == large  # the first one in stock
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "<title>Walking boot · Marketplace</title>" in html
    assert '<link rel="canonical" href="http://testserver/p/boot/">' in html
    assert 'name="variant"' in html
    assert "$55.00" in html
    assert '<s class="compare-at"><span class="visually-hidden">Was: </span>$70.00</s>' in html
    assert "Only 2 left" in html
    assert "hiking" in html
    assert 'href="/shops/cobbler/"' in html
    assert "Cobbler &amp; Co" in html
    # The add-to-cart form carries no CSRF token (the page is shared from a cache) and adds the
    # selected, in-stock SKU.
    assert f'<form method="post" action="{reverse("orders:cart-add")}" class="add-to-cart">' in html
    assert f'<input type="hidden" name="variant" value="{large.pk}">' in html
    assert "csrfmiddlewaretoken" not in html
    data = _jsonld(response)
    assert data["@type"] == "Product"
    assert data["name"] == "Walking boot"
    assert data["brand"] == {"@type": "Brand", "name": "Trek"}
    assert [(o["sku"], o["price"], o["availability"]) for o in data["offers"]] == [
        ("BOOT-S", "50.00", "https://schema.org/OutOfStock"),
        ("BOOT-L", "55.00", "https://schema.org/InStock"),
    ]


def test_a_sold_out_product_keeps_its_page_with_a_badge_and_no_add_to_cart(client):
    # given a product whose every SKU has sold out
    product = ProductFactory(slug="boot", title="Walking boot")
    small = ProductVariantFactory(product=product, name="Small", stock=0)
    large = ProductVariantFactory(product=product, name="Large", stock=0)

    # when
    response = client.get(reverse("catalog:product-detail", args=["boot"]))

    # then the page is there, says so, and offers nothing to buy
    assert response.status_code == 200
    html = response.content.decode()
    assert '<p><span class="sold-out">Sold out</span></p>' in html
    assert 'class="add-to-cart"' not in html
    assert (
        '<button type="button" disabled aria-describedby="sold-out-note">Add to cart</button> '
        '<span class="muted" id="sold-out-note">This product is sold out. The seller may restock it later.</span>'
    ) in html
    # the picker still names each option, each out of stock
    for variant in (small, large):
        assert f'id="variant-{variant.pk}" value="{variant.pk}"' in html
    assert html.count('<span class="out-of-stock">Out of stock</span>') == 3  # the selected one, then both
    assert {o["availability"] for o in _jsonld(response)["offers"]} == {"https://schema.org/OutOfStock"}


def test_an_option_out_of_stock_is_not_a_sold_out_product(client):
    # given
    product = ProductFactory(slug="tee")
    red = ProductVariantFactory(product=product, name="Red", stock=0)
    ProductVariantFactory(product=product, name="Blue", stock=3)

    # when the shopper picks the option that has run out
    html = client.get(reverse("catalog:product-detail", args=["tee"]), {"variant": red.pk}).content.decode()

    # then
    assert 'class="sold-out"' not in html
    assert "This option is out of stock. Choose another option above." in html


def test_product_page_selects_the_variant_named_in_the_query(client):
    # given
    product = ProductFactory(slug="tee")
    first = ProductVariantFactory(product=product, name="Red")
    second = ProductVariantFactory(product=product, name="Blue")

    # when
    chosen = client.get(reverse("catalog:product-detail", args=["tee"]), {"variant": second.pk})
    foreign = client.get(reverse("catalog:product-detail", args=["tee"]), {"variant": "999999"})

    # then
    assert chosen.context["selected_variant"] == second
    assert foreign.context["selected_variant"] == first
    assert f'id="variant-{second.pk}" value="{second.pk}" checked' in chosen.content.decode()


def test_product_page_records_the_product_view(client):
    # given
    product = ProductVariantFactory().product

    # when
    client.get(reverse("catalog:product-detail", args=[product.slug]))
    events_flush()

    # then
    event = Event.objects.get(type="page_view")
    assert (event.object_type, event.object_id) == ("catalog.product", str(product.pk))


@pytest.mark.parametrize(
    "hidden",
    [
        {"status": Product.Status.DRAFT},
        {"status": Product.Status.PENDING_REVIEW},
        {"seller__status": SellerProfile.Status.SUSPENDED},
    ],
)
def test_hidden_product_page_is_404(client, hidden):
    ProductFactory(slug="hidden", **hidden)

    response = client.get(reverse("catalog:product-detail", args=["hidden"]))

    assert response.status_code == 404


def test_product_in_an_inactive_category_is_404_and_not_listed(client):
    # given
    category = category_create("Retired")
    ProductFactory(slug="gone", title="Gone product", category=category)
    Category.objects.filter(pk=category.pk).update(is_active=False)

    # when
    detail = client.get(reverse("catalog:product-detail", args=["gone"]))
    search = client.get(reverse("catalog:search"), {"q": "gone"})

    # then
    assert detail.status_code == 404
    assert search.context["page_obj"].paginator.count == 0


def test_html_in_product_text_is_escaped_or_sanitised_on_the_page_and_in_json_ld(client):
    # given
    ProductFactory(
        slug="evil",
        title='<script>alert("x")</script> Lamp',
        description="Line one\n<b>bold</b></script><script>alert(1)</script>",
    )

    # when
    response = client.get(reverse("catalog:product-detail", args=["evil"]))

    # then
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Lamp" in html
    assert "<b>bold</b>" in html  # allowed formatting in a description; the script is gone
    assert "\\u003C/script\\u003E" in html
    assert _jsonld(response)["name"] == '<script>alert("x")</script> Lamp'


def test_product_without_variants_is_out_of_stock(client):
    ProductFactory(slug="bare", price_amount=1234)

    response = client.get(reverse("catalog:product-detail", args=["bare"]))

    html = response.content.decode()
    assert "$12.34" in html
    assert '<span class="out-of-stock">Out of stock</span>' in html
    assert "offers" not in _jsonld(response)


# --- seller store ---------------------------------------------------------------------------------


def test_seller_store_shows_the_shop_and_its_visible_products(client):
    # given
    seller = SellerProfileFactory(shop_name="Potter", slug="potter", description="Hand-thrown bowls.")
    ProductFactory(slug="bowl", seller=seller)
    ProductFactory(slug="draft-bowl", seller=seller, status=Product.Status.DRAFT)
    ProductFactory(slug="elsewhere")

    # when
    response = client.get(reverse("catalog:seller-store", args=["potter"]))

    # then
    assert response.status_code == 200
    assert _listed_slugs(response) == ["bowl"]
    html = response.content.decode()
    assert "<h1>Potter</h1>" in html
    assert "Hand-thrown bowls." in html
    assert "Individual (C2C)" in html


@pytest.mark.parametrize("status", [SellerProfile.Status.SUSPENDED, SellerProfile.Status.PENDING])
def test_seller_store_of_an_unapproved_seller_is_404(client, status):
    SellerProfileFactory(slug="shady", status=status)

    response = client.get(reverse("catalog:seller-store", args=["shady"]))

    assert response.status_code == 404


# --- search ---------------------------------------------------------------------------------------


def test_search_finds_by_title_and_by_tag_and_records_the_search(client):
    # given
    ProductFactory(slug="lamp", title="Brass lamp", tags=[TagFactory(name="lighting")])
    ProductFactory(slug="vase", title="Vase", tags=[TagFactory(name="brass")])
    ProductFactory(slug="rug", title="Rug")

    # when
    by_word = client.get(reverse("catalog:search"), {"q": "brass"})
    by_tag = client.get(reverse("catalog:search"), {"q": "lighting"})
    events_flush()

    # then
    assert set(_listed_slugs(by_word)) == {"lamp", "vase"}
    assert _listed_slugs(by_tag) == ["lamp"]
    searches = Event.objects.filter(type="search").order_by("id")
    assert [e.properties for e in searches] == [{"q": "brass", "results": 2}, {"q": "lighting", "results": 1}]
    assert searches[0].session_key != ""


def test_search_without_results_says_so_suggests_categories_and_records_a_zero_result_event(client):
    # given
    category_create("Garden")
    ProductFactory(title="Rake")

    # when
    response = client.get(reverse("catalog:search"), {"q": "unicorn"}, HTTP_USER_AGENT="Mozilla/5.0")
    events_flush()

    # then
    html = response.content.decode()
    assert "No products match “unicorn”." in html
    assert 'href="/c/garden/"' in html
    event = Event.objects.get(type="search_zero_results")
    assert event.properties == {"q": "unicorn", "results": 0}
    assert Event.objects.filter(type="search").count() == 0


def test_search_with_an_empty_query_shows_a_prompt_and_records_no_search(client):
    response = client.get(reverse("catalog:search"), {"q": "   "})
    events_flush()

    assert response.status_code == 200
    assert "Type what you are looking for" in response.content.decode()
    assert Event.objects.filter(type__in=["search", "search_zero_results"]).count() == 0


def test_search_records_one_event_per_search_not_per_page(client):
    ProductFactory.create_batch(25, title="Widget")

    client.get(reverse("catalog:search"), {"q": "widget"})
    client.get(reverse("catalog:search"), {"q": "widget", "page": 2})
    events_flush()

    assert Event.objects.filter(type="search").count() == 1


def test_search_query_is_escaped_on_the_page(client):
    response = client.get(reverse("catalog:search"), {"q": "<b>bold</b>"})

    html = response.content.decode()
    assert "<b>bold</b>" not in html
    assert "No products match “&lt;b&gt;bold&lt;/b&gt;”." in html
