"""Raw entry -> Entry and problems, by the schema of its kind. Never raises on bad content."""

from __future__ import annotations

import math
import re
from typing import Any, Callable

from ..model.dates import MONTHS, PartialDate
from ..model.kinds import LINK_PREFIX, SLUG_PATTERN, Entry, Field
from ..model.problems import WARNING, Problem, closest
from ..model.vocabulary import BUILTIN, Model
from .checks import (INSEE_CODES, INSEE_EXAMPLES, Invalid, check_email, check_hours, check_image, check_insee,
                     check_item, check_origin, check_phone, check_postcode, check_rna, check_siren, check_siret,
                     check_str, check_url, check_urls, distinct_items, type_name)
from .source import RawEntry, slugify

_SLUG = re.compile(SLUG_PATTERN)
# [text](acteur:slug) in Markdown bodies; the target may carry a #fragment.
CROSS_LINK = re.compile(r"\]\(\s*<?(" + "|".join(LINK_PREFIX) + r"):([^)\s>#]*)(#[^)\s>]*)?>?\s*\)")
KEEP_EMPTY = {"image_alt"}  # "" says something here: the image is decorative
UNKNOWN_FIELD = "unknown field, ignored (an error with --strict)"


def validate(raw: RawEntry, model: Model = BUILTIN) -> tuple[Entry | None, list[Problem]]:
    """Check every field of a raw entry against its kind's schema in `model`; None when it could not be read."""
    problems = list(raw.problems)
    if any(p.severity != WARNING for p in raw.problems):
        return None, problems
    schema = model.field_map(raw.kind)
    values: dict[str, Any] = {}
    for name, value in raw.data.items():
        name = str(name)
        spec = schema.get(name)
        if spec is None:
            hint = closest(name, schema) or "allowed: " + ", ".join(schema)
            problems.append(Problem(raw.path, raw.lines.get(name, 1), name, UNKNOWN_FIELD, hint, WARNING))
            continue
        if value == "" and name in KEEP_EMPTY:
            values[name] = ""
            continue
        if value is None or value == "" or value == []:
            continue  # an empty field is an absent field
        try:
            values[name] = CHECKERS[spec.type](value, spec, raw, name)
        except Invalid as exc:
            where = exc.path or name
            problems.append(Problem(raw.path, _line(raw, where), where, exc.message, exc.hint))
    for spec in model.fields[raw.kind]:
        if spec.required and spec.name not in values and not any(p.field == spec.name for p in problems):
            problems.append(Problem(raw.path, 1, spec.name, f"missing required field '{spec.name}'",
                                    f"add '{spec.name}: ...' to the front matter"))
    for rule in ENTRY_RULES:
        problems.extend(rule(values, raw))
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


_FRENCH_DAY = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")  # 15/01/2018
_FRENCH_MONTH = re.compile(r"^(\d{1,2})[/.](\d{4})$")  # 01/2018


def check_date(value: Any, spec: Field, raw: RawEntry, path: str) -> PartialDate:
    """A year, a month or a day: 2018, 2018-01, 2018-01-15 (YAML reads a bare year as a number)."""
    if isinstance(value, int) and not isinstance(value, bool):
        text = raw.raw.get(path, str(value))
    elif isinstance(value, str):
        text = value.strip()
    else:
        raise Invalid(f"expected a date, got {type_name(value)}", "write YYYY, YYYY-MM or YYYY-MM-DD")
    if re.match(r"^\d{1,3}$", text) or re.match(r"^\d{4}", text) and not 1000 <= int(text[:4]) <= 2100:
        raise Invalid(f"'{text}' is not a plausible year", "write a four-digit year")
    try:
        return PartialDate.parse(text)
    except ValueError:
        raise Invalid(f"'{text}' is not a valid date", _date_hint(text)) from None


def _date_hint(text: str) -> str:
    """The ISO form of a French date when the text is one (15/01/2018, 01/2018, janvier 2018)."""
    day, month = _FRENCH_DAY.match(text), _FRENCH_MONTH.match(text)
    words = text.lower().split()
    if day:
        return f"write {day.group(3)}-{int(day.group(2)):02d}-{int(day.group(1)):02d}, year first"
    if month:
        return f"write {month.group(2)}-{int(month.group(1)):02d}, year first"
    if len(words) == 2 and words[0] in MONTHS and words[1].isdigit():
        return f"write {words[1]}-{MONTHS.index(words[0]) + 1:02d}"
    return "write YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2024-01-31 or 2024-01"


def check_int(value: Any, spec: Field, raw: RawEntry, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        hint = "write digits only, without spaces or units" if isinstance(value, str) else ""
        raise Invalid(f"expected a whole number, got {type_name(value)} '{value}'", hint)
    if value < 0:
        raise Invalid(f"expected a positive number, got {value}")
    return value


def check_number(value: Any, spec: Field, raw: RawEntry, path: str) -> float | int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise Invalid(f"expected a number, got {type_name(value)} '{value}'",
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
        hint = closest(text, spec.choices) or "one of " + ", ".join(spec.choices)
        if spec.name == "type" and not closest(text, spec.choices):  # a value the atlas may add
            hint += f"; a new type is declared in atlas.yaml: types: {{{raw.kind}: {{{text}: {{label: ...}}}}}}"
        raise Invalid(f"unknown {spec.name} '{text}'", hint)
    return text


def check_slug(value: Any, spec: Field, raw: RawEntry, path: str) -> str:
    """A reference: a slug, or a title-like text ('Bayonne') that link() answers with the slug
    it surely meant; paths and other non-names are refused here, never looked up."""
    text = check_str(value, spec, raw, path)
    if not _SLUG.match(text) and (re.search(r"[/\\.:]", text) or not slugify(text)):
        raise Invalid(f"'{text}' is not a slug", "lowercase ASCII letters, digits and dashes, "
                      "the file name without extension")
    return text


def check_refs(value: Any, spec: Field, raw: RawEntry, path: str) -> tuple[str, ...]:
    return distinct_items(check_slug, "a list of slugs", value, spec, raw, path)


def check_strs(value: Any, spec: Field, raw: RawEntry, path: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise Invalid(f"expected a list of lines, got {type_name(value)}")
    return tuple(check_item(check_str, item, spec, raw, f"{path}.{i}") for i, item in enumerate(value))


def check_geo(value: Any, spec: Field, raw: RawEntry, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Invalid(f"expected {{lat, lon}}, got {type_name(value)}", "write geo: {lat: 50.63, lon: 3.06}")
    unknown = set(value) - {"lat", "lon", "approximate"}
    if unknown:
        raise Invalid(f"unknown key '{sorted(unknown)[0]}' in geo", "only lat, lon and approximate",
                      f"{path}.{sorted(unknown)[0]}")
    geo: dict[str, Any] = {}
    for key, limit in (("lat", 90), ("lon", 180)):
        number = value.get(key)
        if number is None:
            raise Invalid(f"geo needs '{key}'", "write geo: {lat: 50.63, lon: 3.06}")
        if isinstance(number, str) and re.match(r"^-?\d+,\d+$", number.strip()):
            raise Invalid(f"{key} '{number}' has a decimal comma: numbers take a point",
                          f"write {key}: {number.strip().replace(',', '.')}", f"{path}.{key}")
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
        raise Invalid(f"expected a list of sources, got {type_name(value)}",
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
    "str": check_str, "text": check_str, "url": check_url, "date": check_date, "int": check_int,
    "number": check_number, "bool": check_bool, "enum": check_enum, "strs": check_strs, "geo": check_geo,
    "sources": check_sources, "ref": check_slug, "refs": check_refs, "postcode": check_postcode,
    "siret": check_siret, "siren": check_siren, "rna": check_rna, "email": check_email, "phone": check_phone,
    "urls": check_urls, "hours": check_hours, "image": check_image, "insee": check_insee,
    "origin": check_origin,
}


# --- rules between the fields of one entry (between entries: link/graph.py) -----------------

def _problem(raw: RawEntry, field: str, message: str, hint: str) -> Problem:
    return Problem(raw.path, _line(raw, field), field, message, hint)


def image_needs_alt(values: dict[str, Any], raw: RawEntry) -> list[Problem]:
    """An image without its text alternative is invisible to a screen reader's user."""
    if "image" in values and "image_alt" not in values:
        return [_problem(raw, "image", "an image needs image_alt, the text that replaces it",
                         "add image_alt: what the image shows, or \"\" if it is only decorative")]
    return []


def dates_in_order(values: dict[str, Any], raw: RawEntry) -> list[Problem]:
    """`end` and `deadline` not before `start`, at the precision of both (2018 is not before 2018-05)."""
    start = values.get("start")
    found = []
    for name in ("deadline", "end"):
        other = values.get(name)
        if start is not None and other is not None and other.before(start):
            found.append(_problem(raw, name, f"{other.iso()} is before the start, {start.iso()}",
                                  "swap them, or correct the year"))
    return found


def siren_of_siret(values: dict[str, Any], raw: RawEntry) -> list[Problem]:
    """A SIRET begins with the SIREN of its company: both given, they must agree."""
    siret, siren = values.get("siret"), values.get("siren")
    if siret and siren and siret[:9] != siren:
        return [_problem(raw, "siret", f"SIRET {siret} does not belong to SIREN {siren} (its first 9 digits)",
                         "check both on annuaire-entreprises.data.gouv.fr")]
    return []


def code_fits_type(values: dict[str, Any], raw: RawEntry) -> list[Problem]:
    """A territory's INSEE code has the form of its level: 5 characters for a commune…"""
    code, level = values.get("code"), values.get("type")
    pattern = INSEE_CODES.get(level or "")
    if code and pattern is not None and not pattern.match(code):
        return [_problem(raw, "code", f"'{code}' is not the INSEE code of a {level}",
                         f"a {level}'s code looks like {INSEE_EXAMPLES[level]}")]
    return []


ENTRY_RULES: tuple[Callable[[dict[str, Any], RawEntry], list[Problem]], ...] = (
    image_needs_alt, dates_in_order, siren_of_siret, code_fits_type,
)
