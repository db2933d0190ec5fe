"""The output folder: a failed or killed build leaves site/ exactly as it was (or, killed after the
swap, exactly the new site), later builds are right whatever state a kill left, and output folders
whose replacement would destroy something are refused before anything is written."""

from __future__ import annotations

import builtins
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

import pytest
import yaml

import atlas.cli
import atlas.config
from atlas.incremental.cache import Cache
from atlas.pipeline import Options, build
from atlas.model.problems import AtlasError
from atlas.write.output import check_out_dir
from conftest import ROOT, override, write_tree
from hostile_kit import manifest, run_cli

GEN_ATLAS = Path("/work/shared/bench/gen_atlas.py")
SYNTHETIC_ACTORS = 300  # above pipeline.PARALLEL_THRESHOLD pages: the forked render workers are killed too

SMALL = {
    "content/themes/finance.md": "---\ntitle: Finance solidaire\n---\n",
    "content/actors/la-caisse.md": "---\ntitle: La Caisse\ntype: cooperative\nthemes: [finance]\n---\nBanque.\n",
    "content/actors/reseau-sol.md": "---\ntitle: Réseau Sol\ntype: reseau\npartners: [la-caisse]\n---\nRéseau.\n",
}


def cli_build(root: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return run_cli("build", "--root", str(root), "--no-search", *extra, cwd=root, timeout=120)


# --- a failed build --------------------------------------------------------------------------


def test_a_content_error_leaves_the_previous_site_byte_identical(tree) -> None:
    """A build failing on content (exit 1, errors on stderr) leaves every byte of site/ as it was."""
    root = tree(SMALL)
    assert cli_build(root).returncode == 0
    before = manifest(root / "site")
    (root / "content/actors/reseau-sol.md").write_text("---\ntitle: Réseau Sol\npartners: [la-caise]\n---\n", encoding="utf-8")
    (root / "content/actors/broken.md").write_text("---\ntitle: [broken\n---\n", encoding="utf-8")
    failed = cli_build(root)
    assert failed.returncode == 1
    assert "content/actors/reseau-sol.md:3: partners: unknown acteur 'la-caise' (did you mean 'la-caisse'?)" in failed.stderr
    assert re.search(r"^content/actors/broken.md:\d+: YAML syntax", failed.stderr, re.M)
    assert "the previous site was left as it was" in failed.stderr
    assert manifest(root / "site") == before


def test_the_build_after_a_failed_one_is_right(tree, tmp_path: Path) -> None:
    """After a failed build touched the spare folder, fixing the content gives the cold build's bytes."""
    root = tree(SMALL)
    assert cli_build(root).returncode == 0
    (root / "content/actors/reseau-sol.md").write_text("---\ntitle: Réseau Sol (nouveau)\n---\nRéseau.\n", encoding="utf-8")
    assert cli_build(root).returncode == 0  # two builds: the spare folder holds a whole older site
    template = override(root, "templates/base.html")
    good = template.read_text(encoding="utf-8")
    template.write_text("{{ titel }}\n" + good, encoding="utf-8")  # fails while rendering, spare touched
    before = manifest(root / "site")
    assert cli_build(root).returncode == 1
    assert manifest(root / "site") == before
    template.write_text(good, encoding="utf-8")
    (root / "content/actors/reseau-sol.md").write_text("---\ntitle: Réseau Sol\n---\nRéseau.\n", encoding="utf-8")
    assert cli_build(root).returncode == 0
    assert manifest(root / "site") == cold(root, tmp_path)


def cold(root: Path, tmp_path: Path) -> dict[str, str]:
    """The manifest of a build of root's current content from scratch, elsewhere."""
    copy = tmp_path / "cold"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(root, copy, symlinks=True, ignore=shutil.ignore_patterns("site", ".site*", ".atlas-cache"))
    result = build(Options(root=copy, out=copy / "site", use_cache=False, search=False))
    assert result.report.ok, result.report.lines()
    return manifest(copy / "site")


# --- a killed build ---------------------------------------------------------------------------


def synthetic(base: Path, actors: int) -> Path:
    """A large synthetic atlas (content only: the theme's templates and the default settings)."""
    if GEN_ATLAS.exists():
        subprocess.run([sys.executable, str(GEN_ATLAS), str(base), "--actors", str(actors), "--force"],
                       check=True, stdout=subprocess.DEVNULL)
    else:  # outside the development machine: a plainer atlas of the same size
        files = {"content/themes/finance.md": "---\ntitle: Finance\n---\n",
                 "content/territories/val.md": "---\ntitle: Val\ntype: commune\n---\n"}
        for i in range(actors):
            files[f"content/actors/acteur-{i}.md"] = (f"---\ntitle: Acteur {i}\ntype: association\nthemes: [finance]\n"
                                                     f"territory: val\n---\n" + f"Texte {i}. " * 50 + "\n")
        write_tree(base, files)
    return base


def retitle(root: Path, suffix: str) -> dict[Path, bytes]:
    """Append suffix to every actor's title (every actor page and every list changes); the old bytes."""
    old = {}
    for path in sorted((root / "content/actors").glob("*.md")):
        data = path.read_bytes()
        old[path] = data
        text = data.decode("utf-8")
        front = text.split("\n---\n", 1)[0].removeprefix("---\n")
        title = yaml.safe_load(front)["title"]
        new = re.sub(r"^title:.*$", lambda _: "title: " + json.dumps(title + suffix, ensure_ascii=False), text,
                     count=1, flags=re.M)
        assert new != text
        path.write_text(new, encoding="utf-8")
    return old


def spare_pages_since(spare: Path, start_ns: int) -> int:
    """How many actor pages in the spare folder were written after start_ns."""
    count = 0
    for page in spare.glob("acteurs/*/index.html"):
        try:
            if page.stat().st_mtime_ns >= start_ns:
                count += 1
        except FileNotFoundError:
            pass
    return count


def kill_build(root: Path, fire: Callable[[int], bool], timeout: float = 60) -> bool:
    """Start a build, SIGKILL its whole process group once fire(start_ns) is true; True if it fired."""
    start_ns = time.time_ns()
    proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "build", "--root", str(root), "--no-search"],
                            cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    fired = False
    deadline = time.monotonic() + timeout
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            if fire(start_ns):
                fired = True
                break
            time.sleep(0.0005)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # the build and its forked render workers
        except ProcessLookupError:
            pass
        proc.wait()
    return fired


def test_a_killed_build_leaves_the_old_site_or_the_new_one(tmp_path: Path) -> None:
    """SIGKILL at any moment of a build leaves site/ exactly old or exactly new; later builds are right."""
    root = synthetic(tmp_path / "big", SYNTHETIC_ACTORS)
    site, spare = root / "site", root / ".site.spare"
    assert cli_build(root).returncode == 0
    old = manifest(site)
    actors = len(list((root / "content/actors").glob("*.md")))
    originals = retitle(root, " (bis)")
    ino = site.stat().st_ino
    moments: dict[str, Callable[[int], bool]] = {
        "starting": lambda start: time.time_ns() - start > 300_000_000,
        "first page in the spare": lambda start: spare_pages_since(spare, start) >= 1,
        "half the pages in the spare": lambda start: spare_pages_since(spare, start) >= actors // 2,
        "just after the swap": lambda start: site.stat().st_ino != ino,
    }
    states = {}
    for name, moment in moments.items():
        fired = kill_build(root, moment)
        states[name] = (fired, manifest(site))
        if name != "just after the swap":
            assert site.stat().st_ino == ino or not fired
    # The build after the kills completes, and gives the new site.
    assert cli_build(root).returncode == 0
    new = manifest(site)
    assert new != old
    for name, (fired, state) in states.items():
        assert state in (old, new), f"killed {name}: site/ is neither the old site nor the new one"
    assert states["first page in the spare"] == (True, old)
    pages = sorted(site.glob("acteurs/*/index.html"))
    assert len(pages) == actors and all(" (bis)" in p.read_text(encoding="utf-8") for p in pages)
    # Going back to the old content gives the old bytes exactly: no stale file was trusted.
    for path, data in originals.items():
        path.write_bytes(data)
    assert cli_build(root).returncode == 0
    assert manifest(site) == old


VERSIONS = {
    "v1": lambda i: f"---\ntitle: Acteur {i} un\n---\nTexte {i}.\n",
    "v2": lambda i: f"---\ntitle: Acteur {i} deux\n---\nTexte {i}.\n",
    "v3": lambda i: f"---\ntitle: Acteur {i} trois\n---\nTexte {i}.\n",
    # the same pages as v2, from different bytes: the build re-renders and finds nothing to swap
    "v2-again": lambda i: f"---\ntitle: Acteur {i} deux\n# relu\n---\nTexte {i}.\n",
}


def set_version(root: Path, version: str) -> None:
    (root / "content/actors").mkdir(parents=True, exist_ok=True)
    for i in range(4):
        (root / f"content/actors/acteur-{i}.md").write_text(VERSIONS[version](i), encoding="utf-8")


def cold_versions(root: Path, tmp_path: Path) -> dict[str, dict[str, str]]:
    """The manifest of a cold build of each version of the content: what any build must give."""
    truth = {}
    for version in ("v1", "v2", "v3"):
        set_version(root, version)
        truth[version] = cold(root, tmp_path)
    return truth


class Killed(BaseException):
    """Stands for SIGKILL: nothing after the point where it is raised runs."""


@pytest.mark.parametrize("middle", ["v3", "v2-again"])
def test_a_build_killed_before_saving_its_cache_misleads_no_later_build(tree, tmp_path: Path, monkeypatch,
                                                                         middle: str) -> None:
    """Killed after the swap (or a no-swap spare refresh) before the cache is saved: later builds equal cold ones."""
    root = tree({})
    site = root / "site"
    truth = cold_versions(root, tmp_path)
    truth["v2-again"] = truth["v2"]
    options = Options(root=root, out=site, search=False)
    for version in ("v1", "v2"):
        set_version(root, version)
        assert build(options).report.ok and manifest(site) == truth[version]

    def killed(self: Cache) -> None:
        raise Killed

    set_version(root, middle)
    with monkeypatch.context() as patch:
        patch.setattr(Cache, "save", killed)
        with pytest.raises(Killed):
            build(options)
    assert manifest(site) == truth[middle]
    for version in ("v1", middle, "v2", "v3", "v1"):
        set_version(root, version)
        assert build(options).report.ok
        assert manifest(site) == truth[version], f"build of {version} after the kill"


def test_a_no_cache_build_misleads_no_later_cached_build(tree, tmp_path: Path) -> None:
    """--no-cache replaces site/ without updating the cache: the next cached builds still equal cold builds."""
    root = tree({})
    site = root / "site"
    truth = cold_versions(root, tmp_path)
    for version, use_cache in (("v1", True), ("v2", True), ("v3", False), ("v1", True), ("v2", True),
                               ("v3", True)):
        set_version(root, version)
        assert build(Options(root=root, out=site, search=False, use_cache=use_cache)).report.ok
        assert manifest(site) == truth[version], f"build of {version} (cache: {use_cache})"


def test_a_deleted_page_does_not_come_back_after_a_no_cache_build(tree, tmp_path: Path) -> None:
    """A page deleted after a --no-cache build never reappears from the spare folder two builds later."""
    root = tree(SMALL)
    site = root / "site"
    assert cli_build(root, "--no-cache").returncode == 0
    assert (site / "acteurs/reseau-sol/index.html").exists()
    (root / "content/actors/reseau-sol.md").unlink()
    assert cli_build(root).returncode == 0
    (root / "content/actors/la-caisse.md").write_text("---\ntitle: La Caisse\n---\nCaisse d'épargne solidaire.\n", encoding="utf-8")
    assert cli_build(root).returncode == 0
    assert not (site / "acteurs/reseau-sol").exists()
    assert manifest(site) == cold(root, tmp_path)


def test_the_safeguards_cost_incremental_builds_nothing(tree) -> None:
    """Neither a failed build nor a long-lived in-memory cache (the preview) makes the next build start over."""
    root = tree(SMALL)
    template = override(root, "templates/base.html")
    site = root / "site"
    options = Options(root=root, out=site, search=False)
    assert build(options).report.ok
    again = build(options)
    assert again.report.ok and again.rendered == 0 and again.written == 0
    caisse = root / "content/actors/la-caisse.md"
    caisse.write_text(caisse.read_text(encoding="utf-8") + "Encore.\n", encoding="utf-8")
    good = template.read_text(encoding="utf-8")
    template.write_text("{{ titel }}\n" + good, encoding="utf-8")
    assert not build(options).report.ok
    template.write_text(good, encoding="utf-8")
    after_failure = build(options)
    assert after_failure.report.ok and after_failure.rendered == 1
    memory = Cache.load(root, site)
    preview = Options(root=root, out=site, search=False, use_cache=False)
    for text in ("Une fois.", "Deux fois."):
        caisse.write_text(caisse.read_text(encoding="utf-8") + text + "\n", encoding="utf-8")
        result = build(preview, cache=memory)
        assert result.report.ok and result.rendered == 1


# --- output folders that must never be replaced ----------------------------------------------


@pytest.mark.parametrize(("out", "message"), [
    ("atlas", "refusing to write the site into {out}: the build replaces that folder whole"),
    ("atlas/content", "refusing to write the site into {out}: the build replaces that folder whole"),
    ("atlas/templates", "refusing to write the site into {out}: the build replaces that folder whole"),
    ("atlas/assets", "refusing to write the site into {out}: the build replaces that folder whole"),
    ("atlas/content/actors", "refusing to write the site into {out}: the build replaces that folder whole"),
    ("atlas/templates/nouveau", "refusing to write the site into {out}: the build replaces that folder whole"),
    (".", "refusing to write the site into {out}: the build replaces that folder whole"),  # holds the atlas
    ("link-to-content", "refusing to write the site into {target}: the build replaces that folder whole"),
    ("documents", "refusing to replace {out}: it is not empty and does not look like a built site (no index.html)"),
    ("atlas/atlas.yaml", "{out} exists and is not a folder"),
])
def test_an_output_folder_that_would_destroy_something_is_refused(tmp_path: Path, out: str, message: str) -> None:
    """--out at the atlas, content/, templates/, assets/, a parent, a link, a non-site or a file: exit 1, no byte changed."""
    base = tmp_path / "work"
    root = write_tree(base / "atlas", SMALL)
    (root / "atlas.yaml").write_text("title: Atlas\n", encoding="utf-8")
    (base / "documents").mkdir()
    (base / "documents/lettre.txt").write_text("à garder\n", encoding="utf-8")
    os.symlink(root / "content", base / "link-to-content")
    before = manifest(tmp_path)
    target = (base / out).resolve()
    result = run_cli("build", "--root", str(root), "--out", str(base / out), "--no-search", cwd=root)
    assert result.returncode == 1
    assert result.stderr.strip() == "error: " + message.format(out=target, target=(root / "content").resolve())
    assert manifest(tmp_path) == before


def test_the_home_folder_is_refused(tmp_path: Path) -> None:
    """--out at $HOME (a stand-in home folder here) is refused and nothing in or beside it changes."""
    home = tmp_path / "home"
    (home / "projets").mkdir(parents=True)
    (home / "projets/notes.md").write_text("notes\n", encoding="utf-8")
    (home / "index.html").write_text("<p>not a site</p>\n", encoding="utf-8")  # passes the looks-like-a-site test
    root = write_tree(tmp_path / "atlas", SMALL)
    before = manifest(tmp_path)
    result = run_cli("build", "--root", str(root), "--out", str(home), "--no-search", cwd=root,
                     env={"HOME": str(home)})
    assert result.returncode == 1
    assert result.stderr.strip() == f"error: refusing to write the site into {home}: the build replaces that " \
                                    "folder whole"
    assert manifest(tmp_path) == before


def arm_tripwires(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on, every write to the file system and every stage after the output check fails the test."""

    def tripped(*args, **kwargs):
        raise AssertionError(f"the build went past the output check: {args!r}")

    real_open = builtins.open

    def guarded_open(file, mode="r", *args, **kwargs):
        if any(c in mode for c in "wax+"):
            tripped(file, mode)
        return real_open(file, mode, *args, **kwargs)

    for name in ("mkdir", "makedirs", "rename", "replace", "link", "symlink", "unlink", "remove", "rmdir",
                 "utime", "truncate"):
        monkeypatch.setattr(os, name, tripped)
    monkeypatch.setattr(shutil, "rmtree", tripped)
    monkeypatch.setattr(shutil, "copytree", tripped)
    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(atlas.config, "load", tripped)
    monkeypatch.setattr(Cache, "load", tripped)
    for name in ("Cache", "read_sources", "check"):
        monkeypatch.setattr(f"atlas.pipeline.{name}", tripped)


@pytest.mark.parametrize(("root_name", "out_name"), [
    ("tree", "/"), ("tree", "home"), ("tree", "repository"), ("repository", "/"), ("repository", "home"),
    ("repository", "repository"), ("repository", "repository/content"), ("repository", "repository/templates"),
    ("repository", "repository/assets"), ("repository", "repository/content/actors"),
])
def test_the_system_root_home_and_repository_are_refused_before_any_write(tree, monkeypatch, capsys,
                                                                            root_name: str, out_name: str) -> None:
    """--out /, the real home or the repository (and its content/…) is refused before any setting is read or byte written."""
    places = {"/": Path("/"), "home": Path.home(), "repository": ROOT}
    root = ROOT if root_name == "repository" else tree(SMALL)
    first, _, rest = out_name.partition("/") if out_name != "/" else ("/", "", "")
    out = places[first] / rest if rest else places[first]
    arm_tripwires(monkeypatch)
    with pytest.raises(AtlasError, match="^refusing to (write the site into|replace) "):
        check_out_dir(out, root)
    code = atlas.cli.main(["build", "--root", str(root), "--out", str(out), "--no-search"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith(f"error: refusing to write the site into {out.resolve()}: ") or \
        err.startswith(f"error: refusing to replace {out.resolve()}: it is not empty")
