"""The page plan: which pages exist, at which URL, with which template and context."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from typing import Any, Callable

from . import findpages
from .facts import details, located
from ..link.graph import EMPTY, Atlas, letter, sort_key
from .jsonld import entry_data, site_data
from .pictures import picture
from .status import status
from ..model.kinds import ENTRY_KINDS, KINDS, SCHEMAS, Entry
from .view import HOME_PAGE, View, entry_url


TYPED_KINDS = ("actors", "places", "programmes")  # the kinds with a list page per type


@dataclass(frozen=True)
class Page:
    """One output file: its URL (relative, '' for the home page), template and how to fill it."""

    url: str
    template: str
    builder: str
    args: tuple[str, ...] = ()

    @property
    def path(self) -> str:
        """Output file path inside the site folder."""
        if self.url.endswith("/") or self.url == "":
            return f"{self.url}index.html"
        return self.url


def plan(atlas: Atlas) -> list[Page]:
    """Every page of the site, in a stable order."""
    pages = [Page("", "home.html", "home"), Page("404.html", "404.html", "not_found"),
             Page("a-z/", "az.html", "az"), Page("carte/", "carte.html", "map_page"),
             Page("recherche/", "recherche.html", "search_page"), Page("donnees/", "donnees.html", "data_page")]
    for kind in ENTRY_KINDS:
        segment = KINDS[kind].segment
        pages.append(Page(f"{segment}/", "list.html", "kind_list", (kind,)))
        for _, slug in atlas.by_kind.get(kind, EMPTY).keys:  # keys only: no entry is read to plan
            pages.append(Page(entry_url(kind, slug), "entry.html", "entry", (kind, slug)))
    for kind in TYPED_KINDS:
        segment = KINDS[kind].segment
        types = sorted({t for (k, t) in atlas.by_type if k == kind})
        for type_ in types:
            pages.append(Page(f"{segment}/types/{type_}/", "list.html", "type_list", (kind, type_)))
    for _, slug in atlas.by_kind.get("pages", EMPTY).keys:
        if slug != HOME_PAGE:
            pages.append(Page(entry_url("pages", slug), "page.html", "free_page", (slug,)))
    return pages


def build_context(page: Page, view: View) -> dict[str, Any]:
    """Run the page's builder; everything it reads goes through `view`."""
    return BUILDERS[page.builder](view, *page.args)


def _crumbs(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    return [{"title": "Accueil", "url": ""}] + [{"title": t, "url": u} for t, u in pairs]


def home(view: View) -> dict[str, Any]:
    intro = view.atlas.get("pages", "accueil")
    counts = [{"kind": k, "label": KINDS[k].plural, "url": f"{KINDS[k].segment}/", "count": view.count(k)}
              for k in ENTRY_KINDS]
    return {"title": "Accueil", "intro": view.full(intro) if intro else None, "counts": counts,
            "themes": view.cards(view.listing("themes")),
            "types": _types_by_kind(view),
            "crumbs": [], "jsonld": site_data}


def _types_by_kind(view: View) -> list[dict[str, Any]]:
    """The home page's « Par type »: for each kind that has type pages, its types with their counts."""
    groups = [{"kind": k, "label": KINDS[k].plural, "types": _type_links(view, k)} for k in TYPED_KINDS]
    return [g for g in groups if g["types"]]


def _type_links(view: View, kind: str) -> list[dict[str, Any]]:
    """Links to a kind's type pages, in the order of their French names."""
    segment = KINDS[kind].segment
    links = [{"title": view.atlas.model.type_label(kind, t), "url": f"{segment}/types/{t}/", "count": count,
              "kind": kind} for t, count in view.types(kind)]
    return sorted(links, key=lambda link: sort_key(link["title"]))


def not_found(view: View) -> dict[str, Any]:
    return {"title": "Page introuvable", "crumbs": []}


def _letters(cards: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Cards grouped under their initial, in collation order."""
    return [{"letter": k, "cards": list(g)} for k, g in groupby(cards, key=lambda c: c["letter"])]


def az(view: View) -> dict[str, Any]:
    everything = sorted((e for k in ENTRY_KINDS for e in view.listing(k)),
                        key=lambda e: (_sort(e), e.kind, e.slug))
    cards = view.cards(everything)
    return {"title": "Index de A à Z", "groups": _letters(cards), "count": len(cards), "types": [],
            "facets": findpages.facets(view, everything, cards),
            "crumbs": _crumbs(("Index de A à Z", "a-z/")),
            "description": "Toutes les entrées de l'atlas par ordre alphabétique."}


def _sort(entry: Entry) -> str:
    return sort_key(entry.title)


def kind_list(view: View, kind: str) -> dict[str, Any]:
    label = KINDS[kind].plural
    cards = view.cards(view.listing(kind))
    return {"title": label, "groups": _letters(cards), "count": len(cards), "kind": kind,
            "facets": findpages.facets(view, view.listing(kind), cards),
            "types": _type_links(view, kind) if kind in ("actors", "places", "programmes") else [],
            "crumbs": _crumbs((label, f"{KINDS[kind].segment}/")),
            "description": f"{label} de l'atlas de l'économie sociale et solidaire, de A à Z."}


def type_list(view: View, kind: str, type_: str) -> dict[str, Any]:
    label, type_label = KINDS[kind].plural, view.atlas.model.type_label(kind, type_)
    cards = view.cards(view.by_type(kind, type_))
    return {"title": f"{label} : {type_label}", "groups": _letters(cards), "count": len(cards),
            "facets": findpages.facets(view, view.by_type(kind, type_), cards),
            "kind": kind, "types": _type_links(view, kind), "current_type": type_,
            "crumbs": _crumbs((label, f"{KINDS[kind].segment}/"),
                              (type_label, f"{KINDS[kind].segment}/types/{type_}/")),
            "description": f"{label} de type « {type_label} » dans l'atlas de l'ESS."}


def entry(view: View, kind: str, slug: str) -> dict[str, Any]:
    e = view.full(view.atlas.entries[(kind, slug)])
    label = KINDS[kind].plural
    crumbs = [(label, f"{KINDS[kind].segment}/")]
    if kind in ("territories", "themes"):
        crumbs += [(a["title"], a["url"]) for a in view.ancestors(e)]
    crumbs.append((e.title, entry_url(kind, slug)))
    territory = view.atlas.refs(e, "territory") if "territory" in e.values else []
    within = view.within(e) if kind in ("territories", "themes") else []
    return {
        "title": e.title, "entry": e, "kind": kind, "kind_label": KINDS[kind].singular,
        "type_label": view.atlas.model.type_label(kind, e.get("type", "")),
        "type_url": f"{KINDS[kind].segment}/types/{e.get('type')}/" if kind in ("actors", "places", "programmes")
        and e.get("type") else "",
        "themes": [view.link(t) for t in view.atlas.refs(e, "themes")],
        "territory": view.link(territory[0]) if territory else None,
        "relations": view.relations(e, frozenset(c["url"] for g in within for c in g["cards"])),
        "within": within,
        "points": findpages.entry_points(view, e),
        "outline": findpages.entry_outline(view, e),
        "search_filters": findpages.search_filters(view, e),
        "crumbs": _crumbs(*crumbs),
        "description": e.get("summary", ""),
        "jsonld": entry_data(view, e),
        "located": located(view, e),
        "picture": picture(view, e),
        "status": status(view, e),
        "facts": details(view, e),
    }


def free_page(view: View, slug: str) -> dict[str, Any]:
    e = view.full(view.atlas.entries[("pages", slug)])
    return {"title": e.title, "entry": e, "crumbs": _crumbs((e.title, entry_url("pages", slug))),
            "description": e.get("summary", "")}


BUILDERS: dict[str, Callable[..., dict[str, Any]]] = {
    "home": home, "not_found": not_found, "az": az, "kind_list": kind_list, "type_list": type_list,
    "entry": entry, "free_page": free_page, "map_page": findpages.map_page,
    "search_page": findpages.search_page, "data_page": findpages.data_page,
}
