"""`build.py diff`: pages added, changed and removed between two builds, as Markdown."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from atlas.cli import main
from atlas.pipeline import Options, build
from atlas.tools.sitediff import compare, markdown, page_title, page_url

ROOT = Path(__file__).resolve().parent.parent
BEFORE = {
    "content/actors/banque-ethique.md": "---\ntitle: La NEF\nsummary: Banque coopérative.\nterritory: lille\n---\n",
    "content/actors/recyclerie.md": "---\ntitle: Recyclerie\nterritory: lille\n---\n",
    "content/actors/ancien.md": "---\ntitle: Ancien [réseau]\n---\n",
    "content/territories/lille.md": "---\ntitle: Lille\n---\n",
}
AFTER = {
    **{k: v for k, v in BEFORE.items() if "ancien" not in k},
    "content/actors/banque-ethique.md": "---\ntitle: La Nef\nsummary: Coopérative bancaire.\nterritory: lille\n---\n",
    "content/actors/la-cantine-cooperative.md": "---\ntitle: L'Aubergeoise\n---\n",
}


def _site(tree_factory, files: dict[str, str], name: str) -> Path:
    root = tree_factory(files)
    result = build(Options(root=root, out=root.parent / name, use_cache=False))
    assert result.report.ok, result.report.lines()
    return root.parent / name


@pytest.fixture
def sites(tmp_path: Path) -> tuple[Path, Path]:
    from conftest import write_tree

    return (_site(lambda f: write_tree(tmp_path / "v1", f), BEFORE, "site1"),
            _site(lambda f: write_tree(tmp_path / "v2", f), AFTER, "site2"))


def test_compare_sorts_files_by_what_happened(sites: tuple[Path, Path]) -> None:
    old, new = sites
    diff = compare(old, new)
    assert "acteurs/la-cantine-cooperative/index.html" in diff.added
    assert "acteurs/ancien/index.html" in diff.removed
    assert {"acteurs/banque-ethique/index.html", "acteurs/index.html", "territoires/lille/index.html"} <= set(diff.changed)
    assert "acteurs/recyclerie/index.html" not in diff.changed  # identical bytes are the only thing left out
    assert not compare(old, old)


def test_markdown_report(sites: tuple[Path, Path]) -> None:
    old, new = sites
    text = markdown(compare(old, new), old, new)
    assert text.startswith("## Pages du site touchées par ce changement\n")
    added = text.split("### Pages ajoutées (1)")[1].split("###")[0]
    assert "**Acteurs**" in added and "- L'Aubergeoise · `/acteurs/la-cantine-cooperative/`" in added
    changed = text.split("### Pages modifiées")[1].split("###")[0]
    assert "- La Nef · `/acteurs/banque-ethique/` (ancien titre : La NEF)" in changed
    assert "**Territoires**" in changed and "- Lille · `/territoires/lille/`" in changed
    assert "**Autres pages**" in changed and "`/a-z/`" in changed
    removed = text.split("### Pages supprimées (1)")[1]
    assert "- Ancien \\[réseau\\] · `/acteurs/ancien/`" in removed  # Markdown-escaped title
    assert "1 page ajoutée, " in text and " 1 page supprimée" in text


def test_other_files_and_the_limit(sites: tuple[Path, Path], tmp_path: Path) -> None:
    old, new = sites
    copy = tmp_path / "copy"
    shutil.copytree(new, copy)
    (copy / "assets" / "style.css").write_bytes(b"body{}")
    (copy / "donnees.json").write_bytes(b"[]")
    text = markdown(compare(new, copy), new, copy, limit=1)
    assert "0 page ajoutée, 0 page modifiée, 0 page supprimée ; 2 autres fichiers." in text
    assert "- modifié : `/assets/style.css`" in text and "- … et 1 de plus" in text
    assert "- ajouté : `/donnees.json`" in markdown(compare(new, copy), new, copy)
    many = markdown(compare(old, new), old, new, limit=1)
    assert "… et " in many.split("### Pages modifiées")[1]


def test_identical_builds(sites: tuple[Path, Path]) -> None:
    old, _ = sites
    assert "Aucune différence" in markdown(compare(old, old), old, old)


def test_page_url_and_title(sites: tuple[Path, Path]) -> None:
    assert page_url("index.html") == "/" and page_url("a-z/index.html") == "/a-z/"
    assert page_url("404.html") == "/404.html"
    assert page_title(sites[1] / "acteurs/la-cantine-cooperative/index.html") == "L'Aubergeoise"


def test_diff_command_on_two_folders(sites: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(sites[0]), str(sites[1])]) == 0
    assert "### Pages ajoutées (1)" in capsys.readouterr().out
    assert main(["diff", str(sites[0])]) == 2


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=cwd, check=True,
                   capture_output=True)


def test_diff_against_a_git_ref(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The ref is built with its own code; the working tree is built with the current one."""
    from conftest import write_tree

    repo = write_tree(tmp_path / "repo", BEFORE)
    shutil.copy(ROOT / "build.py", repo / "build.py")
    shutil.copytree(ROOT / "atlas", repo / "atlas", ignore=shutil.ignore_patterns("__pycache__"))
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "before")
    (repo / "content/actors/ancien.md").unlink()
    (repo / "content/actors/la-cantine-cooperative.md").write_text(AFTER["content/actors/la-cantine-cooperative.md"], encoding="utf-8")
    assert main(["diff", "--git", "main", "--root", str(repo)]) == 0
    text = capsys.readouterr().out
    assert "- L'Aubergeoise · `/acteurs/la-cantine-cooperative/`" in text.split("### Pages ajoutées (1)")[1]
    assert "`/acteurs/ancien/`" in text.split("### Pages supprimées (1)")[1]
    assert "`/acteurs/banque-ethique/`" not in text  # unchanged page, identical bytes
    assert not (repo / "site").exists()  # both builds went to temporary folders

    assert main(["diff", "--git", "no-such-ref", "--root", str(repo)]) == 1
    assert "git archive no-such-ref" in capsys.readouterr().err
