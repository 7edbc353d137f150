"""What search engines read: the sitemap index and sections, robots.txt, and the pages' SEO tags."""

import re

import pytest
from django.urls import reverse

from accounts.models import SellerProfile
from catalog.models import Category, Product
from catalog.sitemaps import ProductSitemap
from tests.caches import caches_clear
from tests.factories import ProductFactory, SellerProfileFactory, category_create

pytestmark = pytest.mark.django_db

LOC_RE = re.compile(r"<loc>(.*?)</loc>")
# Category structure (hidden branches), the page's count, the page's rows.
PRODUCT_SITEMAP_MAX_QUERIES = 3


def _locs(response) -> list[str]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    return LOC_RE.findall(response.content.decode())


def test_the_sitemap_index_links_every_section(client):
    locs = _locs(client.get("/sitemap.xml"))

    assert locs == [
        "http://testserver/sitemap-pages.xml",
        "http://testserver/sitemap-categories.xml",
        "http://testserver/sitemap-products.xml",
        "http://testserver/sitemap-shops.xml",
    ]


def test_the_pages_section_lists_the_home_page(client):
    assert _locs(client.get("/sitemap-pages.xml")) == ["http://testserver/"]


def test_the_products_section_lists_only_visible_products_by_id(client):
    shelf = category_create("Shelf")
    hidden_root = category_create("Hidden")
    hidden_leaf = category_create("Hidden leaf", parent=hidden_root)
    Category.objects.filter(pk=hidden_root.pk).update(is_active=False)
    first = ProductFactory(slug="first", category=shelf)
    ProductFactory(slug="draft", category=shelf, status=Product.Status.DRAFT)
    ProductFactory(slug="waiting", category=shelf, status=Product.Status.PENDING_REVIEW)
    ProductFactory(slug="suspended", category=shelf, seller__status=SellerProfile.Status.SUSPENDED)
    ProductFactory(slug="under-hidden", category=hidden_leaf)
    second = ProductFactory(slug="second", category=shelf)

    response = client.get("/sitemap-products.xml")

    assert _locs(response) == ["http://testserver/p/first/", "http://testserver/p/second/"]
    html = response.content.decode()
    assert f"<lastmod>{first.updated_at.date().isoformat()}" in html
    assert f"<lastmod>{second.updated_at.date().isoformat()}" in html


def test_the_categories_section_lists_only_visible_categories(client):
    books = category_create("Books")
    category_create("Novels", parent=books)
    hidden = category_create("Hidden")
    category_create("Hidden child", parent=hidden)
    Category.objects.filter(pk=hidden.pk).update(is_active=False)

    assert _locs(client.get("/sitemap-categories.xml")) == [
        "http://testserver/c/books/",
        "http://testserver/c/novels/",
    ]


def test_the_shops_section_lists_only_approved_sellers(client):
    SellerProfileFactory(slug="open-shop")
    SellerProfileFactory(slug="applying", status=SellerProfile.Status.PENDING)
    SellerProfileFactory(slug="suspended", status=SellerProfile.Status.SUSPENDED)

    assert _locs(client.get("/sitemap-shops.xml")) == ["http://testserver/shops/open-shop/"]


def test_an_unknown_section_is_not_found(client):
    assert client.get("/sitemap-orders.xml").status_code == 404


def test_a_section_past_the_limit_is_split_into_pages(client, monkeypatch):
    monkeypatch.setattr(ProductSitemap, "limit", 2)
    shelf = category_create("Shelf")
    for slug in ("a", "b", "c"):
        ProductFactory(slug=slug, category=shelf)

    index = _locs(client.get("/sitemap.xml"))
    first = _locs(client.get("/sitemap-products.xml"))
    second = _locs(client.get("/sitemap-products.xml", {"p": 2}))

    assert "http://testserver/sitemap-products.xml" in index
    assert "http://testserver/sitemap-products.xml?p=2" in index
    assert first == ["http://testserver/p/a/", "http://testserver/p/b/"]
    assert second == ["http://testserver/p/c/"]
    assert client.get("/sitemap-products.xml", {"p": 3}).status_code == 404


def test_the_product_sitemap_query_count_does_not_grow_with_products(client, django_assert_max_num_queries):
    shelf = category_create("Shelf")
    ProductFactory.create_batch(2, category=shelf)
    caches_clear()
    with django_assert_max_num_queries(PRODUCT_SITEMAP_MAX_QUERIES) as few:
        client.get("/sitemap-products.xml")

    ProductFactory.create_batch(20, category=shelf)
    caches_clear()
    with django_assert_max_num_queries(PRODUCT_SITEMAP_MAX_QUERIES) as many:
        response = client.get("/sitemap-products.xml")

    assert len(_locs(response)) == 22
    assert len(many) == len(few)


def test_the_sitemap_index_query_count_does_not_grow_with_products(client, django_assert_max_num_queries):
    shelf = category_create("Shelf")
    ProductFactory.create_batch(2, category=shelf)
    caches_clear()
    with django_assert_max_num_queries(10) as few:
        client.get("/sitemap.xml")

    ProductFactory.create_batch(20, category=shelf)
    caches_clear()
    with django_assert_max_num_queries(10) as many:
        client.get("/sitemap.xml")

    assert len(many) == len(few)


def test_robots_txt_keeps_crawlers_out_of_private_and_search_pages_and_names_the_sitemap(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for path in ("/admin/", "/seller/", "/account/", "/accounts/", "/api/", "/cart/", "/search/"):
        assert f"Disallow: {path}" in lines
    assert "Disallow: /*?sort=" in lines
    assert "Disallow: /*&brand=" in lines
    assert "Disallow: /*?page=" not in lines
    assert "Disallow: /" not in lines
    assert lines[-1] == "Sitemap: http://testserver/sitemap.xml"


def test_category_page_has_canonical_meta_description_and_open_graph(client):
    books = category_create("Books")
    Category.objects.filter(pk=books.pk).update(
        seo_title="Books & more", seo_description="New and used books from independent shops."
    )

    html = client.get(
        reverse("catalog:category-detail", args=["books"]), {"sort": "price-asc"}
    ).content.decode()

    assert '<link rel="canonical" href="http://testserver/c/books/">' in html
    assert '<meta name="description" content="New and used books from independent shops.">' in html
    assert '<meta property="og:title" content="Books &amp; more">' in html
    assert '<meta property="og:description" content="New and used books from independent shops.">' in html
    assert '<meta property="og:url" content="http://testserver/c/books/">' in html
    assert '<meta property="og:type" content="website">' in html


def test_category_page_open_graph_falls_back_to_the_name_and_site_description(client):
    category_create("Garden")

    html = client.get(reverse("catalog:category-detail", args=["garden"])).content.decode()

    assert '<meta property="og:title" content="Garden">' in html
    assert (
        '<meta property="og:description" content="Buy from independent shops and neighbours in one place.">'
        in html
    )


def test_seller_store_page_has_canonical_and_open_graph(client):
    SellerProfileFactory(slug="attic", shop_name="Attic <Books>", description="Second-hand books.")

    html = client.get(reverse("catalog:seller-store", args=["attic"])).content.decode()

    assert '<link rel="canonical" href="http://testserver/shops/attic/">' in html
    assert '<meta property="og:title" content="Attic &lt;Books&gt;">' in html
    assert '<meta property="og:description" content="Second-hand books.">' in html
    assert '<meta property="og:url" content="http://testserver/shops/attic/">' in html
    assert '<meta property="og:type" content="profile">' in html
