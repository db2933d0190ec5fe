"""Pillow's part of entry images: decode a source, then write its derived files and manifest.

For a source, `derive` writes the widths of `pages/pictures.WIDTHS` that are not wider than the
source (never upscaled), each in WebP and in the source's own format (JPEG; PNG for PNG, GIF
and images with transparency), with the EXIF orientation applied and the metadata left behind
(EXIF with its GPS position, XMP, comments): only the colour profile of an RGB source is kept,
colours depend on it. Change what this module writes, and bump `pictures.VERSION`.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import warnings
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps, UnidentifiedImageError

from ..pages.pictures import WIDTHS

ENCODERS: dict[str, dict[str, Any]] = {  # Pillow's save() options per format written
    "JPEG": {"format": "JPEG", "quality": 82, "optimize": True, "progressive": True},
    "PNG": {"format": "PNG", "optimize": True},
    "WEBP": {"format": "WEBP", "quality": 80, "method": 4},
}
TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
ORIENTATION = 0x0112  # the EXIF tag


class UnreadableImage(Exception):
    """The file is not an image Pillow can decode whole (a text file named .png, a truncated JPEG)."""


def decode(data: bytes, largest: int) -> tuple[Image.Image, str]:
    """The image upright (EXIF orientation applied) and its format; decoded no larger than needed."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            original = "JPEG" if image.format == "MPO" else image.format or ""  # MPO: a camera's JPEG
            if original not in ("JPEG", "PNG", "WEBP", "GIF"):
                raise UnreadableImage(f"{original or 'unknown'} images are not supported (JPEG, PNG, WebP or GIF)")
            sideways = image.getexif().get(ORIENTATION, 1) in (5, 6, 7, 8)  # upright width = stored height
            image.draft("RGB", (1, largest) if sideways else (largest, 1))  # JPEG: at 1/2, 1/4… if still as wide
            image.load()
            return ImageOps.exif_transpose(image), original
    except UnidentifiedImageError:
        raise UnreadableImage("not an image file (or a format Pillow does not know)") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UnreadableImage("too many pixels (over 89 million): a decompression bomb or a huge scan") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise UnreadableImage(str(exc) or type(exc).__name__) from None


def target_widths(width: int) -> tuple[int, ...]:
    """The widths to derive for a source this wide: WIDTHS, and the source's own when it is narrower."""
    return tuple(sorted({min(w, width) for w in WIDTHS}))


def fallback_format(original: str, image: Image.Image) -> str:
    """The source's own format for browsers without WebP: PNG keeps transparency, else JPEG."""
    return "PNG" if original in ("PNG", "GIF") or _has_alpha(image) else "JPEG"


def _has_alpha(image: Image.Image) -> bool:
    return "A" in image.getbands() or "transparency" in image.info


def clean(image: Image.Image) -> tuple[Image.Image, bytes | None]:
    """RGB or RGBA pixels without any metadata, and the colour profile worth keeping (RGB sources)."""
    profile = image.info.get("icc_profile") if image.mode in ("RGB", "RGBA") else None
    pixels = image.convert("RGBA" if _has_alpha(image) else "RGB")
    pixels.info = {}  # convert() copies EXIF, XMP and comments, which the encoders would write back
    return pixels, profile


def resize(image: Image.Image, width: int) -> Image.Image:
    """The image at `width` pixels wide, proportions kept (the same image when already that wide)."""
    if width >= image.width:
        return image
    height = max(1, round(image.height * width / image.width))
    smaller = image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
    smaller.info = {}
    return smaller


def encode(image: Image.Image, options: dict[str, Any], profile: bytes | None) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, **options, **({"icc_profile": profile} if profile else {}))
    return buffer.getvalue()


def derive(data: bytes, stem: str, folder: Path, key: str) -> None:
    """Write the derived files of one source and their manifest into `folder`, whole or not at all."""
    upright, original = decode(data, max(WIDTHS))
    fallback = fallback_format(original, upright)
    pixels, profile = clean(upright)
    variants = []
    tmp = folder.with_name(f".{folder.name}.tmp{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    sized = pixels
    for width in sorted(target_widths(pixels.width), reverse=True):  # each from the one above: faster
        sized = resize(sized, width)
        for name in ("WEBP", fallback):
            file = f"{stem}-{key}-{width}.{EXTENSIONS[name]}"
            (tmp / file).write_bytes(encode(sized, ENCODERS[name], profile))
            variants.append({"file": file, "type": TYPES[name], "width": sized.width, "height": sized.height})
    variants.sort(key=lambda v: (v["type"], v["width"]))
    (tmp / "manifest.json").write_text(json.dumps({"fallback": TYPES[fallback], "variants": variants},
                                                  indent=1) + "\n", encoding="utf-8")
    try:
        tmp.rename(folder)
    except OSError:  # another build made it meanwhile: the same bytes, keep theirs
        shutil.rmtree(tmp, ignore_errors=True)
