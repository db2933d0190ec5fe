"""The points of the large maps, in one file the browser caches across pages: `carte/points.json`.

A map with more than pages/findpages.INLINE_POINTS candidates (the atlas map, the map of a large
territory) does not write its list of points into the page, which would make `/carte/` a
megabyte at 10,000 actors: assets/map.js fetches this file and draws, for a territory, the
points whose `territoires` name it. Each point is what the page's list would show (the same
`findpages.point`): title, URL, address, position, and for a place the structures it hosts.

One fragment per place or actor, by kind then slug (the map does not need them by title), so
that an edited title remakes one fragment and the file is spliced (fragments.py), not redone.
"""

from __future__ import annotations

import json
from functools import partial
from typing import Any, Iterable, Sequence

from ..link import Atlas
from ..model import deps as dep_keys
from ..pages import Page, View
from ..pages.findpages import POINTS_FILE, chain, point
from .fragments import Document, Joined
from .opendata import entry_key, fragment_keys

KINDS = ("places", "actors")  # what has a point of its own


def produce(atlas: Atlas, site: dict[str, Any], pages: Sequence[Page]) -> Iterable[tuple[str, bytes | Document]]:
    keys = [key for kind in KINDS for key in fragment_keys(atlas, kind)]
    yield POINTS_FILE, [b'{"points":[', Joined(keys, partial(_point, View(atlas)), b","), b"]}\n"]


def _point(view: View, key: str, deps: set[str]) -> bytes:
    """A place or an actor with its own position as a JSON object, else nothing."""
    entry = view.atlas.entries[entry_key(key)]
    view.deps = deps
    deps.add(dep_keys.entry(*entry.key))  # whether it has a position, and where it is
    if not entry.get("geo"):
        return b""
    found = point(view, entry)
    home = view.atlas.refs(entry, "territory") if "territory" in entry.values else []
    record = {name: found[name] for name in ("title", "url", "address", "lat", "lon", "approximate", "kind", "hosted")}
    record["territoires"] = [t.slug for t in chain(view, home[0])] if home else []  # their parents make it
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
