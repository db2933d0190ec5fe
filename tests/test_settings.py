"""atlas.yaml: each setting shown where it should be, each bad one reported at its line, all at once."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from atlas.config import NavLink, SettingsError, edit_base, link_target, load
from atlas.pages.footer import current
from atlas.pipeline import Options, build, check

ROOT = Path(__file__).resolve().parent.parent

CONTENT = {
    "content/actors/la-ruche.md": "---\ntitle: La Ruche\ntype: association\n---\nUne association.\n",
    "content/pages/a-propos.md": "---\ntitle: À propos\n---\n## Contribuer\n\nPar pull request.\n",
    "content/pages/accessibilite.md": "---\ntitle: Accessibilité\n---\nDéclaration.\n",
}
SETTINGS = """\
    title: Atlas de l'ESS du Pays basque
    description: Les acteurs de l'économie sociale et solidaire du Pays basque.
    contact: contact@ess-pays-basque.example
    repository: https://github.com/ess-pb/atlas/
    branch: publication
    menu:
      - {label: Les acteurs, url: /acteurs/}
      - {label: Qui sommes-nous, url: "page:a-propos"}
      - {label: Le réseau, url: "https://ess-pays-basque.example/"}
    footer:
      - {label: Contribuer, url: "page:a-propos#contribuer"}
      - {label: Toutes les fiches, url: /a-z/}
    accessibility: partiellement conforme
    accessibility_page: accessibilite
    """


def built(root: Path) -> Path:
    result = build(Options(root=root, out=root / "site", use_cache=False, search=False))
    assert result.report.ok, result.report.lines()
    return root / "site"


def read(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def part(page: str, start: str, end: str) -> str:
    """The HTML between the first `start` and the next `end`."""
    return page.split(start, 1)[1].split(end, 1)[0]


def links(html: str) -> list[tuple[str, str]]:
    """(href, text) of every link of an HTML part, in order."""
    return [(href, re.sub(r"<[^>]+>", "", text).strip())
            for href, text in re.findall(r'<a href="([^"]*)"[^>]*>(.*?)</a>', html, re.S)]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import write_tree

    return built(write_tree(tmp_path_factory.mktemp("settings"), {**CONTENT, "atlas.yaml": SETTINGS}))


def test_title_and_description_head_every_page(site: Path) -> None:
    page = read(site, "acteurs/la-ruche")
    assert "<title>La Ruche · Atlas de l&#39;ESS du Pays basque</title>" in page
    assert "Atlas de l&#39;ESS du Pays basque</a>" in part(page, '<header class="site-header">', "</header>")
    home = read(site, "")
    assert '<meta name="description" content="Les acteurs de l&#39;économie sociale et solidaire du Pays basque.">' in home


def test_the_header_menu_is_the_menu_setting(site: Path) -> None:
    nav = part(read(site, "acteurs/la-ruche"), '<nav class="site-nav"', "</nav>")
    assert links(nav) == [("/acteurs/", "Les acteurs"), ("/a-propos/", "Qui sommes-nous"),
                          ("https://ess-pays-basque.example/", "Le réseau")]
    assert '<a href="/acteurs/" aria-current="true">' in nav  # in the section
    assert '<a href="/acteurs/" aria-current="page">' in part(read(site, "acteurs"), '<nav class="site-nav"', "</nav>")
    assert '<a href="/a-propos/" aria-current="page">' in part(read(site, "a-propos"), '<nav class="site-nav"', "</nav>")


def test_the_footer_has_its_links_the_accessibility_status_and_the_contact(site: Path) -> None:
    for url in ("", "acteurs/la-ruche", "a-propos", "carte"):
        footer = part(read(site, url), '<footer class="site-footer">', "</footer>")
        assert links(footer) == [("/a-propos/#contribuer", "Contribuer"), ("/a-z/", "Toutes les fiches"),
                                 ("/accessibilite/", "Accessibilité : partiellement conforme"),
                                 ("mailto:contact@ess-pays-basque.example", "contact@ess-pays-basque.example")]


def test_the_statement_page_states_the_status_and_the_contact(site: Path) -> None:
    page = part(read(site, "accessibilite"), "<main", "</main>")
    assert "État de conformité au RGAA : <strong>partiellement conforme</strong>" in page
    assert '<a href="mailto:contact@ess-pays-basque.example">' in page
    assert "État de conformité" not in read(site, "a-propos")


def test_every_entry_page_proposes_a_correction_in_the_web_editor(site: Path) -> None:
    page = read(site, "acteurs/la-ruche")
    assert ('<a href="https://github.com/ess-pb/atlas/edit/publication/content/actors/la-ruche.md">'
            "Proposer une correction</a>") in page
    assert "Proposer une correction" not in read(site, "a-propos")  # a free page is not an entry


def test_without_settings_the_engine_names_no_content_page(tree) -> None:
    """An atlas that has « À propos » and « Accessibilité » pages but says nothing about them:
    the header and footer link only the engine's own pages, and the status is shown unlinked."""
    site = built(tree(CONTENT))
    for url in ("", "acteurs/la-ruche", "a-propos"):
        page = read(site, url)
        around = (part(page, '<header class="site-header">', "</header>")
                  + part(page, '<footer class="site-footer">', "</footer>"))
        assert not re.search(r'href="[^"]*(a-propos|accessibilite|#licences|#sources|#contribuer)', around), url
        assert "<li>Accessibilité : non conforme</li>" in around
        assert "Proposer une correction" not in page and "Contact" not in around


def test_a_contact_page_is_linked_as_it_is(tree) -> None:
    site = built(tree({**CONTENT, "atlas.yaml": "contact: https://ess.example/contact/\naccessibility: ''\n"}))
    footer = part(read(site, ""), '<footer class="site-footer">', "</footer>")
    assert ("https://ess.example/contact/", "https://ess.example/contact/") in links(footer)
    assert "Accessibilité" not in footer


@pytest.mark.parametrize("repository, expected", [
    ("https://github.com/org/atlas", "https://github.com/org/atlas/edit/main/"),
    ("https://gitlab.com/org/atlas", "https://gitlab.com/org/atlas/-/edit/main/"),
    ("https://gitlab.example.org/org/atlas", "https://gitlab.example.org/org/atlas/-/edit/main/"),
    ("https://codeberg.org/org/atlas", "https://codeberg.org/org/atlas/_edit/main/"),
    ("", ""),
])
def test_the_web_editor_of_each_forge(repository: str, expected: str) -> None:
    assert edit_base(repository, "main") == expected


@pytest.mark.parametrize("url, target", [
    ("/carte/", "carte/"), ("/", ""), ("/donnees/atlas.json", "donnees/atlas.json"),
    ("page:a-propos", "a-propos/"), ("page:a-propos#contribuer", "a-propos/#contribuer"),
    ("page:accueil", ""), ("acteur:banque-ethique", "acteurs/banque-ethique/"), ("thematique:habitat#x", "thematiques/habitat/#x"),
    ("https://example.org/", None), ("mailto:a@example.org", None), ("tel:+33559000000", None),
])
def test_link_settings_name_a_place_of_the_site_or_leave_it(url: str, target: str | None) -> None:
    assert link_target(url) == target


@pytest.mark.parametrize("path, page_url, expected", [
    ("acteurs/", "acteurs/", "page"), ("acteurs/", "acteurs/banque-ethique/", "true"),
    ("acteurs/", "lieux/", ""), ("", "", "page"), ("a-propos/", "", ""), (None, "acteurs/", ""),
])
def test_aria_current_of_a_menu_link(path: str | None, page_url: str, expected: str) -> None:
    assert current(NavLink("x", "x", "/x", path, "menu.0.url", 2), page_url) == expected


# Each bad setting: the file, and every line `check` prints for it.
BAD = {
    "unknown": ("titel: Atlas\n", ["atlas.yaml:1: titel: unknown setting (did you mean 'title'?)"]),
    "empty-title": ("title: ''\n", ["atlas.yaml:1: title: must not be empty"]),
    "title-lines": ("title: |\n  Un\n  Deux\n", ["atlas.yaml:1: title: expected a single line of text "
                                                "(remove the line breaks)"]),
    "yaml": ("title: [Atlas\n", ["atlas.yaml:2: YAML syntax: while parsing a flow sequence did not find "
                                 "expected ',' or ']'"]),
    "not-a-mapping": ("- title\n", ["atlas.yaml:1: front matter must be a mapping of fields ('title: ...')"]),
    "base-url": ("base_url: ftp://example.org/\n", ["atlas.yaml:1: base_url: 'ftp://example.org/': only an "
                                                   "http(s) URL or a path like /atlas/ (write "
                                                   "https://exemple.github.io/atlas/ or /atlas/)"]),
    "contact": ("contact: écrivez-nous\n", ["atlas.yaml:1: contact: 'écrivez-nous' is neither an e-mail "
                                            "address nor an http(s) URL (write contact@example.org or "
                                            "https://example.org/contact/)"]),
    "repository": ("repository: github.com/org/atlas\n", ["atlas.yaml:1: repository: 'github.com/org/atlas' is "
                                                          "not the web address of a repository (write it as "
                                                          "https://github.com/organisation/atlas)"]),
    "branch": ("branch: ma branche\n", ["atlas.yaml:1: branch: 'ma branche' is not a branch name "
                                        "(write it as in git, e.g. main)"]),
    "accessibility": ("accessibility: conforme\n", [
        "atlas.yaml:1: accessibility: 'conforme' is not one of « non conforme » | « partiellement conforme » "
        "| « totalement conforme » (did you mean 'non conforme'?)"]),
    "accessibility-page": ("accessibility_page: Accessibilité\n", [
        "atlas.yaml:1: accessibility_page: 'Accessibilité' is not the slug of a page (write the file name of a "
        "content/pages/ page without .md, e.g. accessibilite)"]),
    "links": ("links: warning\n", ["atlas.yaml:1: links: 'warning' is not one of error | warn "
                                   "(did you mean 'warn'?)"]),
    "menu-not-a-list": ("menu: /carte/\n", ["atlas.yaml:1: menu: expected a list of links, got text "
                                            "(write one '- {label: …, url: …}' line per link)"]),
    "menu-relative": ("menu:\n  - {label: Carte, url: /carte/}\n  - {label: Aide, url: aide/}\n", [
        "atlas.yaml:3: menu.1.url: 'aide/' is relative: it would change from page to page "
        "(write it from the site root: '/aide/')"]),
    "menu-missing-url": ("menu:\n  - label: Carte\n", ["atlas.yaml:2: menu.0: missing 'url' "
                                                       "(a link has a label and a url)"]),
    "menu-unknown-key": ("menu:\n  - label: Carte\n    url: /carte/\n    titre: x\n", [
        "atlas.yaml:4: menu.0.titre: unknown key 'titre' (a link has a label and a url)"]),
    "footer-scheme": ("footer:\n  - {label: Clic, url: \"javascript:alert(1)\"}\n", [
        "atlas.yaml:2: footer.0.url: 'javascript:alert(1)': links are http(s), mailto, tel, a path like /carte/ "
        "or a cross-link like page:a-propos"]),
    "footer-slug": ("footer:\n  - {label: NEF, url: \"acteur:La NEF\"}\n", [
        "atlas.yaml:2: footer.0.url: 'La NEF' is not a slug (write acteur:<file name without .md>)"]),
    "all-at-once": ("titel: Atlas\nlinks: jamais\nmenu:\n  - {label: A, url: a/}\n", [
        "atlas.yaml:1: titel: unknown setting (did you mean 'title'?)"]),  # unknown names first, then values
    "every-value-at-once": ("links: jamais\nbranch: a b\nmenu:\n  - {label: A, url: a/}\n", [
        "atlas.yaml:1: links: 'jamais' is not one of error | warn (write one of error | warn)",
        "atlas.yaml:2: branch: 'a b' is not a branch name (write it as in git, e.g. main)",
        "atlas.yaml:4: menu.0.url: 'a/' is relative: it would change from page to page "
        "(write it from the site root: '/a/')"]),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_setting_is_reported_at_its_line(tree, case: str) -> None:
    text, expected = BAD[case]
    root = tree({**CONTENT, "atlas.yaml": text})
    with pytest.raises(SettingsError) as raised:
        load(root)
    assert [p.format() for p in raised.value.problems] == expected


def test_bad_settings_stop_check_and_build_with_exit_1_and_keep_the_site(tree) -> None:
    root = tree(CONTENT)
    site = built(root)
    before = read(site, "")
    (root / "atlas.yaml").write_text("links: jamais\nmenu:\n  - {label: A, url: a/}\n", encoding="utf-8")
    for command in ("check", "build"):
        proc = subprocess.run([sys.executable, str(ROOT / "build.py"), command, "--root", str(root)],
                              capture_output=True, text=True)
        assert proc.returncode == 1, proc.stderr
        lines = proc.stderr.splitlines()
        assert lines[:2] == ["atlas.yaml:1: links: 'jamais' is not one of error | warn (write one of error | warn)",
                             "atlas.yaml:3: menu.0.url: 'a/' is relative: it would change from page to page "
                             "(write it from the site root: '/a/')"]
        assert lines[2] == f"{command} failed: 2 errors, 0 warnings in the settings"
    assert read(site, "") == before


def test_settings_problems_annotate_the_pull_request(tree) -> None:
    root = tree({**CONTENT, "atlas.yaml": "links: jamais\n"})
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "check", "--root", str(root), "--format", "github"],
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert "::error file=atlas.yaml,line=1::links: 'jamais' is not one of error | warn" in proc.stdout


def test_a_bad_base_url_on_the_command_line_names_the_option(tree) -> None:
    root = tree(CONTENT)
    with pytest.raises(SettingsError, match=r"^--base-url: 'ftp://x/': only an http\(s\) URL"):
        load(root, "ftp://x/")


def test_a_number_or_a_yes_is_text_where_text_is_expected(tree) -> None:
    site = load(tree({**CONTENT, "atlas.yaml": "title: 2026\nbranch: yes\n"}))
    assert site["title"] == "2026" and site["edit_base"] == "" and site["branch"] == "yes"


def test_check_reads_the_settings_too(tree) -> None:
    with pytest.raises(SettingsError):
        check(Options(root=tree({**CONTENT, "atlas.yaml": "titel: x\n"})))

