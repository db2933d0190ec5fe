"""Every HTML file of the built fixture atlas (every page type) passes the Nu Html Checker (the
W3C validator), in both builds: the default one (base URL '/') and the published one (absolute
base URL, which adds canonical links and feed links to the head).

The checker is the npm `vnu-jar` (pinned in package-lock.json), run once over both builds: one
JVM start for every page (helpers.vnu_messages). Missing java or jar: skipped locally, failed
in CI (`CI` set). The sample atlas's pages are checked by tests/sample/test_sample_site.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fixture_atlas import FACTS
from helpers import describe_vnu, vnu_messages


@pytest.fixture(scope="module")
def vnu_report(whole_site: Path, published_site: Path, tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    return vnu_messages([whole_site, published_site], tmp_path_factory.mktemp("vnu-control"))


def test_every_page_is_valid_html(vnu_report: list[dict], whole_site: Path, published_site: Path) -> None:
    entries = sum(len(FACTS.entries(kind)) for kind in ("actors", "places", "programmes", "territories", "themes"))
    assert len(list(whole_site.rglob("*.html"))) > entries  # entry pages, lists, types, finding pages
    assert len(list(published_site.rglob("*.html"))) == len(list(whole_site.rglob("*.html")))
    errors = [m for m in vnu_report if m["type"] in ("error", "non-document-error")]
    assert errors == [], "Nu Html Checker errors:\n" + describe_vnu(errors, whole_site.parent)


def test_no_validator_warning_either(vnu_report: list[dict], whole_site: Path) -> None:
    """Warnings are not errors, but each one so far was cheap to fix: keep the site free of them."""
    warnings = [m for m in vnu_report if m["type"] == "info" and m.get("subType") == "warning"]
    assert warnings == [], "Nu Html Checker warnings:\n" + describe_vnu(warnings, whole_site.parent)
