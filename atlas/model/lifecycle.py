"""A programme's lifecycle: « à venir », « ouvert » or « clos », from its dates and the build date.

The rule (one table, `programme_status`):

| the build date is…                                           | status    |
| ------------------------------------------------------------ | --------- |
| before the first day `start` can mean                        | à venir   |
| after the last day `deadline` or `end` can mean (the earlier) | clos      |
| otherwise, when at least one of the three dates is given     | ouvert    |
| no `start`, `end` nor `deadline`                             | no status |

A partial date stands for its whole period: `start: 2025-09` is « à venir » until 31 August and
`deadline: 2025-09` is « clos » from 1 October, so the status never claims more than the source
says. The deadline day itself is still « ouvert ». « À venir » wins over « clos » when the dates
contradict each other (validation reports that). Nothing is invented: without any date, no status.

The build date is `SOURCE_DATE_EPOCH` (seconds since 1970, UTC; reproducible-builds.org) when
set, else today: two builds of the same content on the same day give the same bytes, and the
publishing workflow rebuilds every day so that statuses stay true.
"""

from __future__ import annotations

import calendar
import datetime as dt
import os
from dataclasses import dataclass
from typing import Any, Mapping

from .problems import AtlasError


@dataclass(frozen=True)
class Status:
    """A programme's status: `code` for CSS classes and data, `label` as the site writes it."""

    code: str
    label: str


UPCOMING = Status("a-venir", "à venir")
OPEN = Status("ouvert", "ouvert")
CLOSED = Status("clos", "clos")
STATUSES: dict[str, Status] = {s.code: s for s in (UPCOMING, OPEN, CLOSED)}
DATE_FIELDS = ("start", "end", "deadline")  # what the status is computed from


def build_date(environ: Mapping[str, str] | None = None) -> dt.date:
    """The day the site is built for: `SOURCE_DATE_EPOCH` (UTC) when set, else today."""
    environ = os.environ if environ is None else environ
    value = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return dt.date.today()
    try:
        return dt.datetime.fromtimestamp(int(value), dt.timezone.utc).date()
    except (ValueError, OverflowError, OSError):
        raise AtlasError(f"SOURCE_DATE_EPOCH={value!r} is not a number of seconds since 1970-01-01 UTC "
                         "(e.g. SOURCE_DATE_EPOCH=$(date +%s), or unset it to build for today)") from None


def period(value: Any) -> tuple[dt.date, dt.date]:
    """(first day, last day) a date of the content can mean: one day, a month or a year.

    Takes a `datetime.date`, a year as an int, or a partial date with `year`, `month` and `day`
    (month and day None when not given), as `atlas/model/dates.py` defines it.
    """
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value, value
    if isinstance(value, int) and not isinstance(value, bool):
        return dt.date(value, 1, 1), dt.date(value, 12, 31)
    year, month, day = getattr(value, "year"), getattr(value, "month", None), getattr(value, "day", None)
    if month is None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if day is None:
        return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day), dt.date(year, month, day)


def exact_day(value: Any) -> dt.date | None:
    """The day a date names when it is precise to the day, else None (a month, a year, nothing)."""
    if value is None:
        return None
    first, last = period(value)
    return first if first == last else None


def programme_status(entry: Any, today: dt.date) -> Status | None:
    """The status of a programme on `today` by the rule of the module docstring (None: no date)."""
    start, end, deadline = (entry.get(name) for name in DATE_FIELDS)
    if start is None and end is None and deadline is None:
        return None
    if start is not None and today < period(start)[0]:
        return UPCOMING
    closing = [period(d)[1] for d in (deadline, end) if d is not None]
    if closing and today > min(closing):
        return CLOSED
    return OPEN
