"""Duplicates: the same SIRET or RNA is the same structure; a close name nearby is a potential duplicate.

Names are compared folded (accents, case, punctuation and articles aside: « Les Petites Cantines »
= « petites cantines (les) »), with rapidfuzz's token-sort ratio, their numbers equal, among the entries and rows that
share the postcode or lie within 200 m; candidates come from a postcode index and a grid of
~250 m cells, so matching 10,000 rows costs what their neighbourhoods hold, not 10,000².
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process

from . import values as v
from .position import distance_m

SIMILAR = 90  # token-sort ratio from which two names are « the same name » (0–100)
NEAR_M = 200  # metres within which two positions are « the same place »
CELL = 0.0025  # degrees of latitude per grid cell (~280 m), so neighbours within NEAR_M are in the 3×3 block
_ARTICLES = re.compile(r"\b(?:le|la|les|l|un|une|des|the)\b")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class Ref:
    """An entry or a row something may duplicate: its name and where it is (a file or a row)."""

    title: str
    where: str  # 'content/actors/x.md' or 'ligne 12'
    ident: str = ""


@dataclass(frozen=True)
class Match:
    """What a row duplicates, and why (« même SIRET », « même code postal 59000 », « à 40 m »)."""

    ref: Ref
    reason: str
    certain: bool  # same identifier: the same structure, not a guess


def name_key(title: str) -> str:
    """The name as compared: folded, without punctuation and articles."""
    return " ".join(_ARTICLES.sub(" ", _NOT_WORD.sub(" ", v.fold(title).replace("'", " "))).split())


def _numbers(key: str) -> list[str]:
    """The numbers of a name: « Restos du cœur 12 » and « … 13 » are two places, however close."""
    return _DIGITS.findall(key)


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return math.floor(lat / CELL), math.floor(lon / (CELL / max(0.2, math.cos(math.radians(lat)))))


class Matcher:
    """An index of the entries and rows seen so far, for `find` to look up a new row in."""

    def __init__(self) -> None:
        self.ids: dict[tuple[str, str], Ref] = {}  # ('siret', '…') -> ref
        self.by_postcode: dict[str, tuple[list[str], list[Ref]]] = defaultdict(lambda: ([], []))
        self.by_cell: dict[tuple[int, int], list[tuple[str, Ref, float, float]]] = defaultdict(list)

    def add(self, fields: dict[str, Any], ref: Ref) -> None:
        for name in ("siret", "rna"):
            if fields.get(name):
                self.ids.setdefault((name, str(fields[name])), ref)
        key = name_key(str(fields.get("title", "")))
        if fields.get("postcode"):
            keys, refs = self.by_postcode[str(fields["postcode"])]
            keys.append(key)
            refs.append(ref)
        geo = fields.get("geo")
        if isinstance(geo, dict) and isinstance(geo.get("lat"), (int, float)) and isinstance(geo.get("lon"), (int, float)):
            self.by_cell[_cell(geo["lat"], geo["lon"])].append((key, ref, geo["lat"], geo["lon"]))

    def find(self, fields: dict[str, Any]) -> Match | None:
        """The entry or row this one is (same identifier) or may be (close name, same place)."""
        for name, label in (("siret", "même SIRET"), ("rna", "même numéro RNA")):
            if fields.get(name) and (name, str(fields[name])) in self.ids:
                return Match(self.ids[(name, str(fields[name]))], f"{label} {fields[name]}", True)
        key = name_key(str(fields.get("title", "")))
        if not key:
            return None
        postcode = str(fields.get("postcode") or "")
        if postcode in self.by_postcode:
            keys, refs = self.by_postcode[postcode]
            for _, _, index in process.extract(key, keys, scorer=fuzz.token_sort_ratio, score_cutoff=SIMILAR,
                                               processor=None, limit=5):
                if _numbers(keys[index]) == _numbers(key):
                    return Match(refs[index], f"nom proche, même code postal {postcode}", False)
        geo = fields.get("geo")
        if isinstance(geo, dict):
            row, col = _cell(geo["lat"], geo["lon"])
            for dr in (-1, 0, 1):
                for dc in (-1, 0, 1):
                    for other, ref, lat, lon in self.by_cell.get((row + dr, col + dc), ()):
                        metres = distance_m(geo["lat"], geo["lon"], lat, lon)
                        if (metres < NEAR_M and fuzz.token_sort_ratio(key, other, processor=None) >= SIMILAR
                                and _numbers(other) == _numbers(key)):
                            return Match(ref, f"nom proche, à {metres:.0f} m", False)
        return None
