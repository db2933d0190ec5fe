"""Outputs beside the pages, listed here and nowhere else.

Each export makes (path, bytes or fragments.Document) from the linked atlas, the settings and
the pages of the site; documents are written fragment by fragment (fragments.py). The search
index is made apart (search.py) from the records the pages gave when they were rendered.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from . import geo, ical, images, opendata, points, seo
from .fragments import Document, Fragment, Joined, Layout, Written, fragment_id, write
from .images import prepare as prepare_images
from .opendata import catalogue
from .search import FOLDER as SEARCH_FOLDER
from .search import index as search_index
from .search import record as search_record

Producer = Callable[..., Iterable[tuple[str, "bytes | Document"]]]


@dataclass(frozen=True)
class Export:
    """One kind of file published beside the pages, made by `make(atlas, settings, pages)`.

    `watched`: make takes a fourth argument, a set, and adds to it every dependency it reads
    (model/deps.py); a build where none of them changed keeps its files as they were published
    without calling it. The others make Documents, whose fragments are kept one by one (fragments.py),
    or files cheap to make again.
    """

    name: str
    make: Producer
    watched: bool = False

    @property
    def reader(self) -> str:
        """How the export is named as a reader in the cache's reverse index."""
        return fragment_id(self.name, "*")


EXPORTS: tuple[Export, ...] = (
    Export("opendata", opendata.produce),
    Export("seo", seo.produce),
    Export("images", images.produce, watched=True),
    Export("calendar", ical.produce),
    Export("outlines", geo.produce, watched=True),
    Export("points", points.produce),
)

__all__ = ["EXPORTS", "Export", "SEARCH_FOLDER", "Document", "Fragment", "Joined", "Layout", "Producer", "Written",
           "catalogue", "fragment_id", "prepare_images", "search_index", "search_record", "write"]
