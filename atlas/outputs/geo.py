"""Map backgrounds without a tile server: the outlines a map page loads, under assets/geo/.

From the shipped boundaries (pages/outlines.py), each border is written once, as lines:

- `france.geojson`: the borders of the country, its regions and départements, and the names of
  regions and départements at a point inside each (what maps show up to zoom 10);
- `communes-<dép>/<lon>_<lat>.geojson`: the commune borders and names of one département, cut in
  cells of CELL degrees so that a map close up loads only the cells it shows, and only for the
  départements the atlas touches (`touched_departments`);
- `index.json`: which cells exist, so the map never asks for a file that is not there.

Names are the same on every page and every build (the browser caches them across pages), and the
bytes depend only on the shipped data and on which départements are touched. A territory's own
outline (its highlighted shape) is written in its page, not here.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from typing import Any, Callable, Iterable

from ..link.graph import Atlas
from ..pages.outlines import layer, touched_departments

FOLDER = "assets/geo"
CELL = 0.25  # degrees: at zoom 11 a 1280-pixel map shows about 4 × 2 cells
Point = tuple[float, float]
Edge = tuple[Point, Point]


def edge(a: Point, b: Point) -> Edge:
    """An undirected edge, the same whichever way a ring runs along it."""
    return (a, b) if a <= b else (b, a)


def area(ring: list[Point]) -> float:
    """Signed area (shoelace), in square degrees."""
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:])) / 2


def chain(edges: Iterable[Edge]) -> list[list[Point]]:
    """Undirected edges joined into polylines (closed ones end where they start), in a stable order.

    A line stops where three or more edges meet or where it ends, so each edge is used once.
    """
    around: dict[Point, list[Point]] = {}
    for a, b in edges:
        around.setdefault(a, []).append(b)
        around.setdefault(b, []).append(a)
    for ends in around.values():
        ends.sort()
    used: set[Edge] = set()

    def walk(here: Point, step: Point) -> list[Point]:
        line = [here]
        while True:
            used.add(edge(here, step))
            line.append(step)
            here = step
            if len(around[here]) != 2:
                return line
            ahead = [p for p in around[here] if edge(here, p) not in used]
            if not ahead:
                return line
            step = ahead[0]

    lines = []
    ends = sorted(p for p, near in around.items() if len(near) != 2)
    for start in ends + sorted(around):  # line ends first; what is left then are closed loops
        for step in around[start]:
            if edge(start, step) not in used:
                lines.append(walk(start, step))
    return lines


def sides(features: Iterable[dict[str, Any]]) -> dict[Edge, list[int]]:
    """Each edge of the features' rings -> the indexes of the features it bounds."""
    found: dict[Edge, list[int]] = {}
    for i, f in enumerate(features):
        for poly in f["geometry"]["coordinates"]:
            for ring in poly:
                for a, b in zip(ring, ring[1:]):
                    found.setdefault(edge(tuple(a), tuple(b)), []).append(i)
    return found


def lines_feature(limite: str, lines: list[list[Point]]) -> dict[str, Any]:
    return {"type": "Feature", "properties": {"limite": limite},
            "geometry": {"type": "MultiLineString", "coordinates": [[list(p) for p in line] for line in lines]}}


def labels_feature(niveau: str, features: list[dict[str, Any]]) -> dict[str, Any]:
    """The names of features at their label points, largest first (the map places them in this order)."""
    ordered = sorted(features, key=lambda f: (-max(abs(area(p[0])) for p in f["geometry"]["coordinates"]),
                                              f["properties"]["code"]))
    return {"type": "Feature", "properties": {"niveau": niveau, "noms": [f["properties"]["nom"] for f in ordered]},
            "geometry": {"type": "MultiPoint", "coordinates": [f["properties"]["etiquette"] for f in ordered]}}


def collection(features: list[dict[str, Any]]) -> bytes:
    """Compact, byte-stable GeoJSON."""
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False,
                      separators=(",", ":"), sort_keys=True).encode() + b"\n"


def classified(features: list[dict[str, Any]], kind: Callable[[list[int]], str]) -> dict[str, list[Edge]]:
    """The edges of the features grouped by what kind of border they are (kind(feature indexes))."""
    groups: dict[str, list[Edge]] = {}
    for e, where in sides(features).items():
        groups.setdefault(kind(where), []).append(e)
    return groups


@lru_cache(maxsize=1)
def france() -> bytes:
    """france.geojson: country, region and département borders, each once, and the names."""
    departments = [f for f in layer("france") if f["properties"]["niveau"] == "departement"]
    regions = [f for f in layer("france") if f["properties"]["niveau"] == "region"]
    if not departments:
        return collection([])
    region = [d["properties"]["region"] for d in departments]

    def kind(where: list[int]) -> str:
        if len(where) == 1:
            return "pays"
        return "region" if len({region[i] for i in where}) > 1 else "departement"

    groups = classified(departments, kind)
    lines = [lines_feature(k, chain(groups[k])) for k in ("pays", "region", "departement") if k in groups]
    return collection(lines + [labels_feature("region", regions), labels_feature("departement", departments)])


def cell_of(point: Point) -> str:
    """The name of the cell a point is in: its south-west corner, « 3.00_50.50 »."""
    x, y = (math.floor(v / CELL) * CELL for v in point)
    return f"{x:.2f}_{y:.2f}"


@lru_cache(maxsize=None)
def communes(department: str) -> dict[str, bytes]:
    """cell name -> the commune borders (each once) and names of a département in that cell."""
    features = list(layer(f"communes-{department}"))
    cells: dict[str, dict[str, list[Edge]]] = {}
    for e, where in sides(features).items():
        middle = ((e[0][0] + e[1][0]) / 2, (e[0][1] + e[1][1]) / 2)
        limite = "departement" if len(where) == 1 else "commune"
        cells.setdefault(cell_of(middle), {}).setdefault(limite, []).append(e)
    named: dict[str, list[dict[str, Any]]] = {}
    for f in features:
        named.setdefault(cell_of(tuple(f["properties"]["etiquette"])), []).append(f)
    out = {}
    for name in sorted(set(cells) | set(named)):
        borders = cells.get(name, {})
        out[name] = collection([lines_feature(k, chain(borders[k])) for k in ("departement", "commune")
                                if k in borders] + ([labels_feature("commune", named[name])] if name in named else []))
    return out


def index(departments: list[str]) -> bytes:
    """index.json: the cell size and, per département, the cells written."""
    return json.dumps({"cellule": CELL, "communes": {d: sorted(communes(d)) for d in departments}},
                      separators=(",", ":"), sort_keys=True).encode() + b"\n"


def produce(atlas: Atlas, site: dict[str, Any], pages: Any, read: set[str]) -> Iterable[tuple[str, Any]]:
    """The outline files of this atlas (see the module docstring); `read` gets what it read."""
    if not layer("france"):
        return
    yield f"{FOLDER}/france.geojson", france()
    departments = touched_departments(atlas, read)
    for department in departments:
        for name, data in communes(department).items():
            yield f"{FOLDER}/communes-{department}/{name}.geojson", data
    yield f"{FOLDER}/index.json", index(departments)
