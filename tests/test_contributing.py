"""CONTRIBUTING.md and .github/: the guide's reference is fresh, the forms map to the schema, and
the workflows run the project's own commands. The guide's worked examples name the sample
atlas's entries: they are checked by tests/sample/test_guide_examples.py."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from atlas.tools.docgen import BLOCKS, MARKER, refresh
from atlas.model.kinds import ACTOR_TYPES, SCHEMAS, TYPE_LABELS

ROOT = Path(__file__).resolve().parent.parent
GUIDE = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")


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
    # Set by the maintainers (updated, draft) or by build.py import (origin); every other field is asked.
    assert actor - set(questions) == {"updated", "draft", "origin"}
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
