"""The decisions of an incremental build: what can be reused, which pages to render, what to write.

Each decision is a function of plain values with a table of cases in tests/test_decide.py; the
pipeline calls them in order and does what they say. The rule behind all of them: a build may
skip work only where a digest stored by the last good build proves the result would be the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

PARALLEL_AT = 300  # pages to render from which the build links in memory and forks render workers


@dataclass(frozen=True)
class Stored:
    """What the cache and the output folders say about the last build."""

    graph: str  # the settings its graph was linked with ('' : no graph)
    fingerprint: str  # what its pages were rendered with: templates, settings, code
    outputs_known: bool  # the output stamp matches the cache: the manifests describe the folders
    spare_known: bool  # the spare folder is complete and its differences from the site are known


@dataclass(frozen=True)
class Reuse:
    """What this build may take from the last one."""

    graph: bool  # update the stored graph with the changed entries instead of linking all of them
    pages: bool  # keep the pages whose dependencies did not change
    outputs: bool  # the published files are what the cache says: write only what differs
    spare: bool  # bring the spare folder up to date by its differences, not from scratch


def graph_reusable(stored: Stored, graph: str) -> bool:
    """The stored graph can be updated with the changed entries: it was linked with the same model
    and drafts rule (else every entry is linked again)."""
    return bool(stored.graph) and stored.graph == graph


def reuse(stored: Stored, graph: bool, fingerprint: str) -> Reuse:
    """Each kind of reuse needs the ones before it and its own digest to match."""
    outputs = stored.outputs_known
    pages = graph and outputs and stored.fingerprint == fingerprint
    return Reuse(graph=graph, pages=pages, outputs=outputs, spare=outputs and stored.spare_known)


def in_memory(linked_in_full: bool, pages_to_render: int) -> bool:
    """Render from an atlas in memory (linked in full, shared with forked workers) rather than from
    the store's lazy views: always after a full link, and when there are many pages to render."""
    return linked_in_full or pages_to_render >= PARALLEL_AT


def pages_to_render(planned: Mapping[str, str], stored: Mapping[str, str], readers: set[str],
                    everything: bool) -> list[str]:
    """URLs of the planned pages to render: all of them, or those that are new, planned otherwise
    than last time (another template or list page), or that read a dependency that changed.

    `planned` and `stored` map a URL to the digest of its plan record.
    """
    if everything:
        return list(planned)
    return [url for url, plan in planned.items() if stored.get(url) != plan or url in readers]


def removed_pages(pages: set[str], stored: Mapping[str, str]) -> list[str]:
    """The pages of the last build that this build no longer makes."""
    return sorted(url for url in stored if url not in pages)


@dataclass(frozen=True)
class Exports:
    """What the export stage does: nothing, or write its files remaking the fragments named."""

    write: bool
    remake: frozenset[str] | None  # fragment ids to make again; None: all of them


def exports(reuse: Reuse, fragment_readers: set[str], something_changed: bool) -> Exports:
    """Keep every export file when nothing changed; else write them, making again only the
    fragments that read a changed dependency (all of them when the pages cannot be reused:
    settings or code changed, or the published files are unknown). Fragments not made again are
    copied from the published file."""
    if not reuse.pages:
        return Exports(True, None)
    return Exports(something_changed, frozenset(fragment_readers))


def keep_export(decision: Exports, watched: bool, reader: str, recorded: bool) -> bool:
    """A watched export (outputs.Export) keeps its published files, without being made, when the
    last build recorded what it read and made them, and none of it changed: its reader is not
    among those to remake."""
    return watched and recorded and decision.remake is not None and reader not in decision.remake


def reindex(enabled: bool, published: bool, records_changed: bool) -> bool:
    """Search: index again when the indexed text of some page changed, a page with some came or
    went, or the index is not there."""
    return enabled and (records_changed or not published)


def links_as_last_time(reuse: Reuse, site_changed: bool) -> bool:
    """No page was rendered and no file came or went: the link check's answer is the last build's
    (its broken links are reported again, as the parse cache reports a file's warnings)."""
    return reuse.pages and not site_changed


def check_every_link(reuse: Reuse, files_removed: bool, anchors_changed: bool, known_broken: bool) -> bool:
    """The link check reads the links of every page, not only of the pages rendered now, when a
    link elsewhere may have lost its target (a file is gone, or a page rendered now has other
    anchors than before: a link to `page#section` is checked against the anchors) or may have
    found it (the last build reported broken links: a new page may be what one of them meant).
    Otherwise the pages not rendered link to what they linked to when they were checked, and it
    is all there."""
    return not reuse.pages or files_removed or anchors_changed or known_broken
