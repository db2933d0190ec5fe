"""The persistent build cache: one SQLite database per output folder, read and written by the row.

What the last successful build knew, in tables a build reads only where it looks and writes only
where something changed: parsed files by size and modification time (`files`), the linked graph
(`entries`, `refs`: incremental/stored.py), each page's output digest and what it read
(`pages`, `readers`: dependency -> readers, the reverse index, its names numbered once in
`names` so that its million rows are pairs of integers, and `deps`: each dependency's digest
when it was last read), the published files (`outputs`) and where the spare folder
differs from them (`lag`), the layout of each export file (`layouts`) and the search records.

A build runs in one transaction, committed by save() after the output folders were exchanged:
a failed or killed build leaves the database as the last good build left it (SQLite rolls an
unfinished transaction back), and the output stamp (write/output.py) tells the next build when
the folders moved on without it.
"""

from __future__ import annotations

import dataclasses
import json
import os
import pickle
import shutil
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from ..model.digest import digest, settled
from ..model.kinds import Entry
from ..model.problems import Problem
from ..model.vocabulary import Model
from .stored import SCHEMA as GRAPH_SCHEMA
from .stored import Graph

if TYPE_CHECKING:
    from ..outputs import Layout

CACHE_DIR = ".atlas-cache"
FORMAT = "10"  # of the tables below: another value makes the database start again
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(name TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS files(path TEXT PRIMARY KEY, size INT, mtime INT, digest TEXT, entry BLOB,
    problems BLOB) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS pages(url TEXT PRIMARY KEY, path TEXT, plan TEXT, digest TEXT, search TEXT,
    spawned BLOB, extra BLOB) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS names(id INTEGER PRIMARY KEY, name TEXT UNIQUE);
CREATE TABLE IF NOT EXISTS readers(dep INT, reader INT, PRIMARY KEY(dep, reader)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS readers_reader ON readers(reader);
CREATE TABLE IF NOT EXISTS deps(dep TEXT PRIMARY KEY, digest TEXT) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS outputs(path TEXT PRIMARY KEY, digest TEXT) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS lag(path TEXT PRIMARY KEY, digest TEXT) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS layouts(file TEXT PRIMARY KEY, digest TEXT, segments BLOB) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS search(url TEXT PRIMARY KEY, html BLOB) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS assets(path TEXT PRIMARY KEY, size INT, mtime INT, digest TEXT) WITHOUT ROWID;
""" + GRAPH_SCHEMA
CHUNK = 500  # values per `IN (...)`: SQLite allows 32,766 variables; smaller lists plan better


def code_digest() -> str:
    """The generator's own code, every module of the package, is an input of every page."""
    package = Path(__file__).resolve().parent.parent
    parts: list[bytes] = [FORMAT.encode()]
    for path in sorted(package.rglob("*.py")):
        parts += [path.relative_to(package).as_posix().encode(), path.read_bytes()]
    return digest(*parts)


class Cache:
    """The database of the last build into one output folder (in memory for --no-cache)."""

    def __init__(self, db: sqlite3.Connection, root: Path, location: Path | None) -> None:
        self.db, self.root, self.location = db, root, location
        self.code = code_digest()
        self.graph = Graph(db, root)
        self._begun = False
        self._ids: dict[str, int] = {}  # names -> their number in `names`, as looked up or made

    @classmethod
    def load(cls, root: Path, out: Path, enabled: bool = True) -> "Cache":
        """The cache of the last build into `out`; an empty one if absent, of another code or unreadable."""
        location = None
        if enabled:
            folder = root / CACHE_DIR
            folder.mkdir(parents=True, exist_ok=True)
            ignore = folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text("*\n")
            location = folder / f"build-{digest(str(out.resolve()))[:12]}.sqlite"
        cache = cls(_connect(location), root, location)
        if cache.meta("format") != FORMAT or cache.meta("code") != cache.code:
            cache.reset()
        return cache

    def templates_folder(self, base: str) -> Path | None:
        """Where the render stage keeps compiled templates for the next process, for this code and
        base path (None in memory: --no-cache)."""
        if self.location is None:
            return None
        return self.root / CACHE_DIR / "templates" / digest(self.code, base)[:16]

    def reset(self) -> None:
        """Forget everything: the tables made again, this code's digest recorded (and the templates
        compiled by another code removed)."""
        if self.location is not None:
            shutil.rmtree(self.root / CACHE_DIR / "templates", ignore_errors=True)
        self.begin()
        self._ids = {}
        for (name,) in list(self.db.execute("SELECT name FROM sqlite_master WHERE type='table'")):
            self.db.execute(f"DROP TABLE {name}")  # another code may have made other tables
        for statement in SCHEMA.split(";"):
            if statement.strip():
                self.db.execute(statement)
        self.set_meta(format=FORMAT, code=self.code)
        self.save()

    # --- one build, one transaction ------------------------------------------------------------

    def begin(self) -> None:
        if not self._begun:
            self.db.execute("BEGIN")
            self._begun = True

    def save(self) -> None:
        """Commit what the build wrote (nothing to write: nothing happens on disk)."""
        if self._begun:
            self.db.execute("COMMIT")
            self._begun = False

    def abandon(self) -> None:
        """Undo what a failed build wrote."""
        if self._begun:
            self.db.execute("ROLLBACK")
            self._begun = False
        self.graph.loaded = {}
        self._ids = {}  # numbers made in the transaction are gone with it

    def close(self) -> None:
        self.abandon()
        self.db.close()

    def savepoint(self) -> None:
        """Mark where to come back if an attempt fails (the incremental link)."""
        self.begin()
        self.db.execute("SAVEPOINT attempt")

    def back_to_savepoint(self) -> None:
        self.db.execute("ROLLBACK TO attempt")
        self.db.execute("RELEASE attempt")
        self.graph.loaded = {}
        self._ids = {}

    def release_savepoint(self) -> None:
        self.db.execute("RELEASE attempt")

    def use_model(self, model: Model) -> None:
        """Entries were validated against a content model (types, fields): another one invalidates them."""
        self.graph.model = model
        if self.meta("model") != model.digest:
            self.begin()
            for table in ("files", "entries", "refs", "identifiers"):
                self.db.execute(f"DELETE FROM {table}")
            self.set_meta(model=model.digest, graph="")

    def meta(self, name: str) -> str:
        row = self.db.execute("SELECT value FROM meta WHERE name=?", (name,)).fetchone()
        return row[0] if row else ""

    def set_meta(self, **values: str) -> None:
        if any(self.meta(k) != v for k, v in values.items()):
            self.begin()
            self.db.executemany("INSERT OR REPLACE INTO meta VALUES (?,?)", values.items())

    def link_problems(self) -> list[Problem]:
        """The broken links the last good build reported (warnings: `links: warn`)."""
        text = self.meta("link_problems")
        return [Problem(*row) for row in json.loads(text)] if text else []

    def set_link_problems(self, problems: list[Problem]) -> None:
        self.set_meta(link_problems=json.dumps([dataclasses.astuple(p) for p in problems]) if problems else "")

    # --- read: the parse cache ---------------------------------------------------------------

    def known_files(self) -> dict[str, tuple[int, int]]:
        """path -> (size, mtime in ns) of every file the last build parsed."""
        return {p: (s, m) for p, s, m in self.db.execute("SELECT path, size, mtime FROM files")}

    def trusted(self, stat: os.stat_result) -> bool:
        """A file this recent may change again within the same mtime tick: read it again."""
        return settled(stat.st_mtime_ns)

    def parsed(self, paths: Iterable[str]) -> dict[str, tuple[Entry | None, list[Problem]]]:
        found = {}
        for chunk in _chunks(list(paths)):
            for path, entry, problems in self.db.execute(
                    f"SELECT path, entry, problems FROM files WHERE path IN ({_marks(chunk)})", chunk):
                found[path] = (pickle.loads(entry) if entry else None, pickle.loads(problems) if problems else [])
        return found

    def problems(self) -> dict[str, list[Problem]]:
        """The problems of every stored file that has some (warnings of files that did not change)."""
        return {path: pickle.loads(blob) for path, blob in
                self.db.execute("SELECT path, problems FROM files WHERE problems IS NOT NULL")}

    def put_files(self, rows: Iterable[tuple[str, int, int, Entry | None, list[Problem]]]) -> None:
        self.begin()
        self.db.executemany("INSERT OR REPLACE INTO files VALUES (?,?,?,?,?,?)", (
            (path, size, mtime, entry.digest if entry else "", _blob(entry), _blob(problems or None))
            for path, size, mtime, entry, problems in rows))

    def drop_files(self, paths: Iterable[str]) -> None:
        self.begin()
        self.db.executemany("DELETE FROM files WHERE path=?", ((p,) for p in paths))

    # --- pages and what they read ------------------------------------------------------------

    def pages(self) -> dict[str, tuple[str, str]]:
        """url -> (its plan digest, its output digest) of every page of the last build."""
        return {url: (plan, h) for url, plan, h in self.db.execute("SELECT url, plan, digest FROM pages")}

    def page_rows(self, urls: Iterable[str]) -> dict[str, tuple[str, list[Any], dict[str, Any]]]:
        """url -> (search digest, pages it spawned, extra records) of the given pages."""
        found = {}
        for chunk in _chunks(list(urls)):
            for url, search, spawned, extra in self.db.execute(
                    f"SELECT url, search, spawned, extra FROM pages WHERE url IN ({_marks(chunk)})", chunk):
                found[url] = (search or "", pickle.loads(spawned) if spawned else [],
                              pickle.loads(extra) if extra else {})
        return found

    def spawned(self) -> dict[str, list[Any]]:
        """url -> the pages it spawned, for every page that spawned some."""
        return {url: pickle.loads(blob) for url, blob in
                self.db.execute("SELECT url, spawned FROM pages WHERE spawned IS NOT NULL")}

    def put_page(self, url: str, path: str, plan: str, h: str, search: str, spawned: list[Any],
                 extra: dict[str, Any], deps: Iterable[str]) -> None:
        """A page as rendered now, and what it read (its reverse-index rows replaced)."""
        self.begin()
        self.db.execute("INSERT OR REPLACE INTO pages VALUES (?,?,?,?,?,?,?)",
                        (url, path, plan, h, search or None, _blob(spawned or None), _blob(extra or None)))
        self.set_readers(url, deps)

    def drop_pages(self, urls: Iterable[str]) -> None:
        self.begin()
        for url in urls:
            self.db.execute("DELETE FROM pages WHERE url=?", (url,))
            self.db.execute("DELETE FROM search WHERE url=?", (url,))
            self.set_readers(url, ())

    def page_links(self) -> Iterator[tuple[str, str, Any]]:
        """(url, path, link record) of every page: for a link check of the whole site."""
        for url, path, extra in self.db.execute("SELECT url, path, extra FROM pages"):
            links = pickle.loads(extra).get("links") if extra else None
            if links is not None:
                yield url, path, links

    def _id(self, name: str) -> int:
        """The number of a dependency or reader name, made on first use."""
        found = self._ids.get(name)
        if found is None:
            row = self.db.execute("SELECT id FROM names WHERE name=?", (name,)).fetchone()
            found = row[0] if row else self.db.execute("INSERT INTO names(name) VALUES (?)", (name,)).lastrowid
            self._ids[name] = found
        return found

    def set_readers_like(self, prefix: str) -> None:
        """Forget what the readers named `prefix...` read (the fragments of a file no longer made)."""
        self.begin()
        self.db.execute("DELETE FROM readers WHERE reader IN (SELECT id FROM names WHERE name >= ? AND name < ?)",
                        (prefix, prefix + "\U0010ffff"))

    def set_readers(self, reader: str, deps: Iterable[str]) -> None:
        self.begin()
        number = self._id(reader)
        self.db.execute("DELETE FROM readers WHERE reader=?", (number,))
        self.db.executemany("INSERT OR IGNORE INTO readers VALUES (?,?)", ((self._id(d), number) for d in deps))

    def readers(self, deps: Iterable[str]) -> set[str]:
        """Pages and export fragments that read any of `deps` (the reverse index)."""
        found: set[str] = set()
        for chunk in _chunks(sorted(deps)):
            found.update(r for (r,) in self.db.execute(
                "SELECT r.name FROM names d JOIN readers ON readers.dep = d.id JOIN names r ON r.id = readers.reader"
                f" WHERE d.name IN ({_marks(chunk)})", chunk))
        return found

    def dep_digests(self, deps: Iterable[str]) -> dict[str, str]:
        found = {}
        for chunk in _chunks(sorted(deps)):
            found.update(self.db.execute(f"SELECT dep, digest FROM deps WHERE dep IN ({_marks(chunk)})", chunk))
        return found

    def deps_of_family(self, family: str, prefix: str = "") -> list[str]:
        """Recorded dependencies whose key starts with `family:prefix`."""
        start = f"{family}:{prefix}"
        return [d for (d,) in self.db.execute("SELECT dep FROM deps WHERE dep >= ? AND dep < ?",
                                             (start, start + "\U0010ffff"))]

    def all_deps(self) -> list[str]:
        """Every recorded dependency (after a full link: all of them are compared)."""
        return [d for (d,) in self.db.execute("SELECT dep FROM deps")]

    def forget_dep_digests(self) -> None:
        self.begin()
        self.db.execute("DELETE FROM deps")

    def put_dep_digests(self, digests: dict[str, str]) -> None:
        if digests:
            self.begin()
            self.db.executemany("INSERT OR REPLACE INTO deps VALUES (?,?)", digests.items())

    # --- search records ------------------------------------------------------------------------

    def put_search(self, url: str, html: bytes | None) -> None:
        self.begin()
        if html is None:
            self.db.execute("DELETE FROM search WHERE url=?", (url,))
        else:
            self.db.execute("INSERT OR REPLACE INTO search VALUES (?,?)", (url, html))

    def search_records(self) -> Iterator[tuple[str, bytes]]:
        """(url, compressed page) of every indexed page, by URL."""
        yield from self.db.execute("SELECT url, html FROM search ORDER BY url")

    def searched(self, urls: Iterable[str]) -> set[str]:
        """Those of `urls` that have a search record."""
        found: set[str] = set()
        for chunk in _chunks(list(urls)):
            found.update(u for (u,) in self.db.execute(f"SELECT url FROM search WHERE url IN ({_marks(chunk)})", chunk))
        return found

    # --- outputs ---------------------------------------------------------------------------------

    def published(self, paths: Iterable[str] | None = None) -> dict[str, str]:
        """path -> digest of files of the published site (all of them when paths is None)."""
        if paths is None:
            return dict(self.db.execute("SELECT path, digest FROM outputs"))
        found = {}
        for chunk in _chunks(list(paths)):
            found.update(self.db.execute(f"SELECT path, digest FROM outputs WHERE path IN ({_marks(chunk)})", chunk))
        return found

    def published_under(self, folder: str) -> dict[str, str]:
        start = folder.rstrip("/") + "/"
        return dict(self.db.execute("SELECT path, digest FROM outputs WHERE path >= ? AND path < ?",
                                    (start, start + "\U0010ffff")))

    def lag(self) -> set[str]:
        """Where the spare folder differs from the site."""
        return {p for (p,) in self.db.execute("SELECT path FROM lag")}

    def put_outputs(self, delta: dict[str, str | None], lag: set[str] | None, replace_all: bool = False) -> None:
        """The published manifest moved by `delta` (None: removed); the spare's differences now."""
        self.begin()
        if replace_all:
            self.db.execute("DELETE FROM outputs")
        self.db.executemany("DELETE FROM outputs WHERE path=?", ((p,) for p, h in delta.items() if h is None))
        self.db.executemany("INSERT OR REPLACE INTO outputs VALUES (?,?)", ((p, h) for p, h in delta.items() if h))
        if lag is not None:
            self.db.execute("DELETE FROM lag")
            self.db.executemany("INSERT INTO lag VALUES (?, NULL)", ((p,) for p in lag))

    def layout(self, file: str) -> tuple[str, Layout] | None:
        """(digest, layout) of an export file as published (outputs/fragments.py)."""
        row = self.db.execute("SELECT digest, segments FROM layouts WHERE file=?", (file,)).fetchone()
        return (row[0], pickle.loads(row[1])) if row else None

    def put_layout(self, file: str, h: str, layout: Layout) -> None:
        self.begin()
        self.db.execute("INSERT OR REPLACE INTO layouts VALUES (?,?,?)", (file, h, _blob(layout)))

    def drop_layouts(self, keep: Iterable[str]) -> None:
        kept = set(keep)
        gone = [f for (f,) in self.db.execute("SELECT file FROM layouts") if f not in kept]
        if gone:
            self.begin()
            self.db.executemany("DELETE FROM layouts WHERE file=?", ((f,) for f in gone))

    def assets(self) -> dict[str, tuple[int, int, str]]:
        return {p: (s, m, h) for p, s, m, h in self.db.execute("SELECT path, size, mtime, digest FROM assets")}

    def put_assets(self, rows: dict[str, tuple[int, int, str]], gone: Iterable[str], replace_all: bool) -> None:
        gone = list(gone)
        if rows or gone or replace_all:
            self.begin()
            if replace_all:
                self.db.execute("DELETE FROM assets")
            self.db.executemany("DELETE FROM assets WHERE path=?", ((p,) for p in gone))
            self.db.executemany("INSERT OR REPLACE INTO assets VALUES (?,?,?,?)",
                                ((p, s, m, h) for p, (s, m, h) in rows.items()))


def _connect(location: Path | None) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit), created with its tables."""
    try:
        db = _open(location)
    except sqlite3.DatabaseError:  # not a database, or damaged: start again
        if location is None:
            raise
        for suffix in ("", "-wal", "-shm"):
            Path(f"{location}{suffix}").unlink(missing_ok=True)
        db = _open(location)
    return db


def _open(location: Path | None) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:" if location is None else str(location), isolation_level=None,
                         check_same_thread=False)
    db.execute("PRAGMA journal_mode=WAL")  # a commit appends what changed; readers never wait
    db.execute("PRAGMA synchronous=NORMAL")  # a power cut may lose the last build's rows, never corrupt them
    db.execute("PRAGMA cache_size=-65536")  # 64 MiB of pages
    db.executescript(SCHEMA)
    return db


def _blob(value: Any) -> bytes | None:
    return None if value is None else pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def _chunks(items: list[str]) -> Iterator[list[str]]:
    for i in range(0, len(items), CHUNK):
        yield items[i:i + CHUNK]


def _marks(chunk: list[str]) -> str:
    return ",".join("?" * len(chunk))
