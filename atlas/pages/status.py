"""A programme's status as pages show it, recorded as a dependency that knows what was shown.

A page that shows a status depends on the build date, not only on files: the day after a
deadline, the programme page and every list showing its card must be rendered again, and only
they. So a page records `s:programmes/<slug>@<code>`, the status it showed; the cache's digest
of that key (`status_digest`) is « shown » while the programme's status today is still that one.
"""

from __future__ import annotations

import os
from typing import Any

from ..model import deps
from ..model.kinds import Entry
from ..model.lifecycle import build_date, programme_status

SHOWN = "shown"
NONE = "-"  # the code recorded for a programme without any date (no status shown)


def status_key(entry: Entry, code: str) -> str:
    """The dependency of a page that showed `code` as the status of `entry`."""
    return deps.status(entry.kind, entry.slug, code)


def status(view: Any, entry: Entry) -> dict[str, str] | None:
    """{code, label} of a programme's status today (None for other kinds and undated programmes)."""
    if entry.kind != "programmes":
        return None
    found = programme_status(entry, build_date())
    view.deps.add(status_key(entry, found.code if found else NONE))
    return {"code": found.code, "label": found.label} if found else None


def status_digest(atlas: Any, rest: str) -> str:
    """The cache's digest of `s:<kind>/<slug>@<code>`: SHOWN while `code` is still the status.

    When it is not, a fresh token that matches no saved digest: the page is rendered again even
    if the day turned between its rendering and the saving of the cache (which digests again).
    """
    target, _, shown = rest.rpartition("@")
    kind, _, slug = target.partition("/")
    entry = atlas.get(kind, slug)
    found = programme_status(entry, build_date()) if entry is not None else None
    if entry is not None and (found.code if found else NONE) == shown:
        return SHOWN
    return "changed:" + os.urandom(6).hex()
