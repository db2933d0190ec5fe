"""Long lists cut into pages of PAGE_SIZE cards, with page and letter links that work without JavaScript.

Every paged list has an id; its first page is at the list's own URL, the next ones under
`page/N/` (`acteurs/`, `acteurs/page/2/`). An entry page shows the first PREVIEW cards of a long
relation or of what lies within a territory, and links to the list's own pages:

| id                               | members                                        | first page          |
| -------------------------------- | ---------------------------------------------- | ------------------- |
| `k/actors`                       | a kind's entries                               | `acteurs/`          |
| `t/actors/association`           | a type's entries                               | `acteurs/types/association/` |
| `az`                             | every entry, A to Z                            | `a-z/`              |
| `w/territories/lille/actors`     | entries of a kind within a territory or theme  | `territoires/lille/acteurs/` |
| `i/places/maison/actors/places`  | entries pointing at an entry by one field      | `lieux/maison/structures-presentes/` |
| `m/places/maison`                | entries citing it in their text                | `lieux/maison/cite-dans/` |
| `f/actors/la-nef/partners`       | a relation shown both ways (partners)          | `acteurs/la-nef/partenaires/` |

A page depends on `deps.page(id, n)`: the keys on it, the list's length and its letter links,
whose digest (page_digest) changes only when the page would show something else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..link.graph import EMPTY, Atlas, EntryList
from ..model.digest import digest
from ..model.kinds import FORWARD_LABELS, INVERSE_LABELS, KINDS, entry_url
from ..read.source import slugify

PAGE_SIZE = 100  # cards on a page of a list: about 60 KB of HTML
PREVIEW = 24  # cards an entry page shows of one of its lists before linking to the list's pages
WINDOW = 3  # page links on each side of the current page (first and last always shown)
MENTIONS = "cite-dans"
ALPHABETICAL = ("k", "t", "az", "w", "i")  # lists in sort-key order: letter links make sense


@dataclass(frozen=True)
class ListId:
    """A paged list, taken apart: its family (first column above) and the names it carries."""

    family: str
    kind: str = ""  # of the list (k, t) or of the entry owning it (w, i, m, f)
    slug: str = ""  # the type (t) or the owning entry (w, i, m, f)
    member: str = ""  # member kind (w), source kind (i)
    field: str = ""  # the reference field (i, f)

    def __str__(self) -> str:
        parts = {"k": (self.kind,), "t": (self.kind, self.slug), "az": (),
                 "w": (self.kind, self.slug, self.member), "i": (self.kind, self.slug, self.member, self.field),
                 "m": (self.kind, self.slug), "f": (self.kind, self.slug, self.field)}[self.family]
        return "/".join((self.family, *parts))


def parse(list_id: str) -> ListId:
    family, *parts = list_id.split("/")
    shapes = {"k": ("kind",), "t": ("kind", "slug"), "az": (), "w": ("kind", "slug", "member"),
              "i": ("kind", "slug", "member", "field"), "m": ("kind", "slug"), "f": ("kind", "slug", "field")}
    if family not in shapes or len(parts) != len(shapes[family]) or not all(parts):
        raise ValueError(f"unknown list {list_id!r}")
    return ListId(family, **dict(zip(shapes[family], parts)))


def members(atlas: Atlas, list_id: ListId) -> EntryList:
    """The entries of a list, in the order it shows them."""
    f = list_id.family
    if f == "k":
        return atlas.by_kind.get(list_id.kind, EMPTY)
    if f == "t":
        return atlas.by_type.get((list_id.kind, list_id.slug), EMPTY)
    if f == "az":
        return atlas.alphabetical
    key = (list_id.kind, list_id.slug)
    if f == "w":
        return atlas.within.get(key, EMPTY).of_kind(list_id.member)
    if f == "i":
        return atlas.inverse.get(key, {}).get((list_id.member, list_id.field), EMPTY)
    if f == "m":
        return atlas.mentions.get(key, EMPTY)
    owner = atlas.get(*key)
    return EntryList([e.key for e in atlas.related(owner, list_id.field)], atlas.entries) if owner else EMPTY


def first_url(list_id: ListId) -> str:
    """The site-relative URL of the list's first page."""
    f = list_id.family
    if f == "k":
        return f"{KINDS[list_id.kind].segment}/"
    if f == "t":
        return f"{KINDS[list_id.kind].segment}/types/{list_id.slug}/"
    if f == "az":
        return "a-z/"
    owner = entry_url(list_id.kind, list_id.slug)
    if f == "w":
        return f"{owner}{KINDS[list_id.member].segment}/"
    if f == "i":
        return f"{owner}{slugify(INVERSE_LABELS[(list_id.member, list_id.field)])}/"
    if f == "m":
        return f"{owner}{MENTIONS}/"
    return f"{owner}{slugify(FORWARD_LABELS[(list_id.kind, list_id.field)])}/"


def page_url(list_id: ListId, number: int) -> str:
    base = first_url(list_id)
    return base if number <= 1 else f"{base}page/{number}/"


def page_count(length: int) -> int:
    return max(1, -(-length // PAGE_SIZE))


def on_page(entries: EntryList, number: int) -> EntryList:
    """The members shown on page `number` (0: an entry page's preview)."""
    if number == 0:
        return entries[:PREVIEW]
    return entries[(number - 1) * PAGE_SIZE:number * PAGE_SIZE]


def letter_pages(entries: EntryList, list_id: ListId) -> list[tuple[str, int]]:
    """(letter, page where its first member is), for lists in A–Z order."""
    if list_id.family not in ALPHABETICAL:
        return []
    letters = entries.letters()  # in list order: index() finds each letter's first member in C
    return [(letter, letters.index(letter) // PAGE_SIZE + 1) for letter in dict.fromkeys(letters)]


def navigation(entries: EntryList, list_id: ListId, number: int) -> dict[str, Any]:
    """What a page of a list links to: the pages around it, first, last, previous, next, letters."""
    count = page_count(len(entries))
    shown = sorted({1, count} | set(range(max(1, number - WINDOW), min(count, number + WINDOW) + 1)))
    pages, last = [], 0
    for n in shown:
        if n > last + 1:
            pages.append({"gap": True, "number": 0, "url": "", "current": False})
        pages.append({"gap": False, "number": n, "url": page_url(list_id, n), "current": n == number})
        last = n
    return {
        "number": number, "count": count, "total": len(entries), "pages": pages if count > 1 else [],
        "previous": page_url(list_id, number - 1) if number > 1 else "",
        "next": page_url(list_id, number + 1) if number < count else "",
        "letters": [{"letter": letter, "url": page_url(list_id, n) + f"#{anchor(letter)}", "page": n}
                    for letter, n in letter_pages(entries, list_id)],
    }


def anchor(letter: str) -> str:
    """The id of a letter's heading: lettre-a … lettre-z, lettre-autres for '#'."""
    return "lettre-" + (letter.lower() if letter != "#" else "autres")


def page_digest(atlas: Atlas, list_id: str, number: int,
                lists: dict[str, tuple[EntryList, str]] | None = None) -> str:
    """What page `number` of a list shows of the list itself: its members, the length, the letters.

    `lists` keeps, for the pages of one list digested in a row, its members and letters."""
    found = lists.get(list_id) if lists is not None else None
    if found is None:
        parsed = parse(list_id)
        entries = members(atlas, parsed)
        found = (entries, f"{len(entries)}|{letter_pages(entries, parsed)!r}")
        if lists is not None:
            lists[list_id] = found
    entries, whole = found
    shown = on_page(entries, number)
    return digest(repr(list(shown.keys)), whole if number else str(len(entries)))
