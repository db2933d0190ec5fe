"""Search: Pagefind indexes the staged site once every page is written (a finisher).

Only entry pages carry `data-pagefind-body`, so lists and the home page stay out of the results;
filters (kind, theme, territory, type) come from the `data-pagefind-filter` tags of
templates/search-filters.html. Pagefind folds diacritics itself: « economie » finds « Économie »
(checked by tests/browser/test_map_search.py), so no folded copy of the text is indexed.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from ..link.graph import Atlas
from .fragments import Finisher
from .pagefind_stable import FormatError, stabilise
from ..model.problems import AtlasError


def executable() -> str:
    """The Pagefind binary shipped by PyPI's pagefind[extended]."""
    try:
        from pagefind_bin_extended import get_executable
    except ImportError:
        raise AtlasError("Pagefind is not installed: pip install 'pagefind[extended]' "
                         "(python3 dev.py does it), or build with --no-search") from None
    return str(get_executable())


def index(staging: Path, atlas: Atlas, site: dict[str, Any]) -> None:
    """Write staging/pagefind/: the index and the search library the /recherche/ page loads."""
    if not site.get("search", True):
        return
    command = [executable(), "--site", str(staging), "--force-language", "fr", "--silent"]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise AtlasError(f"pagefind failed (exit {done.returncode}): {(done.stderr or done.stdout).strip()}")
    try:
        stabilise(staging / "pagefind")
    except (FormatError, OSError, ValueError, KeyError) as exc:
        raise AtlasError(f"pagefind wrote an index this version of the atlas cannot make stable: {exc}; "
                         "install the pagefind version pinned in pyproject.toml") from exc


FINISHER = Finisher("pagefind", index, wanted=lambda site: site.get("search", True))
