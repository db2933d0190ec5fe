"""`build.py import`: a spreadsheet, a GoGoCarto map or a data·inclusion export to entries, and back in sync.

The face of the package: `add_parser` and `command(args)` for the command line, `run(options)`
and `starting_map(options)` for code and tests. The recipe is in recipe.py; one module per idea
beside it (table: reading files; columns and mapfile: where each column goes; values and rows:
cells to checked fields; match: duplicates; sync and state: re-imports; geocode: the BAN;
yamltext and entries: files; report). Only options.py is loaded to build the command line: the
rest (phonenumbers, rapidfuzz, openpyxl) loads when an import runs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from .options import BAN_URL, FORMATS, KINDS, ImportOptions

if TYPE_CHECKING:
    from .report import Outcome

__all__ = ["ImportOptions", "add_parser", "command", "run", "starting_map"]


def add_parser(sub: argparse._SubParsersAction) -> None:
    """The `import` subcommand and its options."""
    p = sub.add_parser("import", help="create entries from a spreadsheet, CSV, GeoJSON or directory export",
                       description="Read FILE (CSV, .xlsx, .ods, GeoJSON, JSON, GoGoCarto or data·inclusion "
                       "export) and write one entry per row into content/<kind>/, with a report.")
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--root", type=Path, default=Path("."), help="atlas folder (holds content/); default: here")
    p.add_argument("--kind", default="actors", choices=KINDS, help="the kind of the entries written (default: actors)")
    p.add_argument("--format", default="auto", choices=FORMATS, help="file format (default: from the file)")
    p.add_argument("--map", type=Path, metavar="MAP.yaml", help="columns to fields, values to types and themes")
    p.add_argument("--print-map", action="store_true", help="print a starting MAP.yaml for FILE and stop")
    p.add_argument("--source-title", default="", metavar="T",
                   help="title cited in sources: (keep it the same at every re-import: it names the source)")
    p.add_argument("--source-url", default="", metavar="U", help="URL cited in sources:")
    p.add_argument("--dry-run", action="store_true", help="write nothing, print the same report")
    p.add_argument("--update", action="store_true",
                   help="update the entries a previous import of this source created, keeping hand edits")
    p.add_argument("--skip-invalid", action="store_true", help="write the valid rows even if others have errors")
    p.add_argument("--allow-duplicates", action="store_true", help="write potential duplicates too")
    p.add_argument("--geocode", action="store_true",
                   help="position rows without coordinates with the Base Adresse Nationale (cached)")
    p.add_argument("--geocode-url", default=BAN_URL, metavar="URL", help=f"geocoding service (default: {BAN_URL})")
    p.add_argument("--report", type=Path, metavar="FILE.md", help="also write the report as Markdown")


def run(options: ImportOptions, stream: TextIO = sys.stderr) -> "Outcome":
    """Do the import (or, with dry_run, say what it would do); the Outcome is the report."""
    from .recipe import run as run_import

    return run_import(options, stream)


def starting_map(options: ImportOptions) -> str:
    """--print-map: every column of the file with its guess, every value of the vocabulary columns."""
    from . import existing
    from .mapfile import load_map, print_map
    from .rows import column_plan, value_guesses
    from .table import read_table

    table = read_table(options.file, options.format)
    atlas = existing.load(options.root)
    mapping = load_map(options.map, options.kind, atlas)
    plan = column_plan(table, mapping, options.kind)
    guesses = value_guesses(table, plan, mapping, atlas, options.kind)
    return print_map(table, options.kind, options.file.name, plan, guesses)


def command(args: argparse.Namespace) -> int:
    """Exit 0 when done (or nothing to do), 1 when rows have errors (nothing written), 2 on bad input."""
    from .mapfile import MapError
    from .report import markdown, text
    from .recipe import ImportStop
    from .table import Unreadable

    options = ImportOptions(args.root, args.file, args.kind, args.format, args.map, args.source_title,
                            args.source_url, args.dry_run, args.update, args.skip_invalid, args.allow_duplicates,
                            args.geocode, args.geocode_url)
    try:
        if args.print_map:
            sys.stdout.write(starting_map(options))
            return 0
        outcome = run(options)
    except MapError as exc:
        for problem in exc.problems:
            print(problem.format(), file=sys.stderr)
        print(f"import : {len(exc.problems)} problème(s) dans {args.map} ; rien n'a été écrit", file=sys.stderr)
        return 2
    except (Unreadable, ImportStop) as exc:
        print(f"import : {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(text(outcome))
    if args.report:
        args.report.write_text(markdown(outcome), encoding="utf-8")
    return 1 if outcome.errors and not options.skip_invalid else 0
