"""Stage 1: reading files, splitting front matter, YAML with the line of every value."""

from atlas.read.source import parse_bytes, slugify, split_front_matter


def parse(text: str | bytes, name: str = "x.md", kind: str = "actors"):
    data = text.encode() if isinstance(text, str) else text
    return parse_bytes(data, kind, name.rsplit(".", 1)[0], f"content/{kind}/{name}")


def test_lines_of_fields_and_list_items() -> None:
    raw = parse("---\ntitle: La NEF\nplaces:\n  - a\n  - b\ngeo: {lat: 1, lon: 2}\n---\nTexte\n")
    assert raw.lines["title"] == 2
    assert raw.lines["places"] == 3
    assert raw.lines["places.0"] == 4 and raw.lines["places.1"] == 5
    assert raw.lines["geo.lat"] == 6
    assert raw.body == "Texte\n" and raw.body_line == 8


def test_yaml_scalars_that_are_not_text_keep_their_written_form() -> None:
    raw = parse("---\ntitle: no\nupdated: 2024-01-31\n---\n")
    assert raw.data["title"] is False and raw.raw["title"] == "no"
    assert raw.data["updated"] == "2024-01-31"  # dates stay text until validation


def test_crlf_and_bom_are_accepted_with_right_lines() -> None:
    raw = parse(b"\xef\xbb\xbf---\r\ntitle: A\r\nsummary: B\r\n---\r\nCorps\r\n")
    assert raw.problems == []
    assert raw.data == {"title": "A", "summary": "B"} and raw.lines["summary"] == 3
    assert raw.body == "Corps\n"


def test_duplicate_key_names_both_lines() -> None:
    raw = parse("---\ntitle: A\nsummary: s\ntitle: B\n---\n")
    [problem] = raw.problems
    assert (problem.line, problem.field) == (4, "title")
    assert "duplicate key 'title' (first at line 2)" in problem.message


def test_yaml_syntax_error_has_its_line() -> None:
    raw = parse("---\ntitle: A\nthemes: [a, b\nsummary: x\n---\n")
    [problem] = raw.problems
    assert problem.message.startswith("YAML syntax:")
    assert problem.line in (4, 5)


def test_unclosed_front_matter_and_missing_front_matter() -> None:
    assert "not closed" in parse("---\ntitle: A\n").problems[0].message
    assert "no front matter" in parse("title: A\n").problems[0].message
    assert "empty file" in parse("").problems[0].message


def test_non_utf8_file_is_named() -> None:
    raw = parse(b"---\ntitle: caf\xe9\n---\n")
    [problem] = raw.problems
    assert problem.path == "content/actors/x.md" and "not valid UTF-8" in problem.message
    assert problem.line == 2


def test_data_only_yaml_entry_takes_its_body_field() -> None:
    raw = parse("title: A\nbody: |\n  Du *texte*.\n", name="x.yaml")
    assert raw.data == {"title": "A"} and raw.body == "Du *texte*.\n" and raw.body_line == 3


def test_invalid_file_name_is_reported_with_a_slug_hint() -> None:
    raw = parse("---\ntitle: A\n---\n", name="L'Écluse.md")
    assert "is not a valid slug" in raw.problems[0].message
    assert "l-ecluse" in raw.problems[0].hint


def test_split_front_matter_body_line() -> None:
    front, offset, body, body_line, problem = split_front_matter("---\na: 1\n---\n\n# T\n")
    assert (front, offset, body, body_line, problem) == ("a: 1\n", 1, "\n# T\n", 4, None)


def test_slugify_french_titles() -> None:
    assert slugify("L'Écluse") == "l-ecluse"
    assert slugify("Maison de l'économie sociale et solidaire") == "maison-de-l-economie-sociale-et-solidaire"
    assert slugify("Œuvre « Solidaire » ") == "oeuvre-solidaire"
