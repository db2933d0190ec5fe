"""The engine's default theme: templates/, assets/ and geo/ beside this file (a site overrides them
file by file, render/theme.py). A package only so that every stage can name the folder."""

from pathlib import Path

FOLDER = Path(__file__).resolve().parent
