"""Every internal link is checked at build time (and by check): broken ones at their source line."""

from __future__ import annotations

from pathlib import Path

import pytest

from atlas.pipeline import Options, build, check
from atlas.render.linkcheck import Targets, reason
from atlas.render.links import BodyLink, attributes, page_links, prefix_root_links, root_relative
from atlas.pages.plan import Page
from conftest import override
from linkcheck import broken_links

BASE = {
    "content/actors/la-ruche.md": """\
        ---
        title: La Ruche
        type: association
        ---
        ## Quelques éléments de contexte

        Voir [la carte](/carte/) et [les autres](/acteurs/).
        """,
    "content/actors/le-relais.md": "---\ntitle: Le Relais\ntype: association\n---\n## Histoire\n\nDepuis 1984.\n",
    "content/pages/a-propos.md": "---\ntitle: À propos\n---\n## Contribuer\n\nPar pull request.\n",
    "assets/photos/ruche.jpg": "(une image)",
}


def body(text: str) -> dict[str, str]:
    """BASE with this Markdown as La Ruche's body, from line 5 of its file."""
    return {**BASE, "content/actors/la-ruche.md": f"---\ntitle: La Ruche\ntype: association\n---\n{text}"}


def run(root: Path, **kw) -> list[str]:
    kw.setdefault("use_cache", False)
    kw.setdefault("search", False)
    return build(Options(root=root, out=root / "site", **kw)).report.lines()


# case: (files over BASE, the problem build and check report; check: whether check sees it too)
CASES = {
    "body-page": (body("Voir la [carte](/carte-inexistante/).\n"),
                  "content/actors/la-ruche.md:5: body: link to '/carte-inexistante/': no page or file", True),
    "body-typo": (body("\nChez [le Relais](/acteurs/le-relai/).\n"),
                  "content/actors/la-ruche.md:6: body: link to '/acteurs/le-relai/': no page or file "
                  "(did you mean '/acteurs/le-relais/'?)", True),
    "body-relative": (body("Voir [l'index](../../a-zz/).\n"),
                      "content/actors/la-ruche.md:5: body: link to '../../a-zz/': no page or file at /a-zz/ "
                      "(did you mean '/a-z/'?)", True),
    "image": (body("Texte.\n\n![La ruche](/assets/photos/rucher.jpg)\n"),
              "content/actors/la-ruche.md:7: body: image '/assets/photos/rucher.jpg': no such file "
              "(did you mean '/assets/photos/ruche.jpg'?)", True),
    "image-not-in-assets": (body("![La ruche](ruche.jpg)\n"),
                            "content/actors/la-ruche.md:5: body: image 'ruche.jpg': no such file at "
                            "/acteurs/la-ruche/ruche.jpg (images come from the atlas's assets/ folder: "
                            "write /assets/<file name>)", True),
    "fragment-same-page": (body("## Contexte\n\nVoir [plus haut](#context).\n"),
                           "content/actors/la-ruche.md:7: body: link to '#context': no anchor '#context' on "
                           "/acteurs/la-ruche/ (did you mean 'contexte'?)", True),
    "fragment-ascii": (body("Voir [là](/acteurs/le-relais/#historique).\n"),
                       "content/actors/la-ruche.md:5: body: link to '/acteurs/le-relais/#historique': no anchor "
                       "'#historique' on /acteurs/le-relais/ (did you mean 'histoire'?)", True),
    "cross-link-fragment": (body("Voir [l'histoire](acteur:le-relais#debuts).\n"),
                            "content/actors/la-ruche.md:5: body: link to 'acteur:le-relais#debuts': no anchor "
                            "'#debuts' on /acteurs/le-relais/", True),
    "reference-link": (body("Voir [la page][p].\n\n[p]: /nulle-part/\n"),
                       "content/actors/la-ruche.md:7: body: link to '/nulle-part/': no page or file", True),
    "raw-html": (body('Voir <a href="/nulle-part/">ici</a>.\n'),
                 "content/actors/la-ruche.md:5: body: link to '/nulle-part/': no page or file", True),
    "menu": ({**BASE, "atlas.yaml": "menu:\n  - {label: Acteurs, url: /acteurs/}\n"
                                    "  - {label: Le réseau, url: \"page:le-reseau\"}\n"},
             "atlas.yaml:3: menu.1.url: link to 'page:le-reseau': no page or file at /le-reseau/", True),
    "footer-fragment": ({**BASE, "atlas.yaml": "footer:\n  - {label: Licences, url: \"page:a-propos#licences\"}\n"},
                        "atlas.yaml:2: footer.0.url: link to 'page:a-propos#licences': no anchor '#licences' on "
                        "/a-propos/", True),
    "statement-page": ({**BASE, "atlas.yaml": "accessibility_page: accessibilite\n"},
                       "atlas.yaml:1: accessibility_page: link to 'page:accessibilite': no page or file at "
                       "/accessibilite/", True),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_broken_link_is_reported_at_its_source(tree, case: str) -> None:
    files, expected, by_check = CASES[case]
    root = tree(files)
    assert run(root) == [expected]
    if by_check:
        assert check(Options(root=root)).report.lines() == [expected]


def test_a_broken_link_in_an_overridden_template_names_the_template_and_its_line(tree) -> None:
    root = tree(BASE)
    path = override(root, "templates/404.html")
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if "page de recherche" in line)
    lines[at] = lines[at].replace("'recherche/'", "'cherche/'")
    lines.insert(at + 1, '  <li><a href="#aide">aide</a></li>')
    path.write_text("\n".join(lines), encoding="utf-8")
    assert run(root) == [
        f"templates/404.html:{at + 1}: link to '/cherche/': no page or file (on /404.html; did you mean "
        "'/recherche/'?)",
        f"templates/404.html:{at + 2}: link to '#aide': no anchor '#aide' on this page (on /404.html)",
    ]


def test_a_template_link_broken_on_every_page_is_reported_once(tree) -> None:
    root = tree(BASE)
    path = override(root, "templates/base.html")
    text = path.read_text(encoding="utf-8").replace('<a class="skip" href="#contenu">',
                                                    '<a class="skip" href="{{ \'aide/\' | url }}">')
    path.write_text(text, encoding="utf-8")
    line = text[:text.index("'aide/'")].count("\n") + 1
    problems = run(root)
    assert len(problems) == 1
    assert problems[0].startswith(f"templates/base.html:{line}: link to '/aide/': no page or file (on ")
    assert "pages, first /" in problems[0]


def test_a_failed_link_check_keeps_the_previous_site(tree) -> None:
    root = tree(BASE)
    assert run(root) == []
    before = (root / "site/acteurs/la-ruche/index.html").read_bytes()
    (root / "content/actors/la-ruche.md").write_text(body("[x](/nulle-part/)\n")["content/actors/la-ruche.md"],
                                                     encoding="utf-8")
    assert len(run(root)) == 1
    assert (root / "site/acteurs/la-ruche/index.html").read_bytes() == before


def test_links_warn_makes_them_warnings_and_strict_errors_again(tree) -> None:
    root = tree({**body("[x](/nulle-part/)\n"), "atlas.yaml": "links: warn\n"})
    result = build(Options(root=root, out=root / "site", use_cache=False, search=False))
    assert result.report.ok and [p.format() for p in result.report.warnings] == [
        "content/actors/la-ruche.md:5: warning: body: link to '/nulle-part/': no page or file"]
    assert (root / "site/acteurs/la-ruche/index.html").is_file()
    strict = build(Options(root=root, out=root / "site", use_cache=False, search=False, strict=True))
    assert not strict.report.ok and len(strict.report.errors) == 1
    assert not check(Options(root=root, strict=True)).report.ok


def test_under_a_project_site_base_url_body_links_get_the_base_path(tree) -> None:
    root = tree({**body("## Quelques éléments de contexte\n\n![Le rucher](/assets/photos/ruche.jpg)\n\n"
                        "Voir [la carte](/carte/), [le Relais](acteur:le-relais#histoire), "
                        "[plus haut](#quelques-éléments-de-contexte), [l'index](../../a-z/) et "
                        "[les données](/donnees/atlas.json).\n"),
                 "atlas.yaml": "footer:\n  - {label: Contribuer, url: \"page:a-propos#contribuer\"}\n"})
    assert run(root, base_url="https://org.github.io/atlas/") == []
    page = (root / "site/acteurs/la-ruche/index.html").read_text(encoding="utf-8")
    for html in ('<img alt="Le rucher" src="/atlas/assets/photos/ruche.jpg">', '<a href="/atlas/carte/">',
                 '<a href="/atlas/acteurs/le-relais/#histoire">', '<a href="#quelques-éléments-de-contexte">',
                 '<a href="../../a-z/">', '<a href="/atlas/donnees/atlas.json">',
                 '<a href="/atlas/a-propos/#contribuer">Contribuer</a>'):
        assert html in page
    assert broken_links(root / "site", "/atlas/") == []  # the file-based checker agrees


def test_heading_ids_keep_accents_and_are_unique_on_the_page(tree) -> None:
    root = tree(body("## Quelques éléments de contexte\n\n## L'Économie d’aujourd’hui !\n\n## Contenu\n\n"
                     "## Contenu\n\n## Titre {#mon-ancre}\n\nVoir [ici](#quelques-éléments-de-contexte).\n"))
    assert run(root) == []
    page = (root / "site/acteurs/la-ruche/index.html").read_text(encoding="utf-8")
    for heading in ('<h2 id="quelques-éléments-de-contexte">', '<h2 id="léconomie-daujourdhui">',
                    '<h2 id="contenu-1">', '<h2 id="contenu-2">', '<h2 id="mon-ancre">'):
        assert heading in page
    assert page.count('id="contenu"') == 1  # the page's <main> keeps its id


def test_an_unchanged_page_is_checked_from_its_cached_record(tree) -> None:
    """Le Relais is deleted: La Ruche, which links to its page by path (no dependency on it), is not
    rendered again, and its cached record still fails the check."""
    root = tree(body("Voir [le Relais](/acteurs/le-relais/).\n"))
    assert run(root, use_cache=True) == []
    (root / "content/actors/le-relais.md").unlink()
    result = build(Options(root=root, out=root / "site", search=False))
    assert result.report.lines() == [
        "content/actors/la-ruche.md:5: body: link to '/acteurs/le-relais/': no page or file"]
    assert result.rendered < result.pages


def test_a_second_build_with_nothing_changed_renders_nothing_and_reports_the_same(tree) -> None:
    root = tree({**body("[x](/nulle-part/)\n"), "atlas.yaml": "links: warn\n"})
    first = build(Options(root=root, out=root / "site", search=False))
    second = build(Options(root=root, out=root / "site", search=False))
    assert second.rendered == 0 and second.report.lines() == first.report.lines() != []


def test_check_renders_nothing(tree) -> None:
    root = tree(body("[x](/nulle-part/)\n"))
    assert len(check(Options(root=root)).report.lines()) == 1
    assert not (root / "site").exists()





def test_attributes_read_links_ids_and_every_srcset_candidate() -> None:
    html = ('<p>href="/pas-un-lien/"</p><img src="/a.jpg" srcset="/a-1x.jpg 1x, /a-2x.jpg 2x" alt="">'
            '<h2 id="état">x</h2><a href="/x/?a=1&amp;b=2">y</a><form action="/recherche/"></form>')
    assert list(attributes(html)) == [("src", "/a.jpg"), ("src", "/a-1x.jpg"), ("src", "/a-2x.jpg"),
                                      ("id", "état"), ("href", "/x/?a=1&b=2"), ("action", "/recherche/")]


def test_prefix_root_links_leaves_other_urls_alone() -> None:
    html = '<a href="/carte/">c</a> <a href="//cdn/x">d</a> <a href="../x/">e</a> <img src="/i.jpg"> href="/t/"'
    assert prefix_root_links(html, "/atlas/") == ('<a href="/atlas/carte/">c</a> <a href="//cdn/x">d</a> '
                                                  '<a href="../x/">e</a> <img src="/atlas/i.jpg"> href="/t/"')
    assert prefix_root_links(html, "/") == html


def test_a_page_record_tells_its_body_links_from_its_templates() -> None:
    """The same URL in the body and in a template: the body's occurrence is the body's, the other
    one the template's."""
    html = ('<nav><a href="/carte/">Carte</a></nav><main id="contenu"><a href="#contenu">h</a>'
            '<a href="/carte/">carte</a><a href="/a-z/">A-Z</a></main>').encode()
    link = BodyLink("/carte/", "/carte/", "content/actors/x.md", 7, False)
    record = page_links(Page("acteurs/x/", "entry.html", "entry"), html, [link], {"base_path": "/", "base_url": ""})
    assert record.urls == {"/carte/", "/a-z/"} and record.fragments == {"contenu"}
    assert record.ids == {"contenu"} and record.body == (link,) and record.template == "entry.html"
    only_body = page_links(Page("acteurs/x/", "entry.html", "entry"), b'<a href="/carte/">c</a>', [link],
                           {"base_path": "/", "base_url": ""})
    assert only_body.urls == frozenset()


@pytest.mark.parametrize("url, broken", [
    ("/atlas/", None), ("/atlas/carte/", None), ("/atlas/carte", None), ("/atlas/assets/style.css", None),
    ("/atlas/carte/#titre", None), ("/atlas/carte/#ailleurs", "no anchor '#ailleurs' on /carte/"),
    ("/atlas/assets/manque.css", "no such file"), ("/atlas/lieux/", "no page or file"),
    ("/carte/", "outside the site, whose pages are under /atlas/"),
    ("/atlas/%C3%A9t%C3%A9/", None), ("/atlas/carte/#%C3%A9t%C3%A9", None),
])
def test_reason(url: str, broken: str | None) -> None:
    targets = Targets({"index.html", "carte/index.html", "assets/style.css", "été/index.html"},
                      lambda file: {"titre", "été"})
    found = reason(url, targets, "/atlas/")
    assert (found and found.reason) == broken


def test_check_takes_files_the_build_makes_on_trust_but_not_assets_nor_images() -> None:
    targets = Targets({"index.html"}, lambda file: set(), later=True)
    assert reason("/donnees/atlas.json", targets, "/") is None
    assert reason("/assets/x.css", targets, "/") is not None
    assert reason("/acteurs/x/photo.jpg", targets, "/") is not None
    assert reason("/donnees/", targets, "/") is not None


def test_tests_linkcheck_is_still_an_independent_oracle(tree) -> None:
    """The file-based checker of the suite finds what the build would refuse (on a copy built with
    `links: warn`)."""
    root = tree({**body("[x](/nulle-part/)\n"), "atlas.yaml": "links: warn\n"})
    assert run(root) != []
    assert broken_links(root / "site") == ["acteurs/la-ruche/index.html -> /nulle-part/"]
