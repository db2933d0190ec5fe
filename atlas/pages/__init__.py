"""Pages: the page plan, the View that records what a page reads, page builders, paging, JSON-LD."""

from . import paging
from .jsonld import absolute
from .plan import Page, build_context, plan
from .view import HOME_PAGE, View, entry_url

__all__ = ["HOME_PAGE", "Page", "View", "absolute", "build_context", "entry_url", "paging", "plan"]
