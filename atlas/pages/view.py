"""What templates see: plain data built from the Atlas, recording every entry a page reads.

Each page gets its context through a View. Whatever the View hands out is recorded as a
dependency of that page at the moment it is read, so the cache knows exactly which pages an
edit can change (the way Lektor records dependencies), and no template can reach around it.
"""

from __future__ import annotations

from typing import Any, Mapping

from ..link.graph import Atlas, letter
from ..model.kinds import FORWARD_LABELS, INVERSE_LABELS, KINDS, Entry, entry_url
from ..model import deps
from . import paging
from .pictures import picture
from .status import status

class View:
    """Read access to the Atlas for one page; `deps` lists what was read."""

    def __init__(self, atlas: Atlas, exports: Mapping[str, Any] | None = None) -> None:
        self.atlas = atlas
        self.exports = exports or {}  # what the open data files hold, for the page describing them
        self.deps: set[deps.Dep] = set()  # keys of model/deps.py
        self.spawned: list[Any] = []  # pages this one's long lists continue on (pages/paging.py)
        self.long_lists: list[paging.ListId] = []  # lists this page shows the first cards of

    def card(self, entry: Entry) -> dict[str, Any]:
        """What a list item shows: title, URL, kind, type, summary and theme links."""
        self.deps.add(deps.card(entry.kind, entry.slug))
        return {
            "title": entry.title,
            "url": entry_url(entry.kind, entry.slug),
            "kind": entry.kind,
            "kind_label": KINDS[entry.kind].singular,
            "type": entry.get("type", ""),
            "type_label": self.atlas.model.type_label(entry.kind, entry.get("type", "")),
            "summary": entry.get("summary", ""),
            "themes": [self.link(t) for t in self.atlas.refs(entry, "themes")] if entry.kind != "pages"
            and entry.kind != "themes" else [],
            "territory": entry.get("territory", ""),
            "letter": letter(entry.title),
            "status": status(self, entry),  # programmes: « à venir », « ouvert », « clos »
            "picture": picture(self, entry),  # a thumbnail when the entry has an image
        }

    def link(self, entry: Entry) -> dict[str, str]:
        """Just a title and a URL."""
        self.deps.add(deps.card(entry.kind, entry.slug))
        return {"title": entry.title, "url": entry_url(entry.kind, entry.slug)}

    def cards(self, entries: list[Entry]) -> list[dict[str, Any]]:
        return [self.card(e) for e in entries]

    def group(self, group_id: str, label: str, members: Any, list_id: paging.ListId) -> dict[str, Any]:
        """A titled group of cards on an entry page: the first PREVIEW of a long list, which then
        goes on on pages of its own (`more`: the URL of the first, `total`: how many in all)."""
        total = len(members)
        if total <= paging.PREVIEW:
            return {"id": group_id, "label": label, "cards": self.cards(members), "total": total, "more": ""}
        self.long_lists.append(list_id)
        return {"id": group_id, "label": label, "cards": self.cards(list(members)[:paging.PREVIEW]), "total": total,
                "more": paging.first_url(list_id)}

    def listing(self, kind: str) -> list[Entry]:
        """Every entry of a kind; the page then depends on which entries exist."""
        self.deps.add(deps.kind_list(kind))
        return self.atlas.by_kind.get(kind, [])

    def count(self, kind: str) -> int:
        self.deps.add(deps.kind_list(kind))
        return len(self.atlas.by_kind.get(kind, []))

    def fields(self, entry: Entry) -> Entry:
        """The entry's fields, without reading its body: the page depends on the whole file."""
        self.deps.add(deps.entry(entry.kind, entry.slug))
        return entry

    def full(self, entry: Entry) -> Entry:
        """The whole entry: the page changes with any byte of its file."""
        self.deps.add(deps.entry(entry.kind, entry.slug))
        return self.atlas.with_body(entry)

    def relations(self, entry: Entry, shown: frozenset[str] = frozenset()) -> list[dict[str, Any]]:
        """Every relation of an entry, forward and inverse, as titled groups of cards.

        « Cité dans » (mentions in bodies) lists only what the page shows nowhere else: not the
        entries of the typed relations above it, not its territory or themes, nor the URLs in
        `shown` (what the page lists besides, e.g. a territory's contents).
        """
        self.deps.add(deps.around(entry.kind, entry.slug))
        atlas, groups = self.atlas, []
        listed = set(shown)  # URLs of the cards and links the page shows
        for spec in atlas.model.fields[entry.kind]:
            if spec.type in ("ref", "refs") and spec.name not in ("themes", "territory") and not spec.extra:
                found = atlas.related(entry, spec.name)
                listed.update(entry_url(e.kind, e.slug) for e in found)
                if found:
                    groups.append(self.group(spec.name, FORWARD_LABELS[(entry.kind, spec.name)], found,
                                             paging.ListId("f", entry.kind, entry.slug, field=spec.name)))
        for (kind, name), label in INVERSE_LABELS.items():
            if (kind, name) == ("actors", "partners"):
                continue  # shown with the forward partners
            found = atlas.pointing(entry, kind, name)
            listed.update(entry_url(e.kind, e.slug) for e in found)
            if found:
                groups.append(self.group(f"{kind}-{name}", label, found,
                                         paging.ListId("i", entry.kind, entry.slug, kind, name)))
        listed.update(entry_url(e.kind, e.slug) for name in ("territory", "themes") if name in entry.values
                      for e in atlas.refs(entry, name))
        mentioned = [e for e in atlas.mentions.get(entry.key, []) if entry_url(e.kind, e.slug) not in listed]
        if mentioned:
            groups.append(self.group("mentions", "Cité dans", mentioned, paging.ListId("m", entry.kind, entry.slug)))
        return groups

    def within(self, entry: Entry) -> list[dict[str, Any]]:
        """For a territory or theme: everything under it (and its descendants), grouped by kind."""
        self.deps.add(deps.around(entry.kind, entry.slug))
        found = self.atlas.within.get(entry.key, [])
        groups = []
        for kind in ("actors", "places", "programmes", "territories"):
            members = [e for e in found if e.kind == kind]
            if members:
                groups.append(self.group(KINDS[kind].segment, KINDS[kind].plural, members,
                                         paging.ListId("w", entry.kind, entry.slug, kind)))
        return groups

    def ancestors(self, entry: Entry) -> list[dict[str, str]]:
        chain = self.atlas.ancestors(entry)
        for e in chain:
            self.deps.add(deps.card(e.kind, e.slug))
            self.deps.add(deps.entry(e.kind, e.slug))  # their parent field decides the chain
        return [self.link(e) for e in reversed(chain)]

    def by_type(self, kind: str, type_: str) -> list[Entry]:
        """The entries of one type; the page then depends on which entries have that type."""
        self.deps.add(deps.type_list(kind, type_))
        return self.atlas.by_type.get((kind, type_), [])

    def types(self, kind: str) -> list[tuple[str, int]]:
        """(type, how many entries have it) for a kind, sorted by type."""
        self.deps.add(deps.kind_list(kind))
        found = sorted((t, len(members)) for (k, t), members in self.atlas.by_type.items() if k == kind)
        for t, _ in found:
            self.deps.add(deps.type_list(kind, t))
        return found
