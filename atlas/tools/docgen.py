"""`build.py schema`: the files generated from the model (atlas/model/), so they cannot drift from the code.

- schemas/<kind>.schema.json (atlas/model/jsonschema.py), for editors and open data;
- the field reference and the relations table of CONTRIBUTING.md, between markers, in French;
- the issue form « Ajouter une structure » (atlas/tools/issueform.py), where .github/ISSUE_TEMPLATE/ exists.
`schema --check` writes nothing and fails when one of them is stale (tests and CI run it).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable

from .. import config
from ..model.jsonschema import stale_schemas, write_schemas
from ..model.kinds import ENTRY_KINDS, INVERSE_LABELS, KINDS, SYMMETRIC, Field
from ..model.vocabulary import BUILTIN, Model, of_settings
from . import issueform
from .scaffold import example

MARKER = "<!-- {} : {}, généré par « python build.py schema » ; ne pas modifier à la main -->"
# What a theme or territory page shows of the entries classified under it.
WITHIN = {"themes": "La fiche visée liste tout ce qui relève d'elle et de ses sous-thématiques",
          "territory": "La fiche visée liste tout ce qui s'y trouve, et dans ses sous-territoires"}
TYPE_NAMES = {
    "str": "texte, une ligne", "text": "texte", "url": "adresse web",
    "date": "date AAAA-MM-JJ, AAAA-MM ou AAAA", "int": "nombre entier", "number": "nombre",
    "bool": "true ou false", "enum": "une valeur de la liste", "strs": "liste de lignes", "geo": "{lat, lon}",
    "sources": "liste de sources", "postcode": "code postal, 5 chiffres", "siret": "SIRET, 14 chiffres",
    "siren": "SIREN, 9 chiffres", "rna": "numéro RNA, W et 9 chiffres", "email": "adresse électronique",
    "phone": "numéro de téléphone", "urls": "liste d'adresses web", "hours": "horaires, syntaxe OpenStreetMap",
    "image": "fichier image", "insee": "code Insee", "origin": "{source, id}",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _type(spec: Field) -> str:
    if spec.type == "ref":
        return f"identifiant d'une fiche {KINDS[spec.ref].singular}"
    if spec.type == "refs":
        return f"liste d'identifiants ({KINDS[spec.ref].plural.lower()})"
    return TYPE_NAMES[spec.type]


def _where(kind: str, spec: Field) -> str:
    """Where a reference shows on the other side, for the description column."""
    label = INVERSE_LABELS.get((kind, spec.name))
    if label and (kind, spec.name) not in SYMMETRIC:
        return f" La fiche visée l'affiche sous « {label} »."
    return f" {WITHIN[spec.name]}." if spec.name in WITHIN else ""


def _row(kind: str, spec: Field, model: Model) -> str:
    text = spec.help + _where(kind, spec) + (" Champ propre à cet atlas." if spec.extra else "")
    if spec.type == "enum":
        text += " Valeurs : " + ", ".join(f"`{c}` ({model.type_label(kind, c) or c})" for c in spec.choices) + "."
    return (f"| `{spec.name}` | {'oui' if spec.required else 'non'} | {_cell(_type(spec))} | "
            f"{_cell(text)} | `{_cell(example(spec))}` |")


def _table(kind: str, fields: tuple[Field, ...], model: Model) -> list[str]:
    return ["| Champ | Obligatoire | Type | Description | Exemple |", "| --- | --- | --- | --- | --- |",
            *(_row(kind, spec, model) for spec in fields)]


def _common(model: Model) -> tuple[Field, ...]:
    return tuple(spec for spec in model.fields["actors"] if all(spec in model.fields[k] for k in ENTRY_KINDS))


def fields_reference(model: Model = BUILTIN) -> str:
    """Every field, in French, from the model: common fields once, then each kind's own."""
    common = _common(model)
    out = ["### Champs communs à toutes les fiches", "",
           "Un champ vide (`summary:`, `themes: []`) compte comme absent.", "", *_table("actors", common, model)]
    for kind in ENTRY_KINDS:
        own = tuple(spec for spec in model.fields[kind] if spec not in common)
        out += ["", f"### {KINDS[kind].plural} (`content/{kind}/`)", "",
                f"Créer : `python build.py new {KINDS[kind].prefix} \"Titre\"` · schéma : "
                f"[`schemas/{kind}.schema.json`](schemas/{kind}.schema.json)", "", *_table(kind, own, model)]
    return "\n".join(out)


def relations_table(model: Model = BUILTIN) -> str:
    """Each reference field: on which kind, towards what, and what the other side shows."""
    out = ["| Champ | Sur la fiche de… | Pointe vers | Ce que montre la fiche visée |", "| --- | --- | --- | --- |"]
    common = _common(model)
    rows = [("tout type", spec, "") for spec in common if spec.ref]
    rows += [(KINDS[kind].singular, spec, kind) for kind in ENTRY_KINDS for spec in model.fields[kind]
             if spec.ref and spec not in common]
    for on, spec, kind in rows:
        target = (f"des {KINDS[spec.ref].plural.lower()}" if spec.type == "refs"
                  else f"{'une' if spec.ref == 'themes' else 'un'} {KINDS[spec.ref].singular}")
        if (kind, spec.name) in INVERSE_LABELS:
            shows = f"« {INVERSE_LABELS[(kind, spec.name)]} »"
            shows += " : affiché sur les deux fiches" if (kind, spec.name) in SYMMETRIC else ""
        elif spec.extra:
            shows = "rien : le lien est dans « En bref » de la fiche qui le donne"
        else:
            shows = WITHIN[spec.name].removeprefix("La fiche visée ")
        out.append(f"| `{spec.name}` | {on} | {target} | {_cell(shows)} |")
    return "\n".join(out)


# Generated blocks of CONTRIBUTING.md: name in the markers -> text.
BLOCKS: dict[str, Callable[[Model], str]] = {"relations": relations_table, "champs": fields_reference}


def refresh(text: str, model: Model = BUILTIN) -> str:
    """CONTRIBUTING.md's text with every generated block replaced between its markers."""
    for name, make in BLOCKS.items():
        begin, end = MARKER.format("début", name), MARKER.format("fin", name)
        start, stop = text.find(begin), text.find(end)
        if start < 0 or stop < start:
            raise ValueError(f"CONTRIBUTING.md: no generated block '{name}' (markers: {begin} … {end})")
        text = text[:start] + begin + "\n\n" + make(model) + "\n\n" + text[stop:]
    return text


def whole_files(root: Path) -> dict[str, str]:
    """Files generated whole, relative path -> text: the issue form, where the atlas has issue templates."""
    return {issueform.PATH: issueform.issue_form()} if (root / issueform.PATH).parent.is_dir() else {}


def _read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.exists() else None


def command(args: argparse.Namespace) -> int:
    """Write (or with --check, verify) the schemas, CONTRIBUTING.md's field reference, the issue form."""
    out = args.out or args.root / "schemas"
    doc = args.root / "CONTRIBUTING.md"
    model = of_settings(config.load(args.root))  # the atlas's own types and fields are documented too
    text = _read(doc)
    fresh = refresh(text, model) if text is not None else None
    wholes = whole_files(args.root)
    if args.check:
        stale = [p.as_posix() for p in stale_schemas(out, model)] + (["CONTRIBUTING.md"] if fresh != text else [])
        stale += [rel for rel, body in wholes.items() if _read(args.root / rel) != body]
        for path in stale:
            print(f"{path}: stale, regenerate with: python build.py schema", file=sys.stderr)
        return 1 if stale else 0
    changed = [p.as_posix() for p in write_schemas(out, model)]
    if fresh is not None and fresh != text:
        doc.write_text(fresh, encoding="utf-8")
        changed.append("CONTRIBUTING.md")
    for rel, body in wholes.items():
        if _read(args.root / rel) != body:
            (args.root / rel).write_text(body, encoding="utf-8")
            changed.append(rel)
    print(f"schema: {len(changed)} file{'s' if len(changed) != 1 else ''} updated"
          + (": " + ", ".join(changed) if changed else ""), file=sys.stderr)
    return 0
