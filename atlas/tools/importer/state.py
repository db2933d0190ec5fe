"""imports/<source>.yaml: what the last import of a source wrote, so a re-import knows what people edited.

One line per entry, keyed by the row's identity in the source (its own id, its SIRET, or a hash of
name and postcode), holding the entry's file, the fields as last imported and a digest of the body
as last imported. A field whose current value differs from the one recorded was edited by a
person since: `--update` keeps it. The file is committed with the atlas; it is rewritten only when
an import changes something, in a stable order, so a re-import that changes nothing changes no byte.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...read.source import parse_yaml
from .yamltext import inline, scalar

FOLDER = "imports"


@dataclass
class Record:
    """One entry as last imported: its file, its imported fields and the digest of its body."""

    file: str
    fields: dict[str, Any]
    body: str  # digest of the body as imported ('' when the import gave none)

    def line(self) -> str:
        return inline({"file": self.file, "fields": self.fields, "body": self.body})


@dataclass
class State:
    """Every entry one source created, by its identity in the source."""

    source: str
    title: str = ""
    url: str = ""
    kind: str = "actors"
    imported: str = ""  # date of the last import that changed something
    entries: dict[str, Record] = field(default_factory=dict)
    exists: bool = False


def path_of(root: Path, source: str) -> Path:
    return root / FOLDER / f"{source}.yaml"


def body_digest(body: str) -> str:
    """The digest a body is compared by: its text without surrounding blank lines."""
    text = body.strip()
    return hashlib.blake2b(text.encode("utf-8"), digest_size=10).hexdigest() if text else ""


def load_state(root: Path, source: str) -> State:
    """The recorded state of a source, or an empty one when it was never imported."""
    path = path_of(root, source)
    if not path.is_file():
        return State(source)
    problems: list = []
    data, _, _ = parse_yaml(path.read_text(encoding="utf-8"), str(path), 0, problems)
    if problems:
        raise ValueError(f"{path}: {problems[0].message} (line {problems[0].line})")
    entries = {str(key): Record(str(rec.get("file", "")), dict(rec.get("fields") or {}), str(rec.get("body") or ""))
               for key, rec in (data.get("entries") or {}).items() if isinstance(rec, dict)}
    return State(source, str(data.get("title") or ""), str(data.get("url") or ""), str(data.get("kind") or "actors"),
                 str(data.get("imported") or ""), entries, exists=True)


def dump_state(state: State) -> str:
    """The file's text: a French header, the source's facts, then one entry a line, sorted by identity."""
    lines = [f"# État du dernier import de la source « {state.title or state.source} », écrit par",
             "# build.py import --update : ne le modifiez pas à la main (voir CONTRIBUTING.md, « Importer »).",
             f"source: {scalar(state.source)}",
             f"title: {scalar(state.title)}",
             f"url: {scalar(state.url)}",
             f"kind: {state.kind}",
             f"imported: {scalar(state.imported)}",
             "entries:" if state.entries else "entries: {}"]
    lines += [f"  {scalar(key)}: {state.entries[key].line()}" for key in sorted(state.entries)]
    return "\n".join(lines) + "\n"


def save_state(root: Path, state: State, today: dt.date) -> bool:
    """Write the state if its text changed (the date changes only with it); True when written."""
    path = path_of(root, state.source)
    old = path.read_text(encoding="utf-8") if path.is_file() else None
    previous = state.imported
    state.imported = previous or today.isoformat()
    if old is not None and dump_state(state) == old:
        return False
    state.imported = today.isoformat()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".yaml.tmp")
    tmp.write_text(dump_state(state), encoding="utf-8")
    os.replace(tmp, path)
    return True
