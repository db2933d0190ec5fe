"""Lighthouse on a built site, served on 127.0.0.1: the four scores of each page given.

Not a test (about 15 s a page): a script to run before a release or after a change of the theme.

    npm install --prefix /tmp/lh lighthouse@12     # once; Node 20 (13.x needs Node 22)
    .venv/bin/python tests/lighthouse.py site/ "" acteurs/<une-fiche>/ carte/ --lighthouse /tmp/lh/node_modules/.bin/lighthouse

Chromium is Debian's (/usr/bin/chromium), with the flags of tests/conftest.py. Exit code 1 when a
score is under --min (default 100; pass e.g. carte/=99 to lower it for one page).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking " \
        "--disable-component-update --disable-sync"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def scores(lighthouse: str, url: str, form: str) -> dict[str, int]:
    """The four category scores (0–100) of one page."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        command = [lighthouse, url, "--quiet", "--output=json", f"--output-path={report}",
                   f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={FLAGS}",
                   f"--form-factor={form}"]
        if form == "desktop":
            command.append("--preset=desktop")
        subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": CHROMIUM}, timeout=300)
        data = json.loads(report.read_text(encoding="utf-8"))
    failing = [a["id"] for a in data["audits"].values() if a.get("score") is not None and a["score"] < 1
               and a.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")]
    if failing:
        print(f"    below 1: {', '.join(sorted(failing))}", file=sys.stderr)
    return {c: round(data["categories"][c]["score"] * 100) for c in CATEGORIES}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="the built site folder")
    parser.add_argument("pages", nargs="+", help="page paths, '' for the home page; PATH=MIN lowers the bar")
    parser.add_argument("--lighthouse", default="lighthouse", help="the lighthouse command")
    parser.add_argument("--form", choices=("mobile", "desktop"), default="mobile")
    parser.add_argument("--min", type=int, default=100)
    args = parser.parse_args(argv)
    handler = functools.partial(_Quiet, directory=str(args.site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    low = False
    try:
        for spec in args.pages:
            path, _, minimum = spec.partition("=")
            found = scores(args.lighthouse, base + path, args.form)
            bar = int(minimum) if minimum else args.min
            low = low or min(found.values()) < bar
            print(f"/{path}: " + ", ".join(f"{c} {v}" for c, v in found.items()), flush=True)
    finally:
        server.shutdown()
    return 1 if low else 0


if __name__ == "__main__":
    sys.exit(main())
