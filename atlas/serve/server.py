"""Live preview: `build.py serve` builds, serves on 127.0.0.1 and rebuilds on every change.

Where the preview goes: `.atlas-cache/serve/site`, never `site/`. The preview is built to be
browsed at http://127.0.0.1:PORT/ (base path '/', no search index unless `--search`), so writing it into `site/`
would silently replace a deploy build made with `--base-url /atlas/` by one that is wrong for
publishing. Mature tools keep the two apart for this reason: `mkdocs serve` builds into a
temporary folder, `hugo server` renders into memory. A folder under `.atlas-cache/` (ignored by
git) rather than a temporary one lets a restarted preview reuse its output and cache, so that it
starts with a no-change build instead of rendering every page again.

How a save reaches the browser: a watchdog observer (inotify on Linux) reports changes under
content/, templates/, assets/ and to atlas.yaml; one rebuild thread waits until nothing changed
for `preview.SETTLE`, builds with the process's one Cache (only what the change affects is read
and rendered again), compares the published manifest before and after, and tells the browsers to
reload the stylesheets when only .css files changed, the page otherwise. livereload provides the
protocol (its websocket handler and livereload.js, which swaps stylesheets in place), but its own
watcher is never started: it polls every 0.8 s and drops a change seen less than 3 s after the
start or after the previous reload (`LiveReloadHandler.poll_tasks`). We call `reload_waiters`
directly, which has no such guard. Each page says in livereload's handshake which build it was
served from; a browser that connects after a reload was sent (it was loading meanwhile) is told
to reload at once, so no save is lost, not even one right after the start.

Errors: a failed build leaves the last good site in place (the pipeline swaps the output only on
success), and every HTML page served meanwhile shows an overlay with the problems as `build.py
check` prints them. The overlay and the livereload script are injected into responses, never
into built files. Files are served by path, opened anew for each request, so each request sees
the tree the last atomic swap installed; a path that leads outside the output folder (`..`, its
encoded forms, symbolic links) gets 404.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import mimetypes
import os
import signal
import sys
import threading
import webbrowser
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from livereload.watcher import Watcher
from tornado import httpserver, netutil, web
from tornado.websocket import WebSocketHandler

from .preview import Changes, Outcome, Preview, inject, report, watch

OUT = Path(".atlas-cache") / "serve" / "site"
_UTF8 = ("application/javascript", "application/json", "image/svg+xml", "application/geo+json")


@dataclass
class State:
    """The last build as served; read and changed only on the event loop's thread."""

    port: int
    problems: list[str] = field(default_factory=list)
    generation: int = 0

    def announce(self, outcome: Outcome) -> None:
        """Adopt a finished build and tell the connected browsers what to reload."""
        was_ok = not self.problems
        if outcome.problems == self.problems and not outcome.changed:
            return  # nothing a browser would show differently
        self.problems = outcome.problems
        self.generation += 1
        styles = [p for p in outcome.changed if p.endswith(".css")]
        if outcome.ok and was_ok and styles and len(styles) == len(outcome.changed):
            for path in styles:
                _Socket.reload_waiters("/" + path)  # livereload.js swaps the matching <link> in place
        else:
            _Socket.reload_waiters("*")


class _Socket(LiveReloadHandler):
    """livereload's websocket handler, told which build each connecting page comes from."""

    watcher = Watcher()  # never started or polled: reload_waiters only logs its `filepath`
    live_css = True

    def initialize(self, state: State) -> None:
        self.state = state

    def check_origin(self, origin: str) -> bool:
        return WebSocketHandler.check_origin(self, origin)  # livereload accepts any site; only ours may

    def on_message(self, message: str | bytes) -> None:
        super().on_message(message)
        data = json.loads(message)
        if data.get("command") == "info":
            seen = (data.get("plugins") or {}).get("atlas", {}).get("build")
            if seen != self.state.generation:
                self.send_message({"command": "reload", "path": "*", "liveCSS": True, "liveImg": True})


class _Files(web.RequestHandler):
    """The preview folder by path, HTML with the livereload script and the overlay injected."""

    def initialize(self, out: Path, state: State) -> None:
        self.out, self.state = out, state

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")  # a reload must never show an older file

    def decode_argument(self, value: bytes, name: str | None = None) -> bytes:
        return value  # the path is decoded by `resolve`; tornado would answer 400 to bad UTF-8, not 404

    def compute_etag(self) -> None:
        return None  # never revalidated (no-store); tornado would hash the empty body of a HEAD

    def head(self, _: str) -> None:
        self.get(_)

    def get(self, _: str) -> None:
        raw = self.request.path
        target = resolve(self.out, raw)
        if target is not None and target.is_dir():
            if not raw.endswith("/"):
                self.redirect("/" + raw.lstrip("/") + "/")  # one leading slash: never another host
                return
            target = target / "index.html"
        try:
            data = target.read_bytes() if target is not None else None
        except OSError:  # missing, or removed by a swap since the check
            data = None
        if data is None:
            self.not_found()
            return
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        self.send(data, kind)

    def not_found(self) -> None:
        self.set_status(404)
        try:
            data = (self.out / "404.html").read_bytes()
        except OSError:
            data = b"<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Page introuvable" \
                   b"</title></head><body><p>Page introuvable.</p></body></html>"
        self.send(data, "text/html")

    def send(self, data: bytes, kind: str) -> None:
        if kind == "text/html":
            data = inject(data, self.state.generation, self.state.port, self.state.problems)
        if kind.startswith("text/") or kind in _UTF8:
            kind += "; charset=utf-8"
        self.set_header("Content-Type", kind)
        if self.request.method == "HEAD":
            self.set_header("Content-Length", str(len(data)))
            return
        self.write(data)


def resolve(out: Path, url_path: str) -> Path | None:
    """The file or folder an URL path names inside `out`, or None when it would lead outside."""
    try:
        parts = [p for p in unquote(url_path, errors="strict").split("/") if p]
    except UnicodeDecodeError:
        return None
    if any(p in (".", "..") or "\\" in p or "\0" in p for p in parts):
        return None
    base = os.path.realpath(out)
    real = os.path.realpath(os.path.join(base, *parts))
    if real != base and not real.startswith(base + os.sep):
        return None  # a symbolic link pointing elsewhere
    return Path(real)


def serve(args: argparse.Namespace) -> int:
    root: Path = args.root.resolve()
    out = root / OUT
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        sockets = netutil.bind_sockets(args.port, args.host)
    except OSError as exc:
        print(f"error: cannot listen on {args.host}:{args.port}: {exc.strerror} (try --port 0)",
              file=sys.stderr)
        return 2
    preview = Preview(root, out, drafts=args.drafts, strict=args.strict, search=args.search)
    changes = Changes(root)
    observer = watch(root, changes)  # before the first build: a save made during it is seen
    rebuilder: threading.Thread | None = None
    try:
        print("serve: building…", file=sys.stderr, flush=True)
        first = preview.build()
        report(first, set())
        state = State(port=sockets[0].getsockname()[1], problems=first.problems)
        rebuilder = asyncio.run(_run(args, sockets, out, state, preview, changes))
    except KeyboardInterrupt:
        pass  # Ctrl-C before the server ran, or where signal handlers cannot be set (Windows)
    finally:
        changes.stop()
        observer.stop()
        if rebuilder is not None:
            rebuilder.join(timeout=10)
        if rebuilder is None or not rebuilder.is_alive():
            preview.save()  # the next start reuses parsed files and page dependencies
    print("serve: stopped", file=sys.stderr, flush=True)
    return 0


async def _run(args: argparse.Namespace, sockets: list, out: Path, state: State, preview: Preview,
               changes: Changes) -> threading.Thread:
    """Serve until SIGINT or SIGTERM; return the rebuild thread, asked to stop."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):
            pass
    app = web.Application([
        (r"/livereload", _Socket, {"state": state}),
        (r"/livereload\.js", LiveReloadJSHandler),
        (r"/(.*)", _Files, {"out": out, "state": state}),
    ], log_function=lambda handler: None)  # one line per build is enough; no line per request
    server = httpserver.HTTPServer(app)
    server.add_sockets(sockets)

    def rebuild_loop() -> None:
        while paths := changes.wait():
            outcome = preview.build()
            report(outcome, paths)
            loop.call_soon_threadsafe(state.announce, outcome)

    rebuilder = threading.Thread(target=rebuild_loop, name="rebuild", daemon=True)
    rebuilder.start()
    host = f"[{args.host}]" if ":" in args.host else args.host
    url = f"http://{host}:{state.port}/"
    print(f"serve: serving {url} (Ctrl-C to stop)", file=sys.stderr, flush=True)
    if args.open:
        threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
    try:
        await stop.wait()
    finally:
        changes.stop()
        server.stop()
        for waiter in list(_Socket.waiters):
            waiter.close()
    return rebuilder
