"""The content model: one closed schema per kind, each field documented where it is declared."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
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
    """One front-matter field: its name, its type, and the French help shown to contributors.

    `type` names a checker of read/validate.CHECKERS: str, text, url, date (a partial date),
    int, number, bool, enum, strs, geo, sources, ref, refs, postcode, siret, siren, rna, email,
    phone, urls, hours, image, insee, origin. Fields an atlas declares in its settings
    (`fields:`) are `extra`, with the French `label` of the fact sheet and their `show` and
    `export` choices; the built-in ones are laid out by the templates and exports themselves.
    """

    name: str
    type: str
    help: str
    required: bool = False
    ref: str = ""  # target kind for ref/refs
    choices: tuple[str, ...] = ()
    example: Any = None
    label: str = ""
    show: bool = True
    export: bool = True
    extra: bool = False


@dataclass(frozen=True)
class TypeDef:
    """One value of a kind's `type`: French label and plural, schema.org type, what it covers."""

    name: str
    label: str
    plural: str
    schema_org: str
    description: str = ""


# The built-in vocabularies; an atlas adds or relabels values in atlas.yaml (`types:`, see
# model/vocabulary.py). The schema.org types are those the JSON-LD of a page states.
BUILTIN_TYPES: dict[str, tuple[TypeDef, ...]] = {
    "actors": (
        TypeDef("association", "Association", "Associations", "NGO", "Association loi 1901 ou de droit local."),
        TypeDef("cooperative", "Coopérative", "Coopératives", "Corporation",
                "Société coopérative, hors SCOP, SCIC et CAE."),
        TypeDef("scop", "SCOP", "SCOP", "Corporation", "Société coopérative et participative, détenue par ses salariés."),
        TypeDef("scic", "SCIC", "SCIC", "Corporation",
                "Société coopérative d'intérêt collectif : salariés, usagers, collectivités… associés."),
        TypeDef("cae", "Coopérative d'activité et d'emploi", "Coopératives d'activité et d'emploi", "Corporation",
                "Coopérative où des entrepreneurs salariés développent leur propre activité."),
        TypeDef("fondation", "Fondation", "Fondations", "NGO", "Fondation ou fonds de dotation."),
        TypeDef("mutuelle", "Mutuelle", "Mutuelles", "Organization", "Mutuelle de santé ou d'assurance."),
        TypeDef("entreprise", "Entreprise", "Entreprises", "Corporation",
                "Entreprise commerciale, agréée ESUS ou engagée dans l'ESS."),
        TypeDef("collectivite", "Collectivité", "Collectivités", "GovernmentOrganization",
                "Commune, intercommunalité, département, région, État."),
        TypeDef("reseau", "Réseau", "Réseaux", "Organization", "Réseau, fédération ou union de structures."),
        TypeDef("etablissement-public", "Établissement public", "Établissements publics", "GovernmentOrganization",
                "Établissement public ou organisme public."),
        TypeDef("cluster", "Pôle ou cluster", "Pôles et clusters", "Organization",
                "Pôle territorial de coopération économique (PTCE), cluster."),
    ),
    "places": (
        TypeDef("maison-ess", "Maison de l'ESS", "Maisons de l'ESS", "Place",
                "Lieu ressource de l'ESS qui héberge plusieurs structures."),
        TypeDef("tiers-lieu", "Tiers-lieu", "Tiers-lieux", "Place", "Lieu partagé de travail, de rencontre, de fabrication."),
        TypeDef("incubateur", "Incubateur", "Incubateurs", "Place", "Locaux d'un incubateur ou d'une pépinière."),
        TypeDef("restaurant", "Restaurant", "Restaurants", "Restaurant", "Restaurant, café, cantine."),
        TypeDef("bureau", "Bureaux", "Bureaux", "Place", "Bureaux d'une structure."),
        TypeDef("autre", "Autre lieu", "Autres lieux", "Place", "Lieu d'un autre type."),
    ),
    "programmes": (
        TypeDef("appel-a-projets", "Appel à projets", "Appels à projets", "MonetaryGrant",
                "Appel à candidatures assorti d'un soutien aux lauréats."),
        TypeDef("fonds", "Fonds", "Fonds", "MonetaryGrant", "Fonds de financement, de garantie ou de prêt."),
        TypeDef("accompagnement", "Accompagnement", "Accompagnements", "Service",
                "Programme d'accompagnement, d'incubation, de formation."),
        TypeDef("label", "Label", "Labels", "Service", "Label ou certification."),
        TypeDef("plan", "Plan", "Plans", "Service", "Plan, stratégie ou schéma d'une collectivité."),
        TypeDef("dispositif", "Dispositif", "Dispositifs", "Service", "Autre dispositif public ou privé."),
    ),
    "territories": (
        TypeDef("pays", "Pays", "Pays", "Country", "Pays."),
        TypeDef("region", "Région", "Régions", "AdministrativeArea", "Région."),
        TypeDef("departement", "Département", "Départements", "AdministrativeArea", "Département."),
        TypeDef("metropole", "Métropole", "Métropoles", "AdministrativeArea", "Métropole (intercommunalité)."),
        TypeDef("commune", "Commune", "Communes", "City", "Commune."),
        TypeDef("quartier", "Quartier", "Quartiers", "AdministrativeArea", "Quartier d'une commune."),
    ),
}

ACTOR_TYPES, PLACE_TYPES, PROGRAMME_TYPES, TERRITORY_TYPES = (
    tuple(d.name for d in BUILTIN_TYPES[k]) for k in ("actors", "places", "programmes", "territories"))

# French labels of the built-in type values (a site's own are in its Model: vocabulary.py).
TYPE_LABELS: dict[str, str] = {d.name: d.label for defs in BUILTIN_TYPES.values() for d in defs}

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
    Field("sources", "sources", "D'où viennent les faits : title, url, publisher, date (AAAA-MM-JJ, AAAA-MM ou AAAA), "
          "accessed.",
          example=[{"title": "Statuts de l'association", "publisher": "La Cantine de l'Exemple",
                    "accessed": "2026-11-22"}]),
    Field("updated", "date", "Date de la dernière vérification des faits (AAAA-MM-JJ, ou AAAA-MM).",
          example="2026-11-22"),
    Field("draft", "bool", "true : brouillon, absent du site sauf avec --drafts.", example=False),
)

# Where an organisation or a place is, and how to reach it (actors and places alike: an actor
# with its own address and position needs no place entry to be on the map).
LOCATION: tuple[Field, ...] = (
    Field("address", "str", "Numéro et voie.", example="12 rue de l'Exemple"),
    Field("postcode", "postcode", "Code postal, 5 chiffres.", example="64100"),
    Field("city", "str", "Commune.", example="Bayonne"),
    Field("geo", "geo", "Position : {lat, lon} en degrés décimaux (avec un point : 43.49), "
          "approximate: true si approchée.", example={"lat": 43.49, "lon": -1.47}),
)
CONTACT: tuple[Field, ...] = (
    Field("email", "email", "Adresse électronique de contact (sans mailto:).", example="contact@exemple.org"),
    Field("phone", "phone", "Téléphone : numéro français (05 59 12 34 56) ou international (+32 2 123 45 67).",
          example="05 59 12 34 56"),
    Field("social", "urls", "Pages sur les réseaux sociaux, une adresse complète chacune.",
          example=["https://www.facebook.com/exemple", "https://mastodon.social/@exemple"]),
)
RECEPTION: tuple[Field, ...] = (
    Field("opening_hours", "hours", "Horaires d'accueil, syntaxe OpenStreetMap : jours Mo Tu We Th Fr Sa Su, "
          "PH (jours fériés), heures HH:MM, règles séparées par « ; ».",
          example="Mo-Fr 09:00-12:00,14:00-18:00; Sa 10:00-12:00; PH off"),
    Field("accessibility", "text", "Accessibilité du lieu aux personnes handicapées, en clair.",
          example="Entrée de plain-pied, toilettes adaptées, boucle magnétique à l'accueil."),
    Field("accessibility_url", "url", "Page qui détaille l'accessibilité (par exemple sur Acceslibre).",
          example="https://acceslibre.beta.gouv.fr/"),
)
SIRET = Field("siret", "siret", "SIRET de l'établissement : 14 chiffres, espaces permis ; vérifié (clé de contrôle).",
              example="123 456 782 00010")
IDENTIFIERS: tuple[Field, ...] = (
    SIRET,
    Field("siren", "siren", "SIREN de l'entreprise ou de l'association : 9 chiffres ; vérifié.", example="123 456 782"),
    Field("rna", "rna", "Numéro RNA d'une association : W suivi de 9 chiffres.", example="W641000001"),
)
# Every entry kind: an illustration, and where an imported entry came from.
MEDIA: tuple[Field, ...] = (
    Field("image", "image", "Image : un fichier à côté de la fiche (photo.jpg) ou sous assets/ "
          "(/assets/photos/photo.jpg) ; JPEG, PNG, WebP ou GIF.", example="photo.jpg"),
    Field("image_alt", "text", "Texte de remplacement de l'image, obligatoire avec une image : ce qu'elle montre "
          "(\"\" pour une image décorative).", example="La façade du local, vue de la rue"),
    Field("image_credit", "str", "Auteur et licence de l'image.", example="Photo : Camille Martin, CC BY-SA 4.0"),
    Field("origin", "origin", "Écrit par « build.py import » : {source, id}, la source importée et son identifiant.",
          example={"source": "annuaire-du-reseau", "id": "1234"}),
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
        Field("founded", "date", "Date de création : année, mois ou jour (2009, 2009-05, 2009-05-14).", example=2009),
        Field("staff", "int", "Nombre d'emplois.", example=12),
        Field("members_count", "int", "Nombre de membres (structures ou personnes).", example=19),
    ) + LOCATION + IDENTIFIERS + CONTACT + RECEPTION + MEDIA,
    "places": COMMON + (
        Field("type", "enum", "Nature du lieu.", choices=PLACE_TYPES, example="tiers-lieu"),
    ) + LOCATION + (
        Field("opened", "date", "Date d'ouverture : année, mois ou jour (2016, 2016-09).", example=2016),
        Field("area_m2", "int", "Surface en mètres carrés.", example=1300),
        Field("access", "strs", "Accès en transports en commun et à vélo, une ligne chacun.",
              example=["Bus ligne 3, arrêt Mairie"]),
    ) + (replace(SIRET, example="987 654 324 00019"),) + CONTACT + RECEPTION + MEDIA,
    "programmes": COMMON + (
        Field("type", "enum", "Nature du programme.", choices=PROGRAMME_TYPES, example="appel-a-projets"),
        Field("operators", "refs", "Qui le porte ou le finance.", ref="actors", example=[]),
        Field("laureates", "refs", "Qui a été retenu ou soutenu.", ref="actors", example=[]),
        Field("parent", "ref", "Plan ou programme dont il fait partie.", ref="programmes", example=""),
        Field("start", "date", "Date de début : année, mois ou jour (2013, 2013-07, 2013-07-15).",
              example="2013-07-15"),
        Field("end", "date", "Date de fin : année, mois ou jour.", example="2014-12-31"),
        Field("deadline", "date", "Date limite de candidature : année, mois ou jour.", example="2025-10-31"),
        Field("budget_eur", "number", "Enveloppe totale en euros.", example=3000000),
        Field("candidates_count", "int", "Nombre de candidatures.", example=180),
        Field("laureates_count", "int", "Nombre de lauréats.", example=23),
    ) + CONTACT + MEDIA,
    "territories": COMMON + (
        Field("type", "enum", "Échelon.", choices=TERRITORY_TYPES, example="commune"),
        Field("parent", "ref", "Territoire englobant.", ref="territories", example="nom-du-territoire-englobant"),
        Field("geo", "geo", "Centre approximatif : {lat, lon}.", example={"lat": 46.60, "lon": 1.89}),
        Field("code", "insee", "Code officiel géographique de l'Insee : commune (64102, 2A004), département "
              "(64, 2A, 974) ou région (75).", example="64102"),
    ) + MEDIA,
    "themes": COMMON + (
        Field("parent", "ref", "Thématique englobante.", ref="themes", example=""),
    ) + MEDIA,
    "pages": (COMMON[0], COMMON[1], COMMON[5], COMMON[6], COMMON[7]),
}

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


HOME_PAGE = "accueil"  # content/pages/accueil.md is the home page's text


def entry_url(kind: str, slug: str) -> str:
    """Site-relative URL of an entry page, without the base path."""
    if kind == "pages":
        return "" if slug == HOME_PAGE else f"{slug}/"
    return f"{KINDS[kind].segment}/{slug}/"
