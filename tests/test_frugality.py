"""Light, self-contained pages, checked on the files of the built real atlas (no browser).

Weight: the HTML of an entry page plus the stylesheets it links stays under 30 KB uncompressed.
Those are what every reader downloads before seeing the page, with or without JavaScript.
Leaflet's stylesheets are not linked: assets/map.js fetches them (with assets/map.css) only
when it draws a map, after the page is shown; a test below keeps it that way.

Self-contained: no page, stylesheet or script loads anything from another site (the browser
side of this, request by request, is tests/browser/test_privacy.py).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from statistics import median_low
from urllib.parse import urlsplit

import pytest

from content_facts import entries

BUDGET = 30 * 1024
SEGMENTS = {"actors": "acteurs", "places": "lieux", "programmes": "programmes",
            "territories": "territoires", "themes": "thematiques"}
LISTS = re.compile(rb'<section class="(?:relations|within)".*?</section>', re.S)


class Resources(HTMLParser):
    """What a page makes the browser fetch by itself: stylesheets, scripts, images, frames."""

    def __init__(self) -> None:
        super().__init__()
        self.stylesheets: list[str] = []
        self.fetched: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        rel = a.get("rel", "").split()
        if tag == "link" and "stylesheet" in rel:
            self.stylesheets.append(a["href"])
        if tag == "link" and set(rel) & {"stylesheet", "icon", "preload", "modulepreload", "prefetch",
                                         "preconnect", "dns-prefetch", "manifest", "apple-touch-icon"}:
            self.fetched.append(a["href"])
        elif tag in ("script", "img", "iframe", "video", "audio", "source", "embed", "track", "input") and a.get("src"):
            self.fetched.append(a["src"])
        elif tag == "object" and a.get("data"):
            self.fetched.append(a["data"])
        if a.get("srcset"):
            self.fetched += [part.split()[0] for part in a["srcset"].split(",") if part.strip()]


def resources(path: Path) -> Resources:
    parser = Resources()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def weight(site: Path, url: str) -> tuple[int, int]:
    """(bytes of the page's HTML, bytes of the stylesheets it links)."""
    page = site / url / "index.html"
    css = sum((site / urlsplit(href).path.lstrip("/")).stat().st_size for href in resources(page).stylesheets)
    return page.stat().st_size, css


def typical(site: Path, kind: str) -> str:
    """The entry page of a kind of median size."""
    urls = [f"{SEGMENTS[kind]}/{slug}/" for slug in entries(kind)]
    sizes = {url: (site / url / "index.html").stat().st_size for url in urls}
    middle = median_low(sizes.values())
    return next(url for url in sorted(urls) if sizes[url] == middle)


def richest_actor() -> str:
    found = entries("actors")
    return max(sorted(found), key=lambda slug: len([v for v in found[slug].values() if v]))


def test_a_typical_entry_page_and_its_css_weigh_under_30_kb(real_site: Path) -> None:
    pages = [f"acteurs/{richest_actor()}/"] + [typical(real_site, kind) for kind in ("actors", "places", "programmes")]
    heavy = {}
    for url in pages:
        html, css = weight(real_site, url)
        if html + css >= BUDGET:
            heavy[url] = f"{html} B of HTML + {css} B of CSS"
    assert heavy == {}, f"over {BUDGET} B: {heavy}"


def test_every_entry_page_but_its_lists_of_cards_weighs_under_30_kb(real_site: Path) -> None:
    """Lists of related entries grow with the atlas (a region lists all it holds); the rest of the
    page (head, header, facts, text, map list, sources, footer) and its CSS must not."""
    heavy = {}
    for kind, segment in SEGMENTS.items():
        for slug in entries(kind):
            url = f"{segment}/{slug}/"
            html, css = weight(real_site, url)
            own = len(LISTS.sub(b"", (real_site / url / "index.html").read_bytes()))
            if own + css >= BUDGET:
                heavy[url] = f"{own} B of HTML without its lists + {css} B of CSS"
    assert heavy == {}, heavy


def test_map_stylesheets_are_left_to_the_map_script(real_site: Path) -> None:
    pages_with_a_map = [p for p in real_site.rglob("index.html") if b"data-map " in p.read_bytes()]
    assert pages_with_a_map
    for page in pages_with_a_map:
        assert [urlsplit(h).path for h in resources(page).stylesheets] == ["/assets/style.css"], page
    script = (real_site / "assets" / "map.js").read_text(encoding="utf-8")
    for css in ("vendor/leaflet/leaflet.css", "vendor/leaflet.markercluster/MarkerCluster.css", "map.css"):
        assert f'"{css}"' in script and (real_site / "assets" / css).is_file()


def test_nothing_is_loaded_from_another_site(real_site: Path) -> None:
    outside = []
    for page in real_site.rglob("*.html"):
        for url in resources(page).fetched:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc:
                outside.append(f"{page.relative_to(real_site)}: {url}")
    for sheet in real_site.joinpath("assets").rglob("*.css"):
        text = sheet.read_text(encoding="utf-8")
        for url in re.findall(r"""(?:url\(\s*["']?|@import\s+["'])((?:https?:)?//[^"')\s]+)""", text):
            outside.append(f"{sheet.relative_to(real_site)}: {url}")
    assert outside == []


@pytest.mark.parametrize("name", ["style.css", "find.css", "map.css"])
def test_stylesheets_are_small(real_site: Path, name: str) -> None:
    """Hand-written CSS, no framework: each sheet stays a few kilobytes."""
    assert (real_site / "assets" / name).stat().st_size < 16 * 1024
