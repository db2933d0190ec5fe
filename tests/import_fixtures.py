"""Messy directory rows for the import tests, made here with the anchors' real column names.

`messy(n)` gives n rows as a French ESS network's spreadsheet holds them (data·inclusion /
schema.data.gouv.fr names: nom, adresse, code_postal, commune, site_web, siret, type, latitude,
longitude, courriel, telephone, description, thematiques) with, at known positions, the mistakes
such files have: HTML in names, empty coordinates, swapped lat/lon, invalid SIRETs, decimal
commas, formula-looking cells, near-duplicate names and names differing only by accents. The
record says which rows are which, so tests compute what the import must do instead of
hard-coding it.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

COLUMNS = ("nom", "adresse", "code_postal", "commune", "site_web", "siret", "type", "latitude", "longitude",
           "courriel", "telephone", "description", "thematiques")
WORDS = ("Recyclerie", "Épicerie solidaire", "Jardin partagé", "Coopérative d'habitants", "Repair café",
         "Cantine de quartier", "Atelier vélo", "Ressourcerie", "Monnaie locale", "Tiers-lieu")
PLACES = ("des Bois", "du Moulin", "de l'Église", "des Tisserands", "du Canal", "de la Gare", "des Sources",
          "du Beffroi", "des Vignes", "de la Plaine")
TYPES = ("Association loi 1901", "SCOP", "SCIC SA", "Fondation", "Coopérative")
BASE_FILES = {
    "content/territories/lille.md": "---\ntitle: Lille\ntype: commune\n---\n",
    "content/themes/economie-circulaire.md": "---\ntitle: Économie circulaire\n---\n",
    "content/themes/alimentation.md": "---\ntitle: Alimentation durable\n---\n",
    "content/pages/accueil.md": "---\ntitle: Accueil\n---\nBienvenue.\n",
}


def luhn_complete(prefix: str) -> str:
    """prefix + the digit that makes the whole number pass the Luhn check."""
    for digit in "0123456789":
        number = prefix + digit
        total = sum(int(d) if i % 2 == 0 else sum(divmod(int(d) * 2, 10)) for i, d in enumerate(reversed(number)))
        if total % 10 == 0:
            return number
    raise AssertionError("unreachable")


def valid_siret(i: int) -> str:
    siren = luhn_complete(f"{80000000 + i * 7919:08d}"[:8])
    return luhn_complete(siren + "0001")


def broken_siret(i: int) -> str:
    good = valid_siret(i)
    return good[:-1] + str((int(good[-1]) + 1) % 10)


@dataclass
class Messy:
    """Rows and, by row index (0 = first data row), what is odd about them."""

    rows: list[dict[str, Any]]
    invalid: set[int] = field(default_factory=set)  # invalid SIRET: an error
    duplicates: dict[int, int] = field(default_factory=dict)  # row -> the earlier row it duplicates
    swapped: set[int] = field(default_factory=set)
    no_position: set[int] = field(default_factory=set)
    html: set[int] = field(default_factory=set)
    formula: set[int] = field(default_factory=set)

    def written(self) -> list[int]:
        return [i for i in range(len(self.rows)) if i not in self.invalid and i not in self.duplicates]


def messy(n: int = 300, decimal_comma: bool = True) -> Messy:
    """n rows, spread out (distinct postcodes, 330 m apart) so that only planted duplicates are close."""
    out = Messy([])
    for i in range(n):
        lat, lon = 50.0 + i * 0.003, 3.0 + (i % 7) * 0.01
        row: dict[str, Any] = {
            "nom": f"{WORDS[i % 10]} {PLACES[(i // 10) % 10]} n°{i}",
            "adresse": f"{i + 1} rue de l'Église",
            "code_postal": f"{59000 + i:05d}",
            "commune": "Lille" if i % 3 == 0 else f"Commune {i}",
            "site_web": f"www.exemple{i}.fr",
            "siret": valid_siret(i),
            "type": TYPES[i % len(TYPES)],
            "latitude": lat,
            "longitude": lon,
            "courriel": f"contact{i}@exemple.fr",
            "telephone": f"03 20 {10 + i % 90:02d} 34 56",
            "description": f"Structure numéro {i}, fondée par des habitants.",
            "thematiques": "Économie circulaire" if i % 2 else "alimentation",
        }
        if i % 25 == 3:
            row["nom"] = f"<strong>Collectif</strong> &amp; associés n°{i}"
            out.html.add(i)
        if i % 20 == 5:
            row["latitude"] = row["longitude"] = ""
            out.no_position.add(i)
        elif i % 30 == 7:
            row["latitude"], row["longitude"] = lon, lat
            out.swapped.add(i)
        if i % 50 == 11:
            row["siret"] = broken_siret(i)
            out.invalid.add(i)
        if i % 45 == 9:
            row["nom"] = f"=HYPERLINK(\"http://x.example/{i}\";\"clic\")"
            out.formula.add(i)
        if i % 60 == 14 and i - 1 not in out.invalid and i - 1 not in out.duplicates:
            prev = out.rows[i - 1]
            row.update(code_postal=prev["code_postal"], siret=valid_siret(10_000 + i),
                       nom="Les " + prev["nom"].upper(), latitude=prev["latitude"], longitude=prev["longitude"])
            out.duplicates[i] = i - 1
            out.no_position.discard(i)
            out.swapped.discard(i)
        if i % 60 == 44 and i - 1 not in out.invalid and i - 1 not in out.duplicates:
            prev = out.rows[i - 1]
            row.update(code_postal=prev["code_postal"], siret=valid_siret(20_000 + i),
                       nom=prev["nom"].replace("É", "E").replace("é", "e").replace("ç", "c"))
            out.duplicates[i] = i - 1
        if decimal_comma and isinstance(row["latitude"], float):
            row["latitude"], row["longitude"] = (str(row[k]).replace(".", ",") for k in ("latitude", "longitude"))
        out.rows.append(row)
    return out


def accent_only(rows: Messy) -> list[int]:
    """The planted duplicates whose name differs from the original only by accents."""
    return [i for i, j in rows.duplicates.items() if i % 60 == 44]


def write_ods(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    """A minimal OpenDocument spreadsheet, as LibreOffice writes one (numbers typed as floats)."""
    def cell(value: Any) -> str:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'
        return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'

    body = "".join("<table:table-row>" + "".join(cell(c) for c in r) + "</table:table-row>" for r in [header] + rows)
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               '<office:body><office:spreadsheet><table:table table:name="Adhérents">' + body +
               '</table:table></office:spreadsheet></office:body></office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                '</manifest:manifest>')
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return path
