"""In headless Chromium: the map, the search page and the list filters, on the fixture atlas.

Expectations come from the fixture atlas's files (tests/fixture_atlas.py FACTS). Tile requests
are blocked: the markers, popups and lists must not depend on them.
"""

from __future__ import annotations

import unicodedata
from typing import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import build_tree, record_requests, serve_folder, write_tree
from fixture_atlas import FACTS
from helpers import search_from_header, search_results

pytestmark = pytest.mark.browser


def offline(page) -> list[str]:
    """Abort every request that leaves 127.0.0.1; return the list of what was attempted."""
    return record_requests(page)[1]


def markers_and_clusters(page) -> int:
    """Places drawn on the map: single markers plus the count shown on each cluster."""
    page.wait_for_selector(".leaflet-marker-pane .leaflet-marker-icon")
    singles = page.locator(".leaflet-marker-pane .leaflet-marker-icon:not(.marker-cluster)").count()
    clusters = page.locator(".leaflet-marker-pane .marker-cluster span:first-child").all_inner_texts()
    return singles + sum(int(n) for n in clusters)


def test_map_shows_every_geolocated_place_and_a_popup_links_to_it(page, site_server: str) -> None:
    attempted = offline(page)
    page.goto(site_server + "carte/")
    assert markers_and_clusters(page) == len(FACTS.mapped())
    marker = page.locator(".leaflet-marker-pane .leaflet-marker-icon:not(.marker-cluster)").first
    if page.locator(".leaflet-marker-pane .leaflet-marker-icon:not(.marker-cluster)").count() == 0:
        page.locator(".marker-cluster").first.click()  # every place in one group: spread it
        marker.wait_for()
        page.wait_for_timeout(500)  # the spreading animation
    assert marker.get_attribute("tabindex") == "0" and marker.get_attribute("role") == "button"
    marker.focus()
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    hrefs = popup.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs[0] in FACTS.mapped()
    slug = hrefs[0].split("/")[2]
    hosted = {f"/acteurs/{a}/" for a, d in FACTS.entries("actors").items() if slug in (d.get("places") or [])}
    assert hosted <= set(hrefs[1:])  # the actors at that place are listed in its popup
    assert attempted == []  # no tile request before the reader asks for the base map


def test_base_map_loads_only_when_asked(page, site_server: str) -> None:
    attempted = offline(page)
    page.goto(site_server + "carte/")
    page.get_by_role("button", name="Afficher le fond de carte").click()
    page.wait_for_timeout(300)
    assert attempted and all("tile.openstreetmap.org" in url for url in attempted)
    page.reload()
    page.wait_for_selector(".leaflet-tile", state="attached")
    assert page.get_by_role("button", name="Afficher le fond de carte").count() == 0  # remembered


def test_the_list_is_there_without_javascript(browser, site_server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_server + "carte/")
    assert page.locator(".map-points > li").count() == len(FACTS.mapped())
    assert page.locator("[data-map]").is_hidden()
    context.close()


@pytest.fixture(scope="module")
def shared_spot(tmp_path_factory) -> Iterator[str]:
    """A small atlas with two places at the same address and one elsewhere, served on 127.0.0.1."""
    place = "---\ntitle: {title}\ntype: tiers-lieu\naddress: 1 rue X\ncity: Lille\ngeo: {{lat: {lat}, lon: {lon}}}\n---\n"
    root = write_tree(tmp_path_factory.mktemp("spot") / "atlas", {
        "content/places/a.md": place.format(title="Lieu A", lat=50.627, lon=3.074),
        "content/places/b.md": place.format(title="Lieu B", lat=50.627, lon=3.074),
        "content/places/c.md": place.format(title="Lieu C", lat=45.76, lon=4.84),
    })
    assert build_tree(root, search=False).report.ok
    yield from serve_folder(root / "site")


def test_places_at_the_same_spot_are_grouped_not_stacked(page, shared_spot: str) -> None:
    offline(page)
    page.goto(shared_spot + "carte/")
    assert markers_and_clusters(page) == 3
    cluster = page.locator(".marker-cluster").filter(has_text="2")
    assert cluster.count() == 1
    cluster.click()
    page.wait_for_timeout(800)  # zoom or spiderfy animation
    titles = page.locator(".leaflet-marker-icon:not(.marker-cluster)").evaluate_all(
        "icons => icons.map(i => i.getAttribute('title'))")
    assert {"Lieu A", "Lieu B"} <= set(titles)


def _distinct_title_word() -> tuple[str, str]:
    """(a word of one actor's title found in no other title of the fixture atlas, that actor's slug)."""
    titles = {(kind, slug): str(data["title"]) for kind in ("actors", "places", "programmes", "territories", "themes")
              for slug, data in FACTS.entries(kind).items()}
    for (kind, slug), title in sorted(titles.items()):
        for word in sorted(title.split(), key=len, reverse=True):
            if kind == "actors" and len(word) >= 3 and word.isalpha() and word.isascii() and \
                    sum(word.lower() in t.lower() for t in titles.values()) == 1:
                return word, slug
    raise AssertionError("the fixture atlas has no actor with a title word of its own")


def test_header_search_finds_an_actor_by_a_word_of_its_title(page, site_server: str) -> None:
    word, slug = _distinct_title_word()
    assert search_from_header(page, site_server, word) == f"/acteurs/{slug}/"


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def test_search_without_accents_finds_titles_with_accents(page, site_server: str) -> None:
    accented = {f"/{seg}/{slug}/" for kind, seg in (("actors", "acteurs"), ("programmes", "programmes"),
                                                    ("themes", "thematiques"), ("places", "lieux"))
                for slug, data in FACTS.entries(kind).items() if "Économie" in str(data["title"])}
    assert accented, "the fixture atlas has titles with « Économie »"
    search_results(page, site_server, "economie")
    every = page.evaluate("""async () => {
        const pf = await import('/pagefind/pagefind.js');
        const r = await pf.search('economie');
        return Promise.all(r.results.map(async x => (await x.data()).url));
    }""")
    assert accented & set(every)
    # A title typed without its accents comes first.
    url = sorted(accented)[0]
    kind = {"acteurs": "actors", "programmes": "programmes", "thematiques": "themes", "lieux": "places"}[url.split("/")[1]]
    title = str(FACTS.entries(kind)[url.split("/")[2]]["title"])
    assert search_results(page, site_server, _fold(title).lower())[0] == url


def test_search_by_theme_filter_and_theme_name(page, site_server: str) -> None:
    kinds = ("actors", "places", "programmes", "territories")
    parents = {data.get("parent") for data in FACTS.entries("themes").values()}
    leaves = [t for t in FACTS.entries("themes") if t not in parents]  # the filter finds a theme's sub-themes too
    theme = max(leaves, key=lambda t: (sum(len(FACTS.with_theme(k, t)) for k in kinds), t))
    title = str(FACTS.entries("themes")[theme]["title"])
    found = search_results(page, site_server, thematique=title)
    expected = {f"/{seg}/{s}/" for kind, seg in (("actors", "acteurs"), ("places", "lieux"),
                                                 ("programmes", "programmes"), ("territories", "territoires"))
                for s in FACTS.with_theme(kind, theme)} | {f"/thematiques/{theme}/"}
    assert set(found) == expected
    assert page.get_by_label("Thématique", exact=True).input_value() == title
    assert search_results(page, site_server, title.lower())[0] == f"/thematiques/{theme}/"


def test_filtering_a_list_by_theme_narrows_it_and_the_url_keeps_it(page, site_server: str) -> None:
    theme = max(FACTS.entries("themes"), key=lambda t: (len(FACTS.with_theme("actors", t)), t))
    expected = len(FACTS.with_theme("actors", theme))
    assert 0 < expected < len(FACTS.entries("actors"))
    page.goto(site_server + "acteurs/")
    assert page.locator(".letter-group .card:visible").count() == len(FACTS.entries("actors"))
    page.get_by_label("Thématique", exact=True).select_option(theme)
    assert page.locator(".letter-group .card:visible").count() == expected
    assert parse_qs(urlsplit(page.url).query) == {"thematique": [theme]}
    assert f"{expected} entrée" in page.locator("[data-filter-status]").inner_text()
    page.reload()
    assert page.get_by_label("Thématique", exact=True).input_value() == theme
    assert page.locator(".letter-group .card:visible").count() == expected
    page.get_by_role("button", name="Tout afficher").click()
    page.wait_for_function(f"document.querySelectorAll('.letter-group .card:not([hidden])').length === {len(FACTS.entries('actors'))}")
    assert urlsplit(page.url).query == ""


@pytest.fixture(scope="module")
def large_site(tmp_path_factory) -> Iterator[str]:
    """An atlas past INLINE_POINTS (tests/test_large_maps.py), served on 127.0.0.1."""
    from test_large_maps import large_atlas

    root = write_tree(tmp_path_factory.mktemp("large") / "atlas", large_atlas())
    assert build_tree(root, search=False).report.ok
    yield from serve_folder(root / "site")


def test_a_large_map_draws_the_points_of_the_points_file(page, large_site: str) -> None:
    from test_large_maps import LILLE, LYON

    attempted = offline(page)
    page.goto(large_site + "carte/")
    assert page.locator(".map-points").count() == 0  # not in the page: loaded
    assert markers_and_clusters(page) == LILLE + LYON + 1
    page.goto(large_site + "territoires/lyon/")  # a small map: its list, in the page
    assert page.locator(".map-points > li").count() == LYON + 1
    assert markers_and_clusters(page) == LYON + 1
    page.goto(large_site + "territoires/france/")
    assert markers_and_clusters(page) == LILLE + LYON + 1
    assert attempted == []


def test_a_point_of_a_large_map_opens_its_popup_with_the_structures_there(page, large_site: str) -> None:
    offline(page)
    page.goto(large_site + "carte/")
    page.wait_for_selector(".leaflet-marker-pane .leaflet-marker-icon")
    single = page.locator('.leaflet-marker-pane .leaflet-marker-icon:not(.marker-cluster)[title^="Lieu "]')
    for _ in range(20):  # open groups by keyboard, as a reader would, until a place shows
        if single.count():
            break
        page.locator(".leaflet-marker-pane .marker-cluster").first.focus()
        page.keyboard.press("Enter")
        page.wait_for_timeout(600)  # zoom or spiderfy animation
    title = single.first.get_attribute("title")
    single.first.focus()
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    number, town = title.split(" ")[1], title.split(" ")[-1]
    assert popup.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))") == \
        [f"/lieux/{town.lower()}-{int(number):03}/", "/acteurs/hebergee/"]
    assert f"{number} rue Neuve" in popup.inner_text() and "1 structure sur place" in popup.inner_text()
