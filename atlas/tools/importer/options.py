"""What `build.py import` is asked to do: a record light enough to build the command line with."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

FORMATS = ("auto", "csv", "xlsx", "ods", "geojson", "json", "gogocarto", "data-inclusion")
KINDS = ("actors", "places", "programmes")
BAN_URL = "https://api-adresse.data.gouv.fr/search/csv/"


@dataclass(frozen=True)
class ImportOptions:
    """The command's options; `today` is the import date written in `updated:` and `accessed:`."""

    root: Path
    file: Path
    kind: str = "actors"
    format: str = "auto"
    map: Path | None = None
    source_title: str = ""
    source_url: str = ""
    dry_run: bool = False
    update: bool = False
    skip_invalid: bool = False
    allow_duplicates: bool = False
    geocode: bool = False
    geocode_url: str = BAN_URL
    today: dt.date = field(default_factory=dt.date.today)
