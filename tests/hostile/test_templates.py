"""Broken templates: an undefined variable, a syntax error or a missing template stops the build
with the template's file and line on stderr and exit code 1, never an empty string in a page, and
the previous site/ stays byte for byte as it was. Templates are broken in a copied tree only."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from atlas.render.theme import THEME_TEMPLATES
from conftest import override, write_tree
from hostile_kit import manifest, run_cli

FILES = {
    "content/themes/finance.md": "---\ntitle: Finance solidaire\n---\nLa finance.\n",
    "content/actors/banque-ethique.md": "---\ntitle: La NEF\ntype: cooperative\nthemes: [finance]\nsummary: Banque.\n"
                                "sources:\n  - {title: Site de La NEF, url: 'https://www.lanef.com/'}\n---\n"
                                "Une [coopérative](thematique:finance).\n",
    "content/places/lieu.md": "---\ntitle: Le Lieu\ntype: tiers-lieu\n---\n",
    "content/pages/a-propos.md": "---\ntitle: À propos\n---\nTexte.\n",
}
FAILED = "build failed: 1 error, 0 warnings; the previous site was left as it was"
BLOCK_MAIN = r"\{% block main %\}"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small atlas built once, successfully, with every theme template copied in as an override."""
    root = write_tree(tmp_path_factory.mktemp("templates") / "atlas", FILES)
    shutil.copytree(THEME_TEMPLATES, root / "templates")
    result = run_cli("build", "--root", str(root), "--no-search", cwd=root)
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture
def atlas(built: Path, tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A copy of the built atlas (site/ included) and the manifest of its site/."""
    root = tmp_path / "atlas"
    shutil.copytree(built, root, symlinks=True)
    return root, manifest(root / "site")


def insert(root: Path, name: str, anchor: str | None, text: str) -> int:
    """Insert a line into templates/name after the first line matching anchor (None: at the top);
    return the line number the new line has."""
    path = root / "templates" / name
    lines = path.read_text(encoding="utf-8").split("\n")
    if anchor is None:
        at = 0
    else:
        found = [i for i, line in enumerate(lines) if re.search(anchor, line)]
        assert found, f"templates/{name} has no line matching {anchor!r} any more: update this test"
        at = found[0] + 1
    lines.insert(at, text)
    path.write_text("\n".join(lines), encoding="utf-8")
    return at + 1


def line_of(root: Path, name: str, pattern: str) -> int:
    lines = (root / "templates" / name).read_text(encoding="utf-8").split("\n")
    return next(i + 1 for i, line in enumerate(lines) if re.search(pattern, line))


def failed_build(root: Path, before: dict[str, str], *extra: str) -> list[str]:
    """Build, expect failure (exit 1, messages on stderr only, no traceback, site/ untouched); the problem lines."""
    result = run_cli("build", "--root", str(root), "--no-search", *extra, cwd=root)
    assert result.returncode == 1, result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().split("\n")
    assert lines[-1].startswith("build failed: ") and lines[-1].endswith("; the previous site was left as it was")
    assert manifest(root / "site") == before
    return lines[:-1]


UNDEFINED = [
    # (template, line after which the mistake goes (None: first line), mistake, message)
    ("entry.html", BLOCK_MAIN, "{{ titel }}", "undefined variable in template: 'titel' is undefined"),
    ("entry.html", BLOCK_MAIN, "<h2>{{ entry.titel }}</h2>",
     "undefined variable in template: 'atlas.model.kinds.Entry object' has no attribute 'titel'"),
    ("entry.html", BLOCK_MAIN, "{% for r in relashions %}{{ r }}{% endfor %}",
     "undefined variable in template: 'relashions' is undefined"),
    ("home.html", BLOCK_MAIN, "{% if titel %}<p>{{ title }}</p>{% endif %}",
     "undefined variable in template: 'titel' is undefined"),
    ("base.html", r"<body", "<p>{{ sitee.title }}</p>", "undefined variable in template: 'sitee' is undefined"),
    ("base.html", r"<head>", "<meta name=\"x\" content=\"{{ site.titre }}\">",
     "undefined variable in template: 'dict object' has no attribute 'titre'"),
    ("list.html", BLOCK_MAIN, "{{ intro }}", "undefined variable in template: 'intro' is undefined"),
    ("macros.html", r"\{% macro card\(", "<span>{{ c.titel }}</span>",
     "undefined variable in template: 'dict object' has no attribute 'titel'"),
    ("facts.html", None, "{{ factz }}", "undefined variable in template: 'factz' is undefined"),
    ("entry.html", BLOCK_MAIN, "{{ 1 + 'a' }}",
     "error in template: TypeError: unsupported operand type(s) for +: 'int' and 'str'"),
]


@pytest.mark.parametrize(("name", "anchor", "mistake", "message"), UNDEFINED,
                         ids=[f"{u[0]}:{u[2]}" for u in UNDEFINED])
def test_an_undefined_variable_names_its_template_and_line(atlas, name: str, anchor: str | None, mistake: str,
                                                           message: str) -> None:
    """A misspelt variable in a page, inherited, included or macro template is an error at its file and line."""
    root, before = atlas
    line = insert(root, name, anchor, mistake)
    assert failed_build(root, before) == [f"templates/{name}:{line}: {message}"]


SYNTAX = [
    ("base.html", r"<head>", "<title>{{ title | }}</title>", "expected token 'name', got 'end of print statement'"),
    ("macros.html", r"\{% macro card\(", "{% endif %}", "Encountered unknown tag 'endif'."),
    ("entry.html", BLOCK_MAIN, "{{ title | majuscules }}", "No filter named 'majuscules'."),
    ("facts.html", None, "{% if %}", "Expected an expression, got 'end of statement block'"),
    ("list.html", BLOCK_MAIN, "<h2>{{ title }</h2>", "unexpected '}'"),
]


@pytest.mark.parametrize(("name", "anchor", "mistake", "message"), SYNTAX, ids=[s[2] for s in SYNTAX])
def test_a_syntax_error_names_its_template_and_line(atlas, name: str, anchor: str | None, mistake: str,
                                                    message: str) -> None:
    """A template that does not parse is an error at its own file and line, even when inherited or included."""
    root, before = atlas
    line = insert(root, name, anchor, mistake)
    [problem] = failed_build(root, before)
    assert problem.startswith(f"templates/{name}:{line}: template syntax error: ")
    assert message in problem


def test_an_include_of_a_missing_template_names_the_including_line(atlas) -> None:
    """{% include %} of a template that does not exist: an error at the line of the include."""
    root, before = atlas
    line = insert(root, "entry.html", BLOCK_MAIN, '{% include "absente.html" %}')
    assert failed_build(root, before) == [f"templates/entry.html:{line}: template not found: absente.html"]


def test_an_import_of_a_missing_template_names_the_importing_line(atlas) -> None:
    """{% from … import %} of a template that does not exist: an error at the line of the import."""
    root, before = atlas
    line = insert(root, "home.html", None, '{% from "outils.html" import carte %}')
    assert failed_build(root, before) == [f"templates/home.html:{line}: template not found: outils.html"]


def test_a_site_template_removed_falls_back_to_the_theme(atlas) -> None:
    """The site's templates/ overrides the theme file by file: without the override, the theme's is used."""
    root, before = atlas
    (root / "templates/entry.html").unlink()
    result = run_cli("build", "--root", str(root), "--no-search", cwd=root)
    assert result.returncode == 0, result.stderr
    assert manifest(root / "site") == before  # the copy was the theme's own file: the same pages


def test_a_missing_base_template_is_named_at_every_extends(atlas) -> None:
    """A base template found neither in the site nor in the theme: each page template extending it
    reports the line of its {% extends %}."""
    root, before = atlas
    extends = r"\{% extends \"base\.html\" %\}"
    names = ("entry.html", "home.html", "list.html", "page.html")
    lines = {name: line_of(root, name, extends) for name in names}
    for name in names:
        path = root / "templates" / name
        path.write_text(path.read_text(encoding="utf-8").replace('"base.html"', '"gabarit.html"'), encoding="utf-8")
    problems = failed_build(root, before)
    for name, line in lines.items():
        assert f"templates/{name}:{line}: template not found: gabarit.html" in problems
    assert all(re.fullmatch(r"templates/[a-z0-9-]+\.html:\d+: template not found: gabarit\.html", p) for p in problems)


def test_the_site_comes_back_byte_identical_once_the_template_is_fixed(atlas) -> None:
    """After a failed build, restoring the template gives the very same bytes as before (cache or not)."""
    root, before = atlas
    path = root / "templates/macros.html"
    good = path.read_text(encoding="utf-8")
    insert(root, "macros.html", r"\{% macro card\(", "{{ c.titel }}")
    failed_build(root, before)
    path.write_text(good, encoding="utf-8")
    result = run_cli("build", "--root", str(root), "--no-search", cwd=root)
    assert result.returncode == 0, result.stderr
    assert manifest(root / "site") == before


def test_a_template_error_in_the_forked_render_workers_names_its_file_and_line(tmp_path: Path) -> None:
    """With enough pages to render in worker processes, the error is the same single line."""
    files = {f"content/actors/acteur-{i}.md": f"---\ntitle: Acteur {i}\n---\n" for i in range(320)}
    root = write_tree(tmp_path / "atlas", files)
    override(root, "templates/base.html")
    line = insert(root, "base.html", r"<body", "{{ sitee.title }}")
    for jobs in ("2", "1"):
        result = run_cli("build", "--root", str(root), "--no-search", "--no-cache", "--jobs", jobs, cwd=root)
        assert result.returncode == 1
        assert result.stderr.strip().split("\n") == [
            f"templates/base.html:{line}: undefined variable in template: 'sitee' is undefined", FAILED]
        assert not (root / "site").exists()
