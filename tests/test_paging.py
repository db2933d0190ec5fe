"""Long lists cut into pages (atlas/pages/paging.py): every member on exactly one page, page and
letter links that are plain links (crawlable without JavaScript), hub pages under 200 KB, and an
incremental build of a paged atlas equal to a cold one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from atlas.pages.paging import PAGE_SIZE, PREVIEW
from atlas.pipeline import Options, build
from conftest import cold_digest
from helpers import tree_digest

COUNT = 2 * PAGE_SIZE + 37  # three pages
BUDGET = 200_000  # bytes of HTML a hub page may weigh

FILES = {
    "content/territories/bourg.md": "---\ntitle: Bourg\ntype: commune\n---\n",
    "content/themes/entraide.md": "---\ntitle: Entraide\n---\n",
    "content/places/halle.md": "---\ntitle: La Halle\ntype: tiers-lieu\nterritory: bourg\n---\n",
    **{f"content/actors/structure-{i:03d}.md":
       f"---\ntitle: {chr(65 + i % 26)}telier {i:03d}\nsummary: Une structure d'entraide, la numéro {i}.\n"
       f"type: association\nthemes: [entraide]\nterritory: bourg\nplaces: [halle]\n---\nSon texte.\n"
       for i in range(COUNT)},
}


def cards(html: str) -> list[str]:
    """The actor pages a list page links to from its cards."""
    return re.findall(r'<a href="/acteurs/(structure-\d{3})/"', html)


def read(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def paged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import write_tree

    root = write_tree(tmp_path_factory.mktemp("paged") / "atlas", FILES)
    result = build(Options(root=root, out=root / "site", search=False, use_cache=False))
    assert result.report.ok, result.report.lines()
    return root / "site"


@pytest.mark.parametrize("first", ["acteurs/", "acteurs/types/association/", "territoires/bourg/acteurs/",
                                   "thematiques/entraide/acteurs/", "lieux/halle/structures-presentes/"])
def test_a_long_list_shows_each_member_once_across_its_pages(paged: Path, first: str) -> None:
    if not (paged / first / "index.html").is_file():
        pytest.fail(f"/{first} was not made; lists made: "
                    f"{sorted(p.parent.relative_to(paged).as_posix() for p in paged.rglob('page/2/index.html'))}")
    pages = [read(paged, first)] + [read(paged, f"{first}page/{n}/") for n in (2, 3)]
    shown = [cards(html) for html in pages]
    assert [len(s) for s in shown] == [PAGE_SIZE, PAGE_SIZE, COUNT - 2 * PAGE_SIZE]
    every = [slug for s in shown for slug in s]
    assert sorted(every) == sorted(f"structure-{i:03d}" for i in range(COUNT))  # none twice, none missing
    assert not (paged / first / "page/4").exists() and not (paged / first / "page/1").exists()
    # plain links between the pages, both ways
    assert f'href="/{first}page/2/"' in pages[0] and f'href="/{first}page/3/"' in pages[0]
    assert f'href="/{first}"' in pages[1] and f'href="/{first}page/3/"' in pages[1]
    assert 'aria-current="page"' in pages[1]


def test_letter_links_point_at_the_page_of_each_letter(paged: Path) -> None:
    html = read(paged, "acteurs/")
    letters = dict(re.findall(r'href="(/acteurs/(?:page/\d+/)?)#lettre-([a-z])"', html)[::-1])
    assert letters, "no letter links on /acteurs/"
    for url, letter in ((u, l) for u, l in re.findall(r'href="(/acteurs/(?:page/\d+/)?)#lettre-([a-z])"', html)):
        target = read(paged, url.strip("/"))
        assert f'id="lettre-{letter}"' in target, f"{url}#lettre-{letter} has no such heading"


def test_an_entry_page_previews_its_long_lists_and_links_to_them(paged: Path) -> None:
    html = read(paged, "territoires/bourg/")
    assert len(set(cards(html))) <= PREVIEW
    assert 'href="/territoires/bourg/acteurs/"' in html
    place = read(paged, "lieux/halle/")
    assert len(set(cards(place))) <= PREVIEW and 'href="/lieux/halle/structures-presentes/"' in place


def test_every_page_is_under_the_budget(paged: Path) -> None:
    heavy = {p.relative_to(paged).as_posix(): p.stat().st_size for p in paged.rglob("*.html")
             if p.stat().st_size > BUDGET}
    assert heavy == {}


def test_renaming_an_actor_moves_it_between_pages_as_a_cold_build_would(tmp_path: Path) -> None:
    from conftest import write_tree

    root = write_tree(tmp_path / "atlas", FILES)
    site = root / "site"
    assert build(Options(root=root, out=site, search=False)).report.ok
    path = root / "content/actors/structure-000.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Atelier 000", "Zatelier 000"), encoding="utf-8")
    result = build(Options(root=root, out=site, search=False))
    assert result.report.ok and 0 < result.rendered < COUNT  # the pages it was and is on, not the atlas
    assert tree_digest(site) == cold_digest(root, tmp_path, search=False)
