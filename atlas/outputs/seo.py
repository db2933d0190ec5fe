"""Being found and shared: sitemap.xml, robots.txt and the Atom feed flux.xml (JSON-LD: pages/jsonld.py).

The sitemap protocol and Atom both require absolute URLs (a sitemap's <loc>, an Atom <id>), and
a root-relative link in them would be read against the wrong host by whoever fetches the file.
So, like Zola and MkDocs, which need `base_url` / `site_url` for these files, sitemap.xml and
flux.xml are written only when the site has an absolute `base_url` (atlas.yaml or --base-url);
without one they are left out and pages carry no canonical link. robots.txt is always written
and names the sitemap when there is one. Crawlers read robots.txt only at the root of a host:
under a base path like /atlas/ it is harmless but ignored.

Dates come from the entries' `updated` field, never from the clock, so two builds of the same
content give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import html
import xml.etree.ElementTree as ET
from functools import partial
from typing import Any, Iterable, Sequence

from ..link import Atlas
from ..model import deps as dep_keys
from ..model.dates import PartialDate, as_day
from ..model.kinds import KINDS, Entry
from ..pages import Page, absolute, entry_url
from .fragments import Document, Fragment, Joined

FEED = "flux.xml"
FEED_SIZE = 50  # entries in the feed: the most recently checked ones
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
ATOM_NS = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"  # written xml:lang


# --- sitemap.xml, robots.txt, flux.xml -------------------------------------------------------

def produce(atlas: Atlas, site: dict[str, Any], pages: Sequence[Page]) -> Iterable[tuple[str, bytes | Document]]:
    """The three files (only robots.txt without an absolute base_url, see the module docstring)."""
    if site["base_url"]:
        yield "sitemap.xml", sitemap(atlas, site, pages)
        yield FEED, [Fragment("feed", partial(feed, atlas, site))]
    yield "robots.txt", robots(site)


def robots(site: dict[str, Any]) -> bytes:
    lines = ["User-agent: *", "Allow: /"]
    if site["base_url"]:
        lines += ["", f"Sitemap: {absolute(site, 'sitemap.xml')}"]
    return ("\n".join(lines) + "\n").encode()


def sitemap(atlas: Atlas, site: dict[str, Any], pages: Sequence[Page]) -> Document:
    """Every page but the 404 one, with the newest `updated` of the entries it shows as lastmod
    (laid out as ElementTree indents it: a fragment per page)."""
    listed = {page.url: page for page in pages if page.builder != "not_found"}
    return [f"<?xml version='1.0' encoding='utf-8'?>\n<urlset xmlns=\"{SITEMAP_NS}\">\n  ".encode(),
            Joined(list(listed), partial(_url, atlas, site, listed), b"\n  "), b"\n</urlset>\n"]


def _url(atlas: Atlas, site: dict[str, Any], listed: dict[str, Page], url: str, deps: set[str]) -> bytes:
    page = listed[url]
    newest = _lastmod(atlas, page, deps)
    lastmod = f"\n    <lastmod>{newest}</lastmod>" if newest else ""
    return f"<url>\n    <loc>{html.escape(absolute(site, page.url), quote=False)}</loc>{lastmod}\n  </url>".encode()


def _lastmod(atlas: Atlas, page: Page, deps: set[str]) -> str:
    """The check date of the page's entry, else the newest one of its kind's entries (its lists),
    else of the whole atlas."""
    if page.builder in ("entry", "free_page"):
        kind, slug = ("pages", page.args[0]) if page.builder == "free_page" else page.args[:2]
        deps.add(dep_keys.entry(kind, slug))
        updated = atlas.entries[(kind, slug)].get("updated")
        return updated.isoformat() if updated else ""
    kind = page.args[0] if page.builder in ("kind_list", "type_list") else ""
    deps.add(dep_keys.newest(kind))
    dated = atlas.by_update.of_kind(kind) if kind else atlas.by_update
    return dated[0].get("updated").isoformat() if dated else ""


def recent(atlas: Atlas, size: int = FEED_SIZE) -> list[Entry]:
    """The most recently checked entries, newest first; ties in title order, so always the same."""
    return list(atlas.by_update[:size])


def feed(atlas: Atlas, site: dict[str, Any], deps: set[str]) -> bytes:
    """Atom (RFC 4287): one <entry> per recently checked atlas entry, its summary and themes."""
    entries = recent(atlas)
    deps.add(dep_keys.recent(FEED_SIZE))
    for entry in entries:
        deps.add(dep_keys.entry(entry.kind, entry.slug))
        deps.update(dep_keys.card("themes", slug) for slug in entry.get("themes", ()))
    root = ET.Element("feed", {"xmlns": ATOM_NS, XML_LANG: site["language"]})
    ET.SubElement(root, "title").text = site["title"]
    ET.SubElement(root, "subtitle").text = "Fiches de l'atlas récemment créées ou vérifiées"
    ET.SubElement(root, "id").text = absolute(site, "")
    ET.SubElement(root, "link", rel="alternate", type="text/html", href=absolute(site, ""))
    ET.SubElement(root, "link", rel="self", type="application/atom+xml", href=absolute(site, FEED))
    newest = entries[0].get("updated") if entries else dt.date(1970, 1, 1)
    ET.SubElement(root, "updated").text = _timestamp(newest)
    ET.SubElement(ET.SubElement(root, "author"), "name").text = site["title"]
    ET.SubElement(root, "rights").text = f"Textes sous licence {site['licence_text']}, données sous {site['licence_data']}"
    for entry in entries:
        item = ET.SubElement(root, "entry")
        url = absolute(site, entry_url(entry.kind, entry.slug))
        ET.SubElement(item, "title").text = entry.title
        ET.SubElement(item, "id").text = url
        ET.SubElement(item, "link", rel="alternate", type="text/html", href=url)
        ET.SubElement(item, "updated").text = _timestamp(entry.get("updated"))
        ET.SubElement(item, "category", term=KINDS[entry.kind].segment, label=KINDS[entry.kind].plural)
        for theme in atlas.refs(entry, "themes") if entry.kind != "themes" else []:
            ET.SubElement(item, "category", term=theme.slug, label=theme.title)
        if entry.get("summary"):
            ET.SubElement(item, "summary").text = entry.get("summary")
    return _xml(root)


def _timestamp(day: PartialDate | dt.date) -> str:
    """RFC 3339 date-time, as Atom requires: the day an entry was checked (the first day of a
    partial date), at midnight UTC."""
    return f"{as_day(day).isoformat()}T00:00:00Z"


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"

