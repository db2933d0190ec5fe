"""`build.py audit SITE`: HTML validity and accessibility of the pages a change touches.

The checkers are the ones the engine's own tests run, at the versions its package.json pins
(CHECKERS): the Nu Html Checker (npm `vnu-jar`, run with Java) on every touched page in one run,
and axe-core (npm `axe-core`) in headless Chromium, driven by playwright (`pip install
'atlas-ess[audit]'`), on up to `--limit` of them in the light and the dark colour scheme — one
page of each sort first, so that a template change that touches every page stays quick.

Which pages: with `--git REF` (the site built from that ref, with its own code) or `--old SITE`,
the pages added or changed; otherwise every page. With `--summary FILE` the list of pages added,
changed and removed and the audit's result are appended to FILE in Markdown (the GitHub job
summary). Exit 0 when no checker reports an error, 1 otherwise, 2 when a checker is missing.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..model.problems import AtlasError
from . import sitediff

# npm package -> version: the same as the engine's package.json (a test keeps them equal).
CHECKERS = {"axe-core": "4.14.1", "vnu-jar": "26.9.27"}
VNU = Path("vnu-jar/build/dist/vnu.jar")
AXE = Path("axe-core/axe.min.js")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BROWSERS = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@dataclass(frozen=True)
class Finding:
    """One problem a checker reported on one page of the built site."""

    page: str  # relative to the site folder
    checker: str  # "html" or "accessibilité"
    line: int
    message: str

    def format(self) -> str:
        return f"{self.page}:{self.line}: {self.checker}: {self.message}"


def npm_command() -> str:
    """The command that installs the checkers into ./node_modules, for a workflow step."""
    packages = " ".join(f"{name}@{version}" for name, version in sorted(CHECKERS.items()))
    return f"npm install --no-save --no-package-lock --ignore-scripts --no-audit --no-fund {packages}"


def page_sort(path: str) -> str:
    """The sort of page a file is: 'acteurs/x/index.html' -> 'acteurs/*', 'index.html' -> ''."""
    parts = path.split("/")[:-1] if path.endswith("index.html") else path.split("/")
    return "/".join(parts[:-1] + ["*"]) if len(parts) > 1 else "/".join(parts)


def choose(pages: list[str], limit: int) -> list[str]:
    """At most `limit` pages: the first of each sort (in path order), then the others in order."""
    ordered = sorted(pages)
    firsts: dict[str, str] = {}
    for path in ordered:
        firsts.setdefault(page_sort(path), path)
    rest = [p for p in ordered if p not in set(firsts.values())]
    return (sorted(firsts.values()) + rest)[:limit]


def find_browser() -> str | None:
    """ATLAS_CHROMIUM, else the first Chromium or Chrome found."""
    for candidate in (os.environ.get("ATLAS_CHROMIUM"), *BROWSERS):
        if candidate and (found := shutil.which(candidate) or (candidate if Path(candidate).is_file() else None)):
            return found
    return None


def missing_tools(checkers: Path) -> list[str]:
    """What the audit needs and does not find, each with how to get it."""
    missing = []
    if shutil.which("java") is None:
        missing.append("java (Java 17 or later, for the Nu Html Checker)")
    for rel in (VNU, AXE):
        if not (checkers / rel).is_file():
            missing.append(f"{checkers / rel} (install the checkers: {npm_command()})")
    if find_browser() is None:
        missing.append("Chromium or Chrome (apt-get install chromium, or set ATLAS_CHROMIUM)")
    try:
        import playwright  # noqa: F401
    except ImportError:
        missing.append("playwright (pip install 'atlas-ess[audit]')")
    return missing


def vnu(site: Path, pages: list[str], checkers: Path) -> list[Finding]:
    """Nu Html Checker errors of the given pages, in one Java run."""
    if not pages:
        return []
    done = subprocess.run(["java", "-jar", str(checkers / VNU), "--format", "json", "--skip-non-html",
                           *(str(site / p) for p in pages)], capture_output=True, text=True, check=False)
    try:
        messages = json.loads(done.stderr)["messages"]
    except (json.JSONDecodeError, KeyError) as exc:
        raise AtlasError(f"the Nu Html Checker gave no report: {done.stderr[:500]}") from exc
    found = []
    for m in messages:
        if m.get("type") in ("error", "non-document-error"):
            url = m.get("url", "")
            page = Path(url.removeprefix("file:")).resolve().relative_to(site.resolve()).as_posix() if url else "?"
            found.append(Finding(page, "html", int(m.get("lastLine", 0)), m.get("message", "")))
    return found


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


AXE_CALL = """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}}).then(r => r.violations.map(v =>
    ({id: v.id, help: v.help, target: v.nodes.length ? v.nodes[0].target.join(' ') : ''})))"""


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    """The site served on 127.0.0.1 while the generator is open; yields its base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def axe(site: Path, pages: list[str], checkers: Path) -> list[Finding]:
    """axe-core violations (WCAG 2.0/2.1 A and AA) of the given pages, light and dark; nothing leaves 127.0.0.1."""
    if not pages:
        return []
    from playwright.sync_api import sync_playwright

    found = []
    script = (checkers / AXE).read_text(encoding="utf-8")
    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=find_browser(), args=BROWSER_ARGS)
        page = browser.new_context(locale="fr-FR").new_page()
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base) else r.abort())
        for rel in pages:
            url = base + (rel.removesuffix("index.html") if rel.endswith("index.html") else rel)
            for scheme in ("light", "dark"):
                page.emulate_media(color_scheme=scheme)
                page.goto(url, wait_until="load")
                page.add_script_tag(content=script)
                for v in page.evaluate(AXE_CALL, TAGS):
                    found.append(Finding(rel, "accessibilité", 0,
                                         f"{v['id']} ({scheme}) : {v['help']} [{v['target']}]"))
        browser.close()
    return found


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n <= 1 else many}"  # French: « 0 page », « 1 page », « 2 pages »


def summary(touched: int, checked_axe: int, findings: list[Finding], seconds: float) -> str:
    """The audit's part of the job summary, in French."""
    lines = ["## Validité HTML et accessibilité", "",
             f"{_count(touched, 'page touchée', 'pages touchées')}, toutes passées au Nu Html Checker ; "
             f"{_count(checked_axe, 'page vérifiée', 'pages vérifiées')} avec axe-core (affichage clair et sombre) ; "
             f"en {seconds:.0f} s.", ""]
    if not findings:
        return "\n".join(lines + ["Aucune erreur.", ""])
    lines += [f"**{_count(len(findings), 'erreur', 'erreurs')}** :", ""]
    lines += [f"- `{f.page}` ligne {f.line} ({f.checker}) : {f.message}" if f.line else
              f"- `{f.page}` ({f.checker}) : {f.message}" for f in findings[:100]]
    return "\n".join(lines + [""])


def touched_pages(site: Path, old: Path | None) -> tuple[list[str], sitediff.Diff | None]:
    """Pages added or changed since the old site (every page without one), and the diff."""
    if old is None:
        return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")), None
    diff = sitediff.compare(old, site)
    return [p for p in diff.added + diff.changed if p.endswith(".html")], diff


def has_ref(root: Path, ref: str) -> bool:
    """Whether the git repository at root knows ref as a commit."""
    done = subprocess.run(["git", "-C", str(root), "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
                          capture_output=True, check=False)
    return done.returncode == 0


def _append(path: Path | None, text: str) -> None:
    if path is not None:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(text + "\n")


def command(args: argparse.Namespace) -> int:
    """The `audit` command (see the module's docstring)."""
    start = time.perf_counter()
    site, checkers = args.site, args.checkers
    if not site.is_dir():
        print(f"error: {site} is not a built site (run: python build.py build)", file=sys.stderr)
        return 2
    missing = missing_tools(checkers)
    if missing:
        print("error: the audit needs:\n  " + "\n  ".join(missing), file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="atlas-audit-") as tmp:
        old = args.old
        if args.git is not None:
            if not has_ref(args.root, args.git):
                print(f"error: {args.git} is not in this clone: nothing to compare with (in a workflow, "
                      "actions/checkout needs fetch-depth: 0)", file=sys.stderr)
                return 2
            old = Path(tmp) / "old" / "site"
            old.parent.mkdir()
            try:
                sitediff.build_ref(args.root, args.git, old, None)
            except AtlasError as exc:  # a first pull request, or a base that no longer builds
                print(f"audit: {args.git} does not build, every page is checked ({exc})", file=sys.stderr)
                _append(args.summary, f"La version {args.git} ne se construit pas : toutes les pages sont "
                        "vérifiées.\n")
                old = None
        pages, diff = touched_pages(site, old)
        if diff is not None:
            _append(args.summary, sitediff.markdown(diff, old, site, 200))
    chosen = choose(pages, args.limit)
    findings = vnu(site, pages, checkers) + axe(site, chosen, checkers)
    for finding in findings:
        print(finding.format())
    _append(args.summary, summary(len(pages), len(chosen), findings, time.perf_counter() - start))
    print(f"audit: {len(pages)} pages checked for HTML, {len(chosen)} for accessibility, "
          f"{len(findings)} errors in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return 1 if findings else 0
