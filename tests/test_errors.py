"""Every kind of bad input yields its own message, with file, line and field; all at once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from atlas.pipeline import Options, check
from atlas.model.problems import closest

BASE = {
    "content/places/maison-de-l-ess-lille.md": "---\ntitle: Maison de l'ESS\ntype: maison-ess\n---\n",
    "content/territories/lille.md": "---\ntitle: Lille\ntype: commune\n---\n",
    "content/themes/finance-solidaire.md": "---\ntitle: Finance solidaire\n---\n",
}

CASES = {
    "yaml-syntax": ({"content/actors/la-nef.md": "---\ntitle: La NEF\nthemes: [a, b\ntype: scop\n---\n"},
                    "content/actors/la-nef.md:4: YAML syntax: while parsing a flow sequence"),
    "missing-title": ({"content/actors/la-nef.md": "---\nsummary: Banque\n---\n"},
                      "content/actors/la-nef.md:1: title: missing required field 'title' "
                      "(add 'title: ...' to the front matter)"),
    "unknown-reference": ({"content/actors/la-nef.md": "---\ntitle: La NEF\nplaces: [mess]\n---\n"},
                          "content/actors/la-nef.md:3: places: unknown lieu 'mess' "
                          "(did you mean 'maison-de-l-ess-lille'?)"),
    "unknown-reference-block-list": (
        {"content/actors/la-nef.md": "---\ntitle: La NEF\nplaces:\n  - maison-de-l-ess-lille\n  - mess\n---\n"},
        "content/actors/la-nef.md:5: places: unknown lieu 'mess' (did you mean 'maison-de-l-ess-lille'?)"),
    "wrong-kind": ({"content/actors/la-nef.md": "---\ntitle: La NEF\nplaces: [lille]\n---\n"},
                   "content/actors/la-nef.md:3: places: 'lille' is a territoire (territories), not a lieu"),
    "wrong-type": ({"content/actors/la-nef.md": "---\ntitle: La NEF\nthemes: finance-solidaire\n---\n"},
                   "content/actors/la-nef.md:3: themes: expected a list, got text 'finance-solidaire' "
                   "(write [finance-solidaire])"),
    "invalid-date": ({"content/actors/la-nef.md": "---\ntitle: La NEF\nupdated: 2024-02-30\n---\n"},
                     "content/actors/la-nef.md:3: updated: '2024-02-30' is not a valid date "
                     "(write it as YYYY-MM-DD, e.g. 2024-01-31)"),
    "invalid-url": ({"content/actors/la-nef.md": "---\ntitle: La NEF\nwebsite: javascript:alert(1)\n---\n"},
                    "content/actors/la-nef.md:3: website: 'javascript:alert(1)' is not an http, https or "
                    "mailto URL"),
    "source-url": ({"content/actors/la-nef.md": "---\ntitle: La NEF\nsources:\n  - title: x\n"
                                                "    url: ftp://example.org/\n---\n"},
                   "content/actors/la-nef.md:5: sources.0.url: 'ftp://example.org/' is not an http"),
    "latitude": ({"content/places/p.md": "---\ntitle: P\ngeo:\n  lat: 95.2\n  lon: 3.0\n---\n"},
                 "content/places/p.md:4: geo.lat: lat 95.2 is out of range (-90 to 90)"),
    "unknown-type": ({"content/actors/la-nef.md": "---\ntitle: La NEF\ntype: scopp\n---\n"},
                     "content/actors/la-nef.md:3: type: unknown type 'scopp' (did you mean 'scop'?)"),
    "duplicate-slug": ({"content/actors/la-nef.md": "---\ntitle: La NEF\n---\n",
                        "content/actors/la-nef.yaml": "title: La NEF bis\n"},
                       "content/actors/la-nef.yaml:1: duplicate slug 'la-nef', also content/actors/la-nef.md"),
    "duplicate-key": ({"content/actors/la-nef.md": "---\ntitle: La NEF\ntype: scop\ntitle: NEF\n---\n"},
                      "content/actors/la-nef.md:4: title: duplicate key 'title' (first at line 2)"),
    "cycle": ({"content/actors/a.md": "---\ntitle: A\nparent: b\n---\n",
               "content/actors/b.md": "---\ntitle: B\nparent: c\n---\n",
               "content/actors/c.md": "---\ntitle: C\nparent: a\n---\n"},
              "content/actors/a.md:3: parent: cycle in parent: a -> b -> c -> a"),
    "not-utf8": ({"content/actors/la-nef.md": None},
                 "content/actors/la-nef.md:2: not valid UTF-8 (byte 0xe9 at offset 14) (save the file as UTF-8)"),
    "cross-link": ({"content/actors/la-nef.md": "---\ntitle: La NEF\n---\n\nHébergée à la [Maison](lieu:mess).\n"},
                   "content/actors/la-nef.md:5: body: link to lieu:mess: unknown lieu 'mess' "
                   "(did you mean 'maison-de-l-ess-lille'?)"),
    "number": ({"content/places/p.md": "---\ntitle: P\narea_m2: 1 300 m²\n---\n"},
               "content/places/p.md:3: area_m2: expected a whole number, got text '1 300 m²'"),
}


def _write(root: Path, files: dict[str, str | None]) -> None:
    for rel, text in {**BASE, **files}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if text is None:
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
        if name not in ("duplicate-slug", "cycle"):
            files.update({rel.replace("la-nef", f"la-nef-{name}"): text for rel, text in case_files.items()})
    _write(tmp_path, files)
    proc = subprocess.run([sys.executable, "build.py", "check", "--root", str(tmp_path)],
                          cwd=Path(__file__).parent.parent, capture_output=True, text=True)
    assert proc.returncode == 1
    reported = [line for line in proc.stderr.splitlines() if line.startswith("content/")]
    assert len(reported) >= len(files) - 1, proc.stderr
    assert "errors" in proc.stderr.splitlines()[-1]


def test_unknown_field_is_a_warning_and_an_error_with_strict(tmp_path: Path) -> None:
    _write(tmp_path, {"content/actors/la-nef.md": "---\ntitle: La NEF\nwebsit: https://www.lanef.com/\n---\n"})
    loose = check(Options(root=tmp_path))
    assert loose.report.ok
    assert loose.report.lines() == ["content/actors/la-nef.md:3: warning: websit: unknown field "
                                    "(did you mean 'website'?)"]
    assert not check(Options(root=tmp_path, strict=True)).report.ok


def test_github_annotations(tmp_path: Path) -> None:
    _write(tmp_path, {"content/actors/la-nef.md": "---\ntitle: La NEF\ntype: scopp\n---\n"})
    proc = subprocess.run([sys.executable, "build.py", "check", "--format", "github", "--root", str(tmp_path)],
                          cwd=Path(__file__).parent.parent, capture_output=True, text=True)
    assert proc.returncode == 1
    assert ("::error file=content/actors/la-nef.md,line=3::type: unknown type 'scopp' (did you mean 'scop'?)"
            in proc.stdout.splitlines())


def test_an_invalid_entry_causes_no_cascade_of_unknown_references(tmp_path: Path) -> None:
    _write(tmp_path, {
        "content/actors/la-nef.md": "---\ntitle: La NEF\ntype: cooperativ\nplaces: [mess]\n---\n",
        "content/actors/apes.md": "---\ntitle: APES\npartners: [la-nef, grdr]\n---\nVoir [](acteur:la-nef).\n",
        "content/actors/grdr.md": None,  # not UTF-8: unreadable
    })
    lines = check(Options(root=tmp_path)).report.lines()
    assert lines == [
        "content/actors/grdr.md:2: not valid UTF-8 (byte 0xe9 at offset 14) (save the file as UTF-8)",
        "content/actors/la-nef.md:3: type: unknown type 'cooperativ' (did you mean 'cooperative'?)",
        "content/actors/la-nef.md:4: places: unknown lieu 'mess' (did you mean 'maison-de-l-ess-lille'?)",
    ]


HINT_POOL = ["metropole-europeenne-de-lille", "metropole-de-lyon", "lille-moulins", "lille", "la-nef",
             "appel-a-projets-ptce-2013", "urscop-hauts-de-france", "urscop-auvergne-rhone-alpes",
             "maison-de-l-ess-lille", "hauts-de-france"]


@pytest.mark.parametrize(("typed", "hint"), [
    ("mel", "did you mean 'maison-de-l-ess-lille' or 'metropole-europeenne-de-lille'?"),  # acronyms
    ("hdf", "did you mean 'hauts-de-france'?"),  # acronym with them
    ("ptce", "did you mean 'appel-a-projets-ptce-2013'?"),  # a whole word of the slug
    ("urscop", "did you mean 'urscop-hauts-de-france' or 'urscop-auvergne-rhone-alpes'?"),
    ("metropole-de-lille", "did you mean 'metropole-europeenne-de-lille'?"),  # all its words
    ("la-neff", "did you mean 'la-nef'?"),  # a typo
    ("mess", "did you mean 'maison-de-l-ess-lille'?"),  # an abbreviation
    ("zzz", ""),
])
def test_hints_find_what_a_contributor_meant(typed: str, hint: str) -> None:
    assert closest(typed, HINT_POOL) == hint
