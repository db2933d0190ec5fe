"""The persistent build cache: parsed entries by file state, page dependencies, output digests.

Everything a cached build skips is justified by a digest recorded when the data was read: a
file is re-parsed unless its size and mtime are unchanged (and not too recent to trust), and a
page is re-rendered unless the digests of everything it read last time are the same now.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..link.graph import Atlas
from ..model.kinds import Entry
from ..pages.positions import position_digest
from ..pages.pictures import file_digest
from ..pages.status import status_digest

CACHE_DIR = ".atlas-cache"
_FORMAT = 5
_TRUST_AFTER_NS = 2_000_000_000  # files modified in the last 2 s are re-read: mtime ticks are coarse


def code_digest() -> str:
    """The generator's own code, every module of the package, is an input of every page."""
    h = hashlib.blake2b(digest_size=12)
    h.update(str(_FORMAT).encode())
    package = Path(__file__).resolve().parent.parent
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


@dataclass
class Cache:
    """What the previous build knew."""

    location: Path | None = None
    code: str = ""
    files: dict[str, tuple[int, int, Any, list[Any]]] = field(default_factory=dict)
    model: str = ""  # digest of the content model (types, fields) the cached files were validated with
    global_digest: str = ""
    deps: dict[str, str] = field(default_factory=dict)  # dependency -> its digest at the last build
    pages: dict[str, tuple[str, tuple[str, ...], Any]] = field(default_factory=dict)  # url -> (path, deps, links)
    manifest: dict[str, str] = field(default_factory=dict)  # output path -> digest, as published
    spare: dict[str, str] | None = None  # what the spare output folder holds, when known
    produced: list[str] = field(default_factory=list)  # files the producers wrote last time
    fragment_deps: frozenset[str] = frozenset()  # every dependency the fragments recorded
    fragments_token: str = ""  # names the fragments file that goes with this cache
    stamp: str = ""  # the output folders' stamp when this cache described them (see write.py)
    out: str = ""
    # Export fragments (outputs.Fragments) are most of the cache's bytes and are needed only when
    # the exports are made again: they live in a file of their own, read on first use and
    # written only when they changed, so a build that changes nothing never touches them.
    _fragments: dict[str, tuple[tuple[str, ...], Any]] | None = field(default=None, repr=False)
    _fragments_dirty: bool = field(default=False, repr=False)
    files_changed: bool = field(default=True, repr=False)  # set by pipeline.read: a file was (re)parsed or is gone

    @classmethod
    def load(cls, root: Path, out: Path) -> "Cache":
        """The cache of the last build into `out`, or an empty one if absent, stale or unreadable."""
        key = hashlib.blake2b(str(out.resolve()).encode(), digest_size=6).hexdigest()
        location = root / CACHE_DIR / f"build-{key}.pickle"
        code = code_digest()
        cache = _load(location)
        if isinstance(cache, cls) and cache.code == code and cache.out == str(out.resolve()):
            cache.location = location
            return cache
        return cls(location=location, code=code, out=str(out.resolve()))

    @property
    def fragments(self) -> dict[str, tuple[tuple[str, ...], Any]]:
        """The export fragments of the last build (read from their file the first time)."""
        if self._fragments is None:
            self._fragments = {}
            path = self._fragments_path()
            found = _load(path) if path is not None and self.fragments_token else None
            if isinstance(found, tuple) and len(found) == 2 and found[0] == self.fragments_token:
                self._fragments = found[1]
        return self._fragments

    @fragments.setter
    def fragments(self, value: dict[str, tuple[tuple[str, ...], Any]]) -> None:
        self._fragments, self._fragments_dirty = value, True
        self.fragments_token = os.urandom(8).hex()  # a file from another build never matches
        self.fragment_deps = frozenset(d for deps, _ in value.values() for d in deps)

    def _fragments_path(self) -> Path | None:
        return self.location.with_suffix(".fragments") if self.location is not None else None

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.update(location=None, _fragments=None, _fragments_dirty=False)
        return state

    def save(self) -> None:
        if self.location is None:
            return
        self.location.parent.mkdir(parents=True, exist_ok=True)
        ignore = self.location.parent / ".gitignore"
        if not ignore.exists():
            ignore.write_text("*\n")
        if self._fragments_dirty and self._fragments is not None:
            # Written first; a build killed before the main file leaves a token that no longer
            # matches, and the fragments are made again rather than trusted.
            _dump((self.fragments_token, self._fragments), self._fragments_path())
            self._fragments_dirty = False
        _dump(self, self.location)

    def cached_file(self, rel: str, stat: os.stat_result) -> tuple[Any, list[Any]] | None:
        """The parse result of a file whose size and mtime are unchanged."""
        found = self.files.get(rel)
        if found is None or found[0] != stat.st_size or found[1] != stat.st_mtime_ns:
            return None
        if time.time_ns() - stat.st_mtime_ns < _TRUST_AFTER_NS:
            return None
        return found[2], found[3]


class DepDigests:
    """Current digest of each dependency a page can record, memoised for one build."""

    def __init__(self, atlas: Atlas) -> None:
        self.atlas = atlas
        self.memo: dict[str, str] = {}

    def __call__(self, dep: str) -> str:
        found = self.memo.get(dep)
        if found is None:
            found = self.memo[dep] = self._compute(dep)
        return found

    def changed(self, previous: dict[str, str]) -> set[str]:
        """The dependencies whose digest differs from the previous build's."""
        return {dep for dep, old in previous.items() if self(dep) != old}

    def _compute(self, dep: str) -> str:
        what, _, rest = dep.partition(":")
        if what == "k":
            return _hash("\n".join(e.slug for e in self.atlas.by_kind.get(rest, [])))
        if what == "t":
            kind, _, type_ = rest.partition("/")
            return _hash("\n".join(e.slug for e in self.atlas.by_type.get((kind, type_), [])))
        if what == "f":  # a file beside the entries, e.g. an image
            return file_digest(self.atlas, rest)
        if what == "s":  # the status a page showed for a programme, against today's
            return status_digest(self.atlas, rest)
        if what == "g":  # where an actor is, for maps
            return position_digest(self.atlas, rest)
        kind, _, slug = rest.partition("/")
        entry = self.atlas.get(kind, slug)
        if entry is None:
            return "-"
        if what == "e":
            return entry.digest
        if what == "c":
            return _hash(repr(_card_fields(entry)))
        if what == "i":
            parts = [f"{k}:{n}:" + ",".join(e.slug for e in group)
                     for (k, n), group in sorted(self.atlas.inverse.get(entry.key, {}).items())]
            parts.append("m:" + ",".join(f"{e.kind}/{e.slug}" for e in self.atlas.mentions.get(entry.key, [])))
            parts.append("w:" + ",".join(f"{e.kind}/{e.slug}" for e in self.atlas.within.get(entry.key, [])))
            return _hash("\n".join(parts))
        raise ValueError(f"unknown dependency {dep!r}")


def _load(location: Path) -> Any:
    """Unpickled, or None when absent or unreadable; the collector paused: it would walk the new
    objects in vain."""
    paused = gc.isenabled()
    gc.disable()
    try:
        with open(location, "rb") as fh:
            return pickle.load(fh)
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None
    finally:
        if paused:
            gc.enable()


def _dump(value: Any, location: Path) -> None:
    """Pickle into a temporary file, then rename: a killed build never leaves half a cache."""
    tmp = location.with_suffix(location.suffix + f".tmp{os.getpid()}")
    with open(tmp, "wb") as fh:
        pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, location)


def _card_fields(entry: Entry) -> tuple[Any, ...]:
    v = entry.values
    return (v.get("title"), v.get("summary"), v.get("type"), v.get("themes"), v.get("territory"), v.get("image"))


def _hash(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()
