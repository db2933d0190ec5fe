"""Extra outputs beside the pages: each producer yields (path, bytes) for the staging folder.

Producers run after the pages are rendered and before the output is swapped in, so their files
share the atomic swap and the « write only what changed » rule. Finishers then run on the whole
staging folder (e.g. a search indexer that reads the rendered HTML).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterable

from .graph import Atlas

Producer = Callable[[Atlas, dict[str, Any]], Iterable[tuple[str, bytes]]]
Finisher = Callable[[Path, Atlas, dict[str, Any]], None]

PRODUCERS: list[Producer] = []
FINISHERS: list[Finisher] = []
