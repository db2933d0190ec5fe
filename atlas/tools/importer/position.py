"""Positions: in range, in France, or swapped; and the distance duplicate matching uses."""

from __future__ import annotations

import math
from dataclasses import dataclass

# (south, north, west, east) of metropolitan France with Corsica, and of the overseas départements,
# by the first digits of their postcodes: generous boxes, for telling a swap from a real position.
BOXES: dict[str, tuple[float, float, float, float]] = {
    "": (41.2, 51.2, -5.3, 9.7),
    "971": (15.8, 16.6, -61.9, -60.9),  # Guadeloupe
    "972": (14.3, 14.9, -61.3, -60.7),  # Martinique
    "973": (2.0, 5.9, -54.7, -51.5),  # Guyane
    "974": (-21.5, -20.8, 55.1, 55.9),  # La Réunion
    "976": (-13.1, -12.6, 44.9, 45.4),  # Mayotte
}


@dataclass(frozen=True)
class Checked:
    """A position after checking: the one to write (or None), and what to tell the reader."""

    lat: float | None
    lon: float | None
    message: str = ""  # French, empty when nothing is to be said
    error: bool = False


def _box(postcode: str) -> tuple[float, float, float, float]:
    return BOXES.get(postcode[:3], BOXES[""]) if postcode else BOXES[""]


def inside(lat: float, lon: float, box: tuple[float, float, float, float]) -> bool:
    south, north, west, east = box
    return south <= lat <= north and west <= lon <= east


def in_france(lat: float, lon: float) -> bool:
    return any(inside(lat, lon, box) for box in BOXES.values())


def check_position(lat: float, lon: float, postcode: str) -> Checked:
    """Range, then France: a position swapped on a French address is put right and said so."""
    if lat == 0 and lon == 0:
        return Checked(None, None, "position 0, 0 (valeur par défaut d'un export) : ignorée")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        if -90 <= lon <= 90 and -180 <= lat <= 180 and in_france(lon, lat):
            return Checked(round(lon, 6), round(lat, 6), f"latitude et longitude inversées ({_fr(lat)}, "
                           f"{_fr(lon)}) : remises dans l'ordre")
        return Checked(None, None, f"position {_fr(lat)}, {_fr(lon)} hors des limites (latitude -90 à 90, "
                       "longitude -180 à 180)", error=True)
    box = _box(postcode)
    if inside(lat, lon, box) or (not postcode and in_france(lat, lon)):
        return Checked(round(lat, 6), round(lon, 6))
    if inside(lon, lat, box) or (not postcode and in_france(lon, lat)):
        return Checked(round(lon, 6), round(lat, 6), f"latitude et longitude inversées ({_fr(lat)}, {_fr(lon)}) : "
                       "remises dans l'ordre")
    if postcode:
        return Checked(None, None, f"position {_fr(lat)}, {_fr(lon)} hors de France pour le code postal "
                       f"{postcode}", error=True)
    return Checked(round(lat, 6), round(lon, 6))


def _fr(number: float) -> str:
    """A number as a French spreadsheet writes it: decimal comma."""
    return f"{number:g}".replace(".", ",")


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(min(1.0, a)))
