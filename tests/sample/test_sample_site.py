"""The sample atlas built as a whole: strict, every link resolves, every entry is published,
the pages are valid HTML and light, the footer states what the statement declares.

These are the checks whose answer depends on the sample's own content (its texts, its
relations, its accessibility statement); the engine's versions run on the fixture atlas.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from helpers import BUDGET, KINDS, describe_vnu, vnu_messages, weight_without_lists
from linkcheck import broken_links

from .conftest import SAMPLE, base_path

SEGMENTS = {"actors": "acteurs", "places": "lieux", "programmes": "programmes",
            "territories": "territoires", "themes": "thematiques"}


def test_the_sample_builds_strict_and_every_internal_link_resolves(sample_site: Path) -> None:
    assert (sample_site / "index.html").is_file()
    assert broken_links(sample_site, base_path(sample_site.parent)) == []


@pytest.mark.parametrize("kind", KINDS)
def test_every_sample_entry_is_a_page_a_record_and_a_row(sample_site: Path, kind: str) -> None:
    slugs = set(SAMPLE.entries(kind))
    assert slugs
    assert {s for s in slugs if not (sample_site / SEGMENTS[kind] / s / "index.html").is_file()} == set()
    records = json.loads((sample_site / "donnees/atlas.json").read_text(encoding="utf-8"))[SEGMENTS[kind]]
    assert {r["id"] for r in records} == slugs
    rows = csv.DictReader(io.StringIO((sample_site / f"donnees/{SEGMENTS[kind]}.csv").read_text(encoding="utf-8-sig")),
                          delimiter=";")
    assert {r["id"] for r in rows} == slugs


@pytest.mark.parametrize("kind", KINDS)
def test_no_two_sample_entries_of_a_kind_share_a_title(kind: str) -> None:
    """Page titles are the entry's title and the site's: within a kind they must differ."""
    titles = [str(data["title"]) for data in SAMPLE.entries(kind).values()]
    assert sorted(t for t in set(titles) if titles.count(t) > 1) == []


def test_every_footer_states_the_status_the_statement_declares(sample_site: Path) -> None:
    """RGAA: each page links to the statement with the status content/pages/accessibilite.md declares."""
    declared = re.findall(r"\*\*((?:non|partiellement|totalement) conforme)\*\*", SAMPLE.body("pages", "accessibilite"))
    assert len(set(declared)) == 1, declared
    label = f'<a href="{base_path(sample_site.parent)}accessibilite/">Accessibilité : {declared[0]}</a>'
    assert [p for p in sample_site.rglob("*.html") if label not in p.read_text(encoding="utf-8")] == []


def test_every_sample_entry_page_but_its_lists_weighs_under_30_kb(sample_site: Path) -> None:
    """The sample's texts are longer than the fixture's: the budget of tests/test_frugality.py holds for them."""
    heavy = {}
    for kind, segment in SEGMENTS.items():
        for slug in SAMPLE.entries(kind):
            own, css = weight_without_lists(sample_site, f"{segment}/{slug}/")
            if own + css >= BUDGET:
                heavy[f"{segment}/{slug}/"] = f"{own} B of HTML without its lists + {css} B of CSS"
    assert heavy == {}, heavy


def test_every_sample_page_is_valid_html(sample_site: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """The Nu Html Checker, errors and warnings, on the markup the sample's Markdown makes."""
    messages = vnu_messages([sample_site], tmp_path_factory.mktemp("vnu-control"))
    bad = [m for m in messages if m["type"] in ("error", "non-document-error")
           or (m["type"] == "info" and m.get("subType") == "warning")]
    assert bad == [], "Nu Html Checker:\n" + describe_vnu(bad, sample_site.parent)


def test_french_impact_starts_in_january_2018_as_its_source_says(sample_site: Path) -> None:
    """The source gives a month, not a day: the atlas shows the month and exports it at that precision."""
    html = (sample_site / "programmes/french-impact/index.html").read_text(encoding="utf-8").replace("\u00a0", " ")
    assert "janvier 2018" in html and "1er janvier 2018" not in html
    data = json.loads((sample_site / "donnees/atlas.json").read_text(encoding="utf-8"))
    record = next(r for r in data["programmes"] if r["id"] == "french-impact")
    assert record["date_debut"] == "2018-01"
