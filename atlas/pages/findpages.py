"""Context for finding things: map points, list filters, and the map, search and open data pages.

Everything is read through the View, so each page records what it depends on: a map point
depends on its place's whole file (address, geo) and on who points at it (hosted actors).
"""

from __future__ import annotations

from typing import Any

from ..link.graph import sort_key
from ..model.kinds import ENTRY_KINDS, KINDS, Entry
from ..outputs.opendata import FOLDER, LICENCE_URLS, columns_of, file_name
from .view import View, entry_url


def address(place: Entry) -> str:
    """« 235 boulevard Paul Painlevé, 59000 Lille », from whatever parts the place has."""
    town = " ".join(p for p in (place.get("postcode", ""), place.get("city", "")) if p)
    return ", ".join(p for p in (place.get("address", ""), town) if p)


def point(view: View, place: Entry, hosted: bool = True) -> dict[str, Any]:
    """A geolocated place as the map and its list show it, with the actors it hosts."""
    view.fields(place)
    actors: list[dict[str, str]] = []
    if hosted:
        view.deps.add(f"i:{place.kind}/{place.slug}")
        actors = [view.link(a) for a in view.atlas.pointing(place, "actors", "places")]
    geo = place.get("geo")
    return {"title": place.title, "url": entry_url(place.kind, place.slug), "address": address(place),
            "lat": geo["lat"], "lon": geo["lon"], "approximate": geo["approximate"], "hosted": actors}


def points(view: View, places: list[Entry], hosted: bool = True) -> list[dict[str, Any]]:
    """Map points of the places that have `geo`, each place once, in the given order."""
    seen: set[str] = set()
    found = []
    for place in places:
        view.fields(place)  # whether it has geo is part of what the page shows
        if place.get("geo") and place.slug not in seen:
            seen.add(place.slug)
            found.append(point(view, place, hosted))
    return found


def entry_points(view: View, entry: Entry) -> list[dict[str, Any]]:
    """The small map of an entry page: a place itself, an actor's places, a territory's places."""
    if entry.kind == "places":
        return points(view, [entry], hosted=False)
    if entry.kind == "actors":
        return points(view, view.atlas.refs(entry, "places"), hosted=False)
    if entry.kind == "territories":
        view.deps.add(f"i:{entry.kind}/{entry.slug}")
        return points(view, [e for e in view.atlas.within.get(entry.key, []) if e.kind == "places"])
    return []


def _chain(view: View, entry: Entry) -> list[Entry]:
    """An entry and its ancestors (its parent fields decide the chain, so they are dependencies)."""
    chain = [entry] + view.atlas.ancestors(entry)
    for e in chain:
        view.deps.add(f"e:{e.kind}/{e.slug}")
    return chain


def facets(view: View, entries: list[Entry], cards: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Filters for a list page; adds each card's `filter` values (a territory counts for its parents).

    Only facets with at least two choices are offered. Choices are sorted like the lists.
    """
    options: dict[str, dict[str, str]] = {"categorie": {}, "thematique": {}, "territoire": {}, "type": {}}
    for entry, card in zip(entries, cards):
        themes = [t for th in view.atlas.refs(entry, "themes") for t in _chain(view, th)] if card["themes"] else []
        home = view.atlas.get("territories", card["territory"]) if card["territory"] else None
        territories = _chain(view, home) if home else []
        card["filter"] = {"categorie": card["kind"], "thematique": " ".join(dict.fromkeys(t.slug for t in themes)),
                          "territoire": " ".join(t.slug for t in territories), "type": card["type"]}
        options["categorie"][card["kind"]] = KINDS[card["kind"]][3]
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
    places = points(view, view.listing("places"))
    hosted = {a["url"] for p in places for a in p["hosted"]}
    return {"title": "Carte", "points": places, "hosted_count": len(hosted),
            "crumbs": _crumbs("Carte", "carte/"),
            "description": "Les lieux de l'économie sociale et solidaire et les structures qu'ils accueillent, "
                           "sur une carte et en liste avec leurs adresses."}


def search_page(view: View) -> dict[str, Any]:
    return {"title": "Recherche", "crumbs": _crumbs("Recherche", "recherche/"),
            "description": "Rechercher un acteur, un lieu, un programme, un territoire ou une thématique."}


def data_page(view: View) -> dict[str, Any]:
    kinds = [{"kind": k, "label": KINDS[k][3], "file": file_name(k), "count": view.count(k),
              "columns": [{"name": c.name, "help": c.help, "csv": c.csv} for c in columns_of(view.atlas.model, k)]}
             for k in ENTRY_KINDS]
    geolocated = sum(1 for e in view.listing("places") if view.fields(e).get("geo"))
    return {"title": "Données ouvertes", "kinds": kinds, "folder": FOLDER, "geolocated": geolocated,
            "licence_urls": LICENCE_URLS, "crumbs": _crumbs("Données ouvertes", f"{FOLDER}/"),
            "description": "Toutes les données de l'atlas en JSON, CSV et GeoJSON, sous licence ouverte, "
                           "avec la description de chaque champ."}



def search_filters(view: View, entry: Entry) -> dict[str, Any]:
    """Pagefind filter values of an entry page (titles, as the search page shows them).

    A territory or theme counts with its ancestors, and a territory or theme page with itself,
    so filtering by « Lille » finds what is in Lille-Moulins too.
    """
    home = [entry] if entry.kind == "territories" else view.atlas.refs(entry, "territory") \
        if "territory" in entry.values else []
    themes = [entry] if entry.kind == "themes" else view.atlas.refs(entry, "themes")
    return {
        "categorie": KINDS[entry.kind][3],
        "type": view.atlas.model.type_label(entry.kind, entry.get("type", "")),
        "thematique": list(dict.fromkeys(t.title for th in themes for t in _chain(view, th))),
        "territoire": [t.title for t in _chain(view, home[0])] if home else [],
    }
