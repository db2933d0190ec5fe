"""Entry images: checked and derived once (`prepare`), then published beside the pages (`produce`).

`prepare` runs with the checks, so `check` reports a missing or unreadable image like any other
content error, at the entry's `image` line, and has `imaging.derive` make the files of each new
source (widths, WebP and the source's own format, upright, without metadata).

The derived files are content-addressed in `.atlas-cache/images/<key>/` (key: the source's bytes,
the widths, `pictures.VERSION`): an unchanged image is never decoded again, and since the key
says everything the files depend on, the folder is trusted even by `--no-cache` builds. A
set appears whole or not at all (written aside, then renamed), so a killed build leaves no
half-made set behind; sets that no entry uses any more are removed when every image is fine.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any, Iterable

from ..link.graph import Atlas
from ..model import deps
from ..model.kinds import KINDS, Entry
from ..model.problems import Problem
from ..pages.pictures import (CACHE, ImageProblem, cache_folder, cache_key, file_key, manifest, picture_of, source,
                              source_digest)
from ..read.source import slugify

READ_HINT = "open it in an image editor and export it again as JPEG or PNG"
STALE_SECONDS = 3600  # a half-made set older than this was left by a killed build, not by a running one


def with_image(atlas: Atlas, read: set[str] | None = None) -> list[Entry]:
    """The entries that have an `image`, in path order; `read` gets the `image` field of each entry."""
    found = []
    for entry in atlas.entries.values():
        if read is not None:
            read.add(deps.field(entry.kind, entry.slug, "image"))
        if entry.get("image"):
            found.append(entry)
    return sorted(found, key=lambda e: e.path)


def prepare(atlas: Atlas, root: Path, prune_unused: bool = True) -> list[Problem]:
    """Check every entry's image and derive the files of those not in the cache yet; when every
    image is fine (and `atlas` is the whole atlas: `prune_unused`), drop the cached sets that no
    entry uses any more."""
    problems: list[Problem] = []
    derived: set[str] = set()
    cached: set[str] = set()
    for entry in with_image(atlas):
        line = entry.line("image")
        try:
            path = source(root, entry)
            key = cache_key(source_digest(path))
        except ImageProblem as exc:
            problems.append(Problem(entry.path, line, "image", exc.message, exc.hint))
            continue
        except OSError as exc:  # e.g. a file the build may not read
            problems.append(Problem(entry.path, line, "image", f"cannot read the image file: {exc.strerror}",
                                    "check the file's permissions"))
            continue
        if key in derived or key in cached:
            continue
        if manifest(root, key) is not None:
            cached.add(key)
            continue
        from . import imaging  # Pillow takes 50 ms to import: only when there is an image to make

        try:
            imaging.derive(path.read_bytes(), slugify(path.stem) or "image", cache_folder(root, key), key)
        except imaging.UnreadableImage as exc:
            where = path.relative_to(root.resolve()).as_posix()
            problems.append(Problem(entry.path, line, "image", f"cannot read the image {where}: {exc}", READ_HINT))
            continue
        derived.add(key)
    if not problems and prune_unused:
        prune(root, derived | cached)
    return problems


def prune(root: Path, used: set[str]) -> None:
    """Remove the cached sets of images no entry uses now, and what killed builds left half-made."""
    folder = root / CACHE
    for path in folder.iterdir() if folder.is_dir() else []:
        if path.is_dir() and path.name not in used and (not path.name.startswith(".")
                                                        or time.time() - path.stat().st_mtime > STALE_SECONDS):
            shutil.rmtree(path, ignore_errors=True)


def produce(atlas: Atlas, site: dict[str, Any], pages: Any, read: set[str]) -> Iterable[tuple[str, Any]]:
    """Every derived file of every entry's image, under images/, each once. `read` gets what it
    read: which entries exist, their `image` field, the image files."""
    root = Path(atlas.root or ".")
    seen: set[str] = set()
    read.update(deps.kind_list(kind) for kind in KINDS)
    for entry in with_image(atlas, read):
        path, found = picture_of(root, entry)
        read.add(file_key(root, path))
        folder = cache_folder(root, cache_key(source_digest(path)))
        for variant in found.fallback + found.webp:
            if variant.url not in seen:
                seen.add(variant.url)
                yield variant.url, (folder / variant.url.rpartition("/")[2]).read_bytes()
