"""Product images: what is accepted and how it is stored (``catalog.images``, ``catalog.services_images``)."""

import io
import re
import struct
import zlib
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from PIL import Image

from catalog import services_images
from catalog.images import ImageRejected, image_process
from catalog.models import Product, ProductImage
from catalog.services_listing import ListingNotFound, VariantInput
from common.exceptions import ApplicationError
from tests.factories import ProductFactory, SellerProfileFactory, category_create

pytestmark = pytest.mark.django_db

NOT_AN_IMAGE = "The file is not an image: upload a JPEG, PNG, WebP or GIF file."
TOO_MANY_PIXELS = "The image has too many pixels (at most 40 megapixels); upload a smaller image."


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _image_bytes(size=(64, 48), fmt="PNG", mode="RGB", colour=(200, 40, 40), **save) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, colour).save(out, fmt, **save)
    return out.getvalue()


def _upload(content: bytes, name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")


def _png_claiming(width: int, height: int) -> bytes:
    """A 1 by 1 PNG whose header claims ``width`` by ``height``: what a decompression bomb looks like
    before it is decoded."""
    data = bytearray(_image_bytes(size=(1, 1)))
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in Path(root).rglob("*") if p.is_file())


def _add(product: Product, content: bytes, **kwargs) -> ProductImage:
    return services_images.product_image_add(
        seller_id=product.seller_id,
        product_id=product.id,
        actor_id=product.seller.user_id,
        upload=_upload(content),
        **kwargs,
    )


# --- accepted ---------------------------------------------------------------------------------------


def test_a_real_image_is_re_encoded_under_a_generated_name_with_a_smaller_thumbnail(media_root):
    # given a large opaque PNG called by the client's own name
    product = ProductFactory()

    # when
    row = _add(product, _image_bytes(size=(2400, 1200)), alt_text="  Red   tile  ")

    # then it is scaled to 2000 px on the long side, stored as JPEG, the thumbnail as WebP
    assert (row.width, row.height, row.position, row.alt_text) == (2000, 1000, 0, "Red tile")
    assert re.fullmatch(rf"products/{product.id}/[0-9a-f]{{32}}\.jpg", row.image.name)
    assert row.thumbnail.name == row.image.name.replace(".jpg", "-thumb.webp")
    assert "photo" not in row.image.name
    assert _files(media_root) == sorted([row.image.name, row.thumbnail.name])
    with Image.open(media_root / row.image.name) as stored:
        assert (stored.format, stored.size) == ("JPEG", (2000, 1000))
    with Image.open(media_root / row.thumbnail.name) as thumbnail:
        assert (thumbnail.format, thumbnail.size) == ("WEBP", (480, 240))
    assert row.thumbnail.size < row.image.size


def test_exif_orientation_is_applied_and_the_metadata_is_removed(media_root):
    # given a JPEG shot sideways (orientation 6: turn 90° clockwise) that names the camera
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation
    exif[0x010F] = "Spycam Industries"  # Make
    exif[0x0131] = "SecretEditor 1.0"  # Software
    content = _image_bytes(size=(300, 200), fmt="JPEG", exif=exif.tobytes(), comment=b"shot at home")

    # when
    row = _add(ProductFactory(), content)

    # then it stands upright and nothing of the metadata is left
    stored = (media_root / row.image.name).read_bytes()
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (200, 300)
        assert dict(image.getexif()) == {}
        assert "comment" not in image.info
    assert (row.width, row.height) == (200, 300)
    for secret in (b"Spycam", b"SecretEditor", b"shot at home", b"Exif"):
        assert secret not in stored


def test_a_transparent_png_keeps_its_transparency_as_webp(media_root):
    row = _add(ProductFactory(), _image_bytes(mode="RGBA", colour=(0, 128, 0, 0)))

    with Image.open(media_root / row.image.name) as stored:
        assert (stored.format, stored.mode) == ("WEBP", "RGBA")
        assert stored.getpixel((0, 0))[3] == 0


def test_an_animated_gif_is_stored_as_its_first_frame():
    # given two frames, red then blue
    out = io.BytesIO()
    frames = [Image.new("RGB", (40, 40), (255, 0, 0)), Image.new("RGB", (40, 40), (0, 0, 255))]
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=100)

    # when
    processed = image_process(io.BytesIO(out.getvalue()), max_bytes=10_000)

    # then
    with Image.open(io.BytesIO(processed.image.content)) as stored:
        red, _green, blue = stored.convert("RGB").getpixel((20, 20))
    assert (processed.image.extension, red > 200, blue < 50) == ("jpg", True, True)


# --- refused ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Dear diary, today I renamed a text file to photo.jpg.", NOT_AN_IMAGE),
        (b"", "The file is empty."),
        (_image_bytes(size=(200, 200), fmt="JPEG")[:300], NOT_AN_IMAGE),  # cut off half-way
        (_image_bytes(fmt="BMP"), "This image format is not accepted: upload a JPEG, PNG, WebP or GIF file."),
        (_png_claiming(10_000, 10_000), TOO_MANY_PIXELS),  # a decompression bomb
    ],
    ids=["text-renamed-jpg", "empty", "truncated-jpeg", "bmp", "decompression-bomb"],
)
def test_what_is_not_an_acceptable_image_is_refused_and_nothing_is_written(media_root, content, message):
    product = ProductFactory()

    with pytest.raises(ApplicationError) as refused:
        _add(product, content)

    assert refused.value.extra == {"image": [message]}
    assert ProductImage.objects.count() == 0
    assert _files(media_root) == []


def test_a_50_mb_upload_is_refused_with_the_limit_and_nothing_is_written(media_root):
    # given the default limit (10 MiB) and a real image padded to 50 MB
    content = _image_bytes() + b"\0" * 50_000_000

    with pytest.raises(ApplicationError) as refused:
        _add(ProductFactory(), content)

    expected = f"The file is larger than {filesizeformat(10 * 1024 * 1024)}; upload a smaller image."
    assert refused.value.extra == {"image": [expected]}
    assert ProductImage.objects.count() == 0
    assert _files(media_root) == []


def test_the_size_limit_is_read_from_settings_at_call_time(media_root, settings):
    settings.PRODUCT_IMAGE_MAX_BYTES = 100
    product = ProductFactory()

    with pytest.raises(ApplicationError) as refused:
        _add(product, _image_bytes())

    assert refused.value.extra == {"image": ["The file is larger than 100\xa0bytes; upload a smaller image."]}
    assert ProductImage.objects.count() == 0


def test_image_process_refuses_a_decompression_bomb_before_decoding_it():
    with pytest.raises(ImageRejected) as refused:
        image_process(io.BytesIO(_png_claiming(100_000, 100_000)), max_bytes=10_000)

    assert refused.value.message == TOO_MANY_PIXELS


def test_a_listing_takes_at_most_ten_images(media_root):
    # given a listing with ten images
    product = ProductFactory()
    for _ in range(services_images.MAX_IMAGES_PER_PRODUCT):
        _add(product, _image_bytes(size=(8, 8)))

    # when an eleventh comes
    with pytest.raises(ApplicationError) as refused:
        _add(product, _image_bytes(size=(8, 8)))

    # then
    assert refused.value.extra == {
        "image": ["A listing can have at most 10 images; this one already has 10."]
    }
    assert list(product.images.values_list("position", flat=True)) == list(range(10))
    assert len(_files(media_root)) == 20


def test_one_bad_file_in_a_batch_refuses_the_whole_batch_and_names_the_file(media_root):
    product = ProductFactory()
    uploads = [_upload(_image_bytes(), "front.png"), _upload(b"not a picture", "notes.jpg")]

    with pytest.raises(ApplicationError) as refused:
        services_images.product_images_add(
            seller_id=product.seller_id, product_id=product.id, actor_id=None, uploads=uploads
        )

    assert refused.value.extra == {"image": [f"“notes.jpg”: {NOT_AN_IMAGE}"]}
    assert ProductImage.objects.count() == 0
    assert _files(media_root) == []


def test_a_storage_failure_half_way_leaves_no_row_and_no_file(media_root, monkeypatch):
    # given a disk that fails on the thumbnail of the second image
    product = ProductFactory()
    real_save = FileSystemStorage.save
    saved = []

    def flaky_save(self, name, content, max_length=None):
        if len(saved) == 3:
            raise OSError("disk full")
        saved.append(name)
        return real_save(self, name, content, max_length=max_length)

    monkeypatch.setattr(FileSystemStorage, "save", flaky_save)

    # when
    with pytest.raises(OSError, match="disk full"):
        services_images.product_images_add(
            seller_id=product.seller_id,
            product_id=product.id,
            actor_id=None,
            uploads=[_upload(_image_bytes()), _upload(_image_bytes())],
        )

    # then the first image's files and the second's main file are gone again
    assert len(saved) == 3
    assert ProductImage.objects.count() == 0
    assert _files(media_root) == []


def test_a_bad_image_on_a_new_listing_creates_no_listing(media_root):
    seller = SellerProfileFactory()
    leaf = category_create("Mugs")

    with pytest.raises(ApplicationError) as refused:
        services_images.product_create_with_images(
            uploads=[_upload(b"GIF89a but not really")],
            seller_id=seller.id,
            actor_id=seller.user_id,
            title="Blue mug",
            category_id=leaf.id,
            variants=[VariantInput(sku="MUG-1", price_amount=900, stock=3)],
        )

    assert refused.value.extra == {"image": [NOT_AN_IMAGE]}
    assert (Product.objects.count(), ProductImage.objects.count(), _files(media_root)) == (0, 0, [])


def test_a_new_listing_with_images_keeps_their_order(media_root):
    seller = SellerProfileFactory()
    leaf = category_create("Mugs")

    product = services_images.product_create_with_images(
        uploads=[_upload(_image_bytes(colour=(255, 0, 0))), _upload(_image_bytes(colour=(0, 0, 255)))],
        image_alt_text="Blue mug",
        seller_id=seller.id,
        actor_id=seller.user_id,
        title="Blue mug",
        category_id=leaf.id,
        variants=[VariantInput(sku="MUG-1", price_amount=900, stock=3)],
    )

    assert list(product.images.values_list("position", "alt_text")) == [(0, "Blue mug"), (1, "Blue mug")]
    assert len(_files(media_root)) == 4


# --- seller scope -----------------------------------------------------------------------------------


def test_seller_b_cannot_add_change_move_or_delete_images_of_seller_a(media_root):
    # given seller A's listing with two images
    product = ProductFactory()
    first, second = _add(product, _image_bytes()), _add(product, _image_bytes())
    other = SellerProfileFactory()

    # when seller B tries every write, then each is "not found"
    with pytest.raises(ListingNotFound):
        services_images.product_image_add(
            seller_id=other.id, product_id=product.id, actor_id=other.user_id, upload=_upload(_image_bytes())
        )
    with pytest.raises(ListingNotFound):
        services_images.product_image_update(
            seller_id=other.id, image_id=first.id, actor_id=other.user_id, alt_text="mine now"
        )
    with pytest.raises(ListingNotFound):
        services_images.product_image_move(
            seller_id=other.id, image_id=second.id, actor_id=other.user_id, direction="up"
        )
    with pytest.raises(ListingNotFound):
        services_images.product_image_reorder(
            seller_id=other.id, product_id=product.id, actor_id=other.user_id, image_ids=[second.id, first.id]
        )
    with pytest.raises(ListingNotFound):
        services_images.product_image_delete(seller_id=other.id, image_id=first.id, actor_id=other.user_id)

    # and nothing changed
    assert list(product.images.values_list("pk", "position", "alt_text")) == [
        (first.id, 0, ""),
        (second.id, 1, ""),
    ]
    assert len(_files(media_root)) == 4


# --- describe, reorder, delete ----------------------------------------------------------------------


def test_alt_text_is_updated_and_limited_to_200_characters(media_root):
    row = _add(ProductFactory(), _image_bytes())
    seller_id = row.product.seller_id

    services_images.product_image_update(
        seller_id=seller_id, image_id=row.id, actor_id=None, alt_text="A mug"
    )
    with pytest.raises(ApplicationError) as refused:
        services_images.product_image_update(
            seller_id=seller_id, image_id=row.id, actor_id=None, alt_text="x" * 201
        )

    row.refresh_from_db()
    assert row.alt_text == "A mug"
    assert refused.value.extra == {"alt_text": ["The description can be at most 200 characters long."]}


def test_images_move_up_and_down_and_reorder(media_root):
    product = ProductFactory()
    a, b, c = (_add(product, _image_bytes()) for _ in range(3))
    seller_id = product.seller_id

    services_images.product_image_move(seller_id=seller_id, image_id=c.id, actor_id=None, direction="up")
    assert list(product.images.values_list("pk", flat=True)) == [a.id, c.id, b.id]
    services_images.product_image_move(seller_id=seller_id, image_id=a.id, actor_id=None, direction="up")
    assert list(product.images.values_list("pk", flat=True)) == [a.id, c.id, b.id]  # already first
    services_images.product_image_reorder(
        seller_id=seller_id, product_id=product.id, actor_id=None, image_ids=[b.id, a.id, c.id]
    )
    assert list(product.images.values_list("pk", "position")) == [(b.id, 0), (a.id, 1), (c.id, 2)]
    with pytest.raises(ApplicationError):
        services_images.product_image_reorder(
            seller_id=seller_id, product_id=product.id, actor_id=None, image_ids=[b.id, a.id]
        )


def test_delete_removes_the_row_and_its_files_once_committed(media_root, django_capture_on_commit_callbacks):
    product = ProductFactory()
    keep, gone = _add(product, _image_bytes()), _add(product, _image_bytes())

    with django_capture_on_commit_callbacks(execute=True):
        services_images.product_image_delete(seller_id=product.seller_id, image_id=gone.id, actor_id=None)

    assert list(product.images.values_list("pk", flat=True)) == [keep.id]
    assert _files(media_root) == sorted([keep.image.name, keep.thumbnail.name])


def test_delete_keeps_files_another_row_still_uses(media_root, django_capture_on_commit_callbacks):
    # given two products sharing one file pair (as the demo images do)
    row = _add(ProductFactory(), _image_bytes())
    twin = ProductImage.objects.create(
        product=ProductFactory(), image=row.image.name, thumbnail=row.thumbnail.name, width=64, height=48
    )

    with django_capture_on_commit_callbacks(execute=True):
        services_images.product_image_delete(seller_id=row.product.seller_id, image_id=row.id, actor_id=None)

    assert list(ProductImage.objects.values_list("pk", flat=True)) == [twin.id]
    assert _files(media_root) == sorted([row.image.name, row.thumbnail.name])
