"""The sample atlas's files, as the reader reads them and as editors read them, are valid for
the published JSON Schemas (the engine's version of these checks runs on the fixture atlas:
tests/test_schemas.py, tests/test_exports.py)."""

from __future__ import annotations

import jsonschema
import pytest

from atlas.model.jsonschema import schema_for
from atlas.read.source import discover
from conftest import ROOT, schema_failures
from helpers import KINDS, as_editors_read

from .conftest import SAMPLE

Validator = jsonschema.Draft202012Validator


def _validator(kind: str) -> jsonschema.Draft202012Validator:
    return Validator(schema_for(kind), format_checker=Validator.FORMAT_CHECKER)


def test_the_whole_sample_atlas_validates() -> None:
    files, _ = discover(ROOT)
    assert len(files) > 50, "the sample atlas is missing"
    assert schema_failures(ROOT) == []


@pytest.mark.parametrize("kind", KINDS)
def test_the_json_schema_accepts_every_sample_entry_as_editors_read_it(kind: str) -> None:
    validator = _validator(kind)
    assert SAMPLE.front_matters(kind)
    for slug, data in SAMPLE.front_matters(kind).items():
        errors = [f"{'.'.join(map(str, e.absolute_path))}: {e.message}"
                  for e in validator.iter_errors(as_editors_read(data))]
        assert errors == [], slug
