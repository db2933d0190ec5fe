"""Map outlines: the boundaries the engine ships, and which one a territory's map draws.

The engine ships France's regions and départements and the communes of some départements in
atlas/theme/geo/ (IGN — Admin Express, Licence Ouverte; made by atlas/tools/geodata.py). A
territory is drawn by its INSEE `code` read as its `type` says: a commune, a département or a
région; a `pays` is metropolitan France. A code the shipped data does not have draws nothing
(the map then shows the territory's places). These files are engine data, read once a process.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..link.graph import Atlas
from ..model import deps
from ..model.kinds import Entry
from ..theme import FOLDER as THEME

GEO = THEME / "geo"
CREDIT = "IGN — Admin Express, Licence Ouverte"
Bounds = tuple[float, float, float, float]  # west, south, east, north

# territory type -> the level of the shipped boundaries its code names
LEVEL_OF_TYPE = {"commune": "commune", "departement": "departement", "region": "region"}


@dataclass(frozen=True)
class Outline:
    """The boundary of one territory: what a territory page's map highlights and zooms to."""

    niveau: str  # "commune", "departement", "region" or "pays"
    code: str
    nom: str
    bounds: Bounds
    geometry: dict[str, Any] | None  # a MultiPolygon; None for the whole country (its bounds only)


def department_of(code: str) -> str:
    """The département of a commune's INSEE code: « 59350 » → « 59 », « 2A004 » → « 2A », « 97411 » → « 974 »."""
    return code[:3] if code.startswith("97") else code[:2]


def departments_of_postcode(postcode: str) -> tuple[str, ...]:
    """The départements a postcode may be in (Corsica's « 20 » is both 2A and 2B)."""
    if len(postcode) != 5 or not postcode.isdigit():
        return ()
    if postcode.startswith("20"):
        return ("2A", "2B")
    return (postcode[:3],) if postcode.startswith("97") else (postcode[:2],)


@lru_cache(maxsize=None)
def layer(name: str) -> tuple[dict[str, Any], ...]:
    """The features of a shipped file (`france`, `communes-59`); none when it is not shipped."""
    path = GEO / f"{name}.geojson"
    if not path.is_file():
        return ()
    return tuple(json.loads(path.read_text(encoding="utf-8"))["features"])


def commune_departments() -> tuple[str, ...]:
    """The départements whose communes the engine ships, sorted."""
    return tuple(sorted(p.stem.removeprefix("communes-") for p in GEO.glob("communes-*.geojson")))


def bounds(geometry: dict[str, Any]) -> Bounds:
    xs = [p[0] for poly in geometry["coordinates"] for ring in poly for p in ring]
    ys = [p[1] for poly in geometry["coordinates"] for ring in poly for p in ring]
    return (min(xs), min(ys), max(xs), max(ys))


def find(niveau: str, code: str) -> Outline | None:
    """The shipped boundary of a commune, département or région by INSEE code; France for `pays`."""
    if niveau == "pays":
        regions = [f for f in layer("france") if f["properties"]["niveau"] == "region"]
        if not regions:
            return None
        boxes = [bounds(f["geometry"]) for f in regions]
        box = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
        return Outline("pays", "", "France", box, None)
    features = layer(f"communes-{department_of(code)}") if niveau == "commune" else layer("france")
    for f in features:
        if f["properties"]["niveau"] == niveau and f["properties"]["code"] == code:
            return Outline(niveau, code, f["properties"]["nom"], bounds(f["geometry"]), f["geometry"])
    return None


def level(territory: Entry) -> tuple[str, str] | None:
    """(level, code) a territory is drawn with, from its type and `code`; None when it has neither."""
    type_, code = territory.get("type", ""), str(territory.get("code") or "")
    if type_ == "pays" and not code:
        return ("pays", "")
    if type_ in LEVEL_OF_TYPE and code:
        return (LEVEL_OF_TYPE[type_], code)
    return None


def of_territory(territory: Entry) -> Outline | None:
    """The boundary a territory page outlines and zooms to, when the engine ships it."""
    found = level(territory)
    return find(*found) if found else None


def touched_departments(atlas: Atlas, read: set[str] | None = None) -> list[str]:
    """The départements whose communes the atlas's maps may show (and the engine ships).

    Those of its territories' codes (a commune's, a département's own), and those of the
    postcodes of its places and actors, so a place page shows its commune's neighbours. `read`
    gets the dependencies: which of those entries exist, and these fields of theirs.
    """
    shipped = set(commune_departments())
    found: set[str] = set()
    seen = read if read is not None else set()  # one pass: the fields are recorded as they are read
    seen.update(deps.kind_list(kind) for kind in ("territories", "places", "actors"))
    for territory in atlas.by_kind.get("territories", []):
        seen.update(deps.field("territories", territory.slug, name) for name in ("type", "code"))
        drawn = level(territory)
        if drawn and drawn[0] == "commune":
            found.add(department_of(drawn[1]))
        elif drawn and drawn[0] == "departement":
            found.add(drawn[1])
    for kind in ("places", "actors"):
        for entry in atlas.by_kind.get(kind, []):
            seen.add(deps.field(kind, entry.slug, "postcode"))
            found.update(departments_of_postcode(str(entry.get("postcode") or "")))
    return sorted(found & shipped)
