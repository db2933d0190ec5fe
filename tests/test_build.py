"""Whole builds of small fixture trees: pages, relations on both sides, URLs, safety, determinism."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from atlas.pipeline import Options, build
from fixture_atlas import FILES
from helpers import tree_digest
from linkcheck import broken_links


@pytest.fixture
def atlas_root(tree) -> Path:
    return tree(FILES)


def built(root: Path, **kw) -> Path:
    kw.setdefault("use_cache", False)
    result = build(Options(root=root, out=root / "site", **kw))
    assert result.report.ok, result.report.lines()
    return root / "site"


def html(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def test_every_entry_and_index_page_exists(atlas_root: Path) -> None:
    site = built(atlas_root)
    for url in ["", "acteurs", "lieux", "programmes", "territoires", "thematiques", "a-z",
                "acteurs/banque-ethique", "lieux/maison-des-solidarites", "programmes/appel-a-projets-ptce",
                "territoires/valbourg", "thematiques/epargne-solidaire", "acteurs/types/cooperative",
                "acteurs/types/scic", "programmes/types/appel-a-projets", "a-propos"]:
        assert (site / url / "index.html").is_file(), url
    assert (site / "404.html").is_file()
    assert not (site / "accueil").exists()  # the home text is shown on the home page
    assert "Bienvenue dans l'<strong>atlas</strong>" in html(site, "")


def test_relations_are_shown_on_both_sides(atlas_root: Path) -> None:
    site = built(atlas_root)
    place = html(site, "lieux/maison-des-solidarites")
    assert "Structures présentes" in place and "/acteurs/banque-ethique/" in place and "/acteurs/club-epargne-du-nord/" in place
    cigales = html(site, "acteurs/club-epargne-du-nord")
    assert "Partenaires" in cigales and "/acteurs/banque-ethique/" in cigales  # declared by La NEF only
    network = html(site, "acteurs/reseau-finance")
    assert "Membres" in network and "/acteurs/banque-ethique/" in network
    assert "Programmes portés ou financés" in network
    nef = html(site, "acteurs/banque-ethique")
    assert "Lauréat ou bénéficiaire de" in nef and "/programmes/appel-a-projets-ptce/" in nef
    programme = html(site, "programmes/appel-a-projets-ptce")
    assert "Mesures et volets" in programme and "/programmes/volet-local/" in programme
    assert "3\u00a0M€" in programme and "15 juillet 2013" in programme


def test_territory_lists_its_sub_territories_entries_and_theme_groups_by_kind(atlas_root: Path) -> None:
    site = built(atlas_root)
    metropole = html(site, "territoires/agglomeration-du-val")
    for url in ("/acteurs/banque-ethique/", "/acteurs/la-cantine-cooperative/", "/lieux/maison-des-solidarites/"):
        assert url in metropole  # from Valbourg and Val-Moulins
    theme = html(site, "thematiques/epargne-solidaire")
    assert theme.index('id="dans-acteurs"') < theme.index('id="dans-programmes"')


def test_french_collation_and_letter_anchors(atlas_root: Path) -> None:
    site = built(atlas_root)
    themes = html(site, "thematiques")
    assert themes.index("Économie circulaire") < themes.index("Finance solidaire")
    assert 'id="lettre-e"' in themes
    actors = html(site, "acteurs")
    l_section = actors[actors.index('id="lettre-l"'):]
    assert "L&#39;Aubergeoise" in l_section and l_section.index("L&#39;Aubergeoise") < l_section.index("La NEF")


def test_body_cross_links_and_sanitising(atlas_root: Path) -> None:
    page = html(built(atlas_root), "acteurs/banque-ethique")
    assert '<a href="/lieux/maison-des-solidarites/"' in page
    assert ">Les CIGALES</a>" in page  # empty link text takes the target's title
    assert "<script>alert" not in page and "javascript:" not in page and "onclick" not in page


def test_drafts_only_with_the_flag(atlas_root: Path) -> None:
    assert not (built(atlas_root) / "acteurs/brouillon").exists()
    assert (built(atlas_root, drafts=True) / "acteurs/brouillon/index.html").exists()


@pytest.mark.parametrize("base_url, base_path", [("", "/"), ("https://example.org/atlas/", "/atlas/"),
                                                 ("/atlas", "/atlas/")])
def test_every_internal_link_resolves_at_root_and_under_a_sub_path(atlas_root: Path, base_url: str,
                                                                    base_path: str) -> None:
    site = built(atlas_root, base_url=base_url)
    assert broken_links(site, base_path) == []
    assert f'href="{base_path}assets/style.css"' in html(site, "acteurs/banque-ethique")


def test_two_builds_are_byte_identical(atlas_root: Path, tmp_path: Path) -> None:
    first = tree_digest(built(atlas_root))
    shutil.rmtree(atlas_root / "site")
    assert tree_digest(built(atlas_root, jobs=2)) == first


def test_a_failed_build_leaves_the_previous_site_as_it_was(atlas_root: Path) -> None:
    site = built(atlas_root)
    before = tree_digest(site)
    (atlas_root / "content/actors/banque-ethique.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    result = build(Options(root=atlas_root, out=site, use_cache=False))
    assert not result.report.ok
    assert tree_digest(site) == before
    # Nothing half-made is left beside it: the stamp that names the last good build, and the spare
    # copy the first build left for the next edit, still the same as the site.
    assert sorted(p.name for p in atlas_root.glob(".site.*")) == [".site.spare", ".site.stamp"]
    assert tree_digest(atlas_root / ".site.spare") == before


def test_deleted_entries_leave_no_stale_page(atlas_root: Path) -> None:
    site = built(atlas_root)
    assert (site / "acteurs/la-cantine-cooperative/index.html").exists()
    (atlas_root / "content/actors/la-cantine-cooperative.md").unlink()
    built(atlas_root)
    assert not (site / "acteurs/la-cantine-cooperative").exists()
    assert not (site / "acteurs/types/scic").exists()


def test_cached_rebuild_equals_cold_build_and_rewrites_only_changed_pages(atlas_root: Path) -> None:
    site = built(atlas_root, use_cache=True)
    again = build(Options(root=atlas_root, out=site))
    assert (again.rendered, again.written) == (0, 0)
    path = atlas_root / "content/actors/la-cantine-cooperative.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nUn restaurant coopératif.\n", encoding="utf-8")
    os.utime(path, ns=(0, 10**18))  # a distinct mtime the cache trusts
    edited = build(Options(root=atlas_root, out=site))
    assert edited.written_pages == 1 and edited.rendered < edited.pages
    cached = tree_digest(site)
    shutil.rmtree(site)
    assert tree_digest(built(atlas_root)) == cached


def test_out_may_be_in_a_folder_that_does_not_exist_yet(atlas_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "not" / "made" / "yet" / "site"
    result = build(Options(root=atlas_root, out=out, use_cache=True, search=False))
    assert result.report.ok and (out / "index.html").is_file()
