"""What a reader meets, in headless Chromium, on a small atlas built here: a map with outlines and
no third party, clusters that open from the keyboard, search that keeps what was typed before
its index loaded, results with their kind, type and territory, and pages without repeats.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from pathlib import Path
from typing import Iterator

import pytest

from conftest import build_tree, record_requests, serve_folder, write_tree
from helpers import result_links

pytestmark = pytest.mark.browser

PLACE = ("---\ntitle: {title}\ntype: tiers-lieu\naddress: 1 rue X\npostcode: \"59000\"\ncity: Lille\n"
         "territory: lille\ngeo: {{lat: {lat}, lon: {lon}}}\n---\n{body}\n")
FILES = {
    "content/territories/hdf.md": "---\ntitle: Hauts-de-France\ntype: region\ncode: \"32\"\n---\nUne région.\n",
    "content/territories/lille.md": "---\ntitle: Lille\ntype: commune\ncode: \"59350\"\nparent: hdf\n---\n"
                                    "Une commune du Nord, où est [la Ruche](lieu:ruche).\n",
    "content/places/ruche.md": PLACE.format(title="La Ruche", lat=50.6275, lon=3.0745,
                                            body="Un tiers-lieu où des coopératives fabriquent du pain bio."),
    "content/places/grange.md": PLACE.format(title="La Grange", lat=50.6275, lon=3.0745,
                                             body="Une grange voisine, à la même adresse."),
    "content/places/atelier.md": PLACE.format(title="L'Atelier", lat=50.66, lon=3.10,
                                              body="Un atelier de réparation de vélos."),
    "content/actors/fournil.md": "---\ntitle: Le Fournil\ntype: cooperative\nterritory: lille\nplaces: [ruche]\n"
                                 "---\nUne boulangerie coopérative installée à [la Ruche](lieu:ruche).\n",
}
GEO_BUDGET = 150_000  # bytes of outlines a map page may load


@pytest.fixture(scope="module")
def atlas_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = write_tree(tmp_path_factory.mktemp("reader") / "atlas", FILES)
    result = build_tree(root)  # with the search index
    assert result.report.ok, "\n".join(result.report.lines())
    yield from serve_folder(root / "site")


def geometry_bytes(page) -> list[int]:
    """Record the size of every outline file the page receives (assets/geo/)."""
    sizes: list[int] = []
    page.on("response", lambda r: sizes.append(len(r.body())) if "/assets/geo/" in r.url and r.ok else None)
    return sizes


def drawn_paths(page) -> int:
    """SVG paths of the outline pane that draw something (Leaflet writes 'M0 0' for what is off view)."""
    return page.locator(".leaflet-outlines-pane path").evaluate_all(
        "ps => ps.filter(p => (p.getAttribute('d') || 'M0 0') !== 'M0 0').length")


@pytest.mark.parametrize("url", ["carte/", "territoires/lille/", "territoires/hdf/", "lieux/atelier/"])
def test_a_map_draws_outlines_with_nothing_from_another_host(page, atlas_server: str, url: str) -> None:
    attempted = record_requests(page)[1]
    sizes = geometry_bytes(page)
    page.goto(atlas_server + url)
    page.wait_for_selector(".leaflet-outlines-pane path", state="attached")
    page.wait_for_function("document.querySelectorAll('.leaflet-labels-pane .map-label').length > 0")
    page.wait_for_load_state("networkidle")
    assert drawn_paths(page) >= 1
    assert attempted == []  # no tile, no font, nothing off 127.0.0.1
    assert 0 < sum(sizes) < GEO_BUDGET, sizes
    # The tile layer is still the reader's choice, offered as before.
    assert page.get_by_role("button", name="Afficher le fond de carte").is_visible()
    assert page.locator(".leaflet-tile").count() == 0
    assert "IGN — Admin Express, Licence Ouverte" in page.locator(".leaflet-control-attribution").inner_text()


def test_close_up_the_map_names_the_communes_around(page, atlas_server: str) -> None:
    record_requests(page)
    page.goto(atlas_server + "lieux/atelier/")
    page.wait_for_function("document.querySelectorAll('.leaflet-labels-pane .map-label').length > 2")
    names = page.locator(".leaflet-labels-pane .map-label").all_inner_texts()
    assert "Lille" in names or "Marcq-en-Barœul" in names, names
    assert page.locator(".map-limite-commune").count() >= 1


def test_a_territory_page_outlines_its_commune_and_zooms_to_it(page, atlas_server: str) -> None:
    record_requests(page)
    page.goto(atlas_server + "territoires/lille/")
    outline = page.locator(".leaflet-outlines-pane path.map-outline")
    outline.wait_for(state="attached")
    box, frame = outline.bounding_box(), page.locator("[data-map]").bounding_box()
    assert box and frame
    # Zoomed to it: the commune fills most of the map's height or width, and is inside it.
    assert box["height"] > 0.6 * frame["height"] or box["width"] > 0.6 * frame["width"]
    assert frame["x"] - 1 <= box["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"] + 1


def test_a_region_page_outlines_the_region(page, atlas_server: str) -> None:
    record_requests(page)
    page.goto(atlas_server + "territoires/hdf/")
    page.locator(".leaflet-outlines-pane path.map-outline").wait_for(state="attached")
    page.locator(".leaflet-labels-pane .map-label", has_text="Hauts-de-France").wait_for()  # zoomed to the region


@pytest.mark.parametrize("key", ["Enter", " "])
def test_a_cluster_opens_from_the_keyboard_and_the_focus_follows(page, atlas_server: str, key: str) -> None:
    record_requests(page)
    page.goto(atlas_server + "carte/")
    cluster = page.locator(".marker-cluster").filter(has_text="2")
    cluster.wait_for()
    cluster.focus()
    page.evaluate("window.addEventListener('keydown', e => { window.handled = e.defaultPrevented; })")
    page.keyboard.press(key)
    page.wait_for_function("""() => { const e = document.activeElement;
        return e && e.classList.contains('leaflet-marker-icon') && !e.classList.contains('marker-cluster'); }""")
    focused = page.evaluate("document.activeElement.getAttribute('title')")
    assert focused in {"La Ruche", "La Grange"}
    assert page.evaluate("window.handled") is True  # the map took the key: Space does not scroll the page
    titles = page.locator(".leaflet-marker-icon:not(.marker-cluster)").evaluate_all(
        "icons => icons.map(i => i.getAttribute('title'))")
    assert {"La Ruche", "La Grange"} <= set(titles)
    page.keyboard.press(" ")  # Space on a place opens its popup, as Enter does
    page.locator(".leaflet-popup-content a").first.wait_for()


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def test_typing_before_the_index_has_loaded_finds_results(page, atlas_server: str) -> None:
    """The search library is held back until the reader has typed: what was typed stays, and is searched."""
    held = []
    page.route("**/pagefind/pagefind.js", lambda route: held.append(route))
    page.goto(atlas_server + "recherche/", wait_until="domcontentloaded")
    box = page.get_by_label("Mots à rechercher")
    box.press_sequentially("boulan", delay=20)
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(50)
    assert held and page.locator("[data-search][data-ready]").count() == 0  # typed before the index was in
    for route in held:
        route.continue_()
    page.wait_for_selector(".search-results h2 a")
    assert box.input_value() == "boulan"
    hrefs = result_links(page)
    assert "/acteurs/fournil/" in hrefs


def test_a_result_shows_kind_type_territory_and_an_excerpt_with_the_words_found(page, atlas_server: str) -> None:
    page.goto(atlas_server + "recherche/?q=cooperatives")
    page.wait_for_selector(".search-results li")
    item = page.locator(".search-results li").filter(has=page.locator("a[href='/lieux/ruche/']"))
    assert item.locator(".meta").inner_text() == "Lieux · Tiers-lieu · Lille"
    excerpt = item.locator("p:not(.meta)")
    marks = excerpt.locator("mark").all_inner_texts()
    assert marks and all(_fold(m).startswith("cooperative") for m in marks), marks
    text = excerpt.inner_text()
    assert all(_fold(m) in _fold(text) for m in marks)
    for label in ("En bref", "Type", "Territoire", "Sources"):  # the fact sheet is not glued into the text
        assert label not in text


def test_no_card_is_shown_twice_on_the_pages_a_reader_opens(page, atlas_server: str) -> None:
    for url in ["lieux/ruche/", "territoires/lille/", "acteurs/fournil/", "territoires/hdf/"]:
        page.goto(atlas_server + url)
        links = page.locator("li.card > :first-child a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
        assert [h for h, n in Counter(links).items() if n > 1] == [], url
    page.goto(atlas_server + "lieux/ruche/")
    assert page.get_by_role("heading", name="Structures présentes").count() == 1
    assert page.get_by_role("heading", name="Cité dans").count() == 0  # Le Fournil and Lille are shown above
