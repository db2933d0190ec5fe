"""--geocode: addresses to positions with the Base Adresse Nationale's CSV service, cached.

The service (adresse.data.gouv.fr `search/csv/`, an addok server) takes a CSV file in a multipart
form (`data`, and the `columns` that make up the query) and answers the same rows with
`latitude`, `longitude`, `result_score`, `result_type`, `result_label`… appended. Rows are sent in
batches; every answer is kept in `.atlas-cache/geocode.json` under the query text, so a re-import
sends nothing for an address it already asked about. A result under MIN_SCORE is not used.
"""

from __future__ import annotations

import csv
import io
import json
import os
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

from .options import BAN_URL

MIN_SCORE = 0.6
BATCH = 5000  # rows per request: the service accepts files of several megabytes
CACHE = Path(".atlas-cache") / "geocode.json"


@dataclass(frozen=True)
class Query:
    """What is sent for one row: its address, postcode and city."""

    address: str
    postcode: str
    city: str

    @property
    def key(self) -> str:
        return " | ".join((self.address, self.postcode, self.city)).lower()


@dataclass(frozen=True)
class Result:
    """The service's answer for one query (score 0 and no position when it found nothing)."""

    lat: float | None
    lon: float | None
    score: float
    type: str  # housenumber, street, locality, municipality
    label: str


class GeocodeError(Exception):
    """The service could not be reached or answered something unreadable (French message)."""


def geocode(queries: list[Query], root: Path, url: str = BAN_URL) -> tuple[dict[str, Result], int]:
    """A result for every query (from the cache or the service) and the number of requests made."""
    cache_path = root / CACHE
    cache = _load(cache_path)
    wanted = list({q.key: q for q in queries if q.key not in cache}.values())
    requests = 0
    for start in range(0, len(wanted), BATCH):
        batch = wanted[start:start + BATCH]
        answer = _post(url, *_form(batch))
        requests += 1
        for query, result in zip(batch, parse_answer(answer, len(batch))):
            cache[query.key] = result
    if wanted:
        _save(cache_path, cache)
    return {q.key: cache[q.key] for q in queries}, requests


def _form(batch: list[Query]) -> tuple[bytes, str]:
    """(body, content type) of the multipart form: the CSV and the columns that form the query."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["n", "adresse", "code_postal", "commune"])
    for i, q in enumerate(batch):
        writer.writerow([i, q.address, q.postcode, q.city])
    boundary = uuid.uuid4().hex
    parts = [("columns", "adresse"), ("columns", "code_postal"), ("columns", "commune")]
    body = b"".join(f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n".encode()
                    for name, value in parts)
    body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"data\"; filename=\"adresses.csv\"\r\n"
             "Content-Type: text/csv; charset=utf-8\r\n\r\n").encode() + text.getvalue().encode("utf-8")
    body += f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def _post(url: str, body: bytes, content_type: str) -> bytes:
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": content_type, "User-Agent": "atlas-ess import"})
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            return response.read()
    except (urllib.error.URLError, OSError) as exc:
        raise GeocodeError(f"service de géocodage injoignable ({url}) : {exc}") from None


def parse_answer(data: bytes, expected: int) -> list[Result]:
    """The service's CSV answer, row by row in the order sent (matched by the `n` column)."""
    text = data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    if not rows or "result_score" not in rows[0]:
        raise GeocodeError("réponse du service de géocodage illisible (pas de colonne result_score)")
    results: list[Result] = [Result(None, None, 0.0, "", "")] * expected
    for row in rows:
        try:
            index = int(row.get("n", ""))
        except ValueError:
            continue
        if 0 <= index < expected:
            results[index] = _result(row)
    return results


def _result(row: dict[str, str]) -> Result:
    try:
        lat, lon = float(row["latitude"]), float(row["longitude"])
        score = float(row.get("result_score") or 0)
    except (KeyError, TypeError, ValueError):
        return Result(None, None, 0.0, "", "")
    return Result(lat, lon, score, row.get("result_type") or "", row.get("result_label") or "")


def _load(path: Path) -> dict[str, Result]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {k: Result(*r) for k, r in data.items()}
    except (OSError, ValueError, TypeError):
        return {}


def _save(path: Path, cache: dict[str, Result]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({k: [r.lat, r.lon, r.score, r.type, r.label] for k, r in sorted(cache.items())},
                              ensure_ascii=False, indent=0), encoding="utf-8")
    os.replace(tmp, path)
