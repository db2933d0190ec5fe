"""Read a file into a Table: columns and rows of cells, whatever the format, with row numbers.

Rows are numbered as the reader will find them: in a spreadsheet or a CSV, the number the
spreadsheet shows (the header is row 1, so the first data row is 2, whatever line breaks quoted
cells hold); in JSON and GeoJSON, the record's position from 1. Nested JSON objects become dotted
columns (`address.postalCode`), lists of objects their `name`s, so that GoGoCarto and
data·inclusion exports are columns like any other. Nothing here interprets a value.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

LAT, LON = "latitude", "longitude"  # the columns a GeoJSON point becomes


class Unreadable(Exception):
    """The file cannot be read as the format says: the French message."""


@dataclass(frozen=True)
class Row:
    """One record: its number as the reader sees it and its cells by column."""

    number: int
    cells: dict[str, Any]


@dataclass
class Table:
    """Columns in file order, rows, and what was detected (said in the report)."""

    columns: list[str]
    rows: list[Row]
    format: str  # csv, xlsx, ods, geojson, json, gogocarto, data-inclusion
    unit: str = "ligne"  # « ligne 37 » in a spreadsheet, « enregistrement 37 » in JSON
    details: list[str] = field(default_factory=list)  # « séparateur ; », « encodage Windows-1252 »
    notes: list[str] = field(default_factory=list)  # problems of the file itself


def read_table(path: Path, fmt: str = "auto") -> Table:
    """The file as a Table; Unreadable with a French message when it cannot be read."""
    if not path.is_file():
        raise Unreadable(f"{path} : fichier introuvable")
    kind = fmt if fmt != "auto" else _guess(path)
    reader = READERS.get(kind)
    if reader is None:
        raise Unreadable(f"{path.name} : format inconnu (extension {path.suffix or 'absente'})",)
    return reader(path, kind)


def _guess(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix == ".ods":
        return "ods"
    if suffix == ".geojson":
        return "geojson"
    if suffix == ".json":
        return "json"
    if suffix == ".xls":
        raise Unreadable(f"{path.name} : l'ancien format Excel .xls n'est pas lu ; enregistrez le fichier "
                         "en .xlsx, .ods ou .csv")
    return "csv"


# CSV ------------------------------------------------------------------------------------------

ENCODINGS = (("utf-8", "UTF-8"), ("cp1252", "Windows-1252"), ("latin-1", "ISO-8859-1"))
DELIMITERS = {",": "« , »", ";": "« ; »", "\t": "tabulation"}


def decode(data: bytes) -> tuple[str, str]:
    """(text, name of the encoding): a BOM decides, else UTF-8 if it decodes, else Windows-1252."""
    for bom, codec, name in ((codecs.BOM_UTF8, "utf-8-sig", "UTF-8 avec BOM"),
                             (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"), (codecs.BOM_UTF16_BE, "utf-16", "UTF-16")):
        if data.startswith(bom):
            return data.decode(codec), name
    for codec, name in ENCODINGS:
        try:
            return data.decode(codec), name
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover


def delimiter(text: str) -> str:
    """The separator of the header line: the most frequent of , ; and tab outside quotes."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        elif ch == "\n" and not quoted:
            break
        elif ch in counts and not quoted:
            counts[ch] += 1
    best = max(counts, key=lambda c: (counts[c], c == ";"))  # ';' wins ties: French spreadsheets
    return best if counts[best] else ","


def read_csv(path: Path, kind: str) -> Table:
    text, encoding = decode(path.read_bytes())
    sep = delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    try:
        records = list(reader)
    except csv.Error as exc:
        raise Unreadable(f"{path.name} : CSV illisible ({exc})") from None
    table = _from_records(records, kind)
    table.details = [f"séparateur {DELIMITERS[sep]}", f"encodage {encoding}"]
    return table


def _from_records(records: list[list[Any]], kind: str) -> Table:
    """Header row + data rows (spreadsheet numbering) -> Table; blank rows skipped, odd headers named."""
    while records and not any(_filled(c) for c in records[0]):
        records = records[1:]  # blank lines above the header
    if not records:
        raise Unreadable("le fichier est vide")
    columns, notes = header(records[0])
    rows: list[Row] = []
    for index, record in enumerate(records[1:], start=2):
        if not any(_filled(c) for c in record):
            continue
        if len(record) > len(columns) and any(_filled(c) for c in record[len(columns):]):
            notes.append(f"ligne {index} : {len(record)} cellules pour {len(columns)} colonnes ; "
                         "les cellules en trop sont ignorées")
        rows.append(Row(index, {name: record[i] for i, name in enumerate(columns) if i < len(record)
                                and _filled(record[i])}))
    return Table(columns, rows, kind, notes=notes)


def _filled(cell: Any) -> bool:
    return cell is not None and (not isinstance(cell, str) or cell.strip() != "")


def column_letter(index: int) -> str:
    """A spreadsheet's name of a column: 0 -> A, 25 -> Z, 26 -> AA."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def header(cells: list[Any]) -> tuple[list[str], list[str]]:
    """Column names from a header row: an empty one is named by its letter, a repeated one numbered."""
    names: list[str] = []
    notes: list[str] = []
    last = max((i for i, c in enumerate(cells) if _filled(c)), default=-1)
    for i, cell in enumerate(cells[: last + 1]):
        name = " ".join(str(cell).split()) if _filled(cell) else f"colonne {column_letter(i)}"
        if name in names:
            renamed = f"{name} ({column_letter(i)})"
            notes.append(f"colonne {column_letter(i)} : nom « {name} » déjà pris, lue comme « {renamed} »")
            name = renamed
        names.append(name)
    return names, notes


# Spreadsheets ---------------------------------------------------------------------------------

def read_xlsx(path: Path, kind: str) -> Table:
    import openpyxl  # only when a spreadsheet is imported: 0.2 s to load

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise Unreadable(f"{path.name} : classeur .xlsx illisible ({exc})") from None
    sheet = book.worksheets[0]
    records = [list(r) for r in sheet.iter_rows(values_only=True)]
    names = book.sheetnames
    book.close()
    if any(isinstance(c, str) and c.startswith("=") for r in records[1:] for c in r):
        records = _formula_values(path, records)
    table = _from_records(records, "xlsx")
    table.details = [f"feuille « {names[0]} »"]
    if len(names) > 1:
        table.notes.append(f"seule la première feuille est lue (« {names[0]} ») ; autres : "
                           + ", ".join(f"« {n} »" for n in names[1:]))
    return table


def _formula_values(path: Path, records: list[list[Any]]) -> list[list[Any]]:
    """Formula cells replaced by the value the spreadsheet last computed; the formula text when none.

    A formula is imported as what it showed, never run; without a saved result it stays text.
    """
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    computed = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
    out = []
    for r, record in enumerate(records):
        row = list(record)
        for c, cell in enumerate(row):
            if isinstance(cell, str) and cell.startswith("=") and r < len(computed) and c < len(computed[r]):
                row[c] = computed[r][c] if computed[r][c] is not None else cell
        out.append(row)
    return out


def read_ods(path: Path, kind: str) -> Table:
    import python_calamine  # a maintained reader (Rust calamine); odfpy's last release is from 2020

    try:
        book = python_calamine.load_workbook(str(path))
        names = book.sheet_names
        records = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises its own errors and plain ones for broken zips
        raise Unreadable(f"{path.name} : classeur .ods illisible ({exc})") from None
    table = _from_records([list(r) for r in records], "ods")
    table.details = [f"feuille « {names[0]} »"] if names else []
    if len(names) > 1:
        table.notes.append(f"seule la première feuille est lue (« {names[0]} »)")
    return table


# JSON -----------------------------------------------------------------------------------------

LIST_KEYS = ("features", "data", "items", "results", "elements", "structures")


def load_json(path: Path) -> Any:
    try:
        text, _ = decode(path.read_bytes())
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise Unreadable(f"{path.name} : JSON illisible, ligne {exc.lineno} colonne {exc.colno} ({exc.msg})") from None


def records_of(data: Any) -> list[Any]:
    """The list of records of a JSON document: the document itself or its data/items/features list."""
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        for key in LIST_KEYS:
            if isinstance(data.get(key), list):
                return data[key]
    raise Unreadable("le JSON n'est ni une liste d'enregistrements ni un objet avec une liste "
                     "(" + ", ".join(LIST_KEYS) + ")")


def flatten(record: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested objects as dotted columns; a list of objects as the list of their names (or titles).

    GoGoCarto's `openHours` ({"Mo": "09:00-12:00", ...}) becomes one OpenStreetMap-style text.
    """
    out: dict[str, Any] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if key == "openHours" and isinstance(value, dict):
            out[name] = "; ".join(f"{day} {str(hours).replace(' & ', ',').replace('&', ',')}"
                                  for day, hours in value.items() if hours)
        elif isinstance(value, dict):
            out.update(flatten(value, name + "."))
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            out[name] = [str(v.get("name") or v.get("title") or v.get("nom") or "") for v in value]
        else:
            out[name] = value
    return out


def read_json(path: Path, kind: str) -> Table:
    data = load_json(path)
    records = records_of(data)
    if kind == "json" and records and isinstance(records[0], dict) and records[0].get("type") == "Feature":
        return read_geojson(path, "geojson", data)
    return _from_dicts([flatten(r) if isinstance(r, dict) else {} for r in records], kind)


def read_geojson(path: Path, kind: str, data: Any = None) -> Table:
    """Features' properties as columns; a Point's coordinates as latitude and longitude."""
    features = records_of(load_json(path) if data is None else data)
    dicts = []
    for feature in features:
        record = flatten(feature.get("properties") or {}) if isinstance(feature, dict) else {}
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if isinstance(geometry, dict) and geometry.get("type") == "Point":
            coordinates = geometry.get("coordinates") or []
            if len(coordinates) >= 2:
                record.setdefault(LON, coordinates[0])
                record.setdefault(LAT, coordinates[1])
        if isinstance(feature, dict) and feature.get("id") is not None:
            record.setdefault("id", feature["id"])
        dicts.append(record)
    return _from_dicts(dicts, "geojson")


def _from_dicts(dicts: list[dict[str, Any]], kind: str) -> Table:
    if not dicts:
        raise Unreadable("aucun enregistrement dans le fichier")
    columns: dict[str, None] = {}
    for record in dicts:
        columns.update(dict.fromkeys(record))
    rows = [Row(i, {k: v for k, v in r.items() if _filled(v) and v != []}) for i, r in enumerate(dicts, start=1)]
    kind = detect_json_kind(list(columns)) if kind == "json" else kind
    return Table(list(columns), [r for r in rows if r.cells], kind, unit="enregistrement")


def detect_json_kind(columns: list[str]) -> str:
    """gogocarto, data-inclusion or plain json, from the names an export of each always has."""
    names = set(columns)
    if ("geo.latitude" in names or "location.lat" in names or "address.streetAddress" in names
            or "address.street" in names) and ("name" in names or "title" in names):
        return "gogocarto"
    if "nom" in names and len(names & {"code_postal", "date_maj", "typologie", "courriel", "siret"}) >= 2:
        return "data-inclusion"
    return "json"


READERS: dict[str, Callable[[Path, str], Table]] = {
    "csv": read_csv, "xlsx": read_xlsx, "ods": read_ods, "geojson": read_geojson, "json": read_json,
    "gogocarto": read_json, "data-inclusion": lambda p, k: (read_csv if p.suffix.lower() == ".csv"
                                                            else read_json)(p, k),
}
