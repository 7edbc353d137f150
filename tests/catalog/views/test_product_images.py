"""Product images in the shop: the product page gallery, its JSON-LD and Open Graph, the product cards,
the public API and the media URLs."""

import io
import json
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from catalog import services_images
from catalog.models import Product, ProductImage
from tests.caches import caches_clear
from tests.catalog.views.test_query_counts import PRODUCT_MAX
from tests.factories import ProductFactory, ProductVariantFactory, category_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _images_add(product: Product, count: int, *, alt_text: str = "") -> list[ProductImage]:
    uploads = []
    for i in range(count):
        out = io.BytesIO()
        Image.new("RGB", (300, 200), (40 * i % 255, 90, 160)).save(out, "PNG")
        uploads.append(SimpleUploadedFile(f"p{i}.png", out.getvalue(), content_type="image/png"))
    return services_images.product_images_add(
        seller_id=product.seller_id, product_id=product.id, actor_id=None, uploads=uploads, alt_text=alt_text
    )


def _jsonld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.DOTALL)
    return json.loads(match.group(1))


@pytest.fixture
def product():
    product = ProductFactory(title="Copper kettle", slug="copper-kettle", category=category_create("Kettles"))
    ProductVariantFactory(product=product)
    return product


def test_product_page_shows_a_gallery_with_alt_text_and_thumbnail_links(client, product, media_root):
    first, second = _images_add(product, 2, alt_text="Copper kettle on a stove")
    second.alt_text = ""
    second.save()

    response = client.get(reverse("catalog:product-detail", args=["copper-kettle"]))

    html = response.content.decode()
    assert response.status_code == 200
    assert (
        f'<img src="/media/{first.image.name}" width="300" height="200" alt="Copper kettle on a stove" '
        'decoding="async">'
    ) in html
    # without a description of its own an image is named by the product title
    assert (
        f'<img src="/media/{second.image.name}" width="300" height="200" alt="Copper kettle" loading="lazy"'
        in html
    )
    assert (
        f'<a href="#picture-{second.pk}"><img src="/media/{second.thumbnail.name}" alt="Show image 2 of 2"'
        in html
    )
    assert "(no photo yet)" not in html


def test_product_page_json_ld_and_open_graph_name_the_absolute_image_urls(client, product, media_root):
    first, second = _images_add(product, 2)

    html = client.get(reverse("catalog:product-detail", args=["copper-kettle"])).content.decode()

    assert _jsonld(html)["image"] == [
        f"http://testserver/media/{first.image.name}",
        f"http://testserver/media/{second.image.name}",
    ]
    assert f'<meta property="og:image" content="http://testserver/media/{first.image.name}">' in html
    assert '<meta property="og:type" content="product">' in html


def test_product_page_without_images_shows_a_placeholder(client, product):
    html = client.get(reverse("catalog:product-detail", args=["copper-kettle"])).content.decode()

    assert 'aria-label="Copper kettle (no photo yet)"' in html
    assert "image" not in _jsonld(html)
    assert "og:image" not in html


def test_product_page_queries_do_not_grow_with_the_number_of_images(
    client, product, media_root, django_assert_max_num_queries
):
    url = reverse("catalog:product-detail", args=["copper-kettle"])
    _images_add(product, 1)
    caches_clear()
    with django_assert_max_num_queries(PRODUCT_MAX) as with_one:
        client.get(url)

    _images_add(product, 9)
    caches_clear()
    with django_assert_max_num_queries(PRODUCT_MAX) as with_ten:
        response = client.get(url)

    assert response.content.decode().count('class="gallery-slide"') == 10
    assert len(with_one) == len(with_ten)


def test_product_cards_show_the_cover_thumbnail_or_a_placeholder(client, product, media_root):
    cover = _images_add(product, 2)[0]
    ProductFactory(title="Zinc bucket", category=product.category)

    html = client.get(reverse("catalog:category-detail", args=[product.category.slug])).content.decode()

    assert f'<img class="product-thumb" src="/media/{cover.thumbnail.name}" alt="" loading="lazy"' in html
    assert '<div class="product-thumb" aria-hidden="true">Z</div>' in html


def test_api_product_detail_lists_the_images_with_absolute_urls(client, product, media_root):
    image = _images_add(product, 1, alt_text="Kettle")[0]

    body = client.get(reverse("catalog-api:product-detail", args=["copper-kettle"])).json()

    assert body["images"] == [
        {
            "url": f"http://testserver/media/{image.image.name}",
            "thumbnail_url": f"http://testserver/media/{image.thumbnail.name}",
            "width": 300,
            "height": 200,
            "alt_text": "Kettle",
        }
    ]


def test_api_product_list_gives_the_cover_thumbnail_url(client, product, media_root):
    image = _images_add(product, 1)[0]
    ProductFactory(title="No picture")

    results = client.get(reverse("catalog-api:product-list")).json()["results"]

    assert {item["title"]: item["thumbnail_url"] for item in results} == {
        "Copper kettle": f"http://testserver/media/{image.thumbnail.name}",
        "No picture": None,
    }


def test_media_is_served_only_when_serve_media_is_on(client, product, media_root, settings):
    image = _images_add(product, 1)[0]
    url = f"/media/{image.image.name}"

    settings.SERVE_MEDIA = True
    served = client.get(url)
    settings.SERVE_MEDIA = False
    not_served = client.get(url)

    assert (served.status_code, served["Content-Type"]) == (200, "image/jpeg")
    assert b"".join(served.streaming_content)[:3] == b"\xff\xd8\xff"
    assert not_served.status_code == 404
