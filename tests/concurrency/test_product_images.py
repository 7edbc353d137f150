"""Real parallel connections on PostgreSQL: concurrent uploads never take a listing past its image limit."""

import io
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from PIL import Image

from catalog import services_images
from catalog.models import ProductImage
from common.exceptions import ApplicationError
from tests.factories import ProductFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _upload() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (32, 32), (10, 20, 30)).save(out, "PNG")
    return SimpleUploadedFile("p.png", out.getvalue(), content_type="image/png")


def test_six_concurrent_uploads_to_a_listing_with_eight_images_add_exactly_two(settings, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL (SQLite serialises writers)")
    settings.MEDIA_ROOT = tmp_path / "media"
    product = ProductFactory()
    for _ in range(8):
        services_images.product_image_add(
            seller_id=product.seller_id, product_id=product.id, actor_id=None, upload=_upload()
        )

    def add_one(_):
        try:
            services_images.product_image_add(
                seller_id=product.seller_id, product_id=product.id, actor_id=None, upload=_upload()
            )
            return "ok"
        except ApplicationError:
            return "full"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(add_one, range(6)))

    assert sorted(results) == ["full"] * 4 + ["ok"] * 2
    assert sorted(ProductImage.objects.values_list("position", flat=True)) == list(range(10))
    assert len([p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]) == 20
