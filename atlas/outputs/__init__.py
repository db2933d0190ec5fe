"""Outputs beside the pages, listed here and nowhere else.

Each producer makes (path, bytes or fragments.Document) from the linked atlas, the settings and
the pages of the site; documents are written fragment by fragment (fragments.py). The search
index is made apart (search.py) from the records the pages gave when they were rendered.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Sequence

from . import geo, ical, images, opendata, seo
from .fragments import Document, Fragment, Joined, Written, fragment_id, write
from .images import prepare as prepare_images
from .opendata import catalogue
from .search import FOLDER as SEARCH_FOLDER
from .search import index as search_index
from .search import record as search_record

Producer = Callable[[Any, dict[str, Any], Sequence[Any]], Iterable[tuple[str, "bytes | Document"]]]
PRODUCERS: tuple[Producer, ...] = (opendata.produce, seo.produce, images.produce, ical.produce, geo.produce)

__all__ = ["PRODUCERS", "SEARCH_FOLDER", "Document", "Fragment", "Joined", "Producer", "Written", "catalogue",
           "fragment_id", "prepare_images", "search_index", "search_record", "write"]
