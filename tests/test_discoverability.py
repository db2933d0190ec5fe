"""Being found and shared, without a browser: what every page's <head> says, the schema.org
JSON-LD of entry pages, sitemap.xml, robots.txt and the Atom feed flux.xml.

Two builds of the fixture atlas (tests/fixture_atlas.py): `whole_site` (base URL '/', what the
preview serves) and `published_site` (absolute base URL, as published: canonical links, sitemap
and feed). Expected values are read from the fixture's files (FACTS), never written here.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import feedparser
import pytest

from conftest import PUBLISHED_URL, build_tree
from fixture_atlas import FACTS

SEGMENTS = {"actors": "acteurs", "places": "lieux", "programmes": "programmes",
            "territories": "territoires", "themes": "thematiques"}
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


class Head(HTMLParser):
    """What search engines and link previews read from a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang: str | None = None
        self.title = ""
        self.meta: dict[str, list[str]] = {}
        self.links: list[dict[str, str]] = []
        self.jsonld: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "title":
            self._in = "title"
        elif tag == "meta" and ("name" in a or "property" in a):
            self.meta.setdefault(a.get("name") or a["property"], []).append(a.get("content", ""))
        elif tag == "link":
            self.links.append(a)
        elif tag == "script" and a.get("type") == "application/ld+json":
            self._in = "jsonld"
            self.jsonld.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("title", "script"):
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "title":
            self.title += data
        elif self._in == "jsonld":
            self.jsonld[-1] += data

    def one(self, name: str) -> str:
        values = self.meta.get(name, [])
        assert len(values) == 1, f"{name}: {values}"
        return values[0]

    def link(self, rel: str) -> list[dict[str, str]]:
        return [link for link in self.links if rel in link.get("rel", "").split()]


def page_url(site: Path, path: Path) -> str:
    """'acteurs/banque-ethique/' for acteurs/banque-ethique/index.html, '' for the home page."""
    rel = path.relative_to(site).as_posix()
    return rel[: -len("index.html")] if rel == "index.html" or rel.endswith("/index.html") else rel


def pages(site: Path) -> dict[str, Head]:
    found = {}
    for path in sorted(site.rglob("*.html")):
        head = Head()
        head.feed(path.read_text(encoding="utf-8"))
        found[page_url(site, path)] = head
    return found


@pytest.fixture(scope="module")
def published(published_site: Path) -> dict[str, Head]:
    return pages(published_site)


@pytest.fixture(scope="module")
def local(whole_site: Path) -> dict[str, Head]:
    return pages(whole_site)


def entry_pages() -> dict[str, tuple[str, str]]:
    """URL -> (kind, slug) of every entry page and free page of the fixture atlas."""
    urls = {f"{seg}/{slug}/": (kind, slug) for kind, seg in SEGMENTS.items() for slug in FACTS.entries(kind)}
    urls.update({f"{slug}/": ("pages", slug) for slug in FACTS.entries("pages") if slug != "accueil"})
    return urls


def jsonld(head: Head) -> dict[str, Any]:
    assert len(head.jsonld) == 1, f"{len(head.jsonld)} JSON-LD scripts"
    return json.loads(head.jsonld[0])


def absolute(url: str) -> str:
    return PUBLISHED_URL + url


def types(node: dict[str, Any]) -> set[str]:
    t = node["@type"]
    return set(t) if isinstance(t, list) else {t}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def iso(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


# --- <head> of every page --------------------------------------------------------------------

@pytest.mark.parametrize("build", ["local", "published"])
def test_every_page_has_lang_title_and_description(build: str, request: pytest.FixtureRequest) -> None:
    found = request.getfixturevalue(build)
    assert set(entry_pages()) <= set(found)  # every entry is a page
    bad = {url: (h.lang, h.title, h.meta.get("description")) for url, h in found.items()
           if h.lang != "fr" or not h.title.strip() or len(h.meta.get("description", [])) != 1
           or not h.meta["description"][0].strip()}
    assert bad == {}


def test_titles_say_which_page_it_is(local: dict[str, Head]) -> None:
    """An entry page's title starts with the entry's title; no two pages of a kind share one.

    Across kinds a title may repeat when the content says so (a territory and the public body
    of the same name): the URL and the page say which is which."""
    for url, (kind, slug) in entry_pages().items():
        assert local[url].title.startswith(str(FACTS.entries(kind)[slug]["title"]) + " · "), url
    by_section: dict[str, list[str]] = {}
    for url, head in local.items():
        section = url.split("/")[0] if url.count("/") == 2 else "other"  # entry pages by kind
        by_section.setdefault(section, []).append(head.title)
    for section, titles in by_section.items():
        assert len(set(titles)) == len(titles), (section, sorted(t for t in titles if titles.count(t) > 1))


def test_entry_descriptions_are_their_summaries(local: dict[str, Head]) -> None:
    for url, (kind, slug) in entry_pages().items():
        summary = FACTS.entries(kind)[slug].get("summary")
        if summary:
            assert local[url].one("description") == " ".join(str(summary).split()), url


def test_published_pages_have_canonical_and_social_tags(published: dict[str, Head]) -> None:
    for url, head in published.items():
        if url == "404.html":
            assert head.link("canonical") == [] and head.meta.get("og:url") is None
            assert head.one("robots") == "noindex"
            continue
        assert [c["href"] for c in head.link("canonical")] == [absolute(url)], url
        assert head.one("og:url") == absolute(url)
        assert head.one("og:title").strip() and head.title.startswith(head.one("og:title"))
        assert head.one("og:description") == head.one("description")
        assert head.one("twitter:card") == "summary"
        feeds = head.link("alternate")
        calendar = [("text/calendar", absolute("programmes/calendrier.ics"))] if url == "programmes/" else []
        assert [(f["type"], f["href"]) for f in feeds] == [("application/atom+xml", absolute("flux.xml"))] + calendar


def test_without_an_absolute_base_url_pages_claim_no_canonical(local: dict[str, Head]) -> None:
    """A root-relative canonical link would be read against whichever host serves the copy."""
    assert [url for url, head in local.items() if head.link("canonical") or "og:url" in head.meta] == []


@pytest.mark.parametrize("build", ["whole_site", "published_site"])
def test_a_favicon_is_linked_and_exists(build: str, request: pytest.FixtureRequest) -> None:
    site = request.getfixturevalue(build)
    base = urlsplit(PUBLISHED_URL).path if build == "published_site" else "/"
    for url, head in pages(site).items():
        icons = head.link("icon")
        assert len(icons) == 1, url
        path = urlsplit(icons[0]["href"]).path
        assert path.startswith(base) and (site / path[len(base):]).is_file(), (url, path)


def test_each_build_in_one_process_uses_its_own_base_path(tree) -> None:
    """Jinja folds `'assets/style.css' | url` into the compiled template: code compiled for one
    base path must not serve the next build (the tests build the atlas at '/' and '/atlas/')."""
    root = tree({"content/actors/a.md": "---\ntitle: A\ntype: association\n---\nTexte.\n"})
    for base in ("/", "/ailleurs/", "https://example.org/atlas/"):
        assert build_tree(root, base_url=base, search=False).report.ok
        path = urlsplit(base).path
        head = pages(root / "site")["acteurs/a/"]
        assert [link["href"] for link in head.link("stylesheet")] == [f"{path}assets/style.css"], base
        assert head.link("icon")[0]["href"] == f"{path}assets/favicon.svg"


# --- JSON-LD ---------------------------------------------------------------------------------

def test_the_home_page_describes_the_site_and_its_search(published: dict[str, Head]) -> None:
    data = jsonld(published[""])
    assert data["@type"] == "WebSite" and data["url"] == PUBLISHED_URL
    target = data["potentialAction"]["target"]["urlTemplate"]
    assert target == absolute("recherche/?q={q}") and "recherche/" in published


def test_every_jsonld_parses_and_links_to_pages_of_the_site(published: dict[str, Head]) -> None:
    def ids(value: Any) -> list[str]:
        if isinstance(value, dict):
            return [v for k, v in value.items() if k in ("@id", "url") and isinstance(v, str)] + \
                   [i for v in value.values() for i in ids(v)]
        return [i for v in value for i in ids(v)] if isinstance(value, list) else []

    for url, head in published.items():
        for text in head.jsonld:
            data = json.loads(text)
            assert data["@context"] == "https://schema.org"
            for link in ids(data):
                assert link.startswith(PUBLISHED_URL) and link[len(PUBLISHED_URL):].split("?")[0] in published, (url, link)


def postal(place: dict[str, Any]) -> dict[str, Any]:
    parts = {"streetAddress": place.get("address"), "postalCode": place.get("postcode"),
             "addressLocality": place.get("city")}
    return {"@type": "PostalAddress", **{k: str(v) for k, v in parts.items() if v}}


def same_as(entry: dict[str, Any]) -> list[str]:
    """The same organisation elsewhere: its web site, then its social pages."""
    site = str(entry.get("website", ""))
    return ([site] if site.startswith(("http://", "https://")) else []) + list(entry.get("social") or [])


def coordinates(place: dict[str, Any]) -> dict[str, Any]:
    return {"@type": "GeoCoordinates", "latitude": place["geo"]["lat"], "longitude": place["geo"]["lon"]}


ACTOR_TYPES = {"association": "NGO", "fondation": "NGO", "cooperative": "Corporation", "scop": "Corporation",
               "scic": "Corporation", "cae": "Corporation", "entreprise": "Corporation",
               "collectivite": "GovernmentOrganization", "etablissement-public": "GovernmentOrganization"}


def test_actors_are_organisations_with_their_addresses_parents_and_sites(published: dict[str, Head]) -> None:
    places = FACTS.entries("places")
    seen = {"address": 0, "geo": 0, "parent": 0, "sameAs": 0}
    for slug, actor in FACTS.entries("actors").items():
        data = jsonld(published[f"acteurs/{slug}/"])
        assert types(data) == {ACTOR_TYPES.get(actor.get("type", ""), "Organization")}, slug
        assert data["@id"] == data["url"] == absolute(f"acteurs/{slug}/") and data["name"] == actor["title"]
        own = [places[p] | {"slug": p} for p in actor.get("places") or []]
        mine = [postal(actor)] if len(postal(actor)) > 1 else []  # its own address comes first
        addressed = mine + [postal(p) for p in own if len(postal(p)) > 1]
        if addressed:
            assert as_list(data["address"]) == addressed, slug
            seen["address"] += 1
        else:
            assert "address" not in data, slug
        located = {n.get("@id", "own"): n for n in as_list(data.get("location", []))}
        if actor.get("geo"):  # its own premises: a Place without a page of its own
            assert located.pop("own")["geo"] == coordinates(actor), slug
        assert set(located) == {absolute(f"lieux/{p['slug']}/") for p in own}, slug
        for p in own:  # schema.org puts coordinates on a Place: the actor's location carries them
            node = located[absolute(f"lieux/{p['slug']}/")]
            assert node["name"] == p["title"]
            if p.get("geo"):
                assert node["geo"] == coordinates(p), slug
                seen["geo"] += 1
        if actor.get("parent"):
            parent = FACTS.entries("actors")[actor["parent"]]
            key = "memberOf" if parent.get("type") in ("reseau", "cluster") else "parentOrganization"
            assert data[key]["@id"] == absolute(f"acteurs/{actor['parent']}/") and data[key]["name"] == parent["title"]
            seen["parent"] += 1
        else:
            assert "memberOf" not in data and "parentOrganization" not in data
        if same_as(actor):
            assert as_list(data["sameAs"]) == same_as(actor), slug
            seen["sameAs"] += 1
        else:
            assert "sameAs" not in data
    assert seen["address"] and seen["geo"] and seen["parent"]  # the fixture atlas exercises each case


def test_places_have_a_postal_address_and_coordinates(published: dict[str, Head]) -> None:
    for slug, place in FACTS.entries("places").items():
        data = jsonld(published[f"lieux/{slug}/"])
        assert types(data) == {"Restaurant" if place.get("type") == "restaurant" else "Place"}  # Restaurant is a Place
        assert data["name"] == place["title"]
        if len(postal(place)) > 1:
            assert data["address"] == postal(place), slug
        if place.get("geo"):
            assert data["geo"] == coordinates(place), slug
        if place.get("territory"):
            assert data["containedInPlace"]["@id"] == absolute(f"territoires/{place['territory']}/")
        if same_as(place):
            assert as_list(data["sameAs"]) == same_as(place), slug


def test_programmes_with_a_budget_state_the_amount_and_who_gives_it(published: dict[str, Head]) -> None:
    budgeted = {s: p for s, p in FACTS.entries("programmes").items() if p.get("budget_eur")}
    assert budgeted
    for slug, programme in budgeted.items():
        data = jsonld(published[f"programmes/{slug}/"])
        assert types(data) & {"MonetaryGrant", "GovernmentService"}, slug
        assert "MonetaryGrant" in types(data)  # the type that has an amount
        assert data["amount"] == {"@type": "MonetaryAmount", "currency": "EUR", "value": programme["budget_eur"]}
        operators = {absolute(f"acteurs/{a}/") for a in programme.get("operators") or []}
        assert {n["@id"] for n in as_list(data.get("funder", []))} == operators, slug
        if "GovernmentService" in types(data) or "Service" in types(data):
            assert {n["@id"] for n in as_list(data["provider"])} == operators, slug
        public = any(FACTS.entries("actors")[a].get("type") in ("collectivite", "etablissement-public")
                     for a in programme.get("operators") or [])
        if programme.get("type") not in ("fonds", "appel-a-projets"):
            assert ("GovernmentService" if public else "Service") in types(data), slug


# --- sitemap.xml, robots.txt, flux.xml -------------------------------------------------------

def newest(*kinds: str) -> str | None:
    return max((iso(d["updated"]) for k in kinds for d in FACTS.entries(k).values() if d.get("updated")), default=None)


def test_the_sitemap_lists_every_page_with_its_check_date(published_site: Path, published: dict[str, Head]) -> None:
    root = ET.parse(published_site / "sitemap.xml").getroot()
    assert root.tag == f"{SITEMAP}urlset"
    listed = {u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod") for u in root}
    assert len(listed) == len(root)  # no URL twice
    assert set(listed) == {absolute(url) for url in published if url != "404.html"}
    for url, (kind, slug) in entry_pages().items():
        updated = FACTS.entries(kind)[slug].get("updated")
        assert listed[absolute(url)] == (iso(updated) if updated else None), url
    for kind, segment in SEGMENTS.items():
        assert listed[absolute(f"{segment}/")] == newest(kind)
    assert listed[PUBLISHED_URL] == newest(*SEGMENTS)
    for value in filter(None, listed.values()):
        dt.date.fromisoformat(value)  # W3C date


def test_robots_txt_names_the_sitemap_when_there_is_one(published_site: Path, whole_site: Path) -> None:
    lines = (published_site / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "User-agent: *" in lines and f"Sitemap: {absolute('sitemap.xml')}" in lines
    assert not (whole_site / "sitemap.xml").exists()  # no absolute URL to give: no sitemap, no feed
    assert not any(line.startswith("Sitemap:") for line in (whole_site / "robots.txt").read_text().splitlines())


def test_the_feed_is_well_formed_atom_with_the_latest_checked_entries(published_site: Path,
                                                                      published: dict[str, Head]) -> None:
    feed = feedparser.parse((published_site / "flux.xml").read_bytes())
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title and feed.feed.link == PUBLISHED_URL
    dated = {absolute(f"{SEGMENTS[k]}/{s}/"): (d, iso(d["updated"])) for k in SEGMENTS
             for s, d in FACTS.entries(k).items() if d.get("updated")}
    assert len(feed.entries) == min(50, len(dated))
    days = []
    for item in feed.entries:
        data, day = dated[item.link]
        assert item.id == item.link and item.link[len(PUBLISHED_URL):] in published
        assert item.title == data["title"]
        assert item.updated.startswith(day)
        if data.get("summary"):
            assert item.summary == " ".join(str(data["summary"]).split())
        days.append(day)
    assert days == sorted(days, reverse=True)  # newest first
    left_out = [day for url, (_, day) in dated.items() if url not in {i.link for i in feed.entries}]
    assert not left_out or max(left_out) <= days[-1]  # the latest ones are in


def test_every_footer_states_the_declared_accessibility_status(whole_site: Path) -> None:
    """RGAA: each page links to the statement with its status (« Accessibilité : non conforme »),
    which must be the one the atlas's pages/accessibilite.md declares."""
    declared = re.findall(r"\*\*((?:non|partiellement|totalement) conforme)\*\*", FACTS.body("pages", "accessibilite"))
    assert len(set(declared)) == 1, declared
    label = f'<a href="/accessibilite/">Accessibilité : {declared[0]}</a>'
    assert [p for p in whole_site.rglob("*.html") if label not in p.read_text(encoding="utf-8")] == []
