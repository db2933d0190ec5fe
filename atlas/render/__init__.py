"""Render: Jinja environment and theme lookup, Markdown, French filters, the render workers and the
link check of rendered pages."""

from .linkcheck import check_content, check_site
from .links import PageLinks, page_links
from .renderer import Renderer, fr_date, fr_money, fr_number
from .theme import THEME, asset_files, display_name, template_files
from .workers import Job, Rendered, render_pages

__all__ = ["THEME", "Job", "PageLinks", "Renderer", "Rendered", "asset_files", "check_content", "check_site",
           "display_name", "fr_date", "fr_money", "fr_number", "page_links", "render_pages", "template_files"]
