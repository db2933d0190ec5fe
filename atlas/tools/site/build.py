#!/usr/bin/env python3
"""Ligne de commande de l'atlas : `python build.py build | check | serve | new | …` (voir --help).

Le générateur est le paquet Python `atlas-ess`, installé par `pip install -r requirements.txt` :
ce fichier ne fait que l'appeler, depuis le dossier de l'atlas.
"""

import sys

from atlas.cli import main

if __name__ == "__main__":
    sys.exit(main())
