"""people's one-pass scan (_fused, _scan) finds exactly the matches of the patterns it joins, each
found by its own finditer, on corpus documents, example texts and random texts."""
import functools
import glob
import os
import random
import re

import pytest
import yaml

from syextract.extractors import people
from syextract.extractors.base import class_of, lexicon, second_items
from syextract.io.source import read
from syextract.normalize import normalize

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@functools.lru_cache(maxsize=None)
def corpus_texts() -> tuple[str, ...]:
    """The normalised texts of the corpus documents and of the example cases (what the extractors see)."""
    texts = []
    for path in sorted(glob.glob(os.path.join(ROOT, "corpus", "docs", "*.*"))):
        src = read(path)
        texts.append(normalize(src.text, src.format).text)
    for path in sorted(glob.glob(os.path.join(ROOT, "tests", "examples", "*.yaml"))):
        with open(path, encoding="utf-8") as f:
            for case in yaml.safe_load(f) or []:
                texts.append(normalize(case["text"] + "\n", case.get("format") or "txt").text)
    return tuple(texts)


def random_texts(seed: int, words: list[str], chars: str, n: int = 400) -> list[str]:
    """Texts made of the words (whole, or cut at a random character) and the characters."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(0, 12)):
            w = rng.choice(words)
            parts.append(w[:rng.randint(1, len(w))] if rng.random() < 0.3 else w)
            parts.append("".join(rng.choice(chars) for _ in range(rng.randint(0, 3))))
        out.append("".join(parts))
    return out


def _people_words() -> list[str]:
    tl, rl = lexicon("titles"), lexicon("roles")
    return (list(rl["labels"]) + list(rl.get("label_roles") or {}) + list(rl["fills"]) + list(tl["honorifics"])
            + list(rl["designate_verbs"]) + list(rl["designate_nouns"]) + ["一名", "两位", "任", "为", "负责", "张三"])


def _found(matches) -> list:
    return [(m.span(), m.groups()) for m in matches]


def _check_scan(text: str) -> None:
    R = people._rx()
    found = people._scan(text)
    assert list(found) == list(R["scanned"])
    for name, rx in R["scanned"].items():
        assert _found(found[name]) == _found(rx.finditer(text)), (name, text[:200])


def test_scan_on_corpus_and_examples():
    for text in corpus_texts():
        _check_scan(text)


@pytest.mark.parametrize("seed", range(4))
def test_scan_on_random_texts(seed):
    for text in random_texts(seed, _people_words(), " \t\n:：,、。()（）xX李王"):
        _check_scan(text)


def test_scan_is_led_by_the_derived_classes():
    """The fused regex is led by the class of the patterns' first characters and a look-ahead for
    that of their second (derived from the patterns: a pattern changed cannot leave it stale)."""
    R = people._rx()
    assert R["scan"][0].pattern.startswith("[")
    assert all(second_items(rx.pattern) for rx in R["scanned"].values())


@pytest.mark.parametrize("pattern", [r"ab?c|d[ef]*g", r"(?:ab)+x", r"a(?=x)b", r"x\d{1,3}", r"(?:a|bc)d",
                                     r"(?<![a-z])[xy][ \t]*(?:z|ab)", r"a(?:b?c?)+d"])
def test_second_items_hold_every_match_second_character(pattern):
    items = second_items(pattern)
    assert items
    second = re.compile("[%s]" % class_of(items))
    rx = re.compile(pattern)
    rng = random.Random(pattern)
    for _ in range(300):
        text = "".join(rng.choice("abcdefgxyz12 \t") for _ in range(12))
        for i in range(len(text)):
            m = rx.match(text, i)
            if m:
                assert len(m.group()) >= 2 and second.match(m.group(), 1), (pattern, m.group())


@pytest.mark.parametrize("pattern", ["a", "ab?", "a*b", r"a(?:b|)", "[^a]b", "a.b", r"(a)\1"])
def test_second_items_not_known(pattern):
    """A match may be one character long, or the pattern holds what is not followed: not known."""
    assert second_items(pattern) is None


def test_fused_keeps_each_pattern_flags():
    """A pattern's flags (re.M) stay its own: ^ in another pattern still means the text's start."""
    patterns = {"m": re.compile(r"^ab", re.M), "plain": re.compile(r"^ac|bc$"), "s": re.compile(r"a.c", re.S)}
    rx, groups = people._fused(patterns)
    for text in random_texts(5, ["ab", "ac", "bc", "a\nc"], "\nabc"):
        for i in range(len(text)):
            m = rx.match(text, i)
            where = {name for name, g in groups.items() if m and m.start(g) >= 0}
            assert where == {name for name, p in patterns.items() if p.match(text, i)}, (text, i)
