"""Product images as we store them: decoded, checked and re-encoded from whatever a seller uploaded.

Pure Pillow, no ORM and no storage: ``image_process`` takes the uploaded bytes and returns the image
and its thumbnail as new files. Nothing of the upload survives but its pixels: re-encoding drops EXIF
(camera, GPS position), XMP and comments, and anything hidden after the image data. Only the colour
profile is kept, because without it wide-gamut photos would show with wrong colours.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import IO

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF"})
# 40 megapixels is more than any phone camera gives; a larger claim is most likely a decompression
# bomb (a small file that decodes to gigabytes), so it is refused before any pixel is decoded.
MAX_PIXELS = 40_000_000
MAX_SIDE = 2000  # the long side of the stored image; larger uploads are scaled down
THUMBNAIL_SIDE = 480  # thumbnails fit in a square of this size
JPEG_QUALITY = 85
WEBP_QUALITY = 85
THUMBNAIL_QUALITY = 80


class ImageRejected(ValueError):
    """The upload is not an image we accept; ``message`` says why, for the seller."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class EncodedImage:
    content: bytes
    extension: str  # without the dot: "jpg", "webp"
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class ProcessedImage:
    image: EncodedImage
    thumbnail: EncodedImage


def image_process(
    source: IO[bytes],
    *,
    max_bytes: int,
    max_pixels: int = MAX_PIXELS,
    max_side: int = MAX_SIDE,
    thumbnail_side: int = THUMBNAIL_SIDE,
) -> ProcessedImage:
    """Validate an upload and re-encode it (EXIF orientation applied, long side at most ``max_side``),
    with a thumbnail that fits in ``thumbnail_side`` squared. Raises ``ImageRejected``."""
    data = source.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ImageRejected(
            _("The file is larger than %(limit)s; upload a smaller image.")
            % {"limit": filesizeformat(max_bytes)}
        )
    if not data:
        raise ImageRejected(_("The file is empty."))
    image = _decode(data, max_pixels=max_pixels, max_side=max_side)
    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS, reducing_gap=3.0)
    thumbnail = image.copy()
    thumbnail.thumbnail((thumbnail_side, thumbnail_side), Image.Resampling.LANCZOS, reducing_gap=3.0)
    return ProcessedImage(image=_encode(image, thumbnail=False), thumbnail=_encode(thumbnail, thumbnail=True))


def _decode(data: bytes, *, max_pixels: int, max_side: int) -> Image.Image:
    """The first frame, fully decoded, upright, in RGB or RGBA; the colour profile kept in ``info``."""
    not_an_image = ImageRejected(_("The file is not an image: upload a JPEG, PNG, WebP or GIF file."))
    with warnings.catch_warnings():
        # Pillow only warns between its own limit and twice it; ours is lower and checked below.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as probe:
                _check_header(probe, max_pixels=max_pixels)
                probe.verify()
            image = Image.open(io.BytesIO(data))  # verify() leaves the image unusable: open it again
            _check_header(image, max_pixels=max_pixels)
            image.seek(0)
            if image.format == "JPEG":
                # Let libjpeg decode at 1/2, 1/4 or 1/8 scale when that still covers ``max_side``:
                # a 40-megapixel photo then costs a fraction of the memory and time.
                image.draft(image.mode, (max_side, max_side))
            image.load()
            upright = ImageOps.exif_transpose(image)
        except ImageRejected:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _too_many_pixels(max_pixels) from exc
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, IndexError) as exc:
            # Pillow reports broken files through all of these (truncated data, bad chunks, bad EXIF).
            raise not_an_image from exc
    icc_profile = image.info.get("icc_profile")
    upright = _to_rgb_or_rgba(upright)
    # Pillow writes what ``info`` holds (EXIF, XMP, comments) back out on save: keep only the profile.
    upright.info = {"icc_profile": icc_profile} if icc_profile else {}
    return upright


def _check_header(image: Image.Image, *, max_pixels: int) -> None:
    if image.format not in ALLOWED_FORMATS:
        raise ImageRejected(_("This image format is not accepted: upload a JPEG, PNG, WebP or GIF file."))
    width, height = image.size
    if width < 1 or height < 1:
        raise ImageRejected(_("The file is not an image: upload a JPEG, PNG, WebP or GIF file."))
    if width * height > max_pixels:
        raise _too_many_pixels(max_pixels)


def _too_many_pixels(max_pixels: int) -> ImageRejected:
    return ImageRejected(
        _("The image has too many pixels (at most %(n)s megapixels); upload a smaller image.")
        % {"n": f"{max_pixels / 1_000_000:g}"}
    )


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
        image.mode == "P" and "transparency" in image.info
    )


def _to_rgb_or_rgba(image: Image.Image) -> Image.Image:
    if _has_alpha(image):
        return image if image.mode == "RGBA" else image.convert("RGBA")
    if image.mode == "RGB":
        return image
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        # 16-bit greyscale: scale to 8 bits first; a plain convert("RGB") would clip to white.
        image = image.point(lambda value: value / 256).convert("L")
    return image.convert("RGB")


def _encode(image: Image.Image, *, thumbnail: bool) -> EncodedImage:
    """Opaque images as JPEG (thumbnails as WebP); images with transparency as WebP."""
    out = io.BytesIO()
    icc_profile = image.info.get("icc_profile") or None
    if thumbnail or image.mode == "RGBA":
        quality = THUMBNAIL_QUALITY if thumbnail else WEBP_QUALITY
        image.save(out, "WEBP", quality=quality, method=4, icc_profile=icc_profile)
        extension = "webp"
    else:
        image.save(
            out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True, icc_profile=icc_profile
        )
        extension = "jpg"
    return EncodedImage(content=out.getvalue(), extension=extension, width=image.width, height=image.height)
