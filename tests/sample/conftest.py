"""The sample atlas (this repository's content/, atlas.yaml, templates/ and assets/): its facts
and its build. Only the tests of this folder may read content/ or name the sample's entries;
the engine's tests build the fixture atlas (tests/fixture_atlas.py) and pass whatever content/
holds (tests/test_any_content.py)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Iterator

import pytest

from atlas.config import load
from conftest import ROOT, build_whole, serve_folder
from helpers import Facts

SAMPLE = Facts.read(ROOT)


def sample_copy(base: Path) -> Path:
    """The sample atlas copied under base, with its own settings, templates and assets."""
    for folder in ("content", "templates", "assets"):
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, base / folder, dirs_exist_ok=True)
    if (ROOT / "atlas.yaml").exists():
        shutil.copy(ROOT / "atlas.yaml", base / "atlas.yaml")
    return base


def base_path(root: Path) -> str:
    """The path the atlas's settings put its pages under ('/' or '/atlas/')."""
    return load(root)["base_path"]


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample atlas built once, strict, search index included, as its settings say."""
    root = sample_copy(tmp_path_factory.mktemp("sample"))
    return build_whole(root, root / "site", strict=True)


@pytest.fixture(scope="session")
def sample_server(sample_site: Path) -> Iterator[str]:
    """The built sample atlas served on 127.0.0.1; yields its base URL."""
    yield from serve_folder(sample_site)
