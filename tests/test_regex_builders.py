"""The regex builders of extractors/base.py make patterns faster, never different: each built
pattern finds exactly the matches of the plain pattern it stands for, on random texts."""
import random
import re

import pytest

from syextract.extractors.base import (alternation, class_led, first_class, first_items, first_led, led_by_class,
                                      nonempty_first_class)

CHARS = "八一建军节春慰问双拥部队人民会议ab1"


def _words(rng: random.Random, n: int, shortest: int = 1) -> list[str]:
    return ["".join(rng.choice(CHARS) for _ in range(rng.randint(shortest, 5))) for _ in range(n)]


def _texts(rng: random.Random, n: int = 200) -> list[str]:
    return ["".join(rng.choice(CHARS + ",。\n") for _ in range(rng.randint(0, 60))) for _ in range(n)]


def _flat(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _spans(pattern: str, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(pattern, text)]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("options", [{}, {"single_class": True}, {"start_guard": "(?<![八一])"}, {"two_led": True}])
def test_alternation_matches_the_flat_alternation(seed, options):
    rng = random.Random(seed)
    words = _words(rng, 40, shortest=2 if options.get("two_led") else 1)
    if seed % 2 and not options.get("two_led"):
        words += list("春人")  # one-character words (single_class writes them as one class)
    flat = _flat(words)
    if options.get("start_guard"):
        flat = options["start_guard"] + "(?:%s)" % flat
    built = alternation(words, **options)
    if options.get("two_led"):
        assert built.startswith("[")  # led by the first characters' class: the option took effect
    for text in _texts(rng):
        assert _spans(built, text) == _spans(flat, text), (built, text)


def test_two_led_falls_back_when_a_word_is_one_character():
    assert alternation(["八一", "春"], two_led=True) == alternation(["八一", "春"])


@pytest.mark.parametrize("pattern", [r"\d+年", r"(?:慰问|走访)(?:烈属|军属)", r"八一|春节|[双拥]工作",
                                     r"(?:第)?[一二三]季度"])
def test_first_led_and_led_by_class_match_where_the_pattern_does(pattern):
    first = first_class(pattern)
    assert first is not None and first_items(pattern)
    rng = random.Random(7)
    texts = ["".join(rng.choice("0123年慰问走访烈属军属八一春节双拥工作第一二三季度 ,") for _ in range(40))
             for _ in range(300)]
    led, one_char = re.compile(first_led(pattern)), re.compile(led_by_class(first, pattern))
    assert class_led(pattern) == one_char.pattern
    for text in texts:
        assert _spans(led.pattern, text) == _spans(pattern, text)
        # led_by_class: a one-character match at every position where the pattern matches
        assert [m.start() for m in one_char.finditer(text)] == \
               [i for i in range(len(text)) if re.compile(pattern).match(text, i)]


def test_first_class_is_none_when_a_match_may_be_empty_or_start_anywhere():
    assert first_class(r"(?:年)?") is None
    assert first_class(r"[^年]+") is None
    assert first_led(r"[^年]+") == class_led(r"[^年]+") == r"[^年]+"


@pytest.mark.parametrize("pattern", [r"(?:第)?[一二三]?(?:季度)?", r"[ ,]*(?:八一|春节)?", r"(?:\d+年)*"])
def test_nonempty_first_class_holds_where_a_non_empty_match_begins(pattern):
    first = nonempty_first_class(pattern)
    assert first_class(pattern) is None and first  # (a pattern that may match empty)
    starts = re.compile("[%s]" % first)
    rng = random.Random(11)
    for _ in range(300):
        text = "".join(rng.choice("0123年第一二三季度八一春节 ,。") for _ in range(30))
        for i in range(len(text)):
            m = re.compile(pattern).match(text, i)
            assert bool(m and m.end() > i) <= bool(starts.match(text, i)), (text, i)
    assert nonempty_first_class(r"[^年]*") is None  # (it may begin with almost anything: not known)


def test_bracket_end_stops_at_the_bracket_the_field_stands_in():
    from syextract.extractors.base import bracket_end

    t = "(牵头单位:县双拥办(牵头)、县民政局;配合单位:各乡镇)县委办负责"
    a = t.index("县双拥办")
    assert t[a:bracket_end(t, a, len(t))] == "县双拥办(牵头)、县民政局;配合单位:各乡镇"
    assert bracket_end("责任人:张三", 4, 6) == 6  # no bracket: the field runs to b
    assert bracket_end("(负责人:李四)。", 5, 7) == 7  # the ")" at b is outside [a, b)
