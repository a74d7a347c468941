"""link's one-match regexes stand for plain step-by-step checks: each finds what the steps find, on
random texts made of the pieces they look for, on the corpus lines and on the examples' texts."""
import glob
import random
import re

import pytest
import yaml

from syextract.extractors.base import ITEM_LEAD
from syextract.link import _PLACE, _cfg, _ending_in

HAN = "社区镇村县委办将组织开展活动与并由经各在为慰问部队"
LEADS = ["一、", "（二）", "(三)", "3.", "12、", "1)", "⑵", "①", "二是", "第一", "第二、",
         "- ", "* ", "## ", "> ", "\t"]
BLANKS = [" ", ",", "，", "、", ":", "\n", "  "]


def _flat(words) -> str:
    """The plain alternation of ``words``, longest first."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _pieces() -> list[str]:
    lx = _cfg()["lx"]
    return (lx["clause_openers"] + ["由", "并由", "经"] + lx["subjectless_openers"] + lx["subject_unit_suffixes"]
            + lx["subject_posts"] + LEADS + BLANKS + list(HAN) + ["x", "2024年", "9"])


def _random_texts(seed: int, n: int = 3000) -> list[str]:
    rng = random.Random(seed)
    pieces = _pieces()
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 8))) for _ in range(n)]


def _real_texts() -> list[str]:
    lines = []
    for path in sorted(glob.glob("corpus/docs/*.txt")) + sorted(glob.glob("corpus/docs/*.md")):
        with open(path, encoding="utf-8", errors="replace") as f:
            lines += f.read().split("\n")
    for path in sorted(glob.glob("tests/examples/*.yaml")):
        with open(path, encoding="utf-8") as f:
            lines += [ln for case in yaml.safe_load(f) for ln in case["text"].split("\n")]
    return [ln for ln in lines if ln.strip()]


def _texts(seed: int) -> list[str]:
    return _random_texts(seed) + (_real_texts() if seed == 0 else [])


def _plain_openers() -> re.Pattern:
    return re.compile(r"(?:(?:%s)\s*)+" % _flat(_cfg()["lx"]["clause_openers"] + ["由", "并由", "经"]))


def _windows(rng: random.Random, text: str):
    """(start, end) windows of ``text`` to match in: all of it and a random one."""
    yield 0, len(text)
    a = rng.randint(0, len(text))
    yield a, rng.randint(a, len(text))


@pytest.mark.parametrize("seed", range(3))
def test_subjectless_is_the_three_step_check(seed):
    """``subjectless`` (atomic lead, possessive openers and blanks, then the opener) answers as the three
    steps it replaced: the item lead's match, then the openers' match if any, then the blanks, then
    a subjectless opener."""
    c = _cfg()
    openers, opener = _plain_openers(), re.compile(_flat(c["lx"]["subjectless_openers"]))

    def three_steps(t: str, a: int, b: int) -> bool:
        p = ITEM_LEAD.match(t, a, b).end()  # (the lead may be empty: it always matches)
        mo = openers.match(t, p, b)
        if mo:
            p = mo.end()
        while p < b and t[p] in " ,，":
            p += 1
        return opener.match(t, p, b) is not None

    rng = random.Random(seed)
    hits = 0
    for t in _texts(seed):
        for a, b in _windows(rng, t):
            expected = three_steps(t, a, b)
            assert (c["subjectless"].match(t, a, b) is not None) == expected, (t, a, b)
            hits += expected
    assert hits > 100  # (the texts hold subjectless openings)


@pytest.mark.parametrize("seed", range(3))
def test_lead_opener_is_the_lead_the_blanks_and_the_openers(seed):
    """``lead_opener`` ends where the item lead, the blanks after it and the openers (if they match
    there) end one after another, its ``opener`` group holding the openers' match."""
    c = _cfg()
    openers, blanks = _plain_openers(), re.compile(r"[ \t,，、:：\"“”]*")
    rng = random.Random(seed)
    for t in _texts(seed):
        for a, b in _windows(rng, t):
            p = blanks.match(t, ITEM_LEAD.match(t, a, b).end(), b).end()
            mo = openers.match(t, p, b)
            m = c["lead_opener"].match(t, a, b)
            assert m is not None, (t, a, b)
            assert (m.end(), m["opener"]) == ((mo.end(), mo.group(0)) if mo else (p, None)), (t, a, b)


@pytest.mark.parametrize("key, repeat", [("subject_unit_suffixes", "{1,10}"), ("subject_posts", "{0,8}")])
def test_ending_in_matches_the_plain_pattern(key, repeat):
    """A name ending in one of the words, led to them by a lookahead: the plain pattern's matches."""
    words = _cfg()["lx"][key]
    built = _ending_in(words, repeat)
    assert "(?=[" in built.pattern  # (the lookahead took effect)
    plain = re.compile(r"[\u4e00-\u9fffxX×]%s?(?:%s)" % (repeat, _flat(words)))
    for t in _texts(0):
        for p in range(len(t)):
            m, n = built.match(t, p), plain.match(t, p)
            assert (m and m.span()) == (n and n.span()), (t, p)


def test_subject_start_is_where_one_of_the_four_matches():
    c = _cfg()
    four = (c["anaphor"], c["unit_rx"], c["post_rx"], _PLACE)
    for t in _random_texts(5, 1000):
        for p in range(len(t)):
            assert bool(c["subject_start"].match(t, p)) == any(rx.match(t, p) for rx in four), (t, p)


@pytest.mark.parametrize("seed", range(3))
def test_lead_first_is_where_lead_opener_can_match_more_than_nothing(seed):
    """subject tries ``lead_opener`` only where ``lead_first`` matches: everywhere else in the window its
    match is empty (past the window's end no subject is left, matched or not)."""
    c = _cfg()
    assert c["lead_first"].pattern != "(?s:.)"  # (the first characters were found)
    rng = random.Random(seed)
    skipped = 0
    for t in _texts(seed):
        for a, b in _windows(rng, t):
            for p in range(a, b + 1):
                if not c["lead_first"].match(t, p, b):
                    m = c["lead_opener"].match(t, p, b)
                    assert m.end() == p and m["opener"] is None, (t, p, b)
                    skipped += 1
    assert skipped > 1000


def test_line_label_times_are_the_times_each_line_leads_with():
    """The label times found from the times are what each line's lead and the longest time after it give
    (the plain per-line check), for every position of the corpus documents."""
    from syextract.extractors.base import LABEL_COLON, SCHEDULE_LEAD
    from syextract.io.source import read
    from syextract.link import _Linker
    from syextract.pipeline import default_segmenter, load, run

    nlp = load(default_segmenter())
    found = 0
    for path in sorted(glob.glob("corpus/docs/*.*")):
        ctx = run(read(path), nlp, make_doc=False)[2]
        linker, t, starts = _Linker(ctx), ctx.text, ctx.line_starts()
        for n, ls in enumerate(starts):
            first = linker.times.at(SCHEDULE_LEAD.match(t, ls).end())
            plain = first if first is not None and LABEL_COLON.match(t, first.end) else None
            got = linker.line_labels.get(ls)
            for pos in range(ls, starts[n + 1] if n + 1 < len(starts) else len(t)):
                assert (got if got is not None and got.end <= pos else None) == \
                    (plain if plain is not None and plain.end <= pos else None), (path, pos)
            found += got is not None
    assert found > 10  # (the corpus has schedule lines led by a time)


def test_clauses_lie_inside_their_sentence():
    """link looks for times in the clauses after an activity's only when a time starts after it in its
    sentence: a clause starting in a sentence ends in it."""
    from syextract.io.source import read
    from syextract.normalize import normalize
    from syextract.pipeline import _context

    checked = 0
    for path in sorted(glob.glob("corpus/docs/*.*")):
        src = read(path)
        norm = normalize(src.text, src.format)
        ctx = _context(norm.text, src.format, src, norm)
        for a, b in ctx.clauses:
            sent = ctx.sentence_of(a)
            assert sent is None or b <= sent[1], (path, a, b, sent)
            checked += sent is not None
    assert checked > 1000
