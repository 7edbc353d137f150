"""Seller writes to product images: add (validated and re-encoded by ``catalog.images``, with a
thumbnail), describe, reorder and remove; and a new listing created together with its images.

Seller-scoped like ``catalog.services_listing``: another seller's product or image is "not found".
Stored file names are generated here (``products/<product id>/<uuid>.<ext>``), never taken from the
client. All or nothing: when a call refuses or fails, no row is left and every file it wrote is deleted.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from typing import IO, Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import FileField, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.images import ImageRejected, ProcessedImage, image_process
from catalog.models import Product, ProductImage
from catalog.services import listing_cache_invalidate
from catalog.services_listing import ListingNotFound, _product_for_seller, product_create
from common.exceptions import ApplicationError
from common.services import model_update

logger = logging.getLogger(__name__)

MAX_IMAGES_PER_PRODUCT = 10
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
ALT_TEXT_MAX_LENGTH = 200
MOVES = {"up": -1, "down": 1}


def product_image_max_bytes() -> int:
    """The upload size limit, read at call time so an override (or a test's ``settings``) applies."""
    return int(getattr(settings, "PRODUCT_IMAGE_MAX_BYTES", DEFAULT_MAX_BYTES))


# --- checks -----------------------------------------------------------------------------------------


def _alt_text_clean(alt_text: str) -> str:
    alt_text = " ".join(alt_text.split())
    if len(alt_text) > ALT_TEXT_MAX_LENGTH:
        message = _("The description can be at most %(n)d characters long.") % {"n": ALT_TEXT_MAX_LENGTH}
        raise ApplicationError(message, extra={"alt_text": [message]})
    return alt_text


def _check_room(*, existing: int, adding: int) -> None:
    if existing + adding > MAX_IMAGES_PER_PRODUCT:
        if existing:
            message = _("A listing can have at most %(max)d images; this one already has %(n)d.") % {
                "max": MAX_IMAGES_PER_PRODUCT,
                "n": existing,
            }
        else:
            message = _("A listing can have at most %(max)d images.") % {"max": MAX_IMAGES_PER_PRODUCT}
        raise ApplicationError(message, extra={"image": [message]})


def _upload_name(upload: IO[bytes]) -> str:
    """The client's file name, for error messages only (it is never stored)."""
    return str(getattr(upload, "name", "") or "")[-80:]


def _images_prepare(uploads: Sequence[IO[bytes]]) -> list[ProcessedImage]:
    """Decode and re-encode every upload before anything is written; every refusal is reported, one
    message per bad file (named when there are several)."""
    max_bytes = product_image_max_bytes()
    prepared: list[ProcessedImage] = []
    errors: list[str] = []
    for upload in uploads:
        if hasattr(upload, "seek"):
            upload.seek(0)
        try:
            prepared.append(image_process(upload, max_bytes=max_bytes))
        except ImageRejected as exc:
            name = _upload_name(upload)
            errors.append(
                _("“%(name)s”: %(error)s") % {"name": name, "error": exc.message}
                if name and len(uploads) > 1
                else exc.message
            )
    if errors:
        raise ApplicationError(errors[0], extra={"image": errors})
    return prepared


# --- files ------------------------------------------------------------------------------------------


def _files_delete(names: Sequence[str]) -> None:
    for name in names:
        if not name:
            continue
        storage = ProductImage._meta.get_field("image").storage
        try:
            storage.delete(name)
        except OSError:  # the row is gone either way; a stray file is only wasted space
            logger.warning("Could not delete product image file %s", name, exc_info=True)


def _row_files(row: ProductImage) -> list[str]:
    return [name for name in (row.image.name, row.thumbnail.name) if name]


def _image_store(
    *, product: Product, processed: ProcessedImage, alt_text: str, position: int
) -> ProductImage:
    """Write the two files under new names, then the row; on any failure the files are deleted."""
    stem = uuid.uuid4().hex
    naming = ProductImage(product_id=product.id)  # upload_to needs the product id
    written: list[str] = []
    try:
        for field_name, encoded, suffix in (
            ("image", processed.image, ""),
            ("thumbnail", processed.thumbnail, "-thumb"),
        ):
            field = cast(FileField, ProductImage._meta.get_field(field_name))
            name = field.generate_filename(naming, f"{stem}{suffix}.{encoded.extension}")
            written.append(field.storage.save(name, ContentFile(encoded.content)))
        row = ProductImage(
            product=product,
            image=written[0],
            thumbnail=written[1],
            width=processed.image.width,
            height=processed.image.height,
            alt_text=alt_text,
            position=position,
        )
        row.full_clean()
        row.save()
    except ValidationError as exc:
        _files_delete(written)
        raise ApplicationError(_("The image could not be saved."), extra=exc.message_dict) from exc
    except BaseException:
        _files_delete(written)
        raise
    return row


def _images_store(
    *, product: Product, prepared: Sequence[ProcessedImage], alt_text: str, actor_id: int | None
) -> list[ProductImage]:
    """Append the images after the product's last one; if one fails, the ones already written are
    deleted too (their rows go with the transaction)."""
    last = product.images.aggregate(last=Max("position"))["last"]
    position = -1 if last is None else last
    rows: list[ProductImage] = []
    try:
        for processed in prepared:
            position += 1
            rows.append(
                _image_store(product=product, processed=processed, alt_text=alt_text, position=position)
            )
    except BaseException:
        _files_delete([name for row in rows for name in _row_files(row)])
        raise
    if product.status == Product.Status.ACTIVE:
        listing_cache_invalidate()  # the cover on the product cards may have changed
    logger.info("product %s: %d image(s) added by user %s", product.id, len(rows), actor_id)
    return rows


def _image_for_seller(*, seller_id: int, image_id: int, lock: bool = False) -> ProductImage:
    rows = ProductImage.objects.select_related("product").filter(pk=image_id, product__seller_id=seller_id)
    if lock:
        rows = rows.select_for_update(of=("self",))
    row = rows.first()
    if row is None:
        raise ListingNotFound(_("This image does not exist."), extra={"image": ["not found"]})
    return row


# --- services ---------------------------------------------------------------------------------------


# Adding images decodes them (up to a second per large photo) BEFORE the transaction opens: on SQLite
# a transaction holds the database's single write lock from BEGIN, and on PostgreSQL the product row
# lock would make every other write to the listing wait for Pillow. Only the writes are atomic.


def product_images_add(
    *,
    seller_id: int,
    product_id: int,
    actor_id: int | None,
    uploads: Sequence[IO[bytes]],
    alt_text: str = "",
) -> list[ProductImage]:
    """Add images after the existing ones, all or none (one bad file refuses the whole batch)."""
    _product_for_seller(seller_id=seller_id, product_id=product_id)  # "not found" before any work
    alt_text = _alt_text_clean(alt_text)
    if not uploads:
        message = _("Choose at least one image.")
        raise ApplicationError(message, extra={"image": [message]})
    # A quick refusal for a full listing; checked again under the row lock when writing.
    _check_room(existing=ProductImage.objects.filter(product_id=product_id).count(), adding=len(uploads))
    prepared = _images_prepare(uploads)
    return _images_attach(
        seller_id=seller_id, product_id=product_id, actor_id=actor_id, prepared=prepared, alt_text=alt_text
    )


@transaction.atomic
def _images_attach(
    *,
    seller_id: int,
    product_id: int,
    actor_id: int | None,
    prepared: Sequence[ProcessedImage],
    alt_text: str,
) -> list[ProductImage]:
    # The product row lock serialises concurrent uploads, so together they cannot pass the limit.
    product = _product_for_seller(seller_id=seller_id, product_id=product_id, lock=True)
    _check_room(existing=product.images.count(), adding=len(prepared))
    return _images_store(product=product, prepared=prepared, alt_text=alt_text, actor_id=actor_id)


def product_image_add(
    *, seller_id: int, product_id: int, actor_id: int | None, upload: IO[bytes], alt_text: str = ""
) -> ProductImage:
    """Add one image after the existing ones."""
    return product_images_add(
        seller_id=seller_id, product_id=product_id, actor_id=actor_id, uploads=[upload], alt_text=alt_text
    )[0]


def product_create_with_images(
    *, uploads: Sequence[IO[bytes]], image_alt_text: str = "", **listing: Any
) -> Product:
    """``services_listing.product_create(**listing)`` and its first images, all or nothing: a bad
    image means no listing is created. The images are checked first, so a refused file costs no
    listing work."""
    image_alt_text = _alt_text_clean(image_alt_text)
    _check_room(existing=0, adding=len(uploads))
    prepared = _images_prepare(uploads)
    with transaction.atomic():
        product = product_create(**listing)
        if prepared:
            _images_store(
                product=product, prepared=prepared, alt_text=image_alt_text, actor_id=listing.get("actor_id")
            )
    return product


@transaction.atomic
def product_image_update(
    *, seller_id: int, image_id: int, actor_id: int | None, alt_text: str
) -> ProductImage:
    """Change an image's description (its alternative text for screen readers and search engines)."""
    row = _image_for_seller(seller_id=seller_id, image_id=image_id, lock=True)
    _row, changed = model_update(
        instance=row, fields=["alt_text"], data={"alt_text": _alt_text_clean(alt_text)}
    )
    if changed and row.product.status == Product.Status.ACTIVE:
        listing_cache_invalidate()
    return row


@transaction.atomic
def product_image_delete(*, seller_id: int, image_id: int, actor_id: int | None) -> None:
    """Remove an image; its files are deleted once the removal commits, unless another row still
    uses them (demo products share their placeholder files)."""
    row = _image_for_seller(seller_id=seller_id, image_id=image_id, lock=True)
    product = row.product
    names = _row_files(row)
    row.delete()
    shared = Q(image__in=names) | Q(thumbnail__in=names)
    still_used = {
        name
        for pair in ProductImage.objects.filter(shared).values_list("image", "thumbnail")
        for name in pair
    }
    orphaned = [name for name in names if name not in still_used]
    transaction.on_commit(lambda: _files_delete(orphaned))
    if product.status == Product.Status.ACTIVE:
        listing_cache_invalidate()
    logger.info("product %s: image %s removed by user %s", product.id, image_id, actor_id)


@transaction.atomic
def product_image_reorder(
    *, seller_id: int, product_id: int, actor_id: int | None, image_ids: Sequence[int]
) -> list[ProductImage]:
    """Put the product's images in the order of ``image_ids`` (which must name each exactly once);
    the first one is the cover."""
    product = _product_for_seller(seller_id=seller_id, product_id=product_id, lock=True)
    rows = {row.id: row for row in product.images.all()}
    if len(image_ids) != len(set(image_ids)) or set(image_ids) != set(rows):
        message = _("The images changed meanwhile; reload the page and try again.")
        raise ApplicationError(message, extra={"images": [message]})
    now = timezone.now()
    changed = []
    for position, image_id in enumerate(image_ids):
        row = rows[image_id]
        if row.position != position:
            row.position, row.updated_at = position, now
            changed.append(row)
    ProductImage.objects.bulk_update(changed, ["position", "updated_at"])
    if changed and product.status == Product.Status.ACTIVE:
        listing_cache_invalidate()
    return [rows[image_id] for image_id in image_ids]


@transaction.atomic
def product_image_move(*, seller_id: int, image_id: int, actor_id: int | None, direction: str) -> None:
    """Swap an image with its neighbour before (``"up"``) or after (``"down"``) it; at either end
    nothing changes."""
    if direction not in MOVES:
        raise ApplicationError(_("Unknown direction."), extra={"direction": [_("Unknown direction.")]})
    row = _image_for_seller(seller_id=seller_id, image_id=image_id)
    _product_for_seller(seller_id=seller_id, product_id=row.product_id, lock=True)  # a stable order
    ids = list(
        ProductImage.objects.filter(product_id=row.product_id)
        .order_by("position", "id")
        .values_list("pk", flat=True)
    )
    index = ids.index(row.id)
    other = index + MOVES[direction]
    if not 0 <= other < len(ids):
        return
    ids[index], ids[other] = ids[other], ids[index]
    product_image_reorder(seller_id=seller_id, product_id=row.product_id, actor_id=actor_id, image_ids=ids)
