"""Without JavaScript (a browser context with java_script_enabled=False) the pages show their
content: what is asserted is the text a reader sees (innerText of <main>, which leaves out
hidden elements), compared with the fixture atlas's files read straight from their text
(tests/fixture_atlas.py FACTS).
"""

from __future__ import annotations

import pytest

from fixture_atlas import FACTS

pytestmark = pytest.mark.browser

KIND_LABELS = {"actors": "acteurs", "places": "lieux", "programmes": "programmes",
               "territories": "territoires", "themes": "thématiques"}


def seen(text: str) -> str:
    """Spaces as a reader sees them: no-break and narrow no-break spaces are spaces."""
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


@pytest.fixture(scope="module")
def nojs(browser):
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    yield page
    context.close()


def main_text(page, url: str) -> str:
    page.goto(url)
    assert page.evaluate("typeof window.L === 'undefined'")  # scripts really did not run
    return seen(page.locator("main").inner_text())


def test_home_shows_its_text_and_counts(nojs, site_server: str) -> None:
    text = main_text(nojs, site_server)
    assert seen(FACTS.first_paragraph_text("pages", "accueil")) in text
    for kind, label in KIND_LABELS.items():
        assert f"{len(FACTS.entries(kind))} {label}" in text
    for slug, data in FACTS.entries("themes").items():
        if not data.get("parent"):
            assert seen(str(data["title"])) in text


def test_an_actor_page_shows_its_facts_body_and_sources(nojs, site_server: str) -> None:
    slug = FACTS.richest("actors")
    actor = FACTS.entries("actors")[slug]
    text = main_text(nojs, f"{site_server}acteurs/{slug}/")
    assert nojs.locator("h1").inner_text() == actor["title"]
    assert seen(actor["summary"]) in text
    assert seen(FACTS.first_paragraph_text("actors", slug)) in text
    for source in actor.get("sources") or []:
        assert seen(source["title"]) in text
    for place in actor.get("places") or []:
        if FACTS.entries("places")[place].get("address"):
            assert seen(FACTS.entries("places")[place]["address"]) in text
    for partner in actor.get("partners") or []:
        assert seen(FACTS.entries("actors")[partner]["title"]) in text


def test_a_list_page_shows_every_entry_and_no_filter_form(nojs, site_server: str) -> None:
    text = main_text(nojs, site_server + "acteurs/")
    titles = nojs.locator(".letter-group .card-title").all_inner_texts()
    assert sorted(titles) == sorted(str(d["title"]) for d in FACTS.entries("actors").values())
    assert f"{len(FACTS.entries('actors'))} entrées" in text
    assert nojs.locator("[data-filters]").is_hidden()  # filters need the script: not offered without it


def test_the_map_page_lists_every_place_with_its_address(nojs, site_server: str) -> None:
    text = main_text(nojs, site_server + "carte/")
    assert nojs.locator("[data-map]").is_hidden()
    for slug, place in FACTS.geolocated().items():
        assert seen(str(place["title"])) in text
        if place.get("address"):
            assert seen(f"{place['title']}, {place['address']}") in text
        hosted = [a for a, d in FACTS.entries("actors").items() if slug in (d.get("places") or [])]
        for actor in hosted:
            assert seen(str(FACTS.entries("actors")[actor]["title"])) in text
