"""The import, top to bottom: read → map → convert → geocode → match → decide → write → record.

Invariant: nothing is written unless every row to write passed (or --skip-invalid set the others
aside), and --dry-run writes nothing at all; the state file is written last, so an interrupted
import leaves entries that the next `--update` recognises by their `origin:`.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TextIO

from ...read.source import parse_bytes, slugify
from . import existing, geocode as ban, state as states
from .columns import IGNORE
from .entries import citation, model_problems, new_values, unique_slug, update_text, write_new, write_over
from .mapfile import Mapping, load_map
from .options import ImportOptions
from .match import Matcher, Ref
from .progress import Progress
from .report import Outcome
from .rows import ERROR, Candidate, Finding, column_plan, convert
from .state import Record, State, body_digest, file_digest
from .sync import merge
from .table import Table, read_table
from .yamltext import render_entry


class ImportStop(Exception):
    """The import cannot start (no name column, unreadable file): the French message."""


@dataclass
class Plan:
    """What will be written: new files with their text, edits, and the state to record."""

    creates: list[tuple[Path, bytes]] = field(default_factory=list)
    edits: list[tuple[Path, bytes]] = field(default_factory=list)


def source_slug(options: ImportOptions) -> str:
    """The source's identity: from --source-title, else the file name (keep it the same every month)."""
    return slugify(options.source_title or options.file.stem) or "import"


def run(options: ImportOptions, stream: TextIO = sys.stderr) -> Outcome:
    """Do the import (or say what it would do); the Outcome is the report."""
    table = read_table(options.file, options.format)
    source = source_slug(options)
    state = states.load_state(options.root, source)
    atlas = existing.load(options.root, {r.file: (source, ident, r) for ident, r in state.entries.items()})
    mapping = load_map(options.map, options.kind, atlas)
    outcome = Outcome(options.file.name, options.kind, source, states.path_of(options.root, source)
                      .relative_to(options.root).as_posix(), table.format, table.details, table.unit,
                      rows=len(table.rows), notes=list(table.notes), dry_run=options.dry_run,
                      first_import=not state.exists)
    plan = columns(table, mapping, options.kind, outcome)
    progress = Progress(stream, len(table.rows), "vérification")
    candidates = []
    for i, row in enumerate(table.rows):
        candidates.append(convert(row, plan, mapping, atlas, options.kind))
        progress.step(i + 1)
    progress.finish()
    if options.geocode:
        locate(candidates, options, outcome)
    for c in candidates:
        outcome.findings.extend(c.findings)
    title = options.source_title or options.file.name
    state.title, state.url, state.kind = title, options.source_url or state.url, options.kind
    writes = decide(candidates, atlas, state, options, outcome, title)
    written = {row for row, _ in outcome.created}
    outcome.no_position = [c.row for c in candidates if c.row in written and "geo" not in c.fields]
    outcome.blocked = bool(outcome.invalid_rows) and not options.skip_invalid
    if outcome.blocked or options.dry_run:
        return outcome
    progress.stage("écriture")
    (options.root / "content" / options.kind).mkdir(parents=True, exist_ok=True)
    for i, (path, data) in enumerate(writes.creates):
        write_new(path, data)
        progress.step(i + 1)
    for path, data in writes.edits:
        write_over(path, data)
    progress.finish()
    outcome.wrote_state = states.save_state(options.root, state, options.today)
    return outcome


def columns(table: Table, mapping: Mapping, kind: str, outcome: Outcome) -> dict[str, str | None]:
    """The column plan; unknown and ignored columns listed; no name column stops the import."""
    plan = column_plan(table, mapping, kind)
    outcome.unknown_columns = [c for c, t in plan.items() if t is None]
    outcome.ignored_columns = [c for c, t in plan.items() if t == IGNORE]
    for column in mapping.columns:
        if column not in plan:
            outcome.notes.append(f"MAP.yaml nomme la colonne « {column} », absente du fichier")
    if "title" not in plan.values():
        raise ImportStop("aucune colonne ne donne le nom des fiches (nom, name, title, raison sociale…) ; "
                         "écrivez-la dans MAP.yaml, par exemple columns: {\"Raison sociale\": title} "
                         "(build.py import FICHIER --print-map en donne un point de départ)")
    return plan


def locate(candidates: list[Candidate], options: ImportOptions, outcome: Outcome) -> None:
    """Rows without a position but with an address or a city get one from the BAN, when it is sure."""
    wanted = [c for c in candidates if c.ok and "geo" not in c.fields and (c.fields.get("address") or c.fields.get("city"))]
    queries = {c.row: ban.Query(str(c.fields.get("address", "")), str(c.fields.get("postcode", "")),
                                str(c.fields.get("city", ""))) for c in wanted}
    if not queries:
        return
    try:
        results, outcome.geocode_requests = ban.geocode(list(queries.values()), options.root, options.geocode_url)
    except ban.GeocodeError as exc:
        outcome.notes.append(str(exc) + " : aucune position ajoutée")
        return
    for c in wanted:
        result = results[queries[c.row].key]
        if result.lat is None or result.score < ban.MIN_SCORE:
            outcome.geocode_rejected.append((c.row, result.label, result.score))
            continue
        c.fields["geo"] = {"lat": round(result.lat, 6), "lon": round(result.lon, 6)}
        if result.type != "housenumber":
            c.fields["geo"]["approximate"] = True  # the street or the town, not the door
        outcome.geocoded += 1


def decide(candidates: list[Candidate], atlas: existing.Atlas, state: State, options: ImportOptions,
           outcome: Outcome, title: str) -> Plan:
    """Each candidate's fate: created, updated, unchanged or skipped (and why); texts ready to write."""
    kind, source, today = options.kind, state.source, options.today
    plan = Plan()
    matcher = Matcher()
    for known in atlas.entries[kind].values():
        matcher.add(known.data, Ref(known.title, known.path, (known.origin() or ("", ""))[1]))
    ours = atlas.by_origin(kind, source)
    seen: dict[str, int] = {}
    for c in candidates:
        if not c.ok:
            if options.skip_invalid:
                outcome.skipped.append((c.row, "en erreur (voir Erreurs)"))
            continue
        if c.ident in seen:
            if c.ident_kind == "id":
                outcome.findings.append(Finding(c.row, "", f"identifiant {c.ident} déjà vu {outcome.unit} {seen[c.ident]}",
                                                "chaque ligne de la source doit avoir son propre identifiant"))
                continue
            if c.ident_kind == "siret":
                outcome.skipped.append((c.row, f"même SIRET que {outcome.unit} {seen[c.ident]}"))
                continue
            c.ident = next(f"{c.ident}-{n}" for n in range(2, len(seen) + 3) if f"{c.ident}-{n}" not in seen)
        seen[c.ident] = c.row
        known = ours.get(c.ident)
        record = state.entries.get(c.ident)
        if known or record:
            if not options.update:
                where = known.path if known else record.file
                outcome.skipped.append((c.row, f"déjà importée : {where} (--update pour la mettre à jour)"))
            else:
                _update(c, known, record, atlas, state, options, outcome, plan, title)
            continue
        found = matcher.find(c.fields)
        if found and (found.certain or not options.allow_duplicates):
            if found.certain:
                outcome.skipped.append((c.row, f"déjà dans l'atlas : {found.ref.where} « {found.ref.title} » "
                                        f"({found.reason})"))
            else:
                outcome.duplicates.append((c.row, str(c.fields["title"]), found))
            continue
        _create(c, atlas, state, kind, source, today, outcome, plan, title, options.source_url)
        matcher.add(c.fields, Ref(str(c.fields["title"]), f"{outcome.unit} {c.row}", c.ident))
    seen_ids = set(seen)
    outcome.gone = sorted((ident, ours[ident].path if ident in ours else rec.file)
                          for ident, rec in state.entries.items() if ident not in seen_ids)
    return plan


def _create(c: Candidate, atlas: existing.Atlas, state: State, kind: str, source: str, today: dt.date,
            outcome: Outcome, plan: Plan, title: str, url: str) -> None:
    slug = unique_slug(str(c.fields["title"]), kind, atlas.files)
    values = new_values(c.fields, source, c.ident, citation(title, url, c.cite, today), today)
    refused = model_problems(kind, slug, values, c.body)
    if refused:
        atlas.files.discard(f"{kind}/{slug}")
        outcome.findings += [Finding(c.row, p.field, f"refusé par le modèle : {p.message}", p.hint) for p in refused]
        return
    rel = f"content/{kind}/{slug}.md"
    data = render_entry(kind, values, c.body).encode("utf-8")
    plan.creates.append((atlas.root / rel, data))
    state.entries[c.ident] = Record(rel, dict(c.fields), body_digest(c.body), file_digest(data))
    outcome.created.append((c.row, rel))


def _update(c: Candidate, known: existing.Known | None, record: Record | None, atlas: existing.Atlas,
            state: State, options: ImportOptions, outcome: Outcome, plan: Plan, title: str) -> None:
    rel = known.path if known else record.file  # type: ignore[union-attr]
    path = options.root / rel
    if known is None:  # in the state, but no entry holds its origin: removed, or its origin edited away
        if not path.is_file():
            outcome.skipped.append((c.row, f"{rel} a été supprimée depuis l'import : pas recréée"))
            return
        raw = parse_bytes(path.read_bytes(), options.kind, path.stem, rel)
        known = existing.Known(options.kind, path.stem, rel, raw.data, raw.body)
    body = record.body if known.trusted and record else body_digest(known.body)
    result = merge(record, known.data, body, c.fields, c.body, rel)
    outcome.conflicts += [(rel, name, mine, theirs) for name, mine, theirs in result.conflicts]
    if result.kept:
        outcome.kept.append((rel, result.kept))
    kept = replace(result.record, digest=record.digest if record else "")  # type: ignore[arg-type]
    if not result.changed:
        state.entries[c.ident] = kept
        outcome.unchanged += 1
        return
    data = path.read_bytes()
    raw = parse_bytes(data, options.kind, path.stem, rel)  # the file as it is, comments and all
    cited = citation(title, options.source_url, c.cite, options.today)
    new_text = update_text(data.decode("utf-8"), options.kind, result, cited, raw.data, options.today)
    after = parse_bytes(new_text.encode("utf-8"), options.kind, path.stem, rel)
    refused = after.problems or model_problems(options.kind, path.stem, after.data, after.body)
    if refused:
        outcome.findings += [Finding(c.row, p.field, f"refusé par le modèle : {p.message}", p.hint, ERROR)
                             for p in refused]
        return
    plan.edits.append((path, new_text.encode("utf-8")))
    state.entries[c.ident] = replace(kept, digest=file_digest(new_text.encode("utf-8")))
    outcome.updated.append((c.row, rel, list(result.changes) + (["texte"] if result.body is not None else [])))
