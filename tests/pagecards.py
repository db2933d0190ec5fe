"""The cards (li.card) of built pages, by section, for tests that no page repeats one."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser
from pathlib import Path


class Cards(HTMLParser):
    """The link of each card (li.card) of a page, per section heading, and the attributes seen."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.cards: list[tuple[str, str]] = []  # (section heading, href)
        self.headings: list[tuple[str, str]] = []  # (tag, text)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self._heading: str | None = None
        self._card = False
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.tags.append((tag, a))
        if tag in ("h2", "h3"):
            self._heading = tag
            self.headings.append((tag, ""))
        if tag == "li" and "card" in a.get("class", "").split():
            self._card = True
        elif tag == "a" and self._card:
            section = next((t for h, t in reversed(self.headings) if h == "h2"), "")
            self.cards.append((section, a.get("href", "")))
            self._card = False

    def handle_endtag(self, tag: str) -> None:
        if tag == self._heading:
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._heading:
            tag, text = self.headings[-1]
            self.headings[-1] = (tag, (text + data).strip())


def pages(site: Path) -> dict[str, Cards]:
    return {p.relative_to(site).as_posix(): Cards(p.read_text(encoding="utf-8")) for p in sorted(site.rglob("*.html"))}


def repeated(site: Path) -> dict[str, list[str]]:
    """Page -> the card links it shows more than once."""
    found = {}
    for name, page in pages(site).items():
        twice = sorted(href for href, n in Counter(href for _, href in page.cards).items() if n > 1)
        if twice:
            found[name] = twice
    return found
