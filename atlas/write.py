"""Write the site: into a staging folder beside the output, then swap it in at once.

A build never touches the published folder until everything is ready: files whose bytes did
not change are hard-linked from the previous output (so they are not rewritten), the rest are
written, and the staging folder replaces the output with one atomic exchange of directory
entries (Linux renameat2 RENAME_EXCHANGE). Killed at any moment, the output is the old site or
the new one, never a mix.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
from pathlib import Path

from .problems import AtlasError
from .source import digest

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def check_out_dir(out: Path, root: Path) -> None:
    """Refuse output folders whose replacement would destroy something precious."""
    out, root = out.resolve(), root.resolve()
    forbidden = {Path("/"), Path.home().resolve(), root, (root / "content").resolve(),
                 (root / "templates").resolve(), (root / "assets").resolve()}
    if out in forbidden or out in root.parents or root == out or (root / "content") in out.parents:
        raise AtlasError(f"refusing to write the site into {out}: it would replace that folder",
                         ) from None
    if out.exists() and not out.is_dir():
        raise AtlasError(f"{out} exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / "index.html").exists():
        raise AtlasError(f"refusing to replace {out}: it is not empty and does not look like a built site "
                         "(no index.html)")


class Staging:
    """A folder being filled with the next version of the site."""

    def __init__(self, out: Path, previous: dict[str, str]) -> None:
        self.out = out
        self.previous = previous  # path -> digest of what the current output holds
        self.dir = out.parent / f".{out.name}.staging-{os.getpid()}"
        self.manifest: dict[str, str] = {}
        self.written = 0
        self.linked = 0
        self._dirs: set[str] = set()
        for stale in out.parent.glob(f".{out.name}.staging-*"):
            shutil.rmtree(stale, ignore_errors=True)  # left by a killed build
        for stale in out.parent.glob(f".{out.name}.old-*"):
            shutil.rmtree(stale, ignore_errors=True)
        self.dir.mkdir(parents=True)

    def _parent(self, path: str) -> None:
        folder = path.rpartition("/")[0]
        if folder and folder not in self._dirs:
            os.makedirs(self.dir / folder, exist_ok=True)
            self._dirs.add(folder)

    def put(self, path: str, data: bytes) -> None:
        """Add a file; hard-link the old one when its bytes are the same."""
        if path in self.manifest:
            raise AtlasError(f"two pages would be written to {path}")
        h = digest(data)
        self._parent(path)
        if self.previous.get(path) == h and self.keep(path, h):
            return
        with open(self.dir / path, "wb") as fh:
            fh.write(data)
        self.manifest[path] = h
        self.written += 1

    def keep(self, path: str, h: str) -> bool:
        """Reuse the current output's file for `path` (known to have digest `h`)."""
        self._parent(path)
        try:
            os.link(self.out / path, self.dir / path)
        except OSError:
            return False
        self.manifest[path] = h
        self.linked += 1
        return True

    def record(self, path: str, h: str, written: bool) -> None:
        """A file written into the staging folder by another process."""
        if path in self.manifest:
            raise AtlasError(f"two pages would be written to {path}")
        self.manifest[path] = h
        if written:
            self.written += 1
        else:
            self.linked += 1

    def commit(self) -> None:
        """Make the staging folder the output, atomically; remove the old output."""
        if self.out.exists():
            old = self.out.parent / f".{self.out.name}.old-{os.getpid()}"
            if _exchange(self.dir, self.out):
                self.dir.rename(old)
            else:  # no renameat2: two renames, a tiny window without an output folder
                self.out.rename(old)
                self.dir.rename(self.out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            self.dir.rename(self.out)

    def abort(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directory entries in one system call; False when the system cannot."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def write_file(root: Path, path: str, data: bytes, previous: dict[str, str], out: Path) -> tuple[str, bool]:
    """For worker processes: put one file into a staging folder; (digest, written?)."""
    h = digest(data)
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    if previous.get(path) == h:
        try:
            os.link(out / path, target)
            return h, False
        except OSError:
            pass
    with open(target, "wb") as fh:
        fh.write(data)
    return h, True
