"""The build, top to bottom: read → validate → link → render → write."""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import shutil
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

from . import config
from .incremental.cache import Cache, DepDigests
from .link.graph import Atlas, link
from .model.kinds import Entry
from .model.vocabulary import BUILTIN, Model, of_settings
from .outputs import FINISHERS, PRODUCERS, Finisher, Fragments
from .outputs import fragments as outputs
from .outputs import images
from .pages.plan import Page, plan
from .model.problems import AtlasError, Problem, Report
from .render.linkcheck import check_content, check_site
from .render.links import PageLinks, page_links
from .render.renderer import Renderer
from .render.theme import asset_files, template_files
from .read.source import digest, discover, read_entry
from .read.validate import validate
from .write.output import Output, check_out_dir, place

PARALLEL_THRESHOLD = 300  # below this many pages to render, forking workers costs more than it saves


@dataclass
class Result:
    """What a run did: its problems, the Atlas, and figures for the benchmark."""

    report: Report
    atlas: Atlas | None = None
    pages: int = 0
    rendered: int = 0
    written: int = 0
    written_pages: int = 0  # HTML files among `written`
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


def check(options: Options, cache: Cache | None = None, links: bool = True) -> Result:
    """Read, validate and link: every content problem, no output.

    `links`: also check the links of bodies and settings (build checks them in the rendered pages).
    """
    result = Result(Report(strict=options.strict))
    clock = _Clock(result)
    unreadable: set[tuple[str, str]] = set()
    model = of_settings(config.load(options.root))
    entries = read(options.root, result.report, cache, options.jobs, unreadable, model)
    clock("read")
    atlas, problems = link(entries, options.drafts, options.root, frozenset(unreadable), model)
    result.report.extend(problems)
    result.atlas = atlas
    clock("link")
    result.report.extend(images.prepare(atlas, options.root))  # images are content: checked here
    clock("images")
    if links:
        result.report.extend(check_content(atlas, options.root, config.load(options.root, options.base_url)))
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
    result = check(options, cache, links=False)
    if not result.report.ok or result.atlas is None:
        return result
    clock = _Clock(result)
    atlas = result.atlas
    from .link.freshness import page_settings

    site.update(page_settings(atlas, site))  # before the digest: it decides « à vérifier »
    pages = plan(atlas)
    result.pages = len(pages)
    global_digest = _global_digest(root, site, options, cache.code)
    digests = DepDigests(atlas)
    output = Output(out, cache.manifest, cache.spare, cache.stamp)
    stale = (global_digest != cache.global_digest or not output.published)
    changed = set() if stale else digests.changed(cache.deps)
    todo: list[Page] = []
    records: dict[str, tuple[str, tuple[str, ...], PageLinks]] = {}
    for page in pages:
        old = cache.pages.get(page.url)
        if (not stale and old is not None and old[0] == page.path and changed.isdisjoint(old[1])
                and page.path in output.published and output.keep(page.path, output.published[page.path])):
            records[page.url] = old
        else:
            todo.append(page)
    clock("plan")
    rendered, problems = _render(todo, atlas, root, site, output, options.jobs)
    result.report.extend(problems)
    if not result.report.ok:
        output.abort()
        return result
    for page, (deps, h, written, found) in zip(todo, rendered):
        output.record(page.path, h, written)
        records[page.url] = (page.path, tuple(map(sys.intern, deps)), found)
    result.rendered = len(todo)
    clock("render")
    _copy_assets(root, output)
    same_atlas = not stale and not changed and set(records) == set(cache.pages)
    produced: list[str] = []
    reused = same_atlas and all(p in output.published for p in cache.produced)
    if reused:
        for path in cache.produced:  # producers read only the atlas and the settings: same files
            output.keep(path, output.published[path])
        produced = cache.produced
    else:
        fragments = Fragments(cache.fragments, None if stale else changed)
        outputs._ACTIVE.append(fragments)
        try:
            for producer in PRODUCERS if extras is None else extras:
                for path, data in producer(atlas, site):
                    output.put(path, data)
                    produced.append(path)
        finally:
            outputs._ACTIVE.remove(fragments)
        cache.fragments = fragments.current
    clock("extras")
    result.report.extend(check_site(records, output.manifest, site, root))  # render/linkcheck.py
    if not result.report.ok:
        output.abort()
        return result
    clock("links")
    for finisher in FINISHERS if extras is None else []:
        _finish(finisher, output, atlas, site, options)
    clock("finish")
    result.written = output.written
    result.written_pages = sum(1 for p in output.written_paths if p.endswith(".html"))
    old_stamp = cache.stamp
    spare = output.commit()
    cache.stamp = output.stamp
    clock("write")
    every_dep = {d for _, deps, _ in records.values() for d in deps}
    every_dep.update(cache.fragment_deps)
    deps = {dep: digests(dep) for dep in every_dep}
    # Saving costs a third of a no-change build: skip it when the cache would be written as it is.
    # `reused` already means same settings, no changed dependency, same pages and exports.
    unchanged = (reused and not todo and not cache.files_changed and output.unchanged
                 and output.stamp == old_stamp and spare == cache.spare)
    cache.global_digest, cache.pages, cache.deps = global_digest, records, deps
    cache.manifest, cache.spare, cache.produced = output.manifest, spare, produced
    if options.use_cache and not unchanged:
        cache.save()
    clock("cache")
    return result


def _finish(finisher: Finisher, output: Output, atlas: Atlas, site: dict[str, Any], options: Options) -> None:
    """Run a finisher on the next site, or keep its previous files when nothing else changed."""
    if not finisher.wanted(site):  # e.g. --no-search: its old files leave with the swap
        return
    prefix = finisher.folder.strip("/") + "/"
    owned = {p: h for p, h in output.published.items() if p.startswith(prefix)}
    others = {p: h for p, h in output.published.items() if not p.startswith(prefix)}
    if owned and output.manifest == others:
        for path, h in sorted(owned.items()):
            output.keep(path, h)
        return
    output.prune()  # the finisher must not see pages that no longer exist
    shutil.rmtree(output.dir / finisher.folder, ignore_errors=True)  # fresh files: none shared by hard link
    finisher.run(output.dir, atlas, site)
    base = output.dir / finisher.folder
    for path in sorted(base.rglob("*")) if base.is_dir() else []:
        if path.is_file():
            output.record(path.relative_to(output.dir).as_posix(), digest(path.read_bytes()), True)


def read(root: Path, report: Report, cache: Cache | None, jobs: int = 0,
         unreadable: set[tuple[str, str]] | None = None, model: Model = BUILTIN) -> list[Entry]:
    """Discover, parse and validate every file, reusing the cache for unchanged ones.

    `unreadable` receives (kind, slug) of the files that could not be read at all.
    """
    root = root.resolve()
    if cache is not None and cache.model != model.digest:  # validated against other types or fields
        cache.files, cache.model = {}, model.digest
    files, problems = discover(root)
    report.extend(problems)
    prefix = len(str(root)) + 1
    found: dict[str, tuple[int, int, Any, list[Problem]]] = {}
    todo: list[tuple[str, Path, os.stat_result]] = []
    for path in files:
        rel = str(path)[prefix:].replace(os.sep, "/")
        stat = os.stat(path)
        hit = cache.cached_file(rel, stat) if cache is not None else None
        if hit is None:
            todo.append((rel, path, stat))
        else:
            found[rel] = (stat.st_size, stat.st_mtime_ns, *hit)
    parsed = _map(_parse_one, [(path, root, model) for _, path, _ in todo], jobs, PARALLEL_THRESHOLD)
    for (rel, _, stat), (entry, entry_problems) in zip(todo, parsed):
        found[rel] = (stat.st_size, stat.st_mtime_ns, entry, entry_problems)
    entries: list[Entry] = []
    seen: dict[str, tuple[int, int, Any, list[Problem]]] = {}
    for path in files:  # in discovery order, whichever way each file was read
        rel = str(path)[prefix:].replace(os.sep, "/")
        seen[rel] = found[rel]
        report.extend(found[rel][3])
        if found[rel][2] is not None:
            entries.append(found[rel][2])
        elif unreadable is not None:
            unreadable.add((path.parent.name, path.name.rsplit(".", 1)[0]))
    if cache is not None:
        cache.files_changed = bool(todo) or seen.keys() != cache.files.keys()
        cache.files = seen
    return entries


def _parse_one(job: tuple[Path, Path, Model]) -> tuple[Entry | None, list[Problem]]:
    """Parse and validate one file; the body is dropped (pages read it back): memory stays flat."""
    path, root, model = job
    entry, problems = validate(read_entry(path, root), model)
    return (replace(entry, body=None) if entry is not None else None), problems


def _map(function: Callable[[Any], Any], items: list[Any], jobs: int, threshold: int) -> list[Any]:
    """function over items, in forked worker processes when there are enough items to pay for them."""
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1 or len(items) < threshold:
        return [function(item) for item in items]
    chunk = max(1, min(64, len(items) // (jobs * 8)))
    # What the workers inherit is never garbage: frozen, the collector does not write to its pages
    # in each worker, which would copy them (about 5 % less memory at 2,000 actors, same time).
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            return pool.map(function, items, chunksize=chunk)
    finally:
        gc.unfreeze()


def _global_digest(root: Path, site: dict[str, Any], options: Options, code: str) -> str:
    """Inputs shared by every page: templates, settings, flags and the generator's code."""
    h = hashlib.blake2b(digest_size=12)
    h.update(code.encode() + repr(sorted(site.items())).encode() + repr(options.drafts).encode())
    for name, path in template_files(root):
        h.update(name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def _copy_assets(root: Path, output: Output) -> None:
    """The theme's assets and the site's, the site's winning where both have a file."""
    for name, path in asset_files(root).items():
        output.put(name, path.read_bytes())


# --- rendering, in this process or in forked workers that inherit the Atlas --------------------

_WORKER: dict[str, Any] = {}


def _render(todo: list[Page], atlas: Atlas, root: Path, site: dict[str, Any], output: Output, jobs: int
            ) -> tuple[list[tuple[tuple[str, ...], str, bool, PageLinks]], list[Problem]]:
    if todo:
        output.begin()
    _WORKER.clear()
    _WORKER.update(atlas=atlas, root=root, site=site, dir=output.dir, holds=output.holds,
                   published=output.published, out=output.out)
    if len(todo) >= PARALLEL_THRESHOLD:
        _make_dirs(output, todo)
    results = _map(_render_one, todo, jobs, PARALLEL_THRESHOLD)
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


def _make_dirs(output: Output, todo: list[Page]) -> None:
    """Create the page folders once, here, instead of racing for them in every worker."""
    for page in todo:
        output.make_parent(page.path)


def _render_one(page: Page) -> tuple[tuple[str, ...], str, bool, PageLinks] | str:
    renderer = _WORKER.get("renderer")
    if renderer is None:
        renderer = _WORKER["renderer"] = Renderer(_WORKER["atlas"], _WORKER["root"], _WORKER["site"])
    try:
        data, deps = renderer.render(page)
    except AtlasError as exc:
        return str(exc)
    h, written = place(_WORKER["dir"], page.path, data, _WORKER["holds"], _WORKER["published"], _WORKER["out"])
    found = page_links(page, data, renderer.md.body_links, _WORKER["site"])  # for the link check, cached
    return tuple(sorted(deps)), h, written, found


class _Clock:
    """Adds the seconds since the previous call to result.timings[name]."""

    def __init__(self, result: Result) -> None:
        self.result, self.last = result, time.perf_counter()

    def __call__(self, name: str) -> None:
        now = time.perf_counter()
        self.result.timings[name] = self.result.timings.get(name, 0.0) + now - self.last
        self.last = now
