"""The built sample atlas in headless Chromium: what its accessibility statement
(content/pages/accessibilite.md) says the tests check, on the pages whose markup its own texts
make, and its search index finding its entries. Every page type is checked on the fixture
atlas by tests/browser/test_accessibility.py."""

from __future__ import annotations

import pytest

from helpers import AXE, axe_in_both_schemes, describe_axe, search_from_header

from .conftest import SAMPLE

pytestmark = pytest.mark.browser


def content_pages() -> list[str]:
    """The home page, the free pages and the richest entry of each kind with a body of its own."""
    return ["", "a-propos/", "accessibilite/"] + [f"{segment}/{SAMPLE.richest(kind)}/" for kind, segment in
                                                  (("actors", "acteurs"), ("places", "lieux"),
                                                   ("programmes", "programmes"))]


@pytest.fixture(scope="module")
def axe_page(browser):
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: python3 dev.py installs the npm packages of package.json")
    context = browser.new_context(locale="fr-FR")
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("url", content_pages())
def test_axe_finds_no_violation_in_light_and_dark(axe_page, sample_server: str, url: str) -> None:
    axe_page.emulate_media(color_scheme="light")
    axe_page.goto(sample_server + url, wait_until="load")
    axe_page.add_script_tag(path=str(AXE))
    found = axe_in_both_schemes(axe_page)
    assert not any(found.values()), f"axe-core on /{url}:\n{describe_axe(found)}"


def test_no_horizontal_scroll_at_320_pixels(browser, sample_server: str) -> None:
    """WCAG 1.4.10 (reflow): the sample's long words and addresses fit a 320 px window."""
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="fr-FR")
    page = context.new_page()
    wide = {}
    for url in content_pages():
        page.goto(sample_server + url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            wide[f"/{url}"] = width
    context.close()
    assert wide == {}, f"pages wider than a 320 px window (px): {wide}"


def test_header_search_finds_la_nef(page, sample_server: str) -> None:
    assert search_from_header(page, sample_server, "NEF").endswith("/acteurs/la-nef/")
