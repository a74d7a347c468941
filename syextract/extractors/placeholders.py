"""Template gaps left unfilled: ``\\_\\_\\_``, ``xx``, ``x镇``, ``20xx``, ``**``, ``某某``.

Kinds: blank (underscore, asterisk or box runs), masked_year (20xx, xx年),
masked_place (x镇, xx县, 某某社区), masked_number (xx大, xx名, xx万元, xx月),
masked_name (薛xx, xxx同志, 某某, and a mask with no telling neighbour).
Span conventions (from the annotation guide): a single ``x`` is only a gap
together with its place suffix (text ``x镇``); runs of two or more mask
letters are the letters alone (``xx`` in ``xx县``); ``20xx`` keeps its 20.
Not gaps: a single ``_`` (a quote or underline mark left by a conversion),
English words (Excel, box, x-ray, XXL), ``x`` between numbers (3x4), masks
inside web addresses or e-mail addresses, and a line of asterisks (a rule).
"""
from __future__ import annotations

import re

from .base import Ctx, Span, alternation, lexicon


def _compile():
    lx = lexicon("placeholders")
    mc = re.escape(lx["masked_chars"])
    places = alternation(lx["place_suffixes"])
    box = re.escape(lx["box_chars"])
    n_blank = lx["blank_min_run"]
    # (a run of none would match an empty string, which the stretch of the blank characters leaves out)
    assert n_blank >= 1, "placeholders.yaml: blank_min_run must be 1 or more"
    # Each pattern below starts by consuming a character from a class or a literal, and tests
    # what stands before the match with a lookbehind *after* that character ((?<![…]x) rather
    # than (?<![…]) first): the same matches, but the regex engine can then skip, in C, every
    # position whose character cannot start a match instead of trying the pattern there.
    return {
        # underscores: any run of blank_min_run or more; asterisks: a run between two written
        # characters on one line (慰问金**元), never a bold marker at a line's edge or a rule (***);
        # box runs. Written as: the first character, then which of the three runs it starts.
        "blank": re.compile(r"[_*%s](?:(?<=_)_{%d,}|(?<=[^\s*]\*)\*+(?=[^\s*])|(?<=[%s])[%s]+)" % (
            box, n_blank - 1, box, box)),
        # empty brackets left for a figure: 现役军人家庭（  ）户 (the brackets are part of the gap)
        "bracket_blank": re.compile(r"\( {1,8}\)"),
        "year": re.compile(r"(?:19|20)(?<![A-Za-z\d](?:19|20))[%s]{2}(?![A-Za-z])" % mc),
        "single_place": re.compile(r"[%s](?<![A-Za-z\d%s][%s])(?:%s)" % (mc, mc, mc, places)),
        # a single mask letter between Chinese text and a count or amount (第x个, 发放慰问金X万元, 任务数 X 人)
        "single_number": re.compile(r"[%s](?<=[\u4e00-\u9fff ][%s])(?= ?(?:%s))" % (
            mc, mc, alternation(lx["number_followers"]))),
        "multi": re.compile(r"[%s](?<![A-Za-z][%s])[%s]+(?![A-Za-z])" % (mc, mc, mc)),
        "mask_word": re.compile(alternation(lx["mask_words"])),
        "places": re.compile(r"(?:%s)" % places),
        "number": re.compile(r"(?:%s)" % alternation(lx["number_followers"])),
        "date": re.compile(r"(?:%s)" % alternation(lx["date_followers"])),
        "year_f": re.compile(r"(?:%s)" % alternation(lx["year_followers"])),
        "name_f": re.compile(r"(?:%s)" % alternation(lx["name_followers"])),
        "web": re.compile(r"(?:https?://|www\.)[^\s\u4e00-\u9fff，。；）)]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.I),
        # the same without its e-mail branch, for a text without "@" (where that branch never
        # matches): it spares the branch's backtracking over every run of word characters
        "url": re.compile(r"(?:https?://|www\.)[^\s\u4e00-\u9fff，。；）)]+", re.I),
        # where "url" can match: "://" or "www." (in any case: W and w are the only characters that
        # match "w" when the case is ignored); the regex itself, case ignored, cannot skip to either
        "www": re.compile(r"[wW][wW][wW]\."),
        "glue": re.compile(r"[./@\\=#&%s]" % re.escape("?")),
        # Each of "blank" and the regexes led by a mask character is run over the stretch of the text
        # from the first of its characters to "after" characters past the last one (_stretch): how far
        # past the last one its matches and its look-aheads read (a look-ahead at the stretch's end
        # would see the text end there, and (?!…) would succeed). Checked by tests/test_speed_placeholders.py.
        "blank_chars": "_*" + lx["box_chars"],
        # the last blank character, and the one after it that the asterisk run's (?=[^\s*]) reads
        "blank_after": 2,
        "mask_chars": lx["masked_chars"],
        # at most the mask character, a space and the longest place suffix (single_place) or count's word
        # (single_number's look-ahead, after an optional space); a year's or a run's look-ahead reads one
        # character past the mask
        "after_mask": 2 + max(map(len, lx["place_suffixes"] + lx["number_followers"])),
        "rule_min": lx["rule_min_run"],
    }


_RX = None


def _kind_of_mask(text: str, start: int, end: int) -> str:
    after = text[end:end + 6]
    if _RX["year_f"].match(after):
        return "masked_year"
    if _RX["name_f"].match(after):
        return "masked_name"
    if _RX["places"].match(after):
        return "masked_place"
    if _RX["date"].match(after) or _RX["number"].match(after):
        return "masked_number"  # xx名, xx万元, xx月底前, xx大
    return "masked_name"  # 薛xx, 组长：xx


def extract(ctx: Ctx) -> list[Span]:
    global _RX
    if _RX is None:
        _RX = _compile()
    return _extract(ctx)


def _stretch(text: str, chars: str, after: int) -> tuple[int, int]:
    """(first, end): ``text`` from the first of ``chars`` to ``after`` characters past the last one, where
    a regex whose matches hold one of them finds them all (reading ``after`` characters on at most).

    Found with a str.find and a str.rfind per character (in C); most texts hold none of them (an empty
    stretch), or only in places, and each regex scans its stretch in the engine."""
    first = min((k for k in map(text.find, chars) if k >= 0), default=len(text))
    return first, max(map(text.rfind, chars)) + after


def _extract(ctx: Ctx) -> list[Span]:
    text = ctx.text
    out: list[Span] = []
    taken = bytearray(len(text) + 1)
    # ("www." needs "w." or "W.", which two substring searches in C rule out in most texts)
    if "@" in text or "://" in text or (("w." in text or "W." in text) and _RX["www"].search(text)):
        web = [(m.start(), m.end()) for m in _RX["web" if "@" in text else "url"].finditer(text)]
    else:
        web = []  # no address: neither an e-mail nor a URL (see "www")

    def add(a: int, b: int, kind: str) -> None:
        if any(taken[a:b]):
            return
        if any(s < b and a < e for s, e in web):
            return
        taken[a:b] = b"\x01" * (b - a)
        out.append(Span(a, b, "placeholders", {"kind": kind}))

    def glued(a: int, b: int) -> bool:
        """A mask stuck to an address or code (www.xxx.com, a@xx.cn, id=xx)."""
        return bool((a > 0 and _RX["glue"].match(text[a - 1])) or (b < len(text) and _RX["glue"].match(text[b])))

    for m in _RX["blank"].finditer(text, *_stretch(text, _RX["blank_chars"], _RX["blank_after"])):
        a, b = m.start(), m.end()
        ls = text.rfind("\n", 0, a) + 1
        le = text.find("\n", b)
        le = len(text) if le < 0 else le
        if b - a >= _RX["rule_min"] and not text[ls:a].strip() and not text[b:le].strip():
            continue  # a line of underscores alone is a separator rule, not a gap
        add(a, b, "blank")
    for m in _RX["bracket_blank"].finditer(text):
        add(m.start(), m.end(), "blank")
    mask_chars = _RX["mask_chars"]
    # every regex below until "mask_word" matches a mask character (20xx: two characters on)
    first, end = _stretch(text, mask_chars, _RX["after_mask"])
    for m in _RX["year"].finditer(text, max(0, first - 2), end):
        add(m.start(), m.end(), "masked_year")
    for m in _RX["multi"].finditer(text, first, end):
        a, b = m.start(), m.end()
        if glued(a, b):
            continue
        if a > 0 and text[a - 1].isdigit():
            if b < len(text) and text[b].isalnum() and not ("\u4e00" <= text[b] <= "\u9fff"):
                continue  # 3xx4: a multiplication sign or a code, not a mask
            add(a, b, "masked_number")  # 72xx部队: the masked digits of a unit designation
            continue
        add(a, b, _kind_of_mask(text, a, b))
    for m in _RX["single_place"].finditer(text, first, end):
        if m.start() + 1 < len(text) and text[m.start() + 1] in mask_chars:
            continue
        if glued(m.start(), m.start() + 1):
            continue
        add(m.start(), m.end(), "masked_place")
    for m in _RX["single_number"].finditer(text, first, end):
        if not glued(m.start(), m.end()):
            add(m.start(), m.end(), "masked_number")
    for m in _RX["mask_word"].finditer(text):
        kind = "masked_place" if _RX["places"].match(text, m.end()) else "masked_name"
        add(m.start(), m.end(), kind)
    return sorted(out, key=lambda s: s.start)
