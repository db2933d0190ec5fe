"""Programme statuses from their dates and the build date; the calendar feed; same-day builds."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

import icalendar
import pytest
import yaml
from PIL import Image

from atlas.model.kinds import Entry
from atlas.model.lifecycle import CLOSED, OPEN, UPCOMING, build_date, exact_day, programme_status
from atlas.model.problems import AtlasError
from atlas.outputs.ical import events
from atlas.pages.status import SHOWN, status_digest
from atlas.pipeline import Options, build
from conftest import ROOT, build_tree


@dataclass(frozen=True)
class Partial:
    """A partial date as atlas/model/dates.py defines it: month and day None when not given."""

    year: int
    month: int | None = None
    day: int | None = None


def programme(**dates: object) -> Entry:
    return Entry("programmes", "p", "content/programmes/p.md", {"title": "P", **dates}, {}, "", 1, "")


D = dt.date
STATUS_TABLE = [  # (dates, today, status)
    ({}, D(2026, 3, 1), None),
    ({"start": D(2013, 7, 15)}, D(2026, 3, 1), None),  # launched, no closing date: cannot tell
    ({"start": D(2026, 4, 1)}, D(2026, 3, 1), UPCOMING),
    ({"start": D(2026, 3, 1), "deadline": D(2026, 3, 15)}, D(2026, 3, 1), OPEN),  # opening day
    ({"start": D(2026, 3, 1), "deadline": D(2026, 3, 15)}, D(2026, 2, 28), UPCOMING),
    ({"start": D(2026, 3, 1), "deadline": D(2026, 3, 15)}, D(2026, 3, 15), OPEN),  # the deadline day
    ({"start": D(2026, 3, 1), "deadline": D(2026, 3, 15)}, D(2026, 3, 16), CLOSED),
    ({"deadline": D(2026, 3, 15), "end": D(2026, 12, 31)}, D(2026, 6, 1), CLOSED),  # deadline first
    ({"deadline": D(2026, 9, 30), "end": D(2026, 6, 30)}, D(2026, 7, 1), CLOSED),  # end first
    ({"end": D(2026, 6, 30)}, D(2026, 1, 1), OPEN),
    ({"start": D(2027, 1, 1), "end": D(2020, 1, 1)}, D(2026, 1, 1), UPCOMING),  # contradictory: not yet begun
    # partial dates stand for their whole period
    ({"start": Partial(2026, 9)}, D(2026, 8, 31), UPCOMING),
    ({"start": Partial(2026, 9), "end": Partial(2026)}, D(2026, 9, 1), OPEN),
    ({"deadline": Partial(2026, 9)}, D(2026, 9, 30), OPEN),
    ({"deadline": Partial(2026, 9)}, D(2026, 10, 1), CLOSED),
    ({"end": Partial(2025)}, D(2025, 12, 31), OPEN),
    ({"end": Partial(2025)}, D(2026, 1, 1), CLOSED),
    ({"start": Partial(2026, 3, 1), "deadline": Partial(2026, 3, 1)}, D(2026, 3, 1), OPEN),
]


@pytest.mark.parametrize("dates, today, expected", STATUS_TABLE)
def test_status_table(dates, today, expected) -> None:
    assert programme_status(programme(**dates), today) == expected


def test_only_dates_precise_to_the_day_are_days() -> None:
    assert exact_day(D(2026, 3, 1)) == D(2026, 3, 1)
    assert exact_day(Partial(2026, 3, 1)) == D(2026, 3, 1)
    assert exact_day(Partial(2026, 3)) is None and exact_day(Partial(2026)) is None and exact_day(None) is None


def test_build_date_comes_from_source_date_epoch_else_today() -> None:
    assert build_date({"SOURCE_DATE_EPOCH": "1772323200"}) == D(2026, 3, 1)  # 2026-03-01T00:00:00Z
    assert build_date({"SOURCE_DATE_EPOCH": "1772409599"}) == D(2026, 3, 1)  # 23:59:59 UTC, same day
    assert build_date({}) == dt.date.today() and build_date({"SOURCE_DATE_EPOCH": ""}) == dt.date.today()
    with pytest.raises(AtlasError, match="SOURCE_DATE_EPOCH"):
        build_date({"SOURCE_DATE_EPOCH": "2026-03-01"})


def epoch(day: dt.date) -> str:
    return str(int(dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.timezone.utc).timestamp()))


FILES = {
    "content/territories/lille.md": "---\ntitle: Lille\ntype: commune\n---\n",
    "content/actors/la-fabrique.md":
        "---\ntitle: La Fabrique\ntype: association\nprogrammes: [appel-2026]\n---\n",
    "content/actors/voisine.md": "---\ntitle: La Voisine\ntype: association\n---\n",
    "content/programmes/appel-2026.md":
        "---\ntitle: Appel 2026\nsummary: Un appel à projets.\ntype: appel-a-projets\nterritory: lille\n"
        "start: 2026-01-15\ndeadline: 2026-03-15\nend: 2026-12-31\nupdated: 2026-01-10\n---\n",
    "content/programmes/futur.md":
        "---\ntitle: Futur\ntype: fonds\nstart: 2027-01-01\ndeadline: 2027-02-01\n---\n",
    "content/programmes/ancien.md": "---\ntitle: Ancien\ntype: plan\nstart: 2013-07-15\n---\n",
    "content/pages/accueil.md": "---\ntitle: Accueil\n---\nBienvenue.\n",
}


def html(root: Path, url: str, out: str = "site") -> str:
    return (root / out / url / "index.html").read_text(encoding="utf-8")


def fact(page: str) -> str:
    start = page.find("<dt>Statut</dt>")
    return page[start:page.find("</div>", start)] if start >= 0 else ""


def test_pages_show_the_status_of_the_build_date(tree, monkeypatch) -> None:
    root = tree(FILES)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(D(2026, 3, 1)))
    assert build_tree(root, search=False).report.ok
    page = html(root, "programmes/appel-2026")
    assert 'class="status status-ouvert">Ouvert</span>' in fact(page)
    assert 'date limite : <time datetime="2026-03-15">' in fact(page)
    assert 'data-pagefind-filter="statut[data-value]"' in page and 'data-value="Ouvert"' in page
    assert 'status-a-venir">À venir<' in fact(html(root, "programmes/futur"))
    assert fact(html(root, "programmes/ancien")) == "" and "statut[" not in html(root, "programmes/ancien")
    listing = html(root, "programmes")
    assert listing.count('class="status status-') == 2  # the cards of the two dated programmes
    assert 'status-ouvert">Ouvert</span>' in html(root, "acteurs/la-fabrique")  # a related card


def test_the_day_after_the_deadline_renders_only_the_pages_that_show_it(tree, tmp_path, monkeypatch,
                                                                        rendered) -> None:
    root = tree(FILES)
    options = Options(root=root, out=root / "site", search=False)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(D(2026, 3, 15)))
    assert build(options).report.ok
    rendered.clear()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(epoch(D(2026, 3, 15))) + 3600))  # later the same day
    assert build(options).report.ok and rendered == []
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(D(2026, 3, 16)))
    result = build(options)
    assert result.report.ok
    assert set(rendered) == {"programmes/appel-2026/", "programmes/", "programmes/types/appel-a-projets/",
                             "a-z/", "territoires/lille/", "acteurs/la-fabrique/"}
    assert "Clos" in fact(html(root, "programmes/appel-2026"))
    cold = build(Options(root=root, out=tmp_path / "cold", search=False, use_cache=False))
    assert cold.report.ok and digests(root / "site") == digests(tmp_path / "cold")


def test_a_status_seen_on_another_day_never_matches_a_saved_digest(tree) -> None:
    root = tree(FILES)
    atlas = build_tree(root, search=False).atlas
    assert status_digest(atlas, "programmes/ancien@-") == SHOWN
    gone = {status_digest(atlas, "programmes/ancien@ouvert") for _ in range(3)}
    assert SHOWN not in gone and len(gone) == 3  # even digested again after the day turned
    assert status_digest(atlas, "programmes/supprime@ouvert") != SHOWN


def digests(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.blake2b(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("epoch_value", [epoch(D(2026, 3, 1)), None], ids=["SOURCE_DATE_EPOCH", "today"])
def test_two_builds_on_the_same_day_are_byte_identical(tree, tmp_path, monkeypatch, epoch_value) -> None:
    root = tree({**FILES, "content/actors/la-fabrique.md": "---\ntitle: La Fabrique\ntype: association\n"
                 "programmes: [appel-2026]\nimage: photo.png\nimage_alt: Un atelier\n---\n"})
    Image.new("RGB", (900, 600), (30, 120, 90)).save(root / "content/actors/photo.png")
    if epoch_value is None:
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    else:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch_value)
    for out in ("one", "two"):
        assert build(Options(root=root, out=tmp_path / out, use_cache=False, search=False)).report.ok
    assert digests(tmp_path / "one") == digests(tmp_path / "two")
    assert "programmes/calendrier.ics" in digests(tmp_path / "one")


def test_the_calendar_has_an_all_day_event_per_start_and_deadline(tree, monkeypatch) -> None:
    root = tree(FILES)
    assert build_tree(root, search=False, base_url="https://example.org/atlas/").report.ok
    feed = icalendar.Calendar.from_ical((root / "site/programmes/calendrier.ics").read_bytes())
    found = {str(e["uid"]): e for e in feed.walk("VEVENT")}
    assert sorted(found) == [f"{slug}/{what}@example.org/atlas" for slug, what in (
        ("ancien", "debut"), ("appel-2026", "date-limite"), ("appel-2026", "debut"),
        ("futur", "date-limite"), ("futur", "debut"))]
    deadline = found["appel-2026/date-limite@example.org/atlas"]
    assert deadline.decoded("dtstart") == D(2026, 3, 15) and deadline.decoded("dtend") == D(2026, 3, 16)
    assert deadline["dtstart"].params.get("VALUE") == "DATE"  # all day, in every time zone
    assert str(deadline["summary"]) == "Date limite : Appel 2026"
    assert str(deadline["url"]) == "https://example.org/atlas/programmes/appel-2026/"
    assert deadline.decoded("dtstamp") == dt.datetime(2026, 1, 10, tzinfo=dt.timezone.utc)  # its `updated`
    assert "Un appel à projets." in str(deadline["description"])
    assert str(feed["prodid"]) and str(feed["version"]) == "2.0"


def test_only_days_become_events() -> None:
    site = {"base_url": "", "title": "Atlas du Pays basque"}
    entry = programme(start=Partial(2025, 9), deadline=Partial(2025, 10, 1), end=D(2026, 1, 1))
    [event] = events(entry, site)  # the start is a month, the end is no event of this feed
    assert str(event["uid"]) == "p/date-limite@atlas-du-pays-basque" and event.decoded("dtstart") == D(2025, 10, 1)
    assert "url" not in event  # no public address: no link that would point nowhere


def test_the_programmes_list_links_to_the_calendar(tree) -> None:
    root = tree(FILES)
    assert build_tree(root, search=False).report.ok
    listing = html(root, "programmes")
    assert '<link rel="alternate" type="text/calendar"' in listing and 'href="/programmes/calendrier.ics"' in listing
    assert listing.count('href="/programmes/calendrier.ics"') == 2  # the head link and a visible one
    assert "text/calendar" not in html(root, "acteurs") + html(root, "programmes/types/fonds")


def test_an_atlas_without_programmes_has_no_calendar(tree) -> None:
    root = tree({k: v for k, v in FILES.items() if "programmes/" not in k and "fabrique" not in k})
    assert build_tree(root, search=False).report.ok
    assert not (root / "site/programmes/calendrier.ics").exists()
    assert "calendrier.ics" not in html(root, "programmes")


def test_the_publishing_workflow_rebuilds_every_day() -> None:
    workflow = yaml.safe_load((ROOT / ".github/workflows/publier.yml").read_text(encoding="utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    [schedule] = triggers["schedule"]
    minute, hour, day, month, weekday = schedule["cron"].split()
    assert (day, month, weekday) == ("*", "*", "*") and minute.isdigit() and hour.isdigit()
