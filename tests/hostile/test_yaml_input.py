"""Broken and malicious YAML and files: a precise error with file and line, in bounded time and
memory, and never code execution; harmless encodings (BOM, CRLF) are accepted."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from atlas.pipeline import Options, check
from atlas.read.source import parse_bytes
from conftest import build_tree, write_tree
from hostile_kit import run_cli, write_bytes

A = "content/actors/a.md"
TAG_HINT = "(tags like !!python/object are refused: write plain values)"


def problems(root: Path) -> list[str]:
    return check(Options(root=root)).report.lines()


def atlas_with(tmp_path: Path, rel: str, data: bytes) -> Path:
    root = write_tree(tmp_path / "atlas", {})
    write_bytes(root, rel, data)
    return root


@pytest.mark.parametrize(("value", "shown"), [
    ("!!python/object:os.system x", "!!python/object:os.system"),
    ("!!python/object/apply:os.system ['id']", "!!python/object/apply:os.system"),
    ("!!python/object/new:subprocess.Popen [['id']]", "!!python/object/new:subprocess.Popen"),
    ("!!python/name:os.system ''", "!!python/name:os.system"),
    ("!!python/tuple [a, b]", "!!python/tuple"),
    ("!!binary aGVsbG8=", "!!binary"),
    ("!!set {a, b}", "!!set"),
    ("!!omap [a: 1]", "!!omap"),
    ("!!pairs [a: 1]", "!!pairs"),
    ("!local value", "!local"),
    ("!<tag:example.org,2024:thing> value", "tag:example.org,2024:thing"),
])
def test_tags_are_refused(tmp_path: Path, value: str, shown: str) -> None:
    root = atlas_with(tmp_path, A, f"---\ntitle: {value}\n---\n".encode())
    assert problems(root) == [f"{A}:2: title: YAML tag '{shown}' is not allowed {TAG_HINT}"]


def test_a_tag_deep_in_a_value_is_refused_at_its_line(tmp_path: Path) -> None:
    root = atlas_with(tmp_path, A, b"---\ntitle: A\nsources:\n  - title: S\n    date: !!python/object:datetime.date x\n"
                                   b"---\n")
    assert problems(root) == [f"{A}:5: sources.0.date: YAML tag '!!python/object:datetime.date' is not allowed "
                              f"{TAG_HINT}"]


def test_python_tags_run_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    root = atlas_with(tmp_path, A, f"---\ntitle: !!python/object/apply:os.system ['touch {marker}']\n---\n".encode())
    assert len(problems(root)) == 1 and build_tree(root).report.errors
    assert not marker.exists()


def test_merge_keys_are_refused(tmp_path: Path) -> None:
    root = atlas_with(tmp_path, A, b"---\n<<: {title: A, type: scop}\n---\n")
    assert problems(root) == [f"{A}:2: merge keys (<<) are not allowed (write the fields out)"]


def _billion_laughs() -> str:
    lines = ["---", 'lol0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        lines.append(f"lol{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines + ["title: Boom", "---", ""])


@pytest.mark.parametrize("rel", [A, "content/actors/a.yaml"])
def test_billion_laughs_is_refused_fast_and_small(tmp_path: Path, rel: str) -> None:
    text = _billion_laughs()  # 9^10 strings once expanded
    if rel.endswith(".yaml"):
        text = text.strip("-\n").replace("\n---", "") + "\n"
    offset = 1 if rel.endswith(".md") else 0
    root = atlas_with(tmp_path, rel, text.encode())
    tracemalloc.start()
    start = time.perf_counter()
    found = problems(root)
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert found == [f"{rel}:{2 + offset}: lol1.0: anchors and aliases (&, *) are not allowed (write the value out)"]
    assert elapsed < 5, f"{elapsed:.1f} s"
    assert peak < 20 * 1024 * 1024, f"{peak / 1e6:.0f} MB"


def test_a_single_alias_is_refused(tmp_path: Path) -> None:
    root = atlas_with(tmp_path, A, b"---\ntitle: &t A\nsummary: *t\n---\n")
    assert problems(root) == [f"{A}:3: summary: anchors and aliases (&, *) are not allowed (write the value out)"]


def test_an_alias_used_as_a_key_is_refused(tmp_path: Path) -> None:
    root = atlas_with(tmp_path, A, b"---\nsummary: &k title\n*k : A\n---\n")
    assert problems(root) == [f"{A}:3: title: anchors and aliases (&, *) are not allowed (write the key out)"]


@pytest.mark.parametrize(("text", "expected"), [
    ("---\ntitle: A\ntype: scop\ntitle: B\n---\n", f"{A}:4: title: duplicate key 'title' (first at line 2)"),
    ("---\ntitle: A\nsources:\n  - title: S\n    url: https://a.org/\n    title: T\n---\n",
     f"{A}:6: sources.0.title: duplicate key 'title' (first at line 4)"),
    ("---\ntitle: A\nfounded: 2001\nfounded: 2002\n---\n", f"{A}:4: founded: duplicate key 'founded' (first at line 3)"),
])
def test_duplicate_keys_name_both_lines(tmp_path: Path, text: str, expected: str) -> None:
    root = atlas_with(tmp_path, A, text.encode())
    assert problems(root) == [expected + " (keep only one)"]


@pytest.mark.parametrize(("text", "line"), [
    ("---\ntitle: A\nsources:\n\t- title: S\n---\n", 4),
    ("---\ntitle: A\ngeo:\n  lat: 50.6\n\tlon: 3.0\n---\n", 5),
    ("---\ntitle: A\nthemes:\n  - energie\n\t- habitat\n---\n", 5),
])
def test_tab_indentation_is_an_error_with_its_line_and_hint(tmp_path: Path, text: str, line: int) -> None:
    root = atlas_with(tmp_path, A, text.encode())
    [message] = problems(root)
    assert message.startswith(f"{A}:{line}: YAML syntax: ")
    assert message.endswith("(indent with spaces, not tabs)")


@pytest.mark.parametrize(("text", "expected"), [
    ("---\ntitle: A\ntype: scop\n\nLe texte, sans fin de bloc.\n",
     f"{A}:1: front matter is not closed (add a line '---' after the last field)"),
    ("", f"{A}:1: empty file (an entry needs at least a title)"),
    ("\n \n\t\n", f"{A}:1: empty file (an entry needs at least a title)"),
    ("title: A\n", f"{A}:1: no front matter: the file must start with a '---' line "
                   "(add '---', the fields, then '---' before the text)"),
    ("---\n- a\n- b\n---\n", f"{A}:2: front matter must be a mapping of fields ('title: ...')"),
    ("---\ntitle: A\x00\n---\n", f"{A}: file contains NUL bytes (is it a binary file?)"),
])
def test_malformed_files(tmp_path: Path, text: str, expected: str) -> None:
    root = atlas_with(tmp_path, A, text.encode())
    assert problems(root) == [expected]


def test_empty_data_file_lacks_its_title(tmp_path: Path) -> None:
    root = atlas_with(tmp_path, "content/actors/a.yaml", b"")
    assert problems(root) == ["content/actors/a.yaml:1: title: missing required field 'title' "
                              "(add 'title: ...' to the front matter)"]


def test_bom_is_accepted_and_lines_stay_right(tmp_path: Path) -> None:
    root = atlas_with(tmp_path, A, "\ufeff---\ntitle: Économie\ntype: scop\n---\nTexte.\n".encode())
    write_bytes(root, "content/actors/b.md", "\ufeff---\ntitle: B\nfounded: vers 1990\n---\n".encode())
    assert problems(root) == ["content/actors/b.md:3: founded: 'vers 1990' is not a valid date "
                              "(write YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2024-01-31 or 2024-01)"]
    (root / "content/actors/b.md").unlink()
    result = build_tree(root)
    assert result.report.ok and result.atlas.get("actors", "a").title == "Économie"
    assert "<h1>Économie</h1>" in (root / "site/acteurs/a/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_and_cr_are_accepted_and_lines_stay_right(tmp_path: Path, newline: str) -> None:
    good = "---\ntitle: La NEF\ntype: cooperative\n---\n\nUne banque.\n\nVoir [C](acteur:c).\n"
    bad_link = "---\ntitle: B\ntype: cooperative\n---\n\nTexte.\n\nVoir [X](acteur:inconnu).\n"
    bad_field = "---\ntitle: B\ntype: cooperative\nstaff: beaucoup\n---\n"
    root = atlas_with(tmp_path, "content/actors/a.md", good.replace("\n", newline).encode())
    write_bytes(root, "content/actors/c.md", b"---\ntitle: C\n---\n")
    write_bytes(root, "content/actors/b.md", bad_link.replace("\n", newline).encode())
    assert problems(root) == ["content/actors/b.md:8: body: link to acteur:inconnu: unknown acteur 'inconnu' "
                              "(no file content/actors/inconnu.md)"]
    write_bytes(root, "content/actors/b.md", bad_field.replace("\n", newline).encode())
    assert problems(root) == ["content/actors/b.md:4: staff: expected a whole number, got text 'beaucoup' "
                              "(write digits only, without spaces or units)"]
    (root / "content/actors/b.md").unlink()
    result = build_tree(root)
    assert result.report.ok and result.atlas.get("actors", "a").title == "La NEF"
    html = (root / "site/acteurs/a/index.html").read_text(encoding="utf-8")
    assert "\r" not in html and "<p>Une banque.</p>" in html and 'href="/acteurs/c/"' in html


@pytest.mark.parametrize(("data", "expected"), [
    ("---\ntitle: Économie\n---\n".encode("latin-1"),
     f"{A}:2: not valid UTF-8 (byte 0xc9 at offset 11) (save the file as UTF-8)"),
    ("---\ntitle: A\n---\nLigne.\nDeuxième ligne.\n".encode("cp1252"),
     f"{A}:5: not valid UTF-8 (byte 0xe8 at offset 29) (save the file as UTF-8)"),
    ("---\ntitle: A\n---\n".encode("utf-16"), f"{A}:1: not valid UTF-8 (byte 0xff at offset 0) (save the file as UTF-8)"),
])
def test_non_utf8_is_an_error_naming_the_file(tmp_path: Path, data: bytes, expected: str) -> None:
    root = atlas_with(tmp_path, A, data)
    assert problems(root) == [expected]


def test_20_mb_body_is_refused_quickly(tmp_path: Path) -> None:
    root = atlas_with(tmp_path, A, b"---\ntitle: A\n---\n" + b"[" * (20 * 1024 * 1024))
    start = time.perf_counter()
    found = problems(root)
    elapsed = time.perf_counter() - start
    assert found == [f"{A}: file is 20480 KiB, over the 2048 KiB limit (split the text or remove embedded data)"]
    assert elapsed < 5, f"{elapsed:.1f} s"


def test_a_huge_sparse_file_is_refused_without_being_read(tmp_path: Path) -> None:
    root = atlas_with(tmp_path, A, b"---\ntitle: A\n---\n")
    with open(root / A, "r+b") as fh:
        fh.truncate(20 * 1024 ** 3)  # 20 GiB, nearly no disk: reading it whole would fill the memory
    tracemalloc.start()
    found = problems(root)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert found == [f"{A}: file is 20971520 KiB, over the 2048 KiB limit (split the text or remove embedded data)"]
    assert peak < 50 * 1024 * 1024, f"{peak / 1e6:.0f} MB"


DEEP = "values nested more than 20 levels deep (flatten the value)"


@pytest.mark.parametrize(("value", "expected"), [
    ("[" * 10_000 + "]" * 10_000, f"{A}:3: {DEEP}"),
    ("{a: " * 10_000 + "1" + "}" * 10_000, f"{A}:3: {DEEP}"),
    ("\n" + "".join("  " * i + "-\n" for i in range(30)), f"{A}:24: x" + ".0" * 20 + f": {DEEP}"),
    ("\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(30)),
     f"{A}:24: x." + ".".join(f"k{i}" for i in range(20)) + f": {DEEP}"),
])
def test_deep_nesting_is_a_clean_error(tmp_path: Path, value: str, expected: str) -> None:
    root = atlas_with(tmp_path, A, f"---\ntitle: A\nx: {value}\n---\n".encode())
    assert problems(root) == [expected]


def test_nesting_that_would_crash_libyaml_is_an_error_not_a_segfault(tmp_path: Path) -> None:
    # libyaml's composer recursed until a segmentation fault near 100,000 levels: run it apart.
    root = atlas_with(tmp_path, A, ("---\ntitle: A\nx: " + "[" * 500_000 + "]" * 500_000 + "\n---\n").encode())
    done = run_cli("check", "--root", str(root), cwd=root)
    assert done.returncode == 1, done.stderr[-500:]
    assert f"{A}:3: values nested more than 20 levels deep (flatten the value)" in done.stderr


def test_parse_bytes_is_linear_in_a_long_list(tmp_path: Path) -> None:
    refs = ", ".join(f"acteur-{i}" for i in range(40_000))
    root = atlas_with(tmp_path, A, f"---\ntitle: A\npartners: [{refs}, acteur-7]\n---\n".encode())
    start = time.perf_counter()
    found = problems(root)
    elapsed = time.perf_counter() - start
    assert found[0] == f"{A}:3: partners.40000: 'acteur-7' is listed twice (remove the duplicate)"
    assert elapsed < 5, f"{elapsed:.1f} s"


def test_parse_bytes_reports_instead_of_raising() -> None:
    raw = parse_bytes(b"---\ntitle: [\n---\n", "actors", "a", A)
    assert [p.format() for p in raw.problems] == [
        f"{A}:3: YAML syntax: while parsing a flow node did not find expected node content"]
