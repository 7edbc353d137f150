"""Product images through the seller portal: on the new-listing form and on the edit page."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from catalog import services_images
from catalog.models import Product, ProductImage
from tests.factories import ProductFactory, SellerProfileFactory

pytestmark = pytest.mark.django_db

ROW = {"sku": "KNIFE-20", "name": "20 cm", "price": "19.99", "compare_at_price": "", "stock": 7}
NOT_AN_IMAGE = "The file is not an image: upload a JPEG, PNG, WebP or GIF file."


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _png(name: str = "knife.png", colour=(90, 90, 90)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (120, 80), colour).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def _files(root: Path) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file()]


def _image_of(product: Product) -> ProductImage:
    return services_images.product_image_add(
        seller_id=product.seller_id, product_id=product.id, actor_id=None, upload=_png()
    )


# --- the new-listing form ---------------------------------------------------------------------------


def test_new_listing_form_accepts_images(client, seller):
    response = client.get(reverse("seller:product-create"))

    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert '<label for="id_upload-images">Add images' in html
    assert 'type="file" name="upload-images" accept="image/*"' in html
    assert "multiple" in html


def test_create_with_an_image_stores_it_as_the_cover(client, seller, product_post, media_root):
    data = product_post(rows=[ROW], publish=True)
    data.update({"upload-images": [_png()], "upload-alt_text": "A chef's knife on a board"})

    response = client.post(reverse("seller:product-create"), data)

    product = Product.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("seller:product-edit", args=[product.pk])
    assert list(product.images.values_list("alt_text", "width", "height", "position")) == [
        ("A chef's knife on a board", 120, 80, 0)
    ]
    assert len(_files(media_root)) == 2


def test_create_with_a_bad_image_creates_nothing_and_shows_the_error(
    client, seller, product_post, media_root
):
    data = product_post(rows=[ROW])
    data["upload-images"] = [SimpleUploadedFile("knife.jpg", b"just text", content_type="image/jpeg")]

    response = client.post(reverse("seller:product-create"), data)

    assert response.status_code == 200
    assert response.context["image_form"].errors == {"images": [NOT_AN_IMAGE]}
    assert NOT_AN_IMAGE in response.content.decode()
    assert (Product.objects.count(), ProductImage.objects.count(), _files(media_root)) == (0, 0, [])


# --- the edit page ----------------------------------------------------------------------------------


def test_edit_page_lists_the_images_with_their_actions(client, seller, media_root):
    product = ProductFactory(seller=seller, title="Bread knife")
    first, second = _image_of(product), _image_of(product)

    response = client.get(reverse("seller:product-edit", args=[product.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert f'src="/media/{first.thumbnail.name}" alt="Bread knife"' in html
    assert f'action="{reverse("seller:product-image-update", args=[product.pk, second.pk])}"' in html
    assert "Move image 2 up" in html
    assert "Move image 1 down" in html
    assert "Move image 1 up" not in html
    assert "Remove image 2" in html
    assert f'action="{reverse("seller:product-image-add", args=[product.pk])}"' in html


def test_upload_on_the_edit_page_adds_images_after_the_existing_ones(client, seller, media_root):
    product = ProductFactory(seller=seller)
    existing = _image_of(product)

    response = client.post(
        reverse("seller:product-image-add", args=[product.pk]),
        {"upload-images": [_png("a.png"), _png("b.png")], "upload-alt_text": "Side view"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("seller:product-edit", args=[product.pk]) + "#images"
    rows = list(product.images.values_list("pk", "position", "alt_text"))
    assert rows[0] == (existing.pk, 0, "")
    assert [row[1:] for row in rows[1:]] == [(1, "Side view"), (2, "Side view")]
    assert len(_files(media_root)) == 6


def test_a_too_large_upload_shows_the_limit_and_changes_nothing(client, seller, media_root, settings):
    settings.PRODUCT_IMAGE_MAX_BYTES = 200
    product = ProductFactory(seller=seller)

    response = client.post(
        reverse("seller:product-image-add", args=[product.pk]), {"upload-images": [_png()]}
    )

    message = "The file is larger than 200\xa0bytes; upload a smaller image."
    assert response.status_code == 200
    assert response.context["image_form"].errors == {"images": [message]}
    assert "The file is larger than 200" in response.content.decode()
    assert (ProductImage.objects.count(), _files(media_root)) == (0, [])


def test_an_upload_without_a_file_asks_for_one(client, seller):
    product = ProductFactory(seller=seller)

    response = client.post(reverse("seller:product-image-add", args=[product.pk]), {"upload-alt_text": "x"})

    assert response.status_code == 200
    assert response.context["image_form"].errors == {"images": ["This field is required."]}


def test_alt_text_move_and_delete_through_the_portal(client, seller, media_root):
    product = ProductFactory(seller=seller)
    first, second = _image_of(product), _image_of(product)
    edit_images = reverse("seller:product-edit", args=[product.pk]) + "#images"

    update = client.post(
        reverse("seller:product-image-update", args=[product.pk, second.pk]), {"alt_text": "Back side"}
    )
    move = client.post(
        reverse("seller:product-image-move", args=[product.pk, second.pk]), {"direction": "up"}
    )
    with_removal = client.post(reverse("seller:product-image-delete", args=[product.pk, first.pk]))

    assert [r["Location"] for r in (update, move, with_removal)] == [edit_images] * 3
    assert list(product.images.values_list("pk", "position", "alt_text")) == [(second.pk, 0, "Back side")]


# --- another seller's ids ---------------------------------------------------------------------------


def test_another_sellers_product_and_image_ids_are_404_and_change_nothing(client, seller, media_root):
    # given seller A's listing with an image, and the signed-in seller's own listing
    theirs = ProductFactory(seller=SellerProfileFactory())
    their_image = _image_of(theirs)
    mine = ProductFactory(seller=seller)

    # when the signed-in seller aims at them through either listing's URLs
    responses = [
        client.post(reverse("seller:product-image-add", args=[theirs.pk]), {"upload-images": [_png()]}),
        client.post(
            reverse("seller:product-image-update", args=[theirs.pk, their_image.pk]), {"alt_text": "x"}
        ),
        client.post(
            reverse("seller:product-image-update", args=[mine.pk, their_image.pk]), {"alt_text": "x"}
        ),
        client.post(
            reverse("seller:product-image-move", args=[mine.pk, their_image.pk]), {"direction": "up"}
        ),
        client.post(reverse("seller:product-image-delete", args=[theirs.pk, their_image.pk])),
        client.post(reverse("seller:product-image-delete", args=[mine.pk, their_image.pk])),
    ]

    # then
    assert [r.status_code for r in responses] == [404] * 6
    assert list(ProductImage.objects.values_list("pk", "alt_text")) == [(their_image.pk, "")]
    assert len(_files(media_root)) == 2
