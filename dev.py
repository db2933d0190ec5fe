#!/usr/bin/env python3
"""Set up and run, on a fresh machine with Python 3.11: `python3 dev.py serve` or `python3 dev.py test`.

`python3 dev.py workflow .github/workflows/verifier.yml [--job J] [--event push]` runs a GitHub
workflow's steps on a fresh clone as a runner would (tests/workflows.py explains the emulation).

Only the standard library here: this script creates .venv/, installs the project and its test
tools into it (again whenever pyproject.toml changes), installs the system tools the browser and
HTML tests need (Debian's chromium, the Nu Html Checker from npm) when they are missing, then runs
the command.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PY = VENV / "bin" / "python"


def run(*cmd: str, **kw) -> None:
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, cwd=ROOT, **kw)


def python_env() -> None:
    stamp = VENV / ".installed"
    want = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == want and PY.exists():
        return
    if not PY.exists():
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    run(str(PY), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", ".[test]")
    stamp.write_text(want)


def npm_packages() -> None:
    """vnu and axe-core, the checkers the tests run, at the versions package-lock.json pins (tests only:
    a build needs no npm, the theme vendors Leaflet)."""
    lock = ROOT / "package-lock.json"
    stamp = ROOT / "node_modules" / ".installed"
    want = hashlib.sha256(lock.read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == want:
        return
    if not shutil.which("npm"):
        sys.exit("npm is needed for the tests' HTML and accessibility checkers: install Node.js (apt-get install nodejs npm)")
    run("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error")
    stamp.write_text(want)


def system_tools() -> None:
    """Chromium for the browser tests: installed when missing (needs root for apt)."""
    if not Path("/usr/bin/chromium").exists() and shutil.which("apt-get") and os.geteuid() == 0:
        run("apt-get", "update", "-qq")
        run("apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium",
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("serve", "test", "build", "bench", "workflow"):
        print(__doc__)
        return 2
    python_env()
    command, rest = argv[0], argv[1:]
    if command == "serve":
        os.execv(str(PY), [str(PY), str(ROOT / "build.py"), "serve", *rest])
    if command == "build":
        os.execv(str(PY), [str(PY), str(ROOT / "build.py"), "build", *rest])
    if command == "bench":
        os.execv(str(PY), [str(PY), "-m", "bench", *rest])
    if command == "workflow":
        os.execv(str(PY), [str(PY), str(ROOT / "tests" / "workflows.py"), *rest])
    npm_packages()
    system_tools()
    os.chdir(ROOT)
    os.execv(str(PY), [str(PY), "-m", "pytest", *rest])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
