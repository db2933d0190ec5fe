"""Outputs beside the pages, listed here and nowhere else.

PRODUCERS make (path, bytes) from the linked atlas and the settings; FINISHERS run over the whole
next site once every page is written (the search indexer reads the rendered HTML).
"""

from __future__ import annotations

from . import geo, ical, images, opendata, search, seo
from .fragments import Finisher, Fragments, Producer, fragment

PRODUCERS: tuple[Producer, ...] = (opendata.produce, seo.produce, images.produce, ical.produce, geo.produce)
FINISHERS: tuple[Finisher, ...] = (search.FINISHER,)

__all__ = ["FINISHERS", "PRODUCERS", "Finisher", "Fragments", "Producer", "fragment"]
