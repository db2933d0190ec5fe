"""A small atlas that exercises every relation, used by the build and golden tests."""

FILES = {
    "content/territories/france.md": "---\ntitle: France\ntype: pays\n---\n",
    "content/territories/metropole-europeenne-de-lille.md":
        "---\ntitle: Métropole européenne de Lille\ntype: metropole\nparent: france\n---\n",
    "content/territories/lille.md":
        "---\ntitle: Lille\ntype: commune\nparent: metropole-europeenne-de-lille\n---\n",
    "content/territories/lille-moulins.md": "---\ntitle: Lille-Moulins\ntype: quartier\nparent: lille\n---\n",
    "content/themes/finance-solidaire.md":
        "---\ntitle: Finance solidaire\nsummary: Épargne et crédit au service de projets utiles.\n---\n",
    "content/themes/economie-circulaire.md": "---\ntitle: Économie circulaire\n---\n",
    "content/places/maison-de-l-ess-lille.md": """\
        ---
        title: Maison de l'ESS de Lille
        type: maison-ess
        territory: lille-moulins
        address: 235 boulevard Paul Painlevé
        postcode: "59000"
        city: Lille
        geo: {lat: 50.6275, lon: 3.0745, approximate: true}
        opened: 2016
        area_m2: 1300
        access:
          - "Métro ligne 2, arrêt Porte de Valenciennes (300 m)"
        ---
        Un lieu ressource.
        """,
    "content/actors/la-nef.md": """\
        ---
        title: La NEF
        summary: Coopérative bancaire.
        type: cooperative
        themes: [finance-solidaire]
        territory: lille
        places: [maison-de-l-ess-lille]
        partners: [cigales-hauts-de-france]
        parent: reseau-finance
        website: https://www.lanef.com/
        sources:
          - {title: "Maison de l'ESS", publisher: Ville de Lille, url: "https://www.lille.fr/", date: 2023-11-01}
        updated: 2026-11-22
        ---
        Hébergée à la [Maison de l'ESS](lieu:maison-de-l-ess-lille), partenaire des [](acteur:cigales-hauts-de-france).

        <script>alert("x")</script><a href="javascript:alert(1)" onclick="x()">lien</a>
        """,
    "content/actors/cigales-hauts-de-france.md":
        "---\ntitle: Les CIGALES\ntype: association\nthemes: [finance-solidaire]\nterritory: lille\n"
        "places: [maison-de-l-ess-lille]\n---\n",
    "content/actors/reseau-finance.md": "---\ntitle: Réseau finance\ntype: reseau\n---\n",
    "content/actors/l-aubergeoise.md":
        "---\ntitle: L'Aubergeoise\ntype: scic\nthemes: [economie-circulaire]\nterritory: lille-moulins\n---\n",
    "content/actors/brouillon.md": "---\ntitle: Brouillon\ndraft: true\n---\n",
    "content/programmes/appel-a-projets-ptce.md": """\
        ---
        title: Appel à projets PTCE
        type: appel-a-projets
        themes: [finance-solidaire]
        territory: france
        operators: [reseau-finance]
        laureates: [la-nef]
        start: 2013-07-15
        budget_eur: 3000000
        ---
        """,
    "content/programmes/volet-local.md":
        "---\ntitle: Volet local\ntype: dispositif\nparent: appel-a-projets-ptce\n---\n",
    "content/pages/accueil.md": "---\ntitle: Accueil\n---\nBienvenue dans l'**atlas**.\n",
    "content/pages/a-propos.md": "---\ntitle: À propos\n---\nLes sources.\n",
}
