"""Golden pages: the outline of a few pages of the whole fixture atlas, compared with tests/golden/.

The outline is what a reader gets from a page's <main>: headings, fact-sheet terms and values,
and every link with its text, in document order. Classes and layout may change freely; a change
in what a page says or links to shows up as a readable diff. After an intended change, rewrite
the files with `ATLAS_UPDATE_GOLDEN=1 python3 dev.py test tests/test_golden.py` and review the diff.
"""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"
PAGES = {
    "actor": "acteurs/banque-ethique",
    "actor-every-field": "acteurs/atelier-du-moulin",
    "place": "lieux/maison-des-solidarites",
    "programme": "programmes/appel-a-projets-ptce",
    "programme-dates-and-counts": "programmes/plan-regional-ess",
    "territory": "territoires/agglomeration-du-val",
    "theme": "thematiques/epargne-solidaire",
    "actor-list": "acteurs",
    "home": "",
}
OUTLINED = {"h1", "h2", "h3", "dt", "dd", "a"}


class _Outline(HTMLParser):
    """Lines 'h2 Partenaires', 'dd 15 juillet 2013', 'a /acteurs/banque-ethique/ La NEF' from <main>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._in_main = False
        self._open: list[tuple[str, str, list[str]]] = []  # (tag, href, text parts)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "main":
            self._in_main = True
        elif self._in_main and tag in OUTLINED:
            self._open.append((tag, dict(attrs).get("href") or "", []))

    def handle_endtag(self, tag: str) -> None:
        if tag == "main":
            self._in_main = False
        elif self._open and self._open[-1][0] == tag:
            name, href, parts = self._open.pop()
            text = re.sub(r"\s+", " ", "".join(parts)).strip()
            self.lines.append(" ".join(p for p in (name, href, text) if p))
            for outer in self._open:  # a link's text is also its heading's or value's
                outer[2].extend(parts)

    def handle_data(self, data: str) -> None:
        if self._open:
            self._open[-1][2].append(data)


def outline(html: str) -> str:
    parser = _Outline()
    parser.feed(html)
    parser.close()
    return "\n".join(parser.lines) + "\n"


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_matches_its_golden_outline(whole_site: Path, name: str) -> None:
    got = outline((whole_site / PAGES[name] / "index.html").read_text(encoding="utf-8"))
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("ATLAS_UPDATE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(got, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}: run with ATLAS_UPDATE_GOLDEN=1 and review it"
    assert got == path.read_text(encoding="utf-8"), f"/{PAGES[name]}/ differs from tests/golden/{path.name}"


def test_outline_sees_what_the_reader_sees() -> None:
    html = ('<header><a href="/x/">hors</a></header><main><h1>Titre</h1><dl><dt>Fondée</dt>'
            '<dd><time>15 juillet 2013</time></dd></dl><h2>Voir <a href="/y/">Y</a></h2></main>')
    assert outline(html) == "h1 Titre\ndt Fondée\ndd 15 juillet 2013\na /y/ Y\nh2 Voir Y\n"
