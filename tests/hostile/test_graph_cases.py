"""Broken graphs: self-references, parent cycles of every length in every kind that has a
parent, a territory that is its own ancestor, references to an entry of the wrong kind."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from atlas.pipeline import Options, check
from conftest import build_tree

PARENT_KINDS = ["actors", "programmes", "territories", "themes"]


def problems(root: Path) -> list[str]:
    return check(Options(root=root)).report.lines()


@pytest.mark.parametrize(("kind", "field", "value", "where"), [
    ("actors", "partners", "[x, a]", "partners.1"), ("actors", "parent", "a", "parent"),
    ("programmes", "parent", "a", "parent"), ("territories", "parent", "a", "parent"),
    ("themes", "parent", "a", "parent"),
])
def test_self_reference(tree, kind: str, field: str, value: str, where: str) -> None:
    files = {f"content/{kind}/a.md": f"---\ntitle: A\n{field}: {value}\n---\n"}
    if field == "partners":
        files["content/actors/x.md"] = "---\ntitle: X\n---\n"
    root = tree(files)
    assert problems(root) == [f"content/{kind}/a.md:3: {where}: 'a' refers to the entry itself (remove it)"]


@pytest.mark.parametrize("kind", PARENT_KINDS)
@pytest.mark.parametrize("length", [1, 2, 5])
def test_parent_cycles(tree, kind: str, length: int) -> None:
    names = "abcde"[:length]
    files = {f"content/{kind}/{n}.md": f"---\ntitle: {n.upper()}\nparent: {names[(i + 1) % length]}\n---\n"
             for i, n in enumerate(names)}
    files[f"content/{kind}/z.md"] = "---\ntitle: Z\nparent: b\n---\n" if length > 1 else "---\ntitle: Z\n---\n"
    root = tree(files)
    start = time.perf_counter()
    found = problems(root)
    assert time.perf_counter() - start < 5
    if length == 1:
        assert found == [f"content/{kind}/a.md:3: parent: 'a' refers to the entry itself (remove it)"]
    else:
        ring = " -> ".join(list(names) + ["a"])
        assert found == [f"content/{kind}/a.md:3: parent: cycle in parent: {ring} "
                         "(one of them must not have this parent)"]
    result = build_tree(root)
    assert not result.report.ok and not (root / "site").exists()


def test_a_territory_that_is_its_own_ancestor(tree) -> None:
    root = tree({
        "content/territories/france.md": "---\ntitle: France\ntype: pays\n---\n",
        "content/territories/hauts-de-france.md": "---\ntitle: Hauts-de-France\ntype: region\nparent: lille\n---\n",
        "content/territories/mel.md": "---\ntitle: MEL\ntype: metropole\nparent: hauts-de-france\n---\n",
        "content/territories/lille.md": "---\ntitle: Lille\ntype: commune\nparent: mel\n---\n",
        "content/territories/moulins.md": "---\ntitle: Moulins\ntype: quartier\nparent: lille\n---\n",
        "content/actors/a.md": "---\ntitle: A\nterritory: moulins\n---\n",
    })
    assert problems(root) == ["content/territories/hauts-de-france.md:4: parent: cycle in parent: "
                              "hauts-de-france -> lille -> mel -> hauts-de-france "
                              "(one of them must not have this parent)"]


WRONG = {
    "content/territories/lille.md": "---\ntitle: Lille\ntype: commune\n---\n",
    "content/themes/energie.md": "---\ntitle: Énergie\n---\n",
    "content/places/lieu.md": "---\ntitle: Lieu\n---\n",
    "content/programmes/prog.md": "---\ntitle: Programme\n---\n",
    "content/actors/acteur.md": "---\ntitle: Acteur\n---\n",
}


@pytest.mark.parametrize(("rel", "line", "expected"), [
    ("content/actors/a.md", "places: [lille]", "places: 'lille' is a territoire (territories), not a lieu"),
    ("content/actors/a.md", "parent: prog", "parent: 'prog' is a programme (programmes), not a acteur"),
    ("content/actors/a.md", "themes: [acteur]", "themes: 'acteur' is a acteur (actors), not a thématique"),
    ("content/actors/a.md", "partners: [lieu]", "partners: 'lieu' is a lieu (places), not a acteur"),
    ("content/places/a.md", "territory: energie", "territory: 'energie' is a thématique (themes), not a territoire"),
    ("content/programmes/a.md", "operators: [lieu]", "operators: 'lieu' is a lieu (places), not a acteur"),
    ("content/programmes/a.md", "laureates: [energie]",
     "laureates: 'energie' is a thématique (themes), not a acteur"),
    ("content/territories/a.md", "parent: acteur", "parent: 'acteur' is a acteur (actors), not a territoire"),
    ("content/themes/a.md", "parent: lille", "parent: 'lille' is a territoire (territories), not a thématique"),
])
def test_reference_to_an_entry_of_the_wrong_kind_says_what_it_is(tree, rel: str, line: str, expected: str) -> None:
    root = tree({**WRONG, rel: f"---\ntitle: A\n{line}\n---\n"})
    [found] = problems(root)
    assert found.startswith(f"{rel}:3: {expected} (")


def test_cross_link_to_an_entry_of_the_wrong_kind(tree) -> None:
    root = tree({**WRONG, "content/actors/a.md": "---\ntitle: A\n---\nIci, [Lille](lieu:lille).\n"})
    assert problems(root) == ["content/actors/a.md:4: body: link to lieu:lille: 'lille' is a territoire "
                              "(territories), not a lieu (did you mean 'lieu'?)"]


def test_thousands_of_unknown_references_are_reported_quickly(tree) -> None:
    files = {f"content/actors/acteur-numero-{i}.md": f"---\ntitle: Acteur {i}\n---\n" for i in range(300)}
    refs = ", ".join(f"acteur-numero-{i}x" for i in range(3000))
    root = tree({**files, "content/actors/a.md": f"---\ntitle: A\npartners: [{refs}]\n---\n"})
    start = time.perf_counter()
    found = problems(root)
    elapsed = time.perf_counter() - start
    assert len(found) == 3000 and elapsed < 5, f"{elapsed:.1f} s"
    # « did you mean » for the first few, in the order written; a plain hint for the rest
    assert ("content/actors/a.md:3: partners: unknown acteur 'acteur-numero-0x' "
            "(did you mean 'acteur-numero-0'?)") in found
    assert ("content/actors/a.md:3: partners: unknown acteur 'acteur-numero-2999x' "
            "(no file content/actors/acteur-numero-2999x.md)") in found
