"""Make Pagefind's filter indexes byte-stable, so two builds of the same content are identical.

Pagefind (1.5) writes each filter's values in hash-map order, different on every run (upstream
issue Pagefind/pagefind#638: fragments were made stable, filter and meta indexes were not). A
filter file is gzip(b"pagefind_dcd" + CBOR [name, [[value, [page numbers]], …]]) named after its
hash; the language's meta file lists [name, hash] per filter and is itself named in
pagefind-entry.json. This module sorts the values, renames the files after a hash of their new
bytes and rewrites the two references. Anything unexpected raises: a Pagefind upgrade that
changes the format must be looked at (tests/test_find_pages.py builds twice and compares).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import struct
from pathlib import Path
from typing import Any

SIGNATURE = b"pagefind_dcd"


class FormatError(Exception):
    """The Pagefind bundle does not look like the version this code knows."""


def _decode(data: bytes, i: int = 0) -> tuple[Any, int]:
    """One CBOR item from data[i:] (the subset Pagefind writes): (value, next index)."""
    head = data[i]
    major, info = head >> 5, head & 0x1F
    i += 1
    if major == 7:
        simple = {20: False, 21: True, 22: None}
        if info in simple:
            return simple[info], i
        if info == 27:
            return struct.unpack(">d", data[i:i + 8])[0], i + 8
        raise FormatError(f"unsupported CBOR simple value {info}")
    if info < 24:
        arg = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        arg, i = int.from_bytes(data[i:i + size], "big"), i + size
    else:
        raise FormatError(f"unsupported CBOR length {info}")
    if major == 0:
        return arg, i
    if major == 1:
        return -1 - arg, i
    if major in (2, 3):
        raw = data[i:i + arg]
        return (raw if major == 2 else raw.decode("utf-8")), i + arg
    if major in (4, 5):
        items = []
        for _ in range(arg * (2 if major == 5 else 1)):
            item, i = _decode(data, i)
            items.append(item)
        return (items if major == 4 else dict(zip(items[::2], items[1::2]))), i
    raise FormatError(f"unsupported CBOR major type {major}")


def _head(major: int, arg: int) -> bytes:
    if arg < 24:
        return bytes([major << 5 | arg])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if arg < 1 << (8 * size):
            return bytes([major << 5 | info]) + arg.to_bytes(size, "big")
    raise FormatError(f"integer too large: {arg}")


def _encode(value: Any) -> bytes:
    if value is False or value is True or value is None:
        return bytes([0xE0 | {False: 20, True: 21, None: 22}[value]])
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, float):
        return b"\xfb" + struct.pack(">d", value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(_encode(v) for v in value)
    if isinstance(value, dict):
        return _head(5, len(value)) + b"".join(_encode(k) + _encode(v) for k, v in value.items())
    raise FormatError(f"cannot encode {type(value).__name__}")


def _read(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise FormatError(f"{path.name}: no Pagefind signature")
    value, end = _decode(data, len(SIGNATURE))
    if end != len(data):
        raise FormatError(f"{path.name}: trailing bytes")
    return value


def _write(folder: Path, prefix: str, digits: int, suffix: str, value: Any) -> str:
    """Write gzip(signature + CBOR) under a name made of a hash of the content; return the hash."""
    data = SIGNATURE + _encode(value)
    name = f"{prefix}{hashlib.sha256(data).hexdigest()[:digits]}"
    (folder / f"{name}{suffix}").write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    return name


def stabilise(bundle: Path) -> None:
    """Rewrite bundle/ (the pagefind/ folder) so that its bytes depend only on the indexed pages."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language in entry["languages"].values():
        old_meta = bundle / f"pagefind.{language['hash']}.pf_meta"
        meta = _read(old_meta)
        if not (isinstance(meta, list) and len(meta) == 6 and isinstance(meta[3], list)):
            raise FormatError(f"{old_meta.name}: unexpected layout")
        renamed: dict[str, str] = {}
        for name, old_hash in meta[3]:
            old_file = bundle / "filter" / f"{old_hash}.pf_filter"
            filter_name, values = _read(old_file)
            values = sorted(values, key=lambda pair: pair[0])
            prefix = old_hash.rpartition("_")[0] + "_"
            renamed[old_hash] = _write(bundle / "filter", prefix, 7, ".pf_filter", [filter_name, values])
            if renamed[old_hash] != old_hash:
                old_file.unlink()
        meta[3] = sorted([name, renamed[h]] for name, h in meta[3])
        prefix = language["hash"].rpartition("_")[0] + "_"
        new_hash = _write(bundle, f"pagefind.{prefix}", 10, ".pf_meta", meta)[len("pagefind."):]
        if new_hash != language["hash"]:
            old_meta.unlink()
        language["hash"] = new_hash
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
