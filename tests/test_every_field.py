"""An atlas using every field of the content model (the fixture atlas's COMPLETE entries): each
entry validates against the JSON Schema of its kind, its page shows the fields, and the open data
carries them. The HTML and accessibility checks of the site suite run on the same site
(tests/test_html_valid.py, tests/browser/test_accessibility.py)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from atlas.model.jsonschema import schema_for
from atlas.model.kinds import KINDS
from atlas.model.vocabulary import BUILTIN
from fixture_atlas import COMPLETE

KIND_OF = {rel.split("/")[1]: rel for rel in COMPLETE}


def front_matter(rel: str) -> dict:
    import textwrap

    text = textwrap.dedent(COMPLETE[rel]).lstrip("\n")
    return yaml.safe_load(text.split("---\n")[1])


@pytest.mark.parametrize("kind", sorted(KIND_OF))
def test_the_complete_entry_uses_every_field_of_its_kind(kind: str) -> None:
    fields = {f.name for f in BUILTIN.fields[kind]} - {"draft"}  # a draft is not published
    assert fields - set(front_matter(KIND_OF[kind])) == set()


@pytest.mark.parametrize("kind", sorted(KIND_OF))
def test_the_complete_entry_validates_against_its_kind_s_schema(kind: str) -> None:
    schema = schema_for(kind)
    data = json.loads(json.dumps(front_matter(KIND_OF[kind]), default=str))  # dates as JSON strings
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(data), key=str)
    assert [e.message for e in errors] == []


def page(site: Path, kind: str) -> str:
    slug = KIND_OF[kind].rsplit("/", 1)[1][:-3]
    url = f"{KINDS[kind].segment}/{slug}/" if kind != "pages" else f"{slug}/"
    return (site / url / "index.html").read_text(encoding="utf-8")


def test_the_actor_sheet_shows_the_new_fields(whole_site: Path) -> None:
    html = page(whole_site, "actors").replace("\u00a0", " ").replace("\u202f", " ")  # French spacing
    for shown in ("12 rue des Coopérateurs", "59000", "802 954 784 00012", "W595000123",
                  "mailto:contact@atelier-complet.example.org", 'href="tel:+33320123456"',
                  "https://mastodon.example.org/@atelier", "Entrée de plain-pied",
                  "https://atelier-complet.example.org/accessibilite", "Photo Atelier complet",
                  "L&#39;atelier vu depuis la rue"):
        assert shown in html, shown
    assert "mars 2019" in html  # a partial date, in French
    assert '<table class="hours">' in html and "lundi au vendredi" in html  # opening hours in French
    assert "9 h – 12 h 30" in html


def test_every_kind_s_page_shows_its_image_with_its_text_alternative(whole_site: Path) -> None:
    for kind in ("actors", "places", "programmes", "territories", "themes"):
        html = page(whole_site, kind)
        alt = front_matter(KIND_OF[kind])["image_alt"].replace("'", "&#39;")
        assert f'alt="{alt}"' in html, kind
        assert ".webp" in html and "srcset=" in html, kind


def test_the_open_data_carries_the_new_fields(whole_site: Path) -> None:
    data = json.loads((whole_site / "donnees/atlas.json").read_text(encoding="utf-8"))
    actor = next(a for a in data["acteurs"] if a["id"] == "atelier-complet")
    assert actor["siret"] == "80295478400012" and actor["rna"] == "W595000123"
    assert actor["courriel"] == "contact@atelier-complet.example.org" and actor["date_creation"] == "2019-03"
    assert actor["origine_source"] == "annuaire-regional" and actor["origine_id"] == "A-0042"
    text = (whole_site / "donnees/acteurs.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    row = next(r for r in rows if r["id"] == "atelier-complet")
    assert row["siret"] == "80295478400012" and row["code_postal"] == "59000" and row["telephone"]
    geo = json.loads((whole_site / "donnees/acteurs.geojson").read_text(encoding="utf-8"))
    [feature] = [f for f in geo["features"] if f["properties"]["id"] == "atelier-complet"]
    assert feature["geometry"]["coordinates"] == [3.0571, 50.6311]
