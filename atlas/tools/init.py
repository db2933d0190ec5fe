"""`build.py init DIR`: a new atlas that checks, builds and publishes as it is.

The recipe: check the request (plan), compute every file in memory (files), then write them
all into DIR (write). Nothing is written when anything is wrong, and DIR must be absent or
empty (a `.git` folder alone is allowed, for a freshly cloned empty repository).

The files are templates shipped inside the package (atlas/tools/site/, with `%%name%%`
placeholders filled in one pass; `dot-x` stands for `.x`, which package data globs skip), plus what is generated from the engine itself so that it
follows the engine's version: atlas.yaml from the settings' defaults (config.DEFAULTS) with a
French comment for each, the JSON Schemas, CONTRIBUTING.md's generated blocks and the issue
form. Nothing written names an entry of another atlas: examples name this atlas's own entries.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
import textwrap
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from .. import __version__, config
from ..model.jsonschema import render as render_schema
from ..model.kinds import SCHEMAS
from ..model.problems import AtlasError
from ..read.source import slugify
from . import audit, docgen, issueform

TEMPLATES = Path(__file__).resolve().parent / "site"
REPOSITORY = "https://github.com/atlas-ess/atlas-ess"  # where the engine lives; tags are v<version>
PACKAGE = "atlas-ess"
EXTRA = "audit"  # the engine's optional dependencies the pull-request workflow needs (playwright)
THEME = ("Vie associative", "vie-associative")  # the atlas's first theme, to rename or keep
_PLACEHOLDER = re.compile(r"%%(\w+)%%")
ALLOWED_IN_DIR = {".git"}

# A French comment for every setting; a setting the engine has and this table lacks fails a test.
SETTING_HELP: dict[str, str] = {
    "title": "Nom de l'atlas, en haut de chaque page et dans l'onglet du navigateur.",
    "description": "Une phrase qui présente l'atlas : moteurs de recherche, partages, flux.",
    "base_url": "Adresse publique du site (https://organisation.github.io/atlas/). Vide : liens relatifs à la "
                "racine ; la publication sur GitHub Pages passe la sienne avec --base-url.",
    "language": "Langue des pages (code ISO 639-1).",
    "contact": "Adresse de contact (courriel ou page web), affichée en pied de page et dans la déclaration "
               "d'accessibilité.",
    "repository": "Adresse du dépôt (https://github.com/organisation/atlas) : chaque fiche reçoit un lien "
                  "« Proposer une correction » vers son fichier.",
    "branch": "Branche du dépôt vers laquelle les corrections sont proposées.",
    "licence_text": "Licence des textes des fiches.",
    "licence_data": "Licence des données structurées (exports CSV, JSON, GeoJSON).",
    "tiles_url": "Fond de carte, chargé seulement si le lecteur le demande (serveur de tuiles {z}/{x}/{y}).",
    "tiles_attribution": "Mention exigée par le fournisseur du fond de carte.",
    "stale_months": "Au-delà de ce nombre de mois sans vérification (champ updated), une fiche porte la "
                    "mention « à vérifier » ; 0 la retire.",
    "menu": "Menu en haut de chaque page : libellé et adresse de chaque lien (un lien vers une page qui "
            "n'existe pas est une erreur).",
    "footer": "Liens du pied de page, vérifiés comme ceux du menu.",
    "accessibility": "État de conformité au RGAA, affiché en pied de page et dans la déclaration : "
                     "« non conforme », « partiellement conforme » ou « totalement conforme ».",
    "accessibility_page": "Identifiant de la page libre (content/pages/) qui porte la déclaration "
                          "d'accessibilité ; vide : pas de lien.",
    "links": "Liens internes cassés : error (par défaut) ou warn, le temps d'une migration ; --strict en "
             "refait des erreurs.",
    "types": "Types de fiches propres à l'atlas, par sorte de fiche (les listes intégrées par défaut).",
    "fields": "Champs propres à l'atlas : nom, type, libellé, obligatoire ou non.",
}
# Settings written as active lines (this atlas's own); the others are shown commented, at their default.
ACTIVE = ("title", "description", "base_url", "contact", "repository", "accessibility", "menu", "footer")


@dataclass(frozen=True)
class NewAtlas:
    """What `init` was asked for, checked."""

    title: str
    description: str
    territory: str
    territory_slug: str
    base_url: str
    requirement: str


def requirement_line(spec: str | None) -> str:
    """The requirements.txt line for the engine, with its audit extra, from --engine.

    None -> this repository at this version; a path (folder or wheel) -> a file:// URL; any
    other URL -> as a direct reference; a requirement naming the package -> as given.
    """
    if spec is None:
        return f"{PACKAGE}[{EXTRA}] @ git+{REPOSITORY}@v{_version()}"
    spec = spec.strip()
    if "://" in spec:
        return f"{PACKAGE}[{EXTRA}] @ {spec}"
    if spec.startswith((PACKAGE, PACKAGE.replace("-", "_"))):
        return spec
    path = Path(spec).expanduser()
    if spec.startswith(("/", ".", "~")) or path.exists():
        if not path.exists():
            raise AtlasError(f"--engine {spec}: no such folder or wheel")
        return f"{PACKAGE}[{EXTRA}] @ {path.resolve().as_uri()}"
    raise AtlasError(f"--engine {spec!r}: give a git or web URL, a path to a clone or a wheel, or a requirement "
                     f"starting with {PACKAGE} (e.g. {PACKAGE}=={_version()})")


def _version() -> str:
    try:
        return metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:  # running from a source tree that was never installed
        return __version__


def plan(title: str | None, territory: str, base_url: str, engine: str | None) -> NewAtlas:
    """The checked request; AtlasError naming the option and the fix otherwise."""
    territory = " ".join((territory or "").split())
    if not slugify(territory):
        raise AtlasError("--territory: give the name of the atlas's territory, e.g. --territory \"Pays basque\"")
    title = " ".join((title if title is not None else f"Atlas de l'ESS : {territory}").split())
    if not title or len(title) > 120:
        raise AtlasError("--title: give a title of 1 to 120 characters, e.g. --title \"Atlas de l'ESS du "
                         f"{territory}\"")
    url = base_address(base_url)
    description = (f"L'économie sociale et solidaire — {territory} : acteurs, lieux, programmes et territoires, "
                   "avec leurs sources.")
    return NewAtlas(title, description, territory, slugify(territory), url, requirement_line(engine))


def base_address(url: str | None) -> str:
    """The public address as atlas.yaml stores it ('' or 'https://host/path/'); AtlasError otherwise."""
    url = (url or "").strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in url or parts.query or parts.fragment:
        raise AtlasError(f"--base-url {url!r}: give the site's public address, http or https, e.g. "
                         "https://organisation.github.io/atlas/")
    path = "/" + parts.path.strip("/") + "/" if parts.path.strip("/") else "/"
    return f"{parts.scheme}://{parts.netloc}{path}"


def fill(text: str, values: dict[str, str], name: str) -> str:
    """The template's %%placeholders%% replaced in one pass (a value is never read as a placeholder)."""
    def value(match: re.Match[str]) -> str:
        if match.group(1) not in values:
            raise KeyError(f"{name}: unknown placeholder %%{match.group(1)}%%")
        return values[match.group(1)]
    return _PLACEHOLDER.sub(value, text)


def _yaml_lines(name: str, value: Any) -> list[str]:
    text = yaml.safe_dump({name: value}, allow_unicode=True, sort_keys=False, default_flow_style=False, width=4096)
    return text.rstrip("\n").splitlines()


def settings_yaml(atlas: NewAtlas, defaults: dict[str, Any] | None = None) -> str:
    """atlas.yaml: every setting the engine has, each under its French comment; the atlas's own
    settings active, the others commented out at their default value."""
    defaults = dict(config.DEFAULTS if defaults is None else defaults)
    own = {"title": atlas.title, "description": atlas.description, "base_url": atlas.base_url}
    out = ["# Réglages de l'atlas. Une ligne qui commence par # est un commentaire ; pour changer un réglage",
           "# montré en commentaire, retirez le # de sa ligne. Un réglage inconnu est une erreur.", ""]
    for name, default in defaults.items():
        if name not in SETTING_HELP:
            raise KeyError(f"atlas.yaml: setting '{name}' has no French help in init.SETTING_HELP")
        out += ["# " + line for line in textwrap.wrap(SETTING_HELP[name], 98)]
        lines = _yaml_lines(name, own.get(name, default))
        out += lines if name in ACTIVE else [f"# {line}" for line in lines]
        out.append("")
    return "\n".join(out)


def _values(atlas: NewAtlas) -> dict[str, str]:
    return {
        "title": atlas.title, "title_yaml": json.dumps(atlas.title, ensure_ascii=False),
        "description_yaml": json.dumps(atlas.description, ensure_ascii=False),
        "territory": atlas.territory, "territory_yaml": json.dumps(atlas.territory, ensure_ascii=False),
        "territory_slug": atlas.territory_slug,
        "theme": THEME[0], "theme_slug": THEME[1],
        "licence_text": str(config.DEFAULTS.get("licence_text", "")),
        "licence_data": str(config.DEFAULTS.get("licence_data", "")),
        "requirement": atlas.requirement, "version": _version(), "repository": REPOSITORY,
        "npm_checkers": audit.npm_command(),
    }


def files(atlas: NewAtlas) -> dict[str, str]:
    """Relative path -> text of every file of the new atlas."""
    values = _values(atlas)
    out: dict[str, str] = {}
    for path in sorted(TEMPLATES.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            rel = fill(path.relative_to(TEMPLATES).as_posix(), values, path.name)
            rel = "/".join("." + part[4:] if part.startswith("dot-") else part for part in rel.split("/"))
            out[rel] = fill(path.read_text(encoding="utf-8"), values, rel)
    out["atlas.yaml"] = settings_yaml(atlas)
    out["CONTRIBUTING.md"] = docgen.refresh(out["CONTRIBUTING.md"])
    out[issueform.PATH] = issueform.issue_form()
    for kind in SCHEMAS:
        out[f"schemas/{kind}.schema.json"] = render_schema(kind)
    return dict(sorted(out.items()))


def refuse(folder: Path) -> str | None:
    """Why `init` cannot write into folder, or None."""
    if folder.exists() and not folder.is_dir():
        return f"{folder} exists and is not a folder"
    if folder.is_dir():
        others = sorted(p.name for p in folder.iterdir() if p.name not in ALLOWED_IN_DIR)
        if others:
            shown = ", ".join(others[:5]) + (" …" if len(others) > 5 else "")
            return f"{folder} is not empty ({shown}): nothing written; choose a new folder"
    return None


def write(folder: Path, texts: dict[str, str]) -> None:
    """Write every file into a staging folder beside `folder`, then move them in: all or nothing."""
    reason = refuse(folder)
    if reason:
        raise AtlasError(reason)
    folder.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".atlas-init-", dir=folder.parent) as tmp:
        stage = Path(tmp)
        for rel, text in texts.items():
            target = stage / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        (stage / "build.py").chmod(0o755)
        folder.mkdir(exist_ok=True)
        for child in sorted(stage.iterdir()):
            shutil.move(str(child), str(folder / child.name))


def command(args: argparse.Namespace) -> int:
    """The `init` command: exit 0 with the atlas written, 1 on a bad request (nothing written)."""
    try:
        atlas = plan(args.title, args.territory, args.base_url, args.engine)
        texts = files(atlas)
        write(args.dir, texts)
    except AtlasError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"init: {len(texts)} files written into {args.dir}", file=sys.stderr)
    print("next:\n"
          f"  cd {args.dir}\n"
          "  python3 -m venv .venv && .venv/bin/pip install -r requirements.txt\n"
          "  .venv/bin/python build.py serve     # preview on http://127.0.0.1:8000/\n"
          "then read README.md (in French) to publish it on GitHub Pages", file=sys.stderr)
    return 0
