"""The sample atlas, built as published locally: no internal link or image leads nowhere."""

from __future__ import annotations

from pathlib import Path

from linkcheck import broken_links


def test_the_sample_atlas_has_no_broken_link(sample_site: Path) -> None:
    assert broken_links(sample_site) == []
