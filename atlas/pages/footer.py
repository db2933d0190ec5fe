"""The header menu and the footer show the links of the settings (`menu`, `footer`, atlas/config.py).

The engine names no content page here: an atlas lists its own « À propos » or statement page in
its atlas.yaml, and the link check reports a link to a page that does not exist at its line.
"""

from __future__ import annotations

from ..config import NavLink


def current(link: NavLink, page_url: str) -> str:
    """aria-current of a menu link: 'page' on the page it names, 'true' anywhere in its section."""
    if link.path is None:
        return ""
    if link.path == page_url:
        return "page"
    if page_url and link.path == page_url.split("/")[0] + "/":
        return "true"
    return ""
