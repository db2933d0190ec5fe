"""An imported atlas checks and builds; geocoding goes to a BAN-like server once; CSV exports defuse formulas."""

from __future__ import annotations

import csv
import datetime as dt
import email.parser
import email.policy
import http.server
import io
import json
from pathlib import Path

import pytest

from atlas.pipeline import Options, check
from atlas.read.source import parse_bytes
from atlas.tools.importer import ImportOptions, run
from atlas.tools.importer.columns import NEW_FIELDS
from atlas.tools.importer.report import text
from conftest import build_tree, serve, write_tree
from import_fixtures import BASE_FILES, COLUMNS, messy, valid_siret

TODAY = dt.date(2026, 12, 3)

def imported_atlas(tmp_path: Path, rows: int) -> Path:
    root = write_tree(tmp_path / "atlas", BASE_FILES)
    data = messy(rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(COLUMNS)
    writer.writerows([r[c] for c in COLUMNS] for r in data.rows)
    (tmp_path / "adherents.csv").write_text(buffer.getvalue(), encoding="cp1252")
    outcome = run(ImportOptions(root=root, file=tmp_path / "adherents.csv", skip_invalid=True, today=TODAY,
                                source_title="Annuaire", source_url="https://reseau.example/annuaire"), io.StringIO())
    assert len(outcome.created) == len(data.written())
    gogo = [{"id": "g1", "name": "La Cagette", "geo": {"latitude": 50.63, "longitude": 3.06},
             "address": {"streetAddress": "5 rue des Arts", "postalCode": "59000", "addressLocality": "Lille"},
             "categories": ["Alimentation durable"], "telephone": "0320000000",
             "description": "<p>Supermarché <b>coopératif</b>.</p>", "openHours": {"Mo": "09:00-12:00"}}]
    (tmp_path / "carte.json").write_text(json.dumps({"data": gogo}), encoding="utf-8")
    assert run(ImportOptions(root=root, file=tmp_path / "carte.json", today=TODAY), io.StringIO()).created
    return root


def only_new_field_warnings(problems) -> list:
    """The problems that are not « unknown field » warnings for a FIELDS.md field (those must be none)."""
    return [p for p in problems if not (p.message == "unknown field" and p.field in NEW_FIELDS)]


def test_imported_atlas_passes_check_strict(tmp_path):
    root = imported_atlas(tmp_path, 300)
    result = check(Options(root=root, strict=True))
    assert [p.format() for p in result.report.problems] == []
    assert len(result.atlas.by_kind["actors"]) > 250


def test_imported_atlas_builds(tmp_path):
    root = imported_atlas(tmp_path, 40)
    result = build_tree(root, search=False)
    assert result.report.ok and only_new_field_warnings(result.report.problems) == []
    page = (root / "site" / "acteurs" / "la-cagette" / "index.html").read_text(encoding="utf-8")
    assert "La Cagette" in page and "Supermarché coopératif." in page
    donnees = (root / "site" / "donnees" / "acteurs.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(donnees), delimiter=";"))
    assert any(r["nom"].startswith("'=HYPERLINK(") for r in rows)  # the import kept it as text; the export defuses it
    strict = build_tree(root, search=False, strict=True)
    assert strict.report.ok, [p.format() for p in strict.report.problems]


def test_csv_exports_neutralise_formulas(tmp_path):
    root = write_tree(tmp_path / "atlas", {
        **BASE_FILES,
        "content/actors/piege.md": '---\ntitle: "=HYPERLINK(\\"http://x.example\\";\\"clic\\")"\n'
                                   'summary: "+33 formule"\n---\n',
        "content/actors/sain.md": "---\ntitle: Sain\nsummary: \"-\"\nstaff: 12\n---\n",
        "content/territories/sud.md": "---\ntitle: Sud\ngeo: {lat: 43.3, lon: -1.47}\n---\n"})
    assert build_tree(root, search=False).report.ok
    actors = list(csv.reader(io.StringIO((root / "site/donnees/acteurs.csv").read_text(encoding="utf-8-sig")),
                             delimiter=";"))
    header = actors[0]
    piege = dict(zip(header, next(r for r in actors if r[0] == "piege")))
    assert piege["nom"] == "'=HYPERLINK(\"http://x.example\";\"clic\")" and piege["presentation_resume"] == "'+33 formule"
    sain = dict(zip(header, next(r for r in actors if r[0] == "sain")))
    assert sain["presentation_resume"] == "'-" and sain["effectif"] == "12"
    territories = list(csv.DictReader(io.StringIO((root / "site/donnees/territoires.csv").read_text(encoding="utf-8-sig")),
                                      delimiter=";"))
    assert next(t for t in territories if t["id"] == "sud")["longitude"] == "-1.47"  # a number stays a number
    atlas_json = json.loads((root / "site/donnees/atlas.json").read_text(encoding="utf-8"))
    assert next(a for a in atlas_json["acteurs"] if a["id"] == "piege")["nom"].startswith("=HYPERLINK(")
    assert "OWASP" in (root / "site/donnees/index.html").read_text(encoding="utf-8")


class FakeBan(http.server.BaseHTTPRequestHandler):
    """Answers POST /search/csv/ as the Base Adresse Nationale does: the CSV sent, result columns appended."""

    KNOWN = {"8 avenue des canuts": (45.7797, 4.9251, 0.93, "housenumber", "8 Avenue des Canuts 69120 Vaulx-en-Velin"),
             "rue du port": (50.6301, 3.0612, 0.71, "street", "Rue du Port 59000 Lille"),
             "quelque part": (48.85, 2.35, 0.31, "municipality", "Paris")}
    RESULTS = ("latitude", "longitude", "result_label", "result_score", "result_score_next", "result_type", "result_id",
               "result_housenumber", "result_name", "result_street", "result_postcode", "result_city",
               "result_context", "result_citycode", "result_oldcitycode", "result_oldcity", "result_district",
               "result_status")
    requests: list[dict] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        message = email.parser.BytesParser(policy=email.policy.default).parsebytes(
            b"Content-Type: " + self.headers["Content-Type"].encode() + b"\r\n\r\n" + body)
        fields: dict[str, list] = {}
        for part in message.iter_parts():
            fields.setdefault(part.get_param("name", header="content-disposition"), []).append(part.get_content())
        data = fields["data"][0]
        rows = list(csv.DictReader(io.StringIO(data if isinstance(data, str) else data.decode("utf-8"))))
        FakeBan.requests.append({"path": self.path, "columns": fields.get("columns"), "rows": len(rows)})
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(list(rows[0]) + list(self.RESULTS))
        for row in rows:
            found = self.KNOWN.get(row["adresse"].lower())
            if found:
                lat, lon, score, kind, label = found
                result = [lat, lon, label, score, "", kind, "x", "", "", "", "", "", "", "", "", "", "", "ok"]
            else:
                result = [""] * 17 + ["not-found"]
            writer.writerow(list(row.values()) + result)
        answer = out.getvalue().encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/csv; charset=utf-8")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def ban():
    FakeBan.requests = []
    for url in serve(FakeBan):
        yield url + "search/csv/"


def test_geocoding_against_a_ban_server_and_its_cache(tmp_path, ban):
    root = write_tree(tmp_path / "atlas", BASE_FILES)
    rows = [{"nom": "La NEF", "adresse": "8 avenue des Canuts", "code_postal": "69120", "commune": "Vaulx-en-Velin",
             "siret": valid_siret(1)},
            {"nom": "Atelier du port", "adresse": "rue du Port", "code_postal": "59000", "commune": "Lille"},
            {"nom": "Vague", "adresse": "quelque part", "code_postal": "75001", "commune": "Paris"},
            {"nom": "Introuvable", "adresse": "1 impasse inconnue", "code_postal": "59000", "commune": "Lille"},
            {"nom": "Déjà placée", "adresse": "rue du Port", "code_postal": "59000", "latitude": "50,6",
             "longitude": "3,1"}]
    path = tmp_path / "a.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    outcome = run(ImportOptions(root=root, file=path, geocode=True, geocode_url=ban, today=TODAY), io.StringIO())
    assert FakeBan.requests == [{"path": "/search/csv/", "columns": ["adresse", "code_postal", "commune"], "rows": 4}]
    geo = {row: parse_bytes((root / rel).read_bytes(), "actors", "x", rel).data.get("geo") for row, rel in outcome.created}
    assert geo[1] == {"lat": 45.7797, "lon": 4.9251}
    assert geo[2] == {"lat": 50.6301, "lon": 3.0612, "approximate": True}  # a street, not a door
    assert geo[5] == {"lat": 50.6, "lon": 3.1}  # the file's own position: not sent
    assert geo[3] is None and geo[4] is None and outcome.no_position == [3, 4]
    assert outcome.geocoded == 2 and [(r, s) for r, _, s in outcome.geocode_rejected] == [(3, 0.31), (4, 0.0)]
    report = text(outcome)
    assert "Géocodage refusé (score sous 0,6) :\n  enregistrement 3 : « Paris », score 0,31" in report
    assert json.loads((root / ".atlas-cache" / "geocode.json").read_text(encoding="utf-8"))
    again = run(ImportOptions(root=root, file=path, geocode=True, geocode_url=ban, update=True, today=TODAY),
                io.StringIO())
    assert len(FakeBan.requests) == 1 and again.geocode_requests == 0 and again.unchanged == 5


def test_geocoding_service_down_is_said_and_nothing_is_invented(tmp_path):
    root = write_tree(tmp_path / "atlas", BASE_FILES)
    path = tmp_path / "a.json"
    path.write_text(json.dumps([{"nom": "X", "adresse": "1 rue", "commune": "Lille"}]), encoding="utf-8")
    outcome = run(ImportOptions(root=root, file=path, geocode=True, geocode_url="http://127.0.0.1:9/search/csv/",
                                today=TODAY), io.StringIO())
    assert outcome.created and outcome.no_position == [1]
    assert any("service de géocodage injoignable (http://127.0.0.1:9/search/csv/)" in n for n in outcome.notes)
