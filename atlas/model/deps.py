"""Dependency keys: the names of what a page or an export piece read, recorded at the moment it reads.

This module is the only place that spells them. A key is a short string, `family:rest`, because
an atlas records hundreds of thousands and the cache stores, indexes and compares them; `parse`
turns one back into a `Dep`. What each family covers decides which changes re-render a reader,
so the table below is the contract between the readers (pages/view.py, outputs/) and the cache
(incremental/digests.py computes the current value of each key):

| family | key                         | the reader depends on                                        |
| ------ | --------------------------- | ------------------------------------------------------------ |
| `e`    | `e:actors/la-nef`           | the whole entry: any byte of its file                        |
| `c`    | `c:actors/la-nef`           | its card: the fields of CARD_FIELDS (and whether it exists)  |
| `i`    | `i:places/maison`           | what points at it: inverse relations, mentions, entries within |
| `k`    | `k:actors`                  | which entries of a kind exist, in list order                 |
| `t`    | `t:actors/association`      | which entries of a kind have that type, in list order        |
| `p`    | `p:k/actors@2`              | page 2 of a paged list: the entries on it and the navigation |
| `u`    | `u:actors`                  | the newest `updated` date of a kind ('' : of the whole atlas) |
| `r`    | `r:50`                      | which entries are the 50 most recently checked, in order     |
| `g`    | `g:actors/la-nef`           | where it is: pages/positions.py POSITION_FIELDS              |
| `s`    | `s:programmes/x@open`       | that a programme's status today is still the one shown       |
| `f`    | `f:content/actors/x.jpg`    | a file's bytes (an image beside the entries)                 |
| `v`    | `v:actors/la-nef@postcode`  | one field of an entry (what a whole-atlas export reads of it) |

`s` and `f` move without any entry changing (the date turns, an image is replaced): the cache
digests all of their keys on every build (incremental/digests.EXTERNAL). `g` covers the actor's
own fields only (a reader that shows an actor at its places reads the places themselves), so it
is digested, as `e`, `c` and `v`, only for the entries a change touched.
"""

from __future__ import annotations

from dataclasses import dataclass

# What a card shows of an entry (view.card, export references): a change elsewhere in the file
# re-renders the entry's own page, not the lists it appears in.
CARD_FIELDS = ("title", "summary", "type", "themes", "territory")

Dep = str


@dataclass(frozen=True)
class Parsed:
    """A dependency key taken apart: its family and the names it carries."""

    family: str
    kind: str = ""
    slug: str = ""  # the type for `t`, the list for `p`, the count for `r`
    page: int = 0  # `p` only
    code: str = ""  # the status for `s`, the field for `v`


def entry(kind: str, slug: str) -> Dep:
    return f"e:{kind}/{slug}"


def card(kind: str, slug: str) -> Dep:
    return f"c:{kind}/{slug}"


def around(kind: str, slug: str) -> Dep:
    return f"i:{kind}/{slug}"


def kind_list(kind: str) -> Dep:
    return f"k:{kind}"


def type_list(kind: str, type_: str) -> Dep:
    return f"t:{kind}/{type_}"


def page(list_id: str, number: int) -> Dep:
    """Page `number` of the paged list `list_id` (pages/paging.py names the lists; 0 is the
    preview an entry page shows of a long list)."""
    return f"p:{list_id}@{number}"


def newest(kind: str = "") -> Dep:
    return f"u:{kind}"


def recent(count: int) -> Dep:
    return f"r:{count}"


def position(kind: str, slug: str) -> Dep:
    return f"g:{kind}/{slug}"


def status(kind: str, slug: str, code: str) -> Dep:
    return f"s:{kind}/{slug}@{code}"


def file(path: str) -> Dep:
    """A file by its path from the atlas root."""
    return f"f:{path}"


def field(kind: str, slug: str, name: str) -> Dep:
    """One field of an entry: an export over the whole atlas (images, outlines) reads a field or two
    of each entry, and an edit elsewhere in the file leaves it as it was."""
    return f"v:{kind}/{slug}@{name}"


def parse(dep: Dep) -> Parsed:
    """The record of a key; ValueError for a key no constructor of this module makes."""
    family, colon, rest = dep.partition(":")
    if not colon or family not in FAMILIES:
        raise ValueError(f"unknown dependency {dep!r}")
    if family == "f":
        if not rest:
            raise ValueError(f"unknown dependency {dep!r}")
        return Parsed(family, slug=rest)
    if family in ("s", "v"):
        rest, at, code = rest.rpartition("@")
        kind, slash, slug = rest.partition("/")
        if not at or not code or not slash or not kind or not slug:
            raise ValueError(f"unknown dependency {dep!r}")
        return Parsed(family, kind, slug, code=code)
    if family in ("e", "c", "i", "t", "g"):
        kind, slash, slug = rest.partition("/")
        if not slash or not kind or not slug:
            raise ValueError(f"unknown dependency {dep!r}")
        return Parsed(family, kind, slug)
    if family == "p":
        list_id, at, number = rest.rpartition("@")
        if not at or not list_id or not number.isdigit():
            raise ValueError(f"unknown dependency {dep!r}")
        return Parsed(family, slug=list_id, page=int(number))
    if family == "r":
        if not rest.isdigit():
            raise ValueError(f"unknown dependency {dep!r}")
        return Parsed(family, slug=rest)
    if family == "k" and not rest:
        raise ValueError(f"unknown dependency {dep!r}")
    return Parsed(family, kind=rest)


FAMILIES = frozenset("ecikpturgsfv")
