"""A programme's lifecycle: « à venir », « ouvert » or « clos », from its dates and the build date.

The rule (one table, `programme_status`), where « closing » is the earlier of `deadline` and
`end` when either is given:

| the build date is…                                  | status    |
| --------------------------------------------------- | --------- |
| before the first day `start` can mean               | à venir   |
| after the last day the closing can mean             | clos      |
| otherwise, when there is a closing date             | ouvert    |
| after `start`, with neither `deadline` nor `end`    | no status |
| no `start`, `end` nor `deadline`                    | no status |

« Ouvert » is a claim about today: without a closing date the atlas cannot know that a call
launched in 2013 is still open, so it says nothing (« rien d'inventé ») rather than « ouvert ».

A partial date stands for its whole period: `start: 2025-09` is « à venir » until 31 August and
`deadline: 2025-09` is « clos » from 1 October, so the status never claims more than the source
says. The deadline day itself is still « ouvert ». « À venir » wins over « clos » when the dates
contradict each other (validation reports that).

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

    Takes a `datetime.date` or a partial date with `year`, `month` and `day`
    (month and day None when not given), as `atlas/model/dates.py` defines it.
    """
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value, value
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
    """The status of a programme on `today` by the table of the module docstring (None: unknown)."""
    start, end, deadline = (entry.get(name) for name in DATE_FIELDS)
    if start is not None and today < period(start)[0]:
        return UPCOMING
    closing = [period(d)[1] for d in (deadline, end) if d is not None]
    if not closing:
        return None
    return CLOSED if today > min(closing) else OPEN
