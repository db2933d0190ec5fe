"""--update: merge what the source says now into an entry a previous import wrote, keeping people's edits.

For each field (and the body) three values meet: `last`, what the previous import wrote (from the
state file); `current`, what the file holds now; `new`, what the source says today. The rule:

| current vs last | new            | result                         | recorded as imported |
| --------------- | -------------- | ------------------------------ | -------------------- |
| = (untouched)   | any            | new (removed when absent)      | new                  |
| ≠ (edited)      | = current      | current (they agree)           | new                  |
| ≠ (edited)      | = last         | current (source has no news)   | last                 |
| ≠ (edited)      | other          | current, listed as a conflict  | new                  |

so an edit is never overwritten, a conflict is listed once (the next import records the source's
value as seen), and a re-import of the same file finds current = last = new everywhere: no write.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .state import Record, body_digest
from .yamltext import DELETE

ABSENT = None  # a field missing from the file, the state or the row


@dataclass(frozen=True)
class FieldDecision:
    """The outcome of one field: what to write (or nothing), what to record, whether it conflicts."""

    write: Any  # the value to write, DELETE, or KEEP
    record: Any  # the value the state records as last imported (ABSENT: not recorded)
    conflict: bool = False
    kept_edit: bool = False


KEEP = object()  # leave the file's value as it is
UNKNOWN = object()  # what was imported, when the state lost it: equal to nothing


def decide(last: Any, current: Any, new: Any) -> FieldDecision:
    """One row of the module's table."""
    if current == last:
        if new == current:
            return FieldDecision(KEEP, new)
        return FieldDecision(DELETE if new is ABSENT else new, new)
    if new == current:
        return FieldDecision(KEEP, new)
    if new == last:
        return FieldDecision(KEEP, last, kept_edit=True)
    return FieldDecision(KEEP, new, conflict=True)


@dataclass
class Merge:
    """What an update does to one entry file."""

    changes: dict[str, Any] = field(default_factory=dict)  # field -> value or DELETE
    body: str | None = None  # the new body, None to keep the file's
    conflicts: list[tuple[str, Any, Any]] = field(default_factory=list)  # (field, in the file, in the source)
    kept: list[str] = field(default_factory=list)  # fields (or 'texte') edited by hand, source unchanged
    record: Record | None = None

    @property
    def changed(self) -> bool:
        return bool(self.changes) or self.body is not None


def merge(last: Record | None, current: dict[str, Any], current_body: str, new: dict[str, Any], new_body: str,
          file: str) -> Merge:
    """The merge of one entry; `last` None (state lost) treats every value in the file as edited.

    `current_body` is the digest of the file's body (state.body_digest), `new_body` the row's text.
    """
    out = Merge()
    recorded: dict[str, Any] = {}
    names = list(new) + [n for n in (last.fields if last else {}) if n not in new]
    for name in names:
        if last is not None:
            before = last.fields.get(name, ABSENT)
        else:
            before = ABSENT if current.get(name, ABSENT) is ABSENT else UNKNOWN
        decision = decide(before, current.get(name, ABSENT), new.get(name, ABSENT))
        if decision.write is not KEEP:
            out.changes[name] = decision.write
        if decision.conflict:
            out.conflicts.append((name, current.get(name, ABSENT), new.get(name, ABSENT)))
        if decision.kept_edit:
            out.kept.append(name)
        if decision.record is not ABSENT:
            recorded[name] = decision.record
    last_body = last.body if last else (UNKNOWN if current_body else "")
    body = decide(last_body, current_body, body_digest(new_body))
    if body.write is not KEEP:
        out.body = new_body
    if body.conflict:
        out.conflicts.append(("texte", "modifié à la main", "modifié dans la source"))
    if body.kept_edit:
        out.kept.append("texte")
    out.record = Record(file, recorded, body.record if isinstance(body.record, str) else "")
    return out
