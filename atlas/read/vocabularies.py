"""The `types:` and `fields:` settings, read with the line of every value and checked.

Each may be written in atlas.yaml itself or in a YAML file that atlas.yaml names
(`types: vocabulaire.yaml`, relative to the atlas folder), so that a long vocabulary stays
apart from the site's other settings. Problems name that file and the line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..model.problems import AtlasError, Problem
from ..model.vocabulary import problems
from .source import parse_yaml

SETTINGS_FILE = "atlas.yaml"


def resolve(root: Path, site: dict[str, Any]) -> None:
    """Replace file names in site['types'] / site['fields'] by their content; AtlasError listing
    every problem (file:line: setting: message (hint)) when they are not right."""
    found: list[Problem] = []
    main_lines = _lines(root / SETTINGS_FILE)
    for key in ("types", "fields"):
        value = site.get(key) or {}
        lines, rel, prefix = main_lines, SETTINGS_FILE, key
        if isinstance(value, str):  # the name of a file of its own
            value, lines = _read(root, value, main_lines.get(key, 1), found)
            rel, prefix = site[key], ""
        types, fields = (value, {}) if key == "types" else ({}, value)
        found += problems(types, fields, lines, rel, (prefix, prefix))
        site[key] = value
    if found:
        raise AtlasError("\n".join(p.format() for p in sorted(found)))


def _lines(path: Path) -> dict[str, int]:
    """The line of every setting of atlas.yaml (its syntax is config.load's to judge)."""
    try:
        return parse_yaml(path.read_text(encoding="utf-8"), path.name, 0, [])[1]
    except (OSError, UnicodeDecodeError):
        return {}


def _read(root: Path, rel: str, named_at: int, found: list[Problem]) -> tuple[Any, dict[str, int]]:
    """A YAML mapping with the line of every value; problems when it cannot be read."""
    path = (root / rel).resolve()
    if not path.is_relative_to(root.resolve()):
        found.append(Problem(SETTINGS_FILE, named_at, "", f"'{rel}' is outside the atlas folder",
                             "name a file inside it, e.g. vocabulaire.yaml"))
        return {}, {}
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        found.append(Problem(SETTINGS_FILE, named_at, "", f"'{rel}' is named here but does not exist",
                             "create it, or write the settings in atlas.yaml"))
        return {}, {}
    except (OSError, UnicodeDecodeError) as exc:
        found.append(Problem(rel, 1, "", f"cannot read: {exc}"))
        return {}, {}
    values, lines, _ = parse_yaml(text, rel, 0, found)
    return values, lines
