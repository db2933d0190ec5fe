"""The linked atlas as the cache stores it: entries and resolved references, and lazy views of them.

Only facts of single entries are stored — a row per linked entry (its sort key, type, date, the
entry itself as the link read it) and
a row per resolved reference (`refs`: target, field, source; field '' for a cross-link in a
body). Everything derived — a kind's list, who points at an entry, what lies within a territory
— is a query over them, so an edit rewrites its own rows and nothing else, and the next build
reads only what it looks at. The orders are the ones link() documents (graph.Atlas), which
tests/test_cache.py checks against cold builds byte for byte.
"""

from __future__ import annotations

import os
import pickle
import sqlite3
from collections import defaultdict
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Sequence

from ..link.graph import Atlas, EntryList, Key, references, sort_key
from ..link.entries import UNIQUE_IDENTIFIERS
from ..model.dates import as_day
from ..model.kinds import ENTRY_KINDS, KINDS, Entry
from ..model.vocabulary import BUILTIN, Model

KIND_ORDER = {kind: i for i, kind in enumerate(KINDS)}
TYPED = ("actors", "places", "programmes")  # the kinds whose type has its own list
SCHEMA = """
CREATE TABLE IF NOT EXISTS entries(kind TEXT, slug TEXT, path TEXT, sort TEXT, korder INT, type TEXT,
    updated TEXT, entry BLOB, PRIMARY KEY(kind, slug)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entries_order ON entries(kind, sort, slug);
CREATE INDEX IF NOT EXISTS entries_type ON entries(kind, type, sort, slug);
CREATE INDEX IF NOT EXISTS entries_path ON entries(path);
CREATE INDEX IF NOT EXISTS entries_updated ON entries(updated DESC, sort, kind, slug);
CREATE INDEX IF NOT EXISTS entries_alphabetical ON entries(sort, kind, slug);
CREATE TABLE IF NOT EXISTS refs(dst_kind TEXT, dst_slug TEXT, field TEXT, src_kind TEXT, src_slug TEXT,
    PRIMARY KEY(dst_kind, dst_slug, field, src_kind, src_slug)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS refs_src ON refs(src_kind, src_slug);
CREATE TABLE IF NOT EXISTS identifiers(name TEXT, value TEXT, kind TEXT, slug TEXT,
    PRIMARY KEY(name, value, kind, slug)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS identifiers_entry ON identifiers(kind, slug);
"""


def entry_row(entry: Entry) -> tuple[object, ...]:
    updated = entry.get("updated")
    return (entry.kind, entry.slug, entry.path, sort_key(entry.title), KIND_ORDER[entry.kind],
            entry.get("type") if entry.kind in TYPED else None,
            as_day(updated).isoformat() if updated is not None and entry.kind in ENTRY_KINDS else None)


class Graph:
    """Reads and writes the stored graph through one connection (see incremental/cache.py)."""

    def __init__(self, db: sqlite3.Connection, root: Path | None, model: Model = BUILTIN) -> None:
        self.db, self.root, self.model = db, root, model
        self.loaded: dict[Key, Entry] = {}

    # --- writing: the rows of single entries -------------------------------------------------

    def replace(self, atlas: Atlas) -> None:
        """The whole graph, from a full link."""
        for table in ("entries", "refs", "identifiers"):
            self.db.execute(f"DELETE FROM {table}")
        for entry in atlas.entries.values():
            self.add(entry, atlas.entries)
        self.loaded = {}

    def add(self, entry: Entry, exists: Mapping[Key, object] | None = None) -> None:
        """An entry's row and its references (those whose target exists, and not itself)."""
        self.db.execute("INSERT INTO entries VALUES (?,?,?,?,?,?,?,?)",
                        (*entry_row(entry), pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL)))
        rows = {(t[0], t[1], field, entry.kind, entry.slug) for field, t in references(entry, self.model)
                if t != entry.key and (exists is None or t in exists)}
        self.db.executemany("INSERT OR IGNORE INTO refs VALUES (?,?,?,?,?)", rows)
        self.db.executemany("INSERT OR IGNORE INTO identifiers VALUES (?,?,?,?)",
                            ((name, str(entry.get(name)), entry.kind, entry.slug)
                             for name in UNIQUE_IDENTIFIERS if entry.get(name)))
        self.loaded.pop(entry.key, None)

    def remove(self, key: Key) -> None:
        self.db.execute("DELETE FROM entries WHERE kind=? AND slug=?", key)
        self.db.execute("DELETE FROM refs WHERE src_kind=? AND src_slug=?", key)
        self.db.execute("DELETE FROM identifiers WHERE kind=? AND slug=?", key)
        self.loaded.pop(key, None)

    # --- reading -----------------------------------------------------------------------------

    def linked_at(self, path: str) -> Key | None:
        """The key of the linked entry read from `path`, if it is part of the site."""
        row = self.db.execute("SELECT kind, slug FROM entries WHERE path=?", (path,)).fetchone()
        return (row[0], row[1]) if row else None

    def exists(self, key: Key) -> bool:
        return self.db.execute("SELECT 1 FROM entries WHERE kind=? AND slug=?", key).fetchone() is not None

    def referrers(self, key: Key) -> list[Key]:
        """Entries whose references or body links point at `key`."""
        return [(k, s) for k, s in self.db.execute(
            "SELECT DISTINCT src_kind, src_slug FROM refs WHERE dst_kind=? AND dst_slug=?", key)]

    def sharing_identifier(self, entry: Entry) -> bool:
        """Whether another entry has one of the identifiers that must be unique (link/entries.py)."""
        for name in UNIQUE_IDENTIFIERS:
            if entry.get(name) and self.db.execute(
                    "SELECT 1 FROM identifiers WHERE name=? AND value=? AND NOT (kind=? AND slug=?)",
                    (name, str(entry.get(name)), entry.kind, entry.slug)).fetchone():
                return True
        return False

    def count(self) -> int:
        return self.db.execute("SELECT count(*) FROM entries").fetchone()[0]

    def atlas(self) -> Atlas:
        """The stored graph as an Atlas whose indexes are read on demand."""
        entries = _Entries(self)
        return Atlas(root=self.root, model=self.model, entries=entries, by_kind=_ByKind(self, entries),
                     inverse=_Inverse(self, entries), mentions=_Mentions(self, entries),
                     within=_Within(self, entries), by_type=_ByType(self, entries),
                     alphabetical=_Query(entries, self._alphabetical), by_update=_Query(entries, self._by_update))

    def _entry(self, key: Key) -> Entry | None:
        found = self.loaded.get(key)
        if found is None:
            row = self.db.execute("SELECT entry FROM entries WHERE kind=? AND slug=?", key).fetchone()
            if row is None:
                return None
            found = self.loaded[key] = pickle.loads(row[0])
        return found

    def _entries(self, keys: Sequence[Key]) -> list[Entry]:
        """The entries of `keys`, those not loaded yet read a kind and 500 slugs a query (a page
        that reads a whole list, the map or « France », makes hundreds of queries, not 50,000)."""
        missing: dict[str, list[str]] = defaultdict(list)
        for kind, slug in keys:
            if (kind, slug) not in self.loaded:
                missing[kind].append(slug)
        for kind, slugs in missing.items():
            for i in range(0, len(slugs), 500):
                chunk = slugs[i:i + 500]
                for slug, blob in self.db.execute(
                        f"SELECT slug, entry FROM entries WHERE kind=? AND slug IN ({','.join('?' * len(chunk))})",
                        (kind, *chunk)):
                    self.loaded[(kind, slug)] = pickle.loads(blob)
        return [self.loaded[key] for key in keys]

    def _listed(self, sql: str, args: Iterable[object]) -> tuple[list[Key], list[str]]:
        keys, sorts = [], []
        for kind, slug, sort in self.db.execute(sql, tuple(args)):
            keys.append((kind, slug))
            sorts.append(sort)
        return keys, sorts

    def _alphabetical(self) -> tuple[list[Key], list[str]]:
        return self._listed("SELECT kind, slug, sort FROM entries WHERE kind != 'pages' ORDER BY sort, kind, slug", ())

    def _by_update(self) -> tuple[list[Key], list[str]]:
        return self._listed("SELECT kind, slug, sort FROM entries WHERE updated IS NOT NULL "
                            "ORDER BY updated DESC, sort, kind, slug", ())


class _Query(EntryList):
    """An EntryList whose keys are read from the store the first time they are needed."""

    __slots__ = ("_load", "_keys", "_sorts")

    def __init__(self, entries: Mapping[Key, Entry], load) -> None:  # noqa: ANN001 - a bound method
        self._entries, self._load, self._keys, self._sorts = entries, load, None, None
        self._kinds, self._letters = {}, None

    def _fetch(self) -> None:
        if self._keys is None:
            self._keys, self._sorts = self._load()

    @property  # type: ignore[override]
    def keys(self) -> list[Key]:
        self._fetch()
        return self._keys  # type: ignore[return-value]

    @property  # type: ignore[override]
    def sorts(self) -> list[str]:
        self._fetch()
        return self._sorts  # type: ignore[return-value]


class _Entries(Mapping[Key, Entry]):
    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.pid = os.getpid()

    def __getitem__(self, key: Key) -> Entry:
        found = self.graph._entry(key)
        if found is None:
            raise KeyError(key)
        return found

    def get(self, key: Key, default: Entry | None = None) -> Entry | None:  # type: ignore[override]
        found = self.graph._entry(key)
        return default if found is None else found

    def many(self, keys: Sequence[Key]) -> list[Entry]:
        """The entries of `keys`, in order, read together (EntryList's iteration uses it)."""
        return self.graph._entries(keys)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, tuple) and (key in self.graph.loaded or self.graph.exists(key))  # type: ignore[arg-type]

    def __iter__(self) -> Iterator[Key]:
        return iter([(k, s) for k, s in self.graph.db.execute("SELECT kind, slug FROM entries ORDER BY path")])

    def __len__(self) -> int:
        return self.graph.count()

    def values(self):  # type: ignore[override]  # every entry: the full-link fallback only
        return [self[key] for key in self]


class _Lazy(Mapping):  # type: ignore[type-arg]
    """A mapping computed per key with a query, remembered for the build."""

    def __init__(self, graph: Graph, entries: _Entries) -> None:
        self.graph, self.entries = graph, entries
        self.memo: dict[object, object] = {}

    def get(self, key, default=None):  # type: ignore[override]
        if key not in self.memo:
            self.memo[key] = self.compute(key)
        found = self.memo[key]
        return default if found is None else found

    def __getitem__(self, key):  # type: ignore[override]
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found

    def __contains__(self, key: object) -> bool:
        return self.get(key) is not None

    def __iter__(self) -> Iterator:  # type: ignore[type-arg]
        raise TypeError(f"{type(self).__name__} is read by key, not listed")

    def __len__(self) -> int:
        raise TypeError(f"{type(self).__name__} is read by key, not counted")

    def compute(self, key):  # type: ignore[no-untyped-def]
        raise NotImplementedError

    def listed(self, sql: str, *args: object) -> EntryList | None:
        keys, sorts = self.graph._listed(sql, args)
        return EntryList(keys, self.entries, sorts) if keys else None


class _ByKind(_Lazy):
    def compute(self, kind: str) -> EntryList | None:
        found = self.listed("SELECT kind, slug, sort FROM entries WHERE kind=? ORDER BY sort, slug", kind)
        return found if found is not None else (EntryList((), self.entries, ()) if kind in KINDS else None)


class _ByType(_Lazy):
    def compute(self, key: tuple[str, str]) -> EntryList | None:
        return self.listed("SELECT kind, slug, sort FROM entries WHERE kind=? AND type=? ORDER BY sort, slug", *key)

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter([(k, t) for k, t in self.graph.db.execute(
            "SELECT DISTINCT kind, type FROM entries WHERE type IS NOT NULL ORDER BY kind, type")])

    def __len__(self) -> int:
        return len(list(iter(self)))

    def items(self):  # type: ignore[override]
        return [(key, self[key]) for key in self]


class _Inverse(_Lazy):
    def compute(self, key: Key) -> dict[tuple[str, str], EntryList] | None:
        groups: dict[tuple[str, str], tuple[list[Key], list[str]]] = defaultdict(lambda: ([], []))
        for field, kind, slug, sort in self.graph.db.execute(
                "SELECT r.field, r.src_kind, r.src_slug, e.sort FROM refs r JOIN entries e "
                "ON e.kind = r.src_kind AND e.slug = r.src_slug WHERE r.dst_kind=? AND r.dst_slug=? "
                "AND r.field != '' ORDER BY r.src_kind, r.field, e.sort, r.src_slug", key):
            keys, sorts = groups[(kind, field)]
            keys.append((kind, slug))
            sorts.append(sort)
        return {g: EntryList(k, self.entries, s) for g, (k, s) in groups.items()} or None


class _Mentions(_Lazy):
    def compute(self, key: Key) -> EntryList | None:
        return self.listed("SELECT DISTINCT r.src_kind, r.src_slug, e.sort FROM refs r JOIN entries e "
                           "ON e.kind = r.src_kind AND e.slug = r.src_slug WHERE r.dst_kind=? AND r.dst_slug=? "
                           "AND r.field = '' ORDER BY e.korder, e.sort, r.src_slug", *key)


# Everything within a territory (entries whose territory is it or under it, themes aside) or a
# theme (entries with it or a theme under it among their themes): link()'s _indexes, as a query.
_WITHIN = """
WITH RECURSIVE sub(slug) AS (
    SELECT ?2 UNION
    SELECT r.src_slug FROM refs r JOIN sub ON r.dst_slug = sub.slug
    WHERE r.dst_kind = ?1 AND r.field = 'parent' AND r.src_kind = ?1)
SELECT DISTINCT e.kind, e.slug, e.sort, e.korder FROM refs r JOIN sub ON r.dst_slug = sub.slug
JOIN entries e ON e.kind = r.src_kind AND e.slug = r.src_slug
WHERE r.dst_kind = ?1 AND r.field = ?3 AND r.src_kind != ?4
ORDER BY e.korder, e.sort, e.slug
"""


class _Within(_Lazy):
    def compute(self, key: Key) -> EntryList | None:
        kind, slug = key
        if kind not in ("territories", "themes"):
            return None
        field, excluded = ("territory", "themes") if kind == "territories" else ("themes", "")
        keys, sorts = [], []
        for k, s, sort, _ in self.graph.db.execute(_WITHIN, (kind, slug, field, excluded)):
            keys.append((k, s))
            sorts.append(sort)
        return EntryList(keys, self.entries, sorts) if keys else None
