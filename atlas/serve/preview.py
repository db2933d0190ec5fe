"""The preview's build side: rebuild with one in-memory cache, watch the sources, shape the overlay.

`serve.py` owns the network; this module owns what is shown: the result of the last build (the
problems, exactly as `build.py check` prints them, when it failed) and which output files it
changed, so that the server can choose between reloading stylesheets and reloading pages.
"""

from __future__ import annotations

import html
import os
import re
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from watchdog.events import (EVENT_TYPE_CLOSED, EVENT_TYPE_CREATED, EVENT_TYPE_DELETED,
                             EVENT_TYPE_MODIFIED, EVENT_TYPE_MOVED, DirCreatedEvent, DirDeletedEvent,
                             DirMovedEvent, FileClosedEvent, FileCreatedEvent, FileDeletedEvent,
                             FileModifiedEvent, FileMovedEvent, FileSystemEvent, FileSystemEventHandler)
from watchdog.observers import Observer
from watchdog.observers.api import ObservedWatch

from ..incremental.cache import Cache
from ..render.theme import display_name
from ..pipeline import Options, build
from ..model.problems import AtlasError

SETTLE = 0.04  # seconds without a new change before rebuilding: one save is often several writes
QUICK = 0.005  # the same once every file written was closed (inotify says so): the save is complete
WATCHED = ("content", "templates", "assets")
SETTINGS = "atlas.yaml"
_WRITES = (EVENT_TYPE_CREATED, EVENT_TYPE_MODIFIED, EVENT_TYPE_DELETED, EVENT_TYPE_MOVED, EVENT_TYPE_CLOSED)
# Only writes: the build itself opens and reads every source, which must not trigger a rebuild.
_EVENTS = [FileCreatedEvent, FileModifiedEvent, FileDeletedEvent, FileMovedEvent, FileClosedEvent,
           DirCreatedEvent, DirDeletedEvent, DirMovedEvent]
_EDITOR_DEBRIS = re.compile(r"^\.|~$|\.sw[a-p]$|\.tmp$|^4913$|^#.*#$")  # swap, backup and probe files


@dataclass
class Outcome:
    """One build as the browser sees it: problems (empty when it succeeded) and output paths changed."""

    ok: bool
    problems: list[str]
    changed: list[str]
    seconds: float
    summary: str


class Preview:
    """Builds the atlas into the preview folder, reusing one Cache for the life of the process.

    The cache stays open between rebuilds, each of which commits what it changed (and only that),
    so that the next start is a no-change build.
    """

    def __init__(self, root: Path, out: Path, drafts: bool = False, strict: bool = False,
                 search: bool = False) -> None:
        self.root, self.out = root, out
        # The search index is opt-in (`serve --search`): it costs more than the rest of a rebuild
        # together. With it, every rebuild that changes a page indexes the preview again.
        self.options = Options(root=root, out=out, base_url="/", drafts=drafts, strict=strict,
                               use_cache=False, search=search)
        self.cache = Cache.load(root, out)

    def build(self) -> Outcome:
        """Rebuild; never raises for bad content, templates or settings."""
        start = time.perf_counter()
        try:
            result = build(self.options, cache=self.cache)
        except AtlasError as exc:
            return self._failed(start, [str(exc)])
        except Exception as exc:  # noqa: BLE001 - a template or generator bug must not stop the preview
            traceback.print_exc()
            return self._failed(start, [_describe(exc, self.root)])
        seconds = time.perf_counter() - start
        changed = result.changed
        report = result.report
        if not report.ok:
            return Outcome(False, report.lines(), [], seconds, report.summary())
        return Outcome(True, [], changed, seconds, f"{result.rendered} pages rendered, {len(changed)} files "
                       f"changed, {report.summary()}")

    def _failed(self, start: float, lines: list[str]) -> Outcome:
        return Outcome(False, lines, [], time.perf_counter() - start, "1 error")

    def save(self) -> None:
        """Every build committed its own changes to the cache: only the connection is left to close."""
        self.cache.close()


def _describe(exc: BaseException, root: Path) -> str:
    """`templates/x.html:12: TypeError: …` for the innermost template frame, else the exception alone."""
    where, tb = "", exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".html") and "templates" in filename:
            where = f"{display_name(filename, root)}:{tb.tb_lineno}: "
        tb = tb.tb_next
    return f"{where}{type(exc).__name__}: {exc}" if where else f"internal error: {type(exc).__name__}: {exc}"


def report(outcome: Outcome, paths: set[str]) -> None:
    """One line per rebuild on stderr, and the problems when it failed."""
    what = ", ".join(sorted(paths)[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
    cause = f" after {what}" if what else ""
    if outcome.ok:
        print(f"serve: built in {outcome.seconds * 1000:.0f} ms{cause}: {outcome.summary}", file=sys.stderr,
              flush=True)
        return
    for line in outcome.problems:
        print(line, file=sys.stderr)
    print(f"serve: build failed{cause}: {outcome.summary}; the last good site is still served",
          file=sys.stderr, flush=True)


# --- watching -------------------------------------------------------------------------------------

@dataclass(eq=False)  # the observer keeps handlers in a set: hashed by identity
class Changes(FileSystemEventHandler):
    """Collects changed source paths from the observer thread; `wait` hands them over once settled."""

    root: Path
    paths: set[str] = field(default_factory=set)
    writing: set[str] = field(default_factory=set)  # modified and not closed yet
    last: float = 0.0
    stopped: bool = False
    cond: threading.Condition = field(default_factory=threading.Condition)

    def on_any_event(self, event: FileSystemEvent) -> None:
        folder_touched = event.is_directory and event.event_type == EVENT_TYPE_MODIFIED
        if event.event_type not in _WRITES or folder_touched:  # the latter repeats its files' events
            return
        src, dest = self.source(event.src_path), self.source(getattr(event, "dest_path", ""))
        if not (src or dest):
            return
        with self.cond:
            self.paths |= {p for p in (src, dest) if p}
            if event.event_type in (EVENT_TYPE_CREATED, EVENT_TYPE_MODIFIED) and not event.is_directory:
                self.writing.add(event.src_path)
            else:
                self.writing.discard(event.src_path)
            self.last = time.monotonic()
            self.cond.notify_all()

    def source(self, raw: str | bytes) -> str | None:
        """The path relative to the root if it is a source of the site, else None."""
        if not raw:
            return None
        rel = os.path.relpath(os.fsdecode(raw), self.root).replace(os.sep, "/")
        if rel == SETTINGS:
            return rel
        parts = rel.split("/")
        if parts[0] not in WATCHED or _EDITOR_DEBRIS.search(parts[-1]):
            return None
        return rel

    def wait(self) -> set[str]:
        """Block until something changed and then nothing for a while; empty once stopped.

        The while is SETTLE, or QUICK when every file written was closed since: editors and
        tools on Linux close the file when the save is done, and inotify reports it.
        """
        with self.cond:
            while not self.paths and not self.stopped:
                self.cond.wait()
            while not self.stopped:
                quiet = self.last + (SETTLE if self.writing else QUICK) - time.monotonic()
                if quiet <= 0:
                    break
                self.cond.wait(quiet)
            if self.stopped:
                return set()
            paths, self.paths, self.writing = self.paths, set(), set()
            return paths

    def stop(self) -> None:
        with self.cond:
            self.stopped = True
            self.cond.notify_all()


@dataclass(eq=False)  # the observer keeps handlers in a set: hashed by identity
class _SourceFolders(FileSystemEventHandler):
    """Keeps a recursive watch on each source folder while it exists: one made after the start
    (a site's first template override makes templates/) is watched from then on."""

    root: Path
    changes: Changes
    observer: Observer
    watches: dict[str, ObservedWatch] = field(default_factory=dict)

    def follow(self, name: str) -> None:
        """Watch root/name if it is a folder and is not watched yet; drop the watch once it is gone."""
        path = self.root / name
        if path.is_dir() and name not in self.watches:
            self.watches[name] = self.observer.schedule(self.changes, str(path), recursive=True,
                                                        event_filter=_EVENTS)
        elif not path.is_dir() and name in self.watches:
            self.observer.unschedule(self.watches.pop(name))

    def on_any_event(self, event: FileSystemEvent) -> None:
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            name = os.path.relpath(os.fsdecode(raw), self.root) if raw else ""
            if event.is_directory and name in WATCHED:
                self.follow(name)


def watch(root: Path, changes: Changes) -> Observer:
    """Start an observer on the source folders and on the settings file (inotify on Linux)."""
    observer = Observer()
    folders = _SourceFolders(root, changes, observer)
    for name in WATCHED:
        folders.follow(name)
    observer.schedule(changes, str(root), recursive=False, event_filter=_EVENTS)  # atlas.yaml, new folders
    observer.schedule(folders, str(root), recursive=False, event_filter=_EVENTS)
    observer.daemon = True
    observer.start()
    return observer


# --- what is injected into served pages -------------------------------------------------------------

_HEAD_END = re.compile(rb"</head\s*>", re.I)
_BODY_START = re.compile(rb"<body\b[^>]*>", re.I)


def inject(page: bytes, generation: int, port: int, problems: list[str]) -> bytes:
    """The livereload client (announcing which build the page comes from) and the error overlay."""
    # livereload.js registers every global named LiveReloadPlugin*, and sends what its analyze()
    # returns in the handshake: the server compares that build number with the current one.
    script = (f'<script>(function(){{function P(){{}}P.identifier="atlas";P.version="1";'
              f'P.prototype.analyze=function(){{return{{build:{generation}}}}};'
              f'window.LiveReloadPluginAtlas=P}})();</script>'
              f'<script src="/livereload.js?port={port}" async></script>').encode()
    match = _HEAD_END.search(page)
    page = page[:match.start()] + script + page[match.start():] if match else script + page
    if not problems:
        return page
    box = overlay(problems).encode()
    match = _BODY_START.search(page)
    return page[:match.end()] + box + page[match.end():] if match else page + box


def overlay(problems: list[str]) -> str:
    """A panel over the page listing the problems, in the page's language."""
    n = len(problems)
    lines = html.escape("\n".join(problems))
    return ('<div id="atlas-erreurs" role="alert" style="all:initial;position:fixed;top:0;left:0;right:0;'
            'z-index:2147483647;display:block;max-height:70vh;overflow:auto;padding:1rem 1.25rem;'
            'background:#fff4f2;color:#2b0a0a;border-bottom:4px solid #b00020;'
            'box-shadow:0 4px 18px rgba(0,0,0,.35);font:15px/1.45 system-ui,sans-serif">'
            '<strong style="font-weight:700">'
            f'La construction a échoué&nbsp;: {n} problème{"s" if n > 1 else ""}.</strong> '
            "Le site affiché est la dernière version correcte. Corrigez le fichier&nbsp;: la page se rechargera "
            "d'elle-même."
            '<pre style="white-space:pre-wrap;margin:.75rem 0 0;font:13px/1.5 ui-monospace,monospace">'
            f"{lines}</pre></div>")
