"""Search in the built sample atlas, in headless Chromium: its index finds its entries."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_header_search_finds_la_nef(page, sample_server: str) -> None:
    page.goto(sample_server)
    page.get_by_label("Rechercher dans l'atlas").fill("NEF")
    page.get_by_label("Rechercher dans l'atlas").press("Enter")
    page.wait_for_url("**/recherche/?q=NEF")
    page.wait_for_selector(".search-results h2 a")
    assert page.locator(".search-results h2 a").first.get_attribute("href").endswith("/acteurs/la-nef/")
    assert page.get_by_label("Mots à rechercher").input_value() == "NEF"
