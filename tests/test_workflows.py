"""The issue's « done when », as a user and a runner would do it: this repository's working tree
as a fresh git repository; `pip install` of it into a new virtual environment; `init` of a new
atlas from the installed package; `check --strict` and `build --strict --base-url` in it; then
every workflow — the engine's and the new atlas's — run step by step on a fresh clone by the
emulator of tests/workflows.py, and a few broken workflows that must fail.

Slow (pip installs into fresh environments, a browser audit): about 3 to 5 minutes, all here.
The engine's « Tests » step runs one test file instead of the suite this very run belongs to.
"""

from __future__ import annotations

import os
import re
import subprocess
import venv
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from linkcheck import broken_links
from test_init import named_samples
from workflows import Event, WorkflowError, condition, expand, run_workflow, skip_apt, _key_values

TITLE = "Atlas de l'ESS du Pays basque"
BASE = "https://exemple.github.io/atlas/"
GIT = ["git", "-c", "user.name=Atlas", "-c", "user.email=atlas@example.org", "-c", "commit.gpgsign=false"]
ENGINE_TESTS = "python3 dev.py test tests/test_source.py -q"  # the suite's own run stands for the rest


def git(repo: Path, *args: str) -> None:
    subprocess.run([*GIT, "-C", str(repo), *args], check=True, capture_output=True)


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This working tree (tracked and new files, as git would see them) as a repository on main, with a
    pull-request branch `pr`: what a fresh clone of the change is."""
    files = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                           capture_output=True, check=True).stdout.decode().split("\0")
    repo = tmp_path_factory.mktemp("engine") / "atlas-ess"
    for rel in filter(None, files):
        source = ROOT / rel
        if source.is_file():
            target = repo / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
            target.chmod(source.stat().st_mode)
    git(repo.parent, "init", "-q", "-b", "main", str(repo))
    commit_all(repo, "snapshot")
    git(repo, "branch", "pr")
    return repo


def run(cmd: list[str], cwd: Path, **kw) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env, timeout=600, **kw)


@pytest.fixture(scope="module")
def installed(engine: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`pip install <clone>` into a new virtual environment; its python."""
    env_dir = tmp_path_factory.mktemp("venv") / "env"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    done = run([str(python), "-m", "pip", "install", "--quiet", str(engine)], cwd=env_dir)
    assert done.returncode == 0, done.stderr
    return python


@pytest.fixture(scope="module")
def new_atlas(installed: Path, engine: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`init` run by the installed engine, from a folder holding no engine code."""
    where = tmp_path_factory.mktemp("nouvel")
    done = run([str(installed), "-m", "atlas", "init", "nouvel-atlas", "--title", TITLE, "--territory",
                "Pays basque", "--engine", str(engine)], cwd=where)
    assert done.returncode == 0, done.stderr
    return where / "nouvel-atlas"


def test_init_from_the_installed_engine_then_check_and_build_strict(installed: Path, new_atlas: Path) -> None:
    done = run([str(installed), "build.py", "check", "--strict"], cwd=new_atlas)
    assert done.returncode == 0 and "0 errors, 0 warnings" in done.stderr, done.stderr
    done = run([str(installed), "build.py", "build", "--strict", "--base-url", BASE], cwd=new_atlas)
    assert done.returncode == 0 and "0 errors, 0 warnings" in done.stderr, done.stderr
    site = new_atlas / "site"
    assert broken_links(site, "/atlas/") == []
    assert f'<link rel="canonical" href="{BASE}">' in (site / "index.html").read_text(encoding="utf-8")
    texts = {p.relative_to(new_atlas).as_posix(): p.read_text(encoding="utf-8", errors="replace")
             for p in new_atlas.rglob("*") if p.is_file() and p.suffix not in (".pf_index", ".pf_fragment",
                                                                                  ".pf_filter", ".pf_meta", ".wasm")}
    assert len([p for p in texts if p.startswith("site/")]) > 20
    # The outlines of France name its regions (Admin Express data, the same for every atlas): a
    # region's name there is geography, not the sample atlas.
    # The spare folder beside site/ is its copy by hard links (write/output.py): the same files.
    assert {p for p in texts if p.startswith(".site.spare/")} == {".site.spare/" + p[5:] for p in texts
                                                                   if p.startswith("site/")}
    texts = {path: text for path, text in texts.items()
             if not path.startswith(("site/assets/geo/", ".site.spare/"))}
    assert {path: found for path, text in texts.items() if (found := named_samples(text))} == {}


@pytest.fixture(scope="module")
def site_repo(new_atlas: Path) -> Path:
    """The new atlas as a repository: main as init wrote it, and a branch adding one actor."""
    repo = new_atlas
    git(repo.parent, "init", "-q", "-b", "main", str(repo))
    commit_all(repo, "Premier atlas")
    git(repo, "switch", "-q", "-c", "ajoute-une-structure")
    actor = repo / "content/actors/la-cantine-de-l-exemple.md"
    actor.parent.mkdir(parents=True)
    actor.write_text("---\ntitle: La Cantine de l'Exemple\ntype: association\nterritory: pays-basque\n"
                     "themes: [vie-associative]\nsources:\n  - {title: Statuts de l'association, "
                     "accessed: 2026-11-22}\n---\n\nUne association de quartier.\n", encoding="utf-8")
    commit_all(repo, "Ajoute La Cantine de l'Exemple")
    return repo


def _report(result) -> str:
    return result.report() + "\n" + "\n".join(result.summaries.values())


def test_the_new_atlas_pull_request_workflow_passes_every_step(site_repo: Path, tmp_path: Path) -> None:
    event = Event("pull_request", head="ajoute-une-structure", base="main")
    result = run_workflow(site_repo / ".github/workflows/verifier.yml", site_repo, event, tmp_path)
    assert result.ok, _report(result)
    assert [s.status for s in result.steps] == ["ok"] * len(result.steps)
    summary = result.summaries["verifier"]
    assert "### Pages ajoutées (2)" in summary and "`/acteurs/la-cantine-de-l-exemple/`" in summary
    assert "`/acteurs/types/association/`" in summary
    assert "`/territoires/pays-basque/`" in summary  # the other side of the relation
    assert "## Validité HTML et accessibilité" in summary and "Aucune erreur." in summary
    assert (result.artifacts["site"] / "acteurs/la-cantine-de-l-exemple/index.html").is_file()


def test_the_new_atlas_publishing_workflow_passes_every_step(site_repo: Path, tmp_path: Path) -> None:
    result = run_workflow(site_repo / ".github/workflows/publier.yml", site_repo, Event("push", "main"), tmp_path)
    assert result.ok, _report(result)
    assert [(s.job, s.status) for s in result.steps][-1] == ("publier", "ok")
    home = (result.artifacts["github-pages"] / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{BASE}">' in home
    assert broken_links(result.artifacts["github-pages"], "/atlas/") == []


def test_the_engine_workflows_pass_every_step(engine: Path, tmp_path: Path) -> None:
    pull = run_workflow(engine / ".github/workflows/verifier.yml", engine, Event("pull_request", "pr", "main"),
                        tmp_path / "pr", replace={"Tests": ENGINE_TESTS})
    assert pull.ok, _report(pull)
    assert [s.status for s in pull.steps] == ["ok"] * len(pull.steps)
    publish = run_workflow(engine / ".github/workflows/publier.yml", engine, Event("schedule", "main"),
                           tmp_path / "publish")
    assert publish.ok, _report(publish)
    assert (publish.artifacts["github-pages"] / "acteurs/index.html").is_file()


def _without(workflow: Path, out: Path, job: str, match: str, key: str | None = None) -> Path:
    """A copy of the workflow with the first step whose text holds `match` removed (or only its `key`)."""
    spec = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    steps = spec["jobs"][job]["steps"]
    index = next(i for i, s in enumerate(steps) if match in yaml.safe_dump(s, allow_unicode=True))
    if key is None:
        del steps[index]
    else:
        del steps[index]["with"][key]
    out.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out


@pytest.mark.parametrize(("name", "job", "match", "key", "fails"), [
    ("verifier.yml", "verifier", "actions/setup-python", None, "Installer le générateur"),
    ("verifier.yml", "verifier", "fetch-depth", "fetch-depth", "Pages touchées, HTML et accessibilité"),
])
def test_a_missing_setup_step_fails_the_new_atlas_workflow(site_repo: Path, tmp_path: Path, name: str, job: str,
                                                          match: str, key: str | None, fails: str) -> None:
    broken = _without(site_repo / ".github/workflows" / name, tmp_path / name, job, match, key)
    result = run_workflow(broken, site_repo, Event("pull_request", "ajoute-une-structure", "main"), tmp_path / "run")
    failed = [s.name for s in result.steps if s.status == "failed"]
    assert failed == [fails], _report(result)


def test_publishing_without_configure_pages_is_refused(site_repo: Path, tmp_path: Path) -> None:
    broken = _without(site_repo / ".github/workflows/publier.yml", tmp_path / "publier.yml", "construire",
                      "configure-pages")
    with pytest.raises(WorkflowError, match=r"steps\.pages"):
        run_workflow(broken, site_repo, Event("push", "main"), tmp_path / "run")


# --- the emulator's own rules ----------------------------------------------------------------------

CONTEXT = {"steps": {"pages": {"outputs": {"base_url": "https://o.github.io/r"}}},
           "github": {"base_ref": "main", "event_name": "pull_request", "event": {"pull_request": {"number": 7}}}}


def _lookup(path: list[str]):
    if path[0] not in CONTEXT:
        raise WorkflowError(f"context '{path[0]}' is not emulated")
    value = CONTEXT
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value


@pytest.mark.parametrize(("text", "expanded"), [
    ('--base-url "${{ steps.pages.outputs.base_url }}"', '--base-url "https://o.github.io/r"'),
    ("origin/${{ github.base_ref }}", "origin/main"),
    ("verifier-${{ github.event.pull_request.number }}", "verifier-7"),
    ("${{ github.head_ref || 'main' }}", "main"),
    ("${{ github.event_name == 'PULL_REQUEST' }}", "true"),
    ("${{ contains(github.base_ref, 'ai') && !startsWith(github.base_ref, 'x') }}", "true"),
])
def test_expressions(text: str, expanded: str) -> None:
    assert expand(text, _lookup, {"success": True}) == expanded


@pytest.mark.parametrize(("text", "success", "runs"), [
    (None, True, True), (None, False, False), ("always()", False, True), ("failure()", False, True),
    ("github.event_name == 'push'", True, False), ("${{ !cancelled() }}", False, True),
])
def test_step_conditions(text: str | None, success: bool, runs: bool) -> None:
    assert condition(text, _lookup, {"success": success}) is runs


def test_unknown_contexts_and_functions_are_errors() -> None:
    with pytest.raises(WorkflowError, match="context 'matrixx'"):
        expand("${{ matrixx.os }}", _lookup, {"success": True})
    with pytest.raises(WorkflowError, match="hashFiles"):
        expand("${{ hashFiles('x') }}", _lookup, {"success": True})


def test_output_files_and_apt_lines() -> None:
    assert _key_values("a=1\nlong<<END\nx\ny\nEND\nb=two=2\n") == {"a": "1", "long": "x\ny", "b": "two=2"}
    script, note = skip_apt("apt-get update -qq\napt-get install -y -qq --no-install-recommends chromium npm\necho ok\n")
    assert re.findall(r"^(?!:).*$", script.strip(), re.M) == ["echo ok"] and "chromium, npm" in note
    with pytest.raises(RuntimeError, match="not on this machine: texlive"):
        skip_apt("sudo apt-get install -y texlive\n")
