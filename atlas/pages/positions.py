"""Where entries are, for maps and the GeoJSON export, and the narrow dependency a map records.

A place has its own `geo`; an actor has its own too, or takes the positions of its places. The
map page and the territory pages read every actor: they record `g:actors/<slug>` (the fields
below), not the actor's whole file, so editing an actor's text does not render them again.
"""

from __future__ import annotations

from typing import Any

from ..model import deps
from ..model.kinds import Entry
from ..read.source import digest

POSITION_FIELDS = ("title", "geo", "address", "postcode", "city", "places")  # what `g:` covers


def whereabouts(view: Any, entry: Entry) -> Entry:
    """An entry read for its position: a place whole (its point shows its facts), an actor by
    POSITION_FIELDS only."""
    if entry.kind == "actors":
        view.deps.add(deps.position(entry.kind, entry.slug))
        return entry
    return view.fields(entry)


def position_digest(atlas: Any, rest: str) -> str:
    """The cache's digest of `g:<kind>/<slug>`: the entry's POSITION_FIELDS ('-' when it is gone)."""
    kind, _, slug = rest.partition("/")
    entry = atlas.get(kind, slug)
    return digest(repr([entry.get(name) for name in POSITION_FIELDS]).encode()) if entry is not None else "-"


def actor_positions(atlas: Any, actor: Entry) -> list[dict[str, Any]]:
    """Where an actor is: its own `geo`, else the positions of its places that have one."""
    if actor.get("geo"):
        return [actor.get("geo")]
    return [p.get("geo") for p in atlas.refs(actor, "places") if p.get("geo")]
