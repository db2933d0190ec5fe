"""`build.py new <kind> "<Titre>"`: a new entry with every field of its kind, commented in French."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import textwrap
from pathlib import Path
from typing import Any, Mapping

from .. import config
from ..model.kinds import ENTRY_KINDS, KINDS, Field
from ..model.problems import closest
from ..model.vocabulary import BUILTIN, Model, of_settings
from ..read.source import EXTENSIONS, parse_yaml, slugify

# Every spelling a contributor may type for a kind: the folder, the French singular (with or
# without accent) and the URL segment.
KIND_NAMES: dict[str, str] = {}
for _kind in ENTRY_KINDS:
    _info = KINDS[_kind]
    for _name in (_kind, _info.prefix, _info.singular, _info.segment, slugify(_info.singular), _info.plural.lower()):
        KIND_NAMES.setdefault(_name, _kind)

EMPTY = {"refs": "[]", "strs": "[]", "sources": "[]"}  # what an unfilled field holds; else nothing
# What a reference example names when the atlas has no entry of the target kind yet: an
# obvious placeholder, never an entry of some other atlas.
PLACEHOLDER_SLUG = {"actors": "nom-de-la-structure", "places": "nom-du-lieu", "programmes": "nom-du-programme",
                    "territories": "nom-du-territoire", "themes": "nom-de-la-thematique"}
BODY_NOTE = {
    "actors": "qui elle est, ce qu'elle fait, pour qui, où, depuis quand",
    "places": "ce qu'on y trouve, qui l'occupe, comment y venir",
    "programmes": "ce qu'il finance ou accompagne, pour qui, quand, avec quels résultats",
    "territories": "sa place dans l'ESS, les lieux et acteurs qui y sont",
    "themes": "ce que recouvre la thématique et qui y agit",
}


def resolve_kind(name: str) -> str | None:
    """The content folder for any accepted spelling of a kind ('acteur', 'actors', 'lieu'…)."""
    return KIND_NAMES.get(name.strip().lower()) or KIND_NAMES.get(slugify(name))


def inline_yaml(value: Any, nested: bool = False) -> str:
    """A value as one line of YAML, the way a contributor would write it: quotes only if needed."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {inline_yaml(v, True)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(inline_yaml(v, True) for v in value) + "]"
    if not isinstance(value, str):
        return json.dumps(value)
    # Read it back with the project's own loader, which keeps dates as text.
    probe = f"k: [{value}]" if nested else f"k: {value}"
    plain = value.strip() == value and parse_yaml(probe, "", 0, [])[0] == {"k": [value] if nested else value}
    return value if plain else json.dumps(value, ensure_ascii=False)


def example_slugs(root: Path) -> dict[str, str]:
    """Kind -> the first slug (in file-name order) of the atlas's own entries of that kind."""
    found: dict[str, str] = {}
    for kind in ENTRY_KINDS:
        folder = root / "content" / kind
        stems = sorted(p.stem for p in folder.iterdir() if p.suffix in EXTENSIONS and p.is_file()) \
            if folder.is_dir() else []
        stems = [s for s in stems if slugify(s) == s]
        if stems:
            found[kind] = stems[0]
    return found


def example(spec: Field, slugs: Mapping[str, str] | None = None) -> str:
    """`name: value` as a contributor would write the field: a reference names one of the atlas's
    own entries (`slugs`, kind -> slug) when it has one, else the model's neutral example."""
    value = spec.example
    if spec.ref:
        slug = (slugs or {}).get(spec.ref)
        if slug is None and value in (None, "", []):
            slug = PLACEHOLDER_SLUG[spec.ref]
        if slug is not None:
            value = [slug] if spec.type == "refs" else slug
    return f"{spec.name}: {inline_yaml(value)}"


def link_example(slugs: Mapping[str, str]) -> str:
    """A body link to one of the atlas's entries (a territory first), or to a placeholder."""
    kind = next((k for k in ("territories", "themes", "places", "actors", "programmes") if k in slugs), "territories")
    target = f"{KINDS[kind].prefix}:{slugs.get(kind, PLACEHOLDER_SLUG[kind])}"
    return f"[texte du lien]({target}), ou [](" + target + ") pour reprendre le titre de la fiche"


def _comment(spec: Field, kind: str, model: Model, slugs: Mapping[str, str]) -> list[str]:
    lines = textwrap.wrap(spec.help + (" Obligatoire." if spec.required else ""), 96)
    if spec.type == "enum":
        lines += textwrap.wrap("Valeurs : " + ", ".join(f"{c} ({model.type_label(kind, c) or c})" for c in spec.choices)
                               + ".", 96, break_on_hyphens=False)
    if spec.ref:
        many = spec.type == "refs"
        lines.append(("Une liste d'identifiants" if many else "Un identifiant")
                     + f" de fiche de content/{spec.ref}/ (nom du fichier sans .md).")
    lines.append(f"Exemple : {example(spec, slugs)}")
    return ["# " + line for line in lines]


def render(kind: str, title: str, today: dt.date, slugs: Mapping[str, str] | None = None,
           model: Model = BUILTIN) -> str:
    """The text of a new entry: front matter with every field of the atlas's model, commented, and an
    empty body; examples of references name the atlas's own entries (`slugs`, see example_slugs)."""
    slugs = slugs or {}
    singular = KINDS[kind].singular
    out = ["---",
           f"# yaml-language-server: $schema=../../schemas/{kind}.schema.json",
           f"# Nouvelle fiche {singular}. Remplissez ce que vous savez, de source sûre ; un champ",
           "# laissé vide est ignoré. Les lignes qui commencent par # sont des commentaires.",
           "# Guide : CONTRIBUTING.md. Vérifier : python build.py check",
           ""]
    for spec in model.fields[kind]:
        out.extend(_comment(spec, kind, model, slugs))
        if spec.name == "title":
            out.append(f"title: {inline_yaml(title)}")
        elif spec.name == "updated":
            out.append(f"updated: {today.isoformat()}")
        else:
            value = EMPTY.get(spec.type, "")
            out.append(f"{spec.name}: {value}".rstrip())
        out.append("")
    out += [f"# Sous la ligne --- ci-dessous, la présentation en Markdown : {BODY_NOTE[kind]}.",
            f"# Liens vers d'autres fiches : {link_example(slugs)}.",
            "---", "", ""]
    return "\n".join(out)


def existing(folder: Path, slug: str) -> Path | None:
    """An entry file that already holds this slug, whatever its extension."""
    for ext in EXTENSIONS:
        if (folder / f"{slug}{ext}").exists():
            return folder / f"{slug}{ext}"
    return None


def create(root: Path, kind_name: str, title: str, today: dt.date | None = None) -> Path:
    """Write content/<kind>/<slug>.md. ValueError on a bad kind or title, FileExistsError on a taken slug."""
    kind = resolve_kind(kind_name)
    if kind is None:
        hint = closest(kind_name.lower(), KIND_NAMES)
        raise ValueError(f"unknown kind '{kind_name}' ({hint + ' ' if hint else ''}one of: "
                         + ", ".join(ENTRY_KINDS) + " or " + ", ".join(KINDS[k].prefix for k in ENTRY_KINDS) + ")")
    title = " ".join(title.split())
    slug = slugify(title)
    if not slug:
        raise ValueError(f"the title '{title}' has no letter or digit to make a file name from")
    folder = root / "content" / kind
    taken = existing(folder, slug)
    if taken is not None:
        rel = taken.relative_to(root).as_posix()
        raise FileExistsError(f"{rel} already exists: nothing written (edit that file, or choose "
                              "another title if this is a different organisation, e.g. add the city)")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{slug}.md"
    with path.open("x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
        handle.write(render(kind, title, today or dt.date.today(), example_slugs(root), of_settings(config.load(root))))
    return path


def new(args: argparse.Namespace) -> int:
    """The `new` command: exit 0 with the file written, 1 when it exists, 2 on a usage error."""
    try:
        path = create(args.root, args.kind, args.title)
    except FileExistsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    rel = path.relative_to(args.root).as_posix()
    print(rel)
    print(f"created {rel}: fill in the fields, write the text below the second '---', "
          "then run: python build.py check", file=sys.stderr)
    return 0
