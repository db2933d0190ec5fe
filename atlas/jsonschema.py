"""JSON Schema (draft 2020-12) of the front matter of each kind, generated from model.SCHEMAS.

One source of truth for editors (yaml-language-server), the `schema` command and the open data
page. The schema accepts what the validator accepts: an empty value (null, "" or []) is an
absent field, and a one-line text field may be written as a bare number (`postcode: 59000`).
"""

from __future__ import annotations

from typing import Any

from .model import KINDS, SCHEMAS, SLUG_PATTERN, Field

DIALECT = "https://json-schema.org/draft/2020-12/schema"
_DATE = r"^\d{4}-\d{2}-\d{2}$"
_URL = r"^(?:https?://[^\s/]+\S*|mailto:\S+)$"


def _maybe(schema: dict[str, Any]) -> dict[str, Any]:
    """An optional value: the validator reads null and "" as « absent »."""
    return {"anyOf": [schema, {"type": "null"}, {"const": ""}]}


def _date() -> dict[str, Any]:
    return {"type": "string", "format": "date", "pattern": _DATE}


def _slug() -> dict[str, Any]:
    return {"type": "string", "pattern": SLUG_PATTERN}


def _source() -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["title"],
        "additionalProperties": False,
        "properties": {
            "title": {"type": "string", "minLength": 1, "description": "Titre du document."},
            "url": dict(_maybe({"type": "string", "pattern": _URL}), description="Adresse du document."),
            "publisher": dict(_maybe({"type": ["string", "number"]}),
                              description="Éditeur ou auteur du document."),
            "date": dict(_maybe(_date()), description="Date de publication (AAAA-MM-JJ)."),
            "accessed": dict(_maybe(_date()), description="Date de consultation (AAAA-MM-JJ)."),
        },
    }


def _geo() -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["lat", "lon"],
        "additionalProperties": False,
        "properties": {
            "lat": {"type": "number", "minimum": -90, "maximum": 90, "description": "Latitude (degrés décimaux)."},
            "lon": {"type": "number", "minimum": -180, "maximum": 180,
                    "description": "Longitude (degrés décimaux)."},
            "approximate": {"type": "boolean", "description": "true : position approchée (à la rue près)."},
        },
    }


def _value(spec: Field) -> dict[str, Any]:
    """The schema of a field's value, before the « empty means absent » relaxation."""
    t = spec.type
    if t in ("str", "text"):
        return {"type": ["string", "number"]}
    if t == "url":
        return {"type": "string", "pattern": _URL}
    if t == "date":
        return _date()
    if t == "year":
        return {"type": "integer", "minimum": 1000, "maximum": 2100}
    if t == "int":
        return {"type": "integer", "minimum": 0}
    if t == "number":
        return {"type": "number", "minimum": 0}
    if t == "bool":
        return {"type": "boolean"}
    if t == "enum":
        return {"type": "string", "enum": list(spec.choices)}
    if t == "strs":
        return {"type": ["array", "string"], "items": {"type": ["string", "number"]}}
    if t == "geo":
        return _geo()
    if t == "sources":
        return {"type": "array", "items": _source()}
    if t == "ref":
        return _slug()
    if t == "refs":
        return {"type": "array", "uniqueItems": True, "items": _slug()}
    raise ValueError(f"no JSON Schema for field type {t!r} ({spec.name})")


def _property(spec: Field) -> dict[str, Any]:
    schema = _value(spec)
    if spec.required:
        if spec.type in ("str", "text"):
            schema["minLength"] = 1
    else:
        schema = _maybe(schema)
    schema["description"] = spec.help
    if spec.example not in (None, "", [], {}):
        schema["examples"] = [spec.example]
    return schema


def schema_for(kind: str) -> dict[str, Any]:
    """The JSON Schema of the front matter of `kind` (a folder of content/: 'actors', 'places'…)."""
    if kind not in SCHEMAS:
        raise ValueError(f"unknown kind {kind!r} (one of {', '.join(SCHEMAS)})")
    singular = KINDS[kind][2]
    properties = {spec.name: _property(spec) for spec in SCHEMAS[kind]}
    properties["body"] = {"type": ["string", "null"],
                          "description": "Texte en Markdown, pour les fiches .yaml (dans un .md, il suit le ---)."}
    return {
        "$schema": DIALECT,
        "title": f"Fiche {singular} de l'atlas de l'ESS (content/{kind}/)",
        "description": f"Champs de l'en-tête YAML d'une fiche {singular}. Un champ vide vaut un champ absent.",
        "type": "object",
        "required": [spec.name for spec in SCHEMAS[kind] if spec.required],
        "additionalProperties": False,
        "properties": properties,
    }
