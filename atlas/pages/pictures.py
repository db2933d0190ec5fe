"""An entry's image as pages show it: the derived files of its source, and what a page records.

`image:` names a file beside the entry (`photo.jpg` in `content/actors/`) or under the site's
`assets/` (`/assets/photos/x.jpg`). `outputs/images.py` derives from it a few widths in WebP and
in the source's own format, content-addressed in `.atlas-cache/images/<key>/` with a manifest;
this module finds that manifest again from the source's bytes, so pages, the producer and the
cache agree on the same files without passing state around. A page showing an image records
`f:<path of the source>`, whose digest is the file's, so a replaced photo re-renders its pages.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..model import deps
from ..model.digest import settled
from ..model.kinds import Entry
from ..model.problems import AtlasError, closest
from ..read.source import COMPANIONS, digest

WIDTHS = (480, 960, 1440)  # derived widths; a smaller source gives its own width instead, never upscaled
VERSION = 1  # bump whenever outputs/images.py would write other bytes for the same source
CACHE = Path(".atlas-cache") / "images"
FOLDER = "images"  # where the derived files are published in the site
SRC_WIDTH = 960  # the <img src> for browsers without srcset: the variant closest to this width
_DIGESTS: dict[Path, tuple[int, int, str]] = {}  # path -> (size, mtime, digest), for this process


class ImageProblem(Exception):
    """An `image` value that names no usable file; message and hint for the contributor."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


@dataclass(frozen=True)
class Variant:
    """One derived file: its site path (`images/x-…-480.webp`) and its pixel size."""

    url: str
    width: int
    height: int


@dataclass(frozen=True)
class Picture:
    """What the markup needs: variants by format (widest last), the intrinsic size, alt and credit."""

    alt: str
    credit: str
    width: int  # of the widest variant: <img width height> reserve the space (no layout shift)
    height: int
    mime: str  # the fallback's type, image/jpeg or image/png
    fallback: tuple[Variant, ...]
    webp: tuple[Variant, ...]

    @property
    def src(self) -> Variant:
        """The fallback file for browsers that ignore srcset."""
        return min(self.fallback, key=lambda v: (abs(v.width - SRC_WIDTH), -v.width))

    @property
    def largest(self) -> Variant:
        """The widest fallback file (Open Graph: scrapers read JPEG and PNG, not always WebP)."""
        return self.fallback[-1]


def source(root: Path, entry: Entry) -> Path:
    """The resolved file an entry's `image` names, checked to be an image file inside the atlas."""
    value = str(entry.get("image"))
    if "://" in value or value.startswith(("data:", "//")):
        raise ImageProblem(f"'{value}' is a web address, not a file of the atlas",
                           "save the image (if its licence allows) beside the entry and write its file name")
    root = root.resolve()
    if value.startswith("/"):
        if not value.startswith("/assets/"):
            raise ImageProblem(f"'{value}': an absolute image path must start with /assets/",
                               "or write a file name beside the entry, e.g. image: photo.jpg")
        path, allowed = root / value.lstrip("/"), root / "assets"
    else:
        path, allowed = root / Path(entry.path).parent / value, root / "content"
    path = path.resolve()
    if allowed.resolve() not in path.parents:
        raise ImageProblem(f"'{value}' is outside {allowed.name}/", "keep images beside the entry or under assets/")
    if path.suffix.lower() not in COMPANIONS:
        raise ImageProblem(f"'{value}': {path.suffix or 'no extension'} is not a supported image type",
                           "use JPEG, PNG, WebP or GIF (export an SVG logo as PNG)")
    if not path.is_file():
        near = sorted(p.name for p in path.parent.iterdir() if p.suffix.lower() in COMPANIONS) \
            if path.parent.is_dir() else []
        same = [n for n in near if n.lower() == path.name.lower()]
        hint = (f"the file is named '{same[0]}': names are case-sensitive on the web server" if same else
                closest(path.name, near) or f"put the file at {path.relative_to(root).as_posix()}")
        raise ImageProblem(f"image file not found: {path.relative_to(root).as_posix()}", hint)
    return path


def source_digest(path: Path) -> str:
    """The digest of a source file's bytes, remembered while its size and mtime stay the same."""
    stat = path.stat()
    known = _DIGESTS.get(path)
    if known is not None and known[:2] == (stat.st_size, stat.st_mtime_ns) \
            and settled(stat.st_mtime_ns):
        return known[2]
    found = digest(path.read_bytes())
    _DIGESTS[path] = (stat.st_size, stat.st_mtime_ns, found)
    return found


def cache_key(source_hash: str) -> str:
    """Names the derived files of a source: its bytes, the widths and the processing version."""
    text = f"{source_hash}|{','.join(map(str, WIDTHS))}|{VERSION}"
    return hashlib.blake2b(text.encode(), digest_size=10).hexdigest()


def cache_folder(root: Path, key: str) -> Path:
    return root / CACHE / key


def manifest(root: Path, key: str) -> dict[str, Any] | None:
    """The manifest of derived files for `key`, or None when they were not made (or half made)."""
    try:
        return json.loads((cache_folder(root, key) / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def picture_of(root: Path, entry: Entry) -> tuple[Path, Picture]:
    """(source file, Picture) of an entry with an image; AtlasError when it was not prepared."""
    try:
        path = source(root, entry)
    except ImageProblem as exc:
        raise AtlasError(f"{entry.path}:{entry.line('image')}: image: {exc.message}") from None
    found = manifest(root, cache_key(source_digest(path)))
    if found is None:
        raise AtlasError(f"{entry.path}: image {entry.get('image')} changed during the build; build again")
    variants = [(v["type"], Variant(f"{FOLDER}/{v['file']}", v["width"], v["height"])) for v in found["variants"]]
    fallback = tuple(v for t, v in variants if t != "image/webp")
    return path, Picture(alt=entry.get("image_alt", ""), credit=entry.get("image_credit", ""),
                         width=fallback[-1].width, height=fallback[-1].height, mime=found["fallback"],
                         fallback=fallback, webp=tuple(v for t, v in variants if t == "image/webp"))


def file_key(root: Path, path: Path) -> str:
    """The dependency of a page on a file of the atlas (its bytes): `f:<path from the root>`."""
    return deps.file(path.relative_to(root.resolve()).as_posix())


def picture(view: Any, entry: Entry) -> Picture | None:
    """The entry's Picture for a page (None without image); the page then depends on the file."""
    if not entry.get("image"):
        return None
    root = view.atlas.root
    path, found = picture_of(root, entry)
    view.deps.add(file_key(root, path))
    return found


def file_digest(atlas: Any, rest: str) -> str:
    """The cache's digest of `f:<path>`: the file's bytes, '-' when it is gone."""
    path = (Path(atlas.root) / rest).resolve()
    return source_digest(path) if path.is_file() else "-"
