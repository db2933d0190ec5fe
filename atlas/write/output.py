"""Write the site: prepare the next version beside the output, then swap it in at once.

The output is double-buffered. Beside `site/` lives a spare folder `.site.spare` holding the
previous version; a build writes the files whose bytes changed into the spare, brings the spare's
other differences from the site up to date (hard links from the site, deletions), and exchanges
the two folders with one system call (Linux renameat2 RENAME_EXCHANGE). The old site becomes the
next spare, which then differs from the new site exactly by what this build changed: the next
build's catch-up costs what changed. A build that changes nothing touches neither folder. A full
build writes over whatever old spare is there, removing at the end what it did not write (no
folder deleted and made again), and after the swap makes the new spare a copy of the site by hard
links (one per file: 2–4 s at 13,000 pages), so that the first edit after it costs what it
changed, as every later one. Killed at any moment, `site/` is the old site or the new one, never a mix; a
marker file says when the spare is half-updated, and such a spare is rebuilt from the site.

What the folders hold is known from the cache of the last build (the published digests and the
spare's differences), saved after the swap. A stamp file beside them names the last build that
changed them, and the cache records the stamp it knows: when they differ (a build killed between
the swap and the saving of its cache, a --no-cache build), neither folder is trusted and the
next build writes everything.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
from pathlib import Path

from ..model.digest import digest
from ..model.problems import AtlasError

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


def read_stamp(out: Path) -> str:
    """The stamp of the last build that changed the output folders ('' before any)."""
    try:
        return stamp_file(out).read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return ""
    except (OSError, UnicodeDecodeError):
        return "?"  # unreadable: matches no cache


def stamp_file(out: Path) -> Path:
    return out.parent / f".{out.name}.stamp"


def spare_usable(out: Path) -> bool:
    """The spare folder exists and no build was killed while changing it."""
    return (out.parent / f".{out.name}.spare").is_dir() and not (out.parent / f".{out.name}.spare-incomplete").exists()


class Output:
    """The next version of the site, being prepared in the spare folder.

    `known`: the site is what the cache says (else every file is written and the spare starts
    empty). `lag`: the paths where the spare differs from the site; None when the spare is not
    known, and is then made again from the site.
    """

    def __init__(self, out: Path, known: bool, lag: set[str] | None, stamp: str) -> None:
        self.out = out
        self.dir = out.parent / f".{out.name}.spare"
        self.marker = out.parent / f".{out.name}.spare-incomplete"
        self.known = known and out.is_dir()
        self.lag = lag if self.known else None
        self.stamp = stamp  # after commit(): the stamp the cache must record
        self.delta: dict[str, str | None] = {}  # path -> new digest (None: removed), against the site
        self.written_paths: list[str] = []
        self._dirs: set[str] = set()
        self._begun = False
        for stale in out.parent.glob(f".{out.name}.staging-*"):  # left by older versions
            shutil.rmtree(stale, ignore_errors=True)

    @property
    def written(self) -> int:
        return len(self.written_paths)

    def begin(self) -> None:
        """Mark the spare as being modified; make it the site's copy, or empty, when not known."""
        if self._begun:
            return
        self._begun = True
        self.marker.parent.mkdir(parents=True, exist_ok=True)  # --out in a folder not made yet
        self.marker.touch()
        if not self.known:  # every file is written; what else the spare holds goes at commit()
            if self.dir.is_symlink() or (self.dir.exists() and not self.dir.is_dir()):
                self.dir.unlink()
            self.dir.mkdir(parents=True, exist_ok=True)
        elif self.lag is None:
            mirror(self.out, self.dir)
            self.lag = set()

    def make_dirs(self, paths: list[str]) -> None:
        """Create the folders of many files at once, before forked workers race for them."""
        self.begin()
        for path in paths:
            self._parent(path)

    def _parent(self, path: str) -> None:
        folder = path.rpartition("/")[0]
        if folder and folder not in self._dirs:
            make_folder(self.dir / folder)
            self._dirs.add(folder)

    def put(self, path: str, data: bytes, published: str | None) -> str:
        """Add a file to the next version (`published`: its digest on the site); its digest."""
        h = digest(data)
        if h != published:
            self.begin()
            self._parent(path)
            write_file(self.dir / path, data)
        self.record(path, h, published)
        return h

    def record(self, path: str, h: str, published: str | None) -> None:
        """A file of the next version whose bytes (digest h) are in the spare if they differ from the site."""
        if path in self.delta:
            raise AtlasError(f"two pages would be written to {path}")
        if h != published:
            self.delta[path] = h
            self.written_paths.append(path)

    def remove(self, path: str) -> None:
        """A file of the site that the next version no longer has."""
        self.delta[path] = None

    @property
    def changed(self) -> bool:
        return bool(self.delta) or not self.known

    def commit(self) -> set[str] | None:
        """Publish the next version if it differs; return where the spare differs from it afterwards
        (None: a build that changed nothing kept a spare it did not know; the next build that changes
        something makes it again).

        From the stamp's writing until the cache is saved with `self.stamp`, a kill leaves a
        cache that no longer describes the folders: the new stamp, written first, says so.
        """
        if not self.changed:
            self.marker.unlink(missing_ok=True)
            return self.lag
        self.begin()
        if not self.known:
            sweep(self.dir, {p for p, h in self.delta.items() if h is not None})
        else:
            assert self.lag is not None
            for path in sorted(self.lag):  # the spare's own differences, where this build wrote nothing
                if path not in self.delta:
                    _restore(self.out, self.dir, path)
            for path, h in self.delta.items():
                if h is None:
                    _remove(self.dir, path)
        self._new_stamp()
        if not self.out.exists():
            self.dir.rename(self.out)
        elif not _exchange(self.dir, self.out):  # no renameat2: two renames, a tiny window without a site
            old = self.out.parent / f".{self.out.name}.old"
            shutil.rmtree(old, ignore_errors=True)
            self.out.rename(old)
            self.dir.rename(self.out)
            old.rename(self.dir)
        if not self.known:  # the spare is an old site of unknown content (or none): made the site's copy now,
            mirror(self.out, self.dir)  # in the long build, so that the first edit after it costs what it changed
        self.marker.unlink(missing_ok=True)
        # the old site, now the spare, differs by what this build changed; a mirrored one by nothing
        return set(self.delta) if self.known else set()

    def _new_stamp(self) -> None:
        self.stamp = os.urandom(8).hex()
        target = stamp_file(self.out)
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_text(self.stamp + "\n", encoding="ascii")
        os.replace(tmp, target)


def place(folder: Path, path: str, data: bytes, published: str | None) -> tuple[str, bool]:
    """Put `data` at folder/path unless the site has those bytes already; (digest, written?). Worker-safe."""
    h = digest(data)
    if h == published:
        return h, False
    target = folder / path
    target.parent.mkdir(parents=True, exist_ok=True)
    write_file(target, data)
    return h, True


def write_file(target: Path, data: bytes) -> None:
    """Replace, never write into: the file may be a hard link shared with the published site."""
    tmp = target.with_name(f".{target.name}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
    try:
        os.replace(tmp, target)
    except IsADirectoryError:  # an older spare had a folder there
        shutil.rmtree(target)
        os.replace(tmp, target)


def make_folder(folder: Path) -> None:
    """os.makedirs, removing a file of an older spare that stands where a folder goes."""
    try:
        os.makedirs(folder, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        blocker = folder
        while not blocker.is_file() and blocker.parent != blocker:
            blocker = blocker.parent
        blocker.unlink()
        os.makedirs(folder, exist_ok=True)


def mirror(source: Path, target: Path) -> None:
    """Make `target` a copy of `source` made of hard links, reusing what it holds: a file that is
    already the site's (same inode) stays, another is replaced by a link, one the site lacks goes.
    After a full build the spare is an older site: its folders are kept, not removed and made again."""
    target.mkdir(parents=True, exist_ok=True)
    wanted: set[str] = set()
    prefix = len(str(source)) + 1
    for folder, dirs, files in os.walk(source):
        rel = folder[prefix:]
        base = os.path.join(target, rel) if rel else str(target)
        for name in dirs:
            os.makedirs(os.path.join(base, name), exist_ok=True)
        for name in files:
            src, dst = os.path.join(folder, name), os.path.join(base, name)
            wanted.add(os.path.join(rel, name) if rel else name)
            try:
                if os.path.samestat(os.stat(src), os.lstat(dst)):
                    continue
            except FileNotFoundError:
                os.link(src, dst)
                continue
            tmp = os.path.join(base, f".{name}.tmp")
            if os.path.lexists(tmp):
                os.unlink(tmp)
            os.link(src, tmp)
            os.replace(tmp, dst)
    sweep(target, wanted)


def sweep(folder: Path, keep: set[str]) -> None:
    """Remove from `folder` every file whose relative path is not in `keep`, and the folders left empty."""
    prefix = len(str(folder)) + 1
    for here, dirs, files in os.walk(folder, topdown=False):
        rel = here[prefix:]
        for name in files:
            if (os.path.join(rel, name) if rel else name) not in keep:
                os.unlink(os.path.join(here, name))
        for name in dirs:
            path = os.path.join(here, name)
            if os.path.islink(path):
                os.unlink(path)
            elif not os.listdir(path):
                os.rmdir(path)


def _restore(site: Path, spare: Path, path: str) -> None:
    """Make spare/path what site/path is (a hard link), or absent if the site has no such file."""
    source = site / path
    if source.exists():
        target = spare / path
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.unlink(missing_ok=True)
        os.link(source, tmp)
        os.replace(tmp, target)
    else:
        _remove(spare, path)


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
