"""Open data under /donnees/: the whole atlas as JSON, one CSV per kind, lieux.geojson and
acteurs.geojson, JSON Schemas.

Column names follow schema.data.gouv.fr habits where one exists (the data·inclusion and
médiation numérique schemas: `nom`, `adresse`, `code_postal`, `commune`, `latitude`,
`longitude`, `site_web`, `courriel`, `telephone`, `siret`, `horaires_accueil`, `accessibilite_lieu`,
`date_maj`, `presentation_resume`, `typologie`…); an atlas's own fields (`fields:` with
`export: true`) come under their own names. Dates are ISO 8601 at their precision (2018,
2018-01, 2018-01-15), phone numbers E.164, opening hours in OpenStreetMap syntax. The bytes depend only
on the content and the site settings: rows sorted by slug, no build time, so an unchanged atlas
republishes identical files.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from functools import partial
from typing import Any, Callable, Iterable, Sequence

from ..link import EMPTY, Atlas
from ..model.jsonschema import schema_for
from ..model.kinds import ENTRY_KINDS, KINDS, LINK_PREFIX, Entry, Field
from ..model.vocabulary import Model
from ..model import deps as dep_keys
from .fragments import Document, Joined
from ..pages import Page, entry_url
from ..pages.positions import actor_positions

FOLDER = "donnees"
LIST_SEPARATOR = "|"  # several values in one CSV cell: slugs never contain it
LICENCE_URLS = {
    "Licence Ouverte 2.0": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    "ODbL": "https://opendatacommons.org/licenses/odbl/1-0/",
}
_LINK = re.compile(r"\[([^\]]*)\]\(\s*<?(" + "|".join(LINK_PREFIX) + r"):([^)\s>#]*)(#[^)\s>]*)?>?\s*\)")


@dataclass(frozen=True)
class Column:
    """One exported field: its name, its French description, how to get it, and where it goes."""

    name: str
    help: str
    get: Callable[["Exporter", Entry], Any]
    csv: bool = True  # False: JSON only (long text, inverse relations)


class Exporter:
    """Turns entries into records; resolves references to {id, nom, url}."""

    def __init__(self, atlas: Atlas, site: dict[str, Any]) -> None:
        self.atlas, self.site = atlas, site
        self.deps: set[str] = set()  # what the record being made has read (see outputs/fragments.py)

    def url(self, entry: Entry) -> str:
        """Absolute when the site has a public URL, else from the site root."""
        return (self.site["base_url"] or self.site["base_path"]) + entry_url(entry.kind, entry.slug)

    def ref(self, entry: Entry) -> dict[str, str]:
        self.deps.add(dep_keys.card(entry.kind, entry.slug))
        return {"id": entry.slug, "nom": entry.title, "url": self.url(entry)}

    def refs(self, entries: Iterable[Entry]) -> list[dict[str, str]]:
        return [self.ref(e) for e in entries]

    def record(self, entry: Entry, for_csv: bool) -> dict[str, Any]:
        self.deps.update((dep_keys.entry(entry.kind, entry.slug), dep_keys.around(entry.kind, entry.slug)))
        columns = [c for c in columns_of(self.atlas.model, entry.kind) if c.csv or not for_csv]
        return {c.name: c.get(self, entry) for c in columns}

    def detail(self, entry: Entry) -> str:
        """The Markdown body with cross-links turned into the pages' URLs."""
        def replace(match: re.Match[str]) -> str:
            target = self.atlas.get(LINK_PREFIX[match.group(2)], match.group(3))
            if target is None:
                return match.group(0)
            self.deps.add(dep_keys.card(target.kind, target.slug))
            return f"[{match.group(1) or target.title}]({self.url(target)}{match.group(4) or ''})"
        return _LINK.sub(replace, self.atlas.with_body(entry).body or "").strip()


def _field(name: str) -> Callable[[Exporter, Entry], Any]:
    return lambda x, e: e.get(name)


def _geo(key: str) -> Callable[[Exporter, Entry], Any]:
    return lambda x, e: e.get("geo")[key] if e.get("geo") else None


def _forward(name: str) -> Callable[[Exporter, Entry], Any]:
    return lambda x, e: x.refs(x.atlas.related(e, name))


def _one(name: str) -> Callable[[Exporter, Entry], Any]:
    return lambda x, e: next(iter(x.refs(x.atlas.refs(e, name))), None)


def _inverse(kind: str, name: str) -> Callable[[Exporter, Entry], Any]:
    return lambda x, e: x.refs(sorted(x.atlas.pointing(e, kind, name), key=lambda s: s.slug))


def _sources(x: Exporter, e: Entry) -> list[dict[str, Any]]:
    names = {"title": "titre", "url": "url", "publisher": "editeur", "date": "date", "accessed": "consulte_le"}
    return [{names[k]: v for k, v in s.items()} for s in e.get("sources", ())]


HEAD = (
    Column("id", "Identifiant stable de la fiche (son nom de fichier).", lambda x, e: e.slug),
    Column("nom", "Nom.", lambda x, e: e.title),
    Column("url", "Adresse de la fiche sur le site.", lambda x, e: x.url(e)),
)
TYPE = (
    Column("typologie", "Code du type (voir la liste des valeurs dans le schéma JSON).", _field("type")),
    Column("typologie_libelle", "Libellé du type, en français.",
           lambda x, e: x.atlas.model.type_label(e.kind, e.get("type", "")) or None),
)
SUMMARY = (Column("presentation_resume", "Présentation en une ou deux phrases.", _field("summary")),)
CLASSIFIED = (
    Column("thematiques", "Thématiques (identifiants).", _forward("themes")),
    Column("territoire", "Territoire où la structure se trouve ou agit (identifiant).", _one("territory")),
    Column("site_web", "Site officiel.", _field("website")),
)
TAIL = (
    Column("date_maj", "Date de la dernière vérification de la fiche (AAAA-MM-JJ, ou AAAA-MM).", _field("updated")),
    Column("sources", "Documents d'où viennent les faits (titres ; détail dans atlas.json).", _sources),
    Column("presentation_detail", "Texte de la fiche en Markdown, liens vers les autres fiches compris.",
           lambda x, e: x.detail(e), csv=False),
)
POSITION = (
    Column("latitude", "Latitude WGS 84, en degrés décimaux.", _geo("lat")),
    Column("longitude", "Longitude WGS 84, en degrés décimaux.", _geo("lon")),
)
APPROXIMATE = Column("position_approximative", "true : position approchée, à la rue près.",
                     lambda x, e: e.get("geo")["approximate"] if e.get("geo") else None)
ADDRESS = (
    Column("adresse", "Numéro et voie.", _field("address")),
    Column("code_postal", "Code postal.", _field("postcode")),
    Column("commune", "Commune.", _field("city")),
) + POSITION + (APPROXIMATE,)
SIRET = Column("siret", "SIRET de l'établissement (14 chiffres).", _field("siret"))
CONTACT = (
    Column("courriel", "Adresse électronique de contact.", _field("email")),
    Column("telephone", "Téléphone, au format international E.164 (+33…).", _field("phone")),
    Column("reseaux_sociaux", "Pages sur les réseaux sociaux (adresses).", lambda x, e: list(e.get("social", ()))),
)
RECEPTION = (
    Column("horaires_accueil", "Horaires d'accueil, syntaxe opening_hours d'OpenStreetMap.", _field("opening_hours")),
    Column("accessibilite_lieu", "Page qui détaille l'accessibilité du lieu (par exemple Acceslibre).",
           _field("accessibility_url")),
    Column("accessibilite_description", "Accessibilité du lieu, en clair.", _field("accessibility")),
)
MEDIA = (
    Column("image", "Image de la fiche (chemin dans le dépôt de l'atlas).", _field("image")),
    Column("image_texte_alternatif", "Texte de remplacement de l'image.", _field("image_alt")),
    Column("image_credit", "Auteur et licence de l'image.", _field("image_credit")),
    Column("origine_source", "Source d'un import (identifiant).", lambda x, e: (e.get("origin") or {}).get("source")),
    Column("origine_id", "Identifiant de la fiche dans cette source.", lambda x, e: (e.get("origin") or {}).get("id")),
)

COLUMNS: dict[str, tuple[Column, ...]] = {
    "actors": HEAD + TYPE + SUMMARY + CLASSIFIED + (
        Column("lieux", "Lieux où la structure est installée ou hébergée.", _forward("places")),
        Column("programmes", "Programmes auxquels elle participe.", _forward("programmes")),
        Column("partenaires", "Partenaires, déclarés d'un côté ou de l'autre.", _forward("partners")),
        Column("structure_parente", "Réseau ou groupe dont elle est membre.", _one("parent")),
        Column("date_creation", "Date de création (AAAA, AAAA-MM ou AAAA-MM-JJ).", _field("founded")),
        Column("effectif", "Nombre d'emplois.", _field("staff")),
        Column("nombre_membres", "Nombre de membres (structures ou personnes).", _field("members_count")),
    ) + ADDRESS + (
        SIRET,
        Column("siren", "SIREN de l'entreprise ou de l'association (9 chiffres).", _field("siren")),
        Column("rna", "Numéro RNA de l'association.", _field("rna")),
    ) + CONTACT + RECEPTION + MEDIA + (
        Column("membres", "Structures dont elle est la structure parente.", _inverse("actors", "parent"), csv=False),
        Column("programmes_portes", "Programmes qu'elle porte ou finance.", _inverse("programmes", "operators"),
               csv=False),
        Column("programmes_laureat", "Programmes dont elle est lauréate ou bénéficiaire.",
               _inverse("programmes", "laureates"), csv=False),
    ),
    "places": HEAD + TYPE + SUMMARY + ADDRESS + (
        Column("date_ouverture", "Date d'ouverture (AAAA, AAAA-MM ou AAAA-MM-JJ).", _field("opened")),
        Column("surface_m2", "Surface en mètres carrés.", _field("area_m2")),
        Column("acces", "Accès en transports en commun et à vélo.", lambda x, e: list(e.get("access", ()))),
    ) + CLASSIFIED + (SIRET,) + CONTACT + RECEPTION + MEDIA + (
        Column("structures", "Structures installées ou hébergées dans le lieu.", _inverse("actors", "places")),
    ),
    "programmes": HEAD + TYPE + SUMMARY + CLASSIFIED + (
        Column("porteurs", "Structures qui le portent ou le financent.", _forward("operators")),
        Column("laureats", "Structures retenues ou soutenues.", _forward("laureates")),
        Column("programme_parent", "Plan ou programme dont il fait partie.", _one("parent")),
        Column("date_debut", "Date de début (AAAA, AAAA-MM ou AAAA-MM-JJ).", _field("start")),
        Column("date_limite", "Date limite de candidature (AAAA, AAAA-MM ou AAAA-MM-JJ).", _field("deadline")),
        Column("date_fin", "Date de fin (AAAA, AAAA-MM ou AAAA-MM-JJ).", _field("end")),
        Column("budget_eur", "Enveloppe totale en euros.", _field("budget_eur")),
        Column("nombre_candidatures", "Nombre de candidatures.", _field("candidates_count")),
        Column("nombre_laureats", "Nombre de lauréats.", _field("laureates_count")),
        Column("participants", "Structures qui déclarent y participer.", _inverse("actors", "programmes"),
               csv=False),
        Column("sous_programmes", "Mesures et volets qui en font partie.", _inverse("programmes", "parent"),
               csv=False),
    ) + CONTACT + MEDIA,
    "territories": HEAD + TYPE + SUMMARY + (
        Column("territoire_parent", "Territoire englobant.", _one("parent")),
    ) + POSITION + (
        Column("code_insee", "Code officiel géographique de l'Insee (commune, département ou région).",
               _field("code")),
    ) + CLASSIFIED + (
        Column("sous_territoires", "Territoires qu'il englobe directement.", _inverse("territories", "parent"),
               csv=False),
    ) + MEDIA,
    "themes": HEAD + SUMMARY + CLASSIFIED + (
        Column("thematique_parente", "Thématique englobante.", _one("parent")),
        Column("sous_thematiques", "Thématiques qu'elle englobe directement.", _inverse("themes", "parent"),
               csv=False),
    ) + MEDIA,
}


def _extra_value(spec: Field) -> Callable[[Exporter, Entry], Any]:
    """An atlas's own field as exported: a reference as {id, nom, url}, a list as a list."""
    if spec.type == "ref":
        return _one(spec.name)
    if spec.type == "strs":
        return lambda x, e: list(e.get(spec.name, ()))
    return _field(spec.name)


def columns_of(model: Model, kind: str) -> tuple[Column, ...]:
    """A kind's columns: the built-in ones, the atlas's own exported fields, then the common tail."""
    extra = tuple(Column(spec.name, spec.help, _extra_value(spec)) for spec in model.extra(kind) if spec.export)
    return COLUMNS[kind] + extra + TAIL


def file_name(kind: str) -> str:
    """acteurs, lieux, programmes, territoires, thematiques: the kind's URL segment."""
    return KINDS[kind].segment


def catalogue(model: Model) -> dict[str, Any]:
    """What the /donnees/ page documents of these files (the pipeline hands it to the pages)."""
    return {"folder": FOLDER, "licence_urls": LICENCE_URLS, "files": {k: file_name(k) for k in ENTRY_KINDS},
            "columns": {k: [{"name": c.name, "help": c.help, "csv": c.csv} for c in columns_of(model, k)]
                        for k in ENTRY_KINDS}}


def licence(site: dict[str, Any]) -> dict[str, str]:
    name = str(site["licence_data"])
    return {"nom": name, "url": LICENCE_URLS.get(name, "")}


def fragment_keys(atlas: Atlas, kind: str) -> list[str]:
    """Fragment keys (« actors/la-nef ») of the entries of a kind, by slug (no entry read: the
    fragments read what they make)."""
    return [f"{kind}/{slug}" for slug in sorted(slug for _, slug in atlas.by_kind.get(kind, EMPTY).keys)]


def entry_key(key: str) -> tuple[str, str]:
    kind, _, slug = key.partition("/")
    return kind, slug


def _cell(value: Any) -> str:
    """A JSON value as CSV text: references by slug, lists joined by '|', dates ISO, booleans true/false.

    A text a spreadsheet would run as a formula (first character = + - @ tab or CR) gets a leading
    ' (OWASP, CSV injection): a title `=HYPERLINK(...)` is shown, never run. Numbers are left as numbers.
    """
    text = _text(value)
    return "'" + text if text[:1] in _FORMULA and not isinstance(value, (int, float)) else text


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return str(value.get("id", value.get("titre", "")))
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(_text(v) for v in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def to_csv(atlas: Atlas, site: dict[str, Any], kind: str) -> Document:
    """UTF-8 with a byte order mark (so spreadsheets read the accents), ';' separated, CRLF rows."""
    exporter = Exporter(atlas, site)
    header = [c.name for c in columns_of(atlas.model, kind) if c.csv]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerow(header)
    return [("\ufeff" + buffer.getvalue()).encode("utf-8"), Joined(fragment_keys(atlas, kind), partial(_csv_row, exporter, header))]


def _csv_row(exporter: Exporter, header: list[str], key: str, deps: set[str]) -> bytes:
    exporter.deps = deps
    record = exporter.record(exporter.atlas.entries[entry_key(key)], for_csv=True)
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerow([_cell(record[name]) for name in header])
    return buffer.getvalue().encode("utf-8")


def _json_record(exporter: Exporter, key: str, deps: set[str]) -> bytes:
    exporter.deps = deps
    return _json(exporter.record(exporter.atlas.entries[entry_key(key)], for_csv=False)).rstrip(b"\n")


def _json(data: Any, indent: int | None = None) -> bytes:
    """UTF-8 JSON; compact by default (json's C encoder only runs without indent: 10x faster)."""
    separators = (",", ": ") if indent else (",", ":")
    return (json.dumps(data, ensure_ascii=False, indent=indent, separators=separators, default=_default)
            + "\n").encode("utf-8")


def _default(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    raise TypeError(f"cannot export {value!r}")


def to_json(atlas: Atlas, site: dict[str, Any]) -> Document:
    """The whole atlas, a record per entry, laid out as json.dumps would (compact)."""
    exporter = Exporter(atlas, site)
    head = _json({"titre": site["title"], "site": site["base_url"], "licence": licence(site)})
    document: Document = [head.rstrip(b"\n")[:-1]]
    for kind in ENTRY_KINDS:
        document += [f",{json.dumps(file_name(kind))}:[".encode(),
                     Joined(fragment_keys(atlas, kind), partial(_json_record, exporter), b","), b"]"]
    return document + [b"}\n"]


PLACE_PROPERTIES = ("id", "nom", "url", "typologie", "typologie_libelle", "adresse", "code_postal", "commune",
                    "position_approximative", "territoire", "structures")
ACTOR_PROPERTIES = ("id", "nom", "url", "typologie", "typologie_libelle", "territoire", "lieux", "site_web")


def to_geojson(atlas: Atlas, site: dict[str, Any], kind: str = "places") -> Document:
    """RFC 7946: a FeatureCollection of the geolocated places (or actors), a fragment each."""
    exporter = Exporter(atlas, site)
    make = _place_feature if kind == "places" else _actor_feature
    return [b'{"type":"FeatureCollection","features":[', Joined(fragment_keys(atlas, kind), partial(make, exporter), b","),
            b"]}\n"]


def _place_feature(exporter: Exporter, key: str, deps: set[str]) -> bytes:
    """A place with a position as a Feature, else nothing."""
    exporter.deps = deps
    entry = exporter.atlas.entries[entry_key(key)]
    deps.add(dep_keys.entry(*entry.key))  # whether it has a position
    geo = entry.get("geo")
    if not geo:
        return b""
    record = exporter.record(entry, for_csv=False)
    return _feature(entry, _point(geo), {k: record[k] for k in PLACE_PROPERTIES})


def _actor_feature(exporter: Exporter, key: str, deps: set[str]) -> bytes:
    """An actor with a position, its own (a Point) or its places' (a Point, or a MultiPoint for
    several places) as a Feature, else nothing; `position_origine` says which."""
    exporter.deps = deps
    entry = exporter.atlas.entries[entry_key(key)]
    deps.add(dep_keys.entry(*entry.key))
    found = actor_positions(exporter.atlas, entry)
    deps.update(dep_keys.entry(p.kind, p.slug) for p in exporter.atlas.refs(entry, "places"))
    if not found:
        return b""
    record = exporter.record(entry, for_csv=False)
    own = bool(entry.get("geo"))
    geometry = _point(found[0]) if len(found) == 1 else \
        {"type": "MultiPoint", "coordinates": [[g["lon"], g["lat"]] for g in found]}
    properties = {k: record[k] for k in ACTOR_PROPERTIES}
    properties.update(adresse=entry.get("address"), code_postal=entry.get("postcode"), commune=entry.get("city"),
                      position_origine="fiche" if own else "lieux",
                      position_approximative=any(g["approximate"] for g in found))
    return _feature(entry, geometry, properties)


def _feature(entry: Entry, geometry: dict[str, Any], properties: dict[str, Any]) -> bytes:
    return _json({"type": "Feature", "id": entry.slug, "geometry": geometry, "properties": properties}).rstrip(b"\n")


def _point(geo: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [geo["lon"], geo["lat"]]}


def produce(atlas: Atlas, site: dict[str, Any], pages: Sequence[Page]) -> Iterable[tuple[str, bytes | Document]]:
    """The files under /donnees/: documents of fragments, and the JSON Schemas."""
    yield f"{FOLDER}/atlas.json", to_json(atlas, site)
    yield f"{FOLDER}/lieux.geojson", to_geojson(atlas, site, "places")
    yield f"{FOLDER}/acteurs.geojson", to_geojson(atlas, site, "actors")
    for kind in ENTRY_KINDS:
        yield f"{FOLDER}/{file_name(kind)}.csv", to_csv(atlas, site, kind)
        yield f"{FOLDER}/schemas/{file_name(kind)}.schema.json", _json(schema_for(kind, atlas.model), indent=2)
