"""The incremental link: apply the changed entries to the stored graph, say what they touched.

A full link (graph.link) reads every entry; an edit needs only its own rows rewritten, if it
breaks nothing. update() does that and returns what the change may have touched, read on the
graph before and after it: the entries themselves, the entries whose inverse relations, mentions
or lists of entries within may differ, the kinds and types whose lists may differ. The cache
turns that into dependency keys (incremental/digests.py), compares their digests and re-renders
their readers. Whenever the change makes a problem — an unknown reference, a duplicate slug, a
parent cycle, a reference to an entry that is gone, an identifier given twice, a missing image —
update() gives up (returns None) and the
build links in full, which reports every problem exactly as a cold build does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from ..model.kinds import Entry
from ..model.vocabulary import BUILTIN, Model
from .graph import SECTIONS, Atlas, Key, references


class Graph(Protocol):
    """What the incremental link needs of a stored graph (incremental/stored.Graph has it)."""

    def atlas(self) -> Atlas: ...
    def linked_at(self, path: str) -> Key | None: ...
    def exists(self, key: Key) -> bool: ...
    def referrers(self, key: Key) -> list[Key]: ...
    def sharing_identifier(self, entry: Entry) -> bool: ...
    def add(self, entry: Entry) -> None: ...
    def remove(self, key: Key) -> None: ...


@dataclass(frozen=True)
class Change:
    """One entry file read again (`new`) or gone (`new` None), with what it was linked as."""

    path: str
    new: Entry | None


@dataclass
class Touched:
    """What a change may have altered, before and after it (a superset: digests decide)."""

    entries: set[Key] = field(default_factory=set)  # whose own file or card may differ
    around: set[Key] = field(default_factory=set)  # whose inverse relations, mentions or within may differ
    kinds: set[str] = field(default_factory=set)  # whose list of entries may differ
    types: set[tuple[str, str]] = field(default_factory=set)
    added: set[Key] = field(default_factory=set)
    removed: set[Key] = field(default_factory=set)


def linked(entry: Entry | None, drafts: bool) -> bool:
    """Whether a parsed entry takes part in the site (link() applies the same two rules)."""
    return (entry is not None and (drafts or not entry.get("draft"))
            and not (entry.kind == "pages" and entry.slug in SECTIONS))


def update(graph: Graph, changes: list[Change], drafts: bool, model: Model = BUILTIN) -> Touched | None:
    """Apply `changes` to `graph`; what they touched, or None when a full link must tell why not."""
    touched = Touched()
    before = graph.atlas()
    old_keys: dict[str, Key] = {}
    in_place: set[Key] = set()  # entries whose edit left their place in the graph as it was
    for change in changes:
        key = graph.linked_at(change.path)
        if key is not None:
            old_keys[change.path] = key
            entry = before.entries.get(key)
            if entry is None:
                continue
            if linked(change.new, drafts) and placement(entry, model) == placement(change.new, model):  # type: ignore[arg-type]
                in_place.add(key)
                touched.entries.add(key)
            else:
                _touch(touched, before, entry, model)
    for key in old_keys.values():
        graph.remove(key)
    if any(c.new is not None and c.new.kind == "pages" and c.new.slug in SECTIONS for c in changes):
        return None  # link() reports a page named after a section of the site
    new_entries = [c.new for c in changes if linked(c.new, drafts)]
    for entry in new_entries:
        assert entry is not None
        if graph.exists(entry.key):  # another file has this slug: link() reports the duplicate
            return None
        graph.add(entry)
    after = graph.atlas()
    if any(graph.referrers(key) for key in set(old_keys.values()) - {e.key for e in new_entries if e}):
        return None  # something still points at an entry that is gone
    for entry in new_entries:
        assert entry is not None
        if not _sound(after, entry, model) or graph.sharing_identifier(entry):
            return None
        if entry.key not in in_place:
            _touch(touched, after, entry, model)
    touched.removed = set(old_keys.values()) - {e.key for e in new_entries if e}
    touched.added = {e.key for e in new_entries if e} - set(old_keys.values())
    return touched


def placement(entry: Entry, model: Model) -> tuple[object, ...]:
    """What an entry gives the graph beyond its own page: its name and order in lists, type and
    date (lists, the newest and recent entries), references and body links (inverse relations,
    mentions, entries within). An edit that leaves it equal touches the entry alone: its page and
    cards read it through its own keys (`e`, `c`, `g`, `v`)."""
    return (entry.key, entry.title, entry.get("type"), entry.get("updated"), references(entry, model))


def _sound(atlas: Atlas, entry: Entry, model: Model) -> bool:
    """Every reference and body link of the entry resolves, no reference to itself, no parent cycle."""
    for name, target in references(entry, model):
        if target not in atlas.entries or (name and target == entry.key):
            return False
    seen, current = {entry.key}, entry
    while "parent" in current.values:
        parent = atlas.refs(current, "parent")
        if not parent:
            break
        if parent[0].key in seen:
            return False
        seen.add(parent[0].key)
        current = parent[0]
    return True


def _touch(touched: Touched, atlas: Atlas, entry: Entry, model: Model) -> None:
    """Record what the presence of `entry` in `atlas` contributes to."""
    touched.entries.add(entry.key)
    touched.kinds.add(entry.kind)
    if entry.get("type") is not None:
        touched.types.add((entry.kind, entry.get("type")))
    touched.around.add(entry.key)
    touched.around.update(target for _, target in references(entry, model) if target in atlas.entries)
    homes = atlas.refs(entry, "territory") if "territory" in entry.values else []
    for node in homes + (atlas.refs(entry, "themes") if "themes" in entry.values else []):
        touched.around.update(e.key for e in [node] + atlas.ancestors(node))
    if entry.kind in ("territories", "themes"):
        touched.around.update(e.key for e in atlas.ancestors(entry))
