"""The issue form « Ajouter une structure » (`.github/ISSUE_TEMPLATE/ajouter-une-structure.yml`),
generated from the actor schema so that it asks for every field a contributor may know, with the
atlas's own types, and names no entry of any atlas (placeholders are the model's neutral examples).

Invariant: one question per field of the actor schema except those the maintainers set
(MAINTAINERS_ONLY); the id of each question is the field's name, its label ends with « (name) ».
"""

from __future__ import annotations

from typing import Any

import yaml

from ..model.kinds import KINDS, SCHEMAS, TYPE_LABELS, Field

PATH = ".github/ISSUE_TEMPLATE/ajouter-une-structure.yml"
MAINTAINERS_ONLY = {"updated", "draft", "origin"}
# Short questions for the built-in fields; any other field asks with its help text.
LABELS = {
    "title": "Nom de la structure", "summary": "Résumé", "type": "Forme juridique ou organisationnelle",
    "themes": "Thématiques", "territory": "Territoire", "website": "Site officiel",
    "places": "Lieux où elle est installée ou hébergée", "programmes": "Programmes auxquels elle participe",
    "partners": "Partenaires", "parent": "Réseau ou groupe dont elle est membre", "founded": "Année de création",
    "staff": "Nombre d'emplois", "members_count": "Nombre de membres, structures ou personnes",
    "sources": "Sources",
}
HEADER = ("# Issue form « Ajouter une structure », generated from the actor schema by `python build.py schema`\n"
          "# (do not edit by hand: `schema --check` fails when it is stale). The id of each question is a field name.\n")
INTRO = ("Merci ! Chaque réponse deviendra un champ de la fiche de la structure (entre parenthèses,\n"
         "le nom du champ dans `content/actors/`). Ne donnez que des informations publiques, tirées\n"
         "des sources que vous citez plus bas, et laissez vide ce que vous ne savez pas. Le guide\n"
         "CONTRIBUTING.md explique chaque champ.\n")


class _Dumper(yaml.SafeDumper):
    """Block lists indented under their key, multi-line text as a literal block: YAML as people write it."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_Dumper.add_representer(str, _text)


def _label(spec: Field) -> str:
    return f"{LABELS.get(spec.name) or spec.help.split('.')[0].split(' : ')[0]} ({spec.name})"


def _placeholder(spec: Field) -> str | None:
    """The model's example as a contributor would type it in a box, for one-value text fields."""
    if spec.type in ("str", "text", "url", "year", "int", "number") and spec.example not in (None, "", []):
        return str(spec.example)
    return None


def question(spec: Field) -> dict[str, Any]:
    """One form element for one field: a dropdown for a list of types, a text area for long text."""
    attributes: dict[str, Any] = {"label": _label(spec)}
    if spec.type == "enum":
        attributes["options"] = [f"{TYPE_LABELS.get(c, c)} ({c})" for c in spec.choices]
        item: dict[str, Any] = {"type": "dropdown", "id": spec.name, "attributes": attributes}
    else:
        kind = "textarea" if spec.type in ("text", "sources", "strs") else "input"
        description = spec.help
        if spec.ref:
            description += (f" Parmi les fiches de l'atlas (page « {KINDS[spec.ref].plural} » du site) ou à ajouter"
                            + (", séparées par des virgules." if spec.type == "refs" else "."))
        if spec.type == "sources":
            description = ("Une par ligne, avec son titre, qui l'a publiée, sa date et son adresse si elle en a "
                           "une.")
        attributes["description"] = description
        placeholder = _placeholder(spec)
        if placeholder:
            attributes["placeholder"] = placeholder
        item = {"type": kind, "id": spec.name, "attributes": attributes}
    if spec.required or spec.type == "sources":
        item["validations"] = {"required": True}
    return item


def issue_form() -> str:
    """The form's YAML text: an introduction, one question per field, the body, a consent box."""
    body: list[dict[str, Any]] = [{"type": "markdown", "attributes": {"value": INTRO}}]
    body += [question(spec) for spec in SCHEMAS["actors"] if spec.name not in MAINTAINERS_ONLY]
    body.append({"type": "textarea", "id": "body", "attributes": {
        "label": "Présentation (le texte de la fiche)",
        "description": "Qui elle est, ce qu'elle fait, pour qui, où, depuis quand ; seulement ce que disent "
                       "les sources."}})
    body.append({"type": "checkboxes", "id": "confirmation", "attributes": {
        "label": "Publication",
        "options": [{"label": "Ces informations sont publiques, tirées des sources citées, et peuvent être "
                              "publiées sous les licences de l'atlas (page « À propos »).", "required": True}]}})
    form = {"name": "Ajouter une structure",
            "description": "Proposer une association, une coopérative, un réseau… pour l'atlas, sans écrire "
                           "de fichier.",
            "title": "Ajouter une structure : ", "labels": ["nouvelle fiche"], "body": body}
    return HEADER + yaml.dump(form, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=4096)
