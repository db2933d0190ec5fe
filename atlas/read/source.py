"""Read content/: walk the kind folders, split front matter, parse YAML keeping each value's line."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..model.digest import digest
from ..model.kinds import KINDS, SLUG_PATTERN
from ..model.problems import WARNING, Problem

try:
    _BaseLoader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing
    _BaseLoader = yaml.SafeLoader  # type: ignore[misc]

MAX_FILE_BYTES = 2 * 1024 * 1024  # beyond this an entry is surely a mistake; keeps Markdown bounded
EXTENSIONS = (".md", ".yaml", ".yml")
IMAGE_FILES = COMPANIONS = (".jpg", ".jpeg", ".png", ".webp", ".gif")  # images beside their entries (field `image`)
_SLUG = re.compile(SLUG_PATTERN)
_CLOSE = re.compile(r"^---[ \t]*$", re.M)


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """libyaml's parser and composer; values are built by _Tree, not by PyYAML's constructor."""




@dataclass
class RawEntry:
    """A parsed file before validation: plain data, the line of every value, the body."""

    kind: str
    slug: str
    path: str
    data: dict[str, Any]
    lines: dict[str, int]
    raw: dict[str, str]  # scalar text of values YAML turned into bool/int/float/null
    body: str
    body_line: int
    digest: str
    problems: list[Problem] = field(default_factory=list)


def discover(root: Path) -> tuple[list[Path], list[Problem]]:
    """Every entry file under root/content/<kind>/, sorted; odd names and symlinks reported."""
    found, problems = entry_files(root)
    return [Path(f) for f in found], problems


def entry_files(root: Path) -> tuple[list[str], list[Problem]]:
    """discover() as strings, for the build's scan: 10,000 Path objects cost a tenth of a second."""
    content = root / "content"
    found: list[str] = []
    problems: list[Problem] = []
    if not content.is_dir():
        return [], [Problem("content", 0, "", "no content/ folder", "run the command from the atlas root")]
    for entry in sorted(os.scandir(content), key=lambda e: e.name):
        rel = f"content/{entry.name}"
        if entry.name.startswith("."):
            continue
        if entry.is_symlink():
            problems.append(Problem(rel, 0, "", "symbolic link ignored", "content must be real files",
                                    WARNING))
        elif entry.is_dir() and entry.name in KINDS:
            found.extend(_walk_kind(entry.path, rel, problems))
        elif entry.is_dir():
            problems.append(Problem(rel, 0, "", f"unknown folder '{entry.name}' ignored",
                                    "expected one of " + ", ".join(KINDS), WARNING))
    return found, problems


def _walk_kind(folder: str, rel: str, problems: list[Problem]) -> list[str]:
    files = []
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        name = entry.name
        if name.startswith(".") or name.endswith("~"):
            continue  # editor and system files (.DS_Store, .#x.md, x.md~)
        path = f"{rel}/{name}"
        if entry.is_symlink():
            problems.append(Problem(path, 0, "", "symbolic link ignored", "content must be real files",
                                    WARNING))
        elif entry.is_dir():
            problems.append(Problem(path, 0, "", "sub-folders are not read", "move the file up", WARNING))
        elif name.endswith(EXTENSIONS):
            files.append(entry.path)
        elif name.lower().endswith(COMPANIONS):
            continue
        else:
            problems.append(Problem(path, 0, "", "file ignored: not .md, .yaml or .yml", "", WARNING))
    return files


def slugify(text: str) -> str:
    """ASCII slug: accents folded, everything else to single dashes (« L'Aubergeoise » -> l-aubergeoise)."""
    import unicodedata

    text = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "oe")
                                 .replace("æ", "ae").replace("Æ", "ae").replace("ß", "ss"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def read_entry(path: Path, root: Path) -> RawEntry:
    """Read and parse one file; problems are attached, never raised."""
    rel = path.relative_to(root).as_posix()
    kind = path.parent.name
    stem = path.name.rsplit(".", 1)[0]
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            data = fh.read(MAX_FILE_BYTES + 1)  # no more: a huge file must not fill the memory
    except OSError as exc:
        return _failed(kind, stem, rel, "", Problem(rel, 0, "", f"cannot read file: {exc.strerror}"))
    return parse_bytes(data, kind, stem, rel, max(size, len(data)))


def read_body(path: Path) -> str:
    """Just the Markdown body of an entry file that parsed before (no YAML work for .md files)."""
    data = path.read_bytes()
    if not path.name.endswith(".md"):
        return parse_bytes(data, path.parent.name, path.name.rsplit(".", 1)[0], path.name).body
    text = data.decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return split_front_matter(text)[2]


def parse_bytes(data: bytes, kind: str, stem: str, rel: str, size: int | None = None) -> RawEntry:
    """Parse the bytes of one entry file (front matter + Markdown, or YAML only).

    `size` is the whole file's size when `data` holds only its beginning.
    """
    h = digest(data)
    problems: list[Problem] = []
    if not _SLUG.match(stem):
        problems.append(Problem(rel, 0, "", f"file name '{stem}' is not a valid slug",
                                f"rename it to '{slugify(stem) or 'entry'}' + extension "
                                "(lowercase ASCII letters, digits and dashes)"))
    size = len(data) if size is None else size
    if size > MAX_FILE_BYTES:
        return _failed(kind, stem, rel, h, Problem(
            rel, 0, "", f"file is {size // 1024} KiB, over the {MAX_FILE_BYTES // 1024} KiB limit",
            "split the text or remove embedded data"), problems)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return _failed(kind, stem, rel, h, Problem(
            rel, line, "", f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            "save the file as UTF-8"), problems)
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        return _failed(kind, stem, rel, h, Problem(rel, 0, "", "file contains NUL bytes",
                                                   "is it a binary file?"), problems)
    if rel.endswith(".md"):
        front, offset, body, body_line, problem = split_front_matter(text, rel)
        if problem:
            return _failed(kind, stem, rel, h, problem, problems)
    else:
        front, offset, body, body_line = text, 0, "", 0
    values, lines, raw = parse_yaml(front, rel, offset, problems)
    if not rel.endswith(".md") and isinstance(values.get("body"), str):
        body = values.pop("body")
        body_line = lines.get("body", 1) + 1
    return RawEntry(kind, stem, rel, values, lines, raw, body, body_line, h, problems)


def split_front_matter(text: str, rel: str = "") -> tuple[str, int, str, int, Problem | None]:
    """(yaml, its first line - 1, body, body's first line, problem) for a Markdown entry."""
    if not text.strip():
        return "", 0, "", 1, Problem(rel, 1, "", "empty file", "an entry needs at least a title")
    first, _, rest = text.partition("\n")
    if first.rstrip() != "---":
        return "", 0, "", 1, Problem(rel, 1, "", "no front matter: the file must start with a '---' line",
                                     "add '---', the fields, then '---' before the text")
    close = _CLOSE.search(rest)
    if close is None:
        return "", 0, "", 1, Problem(rel, 1, "", "front matter is not closed",
                                     "add a line '---' after the last field")
    front = rest[: close.start()]
    body_start = close.end() + 1
    body_line = 2 + rest[:body_start].count("\n")
    return front, 1, rest[body_start:], body_line, None


def parse_yaml(text: str, rel: str, offset: int, problems: list[Problem]
               ) -> tuple[dict[str, Any], dict[str, int], dict[str, str]]:
    """YAML mapping -> (values, line of every value path, raw text of non-string scalars).

    libyaml composes the node tree; values are built here from the nodes, in the same walk
    that records lines, refuses aliases, tags and duplicate keys (PyYAML silently keeps the
    last), which is also several times faster than PyYAML's generic constructor.
    """
    if not text.strip():
        return {}, {}, {}
    deep = _too_deep(text)
    if deep is not None:
        problems.append(Problem(rel, deep + offset + 1, "", f"values nested more than {MAX_DEPTH} levels deep",
                                "flatten the value"))
        return {}, {}, {}
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, {}, {}
        tree = _Tree(loader, offset)
        values = tree.value(node, "", 0)
    except _NodeError as exc:
        line = exc.line
        if exc.message == _ALIAS:  # the node is the anchored one: find where the alias was written
            line = _first_alias_line(text, line - offset - 1) + offset + 1
        problems.append(_decimal_comma(Problem(rel, line, exc.path, exc.message, exc.hint), text, line - offset - 1))
        return {}, {}, {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + offset + 1 if mark else offset + 1
        message = " ".join(str(x) for x in (exc.context, exc.problem) if x)
        bad_line = text.split("\n")[mark.line] if mark and mark.line < text.count("\n") + 1 else ""
        problems.append(Problem(rel, line, "", f"YAML syntax: {message}", _yaml_hint(message, bad_line)))
        return {}, {}, {}
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as exc:
        problems.append(Problem(rel, offset + 1, "", f"YAML: {exc}"))
        return {}, {}, {}
    finally:
        loader.dispose()
    if not isinstance(values, dict):
        problems.append(Problem(rel, node.start_mark.line + offset + 1, "",
                                "front matter must be a mapping of fields ('title: ...')"))
        return {}, tree.lines, tree.raw
    return values, tree.lines, tree.raw


def _too_deep(text: str) -> int | None:
    """Line (0-based) where nesting passes MAX_DEPTH, found from parser events.

    libyaml's composer recurses once per level and crashes the process (segmentation fault) near
    100,000 levels, far below the file size limit; its event parser does not recurse.
    """
    if sum(text.count(c) for c in _NESTING_CHARS) < _DEEP_SUSPECT:
        return None
    loader = _Loader(text)
    depth = 0
    try:
        while (event := loader.get_event()) is not None:
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH + 1:  # the events count the top mapping, _Tree does not
                    return event.start_mark.line
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        # Newer libyaml stops at its own depth limit while scanning ahead in flow collections,
        # before the events reach ours: that is the same mistake, at the line where it stopped.
        if "nesting depth" in str(exc.problem) and exc.problem_mark is not None:
            return exc.problem_mark.line
        return None  # a syntax error: reported with its position by the real parse
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()
    return None


def _first_alias_line(text: str, default: int) -> int:
    """Line (0-based) of the first alias (*name): composed nodes only know their anchor's place."""
    loader = _Loader(text)
    try:
        while (event := loader.get_event()) is not None:
            if isinstance(event, yaml.AliasEvent):
                return event.start_mark.line
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()
    return default


_DECIMAL_COMMA = re.compile(r"(?<!\d)(-?\d+),(\d+)(?!\d)")


def _decimal_comma(problem: Problem, text: str, index: int) -> Problem:
    """« 43,49 » in a flow mapping reads as two keys, 43 and 49: say that decimals take a point."""
    lines = text.split("\n")
    line = lines[index] if 0 <= index < len(lines) else ""
    if "YAML tag '!!" not in problem.message or not _DECIMAL_COMMA.search(line.partition("#")[0]):
        return problem
    fixed = _DECIMAL_COMMA.sub(r"\1.\2", line).strip()
    return Problem(problem.path, problem.line, problem.field, "a decimal comma: numbers take a point "
                   "(43.49, not 43,49)", f"write {fixed}")


def _yaml_hint(message: str, line: str) -> str:
    if "\t" in line[: len(line) - len(line.lstrip())] or "tab" in message:
        return "indent with spaces, not tabs"
    if "mapping values are not allowed" in message:
        return "put quotes around a value that contains ': '"
    return ""


class _NodeError(Exception):
    def __init__(self, line: int, path: str, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.line, self.path, self.message, self.hint = line, path, message, hint


_Y = "tag:yaml.org,2002:"
MAX_DEPTH = 20  # front matter is flat; deep nesting is a mistake or an attack
# Every nesting level of YAML needs one of these characters; a text with fewer of them than this
# cannot be deep enough to overflow libyaml's recursive composer, so it skips the depth pre-scan.
_NESTING_CHARS = "[{-:?"
_ALIAS = "anchors and aliases (&, *) are not allowed"
_DEEP_SUSPECT = 1000


class _Tree:
    """Builds plain values from YAML nodes, recording the line of every value path."""

    def __init__(self, loader: Any, offset: int) -> None:
        self.loader, self.offset = loader, offset
        self.lines: dict[str, int] = {}
        self.raw: dict[str, str] = {}
        self.seen: set[int] = set()
        self.scalars = {_Y + "int": loader.construct_yaml_int, _Y + "float": loader.construct_yaml_float,
                        _Y + "bool": loader.construct_yaml_bool, _Y + "null": loader.construct_yaml_null}

    def value(self, node: yaml.Node, path: str, depth: int) -> Any:
        line = node.start_mark.line + self.offset + 1
        if id(node) in self.seen:
            raise _NodeError(line, path, _ALIAS, "write the value out")
        if depth > MAX_DEPTH:
            raise _NodeError(line, path, f"values nested more than {MAX_DEPTH} levels deep", "flatten the value")
        self.seen.add(id(node))
        if path:
            self.lines[path] = line
        tag = node.tag
        if isinstance(node, yaml.ScalarNode):
            if tag == _Y + "str" or tag == _Y + "timestamp":  # dates stay text: the validator checks them
                return node.value
            if tag in self.scalars:
                self.raw[path] = node.value
                return self.scalars[tag](node)
        elif isinstance(node, yaml.SequenceNode) and tag == _Y + "seq":
            return [self.value(item, f"{path}.{i}" if path else str(i), depth + 1)
                    for i, item in enumerate(node.value)]
        elif isinstance(node, yaml.MappingNode) and tag == _Y + "map":
            return self.mapping(node, path, depth)
        raise _NodeError(line, path, f"YAML tag '{tag.replace(_Y, '!!')}' is not allowed",
                         "tags like !!python/object are refused: write plain values")

    def mapping(self, node: yaml.MappingNode, path: str, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _Y + "merge":
                raise _NodeError(key_node.start_mark.line + self.offset + 1, path,
                                 "merge keys (<<) are not allowed", "write the fields out")
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _Y + "str":
                tag = key_node.tag.replace(_Y, "!!")
                raise _NodeError(key_node.start_mark.line + self.offset + 1, path,
                                 f"YAML tag '{tag}' is not allowed" if isinstance(key_node, yaml.ScalarNode)
                                 else "a key must be plain text", "write the fields out")
            name = key_node.value
            child = f"{path}.{name}" if path else name
            if id(key_node) in self.seen:
                raise _NodeError(key_node.start_mark.line + self.offset + 1, child, _ALIAS, "write the key out")
            self.seen.add(id(key_node))
            key_line = key_node.start_mark.line + self.offset + 1
            if name in result:
                raise _NodeError(key_line, child, f"duplicate key '{name}' (first at line {self.lines[child]})",
                                 "keep only one")
            result[name] = self.value(value_node, child, depth + 1)
            self.lines[child] = key_line
        return result


def _failed(kind: str, stem: str, rel: str, h: str, problem: Problem,
            earlier: list[Problem] | None = None) -> RawEntry:
    return RawEntry(kind, stem, rel, {}, {}, {}, "", 1, h, (earlier or []) + [problem])
