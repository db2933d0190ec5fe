"""Markdown bodies to safe HTML: one configured converter, cross-links by slug, sanitised output.

Root-relative links and images (`/assets/photo.jpg`) get the site's base path, as the templates'
links do; heading ids are made as GitHub and kramdown make them, accents kept (Python-Markdown's
`slugify_unicode`: « Quelques éléments de contexte » -> `quelques-éléments-de-contexte`), unique
on the page. The links a body makes are recorded, with their line, for the link check.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from typing import Callable

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import Treeprocessor

from ..model.kinds import LINK_PREFIX
from .links import BodyLink, body_links, prefix_root_links

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "div", "dl", "dt", "em",
    "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
    "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "sup", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "title", "lang"},
    "a": {"href", "class"},
    "abbr": {"title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
    "div": {"class"},
    "li": {"class"},
    "sup": {"class"},
}
URL_SCHEMES = {"http", "https", "mailto"}

Resolver = Callable[[str, str], "tuple[str, str] | None"]  # (kind, slug) -> ('/acteurs/x/', title)
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


class _CrossLinks(Treeprocessor):
    """Rewrite `acteur:la-nef` hrefs to the entry's URL; empty link text becomes its title."""

    def __init__(self, md: markdown.Markdown, owner: "MarkdownRenderer") -> None:
        super().__init__(md)
        self.owner = owner

    def run(self, root: etree.Element) -> None:
        for a in root.iter("a"):
            href = a.get("href", "")
            prefix, _, rest = href.partition(":")
            if prefix not in LINK_PREFIX:
                continue
            slug, _, fragment = rest.partition("#")
            found = self.owner.resolve(LINK_PREFIX[prefix], slug)
            if found is None:  # reported by the link stage; keep the text, drop the link
                a.tag = "span"
                a.attrib.clear()
                continue
            url, title = found
            a.set("href", url + (f"#{fragment}" if fragment else ""))
            self.owner.origins[a.get("href")] = href
            if not (a.text or len(a)):
                a.text = title


_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f]+")  # what browsers skip when they read a scheme


def safe_url(url: str) -> bool:
    """Relative, fragment, or http/https/mailto — as a browser would read it.

    Markdown keeps '&' of entities as a placeholder until serialisation (`jav&#x09;ascript:`
    becomes a tab in the browser): decode it and the entities first; any other placeholder
    left in a URL is refused.
    """
    url = html.unescape(url.replace(markdown.util.AMP_SUBSTITUTE, "&"))
    if markdown.util.STX in url or markdown.util.ETX in url:
        return False
    found = _SCHEME.match(_IGNORED_IN_URLS.sub("", url))
    return found is None or found.group(1).lower() in URL_SCHEMES


class _HeadingIds(Treeprocessor):
    """Each heading's id from its text, unique among the ids already on the page."""

    def __init__(self, md: markdown.Markdown, owner: "MarkdownRenderer") -> None:
        super().__init__(md)
        self.owner = owner

    def run(self, root: etree.Element) -> None:
        used = set(self.owner.reserved)
        used.update(e.get("id") for e in root.iter() if e.get("id"))  # {#id} written by the author
        for element in root.iter():
            if element.tag in HEADINGS and not element.get("id"):
                element.set("id", unique(heading_id(_plain_text(element)), used))


_PLACEHOLDER = re.compile(f"{markdown.util.STX}[^{markdown.util.ETX}]*{markdown.util.ETX}")


def _plain_text(element: etree.Element) -> str:
    """A heading's text as the reader sees it (raw HTML inside it left out)."""
    text = _PLACEHOLDER.sub("", "".join(element.itertext())).replace(markdown.util.AMP_SUBSTITUTE, "&")
    return html.unescape(text)


def heading_id(text: str) -> str:
    """`quelques-éléments-de-contexte`: lower case, accents kept, punctuation dropped, dashes."""
    return slugify_unicode(text, "-") or "section"


def unique(name: str, used: set[str]) -> str:
    """`name`, or `name-1`, `name-2`… as GitHub numbers a repeated heading; added to `used`."""
    found, n = name, 0
    while found in used:
        n += 1
        found = f"{name}-{n}"
    used.add(found)
    return found


class _Sanitise(Treeprocessor):
    """The allowlist applied to what Markdown itself built (attr_list attributes, link URLs).

    Raw HTML written in a body is stashed by Markdown and never reaches this tree: when a body
    contains '<', nh3 cleans the serialised output as well.
    """

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element is root:
                continue
            if element.tag == "h1":
                element.tag = "h2"  # the page's own title is the only h1
            if element.tag not in ALLOWED_TAGS:
                element.tag = "span"
                element.attrib.clear()
                continue
            allowed = ALLOWED_ATTRIBUTES.get(element.tag, set()) | ALLOWED_ATTRIBUTES["*"]
            for name in list(element.attrib):
                value = element.attrib[name]
                if name not in allowed or (name in ("href", "src") and not safe_url(value)):
                    del element.attrib[name]


class _AtlasExtension(Extension):
    def __init__(self, owner: "MarkdownRenderer") -> None:
        super().__init__()
        self.owner = owner

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API
        md.treeprocessors.register(_CrossLinks(md, self.owner), "atlas_cross_links", 5)
        md.treeprocessors.register(_HeadingIds(md, self.owner), "atlas_heading_ids", 4)
        md.treeprocessors.register(_Sanitise(md), "atlas_sanitise", -10)  # after 'unescape' (0)


class MarkdownRenderer:
    """One Markdown converter, reset between documents (creating one costs more than a page).

    `reserved` are the ids the templates write, which headings must not take. A page announces
    with `start_page` which bodies it shows (text -> content file and first line) and its URL;
    converting one of them records its links in `body_links`.
    """

    def __init__(self, resolve: Resolver, base_path: str = "/", reserved: frozenset[str] = frozenset()) -> None:
        self.resolve, self.base_path, self.reserved = resolve, base_path, reserved
        self.origins: dict[str, str] = {}  # href a cross-link became -> the cross-link as written
        self.sources: dict[str, tuple[str, int]] = {}
        self.page_url = ""
        self.body_links: list[BodyLink] = []
        self.md = markdown.Markdown(
            extensions=["extra", "sane_lists", _AtlasExtension(self)],
            output_format="html",
        )

    def start_page(self, sources: dict[str, tuple[str, int]], page_url: str) -> None:
        """The bodies the next page shows and its URL; its recorded links start empty."""
        self.sources, self.page_url, self.body_links = sources, page_url, []

    def convert(self, text: str) -> str:
        """Markdown -> sanitised HTML (nh3 only when raw HTML may be there: it costs a third of a page)."""
        self.origins = {}
        html = self.md.reset().convert(text)
        html = prefix_root_links(sanitize(html) if "<" in text else html, self.base_path)
        source = self.sources.get(text)
        if source is not None:
            self.body_links.extend(body_links(html, text, *source, self.origins, self.page_url, self.base_path))
        return html


def sanitize(html: str) -> str:
    """Allowlist cleaning: no script, no event handlers, only http(s)/mailto and relative URLs."""
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel=None, strip_comments=True)
