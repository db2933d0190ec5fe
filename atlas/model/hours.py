"""Opening hours in OpenStreetMap syntax, the common subset, parsed, checked and read in French.

What data·inclusion's `horaires_accueil` and OpenStreetMap's `opening_hours` hold for a
reception desk: `24/7`, or rules separated by `;`, each with optional days (`Mo-Fr`, `Sa,Su`,
`PH` public holidays, `SH` school holidays) and time ranges (`09:00-12:00,14:00-18:00`) or
`off`. As in OpenStreetMap, a later rule replaces what an earlier one said for its days
(`Mo-Fr 09:00-18:00; We off`), and a day no rule names is closed. Months, weeks, dates and
comments are outside the subset: refused with a message, never misread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
HOLIDAYS = ("PH", "SH")
FRENCH_DAYS = {"Mo": "lundi", "Tu": "mardi", "We": "mercredi", "Th": "jeudi", "Fr": "vendredi",
               "Sa": "samedi", "Su": "dimanche", "PH": "jours fériés", "SH": "vacances scolaires"}
SCHEMA_DAYS = {"Mo": "Monday", "Tu": "Tuesday", "We": "Wednesday", "Th": "Thursday", "Fr": "Friday",
               "Sa": "Saturday", "Su": "Sunday", "PH": "PublicHolidays"}
# What contributors write instead of the English two-letter days.
_FRENCH_ABBREVIATIONS = {"lu": "Mo", "ma": "Tu", "me": "We", "je": "Th", "ve": "Fr", "sa": "Sa", "di": "Su",
                         "lun": "Mo", "mar": "Tu", "mer": "We", "jeu": "Th", "ven": "Fr", "sam": "Sa",
                         "dim": "Su", "lundi": "Mo", "mardi": "Tu", "mercredi": "We", "jeudi": "Th",
                         "vendredi": "Fr", "samedi": "Sa", "dimanche": "Su"}
_MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
_TIME = re.compile(r"^(\d{2}):(\d{2})$")
_LOOSE_TIME = re.compile(r"^(\d{1,2})\s*(?:[hH:.]\s*(\d{2})?)?$")  # 9h, 9h30, 9:30, 9.30, 9
_DAY_PART = re.compile(r"^[A-Za-zéû]{2,}(?:-[A-Za-zéû]{2,})?$")


class HoursError(ValueError):
    """A mistake in an opening_hours value: what was expected, at which part, and the fix."""

    def __init__(self, message: str, part: str, hint: str = "") -> None:
        super().__init__(f"{message}, at '{part}'")
        self.message, self.part, self.hint = message, part, hint


@dataclass(frozen=True)
class Span:
    """From `start` to `end`, in minutes after midnight; an end before the start runs past midnight."""

    start: int
    end: int


@dataclass(frozen=True)
class Rule:
    """Days (week days in order, then PH/SH) and their time spans; no span: closed (`off`)."""

    days: tuple[str, ...]
    spans: tuple[Span, ...]
    additional: bool = False  # after a ',' (`Mo-Fr 08:00-12:00, We 14:00-18:00`): adds, replaces nothing


@dataclass(frozen=True)
class Hours:
    """A parsed value: always open (`24/7`) or its rules in the order written."""

    rules: tuple[Rule, ...]
    always: bool = False


def parse(text: str) -> Hours:
    """The rules of an opening_hours value; HoursError at the first part outside the subset."""
    text = text.strip()
    if not text:
        raise HoursError("empty value", text, "leave the field out, or write e.g. Mo-Fr 09:00-17:00")
    if text == "24/7":
        return Hours((), always=True)
    rules = []
    parts = text.split(";")
    for i, part in enumerate(parts):
        part = part.strip()
        if not part:
            if i == len(parts) - 1:
                continue  # a final ';' is harmless
            raise HoursError("empty rule between two ';'", text, "remove one ';'")
        rules.extend(_rules(part))
    return Hours(tuple(rules))


_ADDITIONAL = re.compile(r",\s*(?=[A-Za-z])")  # a ',' then days: an additional rule


def _rules(part: str) -> list[Rule]:
    """One rule, and the additional ones a ',' before days adds to it."""
    words = part.split(None, 1)
    if _looks_like_days(words[0]):
        days, rest = _days(words[0]), words[1].strip() if len(words) > 1 else ""
        if not rest:
            raise HoursError("days without hours", part, f"write e.g. {words[0]} 09:00-17:00, or {words[0]} off")
    else:
        days, rest = DAYS, part
    first, *more = _ADDITIONAL.split(rest)
    found = [_rule(days, first.strip())]
    for extra in more:
        rule = _rules(extra)[0]
        if rule.days == DAYS:
            raise HoursError("expected days after ','", extra, "write e.g. Mo-Fr 08:00-12:00, We 14:00-18:00")
        found.append(Rule(rule.days, rule.spans, additional=True))
    return found


def _rule(days: tuple[str, ...], rest: str) -> Rule:
    if rest in ("off", "closed"):
        return Rule(days, ())
    return Rule(days, tuple(_span(s.strip(), rest) for s in rest.split(",")))


def _looks_like_days(word: str) -> bool:
    return not word[:1].isdigit() and word not in ("off", "closed")


def _days(selector: str) -> tuple[str, ...]:
    """`Mo-Fr,Su,PH` -> ('Mo', 'Tu', 'We', 'Th', 'Fr', 'Su', 'PH'), week order then holidays."""
    found: set[str] = set()
    for item in selector.split(","):
        if not _DAY_PART.match(item):
            hint = "remove the ':' after the days" if item.endswith(":") else ""
            raise HoursError("expected days like Mo-Fr, Sa,Su or PH", item or selector, hint)
        first, _, last = item.partition("-")
        for name in (first, last) if last else (first,):
            _check_day(name, item)
        if not last:
            found.add(first)
        elif first in HOLIDAYS or last in HOLIDAYS:
            raise HoursError("PH and SH take no range", item, "write them apart: Mo-Fr,PH")
        else:
            i, j = DAYS.index(first), DAYS.index(last)
            found.update(DAYS[(i + k) % 7] for k in range((j - i) % 7 + 1))  # Sa-Mo runs over Sunday
    return tuple(d for d in DAYS + HOLIDAYS if d in found)


def _check_day(name: str, item: str) -> None:
    if name in DAYS or name in HOLIDAYS:
        return
    if name in _MONTHS:
        raise HoursError("months are not supported here", item,
                         "give the usual hours, and seasonal ones in the text")
    english = "-".join(_english(n) for n in item.split("-"))
    hint = f"write {english}" if all(_english(n) for n in item.split("-")) else "write Mo Tu We Th Fr Sa Su, PH or SH"
    raise HoursError(f"unknown day '{name}'", item, hint + ": OpenStreetMap days are in English")


def _english(name: str) -> str:
    """The OpenStreetMap day for a French or miscased one ('Lu', 'lundi', 'mo' -> 'Mo'), else ''."""
    return _FRENCH_ABBREVIATIONS.get(name.lower()) or (name.capitalize() if name.capitalize() in DAYS else "")


def _span(text: str, rest: str) -> Span:
    if " " in text:
        raise HoursError("time ranges are separated by commas", text, "write 09:00-12:00,14:00-18:00")
    start, sep, end = text.partition("-")
    if not sep:
        raise HoursError("expected a time range HH:MM-HH:MM", text, "write e.g. 09:00-12:00")
    first, last = _minutes(start.strip(), text), _minutes(end.strip(), text)
    if first >= 24 * 60:
        raise HoursError("a range cannot start at 24:00", text, "write 00:00")
    if first == last:
        raise HoursError("a range that ends when it starts", text, "write 00:00-24:00 for the whole day")
    return Span(first, last)


def _minutes(value: str, span: str) -> int:
    found = _TIME.match(value)
    if found is None:
        loose = _LOOSE_TIME.match(value)
        if loose is not None and int(loose.group(1)) <= 24:
            fixed = f"{int(loose.group(1)):02d}:{loose.group(2) or '00'}"
            raise HoursError("expected a time as HH:MM", span, f"write {_fix(span)}" if _fix(span) else
                             f"write {fixed}")
        raise HoursError("expected a time as HH:MM", span, "write e.g. 09:00-12:00")
    hours, minutes = int(found.group(1)), int(found.group(2))
    if hours > 24 or minutes > 59 or hours == 24 and minutes:
        raise HoursError(f"'{value}' is not a time of day", span, "hours 00 to 24, minutes 00 to 59")
    return hours * 60 + minutes


def _fix(span: str) -> str:
    """'9h-12h30' -> '09:00-12:30', or '' when a side cannot be read."""
    sides = []
    for side in span.split("-"):
        loose = _LOOSE_TIME.match(side.strip())
        if loose is None or int(loose.group(1)) > 24:
            return ""
        sides.append(f"{int(loose.group(1)):02d}:{loose.group(2) or '00'}")
    return "-".join(sides) if len(sides) == 2 else ""


def week(hours: Hours) -> dict[str, tuple[Span, ...]]:
    """Each day (and PH/SH when a rule names them) -> its spans, later rules winning; () closed."""
    if hours.always:
        return {d: (Span(0, 24 * 60),) for d in DAYS}
    days: dict[str, tuple[Span, ...]] = {d: () for d in DAYS}
    for rule in hours.rules:
        for day in rule.days:
            spans = days.get(day, ()) + rule.spans if rule.additional else rule.spans
            days[day] = tuple(sorted(spans, key=lambda s: s.start))
    return days


def french_time(minutes: int) -> str:
    """« 9 h », « 12 h 30 », « 0 h »."""
    hours, rest = divmod(minutes, 60)
    return f"{hours}\u00a0h" + (f"\u00a0{rest:02d}" if rest else "")


def french_spans(spans: tuple[Span, ...]) -> str:
    """« 9 h – 12 h, 14 h – 18 h » or « fermé »."""
    if not spans:
        return "fermé"
    return ", ".join(f"{french_time(s.start)} – {french_time(s.end)}" for s in spans)


def french_days(days: list[str]) -> str:
    """« lundi », « samedi et dimanche », « lundi au vendredi » for a run of consecutive days."""
    names = [FRENCH_DAYS[d] for d in days]
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]} et {names[1]}"
    return f"{names[0]} au {names[-1]}"


@dataclass(frozen=True)
class Row:
    """One line of the French table: days and what they hold."""

    days: str
    hours: str


def french_rows(hours: Hours) -> list[Row]:
    """The table a page shows: consecutive days with the same hours on one row, holidays last."""
    if hours.always:
        return [Row("tous les jours", "24\u00a0h sur 24")]
    schedule = week(hours)
    rows: list[Row] = []
    run: list[str] = []
    for day in DAYS:
        if run and schedule[day] != schedule[run[-1]]:
            rows.append(Row(french_days(run), french_spans(schedule[run[-1]])))
            run = []
        run.append(day)
    rows.append(Row(french_days(run), french_spans(schedule[run[-1]])))
    rows += [Row(FRENCH_DAYS[d], french_spans(schedule[d])) for d in HOLIDAYS if d in schedule]
    return rows


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def schema_org(hours: Hours) -> list[dict[str, object]]:
    """schema.org `openingHoursSpecification`: one node per time span, with the days that share it.

    Closed days are left out, as schema.org advises; school holidays have no schema.org day.
    24:00 is written 23:59, the last minute schema.org's Time can say.
    """
    schedule = week(hours)
    groups: dict[Span, list[str]] = {}
    for day in DAYS + ("PH",):
        for span in schedule.get(day, ()):
            groups.setdefault(span, []).append(SCHEMA_DAYS[day])
    return [{"@type": "OpeningHoursSpecification", "dayOfWeek": days if len(days) > 1 else days[0],
             "opens": _clock(span.start), "closes": _clock(min(span.end, 24 * 60 - 1))}
            for span, days in groups.items()]
