"""What an entry's fact sheet shows beyond its own fields (templates/facts.html lays it out)."""

from __future__ import annotations

from typing import Any

from .findpages import address
from ..model.kinds import Entry
from .view import View, entry_url


def located(view: View, entry: Entry) -> list[dict[str, Any]]:
    """An actor's addresses: each of its places that has one, with the place's name and page."""
    if entry.kind != "actors":
        return []
    found = []
    for place in view.atlas.refs(entry, "places"):
        text = address(view.fields(place))
        if text:
            found.append({"title": place.title, "url": entry_url(place.kind, place.slug), "address": text})
    return found
