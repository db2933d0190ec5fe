"""MAP.yaml: columns to fields, values to types, themes and territories, fixed values; and --print-map.

```yaml
columns:            # column of the file -> field (or ignore)
  Raison sociale: title
  Remarques: ignore
types:              # value of the type column -> type of the atlas (or ignore: no type)
  Association loi 1901: association
themes:             # value of the themes column -> theme of content/themes/ (or ignore)
  Alimentation: alimentation-durable
territories:        # value of the territory or city column -> territory of content/territories/
  Ville de Lille: lille
fixed:              # a value for every row whose cell is empty
  territory: lille
```
Values are compared folded (accents, case and spaces aside). Every mistake is reported with the
file's line, all at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...model.kinds import SCHEMAS
from ...model.problems import WARNING, Problem, closest
from ...read.source import parse_yaml
from . import values as v
from .columns import IGNORE, TARGETS, recognise, targets_of
from .existing import Atlas
from .table import Table
from .yamltext import scalar

SECTIONS = ("columns", "types", "themes", "territories", "fixed")
VALUE_SECTIONS = {"types": "type", "themes": "themes", "territories": "territory"}  # section -> field
REF_KINDS = {"themes": "themes", "territory": "territories", "places": "places", "partners": "actors",
             "parent": "actors"}


@dataclass
class Mapping:
    """A read MAP.yaml (or the empty one): every key folded where the file's values are compared."""

    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # field -> folded value -> slug/ignore
    fixed: dict[str, Any] = field(default_factory=dict)
    path: str = ""


class MapError(Exception):
    """MAP.yaml has mistakes: every one, with its line."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the map")
        self.problems = problems


def type_choices(kind: str) -> tuple[str, ...]:
    return next((f.choices for f in SCHEMAS[kind] if f.name == "type"), ())


def load_map(path: Path | None, kind: str, atlas: Atlas) -> Mapping:
    """Read and check MAP.yaml; MapError with every problem. No path: the empty mapping."""
    if path is None:
        return Mapping()
    rel = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise MapError([Problem(rel, 0, "", f"lecture impossible : {exc}")]) from None
    problems: list[Problem] = []
    data, lines, _ = parse_yaml(text, rel, 0, problems)
    if problems:
        raise MapError(problems)
    mapping = Mapping(path=rel)
    for key in data:
        if key not in SECTIONS:
            problems.append(Problem(rel, lines.get(key, 1), key, "section inconnue",
                                    _fr(closest(key, SECTIONS)) or "au choix : " + ", ".join(SECTIONS)))
    targets = targets_of(kind)
    for column, target in _section(data, "columns", rel, lines, problems).items():
        where = lines.get(f"columns.{column}", 1)
        if target in (None, ""):
            continue  # left empty by --print-map: the column is not imported, and listed as such
        if str(target) not in targets:
            problems.append(Problem(rel, where, f"columns.{column}", f"champ « {target} » inconnu pour {kind}",
                                    _fr(closest(str(target), targets)) or "au choix : " + ", ".join(targets)))
        mapping.columns[str(column)] = str(target)
    for section, name in VALUE_SECTIONS.items():
        mapping.values[name] = {}
        for value, slug in _section(data, section, rel, lines, problems).items():
            if slug in (None, ""):
                continue  # still to fill in: the rows with this value are reported
            where = lines.get(f"{section}.{value}", 1)
            problem = _check_value(name, str(slug), kind, atlas)
            if problem:
                problems.append(Problem(rel, where, f"{section}.{value}", problem[0], problem[1]))
            mapping.values[name][v.fold(str(value))] = str(slug)
    for name, value in _section(data, "fixed", rel, lines, problems).items():
        if name not in targets or name in (IGNORE, "id", "body", "latitude", "longitude"):
            problems.append(Problem(rel, lines.get(f"fixed.{name}", 1), f"fixed.{name}",
                                    f"« {name} » ne peut pas être fixé pour {kind}",
                                    _fr(closest(str(name), targets))))
            continue
        for item in value if isinstance(value, list) else [value]:
            problem = _check_value(name, str(item), kind, atlas) if name in REF_KINDS or name == "type" else None
            if problem:
                problems.append(Problem(rel, lines.get(f"fixed.{name}", 1), f"fixed.{name}", *problem))
        convert = TARGETS[name].convert
        if convert is not None:  # checked as a cell would be: « postcode: 1000 » is 01000
            try:
                value = convert(value)
            except v.Bad as bad:
                problems.append(Problem(rel, lines.get(f"fixed.{name}", 1), f"fixed.{name}", bad.message, bad.hint))
                continue
        mapping.fixed[str(name)] = value
    if [p for p in problems if p.severity != WARNING]:
        raise MapError(problems)
    return mapping


def _section(data: dict[str, Any], name: str, rel: str, lines: dict[str, int],
             problems: list[Problem]) -> dict[str, Any]:
    section = data.get(name) or {}
    if not isinstance(section, dict):
        problems.append(Problem(rel, lines.get(name, 1), name, "une liste « valeur: champ » est attendue",
                                f"écrivez « {name}: » puis une ligne « clé: valeur » indentée par valeur"))
        return {}
    return section


def _check_value(name: str, slug: str, kind: str, atlas: Atlas) -> tuple[str, str] | None:
    """(message, hint) when `slug` is not a type of the kind or an entry of the referenced kind."""
    if slug == IGNORE:
        return None
    if name == "type":
        choices = type_choices(kind)
        return None if slug in choices else (f"type « {slug} » inconnu pour {kind}",
                                              _fr(closest(slug, choices)) or "au choix : " + ", ".join(choices))
    target = REF_KINDS[name]
    if slug in atlas.entries[target]:
        return None
    return (f"pas de fiche content/{target}/{slug}.md",
            _fr(closest(slug, atlas.entries[target])) or f"créez-la, ou choisissez une fiche de content/{target}/")


def _fr(hint: str) -> str:
    """The model's English « did you mean 'x'? » hint, in French."""
    return hint.replace("did you mean", "vouliez-vous dire").replace("?", " ?").replace(" or ", " ou ")


# --print-map ----------------------------------------------------------------------------------

def print_map(table: Table, kind: str, source: str, guess: dict[str, str | None],
              value_guesses: dict[str, dict[str, tuple[str | None, int]]]) -> str:
    """A starting MAP.yaml: every column with its guess, every distinct value of the columns resolved
    against the atlas, each with its count, in French comments."""
    out = [f"# Correspondance pour {source} ({', '.join([table.format] + table.details)}).",
           "# Utilisation : build.py import FICHIER --map CE-FICHIER.yaml",
           "# columns : pour chaque colonne, le champ où elle va ; vide ou ignore : non importée.",
           "# Champs possibles : " + ", ".join(targets_of(kind)) + ".",
           "columns:"]
    for column in table.columns:
        target = guess.get(column)
        note = "reconnue" if target and target == recognise(column, kind) else "à choisir"
        help_text = TARGETS[target].help if target else "non reconnue"
        out.append(f"  {scalar(column)}: {target or ''}".rstrip() + f"  # {note} : {help_text}")
    for section, name in VALUE_SECTIONS.items():
        found = value_guesses.get(name) or {}
        out.append(_values_comment(section, kind))
        if not found:
            out.append(f"{section}: {{}}")
            continue
        out.append(f"{section}:")
        for value in sorted(found, key=lambda x: (v.fold(x), x)):
            slug, count = found[value]
            note = ("reconnue" if slug else "à compléter") + f", {count} ligne{'s' if count > 1 else ''}"
            out.append(f"  {scalar(value)}: {slug or ''}".rstrip() + f"  # {note}")
    out += ["# fixed : une valeur pour chaque ligne dont la cellule est vide, par exemple territory: lille",
            "fixed: {}", ""]
    return "\n".join(out)


def _values_comment(section: str, kind: str) -> str:
    if section == "types":
        return "# types : valeur de la colonne type -> type de l'atlas (" + ", ".join(type_choices(kind)) + \
               ") ou ignore."
    folder = "themes" if section == "themes" else "territories"
    return f"# {section} : valeur de la colonne -> identifiant d'une fiche de content/{folder}/ ou ignore."
