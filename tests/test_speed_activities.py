"""What activities' shortcuts rely on: its regex builders find the matches of the plain patterns they
stand for, and the clauses it walks are sorted and disjoint (extract skips a whole sentence when its
last clause ends before the next place a verb may start)."""
import glob
import os
import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from syextract.extractors.activities import _flat, _lookahead_led
from syextract.io import read
from syextract.normalize import normalize
from syextract.pipeline import _context
from syextract.structure import build

ROOT = os.path.join(os.path.dirname(__file__), "..")
CHARS = "并且同时然后为了通过ab1,，。\n"
# alternatives with known first characters (a character, a range, a category) and unknown ones
# (a negated class, an empty match), so that _lookahead_led leads a run of none, some or all
ALTERNATIVES = ["并且", "(?<![合一])并(?=[\u4e00-\u9fff])", "[为通](?:了|过)", "[a-b]1", r"\d+", "[^,，]同",
                "(?:然后)?", "同时"]


def _spans(pattern: str, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(pattern, text)]


@pytest.mark.parametrize("seed", range(20))
def test_lookahead_led_and_flat_find_the_plain_alternation_s_matches(seed):
    rng = random.Random(seed)
    alts = rng.sample(ALTERNATIVES, rng.randint(1, len(ALTERNATIVES)))
    plain = "|".join("(?:%s)" % p for p in alts)
    texts = ["".join(rng.choice(CHARS) for _ in range(rng.randint(0, 40))) for _ in range(200)]
    for built in (_lookahead_led(alts), _flat(alts)):
        for text in texts:
            assert _spans(built, text) == _spans(plain, text), (alts, built, text)


def _sorted_and_disjoint(spans) -> bool:
    return all(a < b <= c for (a, b), (c, _) in zip(spans, spans[1:])) and all(a < b for a, b in spans)


def test_corpus_clauses_are_sorted_and_disjoint():
    paths = sorted(glob.glob(os.path.join(ROOT, "corpus", "docs", "*.*")))
    assert len(paths) > 50
    for p in paths:
        src = read(p)
        norm = normalize(src.text, src.format)
        assert _sorted_and_disjoint(build(norm.text).clauses), p
        assert _sorted_and_disjoint(_context(norm.text, src.format, src, norm).clauses), p  # (cut at cells)


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet=list("一二、（）(). 1。；，:：\n#*|\t会议开展活动"), max_size=80), st.data())
def test_random_clauses_are_sorted_and_disjoint(text, data):
    cuts = data.draw(st.sets(st.integers(0, len(text)), max_size=6))
    assert _sorted_and_disjoint(build(text).clauses)
    assert _sorted_and_disjoint(build(text, None, cuts).clauses)
