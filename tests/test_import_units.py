"""The import's decisions, one table each: cell values, YAML text, merges, positions, names, files."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, strategies as st

from atlas.read.source import parse_yaml
from atlas.tools.importer.match import Matcher, Ref, name_key
from atlas.tools.importer.position import check_position
from atlas.tools.importer.progress import Progress
from atlas.tools.importer.report import ranges
from atlas.tools.importer.sync import ABSENT, KEEP, decide
from atlas.tools.importer.table import column_letter, decode, delimiter
from atlas.tools.importer import values as v
from atlas.tools.importer.yamltext import DELETE, edit, render_entry, scalar

VALUES = [
    (v.siret, "732 829 320 00074", "73282932000074"),
    (v.siret, 73282932000074.0, "73282932000074"),  # a spreadsheet number
    (v.siret, "35600000000048", "35600000000048"),  # La Poste: its own rule, not Luhn
    (v.siret, "73282932000075", v.Bad("73282932000075 n'est pas un SIRET valide (clé de contrôle)")),
    (v.siret, "7328293200007", v.Bad("7328293200007 n'est pas un SIRET valide (13 chiffres au lieu de 14)")),
    (v.siret, "SIRET inconnu", v.Bad("SIRET inconnu n'est pas un SIRET valide (chiffres seulement)")),
    (v.siren, "732 829 320", "732829320"),
    (v.siren, "732829321", v.Bad("732829321 n'est pas un SIREN valide (clé de contrôle)")),
    (v.rna, "w 595012345", "W595012345"),
    (v.rna, "595012345", v.Bad("595012345 n'est pas un numéro RNA valide")),
    (v.postcode, "59 000", "59000"),
    (v.postcode, 1000, "01000"),  # the leading zero a spreadsheet dropped
    (v.postcode, "590", v.Bad("590 n'est pas un code postal")),
    (v.phone, "03 20 12 34 56", "+33320123456"),
    (v.phone, "+33 (0)3 20 12 34 56", "+33320123456"),
    (v.phone, 320123456, "+33320123456"),
    (v.phone, "+32 2 501 02 11", "+3225010211"),  # Brussels
    (v.phone, "03 20 12", v.Bad("03 20 12 n'est pas un numéro de téléphone valide")),
    (v.email, "mailto:Contact@Exemple.FR ", "Contact@exemple.fr"),
    (v.email, "contact@exemple", v.Bad("contact@exemple n'est pas une adresse électronique valide")),
    (v.url, "www.exemple.fr", "https://www.exemple.fr"),
    (v.url, "https://exemple.fr/a b", v.Bad("https://exemple.fr/a b contient des espaces")),
    (v.url, "exemple", v.Bad("exemple n'est pas une adresse web")),
    (v.number, "50,6311", 50.6311),
    (v.number, "-1,47", -1.47),
    (v.number, "1 300", 1300.0),
    (v.number, "50.63.1", v.Bad("50.63.1 n'est pas un nombre")),
    (v.year, "12/05/2009", 2009),
    (v.date, "2024-03-15T10:00:00", "2024-03-15"),
    (v.date, "15/03/2024", "2024-03-15"),
    (v.date, "31/02/2024", v.Bad("31/02/2024 n'est pas une date")),
    (v.opening_hours, "Mo-Fr 09:00-12:00,14:00-18:00;Sa 10:00-12:00", "Mo-Fr 09:00-12:00,14:00-18:00; Sa 10:00-12:00"),
    (v.opening_hours, "lundi 9h-12h", v.Bad("horaires « lundi 9h-12h » : « lundi 9h-12h » n'est pas au format "
                                            "OpenStreetMap")),
    (v.single_line, "<b>La NEF</b> &amp; co\n", "La NEF & co"),
    (v.body, "<p>Un.</p><p>Deux<br>trois</p><script>x()</script>", "Un.\n\nDeux\ntrois"),
]


@pytest.mark.parametrize("convert,cell,expected", VALUES)
def test_cell_values(convert, cell, expected):
    if isinstance(expected, v.Bad):
        with pytest.raises(v.Bad) as caught:
            convert(cell)
        assert caught.value.message == expected.message
    else:
        assert convert(cell) == expected


@pytest.mark.parametrize("cell,formula", [("=SOMME(A1)", True), ("+33 3 20 12 34 56", False), ("-1,47", False),
                                          ("@handle", True), ("-", False), ("- tiret", True), ("Nom", False)])
def test_formula_looking_cells(cell, formula):
    assert v.looks_like_formula(cell) is formula


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\ufeff")))
def test_every_scalar_reads_back_as_itself(text):
    assert parse_yaml(f"k: {scalar(text)}", "", 0, [])[0] == {"k": text}
    assert parse_yaml(f"k: [{scalar(text)}]", "", 0, [])[0] == {"k": [text]}


@pytest.mark.parametrize("value", [50.6311, -1.47, 0.000005, 3, True, "2026-12-03", "59000", "oui", "Non", "~"])
def test_typed_scalars_read_back(value):
    assert parse_yaml(f"k: {scalar(value)}", "", 0, [])[0] == {"k": value}


def test_new_entry_text_is_hand_written_style():
    assert render_entry("actors", {"origin": {"source": "annuaire", "id": "1"}, "postcode": "59000",
                                   "title": "L'Atelier", "sources": [{"title": "Annuaire", "accessed": "2026-12-03"}],
                                   "type": "association", "website": "https://x.fr/"}, "Texte.\n") == (
        "---\ntitle: L'Atelier\nwebsite: https://x.fr/\nsources:\n  - {title: Annuaire, accessed: 2026-12-03}\n"
        "type: association\npostcode: \"59000\"\norigin: {source: annuaire, id: \"1\"}\n---\n\nTexte.\n")


def test_edit_touches_only_the_changed_fields():
    text = ("---\n# yaml-language-server: $schema=x\ntitle: A\n# la ville, vérifiée en mairie\ncity: Lille\n"
            "themes:\n  - a\n  - b\nsummary: Dit.\n---\n\nCorps écrit à la main.\n")
    edited = edit(text, "actors", {"city": "Roubaix", "themes": DELETE, "phone": "+33320123456"})
    assert edited == ("---\n# yaml-language-server: $schema=x\ntitle: A\n# la ville, vérifiée en mairie\ncity: Roubaix\n"
                      "summary: Dit.\nphone: \"+33320123456\"\n---\n\nCorps écrit à la main.\n")
    assert edit(text, "actors", {}, "Nouveau.") == text.replace("Corps écrit à la main.", "Nouveau.")


# (last imported, in the file now, in the source now) -> (write, record, conflict, kept edit)
DECISIONS = [
    ("a", "a", "a", KEEP, "a", False, False),
    ("a", "a", "b", "b", "b", False, False),
    ("a", "a", ABSENT, DELETE, ABSENT, False, False),
    (ABSENT, ABSENT, "b", "b", "b", False, False),
    ("a", "x", "x", KEEP, "x", False, False),
    ("a", "x", "a", KEEP, "a", False, True),
    ("a", "x", "b", KEEP, "b", True, False),
    ("a", ABSENT, "a", KEEP, "a", False, True),  # a person removed it: stays removed
    ("a", ABSENT, "b", KEEP, "b", True, False),
]


@pytest.mark.parametrize("last,current,new,write,record,conflict,kept", DECISIONS)
def test_update_decisions(last, current, new, write, record, conflict, kept):
    decision = decide(last, current, new)
    assert (decision.write, decision.record, decision.conflict, decision.kept_edit) == (write, record, conflict, kept)


POSITIONS = [
    (50.63, 3.06, "59000", (50.63, 3.06), ""),
    (3.06, 50.63, "59000", (50.63, 3.06), "latitude et longitude inversées (3,06, 50,63) : remises dans l'ordre"),
    (55.45, -20.88, "97400", (-20.88, 55.45), "latitude et longitude inversées (55,45, -20,88) : remises dans l'ordre"),
    (-20.88, 55.45, "97400", (-20.88, 55.45), ""),
    (40.7, -74.0, "59000", (None, None), "position 40,7, -74 hors de France pour le code postal 59000"),
    (95.0, 3.0, "", (None, None), "position 95, 3 hors des limites (latitude -90 à 90, longitude -180 à 180)"),
    (0.0, 0.0, "59000", (None, None), "position 0, 0 (valeur par défaut d'un export) : ignorée"),
]


@pytest.mark.parametrize("lat,lon,postcode,kept,message", POSITIONS)
def test_positions(lat, lon, postcode, kept, message):
    checked = check_position(lat, lon, postcode)
    assert (checked.lat, checked.lon) == kept and checked.message == message


@pytest.mark.parametrize("a,b,same", [("Les Petites Cantines", "petites cantines (LES)", True),
                                      ("Épicerie solidaire", "Epicerie Solidaire", True),
                                      ("L'Aubergeoise", "Aubergeoise", True),
                                      ("Restos du cœur 12", "Restos du coeur 13", False),
                                      ("Recyclerie", "Emmaüs", False)])
def test_names_compared(a, b, same):
    matcher = Matcher()
    matcher.add({"title": a, "postcode": "59000"}, Ref(a, "ligne 2"))
    assert (matcher.find({"title": b, "postcode": "59000"}) is not None) is same
    assert matcher.find({"title": b, "postcode": "69001"}) is None  # elsewhere, a namesake


def test_names_without_postcode_match_within_200_m():
    matcher = Matcher()
    matcher.add({"title": "Recyclerie", "geo": {"lat": 50.63, "lon": 3.06}}, Ref("Recyclerie", "content/actors/recyclerie.md"))
    assert matcher.find({"title": "RECYCLERIE", "geo": {"lat": 50.6315, "lon": 3.06}}).reason == "nom proche, à 167 m"
    assert matcher.find({"title": "RECYCLERIE", "geo": {"lat": 50.6325, "lon": 3.06}}) is None
    assert name_key("L'Atelier « vélo » des Canuts") == "atelier velo canuts"


@pytest.mark.parametrize("numbers,text", [([2, 3, 4, 7], "2–4, 7"), ([5], "5"), ([2, 3], "2, 3"), ([9, 1, 2, 3], "1–3, 9")])
def test_row_ranges(numbers, text):
    assert ranges(numbers) == text


@pytest.mark.parametrize("data,text,encoding", [
    ("nom;é\n".encode("utf-8"), "nom;é\n", "UTF-8"),
    ("\ufeffnom;é\n".encode("utf-8"), "nom;é\n", "UTF-8 avec BOM"),
    ("nom;é’\n".encode("cp1252"), "nom;é’\n", "Windows-1252"),
    ("nom\té\n".encode("utf-16"), "nom\té\n", "UTF-16"),
])
def test_encodings(data, text, encoding):
    assert decode(data) == (text, encoding)


@pytest.mark.parametrize("header,sep", [("nom;adresse;cp", ";"), ("nom,adresse", ","), ("nom\tadresse", "\t"),
                                        ('"nom, prénom";adresse', ";"), ("nom", ",")])
def test_delimiters(header, sep):
    assert delimiter(header + "\nx\n") == sep


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 701)] == ["A", "Z", "AA", "ZZ"]


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("stream,expected", [(Tty(), "\rimport : vérification 1\u202f500 / 3\u202f000 lignes (50 %)\x1b[K"),
                                             (io.StringIO(), "import : vérification 1\u202f500 / 3\u202f000 lignes\n")])
def test_progress_on_a_terminal_and_in_a_log(stream, expected):
    progress = Progress(stream, 3000, "vérification")
    progress.last = -1e9  # as if the last line were long ago
    progress.step(1500)
    assert stream.getvalue() == expected
    quiet = io.StringIO()
    Progress(quiet, 300, "vérification").step(150)
    assert quiet.getvalue() == ""
