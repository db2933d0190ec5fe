"""Context for finding things: map points, list filters, and the map, search and open data pages.

Everything is read through the View, so each page records what it depends on: a map point
depends on its place's whole file (address, geo) and on who points at it (hosted actors), an
actor's point only on where the actor is (positions.whereabouts).
"""

from __future__ import annotations

import json
from typing import Any

from ..link.graph import sort_key
from ..model.kinds import ENTRY_KINDS, KINDS, Entry
from ..model import deps
from . import paging
from .outlines import of_territory
from .positions import actor_positions, whereabouts
from .view import View, entry_url

POINTS_FILE = "carte/points.json"  # the points of the large maps (outputs/points.py)
INLINE_POINTS = paging.PAGE_SIZE  # a map of more candidates than this loads POINTS_FILE instead of listing them


def address(place: Entry) -> str:
    """« 235 boulevard Paul Painlevé, 59000 Lille », from whatever parts the place has."""
    town = " ".join(p for p in (place.get("postcode", ""), place.get("city", "")) if p)
    return ", ".join(p for p in (place.get("address", ""), town) if p)


def point(view: View, entry: Entry, hosted: bool = True) -> dict[str, Any]:
    """A geolocated place or actor as the map and its list show it; a place with the actors it hosts."""
    whereabouts(view, entry)
    actors: list[dict[str, str]] = []
    if hosted and entry.kind == "places":
        view.deps.add(deps.around(entry.kind, entry.slug))
        actors = [view.link(a) for a in view.atlas.pointing(entry, "actors", "places")]
    geo = entry.get("geo")
    return {"title": entry.title, "url": entry_url(entry.kind, entry.slug), "address": address(entry),
            "lat": geo["lat"], "lon": geo["lon"], "approximate": geo["approximate"], "hosted": actors,
            "kind": entry.kind, "kind_label": KINDS[entry.kind].singular}


def points(view: View, entries: list[Entry], hosted: bool = True) -> list[dict[str, Any]]:
    """Map points of the entries that have their own `geo`, each once, in the given order.

    Places, and actors with a position of their own; an actor without one is shown at its
    places, in their `hosted` lists.
    """
    seen: set[tuple[str, str]] = set()
    found = []
    for entry in entries:
        whereabouts(view, entry)  # whether it has geo is part of what the page shows
        if entry.get("geo") and entry.key not in seen:
            seen.add(entry.key)
            found.append(point(view, entry, hosted))
    return found


def by_title(*groups: list[Entry]) -> list[Entry]:
    """Entries of several kinds in one list, in collation order (as each kind's list is)."""
    return sorted((e for g in groups for e in g), key=lambda e: (sort_key(e.title), e.kind, e.slug))


def entry_points(view: View, entry: Entry) -> list[dict[str, Any]]:
    """The small map of an entry page: a place itself; an actor, at its own position and at its
    places; what is in a territory (its places, and its actors that have their own position).
    A territory with a large map (`large_map`) is not asked."""
    if entry.kind == "places":
        return points(view, [entry], hosted=False)
    if entry.kind == "actors":
        return points(view, [entry] + view.atlas.refs(entry, "places"), hosted=False)
    if entry.kind == "territories":
        view.deps.add(deps.around(entry.kind, entry.slug))
        inside = view.atlas.within.get(entry.key, [])
        return points(view, by_title([e for e in inside if e.kind == "places"],
                                     [e for e in inside if e.kind == "actors"]))
    return []


def large_map(view: View, territory: Entry | None = None) -> dict[str, Any] | None:
    """A map of more than INLINE_POINTS places and actors (the atlas's, or a territory's), which
    the browser draws from POINTS_FILE: where to find it, which territory to keep, how many
    candidates and where their lists are (the page shows no list of its own). None for a map
    small enough to list its points; nothing but the counts is read."""
    if territory is None:
        counts = {kind: view.count(kind) for kind in ("places", "actors")}
        lists = {kind: f"{KINDS[kind].segment}/" for kind in counts}
    else:
        view.deps.add(deps.around(territory.kind, territory.slug))
        inside = view.atlas.within.get(territory.key)
        counts = {kind: len(inside.of_kind(kind)) if inside else 0 for kind in ("places", "actors")}
        # a list of more than PREVIEW cards goes on on pages of its own; a shorter one is on the page
        lists = {kind: paging.first_url(paging.ListId("w", territory.kind, territory.slug, kind))
                 if n > paging.PREVIEW else f"{entry_url(territory.kind, territory.slug)}#dans-{KINDS[kind].segment}"
                 for kind, n in counts.items()}
    if sum(counts.values()) <= INLINE_POINTS:
        return None
    return {"source": POINTS_FILE, "within": territory.slug if territory else "",
            "lists": [{"kind": kind, "label": KINDS[kind].plural, "count": n, "url": lists[kind]}
                      for kind, n in counts.items() if n]}


def entry_outline(view: View, entry: Entry) -> dict[str, str] | None:
    """What a territory's map outlines and zooms to (its commune, département, région or France)."""
    if entry.kind != "territories":
        return None
    found = of_territory(view.fields(entry))
    if found is None:
        return None
    geometry = json.dumps(found.geometry, separators=(",", ":")) if found.geometry else ""
    return {"nom": found.nom, "niveau": found.niveau, "geometry": geometry,
            "bounds": ",".join(f"{v:g}" for v in found.bounds)}


def chain(view: View, entry: Entry) -> list[Entry]:
    """An entry and its ancestors (its parent fields decide the chain, so they are dependencies)."""
    chain = [entry] + view.atlas.ancestors(entry)
    for e in chain:
        view.deps.add(deps.entry(e.kind, e.slug))
    return chain


def facets(view: View, entries: list[Entry], cards: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Filters for a list page; adds each card's `filter` values (a territory counts for its parents).

    Only facets with at least two choices are offered. Choices are sorted like the lists.
    """
    options: dict[str, dict[str, str]] = {"categorie": {}, "thematique": {}, "territoire": {}, "type": {}}
    for entry, card in zip(entries, cards):
        themes = [t for th in view.atlas.refs(entry, "themes") for t in chain(view, th)] if card["themes"] else []
        home = view.atlas.get("territories", card["territory"]) if card["territory"] else None
        territories = chain(view, home) if home else []
        card["filter"] = {"categorie": card["kind"], "thematique": " ".join(dict.fromkeys(t.slug for t in themes)),
                          "territoire": " ".join(t.slug for t in territories), "type": card["type"]}
        options["categorie"][card["kind"]] = KINDS[card["kind"]].plural
        options["thematique"].update({t.slug: t.title for t in themes})
        options["territoire"].update({t.slug: t.title for t in territories})
        if card["type"]:
            options["type"][card["type"]] = card["type_label"]
    labels = {"categorie": "Catégorie", "thematique": "Thématique", "territoire": "Territoire", "type": "Type"}
    return [{"name": name, "label": labels[name],
             "choices": sorted(({"value": v, "title": t} for v, t in choices.items()),
                               key=lambda c: (sort_key(c["title"]), c["value"]))}
            for name, choices in options.items() if len(choices) > 1]


def _crumbs(title: str, url: str) -> list[dict[str, str]]:
    return [{"title": "Accueil", "url": ""}, {"title": title, "url": url}]


def map_page(view: View) -> dict[str, Any]:
    large = large_map(view)
    found = [] if large else points(view, by_title(view.listing("places"), view.listing("actors")))
    hosted = {a["url"] for p in found for a in p["hosted"]}
    return {"title": "Carte", "points": found, "large": large, "hosted_count": len(hosted),
            "place_count": sum(1 for p in found if p["kind"] == "places"),
            "actor_count": sum(1 for p in found if p["kind"] == "actors"),
            "crumbs": _crumbs("Carte", "carte/"),
            "description": "Les lieux de l'économie sociale et solidaire et ses structures, "
                           "sur une carte et en liste avec leurs adresses."}


def search_page(view: View) -> dict[str, Any]:
    return {"title": "Recherche", "crumbs": _crumbs("Recherche", "recherche/"),
            "description": "Rechercher un acteur, un lieu, un programme, un territoire ou une thématique."}


def data_page(view: View) -> dict[str, Any]:
    exports = view.exports  # what outputs/opendata.py publishes (catalogue()), handed down by the pipeline
    kinds = [{"kind": k, "label": KINDS[k].plural, "file": exports["files"][k], "count": view.count(k),
              "columns": exports["columns"][k]} for k in ENTRY_KINDS]
    geolocated = located = None  # a large atlas is not counted: it would read every place and actor
    if not large_map(view):
        geolocated = sum(1 for e in view.listing("places") if view.fields(e).get("geo"))
        # every place was read just above: a place's position is an actor's when it has none of its own
        located = sum(1 for e in view.listing("actors") if actor_positions(view.atlas, whereabouts(view, e)))
    folder = exports["folder"]
    return {"title": "Données ouvertes", "kinds": kinds, "folder": folder, "geolocated": geolocated,
            "located_actors": located,
            "licence_urls": exports["licence_urls"], "crumbs": _crumbs("Données ouvertes", f"{folder}/"),
            "description": "Toutes les données de l'atlas en JSON, CSV et GeoJSON, sous licence ouverte, "
                           "avec la description de chaque champ."}



def search_filters(view: View, entry: Entry) -> dict[str, Any]:
    """Pagefind filter values of an entry page (titles, as the search page shows them).

    A territory or theme counts with its ancestors, and a territory or theme page with itself,
    so filtering by « Lille » finds what is in Lille-Moulins too. `lieu` is the one territory a
    result shows: the entry's own, or a territory's parent.
    """
    home = [entry] if entry.kind == "territories" else view.atlas.refs(entry, "territory") \
        if "territory" in entry.values else []
    themes = [entry] if entry.kind == "themes" else view.atlas.refs(entry, "themes")
    where = "parent" if entry.kind == "territories" else "territory"
    shown = view.atlas.refs(entry, where) if where in entry.values else []
    return {
        "categorie": KINDS[entry.kind].plural,
        "type": view.atlas.model.type_label(entry.kind, entry.get("type", "")),
        "thematique": list(dict.fromkeys(t.title for th in themes for t in chain(view, th))),
        "territoire": [t.title for t in chain(view, home[0])] if home else [],
        "lieu": view.link(shown[0])["title"] if shown else "",  # shown with a result: where it is
    }
