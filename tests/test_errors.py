"""Every kind of bad input yields its own message, with file, line and field; all at once."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from atlas.pipeline import Options, check
from atlas.model.problems import AtlasError, closest

BASE = {
    "content/places/maison-de-l-ess-val.md": "---\ntitle: Maison de l'ESS\ntype: maison-ess\n---\n",
    "content/territories/val.md": "---\ntitle: Val\ntype: commune\n---\n",
    "content/themes/epargne-solidaire.md": "---\ntitle: Épargne solidaire\n---\n",
}

CASES = {
    "yaml-syntax": ({"content/actors/la-caisse.md": "---\ntitle: La Caisse\nthemes: [a, b\ntype: scop\n---\n"},
                    "content/actors/la-caisse.md:4: YAML syntax: while parsing a flow sequence"),
    "missing-title": ({"content/actors/la-caisse.md": "---\nsummary: Banque\n---\n"},
                      "content/actors/la-caisse.md:1: title: missing required field 'title' "
                      "(add 'title: ...' to the front matter)"),
    "unknown-reference": ({"content/actors/la-caisse.md": "---\ntitle: La Caisse\nplaces: [mess]\n---\n"},
                          "content/actors/la-caisse.md:3: places: unknown lieu 'mess' "
                          "(did you mean 'maison-de-l-ess-val'?)"),
    "unknown-reference-block-list": (
        {"content/actors/la-caisse.md": "---\ntitle: La Caisse\nplaces:\n  - maison-de-l-ess-val\n  - mess\n---\n"},
        "content/actors/la-caisse.md:5: places: unknown lieu 'mess' (did you mean 'maison-de-l-ess-val'?)"),
    "wrong-kind": ({"content/actors/la-caisse.md": "---\ntitle: La Caisse\nplaces: [val]\n---\n"},
                   "content/actors/la-caisse.md:3: places: 'val' is a territoire (territories), not a lieu"),
    "wrong-type": ({"content/actors/la-caisse.md": "---\ntitle: La Caisse\nthemes: epargne-solidaire\n---\n"},
                   "content/actors/la-caisse.md:3: themes: expected a list, got text 'epargne-solidaire' "
                   "(write [epargne-solidaire])"),
    "invalid-date": ({"content/actors/la-caisse.md": "---\ntitle: La Caisse\nupdated: 2024-02-30\n---\n"},
                     "content/actors/la-caisse.md:3: updated: '2024-02-30' is not a valid date "
                     "(write YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2024-01-31 or 2024-01)"),
    "invalid-url": ({"content/actors/la-caisse.md": "---\ntitle: La Caisse\nwebsite: javascript:alert(1)\n---\n"},
                    "content/actors/la-caisse.md:3: website: 'javascript:alert(1)' is not an http, https or "
                    "mailto URL"),
    "source-url": ({"content/actors/la-caisse.md": "---\ntitle: La Caisse\nsources:\n  - title: x\n"
                                                "    url: ftp://example.org/\n---\n"},
                   "content/actors/la-caisse.md:5: sources.0.url: 'ftp://example.org/' is not an http"),
    "latitude": ({"content/places/p.md": "---\ntitle: P\ngeo:\n  lat: 95.2\n  lon: 3.0\n---\n"},
                 "content/places/p.md:4: geo.lat: lat 95.2 is out of range (-90 to 90)"),
    "unknown-type": ({"content/actors/la-caisse.md": "---\ntitle: La Caisse\ntype: scopp\n---\n"},
                     "content/actors/la-caisse.md:3: type: unknown type 'scopp' (did you mean 'scop'?)"),
    "duplicate-slug": ({"content/actors/la-caisse.md": "---\ntitle: La Caisse\n---\n",
                        "content/actors/la-caisse.yaml": "title: La Caisse bis\n"},
                       "content/actors/la-caisse.yaml:1: duplicate slug 'la-caisse', also content/actors/la-caisse.md"),
    "duplicate-key": ({"content/actors/la-caisse.md": "---\ntitle: La Caisse\ntype: scop\ntitle: Caisse\n---\n"},
                      "content/actors/la-caisse.md:4: title: duplicate key 'title' (first at line 2)"),
    "cycle": ({"content/actors/a.md": "---\ntitle: A\nparent: b\n---\n",
               "content/actors/b.md": "---\ntitle: B\nparent: c\n---\n",
               "content/actors/c.md": "---\ntitle: C\nparent: a\n---\n"},
              "content/actors/a.md:3: parent: cycle in parent: a -> b -> c -> a"),
    "not-utf8": ({"content/actors/la-caisse.md": None},
                 "content/actors/la-caisse.md:2: not valid UTF-8 (byte 0xe9 at offset 14) (save the file as UTF-8)"),
    "cross-link": ({"content/actors/la-caisse.md": "---\ntitle: La Caisse\n---\n\nHébergée à la [Maison](lieu:mess).\n"},
                   "content/actors/la-caisse.md:5: body: link to lieu:mess: unknown lieu 'mess' "
                   "(did you mean 'maison-de-l-ess-val'?)"),
    "number": ({"content/places/p.md": "---\ntitle: P\narea_m2: 1 300 m²\n---\n"},
               "content/places/p.md:3: area_m2: expected a whole number, got text '1 300 m²'"),
}

# The directory fields (FIELDS.md): each row writes the entries it needs, beside BASE.
A = "content/actors/a.md"
DIRECTORY_CASES = {
    "date-french-day": ({"content/programmes/p.md": "---\ntitle: P\nstart: 15/01/2018\n---\n"},
                        "content/programmes/p.md:3: start: '15/01/2018' is not a valid date "
                        "(write 2018-01-15, year first)"),
    "date-month-name": ({A: "---\ntitle: A\nfounded: janvier 2018\n---\n"},
                        f"{A}:3: founded: 'janvier 2018' is not a valid date (write 2018-01)"),
    "end-before-start": ({"content/programmes/p.md": "---\ntitle: P\nstart: 2019\nend: 2018-06\n---\n"},
                         "content/programmes/p.md:4: end: 2018-06 is before the start, 2019 "
                         "(swap them, or correct the year)"),
    "deadline-before-start": ({"content/programmes/p.md": "---\ntitle: P\nstart: 2025-09\ndeadline: 2025-08-31\n---\n"},
                              "content/programmes/p.md:4: deadline: 2025-08-31 is before the start, 2025-09"),
    "postcode": ({A: "---\ntitle: A\npostcode: \"6410\"\n---\n"},
                 f"{A}:3: postcode: '6410' is not a French postcode (five digits, e.g. 64100)"),
    "siret-check-digit": ({A: "---\ntitle: A\nsiret: 123 456 782 00011\n---\n"},
                          f"{A}:3: siret: '12345678200011' is not a valid SIRET: its check digit is wrong "
                          "(copy it again from annuaire-entreprises.data.gouv.fr)"),
    "siret-length": ({A: "---\ntitle: A\nsiret: 123456782\n---\n"},
                     f"{A}:3: siret: '123456782' has 9 digits, a SIRET has 14 (9 for a SIREN (write it as siren:)"),
    "siren-check-digit": ({A: "---\ntitle: A\nsiren: 123 456 789\n---\n"},
                          f"{A}:3: siren: '123456789' is not a valid SIREN: its check digit is wrong"),
    "siret-of-another-siren": ({A: "---\ntitle: A\nsiret: 12345678200010\nsiren: 987654324\n---\n"},
                               f"{A}:3: siret: SIRET 12345678200010 does not belong to SIREN 987654324"),
    "same-siret-twice": ({A: "---\ntitle: A\nsiret: 123 456 782 00010\n---\n",
                          "content/places/b.md": "---\ntitle: B\nsiret: \"12345678200010\"\n---\n"},
                         f"{A}:3: siret: SIRET 12345678200010 is also on content/places/b.md "
                         "(one organisation, one entry: merge them, or correct the number)"),
    "rna": ({A: "---\ntitle: A\nrna: 641000001\n---\n"},
            f"{A}:3: rna: '641000001' is not an RNA number (W then 9 digits, e.g. W641000001"),
    "email": ({A: "---\ntitle: A\nemail: contact.exemple.org\n---\n"},
              f"{A}:3: email: 'contact.exemple.org' is not an e-mail address (write it with @"),
    "email-mailto": ({A: "---\ntitle: A\nemail: mailto:contact@exemple.org\n---\n"},
                     f"{A}:3: email: 'mailto:contact@exemple.org' starts with mailto: "
                     "(write the address alone: contact@exemple.org)"),
    "phone": ({A: "---\ntitle: A\nphone: 05 59 12 34\n---\n"},
              f"{A}:3: phone: '05 59 12 34' is not a valid phone number (a French number has 10 digits"),
    "social-not-a-url": ({A: "---\ntitle: A\nsocial:\n  - https://www.facebook.com/a\n  - instagram.com/a\n---\n"},
                         f"{A}:5: social.1: 'instagram.com/a' is not an http or https URL"),
    "social-twice": ({A: "---\ntitle: A\nsocial: [https://x.com/a, https://x.com/a]\n---\n"},
                     f"{A}:3: social.1: 'https://x.com/a' is listed twice (remove the duplicate)"),
    "opening-hours-time": ({A: "---\ntitle: A\nopening_hours: Mo-Fr 9h-12h\n---\n"},
                           f"{A}:3: opening_hours: 'Mo-Fr 9h-12h': expected a time as HH:MM, at '9h-12h' "
                           "(write 09:00-12:00)"),
    "opening-hours-french-days": ({A: "---\ntitle: A\nopening_hours: Lu-Ve 09:00-12:00\n---\n"},
                                  f"{A}:3: opening_hours: 'Lu-Ve 09:00-12:00': unknown day 'Lu', at 'Lu-Ve' "
                                  "(write Mo-Fr: OpenStreetMap days are in English)"),
    "accessibility-url": ({A: "---\ntitle: A\naccessibility_url: acceslibre.beta.gouv.fr/x\n---\n"},
                          f"{A}:3: accessibility_url: 'acceslibre.beta.gouv.fr/x' is not an http, https or mailto URL"),
    "image-missing": ({A: "---\ntitle: A\nimage: photo.jpg\nimage_alt: La façade\n---\n"},
                      f"{A}:3: image: image file not found: content/actors/photo.jpg ("),
    "image-without-alt": ({A: "---\ntitle: A\nimage: /assets/a.png\nimage_alt:\n---\n", "assets/a.png": "png"},
                          f"{A}:3: image: an image needs image_alt, the text that replaces it"),
    "image-url": ({A: "---\ntitle: A\nimage: https://exemple.org/a.jpg\nimage_alt: x\n---\n"},
                  f"{A}:3: image: 'https://exemple.org/a.jpg' is a URL: images come from the atlas's own files"),
    "image-outside": ({A: "---\ntitle: A\nimage: ../../secret.jpg\nimage_alt: x\n---\n"},
                      f"{A}:3: image: '../../secret.jpg' is not a file next to the entry or under /assets/"),
    "image-format": ({A: "---\ntitle: A\nimage: affiche.pdf\nimage_alt: x\n---\n"},
                     f"{A}:3: image: 'affiche.pdf' is not a JPEG, PNG, WebP or GIF file"),
    "insee-code": ({"content/territories/t.md": "---\ntitle: T\ncode: 641\n---\n"},
                   "content/territories/t.md:3: code: '641' is not an INSEE code"),
    "insee-code-of-its-level": ({"content/territories/t.md": "---\ntitle: T\ntype: commune\ncode: \"64\"\n---\n"},
                                "content/territories/t.md:4: code: '64' is not the INSEE code of a commune "
                                "(a commune's code looks like 64102 or 2A004)"),
    "origin": ({A: "---\ntitle: A\norigin: {source: annuaire}\n---\n"},
               f"{A}:3: origin: origin needs 'id'"),
    "decimal-comma-flow": ({A: "---\ntitle: A\ngeo: {lat: 43,49, lon: -1,47}\n---\n"},
                           f"{A}:3: geo: a decimal comma: numbers take a point (43.49, not 43,49) "
                           "(write geo: {lat: 43.49, lon: -1.47})"),
    "decimal-comma-block": ({A: "---\ntitle: A\ngeo:\n  lat: 43,49\n  lon: -1.47\n---\n"},
                            f"{A}:4: geo.lat: lat '43,49' has a decimal comma: numbers take a point (write lat: 43.49)"),
    "territory-title": ({A: "---\ntitle: A\nterritory: Val\n---\n"},
                        f"{A}:3: territory: 'Val' is not a slug (did you mean 'val'?"),
    "undeclared-type": ({A: "---\ntitle: A\ntype: siae\n---\n"},
                        f"{A}:3: type: unknown type 'siae' (one of association, "),
    "extra-field-type": ({"atlas.yaml": "fields:\n  actors:\n    agrement_esus: {type: boolean, label: Agrément ESUS}\n",
                          A: "---\ntitle: A\nagrement_esus: depuis 2020\n---\n"},
                         f"{A}:3: agrement_esus: expected true or false, got 'depuis 2020'"),
    "extra-field-required": ({"atlas.yaml": "fields:\n  actors:\n    reseau: {type: reference, to: actors, "
                                            "label: Réseau, required: true}\n",
                              A: "---\ntitle: A\n---\n"},
                             f"{A}:1: reseau: missing required field 'reseau'"),
    "extra-reference": ({"atlas.yaml": "fields:\n  actors:\n    reseau: {type: reference, to: actors, label: Réseau}\n",
                         A: "---\ntitle: A\nreseau: la-caisse\n---\n"},
                        f"{A}:3: reseau: unknown acteur 'la-caisse'"),
}
CASES.update(DIRECTORY_CASES)


def _write(root: Path, files: dict[str, str | None]) -> None:
    for rel, text in {**BASE, **files}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if text is None and rel.endswith(".md"):
            path.write_bytes(b"---\ntitle: caf\xe9\n---\n")
        else:
            path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_error_names_file_line_and_field(tmp_path: Path, name: str) -> None:
    files, expected = CASES[name]
    _write(tmp_path, files)
    result = check(Options(root=tmp_path))
    lines = result.report.lines()
    assert not result.report.ok
    assert any(line.startswith(expected) for line in lines), "\n".join(lines)


def test_all_errors_are_reported_together_and_exit_1(tmp_path: Path) -> None:
    files: dict[str, str | None] = {}
    for name, (case_files, _) in CASES.items():
        if name not in ("duplicate-slug", "cycle") and "atlas.yaml" not in case_files:
            files.update({re.sub(r"/([a-z-]+)\.(md|yaml)$", rf"/\1-{name}.\2", rel): text
                          for rel, text in case_files.items()})
    _write(tmp_path, files)
    proc = subprocess.run([sys.executable, "build.py", "check", "--root", str(tmp_path)],
                          cwd=Path(__file__).parent.parent, capture_output=True, text=True)
    assert proc.returncode == 1
    reported = [line for line in proc.stderr.splitlines() if line.startswith("content/")]
    assert len(reported) >= len(files) - 1, proc.stderr
    assert "errors" in proc.stderr.splitlines()[-1]


def test_unknown_field_is_a_warning_and_an_error_with_strict(tmp_path: Path) -> None:
    _write(tmp_path, {"content/actors/la-caisse.md": "---\ntitle: La Caisse\nwebsit: https://la-caisse.example/\n---\n"})
    loose = check(Options(root=tmp_path))
    assert loose.report.ok
    assert loose.report.lines() == ["content/actors/la-caisse.md:3: warning: websit: unknown field, ignored "
                                    "(an error with --strict) (did you mean 'website'?)"]
    assert not check(Options(root=tmp_path, strict=True)).report.ok


def test_github_annotations(tmp_path: Path) -> None:
    _write(tmp_path, {"content/actors/la-caisse.md": "---\ntitle: La Caisse\ntype: scopp\n---\n"})
    proc = subprocess.run([sys.executable, "build.py", "check", "--format", "github", "--root", str(tmp_path)],
                          cwd=Path(__file__).parent.parent, capture_output=True, text=True)
    assert proc.returncode == 1
    assert ("::error file=content/actors/la-caisse.md,line=3::type: unknown type 'scopp' (did you mean 'scop'?)"
            in proc.stdout.splitlines())


def test_an_invalid_entry_causes_no_cascade_of_unknown_references(tmp_path: Path) -> None:
    _write(tmp_path, {
        "content/actors/la-caisse.md": "---\ntitle: La Caisse\ntype: cooperativ\nplaces: [mess]\n---\n",
        "content/actors/reseau-sol.md": ("---\ntitle: Réseau Sol\npartners: [la-caisse, club-cigales]\n---\n"
                                         "Voir [](acteur:la-caisse).\n"),
        "content/actors/club-cigales.md": None,  # not UTF-8: unreadable
    })
    lines = check(Options(root=tmp_path)).report.lines()
    assert lines == [
        "content/actors/club-cigales.md:2: not valid UTF-8 (byte 0xe9 at offset 14) (save the file as UTF-8)",
        "content/actors/la-caisse.md:3: type: unknown type 'cooperativ' (did you mean 'cooperative'?)",
        "content/actors/la-caisse.md:4: places: unknown lieu 'mess' (did you mean 'maison-de-l-ess-val'?)",
    ]


HINT_POOL = ["metropole-europeenne-du-val", "metropole-de-montclar", "val-moulins", "val", "la-caisse",
             "appel-a-projets-ptce-2031", "urscop-hauts-du-val", "urscop-monts-du-sud",
             "maison-de-l-ess-val", "hauts-du-val"]


@pytest.mark.parametrize(("typed", "hint"), [
    ("mev", "did you mean 'maison-de-l-ess-val' or 'metropole-europeenne-du-val'?"),  # acronyms
    ("hdv", "did you mean 'hauts-du-val'?"),  # acronym with them
    ("ptce", "did you mean 'appel-a-projets-ptce-2031'?"),  # a whole word of the slug
    ("urscop", "did you mean 'urscop-hauts-du-val' or 'urscop-monts-du-sud'?"),
    ("metropole-du-val", "did you mean 'metropole-europeenne-du-val'?"),  # all its words
    ("la-caise", "did you mean 'la-caisse'?"),  # a typo
    ("mess", "did you mean 'maison-de-l-ess-val'?"),  # an abbreviation
    ("zzz", ""),
])
def test_hints_find_what_a_contributor_meant(typed: str, hint: str) -> None:
    assert closest(typed, HINT_POOL) == hint


# atlas.yaml's `types:` and `fields:`: every mistake at its line, all at once, before any entry is read.
SETTINGS_CASES = {
    "unknown-kind": ("types:\n  acteurs:\n    siae: {label: SIAE}\n",
                     "atlas.yaml:2: types.acteurs: unknown kind 'acteurs' (did you mean 'actors'?)"),
    "type-without-label": ("types:\n  actors:\n    siae: {plural: SIAE}\n",
                           "atlas.yaml:3: types.actors.siae: the type 'siae' needs a label (add label: its French name)"),
    "schema-org-type": ("types:\n  territories:\n    agglomeration:\n      label: Agglomération\n"
                        "      schema_org: AdministrativeAera\n",
                        "atlas.yaml:5: types.territories.agglomeration.schema_org: 'AdministrativeAera' is not a "
                        "schema.org type for territories (did you mean 'AdministrativeArea'?)"),
    "field-type": ("fields:\n  actors:\n    esus: {type: bool, label: ESUS}\n",
                   "atlas.yaml:3: fields.actors.esus.type: unknown field type 'bool' (did you mean 'boolean'?)"),
    "field-built-in": ("fields:\n  places:\n    city: {type: text, label: Ville}\n",
                       "atlas.yaml:3: fields.places.city: 'city' is a built-in field of places (choose another name)"),
    "reference-kind": ("fields:\n  actors:\n    reseau: {type: reference, to: acteurs, label: Réseau}\n",
                       "atlas.yaml:3: fields.actors.reseau.to: unknown kind 'acteurs' (did you mean 'actors'?)"),
    "field-key": ("fields:\n  actors:\n    esus:\n      type: boolean\n      label: ESUS\n      shown: false\n",
                  "atlas.yaml:6: fields.actors.esus.shown: unknown key 'shown' (did you mean 'show'?)"),
}


@pytest.mark.parametrize("name", sorted(SETTINGS_CASES))
def test_each_settings_error_names_atlas_yaml_its_line_and_setting(tmp_path: Path, name: str) -> None:
    text, expected = SETTINGS_CASES[name]
    _write(tmp_path, {"atlas.yaml": text})
    with pytest.raises(AtlasError) as caught:
        check(Options(root=tmp_path))
    assert expected in str(caught.value).splitlines()


def test_vocabularies_in_a_file_of_their_own_are_checked_there(tmp_path: Path) -> None:
    _write(tmp_path, {"atlas.yaml": "title: T\ntypes: vocabulaire.yaml\nfields: champs.yaml\n",
                      "vocabulaire.yaml": "actors:\n  siae:\n    label: SIAE\n    schema_org: Corporatoin\n",
                      "champs.yaml": "actors:\n  esus: {type: boolean}\n"})
    with pytest.raises(AtlasError) as caught:
        check(Options(root=tmp_path))
    assert str(caught.value).splitlines() == [
        "champs.yaml:2: actors.esus.label: a field needs a label (add label: its French name in the fact sheet)",
        "vocabulaire.yaml:4: actors.siae.schema_org: 'Corporatoin' is not a schema.org type for actors "
        "(did you mean 'Corporation'?)"]
    (tmp_path / "champs.yaml").unlink()
    with pytest.raises(AtlasError, match=r"atlas.yaml:3: 'champs.yaml' is named here but does not exist"):
        check(Options(root=tmp_path))


def test_a_declared_type_and_field_are_accepted(tmp_path: Path) -> None:
    _write(tmp_path, {"atlas.yaml": "types: {actors: {siae: {label: Structure d'insertion}}}\n"
                                    "fields: {actors: {esus: {type: boolean, label: ESUS}}}\n",
                      "content/actors/a.md": "---\ntitle: A\ntype: siae\nesus: true\n---\n"})
    result = check(Options(root=tmp_path, strict=True))
    assert result.report.lines() == []
    assert result.atlas.get("actors", "a").values["esus"] is True
