"""The theme lookup: a site's templates/ and assets/ override the engine's default theme file by file.

As MkDocs' `custom_dir` over its `theme`, or Hugo's project layouts over a theme's: the site's
folder is looked in first, then the theme shipped inside the package (atlas/theme/). An atlas
with empty or missing templates/ and assets/ builds with the default look.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import jinja2

from ..theme import FOLDER

THEME = FOLDER
THEME_TEMPLATES = THEME / "templates"
THEME_ASSETS = THEME / "assets"


def template_dirs(root: Path) -> list[Path]:
    """The template folders, in lookup order: the site's, then the theme's."""
    return [root / "templates", THEME_TEMPLATES]


def loader(root: Path) -> jinja2.BaseLoader:
    """A Jinja loader that finds a template in the site first, then in the theme."""
    return jinja2.FileSystemLoader([str(d) for d in template_dirs(root)])


def display_name(filename: str, root: Path) -> str:
    """How a template file is named in messages: `templates/x.html` for the site's, `theme:x.html` otherwise."""
    path = Path(filename)
    for folder, prefix in ((root / "templates", "templates/"), (THEME_TEMPLATES, "theme:")):
        try:
            return prefix + path.resolve().relative_to(folder.resolve()).as_posix()
        except ValueError:
            continue
    return path.name


def template_files(root: Path) -> Iterator[tuple[str, Path]]:
    """(display name, path) of every template file the site can use, overridden ones once."""
    seen: set[str] = set()
    for folder in template_dirs(root):
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            rel = path.relative_to(folder).as_posix()
            if path.is_file() and rel not in seen and not path.name.startswith("."):
                seen.add(rel)
                yield display_name(str(path), root), path


def asset_files(root: Path) -> dict[str, Path]:
    """site path (assets/…) -> file, the site's assets/ overriding the theme's with the same name."""
    found: dict[str, Path] = {}
    for folder in (THEME_ASSETS, root / "assets"):
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            rel = path.relative_to(folder)
            if path.is_file() and not any(part.startswith(".") for part in rel.parts):
                found["assets/" + rel.as_posix()] = path
    return dict(sorted(found.items()))
