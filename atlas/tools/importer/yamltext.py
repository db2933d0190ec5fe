"""Front matter written as a person writes it, and edited field by field without touching the rest.

Invariant: every value written here reads back, with the project's own YAML reader, as exactly
the value given (a string stays a string: « 59000 », « oui », « =SOMME(A1) », « 2024-01-01 » are
quoted; plain text stays plain). An edit replaces only the lines of the fields it changes, so
comments, the order and the layout a person gave the rest of the file are kept byte for byte.
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any

import yaml

from ...model.kinds import SCHEMAS
from .columns import NEW_FIELDS

_RESOLVER = yaml.resolver.Resolver()
# Plain when it starts with a letter or digit and holds nothing YAML reads as structure (no ', ',
# brackets, braces, quotes; ':' and '#' only inside a word, as in URLs).
_PLAIN = re.compile(r"^[^\W_][\w .'’/()+«»\u00a0:#?=&%~@!*$;-]*(?<![ \u00a0:])$")
_STRUCTURE = re.compile(r": | #|:$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_STR = "tag:yaml.org,2002:str"
_WORDS = {"yes", "no", "true", "false", "on", "off", "null", "y", "n"}
_KEY_LINE = re.compile(r"^([A-Za-z_][\w-]*)\s*:")
DELETE = object()  # an edit that removes the field
# Where the fields of FIELDS.md go while the model does not declare them yet: after the kind's type.
_NEW_ORDER = ("address", "postcode", "city", "geo", "siret", "siren", "rna", "email", "phone", "social",
              "opening_hours", "accessibility", "accessibility_url")


def scalar(value: Any) -> str:
    """One YAML scalar: plain when it reads back as this very text, else double-quoted (JSON rules)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and "e" in repr(value):  # 1e-05 would read back as text
        text = f"{value:.7f}".rstrip("0")
        return text + "0" if text.endswith(".") else text
    if isinstance(value, (int, float)):
        return json.dumps(value)
    text = str(value)
    if _PLAIN.match(text) and not _STRUCTURE.search(text):
        if text[0].isalpha() and text.lower() not in _WORDS:
            return text  # YAML's implicit types starting with a letter are only these words
        tag = _RESOLVER.resolve(yaml.ScalarNode, text, (True, False))
        if tag == _STR or (_DATE.match(text) and tag.endswith(":timestamp")):  # the reader keeps dates as text
            return text
    return json.dumps(text, ensure_ascii=False)


def inline(value: Any) -> str:
    """A value on one line: scalars, [lists] and {mappings}."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {inline(x)}" for k, x in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(inline(x) for x in value) + "]"
    return scalar(value)


def field_lines(name: str, value: Any) -> list[str]:
    """`name: value` lines; a list of mappings (sources) as a block, one mapping a line."""
    if isinstance(value, (list, tuple)) and value and all(isinstance(x, dict) for x in value):
        return [f"{name}:"] + [f"  - {inline(x)}" for x in value]
    return [f"{name}: {inline(value)}"]


@functools.lru_cache(maxsize=None)
def field_order(kind: str) -> tuple[str, ...]:
    """The fields in the order `build.py new` writes them; FIELDS.md's not yet declared after `type`."""
    declared = [f.name for f in SCHEMAS[kind]]
    missing = [n for n in _NEW_ORDER if n not in declared and kind in NEW_FIELDS.get(n, ())]
    at = declared.index("type") + 1 if "type" in declared else len(declared)
    order = declared[:at] + missing + declared[at:]
    return tuple(order + ([] if "origin" in order else ["origin"]))


@functools.lru_cache(maxsize=None)
def _rank(kind: str) -> dict[str, int]:
    return {name: i for i, name in enumerate(field_order(kind))}


def render_entry(kind: str, values: dict[str, Any], body: str) -> str:
    """A new entry file: the fields in `new`'s order, the body after the closing '---'."""
    rank = _rank(kind)
    lines = ["---"]
    for name in sorted(values, key=lambda n: rank.get(n, len(rank))):
        lines += field_lines(name, values[name])
    lines.append("---")
    text = "\n".join(lines) + "\n"
    return text + ("\n" + body.strip() + "\n" if body.strip() else "")


def split(text: str) -> tuple[list[str], list[str]]:
    """(front matter lines, body lines) of an entry written with '---' fences."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        raise ValueError("no front matter")
    for i in range(1, len(lines)):
        if lines[i].rstrip() == "---":
            return lines[1:i], lines[i + 1:]
    raise ValueError("front matter is not closed")


def _blocks(front: list[str]) -> list[tuple[str | None, list[str]]]:
    """Front matter as (field name or None, its lines); a field's trailing comments go with the next."""
    blocks: list[tuple[str | None, list[str]]] = [(None, [])]
    for line in front:
        found = _KEY_LINE.match(line)
        if found:
            blocks.append((found.group(1), [line]))
        else:
            blocks[-1][1].append(line)
    out: list[tuple[str | None, list[str]]] = []
    for name, lines in blocks:  # move trailing blank and comment lines to a block of their own
        keep = len(lines)
        while keep > 1 and (not lines[keep - 1].strip() or lines[keep - 1].lstrip().startswith("#")):
            keep -= 1
        out.append((name, lines[:keep]))
        if lines[keep:]:
            out.append((None, lines[keep:]))
    return out


def edit(text: str, kind: str, changes: dict[str, Any], body: str | None = None) -> str:
    """The file with only the changed fields rewritten (DELETE removes one) and, if given, the body."""
    front, rest = split(text)
    blocks = _blocks(front)
    rank = _rank(kind)
    present = {name for name, _ in blocks if name}
    for name, value in changes.items():
        if name in present:
            index = next(i for i, (n, _) in enumerate(blocks) if n == name)
            if value is DELETE:
                del blocks[index]
            else:
                blocks[index] = (name, field_lines(name, value))
        elif value is not DELETE:
            blocks.insert(_insert_at(blocks, name, rank), (name, field_lines(name, value)))
            present.add(name)
    lines = ["---"] + [line for _, chunk in blocks for line in chunk] + ["---"]
    if body is None:
        return "\n".join(lines + rest)
    return "\n".join(lines) + "\n" + ("\n" + body.strip() + "\n" if body.strip() else "")


def _insert_at(blocks: list[tuple[str | None, list[str]]], name: str, rank: dict[str, int]) -> int:
    """Before the first present field that comes after `name` in the kind's order, else at the end."""
    mine = rank.get(name, len(rank))
    for i, (other, _) in enumerate(blocks):
        if other and rank.get(other, len(rank)) > mine:
            return i
    last = max((i for i, (other, _) in enumerate(blocks) if other), default=len(blocks) - 1)
    return last + 1
