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
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, Iterator, Union

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
    every fragment not named in `remake` (None: make them all). Runs of kept fragments are copied
    by the kernel (copy_file_range), not through Python: most of atlas.json after one edit."""
    previous = _offsets(layout, old)
    written = Written("", [])
    with open(target, "wb", buffering=0) as out, _Source(old if previous else None) as source:
        sink = _Sink(out, source)
        for key, data, h in _pieces(document, path, previous, remake, written):
            sink.add(data)
            written.layout.append((key, len(data), h))
        sink.flush()
    written.digest = digest(*(h for _, _, h in written.layout))
    return written


@dataclass(frozen=True)
class _Kept:
    """A fragment to copy from the published file: where it is there."""

    offset: int
    size: int

    def __len__(self) -> int:
        return self.size


class _Sink:
    """The new file: made bytes gathered in a buffer, kept ones merged into runs copied at once."""

    LIMIT = 1 << 20

    def __init__(self, out: BinaryIO, source: "_Source") -> None:
        self.out, self.source = out, source
        self.buffer = bytearray()
        self.run: tuple[int, int] | None = None  # (offset, size) in the published file

    def add(self, data: "bytes | _Kept") -> None:
        if isinstance(data, _Kept):
            if self.run is not None and self.run[0] + self.run[1] == data.offset:
                self.run = (self.run[0], self.run[1] + data.size)
                return
            self._copy()
            self._write()
            self.run = (data.offset, data.size)
            return
        if self.run is not None and len(data) <= 64 and self.source.holds(self.run[0] + self.run[1], data):
            self.run = (self.run[0], self.run[1] + len(data))  # a separator between kept fragments
            return
        self._copy()
        self.buffer += data
        if len(self.buffer) >= self.LIMIT:
            self._write()

    def flush(self) -> None:
        self._copy()
        self._write()

    def _write(self) -> None:
        view, done = memoryview(self.buffer), 0
        while done < len(view):  # an unbuffered file may take part of it
            done += self.out.write(view[done:]) or 0
        view.release()
        self.buffer = bytearray()

    def _copy(self) -> None:
        if self.run is None:
            return
        self._write()
        self.source.copy(*self.run, self.out)
        self.run = None


def _pieces(document: Iterable[Part], path: str, previous: dict[str, tuple[int, int, str]],
            remake: frozenset[str] | None, written: Written
            ) -> Iterator[tuple[str | None, "bytes | _Kept", str]]:
    """(key, bytes, digest) of each segment of the file, in order."""
    for part in document:
        if isinstance(part, bytes):
            yield None, part, digest(part)
        elif isinstance(part, Fragment):
            yield part.key, *_fragment(part, path, previous, remake, written)
        else:
            first, between = True, digest(part.separator)  # once: a separator sits between thousands
            for piece in part.fragments:
                data, h = _fragment(piece, path, previous, remake, written)
                if data and not first:
                    yield None, part.separator, between
                first = first and not data
                yield piece.key, data, h  # an empty one too: its layout entry saves remaking it


def _fragment(piece: Fragment, path: str, previous: dict[str, tuple[int, int, str]],
              remake: frozenset[str] | None, written: Written) -> tuple["bytes | _Kept", str]:
    found = previous.get(piece.key)
    if found is not None and remake is not None and fragment_id(path, piece.key) not in remake:
        offset, size, h = found
        return _Kept(offset, size), h
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

    def holds(self, offset: int, data: bytes) -> bool:
        """Whether the published file has `data` at `offset`."""
        assert self.map is not None
        return self.map[offset:offset + len(data)] == data

    def copy(self, offset: int, size: int, out: BinaryIO) -> None:
        """Append `size` bytes of the published file from `offset` to `out` (unbuffered)."""
        assert self.file is not None and self.map is not None
        done = 0
        try:
            while done < size:
                moved = os.copy_file_range(self.file.fileno(), out.fileno(), size - done, offset + done)
                if moved == 0:
                    break
                done += moved
        except (AttributeError, OSError):  # no copy_file_range here: through memory
            pass
        if done < size:
            out.write(self.map[offset + done:offset + size])

    def __exit__(self, *exc: object) -> None:
        if self.map is not None:
            self.map.close()
        if self.file is not None:
            self.file.close()
