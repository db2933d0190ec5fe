"""Helpers shared by the test files (never import one test file from another): the digest of a
built site, the facts of an atlas's files, what a page weighs, axe-core, the Nu Html Checker.

Facts: what an atlas's files say, read straight from their text with PyYAML (not through the
generator), so that a test's expectations are computed from the files it builds and follow
them as they grow. `FACTS` in fixture_atlas.py holds the fixture atlas's; the sample's own
tests read content/ with `Facts.read(ROOT)`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
import textwrap
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import Any, Mapping
from urllib.parse import unquote, urlsplit

import pytest
import yaml

KINDS = ("actors", "places", "programmes", "territories", "themes")
SUFFIXES = (".md", ".yaml", ".yml")


def tree_digest(site: Path) -> dict[str, str]:
    """sha256 of every file of a built site, search index included."""
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def listed(value: Any) -> list[str]:
    """A reference field as a list: absent -> [], one slug -> [slug]."""
    return [] if not value else [value] if isinstance(value, str) else list(value)


def split(name: str, text: str) -> tuple[dict[str, Any], str]:
    """(front matter, body as written) of one entry file's text."""
    if PurePosixPath(name).suffix != ".md":
        data = yaml.safe_load(text) or {}
        return data, str(data.get("body") or "")
    front, _, rest = text.removeprefix("---").partition("\n---")
    return yaml.safe_load(front) or {}, rest.split("\n", 1)[1] if "\n" in rest else ""


def as_editors_read(value: Any) -> Any:
    """PyYAML reads 2024-01-31 as a date; YAML 1.2 tools (editors) read a string."""
    if isinstance(value, dict):
        return {k: as_editors_read(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_editors_read(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


@dataclass(frozen=True)
class Facts:
    """The published entries of an atlas given as {'content/<kind>/<slug>.md': text} (texts are
    dedented as conftest.write_tree writes them)."""

    files: Mapping[str, str]
    _parsed: dict[tuple[str, str], tuple[dict[str, Any], str]] = field(default_factory=dict, compare=False,
                                                                         repr=False)

    def __post_init__(self) -> None:
        for name, text in sorted(self.files.items()):
            path = PurePosixPath(name)
            if len(path.parts) == 3 and path.parts[0] == "content" and path.suffix in SUFFIXES:
                self._parsed[(path.parts[1], path.stem)] = split(name, textwrap.dedent(text).lstrip("\n"))

    @classmethod
    def read(cls, root: Path) -> Facts:
        """The facts of the atlas whose content/ folder is under root."""
        return cls({p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
                    for p in sorted((root / "content").glob("*/*")) if p.suffix in SUFFIXES})

    def front_matters(self, kind: str) -> dict[str, dict[str, Any]]:
        """slug -> front matter of every file of a kind, drafts included."""
        return {slug: data for (k, slug), (data, _) in sorted(self._parsed.items()) if k == kind}

    def entries(self, kind: str) -> dict[str, dict[str, Any]]:
        """slug -> front matter of the published (non-draft) entries of a kind, by slug."""
        return {slug: data for (k, slug), (data, _) in sorted(self._parsed.items())
                if k == kind and not data.get("draft")}

    def body(self, kind: str, slug: str) -> str:
        """The Markdown body of an entry, as written."""
        return self._parsed[(kind, slug)][1]

    def first_paragraph_text(self, kind: str, slug: str) -> str:
        """The body's first paragraph as a reader sees it: link texts without their targets, no
        emphasis marks, spaces collapsed. Paragraphs with an empty link text (whose text the
        generator takes from the target) are passed over."""
        for para in self.body(kind, slug).strip().split("\n\n"):
            if re.search(r"\[\]\(", para) or para.lstrip().startswith(("#", "-", "*", ">", "|", "<")):
                continue
            text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", para)
            text = re.sub(r"(\*\*|__|\*|`)", "", text)
            return " ".join(text.split())
        return ""

    def chain(self, kind: str, slug: str) -> list[str]:
        """A territory or theme and its ancestors."""
        found: list[str] = []
        entries = self.entries(kind)
        while slug and slug not in found and slug in entries:
            found.append(slug)
            slug = entries[slug].get("parent") or ""
        return found

    def geolocated(self) -> dict[str, dict[str, Any]]:
        """The places with coordinates."""
        return {slug: data for slug, data in self.entries("places").items() if data.get("geo")}

    def mapped(self) -> dict[str, dict[str, Any]]:
        """The points of the atlas map by URL: the places with coordinates and the actors with their
        own (an actor without takes its places' points, already there)."""
        actors = {f"/acteurs/{slug}/": data for slug, data in self.entries("actors").items() if data.get("geo")}
        return {**{f"/lieux/{slug}/": data for slug, data in self.geolocated().items()}, **actors}

    def with_theme(self, kind: str, theme: str) -> set[str]:
        """Slugs of the entries of `kind` classified under `theme` or one of its sub-themes."""
        return {slug for slug, data in self.entries(kind).items()
                if any(theme in self.chain("themes", t) for t in listed(data.get("themes")))}

    def richest(self, kind: str) -> str:
        """The entry of a kind with the most fields filled in: its page shows the most kinds of markup."""
        found = self.entries(kind)
        return max(sorted(found), key=lambda slug: len([v for v in found[slug].values() if v]))

    def hosted(self, place: str) -> list[str]:
        """The actors at a place, by slug."""
        return sorted(a for a, d in self.entries("actors").items() if place in listed(d.get("places")))


# --- what a page weighs -----------------------------------------------------------------------

BUDGET = 30 * 1024  # bytes of an entry page's HTML and its stylesheets (tests/test_frugality.py)
LISTS = re.compile(rb'<section class="(?:relations|within)".*?</section>', re.S)


class Resources(HTMLParser):
    """What a page makes the browser fetch by itself: stylesheets, scripts, images, frames."""

    def __init__(self) -> None:
        super().__init__()
        self.stylesheets: list[str] = []
        self.fetched: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        rel = a.get("rel", "").split()
        if tag == "link" and "stylesheet" in rel:
            self.stylesheets.append(a["href"])
        if tag == "link" and set(rel) & {"stylesheet", "icon", "preload", "modulepreload", "prefetch",
                                         "preconnect", "dns-prefetch", "manifest", "apple-touch-icon"}:
            self.fetched.append(a["href"])
        elif tag in ("script", "img", "iframe", "video", "audio", "source", "embed", "track", "input") and a.get("src"):
            self.fetched.append(a["src"])
        elif tag == "object" and a.get("data"):
            self.fetched.append(a["data"])
        if a.get("srcset"):
            self.fetched += [part.split()[0] for part in a["srcset"].split(",") if part.strip()]


def resources(path: Path) -> Resources:
    """What the page at path makes the browser fetch."""
    parser = Resources()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def weight(site: Path, url: str) -> tuple[int, int]:
    """(bytes of the page's HTML, bytes of the stylesheets it links)."""
    page = site / url / "index.html"
    css = sum((site / urlsplit(href).path.lstrip("/")).stat().st_size for href in resources(page).stylesheets)
    return page.stat().st_size, css


def weight_without_lists(site: Path, url: str) -> tuple[int, int]:
    """(bytes of the page's HTML without its lists of related cards, bytes of its stylesheets):
    the lists grow with the atlas, the rest of an entry page must not."""
    return len(LISTS.sub(b"", (site / url / "index.html").read_bytes())), weight(site, url)[1]


# --- axe-core, in a playwright page ----------------------------------------------------------

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]  # best practices: distinct landmark names…


def run_axe(page) -> list[dict]:
    """axe-core violations for the WCAG 2.0 / 2.1 A and AA rules, on the page as it is now."""
    return page.evaluate("""tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})
        .then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            targets: v.nodes.map(n => n.target.join(' ') + ' :: ' + n.failureSummary.split('\\n').slice(1).join(' ').trim())})))""",
                         TAGS)


def axe_in_both_schemes(page) -> dict[str, list[dict]]:
    """run_axe in the light then the dark colour scheme (axe-core already added to the page)."""
    found = {}
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (scheme == "dark")
        found[scheme] = run_axe(page)
    return found


def describe_axe(found: dict[str, list[dict]]) -> str:
    """[scheme] rule (impact): help, then the first targets, for each violation."""
    lines = []
    for scheme, violations in found.items():
        for v in violations:
            lines.append(f"[{scheme}] {v['id']} ({v['impact']}): {v['help']}")
            lines += [f"    {t}" for t in v["targets"][:8]]
            if len(v["targets"]) > 8:
                lines.append(f"    … and {len(v['targets']) - 8} more")
    return "\n".join(lines)


# --- search in the browser -------------------------------------------------------------------

def result_links(page) -> list[str]:
    """The hrefs of the search results shown, in order."""
    return page.locator(".search-results h2 a").evaluate_all("links => links.map(a => a.getAttribute('href'))")


def search_results(page, server: str, query: str = "", **filters: str) -> list[str]:
    """Open /recherche/ with a query string, wait for the answer; hrefs of the results shown."""
    params = "&".join(f"{k}={v}" for k, v in {"q": query, **filters}.items() if v)
    page.goto(f"{server}recherche/?{params}")
    page.wait_for_selector("[data-search][data-ready]")
    page.wait_for_function("document.querySelector('[data-search-status]').textContent !== ''")
    return result_links(page)


def search_from_header(page, server: str, words: str) -> str:
    """Type `words` in the header's search box of the home page and press Enter: the first
    result's href, once the search page shows it with `words` in its own box."""
    page.goto(server)
    page.get_by_label("Rechercher dans l'atlas").fill(words)
    page.get_by_label("Rechercher dans l'atlas").press("Enter")
    page.wait_for_url(f"**/recherche/?q={words}")
    page.wait_for_selector(".search-results h2 a")
    assert page.get_by_label("Mots à rechercher").input_value() == words
    return page.locator(".search-results h2 a").first.get_attribute("href")


# --- the Nu Html Checker ---------------------------------------------------------------------

VNU = Path(__file__).resolve().parent.parent / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
BROKEN = "<!doctype html><html lang=fr><head><title>x</title></head><body><p><div>x</p></body></html>\n"


def _local_path(url: str) -> Path:
    return Path(unquote(urlsplit(url).path))


def vnu_messages(folders: list[Path], control: Path) -> list[dict]:
    """The checker's messages on every HTML file of folders, in one run (one JVM start).

    A broken page written in `control` is checked in the same run and must be reported: that
    proves the checker runs and speaks. Missing java or jar: skipped locally, failed in CI."""
    java = shutil.which("java")
    if java is None or not VNU.exists():
        missing = "java" if java is None else str(VNU)
        if os.environ.get("CI"):
            pytest.fail(f"{missing} is missing in CI: install Java 17 and run python3 dev.py (npm packages)")
        pytest.skip(f"{missing} not available (python3 dev.py installs the npm checkers; Java 17 is needed)")
    (control / "broken.html").write_text(BROKEN, encoding="utf-8")
    done = subprocess.run([java, "-jar", str(VNU), "--format", "json", "--skip-non-html", *map(str, folders),
                           str(control)], capture_output=True, text=True, timeout=300)
    messages = json.loads(done.stderr)["messages"]
    assert any(m["type"] == "error" and _local_path(m.get("url", "")).parent == control for m in messages), \
        f"the checker did not report the broken control page:\n{done.stderr[:2000]}"
    return [m for m in messages if _local_path(m.get("url", "")).parent != control]


def describe_vnu(messages: list[dict], base: Path) -> str:
    """file:line: kind: message [extract], paths relative to base (the folder holding the builds)."""
    lines = []
    for m in messages[:40]:
        where = _local_path(m.get("url", "")).relative_to(base) if m.get("url") else "?"
        kind = m.get("subType", m["type"])
        lines.append(f"{where}:{m.get('lastLine', '?')}: {kind}: {m['message']}  [{m.get('extract', '').strip()}]")
    if len(messages) > 40:
        lines.append(f"… and {len(messages) - 40} more")
    return "\n".join(lines)
