"""Raw entry -> Entry and problems, by the schema of its kind. Never raises on bad content."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any, Callable
from urllib.parse import urlsplit

from ..model.kinds import LINK_PREFIX, SCHEMAS, SLUG_PATTERN, Entry, Field, field_map
from ..model.problems import WARNING, Problem, closest
from .source import RawEntry

_SLUG = re.compile(SLUG_PATTERN)
_SPACE = re.compile(r"\s")
# [text](acteur:slug) in Markdown bodies; the target may carry a #fragment.
CROSS_LINK = re.compile(r"\]\(\s*<?(" + "|".join(LINK_PREFIX) + r"):([^)\s>#]*)(#[^)\s>]*)?>?\s*\)")
URL_SCHEMES = ("http", "https", "mailto")


class Invalid(Exception):
    """A value that breaks its field's type; carries the message and hint."""

    def __init__(self, message: str, hint: str = "", path: str = "") -> None:
        super().__init__(message)
        self.message, self.hint, self.path = message, hint, path


def validate(raw: RawEntry) -> tuple[Entry | None, list[Problem]]:
    """Check every field of a raw entry against its kind's schema; None when it could not be read."""
    problems = list(raw.problems)
    if any(p.severity != WARNING for p in raw.problems):
        return None, problems
    schema = field_map(raw.kind)
    values: dict[str, Any] = {}
    for name, value in raw.data.items():
        name = str(name)
        spec = schema.get(name)
        if spec is None:
            hint = closest(name, schema) or "allowed: " + ", ".join(schema)
            problems.append(Problem(raw.path, raw.lines.get(name, 1), name, "unknown field", hint, WARNING))
            continue
        if value is None or value == "" or value == []:
            continue  # an empty field is an absent field
        try:
            values[name] = CHECKERS[spec.type](value, spec, raw, name)
        except Invalid as exc:
            where = exc.path or name
            problems.append(Problem(raw.path, _line(raw, where), where, exc.message, exc.hint))
    for spec in SCHEMAS[raw.kind]:
        if spec.required and spec.name not in values and not any(p.field == spec.name for p in problems):
            problems.append(Problem(raw.path, 1, spec.name, f"missing required field '{spec.name}'",
                                    f"add '{spec.name}: ...' to the front matter"))
    # An entry with a bad field still takes part in linking (with its valid fields), so that the
    # entries pointing at it are not buried under « unknown » errors; its own errors fail the build.
    values.setdefault("title", raw.slug)
    entry = Entry(raw.kind, raw.slug, raw.path, values, raw.lines, raw.body, raw.body_line, raw.digest,
                  cross_links(raw.body, raw.body_line))
    return entry, problems


def cross_links(body: str, body_line: int) -> tuple[tuple[str, str, int], ...]:
    """Every `[text](acteur:slug)` of a body, with its kind, slug and line in the file."""
    if ":" not in body:
        return ()
    return tuple((LINK_PREFIX[m.group(1)], m.group(2), body_line + body.count("\n", 0, m.start()))
                 for m in CROSS_LINK.finditer(body))


def _line(raw: RawEntry, path: str) -> int:
    while path:
        if path in raw.lines:
            return raw.lines[path]
        path = path.rpartition(".")[0]
    return 1


def _type_name(value: Any) -> str:
    return {str: "text", int: "a number", float: "a number", bool: "true/false", list: "a list",
            dict: "a mapping"}.get(type(value), type(value).__name__)


def check_str(value: Any, spec: Field, raw: RawEntry, path: str) -> str:
    if isinstance(value, str):
        text = value
    elif path in raw.raw:  # YAML read `no`, `1984` or `3.0` as non-text: keep what was written
        text = raw.raw[path]
    else:
        raise Invalid(f"expected text, got {_type_name(value)}", "write it on one line after the colon")
    text = text.strip()
    if spec.type == "str" and "\n" in text:
        raise Invalid("expected a single line of text", "remove the line breaks")
    if len(text) > 2000:
        raise Invalid(f"text is {len(text)} characters long, over 2000", "move details to the body")
    return text


def check_url(value: Any, spec: Field, raw: RawEntry, path: str) -> str:
    text = check_str(value, spec, raw, path)
    parts = urlsplit(text)
    if parts.scheme.lower() not in URL_SCHEMES:
        raise Invalid(f"'{text}' is not an http, https or mailto URL", "write the full address, https://…")
    if parts.scheme.lower() != "mailto" and not parts.netloc:
        raise Invalid(f"'{text}' has no host name", "write the full address, https://…")
    if _SPACE.search(text):
        raise Invalid(f"'{text}' contains spaces", "encode spaces as %20")
    return text


def check_date(value: Any, spec: Field, raw: RawEntry, path: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10]) if re.match(r"^\d{4}-\d{2}-\d{2}$", text) else _bad_date(text)
    except ValueError:
        return _bad_date(text)


def _bad_date(text: str) -> dt.date:
    raise Invalid(f"'{text}' is not a valid date", "write it as YYYY-MM-DD, e.g. 2024-01-31")


def check_int(value: Any, spec: Field, raw: RawEntry, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        hint = "write digits only, without spaces or units" if isinstance(value, str) else ""
        raise Invalid(f"expected a whole number, got {_type_name(value)} '{value}'", hint)
    if value < 0:
        raise Invalid(f"expected a positive number, got {value}")
    return value


def check_year(value: Any, spec: Field, raw: RawEntry, path: str) -> int:
    year = check_int(value, spec, raw, path)
    if not 1000 <= year <= 2100:
        raise Invalid(f"'{year}' is not a plausible year", "write a four-digit year")
    return year


def check_number(value: Any, spec: Field, raw: RawEntry, path: str) -> float | int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise Invalid(f"expected a number, got {_type_name(value)} '{value}'",
                      "write digits only: 66100000, not '66,1 M€'")
    if value < 0:
        raise Invalid(f"expected a positive number, got {value}")
    return value


def check_bool(value: Any, spec: Field, raw: RawEntry, path: str) -> bool:
    if not isinstance(value, bool):
        raise Invalid(f"expected true or false, got '{value}'")
    return value


def check_enum(value: Any, spec: Field, raw: RawEntry, path: str) -> str:
    text = check_str(value, spec, raw, path)
    if text not in spec.choices:
        raise Invalid(f"unknown {spec.name} '{text}'",
                      closest(text, spec.choices) or "one of " + ", ".join(spec.choices))
    return text


def check_slug(value: Any, spec: Field, raw: RawEntry, path: str) -> str:
    text = check_str(value, spec, raw, path)
    if not _SLUG.match(text):
        raise Invalid(f"'{text}' is not a slug", "lowercase ASCII letters, digits and dashes, "
                      "the file name without extension")
    return text


def check_refs(value: Any, spec: Field, raw: RawEntry, path: str) -> tuple[str, ...]:
    if isinstance(value, str):
        raise Invalid(f"expected a list, got text '{value}'", f"write [{value}]")
    if not isinstance(value, list):
        raise Invalid(f"expected a list of slugs, got {_type_name(value)}")
    seen: dict[str, None] = {}  # ordered, and O(1) membership: a list would be quadratic
    for i, item in enumerate(value):
        slug = _item(check_slug, item, spec, raw, f"{path}.{i}")
        if slug in seen:
            raise Invalid(f"'{slug}' is listed twice", "remove the duplicate", f"{path}.{i}")
        seen[slug] = None
    return tuple(seen)


def check_strs(value: Any, spec: Field, raw: RawEntry, path: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise Invalid(f"expected a list of lines, got {_type_name(value)}")
    return tuple(_item(check_str, item, spec, raw, f"{path}.{i}") for i, item in enumerate(value))


def _item(checker: Callable[[Any, Field, RawEntry, str], Any], value: Any, spec: Field, raw: RawEntry,
          path: str) -> Any:
    """Check one item of a list; a problem is reported at the item's own line, not the list's."""
    try:
        return checker(value, spec, raw, path)
    except Invalid as exc:
        exc.path = exc.path or path
        raise


def check_geo(value: Any, spec: Field, raw: RawEntry, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Invalid(f"expected {{lat, lon}}, got {_type_name(value)}", "write geo: {lat: 50.63, lon: 3.06}")
    unknown = set(value) - {"lat", "lon", "approximate"}
    if unknown:
        raise Invalid(f"unknown key '{sorted(unknown)[0]}' in geo", "only lat, lon and approximate",
                      f"{path}.{sorted(unknown)[0]}")
    geo: dict[str, Any] = {}
    for key, limit in (("lat", 90), ("lon", 180)):
        number = value.get(key)
        if number is None:
            raise Invalid(f"geo needs '{key}'", "write geo: {lat: 50.63, lon: 3.06}")
        if isinstance(number, bool) or not isinstance(number, (int, float)) or not math.isfinite(number):
            raise Invalid(f"{key} must be a number in decimal degrees, got '{number}'", "", f"{path}.{key}")
        if not -limit <= number <= limit:
            raise Invalid(f"{key} {number} is out of range (-{limit} to {limit})",
                          "are lat and lon swapped?" if abs(number) <= 180 else "", f"{path}.{key}")
        geo[key] = float(number)
    geo["approximate"] = value.get("approximate") is True
    return geo


SOURCE_KEYS = {"url": check_url, "title": check_str, "publisher": check_str, "date": check_date,
               "accessed": check_date}


def check_sources(value: Any, spec: Field, raw: RawEntry, path: str) -> tuple[dict[str, Any], ...]:
    if not isinstance(value, list):
        raise Invalid(f"expected a list of sources, got {_type_name(value)}",
                      "write '- {title: ..., url: ..., date: YYYY-MM-DD}' items")
    sources = []
    for i, item in enumerate(value):
        where = f"{path}.{i}"
        if not isinstance(item, dict):
            raise Invalid("a source is a mapping {title, url, date}", "", where)
        source: dict[str, Any] = {}
        for key, item_value in item.items():
            checker = SOURCE_KEYS.get(str(key))
            if checker is None:
                raise Invalid(f"unknown key '{key}' in a source",
                              closest(str(key), SOURCE_KEYS) or "allowed: " + ", ".join(SOURCE_KEYS),
                              f"{where}.{key}")
            if item_value not in (None, ""):
                try:
                    source[key] = checker(item_value, Field(str(key), "str", ""), raw, f"{where}.{key}")
                except Invalid as exc:
                    exc.path = exc.path or f"{where}.{key}"
                    raise
        if "title" not in source:
            raise Invalid("a source needs a title", "add 'title: ...'", where)
        sources.append(source)
    return tuple(sources)


CHECKERS: dict[str, Callable[[Any, Field, RawEntry, str], Any]] = {
    "str": check_str, "text": check_str, "url": check_url, "date": check_date, "year": check_year,
    "int": check_int, "number": check_number, "bool": check_bool, "enum": check_enum,
    "strs": check_strs, "geo": check_geo, "sources": check_sources, "ref": check_slug,
    "refs": check_refs,
}
