"""Which entry files changed since the last build: a stat of each, a parse of the changed ones only."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Mapping

from ..model.kinds import Entry
from ..model.problems import Problem
from ..model.vocabulary import BUILTIN, Model
from ..model.workers import run
from .source import entry_files, read_entry
from .validate import validate

Parsed = tuple[Entry | None, list[Problem]]


@dataclass
class Sources:
    """The entry files of the atlas now, against the ones the last build parsed.

    `parsed` holds the files read again in this build (new, modified, or too recent to trust),
    each with its entry (None when it could not be read) and problems; `removed` the files the
    last build knew that are gone.
    """

    files: list[str]  # relative paths, in discovery order
    stats: dict[str, tuple[int, int]]  # path -> (size, mtime in ns)
    parsed: dict[str, Parsed] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # of discovery (odd names, links)


def scan(root: Path, known: Mapping[str, tuple[int, int]], trusted: Callable[[os.stat_result], bool],
         model: Model = BUILTIN, jobs: int = 0) -> Sources:
    """Stat every entry file; parse those whose size or mtime differ from `known` (all of them
    when `known` is empty), in worker processes when there are many."""
    root = root.resolve()
    paths, problems = entry_files(root)
    prefix = len(str(root)) + 1
    sources = Sources([], {}, problems=problems)
    todo: list[tuple[str, str]] = []
    for path in paths:
        rel = path[prefix:].replace(os.sep, "/")
        stat = os.stat(path)
        sources.files.append(rel)
        sources.stats[rel] = (stat.st_size, stat.st_mtime_ns)
        if known.get(rel) != sources.stats[rel] or not trusted(stat):
            todo.append((rel, path))
    for (rel, _), parsed in zip(todo, run(_parse_one, [(Path(path), root, model) for _, path in todo], jobs)):
        sources.parsed[rel] = parsed
    present = set(sources.files)
    sources.removed = sorted(p for p in known if p not in present)
    return sources


def _parse_one(job: tuple[Path, Path, Model]) -> Parsed:
    """Parse and validate one file; the body is dropped (pages read it back): memory stays flat."""
    path, root, model = job
    entry, problems = validate(read_entry(path, root), model)
    return (replace(entry, body=None) if entry is not None else None), problems
