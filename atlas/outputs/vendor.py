"""Leaflet and Leaflet.markercluster, copied from node_modules into assets/vendor/ by every build.

They come from npm at the versions pinned in package.json (`npm ci --ignore-scripts`), are never
committed and never loaded from a CDN. node_modules is looked up beside the generator, where
package.json is, so any atlas folder built by this checkout finds it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable

from ..link.graph import Atlas
from .fragments import PRODUCERS
from ..model.problems import AtlasError

NODE_MODULES = Path(__file__).resolve().parent.parent.parent / "node_modules"
# package -> files of the package to publish (dist/ keeps its layout: leaflet.css finds images/)
FILES: dict[str, tuple[str, ...]] = {
    "leaflet": ("dist/leaflet.js", "dist/leaflet.css", "dist/images/layers.png", "dist/images/layers-2x.png",
                "dist/images/marker-icon.png", "dist/images/marker-icon-2x.png", "dist/images/marker-shadow.png",
                "LICENSE"),
    "leaflet.markercluster": ("dist/leaflet.markercluster.js", "dist/MarkerCluster.css",
                              "dist/MarkerCluster.Default.css", "MIT-LICENCE.txt"),
}


def vendor_files(node_modules: Path = NODE_MODULES) -> Iterable[tuple[str, bytes]]:
    """(assets/vendor/<package>/<file>, bytes) for each published file."""
    for package, files in FILES.items():
        folder = node_modules / package
        if not folder.is_dir():
            raise AtlasError(f"{folder} is missing: the map needs Leaflet from npm; run npm ci --ignore-scripts "
                             f"in {node_modules.parent} (python3 dev.py test does it)")
        _check_version(node_modules, package)
        for name in files:
            path = folder / name
            if not path.is_file():
                raise AtlasError(f"{path} is missing: run npm ci --ignore-scripts in {node_modules.parent}")
            target = name.removeprefix("dist/")
            yield f"assets/vendor/{package}/{target}", path.read_bytes()


def _check_version(node_modules: Path, package: str) -> None:
    """node_modules must hold the version package.json pins (a stale install is an error, not a surprise)."""
    pinned = json.loads((node_modules.resolve().parent / "package.json").read_text(encoding="utf-8"))["dependencies"][package]
    found = json.loads((node_modules / package / "package.json").read_text(encoding="utf-8"))["version"]
    if found != pinned:
        raise AtlasError(f"node_modules has {package} {found}, package.json pins {pinned}: "
                         f"run npm ci --ignore-scripts in {node_modules.parent}")


def produce(atlas: Atlas, site: dict[str, Any]) -> Iterable[tuple[str, bytes]]:
    return vendor_files()


PRODUCERS.append(produce)
