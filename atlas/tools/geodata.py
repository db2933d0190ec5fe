"""Make the map outlines the engine ships (atlas/theme/geo/) from IGN's Admin Express boundaries.

Run offline, once per data update, never by a build:

    python -m atlas.tools.geodata /work/shared/data/geo atlas/theme/geo

It reads the files named below (IGN — Admin Express 2018, Licence Ouverte, as published in
gregoiredavid/france-geojson), simplifies them at a fixed tolerance and writes:

- `france.geojson`: the 96 metropolitan départements (`niveau`, `code`, `nom`, `region`,
  `etiquette`: a point inside the shape for its label) and the 13 regions, each the union of its
  départements (so their borders coincide);
- `communes-<département>.geojson`: the communes of each département given (`code` INSEE, `nom`,
  `etiquette`).

Simplification keeps shared borders shared (as TopoJSON does): every ring is cut into arcs where
the set of shapes on its sides changes, each arc is simplified once (Douglas–Peucker) and
reassembled, so two neighbours keep exactly the same border and no gap opens between them.
Coordinates are rounded to a grid first (so equal points stay equal) and written with a fixed
number of decimals: the same input always gives the same bytes.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any, Iterable

from ..outputs.geo import area, chain, edge

Point = tuple[float, float]
Ring = list[Point]


# Regions and départements are drawn up to zoom 10, mostly seen at zoom 5 to 8 (a pixel is 0.6 to
# 5 km: 0.012° is 1.3 km); communes from zoom 11 (a pixel is 75 m or less: 0.001° is about 110 m).
# Finer costs bytes: a map page must load under 150 KB of outlines.
DEPARTMENTS, REGIONS = "departements-version-simplifiee.geojson", "regions-version-simplifiee.geojson"
FRANCE_TOLERANCE, FRANCE_DIGITS = 0.012, 3
COMMUNES = {"21": "communes-21-cote-d-or.geojson", "59": "communes-59-nord.geojson",
            "69": "communes-69-rhone.geojson"}
COMMUNE_TOLERANCE, COMMUNE_DIGITS = 0.001, 4


# --- simplification --------------------------------------------------------------------------

def douglas_peucker(points: list[Point], tolerance: float, scale: float) -> list[Point]:
    """The points of a polyline that stay within `tolerance` of it (ends kept); x is scaled by `scale`."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    limit = tolerance * tolerance
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        ax, bx = ax * scale, bx * scale
        dx, dy = bx - ax, by - ay
        length = dx * dx + dy * dy
        worst, index = -1.0, -1
        for i in range(first + 1, last):
            px, py = points[i][0] * scale, points[i][1]
            if length == 0:
                d = (px - ax) ** 2 + (py - ay) ** 2
            else:
                t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length))
                d = (px - ax - t * dx) ** 2 + (py - ay - t * dy) ** 2
            if d > worst:
                worst, index = d, i
        if worst > limit:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep) if k]


def arcs_of(ring: Ring, sides: dict[tuple[Point, Point], frozenset[int]]) -> list[list[Point]]:
    """A closed ring cut where the shapes along it change; a ring alone is cut at its smallest point."""
    open_ring = ring[:-1]
    n = len(open_ring)
    cuts = [i for i in range(n)
            if sides[edge(open_ring[i - 1], open_ring[i])] != sides[edge(open_ring[i], open_ring[(i + 1) % n])]]
    if not cuts:  # an island or an enclave: one closed arc, cut the same way from both sides
        start = min(range(n), key=lambda i: open_ring[i])
        rotated = open_ring[start:] + open_ring[:start]
        far = max(range(n), key=lambda i: (rotated[i][0] - rotated[0][0]) ** 2 + (rotated[i][1] - rotated[0][1]) ** 2)
        cuts, open_ring = [0, far], rotated
    arcs = []
    for k, start in enumerate(cuts):
        end = cuts[(k + 1) % len(cuts)]
        arc = open_ring[start:end + 1] if end > start else open_ring[start:] + open_ring[:end + 1]
        arcs.append(arc)
    return arcs


class Simplifier:
    """Simplifies arcs once each, whichever way a ring runs along them."""

    def __init__(self, tolerance: float, scale: float) -> None:
        self.tolerance, self.scale = tolerance, scale
        self.done: dict[tuple[Point, ...], list[Point]] = {}

    def arc(self, arc: list[Point]) -> list[Point]:
        forward = tuple(arc)
        backward = forward[::-1]
        key = min(forward, backward)
        if key not in self.done:
            self.done[key] = douglas_peucker(list(key), self.tolerance, self.scale)
        found = self.done[key]
        return found if key == forward else found[::-1]

    def ring(self, ring: Ring, sides: dict[tuple[Point, Point], frozenset[int]]) -> Ring:
        """The ring simplified arc by arc; the rounded ring itself when that would flatten it."""
        out: Ring = []
        for arc in arcs_of(ring, sides):
            kept = self.arc(arc)
            out.extend(kept if not out else kept[1:])
        if out[0] != out[-1]:
            out.append(out[0])
        return out if len(set(out)) >= 3 else ring


def rounded(ring: Iterable[list[float]], digits: int) -> Ring:
    """Coordinates on the output grid, repeated points dropped, the ring closed."""
    out: Ring = []
    for x, y in ((round(p[0], digits), round(p[1], digits)) for p in ring):
        if not out or out[-1] != (x, y):
            out.append((x, y))
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out


def polygons(geometry: dict[str, Any]) -> list[list[list[list[float]]]]:
    """A Polygon or MultiPolygon as a list of polygons."""
    return [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]


def label_point(ring: Ring, holes: list[Ring]) -> Point:
    """A point inside a polygon for its name: the middle of its widest stretch across its centroid's latitude."""
    y = sum(p[1] for p in ring[:-1]) / (len(ring) - 1)
    crossings = sorted(a[0] + (y - a[1]) * (b[0] - a[0]) / (b[1] - a[1])
                       for r in [ring] + holes for a, b in zip(r, r[1:]) if (a[1] > y) != (b[1] > y))
    spans = list(zip(crossings[::2], crossings[1::2]))
    if not spans:
        return ring[0]
    left, right = max(spans, key=lambda s: s[1] - s[0])
    return ((left + right) / 2, y)


def simplify_layer(features: list[dict[str, Any]], tolerance: float, digits: int) -> list[dict[str, Any]]:
    """Features with their geometries simplified together (shared borders stay shared)."""
    shapes = [[[rounded(r, digits) for r in poly] for poly in polygons(f["geometry"])] for f in features]
    sides: dict[tuple[Point, Point], set[int]] = {}
    ring_id = 0
    for shape in shapes:
        for poly in shape:
            for ring in poly:
                for a, b in zip(ring, ring[1:]):
                    sides.setdefault(edge(a, b), set()).add(ring_id)
                ring_id += 1
    frozen = {k: frozenset(v) for k, v in sides.items()}
    lats = [p[1] for shape in shapes for poly in shape for p in poly[0]]
    simplifier = Simplifier(tolerance, math.cos(math.radians((min(lats) + max(lats)) / 2)))
    out = []
    for feature_in, shape in zip(features, shapes):
        kept = []
        for poly in shape:
            rings = [simplifier.ring(r, frozen) for r in poly if len(r) >= 4]
            if rings:
                kept.append(rings)
        largest = max(kept, key=lambda p: abs(area(p[0])))
        minimum = (tolerance * 2) ** 2  # parts smaller than this are specks at the zooms shown
        kept = [[r for i, r in enumerate(p) if i == 0 or abs(area(r)) >= minimum] for p in kept
                if p is largest or abs(area(p[0])) >= minimum]
        out.append(feature(feature_in["properties"], kept, digits))
    return out


def inside(point: Point, shape: list[list[Ring]]) -> bool:
    """Whether a point is inside a (multi)polygon, holes counted (even–odd rule)."""
    x, y = point
    crossings = 0
    for poly in shape:
        for ring in poly:
            for a, b in zip(ring, ring[1:]):
                if (a[1] > y) != (b[1] > y) and x < a[0] + (y - a[1]) * (b[0] - a[0]) / (b[1] - a[1]):
                    crossings += 1
    return crossings % 2 == 1


def dissolve(shapes: list[list[list[Ring]]]) -> list[list[Ring]]:
    """The union of shapes whose shared borders are identical: the edges they do not share, as polygons."""
    count: dict[tuple[Point, Point], int] = {}
    for shape in shapes:
        for poly in shape:
            for ring in poly:
                for a, b in zip(ring, ring[1:]):
                    count[edge(a, b)] = count.get(edge(a, b), 0) + 1
    rings = [r for r in chain(e for e, n in count.items() if n == 1) if r[0] == r[-1] and len(r) >= 4]
    rings.sort(key=lambda r: (-abs(area(r)), r))
    polys: list[list[Ring]] = []
    owner: list[tuple[Ring, list[Ring]]] = []  # every ring placed, with its polygon
    for ring in rings:  # largest first: a ring's container is already placed
        point = label_point(ring, [])
        around = [(r, poly) for r, poly in owner if inside(point, [[r]])]
        if len(around) % 2 == 1:  # inside an odd number of rings: a hole of the innermost outer ring
            poly = min(around, key=lambda o: abs(area(o[0])))[1]
            poly.append(ring)
        else:
            poly = [ring]
            polys.append(poly)
        owner.append((ring, poly))
    return polys


# --- files -----------------------------------------------------------------------------------

def collection(features: list[dict[str, Any]]) -> bytes:
    """A FeatureCollection as compact, byte-stable JSON (one feature a line, for readable diffs)."""
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":"), sort_keys=True) for f in features]
    return ('{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n").encode()


def _read(path: Path) -> list[dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return data["features"] if data.get("type") == "FeatureCollection" else [data]


def feature(properties: dict[str, Any], shape: list[list[Ring]], digits: int) -> dict[str, Any]:
    """A GeoJSON MultiPolygon feature with a label point (`etiquette`) in its largest part."""
    largest = max(shape, key=lambda p: abs(area(p[0])))
    x, y = label_point(largest[0], largest[1:])
    return {"type": "Feature", "properties": {**properties, "etiquette": [round(x, digits), round(y, digits)]},
            "geometry": {"type": "MultiPolygon",
                         "coordinates": [[[list(p) for p in r] for r in poly] for poly in shape]}}


def shape_of(feature: dict[str, Any]) -> list[list[Ring]]:
    return [[[tuple(p) for p in r] for r in poly] for poly in feature["geometry"]["coordinates"]]


def france(source: Path) -> list[dict[str, Any]]:
    """Départements simplified together, then the regions as the union of their départements.

    The source's region outlines only name the regions: a département belongs to the region
    its label point falls in, so region borders are département borders, point for point.
    """
    departments = simplify_layer(sorted(_read(source / DEPARTMENTS), key=lambda f: f["properties"]["code"]),
                                 FRANCE_TOLERANCE, FRANCE_DIGITS)
    regions = sorted(_read(source / REGIONS), key=lambda f: f["properties"]["code"])
    shapes = [[[[tuple(p) for p in r] for r in poly] for poly in polygons(r["geometry"])] for r in regions]
    members: dict[str, list[dict[str, Any]]] = {r["properties"]["code"]: [] for r in regions}
    for d in departments:
        point = tuple(d["properties"]["etiquette"])
        home = next(r for r, s in zip(regions, shapes) if inside(point, s))
        d["properties"] = {"niveau": "departement", "code": d["properties"]["code"], "nom": d["properties"]["nom"],
                           "region": home["properties"]["code"], "etiquette": d["properties"]["etiquette"]}
        members[home["properties"]["code"]].append(d)
    out = []
    for region in regions:
        code = region["properties"]["code"]
        union = dissolve([shape_of(d) for d in members[code]])
        out.append(feature({"niveau": "region", "code": code, "nom": region["properties"]["nom"]}, union,
                           FRANCE_DIGITS))
    return out + departments


def communes(path: Path) -> list[dict[str, Any]]:
    features = sorted(_read(path), key=lambda f: f["properties"]["code"])
    found = simplify_layer(features, COMMUNE_TOLERANCE, COMMUNE_DIGITS)
    for f in found:
        f["properties"] = {"niveau": "commune", "code": f["properties"]["code"], "nom": f["properties"]["nom"],
                           "etiquette": f["properties"]["etiquette"]}
    return found


def make(source: Path, out: Path) -> dict[str, int]:
    """Write france.geojson and the commune files into `out`; returns {file name: bytes}."""
    out.mkdir(parents=True, exist_ok=True)
    written = {"france.geojson": collection(france(source))}
    for department, name in sorted(COMMUNES.items()):
        written[f"communes-{department}.geojson"] = collection(communes(source / name))
    for name, data in written.items():
        (out / name).write_bytes(data)
    return {name: len(data) for name, data in written.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="folder of the Admin Express GeoJSON files")
    parser.add_argument("out", type=Path, help="where to write them (atlas/theme/geo)")
    args = parser.parse_args(argv)
    for name, size in make(args.source, args.out).items():
        print(f"{name}: {size / 1024:.1f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
