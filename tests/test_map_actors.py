"""Actors on the maps: at their own position when they have one, else at their places; acteurs.geojson."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

from atlas.pipeline import Options, build
from conftest import build_tree

FILES = {
    "content/territories/lille.md": "---\ntitle: Lille\ntype: commune\n---\n",
    "content/territories/roubaix.md": "---\ntitle: Roubaix\ntype: commune\n---\n",
    "content/places/maison.md":
        "---\ntitle: Maison de l'ESS\ntype: maison-ess\nterritory: lille\ngeo: {lat: 50.6275, lon: 3.0745}\n---\n",
    "content/places/atelier.md":
        "---\ntitle: L'Atelier\ntype: tiers-lieu\nterritory: roubaix\ngeo: {lat: 50.69, lon: 3.18, approximate: true}\n---\n",
    "content/places/sans-position.md": "---\ntitle: Sans position\ntype: bureau\n---\n",
    "content/actors/chez-soi.md":
        "---\ntitle: Chez Soi\ntype: association\nterritory: lille\naddress: 12 rue Solférino\npostcode: \"59000\"\n"
        "city: Lille\ngeo: {lat: 50.6301, lon: 3.0512}\n---\nTexte.\n",
    "content/actors/hebergee.md": "---\ntitle: Hébergée\ntype: scop\nterritory: lille\nplaces: [maison]\n---\n",
    "content/actors/deux-lieux.md": "---\ntitle: Deux lieux\ntype: scic\nplaces: [maison, atelier]\n---\n",
    "content/actors/nulle-part.md": "---\ntitle: Nulle part\ntype: association\nplaces: [sans-position]\n---\n",
    "content/pages/accueil.md": "---\ntitle: Accueil\n---\nBienvenue.\n",
}


class _Points(HTMLParser):
    """The points of a map list: li[data-lat] with their title, and the hosted links under each."""

    def __init__(self) -> None:
        super().__init__()
        self.points: list[dict[str, object]] = []
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "li" and "data-lat" in found:
            self.points.append({"title": found["data-title"], "lat": float(found["data-lat"] or 0),
                                "lon": float(found["data-lon"] or 0), "links": []})
        elif tag == "a" and self.points:
            self.points[-1]["links"].append(found["href"])  # type: ignore[union-attr]


def points(root: Path, url: str) -> dict[str, dict[str, object]]:
    parser = _Points()
    parser.feed((root / "site" / url / "index.html").read_text(encoding="utf-8"))
    return {str(p["title"]): p for p in parser.points}


def test_the_atlas_map_shows_actors_at_their_own_position_and_the_others_at_their_places(tree) -> None:
    root = tree(FILES)
    assert build_tree(root, search=False).report.ok
    found = points(root, "carte")
    assert sorted(found) == ["Chez Soi", "L'Atelier", "Maison de l'ESS"]
    assert (found["Chez Soi"]["lat"], found["Chez Soi"]["lon"]) == (50.6301, 3.0512)
    assert found["Chez Soi"]["links"] == ["/acteurs/chez-soi/"]
    assert {"/acteurs/hebergee/", "/acteurs/deux-lieux/"} <= set(found["Maison de l'ESS"]["links"])
    assert "/acteurs/deux-lieux/" in found["L'Atelier"]["links"]
    page = (root / "site/carte/index.html").read_text(encoding="utf-8")
    assert "12 rue Solférino, 59000 Lille" in page
    assert "2 lieux géolocalisés, où se trouvent 2 structures, et 1 structure à sa propre adresse" in page


def test_a_territory_map_shows_its_actors_that_have_a_position(tree) -> None:
    root = tree(FILES)
    assert build_tree(root, search=False).report.ok
    assert sorted(points(root, "territoires/lille")) == ["Chez Soi", "Maison de l'ESS"]
    assert sorted(points(root, "territoires/roubaix")) == ["L'Atelier"]


def test_an_actor_page_maps_its_own_position_then_its_places(tree) -> None:
    root = tree(FILES)
    assert build_tree(root, search=False).report.ok
    assert list(points(root, "acteurs/chez-soi")) == ["Chez Soi"]
    assert list(points(root, "acteurs/deux-lieux")) == ["Maison de l'ESS", "L'Atelier"]
    assert points(root, "acteurs/nulle-part") == {}


def test_acteurs_geojson_has_every_actor_with_a_position(tree) -> None:
    root = tree(FILES)
    assert build_tree(root, search=False).report.ok
    data = json.loads((root / "site/donnees/acteurs.geojson").read_text(encoding="utf-8"))
    features = {f["id"]: f for f in data["features"]}
    assert data["type"] == "FeatureCollection" and sorted(features) == ["chez-soi", "deux-lieux", "hebergee"]
    own = features["chez-soi"]
    assert own["geometry"] == {"type": "Point", "coordinates": [3.0512, 50.6301]}  # longitude first
    assert own["properties"]["position_origine"] == "fiche" and own["properties"]["adresse"] == "12 rue Solférino"
    assert own["properties"]["code_postal"] == "59000" and own["properties"]["url"] == "/acteurs/chez-soi/"
    hosted = features["hebergee"]
    assert hosted["geometry"] == {"type": "Point", "coordinates": [3.0745, 50.6275]}
    assert hosted["properties"]["position_origine"] == "lieux" and hosted["properties"]["lieux"][0]["id"] == "maison"
    two = features["deux-lieux"]
    assert two["geometry"] == {"type": "MultiPoint", "coordinates": [[3.0745, 50.6275], [3.18, 50.69]]}
    assert two["properties"]["position_approximative"] is True  # one of its places is approximate
    places = json.loads((root / "site/donnees/lieux.geojson").read_text(encoding="utf-8"))
    assert [f["id"] for f in places["features"]] == ["atelier", "maison"]  # places only, as before
    page = (root / "site/donnees/index.html").read_text(encoding="utf-8")
    assert "acteurs.geojson</a> : les 3 acteurs situés" in page


def test_maps_follow_an_actor_s_position_not_its_text(tree, rendered) -> None:
    root = tree(FILES)
    options = Options(root=root, out=root / "site", search=False)
    assert build(options).report.ok
    path = root / "content/actors/chez-soi.md"
    path.write_text(path.read_text(encoding="utf-8") + "Un paragraphe de plus.\n", encoding="utf-8")
    rendered.clear()
    assert build(options).report.ok
    assert rendered == ["acteurs/chez-soi/"]  # neither the map nor the territory page
    path.write_text(path.read_text(encoding="utf-8").replace("lat: 50.6301", "lat: 50.6400"), encoding="utf-8")
    rendered.clear()
    assert build(options).report.ok
    assert {"carte/", "territoires/lille/", "acteurs/chez-soi/"} <= set(rendered)
    assert points(root, "carte")["Chez Soi"]["lat"] == 50.64
