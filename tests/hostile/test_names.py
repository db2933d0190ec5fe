"""File names and slugs: odd names are errors with a suggested name, hidden files are skipped
silently, paths never pass for slugs, and symbolic links are never followed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from atlas.pipeline import Options, check
from conftest import build_tree
from hostile_kit import run_cli

SLUG_HINT = "(lowercase ASCII letters, digits and dashes, the file name without extension)"


def problems(root: Path) -> list[str]:
    return check(Options(root=root)).report.lines()


@pytest.mark.parametrize(("name", "suggestion"), [
    ("La Caisse.md", "la-caisse"), ("LaCaisse.md", "lacaisse"), ("économie-sociale.md", "economie-sociale"),
    ("l'ecluse.md", "l-ecluse"), ("la_caisse.md", "la-caisse"), ("la--caisse.md", "la-caisse"),
    ("-la-caisse-.md", "la-caisse"), ("la caisse .yaml", "la-caisse"), ("la.caisse.md", "la-caisse"), ("✨.md", "entry"),
])
def test_odd_file_names_are_errors_with_a_suggestion(tree, name: str, suggestion: str) -> None:
    root = tree({f"content/actors/{name}": "---\ntitle: La Caisse\n---\n" if name.endswith(".md") else "title: La Caisse\n"})
    stem = name.rsplit(".", 1)[0]
    assert problems(root) == [f"content/actors/{name}: file name '{stem}' is not a valid slug (rename it to "
                              f"'{suggestion}' + extension (lowercase ASCII letters, digits and dashes))"]


def test_a_name_differing_only_by_case_is_the_invalid_one(tree) -> None:
    root = tree({"content/actors/La-Caisse.md": "---\ntitle: La Caisse (copie)\n---\n",
                 "content/actors/la-caisse.md": "---\ntitle: La Caisse\n---\n"})
    result = check(Options(root=root))
    assert result.report.lines() == ["content/actors/La-Caisse.md: file name 'La-Caisse' is not a valid slug (rename it "
                                     "to 'la-caisse' + extension (lowercase ASCII letters, digits and dashes))"]
    assert [e.path for e in result.atlas.entries.values()] == ["content/actors/la-caisse.md"]


def test_hidden_and_backup_files_are_skipped_silently(tree) -> None:
    # Chosen behaviour: names starting with '.' (.DS_Store, editor locks .#x.md, hidden folders) and
    # ending with '~' are editor and system files, never content, and not worth a warning.
    root = tree({"content/actors/la-caisse.md": "---\ntitle: La Caisse\n---\n",
                 "content/actors/.la-caisse.md": "---\ntitle: [broken\n---\n",
                 "content/actors/.#la-caisse.md": "garbage",
                 "content/actors/.DS_Store": "\x00\x01",
                 "content/actors/la-caisse.md~": "---\ntitle: [broken\n---\n",
                 "content/actors/.hidden/x.md": "---\ntitle: X\n---\n",
                 "content/.git/config": "[core]\n"})
    result = build_tree(root)
    assert result.report.lines() == []
    assert list(result.atlas.entries) == [("actors", "la-caisse")]
    assert sorted(p.name for p in (root / "site/acteurs").iterdir()) == ["index.html", "la-caisse"]


@pytest.mark.parametrize(("field", "value", "line"), [
    ("parent", "../../etc/passwd", "parent: '../../etc/passwd'"),
    ("parent", "/etc/passwd", "parent: '/etc/passwd'"),
    ("territory", "../territories/lille", "territory: '../territories/lille'"),
    ("places", "[../places/x]", "places.0: '../places/x'"),
    ("themes", "[energie, /etc/passwd]", "themes.1: '/etc/passwd'"),
    ("partners", "[la-caisse/../../x]", "partners.0: 'la-caisse/../../x'"),
    ("programmes", "['..']", "programmes.0: '..'"),
    ("parent", "'C:\\Windows'", "parent: 'C:\\Windows'"),
    ("parent", "la-caisse.md", "parent: 'la-caisse.md'"),
])
def test_paths_are_not_slugs_in_reference_fields(tree, field: str, value: str, line: str) -> None:
    root = tree({"content/actors/a.md": f"---\ntitle: A\n{field}: {value}\n---\n"})
    assert problems(root) == [f"content/actors/a.md:3: {line} is not a slug {SLUG_HINT}"]


def test_a_bad_item_of_a_block_list_is_reported_at_its_own_line(tree) -> None:
    root = tree({"content/actors/a.md": "---\ntitle: A\nplaces:\n  - lieu\n  - ../../etc\n---\n",
                 "content/places/lieu.md": "---\ntitle: L\naccess:\n  - Métro\n  - [1, 2]\n---\n"})
    assert problems(root) == [f"content/actors/a.md:5: places.1: '../../etc' is not a slug {SLUG_HINT}",
                              "content/places/lieu.md:5: access.1: expected text, got a list "
                              "(write it on one line after the colon)"]


@pytest.mark.parametrize(("kind", "field"), [("programmes", "operators"), ("programmes", "parent"),
                                             ("territories", "parent"), ("themes", "parent"),
                                             ("places", "territory")])
def test_paths_are_not_slugs_in_every_kind(tree, kind: str, field: str) -> None:
    value = "[../../etc]" if field == "operators" else "../../etc"
    where = f"{field}.0" if field == "operators" else field
    root = tree({f"content/{kind}/a.md": f"---\ntitle: A\n{field}: {value}\n---\n"})
    assert problems(root) == [f"content/{kind}/a.md:3: {where}: '../../etc' is not a slug {SLUG_HINT}"]


@pytest.mark.parametrize("target", ["acteur:../../etc", "lieu:/etc/passwd", "programme:../programmes/p",
                                    "thematique:a/../b", "territoire:..", "acteur:", "page:../../README",
                                    "acteur:La-Caisse"])
def test_paths_are_not_slugs_in_cross_links(tree, target: str) -> None:
    root = tree({"content/actors/a.md": f"---\ntitle: A\n---\n\nVoir\n[ceci]({target}).\n"})
    slug = target.partition(":")[2]
    assert problems(root) == [f"content/actors/a.md:6: body: link to {target}: '{slug}' is not a slug {SLUG_HINT}"]


def test_page_names_cannot_take_a_section_of_the_site(tree) -> None:
    root = tree({"content/pages/acteurs.md": "---\ntitle: Acteurs\n---\n",
                 "content/pages/a-z.md": "---\ntitle: A-Z\n---\n",
                 "content/pages/a-propos.md": "---\ntitle: À propos\n---\n"})
    assert problems(root) == [
        "content/pages/a-z.md:1: the page name 'a-z' is taken by the site's own section /a-z/ (rename the file)",
        "content/pages/acteurs.md:1: the page name 'acteurs' is taken by the site's own section /acteurs/ "
        "(rename the file)"]


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the atlas with files a symbolic link could expose."""
    folder = tmp_path / "outside"
    (folder / "actors").mkdir(parents=True)
    (folder / "secret.md").write_text("---\ntitle: SECRET-OUTSIDE\n---\nSECRET-OUTSIDE\n", encoding="utf-8")
    (folder / "actors/x.md").write_text("---\ntitle: SECRET-FOLDER\n---\n", encoding="utf-8")
    return folder


def test_symbolic_links_in_content_are_not_followed(tree, outside: Path) -> None:
    root = tree({"content/actors/la-caisse.md": "---\ntitle: La Caisse\n---\n",
                 "content/themes/energie.md": "---\ntitle: Énergie\n---\n"})
    os.symlink(outside / "secret.md", root / "content/actors/secret.md")
    os.symlink(outside / "actors", root / "content/places")
    os.symlink("../themes/energie.md", root / "content/actors/alias.md")
    os.symlink(outside / "missing.md", root / "content/actors/dangling.md")
    os.symlink("loop.md", root / "content/actors/loop.md")
    result = build_tree(root)
    warning = "warning: symbolic link ignored (content must be real files)"
    assert result.report.lines() == [f"content/actors/alias.md: {warning}", f"content/actors/dangling.md: {warning}",
                                     f"content/actors/loop.md: {warning}", f"content/actors/secret.md: {warning}",
                                     f"content/places: {warning}"]
    assert sorted(result.atlas.entries) == [("actors", "la-caisse"), ("themes", "energie")]
    for path in (root / "site").rglob("*.html"):
        assert "SECRET" not in path.read_text(encoding="utf-8"), path


def test_symbolic_links_fail_a_strict_check(tree, outside: Path) -> None:
    root = tree({"content/actors/la-caisse.md": "---\ntitle: La Caisse\n---\n"})
    os.symlink(outside / "secret.md", root / "content/actors/secret.md")
    done = run_cli("check", "--strict", "--root", str(root), cwd=root)
    assert done.returncode == 1
    assert "content/actors/secret.md: warning: symbolic link ignored (content must be real files)" in done.stderr
