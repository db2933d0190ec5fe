"""Freshness: entries whose facts were last checked too long ago (`updated`), or never.

Two readers, two reference dates:
- `check --stale N` answers « what should we re-check now? », relative to today (injectable);
- pages show « à vérifier » relative to the newest `updated` date of the atlas, not to the build
  date, so that building the same content twice gives the same bytes (and the page cache stays
  valid): the note moves only when someone records a newer check. `stale_months` in atlas.yaml
  (default 18, 0 turns the note off) sets the age.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from .graph import Atlas
from ..model.dates import as_day
from ..model.kinds import ENTRY_KINDS
from ..model.problems import NOTICE, AtlasError, Problem


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` earlier, clamped to the month's end (31 August - 6 months = 28/29 February)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def stale_entries(atlas: Atlas, months: int, today: dt.date) -> list[Problem]:
    """Entries (not free pages) last checked more than `months` months before today, or never,
    as notices on their `updated` line, sorted by path."""
    cutoff = months_before(today, months)
    found = []
    for kind in ENTRY_KINDS:
        for entry in atlas.by_kind.get(kind, []):
            updated = entry.get("updated")
            if updated is None:
                found.append(Problem(entry.path, 1, "updated", "to re-check: no 'updated' date",
                                     f"review the facts, then add updated: {today.isoformat()}", NOTICE))
            elif updated < cutoff:
                found.append(Problem(entry.path, entry.line("updated"), "updated",
                                     f"to re-check: last checked {updated.isoformat()}, more than {months} "
                                     f"months before {today.isoformat()}",
                                     f"review the facts and sources, then set updated: {today.isoformat()}", NOTICE))
    return sorted(found)


def page_settings(atlas: Atlas, site: dict[str, Any]) -> dict[str, Any]:
    """`stale_before` for the templates: the date under which a page says « à vérifier », or None."""
    months = site.get("stale_months")
    if isinstance(months, bool) or not isinstance(months, int) or months < 0:
        raise AtlasError(f"atlas.yaml: stale_months must be a whole number of months (0: no note), got {months!r}")
    if months == 0:
        return {"stale_before": None}
    newest = atlas.by_update[0].get("updated") if atlas.by_update else None  # no entry but the newest read
    # With no date at all, every entry is « à vérifier » whatever the cutoff.
    # A partial date counts from its first day (« 2024-03 »: 1 March), as stale_entries compares it.
    return {"stale_before": months_before(as_day(newest), months) if newest else dt.date.max}
