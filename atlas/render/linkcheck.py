"""Every internal link resolves to a page, a file or an anchor of the site; otherwise, its source.

Two entry points, one rule (`reason()`):

- `check_site()`, in `build`, once the pages and outputs of the next site are made and before it
  is swapped in: the links of every page's record (`links.PageLinks`, made by the worker that
  rendered the page, or kept from the cache for a page not rendered again) against the next
  site's files and the ids of its pages. Each distinct URL is resolved once.
- `check_content()`, in `check`, which renders nothing: the links of the bodies (converted one by
  one) and of the settings, against the planned pages and the assets. Anchors are those of the
  bodies and of the templates; files that only the build makes (open data, feeds) are taken on
  trust — `build` checks them.

A broken link is reported once per source, at the content file and line for a body, at its
atlas.yaml line for a setting, and for a template at the first template line that writes its
path (the page's own template when none does). An error by default; a warning with
`links: warn` in atlas.yaml (and `--strict` makes warnings errors again).

Integration with the pipeline, all of it: the render worker calls `links.page_links()` on the HTML
it just made and returns the record with the page's dependencies; the cache keeps it as the third
element of the page's record (url -> (file, dependencies, links)), reused with the page when the
page is not rendered again; `build()` calls `check_site()` once the outputs are made, and fails
before the swap on an error; `check()` calls `check_content()`.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Collection, Container, Iterable, Mapping
from urllib.parse import unquote

from .. import config
from ..link.graph import Atlas
from ..model.kinds import LINK_PREFIX
from ..model.problems import ERROR, WARNING, Problem, closest
from ..model.kinds import HOME_PAGE, entry_url
from .links import BodyLink, PageLinks, TemplateIds, attributes, template_ids
from .markdown import MarkdownRenderer
from .theme import asset_files, template_files

if TYPE_CHECKING:  # pages.plan is imported when check_content runs: it imports the outputs, which import it
    from ..pages.plan import Page

_IMAGES = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg"}
Record = tuple[str, tuple[str, ...], PageLinks]  # the cache's page record: (file, dependencies, links)


class _Everything:
    """The ids of a file whose ids are not known: any anchor is taken."""

    def __contains__(self, name: object) -> bool:
        return True


@dataclass(frozen=True)
class Targets:
    """What a link may reach: the site's files, and the ids of each page file."""

    files: Collection[str]  # 'acteurs/x/index.html', 'assets/style.css'
    ids: Callable[[str], Container[str]]
    later: bool = False  # `check`: a file outside assets/, not an image, may be one the build makes


@dataclass(frozen=True)
class Broken:
    """Why a link reaches nothing, and how it might be fixed."""

    reason: str  # 'no page or file', 'no anchor #x'
    hint: str = ""
    target: str = ""  # what the link reaches, from the site root ('/acteurs/zz/'), when worth saying

    def describe(self, written: str) -> str:
        """'link to '../zz/': no page or file at /acteurs/zz/', the target left out when it is the link."""
        shown = f" at {self.target}" if self.target and self.target.lstrip("/") != written.lstrip("/") else ""
        return f"{self.reason}{shown}"


def reason(url: str, targets: Targets, base_path: str) -> Broken | None:
    """None when a root-relative URL ('/atlas/x/#y') reaches a file (and the anchor), else why not."""
    path, _, fragment = url.partition("#")
    path, fragment = unquote(path), unquote(fragment)
    if not path.startswith(base_path):
        return Broken(f"outside the site, whose pages are under {base_path}",
                      "write it from the site root as if the site were at /: the build adds the base path")
    rel = path[len(base_path):]
    file = find_file(rel, targets)
    if file is None:
        what = "no such file" if rel.startswith("assets/") else "no page or file"
        return Broken(what, _near_file(rel, targets, base_path), "/" + rel)
    if fragment and file.endswith(".html"):
        ids = targets.ids(file)
        if fragment not in ids:
            names = ids.names() if isinstance(ids, _Union) else ids
            hint = closest(fragment, names) if isinstance(names, (set, frozenset)) else ""
            return Broken(f"no anchor '#{fragment}' on /{rel}", hint)
    return None


def find_file(rel: str, targets: Targets) -> str | None:
    """The site file a path names: a page folder's index.html, or the file itself."""
    candidates = [rel + "index.html"] if rel == "" or rel.endswith("/") else [rel, rel + "/index.html"]
    for candidate in candidates:
        if candidate in targets.files:
            return candidate
    extension = posixpath.splitext(rel)[1].lower()
    if targets.later and not rel.startswith("assets/") and extension not in ("", ".html", *_IMAGES):
        return rel
    return None


def _near_file(rel: str, targets: Targets, base_path: str) -> str:
    """« did you mean » among the names of the pages and files of the same folder."""
    folder, _, name = rel.rstrip("/").rpartition("/")
    near: dict[str, str] = {}  # name in the folder -> its URL
    for file in targets.files:
        other = file.removesuffix("index.html")
        parent, _, other_name = other.rstrip("/").rpartition("/")
        if parent == folder and other_name:
            near[other_name] = base_path + other
    hint = closest(name, near)
    if hint:  # the names it quotes, as URLs
        hint = re.sub(r"'([^']*)'", lambda m: f"'{near.get(m.group(1), m.group(1))}'", hint)
    elif rel.startswith("assets/"):
        hint = f"put the file in the atlas's {rel.rpartition('/')[0] or 'assets'}/ folder"
    elif posixpath.splitext(rel)[1].lower() in _IMAGES:
        hint = "images come from the atlas's assets/ folder: write /assets/<file name>"
    return hint


# --- build ----------------------------------------------------------------------------------


def check_site(records: Mapping[str, Record], files: Collection[str], site: dict[str, Any],
               root: Path) -> list[Problem]:
    """The links of every page of the next site (page URL -> cache record), settings included."""
    base = site["base_path"]
    ids_of = {file: links.ids for file, _, links in records.values()}
    targets = Targets(files, lambda file: ids_of.get(file, _EVERYTHING))
    out = Problems(site)
    settings = {base + link.path: link for link in config.setting_links(site)}
    out.settings(settings.values(), targets)
    every = frozenset().union(*(links.urls for _, _, links in records.values()))
    broken = {url: found for url in every - settings.keys() if (found := reason(url, targets, base))}
    sources = _TemplateSources(root)
    for page_url, (file, _, links) in sorted(records.items()):
        for url in sorted(links.urls & broken.keys()) if broken else ():
            out.template(sources.find(url.removeprefix(base), links.template), url, broken[url], page_url)
        for fragment in sorted(links.fragments - links.ids):
            out.template(sources.find(f"#{fragment}", links.template), f"#{fragment}",
                         Broken(f"no anchor '#{fragment}' on this page"), page_url)
        out.bodies(links.body, page_url, targets)
    return out.problems()


# --- check ----------------------------------------------------------------------------------


def check_content(atlas: Atlas, root: Path, site: dict[str, Any]) -> list[Problem]:
    """Body and settings links against the planned pages and the assets, without rendering."""
    from ..pages.plan import plan

    base = site["base_path"]
    pages = plan(atlas)
    reserved = template_ids(root)
    bodies = _Bodies(atlas, pages, MarkdownRenderer(_resolver(atlas), base, reserved.literal), reserved)
    targets = Targets({p.path for p in pages} | set(asset_files(root)), bodies.ids, later=True)
    out = Problems(site)
    out.settings(config.setting_links(site), targets)
    for page in pages:
        out.bodies(bodies.links(page), page.url, targets)
    return out.problems()


def _resolver(atlas: Atlas) -> Callable[[str, str], tuple[str, str] | None]:
    def resolve(kind: str, slug: str) -> tuple[str, str] | None:
        entry = atlas.get(kind, slug)
        return None if entry is None else ("/" + entry_url(kind, slug), entry.title)
    return resolve


class _Bodies:
    """The bodies of the planned pages, converted when their links or ids are asked for."""

    def __init__(self, atlas: Atlas, pages: list["Page"], md: MarkdownRenderer, reserved: TemplateIds) -> None:
        self.atlas, self.md, self.reserved = atlas, md, reserved
        self.shown = {p.path: (p, e) for p in pages if (e := _shown_entry(atlas, p)) is not None}
        self.converted: dict[str, tuple[list[BodyLink], frozenset[str]]] = {}

    def links(self, page: "Page") -> list[BodyLink]:
        if page.path not in self.shown:
            return []
        return self._convert(page.path, only_linking=True)[0]

    def ids(self, file: str) -> Container[str]:
        if file not in self.shown:
            return self.reserved
        return _Union(self._convert(file)[1], self.reserved)

    def _convert(self, file: str, only_linking: bool = False) -> tuple[list[BodyLink], frozenset[str]]:
        """(links, ids) of the body a page shows; with `only_linking`, a body without a link to
        check is not converted (its ids are made if a link asks for them later)."""
        if file not in self.converted:
            page, entry = self.shown[file]
            entry = self.atlas.with_body(entry)
            body = entry.body or ""
            if only_linking and not _may_link(body):
                return [], frozenset()
            self.md.start_page({body: (entry.path, entry.body_line)}, page.url)
            fragment = self.md.convert(body)
            ids = frozenset(value for name, value in attributes(fragment) if name == "id")
            self.converted[file] = (self.md.body_links, ids)
        return self.converted[file]


def _shown_entry(atlas: Atlas, page: "Page") -> Any:
    """The entry whose body a page shows, if it shows one."""
    if page.builder == "entry":
        return atlas.get(*page.args)
    if page.builder == "free_page":
        return atlas.get("pages", page.args[0])
    if page.builder == "home":
        return atlas.get("pages", HOME_PAGE)
    return None


_DESTINATION = re.compile(r"\]\(\s*<?([^)\s>]*)|^ {0,3}\[[^\]]+\]:\s*<?(\S*)|\b(?:href|src)\s*=\s*[\"']?([^\"'\s>]*)",
                          re.M)
_SAFE = re.compile(r"^(?:https?:|mailto:|tel:|//|(?:" + "|".join(LINK_PREFIX) + r"):[^#]*$)", re.I)


def _may_link(body: str) -> bool:
    """Whether a body may hold a link to check: a path, a fragment, a cross-link with a fragment.

    Converting a body costs milliseconds; most bodies link only outside the site, or to entries
    by cross-link (checked when the atlas is linked), and need not be converted at all.
    """
    for found in _DESTINATION.finditer(body):
        url = next((g for g in found.groups() if g is not None), "")
        if not _SAFE.match(url):
            return True
    return False


@dataclass(frozen=True)
class _Union:
    """The ids of a page as `check` knows them: its body's and those its templates may write."""

    body: frozenset[str]
    templates: TemplateIds

    def __contains__(self, name: object) -> bool:
        return name in self.body or name in self.templates

    def names(self) -> frozenset[str]:
        """The ids known to be on the page, for a « did you mean »."""
        return self.body


_EVERYTHING = _Everything()


# --- reporting ------------------------------------------------------------------------------


class Problems:
    """Broken links as problems, one per source and URL, at the severity the settings give."""

    def __init__(self, site: dict[str, Any]) -> None:
        self.severity = WARNING if site["links"] == "warn" else ERROR
        self.base = site["base_path"]
        self.found: list[Problem] = []
        self.by_template: dict[tuple[str, int, str], tuple[Broken, list[str]]] = {}

    def settings(self, links: Iterable[config.NavLink], targets: Targets) -> None:
        for link in links:
            found = reason(self.base + (link.path or ""), targets, self.base)
            if found:
                self.found.append(Problem(config.FILE, link.line, link.setting,
                                          f"link to '{link.url}': {found.describe(link.url)}", found.hint,
                                          self.severity))

    def bodies(self, links: Iterable[BodyLink], page_url: str, targets: Targets) -> None:
        for link in links:
            url = self.base + page_url + link.url if link.url.startswith("#") else link.url
            found = reason(url, targets, self.base)
            if found and link.image and found.reason == "no page or file":
                found = Broken("no such file", found.hint, found.target)
            if found:
                what = "image" if link.image else "link to"
                self.found.append(Problem(link.file, link.line, "body",
                                          f"{what} '{link.written}': {found.describe(link.written)}",
                                          found.hint, self.severity))

    def template(self, where: tuple[str, int], url: str, found: Broken, page_url: str) -> None:
        key = (*where, url)
        self.by_template.setdefault(key, (found, []))[1].append(page_url)

    def problems(self) -> list[Problem]:
        result = list(self.found)
        for (name, line, url), (found, pages) in self.by_template.items():
            on = f"on /{pages[0]}" if len(pages) == 1 else f"on {len(pages)} pages, first /{pages[0]}"
            hint = "; ".join(h for h in (on, found.hint) if h)
            written = url.removeprefix(self.base) if not url.startswith("#") else url
            result.append(Problem(name, line, "", f"link to '{url}': {found.describe(written)}", hint,
                                  self.severity))
        return sorted(set(result))


class _TemplateSources:
    """Where a template writes a link: the first line that names its path, the page's template first."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._files: list[tuple[str, list[str]]] | None = None

    def find(self, needle: str, template: str) -> tuple[str, int]:
        files = self.files()
        own = [f for f in files if f[0].split(":", 1)[-1].removeprefix("templates/") == template]
        for text in filter(None, (needle, needle.partition("#")[0])):
            pattern = re.compile(r"(?<![\w-])" + re.escape(text.lstrip("/")) + r"(?![\w-])")
            for name, lines in own + [f for f in files if f not in own]:
                for number, line in enumerate(lines, 1):
                    if pattern.search(line):
                        return name, number
        return (own[0][0] if own else template), 0

    def files(self) -> list[tuple[str, list[str]]]:
        if self._files is None:
            self._files = [(name, path.read_text(encoding="utf-8", errors="replace").split("\n"))
                           for name, path in template_files(self.root) if path.suffix == ".html"]
        return self._files

