"""Which field a column goes to: the targets an import can fill, and the names recognised without a map.

Recognised without a map: the data·inclusion `structure` names (schema.data.gouv.fr), the
columns of this atlas's own exports (`/donnees/*.csv`), its field names, GoGoCarto/Transiscope
export keys, and the usual French spreadsheet headers. A header is compared folded (accents,
case, spaces and punctuation ignored): « Code postal », « code_postal » and « CODE-POSTAL » are one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

from ...model.kinds import SCHEMAS
from . import values as v

IGNORE = "ignore"


@dataclass(frozen=True)
class Target:
    """Where a column's cells go: a field, or a part of one (latitude), or the entry's identity."""

    name: str
    help: str  # French, shown by --print-map
    convert: Callable[[Any], Any] | None  # None: resolved against the atlas (types, references)
    many: bool = False  # several values in a cell, several columns into one list


TARGETS: dict[str, Target] = {t.name: t for t in (
    Target("title", "nom de la structure (obligatoire)", v.single_line),
    Target("summary", "présentation en une ou deux phrases", v.summary),
    Target("body", "texte de la fiche (plusieurs colonnes : mises bout à bout)", v.body),
    Target("type", "type (association, scop…) ; valeurs à faire correspondre sous types:", None),
    Target("themes", "thématiques (titre ou identifiant ; sous themes:)", None, many=True),
    Target("territory", "territoire (titre ou identifiant ; sous territories:)", None),
    Target("website", "site web", v.url),
    Target("address", "numéro et voie", v.single_line),
    Target("address_extra", "complément d'adresse (ajouté à l'adresse)", v.single_line),
    Target("postcode", "code postal", v.postcode),
    Target("city", "commune", v.single_line),
    Target("latitude", "latitude en degrés décimaux", v.number),
    Target("longitude", "longitude en degrés décimaux", v.number),
    Target("siret", "SIRET (14 chiffres)", v.siret),
    Target("siren", "SIREN (9 chiffres)", v.siren),
    Target("rna", "numéro RNA d'association (W + 9 chiffres)", v.rna),
    Target("email", "adresse électronique", v.email),
    Target("phone", "téléphone", v.phone),
    Target("social", "réseaux sociaux (adresses)", v.urls, many=True),
    Target("opening_hours", "horaires au format OpenStreetMap", v.opening_hours),
    Target("accessibility", "accessibilité du lieu (texte)", v.single_line),
    Target("accessibility_url", "page d'accessibilité (Acceslibre…)", v.url),
    Target("founded", "année de création", v.year),
    Target("staff", "nombre d'emplois", v.whole),
    Target("members_count", "nombre de membres", v.whole),
    Target("opened", "année d'ouverture", v.year),
    Target("area_m2", "surface en m²", v.whole),
    Target("places", "lieux (titre ou identifiant)", None, many=True),
    Target("partners", "partenaires (titre ou identifiant)", None, many=True),
    Target("parent", "structure parente (titre ou identifiant)", None),
    Target("id", "identifiant propre à la source (pour --update)", v.single_line),
    Target("source_url", "adresse de la fiche dans la source (citée dans sources:)", v.url),
    Target("source_date", "date de mise à jour dans la source (citée dans sources:)", v.date),
    Target(IGNORE, "colonne non importée", None),
)}

# The fields of FIELDS.md this import writes, and the kinds that take them (the content model
# declares them; until it does they are known here so that a map may name them).
NEW_FIELDS: dict[str, tuple[str, ...]] = {
    "address": ("actors", "places"), "postcode": ("actors", "places"), "city": ("actors", "places"),
    "geo": ("actors", "places", "territories"), "siret": ("actors", "places"), "siren": ("actors",),
    "rna": ("actors",), "email": ("actors", "places", "programmes"),
    "phone": ("actors", "places", "programmes"), "social": ("actors", "places", "programmes"),
    "opening_hours": ("actors", "places"), "accessibility": ("actors", "places"),
    "accessibility_url": ("actors", "places"), "origin": ("actors", "places", "programmes", "territories",
                                                         "themes"),
}
PARTS = {"latitude": "geo", "longitude": "geo", "address_extra": "address"}  # target -> field it fills
SPECIAL = ("body", "id", "source_url", "source_date", IGNORE)


def fields_of(kind: str) -> set[str]:
    """Every front-matter field an entry of this kind may hold: the model's and FIELDS.md's."""
    return {f.name for f in SCHEMAS[kind]} | {name for name, kinds in NEW_FIELDS.items() if kind in kinds}


def targets_of(kind: str) -> list[str]:
    """The targets a column may be mapped to for this kind, in TARGETS order."""
    fields = fields_of(kind)
    return [t for t in TARGETS if t in SPECIAL or t in fields or PARTS.get(t) in fields]


def fold_header(name: str) -> str:
    """« Code postal », « code_postal », « address.postalCode » -> code_postal, address_postalcode."""
    return re.sub(r"[^a-z0-9]+", "_", v.fold(name)).strip("_")


_ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("nom", "name", "title", "titre", "raison_sociale", "nom_de_la_structure", "nom_structure",
              "structure", "denomination", "organisation", "organisme", "nom_complet", "enseigne"),
    "summary": ("summary", "presentation_resume", "resume", "description_courte", "accroche", "chapeau"),
    "body": ("description", "presentation_detail", "presentation", "texte", "body", "descriptionmore",
             "description_longue", "activite", "activites"),
    "type": ("type", "typologie", "statut", "statut_juridique", "forme_juridique", "categorie_juridique",
             "nature", "typology"),
    "themes": ("thematiques", "themes", "thematique", "theme", "categories", "taxonomy", "secteur",
               "secteurs", "secteur_d_activite", "domaines", "domaine"),
    "territory": ("territoire", "territory"),
    "website": ("site_web", "site_internet", "site", "website", "web", "url_site", "site_web_url"),
    "address": ("adresse", "address", "address_street", "address_streetaddress", "rue", "voie",
                "adresse_postale", "street", "streetaddress", "numero_et_voie"),
    "address_extra": ("complement_adresse", "complement_d_adresse", "adresse_complement", "address_extra"),
    "postcode": ("code_postal", "cp", "postcode", "postal_code", "postalcode", "address_postalcode",
                 "codepostal"),
    "city": ("commune", "ville", "city", "localite", "address_addresslocality", "address_city",
             "addresslocality"),
    "latitude": ("latitude", "lat", "geo_latitude", "location_lat", "geo_lat"),
    "longitude": ("longitude", "lon", "lng", "long", "geo_longitude", "location_lon", "location_lng",
                  "geo_lon"),
    "siret": ("siret", "numero_siret", "n_siret", "no_siret"),
    "siren": ("siren", "numero_siren", "n_siren"),
    "rna": ("rna", "numero_rna", "rna_id", "n_rna", "identifiant_rna", "numero_waldec"),
    "email": ("courriel", "email", "e_mail", "mail", "adresse_mail", "adresse_email", "adresse_electronique",
              "mel"),
    "phone": ("telephone", "tel", "phone", "numero_de_telephone", "tel_fixe"),
    "social": ("social", "reseaux_sociaux", "facebook", "twitter", "instagram", "linkedin", "mastodon",
               "youtube"),
    "opening_hours": ("horaires_accueil", "horaires_ouverture", "opening_hours", "openhours", "horaires"),
    "accessibility": ("accessibility", "accessibilite_lieu"),
    "accessibility_url": ("accessibility_url", "accessibilite", "lien_acceslibre"),
    "founded": ("founded", "annee_creation", "date_creation", "annee_de_creation", "creation"),
    "staff": ("staff", "effectif", "salaries", "nombre_salaries", "nombre_de_salaries"),
    "members_count": ("members_count", "nombre_membres", "nombre_adherents", "adherents"),
    "opened": ("opened", "annee_ouverture"),
    "area_m2": ("area_m2", "surface_m2", "surface"),
    "places": ("places", "lieux"),
    "partners": ("partners", "partenaires"),
    "parent": ("parent", "structure_parente"),
    "id": ("id", "identifiant", "uid", "source_id", "identifiant_source"),
    "source_url": ("url", "lien_source", "fiche_url", "lien"),
    "source_date": ("date_maj", "date_mise_a_jour", "updated_at", "updated", "derniere_mise_a_jour"),
    # Known and deliberately left out: derived (typologie_libelle), codes the atlas does not keep
    # (code_insee), the exporting platform's bookkeeping, and this atlas's own relation columns.
    IGNORE: ("typologie_libelle", "code_insee", "source", "antenne", "labels_nationaux", "labels_autres",
             "position_approximative", "programmes", "programmes_portes", "programmes_laureat",
             "membres", "structures", "sources", "acces", "sourcekey", "status", "categoriesfull",
             "createdat", "address_addresscountry", "address_customformatedaddress", "openhoursstring",
             "image", "images", "coordinates"),
}
ALIASES: dict[str, str] = {alias: target for target, names in _ALIASES.items() for alias in names}


def recognise(column: str, kind: str) -> str | None:
    """The target of a column by its name, or None when the name says nothing we know."""
    target = ALIASES.get(fold_header(column))
    if target is None or target not in targets_of(kind):
        return None
    return target
