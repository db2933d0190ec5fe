"""`build.py serve --search`: the preview has a search index, and it follows the edits.

The real command runs as a subprocess on a free port of 127.0.0.1, against a small atlas in a
temporary folder, and is stopped by its PID. Waits are conditions with timeouts.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Iterator

import pytest

from conftest import ROOT, write_tree
from helpers import search_results

pytestmark = pytest.mark.browser

ACTOR = "---\ntitle: {title}\ntype: association\nsummary: Une association de test.\n---\n{body}\n"


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    root = write_tree(tmp_path / "atlas", {
        "content/actors/alpha.md": ACTOR.format(title="Alpha", body="Elle répare des vélos."),
        "content/actors/beta.md": ACTOR.format(title="Beta", body="Elle cuisine."),
    })
    command = [sys.executable, str(ROOT / "build.py"), "serve", "--search", "--root", str(root), "--port", "0"]
    proc = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, encoding="utf-8")
    found: list[str] = []
    log: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            log.append(line)
            match = re.search(r"serving (http://\S+/)", line)
            if match:
                found.append(match.group(1))
                ready.set()
        ready.set()

    threading.Thread(target=read, daemon=True).start()
    try:
        assert ready.wait(90) and found, "serve did not start:\n" + "".join(log)
        yield root, found[0]
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_the_preview_searches_and_its_index_follows_an_edit(page, preview: tuple[Path, str]) -> None:
    root, url = preview
    assert search_results(page, url, "velos") == ["/acteurs/alpha/"]
    (root / "content/actors/beta.md").write_text(ACTOR.format(title="Beta", body="Elle répare des tandems."),
                                                 encoding="utf-8")
    for _ in range(60):  # the rebuild, the index included, then a fresh search
        if search_results(page, url, "tandems") == ["/acteurs/beta/"]:
            break
        page.wait_for_timeout(500)
    assert search_results(page, url, "tandems") == ["/acteurs/beta/"]
    assert search_results(page, url, "cuisine") == []
