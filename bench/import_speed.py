"""python -m bench import [--rows 10000]: how long `build.py import` takes, first and again with --update.

Writes a directory CSV of N members (';'-separated, UTF-8 with BOM, the data·inclusion column
names, French decimal commas, valid SIRETs and phones, positions spread over France) next to a
small atlas, then times whole `build.py import` processes: the first import (every row becomes
an entry), a re-import with --update of the same file (nothing to write), and checks that the
second changed no byte. Target (issue 16): the first import of 10,000 rows under 10 s.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_S = 10.0
WORDS = ("Recyclerie", "Épicerie", "Jardin", "Coopérative", "Atelier", "Cantine", "Ressourcerie", "Collectif",
         "Maison", "Réseau", "Fabrique", "Comptoir", "Tiers-lieu", "Ferme", "Université populaire")
NAMES = ("des Bois", "du Moulin", "de l'Église", "des Tisserands", "du Canal", "de la Gare", "des Sources",
         "du Beffroi", "des Vignes", "de la Plaine", "Solidaire", "Citoyenne", "en Transition", "Partagée",
         "Coopérative", "du Lien", "Vagabonde", "des Possibles", "Buissonnière", "des Communs")
TYPES = ("Association loi 1901", "SCOP", "SCIC", "Fondation", "Coopérative", "Mutuelle")


def luhn(prefix: str) -> str:
    for digit in "0123456789":
        number = prefix + digit
        if sum(int(d) if i % 2 == 0 else sum(divmod(int(d) * 2, 10))
               for i, d in enumerate(reversed(number))) % 10 == 0:
            return number
    raise AssertionError


def write_rows(path: Path, n: int, seed: int = 16) -> None:
    rnd = random.Random(seed)
    columns = ("nom", "adresse", "code_postal", "commune", "site_web", "siret", "type", "latitude", "longitude",
               "courriel", "telephone", "description")
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(columns)
        for i in range(n):
            dep = rnd.choice([d for d in range(1, 96) if d != 20])
            siren = luhn(f"{(31_000_000 + i * 7_919) % 100_000_000:08d}")
            name = f"{rnd.choice(WORDS)} {rnd.choice(NAMES)} {i}"
            writer.writerow([name, f"{rnd.randint(1, 200)} rue {rnd.choice(NAMES)}", f"{dep:02d}{rnd.randint(0, 999):03d}",
                             f"Commune {i % 3000}", f"www.structure{i}.fr", luhn(siren + "0001"), rnd.choice(TYPES),
                             f"{rnd.uniform(43.0, 50.5):.5f}".replace(".", ","),
                             f"{rnd.uniform(-1.0, 7.0):.5f}".replace(".", ","), f"contact{i}@structure{i}.fr",
                             f"0{rnd.randint(1, 5)} {rnd.randint(20, 59)} {rnd.randint(10, 99)} {rnd.randint(10, 99)} "
                             f"{rnd.randint(10, 99)}", f"Structure de l'ESS numéro {i}, fondée par des habitants."])


def content_digest(root: Path) -> str:
    h = hashlib.blake2b()
    for path in sorted((root / "content").rglob("*")) + sorted((root / "imports").rglob("*")):
        if path.is_file():
            h.update(path.as_posix().encode() + path.read_bytes())
    return h.hexdigest()


def timed(cmd: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds of a whole process: CPU says what the import costs when the disk is busy."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m bench import", description=__doc__.split("\n\n")[0])
    p.add_argument("--rows", type=int, default=10_000)
    p.add_argument("--dir", type=Path, default=Path("/tmp/atlas-bench-import"))
    args = p.parse_args(argv)
    shutil.rmtree(args.dir, ignore_errors=True)
    atlas = args.dir / "atlas"
    (atlas / "content" / "pages").mkdir(parents=True)
    (atlas / "content" / "pages" / "accueil.md").write_text("---\ntitle: Accueil\n---\n", encoding="utf-8")
    source = args.dir / "adherents.csv"
    write_rows(source, args.rows)
    cmd = [sys.executable, str(ROOT / "build.py"), "import", str(source), "--root", str(atlas),
           "--source-title", "Annuaire des adhérents"]
    first = timed(cmd)
    created = len(list((atlas / "content" / "actors").glob("*.md")))
    before = content_digest(atlas)
    again = timed(cmd + ["--update"])
    unchanged = content_digest(atlas) == before
    print()
    print(f"{'import of ' + format(args.rows, ',') + ' rows':<40} {'wall s':>7} {'CPU s':>7}")
    print(f"{'first import (' + format(created, ',') + ' entries written)':<40} {first[0]:>7.2f} {first[1]:>7.2f}")
    print(f"{'re-import --update, no change':<40} {again[0]:>7.2f} {again[1]:>7.2f}")
    print()
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} (wall time includes waiting "
          "for the disk: 10,000 files created)")
    print(f"target first import < {TARGET_S:.0f} s: {'met' if first[0] < TARGET_S else 'NOT met'}; "
          f"second import changed {'no byte' if unchanged else 'FILES (bug)'}")
    return 0 if unchanged else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
