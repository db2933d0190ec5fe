"""Checks across entries beyond references: an identifier on two entries, image files that are missing.

Both need the whole atlas (or its folder), which validating one file at a time cannot see.
"""

from __future__ import annotations


from ..model.kinds import Entry
from ..model.problems import Problem

# Identifiers that name one establishment or one legal unit: two entries with the same one are
# the same organisation written twice (a SIREN may be shared: a company's establishments).
UNIQUE_IDENTIFIERS = ("siret", "rna")


def duplicate_identifiers(entries: list[Entry]) -> list[Problem]:
    """The same SIRET (or RNA number) on two entries: an error on each, naming the other file."""
    problems = []
    for name in UNIQUE_IDENTIFIERS:
        owners: dict[str, list[Entry]] = {}
        for entry in entries:
            value = entry.get(name)
            if value:
                owners.setdefault(value, []).append(entry)
        for value, found in owners.items():
            if len(found) < 2:
                continue
            found = sorted(found, key=lambda e: e.path)
            for entry in found:
                others = ", ".join(e.path for e in found if e is not entry)
                problems.append(Problem(entry.path, entry.line(name), name, f"{name.upper()} {value} is also on {others}",
                                        "one organisation, one entry: merge them, or correct the number"))
    return problems
