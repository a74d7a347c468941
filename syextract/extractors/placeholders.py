"""Template gaps left unfilled: ``\\_\\_\\_``, ``xx``, ``x镇``, ``20xx``, ``**``, ``某某``.

Kinds: blank (underscore or asterisk runs), masked_year (20xx, xx年),
masked_place (x镇, xx县, 某某社区), masked_number (xx大, xx名), masked_name
(薛xx, xxx同志, 某某, and a mask with no telling neighbour).
Span conventions (from the annotation guide): a single ``x`` is only a gap
together with its place suffix (text ``x镇``); runs of two or more mask
letters are the letters alone (``xx`` in ``xx县``); ``20xx`` keeps its 20.
"""
from __future__ import annotations

import re

from .base import Ctx, Span, alternation, lexicon


def _compile():
    lx = lexicon("placeholders")
    mc = re.escape(lx["masked_chars"])
    places = alternation(lx["place_suffixes"])
    return {
        "blank": re.compile(r"_{%d,}|\*{2,}(?=[^*]|$)" % lx["blank_min_run"]),
        "year": re.compile(r"(?<![A-Za-z\d])20[%s]{2}(?![A-Za-z])" % mc),
        "single_place": re.compile(r"(?<![A-Za-z\d])[%s](?:%s)" % (mc, places)),
        "multi": re.compile(r"(?<![A-Za-z])[%s]{2,}(?![A-Za-z])" % mc),
        "mask_word": re.compile(alternation(lx["mask_words"])),
        "places": re.compile(r"(?:%s)" % places),
        "number": re.compile(r"(?:%s)" % alternation(lx["number_followers"])),
        "year_f": re.compile(r"(?:%s)" % alternation(lx["year_followers"])),
        "name_f": re.compile(r"(?:%s)" % alternation(lx["name_followers"])),
    }


_RX = None


def _kind_of_mask(text: str, start: int, end: int) -> str:
    after = text[end:end + 6]
    before = text[start - 1] if start > 0 else ""
    if _RX["year_f"].match(after):
        return "masked_year"
    if _RX["name_f"].match(after):
        return "masked_name"
    if _RX["places"].match(after):
        return "masked_place"
    if "\u4e00" <= before <= "\u9fff" and before not in "在于和与及到为对从是的第共约近达":
        return "masked_name"  # a surname before the mask: 薛xx
    if _RX["number"].match(after):
        return "masked_number"
    return "masked_name"


def extract(ctx: Ctx) -> list[Span]:
    global _RX
    if _RX is None:
        _RX = _compile()
    text = ctx.text
    out: list[Span] = []
    taken = [False] * (len(text) + 1)

    def add(a: int, b: int, kind: str) -> None:
        if any(taken[a:b]):
            return
        for i in range(a, b):
            taken[i] = True
        out.append(Span(a, b, "placeholders", {"kind": kind}))

    for m in _RX["blank"].finditer(text):
        add(m.start(), m.end(), "blank")
    for m in _RX["year"].finditer(text):
        add(m.start(), m.end(), "masked_year")
    for m in _RX["single_place"].finditer(text):
        if m.start() + 1 < len(text) and text[m.start() + 1] in _RX_MASK_CHARS():
            continue
        add(m.start(), m.end(), "masked_place")
    for m in _RX["multi"].finditer(text):
        add(m.start(), m.end(), _kind_of_mask(text, m.start(), m.end()))
    for m in _RX["mask_word"].finditer(text):
        kind = "masked_place" if _RX["places"].match(text, m.end()) else "masked_name"
        add(m.start(), m.end(), kind)
    return sorted(out, key=lambda s: s.start)


def _RX_MASK_CHARS() -> str:
    return lexicon("placeholders")["masked_chars"]
