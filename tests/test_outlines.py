"""Map outlines: the shipped boundaries, how a territory is drawn, and the files a build writes.

The simplification and the line splitting are checked on small shapes built here; the build on
fixture atlases (tests/conftest.py `tree`); the shipped data by what it must contain.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from atlas.model.kinds import Entry
from atlas.outputs import geo
from atlas.pages import outlines
from atlas.tools import geodata
from conftest import build_tree

SOURCE = Path("/work/shared/data/geo")  # Admin Express files: only where the data folder is


def territory(type_: str, code: str | None = None) -> Entry:
    values = {"title": "T", "type": type_} | ({"code": code} if code is not None else {})
    return Entry(kind="territories", slug="t", path="content/territories/t.md", values=values, lines={}, body="",
                 body_line=1, digest="")


@pytest.mark.parametrize("code, department", [("59350", "59"), ("2A004", "2A"), ("97411", "974"), ("69123", "69")])
def test_department_of_a_commune_code(code: str, department: str) -> None:
    assert outlines.department_of(code) == department


@pytest.mark.parametrize("postcode, departments", [
    ("59000", ("59",)), ("20000", ("2A", "2B")), ("97400", ("974",)), ("5900", ()), ("", ()), ("59O00", ()),
])
def test_departments_of_a_postcode(postcode: str, departments: tuple[str, ...]) -> None:
    assert outlines.departments_of_postcode(postcode) == departments


@pytest.mark.parametrize("type_, code, drawn", [
    ("commune", "59350", ("commune", "59350")),
    ("departement", "59", ("departement", "59")),
    ("region", "32", ("region", "32")),
    ("pays", None, ("pays", "")),
    ("commune", None, None),       # no code: the map shows the territory's places
    ("metropole", "200093201", None),  # an EPCI's SIREN is not a code of the shipped levels
    ("quartier", None, None),
])
def test_how_a_territory_is_drawn(type_: str, code: str | None, drawn: tuple[str, str] | None) -> None:
    assert outlines.level(territory(type_, code)) == drawn


@pytest.mark.parametrize("niveau, code, nom, inside", [
    ("commune", "59350", "Lille", (3.06, 50.63)),
    ("commune", "69123", "Lyon", (4.84, 45.76)),
    ("commune", "21231", "Dijon", (5.04, 47.32)),
    ("departement", "59", "Nord", (3.06, 50.63)),
    ("region", "32", "Hauts-de-France", (2.8, 49.9)),
    ("region", "84", "Auvergne-Rhône-Alpes", (4.84, 45.76)),
    ("pays", "", "France", (2.35, 48.85)),
])
def test_shipped_boundaries(niveau: str, code: str, nom: str, inside: tuple[float, float]) -> None:
    found = outlines.find(niveau, code)
    assert found is not None and found.nom == nom
    west, south, east, north = found.bounds
    assert west < inside[0] < east and south < inside[1] < north
    if found.geometry:
        shape = [[[tuple(p) for p in r] for r in poly] for poly in found.geometry["coordinates"]]
        assert geodata.inside(inside, shape)


@pytest.mark.parametrize("niveau, code", [("commune", "59999"), ("commune", "64102"), ("departement", "99"),
                                          ("region", "59")])
def test_codes_the_engine_does_not_ship_draw_nothing(niveau: str, code: str) -> None:
    assert outlines.find(niveau, code) is None


def test_douglas_peucker_drops_what_is_within_the_tolerance_and_keeps_corners() -> None:
    line = [(0.0, 0.0), (1.0, 0.001), (2.0, -0.001), (3.0, 0.0), (3.0, 1.0), (3.001, 2.0), (3.0, 3.0)]
    assert geodata.douglas_peucker(line, 0.01, 1.0) == [(0.0, 0.0), (3.0, 0.0), (3.0, 3.0)]
    assert geodata.douglas_peucker(line, 0.0001, 1.0) == line


def polygon(code: str, ring: list[tuple[float, float]]) -> dict:
    return {"properties": {"code": code, "nom": code},
            "geometry": {"type": "Polygon", "coordinates": [[list(p) for p in ring + ring[:1]]]}}


def square(x: float, y: float) -> dict:
    return polygon(f"{x:g}", [(x, y), (x + 1, y), (x + 1, y + 1), (x, y + 1)])


def on_frame(e: tuple[tuple[float, float], tuple[float, float]]) -> bool:
    """Whether an edge lies on the outside of the 2 × 1 frame the test shapes tile."""
    (x1, y1), (x2, y2) = e
    return (x1 == x2 and x1 in (0, 2)) or (y1 == y2 and y1 in (0, 1))


def test_neighbours_keep_the_same_border_after_simplification() -> None:
    """West is one shape, east two (north and south) meeting it at (1, 0.5), on a nearly straight
    border: simplified alone, west would drop that point and leave a gap; it must keep it."""
    border = [(1.0, 0.0), (1.004, 0.25), (1.0, 0.5), (0.996, 0.75), (1.0, 1.0)]
    west = polygon("w", [(0.0, 0.0)] + border + [(0.0, 1.0)])
    south = polygon("s", [(1.0, 0.0), (2.0, 0.0), (2.0, 0.5), (1.0, 0.5), (1.004, 0.25)])
    north = polygon("n", [(1.0, 0.5), (2.0, 0.5), (2.0, 1.0), (1.0, 1.0), (0.996, 0.75)])
    simplified = geodata.simplify_layer([west, south, north], 0.05, 3)
    edges = geo.sides(simplified)
    assert len(simplified[0]["geometry"]["coordinates"][0][0]) < len(west["geometry"]["coordinates"][0])
    # No gap or overlap: an edge that bounds one shape only is on the outside of the three.
    assert [e for e, where in edges.items() if len(where) == 1 and not on_frame(e)] == []
    assert {e for e, where in edges.items() if len(where) == 2} == {
        ((1.0, 0.0), (1.0, 0.5)), ((1.0, 0.5), (1.0, 1.0)), ((1.0, 0.5), (2.0, 0.5))}


def test_dissolve_is_the_union_and_keeps_holes() -> None:
    left, right = (geodata.shape_of({"geometry": {"coordinates": [s["geometry"]["coordinates"]]}})
                   for s in (square(0, 0), square(1, 0)))
    (union,) = geodata.dissolve([left, right])
    assert len(union) == 1 and abs(geo.area(union[0])) == 2
    frame = [[(0.0, 0.0), (3.0, 0.0), (3.0, 3.0), (0.0, 3.0), (0.0, 0.0)],
             [(1.0, 1.0), (1.0, 2.0), (2.0, 2.0), (2.0, 1.0), (1.0, 1.0)]]
    (same,) = geodata.dissolve([[frame]])
    assert len(same) == 2 and abs(geo.area(same[0])) == 9 and abs(geo.area(same[1])) == 1


def test_chain_uses_each_edge_once() -> None:
    path = [((0.0, 0.0), (1.0, 0.0)), ((1.0, 0.0), (2.0, 0.0)), ((1.0, 0.0), (1.0, 1.0))]
    loop = [((5.0, 5.0), (6.0, 5.0)), ((6.0, 5.0), (6.0, 6.0)), ((5.0, 5.0), (6.0, 6.0))]
    lines = geo.chain(path + loop)
    used = [geo.edge(a, b) for line in lines for a, b in zip(line, line[1:])]
    assert sorted(used) == sorted(geo.edge(*e) for e in path + loop)
    assert [(5.0, 5.0), (6.0, 5.0), (6.0, 6.0), (5.0, 5.0)] in lines  # a loop closes on itself


def test_shipped_data_is_what_the_script_makes(tmp_path: Path) -> None:
    """atlas/theme/geo/ is reproducible: the script on the source files gives the same bytes."""
    if not SOURCE.is_dir():
        pytest.skip(f"{SOURCE} (the Admin Express files) is not on this machine")
    fresh = tmp_path / "geo"
    geodata.make(SOURCE, fresh)
    for path in sorted(outlines.GEO.glob("*.geojson")):
        assert (fresh / path.name).read_bytes() == path.read_bytes(), path.name


ATLAS = {
    "content/territories/lille.md": "---\ntitle: Lille\ntype: commune\ncode: \"59350\"\n---\n",
    "content/territories/hdf.md": "---\ntitle: Hauts-de-France\ntype: region\ncode: \"32\"\n---\n",
    "content/territories/mel.md": "---\ntitle: MEL\ntype: metropole\n---\n",
    "content/places/la-serre.md": "---\ntitle: La Serre\ntype: tiers-lieu\npostcode: \"69001\"\ncity: Lyon\n"
                               "territory: mel\ngeo: {lat: 45.76, lon: 4.83}\n---\n",
}


def files(site: Path) -> dict[str, bytes]:
    folder = site / "assets" / "geo"
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_build_writes_the_outlines_its_territories_and_addresses_touch(tree) -> None:
    root = tree(ATLAS)
    assert build_tree(root, search=False).report.ok
    written = files(root / "site")
    index = json.loads(written["index.json"])
    assert sorted(index["communes"]) == ["59", "69"]  # Lille's code, La Serre's postcode; not the Côte-d'Or
    assert {n.split("/")[0] for n in written if "/" in n} == {"communes-59", "communes-69"}
    for department, cells in index["communes"].items():
        assert {f"communes-{department}/{c}.geojson" for c in cells} == {n for n in written
                                                                         if n.startswith(f"communes-{department}/")}
    france = json.loads(written["france.geojson"])
    borders = {f["properties"].get("limite") for f in france["features"]} - {None}
    assert borders == {"pays", "region", "departement"}
    names = {n for f in france["features"] if "noms" in f["properties"] for n in f["properties"]["noms"]}
    assert {"Nord", "Rhône", "Hauts-de-France"} <= names
    assert len(written["france.geojson"]) < 80_000  # shown on every map: kept small
    assert max(len(data) for data in written.values()) < 80_000


def test_every_border_is_written_once(tree) -> None:
    root = tree(ATLAS)
    assert build_tree(root, search=False).report.ok
    seen: dict[tuple, str] = {}
    for name, data in files(root / "site").items():
        if not name.startswith("communes-59/"):
            continue
        for f in json.loads(data)["features"]:
            if f["geometry"]["type"] != "MultiLineString":
                continue
            for line in f["geometry"]["coordinates"]:
                for a, b in zip(line, line[1:]):
                    e = geo.edge(tuple(a), tuple(b))
                    assert e not in seen, f"{e} in {name} and {seen[e]}"
                    seen[e] = name
    assert len(seen) > 1000


def test_outline_files_are_byte_stable(tree, tmp_path: Path) -> None:
    first = tree(ATLAS)
    assert build_tree(first, search=False).report.ok
    again = tmp_path / "again"
    for rel, data in ATLAS.items():
        (again / rel).parent.mkdir(parents=True, exist_ok=True)
        (again / rel).write_text(data, encoding="utf-8")
    assert build_tree(again, search=False).report.ok
    assert files(first / "site") == files(again / "site")


def map_attributes(html: str) -> dict[str, str]:
    from html.parser import HTMLParser

    found: dict[str, str] = {}

    class Find(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if "data-map" in dict(attrs):
                found.update({k: v or "" for k, v in attrs})

    Find().feed(html)
    return found


def test_a_territory_page_carries_its_outline_and_a_map_even_without_places(tree) -> None:
    root = tree(ATLAS)
    assert build_tree(root, search=False).report.ok
    lille = map_attributes((root / "site/territoires/lille/index.html").read_text(encoding="utf-8"))
    assert lille, "a commune with a code gets a map, places or not"
    assert lille["data-outline-name"] == "Lille" and "data-points" not in lille
    geometry = json.loads(lille["data-outline"])
    assert geometry["type"] == "MultiPolygon"
    west, south, east, north = map(float, lille["data-bounds"].split(","))
    assert west < 3.06 < east and south < 50.63 < north
    mel = map_attributes((root / "site/territoires/mel/index.html").read_text(encoding="utf-8"))
    assert "data-outline" not in mel and "data-bounds" not in mel and mel["data-points"]  # its places only
    place = map_attributes((root / "site/lieux/la-serre/index.html").read_text(encoding="utf-8"))
    assert "data-outline" not in place and place["data-points"]
