"""Site settings: atlas.yaml, read with the line of every value, checked, merged over DEFAULTS.

Every problem of the file is collected and raised together (`SettingsError`), each printed as
`atlas.yaml:LINE: setting: message (hint)`; an unknown setting gets a « did you mean ».
`load()` returns the `site` dict the templates read: the settings as written (checked ones
normalised by their entry in CHECKS), and keys derived from them — `base_path`, the menu and
footer as `NavLink` records that keep their atlas.yaml line for the link check, the
accessibility statement link, the contact link and the web editor's URL for « Proposer une
correction ». A setting in DEFAULTS without an entry in CHECKS is taken as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlsplit

from .model.kinds import LINK_PREFIX, SLUG_PATTERN, entry_url
from .model.problems import AtlasError, Problem, closest
from .read.source import parse_yaml
from .read.vocabularies import resolve as resolve_vocabularies

FILE = "atlas.yaml"

# The engine's own pages, which every atlas has: the default header menu and footer links.
# An atlas that has an « À propos » page adds it in its own atlas.yaml (the engine never names a
# content page that may not exist).
DEFAULT_MENU = [
    {"label": "Acteurs", "url": "/acteurs/"}, {"label": "Lieux", "url": "/lieux/"},
    {"label": "Programmes", "url": "/programmes/"}, {"label": "Territoires", "url": "/territoires/"},
    {"label": "Thématiques", "url": "/thematiques/"}, {"label": "Carte", "url": "/carte/"},
    {"label": "Recherche", "url": "/recherche/"},
]
DEFAULT_FOOTER = [{"label": "Index de A à Z", "url": "/a-z/"}, {"label": "Données ouvertes", "url": "/donnees/"}]
ACCESSIBILITY = ("non conforme", "partiellement conforme", "totalement conforme")

DEFAULTS: dict[str, Any] = {
    "title": "Atlas de l'ESS",
    "description": "L'atlas de l'économie sociale et solidaire.",
    "base_url": "",
    "language": "fr",
    "contact": "",  # an e-mail address or a web page: footer and accessibility statement
    "repository": "",  # https://github.com/org/atlas: « Proposer une correction » on entry pages
    "branch": "main",  # the repository's branch that corrections are proposed against
    "menu": DEFAULT_MENU,
    "footer": DEFAULT_FOOTER,
    "accessibility": "non conforme",  # RGAA status, in the footer and on the statement page
    "accessibility_page": "",  # slug of the content page holding the accessibility statement
    "links": "error",  # a broken internal link is an error; `warn` while content is being migrated
    "licence_text": "CC BY-SA 4.0",
    "licence_data": "Licence Ouverte 2.0",
    "tiles_url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    "tiles_attribution": "© les contributeurs d'OpenStreetMap",
    "stale_months": 18,  # pages say « à vérifier » when `updated` is this much older than the newest one
    "types": {},  # types added to each kind's built-in ones (atlas/model/vocabulary.py), or a file name
    "fields": {},  # extra fields per kind (atlas/model/vocabulary.py), or a file name
}


class SettingsError(AtlasError):
    """Every problem of atlas.yaml; the message lists them one a line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(p.format() for p in self.problems))


class Invalid(Exception):
    """A bad value: the message and hint of its Problem; `at` names a part of it ('2.url')."""

    def __init__(self, message: str, hint: str = "", at: str = "") -> None:
        super().__init__(message)
        self.message, self.hint, self.at = message, hint, at


@dataclass(frozen=True)
class NavLink:
    """A link of the header menu, the footer or the statement, as a setting wrote it."""

    label: str
    url: str  # as written in atlas.yaml: '/carte/', 'page:a-propos#contribuer', 'https://…'
    href: str  # what the page's <a href> says: the base path and `path`, or the external URL
    path: str | None  # site-relative target ('a-propos/#contribuer', '' for home); None if external
    # Where in atlas.yaml, for messages; left out of repr, which the build's settings digest
    # reads: a comment added above the menu must not re-render every page.
    setting: str = field(repr=False)  # 'menu.3.url'
    line: int = field(repr=False)  # 0 for a default


def load(root: Path, base_url: str | None = None) -> dict[str, Any]:
    """DEFAULTS, then atlas.yaml, then `--base-url`; checked, with the derived keys added."""
    site = dict(DEFAULTS)
    values, lines, raw = read(root / FILE)
    site.update(values)
    resolve_vocabularies(root, site)
    if base_url is not None:
        site["base_url"] = base_url
    problems: list[Problem] = []
    for name, checker in CHECKS.items():
        try:
            site[name] = checker(site[name], raw.get(name))
        except Invalid as exc:
            where = f"{name}.{exc.at}" if exc.at else name
            if name == "base_url" and base_url is not None:  # from the command line, not the file
                problems.append(Problem("--base-url", 0, "", exc.message, exc.hint))
            else:
                problems.append(Problem(FILE, _line(lines, where), where, exc.message, exc.hint))
    if problems:
        raise SettingsError(problems)
    site["base_url"], site["base_path"] = _base(site["base_url"])
    site.update(derived(site, lines))
    return site


def read(path: Path) -> tuple[dict[str, Any], dict[str, int], dict[str, str]]:
    """(settings, line of each value path, raw text of non-text scalars); unknown names refused."""
    if not path.exists():
        return {}, {}, {}
    problems: list[Problem] = []
    try:
        text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise SettingsError([Problem(FILE, 0, "", f"not valid UTF-8 (offset {exc.start})",
                                     "save the file as UTF-8")]) from exc
    values, lines, raw = parse_yaml(text.replace("\r\n", "\n"), FILE, 0, problems)
    for name in values:
        if name not in DEFAULTS:
            hint = closest(name, DEFAULTS) or "settings: " + ", ".join(DEFAULTS)
            problems.append(Problem(FILE, lines.get(name, 0), name, "unknown setting", hint))
    if problems:
        raise SettingsError(problems)
    return values, lines, raw


def _line(lines: dict[str, int], path: str) -> int:
    """The line of a value path, or of the nearest enclosing one."""
    while path:
        if path in lines:
            return lines[path]
        path = path.rpartition(".")[0]
    return 0


# --- checks: value (and its raw text when YAML made it a number or a boolean) -> normalised value

Checker = Callable[[Any, "str | None"], Any]


def _text(required: bool = True) -> Checker:
    """One line of text; a number or `yes` is kept as written."""
    def check(value: Any, raw: str | None) -> str:
        if not isinstance(value, str):
            if raw is None:
                raise Invalid(f"expected text, got {_kind(value)}", "write it on one line after the colon")
            value = raw
        value = value.strip()
        if "\n" in value:
            raise Invalid("expected a single line of text", "remove the line breaks")
        if required and not value:
            raise Invalid("must not be empty")
        return value
    return check


def _choice(*choices: str) -> Checker:
    def check(value: Any, raw: str | None) -> str:
        text = _text(required=False)(value, raw)
        if text not in choices:
            shown = " | ".join(f"« {c} »" if " " in c else c for c in choices if c)
            raise Invalid(f"'{text}' is not one of {shown}", closest(text, choices) or f"write one of {shown}")
        return text
    return check


def _check_base_url(value: Any, raw: str | None) -> str:
    text = _text(required=False)(value, raw)
    _base(text)
    return text


_EMAIL = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\".]+$")


def _check_contact(value: Any, raw: str | None) -> str:
    text = _text(required=False)(value, raw).removeprefix("mailto:")
    if text and not _EMAIL.match(text) and not _web_url(text):
        raise Invalid(f"'{text}' is neither an e-mail address nor an http(s) URL",
                      "write contact@example.org or https://example.org/contact/")
    return text


def _check_repository(value: Any, raw: str | None) -> str:
    text = _text(required=False)(value, raw).rstrip("/").removesuffix(".git")
    if text and (not _web_url(text) or len([p for p in urlsplit(text).path.split("/") if p]) < 2):
        raise Invalid(f"'{text}' is not the web address of a repository",
                      "write it as https://github.com/organisation/atlas")
    return text


_BRANCH = re.compile(r"^(?!-)(?!.*\.\.)[A-Za-z0-9._/-]+(?<![./])$")


def _check_branch(value: Any, raw: str | None) -> str:
    text = _text()(value, raw)
    if not _BRANCH.match(text):
        raise Invalid(f"'{text}' is not a branch name", "write it as in git, e.g. main")
    return text


def _check_slug(value: Any, raw: str | None) -> str:
    text = _text(required=False)(value, raw)
    if text and not re.match(SLUG_PATTERN, text):
        raise Invalid(f"'{text}' is not the slug of a page",
                      "write the file name of a content/pages/ page without .md, e.g. accessibilite")
    return text


def _check_links(value: Any, raw: str | None) -> list[dict[str, str]]:
    """A list of {label, url}; every url a valid link target (whether it exists is checked later)."""
    if not isinstance(value, list):
        raise Invalid(f"expected a list of links, got {_kind(value)}",
                      "write one '- {label: …, url: …}' line per link")
    found = []
    for i, item in enumerate(value):
        if not isinstance(item, dict):
            raise Invalid(f"expected {{label, url}}, got {_kind(item)}", "write '- {label: Carte, url: /carte/}'",
                          str(i))
        for key in item:
            if key not in ("label", "url"):
                raise Invalid(f"unknown key '{key}'", closest(key, ("label", "url")) or "a link has a label "
                              "and a url", f"{i}.{key}")
        for key in ("label", "url"):
            if key not in item:
                raise Invalid(f"missing '{key}'", "a link has a label and a url", str(i))
            try:
                _text()(item[key], None)
            except Invalid as exc:
                raise Invalid(exc.message, exc.hint, f"{i}.{key}") from exc
        try:
            link_target(item["url"].strip())
        except Invalid as exc:
            raise Invalid(exc.message, exc.hint, f"{i}.url") from exc
        found.append({"label": item["label"].strip(), "url": item["url"].strip()})
    return found


CHECKS: dict[str, Checker] = {
    "title": _text(), "description": _text(required=False), "base_url": _check_base_url,
    "contact": _check_contact, "repository": _check_repository, "branch": _check_branch,
    "menu": _check_links, "footer": _check_links, "accessibility": _choice("", *ACCESSIBILITY),
    "accessibility_page": _check_slug, "links": _choice("error", "warn"),
}


def link_target(url: str) -> str | None:
    """Site-relative target of a link setting ('a-propos/#contribuer'), or None for an external one.

    Accepted: `/path/` from the site root (the build adds the base path), a cross-link as in
    bodies (`page:a-propos#contribuer`, `acteur:la-nef`), an http(s), mailto or tel URL.
    """
    scheme = url.partition(":")[0].lower() if ":" in url.split("/")[0] else ""
    if scheme in ("http", "https", "mailto", "tel"):
        if scheme.startswith("http") and not urlsplit(url).netloc:
            raise Invalid(f"'{url}' has no host", "write https://example.org/…")
        return None
    if scheme in LINK_PREFIX:
        slug, _, fragment = url.partition(":")[2].partition("#")
        if not re.match(SLUG_PATTERN, slug):
            raise Invalid(f"'{slug}' is not a slug", f"write {scheme}:<file name without .md>")
        return entry_url(LINK_PREFIX[scheme], slug) + (f"#{fragment}" if fragment else "")
    if scheme:
        raise Invalid(f"'{url}': links are http(s), mailto, tel, a path like /carte/ or a cross-link like "
                      "page:a-propos", closest(scheme, [*LINK_PREFIX, "https", "mailto"]))
    if url.startswith("//"):
        raise Invalid(f"'{url}' has no scheme", f"write https:{url}")
    if not url.startswith("/"):
        raise Invalid(f"'{url}' is relative: it would change from page to page",
                      f"write it from the site root: '/{url.lstrip('./')}'")
    return url[1:]


def derived(site: dict[str, Any], lines: dict[str, int]) -> dict[str, Any]:
    """What templates read besides the settings: links as NavLink records, contact, editor URL."""
    base = site["base_path"]

    def nav(setting: str, index: int, item: dict[str, str]) -> NavLink:
        path = link_target(item["url"])
        where = f"{setting}.{index}.url"
        return NavLink(item["label"], item["url"], item["url"] if path is None else base + path, path, where,
                       lines.get(where, 0))

    page = site["accessibility_page"]
    statement = None
    if page and site["accessibility"]:
        statement = NavLink(f"Accessibilité : {site['accessibility']}", f"page:{page}", base + entry_url("pages", page),
                            entry_url("pages", page), "accessibility_page", lines.get("accessibility_page", 0))
    contact = site["contact"]
    return {
        "menu": tuple(nav("menu", i, item) for i, item in enumerate(site["menu"])),
        "footer": tuple(nav("footer", i, item) for i, item in enumerate(site["footer"])),
        "accessibility_link": statement,
        "contact_href": contact if _web_url(contact) or not contact else "mailto:" + contact,
        "edit_base": edit_base(site["repository"], site["branch"]),
    }


def setting_links(site: dict[str, Any]) -> list[NavLink]:
    """Every internal link the settings make, for the link check."""
    found = [*site["menu"], *site["footer"], site["accessibility_link"]]
    return [link for link in found if link is not None and link.path is not None]


# Where each forge's web editor opens a file: GitHub's form unless the host says otherwise.
EDITORS = (("gitlab", "{repository}/-/edit/{branch}/"), ("codeberg", "{repository}/_edit/{branch}/"),
           ("gitea", "{repository}/_edit/{branch}/"), ("forgejo", "{repository}/_edit/{branch}/"))


def edit_base(repository: str, branch: str) -> str:
    """'https://github.com/org/atlas/edit/main/': the web editor's URL of a file, without the file."""
    if not repository:
        return ""
    host = urlsplit(repository).netloc.lower()
    form = next((f for name, f in EDITORS if name in host), "{repository}/edit/{branch}/")
    return form.format(repository=repository, branch=branch)


def _web_url(text: str) -> bool:
    parts = urlsplit(text)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in text


def _kind(value: Any) -> str:
    return {str: "text", bool: "true/false", int: "a number", float: "a number", list: "a list", dict: "a mapping",
            type(None): "nothing"}.get(type(value), type(value).__name__)


def _base(url: str) -> tuple[str, str]:
    """('https://x.org/atlas/', '/atlas/') from any of 'https://x.org/atlas', '/atlas', ''."""
    if not url:
        return "", "/"
    parts = urlsplit(url)
    if parts.scheme and parts.scheme not in ("http", "https") or (parts.scheme and not parts.netloc):
        raise Invalid(f"{url!r}: only an http(s) URL or a path like /atlas/",
                      "write https://exemple.github.io/atlas/ or /atlas/")
    if not parts.scheme and not url.startswith("/"):
        raise Invalid(f"{url!r}: only an http(s) URL or a path like /atlas/", f"write /{url.strip('/')}/")
    path = "/" + parts.path.strip("/") + "/" if parts.path.strip("/") else "/"
    if parts.scheme:
        return f"{parts.scheme}://{parts.netloc}{path}", path
    return "", path
