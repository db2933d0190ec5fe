"""The fixture atlas: written for the engine's tests, independent of content/ and atlas.yaml.

FILES is the core: every kind and every relation (shown on both sides), a draft, accents and
apostrophes, a hostile body; the build, cache and incremental tests build it many times.
WHOLE is FILES plus the rest of the model: every type of every kind, a sub-theme, a territory
chain from the country to a neighbourhood, places with and without coordinates, an entry
written as YAML, budgets, dates and counts, and the free pages the header and footer link to
(à propos with #sources, #licences and #contribuer, accessibilité with its declared status).
The whole-site tests (`whole_site`, `published_site`, `site_server` in conftest.py) and the
golden pages build WHOLE once.

What the tests expect is read back from these texts by FACTS (helpers.Facts), never written
twice.
"""

from helpers import Facts

FILES = {
    "content/territories/france.md": "---\ntitle: France\ntype: pays\n---\n",
    "content/territories/agglomeration-du-val.md":
        "---\ntitle: Agglomération du Val\ntype: metropole\nparent: france\n---\n",
    "content/territories/valbourg.md":
        "---\ntitle: Valbourg\ntype: commune\nparent: agglomeration-du-val\n---\n",
    "content/territories/val-moulins.md": "---\ntitle: Val-Moulins\ntype: quartier\nparent: valbourg\n---\n",
    "content/themes/epargne-solidaire.md":
        "---\ntitle: Finance solidaire\nsummary: Épargne et crédit au service de projets utiles.\n---\n",
    "content/themes/economie-circulaire.md": "---\ntitle: Économie circulaire\n---\n",
    "content/places/maison-des-solidarites.md": """\
        ---
        title: Maison des solidarités
        type: maison-ess
        territory: val-moulins
        address: 235 boulevard Paul Painlevé
        postcode: "59000"
        city: Valbourg
        geo: {lat: 50.6275, lon: 3.0745, approximate: true}
        opened: 2016
        area_m2: 1300
        access:
          - "Métro ligne 2, arrêt Porte de Valenciennes (300 m)"
        ---
        Un lieu ressource.
        """,
    "content/actors/banque-ethique.md": """\
        ---
        title: La NEF
        summary: Coopérative bancaire.
        type: cooperative
        themes: [epargne-solidaire]
        territory: valbourg
        places: [maison-des-solidarites]
        partners: [club-epargne-du-nord]
        parent: reseau-finance
        website: https://www.lanef.com/
        sources:
          - {title: "Maison de l'ESS", publisher: Ville de Valbourg, url: "https://www.valbourg.fr/", date: 2023-11-01}
        updated: 2026-11-22
        ---
        Hébergée à la [Maison de l'ESS](lieu:maison-des-solidarites), partenaire des [](acteur:club-epargne-du-nord).

        <script>alert("x")</script><a href="javascript:alert(1)" onclick="x()">lien</a>
        """,
    "content/actors/club-epargne-du-nord.md":
        "---\ntitle: Les CIGALES\ntype: association\nthemes: [epargne-solidaire]\nterritory: valbourg\n"
        "places: [maison-des-solidarites]\n---\n",
    "content/actors/reseau-finance.md": "---\ntitle: Réseau finance\ntype: reseau\n---\n",
    "content/actors/la-cantine-cooperative.md":
        "---\ntitle: L'Aubergeoise\ntype: scic\nthemes: [economie-circulaire]\nterritory: val-moulins\n---\n",
    "content/actors/brouillon.md": "---\ntitle: Brouillon\ndraft: true\n---\n",
    "content/programmes/appel-a-projets-ptce.md": """\
        ---
        title: Appel à projets PTCE
        type: appel-a-projets
        themes: [epargne-solidaire]
        territory: france
        operators: [reseau-finance]
        laureates: [banque-ethique]
        start: 2013-07-15
        budget_eur: 3000000
        ---
        """,
    "content/programmes/volet-local.md":
        "---\ntitle: Volet local\ntype: dispositif\nparent: appel-a-projets-ptce\n---\n",
    "content/pages/accueil.md": "---\ntitle: Accueil\n---\nBienvenue dans l'**atlas**.\n",
    "content/pages/a-propos.md": "---\ntitle: À propos\n---\nLes sources.\n",
}

# The rest of the model (see the docstring); kept apart so the tests that build FILES many
# times stay quick.
MORE = {
    "content/pages/a-propos.md": """\
        ---
        title: À propos
        summary: D'où viennent les fiches, sous quelle licence elles sont publiées, comment les compléter.
        ---
        Les sources.

        ## Sources

        Chaque fiche cite les documents publics dont ses faits sont tirés.

        ## Licences

        Textes sous licence CC BY-SA 4.0, données sous Licence Ouverte 2.0.

        ## Contribuer

        Proposez une modification par *pull request*, en citant vos sources.
        """,
    "content/pages/accessibilite.md": """\
        ---
        title: Accessibilité
        summary: Déclaration d'accessibilité de l'atlas de test.
        ---
        ## État de conformité

        L'atlas est **non conforme** au RGAA : il n'a pas encore été audité.
        """,
    "content/territories/hauts-de-france.md":
        "---\ntitle: Hauts-de-France\ntype: region\nparent: france\n---\n",
    "content/territories/nord.md":
        "---\ntitle: Nord\ntype: departement\nparent: hauts-de-france\ngeo: {lat: 50.45, lon: 3.2}\n"
        "summary: Département du Nord.\nupdated: 2026-04-18\n---\n",
    "content/themes/reemploi.md": """\
        ---
        title: Réemploi et réparation
        summary: Donner une seconde vie aux objets.
        parent: economie-circulaire
        updated: 2026-10-05
        ---
        Une sous-thématique de l'[économie circulaire](thematique:economie-circulaire).
        """,
    "content/places/le-grand-atelier.md": """\
        ---
        title: Le Grand Atelier
        summary: Tiers-lieu de réparation et de fabrication partagée.
        type: tiers-lieu
        themes: [reemploi]
        territory: val-moulins
        address: 12 rue des Meuniers
        postcode: "59000"
        city: Valbourg
        geo: {lat: 50.6241, lon: 3.0702}
        website: https://grand-atelier.example.org/
        sources:
          - {title: "Programme du Grand Atelier", url: "https://grand-atelier.example.org/programme", accessed: 2026-09-30}
        updated: 2026-09-30
        ---
        Un atelier ouvert où l'on répare vélos, meubles et appareils.
        """,
    "content/places/incubateur-eclore.md":
        "---\ntitle: Incubateur Éclore\ntype: incubateur\nterritory: valbourg\naddress: 3 place du Théâtre\n"
        "city: Valbourg\ngeo: {lat: 50.6370, lon: 3.0650}\n---\nAccompagne les projets d'entreprise sociale.\n",
    "content/places/le-relais-des-saveurs.md":
        "---\ntitle: Le Relais des Saveurs\ntype: restaurant\nterritory: nord\naddress: 8 rue de la Gare\n"
        "postcode: \"59200\"\ncity: Tourcoing\ngeo: {lat: 50.7239, lon: 3.1612}\n---\nUn restaurant d'insertion.\n",
    "content/places/bureaux-du-reseau.md":
        "---\ntitle: Bureaux du Réseau\ntype: bureau\ncity: Valbourg\n---\nAdresse non publiée.\n",
    "content/places/entrepot-du-reemploi.md":
        "---\ntitle: Entrepôt du réemploi\ntype: autre\nterritory: nord\n"
        "geo: {lat: 50.60, lon: 3.15, approximate: true}\n---\n",
    "content/actors/atelier-du-moulin.md": """\
        ---
        title: Atelier coopératif du Moulin
        summary: SCOP de réparation et de réemploi, installée au Grand Atelier depuis sa création.
        type: scop
        themes: [reemploi, economie-circulaire]
        territory: val-moulins
        places: [le-grand-atelier, maison-des-solidarites]
        programmes: [volet-local]
        partners: [rebond-insertion]
        parent: pole-economie-circulaire
        website: https://atelier-du-moulin.example.org/
        founded: 2019
        staff: 14
        members_count: 22
        sources:
          - {title: "Rapport d'activité 2025", publisher: Atelier coopératif du Moulin, url: "https://atelier-du-moulin.example.org/rapport-2025.pdf", date: 2026-03-15}
          - {title: "Annuaire des SCOP", publisher: Union régionale des SCOP, accessed: 2026-09-01}
        updated: 2026-09-01
        ---
        L'atelier répare des vélos et des appareils ménagers, et revend ce qu'il a remis en état.

        ## Activités

        - réparation à la demande ;
        - ateliers d'autoréparation avec [Rebond insertion](acteur:rebond-insertion) ;
        - revente d'objets de [réemploi](thematique:reemploi).

        Il participe au [volet local](programme:volet-local) de l'appel à projets.
        """,
    "content/actors/elan-cae.md":
        "---\ntitle: Élan, coopérative d'activité\ntype: cae\nthemes: [epargne-solidaire]\nterritory: valbourg\n"
        "founded: 2004\nupdated: 2026-06-30\n---\nLes entrepreneurs y testent leur activité en étant salariés.\n",
    "content/actors/fondation-solidarite-nord.md":
        "---\ntitle: Fondation Solidarité Nord\ntype: fondation\nterritory: nord\nwebsite: mailto:contact@example.org\n"
        "---\nFinance des projets de solidarité.\n",
    "content/actors/mutuelle-des-flandres.yaml": """\
        title: Mutuelle des Flandres
        summary: Une mutuelle décrite dans un fichier YAML.
        type: mutuelle
        territory: nord
        parent: fondation-solidarite-nord
        body: |
          Une mutuelle de santé, membre du groupe de la fondation.
        """,
    "content/actors/rebond-insertion.md":
        "---\ntitle: Rebond insertion\ntype: entreprise\nthemes: [economie-circulaire]\nterritory: nord\n"
        "places: [le-relais-des-saveurs, entrepot-du-reemploi]\nparent: pole-economie-circulaire\nstaff: 30\n---\n"
        "Entreprise d'insertion : restauration et tri.\n",
    "content/actors/departement-du-nord.md":
        "---\ntitle: Conseil départemental du Nord\ntype: collectivite\nterritory: nord\n---\n",
    "content/actors/agence-regionale-ess.md":
        "---\ntitle: Agence régionale de l'ESS\ntype: etablissement-public\nterritory: hauts-de-france\n"
        "places: [bureaux-du-reseau]\n---\n",
    "content/actors/pole-economie-circulaire.md":
        "---\ntitle: Pôle Économie circulaire\ntype: cluster\nthemes: [economie-circulaire]\n"
        "territory: agglomeration-du-val\nplaces: [incubateur-eclore]\nmembers_count: 40\n"
        "updated: 2026-11-02\n---\nRéunit les structures du réemploi de la métropole.\n",
    "content/programmes/fonds-d-avances.md":
        "---\ntitle: Fonds d'avances remboursables\ntype: fonds\nthemes: [epargne-solidaire]\nterritory: nord\n"
        "operators: [departement-du-nord]\nlaureates: [rebond-insertion]\nbudget_eur: 500000\nstart: 2024-01-01\n"
        "updated: 2026-05-12\n---\n",
    "content/programmes/parcours-elan.md":
        "---\ntitle: Parcours d'accompagnement Élan\ntype: accompagnement\noperators: [elan-cae]\n"
        "laureates: [atelier-du-moulin]\nbudget_eur: 45000.5\nstart: 2025-09-01\nend: 2026-06-30\n---\n"
        "Six mois pour tester une activité.\n",
    "content/programmes/label-lieu-ess.md":
        "---\ntitle: Label lieu de l'ESS\ntype: label\nthemes: [economie-circulaire]\noperators: [pole-economie-circulaire]\n"
        "laureates: [rebond-insertion, club-epargne-du-nord]\n---\n",
    "content/programmes/plan-regional-ess.md":
        "---\ntitle: Plan régional de l'ESS\ntype: plan\nterritory: hauts-de-france\n"
        "operators: [agence-regionale-ess]\nbudget_eur: 12000000\ncandidates_count: 180\nlaureates_count: 23\n"
        "start: 2026-01-01\nend: 2028-12-31\nupdated: 2026-02-01\n---\n",
}

# One entry of each kind with every field of its kind (tests/test_every_field.py checks that none is
# missing), each with an image: IMAGES are drawn by Pillow where the atlas is written.
COMPLETE = {
    "content/actors/atelier-complet.md": """\
        ---
        title: Atelier complet
        summary: Une coopérative qui remplit chaque champ de sa fiche.
        type: scic
        themes: [reemploi]
        territory: valbourg
        website: https://atelier-complet.example.org/
        sources:
          - {title: "Statuts de la coopérative", url: "https://atelier-complet.example.org/statuts.pdf", accessed: 2026-10-02}
        updated: 2026-10-02
        places: [le-grand-atelier]
        programmes: [label-lieu-ess]
        partners: [banque-ethique]
        parent: reseau-finance
        founded: 2019-03
        staff: 12
        members_count: 340
        address: 12 rue des Coopérateurs
        postcode: "59000"
        city: Valbourg
        geo: {lat: 50.6311, lon: 3.0571}
        siret: 802 954 784 00012
        siren: 802954784
        rna: W595000123
        email: contact@atelier-complet.example.org
        phone: 03 20 12 34 56
        social: [https://mastodon.example.org/@atelier, https://www.linkedin.com/company/atelier-complet]
        opening_hours: Mo-Fr 09:00-12:30,14:00-18:00; Sa 10:00-16:00
        accessibility: Entrée de plain-pied, boucle magnétique à l'accueil.
        accessibility_url: https://atelier-complet.example.org/accessibilite
        image: atelier-complet.jpg
        image_alt: L'atelier vu depuis la rue, sa vitrine et ses établis.
        image_credit: Photo Atelier complet, CC BY 4.0
        origin: {source: annuaire-regional, id: "A-0042"}
        ---
        Une coopérative qui répare, revend et forme, installée au [Grand Atelier](lieu:le-grand-atelier).
        """,
    "content/places/halle-complete.md": """\
        ---
        title: Halle complète
        summary: Un tiers-lieu décrit champ par champ.
        type: tiers-lieu
        themes: [reemploi]
        territory: val-moulins
        website: https://halle.example.org/
        sources:
          - {title: "Plan de la halle", url: "https://halle.example.org/plan", accessed: 2026-09-15}
        updated: 2026-09-15
        address: 3 place de la Halle
        postcode: "59000"
        city: Valbourg
        geo: {lat: 50.6195, lon: 3.0683, approximate: true}
        opened: 2021-06
        area_m2: 1300
        access: [Métro ligne 2, station Porte de Douai, Bus 18]
        siret: 802 954 784 00020
        email: accueil@halle.example.org
        phone: "+33 3 20 98 76 54"
        social: [https://mastodon.example.org/@halle]
        opening_hours: Tu-Sa 10:00-19:00
        accessibility: Ascenseur vers l'étage, toilettes adaptées.
        accessibility_url: https://halle.example.org/accessibilite
        image: halle-complete.png
        image_alt: La halle, sa charpente métallique et ses stands.
        image_credit: Photo Halle complète
        origin: {source: annuaire-regional, id: "L-0007"}
        ---
        Une ancienne halle de marché devenue lieu de l'ESS.
        """,
    "content/programmes/appel-complet.md": """\
        ---
        title: Appel complet
        summary: Un appel à projets dont chaque champ est rempli.
        type: appel-a-projets
        themes: [reemploi]
        territory: agglomeration-du-val
        website: https://appel.example.org/
        sources:
          - {title: "Règlement de l'appel", url: "https://appel.example.org/reglement.pdf", accessed: 2026-08-01}
        updated: 2026-08-01
        operators: [agence-regionale-ess]
        laureates: [atelier-complet]
        parent: plan-regional-ess
        start: 2026-09
        end: 2027
        deadline: 2026-11-15
        budget_eur: 250000
        candidates_count: 42
        laureates_count: 1
        email: appel@example.org
        phone: 03 20 11 22 33
        social: [https://mastodon.example.org/@appel]
        image: appel-complet.jpg
        image_alt: L'affiche de l'appel.
        image_credit: Affiche de l'agence
        origin: {source: annuaire-regional, id: "P-0003"}
        ---
        Pour financer les projets de réemploi.
        """,
    "content/territories/moulins-complet.md": """\
        ---
        title: Quartier complet
        summary: Un quartier décrit par tous ses champs.
        type: quartier
        themes: [reemploi]
        territory: valbourg
        website: https://quartier.example.org/
        sources:
          - {title: "Fiche du quartier", url: "https://quartier.example.org/fiche", accessed: 2026-07-01}
        updated: 2026-07-01
        parent: valbourg
        geo: {lat: 50.6205, lon: 3.0700}
        code: "59350"
        image: moulins-complet.jpg
        image_alt: Une rue du quartier.
        image_credit: Photo de la ville
        origin: {source: annuaire-regional, id: "T-0001"}
        ---
        Un quartier de Valbourg.
        """,
    "content/themes/reparation-complete.md": """\
        ---
        title: Réparation complète
        summary: Une thématique avec tous ses champs.
        themes: [economie-circulaire]
        territory: valbourg
        website: https://reparation.example.org/
        sources:
          - {title: "Charte de la réparation", url: "https://reparation.example.org/charte", accessed: 2026-06-01}
        updated: 2026-06-01
        parent: reemploi
        image: reparation-complete.jpg
        image_alt: Des outils sur un établi.
        image_credit: Photo du réseau
        origin: {source: annuaire-regional, id: "H-0001"}
        ---
        Réparer plutôt que jeter.
        """,
    "content/pages/glossaire.md": """\
        ---
        title: Glossaire
        summary: Les mots de l'ESS.
        sources:
          - {title: "Loi du 31 juillet 2014", url: "https://www.legifrance.gouv.fr/loda/id/JORFTEXT000029313296", accessed: 2026-05-01}
        updated: 2026-05-01
        ---
        Une SCIC est une société coopérative d'intérêt collectif.
        """,
}
# image files of COMPLETE: path -> (width, height)
IMAGES = {"content/actors/atelier-complet.jpg": (1600, 1000), "content/places/halle-complete.png": (900, 600),
          "content/programmes/appel-complet.jpg": (800, 1100), "content/territories/moulins-complet.jpg": (1200, 800),
          "content/themes/reparation-complete.jpg": (700, 500)}

WHOLE = {**FILES, **MORE, **COMPLETE,
         # Its own settings: the statement page it has, and the status that page declares.
         "atlas.yaml": "accessibility: non conforme\naccessibility_page: accessibilite\n"}
FACTS = Facts(WHOLE)
