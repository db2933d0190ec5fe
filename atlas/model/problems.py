"""Problems found in content: collected, never raised one by one, reported together."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Iterable

ERROR = "error"
WARNING = "warning"
NOTICE = "notice"  # informational, never counted (e.g. entries to re-check)


class AtlasError(Exception):
    """The project's own error type: raised only for problems that stop a stage outright."""


@dataclass(frozen=True, order=True)
class Problem:
    """One finding about one file, with where it is and how to fix it."""

    path: str
    line: int
    field: str
    message: str
    hint: str = ""
    severity: str = ERROR

    def format(self) -> str:
        """`path:line: field: message (hint)`, the one format every command prints."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        what = f"{self.field}: {self.message}" if self.field else self.message
        tag = "" if self.severity == ERROR else f"{self.severity}: "
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}: {tag}{what}{hint}"

    def github(self) -> str:
        """A GitHub Actions workflow command that annotates the line in a pull request."""
        level = self.severity if self.severity in (ERROR, NOTICE) else "warning"
        text = f"{self.field}: {self.message}" if self.field else self.message
        if self.hint:
            text += f" ({self.hint})"
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        path = self.path.replace("%", "%25").replace(",", "%2C").replace(":", "%3A")
        line = f",line={self.line}" if self.line else ""
        return f"::{level} file={path}{line}::{text}"


@dataclass
class Report:
    """Every problem of a run, in a stable order, and the counts that decide the exit code."""

    problems: list[Problem] = field(default_factory=list)
    strict: bool = False

    def extend(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(problems)

    def sorted(self) -> list[Problem]:
        return sorted(set(self.problems))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.sorted() if p.severity == ERROR or self.strict]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.sorted() if p.severity == WARNING and not self.strict]

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        e, w = len(self.errors), len(self.warnings)
        return f"{e} error{'s' if e != 1 else ''}, {w} warning{'s' if w != 1 else ''}"

    def lines(self, fmt: str = "text") -> list[str]:
        return [p.github() if fmt == "github" else p.format() for p in self.sorted()]


def closest(value: str, candidates: Iterable[str]) -> str:
    """The hint « did you mean 'x'? » for the nearest candidate(s), or an empty string.

    In order: an acronym ('mel' for 'metropole-europeenne-de-lille'), the candidates holding the
    value as whole words ('ptce' in 'appel-a-projets-ptce-2013'; up to three when several do),
    then all its words in any order ('metropole-de-lille'), a close spelling, and last an
    abbreviation ('mess' for 'maison-de-l-ess-lille').
    """
    pool = sorted(candidates)
    if not value:
        return ""
    match = _shortest(c for c in pool if value in _acronyms(c))
    if not match:
        words = f"-{value}-"
        match = _shortest(c for c in pool if words in f"-{c}-" and c != value)
    if not match and "-" in value:  # every word of the value, in any order: 'metropole-de-lille'
        wanted = set(value.split("-")) - {""}
        match = _shortest(c for c in pool if wanted <= set(c.split("-")))
    if not match:
        match = difflib.get_close_matches(value, pool, n=1, cutoff=0.6)
    if not match:
        match = sorted((c for c in pool if c[:1] == value[:1] and _subsequence(value, c)), key=len)[:1]
    if not match:
        return ""
    return "did you mean " + " or ".join(f"'{m}'" for m in match) + "?"


def _shortest(found: Iterable[str], most: int = 3) -> list[str]:
    """The shortest candidates first (the most likely meant), alphabetical among equals."""
    return sorted(found, key=lambda c: (len(c), c))[:most]


_SMALL_WORDS = {"a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "sur"}


def _acronyms(slug: str) -> set[str]:
    """Initials of a slug's words, with and without its small words: 'mel', 'medl'."""
    words = [w for w in slug.split("-") if w and not w.isdigit()]
    if len(words) < 2:
        return set()
    return {"".join(w[0] for w in words), "".join(w[0] for w in words if w not in _SMALL_WORDS)}


def _subsequence(short: str, long: str) -> bool:
    """True when every character of `short` appears in `long`, in order."""
    it = iter(long)
    return all(ch in it for ch in short)
