"""The import's report, in French: counts, then every problem with its row and column; text or Markdown.

Rows are named as the reader finds them (« ligne 37 » in a spreadsheet, header = ligne 1;
« enregistrement 5 » in JSON); identical problems on many rows are said once with their rows
(« lignes 2–40, 45 »). The printed report shows the first MAX_PRINTED lines of a section, the
Markdown file (--report) all of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .match import Match
from .rows import ERROR, NOTICE, WARNING, Finding

MAX_PRINTED = 40


@dataclass
class Outcome:
    """Everything an import did or would do, for the report and for the tests."""

    file: str
    kind: str
    source: str
    state_file: str
    format: str = ""
    details: list[str] = field(default_factory=list)
    unit: str = "ligne"
    rows: int = 0
    created: list[tuple[int, str]] = field(default_factory=list)  # (row, file)
    updated: list[tuple[int, str, list[str]]] = field(default_factory=list)  # (row, file, what changed)
    unchanged: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (row, why)
    findings: list[Finding] = field(default_factory=list)
    duplicates: list[tuple[int, str, Match]] = field(default_factory=list)  # (row, name, what it may duplicate)
    conflicts: list[tuple[str, str, Any, Any]] = field(default_factory=list)  # (file, field, file's, source's)
    kept: list[tuple[str, list[str]]] = field(default_factory=list)  # (file, fields edited by hand)
    gone: list[tuple[str, str]] = field(default_factory=list)  # (identity, file)
    no_position: list[int] = field(default_factory=list)
    geocoded: int = 0
    geocode_rejected: list[tuple[int, str, float]] = field(default_factory=list)  # (row, label, score)
    geocode_requests: int = 0
    unknown_columns: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    first_import: bool = False
    dry_run: bool = False
    blocked: bool = False  # rows with errors: nothing written
    wrote_state: bool = False

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level == ERROR]

    @property
    def invalid_rows(self) -> list[int]:
        return sorted({f.row for f in self.errors if f.row})


def ranges(numbers: list[int]) -> str:
    """2, 3, 4, 7 -> « 2–4, 7 »; two in a row are written apart: « 2, 3 »."""
    numbers = sorted(set(numbers))
    out: list[str] = []
    i = 0
    while i < len(numbers):
        j = i
        while j + 1 < len(numbers) and numbers[j + 1] == numbers[j] + 1:
            j += 1
        out += [str(numbers[i])] if j == i else [str(numbers[i]), str(numbers[j])] if j == i + 1 else [
            f"{numbers[i]}–{numbers[j]}"]
        i = j + 1
    return ", ".join(out)


def _rows(unit: str, numbers: list[int]) -> str:
    plural = {"ligne": "lignes", "enregistrement": "enregistrements"}.get(unit, unit + "s")
    return f"{unit if len(set(numbers)) == 1 else plural} {ranges(numbers)}"


def _count(n: int, unit: str) -> str:
    return f"{n} {unit}{'s' if n > 1 else ''}"


def finding_lines(findings: list[Finding], unit: str) -> list[str]:
    """« ligne 37, colonne siret : message (hint) », identical ones grouped, in row order."""
    groups: dict[tuple[str, str, str], list[int]] = {}
    for f in findings:
        groups.setdefault((f.column, f.message, f.hint), []).append(f.row)
    out = []
    for (column, message, hint), numbers in sorted(groups.items(), key=lambda g: (min(g[1]), g[0])):
        where = [] if numbers == [0] else [_rows(unit, numbers)]
        if column:
            where.append(f"colonne {column}")
        out.append(", ".join(where) + (" : " if where else "") + message + (f" ({hint})" if hint else ""))
    return out


def _value(value: Any) -> str:
    if value is None:
        return "(vide)"
    if isinstance(value, dict):
        return ", ".join(f"{k} {v}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def sections(o: Outcome) -> list[tuple[str, list[str]]]:
    """(title, lines) of every part of the report that has something to say, in reading order."""
    errors = [f for f in o.findings if f.level == ERROR]
    warnings = [f for f in o.findings if f.level == WARNING]
    notices = [f for f in o.findings if f.level == NOTICE]
    parts: list[tuple[str, list[str]]] = [
        (f"Erreurs ({_count(len(o.invalid_rows), o.unit)} en erreur)",
         finding_lines(errors, o.unit)),
        ("Doublons possibles, non écrits (--allow-duplicates pour les écrire)",
         [f"{o.unit} {row} « {title} » ≈ {m.ref.where} « {m.ref.title} » ({m.reason})" for row, title, m in o.duplicates]),
        ("Conflits : modifié à la main et dans la source ; la valeur de la fiche est gardée",
         [f"{file}, {name} : la fiche dit « {_value(mine)} », la source dit « {_value(theirs)} »"
          for file, name, mine, theirs in o.conflicts]),
        ("Modifications à la main gardées (la source n'a pas changé)",
         [f"{file} : {', '.join(names)}" for file, names in o.kept]),
        ("Disparues de la source (gardées ; supprimez-les à la main si elles n'existent plus)",
         [f"{file} (identifiant {ident})" for ident, file in o.gone]),
        ("Ignorées", finding_lines([Finding(row, "", why) for row, why in o.skipped], o.unit)),
        ("Avertissements", finding_lines(warnings, o.unit)),
        ("Sans position" + ("" if o.geocoded or o.geocode_requests else " (--geocode pour les géocoder)"),
         [_rows(o.unit, o.no_position)] if o.no_position else []),
        ("Géocodage refusé (score sous 0,6)",
         [f"{o.unit} {row} : « {label or 'aucun résultat'} », score {str(round(score, 2)).replace('.', ',')}"
          for row, label, score in o.geocode_rejected]),
        ("Colonnes non reconnues, non importées (à associer à un champ dans MAP.yaml, ou ignore)",
         [", ".join(o.unknown_columns)] if o.unknown_columns else []),
        ("Colonnes ignorées", [", ".join(o.ignored_columns)] if o.ignored_columns else []),
        ("Remarques", o.notes + finding_lines(notices, o.unit)),
    ]
    return [(title, lines) for title, lines in parts if lines]


def counts(o: Outcome) -> list[tuple[str, str]]:
    would = "à créer" if o.dry_run or o.blocked else "créées"
    return [("Lignes lues" if o.unit == "ligne" else "Enregistrements lus", str(o.rows)),
            (f"Fiches {would}", str(len(o.created))),
            ("Fiches mises à jour" if not (o.dry_run or o.blocked) else "Fiches à mettre à jour", str(len(o.updated))),
            ("Fiches inchangées", str(o.unchanged)),
            ("Lignes ignorées", str(len(o.skipped) + len(o.duplicates)))]  # --skip-invalid lists errors in skipped


def verdict(o: Outcome) -> str:
    if o.blocked:
        return (f"Rien n'a été écrit : {_count(len(o.invalid_rows), o.unit)} en erreur. Corrigez-les, ou relancez avec "
                "--skip-invalid pour importer les autres.")
    if o.dry_run:
        return "Essai (--dry-run) : rien n'a été écrit."
    written = len(o.created) + len(o.updated)
    if not written:
        return "Rien à écrire : l'atlas est à jour avec la source."
    return (f"{written} fiche{'s' if written > 1 else ''} écrite{'s' if written > 1 else ''} dans content/{o.kind}/ ; état de la source : {o.state_file}. "
            "Vérifiez avec : python build.py check")


def heading(o: Outcome) -> str:
    details = ", ".join([o.format.upper() if o.format in ("csv", "ods", "xlsx") else o.format] + o.details)
    return f"Import de {o.file} ({details}) vers content/{o.kind}/, source « {o.source} »" + (
        " (premier import)" if o.first_import else "")


def text(o: Outcome) -> str:
    """The report as printed on the terminal."""
    out = [heading(o), "  " + " · ".join(f"{label} : {value}" for label, value in counts(o))]
    for title, lines in sections(o):
        out.append(f"{title} :")
        out += [f"  {line}" for line in lines[:MAX_PRINTED]]
        if len(lines) > MAX_PRINTED:
            out.append(f"  … et {len(lines) - MAX_PRINTED} autres (le rapport complet : --report FICHIER.md)")
    out.append(verdict(o))
    return "\n".join(out) + "\n"


def markdown(o: Outcome) -> str:
    """The report as a Markdown file (--report), every line of every section."""
    out = [f"# {heading(o)}", "", "| | |", "| --- | --- |"]
    out += [f"| {label} | {value} |" for label, value in counts(o)]
    for title, lines in sections(o):
        out += ["", f"## {title}", ""] + [f"- {_md(line)}" for line in lines]
    out += ["", verdict(o), ""]
    return "\n".join(out)


def _md(line: str) -> str:
    """A report line as Markdown text: characters that would format are escaped."""
    for ch in ("\\", "*", "_", "`", "[", "]", "<", "|"):
        line = line.replace(ch, "\\" + ch)
    return line
