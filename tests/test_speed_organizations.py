"""organizations' fast paths give what their plain formulations give, on corpus documents, example
texts and random texts."""
import functools
import random
import re

from syextract.extractors import organizations
from syextract.extractors.base import alternation, first_class, lexicon

from test_speed_people import corpus_texts, random_texts


def _plain_cue_counts(text: str, a: int, b: int) -> dict:
    """Each kind's cue words counted by a scan of their own."""
    return {k: len(rx.findall(text, a, b)) for k, rx in organizations._rx()["plan_cues"].items()}


def test_cue_counts_match_one_scan_per_kind():
    words = [w for ws in lexicon("organizations")["plan_kind_cues"].values() for w in ws] + ["镇", "乡", "街道"]
    texts = list(corpus_texts()) + random_texts(7, words, "员工会社区学校长生,。和 x", n=3000)
    rng = random.Random(3)
    overlapping = 0
    for text in texts:
        a = rng.randint(0, len(text))
        for lo, hi in ((0, len(text)), (a, rng.randint(a, len(text)))):
            assert organizations._cue_counts(text, lo, hi) == _plain_cue_counts(text, lo, hi), text[lo:hi]
        overlapping += "员工会" in text
    assert overlapping > 50  # (the texts hold words of two kinds overlapping: the slow path is tried)


def test_cue_overlaps():
    assert organizations._overlaps({"a": ["员工"], "b": ["工会", "职工"]}) == ["员工会"]
    assert organizations._overlaps({"a": ["居委会"], "b": ["委会"]}) == ["居委会"]
    assert organizations._overlaps({"a": ["学校", "校长"]}) == []  # (one kind: its own scan sees both)


def test_stop_re_led_by_first_characters():
    """The left stops' words led by the class of their first characters: the matches of the words unled."""
    R = organizations._rx()
    words = R["L"]["left_stops"]
    led = R["stop_re"].pattern
    plain = led.replace("(?=[%s])" % first_class(alternation(words, single_class=True)), "", 1)
    assert plain != led
    plain_re = re.compile(plain)
    last_plain = re.compile(r"(?s:.*)(%s)" % plain)
    texts = list(corpus_texts()) + random_texts(11, words + ["3家", "交警", "第一"], "交全其为3 ,。社区和办", n=3000)
    for text in texts:
        assert [m.span() for m in R["stop_re"].finditer(text)] == [m.span() for m in plain_re.finditer(text)]
        for hs in range(0, len(text), 7):
            m, p = R["last_stop_re"].match(text, max(0, hs - 14), hs), last_plain.match(text, max(0, hs - 14), hs)
            assert (m and m.span(1)) == (p and p.span(1))


@functools.lru_cache(maxsize=1)
def _plain_tail_res():
    L, T = lexicon("organizations"), lexicon("titles")
    return (re.compile(alternation(L["passing_after"])), re.compile(alternation(T["titles"] + L["people_after"])),
            re.compile(r"(?:官兵|指战员|战士)(?:代表)?"))


def _plain_tail(text: str, ce: int):
    """What follows a name at ce, tested one pattern at a time: a passing word or a title (6 characters
    read), a post named after the unit, the unit's troops (with where they end)."""
    passing_re, title_re, troops_re = _plain_tail_res()
    tail = text[ce:ce + 6]
    passing, title = passing_re.match(tail), title_re.match(tail)
    if passing or title:
        return "passing" if passing else "title"
    if tail[:1] == "员" or (tail[:1] == "长" and tail[1:2] in "为、,;和及 )"):
        return "post"
    troops = troops_re.match(text, ce)
    return ("troops", troops.end()) if troops else None


def test_tail_re_tests_in_order():
    """tail_re's branches give what the tests one after the other give, after each head (where names
    end) and at every position of random texts."""
    L, T = lexicon("organizations"), lexicon("titles")
    words = L["passing_after"] + T["titles"] + L["people_after"] + ["官兵代表", "指战员", "战士", "员", "长为", "长"]
    R = organizations._rx()
    cases = [(text, [m.end() for m in R["head_re"].finditer(text)]) for text in corpus_texts()]
    cases += [(text, range(len(text) + 1)) for text in random_texts(5, words, "员长为、,官兵 社区", n=3000)]
    for text, ends in cases:
        for ce in ends:
            m = R["tail_re"].match(text, ce, ce + 6)
            got = None if m is None else ("troops", m.end()) if m.lastgroup == "troops" else m.lastgroup
            assert got == _plain_tail(text, ce), text[ce:ce + 8]
