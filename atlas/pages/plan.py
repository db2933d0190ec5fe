"""The page plan: which pages exist, at which URL, with which template and context."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from typing import Any, Callable

from . import findpages, paging
from .facts import details, located
from ..link.graph import EMPTY, Atlas, sort_key
from .jsonld import entry_data, site_data
from .pictures import picture
from .status import status
from ..model import deps
from ..model.kinds import ENTRY_KINDS, FORWARD_LABELS, HOME_PAGE, INVERSE_LABELS, KINDS, Entry
from .view import View, entry_url


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


def _paged(view: View, list_id: paging.ListId, number: int, builder: str, args: tuple[Any, ...]) -> tuple[list[Entry], dict[str, Any]]:
    """The members on page `number` of a long list and its navigation. The page depends on what
    it shows of the list (deps.page); its first page plans the others (View.spawned)."""
    members = paging.members(view.atlas, list_id)
    view.deps.add(deps.page(str(list_id), number))
    if number == 1:
        view.spawned.extend(Page(paging.page_url(list_id, n), "list.html" if builder != "az" else "az.html", builder,
                                 (*args, n)) for n in range(2, paging.page_count(len(members)) + 1))
    return list(paging.on_page(members, number)), paging.navigation(members, list_id, number)


def _numbered(title: str, nav: dict[str, Any]) -> str:
    """A page's title, with its number past the first: every page of a list has a title of its own."""
    return title if nav["number"] <= 1 else f"{title} — page {nav['number']} sur {nav['count']}"


def _page_crumbs(nav: dict[str, Any], *pairs: tuple[str, str]) -> list[dict[str, str]]:
    here = [p["url"] for p in nav["pages"] if p.get("current")]
    extra = [(f"Page {nav['number']}", here[0])] if nav["number"] > 1 and here else []
    return _crumbs(*pairs, *extra)


def az(view: View, number: int = 1) -> dict[str, Any]:
    shown, nav = _paged(view, paging.ListId("az"), number, "az", ())
    cards = view.cards(shown)
    return {"title": _numbered("Index de A à Z", nav), "groups": _letters(cards), "count": nav["total"], "types": [],
            "facets": findpages.facets(view, shown, cards), "nav": nav,
            "crumbs": _page_crumbs(nav, ("Index de A à Z", "a-z/")),
            "description": "Toutes les entrées de l'atlas par ordre alphabétique."}


def kind_list(view: View, kind: str, number: int = 1) -> dict[str, Any]:
    label = KINDS[kind].plural
    shown, nav = _paged(view, paging.ListId("k", kind), number, "kind_list", (kind,))
    cards = view.cards(shown)
    return {"title": _numbered(label, nav), "groups": _letters(cards), "count": nav["total"], "kind": kind,
            "facets": findpages.facets(view, shown, cards), "nav": nav,
            "types": _type_links(view, kind) if kind in ("actors", "places", "programmes") else [],
            "crumbs": _page_crumbs(nav, (label, f"{KINDS[kind].segment}/")),
            "description": f"{label} de l'atlas de l'économie sociale et solidaire, de A à Z."}


def type_list(view: View, kind: str, type_: str, number: int = 1) -> dict[str, Any]:
    label, type_label = KINDS[kind].plural, view.atlas.model.type_label(kind, type_)
    shown, nav = _paged(view, paging.ListId("t", kind, type_), number, "type_list", (kind, type_))
    cards = view.cards(shown)
    return {"title": _numbered(f"{label} : {type_label}", nav), "groups": _letters(cards), "count": nav["total"],
            "facets": findpages.facets(view, shown, cards), "nav": nav,
            "kind": kind, "types": _type_links(view, kind), "current_type": type_,
            "crumbs": _page_crumbs(nav, (label, f"{KINDS[kind].segment}/"),
                                   (type_label, f"{KINDS[kind].segment}/types/{type_}/")),
            "description": f"{label} de type « {type_label} » dans l'atlas de l'ESS."}


def member_list(view: View, list_id: str, number: int = 1) -> dict[str, Any]:
    """A page of one of an entry's long lists (its actors within, the actors at a place…)."""
    lid = paging.parse(list_id)
    owner = view.atlas.entries[(lid.kind, lid.slug)]
    label = {"w": KINDS[lid.member].plural if lid.member else "", "m": "Cité dans",
             "i": INVERSE_LABELS.get((lid.member, lid.field), ""),
             "f": FORWARD_LABELS.get((lid.kind, lid.field), "")}[lid.family]
    shown, nav = _paged(view, lid, number, "member_list", (list_id,))
    cards = view.cards(shown)
    owner_link = view.link(owner)
    return {"title": _numbered(f"{label} — {owner.title}", nav), "groups": _letters(cards), "count": nav["total"],
            "facets": findpages.facets(view, shown, cards), "nav": nav, "kind": lid.member or lid.kind, "types": [],
            "crumbs": _page_crumbs(nav, (KINDS[lid.kind].plural, f"{KINDS[lid.kind].segment}/"),
                                   (owner.title, owner_link["url"]), (label, paging.first_url(lid))),
            "description": f"{label} : {owner.title}, dans l'atlas de l'économie sociale et solidaire."}


def entry(view: View, kind: str, slug: str) -> dict[str, Any]:
    e = view.full(view.atlas.entries[(kind, slug)])
    label = KINDS[kind].plural
    crumbs = [(label, f"{KINDS[kind].segment}/")]
    if kind in ("territories", "themes"):
        crumbs += [(a["title"], a["url"]) for a in view.ancestors(e)]
    crumbs.append((e.title, entry_url(kind, slug)))
    territory = view.atlas.refs(e, "territory") if "territory" in e.values else []
    within = view.within(e) if kind in ("territories", "themes") else []
    large_map = findpages.large_map(view, e) if kind == "territories" else None
    context = {
        "title": e.title, "entry": e, "kind": kind, "kind_label": KINDS[kind].singular,
        "type_label": view.atlas.model.type_label(kind, e.get("type", "")),
        "type_url": f"{KINDS[kind].segment}/types/{e.get('type')}/" if kind in ("actors", "places", "programmes")
        and e.get("type") else "",
        "themes": [view.link(t) for t in view.atlas.refs(e, "themes")],
        "territory": view.link(territory[0]) if territory else None,
        "relations": view.relations(e, frozenset(c["url"] for g in within for c in g["cards"])),
        "within": within,
        "points": [] if large_map else findpages.entry_points(view, e),
        "large_map": large_map,
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
    # the lists it shows the first cards of go on on pages of their own
    view.spawned.extend(Page(paging.first_url(lid), "list.html", "member_list", (str(lid), 1)) for lid in view.long_lists)
    return context


def free_page(view: View, slug: str) -> dict[str, Any]:
    e = view.full(view.atlas.entries[("pages", slug)])
    return {"title": e.title, "entry": e, "crumbs": _crumbs((e.title, entry_url("pages", slug))),
            "description": e.get("summary", "")}


BUILDERS: dict[str, Callable[..., dict[str, Any]]] = {
    "home": home, "not_found": not_found, "az": az, "kind_list": kind_list, "type_list": type_list,
    "entry": entry, "free_page": free_page, "map_page": findpages.map_page,
    "search_page": findpages.search_page, "data_page": findpages.data_page, "member_list": member_list,
}
