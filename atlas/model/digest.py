"""The one content digest of the engine: what the cache compares to know that something changed."""

from __future__ import annotations

import hashlib

SIZE = 12  # bytes: 24 hex digits, collisions out of reach for any atlas


def digest(*parts: bytes | str) -> str:
    """blake2b of the parts, each length-prefixed so that ('ab', 'c') and ('a', 'bc') differ."""
    h = hashlib.blake2b(digest_size=SIZE)
    if len(parts) == 1:  # the common case, a file's bytes: no framing, the digest of the bytes
        part = parts[0]
        h.update(part.encode() if isinstance(part, str) else part)
        return h.hexdigest()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


TRUST_AFTER_NS = 2_000_000_000  # files modified in the last 2 s are read again: mtime ticks are coarse


def settled(mtime_ns: int) -> bool:
    """A file's size and modification time may stand for its bytes once it is older than
    TRUST_AFTER_NS (an edit in the same tick as the last read keeps both)."""
    import time

    return time.time_ns() - mtime_ns >= TRUST_AFTER_NS
