"""JSON Schemas (draft 2020-12) generated from the model, for editors, open data and reviewers.

The schema describes front matter as this project's loader hands it over (atlas/source.py keeps
YAML timestamps as text), and accepts what the validator accepts: an empty optional field
(null, "", []) counts as absent, and a one-line text field may be a bare number or boolean
(`postcode: 59000`), whose written text the validator keeps. Unknown keys are refused here even
though `check` only warns about them: `check --strict`, run on every pull request, refuses them too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .kinds import KINDS, SLUG_PATTERN, Field
from .vocabulary import BUILTIN, Model

DRAFT = "https://json-schema.org/draft/2020-12/schema"
# A year or a month (2018, 2018-01; a bare year may also be a YAML number), or a real day.
PARTIAL_DATE_PATTERN = r"^\d{4}(-(0[1-9]|1[0-2]))?$"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
# http, https or mailto in any case, as the validator's urlsplit reads them (ECMA-262: no (?i)).
URL_PATTERN = r"^([hH][tT][tT][pP][sS]?://[^\s/?#]+|[mM][aA][iI][lL][tT][oO]:)\S*$"
SCALAR_TEXT = ["string", "number", "boolean"]  # YAML reads 59000, 1984 or `no` as non-text
SLUG = {"type": "string", "pattern": SLUG_PATTERN}
DATE = {"anyOf": [{"type": "string", "format": "date", "pattern": DATE_PATTERN},
                  {"type": "string", "pattern": PARTIAL_DATE_PATTERN}, {"type": "integer", "minimum": 1000, "maximum": 2100}]}
SOURCE_KEYS = {
    "title": ("Titre du document.", {"type": SCALAR_TEXT}),
    "url": ("Adresse du document, s'il en a une.", {"type": "string", "pattern": URL_PATTERN}),
    "publisher": ("Qui l'a publié.", {"type": SCALAR_TEXT}),
    "date": ("Date de publication (AAAA-MM-JJ, AAAA-MM ou AAAA).", DATE),
    "accessed": ("Date de consultation (AAAA-MM-JJ, AAAA-MM ou AAAA).", DATE),
}
# Identifiers written without spaces are YAML numbers: then only their size can be checked
# (one that starts with 0 must be written in quotes, as a number would lose it).
DIGITS = ["string", "integer"]
# What the directory checkers (read/checks.py) accept, as far as a pattern can say it: the
# check digits of a SIRET or a phone number's plan are `check`'s to verify.
DIRECTORY: dict[str, dict[str, Any]] = {
    "postcode": {"type": DIGITS, "pattern": r"^\s*\d{5}\s*$", "minimum": 10000, "maximum": 98999},
    "siret": {"type": DIGITS, "pattern": r"^\s*(\d[\s.]*){14}$", "minimum": 10**13, "maximum": 10**14 - 1},
    "siren": {"type": DIGITS, "pattern": r"^\s*(\d[\s.]*){9}$", "minimum": 10**8, "maximum": 10**9 - 1},
    "rna": {"type": "string", "pattern": r"^\s*[Ww]\d[\dABab]\d{7}\s*$"},
    "email": {"type": "string", "format": "email", "pattern": r"^\s*[^@\s]+@[^@\s]+\.[^@\s]+\s*$"},
    "phone": {"type": DIGITS, "pattern": r"^\s*\+?[\d\s().\-/]{4,30}$"},
    "urls": {"type": "array", "uniqueItems": True,
             "items": {"type": "string", "format": "uri", "pattern": r"^[hH][tT][tT][pP][sS]?://[^\s/?#]+\S*$"}},
    "hours": {"type": "string", "pattern": r"\S", "maxLength": 2000},
    "image": {"type": "string", "pattern": r"^(?!.*\.\.)(/assets/|[^/:\\])[^:\\]*\.([jJ][pP][eE]?[gG]|[pP][nN][gG]|"
              r"[wW][eE][bB][pP]|[gG][iI][fF])$"},
    "insee": {"type": DIGITS, "pattern": r"^\s*(\d{5}|2[ABab]\d{3}|\d{2,3}|2[ABab])\s*$", "minimum": 1, "maximum": 99999},
    "origin": {"type": "object", "required": ["source", "id"], "additionalProperties": False,
               "properties": {"source": {"type": "string", "pattern": SLUG_PATTERN,
                                         "description": "Identifiant de la source importée."},
                              "id": {"type": ["string", "integer"], "description": "Son identifiant de la fiche."}}},
}


def _value(spec: Field) -> dict[str, Any]:
    """The schema of a present, non-empty value of a field."""
    if spec.type in ("str", "text"):
        # After stripping: not empty when required, one line for `str`, at most 2000 characters.
        line = r"^\s*\S[^\n]*\s*$" if spec.required else r"^\s*[^\n]*\s*$"
        pattern = line if spec.type == "str" else (r"\S" if spec.required else None)
        return {"type": SCALAR_TEXT, "maxLength": 2000, **({"pattern": pattern} if pattern else {})}
    if spec.type == "url":
        return {"type": "string", "format": "uri", "pattern": URL_PATTERN}
    if spec.type == "date":
        return dict(DATE)
    if spec.type in DIRECTORY:
        return dict(DIRECTORY[spec.type])
    if spec.type == "int":
        return {"type": "integer", "minimum": 0}
    if spec.type == "number":
        return {"type": "number", "minimum": 0}
    if spec.type == "bool":
        return {"type": "boolean"}
    if spec.type == "enum":
        return {"type": "string", "enum": list(spec.choices)}
    if spec.type == "ref":
        return dict(SLUG)
    if spec.type == "refs":
        return {"type": "array", "items": dict(SLUG), "uniqueItems": True}
    if spec.type == "strs":  # one line may be written without the list
        return {"anyOf": [{"type": SCALAR_TEXT}, {"type": "array", "items": {"type": SCALAR_TEXT}}]}
    if spec.type == "geo":
        return {"type": "object", "required": ["lat", "lon"], "additionalProperties": False,
                "properties": {
                    "lat": {"type": "number", "minimum": -90, "maximum": 90, "description": "Latitude."},
                    "lon": {"type": "number", "minimum": -180, "maximum": 180, "description": "Longitude."},
                    "approximate": {"description": "true : position approchée (à la rue près)."}}}
    if spec.type == "sources":
        props = {k: {"description": d, "anyOf": [s, {"type": "null"}, {"const": ""}]}
                 for k, (d, s) in SOURCE_KEYS.items()}
        props["title"] = {"description": SOURCE_KEYS["title"][0], **SOURCE_KEYS["title"][1]}
        return {"type": "array", "items": {"type": "object", "required": ["title"],
                                           "additionalProperties": False, "properties": props}}
    raise ValueError(f"no JSON Schema for field type '{spec.type}'")


def _property(spec: Field) -> dict[str, Any]:
    value = _value(spec)
    described: dict[str, Any] = {"description": spec.help}
    if spec.ref:
        described["description"] += f" Identifiants de content/{spec.ref}/."
    if spec.example not in (None, "", []):
        described["examples"] = [spec.example]
    if spec.required:
        return {**described, **value}
    # An empty optional field is an absent field, as in the validator.
    return {**described, "anyOf": [value, {"type": "null"}, {"const": ""}, {"const": []}]}


def schema_for(kind: str, model: Model = BUILTIN) -> dict[str, Any]:
    """The JSON Schema of one kind's front matter (or .yaml entry), from the atlas's model."""
    fields = model.fields[kind]
    properties = {spec.name: _property(spec) for spec in fields}
    properties["body"] = {"description": "Texte de présentation en Markdown (seulement dans un "
                          "fichier .yaml ; dans un .md, il suit la seconde ligne ---).",
                          "type": ["string", "null"]}
    return {
        "$schema": DRAFT,
        "title": f"Atlas de l'ESS : fiche {KINDS[kind].singular} (content/{kind}/)",
        "description": "Champs d'une fiche ; un champ vide compte comme absent. Guide : CONTRIBUTING.md.",
        "type": "object",
        "required": [spec.name for spec in fields if spec.required],
        "additionalProperties": False,
        "properties": properties,
    }


def render(kind: str, model: Model = BUILTIN) -> str:
    """The file text of a kind's schema: stable key order, UTF-8, final newline."""
    return json.dumps(schema_for(kind, model), ensure_ascii=False, indent=2) + "\n"


def write_schemas(out_dir: Path, model: Model = BUILTIN) -> list[Path]:
    """Write <kind>.schema.json for every kind into out_dir; return the files whose bytes changed."""
    out_dir.mkdir(parents=True, exist_ok=True)
    changed = []
    for kind in model.fields:
        path = out_dir / f"{kind}.schema.json"
        text = render(kind, model)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed


def stale_schemas(out_dir: Path, model: Model = BUILTIN) -> list[Path]:
    """The schema files missing or different from what the model generates now."""
    return [out_dir / f"{kind}.schema.json" for kind in model.fields
            if not (out_dir / f"{kind}.schema.json").exists()
            or (out_dir / f"{kind}.schema.json").read_text(encoding="utf-8") != render(kind, model)]
