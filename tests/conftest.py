"""Shared fixtures: fixture atlases written inline, the fixture atlas built as a whole site, a browser.

Nothing here reads the repository's content/, atlas.yaml or site/: engine tests build their own
atlases (tests/sample/ holds the tests of the sample atlas, with its own fixtures)."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import textwrap
import threading
from pathlib import Path
from typing import Any, Callable, Iterator
from urllib.parse import urlsplit

import pytest

from atlas.pipeline import Options, Result, build
from atlas.render.theme import THEME_ASSETS, THEME_TEMPLATES
from fixture_atlas import IMAGES, WHOLE

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def write_tree(base: Path, files: dict[str, str]) -> Path:
    """Write {relative path: text} under base (text is dedented); the theme gives templates and assets."""
    for rel, text in files.items():
        path = base / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return base


def override(root: Path, *names: str) -> Path:
    """Copy theme files (`templates/x.html`, `assets/y.css`) into the site as overrides; the last one's path."""
    path = root
    for name in names:
        folder, _, rest = name.partition("/")
        source = (THEME_TEMPLATES if folder == "templates" else THEME_ASSETS) / rest
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, path)
    return path


@pytest.fixture
def tree(tmp_path: Path) -> Callable[[dict[str, str]], Path]:
    """A factory for small atlases: tree({'content/actors/x.md': '---\\ntitle: X\\n---\\n'})."""
    return functools.partial(write_tree, tmp_path / "atlas")


def record_requests(page) -> tuple[list[str], list[str]]:
    """(every request URL, those that left 127.0.0.1) of a browser page; the outside ones are aborted."""
    every: list[str] = []
    outside: list[str] = []

    def route(r) -> None:
        every.append(r.request.url)
        if urlsplit(r.request.url).hostname == "127.0.0.1":
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    return every, outside


def build_tree(root: Path, **kw) -> Result:
    """Build root into root/site without cache side effects unless asked."""
    kw.setdefault("use_cache", False)
    return build(Options(root=root, out=root / "site", **kw))


def cold_digest(root: Path, tmp: Path, search: bool = True) -> dict[str, str]:
    """The digest of a cold build (no cache) of a copy of `root`'s sources, made in tmp/cold."""
    from helpers import tree_digest

    copy = tmp / "cold"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("site", ".site*", ".atlas-cache"))
    return tree_digest(build_whole(copy, copy / "site", search=search))


def schema_failures(root: Path) -> list[str]:
    """`path: json path: message` for every entry file of `root` its kind's JSON Schema refuses
    (each file read as the reader reads it, and read without problems)."""
    import jsonschema

    from atlas.model.jsonschema import schema_for
    from atlas.read.source import discover, read_entry

    validator = jsonschema.Draft202012Validator
    failures = []
    for path in discover(root)[0]:
        raw = read_entry(path, root)
        assert not raw.problems, raw.problems
        schema = validator(schema_for(raw.kind), format_checker=validator.FORMAT_CHECKER)
        failures += [f"{raw.path}: {e.json_path}: {e.message}" for e in schema.iter_errors(raw.data)]
    return failures


def build_whole(root: Path, out: Path, **kw) -> Path:
    """Build root into out, cold; fail with the report's lines unless it is clean."""
    result = build(Options(root=root, out=out, use_cache=False, **kw))
    assert result.report.ok, "\n".join(result.report.lines())
    return out


@pytest.fixture(scope="session")
def whole_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture atlas (tests/fixture_atlas.py WHOLE) built once, strict, as a whole site: every
    page type, search index included, default base URL '/'. The atlas's root is its parent folder."""
    root = write_tree(tmp_path_factory.mktemp("whole") / "atlas", WHOLE)
    draw_images(root)
    return build_whole(root, root / "site", strict=True)


def draw_images(root: Path) -> None:
    """The image files of the fixture atlas's complete entries (fixture_atlas.IMAGES)."""
    from PIL import Image

    for i, (rel, size) in enumerate(sorted(IMAGES.items())):
        Image.new("RGB", size, (40 + 30 * i, 110, 160 - 20 * i)).save(root / rel)


PUBLISHED_URL = "https://example.org/atlas/"


@pytest.fixture(scope="session")
def published_site(whole_site: Path) -> Path:
    """The fixture atlas built as published: absolute base URL PUBLISHED_URL (canonical links,
    sitemap.xml, flux.xml), no search index. Built from the same copy as whole_site."""
    return build_whole(whole_site.parent, whole_site.parent / "published", base_url=PUBLISHED_URL, search=False)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def serve_folder(folder: Path) -> Iterator[str]:
    """Serve a built site on 127.0.0.1 (a free port) until the generator is closed; yields its URL."""
    yield from serve(functools.partial(_Quiet, directory=str(folder)))


def serve(handler: Any) -> Iterator[str]:
    """Serve a request handler on 127.0.0.1 (a free port) until the generator is closed; yields its URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def site_server(whole_site: Path) -> Iterator[str]:
    """The built fixture atlas (whole_site) served on 127.0.0.1; yields the base URL."""
    yield from serve_folder(whole_site)


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by playwright. Missing chromium: skipped locally, failed in CI."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("chromium is missing in CI: dev.py test installs it with apt-get")
        pytest.skip("chromium not installed (python3 dev.py test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR")
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The URLs of the pages rendered from now on in this process (builds below the worker threshold)."""
    from atlas.render.renderer import Renderer

    urls: list[str] = []
    original = Renderer.render

    def recording(self, page):
        urls.append(page.url)
        return original(self, page)

    monkeypatch.setattr(Renderer, "render", recording)
    return urls
