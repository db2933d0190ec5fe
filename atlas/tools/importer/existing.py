"""What the atlas already holds: every entry's slug, title and the fields matching looks at.

Read with the project's own reader (front matter parsed, nothing validated: an entry with a
mistake still has a name that a row may duplicate). References in rows are resolved against it,
by slug or by title, accents and case aside.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...model.kinds import ENTRY_KINDS
from ...read.source import discover, read_entry
from . import values as v
from .state import Record, file_digest


@dataclass(frozen=True)
class Known:
    """One entry file of the atlas as read: its front matter values and body, unvalidated."""

    kind: str
    slug: str
    path: str  # relative to the atlas root
    data: dict[str, Any]
    body: str
    trusted: bool = False  # the file is byte for byte what an import wrote: data is the state's, body unread

    @property
    def title(self) -> str:
        return str(self.data.get("title") or self.slug)

    def origin(self) -> tuple[str, str] | None:
        """(source, id) of the import that created it, when it has one."""
        origin = self.data.get("origin")
        if isinstance(origin, dict) and origin.get("source") and origin.get("id") is not None:
            return str(origin["source"]), str(origin["id"])
        return None


@dataclass
class Atlas:
    """The entries by kind, by slug, and by folded title (for references written as names)."""

    root: Path
    entries: dict[str, dict[str, Known]] = field(default_factory=lambda: defaultdict(dict))
    titles: dict[str, dict[str, list[str]]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    files: set[str] = field(default_factory=set)  # 'actors/la-nef': every taken slug, any extension

    def add(self, known: Known) -> None:
        self.entries[known.kind][known.slug] = known
        self.titles[known.kind][v.fold(known.title)].append(known.slug)
        self.files.add(f"{known.kind}/{known.slug}")

    def resolve(self, kind: str, text: str) -> str | None:
        """The slug named by `text`: a slug, or a title when exactly one entry of the kind has it."""
        if text in self.entries[kind]:
            return text
        slugs = self.titles[kind].get(v.fold(text), [])
        return slugs[0] if len(slugs) == 1 else None

    def by_origin(self, kind: str, source: str) -> dict[str, Known]:
        """Entries of the kind created by an import of `source`, by their id in it."""
        found = {}
        for known in self.entries[kind].values():
            origin = known.origin()
            if origin and origin[0] == source:
                found[origin[1]] = known
        return found


def load(root: Path, trusted: dict[str, tuple[str, str, Record]] | None = None) -> Atlas:
    """Every entry file under root/content/ (pages apart); an atlas without content/ is empty.

    `trusted` maps files an import wrote to (source, id, record): a file whose bytes still have the
    recorded digest holds the recorded fields, so it is not parsed again (a re-import of 10,000
    untouched entries reads their bytes only).
    """
    atlas = Atlas(root)
    if not (root / "content").is_dir():
        return atlas
    trusted = trusted or {}
    paths, _ = discover(root)
    for path in paths:
        if path.parent.name not in ENTRY_KINDS:
            continue
        rel = path.relative_to(root).as_posix()
        if rel in trusted:
            source, ident, record = trusted[rel]
            if record.digest and file_digest(path.read_bytes()) == record.digest:
                data = {**record.fields, "origin": {"source": source, "id": ident}}
                atlas.add(Known(path.parent.name, path.name.rsplit(".", 1)[0], rel, data, "", trusted=True))
                continue
        raw = read_entry(path, root)
        atlas.add(Known(raw.kind, raw.slug, raw.path, raw.data, raw.body))
    return atlas
