"""`check --format github`: one workflow command per problem, on its file and line, escaped."""

from __future__ import annotations

from pathlib import Path

import pytest

from atlas.cli import main
from atlas.model.problems import ERROR, NOTICE, WARNING, Problem


def _check(root: Path, capsys: pytest.CaptureFixture[str], *flags: str) -> tuple[int, list[str], str]:
    code = main(["check", "--format", "github", "--root", str(root), *flags])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def test_errors_and_warnings_annotate_their_lines(tree, capsys: pytest.CaptureFixture[str]) -> None:
    root = tree({
        "content/actors/la-caisse-commune.md": "---\ntitle: La Caisse commune\nwebsit: https://caisse-commune.example.org/\ntype: scopp\n---\n",
        "content/places/serac.md": "---\ntitle: Sérac\ngeo: {lat: 45.7, lon: 4.8}\nopened: 16\n---\n",
    })
    code, out, err = _check(root, capsys)
    assert code == 1
    assert out == [
        "::warning file=content/actors/la-caisse-commune.md,line=3::websit: unknown field, ignored (an error with --strict) (did you mean 'website'?)",
        "::error file=content/actors/la-caisse-commune.md,line=4::type: unknown type 'scopp' (did you mean 'scop'?)",
        "::error file=content/places/serac.md,line=4::opened: '16' is not a plausible year (write a four-digit year)",
    ]
    assert "2 errors, 1 warning" in err  # the summary goes to stderr, outside the annotations


def test_warnings_alone_pass_and_strict_fails_but_they_stay_warnings(tree, capsys: pytest.CaptureFixture[str]) -> None:
    root = tree({"content/actors/la-caisse-commune.md": "---\ntitle: La Caisse commune\nwebsit: https://caisse-commune.example.org/\n---\n"})
    code, out, _ = _check(root, capsys)
    assert code == 0 and out == ["::warning file=content/actors/la-caisse-commune.md,line=3::websit: unknown field, ignored "
                                 "(an error with --strict) (did you mean 'website'?)"]
    code, strict_out, err = _check(root, capsys, "--strict")
    assert code == 1 and strict_out == out and "1 error, 0 warnings" in err


def test_a_clean_atlas_prints_no_annotation(tree, capsys: pytest.CaptureFixture[str]) -> None:
    root = tree({"content/actors/la-caisse-commune.md": "---\ntitle: La Caisse commune\n---\n"})
    assert _check(root, capsys, "--strict")[:2] == (0, [])


def test_problems_without_a_line_annotate_the_file() -> None:
    assert Problem("content/odd", 0, "", "unknown folder 'odd' ignored", "", WARNING).github() \
        == "::warning file=content/odd::unknown folder 'odd' ignored"


def test_annotation_text_and_properties_are_escaped() -> None:
    """GitHub's rules: %, CR and LF in the message; also ',' and ':' in properties."""
    problem = Problem("content/a,b:c%.md", 2, "body", "50% done\r\nnext line", "hint", ERROR)
    assert problem.github() == "::error file=content/a%2Cb%3Ac%25.md,line=2::body: 50%25 done%0D%0Anext line (hint)"
    assert Problem("content/x.md", 1, "updated", "old", "", NOTICE).github() == \
        "::notice file=content/x.md,line=1::updated: old"
