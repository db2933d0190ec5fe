"""Rendering pages, in this process or in forked workers: one Renderer per process, each page
written into the spare folder as soon as it is made, and what the cache keeps of it returned."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping

from ..model.problems import AtlasError, Problem
from ..model.workers import run, shared
from ..pages import Page
from .links import PageLinks, page_links
from .renderer import Renderer

# What else a rendered page gives the build, by name: html -> a value the cache keeps
# with the page (e.g. the search record). The link record is made apart: it needs the renderer.
Extractor = Callable[[bytes], Any]


@dataclass(frozen=True)
class Rendered:
    """A page as just rendered: where it went, its digest, what it read and what it gave."""

    page: Page
    digest: str
    written: bool  # its bytes differ from the published page's
    deps: tuple[str, ...]
    spawned: tuple[Page, ...]  # the pages of its long lists
    links: PageLinks
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Job:
    page: Page
    published: str | None  # the digest of the published page, None when there is none


def render_pages(jobs: list[Job], atlas: Any, root: Path, site: dict[str, Any], exports: Mapping[str, Any],
                 folder: Path, place: Callable[..., tuple[str, bool]], extractors: Mapping[str, Extractor],
                 processes: int = 0, compiled: Path | None = None) -> Iterator[Rendered | Problem]:
    """Render each job's page into `folder` (with `place`), in order: a Rendered, or the Problem
    that stopped it. Forked workers inherit the atlas and the settings. `compiled`: where compiled
    templates are kept between processes."""
    state = {"atlas": atlas, "root": root, "site": site, "exports": exports, "folder": folder,
             "place": place, "extractors": extractors, "compiled": compiled}
    yield from run(_render_one, jobs, processes, state)


def _render_one(job: Job) -> Rendered | Problem:
    state = shared()
    renderer = state.get("renderer")
    if renderer is None:
        renderer = state["renderer"] = Renderer(state["atlas"], state["root"], state["site"], state["exports"],
                                                state["compiled"])
    try:
        data, deps, spawned = renderer.render(job.page)
    except AtlasError as exc:
        path, _, message = str(exc).partition(": ")
        file, _, line = path.partition(":")
        return Problem(file, int(line) if line.isdigit() else 0, "", message)
    h, written = state["place"](state["folder"], job.page.path, data, job.published)
    links = page_links(job.page, data, renderer.md.body_links, state["site"])
    extra = {name: extract(data) for name, extract in state["extractors"].items()}
    return Rendered(job.page, h, written, tuple(sorted(map(sys.intern, deps))), tuple(spawned), links, extra)
