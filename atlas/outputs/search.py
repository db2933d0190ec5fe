"""Search: a Pagefind index built with Pagefind's Python API from what each page gave it when rendered.

Only entry pages carry `data-pagefind-body`, so lists and the home page stay out of the results;
filters and result fields come from the `data-pagefind-*` attributes of the templates (the
contract with templates/search-filters.html). Pagefind folds diacritics itself: « economie »
finds « Économie », so no folded copy of the text is indexed.

When a page is rendered, record() keeps what Pagefind reads of it — the element marked
`data-pagefind-body`, the tags carrying `data-pagefind-*` outside it, the page's language — and
the cache stores it with its digest. The index is made again only when some page's record
changed or a page came or went (incremental/decide.reindex), from every stored record: no HTML
file is read back. Pagefind's bundle is then made byte-stable (pagefind_stable.py).
"""

from __future__ import annotations

import base64
import json
import os
import re
import tempfile
import zlib
from pathlib import Path
from typing import Any, Iterable

from ..model.digest import digest
from ..model.problems import AtlasError
from .pagefind_stable import FormatError, stabilise

FOLDER = "pagefind"
_BODY = re.compile(rb"<([a-zA-Z][a-zA-Z0-9]*)\b[^>]*\bdata-pagefind-body\b[^>]*>")
_HTML = re.compile(rb"<html\b[^>]*>", re.I)
_TAGGED = re.compile(rb"<[a-zA-Z][^>]*\bdata-pagefind-(?:filter|meta|sort)\b[^>]*>")
BATCH = 200  # files sent to the Pagefind service before waiting for its answers
ANSWER_LIMIT = 1 << 31  # bytes of one answer of the service: the whole bundle, base64


def record(html: bytes) -> tuple[str, bytes] | None:
    """(digest of what Pagefind indexes of a page, that part compressed), or None when the page is
    not indexed (no `data-pagefind-body`)."""
    found = _BODY.search(html)
    if found is None:
        return None
    end = _closing(html, found.group(1), found.end())
    outside = b"".join(_TAGGED.findall(html, 0, found.start()) + _TAGGED.findall(html, end))
    opening = _HTML.search(html)
    page = (b"<!DOCTYPE html>" + (opening.group(0) if opening else b"<html>") + b'<head><meta charset="utf-8">'
            + b"</head><body>" + (b"<div hidden>" + outside + b"</div>" if outside else b"")
            + html[found.start():end] + b"</body></html>")
    return digest(page), zlib.compress(page, 1)


def _closing(html: bytes, tag: bytes, start: int) -> int:
    """The end of the element whose opening tag ends at `start` (same-name elements nested in it counted)."""
    pattern = re.compile(rb"<(/?)" + re.escape(tag) + rb"\b[^>]*>", re.I)
    depth = 1
    for match in pattern.finditer(html, start):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return match.end()
    return len(html)


def index(records: Iterable[tuple[str, bytes]], language: str) -> dict[str, bytes]:
    """The search bundle (path under the site -> bytes) of the stored records (url, compressed page)."""
    with tempfile.TemporaryDirectory(prefix="atlas-pagefind-") as folder:
        bundle = Path(folder) / FOLDER
        try:
            _run(_index(records, language, bundle))
        except (OSError, ValueError, AssertionError) as exc:
            raise AtlasError(f"pagefind failed: {exc}") from exc
        try:
            stabilise(bundle)
        except (FormatError, OSError, ValueError, KeyError) as exc:
            raise AtlasError(f"pagefind wrote an index this version of the atlas cannot make stable: {exc}; "
                             "install the pagefind version pinned in pyproject.toml") from exc
        return {f"{FOLDER}/{p.relative_to(bundle).as_posix()}": p.read_bytes()
                for p in sorted(bundle.rglob("*")) if p.is_file()}


def _run(task: Any) -> None:
    """Run a coroutine to its end, in a thread of its own when this one already runs an event loop
    (the preview server builds from its loop's thread). asyncio is imported here and in the
    coroutines below, not with the module: a build without a new index does not pay for it."""
    import asyncio
    import concurrent.futures

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(task)
        return
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, task).result()


async def _index(records: Iterable[tuple[str, bytes]], language: str, bundle: Path) -> None:
    import asyncio

    service = await _service().launch()
    try:
        index = await service.create_index({"force_language": language})
        batch: list[Any] = []
        for url, page in records:
            batch.append(index.add_html_file(content=zlib.decompress(page).decode("utf-8"), url="/" + url))
            if len(batch) >= BATCH:
                await asyncio.gather(*batch)
                batch = []
        await asyncio.gather(*batch)
        # The bundle comes back in the answer and is written here: the service answers WriteFiles
        # before its files are all written, and a file could be cut short when it stops.
        for file in await index.get_files():
            target = bundle / file["path"]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(file["content"])
    finally:
        await _stop(service)


async def _stop(service: Any) -> None:
    """End the service by closing its input, and wait for it to go."""
    import asyncio

    service._backend.stdin.close()
    try:
        await asyncio.wait_for(service._backend.wait(), timeout=60)
    except asyncio.TimeoutError:
        service._backend.kill()
        raise ValueError("the Pagefind service did not stop") from None
    finally:
        service._poll_task.cancel()


def _service() -> Any:
    """Pagefind's service client, reading its answers as they come.

    The client of pagefind 1.5.2 waits 0.1 s before reading each answer (`_wait_for_responses`),
    which makes 10,000 pages take 17 minutes; this reads them without the wait, with the same
    protocol (base64 JSON messages ended by a comma). Pinned with pagefind in pyproject.toml.
    """
    import asyncio

    try:
        from pagefind.service import PagefindService
    except ImportError:
        raise AtlasError("Pagefind is not installed: pip install 'pagefind[extended]' "
                         "(python3 dev.py does it), or build with --no-search") from None

    class Service(PagefindService):  # type: ignore[misc, valid-type]
        async def launch(self) -> "Service":
            # As PagefindService.launch, with room in the pipe's buffer for the whole bundle at once.
            self._backend = await asyncio.create_subprocess_exec(
                self._bin, "--service", cwd=os.getcwd(), stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT, limit=ANSWER_LIMIT)
            self._poll_task = self._loop.create_task(self._wait_for_responses())
            return self

        async def _wait_for_responses(self) -> None:
            while True:
                try:
                    output = await self._backend.stdout.readuntil(b",")
                except (asyncio.IncompleteReadError, asyncio.LimitOverrunError) as exc:  # the service stopped
                    for future in self._responses.values():
                        if not future.done():
                            future.set_exception(ValueError(f"the Pagefind service stopped ({exc})"))
                    return
                answer = json.loads(base64.b64decode(output[:-1]))
                future = self._responses.get(answer.get("message_id")) if answer else None
                if future is None or future.done():
                    continue
                payload = answer["payload"]
                if payload.get("type") == "Error":
                    future.set_exception(ValueError(payload.get("message", "error")))
                else:
                    future.set_result(payload)

    return Service()
