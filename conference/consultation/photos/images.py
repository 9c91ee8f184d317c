"""A clean copy of an uploaded photo: accepted by its content, re-encoded from its pixels alone.

An upload is accepted by its content, never by its name: Pillow must recognise a JPEG, PNG or WebP,
verify it, and decode it again within a pixel limit. What is stored is a new file made from the
pixels alone (turned the way the camera said, scaled down, colours in sRGB), so no EXIF, GPS
position, camera serial number, XMP or colour profile of the original survives.
"""

import io
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from conference.core.errors import Refusal

MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 50_000_000  # a 50-megapixel camera; more is a decompression bomb as far as we are concerned
LONG_SIDE = 2400
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
JPEG_QUALITY = 85


class PhotoError(Refusal):
    """An upload or a change of a photo that the rules refuse; `field` names the form field it concerns."""

    messages = {
        "too_large": _l("The file is too large: at most 8 MB."),
        "not_image": _l("Choose a photo in JPEG, PNG or WebP format."),
        "too_many_pixels": _l("The photo has too many pixels: at most 50 megapixels."),
        "damaged": _l("The photo cannot be read. The file may be damaged; try saving it again."),
        "already_taken_down": _l("The photo is already taken down."),
        "request_pending": _l("Someone has asked for the photo to be taken down. Decide on the request first."),
        "already_decided": _l("The request has already been decided."),
    }


@dataclass
class Encoded:
    data: bytes
    content_type: str
    width: int
    height: int


def encode(data: bytes, *, max_bytes: int = MAX_BYTES) -> Encoded:
    """A clean copy of an uploaded photo, or PhotoError("too_large" | "not_image" | "too_many_pixels" | "damaged")."""
    if len(data) > max_bytes:
        raise PhotoError("too_large", "photo")
    try:
        with Image.open(io.BytesIO(data)) as probe:  # reads the header only
            check_header(probe)
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:  # verify() spends the image: open it again to decode
            check_header(image)
            return clean_copy(image)
    except Image.DecompressionBombError:
        raise PhotoError("too_many_pixels", "photo") from None
    except UnidentifiedImageError:
        raise PhotoError("not_image", "photo") from None
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError, KeyError):
        raise PhotoError("damaged", "photo") from None


def check_header(image: Image.Image) -> None:
    if image.format not in ACCEPTED_FORMATS:
        raise PhotoError("not_image", "photo")
    width, height = image.size
    if width < 1 or height < 1 or width * height > MAX_PIXELS:
        raise PhotoError("too_many_pixels", "photo")


def clean_copy(image: Image.Image) -> Encoded:
    if image.format == "JPEG":
        # let the decoder scale down by 1/2, 1/4 or 1/8 while reading: a large photo never sits whole in memory
        image.draft(None, target_size(image.size, LONG_SIDE))
    icc_profile = image.info.get("icc_profile")
    turned = ImageOps.exif_transpose(image)  # the camera's orientation tag, applied to the pixels
    turned.thumbnail((LONG_SIDE, LONG_SIDE), Image.Resampling.LANCZOS)
    turned = in_srgb(turned, icc_profile)
    transparent = has_transparency(turned)
    if transparent:
        mode = "RGBA"
    elif turned.mode in ("1", "L"):
        mode = "L"
    else:
        mode = "RGB"
    pixels = turned.convert(mode)
    # a new image from the pixels alone: nothing of the original's info, EXIF or profile comes along
    fresh = Image.frombytes(pixels.mode, pixels.size, pixels.tobytes())
    out = io.BytesIO()
    if transparent:
        fresh.save(out, format="PNG", optimize=True)
        content_type = "image/png"
    else:
        fresh.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
        content_type = "image/jpeg"
    return Encoded(data=out.getvalue(), content_type=content_type, width=fresh.width, height=fresh.height)


def target_size(size: tuple[int, int], long_side: int) -> tuple[int, int]:
    width, height = size
    scale = min(1.0, long_side / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def has_transparency(image: Image.Image) -> bool:
    """True if some pixel is at least partly see-through (an alpha channel that is all opaque does not count)."""
    if not image.has_transparency_data:
        return False
    alpha = image.convert("RGBA").getchannel("A")
    return alpha.getextrema()[0] < 255


def in_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """Colours turned from the photo's own profile into sRGB, which browsers assume when there is none."""
    if not icc_profile or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        return ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"),
                                         outputMode="RGBA" if image.mode == "RGBA" else "RGB")
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image  # an unreadable profile: keep the pixels as they are
