"""The engine's suite does not depend on the sample atlas: it passes, whole, in a copy of the
repository whose content/ holds another territory's atlas and whose atlas.yaml sets a base URL.

The copy's suite runs in a subprocess, without tests/sample/ (the sample's own tests, which do
read content/), without this test, without the browser tests (the slowest part of the suite: they
build and serve only the fixture atlas and inline trees, and the copy's other tests cover every
module they exercise) and without tests/test_workflows.py: its atlases are made by `init`, not
read from content/, and its engine workflow runs the sample's own tests, which name the sample. Runs in CI and with
`python3 dev.py test`; deselect it locally with `-m "not any_content"`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from atlas.pipeline import Options, build
from conftest import ROOT, write_tree

pytestmark = pytest.mark.any_content

# Left out of the copy, at its top only: what a fresh clone does not have, or what the test replaces
# (the engine has folders of these names too: atlas/tools/site/ is the scaffold of `init`).
NOT_COPIED = {".git", ".venv", "node_modules", "site", ".atlas-cache", ".pytest_cache", ".hypothesis", "content",
              "atlas.yaml"}


def left_out(folder: str, names: list[str]) -> set[str]:
    """shutil.copytree's ignore: NOT_COPIED and preview outputs at the top, bytecode everywhere."""
    top = Path(folder) == ROOT
    return {n for n in names if n == "__pycache__" or top and (n in NOT_COPIED or n.startswith(".site"))}

SETTINGS = """\
title: "Atlas de l'ESS du Pays basque"
description: "Les acteurs, les lieux et les programmes de l'économie sociale et solidaire du Pays basque."
base_url: "https://exemple.github.io/atlas/"
"""

# A small atlas of another territory, with its own slugs: nothing in it is in the sample atlas.
PAYS_BASQUE = {
    "content/territories/nouvelle-aquitaine.md": "---\ntitle: Nouvelle-Aquitaine\ntype: region\n---\n",
    "content/territories/pyrenees-atlantiques.md":
        "---\ntitle: Pyrénées-Atlantiques\ntype: departement\nparent: nouvelle-aquitaine\n---\n",
    "content/territories/pays-basque.md":
        "---\ntitle: Pays basque\nsummary: Communauté d'agglomération.\nparent: pyrenees-atlantiques\n---\n",
    "content/territories/bayonne.md": "---\ntitle: Bayonne\ntype: commune\nparent: pays-basque\n---\n",
    "content/territories/petit-bayonne.md": "---\ntitle: Petit Bayonne\ntype: quartier\nparent: bayonne\n---\n",
    "content/themes/monnaie-locale.md": "---\ntitle: Monnaie locale\n---\n",
    "content/themes/agriculture-paysanne.md": "---\ntitle: Agriculture paysanne\n---\n",
    "content/places/maison-des-associations.md": """\
        ---
        title: Maison des associations de Bayonne
        type: tiers-lieu
        territory: petit-bayonne
        address: 11 rue des Tonneliers
        postcode: "64100"
        city: Bayonne
        geo: {lat: 43.4897, lon: -1.4735, approximate: true}
        ---
        Un lieu d'accueil pour les associations.
        """,
    "content/actors/monnaie-du-pays.md": """\
        ---
        title: Monnaie du Pays
        summary: Association qui fait circuler une monnaie locale complémentaire.
        type: association
        themes: [monnaie-locale]
        territory: pays-basque
        places: [maison-des-associations]
        partners: [cooperative-des-fermes]
        sources:
          - {title: "Statuts de l'association", url: "https://monnaie.exemple.org/statuts", accessed: 2026-11-01}
        updated: 2026-11-01
        ---
        Installée à la [Maison des associations](lieu:maison-des-associations).
        """,
    "content/actors/cooperative-des-fermes.md":
        "---\ntitle: Coopérative des fermes\ntype: scic\nthemes: [agriculture-paysanne]\nterritory: bayonne\n---\n",
    "content/programmes/fonds-de-garantie.md":
        "---\ntitle: Fonds de garantie local\ntype: fonds\nterritory: pays-basque\noperators: [monnaie-du-pays]\n"
        "laureates: [cooperative-des-fermes]\nbudget_eur: 200000\n---\n",
    "content/pages/accueil.md": "---\ntitle: Accueil\n---\nL'ESS du Pays basque, fiche par fiche.\n",
    "content/pages/a-propos.md":
        "---\ntitle: À propos\n---\n## Sources\n\nDes sources.\n\n## Licences\n\nDes licences.\n\n"
        "## Contribuer\n\nPar pull request.\n",
    "content/pages/accessibilite.md": "---\ntitle: Accessibilité\n---\nL'atlas est **non conforme**.\n",
}


def repository_copy(base: Path) -> Path:
    """The repository as a fresh clone has it, with PAYS_BASQUE as content/ and SETTINGS as atlas.yaml."""
    copy = base / "repository"
    shutil.copytree(ROOT, copy, ignore=left_out)
    if (ROOT / "node_modules").is_dir():  # the HTML and accessibility checkers, installed by dev.py
        os.symlink(ROOT / "node_modules", copy / "node_modules")
    write_tree(copy, PAYS_BASQUE)
    (copy / "atlas.yaml").write_text(SETTINGS, encoding="utf-8")
    return copy


def test_the_engine_suite_passes_with_another_atlas_in_content(tmp_path: Path) -> None:
    copy = repository_copy(tmp_path)
    texts = [p.read_text(encoding="utf-8") for p in (copy / "content").rglob("*.md")]
    assert len(texts) == len(PAYS_BASQUE) and not any("Lille" in t or "Lyon" in t for t in texts)
    result = build(Options(root=copy, out=tmp_path / "site", strict=True, use_cache=False, search=False))
    assert result.report.ok, result.report.lines()  # the replacement is a valid atlas
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "tests", "--ignore=tests/sample", "--ignore=tests/test_workflows.py", "-x", "-q", "-p", "no:cacheprovider",
         "-m", "not any_content and not browser", f"--basetemp={tmp_path / 'inner'}"],
        cwd=copy, capture_output=True, text=True, timeout=1800,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    assert done.returncode == 0, f"{summary}\n{done.stdout[-6000:]}\n{done.stderr[-2000:]}"
    assert " passed" in summary and "failed" not in summary and "error" not in summary, summary
