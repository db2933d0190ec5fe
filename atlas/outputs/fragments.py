"""Extra outputs beside the pages: each producer yields (path, bytes) for the staging folder.

Producers run after the pages are rendered and before the output is swapped in, so their files
share the atomic swap and the « write only what changed » rule. Finishers then run on the whole
staging folder (e.g. a search indexer that reads the rendered HTML).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from ..link.graph import Atlas

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
    wanted: Callable[[dict[str, Any]], bool] = lambda site: True  # False: skipped, its folder dropped


class Fragments:
    """Pieces of producer output (an entry's JSON record, a CSV row) kept with what they read.

    The same rule as for pages: a piece is made again only when one of the dependencies it
    recorded changed, so an edit re-exports one entry, not the whole atlas.
    """

    def __init__(self, previous: dict[str, tuple[tuple[str, ...], Any]], changed: set[str] | None) -> None:
        self.previous = previous
        self.changed = changed  # None: nothing can be reused (first build, new settings or code)
        self.current: dict[str, tuple[tuple[str, ...], Any]] = {}

    def get(self, key: str, make: Callable[[set[str]], Any]) -> Any:
        """The piece named `key`: reused, or made by make(deps) which adds what it reads to deps."""
        old = self.previous.get(key)
        if old is not None and self.changed is not None and self.changed.isdisjoint(old[0]):
            self.current[key] = old
            return old[1]
        deps: set[str] = set()
        value = make(deps)
        self.current[key] = (tuple(sorted(deps)), value)
        return value


_ACTIVE: list[Fragments] = []


def fragment(key: str, make: Callable[[set[str]], Any]) -> Any:
    """For producers: a remembered piece when a build is running with a cache, else made now."""
    if _ACTIVE:
        return _ACTIVE[-1].get(key, make)
    return make(set())
