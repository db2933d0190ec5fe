"""Write the site: prepare the next version beside the output, then swap it in at once.

The output is double-buffered. Beside `site/` lives a spare folder `.site.spare` holding an
older complete version; a build brings the spare up to date — writing only the files whose bytes
differ from what it holds, hard-linking files that the published site already has, deleting
pages that no longer exist — and then exchanges the two folders with one system call
(Linux renameat2 RENAME_EXCHANGE). The old site becomes the next spare. Killed at any moment,
`site/` is the old site or the new one, never a mix; a marker file says when the spare is
half-updated, and such a spare is rebuilt from scratch next time.

What the two folders hold is known from the cache of the last build (its manifests), which is
saved after the swap. A stamp file beside them names the last build that changed them, and the
cache records the stamp it knows: when they differ (a build killed between the swap and the
saving of its cache, a --no-cache build, a preview stopped without saving), neither folder is
trusted and the next build writes everything.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
from pathlib import Path

from ..model.problems import AtlasError
from ..model.digest import digest

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def check_out_dir(out: Path, root: Path) -> None:
    """Refuse output folders whose replacement would destroy something precious."""
    out, root = out.resolve(), root.resolve()
    precious = {Path("/"), Path.home().resolve(), root, *(root / n for n in ("content", "templates", "assets"))}
    if out in precious or out in root.parents or any(p in out.parents for p in precious if p != root and p != Path("/")
                                                     and p != Path.home().resolve()):
        raise AtlasError(f"refusing to write the site into {out}: the build replaces that folder whole")
    if out.exists() and not out.is_dir():
        raise AtlasError(f"{out} exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / "index.html").exists():
        raise AtlasError(f"refusing to replace {out}: it is not empty and does not look like a built site "
                         "(no index.html)")


class Output:
    """The next version of the site, being prepared in the spare folder."""

    def __init__(self, out: Path, published: dict[str, str], spare: dict[str, str] | None,
                 stamp: str = "") -> None:
        self.out = out
        self.dir = out.parent / f".{out.name}.spare"
        self.marker = out.parent / f".{out.name}.spare-incomplete"
        self.stamp_file = out.parent / f".{out.name}.stamp"
        # The manifests describe the folders only if no build changed them since they were made.
        known = _read_stamp(self.stamp_file) == stamp
        self.stamp = stamp  # after commit(): the stamp the cache must record
        self.published = published if out.is_dir() and known else {}
        for stale in out.parent.glob(f".{out.name}.staging-*"):  # left by older versions
            shutil.rmtree(stale, ignore_errors=True)
        usable = known and spare is not None and self.dir.is_dir() and not self.marker.exists()
        self.holds: dict[str, str] = dict(spare) if usable and spare is not None else {}
        self.manifest: dict[str, str] = {}
        self.written = 0
        self.written_paths: list[str] = []
        self.linked = 0
        self._dirs: set[str] = set()
        self._begun = False
        self._reuse = usable

    def begin(self) -> None:
        """Mark the spare as being modified; start from scratch when it cannot be trusted."""
        if self._begun:
            return
        self._begun = True
        self.marker.parent.mkdir(parents=True, exist_ok=True)  # --out in a folder not made yet
        self.marker.touch()
        if not self._reuse:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir.mkdir(parents=True)

    @property
    def unchanged(self) -> bool:
        """True when the new manifest equals the published one: nothing to swap."""
        return self.manifest == self.published and self.out.is_dir()

    def make_parent(self, path: str) -> None:
        folder = path.rpartition("/")[0]
        if folder and folder not in self._dirs:
            os.makedirs(self.dir / folder, exist_ok=True)
            self._dirs.add(folder)

    def put(self, path: str, data: bytes) -> None:
        """Add a file to the next version."""
        self.record(path, *place(self.dir, path, data, self.holds, self.published, self.out, self.make_parent,
                                 self.begin))

    def keep(self, path: str, h: str) -> bool:
        """The next version has the published file for `path` (digest `h`) unchanged."""
        if self.holds.get(path) != h:
            self.begin()
            self.make_parent(path)
            if not _link(self.out / path, self.dir / path):
                return False
        self.record(path, h, False)
        return True

    def record(self, path: str, h: str, written: bool) -> None:
        if path in self.manifest:
            raise AtlasError(f"two pages would be written to {path}")
        self.manifest[path] = h
        if written:
            self.written += 1
            self.written_paths.append(path)
        elif self.holds.get(path) != h:
            self.linked += 1
        self.holds[path] = h  # what the spare folder holds now

    def commit(self) -> dict[str, str] | None:
        """Publish the next version; return what the spare holds afterwards (None: unknown).

        From here until the cache is saved with `self.stamp`, a kill leaves a cache that no longer
        describes the folders: the new stamp, written first, tells the next build so.
        """
        if self.unchanged:
            if self._begun:  # the spare changed: a cache saved before this build no longer knows it
                self._new_stamp()
            self.marker.unlink(missing_ok=True)  # the spare is consistent: every change was recorded
            return self.holds
        self.prune()
        self._new_stamp()
        if not self.out.exists():
            self.dir.rename(self.out)
            self.marker.unlink(missing_ok=True)
            return None
        if not _exchange(self.dir, self.out):  # no renameat2: two renames, a tiny window without a site
            old = self.out.parent / f".{self.out.name}.old"
            shutil.rmtree(old, ignore_errors=True)
            self.out.rename(old)
            self.dir.rename(self.out)
            old.rename(self.dir)
        self.marker.unlink(missing_ok=True)
        return self.published or None  # an old site of unknown content (none known): unknown spare

    def _new_stamp(self) -> None:
        self.stamp = os.urandom(8).hex()
        tmp = self.stamp_file.with_name(self.stamp_file.name + ".tmp")
        tmp.write_text(self.stamp + "\n", encoding="ascii")
        os.replace(tmp, self.stamp_file)

    def prune(self) -> None:
        """Remove from the next version every file that is not (yet) part of it."""
        self.begin()
        for path in sorted(set(self.holds) - set(self.manifest), reverse=True):
            _remove(self.dir, path)
            del self.holds[path]

    def abort(self) -> None:
        """Leave the published site alone; the spare stays marked incomplete if it was touched."""


def place(folder: Path, path: str, data: bytes, holds: dict[str, str], published: dict[str, str], out: Path,
          parent=None, begin=None) -> tuple[str, bool]:
    """Put `data` at folder/path unless it is there already; (digest, written?). Worker-safe."""
    h = digest(data)
    if holds.get(path) == h:
        return h, False
    if begin is not None:
        begin()
    target = folder / path
    if parent is not None:
        parent(path)
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
    if published.get(path) == h and _link(out / path, target):
        return h, False
    tmp = target.with_name(f".{target.name}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
    os.replace(tmp, target)  # never write into a file the published site may share by hard link
    return h, True


def _read_stamp(path: Path) -> str:
    """The stamp of the last build that changed the output folders ('' before any)."""
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return ""
    except (OSError, UnicodeDecodeError):
        return "?"  # unreadable: matches no cache


def _link(source: Path, target: Path) -> bool:
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        tmp.unlink(missing_ok=True)
        os.link(source, tmp)
        os.replace(tmp, target)
        return True
    except OSError:
        return False


def _remove(folder: Path, path: str) -> None:
    target = folder / path
    target.unlink(missing_ok=True)
    parent = target.parent
    while parent != folder:
        try:
            parent.rmdir()
        except OSError:
            break
        parent = parent.parent


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directory entries in one system call; False when the system cannot."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0
