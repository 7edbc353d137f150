"""Placeholder pictures for the demo catalogue (``manage.py seed_demo``).

A small set of tiles (a two-colour gradient with a simple shape) is drawn with Pillow and written to the
media storage once; every demo product without an image gets one of them as its cover. The rows share
the tiles' files (deleting one demo image keeps a file another row still uses, see
``catalog.services_images.product_image_delete``), so thousands of products cost 48 small files and one
``bulk_create``. Idempotent: a product that already has an image is skipped, an existing tile is reused.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, OuterRef
from PIL import Image, ImageChops, ImageDraw

from catalog.models import Product, ProductImage, ProductVariant
from marketplace.demo.base import BATCH_SIZE, SKU_PREFIX, ProgressFactory, no_progress

TILE_DIRECTORY = "demo/products"
TILE_SIDE = 800
THUMBNAIL_SIDE = 480
# (light, dark) colour pairs; each is drawn with every shape, so there are len(PALETTE) * 3 tiles.
PALETTE = (
    ((0xF6, 0xD3, 0x65), (0xFD, 0xA0, 0x85)),
    ((0xA1, 0xC4, 0xFD), (0x5B, 0x7F, 0xD6)),
    ((0xD4, 0xFC, 0x79), (0x56, 0xB8, 0x8A)),
    ((0xFB, 0xC2, 0xEB), (0xA6, 0x7D, 0xD8)),
    ((0x84, 0xFA, 0xB0), (0x3C, 0x9E, 0xC8)),
    ((0xFF, 0xE2, 0xB8), (0xE0, 0x8E, 0x5A)),
    ((0xE0, 0xE7, 0xEE), (0x8F, 0x9B, 0xAE)),
    ((0xC2, 0xE9, 0xFB), (0x7E, 0xB8, 0xA9)),
)
SHAPES = ("circle", "square", "diamond")


@dataclass(frozen=True, slots=True)
class DemoTile:
    image: str  # storage names
    thumbnail: str


def demo_tiles_write() -> list[DemoTile]:
    """The tiles' files in the default storage, drawn only where missing."""
    storage = ProductImage._meta.get_field("image").storage
    tiles = []
    for index in range(len(PALETTE) * len(SHAPES)):
        tile = DemoTile(
            image=f"{TILE_DIRECTORY}/tile-{index + 1:02d}.jpg",
            thumbnail=f"{TILE_DIRECTORY}/tile-{index + 1:02d}-thumb.webp",
        )
        if not (storage.exists(tile.image) and storage.exists(tile.thumbnail)):
            picture = _tile_draw(index)
            for name, encoded in ((tile.image, _jpeg(picture)), (tile.thumbnail, _thumbnail(picture))):
                if storage.exists(name):
                    storage.delete(name)
                storage.save(name, ContentFile(encoded))
        tiles.append(tile)
    return tiles


def demo_images_seed(*, progress: ProgressFactory = no_progress) -> int:
    """Give every demo product without an image one tile as its cover; returns the rows created."""
    is_demo = ProductVariant.objects.filter(product_id=OuterRef("pk"), sku__startswith=SKU_PREFIX)
    has_image = ProductImage.objects.filter(product_id=OuterRef("pk"))
    product_ids = list(
        Product.objects.filter(Exists(is_demo))
        .exclude(Exists(has_image))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not product_ids:
        return 0
    tiles = demo_tiles_write()
    with transaction.atomic(), progress("Images", len(product_ids)) as bar:
        for start in range(0, len(product_ids), BATCH_SIZE):
            batch = product_ids[start : start + BATCH_SIZE]
            ProductImage.objects.bulk_create(
                [_row(product_id, tiles[product_id % len(tiles)]) for product_id in batch]
            )
            bar.update(len(batch))
    return len(product_ids)


def _row(product_id: int, tile: DemoTile) -> ProductImage:
    # width and height given, so Django does not open the file to measure it for every row
    return ProductImage(
        product_id=product_id,
        image=tile.image,
        thumbnail=tile.thumbnail,
        width=TILE_SIDE,
        height=TILE_SIDE,
        position=0,
    )


def _tile_draw(index: int) -> Image.Image:
    light, dark = PALETTE[index % len(PALETTE)]
    shape = SHAPES[index // len(PALETTE)]
    side = TILE_SIDE
    # A diagonal gradient: the mean of a vertical and a horizontal one, drawn small and scaled up.
    vertical = Image.linear_gradient("L")
    mask = ImageChops.add(vertical, vertical.transpose(Image.Transpose.ROTATE_90), scale=2.0)
    mask = mask.resize((side, side), Image.Resampling.BILINEAR)
    picture = Image.composite(
        Image.new("RGB", (side, side), dark), Image.new("RGB", (side, side), light), mask
    )
    draw = ImageDraw.Draw(picture)
    tint = tuple(min(255, channel + (255 - channel) * 3 // 4) for channel in light)
    shadow = tuple(channel * 3 // 4 for channel in dark)
    box = (side * 0.28, side * 0.28, side * 0.72, side * 0.72)
    for offset, colour in ((side * 0.02, shadow), (0, tint)):
        left, top, right, bottom = (value + offset for value in box)
        if shape == "circle":
            draw.ellipse((left, top, right, bottom), fill=colour)
        elif shape == "square":
            draw.rounded_rectangle((left, top, right, bottom), radius=side * 0.05, fill=colour)
        else:
            middle_x, middle_y = (left + right) / 2, (top + bottom) / 2
            draw.polygon(
                [(middle_x, top), (right, middle_y), (middle_x, bottom), (left, middle_y)], fill=colour
            )
    return picture


def _jpeg(picture: Image.Image) -> bytes:
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=85, optimize=True, progressive=True)
    return out.getvalue()


def _thumbnail(picture: Image.Image) -> bytes:
    out = io.BytesIO()
    picture.resize((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS).save(
        out, "WEBP", quality=80, method=4
    )
    return out.getvalue()
