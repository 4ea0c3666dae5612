"""``SubstringIndex`` answers exactly what ``term in text`` answers, for every term, in order."""

from __future__ import annotations

import random

from copilot.facts.substrings import SubstringIndex


def _naive(keys: list[str], text: str) -> list[int]:
    return [n for n, key in enumerate(keys) if key in text]


def test_present_is_exactly_the_terms_in_the_text_in_their_order() -> None:
    rng = random.Random(7)
    alphabet = "abcdé -#.ab"
    keys = ["", "a", "ab", "Osprey", "osprey", "Heron Labs", "heron-labs", "#inc-heron", "ée", "abcab", "abc"]
    keys += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 6))) for _ in range(300)]
    index = SubstringIndex(keys)
    texts = ["", "a", "Call Osprey and Heron Labs in #inc-heron", "ospreys heron-labs", "abcabcab ée"]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(300)]
    for text in texts:
        assert index.present(text) == _naive(keys, text), text


def test_duplicate_keys_are_each_reported() -> None:
    index = SubstringIndex(["Kite", "Kite", "kit"])
    assert index.present("a Kite") == [0, 1], "case-sensitive, like `in`"
    assert index.present("kitten") == [2]
