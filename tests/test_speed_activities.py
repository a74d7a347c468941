"""What activities' shortcuts rely on: its regex builders find the matches of the plain patterns they
stand for, the clauses it walks are sorted and disjoint (extract skips a whole sentence when its
last clause ends before the next place a verb may start), and its memos, keyed on the stretch of
text a clause's tests read, find what the tests find in the whole text."""
import glob
import os
import random
import re

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from syextract.extractors.activities import _flat, _lookahead_led
from syextract.extractors.base import lexicon
from syextract.io import read, read_text
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


def _corpus_and_example_texts() -> list[str]:
    texts = [read(p).text for p in sorted(glob.glob(os.path.join(ROOT, "corpus", "docs", "*.*")))]
    for p in sorted(glob.glob(os.path.join(ROOT, "tests", "examples", "*.yaml"))):
        with open(p, encoding="utf-8") as f:
            texts += [case["text"] for case in yaml.safe_load(f) if isinstance(case, dict) and case.get("text")]
    return texts


def _random_clauses(n: int) -> list[str]:
    """Texts of clauses built from the lexicon's words: numbering, aims, purposes, verbs (and the first
    characters of the verb patterns, after the characters their look-behinds exclude), objects, counts."""
    lx = lexicon("activities")
    pieces = [["", "一、", "（二）", "3.", "同时，", "一是、", "的", "和", "、", "为", "以", "通过", "向县委"],
              lx["aim_verbs"] + lx["purpose_markers"] + lx["generic_determiners"] + [""],
              lx["action_verbs"] + lx["light_verbs"] + lx["outcome_verbs"] + ["出", "报", "送", "喜报", "登记", "兵登记"],
              ["", "了", "一次", "3场", "各项", "为", "给", "群众", "“双拥", "”"],
              lx["event_heads"] + lx["generic_heads"] + lx["action_verbs"] + ["", "问题11个", "6000元"],
              ["", "、", "和", "等", "，", "。", "为契机", "阶段"]]
    rng = random.Random(5)
    return ["".join(rng.choice(p) for p in pieces * 2) for _ in range(n)]


def test_memoised_clauses_equal_the_clauses_in_the_whole_text(monkeypatch):
    """_clause_acts (memoised: _found_in, on the stretch of text a clause's tests read) finds what
    _found finds in the whole text, and _verb_matches the verb regex's matches in the clause, on the corpus,
    the examples and random clauses (一是、深化开展…: the aim verb after the numbering's 、 is nominal)."""
    from syextract.extractors import activities
    from syextract.pipeline import run

    memoised, differ = [], []  # (the pipeline reports a stage's exception instead of raising it)

    def checked_verbs(text, a, b, c, quotes, taken):
        lo = a - 1 if a else 0
        found = [(s + lo, e + lo, w) for s, e, w in activities._verb_matches(text[lo:b], a - lo)]
        if found != [(m.start(), m.end(), m.group(0)) for m in c["verb"].finditer(text, a, b)]:
            differ.append((text[a:b], found))
        return verbs(text, a, b, c, quotes, taken)

    def checked_acts(text, ca, a, cb, sent, c, quotes, taken_org, verbs):
        acts = clause_acts(text, ca, a, cb, sent, c, quotes, taken_org, verbs)
        found = [(sp.start, sp.end, sp.attrs["action"], sp.attrs["name"], *sp.attrs["_verb"], sp.attrs["_split"],
                  sp.attrs.get("_bare_duty", False)) for sp in acts]
        if found != [tuple(x) for x in activities._found(text, a, cb, c, quotes.mask, quotes, taken_org, verbs)]:
            differ.append((text[a:cb], found))
        memoised.append(all(v[3] in activities._TEXT_KINDS for v in verbs) and bool(acts))
        return acts

    verbs, clause_acts = activities._verbs, activities._clause_acts
    monkeypatch.setattr(activities, "_clause_acts", checked_acts)
    monkeypatch.setattr(activities, "_verbs", checked_verbs)
    for text in _corpus_and_example_texts() + ["一是、深化开展军民座谈会。"] + _random_clauses(3000):
        run(read_text(text), make_doc=False)
    assert not differ
    assert sum(memoised) > 1000


def test_verb_matches_read_the_character_before_the_clause():
    """_verb_matches on a clause with the character before it finds the verb regex's matches in the
    clause of the whole text (喜报县委: the 报 after 喜 is no verb, at the clause's start too)."""
    from syextract.extractors import activities

    rx = activities._cfg()["verb"]
    for text in ["喜报县委备案", "兵登记表，登记造册", "年报县人武部", "开展座谈会", *_random_clauses(300)]:
        for a in range(len(text)):
            lo = a - 1 if a else 0
            found = [(s + lo, e + lo, w) for s, e, w in activities._verb_matches(text[lo:], a - lo)]
            assert found == [(m.start(), m.end(), m.group(0)) for m in rx.finditer(text, a)], (text, a)
