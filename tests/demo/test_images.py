"""Placeholder images for the demo catalogue (``marketplace.demo.images``)."""

from contextlib import nullcontext
from pathlib import Path

import pytest
from PIL import Image

from catalog.models import ProductImage
from marketplace.demo.images import PALETTE, SHAPES, demo_images_seed
from tests.factories import ProductFactory, ProductVariantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _demo_product(n: int):
    return ProductVariantFactory(sku=f"DEMO-{n:07d}-1").product


class _Bar:
    def __init__(self) -> None:
        self.done = 0

    def update(self, n: int = 1) -> None:
        self.done += n


def test_each_demo_product_without_an_image_gets_one_shared_tile(media_root):
    # given three demo products, one of which already has an image, and a product that is not a demo one
    products = [_demo_product(n) for n in range(3)]
    own = ProductImage.objects.create(product=products[2], image="products/own.jpg", width=10, height=10)
    other = ProductVariantFactory(sku="REAL-1").product
    bars: list[tuple[str, int, _Bar]] = []

    def progress(description, total):
        bar = _Bar()
        bars.append((description, total, bar))
        return nullcontext(bar)

    # when
    created = demo_images_seed(progress=progress)

    # then
    assert created == 2
    assert [(description, total, bar.done) for description, total, bar in bars] == [("Images", 2, 2)]
    rows = {row.product_id: row for row in ProductImage.objects.exclude(pk=own.pk)}
    assert sorted(rows) == [products[0].id, products[1].id]
    for row in rows.values():
        assert (row.position, row.width, row.height) == (0, 800, 800)
        assert row.image.name.startswith("demo/products/tile-")
    assert not other.images.exists()
    tiles = sorted(p.name for p in (media_root / "demo" / "products").iterdir())
    assert len(tiles) == 2 * len(PALETTE) * len(SHAPES)
    with Image.open(media_root / rows[products[0].id].image.name) as tile:
        assert (tile.format, tile.size) == ("JPEG", (800, 800))
    with Image.open(media_root / rows[products[0].id].thumbnail.name) as thumbnail:
        assert (thumbnail.format, thumbnail.size) == ("WEBP", (480, 480))


def test_a_second_run_adds_nothing_and_keeps_the_tiles(media_root):
    _demo_product(1)
    demo_images_seed()
    tile = next((media_root / "demo" / "products").iterdir())
    written_at = tile.stat().st_mtime_ns

    again = demo_images_seed()

    assert (again, ProductImage.objects.count()) == (0, 1)
    assert tile.stat().st_mtime_ns == written_at


def test_no_demo_products_writes_no_tiles(media_root):
    ProductFactory()

    assert demo_images_seed() == 0
    assert not Path(media_root).exists() or not any(Path(media_root).rglob("*.jpg"))
