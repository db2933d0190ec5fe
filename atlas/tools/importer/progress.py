"""Progress of a long import on the terminal: a counter redrawn in place, or plain lines in a log."""

from __future__ import annotations

import time
from typing import TextIO

SHOW_FROM = 1000  # rows: below this an import takes well under a second, nothing is shown
EVERY_TTY = 0.1  # seconds between redraws on a terminal
EVERY_LOG = 5.0  # seconds between lines in a log (CI)


class Progress:
    """`step(done)` as work advances; `done()` at the end. Prints to `stream` (standard error)."""

    def __init__(self, stream: TextIO, total: int, label: str) -> None:
        self.stream, self.total, self.label = stream, total, label
        self.tty = stream.isatty()
        self.quiet = total < SHOW_FROM
        self.last = time.monotonic()

    def stage(self, label: str) -> None:
        self.finish()
        self.label = label

    def step(self, done: int) -> None:
        if self.quiet:
            return
        now = time.monotonic()
        if now - self.last < (EVERY_TTY if self.tty else EVERY_LOG):
            return
        self.last = now
        line = f"import : {self.label} {_n(done)} / {_n(self.total)} lignes"
        if self.tty:
            self.stream.write(f"\r{line} ({done * 100 // max(1, self.total)} %)\x1b[K")
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def finish(self) -> None:
        if self.tty and not self.quiet:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def _n(number: int) -> str:
    """10000 -> « 10 000 » (French thousands, narrow no-break space)."""
    return f"{number:,}".replace(",", "\u202f")
