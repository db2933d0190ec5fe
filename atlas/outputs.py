"""Extra outputs beside the pages: each producer yields (path, bytes) for the staging folder.

Producers run after the pages are rendered and before the output is swapped in, so their files
share the atomic swap and the « write only what changed » rule. Finishers then run on the whole
staging folder (e.g. a search indexer that reads the rendered HTML).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from .graph import Atlas

Producer = Callable[[Atlas, dict[str, Any]], Iterable[tuple[str, bytes]]]


@dataclass(frozen=True)
class Finisher:
    """A step over the whole next site (e.g. a search indexer) that owns one output sub-folder.

    `run(site_dir, atlas, site)` writes only under `site_dir / folder`. The build empties that
    folder first, records what it wrote, and skips the step (keeping its previous files) when no
    other file of the site changed.
    """

    folder: str
    run: Callable[[Path, Atlas, dict[str, Any]], None]


PRODUCERS: list[Producer] = []
FINISHERS: list[Finisher] = []
