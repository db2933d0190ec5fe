"""Partial dates: a year, a month or a day, kept at the precision the source gives.

« Rien d'inventé »: a source that says « janvier 2018 » gives `2018-01`, never a made-up day.
A `PartialDate` is ordered for sorting (a year before its months, a month before its days), written
in ISO 8601 at its precision (`2018`, `2018-01`, `2018-01-15`), and read in French (« 2018 »,
« janvier 2018 », « 1er janvier 2018 »). Comparisons that must hold whatever the unknown part is
(an `end` before its `start`) use `before()`, which compares the first and last days it may mean.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")
_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True)
class PartialDate:
    """A year, with a month, with a day: `day` is set only when `month` is (checked when made)."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if self.day is not None and self.month is None:
            raise ValueError("a day needs a month")
        dt.date(self.year, self.month or 1, self.day or 1)  # ValueError on 2024-02-30, month 13…

    @classmethod
    def parse(cls, text: str) -> "PartialDate":
        """`2018`, `2018-01` or `2018-01-15`; ValueError for anything else or an impossible date."""
        found = _ISO.match(text)
        if found is None:
            raise ValueError(f"not YYYY, YYYY-MM or YYYY-MM-DD: {text!r}")
        year, month, day = (int(g) if g else None for g in found.groups())
        return cls(year, month, day)  # type: ignore[arg-type]

    @classmethod
    def of(cls, day: dt.date) -> "PartialDate":
        return cls(day.year, day.month, day.day)

    @property
    def precision(self) -> str:
        """'year', 'month' or 'day'."""
        return "day" if self.day else "month" if self.month else "year"

    def iso(self) -> str:
        """ISO 8601 at its precision: 2018, 2018-01, 2018-01-15."""
        text = f"{self.year:04d}"
        if self.month:
            text += f"-{self.month:02d}"
        if self.day:
            text += f"-{self.day:02d}"
        return text

    isoformat = iso  # what exports, sitemaps and `<time datetime>` already call on dates

    def __str__(self) -> str:
        return self.iso()

    def first_day(self) -> dt.date:
        """The earliest day it may mean."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> dt.date:
        """The latest day it may mean."""
        month = self.month or 12
        return dt.date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    def before(self, other: "PartialDate") -> bool:
        """True when it is surely before `other`, at the precision of both: 2018 is not before 2018-05."""
        return self.last_day() < other.first_day()

    def french(self) -> str:
        """« 2018 », « janvier 2018 », « 1er janvier 2018 », « 15 janvier 2018 »."""
        if self.month is None:
            return str(self.year)
        month = f"{MONTHS[self.month - 1]} {self.year}"
        if self.day is None:
            return month
        return f"{'1er' if self.day == 1 else self.day} {month}"

    @property
    def preposition(self) -> str:
        """« le » before a day, « en » before a month or a year."""
        return "le" if self.day else "en"

    def french_on(self) -> str:
        """The same with its preposition: « le 1er janvier 2018 », « en janvier 2018 », « en 2018 »."""
        return f"{self.preposition} {self.french()}"

    def _key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    def _compare(self, other: object) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
        """Both sides as comparable keys: among partial dates, the sorting order (a year before
        its months, a month before its days); against a day, its first day (« checked in
        2024-03 » counts as old as 1 March 2024, so freshness notes never come late)."""
        if isinstance(other, PartialDate):
            return self._key(), other._key()
        if isinstance(other, dt.date):
            return self.first_day().timetuple()[:3], other.timetuple()[:3]
        return None

    def __lt__(self, other: object) -> bool:
        pair = self._compare(other)
        return NotImplemented if pair is None else pair[0] < pair[1]

    def __le__(self, other: object) -> bool:
        pair = self._compare(other)
        return NotImplemented if pair is None else pair[0] <= pair[1]

    def __gt__(self, other: object) -> bool:
        pair = self._compare(other)
        return NotImplemented if pair is None else pair[0] > pair[1]

    def __ge__(self, other: object) -> bool:
        pair = self._compare(other)
        return NotImplemented if pair is None else pair[0] >= pair[1]

def period_words(start: PartialDate | None, end: PartialDate | None) -> tuple[str, str]:
    """The words before each bound of a period, at their precision (a page puts a date after each).

    « Du 15 juillet 2013 au 31 décembre 2014 », « De janvier 2018 à 2019 »; a start alone
    « Lancé le 1er septembre 2025 » / « Lancé en janvier 2018 », an end alone « Jusqu'au… » /
    « Jusqu'en 2014 ».
    """
    if start and end:
        return ("Du" if start.day else "De"), ("au" if end.day else "à")
    if start:
        return f"Lancé {start.preposition}", ""
    if end:
        return "", "Jusqu'au" if end.day else "Jusqu'en"
    return "", ""


def as_day(value: PartialDate | dt.date) -> dt.date:
    """A calendar day for what needs one (an Atom timestamp): a partial date's first day."""
    return value.first_day() if isinstance(value, PartialDate) else value
