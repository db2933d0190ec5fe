"""Checkers of one value each: text and URLs, and the directory fields (postcode, identifiers,
contacts, opening hours, images, INSEE codes, import origin).

A checker takes (value as YAML gave it, its Field, the raw entry, the value's path) and returns
the value as entries hold it, or raises Invalid with a message naming the bad value and a hint
that shows the fix. read/validate.CHECKERS maps each field type to its checker.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Any, Callable
from urllib.parse import urlsplit

from ..model.contact import EMAIL, RNA, parse_phone
from ..model.hours import HoursError, parse as parse_hours
from ..model.kinds import Field, SLUG_PATTERN
from .source import IMAGE_FILES, RawEntry

URL_SCHEMES = ("http", "https", "mailto")
_SPACE = re.compile(r"\s")
_SLUG = re.compile(SLUG_PATTERN)
_POSTCODE = re.compile(r"^(?:0[1-9]|[1-8]\d|9[0-8])\d{3}$")  # 01000-98999: metropolitan, overseas, Monaco
# INSEE's official geographic codes: communes (Corsica 2A/2B), départements, régions.
INSEE_CODES = {
    "commune": re.compile(r"^(?:\d{5}|2[AB]\d{3})$"),
    "departement": re.compile(r"^(?:0[1-9]|[1-8]\d|9[0-5]|2[AB]|97[1-8])$"),
    "region": re.compile(r"^\d{2}$"),
}
INSEE_EXAMPLES = {"commune": "64102 or 2A004", "departement": "64, 2A or 974", "region": "75"}


class Invalid(Exception):
    """A value that breaks its field's type; carries the message and hint."""

    def __init__(self, message: str, hint: str = "", path: str = "") -> None:
        super().__init__(message)
        self.message, self.hint, self.path = message, hint, path


def type_name(value: Any) -> str:
    return {str: "text", int: "a number", float: "a number", bool: "true/false", list: "a list",
            dict: "a mapping"}.get(type(value), type(value).__name__)


def check_str(value: Any, spec: Field, raw: RawEntry, path: str) -> str:
    if isinstance(value, str):
        text = value
    elif path in raw.raw:  # YAML read `no`, `1984` or `3.0` as non-text: keep what was written
        text = raw.raw[path]
    else:
        raise Invalid(f"expected text, got {type_name(value)}", "write it on one line after the colon")
    text = text.strip()
    if spec.type == "str" and "\n" in text:
        raise Invalid("expected a single line of text", "remove the line breaks")
    if len(text) > 2000:
        raise Invalid(f"text is {len(text)} characters long, over 2000", "move details to the body")
    return text


def check_url(value: Any, spec: Field, raw: RawEntry, path: str, schemes: tuple[str, ...] = URL_SCHEMES) -> str:
    text = check_str(value, spec, raw, path)
    parts = urlsplit(text)
    if parts.scheme.lower() not in schemes:
        names = ", ".join(schemes[:-1]) + " or " + schemes[-1]
        raise Invalid(f"'{text}' is not an {names} URL", "write the full address, https://…")
    if parts.scheme.lower() != "mailto" and not parts.netloc:
        raise Invalid(f"'{text}' has no host name", "write the full address, https://…")
    if _SPACE.search(text):
        raise Invalid(f"'{text}' contains spaces", "encode spaces as %20")
    return text


def check_item(checker: Callable[[Any, Field, RawEntry, str], Any], value: Any, spec: Field, raw: RawEntry,
               path: str) -> Any:
    """Check one item of a list; a problem is reported at the item's own line, not the list's."""
    try:
        return checker(value, spec, raw, path)
    except Invalid as exc:
        exc.path = exc.path or path
        raise


def distinct_items(checker: Callable[[Any, Field, RawEntry, str], str], what: str, value: Any, spec: Field,
                   raw: RawEntry, path: str) -> tuple[str, ...]:
    """A list (`what`: « a list of slugs ») whose items pass `checker`, each once, in order."""
    if isinstance(value, str):
        raise Invalid(f"expected a list, got text '{value}'", f"write [{value}]")
    if not isinstance(value, list):
        raise Invalid(f"expected {what}, got {type_name(value)}")
    seen: dict[str, None] = {}  # ordered, and O(1) membership: a list would be quadratic
    for i, item in enumerate(value):
        where = f"{path}.{i}"
        text = check_item(checker, item, spec, raw, where)
        if text in seen:
            raise Invalid(f"'{text}' is listed twice", "remove the duplicate", where)
        seen[text] = None
    return tuple(seen)


def check_web_url(value: Any, spec: Field, raw: RawEntry, path: str) -> str:
    return check_url(value, spec, raw, path, ("http", "https"))


def check_urls(value: Any, spec: Field, raw: RawEntry, path: str) -> tuple[str, ...]:
    """A list of web addresses (social networks), each once."""
    return distinct_items(check_web_url, "a list of web addresses", value, spec, raw, path)


def check_postcode(value: Any, spec: Field, raw: RawEntry, path: str) -> str:
    text = check_str(value, spec, raw, path).replace(" ", "")
    if not _POSTCODE.match(text):
        raise Invalid(f"'{text}' is not a French postcode", "five digits, e.g. 64100")
    return text


def _digits(value: Any, spec: Field, raw: RawEntry, path: str) -> str:
    """An identifier as written, without the spaces and dots people put in it."""
    return re.sub(r"[\s.\u00a0\u202f]", "", check_str(value, spec, raw, path))


def _identifier(name: str, value: Any, spec: Field, raw: RawEntry, path: str,
                long_hint: Callable[[str], str]) -> str:
    """A SIRET or SIREN normalised by python-stdnum, or why not: too long or short (`long_hint(number)`
    says what was meant), a wrong check digit, not digits."""
    # imported here: most builds check no identifier (only changed files are read), and the
    # imports cost 15 ms of every process
    from stdnum.exceptions import InvalidChecksum, InvalidLength, ValidationError
    from stdnum.fr import siren, siret

    module = siret if name == "SIRET" else siren
    number = _digits(value, spec, raw, path)
    size = {"SIRET": 14, "SIREN": 9}[name]
    try:
        return module.validate(number)
    except InvalidLength:
        raise Invalid(f"'{number}' has {len(number)} digits, a {name} has {size}", long_hint(number)) from None
    except InvalidChecksum:
        raise Invalid(f"'{number}' is not a valid {name}: its check digit is wrong",
                      "copy it again from annuaire-entreprises.data.gouv.fr") from None
    except ValidationError:
        raise Invalid(f"'{number}' is not a {name}: {size} digits expected", "digits only, spaces allowed") from None


def check_siret(value: Any, spec: Field, raw: RawEntry, path: str) -> str:
    """14 digits, Luhn key (or La Poste's rule for its own establishments), normalised."""
    return _identifier("SIRET", value, spec, raw, path,
                       lambda _: "9 for a SIREN (write it as siren:), 14 for an establishment's SIRET")


def check_siren(value: Any, spec: Field, raw: RawEntry, path: str) -> str:
    """9 digits, Luhn key, normalised."""
    return _identifier("SIREN", value, spec, raw, path,
                       lambda n: "that is a SIRET: write it as siret:" if len(n) == 14 else "9 digits, spaces allowed")


def check_rna(value: Any, spec: Field, raw: RawEntry, path: str) -> str:
    """An association's number in the Répertoire national des associations: W and 9 characters."""
    text = _digits(value, spec, raw, path).upper()
    if not RNA.match(text):
        raise Invalid(f"'{text}' is not an RNA number", "W then 9 digits, e.g. W641000001; "
                      "older associations may have none: leave the field out")
    return text


def check_email(value: Any, spec: Field, raw: RawEntry, path: str) -> str:
    text = check_str(value, spec, raw, path)
    if text.lower().startswith("mailto:"):
        raise Invalid(f"'{text}' starts with mailto:", f"write the address alone: {text[7:]}")
    if not EMAIL.match(text):
        hint = "write it with @, e.g. contact@exemple.org" if "@" not in text else \
            "one @, no spaces, a domain with a dot: contact@exemple.org"
        raise Invalid(f"'{text}' is not an e-mail address", hint)
    return text


def check_phone(value: Any, spec: Field, raw: RawEntry, path: str) -> str:
    """A French or international number -> E.164 (+33320123456)."""
    text = check_str(value, spec, raw, path)
    try:
        return parse_phone(text)
    except ValueError:
        raise Invalid(f"'{text}' is not a valid phone number", "a French number has 10 digits, e.g. 05 59 12 34 56; "
                      "others start with + and the country code: +32 2 123 45 67") from None


def check_hours(value: Any, spec: Field, raw: RawEntry, path: str) -> str:
    """OpenStreetMap opening_hours, kept as written once it parses."""
    text = check_str(value, spec, raw, path)
    try:
        parse_hours(text)
    except HoursError as exc:
        where = f"'{text}': " if exc.part != text else ""
        raise Invalid(f"{where}{exc.message}, at '{exc.part}'",
                      exc.hint or "OpenStreetMap syntax, e.g. Mo-Fr 09:00-12:00,14:00-18:00; Sa 10:00-12:00") from None
    return text


def check_image(value: Any, spec: Field, raw: RawEntry, path: str) -> str:
    """A file next to the entry (`photo.jpg`) or under the site's assets (`/assets/photos/x.jpg`).

    Only the form is checked here; that the file exists is checked with the atlas (link/media.py).
    """
    text = check_str(value, spec, raw, path)
    if re.match(r"^[a-z][a-z0-9+.-]*:", text, re.I):
        raise Invalid(f"'{text}' is a URL: images come from the atlas's own files",
                      "save the file next to the entry, or under assets/, and write its name")
    pure = PurePosixPath(text)
    if "\\" in text or ".." in pure.parts or text.startswith("/") and not text.startswith("/assets/"):
        raise Invalid(f"'{text}' is not a file next to the entry or under /assets/",
                      "write photo.jpg (beside the entry) or /assets/photos/photo.jpg")
    if pure.suffix.lower() not in IMAGE_FILES:
        raise Invalid(f"'{text}' is not a JPEG, PNG, WebP or GIF file", "convert it, e.g. to .jpg")
    return text


def check_insee(value: Any, spec: Field, raw: RawEntry, path: str) -> str:
    """An INSEE code of a commune, département or région (which one the entry's type says)."""
    text = check_str(value, spec, raw, path).upper()
    if not any(pattern.match(text) for pattern in INSEE_CODES.values()):
        raise Invalid(f"'{text}' is not an INSEE code", "a commune has 5 characters (64102, 2A004), "
                      "a département 2 or 3 (64, 2A, 974), a région 2 (75); a postcode is not an INSEE code")
    return text


def check_origin(value: Any, spec: Field, raw: RawEntry, path: str) -> dict[str, str]:
    """Where an imported entry came from: {source: slug of the import source, id: its own id}."""
    if not isinstance(value, dict):
        raise Invalid(f"expected {{source, id}}, got {type_name(value)}", "written by build.py import: leave it as is")
    unknown = sorted(set(value) - {"source", "id"})
    if unknown:
        raise Invalid(f"unknown key '{unknown[0]}' in origin", "only source and id", f"{path}.{unknown[0]}")
    origin = {}
    for key in ("source", "id"):
        if value.get(key) in (None, ""):
            raise Invalid(f"origin needs '{key}'", "written by build.py import: leave it as is")
        origin[key] = check_str(value[key], Field(key, "str", ""), raw, f"{path}.{key}")
    if not _SLUG.match(origin["source"]):
        raise Invalid(f"'{origin['source']}' is not a slug", "the import source's identifier", f"{path}.source")
    return origin
