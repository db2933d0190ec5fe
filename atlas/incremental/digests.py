"""The current value of dependency keys, as digests; which keys a change may have moved.

A reader (page or export fragment) is made again when the digest of a key it read differs from
the one stored when it was made. Computing every stored key's digest costs the atlas; a build
computes only the candidates: the keys of what the incremental link touched (link/update.py),
and the keys of EXTERNAL families, whose value moves without any entry changing. Candidates
the store never recorded are dropped by the lookup (Cache.dep_digests).
"""

from __future__ import annotations

from typing import Callable, Iterable, Protocol

from ..link import EMPTY, Atlas, Touched
from ..model import deps
from ..pages.pictures import file_digest
from ..pages.positions import position_digest
from ..pages.status import status_digest
from ..model.digest import digest
from ..model.kinds import ENTRY_KINDS
from ..pages import paging

MISSING = "-"

# Families digested for every stored key on every build, family -> digest of a key's rest on the
# atlas: a file (an image) and a status (today's date) change with no entry changing.
EXTERNAL: dict[str, Callable[[Atlas, str], str]] = {"f": file_digest, "s": status_digest}


def field_digest(atlas: Atlas, rest: str) -> str:
    """The digest of `v:<kind>/<slug>@<field>`: that field's value, '-' when the entry is gone."""
    key = deps.parse("v:" + rest)
    entry = atlas.get(key.kind, key.slug)
    return MISSING if entry is None else digest(repr(entry.values.get(key.code)))


# Families digested from the entry a key names, only when the link touched that entry: an actor's
# position fields (pages/positions.py; its places' positions are read as the places themselves),
# one field of an entry.
OWN: dict[str, Callable[[Atlas, str], str]] = {"g": position_digest, "v": field_digest}


class Stored(Protocol):
    def deps_of_family(self, family: str, prefix: str = "") -> list[str]: ...


class Digests:
    """Digest of each dependency key on one atlas, remembered for the build."""

    def __init__(self, atlas: Atlas) -> None:
        self.atlas = atlas
        self.memo: dict[str, str] = {}
        self.lists: dict[str, tuple[paging.EntryList, str]] = {}  # what paging.page_digest keeps of a list

    def __call__(self, dep: deps.Dep) -> str:
        found = self.memo.get(dep)
        if found is None:
            found = self.memo[dep] = self._compute(dep)
        return found

    def changed(self, stored: dict[str, str]) -> set[str]:
        """The keys whose digest differs from the stored one."""
        return {dep for dep, old in stored.items() if self(dep) != old}

    def _compute(self, dep: deps.Dep) -> str:
        family, _, rest = dep.partition(":")
        if family in EXTERNAL:
            return EXTERNAL[family](self.atlas, rest)
        if family in OWN:
            return OWN[family](self.atlas, rest)
        key = deps.parse(dep)
        atlas = self.atlas
        if key.family == "k":
            listed = atlas.by_kind.get(key.kind)
            return digest(repr(list(listed.keys))) if listed is not None else MISSING
        if key.family == "t":
            found = atlas.by_type.get((key.kind, key.slug))
            return digest(repr(list(found.keys))) if found else MISSING
        if key.family == "p":
            return paging.page_digest(atlas, key.slug, key.page, self.lists)
        if key.family == "u":
            dated = atlas.by_update.of_kind(key.kind) if key.kind else atlas.by_update
            return str(dated[0].get("updated")) if dated else MISSING
        if key.family == "r":
            return digest(repr(list(atlas.by_update.keys[:int(key.slug)])))
        entry = atlas.get(key.kind, key.slug)
        if entry is None:
            return MISSING
        if key.family not in ("e", "c", "i"):
            raise ValueError(f"no digest for dependency {dep!r}")
        if key.family == "e":
            return entry.digest
        if key.family == "c":
            return digest(repr(tuple(entry.values.get(name) for name in deps.CARD_FIELDS)))
        parts = [f"{k}:{n}:" + ",".join(slug for _, slug in group.keys)
                 for (k, n), group in sorted(atlas.inverse.get(entry.key, {}).items())]
        parts.append("m:" + repr(list(atlas.mentions.get(entry.key, EMPTY).keys)))
        parts.append("w:" + repr(list(atlas.within.get(entry.key, EMPTY).keys)))
        return digest(*parts)


def candidates(touched: Touched, stored: Stored) -> set[str]:
    """Every key whose digest the change may have moved (a superset; Digests decides)."""
    found: set[str] = {deps.newest()}
    found.update(stored.deps_of_family("r"))
    for kind, slug in touched.entries:
        found.update((deps.entry(kind, slug), deps.card(kind, slug), deps.position(kind, slug)))
        found.update(stored.deps_of_family("v", f"{kind}/{slug}@"))
    for kind, slug in touched.around:
        found.add(deps.around(kind, slug))
        for family in ("w", "i", "f"):
            found.update(stored.deps_of_family("p", f"{family}/{kind}/{slug}/"))
        found.update(stored.deps_of_family("p", f"m/{kind}/{slug}@"))
    for kind in touched.kinds:
        found.update((deps.kind_list(kind), deps.newest(kind)))
        found.update(stored.deps_of_family("p", f"k/{kind}@"))
        if kind in ENTRY_KINDS:
            found.update(stored.deps_of_family("p", "az@"))
    for kind, type_ in touched.types:
        found.add(deps.type_list(kind, type_))
        found.update(stored.deps_of_family("p", f"t/{kind}/{type_}@"))
    for family in EXTERNAL:
        found.update(stored.deps_of_family(family))
    return found


def every(deps_read: Iterable[Iterable[str]]) -> set[str]:
    """The union of what several readers read."""
    found: set[str] = set()
    for group in deps_read:
        found.update(group)
    return found
