"""Render pages: a strict, autoescaping Jinja environment, French formatting, Markdown bodies."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import jinja2
from babel.numbers import format_decimal
from markupsafe import Markup

from ..pages import footer
from ..model.kinds import Entry
from ..pages.jsonld import script as ld_script
from . import theme
from .links import template_ids
from .markdown import MarkdownRenderer
from ..pages.plan import Page, build_context
from ..model.dates import PartialDate
from ..model.problems import AtlasError
from ..model import deps
from ..pages.view import View, entry_url

LOCALE = "fr_FR"


class _Compiled(jinja2.BytecodeCache):
    """Compiled templates kept for the life of the process, used again while their source is the
    same: a long-lived process (serve) builds again and again, and compiling the templates would
    otherwise be most of a small rebuild. With a folder, also kept on disk for the next process
    (a third of a second per build; the folder is named after the engine's code and the base
    path, since both are compiled in)."""

    def __init__(self, folder: Path | None = None) -> None:
        self.codes: dict[str, tuple[str, Any]] = {}  # bucket key -> (source checksum, code object)
        self.folder = folder
        self.disk = jinja2.FileSystemBytecodeCache(str(folder)) if folder is not None else None

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        found = self.codes.get(bucket.key)
        if found is not None and found[0] == bucket.checksum:
            bucket.code = found[1]
        elif self.disk is not None:
            self.disk.load_bytecode(bucket)  # a file of another checksum leaves bucket.code None
            if bucket.code is not None:
                self.codes[bucket.key] = (bucket.checksum, bucket.code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.codes[bucket.key] = (bucket.checksum, bucket.code)
        if self.disk is not None and self.folder is not None:
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                self.disk.dump_bytecode(bucket)  # written aside and renamed by Jinja
            except OSError:
                pass  # a cache, not an output: the next process compiles again


_COMPILED: dict[tuple[str, Path | None], _Compiled] = {}


def fr_date(value: PartialDate | dt.date | None) -> str:
    """« 15 juillet 2013 », « 1er septembre 2025 », « janvier 2018 », « 2018 »: at the precision given."""
    if not value:
        return ""
    return (value if isinstance(value, PartialDate) else PartialDate.of(value)).french()


def fr_date_on(value: PartialDate | dt.date | None) -> str:
    """With its preposition: « le 1er septembre 2025 », « en janvier 2018 », « en 2018 »."""
    if not value:
        return ""
    return (value if isinstance(value, PartialDate) else PartialDate.of(value)).french_on()


def fr_number(value: float | int) -> str:
    """1 300, 66,1 (narrow no-break space for thousands, comma for decimals)."""
    return format_decimal(value, "#,##0.##", locale=LOCALE)


def fr_money(value: float | int) -> str:
    """3 M€, 66,1 M€, 1 500 €."""
    if value >= 1_000_000:
        return f"{format_decimal(value / 1_000_000, '#,##0.#', locale=LOCALE)}\u00a0M€"
    return f"{format_decimal(value, '#,##0', locale=LOCALE)}\u00a0€"


_BEFORE = re.compile(r"[ \t]+(?=[:;!?»])")
_AFTER = re.compile(r"(?<=«)[ \t]+")
_NUMBER = re.compile(r"(?<=\d) (?=\d{3}(?!\d)|(?:m²|km|k?M?€|%)(?!\w))")  # 1 300 m², 20 M€, 5 %
_TAG = re.compile(r"(<[^>]*>)")
_VERBATIM = re.compile(r"<(/?)(code|pre|script|style)\b", re.I)


def fr_spaces(text: str) -> str:
    """French typography: no line break before : ; ! ? » nor after «, nor inside a number or
    between a number and its unit (a no-break space there)."""
    return _NUMBER.sub("\u00a0", _AFTER.sub("\u00a0", _BEFORE.sub("\u00a0", text)))


def fr_spaces_html(html: str) -> str:
    """fr_spaces on the text of an HTML fragment, leaving tags and code as they are."""
    parts, verbatim = _TAG.split(html), 0
    for i, part in enumerate(parts):
        if i % 2:
            found = _VERBATIM.match(part)
            if found:
                verbatim = max(0, verbatim + (-1 if found.group(1) else 1))
        elif not verbatim:
            parts[i] = fr_spaces(part)
    return "".join(parts)


class Renderer:
    """Turns a Page into HTML bytes; one per process (Markdown and Jinja are not free to set up)."""

    def __init__(self, atlas: Any, root: Path, site: dict[str, Any], exports: dict[str, Any] | None = None,
                 compiled: Path | None = None) -> None:
        self.atlas, self.root, self.exports = atlas, root, exports
        self.view: View | None = None
        base = site["base_path"]
        self.md = MarkdownRenderer(self._resolve, base, template_ids(root).literal)
        self.env = jinja2.Environment(
            loader=theme.loader(root),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            bytecode_cache=_COMPILED.setdefault((base, compiled), _Compiled(compiled)),
        )
        self._cards: dict[tuple[str, str], Markup] = {}
        self.env.globals.update(site=site, base=base, card_html=self._card_html)
        self.env.filters.update(
            url=lambda u: base + u.lstrip("/"), fr_date=fr_date, fr_date_on=fr_date_on, fr_number=fr_number,
            fr_money=fr_money, markdown=self._markdown, fr_spaces=fr_spaces,
        )
        self.env.filters["ld_json"] = lambda data: ld_script(data, site)
        self.env.globals["current"] = footer.current

    def _resolve(self, kind: str, slug: str) -> tuple[str, str] | None:
        target = self.atlas.get(kind, slug)
        if target is None:
            return None
        if self.view is not None:
            self.view.deps.add(deps.card(kind, slug))
        return "/" + entry_url(kind, slug), target.title  # the Markdown renderer adds the base path

    def _card_html(self, card: dict[str, Any], heading: str = "h3") -> Markup:
        """A card rendered once per process: an entry's card is the same on every page that lists
        it (its data comes from the entry alone), and index pages list thousands."""
        key = (card["url"], heading, repr(card.get("filter")), repr(card.get("status")))  # lists add filters
        found = self._cards.get(key)
        if found is None:
            found = self._cards[key] = Markup(self.env.get_template("macros.html").module.card(card, heading))
        return found

    def _markdown(self, text: str) -> Markup:
        return Markup(fr_spaces_html(self.md.convert(text)))

    def render(self, page: Page) -> tuple[bytes, frozenset[str], tuple[Page, ...]]:
        """HTML bytes of a page, the dependencies read while making them, the pages it spawned
        (the further pages of its long lists, pages/paging.py)."""
        self.view = View(self.atlas, self.exports)
        try:
            context = build_context(page, self.view)
            context["page"] = page
            self.md.start_page({e.body: (e.path, e.body_line) for e in context.values()
                                if isinstance(e, Entry) and e.body}, page.url)
            html = self.env.get_template(page.template).render(context)
        except jinja2.TemplateSyntaxError as exc:
            where = theme.display_name(exc.filename, self.root) if exc.filename else f"templates/{exc.name}"
            raise AtlasError(f"{where}:{exc.lineno}: template syntax error: {exc.message}") from exc
        except jinja2.UndefinedError as exc:
            where = _template_frame(exc, self.root) or f"templates/{page.template}"
            raise AtlasError(f"{where}: undefined variable in template: {exc.message}") from exc
        except jinja2.TemplateNotFound as exc:
            where = _template_frame(exc, self.root) or f"templates/{page.template}"
            raise AtlasError(f"{where}: template not found: {exc.name}") from exc
        except Exception as exc:
            # A template that computes something impossible (1 + 'a', a missing attribute of a
            # value): a message at its line, not a traceback. Errors outside templates stay bugs.
            where = _template_frame(exc, self.root)
            if where is None:
                raise
            raise AtlasError(f"{where}: error in template: {type(exc).__name__}: {exc}") from exc
        deps, spawned = frozenset(self.view.deps), tuple(self.view.spawned)
        self.view = None
        return html.encode("utf-8"), deps, spawned


def _template_frame(exc: BaseException, root: Path) -> str | None:
    """templates/x.html:12 (or theme:x.html:12) for the innermost template frame of a traceback."""
    tb, found = exc.__traceback__, None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".html") and "templates" in filename:
            found = f"{theme.display_name(filename, root)}:{tb.tb_lineno}"
        tb = tb.tb_next
    return found
