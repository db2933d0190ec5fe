"""Freshness: `check --stale N` relative to an injectable today; « à vérifier » on pages,
relative to the newest `updated` of the atlas so that builds stay byte-identical."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from helpers import tree_digest

from atlas.cli import main
from atlas.link.freshness import months_before, stale_entries
from atlas.pipeline import Options, build, check

NOTE = "à vérifier"


def _entry(title: str, updated: str | None = None, extra: str = "") -> str:
    return f"---\ntitle: {title}\n{extra}" + (f"updated: {updated}\n" if updated else "") + "---\n"


FILES = {
    "content/actors/ancienne.md": _entry("Ancienne", "2024-05-22"),   # 18 months + 1 day before 2025-11-23
    "content/actors/limite.md": _entry("Limite", "2024-05-23"),      # exactly 18 months: still fresh
    "content/actors/recente.md": _entry("Récente", "2025-11-01"),
    "content/places/sans-date.md": _entry("Sans date"),
    "content/themes/vieux-theme.md": _entry("Vieux thème", "2020-01-31"),
    "content/pages/a-propos.md": _entry("À propos"),                 # free pages are not entries to re-check
}


@pytest.mark.parametrize("day, months, expected", [
    (dt.date(2025, 11, 23), 18, dt.date(2024, 5, 23)),
    (dt.date(2025, 8, 31), 6, dt.date(2025, 2, 28)),
    (dt.date(2024, 8, 31), 6, dt.date(2024, 2, 29)),
    (dt.date(2026, 1, 15), 1, dt.date(2025, 12, 15)),
    (dt.date(2026, 3, 1), 0, dt.date(2026, 3, 1)),
])
def test_months_before(day: dt.date, months: int, expected: dt.date) -> None:
    assert months_before(day, months) == expected


def test_stale_entries_are_old_or_undated_and_never_free_pages(tree) -> None:
    atlas = check(Options(root=tree(FILES))).atlas
    stale = stale_entries(atlas, 18, dt.date(2025, 11, 23))
    assert [p.format() for p in stale] == [
        "content/actors/ancienne.md:3: notice: updated: to re-check: last checked 2024-05-22, more than 18 months "
        "before 2025-11-23 (review the facts and sources, then set updated: 2025-11-23)",
        "content/places/sans-date.md:1: notice: updated: to re-check: no 'updated' date "
        "(review the facts, then add updated: 2025-11-23)",
        "content/themes/vieux-theme.md:3: notice: updated: to re-check: last checked 2020-01-31, more than 18 "
        "months before 2025-11-23 (review the facts and sources, then set updated: 2025-11-23)",
    ]
    assert [p.path for p in stale_entries(atlas, 1, dt.date(2026, 1, 1))] == [
        "content/actors/ancienne.md", "content/actors/limite.md", "content/actors/recente.md",
        "content/places/sans-date.md", "content/themes/vieux-theme.md"]


def test_check_stale_command(tree, capsys: pytest.CaptureFixture[str]) -> None:
    root = tree(FILES)
    assert main(["check", "--root", str(root), "--stale", "18", "--today", "2025-11-23"]) == 0
    out, err = capsys.readouterr()
    assert [line.split(":")[0] for line in out.splitlines()] == [
        "content/actors/ancienne.md", "content/places/sans-date.md", "content/themes/vieux-theme.md"]
    assert "3 entries to re-check (--stale 18)" in err
    assert main(["check", "--root", str(root), "--stale", "18", "--today", "2025-11-23", "--format", "github"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("::notice file=content/actors/ancienne.md,line=3::updated: to re-check: last checked")


def test_check_stale_defaults_to_the_real_today(tree, capsys: pytest.CaptureFixture[str]) -> None:
    root = tree({"content/actors/hier.md": _entry("Hier", (dt.date.today() - dt.timedelta(days=1)).isoformat()),
                 "content/actors/vieux.md": _entry("Vieux", "2001-01-01")})
    assert main(["check", "--root", str(root), "--stale", "18"]) == 0
    assert [line.split(":")[0] for line in capsys.readouterr().out.splitlines()] == ["content/actors/vieux.md"]


def _notes(site: Path) -> dict[str, bool]:
    """Entry URL -> whether its page says « à vérifier »."""
    found = {}
    for page in sorted(site.glob("*/*/index.html")):
        html = page.read_text(encoding="utf-8")
        updated = re.search(r'<p class="updated"[^>]*>.*?</p>', html, re.S)
        found[page.parent.relative_to(site).as_posix()] = bool(updated and NOTE in updated.group(0))
    return found


def test_pages_say_a_verifier_relative_to_the_newest_update(tree) -> None:
    root = tree(FILES)
    result = build(Options(root=root, out=root / "site", use_cache=False))
    assert result.report.ok
    # newest `updated` is 2025-11-01: the cutoff is 2024-05-01, so 2024-05-22 is still fresh.
    notes = _notes(root / "site")
    assert notes == {"acteurs/ancienne": False, "acteurs/limite": False, "acteurs/recente": False,
                     "lieux/sans-date": True, "thematiques/vieux-theme": True}
    undated = (root / "site/lieux/sans-date/index.html").read_text(encoding="utf-8")
    assert ('<p class="updated" data-pagefind-ignore>Dernière vérification : date inconnue · '
            '<strong class="a-verifier">à vérifier</strong></p>') in undated
    about = (root / "site/a-propos/index.html").read_text(encoding="utf-8")
    assert NOTE not in about


def test_a_newer_check_moves_the_note_and_the_cache_follows(tree) -> None:
    """The cutoff is part of every page's inputs: an incremental build re-renders what it changes."""
    root = tree(FILES)
    out = root / "site"
    assert build(Options(root=root, out=out)).report.ok
    assert _notes(out)["acteurs/ancienne"] is False
    (root / "content/actors/recente.md").write_text(_entry("Récente", "2025-11-23"), encoding="utf-8")
    assert build(Options(root=root, out=out)).report.ok  # with the cache, as `serve` does
    assert _notes(out)["acteurs/ancienne"] is True
    assert _notes(out)["acteurs/limite"] is False


def test_builds_do_not_depend_on_the_day(tree, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tree(FILES)
    first = build(Options(root=root, out=root / "a", use_cache=False))
    assert first.report.ok

    class Later(dt.date):
        @classmethod
        def today(cls) -> dt.date:
            return dt.date(2031, 1, 1)

    monkeypatch.setattr(dt, "date", Later)
    assert build(Options(root=root, out=root / "b", use_cache=False)).report.ok
    monkeypatch.undo()
    assert tree_digest(root / "a") == tree_digest(root / "b")


def test_stale_months_setting(tree) -> None:
    root = tree({**FILES, "atlas.yaml": "stale_months: 0\n"})
    assert build(Options(root=root, out=root / "site", use_cache=False)).report.ok
    assert not any(_notes(root / "site").values())
    (root / "atlas.yaml").write_text("stale_months: 1\n", encoding="utf-8")
    assert build(Options(root=root, out=root / "site", use_cache=False)).report.ok
    notes = _notes(root / "site")
    assert notes["acteurs/ancienne"] and notes["acteurs/limite"] and not notes["acteurs/recente"]
    (root / "atlas.yaml").write_text("stale_months: dix-huit\n", encoding="utf-8")
    with pytest.raises(Exception, match="stale_months must be a whole number of months"):
        build(Options(root=root, out=root / "site", use_cache=False))
