"""The cache never changes the output: every incremental build equals a cold build, byte for byte."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Callable

import pytest

from atlas.incremental.cache import Cache
from atlas.pipeline import Options, build
from conftest import override
from fixture_atlas import FILES
from helpers import tree_digest

_tick = [0]


def touch(path: Path) -> None:
    """Give a changed file an mtime the cache trusts (older than 2 s) and distinct from before."""
    _tick[0] += 1
    stamp = time.time_ns() - 60_000_000_000 + _tick[0] * 1_000_000
    os.utime(path, ns=(stamp, stamp))


def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    touch(path)


def edit_body(root: Path) -> None:
    path = root / "content/actors/cigales-hauts-de-france.md"
    write(root, "content/actors/cigales-hauts-de-france.md", path.read_text(encoding="utf-8") + "\nNouveau texte.\n")


def edit_referenced_title(root: Path) -> None:
    path = root / "content/places/maison-de-l-ess-lille.md"
    text = path.read_text(encoding="utf-8").replace("title: Maison de l'ESS de Lille", "title: Maison Stéphane Hessel")
    write(root, "content/places/maison-de-l-ess-lille.md", text)


def add_entry(root: Path) -> None:
    write(root, "content/actors/apes.md", "---\ntitle: APES\ntype: reseau\nthemes: [finance-solidaire]\n"
          "places: [maison-de-l-ess-lille]\npartners: [la-nef]\nterritory: lille-moulins\n---\nRéseau.\n")


def delete_entry(root: Path) -> None:
    (root / "content/actors/l-aubergeoise.md").unlink()


def delete_apes(root: Path) -> None:
    (root / "content/actors/apes.md").unlink()


def rename_entry(root: Path) -> None:
    old = root / "content/actors/l-aubergeoise.md"
    new = root / "content/actors/aubergeoise.md"
    old.rename(new)
    touch(new)


def change_template(root: Path) -> None:
    path = override(root, "templates/base.html")
    write(root, "templates/base.html", path.read_text(encoding="utf-8").replace("Aller au contenu", "Aller au contenu principal"))


def change_theme_title(root: Path) -> None:
    path = root / "content/themes/finance-solidaire.md"
    write(root, "content/themes/finance-solidaire.md",
          path.read_text(encoding="utf-8").replace("Finance solidaire", "Finances solidaires"))


def change_territory_parent(root: Path) -> None:
    write(root, "content/territories/lille-moulins.md",
          "---\ntitle: Lille-Moulins\ntype: quartier\nparent: metropole-europeenne-de-lille\n---\n")


def change_asset(root: Path) -> None:
    write(root, "assets/style.css", override(root, "assets/style.css").read_text(encoding="utf-8") + "\n/* x */\n")


EDITS: dict[str, Callable[[Path], None]] = {
    "edit-body": edit_body, "referenced-title": edit_referenced_title, "add": add_entry,
    "delete": delete_entry, "rename": rename_entry, "template": change_template,
    "theme-title": change_theme_title, "territory-parent": change_territory_parent, "asset": change_asset,
}


def cold(root: Path, tmp: Path) -> dict[str, str]:
    copy = tmp / "cold"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("site", ".site*", ".atlas-cache"))
    result = build(Options(root=copy, out=copy / "site", use_cache=False))
    assert result.report.ok
    return tree_digest(copy / "site")


@pytest.mark.parametrize("name", sorted(EDITS))
def test_incremental_build_equals_cold_build(tree, tmp_path: Path, name: str) -> None:
    root = tree(FILES)
    for path in root.rglob("*"):
        if path.is_file():
            touch(path)
    site = root / "site"
    assert build(Options(root=root, out=site)).report.ok
    second = build(Options(root=root, out=site))
    assert second.rendered == 0 and second.written == 0
    EDITS[name](root)
    result = build(Options(root=root, out=site))
    assert result.report.ok
    assert tree_digest(site) == cold(root, tmp_path)
    if name == "edit-body":
        assert result.rendered == 1 and result.written_pages == 1
    # and again, so the spare folder (two builds behind) is brought up to date too
    EDITS["edit-body"](root)
    assert build(Options(root=root, out=site)).report.ok
    assert tree_digest(site) == cold(root, tmp_path)


def test_a_build_that_changes_nothing_leaves_the_cache_files_alone(tree) -> None:
    """No-change rebuilds skip saving the cache, and read the export fragments only to remake exports."""
    root = tree(FILES)
    for path in root.rglob("*"):
        if path.is_file():
            touch(path)
    site = root / "site"
    for _ in range(3):  # the third build finds both output folders up to date
        assert build(Options(root=root, out=site, search=False)).report.ok
    files = sorted((root / ".atlas-cache").glob("build-*"))
    assert [f.suffix for f in files] == [".fragments", ".pickle"]
    before = {f: f.stat().st_mtime_ns for f in files}
    again = build(Options(root=root, out=site, search=False))
    assert again.report.ok and again.rendered == 0 and again.written == 0
    assert {f: f.stat().st_mtime_ns for f in files} == before
    edit_body(root)
    assert build(Options(root=root, out=site, search=False)).report.ok
    assert all(f.stat().st_mtime_ns != before[f] for f in files), "an edit must save both"


def test_a_long_lived_cache_object_gives_the_same_bytes(tree, tmp_path: Path) -> None:
    """The preview server keeps one Cache in memory across rebuilds."""
    root = tree(FILES)
    site = root / "site"
    cache = Cache.load(root, site)
    for edit in (add_entry, edit_referenced_title, rename_entry, change_template, change_asset, delete_apes):
        edit(root)
        assert build(Options(root=root, out=site), cache=cache).report.ok
        assert tree_digest(site) == cold(root, tmp_path)


def test_recent_files_are_reread_even_with_the_same_size_and_mtime(tree) -> None:
    root = tree(FILES)
    site = root / "site"
    assert build(Options(root=root, out=site)).report.ok
    path = root / "content/actors/reseau-finance.md"
    stat = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("Réseau finance", "Réseau financé"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same mtime: a racy edit
    if time.time_ns() - stat.st_mtime_ns < 2_000_000_000:
        assert build(Options(root=root, out=site)).report.ok
        assert "Réseau financé" in (site / "acteurs/reseau-finance/index.html").read_text(encoding="utf-8")


def test_a_spare_left_half_updated_by_a_killed_build_is_not_trusted(tree, tmp_path: Path) -> None:
    root = tree(FILES)
    site = root / "site"
    for _ in range(2):
        assert build(Options(root=root, out=site)).report.ok
    spare = root / ".site.spare"
    assert spare.is_dir()
    (spare / "index.html").unlink()  # a killed build replaces files, it never writes into them
    (spare / "index.html").write_text("half-written", encoding="utf-8")
    (root / ".site.spare-incomplete").touch()  # what a build killed mid-way leaves
    edit_body(root)
    assert build(Options(root=root, out=site)).report.ok
    assert tree_digest(site) == cold(root, tmp_path)
    assert not (root / ".site.spare-incomplete").exists()


def test_a_finisher_reruns_only_when_the_site_changed(tree, tmp_path: Path, monkeypatch) -> None:
    from atlas.outputs import Finisher

    runs: list[int] = []

    def index(folder: Path, atlas, site) -> None:
        runs.append(1)
        pages = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.html"))
        (folder / "recherche-index").mkdir()
        (folder / "recherche-index" / "pages.txt").write_text("\n".join(pages), encoding="utf-8")

    monkeypatch.setattr("atlas.pipeline.FINISHERS", (Finisher("recherche-index", index),))
    root = tree(FILES)
    site = root / "site"
    assert build(Options(root=root, out=site)).report.ok and len(runs) == 1
    assert build(Options(root=root, out=site)).report.ok and len(runs) == 1  # nothing changed
    assert (site / "recherche-index/pages.txt").is_file()
    add_entry(root)
    assert build(Options(root=root, out=site)).report.ok and len(runs) == 2
    assert "acteurs/apes/index.html" in (site / "recherche-index/pages.txt").read_text(encoding="utf-8")
    assert build(Options(root=root, out=site)).report.ok and len(runs) == 2
    assert tree_digest(site) == cold(root, tmp_path)
