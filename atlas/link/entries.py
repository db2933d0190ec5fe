"""Checks across entries beyond references: an identifier on two entries, image files that are missing.

Both need the whole atlas (or its folder), which validating one file at a time cannot see.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

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


def image_file(entry_path: str, image: str) -> str:
    """Where an entry's image is, relative to the atlas root: beside the entry, or under assets/."""
    if image.startswith("/assets/"):
        return image.lstrip("/")
    return (PurePosixPath(entry_path).parent / image).as_posix()


def missing_images(entries: list[Entry], root: Path | None) -> list[Problem]:
    """An `image` whose file is not there (the form of the path was checked with the entry)."""
    if root is None:
        return []
    problems = []
    for entry in entries:
        image = entry.get("image")
        if image and not (root / image_file(entry.path, image)).is_file():
            problems.append(Problem(entry.path, entry.line("image"), "image",
                                    f"no file {image_file(entry.path, image)}",
                                    "add the file, or correct its name: letter case counts"))
    return problems
