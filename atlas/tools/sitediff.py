"""`build.py diff OLD_SITE NEW_SITE` or `diff --git REF`: which pages a change adds, alters, removes.

The answer is Markdown for a pull-request comment or a GitHub job summary. Files are compared
byte for byte: only identical files are left out, so a template change shows every page it touches.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import io
import re
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path

from ..model.kinds import ENTRY_KINDS, KINDS
from ..model.problems import AtlasError

_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.S | re.I)
SECTIONS = {KINDS[k].segment: KINDS[k].plural for k in ENTRY_KINDS}
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")  # what could turn a title into markup


@dataclass
class Diff:
    """Relative file paths of the two sites, by what happened to them."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)


def _files(site: Path) -> dict[str, str]:
    """Relative path -> content hash of every file of a built site."""
    return {path.relative_to(site).as_posix(): hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
            for path in sorted(site.rglob("*")) if path.is_file()}


def compare(old: Path, new: Path) -> Diff:
    """Files only in new, in both with different bytes, only in old; each list sorted."""
    before, after = _files(old), _files(new)
    return Diff(added=sorted(set(after) - set(before)),
                changed=sorted(p for p in set(after) & set(before) if after[p] != before[p]),
                removed=sorted(set(before) - set(after)))


def page_url(path: str) -> str:
    """'acteurs/x/index.html' -> '/acteurs/x/'; '404.html' -> '/404.html'."""
    if path == "index.html" or path.endswith("/index.html"):
        return "/" + path[: -len("index.html")]
    return "/" + path


def page_title(file: Path) -> str:
    """The page's <title>, without the site name after the last « · »."""
    match = _TITLE.search(file.read_bytes()[:65536])
    if not match:
        return ""
    title = " ".join(html.unescape(match.group(1).decode("utf-8", "replace")).split())
    return title.rpartition(" · ")[0] or title


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def _section(path: str) -> tuple[int, str]:
    """(rank, label): the kinds in the site's order, then every other page."""
    first = path.split("/", 1)[0] if "/" in path else ""
    labels = list(SECTIONS.values())
    label = SECTIONS.get(first, "Autres pages")
    return (labels.index(label) if label in labels else len(labels), label)


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n <= 1 else many}"  # French: « 0 page », « 1 page », « 2 pages »


def markdown(diff: Diff, old: Path, new: Path, limit: int = 200) -> str:
    """The report: counts, then pages added, changed and removed (grouped by section), then other files."""
    pages = {name: [p for p in getattr(diff, name) if p.endswith(".html")] for name in ("added", "changed", "removed")}
    others = {name: [p for p in getattr(diff, name) if not p.endswith(".html")]
              for name in ("added", "changed", "removed")}
    out = ["## Pages du site touchées par ce changement", ""]
    if not diff:
        return "\n".join(out + ["Aucune différence : le site construit est identique, octet pour octet.", ""])
    counts = [_plural(len(pages["added"]), "page ajoutée", "pages ajoutées"),
              _plural(len(pages["changed"]), "page modifiée", "pages modifiées"),
              _plural(len(pages["removed"]), "page supprimée", "pages supprimées")]
    n_other = sum(len(v) for v in others.values())
    out += [", ".join(counts) + (f" ; {_plural(n_other, 'autre fichier', 'autres fichiers')}" if n_other else "")
            + ".", ""]
    headings = {"added": "Pages ajoutées", "changed": "Pages modifiées", "removed": "Pages supprimées"}
    for name, heading in headings.items():
        if not pages[name]:
            continue
        out += [f"### {heading} ({len(pages[name])})", ""]
        shown = pages[name][:limit]
        for section, paths in groupby(sorted(shown, key=lambda p: (_section(p), p)), key=_section):
            out.append(f"**{section[1]}**")
            out.append("")
            for path in paths:
                out.append(_page_line(name, path, old, new))
            out.append("")
        if len(pages[name]) > limit:
            out += [f"… et {len(pages[name]) - limit} de plus.", ""]
    if n_other:
        out += ["<details><summary>" + _plural(n_other, "autre fichier", "autres fichiers")
                + " (styles, scripts, données)</summary>", ""]
        labels = {"added": "ajouté", "changed": "modifié", "removed": "supprimé"}
        listed = sorted((p, labels[name]) for name, paths in others.items() for p in paths)
        out += [f"- {label} : `/{path}`" for path, label in listed[:limit]]
        if len(listed) > limit:
            out.append(f"- … et {len(listed) - limit} de plus")
        out += ["", "</details>", ""]
    return "\n".join(out)


def _page_line(change: str, path: str, old: Path, new: Path) -> str:
    url = page_url(path)
    title = page_title((old if change == "removed" else new) / path) or url
    line = f"- {_md(title)} · `{url}`"
    if change == "changed":
        before = page_title(old / path)
        if before and before != title:
            line += f" (ancien titre : {_md(before)})"
    return line


def _safe_member(member: tarfile.TarInfo, dest: str) -> tarfile.TarInfo | None:
    """Python's « data » filter, skipping what it refuses (a committed link out of the tree)."""
    try:
        return tarfile.data_filter(member, dest)
    except tarfile.FilterError:
        return None


def build_ref(root: Path, ref: str, out: Path, base_url: str | None) -> None:
    """Build the tree of a git ref, with that ref's own code, into out (a fresh folder)."""
    src = out.parent / "src"
    src.mkdir()
    archive = subprocess.run(["git", "-C", str(root), "archive", "--format=tar", ref],
                             capture_output=True, check=False)
    if archive.returncode:
        raise AtlasError(f"git archive {ref}: {archive.stderr.decode(errors='replace').strip()}")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(src, filter=_safe_member)
    modules = root / "node_modules"
    if modules.is_dir():  # refs from before the theme vendored Leaflet took it from npm
        (src / "node_modules").symlink_to(modules.resolve())
    cmd = [sys.executable, "build.py", "build", "--out", str(out), "--no-cache", "--quiet"]
    if base_url is not None:
        cmd += ["--base-url", base_url]
    done = subprocess.run(cmd, cwd=src, capture_output=True, text=True, check=False)
    if done.returncode:
        raise AtlasError(f"building {ref} failed:\n{done.stderr.strip()}")


def command(args: argparse.Namespace) -> int:
    """The `diff` command: Markdown on stdout; exit 0 whatever the differences, 1 if a build fails."""
    if args.git is None and (args.old is None or args.new is None):
        print("error: give OLD_SITE and NEW_SITE, or --git REF [NEW_SITE]", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="atlas-diff-") as tmp:
        old, new = args.old, args.new
        if args.git is not None:
            if args.old is not None and args.new is None:
                new = args.old  # `diff --git REF NEW_SITE`
            old = Path(tmp) / "old" / "site"
            old.parent.mkdir()
            build_ref(args.root, args.git, old, args.base_url)
        if new is None:
            new = Path(tmp) / "new"
            _build_current(args.root, new, args.base_url)
        for site in (old, new):
            if not site.is_dir():
                print(f"error: {site} is not a folder", file=sys.stderr)
                return 2
        print(markdown(compare(old, new), old, new, args.limit))
    return 0


def _build_current(root: Path, out: Path, base_url: str | None) -> None:
    from ..pipeline import Options, build

    result = build(Options(root=root, out=out, base_url=base_url, use_cache=False))
    if not result.report.ok:
        raise AtlasError("the current content does not build:\n" + "\n".join(result.report.lines()))
