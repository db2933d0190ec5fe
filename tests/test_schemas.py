"""JSON Schemas: committed and fresh, valid draft 2020-12, true to the validator, wired to editors."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest

from atlas.cli import main
from atlas.model.jsonschema import render, schema_for, stale_schemas, write_schemas
from atlas.model.kinds import ENTRY_KINDS, SCHEMAS
from atlas.tools.scaffold import render as scaffold
from atlas.read.source import discover, parse_bytes
from atlas.read.validate import validate
from atlas.link.graph import link
from conftest import schema_failures

ROOT = Path(__file__).resolve().parent.parent
Validator = jsonschema.Draft202012Validator


def _validator(kind: str) -> jsonschema.Draft202012Validator:
    return Validator(schema_for(kind), format_checker=Validator.FORMAT_CHECKER)


def test_committed_schemas_are_fresh() -> None:
    assert stale_schemas(ROOT / "schemas") == [], "run: python build.py schema"
    assert sorted(p.name for p in (ROOT / "schemas").iterdir()) == sorted(f"{k}.schema.json" for k in SCHEMAS)


@pytest.mark.parametrize("kind", list(SCHEMAS))
def test_each_schema_is_valid_draft_2020_12(kind: str) -> None:
    schema = json.loads((ROOT / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Validator.check_schema(schema)
    assert set(schema["properties"]) == {spec.name for spec in SCHEMAS[kind]} | {"body"}
    assert schema["required"] == [spec.name for spec in SCHEMAS[kind] if spec.required]


def test_the_whole_fixture_atlas_validates(whole_site: Path) -> None:
    """Every entry file, as the reader reads it, is valid for its kind's schema (the sample
    atlas's own files: tests/sample/test_sample_files.py)."""
    root = whole_site.parent
    files, _ = discover(root)
    assert {path.parts[-2] for path in files} == set(SCHEMAS)
    assert schema_failures(root) == []


# (kind, front matter after the title, valid for `check --strict`)
CASES = [
    ("actors", "", True),
    ("actors", "summary:\nthemes: []\nstaff: ''\nwebsite:\n", True),  # empty fields are absent fields
    ("actors", "type: association\nfounded: 1990\nstaff: 3\n", True),
    ("actors", "type: asso\n", False),
    ("actors", "founded: 99\n", False),
    ("actors", "founded: '1990'\n", True),  # a year, written as text
    ("actors", "founded: 1990-05\nupdated: 2026-11\n", True),  # partial dates
    ("actors", "founded: 1990-13\n", False),
    ("actors", "staff: -1\n", False),
    ("actors", "updated: 2026-11-22\n", True),
    ("actors", "updated: 22/11/2026\n", False),
    ("actors", "updated: 2026-02-30\n", False),
    ("actors", "themes: cohesion-sociale\n", False),
    ("actors", "themes: [Cohésion sociale]\n", False),
    ("actors", "themes: [a, a]\n", False),
    ("actors", "parent: reseau-national\n", True),
    ("actors", "website: www.la-caisse.example\n", False),
    ("actors", "website: https://www.la-caisse.example/\n", True),
    ("actors", "website: mailto:contact@example.org\n", True),
    ("actors", "websit: https://www.la-caisse.example/\n", False),  # a warning: an error with --strict
    ("actors", "draft: true\n", True),
    ("actors", "draft: peut-être\n", False),
    ("actors", "sources:\n  - {title: Statuts, accessed: 2026-11-22}\n", True),
    ("actors", "sources:\n  - {title: Statuts, url: https://example.org/s.pdf, date: 2021-03-01}\n", True),
    ("actors", "sources:\n  - {url: https://example.org/}\n", False),
    ("actors", "sources:\n  - {title: X, auteur: Y}\n", False),
    ("actors", "sources:\n  - {title: X, date: mars 2021}\n", False),
    ("places", "postcode: 59000\ncity: Lille\n", True),  # YAML reads a number; the validator keeps the text
    ("places", "postcode: 5900\n", False),
    ("actors", "siret: 123 456 782 00010\nsiren: 123456782\nrna: W641000001\n", True),
    ("actors", "siret: 12345678200010\n", True),  # a YAML number
    ("actors", "siret: 1234567820001\n", False),
    ("actors", "rna: 641000001\n", False),
    ("actors", "email: contact@exemple.org\nphone: 05 59 12 34 56\n", True),
    ("actors", "email: contact.exemple.org\n", False),
    ("actors", "social: [https://www.facebook.com/x, https://mastodon.social/@x]\n", True),
    ("actors", "social: https://www.facebook.com/x\n", False),
    ("actors", "social: [https://x.com/a, https://x.com/a]\n", False),
    ("actors", "opening_hours: Mo-Fr 09:00-12:00\naccessibility: Plain-pied\n", True),
    ("actors", "image: photo.jpg\nimage_alt: ''\nimage_credit: Photo X\n", True),
    ("actors", "image: ../photo.jpg\nimage_alt: x\n", False),
    ("actors", "image: photo.pdf\nimage_alt: x\n", False),
    ("actors", "origin: {source: annuaire, id: 12}\n", True),
    ("actors", "origin: {source: annuaire, id: 12, date: 2024}\n", False),
    ("actors", "geo: {lat: 43.49, lon: -1.47}\naddress: 1 rue X\n", True),
    ("programmes", "start: 2018-01\ndeadline: 2018-03-31\nend: 2019\n", True),
    ("territories", "type: commune\ncode: 2A004\n", True),
    ("territories", "code: 123456\n", False),
    ("places", "geo: {lat: 50.6, lon: 3.07, approximate: true}\n", True),
    ("places", "geo: {lat: 200, lon: 3}\n", False),
    ("places", "geo: {lat: 50}\n", False),
    ("places", "geo: {lat: 50, lon: 3, alt: 20}\n", False),
    ("places", "access: Métro ligne 2\n", True),
    ("places", "access: [Métro ligne 2, Bus 18]\n", True),
    ("places", "area_m2: 1 300\n", False),
    ("places", "address: |\n  235 boulevard\n  Paul Painlevé\n", False),  # one line only
    ("programmes", "budget_eur: 1500.5\nstart: 2013-07-15\n", True),
    ("programmes", "budget_eur: 66,1 M€\n", False),
    ("territories", "type: commune\nparent: france\n", True),
    ("themes", "parent: transition\n", True),
]


@pytest.mark.parametrize("kind, fields, valid", CASES)
def test_schema_agrees_with_the_validator(kind: str, fields: str, valid: bool) -> None:
    text = f"---\ntitle: Exemple\n{fields}---\n"
    raw = parse_bytes(text.encode(), kind, "exemple", f"content/{kind}/exemple.md")
    entry, problems = validate(raw)
    if entry is not None:  # slugs a title was written for ('Cohésion sociale') are refused at link time
        problems += [p for p in link([entry])[1] if "is not a slug" in p.message]
    assert (entry is not None and not problems) is valid, problems
    errors = list(_validator(kind).iter_errors(raw.data))
    assert (not errors) is valid, [e.message for e in errors]


def test_title_is_required_and_not_empty() -> None:
    for data in ({}, {"title": ""}, {"title": "   "}, {"title": None}):
        assert not _validator("actors").is_valid(data)
    assert _validator("actors").is_valid({"title": 1984})  # `title: 1984`: the validator keeps the text


def test_write_schemas_writes_only_what_changed(tmp_path: Path) -> None:
    assert len(write_schemas(tmp_path)) == len(SCHEMAS)
    assert write_schemas(tmp_path) == []
    (tmp_path / "places.schema.json").write_text("{}", encoding="utf-8")
    assert stale_schemas(tmp_path) == [tmp_path / "places.schema.json"]
    assert write_schemas(tmp_path) == [tmp_path / "places.schema.json"]
    assert (tmp_path / "places.schema.json").read_text(encoding="utf-8") == render("places")


def test_schema_command_out_and_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "CONTRIBUTING.md").write_text((ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["schema", "--root", str(tmp_path), "--check"]) == 1
    assert "schemas/actors.schema.json: stale" in capsys.readouterr().err
    assert main(["schema", "--root", str(tmp_path)]) == 0
    assert main(["schema", "--root", str(tmp_path), "--check"]) == 0
    assert main(["schema", "--root", str(tmp_path), "--out", str(tmp_path / "ailleurs")]) == 0
    assert (tmp_path / "ailleurs" / "themes.schema.json").read_text(encoding="utf-8") == render("themes")


def test_vscode_maps_each_content_folder_to_its_schema() -> None:
    settings = json.loads((ROOT / ".vscode/settings.json").read_text(encoding="utf-8"))["yaml.schemas"]
    assert settings == {f"./schemas/{kind}.schema.json": [f"content/{kind}/*.yaml", f"content/{kind}/*.yml"]
                        for kind in SCHEMAS}
    assert all((ROOT / path).is_file() for path in settings)
    recommended = json.loads((ROOT / ".vscode/extensions.json").read_text(encoding="utf-8"))["recommendations"]
    assert "redhat.vscode-yaml" in recommended


def test_scaffolds_point_at_their_schema_by_a_path_that_exists() -> None:
    for kind in ENTRY_KINDS:
        header = scaffold(kind, "X", dt.date(2026, 1, 1)).splitlines()[1]
        target = header.split("$schema=")[1]
        assert (ROOT / "content" / kind / target).resolve() == (ROOT / "schemas" / f"{kind}.schema.json")
