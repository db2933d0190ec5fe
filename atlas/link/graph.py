"""Link: resolve every reference once, build inverse relations and indexes in O(entries + refs)."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterator, Mapping, Sequence, overload

from ..model.dates import as_day
from ..model.kinds import ENTRY_KINDS, KINDS, SLUG_PATTERN, SYMMETRIC, Entry
from ..model.problems import AtlasError, Problem, closest
from ..model.vocabulary import BUILTIN, Model
from .entries import duplicate_identifiers

Key = tuple[str, str]
_SLUG = re.compile(SLUG_PATTERN)
# Free pages live at /<slug>/: these first segments belong to the site's own sections.
SECTIONS = frozenset({k.segment for k in KINDS.values() if k.segment} | {"a-z", "assets", "carte", "recherche", "donnees",
                                                                "pagefind"})
# « did you mean » compares with every slug of a kind (milliseconds in a large atlas): a file
# with thousands of unknown references gets hints for its first few only, not minutes of work.
MAX_HINTS = 10


_NOT_WORD = re.compile(r"[\W_]+")


def sort_key(title: str) -> str:
    """French collation by one documented rule: ignore case, accents and punctuation; keep articles.

    « Économie » sorts with E and « L'Aubergeoise » with L.
    """
    folded = title.casefold()
    if not folded.isascii():
        folded = unicodedata.normalize("NFKD", folded.replace("œ", "oe").replace("æ", "ae"))
        folded = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(_NOT_WORD.sub(" ", folded).split())


def letter(title: str) -> str:
    """The A–Z anchor an entry is filed under ('#' for digits and symbols)."""
    key = sort_key(title)
    first = key[:1].upper()
    return first if "A" <= first <= "Z" else "#"


def letter_of(sort: str) -> str:
    """letter() from a title's sort key."""
    first = sort[:1].upper()
    return first if "A" <= first <= "Z" else "#"


class EntryList(Sequence[Entry]):
    """Entries in a fixed order, held by key and resolved through `entries` as they are read.

    A list of 10,000 costs its keys (and their sort keys, for letters) until its items are read,
    so a page that shows 100 of them reads 100 entries, whichever store serves them.
    """

    __slots__ = ("keys", "sorts", "_entries", "_kinds", "_letters")

    def __init__(self, keys: Sequence[Key] = (), entries: Mapping[Key, Entry] | None = None,
                 sorts: Sequence[str] | None = None) -> None:
        self.keys, self.sorts, self._entries = keys, sorts, entries if entries is not None else {}
        self._kinds: dict[str, EntryList] = {}  # of_kind(), once per kind: every page of a list asks
        self._letters: list[str] | None = None

    def __len__(self) -> int:
        return len(self.keys)

    @overload
    def __getitem__(self, index: int) -> Entry: ...

    @overload
    def __getitem__(self, index: slice) -> "EntryList": ...

    def __getitem__(self, index: int | slice) -> "Entry | EntryList":
        if isinstance(index, slice):
            return EntryList(self.keys[index], self._entries, self.sorts[index] if self.sorts is not None else None)
        return self._entries[self.keys[index]]

    def __iter__(self) -> Iterator[Entry]:
        entries = self._entries
        many = getattr(entries, "many", None)  # a store that reads entries together (incremental/stored.py)
        if many is not None and len(self.keys) > 1:
            return iter(many(self.keys))
        return (entries[k] for k in self.keys)

    def __repr__(self) -> str:
        return f"EntryList({list(self.keys)!r})"

    def __eq__(self, other: object) -> bool:
        """Equal to any sequence of the same entries, as the lists it replaces were."""
        if isinstance(other, EntryList):
            return list(self.keys) == list(other.keys)
        return isinstance(other, (list, tuple)) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]  # mutable-like: compared by content

    def of_kind(self, kind: str) -> "EntryList":
        """The members of one kind, in the same order."""
        found = self._kinds.get(kind)
        if found is None:
            chosen = [i for i, k in enumerate(self.keys) if k[0] == kind]
            found = self._kinds[kind] = EntryList([self.keys[i] for i in chosen], self._entries,
                                                  [self.sorts[i] for i in chosen] if self.sorts is not None else None)
        return found

    def letters(self) -> list[str]:
        """The A–Z letter of each member, from the sort keys when known (no entry read); once a list."""
        if self._letters is None:
            self._letters = ([letter_of(s) for s in self.sorts] if self.sorts is not None
                             else [letter(e.title) for e in self])
        return self._letters


EMPTY = EntryList()


@dataclass
class Atlas:
    """Every valid entry, its references resolved, and who points at whom.

    The indexes are mappings: plain dictionaries after link(), or the cache store's lazy views
    (incremental/stored.py), which read from disk only what a build looks at. Lists are
    EntryLists in a documented order: by_kind and by_type by (sort key, slug); inverse lists the
    same; mentions and within by kind (KINDS order), then sort key, then slug.
    """

    root: Path | None = None  # where entry files are, to read bodies the cache left out
    model: Model = BUILTIN  # the atlas's fields and types (its settings)
    entries: Mapping[Key, Entry] = field(default_factory=dict)
    by_kind: Mapping[str, EntryList] = field(default_factory=dict)
    # target -> (source kind, field) -> sources
    inverse: Mapping[Key, Mapping[tuple[str, str], EntryList]] = field(default_factory=dict)
    mentions: Mapping[Key, EntryList] = field(default_factory=dict)  # cross-links in bodies
    within: Mapping[Key, EntryList] = field(default_factory=dict)  # territory/theme -> entries under it
    by_type: Mapping[tuple[str, str], EntryList] = field(default_factory=dict)
    alphabetical: EntryList = field(default_factory=EntryList)  # entries of ENTRY_KINDS by (sort key, kind, slug): the A–Z index
    by_update: EntryList = field(default_factory=EntryList)  # those with `updated`, newest first, then as alphabetical

    def get(self, kind: str, slug: str) -> Entry | None:
        return self.entries.get((kind, slug))

    def refs(self, entry: Entry, name: str) -> list[Entry]:
        """The entries a reference field points at, in the order written."""
        target = self.model.ref_kind(entry.kind, name)
        value = entry.get(name)
        slugs = [value] if isinstance(value, str) else list(value or ())
        found = (self.entries.get((target, s)) for s in slugs)
        return [e for e in found if e is not None]

    def pointing(self, entry: Entry, kind: str, name: str) -> EntryList:
        """Entries of `kind` whose field `name` points at `entry`."""
        return self.inverse.get(entry.key, {}).get((kind, name), EMPTY)

    def with_body(self, entry: Entry) -> Entry:
        """The entry with its Markdown body, read again from its file if the cache dropped it."""
        if entry.body is not None:
            return entry
        from ..read.source import read_body

        if self.root is None:
            raise AtlasError(f"{entry.path}: body not loaded")
        try:
            return replace(entry, body=read_body(self.root / entry.path))
        except (OSError, UnicodeDecodeError) as exc:
            raise AtlasError(f"{entry.path}: changed or removed during the build ({exc})") from exc

    def all(self) -> list[Entry]:
        """Every entry, in collation order."""
        return [e for kind in KINDS for e in self.by_kind.get(kind, EMPTY)]

    def related(self, entry: Entry, name: str) -> list[Entry]:
        """Forward references, plus inverse ones for a symmetric field (partners), without repeats."""
        found = self.refs(entry, name)
        if (entry.kind, name) in SYMMETRIC:
            found += [e for e in self.pointing(entry, entry.kind, name) if e not in found]
        return found

    def ancestors(self, entry: Entry) -> list[Entry]:
        """Parent, grandparent… (cycles were reported at link time and are cut here)."""
        chain: list[Entry] = []
        current = entry
        while (parent := self.refs(current, "parent") if "parent" in current.values else []):
            if parent[0] in chain or parent[0] is entry:
                break
            chain.append(parent[0])
            current = parent[0]
        return chain


def references(entry: Entry, model: Model = BUILTIN) -> list[tuple[str, Key]]:
    """(field, target) of every reference an entry makes, field '' for a cross-link in its body."""
    found: list[tuple[str, Key]] = []
    for spec in model.fields[entry.kind]:
        if spec.type in ("ref", "refs") and spec.name in entry.values:
            value = entry.values[spec.name]
            found += [(spec.name, (spec.ref, slug)) for slug in ([value] if spec.type == "ref" else value)]
    found += [("", (kind, slug)) for kind, slug, _ in entry.links]
    return found


def link(entries: list[Entry], drafts: bool = False, root: Path | None = None,
         unreadable: frozenset[Key] = frozenset(), model: Model = BUILTIN) -> tuple[Atlas, list[Problem]]:
    """Build the Atlas from validated entries; report unknown, wrong-kind and cyclic references,
    identifiers given twice and image files that are not there."""
    problems: list[Problem] = []
    atlas = Atlas(root=root, model=model)
    keyed: dict[Key, Entry] = {}
    for entry in sorted(entries, key=lambda e: e.path):
        if entry.get("draft") and not drafts:
            continue
        if entry.kind == "pages" and entry.slug in SECTIONS:
            problems.append(Problem(entry.path, 1, "", f"the page name '{entry.slug}' is taken by the "
                                    f"site's own section /{entry.slug}/", "rename the file"))
            continue
        other = keyed.get(entry.key)
        if other is not None:
            problems.append(Problem(entry.path, 1, "", f"duplicate slug '{entry.slug}', also {other.path}",
                                    "keep one file per slug"))
            continue
        keyed[entry.key] = entry
    atlas.entries = keyed
    sorts = {key: sort_key(e.title) for key, e in keyed.items()}
    slugs_by_kind: dict[str, set[str]] = defaultdict(set)
    kinds_of_slug: dict[str, list[str]] = defaultdict(list)
    for kind, slug in keyed:
        slugs_by_kind[kind].add(slug)
        kinds_of_slug[slug].append(kind)
    ordered = sorted(keyed.values(), key=lambda e: (sorts[e.key], e.slug))
    by_kind: dict[str, list[Entry]] = {kind: [] for kind in KINDS}
    for entry in ordered:
        by_kind[entry.kind].append(entry)
    atlas.by_kind = {kind: _listed(members, keyed, sorts) for kind, members in by_kind.items()}
    alphabetical = sorted((e for e in ordered if e.kind in ENTRY_KINDS), key=lambda e: (sorts[e.key], e.kind, e.slug))
    atlas.alphabetical = _listed(alphabetical, keyed, sorts)
    dated = [e for e in alphabetical if e.get("updated") is not None]
    dated.sort(key=lambda e: as_day(e.get("updated")), reverse=True)  # stable: ties stay alphabetical
    atlas.by_update = _listed(dated, keyed, sorts)

    inverse: dict[Key, dict[tuple[str, str], list[Entry]]] = defaultdict(lambda: defaultdict(list))
    hints: Counter[str] = Counter()
    for entry in ordered:
        for spec in model.fields[entry.kind]:
            if spec.type not in ("ref", "refs") or spec.name not in entry.values:
                continue
            value = entry.values[spec.name]
            for i, slug in enumerate([value] if spec.type == "ref" else value):
                where = spec.name if spec.type == "ref" else f"{spec.name}.{i}"
                if (spec.ref, slug) in unreadable:
                    continue  # its file has an error of its own: no second error here
                if slug not in slugs_by_kind[spec.ref]:
                    problems.append(_unknown(entry, where, spec.ref, slug, slugs_by_kind, kinds_of_slug, hints))
                elif (spec.ref, slug) == entry.key:
                    problems.append(Problem(entry.path, entry.line(where), where,
                                            f"'{slug}' refers to the entry itself", "remove it"))
                else:
                    inverse[(spec.ref, slug)][(entry.kind, spec.name)].append(entry)
    atlas.inverse = {k: {g: _listed(members, keyed, sorts) for g, members in v.items()} for k, v in inverse.items()}
    problems.extend(_cycles(atlas))
    problems.extend(_cross_links(atlas, slugs_by_kind, kinds_of_slug, hints, unreadable, sorts))
    problems.extend(duplicate_identifiers(ordered))
    _indexes(atlas, sorts)
    return atlas, problems


def _listed(entries: list[Entry], keyed: Mapping[Key, Entry], sorts: Mapping[Key, str]) -> EntryList:
    return EntryList([e.key for e in entries], keyed, [sorts[e.key] for e in entries])


def _unknown(entry: Entry, where: str, kind: str, slug: str, slugs_by_kind: dict[str, set[str]],
             kinds_of_slug: dict[str, list[str]], hints: Counter[str]) -> Problem:
    noun = KINDS[kind].singular
    if not _SLUG.match(slug):  # '../../etc', '/etc/passwd': never a file name to suggest
        from ..read.source import slugify

        meant = slugify(slug)  # 'Bayonne', 'Énergie': a title written for the slug it names
        hint = (f"did you mean '{meant}'? an identifier is the file name, lowercase, without accents"
                if meant in slugs_by_kind[kind] and "/" not in slug
                else "lowercase ASCII letters, digits and dashes, the file name without extension")
        return Problem(entry.path, entry.line(where), where.split(".")[0], f"'{slug}' is not a slug", hint)
    hints[entry.path] += 1
    guess = closest(slug, slugs_by_kind[kind]) if hints[entry.path] <= MAX_HINTS else ""
    elsewhere = [k for k in kinds_of_slug.get(slug, ()) if k != kind]
    if elsewhere:
        other = KINDS[elsewhere[0]].singular
        return Problem(entry.path, entry.line(where), where.split(".")[0],
                       f"'{slug}' is a {other} ({elsewhere[0]}), not a {noun}",
                       guess or f"only {kind} can be listed here")
    return Problem(entry.path, entry.line(where), where.split(".")[0], f"unknown {noun} '{slug}'",
                   guess or f"no file content/{kind}/{slug}.md")


def _cycles(atlas: Atlas) -> list[Problem]:
    """Report each `parent` cycle once, on its entry with the smallest path. Linear: each node once."""
    problems = []
    state: dict[Key, int] = {}  # 1 on the current walk, 2 done
    for entry in atlas.entries.values():
        if "parent" not in entry.values or entry.key in state:
            continue
        walk: list[Entry] = []
        current: Entry | None = entry
        while current is not None and current.key not in state:
            state[current.key] = 1
            walk.append(current)
            parent = atlas.refs(current, "parent") if "parent" in current.values else []
            current = parent[0] if parent else None
        if current is not None and state[current.key] == 1:
            ring = walk[walk.index(current):]
            if len(ring) > 1:  # a self-parent is already reported as a self-reference
                first = min(ring, key=lambda e: e.path)
                names = " -> ".join(e.slug for e in ring + [ring[0]])
                problems.append(Problem(first.path, first.line("parent"), "parent",
                                        f"cycle in parent: {names}", "one of them must not have this parent"))
        for node in walk:
            state[node.key] = 2
    return problems


def _cross_links(atlas: Atlas, slugs_by_kind: dict[str, set[str]],
                 kinds_of_slug: dict[str, list[str]], hints: Counter[str],
                 unreadable: frozenset[Key], sorts: Mapping[Key, str]) -> list[Problem]:
    problems = []
    mentions: dict[Key, list[Entry]] = defaultdict(list)
    for entry in atlas.all():
        for kind, slug, line in entry.links:
            if (kind, slug) in unreadable:
                continue
            if slug not in slugs_by_kind[kind]:
                problem = _unknown(entry, "body", kind, slug, slugs_by_kind, kinds_of_slug, hints)
                problems.append(Problem(entry.path, line, "body", f"link to {KINDS[kind].prefix}:{slug}: "
                                        + problem.message, problem.hint))
            elif (kind, slug) != entry.key and (not mentions[(kind, slug)] or mentions[(kind, slug)][-1] is not entry):
                mentions[(kind, slug)].append(entry)
    atlas.mentions = {k: _listed(v, atlas.entries, sorts) for k, v in mentions.items()}
    return problems


def _indexes(atlas: Atlas, sorts: Mapping[Key, str]) -> None:
    """Territories and themes list everything under them and their descendants; types group entries."""
    within: dict[Key, list[Entry]] = defaultdict(list)
    by_type: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    chains: dict[Key, list[Entry]] = {}

    def chain(node: Entry) -> list[Entry]:
        found = chains.get(node.key)
        if found is None:
            found = chains[node.key] = [node] + atlas.ancestors(node)
        return found

    for entry in atlas.all():
        if entry.kind in ("actors", "places", "programmes") and "type" in entry.values:
            by_type[(entry.kind, entry.values["type"])].append(entry)
        if entry.kind in ENTRY_KINDS and entry.kind != "themes" and "territory" in entry.values:
            home = atlas.get("territories", entry.values["territory"])
            if home is not None:
                for territory in chain(home):
                    within[territory.key].append(entry)
        for theme_slug in entry.values.get("themes", ()):
            theme = atlas.get("themes", theme_slug)
            if theme is None:
                continue
            for node in chain(theme):
                if not within[node.key] or within[node.key][-1] is not entry:
                    within[node.key].append(entry)
    atlas.within = {k: _listed(v, atlas.entries, sorts) for k, v in within.items()}
    atlas.by_type = {k: _listed(v, atlas.entries, sorts) for k, v in by_type.items()}
