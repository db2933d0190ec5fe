"""`build.py init`: what a new atlas holds, that it checks and builds clean at once, that it names
no entry of another atlas, and that bad requests write nothing. Also the neutral examples of `new`,
the schemas and the issue form, and the audit's choices. (The pip-installed engine and the
workflows on a fresh runner are in test_workflows.py.)"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from atlas import config
from atlas.cli import main
from atlas.model.kinds import ENTRY_KINDS, SCHEMAS
from atlas.pipeline import Options, build, check
from atlas.read.source import parse_bytes
from atlas.tools import audit, docgen, init, issueform
from atlas.tools.scaffold import render
from conftest import ROOT
from linkcheck import broken_links

TITLE = "Atlas de l'ESS du Pays basque"
BASE = "https://exemple.github.io/atlas/"


# The slugs a new atlas is asked for (its territory) or starts with (its first theme).
OWN_SLUGS = {"pays-basque", "vie-associative"}


def sample_names() -> set[str]:
    """Words that name the atlas in this repository's content/ (the sample, or whichever atlas is
    there): the sample's cities and the compound slugs of its entries, but for the new atlas's own."""
    slugs = {p.stem for p in (ROOT / "content").glob("*/*.md") if "-" in p.stem and p.parent.name != "pages"}
    return ({"lille", "lyon"} | slugs) - OWN_SLUGS


def named_samples(text: str) -> list[str]:
    lower = text.lower()
    return sorted(n for n in sample_names() if re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])" if "-" in n
                                                         else rf"\b{n}\b", lower))


@pytest.fixture(scope="module")
def new_atlas(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("init") / "atlas"
    assert main(["init", str(root), "--title", TITLE, "--territory", "Pays basque", "--engine", str(ROOT)]) == 0
    return root


def test_init_writes_the_whole_atlas(new_atlas: Path) -> None:
    written = {p.relative_to(new_atlas).as_posix() for p in new_atlas.rglob("*") if p.is_file()}
    assert written >= {
        "atlas.yaml", "build.py", "requirements.txt", ".gitignore", "README.md", "CONTRIBUTING.md",
        "content/pages/accueil.md", "content/pages/a-propos.md", "content/pages/accessibilite.md",
        "content/territories/pays-basque.md", "content/themes/vie-associative.md",
        ".vscode/settings.json", ".vscode/extensions.json", ".github/workflows/verifier.yml",
        ".github/workflows/publier.yml", ".github/pull_request_template.md", issueform.PATH,
        "templates/.gitkeep", "assets/.gitkeep", *(f"schemas/{kind}.schema.json" for kind in SCHEMAS)}
    for path in written:
        assert "%%" not in (new_atlas / path).read_text(encoding="utf-8"), path
    assert (new_atlas / "build.py").stat().st_mode & 0o111
    requirements = [line for line in (new_atlas / "requirements.txt").read_text().splitlines()
                    if line and not line.startswith("#")]
    assert requirements == [f"atlas-ess[audit] @ {ROOT.as_uri()}"]


def test_the_new_atlas_checks_and_builds_strict_with_no_broken_link(new_atlas: Path, tmp_path: Path) -> None:
    result = check(Options(root=new_atlas, strict=True))
    assert result.report.lines() == [] and len(result.atlas.entries) == 5
    out = tmp_path / "site"
    result = build(Options(root=new_atlas, out=out, strict=True, base_url=BASE, use_cache=False, search=False))
    assert result.report.ok and result.report.lines() == []
    assert broken_links(out, "/atlas/") == []
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "Atlas de l&#39;ESS du Pays basque" in home and f'href="{BASE}"' in home
    assert 'href="/atlas/territoires/pays-basque/"' in home
    about = (out / "a-propos/index.html").read_text(encoding="utf-8")
    assert all(f'id="{anchor}"' in about for anchor in ("sources", "licences", "contribuer"))
    built = [p for p in out.rglob("*") if p.is_file() and p.suffix in (".html", ".json", ".csv", ".xml", ".txt")]
    assert [(p.name, named_samples(p.read_text(encoding="utf-8"))) for p in built
            if named_samples(p.read_text(encoding="utf-8"))] == []


def test_nothing_written_names_the_sample_atlas(new_atlas: Path) -> None:
    found = {p.relative_to(new_atlas).as_posix(): named_samples(p.read_text(encoding="utf-8"))
             for p in new_atlas.rglob("*") if p.is_file()}
    assert {path: names for path, names in found.items() if names} == {}


def test_atlas_yaml_has_every_setting_commented_in_french_and_loads(new_atlas: Path) -> None:
    text = (new_atlas / "atlas.yaml").read_text(encoding="utf-8")
    for name in config.DEFAULTS:
        at = re.search(rf"^(# )?{name}:", text, re.M)
        assert at, name
        before = text[: at.start()].rstrip("\n").splitlines()[-1]
        assert before.startswith("# ") and not before.startswith(f"# {name}:"), (name, before)
    assert set(yaml.safe_load(text)) == {n for n in init.ACTIVE if n in config.DEFAULTS}
    site = config.load(new_atlas)
    assert site["title"] == TITLE and site["licence_text"] == config.DEFAULTS["licence_text"]


def test_a_setting_without_french_help_is_refused() -> None:
    atlas = init.plan(TITLE, "Pays basque", "", str(ROOT))
    with pytest.raises(KeyError, match="no French help"):
        init.settings_yaml(atlas, {**config.DEFAULTS, "brand_new_setting": 1})


def test_the_guide_is_fresh_and_its_example_names_this_atlas(new_atlas: Path) -> None:
    guide = (new_atlas / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert docgen.refresh(guide) == guide
    example = re.search(r"<!-- exemple : content/actors/([a-z0-9-]+)\.md -->\n```markdown\n(.*?)```", guide, re.S)
    raw = parse_bytes(example.group(2).encode(), "actors", example.group(1), "x.md")
    assert raw.problems == [] and raw.data["territory"] == "pays-basque" and raw.data["themes"] == ["vie-associative"]
    (new_atlas / "content/actors" / f"{example.group(1)}.md").parent.mkdir(exist_ok=True)
    path = new_atlas / "content/actors" / f"{example.group(1)}.md"
    path.write_text(example.group(2), encoding="utf-8")
    try:
        assert check(Options(root=new_atlas, strict=True)).report.lines() == []
    finally:
        path.unlink()
        path.parent.rmdir()
    checklist = [line for line in guide.splitlines() if line.startswith("- [ ] ")]
    template = (new_atlas / ".github/pull_request_template.md").read_text(encoding="utf-8")
    assert len(checklist) >= 8 and checklist == [line for line in template.splitlines() if line.startswith("- [ ] ")]


def test_schema_check_passes_in_the_new_atlas(new_atlas: Path) -> None:
    assert main(["schema", "--check", "--root", str(new_atlas)]) == 0


def test_new_names_the_atlas_own_entries(new_atlas: Path) -> None:
    assert main(["new", "lieu", "Un tiers-lieu", "--root", str(new_atlas)]) == 0
    path = new_atlas / "content/places/un-tiers-lieu.md"
    try:
        text = path.read_text(encoding="utf-8")
        assert "# Exemple : territory: pays-basque" in text and "# Exemple : themes: [vie-associative]" in text
        assert "(territoire:pays-basque)" in text and named_samples(text) == []
    finally:
        path.unlink()
        path.parent.rmdir()


@pytest.mark.parametrize("kind", ENTRY_KINDS)
def test_new_without_entries_uses_placeholders_not_the_sample(kind: str) -> None:
    import datetime as dt

    text = render(kind, "Exemple", dt.date(2026, 1, 1), {})
    assert named_samples(text) == []
    assert "lille" not in json.dumps([spec.example for spec in SCHEMAS[kind]], ensure_ascii=False).lower()


def test_the_engine_issue_form_is_the_generated_one() -> None:
    assert (ROOT / issueform.PATH).read_text(encoding="utf-8") == issueform.issue_form()
    form = yaml.safe_load(issueform.issue_form())
    assert named_samples(issueform.issue_form()) == []
    assert {q["id"] for q in form["body"] if "id" in q} >= {"title", "type", "sources", "body", "confirmation"}


@pytest.mark.parametrize(("argv", "message"), [
    (["--base-url", "ftp://exemple.org/atlas/"], "--base-url"),
    (["--base-url", "exemple.github.io/atlas"], "--base-url"),
    (["--base-url", "https://"], "--base-url"),
    (["--base-url", "https://exemple.org/mon atlas/"], "--base-url"),
    (["--title", "   "], "--title"),
    (["--title", "x" * 121], "--title"),
    (["--territory", "« ! »"], "--territory"),
    (["--engine", "/no/such/engine"], "--engine"),
    (["--engine", "pas-une-adresse"], "--engine"),
])
def test_bad_requests_write_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str],
                                    message: str) -> None:
    target = tmp_path / "atlas"
    args = {"--territory": "Pays basque", "--engine": str(ROOT)}
    args.update(dict(zip(argv[::2], argv[1::2])))
    assert main(["init", str(target), *[x for kv in args.items() for x in kv]]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err
    assert not target.exists() and list(tmp_path.iterdir()) == []


def test_a_non_empty_folder_is_refused_and_left_as_it_was(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.txt").write_text("à garder", encoding="utf-8")
    assert main(["init", str(tmp_path), "--territory", "Pays basque", "--engine", str(ROOT)]) == 1
    assert "is not empty (notes.txt): nothing written" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
    file = tmp_path / "notes.txt"
    assert main(["init", str(file), "--territory", "Pays basque", "--engine", str(ROOT)]) == 1
    assert "is not a folder" in capsys.readouterr().err


def test_a_folder_with_only_git_is_accepted(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    assert main(["init", str(tmp_path), "--territory", "Pays basque", "--engine", str(ROOT)]) == 0
    assert (tmp_path / "atlas.yaml").exists() and (tmp_path / ".git").is_dir()
    assert config.load(tmp_path)["title"] == "Atlas de l'ESS : Pays basque"


@pytest.mark.parametrize(("spec", "line"), [
    (None, f"atlas-ess[audit] @ git+{init.REPOSITORY}@v{init._version()}"),
    ("git+https://github.com/org/fork@v1.2", "atlas-ess[audit] @ git+https://github.com/org/fork@v1.2"),
    ("atlas-ess==0.3.0", "atlas-ess==0.3.0"),
    (str(ROOT), f"atlas-ess[audit] @ {ROOT.as_uri()}"),
])
def test_the_engine_requirement_line(spec: str | None, line: str) -> None:
    assert init.requirement_line(spec) == line


@pytest.mark.parametrize(("pages", "limit", "chosen"), [
    (["acteurs/b/index.html", "acteurs/a/index.html", "index.html", "acteurs/index.html"], 3,
     ["acteurs/a/index.html", "acteurs/index.html", "index.html"]),
    (["lieux/x/index.html", "lieux/y/index.html", "404.html"], 10,
     ["404.html", "lieux/x/index.html", "lieux/y/index.html"]),
    (["acteurs/types/scop/index.html", "acteurs/x/index.html"], 1, ["acteurs/types/scop/index.html"]),
])
def test_audit_checks_one_page_of_each_sort_first(pages: list[str], limit: int, chosen: list[str]) -> None:
    assert audit.choose(pages, limit) == chosen


def test_audit_checkers_are_the_engine_test_checkers() -> None:
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    assert audit.CHECKERS == package["devDependencies"]
    assert all(f"{name}@{version}" in audit.npm_command() for name, version in audit.CHECKERS.items())


def test_audit_names_what_it_misses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site/index.html").write_text("<!doctype html><title>x</title>", encoding="utf-8")
    assert main(["audit", str(tmp_path / "site"), "--checkers", str(tmp_path / "nothing")]) == 2
    err = capsys.readouterr().err
    assert "vnu-jar/build/dist/vnu.jar" in err and "axe-core/axe.min.js" in err and audit.npm_command() in err


GOOD = ('<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Bien</title></head>'
        '<body><main><h1>Bien</h1><p>Une page correcte.</p></main></body></html>\n')
BAD = ('<!doctype html><html><head><meta charset="utf-8"><title>Mal</title></head>'
       '<body><main><p><div>bloc dans un paragraphe</div></p><img src="x.png"></main></body></html>\n')


def audit_run(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "build.py", "audit", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)


def test_audit_reports_html_and_accessibility_errors_of_touched_pages_only(tmp_path: Path) -> None:
    import os

    checkers = ROOT / "node_modules"
    missing = audit.missing_tools(checkers)
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"audit tools missing in CI: {missing}")
        pytest.skip(f"audit tools missing: {missing}")
    old, new = tmp_path / "old", tmp_path / "new"
    for site, second in ((old, GOOD), (new, BAD)):
        (site / "mal").mkdir(parents=True)
        (site / "index.html").write_text(GOOD, encoding="utf-8")
        (site / "mal/index.html").write_text(second, encoding="utf-8")
    summary = tmp_path / "summary.md"
    # In a process of its own: the audit drives Chromium through Playwright's synchronous API, which
    # refuses to run inside the event loop the browser tests' Playwright leaves in this process.
    done = audit_run(new, "--old", old, "--checkers", checkers, "--summary", summary)
    assert done.returncode == 1, done.stderr
    out = done.stdout.splitlines()
    assert out and all(line.startswith("mal/index.html:") for line in out)
    assert any(": html: " in line for line in out)
    assert any("accessibilité: image-alt (light)" in line for line in out)
    assert any("accessibilité: html-has-lang (dark)" in line for line in out)
    text = summary.read_text(encoding="utf-8")
    assert "1 page modifiée" in text and "1 page touchée" in text and "erreurs**" in text
    assert audit_run(new, "--old", new, "--checkers", checkers).returncode == 0
