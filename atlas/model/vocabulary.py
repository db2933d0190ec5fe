"""The content model of one atlas: its kinds, the fields of each kind, the types of each kind.

The built-in fields and types (model/kinds.py) are the defaults; an atlas adds its own in its
settings, `types:` (a new value of a kind's `type`, or a new label for a built-in one) and
`fields:` (extra fields, validated like the built-in ones). `Model` is a frozen record made once
per run from the settings and handed to whatever needs it (validation, linking, pages, exports,
schemas, `new`): nothing reads a global that settings would have changed.

Settings, as atlas.yaml (or the file it names) writes them:

    types:
      territories:
        agglomeration: {label: Communauté d'agglomération, plural: Communautés d'agglomération,
                        schema_org: AdministrativeArea, description: Intercommunalité.}
    fields:
      actors:
        agrement_esus: {type: boolean, label: Agrément ESUS, show: true, export: true}
        reseau: {type: reference, to: actors, label: Réseau local}
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from typing import Any

from .kinds import BUILTIN_TYPES, ENTRY_KINDS, KINDS, SCHEMAS, Field, Kind, TypeDef
from .problems import Problem, closest

# Extra field types as a site writes them -> the validator's field types (read/validate.CHECKERS).
FIELD_TYPES: dict[str, str] = {"text": "text", "number": "number", "integer": "int", "boolean": "bool",
                               "date": "date", "url": "url", "list": "strs", "reference": "ref"}
# schema.org types a site may give its own types, per kind (what the JSON-LD knows how to state).
SCHEMA_ORG: dict[str, tuple[str, ...]] = {
    "actors": ("Organization", "NGO", "Corporation", "GovernmentOrganization", "LocalBusiness",
               "EducationalOrganization", "MedicalOrganization", "ResearchOrganization", "SportsOrganization",
               "PerformingGroup", "FundingScheme", "Consortium", "WorkersUnion", "Project"),
    "places": ("Place", "CivicStructure", "LocalBusiness", "Restaurant", "CafeOrCoffeeShop", "Store", "Library",
               "Museum", "PerformingArtsTheater", "Park", "LodgingBusiness", "SportsActivityLocation", "School",
               "Farm"),
    "programmes": ("Service", "GovernmentService", "MonetaryGrant", "FinancialProduct",
                   "EducationalOccupationalProgram", "Course"),
    "territories": ("AdministrativeArea", "Country", "State", "City", "Place"),
}
TYPE_KEYS = ("label", "plural", "schema_org", "description")
FIELD_KEYS = ("type", "label", "help", "required", "show", "export", "to", "example")
_FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_TYPE_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Model:
    """Kinds, the fields of each kind (built-in then extra, `type` choices filled in) and the types
    of each kind. Its mappings are never changed after it is made."""

    kinds: dict[str, Kind]
    fields: dict[str, tuple[Field, ...]]
    types: dict[str, tuple[TypeDef, ...]]
    digest: str = ""  # names the settings it was made from (caches key validated entries on it)
    _maps: dict[str, dict[str, Field]] = field(default_factory=dict, repr=False, compare=False)
    _types: dict[tuple[str, str], TypeDef] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._maps.update({k: {f.name: f for f in fs} for k, fs in self.fields.items()})
        self._types.update({(k, d.name): d for k, defs in self.types.items() for d in defs})

    def field_map(self, kind: str) -> dict[str, Field]:
        """The fields of a kind by name."""
        return self._maps[kind]

    def extra(self, kind: str) -> tuple[Field, ...]:
        """The fields the site declared for a kind, in the order written."""
        return tuple(f for f in self.fields[kind] if f.extra)

    def ref_kind(self, kind: str, name: str) -> str:
        """The kind a reference field points at."""
        return self._maps[kind][name].ref

    def type_names(self, kind: str) -> tuple[str, ...]:
        return tuple(d.name for d in self.types.get(kind, ()))

    def type_def(self, kind: str, name: str) -> TypeDef | None:
        return self._types.get((kind, name))

    def type_label(self, kind: str, name: str) -> str:
        """The French label of a type value, '' when there is none."""
        found = self._types.get((kind, name))
        return found.label if found else ""


def make(types: dict[str, Any] | None = None, fields: dict[str, Any] | None = None) -> Model:
    """The model of an atlas from its checked settings (`problems()` says what is wrong with them)."""
    types, fields = types or {}, fields or {}
    all_types = {kind: _merge_types(BUILTIN_TYPES.get(kind, ()), types.get(kind) or {})
                 for kind in ENTRY_KINDS if kind in BUILTIN_TYPES or types.get(kind)}
    schemas = {}
    for kind, builtin in SCHEMAS.items():
        names = tuple(d.name for d in all_types.get(kind, ()))
        own = tuple(replace(f, choices=names) if f.name == "type" else f for f in builtin)
        schemas[kind] = own + tuple(_extra_field(name, spec) for name, spec in (fields.get(kind) or {}).items())
    digest = hashlib.blake2b(repr((sorted(types.items()), sorted(fields.items()))).encode(),
                             digest_size=8).hexdigest()
    return Model(dict(KINDS), schemas, all_types, digest)


def _merge_types(builtin: tuple[TypeDef, ...], own: dict[str, Any]) -> tuple[TypeDef, ...]:
    """Built-in types, relabelled where the site says so, then the site's new ones."""
    merged = {d.name: d for d in builtin}
    for name, spec in own.items():
        base = merged.get(name)
        label = str(spec.get("label") or (base.label if base else name))
        merged[name] = TypeDef(name, label, str(spec.get("plural") or (base.plural if base else label)),
                               str(spec.get("schema_org") or (base.schema_org if base else "")),
                               str(spec.get("description") or (base.description if base else "")))
    return tuple(merged.values())


# The example `new` and the guide show for a site's field that gives none (a reference shows a slug).
EXAMPLES: dict[str, Any] = {"text": "Texte", "number": 1.5, "int": 3, "bool": True, "date": "2024-05",
                            "url": "https://exemple.org/", "strs": ["Première ligne", "Deuxième ligne"], "ref": None}


def _extra_field(name: str, spec: dict[str, Any]) -> Field:
    label = str(spec["label"])
    kind_of = FIELD_TYPES[spec["type"]]
    example = spec.get("example", EXAMPLES[kind_of])
    return Field(name, kind_of, str(spec.get("help") or label), required=spec.get("required") is True,
                 ref=str(spec.get("to") or ""), example=example, label=label,
                 show=spec.get("show", True) is not False, export=spec.get("export", True) is not False, extra=True)


BUILTIN = make()


def of_settings(site: dict[str, Any]) -> Model:
    """The model of an atlas from its settings (config.load has checked them)."""
    return make(site.get("types"), site.get("fields"))


def problems(types: Any, fields: Any, lines: dict[str, int], path: str, prefix: tuple[str, str]) -> list[Problem]:
    """Everything wrong with `types:` and `fields:` settings, each at its line of `path`.

    `prefix` is the path of each setting inside the file: ('types', 'fields') in atlas.yaml,
    ('', '') in a file of its own.
    """
    found: list[Problem] = []

    def at(where: str, message: str, hint: str = "") -> None:
        key = where
        while key and key not in lines:
            key = key.rpartition(".")[0]
        found.append(Problem(path, lines.get(key, 1), where, message, hint))

    _check_types(types, prefix[0], at)
    _check_fields(fields, prefix[1], at)
    return found


def _join(*parts: str) -> str:
    return ".".join(p for p in parts if p)


def _kinds(value: Any, where: str, allowed: tuple[str, ...], at: Any) -> dict[str, dict[str, Any]]:
    """The kind -> mapping part of a setting, its unknown kinds reported."""
    if not value:
        return {}
    if not isinstance(value, dict):
        at(where, "expected a mapping of kinds", f"e.g. {allowed[0]}: ...")
        return {}
    good = {}
    for kind, items in value.items():
        if kind not in allowed:
            at(_join(where, str(kind)), f"unknown kind '{kind}'", closest(str(kind), allowed) or
               "one of " + ", ".join(allowed))
        elif not isinstance(items, dict):
            at(_join(where, kind), "expected a mapping of names", "one name per line, then its settings")
        else:
            good[kind] = items
    return good


def _check_types(value: Any, where: str, at: Any) -> None:
    for kind, items in _kinds(value, where, tuple(SCHEMA_ORG), at).items():
        for name, spec in items.items():
            here = _join(where, kind, str(name))
            if not _TYPE_NAME.match(str(name)):
                at(here, f"'{name}' is not a type identifier", "lowercase ASCII letters, digits and dashes")
                continue
            if not isinstance(spec, dict):
                at(here, "expected {label, plural, schema_org, description}",
                   f"write {name}: {{label: ..., plural: ..., schema_org: {SCHEMA_ORG[kind][0]}}}")
                continue
            _unknown_keys(spec, TYPE_KEYS, here, at)
            builtin = any(d.name == name for d in BUILTIN_TYPES.get(kind, ()))
            if not builtin and not _text(spec.get("label")):
                at(here, f"the type '{name}' needs a label", "add label: its French name")
            for key in ("label", "plural", "description"):
                if key in spec and not _text(spec[key]):
                    at(_join(here, key), f"{key} must be text")
            kind_types = SCHEMA_ORG[kind]
            if spec.get("schema_org") is not None and spec["schema_org"] not in kind_types:
                at(_join(here, "schema_org"), f"'{spec['schema_org']}' is not a schema.org type for {kind}",
                   closest(str(spec["schema_org"]), kind_types) or "one of " + ", ".join(kind_types))


def _check_fields(value: Any, where: str, at: Any) -> None:
    for kind, items in _kinds(value, where, ENTRY_KINDS, at).items():
        builtin = {f.name for f in SCHEMAS[kind]} | {"body"}
        for name, spec in items.items():
            here = _join(where, kind, str(name))
            if not _FIELD_NAME.match(str(name)):
                at(here, f"'{name}' is not a field name", "lowercase ASCII letters, digits and _, e.g. agrement_esus")
                continue
            if name in builtin:
                at(here, f"'{name}' is a built-in field of {kind}", "choose another name")
                continue
            if not isinstance(spec, dict):
                at(here, "expected {type, label, ...}", f"write {name}: {{type: text, label: ...}}")
                continue
            _unknown_keys(spec, FIELD_KEYS, here, at)
            kind_of = spec.get("type")
            if kind_of not in FIELD_TYPES:
                at(_join(here, "type"), f"unknown field type '{kind_of}'" if kind_of else "a field needs a type",
                   closest(str(kind_of or ""), FIELD_TYPES) or "one of " + ", ".join(FIELD_TYPES))
            if not _text(spec.get("label")):
                at(_join(here, "label"), "a field needs a label", "add label: its French name in the fact sheet")
            if kind_of == "reference" and spec.get("to") not in ENTRY_KINDS:
                target = spec.get("to")
                at(_join(here, "to"), f"unknown kind '{target}'" if target else "a reference needs 'to: <kind>'",
                   closest(str(target or ""), ENTRY_KINDS) or "one of " + ", ".join(ENTRY_KINDS))
            elif kind_of != "reference" and "to" in spec:
                at(_join(here, "to"), "only a reference field points to a kind", "remove it, or write type: reference")
            for key in ("required", "show", "export"):
                if key in spec and not isinstance(spec[key], bool):
                    at(_join(here, key), f"{key} must be true or false, got '{spec[key]}'")


def _unknown_keys(spec: dict[str, Any], allowed: tuple[str, ...], where: str, at: Any) -> None:
    for key in spec:
        if key not in allowed:
            at(_join(where, str(key)), f"unknown key '{key}'", closest(str(key), allowed) or
               "allowed: " + ", ".join(allowed))


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())
