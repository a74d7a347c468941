"""What the speed-ups of extractors/times.py rely on: its prefilters tell exactly which regexes may match;
the plans that structure builds are sorted and disjoint (extract's iso loop keeps a mention's plan for the
next mentions that start inside it)."""
import glob
import re
import random

import yaml

from syextract.extractors import times
from syextract.extractors.base import digit_start
from syextract.io.source import read
from syextract.normalize import normalize
from syextract.pipeline import _context

GROUPS = {"lead": times._LEAD_RXS, "date_any": times._DATE_RXS, "anchor_any": times._ANCHOR_RXS}


def _contexts():
    for path in sorted(glob.glob("corpus/docs/*.*")):
        src = read(path)
        norm = normalize(src.text, src.format)
        yield _context(norm.text, src.format, src, norm)


def _texts() -> list[str]:
    out = [ctx.text for ctx in _contexts()]
    for path in sorted(glob.glob("tests/examples/*.yaml")):
        out.extend(case["text"] for case in yaml.safe_load(open(path, encoding="utf-8")))
    rng = random.Random(0)
    chars = "0123456789年月日季度至到-—.、_xX×*“”第一二三四五六七八九十两元春节八国庆今明去每近连续不到截至期间前后\n "
    out.extend("".join(rng.choice(chars) for _ in range(rng.randint(0, 40))) for _ in range(3000))
    return out


def test_rank_names_each_regex_of_one_group():
    assert len(times._RANK) == sum(map(len, GROUPS.values()))
    for keys in GROUPS.values():
        assert [times._RANK[k] for k in keys] == list(range(len(keys)))


def test_prefilters_name_the_first_regex_of_their_group_that_matches():
    """Where one of a group's regexes matches, so does the group's prefilter, and its lastgroup is ranked
    at or before the first of them that matches (parse() and date() skip the regexes ranked before
    lastgroup, or all of them where the prefilter does not match)."""
    R = times._R()
    for text in _texts():
        for p in range(len(text)):
            for name, keys in GROUPS.items():
                m = R[name].match(text, p)
                hit = next((i for i, k in enumerate(keys) if R[k].match(text, p)), None)
                if hit is not None:
                    assert m is not None and times._RANK[m.lastgroup] <= hit, (name, text[p:p + 20])


def test_plans_are_sorted_and_disjoint():
    for ctx in _contexts():
        assert all(a.start < a.end <= b.start for a, b in zip(ctx.plans, ctx.plans[1:])), ctx.text[:40]


def _digit_start_covers(patterns, texts):
    """Wherever one of ``patterns`` matches at a digit, so does digit_start(patterns)."""
    start = re.compile(digit_start(patterns))
    compiled = [re.compile(p) for p in patterns]
    for text in texts:
        for p, ch in enumerate(text):
            if ch.isdecimal() and any(rx.match(text, p) for rx in compiled):
                assert start.match(text, p), (start.pattern, text[p:p + 20])


def test_digit_start_where_the_tried_regexes_match():
    """The candidate starts at digits (R["cands"]) are narrowed by _digit_start of the regexes parse() tries."""
    R = times._R()
    tried = [times._union([R[k]]) for k in (*GROUPS["lead"], *GROUPS["date_any"], "fest", "season",
                                           *GROUPS["anchor_any"])]
    assert digit_start(tried) != r"\d"  # (known: it narrows)
    _digit_start_covers(tried, _texts())


def test_digit_start_of_other_patterns():
    rng = random.Random(1)
    chars = "0123456789１２年月多第季度.%-_x\n "
    texts = ["".join(rng.choice(chars) for _ in range(rng.randint(0, 20))) for _ in range(3000)]
    patterns = [r"\d{1,3}多?年", r"(?:19|20)\d{2}(?![\d.])", r"第?[一二1-4]季度", r"\d+(?:\.\d+)?%", r"(?:x|\d)+月",
                r"[0-5x]\d*度", r"\d(?=年)", r"(?:\d\d)*_"]
    for k in range(len(patterns)):
        _digit_start_covers(patterns[k:k + 2], texts)
    assert digit_start([r"\d\w"]) == r"\d"  # (\w: not known)
