"""Local preview: build, then serve the output on 127.0.0.1."""

from __future__ import annotations

import argparse
import functools
import http.server
import sys
from pathlib import Path

from .pipeline import Options, build


def serve(args: argparse.Namespace) -> int:
    root: Path = args.root
    out = root / "site"
    result = build(Options(root=root, out=out, drafts=args.drafts, strict=args.strict))
    for line in result.report.lines():
        print(line, file=sys.stderr)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(out))
    with http.server.ThreadingHTTPServer((args.host, args.port), handler) as httpd:
        print(f"serving http://{args.host}:{args.port}/ (Ctrl-C to stop)", file=sys.stderr)
        try:
            httpd.serve_forever()
        except KeyboardInterrupt:
            pass
    return 0
