"""CONTRIBUTING.md and .github/: the guide's examples build, its reference is fresh, the forms
map to the schema, and the workflows run the project's own commands."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from atlas.tools.docgen import BLOCKS, MARKER, refresh
from atlas.model.kinds import ACTOR_TYPES, SCHEMAS, TYPE_LABELS
from atlas.pipeline import Options, build, check
from atlas.read.source import parse_bytes

ROOT = Path(__file__).resolve().parent.parent
GUIDE = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
EXAMPLE = re.compile(r"<!-- exemple : (content/(\w+)/([a-z0-9-]+)\.md) -->\n```markdown\n(.*?)```", re.S)
WALKTHROUGH = "content/actors/la-cantine-de-l-exemple.md"


def examples() -> dict[str, tuple[str, str]]:
    """Every worked example of the guide: path -> (kind, text)."""
    return {m.group(1): (m.group(2), m.group(4)) for m in EXAMPLE.finditer(GUIDE)}


def test_generated_parts_are_fresh() -> None:
    assert refresh(GUIDE) == GUIDE, "run: python build.py schema"
    for name in BLOCKS:
        assert GUIDE.count(MARKER.format("début", name)) == 1 and GUIDE.count(MARKER.format("fin", name)) == 1


def test_the_reference_lists_every_field_of_every_kind() -> None:
    reference = GUIDE.split(MARKER.format("début", "champs"))[1]
    for kind, fields in SCHEMAS.items():
        if kind != "pages":
            assert f"(`content/{kind}/`)" in reference
        for spec in fields:
            assert f"| `{spec.name}` |" in reference


def test_one_worked_example_per_kind() -> None:
    assert sorted(kind for kind, _ in examples().values()) == sorted(k for k in SCHEMAS if k != "pages")
    assert WALKTHROUGH in examples()


@pytest.mark.parametrize("path", sorted(examples()))
def test_each_example_is_valid_and_cites_real_entries(path: str) -> None:
    kind, text = examples()[path]
    raw = parse_bytes(text.encode(), kind, Path(path).stem, path)
    assert raw.problems == [] and raw.data["title"]
    root = Path(ROOT)
    for spec in SCHEMAS[kind]:
        if spec.ref and spec.name in raw.data:
            value = raw.data[spec.name]
            for slug in [value] if isinstance(value, str) else value:
                assert (root / "content" / spec.ref / f"{slug}.md").exists(), f"{path}: {spec.name}: {slug}"
    for prefix, slug in re.findall(r"\]\((acteur|lieu|programme|territoire|thematique):([a-z0-9-]+)\)", text):
        folder = {"acteur": "actors", "lieu": "places", "programme": "programmes", "territoire": "territories",
                  "thematique": "themes"}[prefix]
        assert (root / "content" / folder / f"{slug}.md").exists(), f"{path}: link to {prefix}:{slug}"


@pytest.fixture(scope="module")
def atlas_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real atlas copied, with the guide's walkthrough actor added."""
    root = tmp_path_factory.mktemp("guide")
    for folder in ("content", "templates", "assets"):
        shutil.copytree(ROOT / folder, root / folder, dirs_exist_ok=True)
    shutil.copy(ROOT / "atlas.yaml", root / "atlas.yaml")
    assert not (root / WALKTHROUGH).exists(), "the walkthrough must add an entry the atlas does not have"
    (root / WALKTHROUGH).write_text(examples()[WALKTHROUGH][1], encoding="utf-8")
    return root


def test_the_walkthrough_actor_builds_with_the_real_atlas(atlas_copy: Path) -> None:
    result = build(Options(root=atlas_copy, out=atlas_copy / "site", strict=True, use_cache=False))
    assert result.report.ok, result.report.lines()
    page = (atlas_copy / "site/acteurs/la-cantine-de-l-exemple/index.html").read_text(encoding="utf-8")
    assert "<h1>La Cantine de l&#39;Exemple</h1>" in page
    assert 'href="/territoires/lille-moulins/"' in page
    host = (atlas_copy / "site/lieux/maison-de-l-ess-lille/index.html").read_text(encoding="utf-8")
    assert 'href="/acteurs/la-cantine-de-l-exemple/"' in host  # the relation shows on the other side


def test_the_error_shown_in_the_guide_is_the_real_one(atlas_copy: Path, tmp_path: Path) -> None:
    shown = re.search(r"```text\n(content/actors/la-cantine-de-l-exemple\.md:.*)\n```", GUIDE).group(1)
    root = tmp_path / "atlas"
    shutil.copytree(atlas_copy / "content", root / "content")
    path = root / WALKTHROUGH
    path.write_text(path.read_text(encoding="utf-8").replace("territory: lille-moulins", "territory: lille-moulin"),
                    encoding="utf-8")
    assert check(Options(root=root)).report.lines() == [shown]


def test_the_scaffold_command_in_the_guide_makes_the_walkthrough_file(tmp_path: Path) -> None:
    from atlas.cli import main

    command = re.search(r'python build\.py new acteur "La Cantine de l\'Exemple"', GUIDE)
    assert command
    assert main(["new", "acteur", "La Cantine de l'Exemple", "--root", str(tmp_path)]) == 0
    assert (tmp_path / WALKTHROUGH).exists()


def _checklist(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("- [ ] ")]


def test_pull_request_template_carries_the_reviewers_checklist() -> None:
    template = (ROOT / ".github/pull_request_template.md").read_text(encoding="utf-8")
    assert len(_checklist(template)) >= 8
    assert _checklist(template) == _checklist(GUIDE)


def test_issue_form_maps_to_the_actor_schema() -> None:
    form = yaml.safe_load((ROOT / ".github/ISSUE_TEMPLATE/ajouter-une-structure.yml").read_text(encoding="utf-8"))
    assert form["name"] == "Ajouter une structure"
    questions = {item["id"]: item for item in form["body"] if "id" in item}
    actor = {spec.name for spec in SCHEMAS["actors"]}
    assert set(questions) - actor == {"body", "confirmation"}
    # Set by the maintainers (updated, draft), by build.py import (origin), or hard to give in a
    # form (a position, an image file with its text and credit: sent with the pull request).
    assert actor - set(questions) == {"updated", "draft", "origin", "geo", "image", "image_alt", "image_credit"}
    for name, item in questions.items():
        if name in actor:
            assert item["attributes"]["label"].endswith(f"({name})")
    assert questions["title"]["validations"]["required"] is True
    options = questions["type"]["attributes"]["options"]
    assert options == [f"{TYPE_LABELS[t]} ({t})" for t in ACTOR_TYPES]


def _workflows() -> dict[str, dict]:
    found = {}
    for path in sorted((ROOT / ".github/workflows").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
        found[path.name] = data
    return found


def _runs(workflow: dict) -> list[str]:
    return [step["run"] for job in workflow["jobs"].values() for step in job["steps"] if "run" in step]


def _uses(workflow: dict) -> list[str]:
    return [step["uses"].split("@")[0] for job in workflow["jobs"].values() for step in job["steps"] if "uses" in step]


def test_pull_requests_check_with_annotations_build_and_test() -> None:
    workflow = _workflows()["verifier.yml"]
    assert "pull_request" in workflow["on"]
    runs = "\n".join(_runs(workflow))
    readme = (ROOT / "README.md").read_text(encoding="utf-8") if (ROOT / "README.md").exists() else ""
    test_commands = set(re.findall(r"python3 dev\.py test\b", readme)) or {"python3 dev.py test"}
    for command in test_commands | {"python build.py check --format github --strict",
                                    "python build.py build --strict", "python build.py schema --check",
                                    "python build.py diff --git"}:
        assert command in runs, command
    order = [runs.index(c) for c in ("check --format github", "build.py build", "dev.py test")]
    assert order == sorted(order)  # annotations first: the fastest answer for a contributor


def test_main_deploys_to_pages_with_its_base_url() -> None:
    workflow = _workflows()["publier.yml"]
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert {"actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"} <= set(_uses(workflow))
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    build_step = next(r for r in _runs(workflow) if "build.py build" in r)
    pages_id = next(s["id"] for j in workflow["jobs"].values() for s in j["steps"]
                    if s.get("uses", "").startswith("actions/configure-pages"))
    assert f'--base-url "${{{{ steps.{pages_id}.outputs.base_url }}}}"' in build_step
    upload = next(s for j in workflow["jobs"].values() for s in j["steps"]
                  if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "site"
    deploy = next(j for j in workflow["jobs"].values() if any("deploy-pages" in s.get("uses", "") for s in j["steps"]))
    assert deploy["environment"]["name"] == "github-pages"


def test_every_github_file_is_valid_yaml() -> None:
    files = sorted((ROOT / ".github").rglob("*.yml"))
    assert len(files) >= 3
    for path in files:
        assert isinstance(yaml.safe_load(path.read_text(encoding="utf-8")), dict), path


def test_links_inside_the_guide_reach_a_heading() -> None:
    """Anchors as GitHub makes them: lowercase, punctuation dropped, spaces to '-', accents kept."""
    headings = {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-")
                for h in re.findall(r"^#+ (.+)$", GUIDE, re.M)}
    anchors = re.findall(r"\]\(#([^)]+)\)", GUIDE)
    assert len(anchors) >= 5
    assert [a for a in anchors if a not in headings] == []
