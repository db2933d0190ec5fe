"""Progress of a long build: the stage it is at and how far, told as the build goes.

A recorder passed to the build (as Report is for problems): `stage(name, total)` when a stage
starts, `advance(n)` as its items are done. Nothing is shown during the first seconds, so a
quick rebuild prints only its summary line; after that, a bar redrawn in place when the output
is a terminal, and a plain line every few seconds otherwise (CI logs keep every line).
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

QUIET_FOR = 2.0  # seconds before anything is shown
EVERY = 5.0  # seconds between two plain lines
WIDTH = 30  # characters of the bar


class Progress:
    """Records the stage and the count; shows nothing (the recorder of tests and of the preview)."""

    def __init__(self) -> None:
        self.name, self.done, self.total = "", 0, 0
        self.start = time.monotonic()

    def stage(self, name: str, total: int = 0) -> None:
        self.name, self.done, self.total = name, 0, total
        self.show(force=total == 0)

    def advance(self, count: int = 1) -> None:
        self.done += count
        self.show(force=False)

    def finish(self) -> None:
        """The build is over: leave the line clean for the summary."""

    def show(self, force: bool) -> None:
        """Draw the current state, if this recorder draws at all."""

    def text(self) -> str:
        if not self.total:
            return f"{self.name}…"
        share = self.done / self.total
        return f"{self.name} {self.done:,}/{self.total:,} ({share:.0%})".replace(",", "\u202f")


class Lines(Progress):
    """One plain line every EVERY seconds (and at each stage), once QUIET_FOR seconds have passed."""

    def __init__(self, stream: TextIO = sys.stderr) -> None:
        super().__init__()
        self.stream, self.last = stream, 0.0

    def show(self, force: bool) -> None:
        now = time.monotonic()
        if now - self.start < QUIET_FOR or (not force and now - self.last < EVERY):
            return
        self.last = now
        print(f"build: {self.text()}", file=self.stream, flush=True)


class Bar(Lines):
    """A bar redrawn in place on a terminal, at most ten times a second."""

    def show(self, force: bool) -> None:
        now = time.monotonic()
        if now - self.start < QUIET_FOR or (not force and now - self.last < 0.1):
            return
        self.last = now
        bar = ""
        if self.total:
            filled = round(WIDTH * self.done / self.total)
            bar = "[" + "#" * filled + "." * (WIDTH - filled) + "] "
        self.stream.write(f"\r\033[K{bar}{self.text()}")
        self.stream.flush()
        self.drawn = True

    def finish(self) -> None:
        if getattr(self, "drawn", False):
            self.stream.write("\r\033[K")
            self.stream.flush()


def for_stream(stream: TextIO = sys.stderr, quiet: bool = False) -> Progress:
    """A bar on a terminal, plain lines elsewhere, nothing when quiet."""
    if quiet:
        return Progress()
    return Bar(stream) if stream.isatty() else Lines(stream)
