"""The build, top to bottom: read → validate → link → render → write."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from . import config, opendata, search, vendor  # noqa: F401  (the last three register their outputs)
from .cache import Cache, Fingerprints, PageRecord
from .graph import Atlas, link
from .model import Entry
from .outputs import FINISHERS, PRODUCERS
from .pages import Page, plan
from .problems import AtlasError, Problem, Report
from .render import Renderer
from .source import discover, read_entry
from .validate import validate
from .write import Staging, check_out_dir, write_file

PARALLEL_THRESHOLD = 300  # below this many pages to render, forking workers costs more than it saves


@dataclass
class Result:
    """What a run did: its problems, the Atlas, and figures for the benchmark."""

    report: Report
    atlas: Atlas | None = None
    pages: int = 0
    rendered: int = 0
    written: int = 0
    timings: dict[str, float] = field(default_factory=dict)


@dataclass
class Options:
    root: Path
    out: Path | None = None
    base_url: str | None = None
    drafts: bool = False
    strict: bool = False
    jobs: int = 0
    use_cache: bool = True
    search: bool = True  # index the site with Pagefind (--no-search skips it)


def check(options: Options, cache: Cache | None = None) -> Result:
    """Read, validate and link: every content problem, no output."""
    result = Result(Report(strict=options.strict))
    clock = _Clock(result)
    entries = read(options.root, result.report, cache)
    clock("read")
    atlas, problems = link(entries, options.drafts)
    result.report.extend(problems)
    result.atlas = atlas
    clock("link")
    return result


def build(options: Options, cache: Cache | None = None, extras: list[Callable[..., Any]] | None = None) -> Result:
    """The full pipeline. The output folder is replaced only when everything succeeded."""
    root = options.root
    out = options.out or root / "site"
    check_out_dir(out, root)
    site = config.load(root, options.base_url)
    site["search"] = options.search  # the search page says when the build has no index
    if cache is None:
        cache = Cache.load(root, out) if options.use_cache else Cache(out=str(out.resolve()))
    result = check(options, cache)
    if not result.report.ok or result.atlas is None:
        return result
    clock = _Clock(result)
    atlas = result.atlas
    pages = plan(atlas)
    result.pages = len(pages)
    global_digest = _global_digest(root, site, options, cache.code)
    prints = Fingerprints(atlas, global_digest)
    previous = cache.manifest if out.exists() else {}
    staging = Staging(out, previous)
    try:
        todo: list[Page] = []
        records: dict[str, PageRecord] = {}
        for page in pages:
            old = cache.pages.get(page.url)
            if (old is not None and old.path in previous and prints.page(old.deps) == old.fingerprint
                    and staging.keep(old.path, previous[old.path])):
                records[page.url] = old
            else:
                todo.append(page)
        clock("plan")
        rendered, problems = _render(todo, atlas, root, site, staging, previous, out, options.jobs)
        result.report.extend(problems)
        if not result.report.ok:
            staging.abort()
            return result
        for page, (deps, h, written) in zip(todo, rendered):
            staging.record(page.path, h, written)
            records[page.url] = PageRecord(deps, prints.page(deps), page.path)
        result.rendered = len(todo)
        clock("render")
        _copy_assets(root, staging)
        for producer in PRODUCERS if extras is None else extras:
            for path, data in producer(atlas, site):
                staging.put(path, data)
        clock("extras")
        for finisher in FINISHERS if extras is None else []:
            finisher(staging.dir, atlas, site)
        clock("finish")
        result.written = staging.written
        staging.commit()
        clock("write")
    except BaseException:
        staging.abort()
        raise
    cache.pages = records
    cache.manifest = staging.manifest
    if options.use_cache:
        cache.save()
    clock("cache")
    return result


def read(root: Path, report: Report, cache: Cache | None) -> list[Entry]:
    """Discover, parse and validate every file, reusing the cache for unchanged ones."""
    files, problems = discover(root)
    report.extend(problems)
    entries: list[Entry] = []
    seen: dict[str, tuple[int, int, Any, list[Problem]]] = {}
    for path in files:
        rel = path.relative_to(root).as_posix()
        stat = path.stat()
        found = cache.cached_file(rel, stat) if cache is not None else None
        if found is None:
            entry, entry_problems = validate(read_entry(path, root))
        else:
            entry, entry_problems = found
        seen[rel] = (stat.st_size, stat.st_mtime_ns, entry, entry_problems)
        report.extend(entry_problems)
        if entry is not None:
            entries.append(entry)
    if cache is not None:
        cache.files = seen
    return entries


def _global_digest(root: Path, site: dict[str, Any], options: Options, code: str) -> str:
    """Inputs shared by every page: templates, settings, flags and the generator's code."""
    h = hashlib.blake2b(digest_size=12)
    h.update(code.encode() + repr(sorted(site.items())).encode() + repr(options.drafts).encode())
    for path in sorted((root / "templates").rglob("*")):
        if path.is_file():
            h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def _copy_assets(root: Path, staging: Staging) -> None:
    folder = root / "assets"
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            staging.put("assets/" + path.relative_to(folder).as_posix(), path.read_bytes())


# --- rendering, in this process or in forked workers that inherit the Atlas --------------------

_WORKER: dict[str, Any] = {}


def _render(todo: list[Page], atlas: Atlas, root: Path, site: dict[str, Any], staging: Staging,
            previous: dict[str, str], out: Path, jobs: int
            ) -> tuple[list[tuple[frozenset[tuple[str, ...]], str, bool]], list[Problem]]:
    _WORKER.clear()
    _WORKER.update(atlas=atlas, templates=root / "templates", site=site, dir=staging.dir,
                   previous=previous, out=out)
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1 or len(todo) < PARALLEL_THRESHOLD:
        results = [_render_one(page) for page in todo]
    else:
        ctx = multiprocessing.get_context("fork")
        chunk = max(1, min(64, len(todo) // (jobs * 8)))
        with ctx.Pool(jobs) as pool:
            results = pool.map(_render_one, todo, chunksize=chunk)
    _WORKER.clear()
    problems: list[Problem] = []
    rendered = []
    for outcome in results:
        if isinstance(outcome, str):
            path, _, message = outcome.partition(": ")
            file, _, line = path.partition(":")
            problems.append(Problem(file, int(line) if line.isdigit() else 0, "", message))
        else:
            rendered.append(outcome)
    return rendered, sorted(set(problems))


def _render_one(page: Page) -> tuple[frozenset[tuple[str, ...]], str, bool] | str:
    renderer = _WORKER.get("renderer")
    if renderer is None:
        renderer = _WORKER["renderer"] = Renderer(_WORKER["atlas"], _WORKER["templates"], _WORKER["site"])
    try:
        data, deps = renderer.render(page)
    except AtlasError as exc:
        return str(exc)
    h, written = write_file(_WORKER["dir"], page.path, data, _WORKER["previous"], _WORKER["out"])
    return deps, h, written


class _Clock:
    """Adds the seconds since the previous call to result.timings[name]."""

    def __init__(self, result: Result) -> None:
        self.result, self.last = result, time.perf_counter()

    def __call__(self, name: str) -> None:
        now = time.perf_counter()
        self.result.timings[name] = self.result.timings.get(name, 0.0) + now - self.last
        self.last = now
