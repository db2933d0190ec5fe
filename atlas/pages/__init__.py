"""Pages: the page plan, the View that records what a page reads, page builders, paging, JSON-LD."""

from . import paging
from .jsonld import absolute
from .plan import Page, build_context, plan
from ..model.kinds import HOME_PAGE
from .view import View, entry_url

__all__ = ["HOME_PAGE", "Page", "View", "absolute", "build_context", "entry_url", "paging", "plan"]
