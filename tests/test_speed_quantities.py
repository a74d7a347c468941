"""What the quantities extractor's fast paths rest on.

``extract`` keeps the counts of ``main``'s matches as they come, without sorting out overlaps
(``remove_overlaps`` runs only when another kind of count adds a span): the matches do not overlap
(each search starts where the last match ended), so neither do their counts as long as ``_count``
never returns a span reaching outside its own match. That is checked here on every count made
from the corpus documents, the example texts and random texts of count-like fragments.
"""
import glob
import os
import random

import yaml

import syextract
from syextract.extractors import quantities

HERE = os.path.dirname(__file__)
ROOT = os.path.dirname(HERE)

FRAGMENTS = ["约30余名", "近百万元", "3-5名", "3名至5名", "三四个", "两三次", "多人", "多期", "几个", "数十人", "百分之九十",
             "￥500", "¥1,200.5", "2024年", "8月1日", "十一期间", "一个", "一人一档", "五个一", "每人", "每户发放",
             "200元/人", "不少于", "以上", "左右", "上千", "最近", "\\_\\_\\_期", "____", "×××", "“一面旗帜”", "《通知》",
             "1.2万份", "烈属", "军属", "慰问金", "热水器", "一台", "现役军人", "89人", "，", "。", "、", "\n", " ", "："]


def _texts():
    for path in sorted(glob.glob(os.path.join(ROOT, "corpus", "docs", "*.*"))):
        yield path, None
    for path in sorted(glob.glob(os.path.join(HERE, "examples", "*.yaml"))):
        with open(path, encoding="utf-8") as f:
            for case in yaml.safe_load(f):
                yield case["text"] + "\n", case.get("format")
    rnd = random.Random(14)
    for _ in range(400):
        yield "".join(rnd.choice(FRAGMENTS) for _ in range(rnd.randint(1, 40))), None


def test_counts_lie_inside_their_matches(monkeypatch):
    count = quantities._count
    checked = 0

    def checked_count(m, *args, **kwargs):
        nonlocal checked
        sp = count(m, *args, **kwargs)
        if sp is not None:
            # a main match (main_led) holds the whole match in its group "m"; a bare match is the match
            lo, hi = m.span("m") if "m" in m.re.groupindex else m.span()
            assert lo <= sp.start < sp.end <= hi, (m.group(), sp)
            checked += 1
        return sp

    monkeypatch.setattr(quantities, "_count", checked_count)
    for text, fmt in _texts():
        syextract.extract(text, fmt)
    assert checked > 1000  # (the check ran on many counts)


def _records(ctx):
    return [(sp.start, sp.end, sp.attrs) for sp in quantities.extract(ctx)]


def test_nonempty_tokens_marker():
    """``_Tokens`` skips its check for empty tokens where the context's ``nonempty_tokens`` is its token
    list (a marker for the pipeline to set: its tokenizer makes none, as checked here on the corpus);
    a marker left from another list does not skip it."""
    from syextract.extractors.base import Ctx
    from syextract.pipeline import load

    tokenizer = load().tokenizer
    for text, _ in _texts():
        assert all(s < e for s, e in tokenizer.token_spans(text)), text[:40]
    text = "走访慰问困难退役军人89人，"
    tokens = tokenizer.token_spans(text)
    plain = _records(Ctx(text, tokens=list(tokens)))
    assert plain[0][2]["of"] == "困难退役军人"
    # an empty token inside the noun phrase would cut it (困难 | 退役军人) were it not dropped
    holed = tokens[:2] + [(tokens[2][0], tokens[2][0])] + tokens[2:]
    assert _records(Ctx(text, tokens=holed)) == plain
    stale = Ctx(text, tokens=holed)
    stale.nonempty_tokens = list(holed)
    assert _records(stale) == plain
    marked = Ctx(text, tokens=list(tokens))
    marked.nonempty_tokens = marked.tokens
    assert _records(marked) == plain
