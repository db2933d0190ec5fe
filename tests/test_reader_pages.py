"""What a reader meets on the built pages: no card twice, « Par type » by kind, search markup.

Fixture atlases written here (tests/conftest.py `tree`); the browser tests check the same pages
as they behave (tests/browser/test_reader.py).
"""

from __future__ import annotations

from pathlib import Path

from conftest import build_tree
from pagecards import Cards, pages, repeated


ATLAS = {
    "content/territories/lille.md": "---\ntitle: Lille\ntype: commune\n---\nOù est [la Maison](lieu:maison).\n",
    "content/themes/finance.md": "---\ntitle: Finance solidaire\n---\nVoir [la Maison](lieu:maison).\n",
    "content/places/maison.md": "---\ntitle: La Maison\ntype: maison-ess\nterritory: lille\nthemes: [finance]\n"
                                "---\nÀ [Lille](territoire:lille), pour la [finance](thematique:finance).\n",
    "content/actors/hote.md": "---\ntitle: Hôte\ntype: association\nplaces: [maison]\nterritory: lille\n"
                              "themes: [finance]\n---\nInstallée à [la Maison](lieu:maison), à [Lille](territoire:lille).\n",
    "content/actors/voisin.md": "---\ntitle: Voisin\ntype: cooperative\n---\nIl connaît [la Maison](lieu:maison) "
                                "et [l'Hôte](acteur:hote).\n",
    "content/programmes/aap.md": "---\ntitle: AAP\ntype: appel-a-projets\noperators: [hote]\nlaureates: [voisin]\n"
                                 "territory: lille\n---\nPorté par [l'Hôte](acteur:hote).\n",
}


def test_cited_in_lists_only_what_the_page_does_not_show_already(tree) -> None:
    root = tree(ATLAS)
    assert build_tree(root, search=False).report.ok
    site = pages(root / "site")
    place = site["lieux/maison/index.html"]
    by_section: dict[str, set[str]] = {}
    for section, href in place.cards:
        by_section.setdefault(section, set()).add(href)
    assert by_section["Structures présentes"] == {"/acteurs/hote/"}
    # Hôte is hosted (typed relation), Lille is its territory and Finance its theme: only Voisin is new.
    assert by_section["Cité dans"] == {"/acteurs/voisin/"}
    hote = {s: h for s, h in site["acteurs/hote/index.html"].cards}
    assert "Cité dans" in hote and "/acteurs/voisin/" in {h for s, h in site["acteurs/hote/index.html"].cards
                                                           if s == "Cité dans"}
    assert "/programmes/aap/" not in {h for s, h in site["acteurs/hote/index.html"].cards if s == "Cité dans"}
    # A territory lists what is in it; those entries are not cited again below.
    lille = {h for s, h in site["territoires/lille/index.html"].cards if s == "Cité dans"}
    assert "/acteurs/hote/" not in lille and "/lieux/maison/" not in lille


def test_no_card_appears_twice_on_any_page(tree) -> None:
    root = tree(ATLAS)
    assert build_tree(root, search=False).report.ok
    assert len(pages(root / "site")) > 10
    assert repeated(root / "site") == {}


def test_the_test_sees_a_repeated_card(tmp_path: Path) -> None:
    """Guards the test above: a page with the same card twice is reported."""
    card = '<ul class="cards"><li class="card"><h3><a href="/acteurs/x/">X</a></h3></li></ul>'
    (tmp_path / "p.html").write_text(f"<h2>Un</h2>{card}<h2>Deux</h2>{card}", encoding="utf-8")
    assert repeated(tmp_path) == {"p.html": ["/acteurs/x/"]}


def test_home_lists_types_under_a_heading_per_kind_places_included(tree) -> None:
    root = tree(ATLAS)
    assert build_tree(root, search=False).report.ok
    home = Cards((root / "site/index.html").read_text(encoding="utf-8"))
    headings = [t for tag, t in home.headings if tag == "h3"]
    assert ["Acteurs", "Lieux", "Programmes"] == [h for h in headings if h in ("Acteurs", "Lieux", "Programmes")]
    links = [a["href"] for tag, a in home.tags if tag == "a" and "/types/" in a.get("href", "")]
    assert links == ["/acteurs/types/association/", "/acteurs/types/cooperative/", "/lieux/types/maison-ess/",
                     "/programmes/types/appel-a-projets/"]


def test_search_indexes_the_text_and_keeps_facts_as_metadata(tree) -> None:
    """Pagefind reads titles, summaries and bodies; labels and the fact sheet are ignored, their
    values given as filters and metadata (tests/browser/test_reader.py checks the results)."""
    root = tree(ATLAS)
    assert build_tree(root, search=False).report.ok
    page = Cards((root / "site/lieux/maison/index.html").read_text(encoding="utf-8"))
    ignored = {a.get("class", "").split()[0] for tag, a in page.tags if "data-pagefind-ignore" in a and a.get("class")}
    assert {"kind", "facts", "relations"} <= ignored
    meta = {a["data-pagefind-meta"].split("[")[0]: a["data-value"] for _, a in page.tags if "data-pagefind-meta" in a}
    assert meta == {"categorie": "Lieux", "type": "Maison de l'ESS", "territoire": "Lille"}
    body = [a for tag, a in page.tags if "data-pagefind-body" in a]
    assert len(body) == 1


def test_the_two_search_forms_are_landmarks_with_distinct_names(tree) -> None:
    root = tree(ATLAS)
    assert build_tree(root).report.ok  # with the index: the search page then has its own form
    page = Cards((root / "site/recherche/index.html").read_text(encoding="utf-8"))
    names = [a.get("aria-label") for tag, a in page.tags if a.get("role") == "search"]
    assert len(names) == 2 and all(names) and len(set(names)) == 2
