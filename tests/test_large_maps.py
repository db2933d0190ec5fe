"""Large maps: past INLINE_POINTS candidates a map lists no points in its page and the browser
draws them from carte/points.json; the points there are the ones a list would have shown."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from atlas.pages.findpages import INLINE_POINTS, POINTS_FILE
from conftest import build_tree, build_whole, write_tree
from test_map_actors import points as listed_points

LILLE, LYON = 70, 40  # places with a position in each; France holds both: more than INLINE_POINTS
PAGE_LIMIT = 200_000  # bytes: a hub page of a large atlas stays under it (issue 14)


def large_atlas() -> dict[str, str]:
    files = {
        "content/territories/france.md": "---\ntitle: France\ntype: pays\n---\n",
        "content/territories/lille.md": "---\ntitle: Lille\ntype: commune\nparent: france\n---\n",
        "content/territories/lyon.md": "---\ntitle: Lyon\ntype: commune\nparent: france\n---\n",
        "content/pages/accueil.md": "---\ntitle: Accueil\n---\nBienvenue.\n",
    }
    for town, count, lat, lon in (("lille", LILLE, 50.63, 3.06), ("lyon", LYON, 45.76, 4.84)):
        for n in range(count):
            files[f"content/places/{town}-{n:03}.md"] = (
                f"---\ntitle: Lieu {n} de {town.title()}\ntype: tiers-lieu\nterritory: {town}\naddress: {n} rue Neuve\n"
                f"postcode: \"{'59000' if town == 'lille' else '69001'}\"\ncity: {town.title()}\n"
                f"geo: {{lat: {lat + n / 1000:.4f}, lon: {lon + n / 1000:.4f}}}\n---\n")
    everywhere = ", ".join(p.split("/")[-1][:-3] for p in files if p.startswith("content/places/"))
    files["content/actors/hebergee.md"] = f"---\ntitle: Hébergée\ntype: scop\nterritory: lille\nplaces: [{everywhere}]\n---\n"
    files["content/actors/a-part.md"] = ("---\ntitle: À part\ntype: association\nterritory: lyon\n"
                                         "geo: {lat: 45.7, lon: 4.9}\n---\n")
    return files


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # France's map is large, Lille's and Lyon's are not
    assert LILLE + LYON + 2 > INLINE_POINTS >= LILLE + 1 and LYON + 1 <= INLINE_POINTS
    root = write_tree(tmp_path_factory.mktemp("large") / "atlas", large_atlas())
    assert build_tree(root, search=False).report.ok
    return root


def _map_tag(html: str) -> str:
    return re.search(r"<div class=\"map\"[^>]*>", html).group(0)


def _file(site: Path) -> list[dict]:
    return json.loads((site / "site" / POINTS_FILE).read_text(encoding="utf-8"))["points"]


def test_the_atlas_map_loads_the_points_file_and_links_the_lists(site: Path) -> None:
    html = (site / "site/carte/index.html").read_text(encoding="utf-8")
    tag = _map_tag(html)
    assert 'data-source="/carte/points.json"' in tag and "data-within" not in tag and "data-points" not in tag
    assert "map-points" not in html  # no list of points in the page
    assert 'href="/lieux/">la liste des lieux (110)</a>' in html and 'href="/acteurs/">la liste des acteurs (2)</a>' in html


def test_the_points_file_has_every_point_with_its_territories(site: Path) -> None:
    found = {p["url"]: p for p in _file(site)}
    assert len(found) == LILLE + LYON + 1  # the places, and the one actor with a position of its own
    assert "acteurs/hebergee/" not in found  # no position of its own: shown at its place
    place = found["lieux/lille-003/"]
    assert place == {"title": "Lieu 3 de Lille", "url": "lieux/lille-003/", "address": "3 rue Neuve, 59000 Lille",
                     "lat": 50.633, "lon": 3.063, "approximate": False, "kind": "places",
                     "hosted": [{"title": "Hébergée", "url": "acteurs/hebergee/"}], "territoires": ["lille", "france"]}
    assert found["acteurs/a-part/"]["territoires"] == ["lyon", "france"]


def test_a_large_territory_loads_its_points_a_small_one_lists_them(site: Path) -> None:
    france = (site / "site/territoires/france/index.html").read_text(encoding="utf-8")
    assert 'data-within="france"' in _map_tag(france) and "map-points" not in france
    # more than PREVIEW places: their list goes on on pages of its own
    assert 'href="/territoires/france/lieux/">la liste des lieux (110)</a>' in france
    lille = listed_points(site, "territoires/lille")
    assert len(lille) == LILLE and "data-source" not in _map_tag(
        (site / "site/territoires/lille/index.html").read_text(encoding="utf-8"))
    # what the small map lists is what the file gives the territory: same points, same links
    in_file = {p["title"]: p for p in _file(site) if "lille" in p["territoires"]}
    assert set(in_file) == set(lille)
    for title, shown in lille.items():
        assert shown["lat"] == in_file[title]["lat"] and shown["lon"] == in_file[title]["lon"]
        links = ["/" + in_file[title]["url"]] + ["/" + a["url"] for a in in_file[title]["hosted"]]
        assert shown["links"][:len(links)] == links  # (the parser gives the last point the page's links after it)


def test_no_page_of_a_large_atlas_weighs_more_than_the_limit(tmp_path: Path) -> None:
    files = large_atlas()
    for n in range(400):  # long hosted lists and titles: what made /carte/ a megabyte at 10,000 actors
        files[f"content/actors/membre-{n:03}.md"] = (
            f"---\ntitle: Une structure au nom assez long numéro {n}\ntype: association\nterritory: lille\n"
            f"places: [lille-{n % LILLE:03}]\ngeo: {{lat: 50.{n:03}, lon: 3.{n:03}}}\n---\n")
    root = write_tree(tmp_path / "atlas", files)
    assert build_tree(root, search=False).report.ok
    sizes = {p.relative_to(root / "site").as_posix(): p.stat().st_size for p in (root / "site").rglob("*.html")}
    assert max(sizes.values()) < PAGE_LIMIT, max(sizes.items(), key=lambda kv: kv[1])
    assert len(_file(root)) == LILLE + LYON + 1 + 400


def test_a_title_edit_remakes_the_points_not_the_map_pages(tmp_path: Path, rendered: list[str]) -> None:
    root = write_tree(tmp_path / "atlas", large_atlas())
    assert build_tree(root, search=False, use_cache=True).report.ok
    rendered.clear()
    path = root / "content/places/lyon-007.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Lieu 7 de Lyon", "Lieu 7 de Lyon (Part-Dieu)"), encoding="utf-8")
    assert build_tree(root, search=False, use_cache=True).report.ok
    # the lists keep their order: the large maps read no title (a reordering edit renders them again,
    # at the cost of a page that reads counts)
    assert not {"carte/", "territoires/france/", "donnees/"} & set(rendered)
    assert "territoires/lyon/" in rendered  # a small map lists it
    titles = {p["url"]: p["title"] for p in _file(root)}
    assert titles["lieux/lyon-007/"] == "Lieu 7 de Lyon (Part-Dieu)"
    cold = build_whole(root, tmp_path / "cold", search=False)  # and the file is the one a cold build makes
    assert (cold / POINTS_FILE).read_bytes() == (root / "site" / POINTS_FILE).read_bytes()


def test_the_data_page_of_a_large_atlas_does_not_count_positions(site: Path) -> None:
    html = (site / "site/donnees/index.html").read_text(encoding="utf-8")
    assert "lieux.geojson</a> : les lieux géolocalisés" in html and "acteurs.geojson</a> : les acteurs situés" in html
