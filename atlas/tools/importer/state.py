"""imports/<source>.yaml: what the last import of a source wrote, so a re-import knows what people edited.

One line per entry, keyed by the row's identity in the source (its own id, its SIRET, or a hash of
name and postcode), holding the entry's file, the fields as last imported, a digest of the body
as last imported and a digest of the file as the import left it (a file still equal to it was
not touched since: it need not be read again). Each entry line is a JSON object (JSON is YAML's
flow style), read back line by line, exactly, whatever the values. A field whose current value differs from the one recorded was edited by a
person since: `--update` keeps it. The file is committed with the atlas; it is rewritten only when
an import changes something, in a stable order, so a re-import that changes nothing changes no byte.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


FOLDER = "imports"


@dataclass
class Record:
    """One entry as last imported: its file, its imported fields, digests of its body and file."""

    file: str
    fields: dict[str, Any]
    body: str  # digest of the body as imported ('' when the import gave none)
    digest: str = ""  # digest of the file's bytes as the import wrote them

    def line(self) -> str:
        return json.dumps({"file": self.file, "fields": self.fields, "body": self.body, "digest": self.digest},
                          ensure_ascii=False)


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


def file_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=12).hexdigest()


def body_digest(body: str) -> str:
    """The digest a body is compared by: its text without surrounding blank lines."""
    text = body.strip()
    return hashlib.blake2b(text.encode("utf-8"), digest_size=10).hexdigest() if text else ""


def load_state(root: Path, source: str) -> State:
    """The recorded state of a source, or an empty one when it was never imported."""
    path = path_of(root, source)
    if not path.is_file():
        return State(source)
    head: dict[str, Any] = {}
    entries: dict[str, Record] = {}
    decoder = json.JSONDecoder()
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        try:
            if line.startswith("  "):
                key, end = decoder.raw_decode(line, 2)
                record, _ = decoder.raw_decode(line, end + 2)
                entries[str(key)] = Record(record["file"], record["fields"], record["body"], record.get("digest", ""))
            elif line and not line.startswith("#") and ":" in line:
                name, _, value = line.partition(":")
                head[name] = json.loads(value) if value.strip() else None
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{number}: état illisible ({exc}) ; restaurez-le depuis git") from None
    return State(source, str(head.get("title") or ""), str(head.get("url") or ""), str(head.get("kind") or "actors"),
                 str(head.get("imported") or ""), entries, exists=True)


def dump_state(state: State) -> str:
    """The file's text: a French header, the source's facts, then one entry a line, sorted by identity."""
    lines = [f"# État du dernier import de la source « {state.title or state.source} », écrit par",
             "# build.py import --update : ne le modifiez pas à la main (voir CONTRIBUTING.md, « Importer »).",
             f"source: {json.dumps(state.source)}",
             f"title: {json.dumps(state.title, ensure_ascii=False)}",
             f"url: {json.dumps(state.url, ensure_ascii=False)}",
             f"kind: {json.dumps(state.kind)}",
             f"imported: {json.dumps(state.imported)}",
             "entries:" if state.entries else "entries: {}"]
    lines += [f"  {json.dumps(key, ensure_ascii=False)}: {state.entries[key].line()}" for key in sorted(state.entries)]
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
