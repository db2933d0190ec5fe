"""The sample atlas shows each entry once per page: « Cité dans » leaves out what is listed above."""

from __future__ import annotations

from pathlib import Path

from pagecards import pages, repeated


def test_no_page_of_the_sample_shows_a_card_twice(sample_site: Path) -> None:
    assert len(pages(sample_site)) > 100
    assert repeated(sample_site) == {}


def test_the_maison_de_l_ess_lists_its_structures_once(sample_site: Path) -> None:
    """The case the issue was filed for: twelve hosted structures, then the same twelve again."""
    page = pages(sample_site)["lieux/maison-de-l-ess-lille/index.html"]
    hosted = {href for section, href in page.cards if section == "Structures présentes"}
    cited = {href for section, href in page.cards if section == "Cité dans"}
    assert len(hosted) >= 10 and not hosted & cited
