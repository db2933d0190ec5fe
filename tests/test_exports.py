"""Open data: every export of the fixture atlas parses and matches its files; the JSON Schemas accept them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from atlas.model.jsonschema import schema_for
from atlas.model.problems import AtlasError
from conftest import build_tree
from fixture_atlas import FACTS
from helpers import KINDS, as_editors_read, listed

SEGMENT = {"actors": "acteurs", "places": "lieux", "programmes": "programmes", "territories": "territoires",
           "themes": "thematiques"}


def read_csv(site: Path, kind: str) -> tuple[list[str], list[dict[str, str]]]:
    raw = (site / "donnees" / f"{SEGMENT[kind]}.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "CSV files start with a UTF-8 byte order mark"
    reader = csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";")
    rows = list(reader)
    return list(reader.fieldnames or []), rows


@pytest.fixture(scope="module")
def atlas_json(whole_site: Path) -> dict[str, Any]:
    return json.loads((whole_site / "donnees/atlas.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("kind", KINDS)
def test_atlas_json_holds_every_entry_with_its_references_resolved(atlas_json: dict[str, Any], kind: str) -> None:
    records = {r["id"]: r for r in atlas_json[SEGMENT[kind]]}
    assert set(records) == set(FACTS.entries(kind))
    assert list(records) == sorted(records), "sorted by id, for stable diffs"
    forward = {"actors": {"places": "lieux", "programmes": "programmes", "parent": "structure_parente"},
               "programmes": {"operators": "porteurs", "laureates": "laureats", "parent": "programme_parent"},
               "territories": {"parent": "territoire_parent"}, "themes": {"parent": "thematique_parente"},
               "places": {}}[kind]
    for slug, data in FACTS.entries(kind).items():
        record = records[slug]
        assert record["nom"] == str(data["title"])
        assert record["url"] == f"/{SEGMENT[kind]}/{slug}/"
        assert record.get("presentation_resume") == (data.get("summary") or None)
        for field, name in forward.items():
            value = record[name]
            got = [v["id"] for v in value] if isinstance(value, list) else [value["id"]] if value else []
            assert got == listed(data.get(field)), (slug, field)
            target = {"places": "lieux", "programmes": "programmes", "parent": SEGMENT[kind],
                      "operators": "acteurs", "laureates": "acteurs"}[field]
            assert all(v["url"] == f"/{target}/{s}/" for v, s in zip(value if isinstance(value, list)
                                                                      else [value] if value else [], got))
        if "themes" in data and kind != "themes":
            assert [t["id"] for t in record["thematiques"]] == listed(data["themes"])
        if data.get("updated"):
            assert record["date_maj"] == str(data["updated"])


def test_places_list_the_actors_they_host_and_partners_show_on_both_sides(atlas_json: dict[str, Any]) -> None:
    places = {r["id"]: r for r in atlas_json["lieux"]}
    for slug in FACTS.entries("places"):
        hosted = sorted(a for a, d in FACTS.entries("actors").items() if slug in listed(d.get("places")))
        assert [s["id"] for s in places[slug]["structures"]] == hosted
    actors = {r["id"]: r for r in atlas_json["acteurs"]}
    for slug, data in FACTS.entries("actors").items():
        for partner in listed(data.get("partners")):
            assert slug in [p["id"] for p in actors[partner]["partenaires"]]


def test_cross_links_in_bodies_become_page_urls(atlas_json: dict[str, Any]) -> None:
    texts = [r["presentation_detail"] for kind in SEGMENT.values() for r in atlas_json[kind]]
    assert any("](/" in t for t in texts)
    for prefix in ("acteur:", "lieu:", "programme:", "territoire:", "thematique:"):
        assert not any(f"]({prefix}" in t for t in texts), prefix


@pytest.mark.parametrize("kind", KINDS)
def test_csv_per_kind_has_a_header_and_one_row_per_entry(whole_site: Path, kind: str) -> None:
    header, rows = read_csv(whole_site, kind)
    assert header[:3] == ["id", "nom", "url"]
    assert [r["id"] for r in rows] == sorted(FACTS.entries(kind))
    for row in rows:
        data = FACTS.entries(kind)[row["id"]]
        assert row["nom"] == str(data["title"])
        if "themes" in header:
            assert row["thematiques"] == "|".join(listed(data.get("themes")))
        if kind == "places":
            assert row["adresse"] == str(data.get("address", ""))
            assert row["code_postal"] == str(data.get("postcode", ""))
            assert row["commune"] == str(data.get("city", ""))
            geo = data.get("geo")
            assert row["latitude"] == (str(float(geo["lat"])) if geo else "")
            assert row["longitude"] == (str(float(geo["lon"])) if geo else "")
        if kind == "actors":
            assert row["lieux"] == "|".join(listed(data.get("places")))


def test_geojson_has_every_geolocated_place_in_lon_lat_order(whole_site: Path) -> None:
    data = json.loads((whole_site / "donnees/lieux.geojson").read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and "crs" not in data
    features = {f["id"]: f for f in data["features"]}
    assert set(features) == set(FACTS.geolocated())
    for slug, place in FACTS.geolocated().items():
        feature = features[slug]
        assert feature["type"] == "Feature" and feature["geometry"]["type"] == "Point"
        assert feature["geometry"]["coordinates"] == [place["geo"]["lon"], place["geo"]["lat"]]
        assert feature["properties"]["nom"] == place["title"]
        assert feature["properties"]["url"] == f"/lieux/{slug}/"
        hosted = sorted(a for a, d in FACTS.entries("actors").items() if slug in listed(d.get("places")))
        assert [s["id"] for s in feature["properties"]["structures"]] == hosted


@pytest.mark.parametrize("kind", KINDS)
def test_json_schema_is_valid_and_accepts_every_fixture_entry(whole_site: Path, kind: str) -> None:
    published = json.loads((whole_site / f"donnees/schemas/{SEGMENT[kind]}.schema.json").read_text(encoding="utf-8"))
    assert published == schema_for(kind)
    jsonschema.Draft202012Validator.check_schema(published)
    validator = jsonschema.Draft202012Validator(published, format_checker=jsonschema.FormatChecker())
    assert FACTS.front_matters(kind)
    for slug, data in FACTS.front_matters(kind).items():
        errors = [f"{'.'.join(map(str, e.absolute_path))}: {e.message}"
                  for e in validator.iter_errors(as_editors_read(data))]
        assert errors == [], slug


def test_json_schema_rejects_what_the_validator_rejects() -> None:
    validator = jsonschema.Draft202012Validator(schema_for("places"))
    assert list(validator.iter_errors({"title": "X", "geo": {"lat": 50.6, "lon": 3.1}, "postcode": 59000}))  == []
    assert list(validator.iter_errors({"title": "X", "website": None, "themes": []})) == []
    for bad in ({}, {"title": "X", "type": "chateau"}, {"title": "X", "geo": {"lat": 95, "lon": 3}},
                {"title": "X", "themes": ["Pas Un Slug"]}, {"title": "X", "titre": "Y"},
                {"title": "X", "website": "www.example.org"}):
        assert list(validator.iter_errors(bad)), bad


FILES = {
    "content/territories/valbourg.md": "---\ntitle: Lille\ntype: commune\n---\n",
    "content/themes/epargne-solidaire.md": "---\ntitle: Finance solidaire\n---\n",
    "content/places/maison.md": """\
        ---
        title: "Maison « commune » ; le lieu"
        type: maison-ess
        address: 235 boulevard Paul Painlevé
        postcode: "59000"
        city: Lille
        territory: valbourg
        geo: {lat: 50.627, lon: 3.074}
        ---
        Voir [](acteur:banque-ethique) et [la banque](acteur:banque-ethique#histoire).
        """,
    "content/actors/banque-ethique.md": "---\ntitle: La NEF\ntype: cooperative\nthemes: [epargne-solidaire]\n"
                                "territory: valbourg\nplaces: [maison]\nstaff: 12\n---\n## Histoire\n",
}


def test_exports_are_byte_identical_across_builds_and_quote_separators(tree) -> None:
    root = tree(FILES)
    assert build_tree(root, search=False).report.ok
    first = {p.name: p.read_bytes() for p in sorted((root / "site/donnees").rglob("*")) if p.is_file() and p.suffix != ".html"}
    assert build_tree(root, search=False, jobs=2).report.ok
    again = {p.name: p.read_bytes() for p in sorted((root / "site/donnees").rglob("*")) if p.is_file() and p.suffix != ".html"}
    assert first == again and len(first) == 13
    _, rows = read_csv(root / "site", "places")
    assert rows[0]["nom"] == "Maison « commune » ; le lieu"
    record = json.loads(first["atlas.json"])["lieux"][0]
    assert record["presentation_detail"] == "Voir [La NEF](/acteurs/banque-ethique/) et [la banque](/acteurs/banque-ethique/#histoire)."


def test_urls_are_absolute_when_the_site_has_a_public_address(tree) -> None:
    root = tree(FILES)
    assert build_tree(root, search=False, base_url="https://example.org/atlas/").report.ok
    data = json.loads((root / "site/donnees/lieux.geojson").read_text(encoding="utf-8"))
    assert data["features"][0]["properties"]["url"] == "https://example.org/atlas/lieux/maison/"
    assert data["features"][0]["properties"]["structures"][0]["url"] == "https://example.org/atlas/acteurs/banque-ethique/"


def test_open_data_page_documents_every_file_and_column(whole_site: Path) -> None:
    page = (whole_site / "donnees/index.html").read_text(encoding="utf-8")
    for name in ("atlas.json", "lieux.geojson", "acteurs.csv", "lieux.csv", "programmes.csv",
                 "territoires.csv", "thematiques.csv", "acteurs.schema.json", "Licence Ouverte 2.0",
                 "point-virgule", "BOM"):
        assert name in page, name
    for kind in KINDS:
        header, _ = read_csv(whole_site, kind)
        for column in header:
            assert f"<code>{column}</code>" in page, column


def test_vendored_leaflet_is_published_as_recorded(whole_site: Path) -> None:
    """Every vendored file is in the site, with the SHA-256 that atlas/theme/VENDORED.md records."""
    import hashlib
    import re

    import atlas.render.theme as theme

    recorded = re.findall(r"^([0-9a-f]{64})  (\S+)$", (theme.THEME / "VENDORED.md").read_text(), re.M)
    assert len(recorded) == 12
    for sha, rel in recorded:
        assert hashlib.sha256((theme.THEME_ASSETS / "vendor" / rel).read_bytes()).hexdigest() == sha, rel
        assert hashlib.sha256((whole_site / "assets/vendor" / rel).read_bytes()).hexdigest() == sha, rel
