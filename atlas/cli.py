"""Command line: build | check | serve | new | schema | diff | audit | init. Exit 0 ok, 1 content errors, 2 usage."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

from .config import SettingsError
from .pipeline import Options, build, check
from .model.problems import AtlasError, Report
from .model.progress import for_stream


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", type=Path, default=Path("."), help="atlas folder (holds content/); default: here")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors (for CI)")
    parser.add_argument("--drafts", action="store_true", help="include entries marked draft: true")
    parser.add_argument("--format", choices=("text", "github"), default="text",
                        help="problem format: text, or GitHub Actions annotations")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="build.py", description="Atlas ESS: build the atlas of the social "
                                "and solidarity economy from content/.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    b = sub.add_parser("build", help="build the site into site/", description="Read, validate, link and "
                       "render content/ into the output folder, replaced only if the build succeeds.")
    _common(b)
    b.add_argument("--out", type=Path, help="output folder (default: site/)")
    b.add_argument("--base-url", help="public URL or path of the site, e.g. https://example.org/atlas/ or /atlas/")
    b.add_argument("--jobs", type=int, default=0, help="render processes (default: one per core)")
    b.add_argument("--no-cache", action="store_true", help="ignore and do not update .atlas-cache/")
    b.add_argument("--quiet", action="store_true", help="print problems only")
    b.add_argument("--no-search", action="store_true", help="skip the Pagefind search index (faster builds)")
    c = sub.add_parser("check", help="validate content only; writes nothing",
                       description="Read, parse, validate and link content/ and report every problem.")
    _common(c)
    c.add_argument("--stale", type=int, metavar="MONTHS", help="also list entries whose 'updated' date is "
                   "older than MONTHS months, or missing")
    c.add_argument("--today", type=dt.date.fromisoformat, metavar="YYYY-MM-DD", help="reference date for "
                   "--stale (default: today)")
    s = sub.add_parser("serve", help="preview with live reload", description="Build, serve on 127.0.0.1 "
                       "and rebuild on every change of content/, templates/ or assets/.")
    _common(s)
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--open", action="store_true", help="open the browser")
    s.add_argument("--search", action="store_true", help="build the Pagefind index too, and after every change")
    n = sub.add_parser("new", help="scaffold a new entry", description="Create content/<kind>/<slug>.md "
                       "with every field of the kind, commented in French.")
    n.add_argument("kind", help="acteur, lieu, programme, territoire, thematique (or the folder name)")
    n.add_argument("title", help="the entry's title; the file name is derived from it")
    n.add_argument("--root", type=Path, default=Path("."))
    sc = sub.add_parser("schema", help="write JSON Schemas and CONTRIBUTING.md's field reference",
                        description="Generate schemas/<kind>.schema.json and the field reference of "
                        "CONTRIBUTING.md from atlas/model.py.")
    sc.add_argument("--out", type=Path, help="schemas folder (default: schemas/)")
    sc.add_argument("--check", action="store_true", help="write nothing; exit 1 if a generated file is stale")
    sc.add_argument("--root", type=Path, default=Path("."))
    d = sub.add_parser("diff", help="list pages added, changed and removed, in Markdown",
                       description="Compare two built sites byte for byte, or the build of a git ref "
                       "with the current content (--git), for a pull-request comment.")
    d.add_argument("old", nargs="?", type=Path, metavar="OLD_SITE")
    d.add_argument("new", nargs="?", type=Path, metavar="NEW_SITE")
    d.add_argument("--git", metavar="REF", help="build REF (with its own code) as the old site; the new "
                   "one is NEW_SITE, or the current content built to a temporary folder")
    d.add_argument("--base-url", help="base URL for the builds --git makes")
    d.add_argument("--limit", type=int, default=200, help="pages listed per group (default: 200)")
    d.add_argument("--root", type=Path, default=Path("."))
    a = sub.add_parser("audit", help="HTML validity and accessibility of the pages a change touches",
                       description="Run the Nu Html Checker and axe-core (in Chromium) on the pages of a built "
                       "site that differ from the build of a git ref (--git) or another site (--old); every "
                       "page without either. Needs Java, Chromium, playwright and the npm checkers.")
    a.add_argument("site", type=Path, metavar="SITE", help="the built site, e.g. site")
    a.add_argument("--git", metavar="REF", help="compare with the build of this ref, e.g. origin/main")
    a.add_argument("--old", type=Path, metavar="OLD_SITE", help="compare with this built site")
    a.add_argument("--limit", type=int, default=30, help="pages checked with axe-core, one of each sort "
                   "first (default: 30)")
    a.add_argument("--summary", type=Path, metavar="FILE", help="append the pages touched and the result, in "
                   "Markdown, to FILE (e.g. \"$GITHUB_STEP_SUMMARY\")")
    a.add_argument("--checkers", type=Path, default=Path("node_modules"), help="folder holding the npm "
                   "packages vnu-jar and axe-core (default: node_modules)")
    a.add_argument("--root", type=Path, default=Path("."))
    i = sub.add_parser("init", help="create a new atlas that builds, checks and publishes as it is",
                       description="Create DIR (absent or empty) with atlas.yaml, content/ (home, « À propos », "
                       "« Accessibilité », a territory, a theme), build.py, requirements.txt, README.md, "
                       "CONTRIBUTING.md, JSON Schemas, editor settings and GitHub workflows, in French.")
    i.add_argument("dir", type=Path, metavar="DIR", help="the new atlas's folder (must be absent or empty)")
    i.add_argument("--title", help="the site's title (default: « Atlas de l'ESS du TERRITOIRE »)")
    i.add_argument("--territory", required=True, help="the atlas's first territory, e.g. « Pays basque »")
    i.add_argument("--base-url", default="", help="public URL of the site, e.g. https://org.github.io/atlas/ "
                   "(default: none; the publishing workflow passes GitHub Pages' own)")
    i.add_argument("--engine", help="requirement line for the engine in requirements.txt: a git URL, a path "
                   "to a clone or a wheel (default: this engine's repository at this version)")
    from .tools.importer import add_parser as add_import

    add_import(sub)
    return p


def _print_report(report: Report, fmt: str) -> None:
    for line in report.lines(fmt):
        print(line, file=sys.stderr if fmt == "text" else sys.stdout)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        if args.command == "check":
            start = time.perf_counter()
            result = check(Options(root=args.root, drafts=args.drafts, strict=args.strict))
            _print_report(result.report, args.format)
            if args.stale is not None and result.atlas is not None:
                from .link.freshness import stale_entries

                stale = stale_entries(result.atlas, args.stale, args.today or dt.date.today())
                for problem in stale:
                    print(problem.github() if args.format == "github" else problem.format())
                print(f"check: {len(stale)} entries to re-check (--stale {args.stale})", file=sys.stderr)
            entries = len(result.atlas.entries) if result.atlas else 0
            print(f"check: {entries} entries, {result.report.summary()} "
                  f"in {time.perf_counter() - start:.2f} s", file=sys.stderr)
            return 0 if result.report.ok else 1
        if args.command == "build":
            start = time.perf_counter()
            options = Options(root=args.root, out=args.out, base_url=args.base_url, drafts=args.drafts,
                              strict=args.strict, jobs=args.jobs, use_cache=not args.no_cache,
                              search=not args.no_search)
            result = build(options, progress=for_stream(sys.stderr, quiet=args.quiet))
            _print_report(result.report, args.format)
            if not result.report.ok:
                print(f"build failed: {result.report.summary()}; the previous site was left as it was",
                      file=sys.stderr)
                return 1
            if not args.quiet:
                print(f"build: {result.pages} pages, {result.rendered} rendered, {result.written} files "
                      f"written ({result.written_pages} pages), {result.report.summary()} "
                      f"in {time.perf_counter() - start:.2f} s",
                      file=sys.stderr)
            return 0
        if args.command == "serve":
            from .serve.server import serve

            return serve(args)
        if args.command == "new":
            from .tools.scaffold import new

            return new(args)
        if args.command == "schema":
            from .tools.docgen import command

            return command(args)
        if args.command == "diff":
            from .tools.sitediff import command as diff

            return diff(args)
        if args.command == "audit":
            from .tools.audit import command as audit

            return audit(args)
        if args.command == "init":
            from .tools.init import command as init

            return init(args)
        if args.command == "import":
            from .tools.importer import command as import_command

            return import_command(args)
    except SettingsError as exc:  # every problem of atlas.yaml, as content problems are printed
        report = Report(exc.problems)
        _print_report(report, getattr(args, "format", "text"))
        print(f"{args.command} failed: {report.summary()} in the settings", file=sys.stderr)
        return 1
    except AtlasError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 2
