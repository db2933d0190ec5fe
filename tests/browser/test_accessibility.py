"""Accessibility of the built fixture atlas in headless Chromium: axe-core on every page type, in
the light and the dark colour scheme, plus the keyboard and small-screen checks that the sample
atlas's RGAA statement (content/pages/accessibilite.md) says are made.

axe-core comes from npm (node_modules/axe-core, pinned in package-lock.json). The pages are
chosen from the fixture atlas's files (tests/fixture_atlas.py FACTS), so the test follows it as
it grows.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fixture_atlas import FACTS
from helpers import AXE, axe_in_both_schemes, describe_axe, run_axe

pytestmark = pytest.mark.browser

SEGMENTS = {"actors": "acteurs", "places": "lieux", "programmes": "programmes",
            "territories": "territoires", "themes": "thematiques"}


def page_types() -> list[str]:
    """One URL of each page type of the site (relative to the site root)."""
    urls = ["", "a-z/", "404.html", "recherche/", "recherche/?q=economie", "carte/", "donnees/",
            "a-propos/", "accessibilite/"]
    for kind, segment in SEGMENTS.items():
        urls += [f"{segment}/", f"{segment}/{FACTS.richest(kind)}/"]
    actor_type = FACTS.entries("actors")[FACTS.richest("actors")]["type"]
    urls.append(f"acteurs/types/{actor_type}/")
    return urls


@pytest.fixture(scope="module")
def axe_page(browser):
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: python3 dev.py installs the npm packages of package.json")
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("url", page_types())
def test_axe_finds_no_violation_in_light_and_dark(axe_page, site_server: str, url: str) -> None:
    page = axe_page
    page.emulate_media(color_scheme="light")
    page.goto(site_server + url, wait_until="load")
    if url.startswith("recherche/?q="):
        page.wait_for_selector(".search-results li")  # the results are part of what is checked
    if page.locator("[data-map]").count():
        page.wait_for_selector("[data-map] .leaflet-marker-icon")  # the drawn map is checked too
    page.add_script_tag(path=str(AXE))
    found = axe_in_both_schemes(page)
    assert not any(found.values()), f"axe-core on /{url}:\n{describe_axe(found)}"


def test_axe_sees_a_contrast_fault_of_the_dark_scheme_only(axe_page, site_server: str) -> None:
    """Guards the test above: the dark run checks the dark colours (not the light ones twice), and
    a contrast fault is reported with its rule and target."""
    page = axe_page
    page.emulate_media(color_scheme="light")
    page.goto(site_server)
    page.add_style_tag(content="@media (prefers-color-scheme: dark) { .lead { color: #3a3f3d !important; } }")
    page.add_script_tag(path=str(AXE))
    assert run_axe(page) == []
    page.emulate_media(color_scheme="dark")
    found = run_axe(page)
    assert [v["id"] for v in found] == ["color-contrast"]
    assert found[0]["targets"][0].startswith(".lead ::")


def open_a_popup(page) -> None:
    """Open the popup of a place on the map (spread a cluster first when every place is in one)."""
    page.wait_for_selector(".leaflet-marker-pane .leaflet-marker-icon")
    single = page.locator(".leaflet-marker-pane .leaflet-marker-icon:not(.marker-cluster)")
    if single.count() == 0:
        page.locator(".marker-cluster").first.click()
        single.first.wait_for()
        page.wait_for_timeout(500)  # the spreading animation
    single.first.focus()
    page.keyboard.press("Enter")
    page.locator(".leaflet-popup-content a").first.wait_for()


def test_axe_finds_no_violation_with_a_map_popup_open(axe_page, site_server: str) -> None:
    page = axe_page
    page.emulate_media(color_scheme="light")
    page.goto(site_server + "carte/")
    open_a_popup(page)
    # Leaflet fades the popup in: check its colours once it is opaque, not mid-transition.
    page.wait_for_function("getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'")
    page.add_script_tag(path=str(AXE))
    found = axe_in_both_schemes(page)
    assert not any(found.values()), f"axe-core on /carte/ with a popup open:\n{describe_axe(found)}"


def test_map_controls_speak_french(page, site_server: str) -> None:
    """Leaflet labels its buttons in English; on a French page they must be French (WCAG 3.1.2)."""
    page.goto(site_server + "carte/")
    page.locator(".leaflet-control-zoom a").first.wait_for()  # the map is drawn after the page loads
    labels = page.locator(".leaflet-control-zoom a").evaluate_all("as => as.map(a => a.getAttribute('aria-label'))")
    assert labels == ["Zoom avant", "Zoom arrière"]
    open_a_popup(page)
    assert page.locator(".leaflet-popup-close-button").get_attribute("aria-label") == "Fermer"


@pytest.mark.parametrize("url", ["carte/", "lieux/{place}/"])
def test_drawing_the_map_moves_nothing_on_the_page(page, site_server: str, url: str) -> None:
    """The map's place is kept from the first paint (style.css), so the list of places and the
    text below do not jump when assets/map.js draws it (cumulative layout shift: 0)."""
    place = next(slug for slug, data in sorted(FACTS.entries("places").items()) if data.get("geo"))
    page.add_init_script("""window.shifts = [];
        new PerformanceObserver(list => { for (const e of list.getEntries()) window.shifts.push(
            [e.value, e.sources.map(s => s.node && s.node.nodeName + '.' + s.node.className)]); })
        .observe({type: 'layout-shift', buffered: true});""")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site_server + url.format(place=place))
    page.wait_for_selector("[data-map] .leaflet-marker-icon")
    page.wait_for_timeout(300)
    shifts = page.evaluate("window.shifts")
    assert sum(value for value, _ in shifts) < 0.01, shifts


def test_first_tab_reaches_the_skip_link_and_it_leads_to_the_content(page, site_server: str) -> None:
    actor = FACTS.richest("actors")
    page.goto(f"{site_server}acteurs/{actor}/")
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.textContent, document.activeElement.getAttribute('href')]")
    assert focused == ["Aller au contenu", "#contenu"]
    box = page.evaluate("JSON.stringify(document.activeElement.getBoundingClientRect())")
    assert json.loads(box)["top"] >= 0  # shown once focused, not left off screen
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenu"
    page.keyboard.press("Tab")  # the next stop is inside the main content
    assert page.evaluate("document.getElementById('contenu').contains(document.activeElement)")


@pytest.mark.parametrize("url", ["acteurs/{actor}/", "carte/"])
def test_every_focusable_element_shows_a_focus_outline(page, site_server: str, url: str) -> None:
    """Tab through a page: each element reached gets a visible outline (WCAG 2.4.7); on the map
    page that includes the zoom buttons, the base map button and the markers."""
    page.goto(site_server + url.format(actor=FACTS.richest("actors")))
    if url == "carte/":
        page.wait_for_selector("[data-map] .leaflet-marker-icon")
    seen, reached = 0, set()
    for _ in range(200):
        page.keyboard.press("Tab")
        state = page.evaluate("""() => { const e = document.activeElement;
            if (e === document.body) return null;
            const s = getComputedStyle(e);
            return {tag: e.tagName, cls: e.className || '', text: (e.textContent || '').trim().slice(0, 40),
                    outline: s.outlineStyle, width: parseFloat(s.outlineWidth)}; }""")
        if state is None:
            break
        seen += 1
        assert state["outline"] != "none" and state["width"] >= 2, state
        reached.add(state["tag"] + ("." + state["cls"].split(" ")[0] if state["tag"] != "BUTTON" else ":" + state["text"]))
    assert seen > 15  # header, navigation, content, footer
    if url == "carte/":
        assert {"A.leaflet-control-zoom-in", "BUTTON:Afficher le fond de carte", "DIV.leaflet-marker-icon"} <= reached, reached


def test_no_horizontal_scroll_at_320_pixels(browser, site_server: str) -> None:
    """WCAG 1.4.10 (reflow): at 320 CSS pixels nothing is wider than the window, filters and
    search results shown (JavaScript on)."""
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="fr-FR")
    page = context.new_page()
    wide = {}
    for url in ["", f"acteurs/{FACTS.richest('actors')}/", f"lieux/{FACTS.richest('places')}/", "acteurs/", "a-z/",
                "carte/", "donnees/", "recherche/?q=economie"]:
        page.goto(site_server + url)
        if url.startswith("recherche/"):
            page.wait_for_selector(".search-results li")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            wide[f"/{url}"] = width
    context.close()
    assert wide == {}, f"pages wider than a 320 px window (px): {wide}"
