"""Cell -> field value, checked as the content model checks it; a bad cell raises Bad (French message).

Every function takes what a reader gave (text, a number, a date) and returns the value as it will
be written in the front matter, or raises `Bad` with the message and the hint shown in the report
(« 12345678901234 n'est pas un SIRET valide (clé de contrôle) »). Spreadsheets are messy: numbers
written with a decimal comma, SIRETs that lost their type and became floats, postcodes that lost
their leading zero, HTML pasted into names.
"""

from __future__ import annotations

import datetime as dt
import html.parser
import math
import re
import unicodedata
from typing import Any
from urllib.parse import urlsplit

import phonenumbers
from stdnum import exceptions as stdnum_errors
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret


class Bad(Exception):
    """A cell that cannot become its field's value: the French message and a hint."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


# A spreadsheet runs a cell starting with one of these as a formula (OWASP, CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = dict.fromkeys(c for c in range(32) if c not in (9, 10))  # keep tab and newline
_CONTROL.update(dict.fromkeys((0x7F, 0xFEFF, 0x200B, 0x2028, 0x2029)))
_SPACES = re.compile(r"[ \t\u00a0\u202f]+")
_BLANK_LINES = re.compile(r"\n\s*\n\s*")


def looks_like_formula(text: str) -> bool:
    """True when a spreadsheet would evaluate this cell (it is imported as text all the same)."""
    return text.startswith(FORMULA_START) and len(text) > 1 and not _NUMBER.match(text.strip())


def as_text(value: Any) -> str:
    """Any cell as text: integral floats without '.0' (a SIRET read as a number), dates in ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    if isinstance(value, (list, tuple)):
        return ", ".join(as_text(v) for v in value if as_text(v))
    return str(value)


class _Text(html.parser.HTMLParser):
    """HTML to plain text: tags dropped, blocks and <br> as line breaks, script/style content dropped."""

    BLOCKS = {"p", "div", "br", "li", "ul", "ol", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section",
              "article", "blockquote", "table"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.hidden += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n\n" if tag != "br" else "\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def strip_html(text: str) -> str:
    """Tags removed, entities decoded, paragraphs kept as blank lines; plain text passes untouched."""
    if "<" not in text and "&" not in text:
        return text
    parser = _Text()
    parser.feed(text)
    parser.close()
    return "".join(parser.parts)


def clean_text(value: Any, multiline: bool = False) -> str:
    """Text of a cell: HTML stripped, control characters dropped, spaces collapsed, trimmed."""
    text = strip_html(as_text(value)).translate(_CONTROL).replace("\r\n", "\n").replace("\r", "\n")
    if not multiline:
        return _SPACES.sub(" ", text.replace("\n", " ")).strip()
    paragraphs = (_SPACES.sub(" ", p).strip() for p in _BLANK_LINES.split(text))
    lines = ("\n".join(line.strip() for line in p.split("\n")) for p in paragraphs)
    return "\n\n".join(p for p in lines if p)


def single_line(value: Any, limit: int = 300) -> str:
    """A name, an address, a city: one line, at most `limit` characters."""
    text = clean_text(value)
    if len(text) > limit:
        raise Bad(f"texte de {len(text)} caractères, plus de {limit}", "raccourcissez-le ou mettez-le dans le texte")
    return text


def summary(value: Any) -> str:
    """One or two sentences: one line, the model's 2,000-character limit."""
    return single_line(value, 2000)


def body(value: Any) -> str:
    """The Markdown body: paragraphs kept, HTML turned into text."""
    return clean_text(value, multiline=True)


_NUMBER = re.compile(r"^[-+]?\d[\d \u00a0\u202f]*(?:[.,]\d+)?$|^[-+]?[.,]\d+$")


def number(value: Any) -> float:
    """A decimal number; « 50,6311 » (French decimal comma) and « 1 300 » (spaced thousands) accepted."""
    if isinstance(value, bool):
        raise Bad(f"{as_text(value)} n'est pas un nombre")
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            raise Bad(f"{value} n'est pas un nombre")
        return float(value)
    text = clean_text(value)
    if not _NUMBER.match(text):
        raise Bad(f"{text} n'est pas un nombre", "chiffres seulement, virgule ou point décimal : 50,6311")
    return float(re.sub(r"[ \u00a0\u202f]", "", text).replace(",", "."))


def whole(value: Any) -> int:
    """A count (staff, members): a whole, positive number."""
    found = number(value)
    if not found.is_integer() or found < 0:
        raise Bad(f"{as_text(value)} n'est pas un nombre entier positif")
    return int(found)


def year(value: Any) -> int:
    """A year, from « 2009 » or a full date « 2009-05-12 » / « 12/05/2009 »."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.year
    text = clean_text(value)
    found = re.fullmatch(r"(\d{4})(?:[-/]\d{1,2}(?:[-/]\d{1,2})?)?|\d{1,2}/\d{1,2}/(\d{4})", text)
    if not found or not 1000 <= int(found.group(1) or found.group(2)) <= 2100:
        raise Bad(f"{text} n'est pas une année", "quatre chiffres : 2009")
    return int(found.group(1) or found.group(2))


def date(value: Any) -> str:
    """A date as YYYY-MM-DD, from ISO (with a time) or the French DD/MM/YYYY."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    text = clean_text(value)
    iso = re.match(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$", text)
    french = re.match(r"^(\d{1,2})/(\d{1,2})/(\d{4})$", text)
    try:
        if iso:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3])).isoformat()
        if french:
            return dt.date(int(french[3]), int(french[2]), int(french[1])).isoformat()
    except ValueError:
        pass
    raise Bad(f"{text} n'est pas une date", "AAAA-MM-JJ ou JJ/MM/AAAA : 2024-03-15")


def _digits(value: Any, name: str, allowed: str = r"[\s.\-\u00a0\u202f]") -> str:
    text = re.sub(allowed, "", as_text(value))
    if not text.isdigit():
        raise Bad(f"{clean_text(value)} n'est pas un {name} valide (chiffres seulement)")
    return text


def siret(value: Any) -> str:
    """14 digits with a valid Luhn key (La Poste's establishments have their own rule: stdnum knows)."""
    text = _digits(value, "SIRET")
    if len(text) == 13 and isinstance(value, (int, float)):
        text = "0" + text  # a spreadsheet stored it as a number and dropped the leading zero
    if len(text) != 14:
        raise Bad(f"{text} n'est pas un SIRET valide ({len(text)} chiffres au lieu de 14)")
    try:
        return stdnum_siret.validate(text)
    except stdnum_errors.InvalidChecksum:
        raise Bad(f"{text} n'est pas un SIRET valide (clé de contrôle)",
                  "vérifiez-le sur annuaire-entreprises.data.gouv.fr") from None
    except stdnum_errors.ValidationError as exc:
        raise Bad(f"{text} n'est pas un SIRET valide ({exc})") from None


def siren(value: Any) -> str:
    """9 digits with a valid Luhn key."""
    text = _digits(value, "SIREN")
    if len(text) == 8 and isinstance(value, (int, float)):
        text = "0" + text
    if len(text) != 9:
        raise Bad(f"{text} n'est pas un SIREN valide ({len(text)} chiffres au lieu de 9)")
    try:
        return stdnum_siren.validate(text)
    except stdnum_errors.InvalidChecksum:
        raise Bad(f"{text} n'est pas un SIREN valide (clé de contrôle)") from None
    except stdnum_errors.ValidationError as exc:
        raise Bad(f"{text} n'est pas un SIREN valide ({exc})") from None


def rna(value: Any) -> str:
    """The associations register number: W and 9 digits (« W595012345 »)."""
    text = re.sub(r"\s", "", clean_text(value)).upper()
    if not re.fullmatch(r"W\d{9}", text):
        raise Bad(f"{clean_text(value)} n'est pas un numéro RNA valide", "W suivi de 9 chiffres : W595012345")
    return text


def postcode(value: Any) -> str:
    """Five digits, as text; a leading zero lost by a spreadsheet (« 1000 » for 01000) is put back."""
    text = re.sub(r"[\s\u00a0]", "", as_text(value))
    if re.fullmatch(r"\d{4}", text):
        text = "0" + text
    if not re.fullmatch(r"\d{5}", text):
        raise Bad(f"{clean_text(value)} n'est pas un code postal", "cinq chiffres : 59000")
    return text


_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")


def email(value: Any) -> str:
    """An address; 'mailto:' and surrounding spaces removed, the domain lowercased."""
    text = clean_text(value).removeprefix("mailto:").strip()
    if not _EMAIL.match(text) or ".." in text:
        raise Bad(f"{text} n'est pas une adresse électronique valide", "nom@domaine.fr")
    local, _, domain = text.rpartition("@")
    return f"{local}@{domain.lower()}"


def phone(value: Any) -> str:
    """A French or international number in E.164 (« 03 20 12 34 56 » -> +33320123456)."""
    text = clean_text(value)
    digits = re.sub(r"\D", "", text)
    if isinstance(value, (int, float)) and len(digits) == 9:
        text = "0" + digits  # « 320123456 »: a spreadsheet number that lost its leading 0
    try:
        parsed = phonenumbers.parse(text, "FR")
    except phonenumbers.NumberParseException:
        raise Bad(f"{text} n'est pas un numéro de téléphone", "03 20 12 34 56 ou +33 3 20 12 34 56") from None
    if not phonenumbers.is_valid_number(parsed):
        raise Bad(f"{text} n'est pas un numéro de téléphone valide", "03 20 12 34 56 ou +33 3 20 12 34 56")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def url(value: Any) -> str:
    """An http(s) address; « www.exemple.fr » gets https:// (the model refuses a URL without scheme)."""
    text = clean_text(value)
    if re.match(r"^www\.|^[a-z0-9-]+(\.[a-z0-9-]+)+(/|$)", text, re.I) and "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or "." not in parts.netloc:
        raise Bad(f"{text} n'est pas une adresse web", "l'adresse complète : https://exemple.fr/")
    if re.search(r"\s", text):
        raise Bad(f"{text} contient des espaces", "une seule adresse par cellule, sans espace")
    return text


def urls(value: Any) -> list[str]:
    """Several addresses in one cell, separated by spaces, commas, semicolons, '|' or line breaks."""
    items = value if isinstance(value, list) else re.split(r"[\s,;|]+", as_text(value))
    return [url(item) for item in items if as_text(item).strip()]


# OpenStreetMap opening_hours, the subset directories use: days, times, 24/7, off, PH.
_DAY = r"(?:Mo|Tu|We|Th|Fr|Sa|Su|PH|SH)"
_DAYS = rf"{_DAY}(?:-{_DAY})?(?:,{_DAY}(?:-{_DAY})?)*"
_TIME = r"(?:[01]\d|2[0-4]):[0-5]\d"
_TIMES = rf"{_TIME}-{_TIME}(?:,{_TIME}-{_TIME})*"
_RULE = re.compile(rf"^(?:24/7|(?:{_DAYS})(?: (?:{_TIMES}|off|closed))?|{_TIMES})$")


def opening_hours(value: Any) -> str:
    """OpenStreetMap syntax (« Mo-Fr 09:00-12:00,14:00-18:00; Sa 10:00-12:00 »), kept as written."""
    text = clean_text(value)
    for rule in (r.strip() for r in text.split(";")):
        if rule and not _RULE.match(rule):
            raise Bad(f"horaires « {text} » : « {rule} » n'est pas au format OpenStreetMap",
                      "par exemple Mo-Fr 09:00-12:00,14:00-18:00; Sa 10:00-12:00")
    return "; ".join(r.strip() for r in text.split(";") if r.strip())


def fold(text: str) -> str:
    """Lowercase ASCII without accents, for comparing labels typed in many ways."""
    text = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "oe"))
    return "".join(c for c in text if not unicodedata.combining(c)).lower().strip()
