"""/programmes/calendrier.ics: the starts and deadlines of the programmes, as an iCalendar feed.

A reader subscribes once and sees calls for projects open and close in their own calendar.
Each date precise to the day becomes an all-day event (a month or a year is no day to put in a
calendar: `start: 2025-09` makes no event). UIDs are made of the programme's slug, what the
date is and the site's address, so an event keeps its identity from one build to the next and
a calendar updates it instead of adding a copy. Nothing depends on the clock: DTSTAMP, which
RFC 5545 requires, is the day the programme's facts were checked (`updated`), else the event's
own day, so the same content gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, Iterable
from urllib.parse import urlsplit

from ..link.graph import Atlas
from ..model import deps as dep_keys
from ..model.kinds import Entry
from ..model.lifecycle import exact_day
from ..pages.view import entry_url
from ..read.source import slugify
from .fragments import Fragment

if TYPE_CHECKING:
    import icalendar

PATH = "programmes/calendrier.ics"
PRODID = "-//Atlas ESS//Calendrier des programmes//FR"


@dataclass(frozen=True)
class Moment:
    """Which date of a programme makes an event: its field, the UID part and the French title."""

    field: str
    uid: str
    label: str


MOMENTS = (Moment("start", "debut", "Début"), Moment("deadline", "date-limite", "Date limite"))


def site_id(site: dict[str, Any]) -> str:
    """What makes UIDs unique to this atlas: its host and path, else its title as a slug."""
    if site["base_url"]:
        parts = urlsplit(site["base_url"])
        return (parts.netloc + parts.path).rstrip("/")
    return slugify(site["title"]) or "atlas"


def events(entry: Entry, site: dict[str, Any]) -> list[icalendar.Event]:
    """The all-day events of one programme: its start and its deadline, when precise to the day."""
    import icalendar  # a quarter of a second to import: only when the feed is made again

    found = []
    for moment in MOMENTS:
        day = exact_day(entry.get(moment.field))
        if day is None:
            continue
        event = icalendar.Event()
        event.add("uid", f"{entry.slug}/{moment.uid}@{site_id(site)}")
        event.add("dtstamp", _midnight(exact_day(entry.get("updated")) or day))
        event.add("dtstart", day)
        event.add("dtend", day + dt.timedelta(days=1))  # exclusive: one whole day
        event.add("summary", f"{moment.label} : {entry.title}")
        url = (site["base_url"] + entry_url(entry.kind, entry.slug)) if site["base_url"] else ""
        event.add("description", "\n\n".join(p for p in (entry.get("summary", ""), url) if p) or entry.title)
        if url:
            event.add("url", url)
        event.add("categories", [moment.label])
        event.add("transp", "TRANSPARENT")  # a date to know, not time taken
        found.append(event)
    return found


def calendar(atlas: Atlas, site: dict[str, Any], deps: set[str] | None = None) -> bytes:
    """The whole feed, programmes in slug order, CRLF lines as RFC 5545 wants; `deps` receives
    what it read (the programmes), so that a build changing none of them reuses the bytes."""
    import icalendar

    programmes = sorted(atlas.by_kind.get("programmes", []), key=lambda e: e.slug)
    if deps is not None:
        deps.update([dep_keys.kind_list("programmes")] + [dep_keys.entry("programmes", e.slug) for e in programmes])
    feed = icalendar.Calendar()
    feed.add("prodid", PRODID)
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("method", "PUBLISH")
    feed.add("x-wr-calname", f"{site['title']} : programmes")
    feed.add("x-wr-caldesc", "Débuts et dates limites des programmes de l'atlas")
    for entry in programmes:
        for event in events(entry, site):
            feed.add_component(event)
    return feed.to_ical()


def produce(atlas: Atlas, site: dict[str, Any], pages: Any = ()) -> Iterable[tuple[str, Any]]:
    """The feed, when the atlas has programmes (the programmes list links to it then)."""
    if atlas.by_kind.get("programmes"):
        yield PATH, [Fragment("ics", partial(calendar, atlas, site))]


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)
