"""Every HTML file of the built real atlas passes the Nu Html Checker (the W3C validator), in
both builds: the default one (base URL '/') and the published one (absolute base URL, which adds
canonical links and feed links to the head).

The checker is the npm `vnu-jar` (pinned in package-lock.json), run once over the whole site:
one JVM start for every page. Missing java or jar: skipped locally, failed in CI (`CI` set).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import ROOT

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
BROKEN = "<!doctype html><html lang=fr><head><title>x</title></head><body><p><div>x</p></body></html>\n"


def _local_path(url: str) -> Path:
    return Path(unquote(urlsplit(url).path))


@pytest.fixture(scope="module")
def vnu_report(real_site: Path, published_site: Path, tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    java = shutil.which("java")
    if java is None or not VNU.exists():
        missing = "java" if java is None else str(VNU)
        if os.environ.get("CI"):
            pytest.fail(f"{missing} is missing in CI: install Java 17 and run python3 dev.py (npm packages)")
        pytest.skip(f"{missing} not available (python3 dev.py installs the npm checkers; Java 17 is needed)")
    # A page that must be reported, checked in the same run: proves the checker runs and speaks.
    control = tmp_path_factory.mktemp("vnu-control")
    (control / "broken.html").write_text(BROKEN, encoding="utf-8")
    done = subprocess.run([java, "-jar", str(VNU), "--format", "json", "--skip-non-html", str(real_site), str(published_site),
                           str(control)],
                          capture_output=True, text=True, timeout=300)
    messages = json.loads(done.stderr)["messages"]
    assert any(m["type"] == "error" and _local_path(m.get("url", "")).parent == control for m in messages), \
        f"the checker did not report the broken control page:\n{done.stderr[:2000]}"
    return [m for m in messages if _local_path(m.get("url", "")).parent != control]


def describe(messages: list[dict], site: Path) -> str:
    """file:line: kind: message [extract], paths relative to the folder holding both builds."""
    lines = []
    for m in messages[:40]:
        where = _local_path(m.get("url", "")).relative_to(site.parent) if m.get("url") else "?"
        kind = m.get("subType", m["type"])
        lines.append(f"{where}:{m.get('lastLine', '?')}: {kind}: {m['message']}  [{m.get('extract', '').strip()}]")
    if len(messages) > 40:
        lines.append(f"… and {len(messages) - 40} more")
    return "\n".join(lines)


def test_every_page_is_valid_html(vnu_report: list[dict], real_site: Path, published_site: Path) -> None:
    assert len(list(real_site.rglob("*.html"))) > 50
    assert len(list(published_site.rglob("*.html"))) == len(list(real_site.rglob("*.html")))
    errors = [m for m in vnu_report if m["type"] in ("error", "non-document-error")]
    assert errors == [], "Nu Html Checker errors:\n" + describe(errors, real_site)


def test_no_validator_warning_either(vnu_report: list[dict], real_site: Path) -> None:
    """Warnings are not errors, but each one so far was cheap to fix: keep the site free of them."""
    warnings = [m for m in vnu_report if m["type"] == "info" and m.get("subType") == "warning"]
    assert warnings == [], "Nu Html Checker warnings:\n" + describe(warnings, real_site)
