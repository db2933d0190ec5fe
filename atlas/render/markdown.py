"""Markdown bodies to safe HTML: one configured converter, cross-links by slug, sanitised output."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from typing import Callable

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from ..model.kinds import LINK_PREFIX

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

Resolver = Callable[[str, str], "tuple[str, str] | None"]  # (kind, slug) -> (url, title)


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


class _CrossLinkExtension(Extension):
    def __init__(self, owner: "MarkdownRenderer") -> None:
        super().__init__()
        self.owner = owner

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API
        md.treeprocessors.register(_CrossLinks(md, self.owner), "atlas_cross_links", 5)
        md.treeprocessors.register(_Sanitise(md), "atlas_sanitise", -10)  # after 'unescape' (0)


class MarkdownRenderer:
    """One Markdown converter, reset between documents (creating one costs more than a page)."""

    def __init__(self, resolve: Resolver) -> None:
        self.resolve = resolve
        self.md = markdown.Markdown(
            extensions=["extra", "sane_lists", "toc", _CrossLinkExtension(self)],
            extension_configs={"toc": {"permalink": False, "slugify": _heading_id}},
            output_format="html",
        )

    def convert(self, text: str) -> str:
        """Markdown -> sanitised HTML (nh3 only when raw HTML may be there: it costs a third of a page)."""
        html = self.md.reset().convert(text)
        return sanitize(html) if "<" in text else html


def sanitize(html: str) -> str:
    """Allowlist cleaning: no script, no event handlers, only http(s)/mailto and relative URLs."""
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel=None, strip_comments=True)


def _heading_id(value: str, separator: str) -> str:
    from ..read.source import slugify

    return slugify(value) or "section"
