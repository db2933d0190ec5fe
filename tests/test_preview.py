"""The preview's pure parts: which paths it serves, which changes it rebuilds for, what it injects."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Callable

from atlas.serve.preview import Changes, inject, watch
from atlas.serve.server import resolve


def test_resolve_stays_inside_the_output(tmp_path: Path) -> None:
    out = tmp_path / "site"
    (out / "acteurs" / "alpha").mkdir(parents=True)
    (out / "acteurs" / "alpha" / "index.html").write_text("<p>ok</p>")
    (tmp_path / "secret.txt").write_text("no")
    os.symlink(tmp_path / "secret.txt", out / "lien")
    assert resolve(out, "/acteurs/alpha/index.html") == (out / "acteurs/alpha/index.html").resolve()
    assert resolve(out, "/") == out.resolve()
    assert resolve(out, "/%61cteurs/") == (out / "acteurs").resolve()  # encoded letters are fine
    for path in ("/../secret.txt", "/acteurs/../../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt",
                 "/..%5csecret.txt", "/%c0%ae%c0%ae/secret.txt", "/lien", "/a%00b"):
        assert resolve(out, path) is None, path


def test_changes_keep_sources_and_drop_editor_debris(tmp_path: Path) -> None:
    changes = Changes(tmp_path)
    kept = ["content/actors/alpha.md", "templates/base.html", "assets/style.css", "atlas.yaml", "content/actors"]
    for rel in kept:
        assert changes.source(str(tmp_path / rel)) == rel
    dropped = ["content/actors/.alpha.md.swp", "content/actors/alpha.md~", "content/actors/4913",
               "templates/#base.html#", ".atlas-cache/serve/site/index.html", "site/index.html", "README.md",
               "content/actors/.#alpha.md"]
    for rel in dropped:
        assert changes.source(str(tmp_path / rel)) is None, rel


def test_inject_puts_script_in_head_and_overlay_first_in_body() -> None:
    page = b"<!doctype html><html><head><title>x</title></head><body class=\"a\"><h1>x</h1></body></html>"
    clean = inject(page, 7, 8123, [])
    assert b"build:7" in clean and b'src="/livereload.js?port=8123"' in clean
    assert clean.index(b"livereload.js") < clean.index(b"</head>")
    assert b"atlas-erreurs" not in clean
    broken = inject(page, 8, 8123, ["content/actors/a.md:3: title: <b>bad</b>"])
    assert b'<body class="a"><div id="atlas-erreurs"' in broken
    assert b"content/actors/a.md:3: title: &lt;b&gt;bad&lt;/b&gt;" in broken  # escaped, never markup


def reported(changes: Changes, action: Callable[[], object], quiet: float = 0.5, limit: float = 10) -> set[str]:
    """The source paths the watcher reports after action, once it has been quiet for a while."""
    action()
    found: set[str] = set()
    start = last = time.monotonic()
    while time.monotonic() - start < limit:
        time.sleep(0.05)
        with changes.cond:
            new, changes.paths = changes.paths, set()
        if new:
            found, last = found | new, time.monotonic()
        elif found and time.monotonic() - last > quiet:
            break
    return found


def test_a_source_folder_made_after_the_start_is_watched_and_again_once_remade(tmp_path: Path) -> None:
    """A new site has no templates/: the first override makes it while the preview runs."""
    (tmp_path / "content").mkdir()
    changes = Changes(tmp_path)
    observer = watch(tmp_path, changes)
    template = tmp_path / "templates" / "base.html"
    try:
        assert "templates" in reported(changes, lambda: template.parent.mkdir())
        assert reported(changes, lambda: template.write_text("a", encoding="utf-8")) == {"templates/base.html"}
        assert reported(changes, lambda: template.write_text("b", encoding="utf-8")) == {"templates/base.html"}
        assert "templates" in reported(changes, lambda: shutil.rmtree(template.parent))
        assert "templates" in reported(changes, lambda: template.parent.mkdir())
        assert reported(changes, lambda: template.write_text("c", encoding="utf-8")) == {"templates/base.html"}
    finally:
        observer.stop()
        observer.join()
