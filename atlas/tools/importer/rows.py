"""Row -> Candidate: the fields an entry would get from one row, and every problem of that row.

Which column goes where comes from MAP.yaml first, then from the names `columns.py` recognises.
Values are checked as the content model checks them (values.py); types, themes, territories and
other references are resolved against the atlas by slug or title, or through the map.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from ...model.kinds import TYPE_LABELS
from ...read.source import slugify
from . import values as v
from .columns import IGNORE, TARGETS, recognise
from .existing import Atlas
from .mapfile import REF_KINDS, Mapping, type_choices
from .position import check_position
from .table import Row, Table

ERROR, WARNING, NOTICE = "error", "warning", "notice"
SINGLE = ("title", "summary", "website", "postcode", "city", "siret", "siren", "rna", "email", "phone",
          "opening_hours", "accessibility", "accessibility_url", "founded", "staff", "members_count",
          "opened", "area_m2", "type", "territory", "parent")
LISTS = ("themes", "places", "partners", "social")

# Labels a directory writes for a type, folded -> the atlas's type (when the kind has it).
TYPE_SYNONYMS: dict[str, str] = {
    "association loi 1901": "association", "association loi 1908": "association", "asso": "association",
    "association declaree": "association", "asso_chomeur": "association",
    "societe cooperative et participative": "scop", "scop sa": "scop", "scop sarl": "scop",
    "scop sas": "scop", "societe cooperative ouvriere de production": "scop",
    "societe cooperative d'interet collectif": "scic", "scic sa": "scic", "scic sas": "scic",
    "scic sarl": "scic", "cooperative d'activite et d'emploi": "cae", "cooperative d'activites et d'emploi": "cae",
    "societe cooperative": "cooperative", "cuma": "cooperative", "scoop": "cooperative",
    "fondation reconnue d'utilite publique": "fondation", "fonds de dotation": "fondation",
    "mutuelle de sante": "mutuelle", "sas": "entreprise", "sarl": "entreprise", "sa": "entreprise",
    "sasu": "entreprise", "eurl": "entreprise", "esus": "entreprise", "entreprise de l'ess": "entreprise",
    "muni": "collectivite", "commune": "collectivite", "ccas": "collectivite", "cias": "collectivite",
    "epci": "collectivite", "cd": "collectivite", "reg": "collectivite", "collectivite territoriale":
    "collectivite", "federation": "reseau", "tete de reseau": "reseau", "union": "reseau",
    "ptce": "cluster", "pole territorial de cooperation economique": "cluster",
    "tiers_lieux": "tiers-lieu", "tiers lieu": "tiers-lieu",
}


@dataclass(frozen=True)
class Finding:
    """One thing to tell about a row (row 0: about the file), with its column when it has one."""

    row: int
    column: str
    message: str
    hint: str = ""
    level: str = ERROR


@dataclass
class Candidate:
    """What one row would write: fields in front-matter form, body, identity, citation, problems."""

    row: int
    fields: dict[str, Any]
    body: str
    ident: str
    ident_kind: str  # id, siret or hash
    cite: dict[str, str]  # url and date of the row in the source
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(f.level == ERROR for f in self.findings)


def column_plan(table: Table, mapping: Mapping, kind: str) -> dict[str, str | None]:
    """Column -> target for every column of the file: the map's word, else the recognised name."""
    plan: dict[str, str | None] = {}
    for column in table.columns:
        plan[column] = mapping.columns.get(column) or recognise(column, kind)
    return plan


def split_values(cell: Any) -> list[str]:
    """The items of a list cell: a JSON list, or text separated by '|', else ';', else ','."""
    if isinstance(cell, list):
        return [v.clean_text(x) for x in cell if v.clean_text(x)]
    text = v.clean_text(cell)
    for sep in ("|", ";", ","):
        if sep in text:
            return [x.strip() for x in text.split(sep) if x.strip()]
    return [text] if text else []


def resolve_type(text: str, kind: str, mapping: Mapping) -> str | None:
    """The atlas type a cell names (IGNORE when the map says so), or None when unknown."""
    key = v.fold(text)
    if key in mapping.values.get("type", {}):
        return mapping.values["type"][key]
    choices = type_choices(kind)
    for guess in (key, slugify(text), TYPE_SYNONYMS.get(key), TYPE_SYNONYMS.get(key.replace("-", " "))):
        if guess in choices:
            return guess
    return next((c for c in choices if v.fold(TYPE_LABELS.get(c, "")) == key), None)


def resolve_ref(name: str, text: str, mapping: Mapping, atlas: Atlas) -> str | None:
    """The slug an item names for a reference field (IGNORE when the map says so), or None."""
    table = mapping.values.get(name, {})
    key = v.fold(text)
    if key in table:
        return table[key]
    return atlas.resolve(REF_KINDS[name], text) or atlas.resolve(REF_KINDS[name], slugify(text))


def convert(row: Row, plan: dict[str, str | None], mapping: Mapping, atlas: Atlas, kind: str) -> Candidate:
    """Every column of the row through its target; then the fields assembled and cross-checked."""
    found: dict[str, list[tuple[str, Any]]] = defaultdict(list)
    findings: list[Finding] = []
    for column, target in plan.items():
        cell = row.cells.get(column)
        if cell is None or target in (None, IGNORE):
            continue
        if isinstance(cell, str) and v.looks_like_formula(cell):
            findings.append(Finding(row.number, column, f"« {v.clean_text(cell)[:40]} » commence comme une formule "
                                    "de tableur : importé comme texte", level=NOTICE))
        convert_cell = TARGETS[target].convert
        try:
            value = convert_cell(cell) if convert_cell else cell
        except v.Bad as bad:
            findings.append(Finding(row.number, column, bad.message, bad.hint))
            continue
        if value not in ("", [], None):
            found[target].append((column, value))
    fields: dict[str, Any] = {}
    columns: dict[str, str] = {}  # field -> the column it came from, for messages
    for target, items in found.items():
        columns[target] = items[0][0]
        if target in ("body", "address_extra", "latitude", "longitude", "id", "source_url", "source_date"):
            continue
        if target in LISTS:
            fields[target] = [x for _, value in items for x in (value if isinstance(value, list) else [value])]
        else:
            fields[target] = items[0][1]
    body = "\n\n".join(value for _, value in found.get("body", []))
    if "address_extra" in found:
        fields["address"] = ", ".join([fields["address"]] * ("address" in fields) + [found["address_extra"][0][1]])
    _fixed(fields, mapping)
    _references(fields, columns, mapping, atlas, kind, row.number, findings)
    _geo(fields, found, columns, row.number, findings)
    if "title" not in fields:
        findings.append(Finding(row.number, columns.get("title", ""), "pas de nom : la ligne ne peut pas devenir une fiche",
                                "remplissez la colonne du nom"))
    elif not slugify(fields["title"]):
        findings.append(Finding(row.number, columns["title"], f"le nom « {fields['title']} » n'a ni lettre ni chiffre"))
    ident, ident_kind = identity(found, fields)
    cite = {k: found[t][0][1] for k, t in (("url", "source_url"), ("date", "source_date")) if t in found}
    return Candidate(row.number, fields, body, ident, ident_kind, cite, findings)


def _fixed(fields: dict[str, Any], mapping: Mapping) -> None:
    """MAP.yaml's fixed values, for the fields the row left empty (a list field takes one or a list)."""
    for name, value in mapping.fixed.items():
        if name not in fields:
            fields[name] = value if name not in LISTS else list(value) if isinstance(value, list) else [value]


def _references(fields: dict[str, Any], columns: dict[str, str], mapping: Mapping, atlas: Atlas, kind: str,
                number: int, findings: list[Finding]) -> None:
    """Types and references resolved; an unknown one is an error naming the value and the fix."""
    if "type" in fields:
        found = resolve_type(v.clean_text(fields["type"]), kind, mapping)
        if found is None:
            findings.append(Finding(number, columns.get("type", "type"), f"type « {v.clean_text(fields['type'])} » "
                                    "inconnu", "ajoutez-le à MAP.yaml sous types: (valeurs : "
                                    + ", ".join(type_choices(kind)) + ", ignore)"))
            del fields["type"]
        elif found == IGNORE:
            del fields["type"]
        else:
            fields["type"] = found
    for name in ("themes", "places", "partners", "territory", "parent"):
        if name not in fields:
            continue
        items = [x for cell in (fields[name] if isinstance(fields[name], list) else [fields[name]])
                 for x in split_values(cell)]
        slugs: list[str] = []
        for item in items:
            slug = resolve_ref(name, item, mapping, atlas)
            if slug is None:
                section = {"themes": "themes", "territory": "territories"}.get(name)
                findings.append(Finding(number, columns.get(name, name), f"« {item} » n'est pas une fiche de "
                                        f"content/{REF_KINDS[name]}/",
                                        f"ajoutez-le à MAP.yaml sous {section}:" if section else
                                        "écrivez l'identifiant ou le nom exact d'une fiche"))
            elif slug != IGNORE and slug not in slugs:
                slugs.append(slug)
        if name in LISTS and slugs:
            fields[name] = slugs
        elif slugs:
            fields[name] = slugs[0]
        else:
            del fields[name]
    if "territory" not in fields and "city" in fields and "territory" not in columns:
        slug = atlas.resolve("territories", fields["city"])  # « Lille » in the city column: the territory lille
        if slug:
            fields["territory"] = slug
    if "social" in fields:
        fields["social"] = list(dict.fromkeys(fields["social"]))


def _geo(fields: dict[str, Any], found: dict[str, list[tuple[str, Any]]], columns: dict[str, str], number: int,
         findings: list[Finding]) -> None:
    lat, lon = (found[k][0][1] if k in found else None for k in ("latitude", "longitude"))
    if lat is None and lon is None:
        return
    column = columns.get("latitude") or columns.get("longitude", "")
    if lat is None or lon is None:
        findings.append(Finding(number, column, "latitude ou longitude manquante : position ignorée", level=WARNING))
        return
    checked = check_position(lat, lon, fields.get("postcode", ""))
    if checked.message:
        findings.append(Finding(number, column, checked.message, "vérifiez latitude et longitude" if checked.error
                                else "", ERROR if checked.error else WARNING))
    if checked.lat is not None:
        fields["geo"] = {"lat": checked.lat, "lon": checked.lon}


def identity(found: dict[str, list[tuple[str, Any]]], fields: dict[str, Any]) -> tuple[str, str]:
    """The row's identity in its source: its own id, else its SIRET, else a hash of name and postcode."""
    if "id" in found:
        return v.as_text(found["id"][0][1]), "id"
    if "siret" in fields:
        return fields["siret"], "siret"
    key = f"{v.fold(fields.get('title', ''))}|{fields.get('postcode', '')}"
    return "h" + hashlib.blake2b(key.encode("utf-8"), digest_size=6).hexdigest(), "hash"


def value_guesses(table: Table, plan: dict[str, str | None], mapping: Mapping, atlas: Atlas,
                  kind: str) -> dict[str, dict[str, tuple[str | None, int]]]:
    """For --print-map: each distinct value of the type, themes and territory columns, its guess, its count."""
    out: dict[str, dict[str, tuple[str | None, int]]] = {}
    for name in ("type", "themes", "territory"):
        counts: Counter[str] = Counter()
        for row in table.rows:
            for column, target in plan.items():
                if target == name and column in row.cells:
                    counts.update(split_values(row.cells[column]) if name != "type" else [v.clean_text(row.cells[column])])
        resolve = (lambda x: resolve_type(x, kind, mapping)) if name == "type" else (
            lambda x, n=name: resolve_ref(n, x, mapping, atlas))
        out[name] = {value: (resolve(value), count) for value, count in counts.items() if value}
    return out
