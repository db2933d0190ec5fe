"""`build.py schema`: the files generated from atlas/model.py, so they cannot drift from the code.

- schemas/<kind>.schema.json (atlas/jsonschema.py), for editors and open data;
- the field reference of CONTRIBUTING.md, between two markers, in French.
`schema --check` writes nothing and fails when one of them is stale (tests and CI run it).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .jsonschema import stale_schemas, write_schemas
from .model import ENTRY_KINDS, FORWARD_LABELS, INVERSE_LABELS, KINDS, SCHEMAS, SYMMETRIC, TYPE_LABELS, Field
from .scaffold import inline_yaml

BEGIN = "<!-- début de la référence des champs : générée par « python build.py schema », ne pas modifier à la main -->"
END = "<!-- fin de la référence des champs -->"
TYPE_NAMES = {
    "str": "texte, une ligne", "text": "texte", "url": "adresse web", "date": "date AAAA-MM-JJ",
    "year": "année", "int": "nombre entier", "number": "nombre", "bool": "true ou false",
    "enum": "une valeur de la liste", "strs": "liste de lignes", "geo": "{lat, lon}",
    "sources": "liste de sources",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _type(spec: Field) -> str:
    if spec.type == "ref":
        return f"identifiant d'une fiche {KINDS[spec.ref][2]}"
    if spec.type == "refs":
        return f"liste d'identifiants ({KINDS[spec.ref][3].lower()})"
    return TYPE_NAMES[spec.type]


def _where(kind: str, spec: Field) -> str:
    """Where a reference shows on the other side, for the description column."""
    if (kind, spec.name) in SYMMETRIC:
        return " Affiché sur les deux fiches."
    label = INVERSE_LABELS.get((kind, spec.name))
    if label:
        return f" La fiche visée l'affiche sous « {label} »."
    if spec.name in ("themes", "territory"):
        return " La fiche visée (et ses parents) liste cette fiche."
    return ""


def _row(kind: str, spec: Field) -> str:
    text = spec.help + _where(kind, spec)
    if spec.type == "enum":
        text += " Valeurs : " + ", ".join(f"`{c}` ({TYPE_LABELS.get(c, c)})" for c in spec.choices) + "."
    example = f"`{spec.name}: {inline_yaml(spec.example)}`" if spec.example not in (None, "", []) else ""
    return (f"| `{spec.name}` | {'oui' if spec.required else 'non'} | {_cell(_type(spec))} | "
            f"{_cell(text)} | {_cell(example)} |")


def _table(kind: str, fields: tuple[Field, ...]) -> list[str]:
    return ["| Champ | Obligatoire | Type | Description | Exemple |", "| --- | --- | --- | --- | --- |",
            *(_row(kind, spec) for spec in fields)]


def reference() -> str:
    """The field reference, in French, from the model: common fields once, then each kind's own."""
    common = tuple(spec for spec in SCHEMAS["actors"] if all(spec in SCHEMAS[k] for k in ENTRY_KINDS))
    out = [BEGIN, "", "### Champs communs à toutes les fiches", "",
           "Un champ vide (`summary:`, `themes: []`) compte comme absent.", "", *_table("actors", common)]
    for kind in ENTRY_KINDS:
        own = tuple(spec for spec in SCHEMAS[kind] if spec not in common)
        out += ["", f"### {KINDS[kind][3]} (`content/{kind}/`)", "",
                f"Créer : `python build.py new {KINDS[kind][1]} \"Titre\"` · schéma : "
                f"[`schemas/{kind}.schema.json`](schemas/{kind}.schema.json)", ""]
        out += _table(kind, own)
    relations = [f"- `{kind}.{name}` : « {label} » sur la fiche, « {INVERSE_LABELS[(kind, name)]} » "
                 "sur la fiche visée" for (kind, name), label in FORWARD_LABELS.items()]
    out += ["", "### Relations et leur affichage des deux côtés", "", *relations, "", END]
    return "\n".join(out)


def refresh(text: str) -> str:
    """CONTRIBUTING.md's text with the reference between the markers replaced."""
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise ValueError("CONTRIBUTING.md has no field reference markers (see atlas/docgen.py)")
    return text[:start] + reference() + text[end + len(END):]


def command(args: argparse.Namespace) -> int:
    """Write (or with --check, verify) the schemas and CONTRIBUTING.md's field reference."""
    out = args.out or args.root / "schemas"
    doc = args.root / "CONTRIBUTING.md"
    text = doc.read_text(encoding="utf-8") if doc.exists() else None
    fresh = refresh(text) if text is not None else None
    if args.check:
        stale = [p.as_posix() for p in stale_schemas(out)] + (["CONTRIBUTING.md"] if fresh != text else [])
        for path in stale:
            print(f"{path}: stale, regenerate with: python build.py schema", file=sys.stderr)
        return 1 if stale else 0
    changed = [p.as_posix() for p in write_schemas(out)]
    if fresh is not None and fresh != text:
        doc.write_text(fresh, encoding="utf-8")
        changed.append("CONTRIBUTING.md")
    print(f"schema: {len(changed)} file{'s' if len(changed) != 1 else ''} updated"
          + (": " + ", ".join(changed) if changed else ""), file=sys.stderr)
    return 0
