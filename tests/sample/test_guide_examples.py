"""CONTRIBUTING.md's worked examples: the guide of this repository names the sample atlas's
entries, so its examples are valid, cite real entries, build with the sample atlas, and show
the error the build really gives."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from atlas.model.kinds import SCHEMAS
from atlas.pipeline import Options, build, check
from atlas.read.source import parse_bytes
from conftest import ROOT

from .conftest import SAMPLE, base_path, sample_copy

GUIDE = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
EXAMPLE = re.compile(r"<!-- exemple : (content/(\w+)/([a-z0-9-]+)\.md) -->\n```markdown\n(.*?)```", re.S)
WALKTHROUGH = "content/actors/la-cantine-de-l-exemple.md"
PREFIXES = {"acteur": "actors", "lieu": "places", "programme": "programmes", "territoire": "territories",
            "thematique": "themes"}


def examples() -> dict[str, tuple[str, str]]:
    """Every worked example of the guide: path -> (kind, text)."""
    return {m.group(1): (m.group(2), m.group(4)) for m in EXAMPLE.finditer(GUIDE)}


def test_one_worked_example_per_kind() -> None:
    assert sorted(kind for kind, _ in examples().values()) == sorted(k for k in SCHEMAS if k != "pages")
    assert WALKTHROUGH in examples()


@pytest.mark.parametrize("path", sorted(examples()))
def test_each_example_is_valid_and_cites_real_entries(path: str) -> None:
    kind, text = examples()[path]
    raw = parse_bytes(text.encode(), kind, Path(path).stem, path)
    assert raw.problems == [] and raw.data["title"]
    for spec in SCHEMAS[kind]:
        if spec.ref and spec.name in raw.data:
            value = raw.data[spec.name]
            for slug in [value] if isinstance(value, str) else value:
                assert slug in SAMPLE.entries(spec.ref), f"{path}: {spec.name}: {slug}"
    for prefix, slug in re.findall(r"\]\((acteur|lieu|programme|territoire|thematique):([a-z0-9-]+)\)", text):
        assert slug in SAMPLE.entries(PREFIXES[prefix]), f"{path}: link to {prefix}:{slug}"


@pytest.fixture(scope="module")
def atlas_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample atlas copied, with the guide's walkthrough actor added."""
    root = sample_copy(tmp_path_factory.mktemp("guide"))
    assert not (root / WALKTHROUGH).exists(), "the walkthrough must add an entry the atlas does not have"
    (root / WALKTHROUGH).write_text(examples()[WALKTHROUGH][1], encoding="utf-8")
    return root


def test_the_walkthrough_actor_builds_with_the_sample_atlas(atlas_copy: Path) -> None:
    result = build(Options(root=atlas_copy, out=atlas_copy / "site", strict=True, use_cache=False, search=False))
    assert result.report.ok, result.report.lines()
    base = base_path(atlas_copy)
    page = (atlas_copy / "site/acteurs/la-cantine-de-l-exemple/index.html").read_text(encoding="utf-8")
    assert "<h1>La Cantine de l&#39;Exemple</h1>" in page
    assert f'href="{base}territoires/lille-moulins/"' in page
    host = (atlas_copy / "site/lieux/maison-de-l-ess-lille/index.html").read_text(encoding="utf-8")
    assert f'href="{base}acteurs/la-cantine-de-l-exemple/"' in host  # the relation shows on the other side


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
