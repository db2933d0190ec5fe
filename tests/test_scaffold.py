"""`build.py new`: slugs, kinds, every field present and commented, never an overwrite."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PIL import Image

from atlas.cli import main
from atlas.model.kinds import ENTRY_KINDS, SCHEMAS
from atlas.pipeline import Options, check
from atlas.tools.scaffold import create, inline_yaml, render, resolve_kind
from atlas.read.source import parse_bytes, split_front_matter

TODAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize("title, slug", [
    ("L'Épicerie du Port", "l-epicerie-du-port"),
    ("Maison de l'ESS — Bayonne", "maison-de-l-ess-bayonne"),
    ("Économie d’Île-d’Yeu", "economie-d-ile-d-yeu"),
    ("  Cœur   de   Biarritz ", "coeur-de-biarritz"),
    ("SCOP « Les 3 Ponts »", "scop-les-3-ponts"),
])
def test_slug_comes_from_the_title(tmp_path: Path, title: str, slug: str) -> None:
    path = create(tmp_path, "acteur", title, TODAY)
    assert path == tmp_path / "content" / "actors" / f"{slug}.md"
    assert parse_bytes(path.read_bytes(), "actors", slug, f"content/actors/{slug}.md").data["title"] \
        == " ".join(title.split())


@pytest.mark.parametrize("name, kind", [
    ("acteur", "actors"), ("actors", "actors"), ("Acteurs", "actors"), ("lieu", "places"),
    ("places", "places"), ("programme", "programmes"), ("territoire", "territories"),
    ("territories", "territories"), ("thematique", "themes"), ("thématique", "themes"), ("themes", "themes"),
])
def test_kind_in_french_or_by_folder(name: str, kind: str) -> None:
    assert resolve_kind(name) == kind


@pytest.mark.parametrize("kind", ENTRY_KINDS)
def test_every_field_present_commented_and_a_bare_scaffold_passes_strict_check(tmp_path: Path, kind: str) -> None:
    path = create(tmp_path, kind, "Économie d'exemple", TODAY)
    text = path.read_text(encoding="utf-8")
    front, *_ = split_front_matter(text)
    lines = front.splitlines()
    assert lines[0] == f"# yaml-language-server: $schema=../../schemas/{kind}.schema.json"
    raw = parse_bytes(path.read_bytes(), kind, path.stem, f"content/{kind}/{path.name}")
    assert list(raw.data) == [spec.name for spec in SCHEMAS[kind]]
    for spec in SCHEMAS[kind]:
        at = lines.index(next(line for line in lines if line.startswith(f"{spec.name}:")))
        comment = []
        while at > 0 and lines[at - 1].startswith("# "):
            at -= 1
            comment.insert(0, lines[at])
        assert comment[0].startswith("# " + spec.help[:40]), (spec.name, comment)
        assert any(line.startswith(f"# Exemple : {spec.name}: ") for line in comment), (spec.name, comment)
    assert raw.data["title"] == "Économie d'exemple" and raw.data["updated"] == "2026-11-23"
    result = check(Options(root=tmp_path, strict=True))
    assert result.report.problems == [] and result.atlas.get(kind, "economie-d-exemple") is not None


def test_the_examples_in_the_comments_are_valid_values(tmp_path: Path) -> None:
    """Replacing each empty field by its « Exemple : » line gives an entry that passes check --strict."""
    stubs: set[tuple[str, str]] = set()
    for kind in ENTRY_KINDS:
        lines = render(kind, "Exemple", TODAY).splitlines()
        examples = {line.removeprefix("# Exemple : ").split(":")[0]: line.removeprefix("# Exemple : ")
                    for line in lines if line.startswith("# Exemple : ")}
        filled = [examples.get(line.split(":")[0], line) if not line.startswith(("#", "title:")) else line
                  for line in lines]
        text = "\n".join(filled) + "\n"
        (tmp_path / "content" / kind).mkdir(parents=True, exist_ok=True)
        (tmp_path / "content" / kind / "exemple.md").write_text(text, encoding="utf-8")
        if "image" in examples:  # the example names a file beside the entry: give it one
            Image.new("RGB", (8, 8)).save(tmp_path / "content" / kind / examples["image"].split(": ")[1])
        data = parse_bytes(text.encode(), kind, "exemple", f"content/{kind}/exemple.md").data
        assert set(data) == {spec.name for spec in SCHEMAS[kind]}
        for spec in SCHEMAS[kind]:
            if spec.ref:
                value = data[spec.name]
                stubs.update((spec.ref, slug) for slug in ([value] if isinstance(value, str) else value))
    for kind, slug in stubs - {(k, "exemple") for k in ENTRY_KINDS}:
        (tmp_path / "content" / kind / f"{slug}.md").write_text(f"---\ntitle: {slug}\n---\n", encoding="utf-8")
    result = check(Options(root=tmp_path, strict=True))
    assert result.report.lines() == []
    for kind in ENTRY_KINDS:
        entry = result.atlas.get(kind, "exemple")
        assert set(entry.values) == {spec.name for spec in SCHEMAS[kind]}

def test_refuses_to_overwrite_an_existing_entry(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "acteur", "L'Épicerie du Port", "--root", str(tmp_path)]) == 0
    assert capsys.readouterr().out.strip() == "content/actors/l-epicerie-du-port.md"
    path = tmp_path / "content/actors/l-epicerie-du-port.md"
    path.write_text("---\ntitle: L'Épicerie du Port\nsummary: écrit à la main\n---\n", encoding="utf-8")
    assert main(["new", "actors", "L’Épicerie du Port", "--root", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "error: content/actors/l-epicerie-du-port.md already exists: nothing written" in err
    assert "écrit à la main" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("ext", [".yaml", ".yml"])
def test_refuses_when_a_data_entry_holds_the_slug(tmp_path: Path, ext: str, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "content/places").mkdir(parents=True)
    (tmp_path / f"content/places/serac{ext}").write_text("title: Sérac\n", encoding="utf-8")
    assert main(["new", "lieu", "Sérac", "--root", str(tmp_path)]) == 1
    assert f"content/places/serac{ext} already exists" in capsys.readouterr().err
    assert not (tmp_path / "content/places/serac.md").exists()


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "acteurz", "X", "--root", str(tmp_path)]) == 2
    assert "unknown kind 'acteurz' (did you mean 'acteur'?" in capsys.readouterr().err
    assert main(["new", "lieu", "« ! »", "--root", str(tmp_path)]) == 2
    assert "no letter or digit" in capsys.readouterr().err
    assert not (tmp_path / "content").exists()


@pytest.mark.parametrize("value, text", [
    ("Lille", "Lille"), ("https://www.lanef.com/", "https://www.lanef.com/"), ("59000", '"59000"'),
    ("2026-11-22", "2026-11-22"), ("a: b", '"a: b"'), ("no", '"no"'), (["x, y", "z"], '["x, y", z]'),
    ({"lat": 50.5, "lon": 3}, "{lat: 50.5, lon: 3}"), ("L'Épicerie du Port", "L'Épicerie du Port"), ("'quoted", "\"'quoted\""),
])
def test_inline_yaml_quotes_only_when_needed(value: object, text: str) -> None:
    assert inline_yaml(value) == text
