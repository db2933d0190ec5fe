"""Entry files from candidates: the text of a new entry, the edit of an imported one, the model's check.

A new entry holds the row's fields, `sources:` citing the import (title, URL when given, the row's
own date, `accessed:` the import date), `updated:` the import date and `origin:` (source, id);
an updated one gets the merged fields, and `updated:` and its citation refreshed only when
something changed. Before anything is written, each text goes through the project's own reader
and validator, so a value the model refuses is the row's error, not a broken build.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from ...model.kinds import field_map
from ...model.problems import Problem
from ...read.source import RawEntry, slugify
from ...read.validate import validate
from .columns import NEW_FIELDS
from .sync import Merge
from .yamltext import edit

SLUG_MAX = 80  # characters: file names stay well under the file system's 255 bytes


def citation(title: str, url: str, cite: dict[str, str], today: dt.date) -> dict[str, str]:
    """The source item an imported entry cites: the row's own page and date when the file gives them."""
    item = {"title": title}
    if cite.get("url") or url:
        item["url"] = cite.get("url") or url
    if cite.get("date"):
        item["date"] = cite["date"]
    item["accessed"] = today.isoformat()
    return item


def new_values(fields: dict[str, Any], source: str, ident: str, cited: dict[str, str], today: dt.date
               ) -> dict[str, Any]:
    """Front matter of a new entry: the row's fields and the import's bookkeeping."""
    return {**fields, "sources": [cited], "updated": today.isoformat(), "origin": {"source": source, "id": ident}}


def unique_slug(title: str, kind: str, taken: set[str]) -> str:
    """The slug of the title, made unique with -2, -3… against every file of the kind (any extension)."""
    base = slugify(title)[:SLUG_MAX].rstrip("-") or "fiche"
    slug, n = base, 2
    while f"{kind}/{slug}" in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(f"{kind}/{slug}")
    return slug


def model_problems(kind: str, slug: str, values: dict[str, Any], body: str) -> list[Problem]:
    """What the content model says about an entry's values (as its text reads back: yamltext's
    invariant), FIELDS.md's fields apart until the model declares them (values.py checks them)."""
    declared = field_map(kind)
    data = {k: x for k, x in values.items() if k in declared or k not in NEW_FIELDS}  # validate reads only
    raw = RawEntry(kind, slug, f"content/{kind}/{slug}.md", data, {}, {}, body, 1, "")
    return validate(raw)[1]


def update_text(text: str, kind: str, merge: Merge, cited: dict[str, str], current: dict[str, Any],
                today: dt.date) -> str:
    """An imported entry's file after a merge: its changes, `updated:` and the citation refreshed."""
    changes = dict(merge.changes)
    changes["updated"] = today.isoformat()
    sources = current.get("sources")
    if isinstance(sources, list):
        items = [s for s in sources if isinstance(s, dict)]
        if len(items) == len(sources):
            titles = [s.get("title") for s in items]
            if cited["title"] in titles:
                items[titles.index(cited["title"])] = cited
            else:
                items.append(cited)
            changes["sources"] = items
    elif sources is None:
        changes["sources"] = [cited]
    return edit(text, kind, changes, merge.body)


def write_new(path: Path, data: bytes) -> None:
    """Create the file; never overwrite one (O_EXCL: a file that appeared since the check is kept)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)


def write_over(path: Path, data: bytes) -> None:
    path.write_bytes(data)

