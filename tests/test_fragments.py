"""Export files written from fragments (outputs/fragments.py): a file remade from its published
version and a few fragments equals the file made whole, byte for byte, layout and digest included."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from atlas.outputs import Fragment, Joined, fragment_id, write

PATH = "donnees/test.json"


def document(values: dict[str, bytes], calls: list[str] | None = None) -> list:
    """A head, one fragment on its own, a run of fragments with a separator (empty ones take
    none) and one without."""
    def make(key: str):
        def made(deps: set[str]) -> bytes:
            if calls is not None:
                calls.append(key)
            deps.add(f"e:{key}")
            return values[key]
        return made
    keys = sorted(values)
    half = (len(keys) + 1) // 2
    return [b'{"head":1,"first":', Fragment(keys[0], make(keys[0])), b',"rest":[',
            Joined(keys[1:half], lambda key, deps: make(key)(deps), b","), b"]}\n",
            Joined(keys[half:], lambda key, deps: make(key)(deps))]  # rows, as a CSV's: no separator


def whole(tmp_path: Path, values: dict[str, bytes], name: str = "whole") -> tuple[bytes, object]:
    target = tmp_path / name
    written = write(document(values), target, PATH, None, None, None)
    return target.read_bytes(), written


def test_a_kept_fragment_is_copied_and_not_made(tmp_path: Path) -> None:
    values = {f"k{i:03}": f'"v{i}"'.encode() for i in range(200)}
    published = tmp_path / "published"
    first = write(document(values), published, PATH, None, None, None)
    assert set(first.made) == set(values) and first.dropped == []
    values["k050"] = b'"changed"'
    calls: list[str] = []
    target = tmp_path / "next"
    again = write(document(values, calls), target, PATH, published, first.layout,
                  frozenset({fragment_id(PATH, "k050"), "other/file.json#k051"}))
    assert calls == ["k050"]  # the other file's fragment is not this one's
    assert again.made == {"k050": {"e:k050"}}
    data, cold = whole(tmp_path, values)
    assert target.read_bytes() == data and b'"changed"' in data
    assert again.layout == cold.layout and again.digest == cold.digest != first.digest
    values["k050"] = b""  # emptied: its separator goes, the fragments after it move
    calls.clear()
    third = write(document(values, calls), tmp_path / "third", PATH, target, again.layout,
                  frozenset({fragment_id(PATH, "k050")}))
    assert calls == ["k050"]  # made once, though the file is walked again
    data, cold = whole(tmp_path, values)
    assert (tmp_path / "third").read_bytes() == data and b",," not in data
    assert third.layout == cold.layout and third.digest == cold.digest


def test_nothing_to_remake_gives_the_same_file(tmp_path: Path) -> None:
    values = {f"k{i:03}": f"{i}".encode() for i in range(50)}
    published = tmp_path / "published"
    first = write(document(values), published, PATH, None, None, None)
    calls: list[str] = []
    again = write(document(values, calls), tmp_path / "next", PATH, published, first.layout, frozenset())
    assert calls == [] and again.digest == first.digest
    assert again.kept and not (tmp_path / "next").exists()  # the published file is the document: no copy
    again = write(document(values, calls), tmp_path / "next", PATH, published, first.layout,
                  frozenset({fragment_id(PATH, "k010")}))
    assert calls == ["k010"] and again.kept and not (tmp_path / "next").exists()  # made again, the same bytes
    values["k010"] = b"x"
    again = write(document(values), tmp_path / "next", PATH, published, first.layout,
                  frozenset({fragment_id(PATH, "k010")}))
    assert not again.kept and (tmp_path / "next").read_bytes() == whole(tmp_path, values)[0]


def test_a_published_file_that_does_not_match_its_layout_is_not_copied(tmp_path: Path) -> None:
    values = {f"k{i}": b"1" for i in range(5)}
    published = tmp_path / "published"
    first = write(document(values), published, PATH, None, None, None)
    published.write_bytes(published.read_bytes() + b" ")  # edited by hand: its layout no longer holds
    calls: list[str] = []
    write(document(values, calls), tmp_path / "next", PATH, published, first.layout, frozenset())
    assert sorted(calls) == sorted(values)
    assert (tmp_path / "next").read_bytes() == whole(tmp_path, values)[0]


@pytest.mark.parametrize("seed", range(40))
def test_random_edits_equal_a_whole_build(tmp_path: Path, seed: int) -> None:
    """Fragments changed, emptied, filled, added and removed, the first and last ones included."""
    rng = random.Random(seed)
    values = {f"k{i:03}": rng.choice([b"", b"[1]", b'{"a":"x"}', b"22"]) for i in range(rng.randint(1, 40))}
    published = tmp_path / "published"
    layout = write(document(values), published, PATH, None, None, None).layout
    for step in range(4):
        changed = set()
        for key in rng.sample(sorted(values), k=min(len(values), rng.randint(0, 4))):
            values[key] = rng.choice([b"", b"[3]", b'"' + bytes([65 + step]) * rng.randint(1, 70) + b'"'])
            changed.add(key)
        for _ in range(rng.randint(0, 2)):
            key = f"k{rng.randint(0, 60):03}"
            if key in values and len(values) > 1 and rng.random() < 0.5:
                del values[key]
            else:
                values[key] = b"[9]"
                changed.add(key)
        remake = frozenset(fragment_id(PATH, k) for k in changed)
        target = tmp_path / f"next{step}"
        written = write(document(values), target, PATH, published, layout, remake)
        data, cold = whole(tmp_path, values)
        if written.kept:  # nothing came out changed: the published file is the document
            assert not target.exists()
            target = published
        assert target.read_bytes() == data, (seed, step)
        assert written.layout == cold.layout and written.digest == cold.digest
        assert set(written.made) <= changed | (set(values) - {k for k, _, _ in layout.segments})
        assert set(written.dropped) == {k for k, _, _ in layout.segments if k is not None} - set(values)
        published, layout = target, written.layout
