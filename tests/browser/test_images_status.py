"""In headless Chromium: entry images load without layout shift, lazily below the fold, in WebP;
the search page filters programmes by status."""

from __future__ import annotations

import datetime as dt
from typing import Iterator

import pytest
from PIL import Image

from atlas.pages.paging import PREVIEW
from conftest import ROOT, build_tree, record_requests, serve_folder, write_tree

pytestmark = pytest.mark.browser

HOSTED = 60  # enough cards that the last ones are far below the fold, beyond Chromium's lazy-load margin
CLS = """
window.__shift = 0;
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) { if (!entry.hadRecentInput) window.__shift += entry.value; }
}).observe({type: "layout-shift", buffered: true});
"""


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[str]:
    """An atlas with a photographed place hosting many photographed actors, and dated programmes."""
    files = {
        "content/places/halle.md": "---\ntitle: La Halle\ntype: tiers-lieu\nimage: halle.jpg\n"
                                   "image_alt: La grande halle vue de la rue\nimage_credit: Photo C. Dupont\n---\n"
                                   + "Un long texte sur la halle.\n\n" * 20,
        "content/programmes/ouvert.md": "---\ntitle: Appel ouvert\ntype: appel-a-projets\n"
                                        "start: 2026-01-01\ndeadline: 2026-06-30\n---\nUn appel.\n",
        "content/programmes/bientot.md": "---\ntitle: Appel prochain\ntype: appel-a-projets\n"
                                         "start: 2026-09-01\ndeadline: 2026-10-31\n---\nUn autre appel.\n",
        "content/pages/accueil.md": "---\ntitle: Accueil\n---\nBienvenue.\n",
    }
    for i in range(HOSTED):
        files[f"content/actors/structure-{i:02d}.md"] = (f"---\ntitle: Structure {i:02d}\ntype: association\n"
                                                         f"places: [halle]\nimage: s{i:02d}.png\nimage_alt: Logo\n---\n")
    root = write_tree(tmp_path_factory.mktemp("images") / "atlas", files)
    Image.new("RGB", (1600, 1000), (150, 90, 40)).save(root / "content/places/halle.jpg")
    for i in range(HOSTED):
        Image.new("RGB", (600, 400), (4 * i, 100, 200 - 3 * i)).save(root / f"content/actors/s{i:02d}.png")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc).timestamp())))
        result = build_tree(root)
    assert result.report.ok, result.report.lines()
    yield from serve_folder(root / "site")


def test_an_entry_image_loads_without_layout_shift_and_lazy_below_the_fold(browser, served: str) -> None:
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        every, outside = record_requests(page)
        page.add_init_script(CLS)
        page.goto(served + "lieux/halle/", wait_until="load")
        main = page.locator("figure.entry-image img")
        assert main.get_attribute("loading") is None  # the entry's own image, at the top: eager
        assert main.evaluate("img => img.complete && img.naturalWidth > 0")
        assert main.evaluate("img => img.currentSrc").endswith("-960.webp")  # 42rem slot: the 960 file, in WebP
        thumbs = page.locator(".relations img")
        shown = min(HOSTED, PREVIEW)  # a long list shows its first cards, then links to its own pages
        assert thumbs.count() == shown
        assert all(t == "lazy" for t in thumbs.evaluate_all("imgs => imgs.map(i => i.getAttribute('loading'))"))
        last = thumbs.nth(shown - 1)
        name = last.get_attribute("src").rsplit("/", 1)[1].rsplit("-", 1)[0]
        assert not any(name in url for url in every)  # far below the fold: not fetched yet
        last.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=last.element_handle())
        assert any(name in url for url in every)
        page.wait_for_timeout(300)
        assert page.evaluate("window.__shift") == 0  # width and height reserved every box
        assert outside == []
    finally:
        context.close()


def test_cards_keep_their_box_before_their_image_arrives(browser, served: str) -> None:
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 800})
    page = context.new_page()
    try:
        page.route("**/images/**", lambda route: None)  # images never arrive
        page.goto(served + "lieux/halle/", wait_until="domcontentloaded")
        sizes = page.locator(".relations img").evaluate_all(
            "imgs => imgs.slice(0, 5).map(i => [i.getBoundingClientRect().width, i.getBoundingClientRect().height])")
        assert all(w > 300 and abs(h - w * 2 / 3) < 1.5 for w, h in sizes)  # 3:2 boxes at 390 px, empty
        box = page.locator("figure.entry-image img").bounding_box()
        assert box and abs(box["height"] - box["width"] * 1000 / 1600) < 1.5
    finally:
        context.close()


def test_search_filters_programmes_by_status(page, served: str) -> None:
    page.goto(served + "recherche/")
    select = page.locator("select#recherche-statut")
    select.wait_for(state="visible")
    options = select.locator("option").all_inner_texts()
    assert "Ouvert (1)" in options and "À venir (1)" in options
    select.select_option("Ouvert")
    page.locator(".search-results li").first.wait_for()
    assert page.locator(".search-results li h2").all_inner_texts() == ["Appel ouvert"]
    assert "Ouvert" in page.locator(".search-results li .meta").first.inner_text()


AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.mark.parametrize("url", ["lieux/halle/", "programmes/", "programmes/ouvert/", "acteurs/"])
def test_images_and_statuses_pass_axe_in_light_and_dark(page, served: str, url: str) -> None:
    found = {}
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.goto(served + url, wait_until="load")
        page.add_script_tag(path=str(AXE))
        found[scheme] = page.evaluate("""() => axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}).then(r => r.violations.map(v => v.id))""")
    assert found == {"light": [], "dark": []}
