"""The cache never changes the output: every incremental build equals a cold build, byte for byte."""

from __future__ import annotations

import dataclasses
import os
import time
from pathlib import Path
from typing import Callable

import pytest

from atlas.incremental.cache import Cache
from atlas.pipeline import Options, build
from conftest import cold_digest as cold, override
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
    path = root / "content/actors/club-epargne-du-nord.md"
    write(root, "content/actors/club-epargne-du-nord.md", path.read_text(encoding="utf-8") + "\nNouveau texte.\n")


def edit_body_link(root: Path) -> None:
    """A body that now links another entry: that entry's « mentioned by » changes, not only this page."""
    path = root / "content/actors/club-epargne-du-nord.md"
    write(root, "content/actors/club-epargne-du-nord.md",
          path.read_text(encoding="utf-8") + "\nVoir aussi [](acteur:reseau-finance).\n")


def edit_summary(root: Path) -> None:
    """A field that cards show: the lists and related pages that show its card change."""
    path = root / "content/actors/club-epargne-du-nord.md"
    write(root, "content/actors/club-epargne-du-nord.md",
          path.read_text(encoding="utf-8").replace("type: association\n", "type: association\nsummary: Un club.\n", 1))


def edit_referenced_title(root: Path) -> None:
    path = root / "content/places/maison-des-solidarites.md"
    text = path.read_text(encoding="utf-8").replace("title: Maison des solidarités", "title: Maison Stéphane Hessel")
    write(root, "content/places/maison-des-solidarites.md", text)


def add_entry(root: Path) -> None:
    write(root, "content/actors/reseau-sol.md", "---\ntitle: Réseau Sol\ntype: reseau\nthemes: [epargne-solidaire]\n"
          "places: [maison-des-solidarites]\npartners: [banque-ethique]\nterritory: val-moulins\n---\nRéseau.\n")


def delete_entry(root: Path) -> None:
    (root / "content/actors/la-cantine-cooperative.md").unlink()


def delete_network(root: Path) -> None:
    (root / "content/actors/reseau-sol.md").unlink()


def rename_entry(root: Path) -> None:
    old = root / "content/actors/la-cantine-cooperative.md"
    new = root / "content/actors/aubergeoise.md"
    old.rename(new)
    touch(new)


def change_template(root: Path) -> None:
    path = override(root, "templates/base.html")
    write(root, "templates/base.html", path.read_text(encoding="utf-8").replace("Aller au contenu", "Aller au contenu principal"))


def change_theme_title(root: Path) -> None:
    path = root / "content/themes/epargne-solidaire.md"
    write(root, "content/themes/epargne-solidaire.md",
          path.read_text(encoding="utf-8").replace("Finance solidaire", "Finances solidaires"))


def change_territory_parent(root: Path) -> None:
    write(root, "content/territories/val-moulins.md",
          "---\ntitle: Val-Moulins\ntype: quartier\nparent: agglomeration-du-val\n---\n")


def change_asset(root: Path) -> None:
    write(root, "assets/style.css", override(root, "assets/style.css").read_text(encoding="utf-8") + "\n/* x */\n")


def change_type(root: Path) -> None:
    path = root / "content/actors/banque-ethique.md"
    text = path.read_text(encoding="utf-8")
    assert "\ntype: " in text
    lines = [("type: association" if line.startswith("type: ") else line) for line in text.split("\n")]
    write(root, "content/actors/banque-ethique.md", "\n".join(lines))


def change_settings(root: Path) -> None:
    path = root / "atlas.yaml"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    write(root, "atlas.yaml", text + 'description: "Un atlas dont la description a changé."\n')


EDITS: dict[str, Callable[[Path], None]] = {
    "edit-body": edit_body, "body-link": edit_body_link, "summary": edit_summary,
    "referenced-title": edit_referenced_title, "add": add_entry, "delete": delete_entry, "rename": rename_entry, "template": change_template,
    "theme-title": change_theme_title, "territory-parent": change_territory_parent, "asset": change_asset,
    "settings": change_settings, "type": change_type,
}


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
    """A no-change rebuild writes nothing to the cache's database; an edit does."""
    root = tree(FILES)
    for path in root.rglob("*"):
        if path.is_file():
            touch(path)
    site = root / "site"
    for _ in range(3):  # the third build finds both output folders up to date
        assert build(Options(root=root, out=site, search=False)).report.ok
    files = sorted((root / ".atlas-cache").glob("build-*"))
    assert [f.suffix for f in files] == [".sqlite"]

    def state() -> dict[str, tuple[int, bytes]]:
        return {f.name: (f.stat().st_mtime_ns, f.read_bytes()) for f in (root / ".atlas-cache").glob("build-*")}

    before = state()
    again = build(Options(root=root, out=site, search=False))
    assert again.report.ok and again.rendered == 0 and again.written == 0
    assert state() == before
    edit_body(root)
    assert build(Options(root=root, out=site, search=False)).report.ok
    assert state()[files[0].name][1] != before[files[0].name][1], "an edit must be saved"


def test_a_long_lived_cache_object_gives_the_same_bytes(tree, tmp_path: Path) -> None:
    """The preview server keeps one Cache in memory across rebuilds."""
    root = tree(FILES)
    site = root / "site"
    cache = Cache.load(root, site)
    for edit in (add_entry, edit_referenced_title, rename_entry, change_template, change_asset, delete_network):
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
    assert build(Options(root=root, out=site)).report.ok
    edit_body(root)  # the first build that changes something makes the spare folder
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


def test_search_is_indexed_again_only_when_indexed_text_changed(tree, tmp_path: Path, monkeypatch) -> None:
    from atlas.incremental import steps

    runs: list[int] = []
    real = steps.search_index

    def counted(records, language):
        runs.append(1)
        return real(records, language)

    monkeypatch.setattr(steps, "search_index", counted)
    root = tree(FILES)
    site = root / "site"
    assert build(Options(root=root, out=site)).report.ok and len(runs) == 1
    assert build(Options(root=root, out=site)).report.ok and len(runs) == 1  # nothing changed
    change_asset(root)  # no page's indexed text changes
    assert build(Options(root=root, out=site)).report.ok and len(runs) == 1
    add_entry(root)
    assert build(Options(root=root, out=site)).report.ok and len(runs) == 2
    assert any(p.name.startswith("pagefind") for p in (site / "pagefind").iterdir())
    assert build(Options(root=root, out=site)).report.ok and len(runs) == 2
    assert tree_digest(site) == cold(root, tmp_path)


@pytest.mark.parametrize("after", [0.4, 0.9, 1.6, 2.5])
def test_a_build_killed_at_any_moment_leaves_a_cache_that_builds_the_cold_result(tree, tmp_path: Path,
                                                                                    after: float) -> None:
    """SIGKILL a build process part-way (read, link, render or writing, by the delay), then build:
    the site is the old one or the new one, and the next build equals a cold build."""
    import signal
    import subprocess
    import sys

    from conftest import ROOT

    many = {f"content/actors/structure-{i:03d}.md": f"---\ntitle: Structure {i:03d}\ntype: association\n"
            f"themes: [epargne-solidaire]\n---\nLa structure numéro {i}.\n" for i in range(400)}
    root = tree({**FILES, **many})
    site = root / "site"
    assert build(Options(root=root, out=site, search=False)).report.ok
    before = tree_digest(site)
    for i in range(0, 400, 7):  # many pages to render again
        write(root, f"content/actors/structure-{i:03d}.md", many[f"content/actors/structure-{i:03d}.md"] + "Modifiée.\n")
    edit_referenced_title(root)
    proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "build", "--no-search", "--root", str(root)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        proc.wait(timeout=after)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the build and its render workers, as a power cut would
        proc.wait()
    killed = tree_digest(site)
    result = build(Options(root=root, out=site, search=False))
    assert result.report.ok
    expected = cold(root, tmp_path, search=False)
    assert killed in (before, expected), "a killed build left a mix of two sites"
    assert tree_digest(site) == expected



def test_whole_atlas_exports_are_made_again_only_when_what_they_read_changed(tree, tmp_path: Path,
                                                                              monkeypatch) -> None:
    """Images and outlines read a field or two of every entry: an edited body makes neither again,
    a new image file makes the images again, a postcode in another département the outlines; the
    site is the cold build's each time."""
    from PIL import Image

    from atlas.incremental import steps
    from conftest import draw_images
    from fixture_atlas import WHOLE

    root = tree(WHOLE)
    draw_images(root)
    for path in root.rglob("*"):
        if path.is_file():
            touch(path)
    made: list[str] = []

    def counted(export):
        def make(*args):
            made.append(export.name)
            return export.make(*args)
        return dataclasses.replace(export, make=make)

    monkeypatch.setattr(steps, "EXPORTS", tuple(counted(e) for e in steps.EXPORTS))
    site = root / "site"
    assert build(Options(root=root, out=site, search=False)).report.ok
    assert {"images", "outlines"} <= set(made)
    assert (site / "assets/geo/communes-59").is_dir() and not (site / "assets/geo/communes-69").exists()

    def made_by(edit: Callable[[], None]) -> set[str]:
        made.clear()
        edit()
        assert build(Options(root=root, out=site, search=False)).report.ok
        again = set(made) & {"images", "outlines"}
        assert tree_digest(site) == cold(root, tmp_path, search=False)
        return again

    assert made_by(lambda: edit_body(root)) == set()
    photo = root / "content/actors/atelier-complet.jpg"
    assert made_by(lambda: (Image.new("RGB", (1600, 1000), (200, 30, 30)).save(photo), touch(photo))) == {"images"}
    actor = root / "content/actors/atelier-complet.md"
    assert made_by(lambda: write(root, "content/actors/atelier-complet.md",
                                 actor.read_text(encoding="utf-8").replace('postcode: "59000"',
                                                                           'postcode: "69001"'))) == {"outlines"}
    assert (site / "assets/geo/communes-69").is_dir()
