"""Map, search and filter hooks in the built HTML (the browser tests check that they work)."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import build_tree
from fixture_atlas import FACTS
from helpers import listed


class Tags(HTMLParser):
    """Start tags with their attributes, in document order."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def having(self, attribute: str) -> list[dict[str, str]]:
        return [a for _, a in self.tags if attribute in a]


def theme_chains(data: dict) -> list[str]:
    """An entry's themes and their parents, each once: a sub-theme's entry is found under its parent too."""
    return list(dict.fromkeys(t for theme in listed(data.get("themes")) for t in FACTS.chain("themes", theme)))


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def test_map_page_lists_every_geolocated_place_with_address_and_hosted_actors(whole_site: Path) -> None:
    html = page(whole_site, "carte")
    points = Tags(html).having("data-lat")
    assert len(points) == len(FACTS.mapped())
    for slug, place in FACTS.geolocated().items():
        (point,) = [p for p in points if p["data-title"] == place["title"]]
        assert float(point["data-lat"]) == place["geo"]["lat"] and float(point["data-lon"]) == place["geo"]["lon"]
        assert f'href="/lieux/{slug}/"' in html
        if place.get("address"):
            assert str(place["address"]) in html
        for actor, data in FACTS.entries("actors").items():
            if slug in listed(data.get("places")):
                assert f'href="/acteurs/{actor}/"' in html
    assert 'src="/assets/map.js"' in html and "unpkg" not in html and "cdn" not in html
    assert '"vendor/leaflet/leaflet.js"' in (whole_site / "assets" / "map.js").read_text(encoding="utf-8")  # fetched by it


def test_place_actor_and_territory_pages_show_a_small_map_of_their_points(whole_site: Path) -> None:
    for slug, place in FACTS.geolocated().items():
        assert len(Tags(page(whole_site, f"lieux/{slug}")).having("data-lat")) == 1
        territory = place.get("territory")
        for t in FACTS.chain("territories", territory) if territory else []:
            titles = [p["data-title"] for p in Tags(page(whole_site, f"territoires/{t}")).having("data-lat")]
            assert place["title"] in titles, t
    for actor, data in FACTS.entries("actors").items():
        expected = [data] * bool(data.get("geo")) + [p for p in listed(data.get("places")) if p in FACTS.geolocated()]
        assert len(Tags(page(whole_site, f"acteurs/{actor}")).having("data-lat")) == len(expected), actor
    without = [s for s in FACTS.entries("places") if s not in FACTS.geolocated()]
    for slug in without:
        assert "data-map" not in page(whole_site, f"lieux/{slug}")


def test_list_cards_carry_filter_values_including_parent_territories(whole_site: Path) -> None:
    html = page(whole_site, "acteurs")
    cards: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    for tag, attrs in Tags(html).tags:
        if tag == "li" and "data-themes" in attrs:
            current = attrs
        elif tag == "a" and current is not None:
            cards[attrs["href"]] = current  # the card's first link is its title
            current = None
    assert len(cards) == len(FACTS.entries("actors"))
    for slug, data in FACTS.entries("actors").items():
        card = cards[f"/acteurs/{slug}/"]
        assert card["data-categorie"] == "actors"
        assert card["data-themes"].split() == theme_chains(data)
        territory = data.get("territory")
        assert card["data-territory"].split() == (FACTS.chain("territories", territory) if territory else [])
        assert card["data-type"] == (data.get("type") or "")
    assert 'id="filtre-thematique"' in html and "data-filters" in html


def test_entry_pages_are_indexed_with_their_filters_and_lists_are_not(whole_site: Path) -> None:
    for slug, data in FACTS.entries("actors").items():
        tags = Tags(page(whole_site, f"acteurs/{slug}"))
        assert tags.having("data-pagefind-body")
        filters = [a["data-pagefind-filter"].split("[")[0] + "=" + a["data-value"]
                   for a in tags.having("data-pagefind-filter")]
        assert "categorie=Acteurs" in filters
        themes = {f for f in filters if f.startswith("thematique=")}
        assert len(themes) == len(theme_chains(data)), slug
    for url in ("", "acteurs", "a-z", "carte", "recherche", "donnees"):
        assert "data-pagefind-body" not in page(whole_site, url)
    assert (whole_site / "pagefind/pagefind.js").is_file()


def test_no_search_builds_without_an_index_and_says_so(tree) -> None:
    root = tree({"content/actors/banque-ethique.md": "---\ntitle: La NEF\n---\n"})
    assert build_tree(root, search=False).report.ok
    assert not (root / "site/pagefind").exists()
    assert "construite sans index de recherche" in page(root / "site", "recherche")
    assert build_tree(root).report.ok
    assert (root / "site/pagefind/pagefind.js").is_file()
    assert 'data-pagefind="/pagefind/"' in page(root / "site", "recherche")


@pytest.mark.parametrize("flag, expected", [([], True), (["--no-search"], False)])
def test_cli_no_search_flag(tree, flag: list[str], expected: bool) -> None:
    from atlas.cli import main

    root = tree({"content/actors/banque-ethique.md": "---\ntitle: La NEF\n---\n"})
    assert main(["build", "--root", str(root), "--quiet", "--no-cache", *flag]) == 0
    assert (root / "site/pagefind").exists() is expected


def test_search_index_is_byte_identical_across_cold_builds(tree) -> None:
    """Pagefind writes filter values in random order; atlas/pagefind_stable.py sorts them."""
    files = {f"content/actors/a{i}.md": f"---\ntitle: Acteur {i}\ntype: {t}\nthemes: [{th}]\nterritory: {te}\n---\n"
             for i, (t, th, te) in enumerate([("scop", "eau", "valbourg"), ("association", "logement", "montclair"),
                                                ("cae", "eau", "montclair"), ("scic", "logement", "valbourg")])}
    files.update({f"content/themes/{t}.md": f"---\ntitle: {t.capitalize()}\n---\n" for t in ("eau", "logement")})
    files.update({f"content/territories/{t}.md": f"---\ntitle: {t.capitalize()}\n---\n" for t in ("valbourg", "montclair")})
    root = tree(files)

    def bundle() -> dict[str, bytes]:
        assert build_tree(root).report.ok
        folder = root / "site/pagefind"
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}

    first = bundle()
    assert any(name.startswith("filter/") for name in first)
    for _ in range(3):
        shutil.rmtree(root / "site")
        assert bundle() == first
