"""build.py import on real files of every format: what is written, what is reported, what is refused."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from atlas.cli import main
from atlas.read.source import parse_bytes
from atlas.tools.importer import ImportOptions, run, starting_map
from atlas.tools.importer.report import text
from import_fixtures import BASE_FILES, COLUMNS, accent_only, messy, valid_siret, write_ods
from conftest import write_tree

TODAY = dt.date(2026, 12, 3)


def atlas(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "atlas", BASE_FILES)


def do_import(root: Path, file: Path, **kw):
    return run(ImportOptions(root=root, file=file, today=TODAY, **kw), io.StringIO())


def entry(root: Path, rel: str) -> dict:
    raw = parse_bytes((root / rel).read_bytes(), "actors", Path(rel).stem, rel)
    assert not raw.problems, raw.problems
    return {**raw.data, "_body": raw.body}


def write_csv(path: Path, rows: list[dict], delimiter: str, encoding: str) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([row[c] for c in COLUMNS])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


ENCODINGS = [("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8 avec BOM"), ("cp1252", "Windows-1252")]
DELIMITERS = [(",", "« , »"), (";", "« ; »"), ("\t", "tabulation")]


@pytest.mark.parametrize("encoding,encoding_name", ENCODINGS)
@pytest.mark.parametrize("delimiter,delimiter_name", DELIMITERS)
def test_csv_300_rows_every_dialect(tmp_path, encoding, encoding_name, delimiter, delimiter_name):
    root = atlas(tmp_path)
    rows = messy(300)
    path = write_csv(tmp_path / "adherents.csv", rows.rows, delimiter, encoding)
    outcome = do_import(root, path, skip_invalid=True, source_title="Annuaire des adhérents 2026")
    assert outcome.details == [f"séparateur {delimiter_name}", f"encodage {encoding_name}"]
    assert [row for row, _ in outcome.created] == [i + 2 for i in rows.written()]
    report = text(outcome)
    for i in rows.invalid:
        siret = rows.rows[i]["siret"]
        assert f"ligne {i + 2}, colonne siret : {siret} n'est pas un SIRET valide (clé de contrôle)" in report
    flagged = {row: m.ref.where for row, _, m in outcome.duplicates}
    assert flagged == {i + 2: f"ligne {j + 2}" for i, j in rows.duplicates.items() if i not in rows.invalid}
    assert accent_only(rows) and all(i + 2 in flagged for i in accent_only(rows))
    files = dict(outcome.created)
    for i in rows.written():
        data = entry(root, files[i + 2])
        assert "<" not in data["title"] and "&amp;" not in data["title"]
        assert data["origin"] == {"source": "annuaire-des-adherents-2026", "id": rows.rows[i]["siret"]}
        assert data["sources"] == [{"title": "Annuaire des adhérents 2026", "accessed": "2026-12-03"}]
        assert data["updated"] == "2026-12-03" and data["postcode"] == rows.rows[i]["code_postal"]
        assert data["phone"].startswith("+333") and data["website"] == f"https://www.exemple{i}.fr"
        if i in rows.no_position:
            assert "geo" not in data and i + 2 in outcome.no_position
        else:
            assert 49.9 < data["geo"]["lat"] < 51.0 and 2.9 < data["geo"]["lon"] < 3.1, (i, data["geo"])
        if i in rows.html:
            assert data["title"] == f"Collectif & associés n°{i}"
        if i in rows.formula:
            assert data["title"].startswith("=HYPERLINK(")  # text, as written: nothing is evaluated
    assert all(f"ligne {i + 2}" in report for i in rows.swapped if i in rows.written())


def test_an_error_writes_nothing_and_dry_run_neither(tmp_path):
    root = atlas(tmp_path)
    rows = messy(40)
    path = write_csv(tmp_path / "a.csv", rows.rows, ";", "utf-8")
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    outcome = do_import(root, path)
    assert outcome.blocked and outcome.invalid_rows == [i + 2 for i in sorted(rows.invalid)]
    assert f"Rien n'a été écrit : {len(rows.invalid)} ligne en erreur" in text(outcome)
    dry = do_import(root, path, skip_invalid=True, dry_run=True)
    assert len(dry.created) == len(rows.written()) and "Essai (--dry-run)" in text(dry)
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before


def test_command_line_exit_codes_and_markdown_report(tmp_path, capsys):
    root = atlas(tmp_path)
    rows = messy(40)
    path = write_csv(tmp_path / "a.csv", rows.rows, ",", "utf-8")
    assert main(["import", str(path), "--root", str(root)]) == 1
    assert main(["import", str(path), "--root", str(root), "--skip-invalid", "--report", str(tmp_path / "r.md")]) == 0
    out = capsys.readouterr().out
    assert "Fiches créées : " in out and "ligne 13, colonne siret" in out
    md = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert md.startswith("# Import de a.csv (CSV, séparateur « , », encodage UTF-8)")
    assert "| Fiches créées | " in md and "\n## Erreurs (1 ligne en erreur)\n" in md
    assert main(["import", str(tmp_path / "absent.csv"), "--root", str(root)]) == 2


def test_xlsx_numbers_formulas_and_lost_zeros(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    root = atlas(tmp_path)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Adhérents"
    sheet.append(["Nom de la structure", "Adresse", "Code postal", "Ville", "SIRET", "Téléphone", "Latitude",
                  "Longitude", "Statut juridique", "Remarques"])
    sheet.append(["La Fabrique", "1 place du Marché", 1000, "Bourg-en-Bresse", int(valid_siret(1)), 320123456,
                  46.2052, 5.2255, "Association loi 1901", "à rappeler"])
    sheet.append(["=CONCAT(\"Atelier \",\"vélo\")", "2 rue", 59000, "Lille", valid_siret(2), "03 20 00 00 00",
                  "50,63", "3,06", "SCOP", ""])
    sheet.append([None] * 10)  # a blank row keeps its number: the next one is row 5
    sheet.append(["Ressourcerie", "3 rue", "59000", "Lille", "1234", "", "", "", "Entreprise d'insertion", ""])
    book.save(tmp_path / "membres.xlsx")
    outcome = do_import(root, tmp_path / "membres.xlsx", skip_invalid=True)
    assert outcome.format == "xlsx" and outcome.details == ["feuille « Adhérents »"]
    assert outcome.unknown_columns == ["Remarques"]
    first = entry(root, outcome.created[0][1])
    assert first["postcode"] == "01000" and first["siret"] == valid_siret(1) and first["phone"] == "+33320123456"
    assert first["type"] == "association" and first["geo"] == {"lat": 46.2052, "lon": 5.2255}
    second = entry(root, outcome.created[1][1])
    assert second["title"] == "=CONCAT(\"Atelier \",\"vélo\")"  # no saved result: the formula as text
    lines = text(outcome)
    assert "ligne 5, colonne SIRET : 1234 n'est pas un SIRET valide (4 chiffres au lieu de 14)" in lines
    assert "ligne 5, colonne Statut juridique : type « Entreprise d'insertion » inconnu" in lines


def test_ods_spreadsheet(tmp_path):
    root = atlas(tmp_path)
    path = write_ods(tmp_path / "membres.ods", ["nom", "code_postal", "commune", "siret", "latitude", "longitude"],
                     [["Épicerie <i>solidaire</i>", 59000, "Lille", valid_siret(5), 50.63, 3.06],
                      ["Repair café", "59800", "Lille", valid_siret(6), "", ""]])
    outcome = do_import(root, path)
    assert outcome.format == "ods" and not outcome.errors
    data = entry(root, outcome.created[0][1])
    assert data["title"] == "Épicerie solidaire" and data["postcode"] == "59000" and data["territory"] == "lille"
    assert outcome.no_position == [3]


def test_geojson_points(tmp_path):
    root = atlas(tmp_path)
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [3.0573, 50.6292]},
                 "properties": {"nom": "Maison des associations", "code_postal": "59000", "commune": "Lille"}},
                {"type": "Feature", "geometry": None, "properties": {"nom": "Sans point", "code_postal": "59000"}},
                {"type": "Feature", "geometry": {"type": "Point", "coordinates": [50.64, 3.07]},
                 "properties": {"nom": "Coordonnées inversées", "code_postal": "59000"}}]
    path = tmp_path / "carte.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    outcome = do_import(root, path)
    assert outcome.unit == "enregistrement" and len(outcome.created) == 3
    assert entry(root, outcome.created[0][1])["geo"] == {"lat": 50.6292, "lon": 3.0573}
    assert entry(root, outcome.created[2][1])["geo"] == {"lat": 50.64, "lon": 3.07}
    assert "enregistrement 3, colonne latitude : latitude et longitude inversées" in text(outcome)
    assert outcome.no_position == [2]


def test_gogocarto_export(tmp_path):
    root = atlas(tmp_path)
    data = {"licence": "ODbL", "data": [
        {"id": "gogo1", "name": "La Cagette", "geo": {"latitude": 50.63, "longitude": 3.06},
         "address": {"streetAddress": "5 rue des Arts", "postalCode": "59000", "addressLocality": "Lille"},
         "categories": ["Alimentation durable"], "website": "https://lacagette.example", "email": "Bonjour@Cagette.EXAMPLE",
         "telephone": "0320000000", "description": "<p>Supermarché coopératif.</p><p>Ouvert à tous.</p>",
         "openHours": {"Mo": "09:00-12:00", "Sa": "10:00-12:00 & 14:00-18:00"}},
        {"id": "gogo2", "title": "Atelier du Canal", "location": {"lat": 50.64, "lon": 3.07},
         "address": {"street": "1 quai", "postalCode": "59000", "city": "Lille"},
         "categories": [{"name": "Économie circulaire"}], "summary": "Réparation de vélos.",
         "url": "https://carte.example/fiche/gogo2"}]}
    path = tmp_path / "export.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    outcome = do_import(root, path, source_title="Carte des alternatives")
    assert outcome.format == "gogocarto" and not outcome.errors and not outcome.unknown_columns
    first, second = (entry(root, rel) for _, rel in outcome.created)
    assert first["themes"] == ["alimentation"] and first["email"] == "Bonjour@cagette.example"
    assert first["opening_hours"] == "Mo 09:00-12:00; Sa 10:00-12:00,14:00-18:00"
    assert first["_body"].strip() == "Supermarché coopératif.\n\nOuvert à tous."
    assert first["origin"] == {"source": "carte-des-alternatives", "id": "gogo1"}
    assert second["geo"] == {"lat": 50.64, "lon": 3.07} and second["summary"] == "Réparation de vélos."
    assert second["sources"][0]["url"] == "https://carte.example/fiche/gogo2"


def test_data_inclusion_structures_with_a_map(tmp_path):
    root = atlas(tmp_path)
    records = [{"id": "di-1", "source": "dora", "siret": valid_siret(9), "rna": "W595012345", "nom": "Accueil de jour",
                "commune": "Lille", "code_postal": "59000", "code_insee": "59350", "adresse": "12 rue Solférino",
                "complement_adresse": "Bâtiment B", "longitude": 3.05, "latitude": 50.62, "typologie": "ASSO",
                "telephone": "+33 3 20 00 00 00", "courriel": "accueil@exemple.fr", "site_web": "https://exemple.fr",
                "presentation_resume": "Accueil et orientation.", "presentation_detail": "Un accueil de jour.",
                "date_maj": "2024-03-15T10:00:00", "horaires_accueil": "Mo-Fr 09:00-12:00,14:00-17:00",
                "thematiques": ["numerique--acceder-a-une-connexion-internet", "alimentation--aide-alimentaire"],
                "lien_source": "https://dora.example/structures/di-1"}]
    path = tmp_path / "structures.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    refused = do_import(root, path)
    assert refused.format == "data-inclusion" and refused.blocked
    assert ("enregistrement 1, colonne thematiques : « numerique--acceder-a-une-connexion-internet » n'est pas "
            "une fiche de content/themes/") in text(refused)
    mapping = write_tree(tmp_path, {"map.yaml": """\
        themes:
          numerique--acceder-a-une-connexion-internet: ignore
          alimentation--aide-alimentaire: alimentation
        """}) / "map.yaml"
    outcome = do_import(root, path, map=mapping)
    data = entry(root, outcome.created[0][1])
    assert data["address"] == "12 rue Solférino, Bâtiment B" and data["rna"] == "W595012345"
    assert data["themes"] == ["alimentation"] and data["type"] == "association" and data["origin"]["id"] == "di-1"
    assert data["opening_hours"] == "Mo-Fr 09:00-12:00,14:00-17:00" and data["summary"] == "Accueil et orientation."
    assert data["sources"][0] == {"title": "structures.json", "url": "https://dora.example/structures/di-1",
                                  "date": "2024-03-15", "accessed": "2026-12-03"}
    assert outcome.ignored_columns == ["source", "code_insee"]


def test_existing_entries_same_siret_and_close_names(tmp_path):
    root = atlas(tmp_path)
    write_tree(root, {"content/actors/les-cantines-du-val.md":
                      f"---\ntitle: Les Cantines du Val\npostcode: \"59000\"\nsiret: \"{valid_siret(3)}\"\n---\n",
                      "content/actors/recyclerie.md": "---\ntitle: Recyclerie du Val\ngeo: {lat: 50.6300, lon: 3.0600}\n---\n"})
    rows = [{"nom": "Cantines du Val (Les)", "code_postal": "59000"},
            {"nom": "Autre nom", "siret": valid_siret(3)},
            {"nom": "RECYCLERIE DU VAL", "latitude": "50,6305", "longitude": "3,0601"},
            {"nom": "Recyclerie du Val", "latitude": "50.70", "longitude": "3.06"}]
    path = tmp_path / "a.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    outcome = do_import(root, path)
    reasons = {row: (m.ref.where, m.reason) for row, _, m in outcome.duplicates}
    assert reasons == {1: ("content/actors/les-cantines-du-val.md", "nom proche, même code postal 59000"),
                       3: ("content/actors/recyclerie.md", "nom proche, à 56 m")}
    assert outcome.skipped == [(2, f"déjà dans l'atlas : content/actors/les-cantines-du-val.md « Les Cantines "
                                   f"du Val » (même SIRET {valid_siret(3)})")]
    assert [row for row, _ in outcome.created] == [4]  # the same name 8 km away is another structure
    again = do_import(root, path, allow_duplicates=True)
    assert [row for row, _ in again.created] == [1, 3]


def test_slugs_are_unique_and_a_second_import_skips_what_it_wrote(tmp_path):
    root = atlas(tmp_path)
    write_tree(root, {"content/actors/recyclerie.yaml": "title: Recyclerie (ancien)\n"})
    path = tmp_path / "a.json"
    path.write_text(json.dumps([{"id": 1, "nom": "Recyclerie", "code_postal": "59000"},
                                {"id": 2, "nom": "Recyclerie", "code_postal": "69001"}]), encoding="utf-8")
    outcome = do_import(root, path)
    assert [rel for _, rel in outcome.created] == ["content/actors/recyclerie-2.md", "content/actors/recyclerie-3.md"]
    again = do_import(root, path)
    assert not again.created and [why for _, why in again.skipped] == [
        "déjà importée : content/actors/recyclerie-2.md (--update pour la mettre à jour)",
        "déjà importée : content/actors/recyclerie-3.md (--update pour la mettre à jour)"]


def test_print_map_lists_every_column_and_value(tmp_path):
    root = atlas(tmp_path)
    path = write_csv(tmp_path / "a.csv", messy(30).rows, ";", "cp1252")
    text_map = starting_map(ImportOptions(root=root, file=path))
    assert "  nom: title  # reconnue : nom de la structure (obligatoire)" in text_map
    assert "  Association loi 1901: association  # reconnue, 6 lignes" in text_map
    assert "  Économie circulaire: economie-circulaire  # reconnue, 15 lignes" in text_map
    mapping = tmp_path / "MAP.yaml"
    mapping.write_text(text_map, encoding="utf-8")
    assert do_import(root, path, map=mapping, dry_run=True, skip_invalid=True).created  # it reads back


def test_map_mistakes_are_reported_with_their_lines(tmp_path, capsys):
    root = atlas(tmp_path)
    path = write_csv(tmp_path / "a.csv", messy(3).rows, ";", "utf-8")
    mapping = write_tree(tmp_path, {"map.yaml": """\
        columns:
          nom: titel
        types:
          SCOP: scopp
        themes:
          Économie circulaire: economie-circulair
        colums: {}
        """}) / "map.yaml"
    assert main(["import", str(path), "--root", str(root), "--map", str(mapping)]) == 2
    err = capsys.readouterr().err
    assert f"{mapping}:2: columns.nom: champ « titel » inconnu pour actors (vouliez-vous dire 'title' ?)" in err
    assert f"{mapping}:4: types.SCOP: type « scopp » inconnu pour actors (vouliez-vous dire 'scop' ?)" in err
    assert f"{mapping}:6: themes.Économie circulaire: pas de fiche content/themes/economie-circulair.md" in err
    assert f"{mapping}:7: colums: section inconnue (vouliez-vous dire 'columns' ?)" in err


def test_fixed_values_fill_empty_cells_and_are_checked(tmp_path, capsys):
    root = atlas(tmp_path)
    path = tmp_path / "a.json"
    path.write_text(json.dumps([{"nom": "Un", "commune": "Roubaix"}, {"nom": "Deux", "code_postal": "59100",
                                                                      "thematiques": "Alimentation durable"}]),
                    encoding="utf-8")
    mapping = write_tree(tmp_path, {"map.yaml": """\
        fixed:
          territory: lille
          themes: economie-circulaire
          postcode: 59000
          type: association
        """}) / "map.yaml"
    outcome = do_import(root, path, map=mapping)
    one, two = (entry(root, rel) for _, rel in outcome.created)
    assert (one["territory"], one["themes"], one["postcode"], one["type"]) == (
        "lille", ["economie-circulaire"], "59000", "association")
    assert (two["postcode"], two["themes"]) == ("59100", ["alimentation"])  # a filled cell wins
    bad = write_tree(tmp_path, {"bad.yaml": "fixed:\n  postcode: 590\n  territory: lile\n"}) / "bad.yaml"
    assert main(["import", str(path), "--root", str(root), "--map", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:2: fixed.postcode: 590 n'est pas un code postal (cinq chiffres : 59000)" in err
    assert f"{bad}:3: fixed.territory: pas de fiche content/territories/lile.md (vouliez-vous dire 'lille' ?)" in err


def test_places_kind_uses_the_place_types(tmp_path):
    root = atlas(tmp_path)
    path = tmp_path / "lieux.json"
    path.write_text(json.dumps([{"nom": "La Grappe", "typologie": "TIERS_LIEUX", "code_postal": "59000",
                                 "latitude": 50.63, "longitude": 3.06},
                                {"nom": "Le Local", "typologie": "ASSO", "rna": "W595012345"}]), encoding="utf-8")
    outcome = do_import(root, path, kind="places", skip_invalid=True)
    assert [rel for _, rel in outcome.created] == ["content/places/la-grappe.md"]
    assert entry(root, "content/places/la-grappe.md")["type"] == "tiers-lieu"
    assert "enregistrement 2, colonne typologie : type « ASSO » inconnu" in text(outcome)
    assert outcome.unknown_columns == ["rna"]  # places have no RNA: said, not dropped silently
