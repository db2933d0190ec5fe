"""Progress of a long build (atlas/model/progress.py): silent for a quick build, then plain lines
in a log or a bar redrawn on a terminal; and the stages a real build reports, in order."""

from __future__ import annotations

import io

import pytest

from atlas.model import progress
from atlas.model.progress import Bar, Lines, Progress
from atlas.pipeline import Options, build
from fixture_atlas import FILES


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(progress.time, "monotonic", fake)
    return fake


def test_plain_lines_start_after_the_quiet_seconds_then_come_every_few_seconds(clock: Clock) -> None:
    out = io.StringIO()
    shown = Lines(out)
    shown.stage("lecture des fiches")
    clock.now += progress.QUIET_FOR / 2
    shown.stage("pages", 12000)
    assert out.getvalue() == ""  # a quick build prints only its summary
    clock.now += progress.QUIET_FOR
    shown.advance(3000)
    assert out.getvalue() == "build: pages 3\u202f000/12\u202f000 (25%)\n"
    clock.now += progress.EVERY / 2
    shown.advance(3000)
    assert out.getvalue().count("\n") == 1  # not more than a line every EVERY seconds
    clock.now += progress.EVERY
    shown.advance(3000)
    shown.stage("écriture")  # a new stage is always told
    assert out.getvalue().splitlines()[1:] == ["build: pages 9\u202f000/12\u202f000 (75%)", "build: écriture…"]


def test_a_terminal_gets_a_bar_redrawn_in_place_and_cleared_at_the_end(clock: Clock) -> None:
    out = io.StringIO()
    bar = Bar(out)
    clock.now += progress.QUIET_FOR + 1
    bar.stage("pages", 200)
    clock.now += 1
    bar.advance(100)
    text = out.getvalue()
    assert text.startswith("\r") and "\n" not in text and "100/200 (50%)" in text
    bar.finish()
    assert out.getvalue().endswith("\r\033[K")  # the summary line then starts on a clean line


def test_quiet_and_non_terminal_streams() -> None:
    assert type(progress.for_stream(io.StringIO(), quiet=True)) is Progress
    assert type(progress.for_stream(io.StringIO())) is Lines


class Recorder(Progress):
    def __init__(self) -> None:
        super().__init__()
        self.stages: list[tuple[str, int]] = []
        self.advanced = 0

    def stage(self, name: str, total: int = 0) -> None:
        self.stages.append((name, total))
        super().stage(name, total)

    def advance(self, count: int = 1) -> None:
        self.advanced += count
        super().advance(count)


def test_a_build_reports_its_stages_in_order_and_every_page_it_renders(tree) -> None:
    root = tree(FILES)
    seen = Recorder()
    result = build(Options(root=root, out=root / "site", search=False), progress=seen)
    assert result.report.ok
    names = [name for name, _ in seen.stages]
    assert names[:2] == ["lecture des fiches", "liens entre fiches"] and names[-1] == "écriture"
    assert "pages" in names and names.index("pages") < names.index("données ouvertes")
    assert sum(total for name, total in seen.stages if name == "pages") == result.rendered == seen.advanced
