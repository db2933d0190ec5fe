"""Light, self-contained pages, checked on the files of the built fixture atlas (no browser).

Weight: the HTML of an entry page plus the stylesheets it links stays under 30 KB uncompressed.
Those are what every reader downloads before seeing the page, with or without JavaScript.
Leaflet's stylesheets are not linked: assets/map.js fetches them (with assets/map.css) only
when it draws a map, after the page is shown; a test below keeps it that way.

Self-contained: no page, stylesheet or script loads anything from another site (the browser
side of this, request by request, is tests/browser/test_privacy.py).
"""

from __future__ import annotations

import re
from pathlib import Path
from statistics import median_low
from urllib.parse import urlsplit

import pytest

from fixture_atlas import FACTS
from helpers import BUDGET, resources, weight, weight_without_lists

SEGMENTS = {"actors": "acteurs", "places": "lieux", "programmes": "programmes",
            "territories": "territoires", "themes": "thematiques"}


def typical(site: Path, kind: str) -> str:
    """The entry page of a kind of median size."""
    urls = [f"{SEGMENTS[kind]}/{slug}/" for slug in FACTS.entries(kind)]
    sizes = {url: (site / url / "index.html").stat().st_size for url in urls}
    middle = median_low(sizes.values())
    return next(url for url in sorted(urls) if sizes[url] == middle)


def test_a_typical_entry_page_and_its_css_weigh_under_30_kb(whole_site: Path) -> None:
    pages = [f"acteurs/{FACTS.richest('actors')}/"] + [typical(whole_site, kind) for kind in ("actors", "places", "programmes")]
    heavy = {}
    for url in pages:
        html, css = weight(whole_site, url)
        if html + css >= BUDGET:
            heavy[url] = f"{html} B of HTML + {css} B of CSS"
    assert heavy == {}, f"over {BUDGET} B: {heavy}"


def test_every_entry_page_but_its_lists_of_cards_weighs_under_30_kb(whole_site: Path) -> None:
    """Lists of related entries grow with the atlas (a region lists all it holds); the rest of the
    page (head, header, facts, text, map list, sources, footer) and its CSS must not."""
    heavy = {}
    for kind, segment in SEGMENTS.items():
        for slug in FACTS.entries(kind):
            url = f"{segment}/{slug}/"
            own, css = weight_without_lists(whole_site, url)
            if own + css >= BUDGET:
                heavy[url] = f"{own} B of HTML without its lists + {css} B of CSS"
    assert heavy == {}, heavy


def test_map_stylesheets_are_left_to_the_map_script(whole_site: Path) -> None:
    pages_with_a_map = [p for p in whole_site.rglob("index.html") if b"data-map " in p.read_bytes()]
    assert pages_with_a_map
    for page in pages_with_a_map:
        assert [urlsplit(h).path for h in resources(page).stylesheets] == ["/assets/style.css"], page
    script = (whole_site / "assets" / "map.js").read_text(encoding="utf-8")
    for css in ("vendor/leaflet/leaflet.css", "vendor/leaflet.markercluster/MarkerCluster.css", "map.css"):
        assert f'"{css}"' in script and (whole_site / "assets" / css).is_file()


def test_nothing_is_loaded_from_another_site(whole_site: Path) -> None:
    outside = []
    for page in whole_site.rglob("*.html"):
        for url in resources(page).fetched:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc:
                outside.append(f"{page.relative_to(whole_site)}: {url}")
    for sheet in whole_site.joinpath("assets").rglob("*.css"):
        text = sheet.read_text(encoding="utf-8")
        for url in re.findall(r"""(?:url\(\s*["']?|@import\s+["'])((?:https?:)?//[^"')\s]+)""", text):
            outside.append(f"{sheet.relative_to(whole_site)}: {url}")
    assert outside == []


@pytest.mark.parametrize("name", ["style.css", "find.css", "map.css"])
def test_stylesheets_are_small(whole_site: Path, name: str) -> None:
    """Hand-written CSS, no framework: each sheet stays a few kilobytes."""
    assert (whole_site / "assets" / name).stat().st_size < 16 * 1024
