"""Link: the Atlas — references resolved, inverse relations, indexes — built whole or updated."""

from .freshness import months_before, page_settings, stale_entries
from .graph import EMPTY, SECTIONS, Atlas, EntryList, Key, letter, link, references, sort_key
from .update import Change, Graph, Touched, linked, update

__all__ = ["EMPTY", "SECTIONS", "Atlas", "Change", "EntryList", "Graph", "Key", "Touched", "letter", "link",
           "linked", "months_before", "page_settings", "references", "sort_key", "stale_entries", "update"]
