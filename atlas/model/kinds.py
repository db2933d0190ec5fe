"""The content model: one closed schema per kind, each field documented where it is declared."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

@dataclass(frozen=True)
class Kind:
    """A kind of entry: its folder under content/ is the key of KINDS."""

    segment: str  # URL segment of its pages and lists ('' for free pages, at the root)
    prefix: str  # cross-link prefix in bodies: [text](acteur:slug)
    singular: str  # French, as in « fiche acteur »
    plural: str  # French, capitalised, as list titles show it


KINDS: dict[str, Kind] = {
    "actors": Kind("acteurs", "acteur", "acteur", "Acteurs"),
    "places": Kind("lieux", "lieu", "lieu", "Lieux"),
    "programmes": Kind("programmes", "programme", "programme", "Programmes"),
    "territories": Kind("territoires", "territoire", "territoire", "Territoires"),
    "themes": Kind("thematiques", "thematique", "thématique", "Thématiques"),
    "pages": Kind("", "page", "page", "Pages"),
}
ENTRY_KINDS = ("actors", "places", "programmes", "territories", "themes")
LINK_PREFIX = {k.prefix: name for name, k in KINDS.items()}
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


@dataclass(frozen=True)
class Field:
    """One front-matter field: its name, its type, and the French help shown to contributors."""

    name: str
    type: str  # str, text, url, date, year, int, number, bool, enum, strs, geo, sources, ref, refs
    help: str
    required: bool = False
    ref: str = ""  # target kind for ref/refs
    choices: tuple[str, ...] = ()
    example: Any = None


ACTOR_TYPES = ("association", "cooperative", "scop", "scic", "cae", "fondation", "mutuelle",
               "entreprise", "collectivite", "reseau", "etablissement-public", "cluster")
PLACE_TYPES = ("maison-ess", "tiers-lieu", "incubateur", "restaurant", "bureau", "autre")
PROGRAMME_TYPES = ("appel-a-projets", "fonds", "accompagnement", "label", "plan", "dispositif")
TERRITORY_TYPES = ("pays", "region", "departement", "metropole", "commune", "quartier")

# French labels for type values, shown on pages and in index titles.
TYPE_LABELS: dict[str, str] = {
    "association": "Association", "cooperative": "Coopérative", "scop": "SCOP", "scic": "SCIC",
    "cae": "Coopérative d'activité et d'emploi", "fondation": "Fondation", "mutuelle": "Mutuelle",
    "entreprise": "Entreprise", "collectivite": "Collectivité", "reseau": "Réseau",
    "etablissement-public": "Établissement public", "cluster": "Pôle ou cluster",
    "maison-ess": "Maison de l'ESS", "tiers-lieu": "Tiers-lieu", "incubateur": "Incubateur",
    "restaurant": "Restaurant", "bureau": "Bureaux", "autre": "Autre lieu",
    "appel-a-projets": "Appel à projets", "fonds": "Fonds", "accompagnement": "Accompagnement",
    "label": "Label", "plan": "Plan", "dispositif": "Dispositif",
    "pays": "Pays", "region": "Région", "departement": "Département", "metropole": "Métropole",
    "commune": "Commune", "quartier": "Quartier",
}

COMMON: tuple[Field, ...] = (
    Field("title", "str", "Nom affiché, en toutes lettres (accents et apostrophes permis).",
          required=True, example="La Cantine de l'Exemple"),
    Field("summary", "text", "Une ou deux phrases, sans mise en forme : listes, cartes, moteurs de recherche.",
          example="Association de quartier qui tient une cantine à prix libre et un jardin partagé."),
    Field("themes", "refs", "Thématiques (identifiants de content/themes/).", ref="themes",
          example=["nom-de-la-thematique"]),
    Field("territory", "ref", "Territoire où la structure se trouve ou agit.", ref="territories",
          example="nom-du-territoire"),
    Field("website", "url", "Site officiel (http, https ou mailto).", example="https://www.example.org/"),
    Field("sources", "sources", "D'où viennent les faits : title, url, publisher, date (AAAA-MM-JJ), accessed.",
          example=[{"title": "Statuts de l'association", "publisher": "La Cantine de l'Exemple",
                    "accessed": "2026-11-22"}]),
    Field("updated", "date", "Date de la dernière vérification des faits (AAAA-MM-JJ).",
          example="2026-11-22"),
    Field("draft", "bool", "true : brouillon, absent du site sauf avec --drafts.", example=False),
)

SCHEMAS: dict[str, tuple[Field, ...]] = {
    "actors": COMMON + (
        Field("type", "enum", "Forme juridique ou organisationnelle.", choices=ACTOR_TYPES,
              example="association"),
        Field("places", "refs", "Lieux où la structure est installée ou hébergée.", ref="places",
              example=["nom-du-lieu"]),
        Field("programmes", "refs", "Programmes auxquels elle participe.", ref="programmes", example=[]),
        Field("partners", "refs", "Partenaires (affichés des deux côtés).", ref="actors", example=[]),
        Field("parent", "ref", "Réseau ou groupe dont elle est membre.", ref="actors", example=""),
        Field("founded", "year", "Année de création.", example=2009),
        Field("staff", "int", "Nombre d'emplois.", example=12),
        Field("members_count", "int", "Nombre de membres (structures ou personnes).", example=19),
    ),
    "places": COMMON + (
        Field("type", "enum", "Nature du lieu.", choices=PLACE_TYPES, example="tiers-lieu"),
        Field("address", "str", "Numéro et voie.", example="12 rue de la République"),
        Field("postcode", "str", "Code postal.", example="01000"),
        Field("city", "str", "Commune.", example="Exempleville"),
        Field("geo", "geo", "Position : {lat, lon} en degrés décimaux, approximate: true si approchée.",
              example={"lat": 46.6034, "lon": 1.8883}),
        Field("opened", "year", "Année d'ouverture.", example=2016),
        Field("area_m2", "int", "Surface en mètres carrés.", example=1300),
        Field("access", "strs", "Accès en transports en commun et à vélo, une ligne chacun.",
              example=["Bus ligne 2, arrêt Mairie"]),
    ),
    "programmes": COMMON + (
        Field("type", "enum", "Nature du programme.", choices=PROGRAMME_TYPES, example="appel-a-projets"),
        Field("operators", "refs", "Qui le porte ou le finance.", ref="actors", example=[]),
        Field("laureates", "refs", "Qui a été retenu ou soutenu.", ref="actors", example=[]),
        Field("parent", "ref", "Plan ou programme dont il fait partie.", ref="programmes", example=""),
        Field("start", "date", "Date de début (AAAA-MM-JJ).", example="2013-07-15"),
        Field("end", "date", "Date de fin (AAAA-MM-JJ).", example="2014-12-31"),
        Field("budget_eur", "number", "Enveloppe totale en euros.", example=3000000),
        Field("candidates_count", "int", "Nombre de candidatures.", example=180),
        Field("laureates_count", "int", "Nombre de lauréats.", example=23),
    ),
    "territories": COMMON + (
        Field("type", "enum", "Échelon.", choices=TERRITORY_TYPES, example="commune"),
        Field("parent", "ref", "Territoire englobant.", ref="territories", example="nom-du-territoire-englobant"),
        Field("geo", "geo", "Centre approximatif : {lat, lon}.", example={"lat": 46.60, "lon": 1.89}),
        Field("code", "str", "Code officiel géographique de l'Insee (commune, département ou région).",
              example="64445"),
    ),
    "themes": COMMON + (
        Field("parent", "ref", "Thématique englobante.", ref="themes", example=""),
    ),
    "pages": (COMMON[0], COMMON[1], COMMON[5], COMMON[6], COMMON[7]),
}

# --- Issue 15 fields needed by images and programme statuses, declared minimally by the
# images-lifecycle branch so that its tests run; the content-model branch declares and validates
# them for good (image_alt required with image, partial dates): the integrator keeps theirs. ---
IMAGE_FIELDS: tuple[Field, ...] = (
    Field("image", "str", "Image : un fichier à côté de la fiche (photo.jpg) ou sous assets/ (/assets/photos/x.jpg), "
          "en JPEG, PNG, WebP ou GIF.", example="photo.jpg"),
    Field("image_alt", "text", "Ce que montre l'image, pour qui ne la voit pas (\"\" si elle est décorative).",
          example="La façade de la Maison de l'ESS"),
    Field("image_credit", "str", "Auteur ou source de l'image, affiché sous elle.", example="Photo : la structure"),
)
for _kind in ENTRY_KINDS:
    SCHEMAS[_kind] += IMAGE_FIELDS
SCHEMAS["actors"] += tuple(f for f in SCHEMAS["places"] if f.name in ("address", "postcode", "city", "geo"))
SCHEMAS["programmes"] += (Field("deadline", "date", "Date limite de candidature (AAAA-MM-JJ).",
                                example="2026-03-15"),)
# --- end of the issue 15 block ---

# Reference fields whose inverse is shown on the target's page: (kind, field) -> label there.
INVERSE_LABELS: dict[tuple[str, str], str] = {
    ("actors", "places"): "Structures présentes",
    ("actors", "programmes"): "Participants",
    ("actors", "partners"): "Partenaires",
    ("actors", "parent"): "Membres",
    ("programmes", "operators"): "Programmes portés ou financés",
    ("programmes", "laureates"): "Lauréat ou bénéficiaire de",
    ("programmes", "parent"): "Mesures et volets",
    ("territories", "parent"): "Sous-territoires",
    ("themes", "parent"): "Sous-thématiques",
}
FORWARD_LABELS: dict[tuple[str, str], str] = {
    ("actors", "places"): "Lieux",
    ("actors", "programmes"): "Programmes",
    ("actors", "partners"): "Partenaires",
    ("actors", "parent"): "Membre de",
    ("programmes", "operators"): "Porteurs et financeurs",
    ("programmes", "laureates"): "Lauréats et bénéficiaires",
    ("programmes", "parent"): "Fait partie de",
    ("territories", "parent"): "Territoire englobant",
    ("themes", "parent"): "Thématique englobante",
}
SYMMETRIC = {("actors", "partners")}


def field_map(kind: str) -> dict[str, Field]:
    """The schema of a kind as a name -> Field mapping."""
    return {f.name: f for f in SCHEMAS[kind]}


@dataclass(frozen=True, eq=False)  # identity equality: one object per entry, cheap to compare and hash
class Entry:
    """One validated entry. `values` holds only the fields present, already typed."""

    kind: str
    slug: str
    path: str  # relative to the project root, with forward slashes
    values: dict[str, Any]
    lines: dict[str, int]  # field path ('places.1', 'geo.lat') -> line in the file
    body: str | None  # None when the entry came from the cache: read again when a page needs it
    body_line: int  # line of the file where the body starts
    digest: str  # hash of the file's bytes
    links: tuple[tuple[str, str, int], ...] = ()  # cross-links in the body: (kind, slug, line)
    key: tuple[str, str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", (self.kind, self.slug))

    @property
    def title(self) -> str:
        return self.values["title"]

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)

    def line(self, path: str) -> int:
        """The line of a field path, falling back to its parent field, then to line 1."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path.rpartition(".")[0]
        return 1
