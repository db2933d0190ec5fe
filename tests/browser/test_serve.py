"""`build.py serve` in headless Chromium: live reload, no lost save, error overlay, CSS, safety, Ctrl-C.

Each test starts the real command as a subprocess on a free port of 127.0.0.1, against a small
atlas in a temporary folder, and stops it by PID. Waits are conditions with timeouts (the CI
machine is a busy 2-core one), never fixed sleeps.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pytest
from conftest import ROOT, override, write_tree
from playwright.sync_api import Page, expect

from atlas.pipeline import Options, check

pytestmark = pytest.mark.browser

WAIT_MS = 10_000  # for one rebuild and reload on a loaded machine
ALPHA = "---\ntitle: {title}\ntype: association\nsummary: Une association de test.\n---\nCorps du texte.\n"
FILES = {
    "content/actors/alpha.md": ALPHA.format(title="Alpha"),
    "content/actors/beta.md": "---\ntitle: Beta\ntype: cooperative\npartners: [alpha]\n---\nBeta.\n",
    "content/actors/gamma.md": "---\ntitle: Gamma\ntype: association\n---\nSeule.\n",
    "content/themes/epargne-solidaire.md": "---\ntitle: Finance solidaire\n---\n",
}


@dataclass
class Server:
    """A running `build.py serve` and what it printed."""

    root: Path
    proc: subprocess.Popen
    url: str = ""
    log: list[str] = field(default_factory=list)
    ready: threading.Event = field(default_factory=threading.Event)

    def read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.log.append(line)
            found = re.search(r"serving (http://\S+/)", line)
            if found:
                self.url = found.group(1)
                self.ready.set()
        self.ready.set()

    def write(self, rel: str, text: str) -> None:
        (self.root / rel).write_text(text, encoding="utf-8")

    @property
    def out(self) -> Path:
        return self.root / ".atlas-cache" / "serve" / "site"

    def output(self) -> str:
        return "".join(self.log)


def start(root: Path) -> Server:
    command = [sys.executable, str(ROOT / "build.py"), "serve", "--root", str(root), "--port", "0"]
    proc = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, encoding="utf-8")
    server = Server(root, proc)
    threading.Thread(target=server.read, daemon=True).start()
    assert server.ready.wait(60) and server.url, f"the server did not start:\n{server.output()}"
    return server


def stop(server: Server) -> int:
    """Ctrl-C, then wait for the exit; killed (and failed) if it hangs."""
    if server.proc.poll() is None:
        server.proc.send_signal(signal.SIGINT)
    try:
        return server.proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.proc.kill()
        server.proc.wait()
        raise AssertionError(f"serve did not stop on SIGINT:\n{server.output()}") from None


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    s = start(write_tree(tmp_path / "atlas", FILES))
    yield s
    stop(s)


def test_binds_localhost_by_default(server: Server) -> None:
    assert server.url.startswith("http://127.0.0.1:")
    assert not (server.root / "site").exists(), "a preview must not write the deploy folder site/"
    assert (server.out / "index.html").is_file()


def test_title_change_shows_without_action(server: Server, page: Page) -> None:
    page.goto(server.url + "acteurs/alpha/")
    expect(page.locator("h1")).to_have_text("Alpha")
    server.write("content/actors/alpha.md", ALPHA.format(title="Alpha renommée"))
    expect(page.locator("h1")).to_have_text("Alpha renommée", timeout=WAIT_MS)
    assert "livereload" not in (server.out / "acteurs/alpha/index.html").read_text(), \
        "the script is injected into responses, not into built files"


def test_no_save_is_lost(server: Server, page: Page) -> None:
    page.goto(server.url + "acteurs/alpha/")
    # Right after the start: livereload alone would drop this one (within 3 s of the start).
    server.write("content/actors/alpha.md", ALPHA.format(title="Version 1"))
    expect(page.locator("h1")).to_have_text("Version 1", timeout=WAIT_MS)
    # Right after a reload: livereload alone would drop it too (within 3 s of the previous reload).
    first = time.monotonic()
    server.write("content/actors/alpha.md", ALPHA.format(title="Version 2"))
    expect(page.locator("h1")).to_have_text("Version 2", timeout=WAIT_MS)
    # Two saves within a second, without waiting for the first to show: the second one stays.
    server.write("content/actors/alpha.md", ALPHA.format(title="Version 3"))
    page.wait_for_timeout(300)
    server.write("content/actors/alpha.md", ALPHA.format(title="Version 4"))
    expect(page.locator("h1")).to_have_text("Version 4", timeout=WAIT_MS)
    assert time.monotonic() - first < 30


def test_broken_yaml_shows_overlay_then_fix_brings_page_back(server: Server, page: Page) -> None:
    page.goto(server.url + "acteurs/alpha/")
    overlay = page.locator("#atlas-erreurs")
    expect(overlay).to_have_count(0)
    server.write("content/actors/alpha.md", "---\ntitle: Alpha\ntype: association: coopérative\n---\n")
    expect(overlay).to_be_visible(timeout=WAIT_MS)
    expected = check(Options(root=server.root)).report.lines()
    assert any(line.startswith("content/actors/alpha.md:3: YAML syntax") for line in expected), expected
    text = overlay.inner_text()
    for line in expected:
        assert line in text
    expect(page.locator("h1")).to_have_text("Alpha")  # the last good build is still served
    page.goto(server.url)  # every page shows it
    expect(overlay).to_contain_text("content/actors/alpha.md:3: YAML syntax")
    server.write("content/actors/alpha.md", ALPHA.format(title="Alpha réparée"))
    expect(overlay).to_have_count(0, timeout=WAIT_MS)
    page.goto(server.url + "acteurs/alpha/")
    expect(page.locator("h1")).to_have_text("Alpha réparée")


def test_template_error_shows_overlay_with_template_line(server: Server, page: Page) -> None:
    page.goto(server.url + "acteurs/alpha/")
    template = override(server.root, "templates/entry.html")
    good = template.read_text()
    lines = good.splitlines(keepends=True)
    lines.insert(4, "{% if %}\n")
    template.write_text("".join(lines))
    overlay = page.locator("#atlas-erreurs")
    expect(overlay).to_contain_text("templates/entry.html:5: template syntax error", timeout=WAIT_MS)
    template.write_text(good)
    expect(overlay).to_have_count(0, timeout=WAIT_MS)


def test_stylesheet_change_refreshes_styles_without_reload(server: Server, page: Page) -> None:
    css = override(server.root, "assets/style.css")  # the site's own copy of the theme's sheet, made while serving
    page.goto(server.url + "acteurs/alpha/")
    page.evaluate("window.sameDocument = true")
    css.write_text(css.read_text() + "\nbody { background-color: rgb(1, 2, 3); }\n")
    page.wait_for_function("getComputedStyle(document.body).backgroundColor === 'rgb(1, 2, 3)'",
                           timeout=WAIT_MS)
    assert page.evaluate("window.sameDocument === true"), "the page was reloaded for a stylesheet change"


def test_added_renamed_and_deleted_entries(server: Server, page: Page) -> None:
    page.goto(server.url + "acteurs/gamma/")
    expect(page.locator("h1")).to_have_text("Gamma")
    (server.root / "content/actors/gamma.md").rename(server.root / "content/actors/delta.md")
    expect(page.locator("h1")).to_have_text("Page introuvable", timeout=WAIT_MS)
    page.goto(server.url + "acteurs/delta/")
    expect(page.locator("h1")).to_have_text("Gamma")
    # The list is open before the save, as in the other tests: saved first, the rebuild could end
    # while the page loads, before its reload script listens (this failed once in a full run).
    page.goto(server.url + "acteurs/")
    server.write("content/actors/epsilon.md", "---\ntitle: Epsilon\ntype: scop\n---\n")
    expect(page.get_by_role("link", name="Epsilon")).to_be_visible(timeout=WAIT_MS)
    (server.root / "content/actors/alpha.md").unlink()  # beta points at it
    overlay = page.locator("#atlas-erreurs")
    expect(overlay).to_contain_text("content/actors/beta.md:4: partners: unknown acteur 'alpha'",
                                    timeout=WAIT_MS)


def _get(url: str, path: str) -> int:
    """Status of a raw request: the path is sent exactly as written, unlike a browser would."""
    host, port = url.split("//")[1].rstrip("/").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        conn.putrequest("GET", path, skip_accept_encoding=True)
        conn.endheaders()
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def test_requests_outside_the_output_folder_get_404(server: Server) -> None:
    assert _get(server.url, "/acteurs/alpha/") == 200
    assert _get(server.url, "/assets/style.css") == 200
    secret = "content/actors/alpha.md"  # the output is .atlas-cache/serve/site: three levels below the root
    escapes = ["/../../../", "/acteurs/../../../../", "/%2e%2e/%2e%2e/%2e%2e/",
               "/%2E%2E%2F%2E%2E%2F%2E%2E%2F", "/..%2f..%2f..%2f", "/assets/..%5c..%5c..%5c..%5c", "/%252e%252e/%252e%252e/%252e%252e/",
               "/%c0%ae%c0%ae/%c0%ae%c0%ae/%c0%ae%c0%ae/"]
    for prefix in escapes:
        assert _get(server.url, prefix + secret) == 404, prefix + secret
    os.symlink(server.root / secret, server.out / "lien.txt")
    os.symlink(server.root, server.out / "dehors")
    os.symlink(server.out / "assets" / "style.css", server.out / "dedans.css")
    assert _get(server.url, "/lien.txt") == 404
    assert _get(server.url, "/dehors/" + secret) == 404
    assert _get(server.url, "/dedans.css") == 200  # a link that stays inside is served


def test_ctrl_c_exits_cleanly(server: Server, page: Page) -> None:
    page.goto(server.url)  # a connected browser must not keep the server alive
    assert stop(server) == 0
    assert "Traceback" not in server.output()
    assert "serve: stopped" in server.output()


def test_first_build_broken_then_fixed(tmp_path: Path, page: Page) -> None:
    """No site yet and bad content: every address shows the overlay until the fix builds the site."""
    broken = {**FILES, "content/actors/alpha.md": "---\ntitle: [Alpha\n---\n"}
    server = start(write_tree(tmp_path / "atlas", broken))
    try:
        page.goto(server.url + "acteurs/alpha/")
        expect(page.locator("#atlas-erreurs")).to_contain_text("content/actors/alpha.md:")
        server.write("content/actors/alpha.md", ALPHA.format(title="Alpha enfin"))
        expect(page.locator("h1")).to_have_text("Alpha enfin", timeout=WAIT_MS)
        expect(page.locator("#atlas-erreurs")).to_have_count(0)
    finally:
        assert stop(server) == 0
