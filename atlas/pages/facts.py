"""What an entry's fact sheet shows beyond its own plain fields (templates/facts.html lays it out):
addresses, identifiers with their public directory, contacts, opening hours, the atlas's own
fields. Values arrive validated; here they are only put in the words and links a reader needs.
"""

from __future__ import annotations

from typing import Any

from .findpages import address
from ..model.contact import group_digits, phone_display, phone_link, rna_url, siren_url, siret_url, social_label
from ..model.dates import period_words
from ..model.hours import french_rows, parse as parse_hours
from ..model.kinds import Entry
from .view import View, entry_url


def located(view: View, entry: Entry) -> list[dict[str, Any]]:
    """An actor's addresses: its own, then each of its places that has one, with the place's name and page."""
    if entry.kind != "actors":
        return []
    own = address(entry)
    found = [{"title": "", "url": "", "address": own}] if own else []
    for place in view.atlas.refs(entry, "places"):
        text = address(view.fields(place))
        if text:
            found.append({"title": place.title, "url": entry_url(place.kind, place.slug), "address": text})
    return found


def identifiers(entry: Entry) -> list[dict[str, str]]:
    """SIRET, SIREN and RNA number, each with the directory page that shows it."""
    found = []
    if entry.get("siret"):
        found.append({"label": "SIRET", "value": group_digits(entry.get("siret")), "url": siret_url(entry.get("siret"))})
    if entry.get("siren"):
        found.append({"label": "SIREN", "value": group_digits(entry.get("siren")), "url": siren_url(entry.get("siren"))})
    if entry.get("rna"):
        found.append({"label": "RNA", "value": entry.get("rna"), "url": rna_url(entry.get("rna"))})
    return found


def contact(entry: Entry) -> dict[str, Any]:
    """E-mail, phone (« 03 20 12 34 56 », tel: link) and social links named by their network."""
    phone = entry.get("phone")
    return {
        "email": entry.get("email", ""),
        "phone": {"text": phone_display(phone), "url": phone_link(phone)} if phone else None,
        "social": [{"label": social_label(url), "url": url} for url in entry.get("social", ())],
    }


def hours(entry: Entry) -> list[dict[str, str]]:
    """The opening hours as a table's rows: « lundi au vendredi » → « 9 h – 12 h, 14 h – 18 h »."""
    text = entry.get("opening_hours")
    return [{"days": row.days, "hours": row.hours} for row in french_rows(parse_hours(text))] if text else []


def extras(view: View, entry: Entry) -> list[dict[str, Any]]:
    """The atlas's own fields that the fact sheet shows (`show`), in the order declared, with
    their value ready for the template: text, number, yes/no, date, link, list, or entry link."""
    found = []
    for spec in view.atlas.model.extra(entry.kind):
        value = entry.get(spec.name)
        if not spec.show or value is None or value == "":
            continue
        if spec.type == "ref":
            target = view.atlas.get(spec.ref, value)
            if target is None:
                continue
            value = view.link(target)
        elif spec.type == "bool":
            value = "oui" if value else "non"
        found.append({"label": spec.label, "type": spec.type, "value": value})
    return found


def details(view: View, entry: Entry) -> dict[str, Any]:
    """Everything facts.html shows that needs more than the field's value."""
    return {"identifiers": identifiers(entry), "contact": contact(entry), "hours": hours(entry),
            "period": period_words(entry.get("start"), entry.get("end")), "extras": extras(view, entry)}
