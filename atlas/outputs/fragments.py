"""Export files made of fragments (an entry's JSON record, a CSV row), so that an edit costs its fragment.

A producer describes a file as a Document: literal bytes, Fragments, and Joined runs of fragments
with a separator. Each Fragment has a key and a make(deps) function that returns its bytes and
adds to `deps` the dependency keys it read (model/deps.py), as pages do through the View. The
writer remakes only the fragments it is told to (the readers of changed dependencies) and copies
every other one from the published file, at the place the stored layout says it is: writing the
60 MB atlas.json of a 10,000-actor atlas after one edit costs one record and a copy, and the
producer reads no entry it does not remake. When the document has the published one's shape (the
same literal parts and fragment keys in the same order: no entry added, removed or moved), the
remade fragments are put in the published file's places without walking the others.
"""

from __future__ import annotations

import mmap
import os
from dataclasses import dataclass, field
from functools import partial
from itertools import accumulate
from pathlib import Path
from typing import BinaryIO, Callable, Container, NamedTuple, Sequence, Union

from ..model.digest import digest

Segment = tuple[Union[str, None], int, str]  # (fragment key or None for literal bytes, size, digest)
_Place = tuple[int, int, str, int]  # a fragment in the published file: offset, size, digest, index in its layout


class Fragment(NamedTuple):  # a tuple: 34,000 of them are made for atlas.json at 10,000 actors
    """A piece of a file: its key (unique in the file) and how to make its bytes."""

    key: str
    make: Callable[[set[str]], bytes]


@dataclass(frozen=True)
class Joined:
    """A run of fragments, one per key, made by `make(key, deps)` and separated by `separator`; an
    empty fragment takes no separator (a place without geo). Keys, not Fragments: a run is most of
    a file (10,000 records), and an edit makes one of them."""

    keys: Sequence[str]
    make: Callable[[str, set[str]], bytes]
    separator: bytes = b""


Part = Union[bytes, Fragment, Joined]
Document = list[Part]  # what a producer gives for a file made of fragments


@dataclass(frozen=True)
class Layout:
    """Where each piece of a written document is: what the next build copies from."""

    shape: str  # digest of the literal parts, separators and fragment keys in order (see `shape`)
    segments: list[Segment]


@dataclass
class Written:
    """What writing a document did: its digest and layout, the fragments made and what they read."""

    digest: str
    layout: Layout
    made: dict[str, set[str]] = field(default_factory=dict)  # fragment key -> dependencies
    dropped: list[str] = field(default_factory=list)  # keys of the published file's fragments not written again
    kept: bool = False  # the published file is the document as it is: `target` was not written


def fragment_id(path: str, key: str) -> str:
    """How a fragment is named as a reader in the cache's reverse index."""
    return f"{path}#{key}"


def shape(document: Document) -> str:
    """What a document is made of, fragments' bytes aside: two documents of one shape whose
    fragments are empty in the same places have their fragments at the same places."""
    parts: list[bytes] = []
    for part in document:
        if isinstance(part, bytes):
            parts.append(b"L" + part)
        elif isinstance(part, Fragment):
            parts.append(b"F" + part.key.encode())
        else:
            parts += [b"J" + part.separator, "\x1f".join(part.keys).encode()]
    return digest(*parts)


def write(document: Document, target: Path, path: str, old: Path | None, layout: Layout | None,
          remake: frozenset[str] | None) -> Written:
    """Write `document` to `target`, copying from `old` (the published file laid out as `layout`)
    every fragment not named in `remake` (None: make them all). Runs of kept fragments are copied
    by the kernel (copy_file_range), not through Python: most of atlas.json after one edit; when
    the document has the published one's shape, only the remade fragments are visited, and when
    they all come out as they were, `target` is not written at all (`Written.kept`)."""
    form = shape(document)
    previous = _offsets(layout.segments if layout else None, old)
    mine: Container[str] = _EVERY if remake is None else frozenset(
        r[len(path) + 1:] for r in remake if r.startswith(f"{path}#"))
    written = Written("", Layout(form, []))
    premade: dict[str, bytes] = {}
    same_shape = remake is not None and layout is not None and layout.shape == form and bool(previous)
    if same_shape and _splice(document, target, old, layout, previous, mine, written, premade):  # type: ignore[arg-type]
        return written
    with open(target, "wb", buffering=0) as out, _Source(old if previous else None) as source:
        walk = _Walk(_Sink(out, source), previous, mine, written, premade)
        for part in document:
            if isinstance(part, bytes):
                walk.literal(part)
            elif isinstance(part, Fragment):
                walk.fragment(part)
            else:
                walk.joined(part)
        walk.sink.flush()
    written.digest = _digest(written.layout.segments)
    if walk.found < len(previous):  # some fragments of the published file are gone
        written.dropped = sorted(set(previous) - {key for key, _, _ in written.layout.segments})
    return written


def _digest(segments: list[Segment]) -> str:
    # segment digests have one length (hex of SIZE bytes): joined, they cannot run into each other
    return digest("".join([h for _, _, h in segments]))


def _splice(document: Document, target: Path, old: Path, layout: Layout, previous: dict[str, _Place],
            mine: Container[str], written: Written, premade: dict[str, bytes]) -> bool:
    """Write the published file with the remade fragments put in their places, when the document
    has its shape; False when a remade fragment became empty or stopped being (a separator moves):
    the walk then writes it, with the fragments made here (`premade`)."""
    fresh: list[tuple[int, int, int, bytes, str]] = []  # index, offset, size in the published file; new bytes, digest
    for part in document:
        if isinstance(part, bytes):
            continue
        if isinstance(part, Fragment):
            wanted = [(part.key, part.make)] if part.key in mine else []
        else:
            wanted = [(key, partial(part.make, key)) for key in part.keys if key in mine]
        for key, make in wanted:
            offset, size, _, index = previous[key]
            deps: set[str] = set()
            premade[key] = data = make(deps)
            written.made[key] = deps
            fresh.append((index, offset, size, data, digest(data)))
    if any(bool(size) != bool(data) for _, _, size, data, _ in fresh):
        return False
    if all(h == layout.segments[index][2] for index, _, _, _, h in fresh):
        written.layout, written.digest, written.kept = layout, _digest(layout.segments), True
        return True  # every remade fragment came out as it was: the published file stays, no copy made
    segments = list(layout.segments)
    with open(target, "wb", buffering=0) as out, _Source(old) as source:
        sink, at = _Sink(out, source), 0
        for index, offset, size, data, h in sorted(fresh, key=lambda found: found[0]):
            if offset > at:
                sink.keep(at, offset - at)
            sink.put(data)
            at = offset + size
            segments[index] = (segments[index][0], len(data), h)
        end = source.size()
        if end > at:
            sink.keep(at, end - at)
        sink.flush()
    written.layout = Layout(layout.shape, segments)
    written.digest = _digest(segments)
    return True


class _Every:
    """Holds every key: all fragments are made again."""

    def __contains__(self, key: object) -> bool:
        return True


_EVERY = _Every()


class _Sink:
    """The new file: made bytes gathered in a buffer, kept ones merged into runs copied at once.
    The run being gathered is [start, end) of the published file (end -1: none)."""

    LIMIT = 1 << 20

    def __init__(self, out: BinaryIO, source: "_Source") -> None:
        self.out, self.source = out, source
        self.buffer = bytearray()
        self.start = self.end = -1

    def keep(self, offset: int, size: int) -> None:
        """Bytes of the published file: appended to the run when they follow it."""
        if self.end == offset:
            self.end += size
            return
        self._copy()
        self.start, self.end = offset, offset + size

    def put(self, data: bytes) -> None:
        """New bytes; short ones the published file holds right after the run (a separator
        between kept fragments) extend it instead."""
        if self.end >= 0 and len(data) <= 64 and self.source.holds(self.end, data):
            self.end += len(data)
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
        if self.end < 0:
            return
        self._write()
        self.source.copy(self.start, self.end - self.start, self.out)
        self.start = self.end = -1


class _Walk:
    """The document's parts in order: each fragment kept (its place in the published file) or made,
    its segment added to the new layout. The loop over a Joined run is the hot path of an edit
    (34,000 kept fragments in atlas.json at 10,000 actors): it keeps to local names."""

    def __init__(self, sink: _Sink, previous: dict[str, _Place], mine: Container[str], written: Written,
                 premade: dict[str, bytes]) -> None:
        self.sink, self.previous, self.mine, self.written, self.premade = sink, previous, mine, written, premade
        self.found = 0  # fragments of the published file met again

    def literal(self, data: bytes) -> None:
        self.sink.put(data)
        self.written.layout.segments.append((None, len(data), digest(data)))

    def fragment(self, piece: Fragment) -> None:
        found = self.previous.get(piece.key)
        self.found += found is not None
        if found is not None and piece.key not in self.mine:
            offset, size, h, _ = found
            if size:
                self.sink.keep(offset, size)
            self.written.layout.segments.append((piece.key, size, h))
            return
        data = self._make(piece.key, piece.make)
        self.sink.put(data)
        self.written.layout.segments.append((piece.key, len(data), digest(data)))

    def joined(self, part: Joined) -> None:
        sink, previous, mine, append = self.sink, self.previous, self.mine, self.written.layout.segments.append
        separator, make = part.separator, part.make
        between, n = (None, len(separator), digest(separator)), len(separator)  # once: it sits between thousands
        first, found = True, 0
        for key in part.keys:
            seen = previous.get(key)
            if seen is not None:
                found += 1
                if key not in mine:
                    offset, size, h, _ = seen
                    if size:
                        if first or not n:
                            first = False
                        elif sink.end >= 0 and sink.end + n == offset and sink.source.holds(sink.end, separator):
                            sink.end = offset  # the separator before it was kept with the run
                            append(between)
                        else:
                            sink.put(separator)
                            append(between)
                        sink.keep(offset, size)
                    append((key, size, h))  # an empty one too: its layout entry saves remaking it
                    continue
            data = self._make(key, partial(make, key))
            if data:
                if not first and n:
                    sink.put(separator)
                    append(between)
                first = False
                sink.put(data)
            append((key, len(data), digest(data)))
        self.found += found

    def _make(self, key: str, make: Callable[[set[str]], bytes]) -> bytes:
        if key in self.premade:
            return self.premade[key]
        deps: set[str] = set()
        data = make(deps)
        self.written.made[key] = deps
        return data


def _offsets(layout: list[Segment] | None, old: Path | None) -> dict[str, _Place]:
    """key -> (offset, size, digest, index in the layout) of each fragment of the published file;
    {} when its size does not match the layout (then nothing is copied from it)."""
    if not layout or old is None:
        return {}
    offsets = list(accumulate([size for _, size, _ in layout], initial=0))
    try:
        if old.stat().st_size != offsets[-1]:
            return {}
    except OSError:
        return {}
    return {key: (offset, size, h, index)
            for index, ((key, size, h), offset) in enumerate(zip(layout, offsets)) if key is not None}


class _Source:
    """The published file, mapped in memory for the copies (nothing when there is none)."""

    def __init__(self, path: Path | None) -> None:
        self.path, self.file, self.map = path, None, None

    def __enter__(self) -> "_Source":
        if self.path is not None and self.path.stat().st_size:
            self.file = open(self.path, "rb")
            self.map = mmap.mmap(self.file.fileno(), 0, access=mmap.ACCESS_READ)
        return self

    def size(self) -> int:
        return len(self.map) if self.map is not None else 0

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
