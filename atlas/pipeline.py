"""The build, top to bottom: settings → read → link → plan → render → check links → exports →
assets → search → write. Each line is one stage; what each may skip is decided in
incremental/decide.py, and the stages that read or write the cache are in incremental/steps.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import config
from .incremental import (Build, Cache, Pages, check_links, copy_assets, index_search, link_sources, plan_work,
                          prepare_output, publish, read_sources, render_pages, write_exports)
from .link import Atlas, link, page_settings
from .model.problems import Report
from .model.progress import Progress
from .model.vocabulary import of_settings
from .outputs import prepare_images
from .pages import plan
from .read import scan
from .render import check_content
from .write import Output, check_out_dir


@dataclass
class Result:
    """What a run did: its problems, the Atlas, and figures for the benchmark."""

    report: Report
    atlas: Atlas | None = None
    pages: int = 0
    rendered: int = 0
    written: int = 0
    written_pages: int = 0  # HTML files among `written`
    changed: list[str] = field(default_factory=list)  # paths of the site whose bytes changed or that went
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


def check(options: Options, links: bool = True) -> Result:
    """Read, validate and link every file: every content problem, no output.

    `links`: also check the links of bodies and settings against the planned pages.
    """
    result = Result(Report(strict=options.strict))
    site = config.load(options.root, options.base_url)
    model = of_settings(site)
    sources = scan(options.root, {}, lambda stat: False, model, options.jobs)
    result.report.extend(sources.problems)
    unreadable = set()
    for path in sources.files:
        entry, problems = sources.parsed[path]
        result.report.extend(problems)
        if entry is None:
            unreadable.add((path.split("/")[1], path.rpartition("/")[2].rsplit(".", 1)[0]))
    entries = [e for e, _ in (sources.parsed[p] for p in sources.files) if e is not None]
    result.atlas, problems = link(entries, options.drafts, options.root, frozenset(unreadable), model)
    result.report.extend(problems)
    result.report.extend(prepare_images(result.atlas, options.root))
    if links:
        result.report.extend(check_content(result.atlas, options.root, site))
    return result


def build(options: Options, cache: Cache | None = None, progress: Progress | None = None) -> Result:
    """The whole build. The output folder is replaced only when everything succeeded."""
    root, out = options.root, options.out or options.root / "site"
    check_out_dir(out, root)
    site = config.load(root, options.base_url)
    site["search"] = options.search  # the search page says when the build has no index
    store = cache or Cache.load(root, out, enabled=options.use_cache)
    b = Build(root, out, site, of_settings(site), store, Report(strict=options.strict), progress or Progress(),
              options.drafts, options.jobs, options.search)
    result = Result(b.report, timings=b.timings)
    try:
        sources = read_sources(b)
        linked = link_sources(b, sources)
        result.atlas = linked.atlas
        if b.ok:
            site.update(page_settings(linked.atlas, site))  # « à vérifier »: before the fingerprint
            work = plan_work(b, linked, plan(linked.atlas))
            output = prepare_output(b, linked)
            pages = render_pages(b, linked, work, output)
            made = write_exports(b, linked, work, pages, output)
            copy_assets(b, output)
            check_links(b, work, pages, output)
            index_search(b, work, pages, output)
            publish(b, linked, work, pages, output, made)
            _summary(result, pages, output)
    except BaseException:
        store.abandon()  # as a killed build: the cache stays as the last good build left it
        raise
    finally:
        if not b.ok:
            store.abandon()
        if cache is None:
            store.close()
    return result


def _summary(result: Result, pages: Pages, output: Output) -> None:
    result.pages, result.rendered = len(pages.pages), len(pages.rendered)
    result.written, result.changed = output.written, sorted(output.delta)
    result.written_pages = sum(1 for p in output.written_paths if p.endswith(".html"))
