"""What a rendered page links to and which anchors it defines: a small record made at render time.

The link check (`linkcheck.py`) must see every internal link of the site, but parsing 10,000
pages again on every build would cost what rendering them costs. So each page is read once, in
the worker that just rendered it: `page_links()` keeps its internal links (made root-relative,
`/atlas/acteurs/x/#y`), its same-page fragments and its ids, and the links of its Markdown body
with their content file and line (`BodyLink`, recorded by the Markdown renderer as it converts
the body). The record is cached beside the page's dependencies: an unchanged page is not read.

Attributes are read with regular expressions, not an HTML parser: the pages are our own output
(Jinja and Python-Markdown write every attribute in double quotes, text never holds a raw `<`),
and a regex pass costs a few per cent of what an HTMLParser run does.
"""

from __future__ import annotations

import html
import posixpath
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from .theme import template_files

if TYPE_CHECKING:
    from ..pages.plan import Page

# An attribute inside a start tag: text never holds a raw `>` (escaped as &gt;), so one that is
# followed by a `>` before any `<` is in a tag. A pass in C over the page, no loop per tag; one
# pattern per character that may come before an attribute, because a pattern that starts with
# one literal character is searched five times faster than one that starts with `\s`.
_ATTRIBUTES = tuple(re.compile(space + r'(href|src|srcset|action|id)="([^"]*)"(?=[^<>]*>)') for space in " \n\t\r")
_ROOT_LINK = re.compile(r'( (?:href|src)=")/(?!/)(?=[^<>]*>)')  # Markdown and nh3 write one space
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclass(frozen=True)
class BodyLink:
    """A link or image of a Markdown body, where the author wrote it."""

    url: str  # root-relative, as the page has it ('/atlas/acteurs/x/#y'), or '#y' on the same page
    written: str  # as in the content file ('acteur:x#y', '/assets/a.jpg')
    file: str  # content/actors/x.md
    line: int
    image: bool


@dataclass(frozen=True)
class PageLinks:
    """The internal links of one page (templates and settings apart from its body) and its ids."""

    urls: frozenset[str]  # root-relative targets, fragments kept ('/atlas/a-z/', '/atlas/x/#y')
    fragments: frozenset[str]  # targets on the same page ('contenu' for href="#contenu")
    ids: frozenset[str]
    body: tuple[BodyLink, ...] = ()
    template: str = ""  # the page's template, where a broken link is reported when no line names it


def attributes(page: str) -> Iterator[tuple[str, str]]:
    """(name, value) of every link attribute and id in the start tags of HTML, values unescaped;
    each candidate of a srcset as a `src`."""
    for name, value in _in_order(page):
        if name == "srcset":
            for candidate in _candidates(value):
                yield "src", candidate
        else:
            yield name, _unescaped(value)


def _in_order(page: str) -> list[tuple[str, str]]:
    """(name, raw value) of the attributes, in the order of the page."""
    first, *others = _ATTRIBUTES
    rare = [m for pattern in others for m in pattern.finditer(page)]
    if not rare:
        return first.findall(page)
    return [m.groups() for m in sorted([*first.finditer(page), *rare], key=lambda m: m.start())]


def root_relative(url: str, page_url: str, base_path: str, base_url: str) -> str | None:
    """An internal URL as the root-relative path the browser asks for ('/atlas/x/#y'), '#y' for one
    on the same page, or None when the URL leaves the site (another host, mailto:, an empty href)."""
    if url[:1] != "/" or url[1:2] == "/":  # not the common case, a root-relative URL
        url = url.strip()
        if base_url and url.startswith(base_url):  # the site's own absolute URL: canonical, feeds
            url = base_path + url[len(base_url):]
        if not url or url.startswith("//") or _SCHEME.match(url):
            return None
        if url.startswith("#"):
            return url
    path, mark, fragment = url.partition("#")
    if "?" in path:
        path = path.partition("?")[0]
    if not path.startswith("/"):
        folder = base_path + page_url.rpartition("/")[0]
        joined = posixpath.normpath(posixpath.join(folder, path)) if path else base_path + page_url
        path = joined + ("/" if path.endswith(("/", "/.", "/..")) or path in (".", "..") else "")
        path = path.replace("//", "/")
    return sys.intern(path + mark + fragment)


def prefix_root_links(page: str, base_path: str) -> str:
    """`href="/x"` and `src="/x"` under the base path (`/atlas/x`); other URLs as they are."""
    if base_path == "/" or '="/' not in page:
        return page
    return _ROOT_LINK.sub(lambda m: m.group(1) + base_path, page)


def body_links(fragment: str, text: str, file: str, body_line: int, origins: dict[str, str],
               page_url: str, base_path: str) -> list[BodyLink]:
    """The links of a converted body shown on `page_url`, each at the line where its URL is written.

    `origins` maps the URLs that cross-links became (without the base path) back to what was
    written; the others are found in the text as written, that is without the base path.
    """
    found, position = [], 0
    for name, value in attributes(fragment):
        if name == "id":
            continue
        url = root_relative(value, page_url, base_path, "")
        if url is None:
            continue
        bare = "/" + value[len(base_path):] if value.startswith(base_path) else value
        written = origins.get(bare) or bare
        where = text.find(written, position)
        if where < 0:
            where = text.find(written)
        if where >= 0:
            position = where + len(written)
        line = body_line + text.count("\n", 0, where) if where >= 0 else body_line
        found.append(BodyLink(url, written, file, line, name == "src"))
    return found


def page_links(page: "Page", rendered: bytes, body: Iterable[BodyLink], site: dict[str, Any]) -> PageLinks:
    """The record of a page just rendered; its body's links are told apart from the templates'."""
    base_path, base_url = site["base_path"], site["base_url"]
    pairs = _in_order(rendered.decode("utf-8"))
    ids = {_unescaped(value) for name, value in pairs if name == "id"}
    found = Counter(value for name, value in pairs if name != "id" and name != "srcset")  # pages repeat links
    for name, value in pairs:
        if name == "srcset":
            found.update(_candidates(value))
    body = tuple(body)
    from_body = Counter(link.url for link in body)
    urls: set[str] = set()
    fragments: set[str] = set()
    for value, count in found.items():  # each distinct value once
        url = root_relative(_unescaped(value), page.url, base_path, base_url)
        if url is None:
            continue
        if from_body:
            theirs = min(count, from_body[url])  # occurrences that are the body's
            from_body[url] -= theirs
            if count == theirs:
                continue
        if url.startswith("#"):
            fragments.add(url[1:])
        else:
            urls.add(url)
    return PageLinks(frozenset(urls), frozenset(fragments), frozenset(ids), body, sys.intern(page.template))


def _unescaped(value: str) -> str:
    return html.unescape(value) if "&" in value else value


def _candidates(value: str) -> list[str]:
    """The URLs of a srcset ('a.jpg 1x, b.jpg 2x')."""
    return [c.split()[0] for c in _unescaped(value).split(",") if c.strip()]


@dataclass(frozen=True)
class TemplateIds:
    """The ids the templates write: as is, and as patterns where part of the id is computed."""

    literal: frozenset[str]
    pattern: re.Pattern[str]

    def __contains__(self, name: str) -> bool:
        return name in self.literal or self.pattern.fullmatch(name) is not None


_TEMPLATE_ID = re.compile(r'\sid="([^"]*)"')
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")


def template_ids(root: Path) -> TemplateIds:
    """Every id of the site's templates and the theme's (computed parts match anything)."""
    literal, patterns = set(), []
    for _, path in template_files(root):
        if path.suffix != ".html":
            continue
        for value in _TEMPLATE_ID.findall(path.read_text(encoding="utf-8", errors="replace")):
            parts = _JINJA.split(value)
            if len(parts) == 1:
                literal.add(value)
            else:
                patterns.append(".+".join(re.escape(p) for p in parts))
    return TemplateIds(frozenset(literal), re.compile("|".join(sorted(set(patterns))) or "(?!)"))
