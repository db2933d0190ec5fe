"""Export files made of fragments (an entry's JSON record, a CSV row), so that an edit costs its fragment.

A producer describes a file as a Document: literal bytes, Fragments, and Joined runs of fragments
with a separator. Each Fragment has a key and a make(deps) function that returns its bytes and
adds to `deps` the dependency keys it read (model/deps.py), as pages do through the View. The
writer remakes only the fragments it is told to (the readers of changed dependencies) and copies
every other one from the published file, at the place the stored layout says it is: writing the
60 MB atlas.json of a 10,000-actor atlas after one edit costs one record and a copy, and the
producer reads no entry it does not remake.
"""

from __future__ import annotations

import mmap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Union

from ..model.digest import digest

Segment = tuple[Union[str, None], int, str]  # (fragment key or None for literal bytes, size, digest)


@dataclass(frozen=True)
class Fragment:
    """A piece of a file: its key (unique in the file) and how to make its bytes."""

    key: str
    make: Callable[[set[str]], bytes]


@dataclass(frozen=True)
class Joined:
    """Fragments separated by `separator`; an empty fragment takes no separator (a place without geo)."""

    fragments: Iterable[Fragment]
    separator: bytes


Part = Union[bytes, Fragment, Joined]
Document = list[Part]  # what a producer gives for a file made of fragments


@dataclass
class Written:
    """What writing a document did: its digest and layout, the fragments made and what they read."""

    digest: str
    layout: list[Segment]
    made: dict[str, set[str]] = field(default_factory=dict)  # fragment key -> dependencies


def fragment_id(path: str, key: str) -> str:
    """How a fragment is named as a reader in the cache's reverse index."""
    return f"{path}#{key}"


def write(document: Iterable[Part], target: Path, path: str, old: Path | None, layout: list[Segment] | None,
          remake: frozenset[str] | None) -> Written:
    """Write `document` to `target`, copying from `old` (the published file laid out as `layout`)
    every fragment not named in `remake` (None: make them all)."""
    previous = _offsets(layout, old)
    written = Written("", [])
    with open(target, "wb", buffering=1 << 20) as out, _Source(old if previous else None) as source:
        for key, data, h in _pieces(document, path, previous, remake, source, written):
            out.write(data)
            written.layout.append((key, len(data), h))
    written.digest = digest(*(h for _, _, h in written.layout))
    return written


def _pieces(document: Iterable[Part], path: str, previous: dict[str, tuple[int, int, str]],
            remake: frozenset[str] | None, source: "_Source", written: Written
            ) -> Iterator[tuple[str | None, bytes, str]]:
    """(key, bytes, digest) of each segment of the file, in order."""
    for part in document:
        if isinstance(part, bytes):
            yield None, part, digest(part)
        elif isinstance(part, Fragment):
            yield part.key, *_fragment(part, path, previous, remake, source, written)
        else:
            first = True
            for piece in part.fragments:
                data, h = _fragment(piece, path, previous, remake, source, written)
                if data and not first:
                    yield None, part.separator, digest(part.separator)
                first = first and not data
                yield piece.key, data, h  # an empty one too: its layout entry saves remaking it


def _fragment(piece: Fragment, path: str, previous: dict[str, tuple[int, int, str]],
              remake: frozenset[str] | None, source: "_Source", written: Written) -> tuple[bytes, str]:
    found = previous.get(piece.key)
    if found is not None and remake is not None and fragment_id(path, piece.key) not in remake:
        offset, size, h = found
        return source.read(offset, size), h
    deps: set[str] = set()
    data = piece.make(deps)
    written.made[piece.key] = deps
    return data, digest(data)


def _offsets(layout: list[Segment] | None, old: Path | None) -> dict[str, tuple[int, int, str]]:
    """key -> (offset, size, digest) of each fragment of the published file; {} when its size
    does not match the layout (then nothing is copied from it)."""
    if not layout or old is None:
        return {}
    found, offset = {}, 0
    for key, size, h in layout:
        if key is not None:
            found[key] = (offset, size, h)
        offset += size
    try:
        return found if old.stat().st_size == offset else {}
    except OSError:
        return {}


class _Source:
    """The published file, mapped in memory for the copies (nothing when there is none)."""

    def __init__(self, path: Path | None) -> None:
        self.path, self.file, self.map = path, None, None

    def __enter__(self) -> "_Source":
        if self.path is not None and self.path.stat().st_size:
            self.file = open(self.path, "rb")
            self.map = mmap.mmap(self.file.fileno(), 0, access=mmap.ACCESS_READ)
        return self

    def read(self, offset: int, size: int) -> bytes:
        assert self.map is not None
        return self.map[offset:offset + size]

    def __exit__(self, *exc: object) -> None:
        if self.map is not None:
            self.map.close()
        if self.file is not None:
            self.file.close()
