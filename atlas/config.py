"""Site configuration: atlas.yaml at the root, command-line overrides, sane defaults."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from .model.problems import AtlasError
from .read.vocabularies import resolve as resolve_vocabularies

DEFAULTS: dict[str, Any] = {
    "title": "Atlas de l'ESS",
    "description": "L'atlas de l'économie sociale et solidaire.",
    "base_url": "",
    "language": "fr",
    "contact": "",
    "repository": "",
    "licence_text": "CC BY-SA 4.0",
    "licence_data": "Licence Ouverte 2.0",
    "tiles_url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    "tiles_attribution": "© les contributeurs d'OpenStreetMap",
    "stale_months": 18,  # pages say « à vérifier » when `updated` is this much older than the newest one
    "types": {},  # types added to each kind's built-in ones (atlas/model/vocabulary.py), or a file name
    "fields": {},  # extra fields per kind (atlas/model/vocabulary.py), or a file name
}


def load(root: Path, base_url: str | None = None) -> dict[str, Any]:
    """Merge atlas.yaml over the defaults, then derive base_path ('/' or '/atlas/')."""
    site = dict(DEFAULTS)
    path = root / "atlas.yaml"
    if path.exists():
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise AtlasError(f"atlas.yaml: {exc}") from exc
        if not isinstance(data, dict):
            raise AtlasError("atlas.yaml: expected a mapping of settings")
        unknown = set(data) - set(DEFAULTS)
        if unknown:
            raise AtlasError(f"atlas.yaml: unknown setting '{sorted(unknown)[0]}' (allowed: {', '.join(DEFAULTS)})")
        site.update(data)
    resolve_vocabularies(root, site)
    if base_url is not None:
        site["base_url"] = base_url
    site["base_url"], site["base_path"] = _base(str(site["base_url"] or ""))
    return site


def _base(url: str) -> tuple[str, str]:
    """('https://x.org/atlas/', '/atlas/') from any of 'https://x.org/atlas', '/atlas', ''."""
    if not url:
        return "", "/"
    parts = urlsplit(url)
    if parts.scheme and parts.scheme not in ("http", "https"):
        raise AtlasError(f"--base-url {url!r}: only http and https URLs or a path like /atlas/")
    path = "/" + parts.path.strip("/") + "/" if parts.path.strip("/") else "/"
    if parts.scheme:
        return f"{parts.scheme}://{parts.netloc}{path}", path
    return "", path
