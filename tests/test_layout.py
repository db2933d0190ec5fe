"""The engine's layout: imports run in stage order, and README's module map is the tree."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "atlas"
# Stages in the order data flows (README, « Architecture »): a module imports only from its own
# stage or from stages before it.
ORDER = ("model", "read", "config", "theme", "link", "pages", "render", "outputs", "write", "incremental",
         "pipeline", "serve", "tools", "cli")


def stage_of(module: str) -> str | None:
    """`atlas.pages.plan` -> `pages`; None outside the engine or for the package itself."""
    parts = module.split(".")
    return parts[1] if parts[0] == "atlas" and len(parts) > 1 else None


def imported(path: Path) -> set[str]:
    """Every engine module a file imports, at its top or inside a function."""
    name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    package = name.split(".")[:-1]  # what `from .` names, for a module and for an `__init__` alike
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            found.add(module)
            if not node.module:  # from . import x, from .. import y: each name may be a module
                found.update(f"{module}.{a.name}" for a in node.names)
    return {m for m in found if m.startswith("atlas.")}


def stage_imports() -> dict[str, set[str]]:
    """stage -> the other stages its modules import."""
    found: dict[str, set[str]] = {stage: set() for stage in ORDER}
    for path in PACKAGE.rglob("*.py"):
        if not (path.parent / "__init__.py").exists():
            continue  # files the engine copies (tools/site/build.py, a new atlas's), not its modules
        here = stage_of(".".join(path.relative_to(ROOT).with_suffix("").parts))
        if here is None or here == "__init__" or here == "__main__":
            continue
        for module in imported(path):
            there = stage_of(module)
            if there and there != here and there in ORDER:
                found[here].add(there)
    return found


def test_every_stage_is_known() -> None:
    stages = {p.stem if p.is_file() else p.name for p in PACKAGE.iterdir()
              if (p.suffix == ".py" or (p / "__init__.py").exists()) and p.stem not in ("__init__", "__main__")}
    assert stages == set(ORDER)


def test_imports_run_in_stage_order() -> None:
    backwards = {(here, there) for here, theirs in stage_imports().items() for there in theirs
                 if ORDER.index(there) > ORDER.index(here)}
    assert backwards == set()


def test_the_model_imports_no_other_stage() -> None:
    assert stage_imports()["model"] == set()


def _module_map() -> dict[str, set[str]]:
    """README's module map: package -> the modules its last column names."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([a-z_]+)(/|\.py)` \| [^|]* \|([^|]*)\|$", readme, re.M)
    return {name + slash: set(re.findall(r"`([a-z_]+/?)`", modules)) for name, slash, modules in rows}


def test_readme_module_map_is_the_tree() -> None:
    listed = _module_map()
    packages = {p.name + "/" for p in PACKAGE.iterdir() if (p / "__init__.py").exists()} - {"theme/"}
    files = {p.name for p in PACKAGE.glob("*.py") if p.stem not in ("__init__", "__main__")}
    assert set(listed) == packages | files  # the theme (templates and assets) has its own line above the map
    for package in packages:
        folder = PACKAGE / package
        modules = {p.stem for p in folder.glob("*.py") if p.stem != "__init__"} | \
            {p.name + "/" for p in folder.iterdir() if (p / "__init__.py").exists()}
        assert listed[package] == modules, package
