"""The decisions of an incremental build (atlas/incremental/decide.py), case by case: plain values
in, a decision out, no atlas and no files."""

from __future__ import annotations

import pytest

from atlas.incremental import decide
from atlas.incremental.decide import Exports, Reuse, Stored

GRAPH = "model-1"
PRINT = "fingerprint-1"


def stored(graph: str = GRAPH, fingerprint: str = PRINT, outputs: bool = True, spare: bool = True) -> Stored:
    return Stored(graph=graph, fingerprint=fingerprint, outputs_known=outputs, spare_known=spare)


@pytest.mark.parametrize(("last", "graph", "expected"), [
    (stored(), GRAPH, True),
    (stored(graph=""), GRAPH, False),  # no graph stored: a first build, or the last one failed
    (stored(graph="model-0"), GRAPH, False),  # another vocabulary or drafts rule
])
def test_the_stored_graph_is_updated_only_when_linked_the_same_way(last: Stored, graph: str, expected: bool) -> None:
    assert decide.graph_reusable(last, graph) is expected


@pytest.mark.parametrize(("last", "graph", "fingerprint", "expected"), [
    (stored(), True, PRINT, Reuse(graph=True, pages=True, outputs=True, spare=True)),
    # templates, settings or code changed: every page again, the published files still known
    (stored(), True, "fingerprint-2", Reuse(graph=True, pages=False, outputs=True, spare=True)),
    # the graph was linked again in full: no page can be kept on the old dependencies
    (stored(), False, PRINT, Reuse(graph=False, pages=False, outputs=True, spare=True)),
    # the site folder is not what the cache says (deleted, edited by hand): nothing is kept
    (stored(outputs=False), True, PRINT, Reuse(graph=True, pages=False, outputs=False, spare=False)),
    # a killed build left the spare folder half made: it is made again from the site
    (stored(spare=False), True, PRINT, Reuse(graph=True, pages=True, outputs=True, spare=False)),
])
def test_each_reuse_needs_the_ones_before_it(last: Stored, graph: bool, fingerprint: str, expected: Reuse) -> None:
    assert decide.reuse(last, graph, fingerprint) == expected


@pytest.mark.parametrize(("in_full", "count", "expected"), [
    (True, 1, True), (False, 1, False), (False, decide.PARALLEL_AT - 1, False), (False, decide.PARALLEL_AT, True),
])
def test_many_pages_are_rendered_from_memory(in_full: bool, count: int, expected: bool) -> None:
    assert decide.in_memory(in_full, count) is expected


PLANNED = {"": "p-home", "acteurs/a/": "p-a", "acteurs/b/": "p-b", "acteurs/c/": "p-c"}


@pytest.mark.parametrize(("last", "readers", "everything", "expected"), [
    (PLANNED, set(), False, []),  # nothing changed
    (PLANNED, {"acteurs/b/"}, False, ["acteurs/b/"]),  # it read a dependency that changed
    ({**PLANNED, "acteurs/a/": "p-old"}, set(), False, ["acteurs/a/"]),  # planned otherwise
    ({k: v for k, v in PLANNED.items() if k != "acteurs/c/"}, set(), False, ["acteurs/c/"]),  # new
    (PLANNED, {"acteurs/gone/"}, False, []),  # a reader that is no longer planned is not rendered
    (PLANNED, set(), True, list(PLANNED)),  # no reuse: every page, in plan order
])
def test_pages_to_render(last: dict[str, str], readers: set[str], everything: bool, expected: list[str]) -> None:
    assert decide.pages_to_render(PLANNED, last, readers, everything) == expected


def test_removed_pages_are_the_stored_ones_not_made_any_more() -> None:
    assert decide.removed_pages({"", "acteurs/a/"}, {"": "x", "acteurs/z/": "y", "acteurs/a/": "z", "b/": "w"}) \
        == ["acteurs/z/", "b/"]
    assert decide.removed_pages({""}, {}) == []


FULL = Reuse(graph=True, pages=True, outputs=True, spare=True)
NO_PAGES = Reuse(graph=True, pages=False, outputs=True, spare=True)


@pytest.mark.parametrize(("reuse", "readers", "changed", "expected"), [
    (FULL, set(), False, Exports(False, frozenset())),  # nothing changed: every export file kept
    (FULL, {"donnees/acteurs.csv#acteurs/a"}, True, Exports(True, frozenset({"donnees/acteurs.csv#acteurs/a"}))),
    (FULL, set(), True, Exports(True, frozenset())),  # a page came or went: written, no fragment remade
    (NO_PAGES, set(), False, Exports(True, None)),  # settings or code changed: every fragment again
])
def test_exports(reuse: Reuse, readers: set[str], changed: bool, expected: Exports) -> None:
    assert decide.exports(reuse, readers, changed) == expected


@pytest.mark.parametrize(("enabled", "published", "changed", "expected"), [
    (True, True, False, False), (True, True, True, True), (True, False, False, True), (False, False, True, False),
])
def test_search_is_indexed_again_only_when_indexed_text_changed_or_is_missing(
        enabled: bool, published: bool, changed: bool, expected: bool) -> None:
    assert decide.reindex(enabled, published, changed) is expected


@pytest.mark.parametrize(("reuse", "removed", "anchors", "broken", "expected"), [
    (FULL, False, False, False, False),  # only the pages rendered now
    (FULL, True, False, False, True),  # a file is gone: a link elsewhere may point at it
    (FULL, False, True, False, True),  # a page's anchors changed: `page#section` elsewhere may break
    (FULL, False, False, True, True),  # a broken link elsewhere may have found its target
    (NO_PAGES, False, False, False, True),  # every page rendered anyway
])
def test_every_link_is_checked_only_when_one_may_have_lost_or_found_its_target(
        reuse: Reuse, removed: bool, anchors: bool, broken: bool, expected: bool) -> None:
    assert decide.check_every_link(reuse, removed, anchors, broken) is expected


@pytest.mark.parametrize(("reuse", "changed", "expected"), [
    (FULL, False, True), (FULL, True, False), (NO_PAGES, False, False),
])
def test_the_last_link_check_stands_when_the_site_did_not_change(reuse: Reuse, changed: bool, expected: bool) -> None:
    assert decide.links_as_last_time(reuse, changed) is expected


@pytest.mark.parametrize(("decision", "watched", "recorded", "expected"), [
    (Exports(True, frozenset()), True, True, True),  # nothing it read changed: its files kept
    (Exports(True, frozenset({"images#*"})), True, True, False),  # something it read changed
    (Exports(True, frozenset({"donnees/atlas.json#actors/a"})), True, True, True),  # another reader's change
    (Exports(True, None), True, True, False),  # settings or code changed: every export made again
    (Exports(True, frozenset()), True, False, False),  # the last build recorded nothing of it
    (Exports(True, frozenset()), False, True, False),  # a Document's export: kept fragment by fragment
])
def test_a_watched_export_is_kept_when_nothing_it_read_changed(decision: Exports, watched: bool, recorded: bool,
                                                               expected: bool) -> None:
    assert decide.keep_export(decision, watched, "images#*", recorded) is expected
