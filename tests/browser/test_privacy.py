"""Privacy in headless Chromium: reading the atlas sends nothing to any other site.

Every request of a page is recorded (and those leaving 127.0.0.1 are aborted, not sent). The
home, an actor page, /recherche/ with a query typed in, and /carte/ make no third-party request
at all: no web font, no analytics, no CDN, no map tile.

The one configured exception is the map's base layer: `tiles_url` (atlas/config.py; the fixture
atlas has no atlas.yaml and keeps the default, OpenStreetMap's tile server). assets/map.js loads it only once the
reader presses « Afficher le fond de carte » (the button says which host will see their IP
address). The last test shows that after that click the map page's outside requests are tiles of
the configured URL and nothing else.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from atlas.config import load
from conftest import record_requests
from fixture_atlas import FACTS

pytestmark = pytest.mark.browser


def tile_pattern(root: Path) -> re.Pattern[str]:
    """The tile URL template root's settings give, as a regular expression: {z}/{x}/{y} are
    numbers, {s} a subdomain."""
    template = load(root)["tiles_url"]
    parts = re.split(r"(\{[a-z]\})", template)
    return re.compile("".join(r"[a-z0-9]+" if p == "{s}" else r"\d+" if re.fullmatch(r"\{[a-z]\}", p)
                              else re.escape(p) for p in parts) + "$")


def actor_with_a_map() -> str:
    """An actor whose page draws a map (it lists a place with coordinates)."""
    geolocated = {slug for slug, data in FACTS.entries("places").items() if data.get("geo")}
    return next(slug for slug, data in sorted(FACTS.entries("actors").items())
                if geolocated & set(data.get("places") or []))


def test_pages_make_no_third_party_request(page, site_server: str) -> None:
    every, outside = record_requests(page)
    for url in ["", f"acteurs/{actor_with_a_map()}/", "carte/"]:
        page.goto(site_server + url, wait_until="networkidle")
    page.wait_for_selector("[data-map] .leaflet-marker-icon")  # the map is drawn, without its base layer
    page.goto(site_server + "recherche/")
    page.wait_for_selector("[data-search][data-ready]")
    title = str(FACTS.entries("actors")[actor_with_a_map()]["title"])
    page.get_by_label("Mots à rechercher").press_sequentially(title, delay=30)
    page.wait_for_selector(".search-results li")
    page.wait_for_load_state("networkidle")
    assert outside == []
    # The recording really saw the pages load: styles, the map's scripts, the search index.
    paths = {urlsplit(u).path for u in every}
    assert {"/assets/style.css", "/assets/map.js", "/assets/vendor/leaflet/leaflet.css"} <= paths
    assert any(p.startswith("/pagefind/") for p in paths)


def test_the_base_map_fetches_only_the_configured_tiles(page, site_server: str, whole_site: Path) -> None:
    every, outside = record_requests(page)
    page.goto(site_server + "carte/", wait_until="networkidle")
    assert outside == []
    host = urlsplit(load(whole_site.parent)["tiles_url"].replace("{s}", "a")).hostname
    consent = page.locator(".map-consent")
    assert host in consent.inner_text()  # the reader is told who will see the request
    consent.get_by_role("button", name="Afficher le fond de carte").click()
    page.wait_for_selector(".leaflet-tile", state="attached")
    page.wait_for_timeout(300)
    pattern = tile_pattern(whole_site.parent)
    assert outside, "the base map asked for no tile"
    assert [u for u in outside if not pattern.match(u)] == []
