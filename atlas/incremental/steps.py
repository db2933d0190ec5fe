"""The stages of a build that read or write the cache, each a function pipeline.build() calls once.

A `Build` holds what every stage shares (settings, the cache, the report, the progress, the
output being prepared): one explicit container passed down, as Hugo's deps.Deps. The decisions
are decide.py's; these functions fetch from the cache what a decision needs, call it, and do
what it says. Every stage costs what changed: it reads rows of the cache by key, never a whole
table, except where a decision says the whole site must be looked at.
"""

from __future__ import annotations

import heapq
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..link import Atlas, Touched, link, linked, update, Change
from ..model.digest import digest
from ..model.kinds import Entry
from ..model.problems import ERROR, Problem, Report
from ..model.progress import Progress
from ..model.vocabulary import Model
from ..outputs import (EXPORTS, SEARCH_FOLDER, catalogue, fragment_id, prepare_images, search_index,
                       search_record)
from ..outputs import write as write_document
from ..pages import Page
from ..read import Sources, scan
from ..render import Job, Rendered, asset_files, check_site, template_files
from ..render import render_pages as render_all
from ..write import Output, place, read_stamp, spare_usable
from . import decide
from .cache import Cache
from .digests import Digests, candidates


@dataclass
class Build:
    """What every stage of one build shares."""

    root: Path
    out: Path
    site: dict[str, Any]
    model: Model
    cache: Cache
    report: Report
    progress: Progress
    drafts: bool = False
    jobs: int = 0
    search: bool = True
    timings: dict[str, float] = field(default_factory=dict)
    _last: float = field(default_factory=time.perf_counter)

    def clock(self, stage: str) -> None:
        """Add the seconds since the last call to timings[stage]."""
        now = time.perf_counter()
        self.timings[stage] = self.timings.get(stage, 0.0) + now - self._last
        self._last = now

    @property
    def ok(self) -> bool:
        return self.report.ok


@dataclass
class Linked:
    """The atlas after the link stage, and how it was made."""

    atlas: Atlas
    in_full: bool  # linked in memory from every entry, not updated in the store
    reusable: bool  # the stored graph was the last build's for the same model and drafts rule
    touched: Touched | None  # what the incremental link touched (None after a full link)
    sources: Sources
    stored: decide.Stored


@dataclass
class Work:
    """What the pages stage must do: reuse decided, dependencies that changed, pages planned."""

    reuse: decide.Reuse
    changed: set[str] | None  # None: take nothing from the last build
    digests: Digests
    planned: list[Page]
    stored_pages: dict[str, tuple[str, str]]  # url -> (plan digest, output digest) of the last build
    readers: set[str] = field(default_factory=set)  # pages and fragments that read a changed dependency

    @property
    def page_readers(self) -> set[str]:
        return {r for r in self.readers if "#" not in r}

    @property
    def fragment_readers(self) -> set[str]:
        return {r for r in self.readers if "#" in r}


def plan_digest(page: Page) -> str:
    """What a page is planned as (template, builder, arguments): another plan renders it again."""
    return digest(repr((page.url, page.template, page.builder, page.args)))


def stored_state(b: Build) -> decide.Stored:
    """What the cache and the output folders say of the last build."""
    stamp = b.cache.meta("stamp")
    known = bool(stamp) and read_stamp(b.out) == stamp and b.out.is_dir()
    return decide.Stored(graph=b.cache.meta("graph"), fingerprint=b.cache.meta("fingerprint"), outputs_known=known,
                         spare_known=known and b.cache.meta("spare") == "known" and spare_usable(b.out))


def read_sources(b: Build) -> Sources:
    """Stat every entry file and parse the changed ones; their problems and those the cache kept
    for unchanged files go to the report."""
    b.cache.use_model(b.model)
    b.progress.stage("lecture des fiches")
    sources = scan(b.root, b.cache.known_files(), b.cache.trusted, b.model, b.jobs)
    b.cache.put_files((path, *sources.stats[path], entry, problems) for path, (entry, problems) in sources.parsed.items())
    b.cache.drop_files(sources.removed)  # in the build's transaction: undone if it fails
    b.report.extend(sources.problems)
    for path, problems in b.cache.problems().items():
        if path not in sources.parsed and path in sources.stats:
            b.report.extend(problems)
    for _, problems in sources.parsed.values():
        b.report.extend(problems)
    b.clock("read")
    return sources


def link_sources(b: Build, sources: Sources) -> Linked:
    """Update the stored graph with the changed entries, or link every entry when it cannot."""
    stored = stored_state(b)
    key = digest(b.model.digest, repr(b.drafts))  # what a stored graph was linked with
    errors = any(p.severity == ERROR for _, problems in sources.parsed.values() for p in problems)
    touched = None
    b.progress.stage("liens entre fiches")
    reusable = decide.graph_reusable(stored, key)
    if reusable and not errors:
        b.cache.savepoint()
        changes = [Change(path, entry) for path, (entry, _) in sources.parsed.items()]
        touched = update(b.cache.graph, changes + [Change(path, None) for path in sources.removed], b.drafts, b.model)
        if touched is None or _files_changed(b):
            b.cache.back_to_savepoint()
            touched = None
        else:
            b.cache.release_savepoint()
    if touched is not None:
        atlas = b.cache.graph.atlas()
        changed = Atlas(root=b.root, model=b.model, entries={
            e.key: e for e, _ in sources.parsed.values() if e is not None and linked(e, b.drafts)})
        b.report.extend(prepare_images(changed, b.root, prune_unused=False))
    else:
        atlas = link_all(b, sources)
        if b.ok:
            b.cache.graph.replace(atlas)
            b.cache.set_meta(graph=key)
    b.clock("link")
    return Linked(atlas, touched is None, reusable, touched, sources, stored)


def link_all(b: Build, sources: Sources) -> Atlas:
    """The atlas linked in memory from every entry (the parse cache gives the unchanged ones)."""
    parsed = {**b.cache.parsed(p for p in sources.files if p not in sources.parsed), **sources.parsed}
    entries: list[Entry] = []
    unreadable: set[tuple[str, str]] = set()
    for path in sources.files:
        entry = parsed[path][0] if path in parsed else None
        if entry is not None:
            entries.append(entry)
        else:
            folder, _, name = path.rpartition("/")
            unreadable.add((folder.rpartition("/")[2], name.rsplit(".", 1)[0]))
    atlas, problems = link(entries, b.drafts, b.root, frozenset(unreadable), b.model)
    b.report.extend(problems)
    if b.report.ok:
        b.report.extend(prepare_images(atlas, b.root))
    return atlas


def _files_changed(b: Build) -> bool:
    """A file that entries name (an image) changed or went: a full link checks every image again."""
    files = b.cache.deps_of_family("f")
    if not files:
        return False
    current = Digests(b.cache.graph.atlas())
    return any(current(dep) != h for dep, h in b.cache.dep_digests(files).items())


def fingerprint(b: Build) -> str:
    """Inputs shared by every page: templates, settings, flags and the generator's code."""
    parts: list[bytes | str] = [b.cache.code, repr(sorted(b.site.items())), repr(b.drafts)]
    for name, path in template_files(b.root):
        parts += [name, path.read_bytes()]
    return digest(*parts)


def plan_work(b: Build, linked: Linked, planned: list[Page]) -> Work:
    """Which stored dependencies changed, and who read them (the reverse index)."""
    reuse = decide.reuse(linked.stored, linked.reusable, fingerprint(b))
    digests = Digests(linked.atlas)
    work = Work(reuse, None, digests, planned, b.cache.pages() if reuse.outputs else {})
    if reuse.pages:
        wanted = b.cache.all_deps() if linked.touched is None else sorted(candidates(linked.touched, b.cache))
        work.changed = digests.changed(b.cache.dep_digests(wanted))
        work.readers = b.cache.readers(work.changed)
    b.clock("plan")
    return work


@dataclass
class Pages:
    """The pages of the next site: those rendered now, and every URL it has."""

    rendered: list[Rendered]
    pages: list[Page]  # every page of the next site, the planned ones first
    removed: list[str]  # URLs of the last build's pages that it no longer has


def prepare_output(b: Build, linked: Linked) -> Output:
    """The next site, prepared in the spare folder from what the cache knows of both folders."""
    stored = linked.stored
    return Output(b.out, stored.outputs_known, b.cache.lag() if stored.spare_known else None, b.cache.meta("stamp"))


def render_pages(b: Build, linked: Linked, work: Work, output: Output) -> Pages:
    """Render the pages that must be, then the further pages of their long lists that must be."""
    everything = not work.reuse.pages
    stored_plans = {url: plan for url, (plan, _) in work.stored_pages.items()}
    planned = {page.url: page for page in work.planned}
    todo = [planned[u] for u in decide.pages_to_render({u: plan_digest(p) for u, p in planned.items()},
                                                      stored_plans, work.page_readers, everything)]
    atlas = linked.atlas
    if decide.in_memory(linked.in_full, len(todo)) and not linked.in_full:
        atlas = link_all(b, linked.sources)  # many pages: from memory, in forked workers
        work.digests = Digests(atlas)
    rendered = _render(b, atlas, todo, work, output)
    # The further pages of long lists, spawned by a planned page (an entry page's list) or by a
    # spawned one (the list's next pages): level by level, each host's latest word.
    stored_spawned = b.cache.spawned()
    fresh = {r.page.url: r.spawned for r in rendered}
    hosts, further = set(planned), {}
    while hosts:
        level = {p.url: p for host in sorted(hosts)
                 for p in (fresh[host] if host in fresh else stored_spawned.get(host, ())) if p.url not in planned}
        level = {u: p for u, p in level.items() if u not in further}
        further.update(level)
        again = decide.pages_to_render({u: plan_digest(p) for u, p in level.items()}, stored_plans,
                                       work.page_readers, everything)
        made = _render(b, atlas, [level[u] for u in again], work, output)
        rendered += made
        fresh.update({r.page.url: r.spawned for r in made})
        hosts = set(level)
    every = list(planned.values()) + [p for u, p in sorted(further.items())]
    removed = decide.removed_pages({p.url for p in every}, work.stored_pages)
    for url in removed:
        if output.known:
            output.remove(Page(url, "", "").path)
    b.clock("render")
    return Pages(rendered, every, removed)


def _render(b: Build, atlas: Atlas, pages: list[Page], work: Work, output: Output) -> list[Rendered]:
    if not pages:
        return []
    b.progress.stage("pages", len(pages))
    output.make_dirs([p.path for p in pages])
    published = {url: h for url, (_, h) in work.stored_pages.items()} if work.reuse.outputs else {}
    jobs = [Job(p, published.get(p.url)) for p in pages]
    extractors = {"search": search_record} if b.search else {}
    done: list[Rendered] = []
    for outcome in render_all(jobs, atlas, b.root, b.site, catalogue(b.model), output.dir, place, extractors,
                              b.jobs, b.cache.templates_folder(b.site["base_path"])):
        b.progress.advance()
        if isinstance(outcome, Problem):
            b.report.extend([outcome])
        else:
            output.record(outcome.page.path, outcome.digest, published.get(outcome.page.url))
            done.append(outcome)
    return done


def check_links(b: Build, work: Work, pages: Pages, output: Output) -> None:
    """The links of the pages rendered now (of every page when one may have lost its target)."""
    if not b.ok:  # a page or a link failed: nothing more is made
        return
    last = b.cache.link_problems()
    if decide.links_as_last_time(work.reuse, bool(pages.rendered or output.delta)):
        b.report.extend(last)
        return
    old = b.cache.page_rows(r.page.url for r in pages.rendered)
    anchors = any(r.page.url in old and old[r.page.url][2].get("links") is not None
                  and old[r.page.url][2]["links"].ids != r.links.ids for r in pages.rendered)
    removed = any(h is None for h in output.delta.values())
    records: dict[str, Any] = {}
    if decide.check_every_link(work.reuse, removed, anchors, bool(last)):
        gone = set(pages.removed)
        records = {url: (path, (), links) for url, path, links in b.cache.page_links() if url not in gone}
    records.update({r.page.url: (r.page.path, r.deps, r.links) for r in pages.rendered})
    files = {p for p in (b.cache.published() if output.known else {}) if output.delta.get(p, "") is not None}
    files.update(p for p, h in output.delta.items() if h is not None)
    found = check_site(records, files, b.site, b.root)
    b.report.extend(found)
    b.cache.set_link_problems(found)
    b.clock("links")


def write_exports(b: Build, linked: Linked, work: Work, pages: Pages, output: Output) -> dict[str, set[str]]:
    """The open data, the feeds and the sitemap: fragments made again where they read a change,
    copied from the published files elsewhere; nothing at all when nothing changed.
    Returns what the fragments made now read (fragment id -> dependencies)."""
    if not b.ok:  # a page or a link failed: nothing more is made
        return {}
    touched = linked.touched
    something = (work.changed is None or bool(work.changed) or touched is None or bool(touched.added or touched.removed)
                 or bool(pages.removed) or any(r.page.url not in work.stored_pages for r in pages.rendered))
    decision = decide.exports(work.reuse, work.fragment_readers, something)
    made: dict[str, set[str]] = {}
    if not decision.write:
        return made
    b.progress.stage("données ouvertes")
    produced: list[str] = []
    for export in EXPORTS:
        files = b.cache.meta(f"files:{export.name}")
        if decide.keep_export(decision, export.watched, export.reader, bool(files)):
            produced.extend(json.loads(files))
            continue
        read: set[str] = set()
        made_now = export.make(linked.atlas, b.site, pages.pages, read) if export.watched else \
            export.make(linked.atlas, b.site, pages.pages)
        mine: list[str] = []
        for path, data in made_now:
            mine.append(path)
            published = b.cache.published([path]).get(path) if output.known else None
            if isinstance(data, bytes):
                output.put(path, data, published)
            else:
                made.update(_write_document(b, path, data, published, decision.remake, output))
        produced.extend(mine)
        if export.watched:
            made[export.reader] = read
            b.cache.set_readers(export.reader, read)
            b.cache.set_meta(**{f"files:{export.name}": json.dumps(mine)})
    for path in sorted(set(b.cache.meta("produced").split("\n")) - set(produced) - {""}):
        if output.known and b.cache.published([path]):
            output.remove(path)
        b.cache.set_readers_like(f"{path}#")
    b.cache.drop_layouts(produced)
    b.cache.set_meta(produced="\n".join(produced))
    b.clock("exports")
    return made


def _write_document(b: Build, path: str, document: Any, published: str | None, remake: frozenset[str] | None,
                    output: Output) -> dict[str, set[str]]:
    stored = b.cache.layout(path)
    usable = stored is not None and published is not None and stored[0] == published
    layout = stored[1] if usable and stored else None
    output.begin()
    target = output.dir / path
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    written = write_document(document, tmp, path, b.out / path if usable else None, layout,
                             remake if usable else None)
    if written.digest == published:
        if not written.kept:
            tmp.unlink()
    else:
        tmp.replace(target)
    output.record(path, written.digest, published)
    if written.digest != (stored[0] if stored else None):
        b.cache.put_layout(path, written.digest, written.layout)
    made = {fragment_id(path, key): deps for key, deps in written.made.items()}
    for key in written.dropped:
        b.cache.set_readers(fragment_id(path, key), ())
    for reader, deps in made.items():
        b.cache.set_readers(reader, deps)
    return made


def copy_assets(b: Build, output: Output) -> None:
    """The theme's assets and the site's (the site's winning), read only when their size or
    modification time differ from the last build's."""
    if not b.ok:  # a page or a link failed: nothing more is made
        return
    stored = b.cache.assets() if output.known else {}
    rows: dict[str, tuple[int, int, str]] = {}
    files = asset_files(b.root)
    for name, path in files.items():
        stat = path.stat()
        old = stored.get(name)
        if old is not None and old[:2] == (stat.st_size, stat.st_mtime_ns) and b.cache.trusted(stat):
            continue
        rows[name] = (stat.st_size, stat.st_mtime_ns, output.put(name, path.read_bytes(), old[2] if old else None))
    gone = sorted(set(stored) - set(files))
    for name in gone:
        output.remove(name)
    b.cache.put_assets(rows, gone, replace_all=not output.known)
    b.clock("assets")


def index_search(b: Build, work: Work, pages: Pages, output: Output) -> None:
    """The Pagefind index, made again from every page's stored record when one changed."""
    if not b.ok:  # a page or a link failed: nothing more is made
        return
    published = b.cache.published_under(SEARCH_FOLDER) if output.known else {}
    if not b.search:
        for path in published:  # --no-search: the old index leaves with the swap
            output.remove(path)
        return
    old = b.cache.page_rows(r.page.url for r in pages.rendered)
    new = {r.page.url: r.extra.get("search") for r in pages.rendered}
    changed = (not work.reuse.pages or any((record[0] if record else "") != (old.get(url, ("",))[0])
                                           for url, record in new.items())
               or bool(set(pages.removed) & b.cache.searched(pages.removed)))
    if not decide.reindex(True, bool(published), changed):
        return
    b.progress.stage("index de recherche")
    gone = set(pages.removed) | set(new)
    stored = ((url, html) for url, html in b.cache.search_records() if url not in gone)
    fresh = sorted((url, record[1]) for url, record in new.items() if record)
    bundle = search_index(heapq.merge(stored, fresh), b.site["language"])
    for path, data in bundle.items():
        output.put(path, data, published.get(path))
    for path in sorted(set(published) - set(bundle)):
        output.remove(path)
    b.clock("search")


def publish(b: Build, linked: Linked, work: Work, pages: Pages, output: Output, made: dict[str, set[str]]) -> None:
    """Swap the next site in, then record in the cache what the folders and the pages are now."""
    if not b.ok:  # a page or a link failed: nothing more is made
        return
    b.progress.stage("écriture")
    lag = output.commit()
    c = b.cache
    if output.delta or not output.known or lag != (c.lag() if linked.stored.spare_known else None):
        c.put_outputs(output.delta, lag or set(), replace_all=not output.known)
    c.set_meta(stamp=output.stamp, spare="known" if lag is not None else "", fingerprint=fingerprint(b))
    c.drop_pages(pages.removed)
    recorded: set[str] = set()
    for r in pages.rendered:
        search = r.extra.get("search")
        c.put_page(r.page.url, r.page.path, plan_digest(r.page), r.digest, search[0] if search else "",
                   list(r.spawned), {"links": r.links}, r.deps)
        if b.search:
            c.put_search(r.page.url, search[1] if search else None)
        recorded.update(r.deps)
    for deps in made.values():
        recorded.update(deps)
    if work.changed is None:
        c.forget_dep_digests()
        fresh = recorded
    else:
        fresh = (recorded - set(c.dep_digests(recorded))) | work.changed
    c.put_dep_digests({dep: work.digests(dep) for dep in sorted(fresh)})
    c.save()
    b.progress.finish()
    b.clock("write")
