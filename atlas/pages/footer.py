"""Links that every page's footer makes to free pages (À propos, Accessibilité) and their sections.

Not every atlas has these pages or these headings, so a link is given only when its target
exists; what was looked at is recorded through the View, so adding the page or renaming the
heading re-renders the pages that link to it.
"""

from __future__ import annotations

import re

from ..read.source import slugify
from .view import View, entry_url

_HEADINGS: dict[str, frozenset[str]] = {}  # file digest -> heading ids (as the Markdown toc names them)
HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t#]*$", re.MULTILINE)


def page_link(view: View, slug: str, fragment: str = "") -> str:
    """'a-propos/#contribuer' if that page has that heading, 'a-propos/' without one, '' if no page."""
    view.count("pages")  # which pages exist
    entry = view.atlas.get("pages", slug)
    if entry is None:
        return ""
    url = entry_url("pages", slug)
    if not fragment:
        return url
    view.fields(entry)  # the page depends on the whole file; its headings are read once per version
    ids = _HEADINGS.get(entry.digest)
    if ids is None:
        body = view.atlas.with_body(entry).body or ""
        ids = _HEADINGS[entry.digest] = frozenset(slugify(m.group(1)) for m in HEADING.finditer(body))
    return f"{url}#{fragment}" if fragment in ids else ""
