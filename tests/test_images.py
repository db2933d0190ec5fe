"""Entry images: real JPEG and PNG files made with Pillow, derived, published, cached and checked."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image

from atlas.outputs import imaging
from atlas.pipeline import Options, build, check
from conftest import build_tree

ACTOR = "content/actors/la-fabrique.md"


def atlas(tree, image: str = "photo.jpg", alt: str = "L'atelier de la Fabrique", credit: str = "Photo A. Martin") -> Path:
    """A small atlas whose actor la-fabrique has `image`, and a neighbour without image at the same place."""
    return tree({
        "content/territories/lille.md": "---\ntitle: Lille\ntype: commune\n---\n",
        "content/places/halle.md": "---\ntitle: La Halle\ntype: tiers-lieu\nterritory: lille\n---\n",
        ACTOR: f"---\ntitle: La Fabrique\ntype: association\nterritory: lille\nplaces: [halle]\n"
               f"image: {image}\nimage_alt: \"{alt}\"\nimage_credit: {credit}\n---\nUn atelier.\n",
        "content/actors/voisine.md": "---\ntitle: La Voisine\ntype: association\nplaces: [halle]\n---\n",
        "content/pages/accueil.md": "---\ntitle: Accueil\n---\nBienvenue.\n",
    })


def photo(path: Path, size: tuple[int, int] = (2000, 1200), color: tuple[int, ...] = (180, 40, 40),
          mode: str = "RGB", **save: object) -> bytes:
    """Write a real image file (format from the extension) and return its bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new(mode, size, color).save(path, **save)
    return path.read_bytes()


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {k: v or "" for k, v in attrs}))


def tags(html: str, name: str) -> list[dict[str, str]]:
    parser = _Tags()
    parser.feed(html)
    return [a for t, a in parser.found if t == name]


def widths(srcset: str) -> list[int]:
    return [int(part.split()[1][:-1]) for part in srcset.split(",")]


def page(root: Path, url: str) -> str:
    return (root / "site" / url / "index.html").read_text(encoding="utf-8")


def line_of(root: Path, rel: str, prefix: str) -> int:
    lines = (root / rel).read_text(encoding="utf-8").splitlines()
    return next(i for i, text in enumerate(lines, 1) if text.startswith(prefix))


def test_entry_image_is_served_in_widths_with_webp_first_and_its_size(tree) -> None:
    root = atlas(tree)
    photo(root / "content/actors/photo.jpg")
    assert build_tree(root, search=False).report.ok
    html = page(root, "acteurs/la-fabrique")
    [source] = [s for s in tags(html, "source") if s.get("type") == "image/webp"]
    [img] = [i for i in tags(html, "img") if "images/" in i.get("src", "")]
    assert widths(source["srcset"]) == widths(img["srcset"]) == [480, 960, 1440]
    assert all(url.split()[0].endswith(".webp") for url in source["srcset"].split(","))
    assert all(url.split()[0].endswith(".jpg") for url in img["srcset"].split(","))
    assert (img["width"], img["height"]) == ("1440", "864")  # the proportions of 2000 × 1200
    assert img["alt"] == "L'atelier de la Fabrique" and img["src"].endswith("-960.jpg")
    assert "loading" not in img and img["fetchpriority"] == "high"  # the entry's image is at the top
    assert "Crédit : Photo A. Martin" in html
    for url in source["srcset"].split(",") + img["srcset"].split(","):
        path, width = url.split()
        with Image.open(root / "site" / path.lstrip("/")) as derived:
            assert derived.width == int(width[:-1]) and derived.format == ("WEBP" if path.endswith("webp") else "JPEG")


def test_a_small_png_is_never_upscaled_and_keeps_its_transparency(tree) -> None:
    root = atlas(tree, image="logo.png")
    photo(root / "content/actors/logo.png", size=(300, 120), color=(20, 90, 60, 0), mode="RGBA")
    assert build_tree(root, search=False).report.ok
    [img] = [i for i in tags(page(root, "acteurs/la-fabrique"), "img") if "images/" in i.get("src", "")]
    assert widths(img["srcset"]) == [300] and img["src"].endswith("-300.png")
    assert (img["width"], img["height"]) == ("300", "120")
    with Image.open(root / "site" / img["src"].lstrip("/")) as derived:
        assert derived.mode == "RGBA" and derived.getpixel((5, 5))[3] == 0


def test_orientation_is_applied_and_metadata_left_behind(tree) -> None:
    root = atlas(tree)
    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways: shown turned 90° clockwise
    exif[0x013B] = "Photographer Name"  # Artist
    exif[0x8825] = {1: "N", 2: (50.0, 37.0, 12.0)}  # GPS: where the photo was taken
    photo(root / "content/actors/photo.jpg", size=(600, 300), exif=exif, comment=b"secret comment")
    with Image.open(root / "content/actors/photo.jpg") as source:
        assert source.getexif()[0x0112] == 6 and source.info.get("comment") == b"secret comment"
    assert build_tree(root, search=False).report.ok
    [img] = [i for i in tags(page(root, "acteurs/la-fabrique"), "img") if "images/" in i.get("src", "")]
    assert (img["width"], img["height"]) == ("300", "600")  # upright
    for file in (root / "site/images").iterdir():
        data = file.read_bytes()
        with Image.open(io.BytesIO(data)) as derived:
            assert derived.size == (300, 600)
            assert not derived.getexif() and "comment" not in derived.info and "exif" not in derived.info
        assert b"Photographer" not in data and b"secret" not in data


def test_unchanged_images_are_not_processed_again_nor_rewritten(tree, monkeypatch) -> None:
    root = atlas(tree)
    photo(root / "content/actors/photo.jpg")
    calls: list[int] = []
    real = imaging.resize
    monkeypatch.setattr(imaging, "resize", lambda image, width: calls.append(width) or real(image, width))
    options = Options(root=root, out=root / "site", search=False)
    assert build(options).report.ok
    assert sorted(calls) == [480, 960, 1440]
    calls.clear()
    again = build(options)
    assert again.report.ok and calls == [] and again.written == 0
    assert build(Options(root=root, out=root / "site", search=False, use_cache=False)).report.ok
    assert calls == []  # content-addressed: trusted even by --no-cache builds
    derived = sorted(p.name for p in (root / ".atlas-cache/images").rglob("*.*"))
    assert derived.count("manifest.json") == 1 and len(derived) == 7


def test_a_replaced_image_renders_its_pages_again(tree, rendered) -> None:
    root = atlas(tree)
    photo(root / "content/actors/photo.jpg")
    options = Options(root=root, out=root / "site", search=False)
    assert build(options).report.ok
    before = sorted(p.name for p in (root / "site/images").iterdir())
    photo(root / "content/actors/photo.jpg", size=(800, 800), color=(10, 10, 200))  # same name, new picture
    rendered.clear()
    assert build(options).report.ok
    after = sorted(p.name for p in (root / "site/images").iterdir())
    assert not set(before) & set(after) and len(after) == 4  # 480 and 800, WebP and JPEG; the old files gone
    [img] = [i for i in tags(page(root, "acteurs/la-fabrique"), "img") if "images/" in i.get("src", "")]
    assert (img["width"], img["height"]) == ("800", "800")
    # the entry page and the pages whose cards show its thumbnail; not the neighbour's page
    assert set(rendered) == {"acteurs/la-fabrique/", "acteurs/", "acteurs/types/association/", "a-z/",
                             "lieux/halle/", "territoires/lille/"}


def test_cards_show_a_lazy_decorative_thumbnail(tree) -> None:
    root = atlas(tree)
    photo(root / "content/actors/photo.jpg")
    assert build_tree(root, search=False).report.ok
    html = page(root, "lieux/halle")  # the place lists its actors as cards
    thumbs = [i for i in tags(html, "img") if "images/" in i.get("src", "")]
    assert len(thumbs) == 1 and thumbs[0]["loading"] == "lazy" and thumbs[0]["alt"] == ""
    assert thumbs[0]["width"] and thumbs[0]["height"]


def test_open_graph_names_the_widest_file_with_its_size(tree) -> None:
    root = atlas(tree)
    photo(root / "content/actors/photo.jpg")
    assert build_tree(root, search=False, base_url="https://example.org/atlas/").report.ok
    meta = {m["property"]: m["content"] for m in tags(page(root, "acteurs/la-fabrique"), "meta") if "property" in m}
    assert re.fullmatch(r"https://example\.org/atlas/images/photo-[0-9a-f]+-1440\.jpg", meta["og:image"])
    assert (meta["og:image:width"], meta["og:image:height"], meta["og:image:type"]) == ("1440", "864", "image/jpeg")
    assert meta["og:image:alt"] == "L'atelier de la Fabrique"
    assert (root / "site" / meta["og:image"].removeprefix("https://example.org/atlas/")).is_file()


def test_an_image_under_assets_is_found_from_the_site_root(tree) -> None:
    root = atlas(tree, image="/assets/photos/atelier.png")
    photo(root / "assets/photos/atelier.png", size=(500, 500))
    assert build_tree(root, search=False).report.ok
    assert any(p.name.startswith("atelier-") for p in (root / "site/images").iterdir())


def _truncated(path: Path) -> None:
    data = photo(path)
    path.write_bytes(data[: len(data) // 2])


def _bomb(path: Path) -> None:
    Image.new("1", (9500, 9500)).save(path)  # 90 million pixels in a few kilobytes


BAD_IMAGES = [  # (image value, what to put on disk, words of the message)
    ("absente.jpg", None, "image file not found: content/actors/absente.jpg"),
    ("faux.png", lambda p: p.write_text("ceci n'est pas une image", encoding="utf-8"), "cannot read the image"),
    ("coupee.jpg", _truncated, "cannot read the image content/actors/coupee.jpg"),
    ("vide.jpg", lambda p: p.write_bytes(b""), "cannot read the image"),
    ("bombe.png", _bomb, "too many pixels"),
    # The form of the value is checked with the entry (read/checks.py), the file with the atlas:
    ("logo.svg", lambda p: p.write_text("<svg/>", encoding="utf-8"), "is not a JPEG, PNG, WebP or GIF file"),
    ("https://example.org/photo.jpg", None, "is a URL"),
    ("../../secret.jpg", None, "is not a file next to the entry or under /assets/"),
    ("/images/x.jpg", None, "is not a file next to the entry or under /assets/"),
]


@pytest.mark.parametrize("value, make, message", BAD_IMAGES, ids=[b[0] for b in BAD_IMAGES])
def test_a_bad_image_is_an_error_at_its_line_and_the_site_stays(tree, value, make, message) -> None:
    root = atlas(tree, image="photo.jpg")
    photo(root / "content/actors/photo.jpg")
    assert build_tree(root, search=False).report.ok
    published = page(root, "acteurs/la-fabrique")
    atlas(tree, image=value)
    if make is not None:
        make(root / "content/actors" / value)
    for result in (check(Options(root=root)), build_tree(root, search=False)):
        assert not result.report.ok
        [problem] = [p for p in result.report.problems if p.severity == "error"]
        assert (problem.path, problem.line, problem.field) == (ACTOR, line_of(root, ACTOR, "image:"), "image")
        assert message in problem.message and problem.hint
    assert page(root, "acteurs/la-fabrique") == published  # the previous site is intact


def test_every_bad_image_is_reported_at_once(tree) -> None:
    root = atlas(tree, image="absente.jpg")
    (root / "content/actors/voisine.md").write_text(
        "---\ntitle: La Voisine\ntype: association\nimage: fausse.png\nimage_alt: x\n---\n", encoding="utf-8")
    (root / "content/actors/fausse.png").write_text("texte", encoding="utf-8")
    result = build_tree(root, search=False)
    assert [(p.path, p.field) for p in result.report.problems] == [
        (ACTOR, "image"), ("content/actors/voisine.md", "image")]


def test_a_missing_image_suggests_the_file_beside_it(tree) -> None:
    root = atlas(tree, image="Photo.JPG")
    photo(root / "content/actors/photo.jpg")
    [problem] = build_tree(root, search=False).report.problems
    assert "photo.jpg" in problem.hint


def test_sets_no_entry_uses_leave_the_cache(tree) -> None:
    root = atlas(tree)
    photo(root / "content/actors/photo.jpg")
    assert build_tree(root, search=False).report.ok
    [first] = (root / ".atlas-cache/images").iterdir()
    photo(root / "content/actors/photo.jpg", color=(0, 0, 0))
    assert build_tree(root, search=False).report.ok
    [second] = (root / ".atlas-cache/images").iterdir()
    assert second.name != first.name
    (root / "content/actors/photo.jpg").unlink()
    assert not build_tree(root, search=False).report.ok
    assert (root / ".atlas-cache/images" / second.name).is_dir()  # kept while the atlas has image errors


@pytest.mark.parametrize("orientation, upright", [(1, (1440, 768)), (6, (1440, 2700))])
def test_a_large_photo_is_decoded_small_but_never_below_the_widest_variant(tree, orientation, upright) -> None:
    root = atlas(tree)
    exif = Image.Exif()
    exif[0x0112] = orientation
    photo(root / "content/actors/photo.jpg", size=(3000, 1600), exif=exif)  # decoded at half size when upright
    assert build_tree(root, search=False).report.ok
    [img] = [i for i in tags(page(root, "acteurs/la-fabrique"), "img") if "images/" in i.get("src", "")]
    assert widths(img["srcset"]) == [480, 960, 1440] and (int(img["width"]), int(img["height"])) == upright
    with Image.open(root / "site" / img["srcset"].split(",")[-1].split()[0].lstrip("/")) as widest:
        assert widest.size == upright
