"""What the tests expect, read straight from content/ with PyYAML (not through the generator).

Expectations are computed from the real files so the tests follow the atlas as it grows.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

CONTENT = Path(__file__).resolve().parent.parent / "content"
KINDS = ("actors", "places", "programmes", "territories", "themes")


def front_matter(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    if path.suffix in (".yaml", ".yml"):
        return yaml.safe_load(text) or {}
    return yaml.safe_load(text.split("\n---", 1)[0].removeprefix("---")) or {}


@lru_cache(maxsize=None)
def entries(kind: str) -> dict[str, dict[str, Any]]:
    """slug -> front matter of the published (non-draft) entries of a kind."""
    found = {}
    for path in sorted((CONTENT / kind).glob("*")):
        if path.suffix in (".md", ".yaml", ".yml"):
            data = front_matter(path)
            if not data.get("draft"):
                found[path.stem] = data
    return found


@lru_cache(maxsize=None)
def body(kind: str, slug: str) -> str:
    """The Markdown body of an entry, as written (after the front matter)."""
    for suffix in (".md", ".yaml", ".yml"):
        path = CONTENT / kind / f"{slug}{suffix}"
        if path.exists():
            if suffix != ".md":
                return str(front_matter(path).get("body") or "")
            return path.read_text(encoding="utf-8").split("\n---", 1)[1].split("\n", 1)[1]
    raise KeyError(f"{kind}/{slug}")


def first_paragraph_text(kind: str, slug: str) -> str:
    """The body's first paragraph as a reader sees it: link texts without their targets, no
    emphasis marks, spaces collapsed. Paragraphs with an empty link text (whose text the
    generator takes from the target) are passed over."""
    for para in body(kind, slug).strip().split("\n\n"):
        if re.search(r"\[\]\(", para) or para.lstrip().startswith(("#", "-", "*", ">", "|", "<")):
            continue
        text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", para)
        text = re.sub(r"(\*\*|__|\*|`)", "", text)
        return " ".join(text.split())
    return ""


def listed(value: Any) -> list[str]:
    return [] if not value else [value] if isinstance(value, str) else list(value)


def chain(kind: str, slug: str) -> list[str]:
    """A territory or theme and its ancestors."""
    found: list[str] = []
    while slug and slug not in found and slug in entries(kind):
        found.append(slug)
        slug = entries(kind)[slug].get("parent") or ""
    return found


def geolocated() -> dict[str, dict[str, Any]]:
    return {slug: data for slug, data in entries("places").items() if data.get("geo")}


def with_theme(kind: str, theme: str) -> set[str]:
    """Slugs of the entries of `kind` classified under `theme` or one of its sub-themes."""
    return {slug for slug, data in entries(kind).items()
            if any(theme in chain("themes", t) for t in listed(data.get("themes")))}
