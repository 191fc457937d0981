"""Image re-encoding: only the pixels survive (no EXIF, GPS, ICC or text chunks),
and an image over the pixel limit is refused from its header, before decoding."""

from __future__ import annotations

import io
import re
import warnings
from pathlib import Path
from typing import BinaryIO

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PIXELS = 40_000_000
FORMATS = {"png": "PNG", "jpg": "JPEG"}


class ImageError(ValueError):
    """An image refused; the message says why and what to do."""


def too_large(pixels: int, limit: int) -> ImageError:
    """The refusal for an image with too many pixels."""
    return ImageError(
        _l(
            "That image has %(pixels)s megapixels; the largest allowed is %(limit)s "
            "megapixels. Make it smaller (for example, send it from your phone at a "
            "smaller size) and upload it again.",
            pixels=pixels // 1_000_000,
            limit=limit // 1_000_000,
        )
    )


def _bomb_guard(limit: int) -> None:
    # Pillow warns past MAX_IMAGE_PIXELS and raises only past twice that: make
    # its limit ours, and its warning an error, so a bomb never gets decoded.
    Image.MAX_IMAGE_PIXELS = limit
    warnings.filterwarnings("error", category=Image.DecompressionBombWarning)


def _pixels_only(image: Image.Image, max_pixels: int) -> Image.Image:
    if image.width * image.height > max_pixels:
        raise too_large(image.width * image.height, max_pixels)
    image.load()
    upright = ImageOps.exif_transpose(image)
    if upright.mode not in {"RGB", "RGBA", "L", "LA"}:
        alpha = "transparency" in upright.info or "A" in upright.mode
        upright = upright.convert("RGBA" if alpha else "RGB")
    clean = Image.new(upright.mode, upright.size)  # no info, no EXIF
    clean.paste(upright)
    return clean


def reencode(source: Path | BinaryIO, kind: str, max_pixels: int = MAX_PIXELS) -> bytes:
    """The image re-encoded as `kind` ("png" or "jpg") from its pixels alone."""
    _bomb_guard(max_pixels)
    try:
        # Only PNG and JPEG decoders: never EPS (Ghostscript) or other plugins.
        with Image.open(source, formats=list(FORMATS.values())) as image:
            clean = _pixels_only(image, max_pixels)
    except ImageError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        pixels = re.search(r"\((\d+) pixels\)", str(error))
        raise too_large(int(pixels.group(1)) if pixels else 0, max_pixels) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ImageError(_l("That image could not be read.")) from None
    if kind == "jpg" and clean.mode not in {"RGB", "L"}:
        clean = clean.convert("RGB")
    buffer = io.BytesIO()
    clean.save(buffer, FORMATS[kind], quality=90)
    return buffer.getvalue()
