"""Properties on any input: the front-matter splitter, slugify and the reference resolver never raise
(problems are collected, not thrown), count lines consistently, make valid slugs, and resolve a
reference to its entry or report it with a hint. Derandomised: the same examples on every run."""

from __future__ import annotations

import re
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atlas.link.graph import link
from atlas.model.kinds import SLUG_PATTERN, Entry
from atlas.model.problems import ERROR, Problem
from atlas.read.source import RawEntry, parse_bytes, slugify, split_front_matter
from atlas.read.validate import validate

PROPERTY = settings(max_examples=250, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow])
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
CLOSING = re.compile(r"---[ \t]*")

# Text as hostile as it gets: any code point but surrogates, with control and line-breaking
# characters, YAML and Markdown punctuation and dashes over-represented.
NASTY = st.characters(exclude_categories=("Cs",))
PUNCTUATION = st.sampled_from(list("-\n\r\t :[]{}#&*!|>'\",%@`~?\x00\x0b\x0c\x1c\x85\u2028\u2029\ufeff\u00a0"))
ANY_TEXT = st.text(st.one_of(NASTY, PUNCTUATION), max_size=120)
LINES = st.lists(st.one_of(ANY_TEXT, st.sampled_from(["---", "--- ", "---\t", " ---", "----", "...", ""])),
                 max_size=8)
FRONT_MATTER_LIKE = st.builds(lambda first, lines: "\n".join([first, *lines]),
                              st.sampled_from(["---", "--- ", "---\t\t", "---\r", "--", " ---", ""]), LINES)
LONG_TEXT = st.builds(lambda part, n: part * n, st.text(st.one_of(NASTY, PUNCTUATION), min_size=1, max_size=20),
                      st.integers(1000, 5000))
# Built from parts rather than st.from_regex(SLUG_PATTERN), which is ten times slower to draw.
VALID_SLUG = st.lists(st.text(string.ascii_lowercase + string.digits, min_size=1, max_size=8), min_size=1,
                      max_size=4).map("-".join)


# --- the front-matter splitter ------------------------------------------------------------------


@PROPERTY
@given(st.one_of(ANY_TEXT, FRONT_MATTER_LIKE, LONG_TEXT))
def test_the_splitter_never_raises_and_its_body_line_is_where_the_body_starts(text: str) -> None:
    """On any text, the splitter returns a problem or a split whose body line is 1 + the newlines before it."""
    front, offset, body, body_line, problem = split_front_matter(text, "content/actors/x.md")
    if problem is not None:
        assert isinstance(problem, Problem) and problem.path == "content/actors/x.md" and problem.line == 1
        assert problem.severity == ERROR and problem.hint
        assert (front, body) == ("", "")
        return
    lines = text.split("\n")
    assert offset == 1
    assert lines[0].rstrip() == "---"
    assert text.endswith(body)
    head = text[: len(text) - len(body)]
    assert body_line - 1 == head.count("\n")
    if head.endswith("\n"):  # the body starts on the line after the closing '---'
        closing, between = lines[body_line - 2], lines[1: body_line - 2]
        assert body == "\n".join(lines[body_line - 1:])
    else:  # the closing '---' is the last line: the body is empty, on that line
        closing, between = lines[body_line - 1], lines[1: body_line - 1]
        assert body == "" and body_line == len(lines)
    assert CLOSING.fullmatch(closing)
    assert front == "".join(line + "\n" for line in between)
    assert not any(CLOSING.fullmatch(line) for line in between)  # the first closing line ends the fields


@PROPERTY
@given(st.lists(ANY_TEXT.map(lambda s: s.replace("\n", " ")).filter(lambda s: not CLOSING.fullmatch(s)),
                max_size=10), ANY_TEXT)
def test_the_splitter_gives_back_exactly_the_front_matter_and_body_written(lines: list[str], body: str) -> None:
    """'---', fields, '---', body: the splitter returns those fields and that body, with the body's line."""
    front = "".join(line + "\n" for line in lines)
    text = "---\n" + front + "---\n" + body
    assert split_front_matter(text) == (front, 1, body, len(lines) + 3, None)


@PROPERTY
@given(st.one_of(st.binary(max_size=300), FRONT_MATTER_LIKE.map(lambda t: t.encode("utf-8", "surrogatepass")),
                 st.builds(lambda a, b: ("---\n" + a + "\n---\n" + b).encode(), ANY_TEXT, ANY_TEXT)))
def test_a_whole_file_of_any_bytes_gives_problems_not_exceptions(data: bytes) -> None:
    """Any bytes as an entry file: parsing and validation collect problems, at lines inside the file."""
    raw = parse_bytes(data, "actors", "x", "content/actors/x.md")
    assert isinstance(raw, RawEntry)
    entry, problems = validate(raw)
    assert entry is None or isinstance(entry, Entry)
    last_line = data.count(b"\n") + 1
    for problem in problems:
        assert problem.path == "content/actors/x.md"
        assert 0 <= problem.line <= last_line, problem


# --- slugify ----------------------------------------------------------------------------------------


@PROPERTY
@given(st.one_of(ANY_TEXT, LONG_TEXT, st.text()))
def test_slugify_makes_a_valid_slug_or_nothing_and_is_idempotent(text: str) -> None:
    """slugify of any text matches ^[a-z0-9]+(-[a-z0-9]+)*$ (or is empty), and slugify(slugify(x)) == slugify(x)."""
    slug = slugify(text)
    assert slug == "" or SLUG.match(slug)
    assert re.match(SLUG_PATTERN, slug) or slug == ""
    assert slugify(slug) == slug


@PROPERTY
@given(VALID_SLUG)
def test_a_valid_slug_is_its_own_slug(slug: str) -> None:
    """A name that already is a slug is left as it is."""
    assert slugify(slug) == slug


@PROPERTY
@given(st.text(st.characters(min_codepoint=0, max_codepoint=127), max_size=200))
def test_slugify_keeps_every_ascii_letter_and_digit_in_order(text: str) -> None:
    """On ASCII text nothing but case and separators change: the letters and digits stay, in order."""
    kept = "".join(c for c in text.lower() if c in string.ascii_lowercase + string.digits)
    assert slugify(text).replace("-", "") == kept


@PROPERTY
@given(st.one_of(ANY_TEXT, st.text(max_size=40)).filter(lambda s: "/" not in s and "\x00" not in s))
def test_the_suggested_file_name_is_accepted(stem: str) -> None:
    """The name suggested for a badly named file (slugify or 'entry') is itself a valid file name."""
    raw = parse_bytes(b"---\ntitle: X\n---\n", "actors", stem, f"content/actors/{stem}.md")
    renames = [p for p in raw.problems if "is not a valid slug" in p.message]
    if renames:
        suggested = re.search(r"rename it to '([^']*)' \+ extension", renames[0].hint).group(1)
        assert suggested == (slugify(stem) or "entry")
        again = parse_bytes(b"---\ntitle: X\n---\n", "actors", suggested, f"content/actors/{suggested}.md")
        assert again.problems == []
    else:
        assert SLUG.match(stem)


# --- the reference resolver ---------------------------------------------------------------------------

SOURCE = "content/actors/source-entry.md"


def entry(kind: str, slug: str, data: dict, lines: dict[str, int] | None = None, body: str = "",
          body_line: int = 5) -> tuple[Entry, list[Problem]]:
    raw = RawEntry(kind, slug, f"content/{kind}/{slug}.md", {"title": slug.upper(), **data},
                   {"title": 2, **(lines or {})}, {}, body, body_line, "0" * 24)
    found, problems = validate(raw)
    assert found is not None
    return found, problems


def resolve(actors: list[str], places: list[str], data: dict, lines: dict[str, int], body: str = ""):
    """Validate and link a tiny atlas: the target actors and places and one source actor."""
    entries, problems = [], []
    for kind, slugs in (("actors", actors), ("places", places)):
        for slug in slugs:
            e, p = entry(kind, slug, {})
            entries.append(e)
            problems += p
    source, p = entry("actors", "source-entry", data, lines, body)
    problems += p
    atlas, linked = link(entries + [source])
    return atlas, atlas.get("actors", "source-entry"), [x for x in problems + linked if x.severity == ERROR]


TARGETS = st.lists(VALID_SLUG.filter(lambda s: s != "source-entry"), min_size=1, max_size=5, unique=True)
PLACES = st.lists(VALID_SLUG.filter(lambda s: s != "source-entry"), max_size=3, unique=True)


def reference(data: st.DataObject, actors: list[str], places: list[str]) -> str:
    """An existing actor or place slug (perhaps padded with spaces) or any text at all."""
    return data.draw(st.one_of(st.sampled_from(actors), st.sampled_from(actors).map(lambda s: f"  {s} "),
                               st.sampled_from(places or ["x"]), st.just("source-entry"), ANY_TEXT, LONG_TEXT))


def assert_reported(problems: list[Problem], line: int, field: str, value: str) -> None:
    """Exactly one error, at the source entry's field and line, quoting the value, with a hint."""
    assert len(problems) == 1, problems
    [problem] = problems
    assert (problem.path, problem.line) == (SOURCE, line)
    assert problem.field.split(".")[0] == field
    assert f"'{value}'" in problem.message or f":{value}:" in problem.message or (
        len(value) > 2000 and problem.message == f"text is {len(value)} characters long, over 2000")
    assert problem.hint


@PROPERTY
@given(TARGETS, PLACES, st.data())
def test_a_list_reference_resolves_to_its_entry_or_is_reported_with_a_hint(actors, places, data) -> None:
    """partners: [x]: an existing actor slug links both ways; anything else is one problem with a hint."""
    value = reference(data, actors, places)
    atlas, source, problems = resolve(actors, places, {"partners": [value]}, {"partners": 3, "partners.0": 3})
    slug = value.strip()
    if slug == "source-entry":
        assert_reported(problems, 3, "partners", slug)
        assert problems[0].message == "'source-entry' refers to the entry itself"
    elif slug in actors:
        assert problems == []
        target = atlas.get("actors", slug)
        assert atlas.refs(source, "partners") == [target]
        assert atlas.pointing(target, "actors", "partners") == [source]
        assert source in atlas.related(target, "partners")  # partners show on both sides
    else:
        assert_reported(problems, 3, "partners", slug)
        assert atlas.refs(source, "partners") == []


@PROPERTY
@given(TARGETS, PLACES, st.data())
def test_a_single_reference_resolves_to_its_entry_or_is_reported_with_a_hint(actors, places, data) -> None:
    """parent: x: an existing actor slug is the parent; anything else (itself included) is one problem with a hint."""
    value = reference(data, actors, places)
    atlas, source, problems = resolve(actors, places, {"parent": value}, {"parent": 3})
    slug = value.strip()
    if value == "":
        assert problems == [] and "parent" not in source.values  # an empty field is an absent field
    elif slug == "source-entry":
        assert_reported(problems, 3, "parent", slug)
        assert problems[0].message == "'source-entry' refers to the entry itself"
    elif slug in actors:
        assert problems == []
        assert atlas.refs(source, "parent") == [atlas.get("actors", slug)]
        assert atlas.ancestors(source) == [atlas.get("actors", slug)]
    else:
        assert_reported(problems, 3, "parent", slug)
        assert atlas.refs(source, "parent") == []


LINK_TEXT = st.text(st.one_of(NASTY, PUNCTUATION).filter(lambda c: not c.isspace() and c not in ")>#"),
                    max_size=60)


@PROPERTY
@given(TARGETS, PLACES, st.data())
def test_a_link_in_a_body_resolves_to_its_entry_or_is_reported_with_a_hint(actors, places, data) -> None:
    """[text](acteur:x) in a body: an existing actor is mentioned; anything else is one problem at the link's line."""
    value = data.draw(st.one_of(st.sampled_from(actors), st.sampled_from(places or ["x"]), LINK_TEXT))
    body = f"Premier paragraphe.\n\nVoir [le partenaire](acteur:{value}) ici.\n"
    atlas, source, problems = resolve(actors, places, {}, {}, body)
    if value in actors:
        assert problems == []
        assert atlas.mentions[("actors", value)] == [source]
    else:
        assert_reported(problems, 5 + 2, "body", value)
        assert all(source not in found for found in atlas.mentions.values())


@PROPERTY
@given(TARGETS, st.data())
def test_a_misspelt_reference_gets_the_nearest_slug_as_hint(actors, data) -> None:
    """A slug with one character dropped from an existing one: the hint names an existing actor."""
    longer = [s for s in actors if len(s) >= 6 and "-" not in s[1:-1]]
    if not longer:
        longer = ["associationlocale"]
        actors = actors + longer
    target = data.draw(st.sampled_from(longer))
    i = data.draw(st.integers(1, len(target) - 2))
    typo = target[:i] + target[i + 1:]
    if typo in actors:
        return
    atlas, source, problems = resolve(actors, [], {"partners": [typo]}, {"partners": 3, "partners.0": 3})
    assert_reported(problems, 3, "partners", typo)
    guess = re.fullmatch(r"did you mean '([a-z0-9-]+)'\?", problems[0].hint)
    assert guess and guess.group(1) in actors
