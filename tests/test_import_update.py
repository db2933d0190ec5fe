"""--update: the monthly re-import keeps what people edited, changes nothing else, lists what left."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from pathlib import Path

from atlas.read.source import parse_bytes
from atlas.tools.importer import ImportOptions, run
from atlas.tools.importer.report import text
from atlas.tools.importer.state import dump_state, load_state
from import_fixtures import BASE_FILES, COLUMNS, messy
from conftest import write_tree

FIRST, LATER = dt.date(2026, 11, 2), dt.date(2026, 12, 3)


def write_csv(path: Path, rows: list[dict]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows([row[c] for c in COLUMNS] for row in rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def snapshot(root: Path) -> dict[str, str]:
    """Every file of the atlas (content/ and imports/) by path, as a digest of its bytes."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for folder in ("content", "imports") for p in sorted((root / folder).rglob("*")) if p.is_file()}


def imported(tmp_path: Path, rows) -> tuple[Path, Path, dict[int, str]]:
    root = write_tree(tmp_path / "atlas", BASE_FILES)
    path = write_csv(tmp_path / "adherents.csv", rows.rows)
    outcome = run(ImportOptions(root=root, file=path, source_title="Annuaire", skip_invalid=True, today=FIRST),
                  io.StringIO())
    return root, path, {row: rel for row, rel in outcome.created}


def update(root: Path, path: Path, today=LATER):
    return run(ImportOptions(root=root, file=path, source_title="Annuaire", update=True, skip_invalid=True,
                             today=today), io.StringIO())


def front(root: Path, rel: str) -> dict:
    return parse_bytes((root / rel).read_bytes(), "actors", Path(rel).stem, rel).data


def test_same_file_again_changes_no_byte(tmp_path):
    rows = messy(120)
    root, path, created = imported(tmp_path, rows)
    before = snapshot(root)
    outcome = update(root, path)
    assert snapshot(root) == before and not outcome.wrote_state
    assert outcome.unchanged == len(created) and not outcome.updated and not outcome.conflicts
    assert "Rien à écrire : l'atlas est à jour avec la source." in text(outcome)
    update(root, path, dt.date(2027, 1, 5))  # another day: still nothing to write, not even a date
    assert snapshot(root) == before


def test_hand_edits_are_kept_and_source_changes_applied(tmp_path):
    rows = messy(60)
    root, path, created = imported(tmp_path, rows)
    edited, body_edited, untouched, both = created[2], created[3], created[4], created[5]
    # A volunteer corrects a summary-less entry's city, adds a sentence and a partner; another rewrites the text.
    text_before = (root / edited).read_text(encoding="utf-8")
    (root / edited).write_text(text_before.replace("city: Lille", "city: Lille-Moulins")
                               .replace("---\n\nStructure", "partners: []\n---\n\nStructure") + "Ajout d'une bénévole.\n",
                               encoding="utf-8")
    (root / body_edited).write_text((root / body_edited).read_text(encoding="utf-8")
                                    .replace("fondée par des habitants", "fondée en 1998 par des habitants"),
                                    encoding="utf-8")
    (root / both).write_text((root / both).read_text(encoding="utf-8").replace("www.exemple3.fr", "www.exemple3.org"),
                             encoding="utf-8")
    hand = {rel: (root / rel).read_bytes() for rel in (edited, body_edited, both)}
    # The source, a month later (sheet row n is rows[n - 2]): a new phone for the entry edited by hand,
    # a new text for the one whose text was rewritten, a new address for an untouched one, and a new
    # website for the one whose website a person changed.
    rows.rows[0]["telephone"] = "03 20 99 88 77"
    rows.rows[1]["description"] = "Nouvelle présentation."
    rows.rows[2]["adresse"] = "99 rue Neuve"
    rows.rows[3]["site_web"] = "www.exemple3.net"
    before = snapshot(root)
    outcome = update(root, write_csv(path, rows.rows))
    assert {rel for _, rel, _ in outcome.updated} == {edited, untouched}
    after = front(root, edited)
    assert after["city"] == "Lille-Moulins" and after["phone"] == "+33320998877" and after["updated"] == "2026-12-03"
    assert (root / edited).read_text(encoding="utf-8").endswith("Ajout d'une bénévole.\n")
    assert "partners: []\n" in (root / edited).read_text(encoding="utf-8")
    assert (root / body_edited).read_bytes() == hand[body_edited] and (root / both).read_bytes() == hand[both]
    assert front(root, untouched)["address"] == "99 rue Neuve"
    assert front(root, untouched)["sources"] == [{"title": "Annuaire", "accessed": "2026-12-03"}]
    conflicts = {(rel, name) for rel, name, _, _ in outcome.conflicts}
    assert conflicts == {(body_edited, "texte"), (both, "website")}
    assert f"{both}, website : la fiche dit « https://www.exemple3.org », la source dit « https://www.exemple3.net »" \
        in text(outcome)
    changed = {k for k in snapshot(root) if snapshot(root)[k] != before.get(k)}
    assert changed == {edited, untouched, "imports/annuaire.yaml"}  # nothing else moved
    # The conflict is said once: the next re-import of the same file keeps the edits and writes nothing.
    settled = snapshot(root)
    again = update(root, path)
    assert snapshot(root) == settled and not again.conflicts and not again.updated


def test_rows_gone_from_the_source_are_listed_not_deleted(tmp_path):
    rows = messy(30)
    root, path, created = imported(tmp_path, rows)
    gone_rel = created[7]
    del rows.rows[5]  # row 7 of the sheet (index 5)
    outcome = update(root, write_csv(path, rows.rows))
    assert [rel for _, rel in outcome.gone] == [gone_rel] and (root / gone_rel).is_file()
    assert f"Disparues de la source (gardées ; supprimez-les à la main si elles n'existent plus) :\n  {gone_rel}" \
        in text(outcome)


def test_new_rows_are_created_and_a_deleted_entry_is_not_recreated(tmp_path):
    rows = messy(20)
    root, path, created = imported(tmp_path, rows)
    (root / created[2]).unlink()
    more = messy(25)
    outcome = update(root, write_csv(path, more.rows))
    assert [row for row, _ in outcome.created] == [i + 2 for i in more.written() if i >= 20]
    assert (2, f"{created[2]} a été supprimée depuis l'import : pas recréée") in outcome.skipped
    assert not (root / created[2]).exists()


def test_lost_state_keeps_every_value_in_the_files(tmp_path):
    rows = messy(10)
    root, path, created = imported(tmp_path, rows)
    (root / "imports" / "annuaire.yaml").unlink()
    rows.rows[0]["telephone"] = "03 20 99 88 77"
    outcome = update(root, write_csv(path, rows.rows))
    assert front(root, created[2])["phone"] == "+33320103456"  # without a record, the file's value is the person's
    assert (created[2], "phone") in {(rel, name) for rel, name, _, _ in outcome.conflicts}


def test_the_state_format_shown_in_contributing_is_the_one_read(tmp_path):
    guide = (Path(__file__).resolve().parent.parent / "CONTRIBUTING.md").read_text(encoding="utf-8")
    shown = guide.split("**Le fichier d'état**")[1].split("```yaml\n")[1].split("```")[0]
    write_tree(tmp_path, {"imports/annuaire-des-adherents.yaml": shown})
    state = load_state(tmp_path, "annuaire-des-adherents")
    assert state.title == "Annuaire des adhérents" and state.kind == "actors"
    assert state.entries["73282932000074"].fields["postcode"] == "69120"
    written = dump_state(state).split("\n", 2)[2]  # what an import writes, after its two comment lines
    assert written == shown
