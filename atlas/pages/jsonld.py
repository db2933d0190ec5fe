"""schema.org data for each page, as plain dicts; script() serialises it into the page.

Only facts present in the content are stated: no field is guessed. Links to the site's own
pages are `SiteUrl`s (site-relative), made absolute or root-relative at serialisation, where
the site settings are known. Everything is read through the View, so a page depends on what
its structured data shows (an actor's page changes when its place's address does).
"""

from __future__ import annotations

import json
from typing import Any, Callable

from markupsafe import Markup

from ..model.hours import parse as parse_hours, schema_org as hours_schema_org
from ..model.kinds import KINDS, Entry
from .view import View, entry_url

Data = dict[str, Any]

# Each type's schema.org type is in the atlas's Model (model/kinds.BUILTIN_TYPES, or the site's
# `types:`): associations and foundations are NGOs, cooperative and commercial forms
# Corporations, public bodies GovernmentOrganizations, a fund or call for projects a MonetaryGrant.
DEFAULT_TYPES = {"actors": "Organization", "places": "Place", "programmes": "Service",
                 "territories": "AdministrativeArea"}
NETWORK_TYPES = {"reseau", "cluster"}  # a parent of these types is something one is a member of


class SiteUrl(str):
    """A site-relative URL ('acteurs/la-nef/'), resolved against the site's base when serialised."""


def page_url(entry: Entry) -> SiteUrl:
    return SiteUrl(entry_url(entry.kind, entry.slug))


def entry_data(view: View, entry: Entry) -> Data | None:
    """The main schema.org node of an entry page, or None for kinds without one."""
    maker = _MAKERS.get(entry.kind)
    if maker is None:
        return None
    node: Data = {"@context": "https://schema.org", "@type": ""}
    node.update(_common(view, entry))
    node.update(maker(view, entry))
    return node


def site_data(site: dict[str, Any]) -> Data:
    """The home page: the site itself and how to search it (the form of the header)."""
    return {
        "@context": "https://schema.org", "@type": "WebSite", "@id": SiteUrl(""), "url": SiteUrl(""),
        "name": site["title"], "description": site["description"], "inLanguage": site["language"],
        "potentialAction": {"@type": "SearchAction",
                            "target": {"@type": "EntryPoint", "urlTemplate": SiteUrl("recherche/?q={q}")},
                            "query-input": "required name=q"},
    }


def _common(view: View, entry: Entry) -> Data:
    url = page_url(entry)
    node: Data = {"@id": url, "url": url, "name": entry.title}
    if entry.get("summary"):
        node["description"] = entry.get("summary")
    return node


def _ref(view: View, entry: Entry, type_: str) -> Data:
    """A link to another entry's node: its type, @id and name (what its card shows)."""
    link = view.link(entry)
    return {"@type": type_, "@id": SiteUrl(link["url"]), "name": link["title"]}


def _refs(view: View, entries: list[Entry], type_: str) -> list[Data]:
    return [_ref(view, e, type_) for e in entries]


def _one(items: list[Data]) -> Data | list[Data]:
    """schema.org style: a single value alone, several as a list."""
    return items[0] if len(items) == 1 else items


def _area(view: View, entry: Entry) -> Data:
    territories = view.atlas.refs(entry, "territory") if "territory" in entry.values else []
    return {"areaServed": _ref(view, territories[0], "AdministrativeArea")} if territories else {}


def _schema_type(view: View, entry: Entry) -> str:
    """The schema.org type of an entry's `type` value, from the atlas's vocabulary."""
    found = view.atlas.model.type_def(entry.kind, entry.get("type", ""))
    return found.schema_org if found and found.schema_org else DEFAULT_TYPES[entry.kind]


def _website(entry: Entry) -> Data:
    """sameAs: the official site and the social pages, each the same organisation elsewhere."""
    site = entry.get("website", "")
    links = ([site] if site.startswith(("http://", "https://")) else []) + list(entry.get("social", ()))
    return {"sameAs": _one(links)} if links else {}


def identifiers(entry: Entry) -> Data:
    """SIRET, SIREN, RNA number and INSEE code as PropertyValues; the SIREN as the taxID."""
    values = [(name, entry.get(key)) for key, name in (("siret", "SIRET"), ("siren", "SIREN"), ("rna", "RNA"),
                                                         ("code", "INSEE")) if entry.get(key)]
    node: Data = {}
    if values:
        node["identifier"] = _one([{"@type": "PropertyValue", "propertyID": n, "value": v} for n, v in values])
    siren = entry.get("siren") or (entry.get("siret") or "")[:9]
    if siren and entry.kind == "actors":
        node["taxID"] = siren
    return node


def contact_points(entry: Entry) -> Data:
    """email and telephone (E.164), as the entry gives them."""
    node: Data = {}
    if entry.get("email"):
        node["email"] = entry.get("email")
    if entry.get("phone"):
        node["telephone"] = entry.get("phone")
    return node


def opening_hours(entry: Entry) -> Data:
    text = entry.get("opening_hours")
    return {"openingHoursSpecification": hours_schema_org(parse_hours(text))} if text else {}


def postal_address(place: Entry) -> Data | None:
    parts = {"streetAddress": place.get("address"), "postalCode": place.get("postcode"),
             "addressLocality": place.get("city")}
    found = {k: v for k, v in parts.items() if v}
    return {"@type": "PostalAddress", **found} if found else None


def geo(entry: Entry) -> Data | None:
    point = entry.get("geo")
    if not point:
        return None
    return {"@type": "GeoCoordinates", "latitude": point["lat"], "longitude": point["lon"]}


def _place_node(view: View, place: Entry) -> Data:
    """A place as its own page describes it: type, @id, name, address, coordinates."""
    view.fields(place)  # its address and position are shown
    node: Data = {"@type": _schema_type(view, place), "@id": page_url(place), "name": place.title}
    address, point = postal_address(place), geo(place)
    if address:
        node["address"] = address
    if point:
        node["geo"] = point
    return node


def _own_location(entry: Entry) -> Data | None:
    """An actor's own premises, when it gives an address, a position or opening hours: a Place."""
    address, point = postal_address(entry), geo(entry)
    node: Data = {"@type": "Place", **({"address": address} if address else {}), **({"geo": point} if point else {}),
                  **opening_hours(entry)}
    return node if len(node) > 1 else None


def _actor(view: View, entry: Entry) -> Data:
    node: Data = {"@type": _schema_type(view, entry)}
    own = _own_location(entry)
    places = ([own] if own else []) + [_place_node(view, p) for p in view.atlas.refs(entry, "places")]
    addressed = [p["address"] for p in places if "address" in p]
    if addressed:
        node["address"] = _one(addressed)
    if places:
        node["location"] = _one(places)
    parent = view.atlas.refs(entry, "parent") if "parent" in entry.values else []
    if parent:
        view.fields(parent[0])  # its type decides between member and part
        key = "memberOf" if parent[0].get("type") in NETWORK_TYPES else "parentOrganization"
        node[key] = _ref(view, parent[0], "Organization")
    if entry.get("founded"):
        node["foundingDate"] = entry.get("founded").iso()
    if entry.get("staff"):
        node["numberOfEmployees"] = {"@type": "QuantitativeValue", "value": entry.get("staff")}
    themes = view.atlas.refs(entry, "themes")
    if themes:
        node["knowsAbout"] = [view.link(t)["title"] for t in themes]
    return {**node, **_area(view, entry), **_website(entry), **identifiers(entry), **contact_points(entry)}


def _place(view: View, entry: Entry) -> Data:
    node = _place_node(view, entry)
    del node["@id"], node["name"]
    territories = view.atlas.refs(entry, "territory") if "territory" in entry.values else []
    if territories:
        node["containedInPlace"] = _ref(view, territories[0], "AdministrativeArea")
    phone = {"telephone": entry.get("phone")} if entry.get("phone") else {}
    return {**node, **opening_hours(entry), **phone, **_website(entry), **identifiers(entry)}


def _programme(view: View, entry: Entry) -> Data:
    operators = view.atlas.refs(entry, "operators")
    for actor in operators:
        view.fields(actor)  # a public operator makes it a government service
    funders = _refs(view, operators, "Organization")
    kind = entry.get("type", "")
    schema_type = _schema_type(view, entry)
    if schema_type == "MonetaryGrant":
        node: Data = {"@type": "MonetaryGrant", **_grant(entry, funders)}
        laureates = _refs(view, view.atlas.refs(entry, "laureates"), "Organization")
        if laureates:
            node["fundedItem"] = laureates
        return {**node, **_website(entry)}
    public = any(_schema_type(view, a) == "GovernmentOrganization" for a in operators)
    node = {"@type": "GovernmentService" if public and schema_type == "Service" else schema_type}
    if kind:
        node["serviceType"] = view.atlas.model.type_label(entry.kind, kind)
    if funders:
        node["provider"] = _one(funders)
    if entry.get("budget_eur"):
        # schema.org gives a Service no budget: a plan or scheme with an envelope is also a
        # MonetaryGrant, whose amount and funder state what the content says (this much, from them).
        node["@type"] = [node["@type"], "MonetaryGrant"]
        node.update(_grant(entry, funders))
    return {**node, **_area(view, entry), **_website(entry)}


def _grant(entry: Entry, funders: list[Data]) -> Data:
    """The MonetaryGrant part of a programme: who gives, how much."""
    node: Data = {}
    if funders:
        node["funder"] = _one(funders)
    if entry.get("budget_eur"):
        node["amount"] = {"@type": "MonetaryAmount", "currency": "EUR", "value": entry.get("budget_eur")}
    return node


def _territory(view: View, entry: Entry) -> Data:
    node: Data = {"@type": _schema_type(view, entry), **identifiers(entry)}
    point = geo(entry)
    if point:
        node["geo"] = point
    parent = view.atlas.refs(entry, "parent") if "parent" in entry.values else []
    if parent:
        node["containedInPlace"] = _ref(view, parent[0], "AdministrativeArea")
    return node


def _theme(view: View, entry: Entry) -> Data:
    return {"@type": "DefinedTerm",
            "inDefinedTermSet": {"@type": "DefinedTermSet", "@id": SiteUrl(f"{KINDS['themes'].segment}/"),
                                 "name": KINDS["themes"].plural}}


_MAKERS = {"actors": _actor, "places": _place, "programmes": _programme, "territories": _territory,
           "themes": _theme}


def absolute(site: dict[str, Any], url: str) -> str:
    """A site-relative URL as the outside world must see it: absolute if possible, else from the root."""
    return (site["base_url"] or site["base_path"]) + url.lstrip("/")


def script(data: Data | Callable[[dict[str, Any]], Data] | None, site: dict[str, Any]) -> Markup:
    """JSON for a <script type="application/ld+json">: site URLs resolved, `<` escaped.

    Escaping every `<` as \\u003c (valid JSON, the same string once parsed) means no text from
    the content can close the script element (`</script>`) or open a comment (`<!--`).
    """
    if callable(data):  # the home page's data needs the settings, which page builders do not see
        data = data(site)
    if not data:
        return Markup("")
    text = json.dumps(_resolve(data, site), ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c"))


def _resolve(value: Any, site: dict[str, Any]) -> Any:
    if isinstance(value, SiteUrl):
        return absolute(site, value)
    if isinstance(value, dict):
        return {k: _resolve(v, site) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, site) for v in value]
    return value
