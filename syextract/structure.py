"""Plans, sections, sentences and clauses, found on the normalised text.

All spans here are *normalised* offsets ``(start, end)``; the pipeline maps
them to the source. The rules:

* **Plans.** A compilation is split at piece headings (篇一…篇N, 第一篇, 范文一),
  else at repeated plan-title headings (…计划/方案/总结 as markdown headings
  or standalone short lines); a lone document is one plan running from its
  title (or first body line) to its last body line. Web-page furniture
  (navigation, publication stamps, view counts, 上一篇/相关文章) is outside.
* **Sections.** Numbering markers at line starts (and after a sentence end,
  for inline lists): 第一, 一、, (一), 1、, 1., (1), ①, 一是. Their level comes
  from the canonical rank of the scheme (一、 > (一) > 1、/1. > (1) > ① > 一是),
  never from markdown heading depth (the seed's is inconsistent), so gaps
  (三 then 五) and wrong heading levels do no harm. Word's list numbering
  arrives as ``Block.number`` and is parsed the same way.
"""
from __future__ import annotations

import bisect
import functools
import itertools
import re
import sys
from operator import attrgetter, itemgetter, le
from dataclasses import dataclass, field
from typing import Iterable, Optional

_CN_VAL = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
           "八": 8, "九": 9}
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def cn_int(s: str) -> Optional[int]:
    """Small Chinese numerals: 一 -> 1, 十二 -> 12, 二十 -> 20, 一百零五 -> 105."""
    if not s:
        return None
    if s.isdigit():
        return int(s)
    total, cur = 0, 0
    for ch in s:
        if ch in _CN_VAL:
            cur = _CN_VAL[ch]
        elif ch == "十":
            total += (cur or 1) * 10
            cur = 0
        elif ch == "百":
            total += (cur or 1) * 100
            cur = 0
        else:
            return None
    return total + cur


# scheme name -> (pattern of the start of a stripped line, with one group: the number; rank)
_SCHEMES: list[tuple[str, str, float]] = [
    ("cn_di", r"第([一二三四五六七八九十]{1,3})(?:(?:部分|章|节)[、,.:\s]?|(?:条|项|)[、,.:\s])", 0.0),
    ("cn_dun", r"([一二三四五六七八九十]{1,3})[、.]", 1.0),
    ("cn_paren", r"\(([一二三四五六七八九十]{1,3})\)[、.]?", 2.0),
    ("arabic_dun", r"(\d{1,2})[、](?!\d)", 3.0),
    # "4.9月份,…": a list number before a month, not the decimal 4.9
    ("arabic_dot", r"(\d{1,2})\.(?:(?!\d)|(?=\d{1,2}月))", 3.0),
    ("arabic_paren", r"\((\d{1,2})\)[、.]?", 4.0),
    ("arabic_half", r"(\d{1,2})\)(?!\d)", 4.5),
    ("circled", r"([" + _CIRCLED + r"])", 5.0),
    # one-character parenthesised numbers: ⑴…⒇ (as (1)) and ㈠…㈩ (as (一))
    ("paren_digit", r"([\u2474-\u2487])\s*", 4.0),
    ("paren_cn", r"([\u3220-\u3229])\s*", 2.0),
    ("shi", r"([一二三四五六七八九十]{1,3})是(?=[^是])", 6.0),
]
_FIRST, _SECOND = itemgetter(0), itemgetter(1)
_SPAN = re.Match.span
_TEXT_OF = attrgetter("text")
_HEADING_RANK = 0.5  # an unnumbered heading (markdown # or a Word heading style)

_PIECE_RE = re.compile(r"(?:篇|范文|第)([一二三四五六七八九十\d]{1,3})(?:篇)?\s*$|^第([一二三四五六七八九十\d]{1,3})篇"
                       r"|^篇([一二三四五六七八九十\d]{1,3})\s*[:：]")  # (篇一：社区2026年双拥工作计划)
_TITLE_WORDS = re.compile(r"(计划|方案|总结|要点|安排|规划|意见|通知|报告|细则|办法|打算|思路|汇报|预案)(\(.*\))?$")
_FURNITURE_RE = re.compile(
    r"^[(（【\[]?(首页|当前位置|您的位置|位置[:：]|上一篇|下一篇|上一页|下一页|相关(文章|阅读|推荐|链接|新闻|报道|资讯)|"
    r"热门|推荐阅读|延伸阅读|"
    r"责任编辑|编辑[:：]|来源[:：]|作者[:：]|供稿|撰稿|审核[:：]|摄影[:：]|信息来源|文章来源|发布(时间|日期|者)|浏览(次数|量)?|阅读(次数|量)|点击(数|量|次数)?|"
    r"分享到|打印本页|关闭窗口|【(打印|关闭|字体)|网站地图|联系我们|版权所有|Copyright|ICP|"
    r"扫一扫|返回顶部|字号|更多>>|免责声明|初审|复审|终审|校对|编审|责编|审校|新闻热线|[A-Za-z][A-Za-z .]{0,30}$)", re.I)
# … a line naming the site's licence anywhere ("京ICP备…号"), …
_ICP_RE = re.compile(r"ICP备", re.I)
# … and a line that only credits the source, in at most 30 characters before: "和龙市委宣传部供稿"
_CREDIT_ENDS = ("供稿", "供图", "摄影", "报道")
# a breadcrumb trail: two arrows (首页 > 通知公告 > 正文), or a line opening with 首页
_ARROWS = ">›»→"
_TWO_ARROWS = re.compile("[%s].*[%s]" % (_ARROWS, _ARROWS), re.S)
_HOME = ("首页", "网站首页")
_SENT_PUNCT = "。！？!?；;"
_SENT_END = re.compile(r"[。;；!！?？]")
_CLAUSE_PUNCT = _SENT_PUNCT + "，,：:"


def _piece_re(punct: str) -> re.Pattern:
    """One sentence (or clause) per match, trimmed: from its first non-space character through the run of
    ``punct`` that ends it, or up to the line end (trailing spaces left out). A run of ``punct`` after
    blanks only is a piece of its own ("。 。")."""
    p = re.escape(punct)
    # greedy up to the last non-space before the end (not a lazy scan testing the end at every
    # character: 3x faster), then the blanks and the run of ``punct``, or the line end after blanks
    return re.compile(r"[%s]+|[^\s%s](?:[^%s\n]*[^\s%s])?(?:[^\S\n]*[%s]+|(?=[^\S\n]*(?:\n|\Z)))"
                      % (p, p, p, p, p))


_SENT_RE = _piece_re(_SENT_PUNCT)
_CLAUSE_RE = _piece_re(_CLAUSE_PUNCT)
_LINE_LEAD = re.compile(r"\s*(#{1,6})?\s*(?:[-*+>]\s+)?\s*")
_YISHI = re.compile(r"(?<![统唯单同之其第])一是(?=[^是])")
# an item marker inline after a sentence end: "…隐患排查。1. 落实…"
# (the sentence end opens the match, so the engine skips to it: only the match's end is read)
_INLINE_MARKER = re.compile(r"[。；;!！?？:]\s*(?=(\d{1,2}\.(?!\d)|\(\d{1,2}\)|\([一二三四五六七八九十]{1,3}\)|"
                            r"[一二三四五六七八九十]{1,2}是|\d{1,2}、|[" + _CIRCLED + r"]))")
#: an item marker after blanks inside a line, where a page lost its line breaks:
#: "…时间:7月下旬 责任单位:市双拥办 二、开展军地青年联谊活动…"
INLINE_ITEM = re.compile(r"(?<=\S)[ \t\u3000]+(?=[一二三四五六七八九十]{1,3}、|\([一二三四五六七八九十]{1,3}\))"
                         # … or glued to the field before it: "配合单位:各社区(七)开展…"
                         r"|(?<=[\u4e00-\u9fff])(?=\([一二三四五六七八九十]{1,3}\)[\u4e00-\u9fff])")
#: where an INLINE_ITEM match can start (a blank or a bracket): no line without one is searched
_INLINE_ITEM_AT = re.compile(r"[ \t\u3000(]")
# What every line holding an inline marker holds (a sentence end, blanks, then a marker's first characters;
# a blank after a non-blank or a bracket after a Han character, before an item's label), found for a whole
# plan in one scan: the other lines are not searched one by one. (Each opens with a character class, which
# the engine skips to; each asks for as much of the marker as a cheap test can: a sentence end before a
# digit ("时间:3月") or a line's own "(一)" would send one line in two to the searches.)
_INLINE_MARKER_HINT = re.compile(r"[。；;!！?？:][^\S\n]*(?:\d{1,2}[.、]|\([\d一二三四五六七八九十]|"
                                 r"[一二三四五六七八九十]{1,2}是|[" + _CIRCLED + r"])")
_INLINE_ITEM_HINT = re.compile(r"[ \t\u3000(](?:(?<=\S[ \t\u3000])[ \t\u3000]*(?=\(?[一二三四五六七八九十]{1,3}[、)])"
                               r"|(?<=[\u4e00-\u9fff]\()(?=[一二三四五六七八九十]{1,3}\)[\u4e00-\u9fff]))")
_YISHI_HINT = re.compile("一是")


@dataclass
class Line:
    start: int
    end: int
    text: str           # the line, stripped of markdown heading marks, bullets and bold
    body_start: int     # offset where ``text`` starts
    md_level: int = 0   # number of leading '#'
    number: Optional[str] = None   # a Word list label not in the text
    word_heading: bool = False


@dataclass
class SectionSpan:
    id: str
    start: int
    end: int
    number: Optional[str]
    title: Optional[str]
    scheme: Optional[str]
    value: Optional[int]
    rank: float
    level: int = 1
    parent: Optional[str] = None
    body_start: int = 0  # where the text after the label starts
    number_span: Optional[tuple[int, int]] = None  # where the label stands (None: Word numbering)
    title_span: Optional[tuple[int, int]] = None


@dataclass
class PlanSpan:
    id: str
    start: int
    end: int
    title: Optional[str] = None
    title_span: Optional[tuple[int, int]] = None
    year: Optional[int] = None
    year_placeholder: bool = False
    sections: list[SectionSpan] = field(default_factory=list)


@dataclass
class Structure:
    plans: list[PlanSpan]
    sentences: list[tuple[int, int]]
    clauses: list[tuple[int, int]]
    furniture: list[tuple[int, int]]
    title: Optional[str] = None
    title_span: Optional[tuple[int, int]] = None


def _piece(line: str) -> Optional[re.Match]:
    """``_PIECE_RE``'s match in ``line``, searched only when the line holds a character that every
    piece heading holds (the pattern is slow to fail: the engine cannot skip to a likely start)."""
    if "篇" in line or "第" in line or "范文" in line:
        return _PIECE_RE.search(line)
    return None


#: One match per non-blank line, whole lines only: the blank lines before it (spaces only), then the
#: line's lead (blanks, markdown heading marks, a bullet: ``_LINE_LEAD`` within one line, atomic so it
#: is the greedy match ``_LINE_LEAD.match`` finds), its text from the first to the last non-space
#: character (group 3), and its trailing blanks. Each match ends at its line's end and the next one
#: opens with that ``\n``: the engine walks the text once, never retrying the positions inside a line,
#: and Python sees only the lines that have a text (about half of them). (A line whose lead is all it
#: has, ``# ``, matches without group 3.)
_LINE_RX = re.compile(r"\n?(?:[^\S\n]*\n)*((?>[^\S\n]*(#{1,6})?[^\S\n]*(?:[-*+>][^\S\n]+)?[^\S\n]*))"
                      r"(?:(\S(?:.*\S)?)[^\S\n]*)?(?=\n|\Z)")


def _lines(text: str, labels: dict[int, tuple[str, bool]]) -> list[Line]:
    """The non-blank lines of ``text`` (blank ones hold nothing any rule reads), in order."""
    out = []
    append = out.append
    for m in _LINE_RX.finditer(text):
        body = m.group(3)
        if body is None:  # blank
            continue
        start = m.start(1)
        md = m.group(2)
        label, heading = labels.get(start, (None, False)) if labels else (None, False)
        append(Line(start, m.end(), body, m.start(3), len(md) if md else 0, label, heading))
    return out


#: every scheme's pattern in one alternation, in the schemes' order: ``match`` tries the branches in
#: turn, as :func:`_marker` tried the patterns, so the first scheme that matches wins, and the
#: number of the capturing group that took part (each scheme has one) names it: one regex call
#: instead of one per scheme (six on average for a marker line)
_ANY_MARKER = re.compile("|".join("(?:%s)" % pattern for _name, pattern, _rank in _SCHEMES))
assert _ANY_MARKER.groups == len(_SCHEMES)  # (one group a scheme: tests/test_structure.py)


def _marker(text: str, pos: int = 0, endpos: int = sys.maxsize) -> Optional[tuple[str, str, int, float]]:
    """The marker opening ``text[pos:endpos]``: (scheme, its number, where it ends, rank), or None."""
    return _read_marker(_ANY_MARKER.match(text, pos, endpos))


def _read_marker(m: Optional[re.Match]) -> Optional[tuple[str, str, int, float]]:
    """:func:`_marker` of an ``_ANY_MARKER`` match (or None)."""
    if m is None:
        return None
    k = m.lastindex  # (the scheme's branch: the alternation's match is that scheme's own match)
    name, _pattern, rank = _SCHEMES[k - 1]
    return name, m[k], m.end(), rank


@functools.lru_cache(maxsize=1024)  # (a few dozen tokens: 一, 二, …, 1, 2, …; cn_int is slow)
def _value(scheme: str, token: str) -> Optional[int]:
    if scheme == "circled":
        return _CIRCLED.index(token) + 1
    if scheme == "paren_digit":
        return ord(token) - 0x2474 + 1
    if scheme == "paren_cn":
        return ord(token) - 0x3220 + 1
    return cn_int(token)


# a title: the first 60 characters of a label's text, cut at a stop (a 一是 item's at a comma too), read by
# one match that stops there (never scanning a long paragraph for a stop); keyed by ``scheme == "shi"``
_TITLE_STOPS = {False: "。；;:", True: "，,。；;:"}
_TITLE = {shi: re.compile("[^%s]{0,60}" % stops) for shi, stops in _TITLE_STOPS.items()}
_TITLE_AFTER = {shi: re.compile(r"\s*([^%s]{0,60})" % stops) for shi, stops in _TITLE_STOPS.items()}


def _title_of(text: str, scheme: Optional[str]) -> str:
    return _TITLE[scheme == "shi"].match(text)[0].strip(" *")


def _title_after(text: str, pos: int, endpos: int, scheme: Optional[str]) -> str:
    """``_title_of(text[pos:endpos].lstrip(), scheme)``: the title after a marker ending at ``pos``."""
    return _TITLE_AFTER[scheme == "shi"].match(text, pos, endpos)[1].strip(" *")


def _is_furniture(line: str) -> bool:
    s = line.strip()
    if not s:
        return False
    if _FURNITURE_RE.match(s):
        return True
    n = len(s)
    # two arrows (the same one twice or two of them): one search for both, which skips to the
    # first arrow at C speed, instead of counting each of the four arrows through the whole line
    return ("备" in s and bool(_ICP_RE.search(s))) or (n <= 32 and s.endswith(_CREDIT_ENDS)) \
        or (n < 80 and (s.startswith(_HOME) or _TWO_ARROWS.search(s) is not None))


#: how many lines before a lone plan's title may be page furniture (a navigation bar, a breadcrumb)
_TITLE_SEARCH_LINES = 40


def _looks_like_title(line: Line) -> bool:
    t = line.text.strip(" *_")
    if not t or len(t) > 60 or t[-1] in "。；;,，:":
        return False
    # (the marker, which most short lines have, is looked for only on a line that reads as a title)
    return (_TITLE_WORDS.search(t) is not None or _piece(t) is not None) and not _marker(t)


def _plan_title_text(line: Line) -> str:
    return line.text.strip().strip("*").strip()


def _find_year(text: str) -> tuple[Optional[int], bool]:
    m = re.search(r"((?:19|20)\d{2})(?=年|\D|$)|(20[xX×]{2}|[xX]{4})年", text)
    if not m:
        return None, False
    if m.group(1):
        return int(m.group(1)), False
    return None, True


def _sections(text: str, lines: list[Line], start: int, end: int, plan_no: int,
              line_starts: list[int]) -> list[SectionSpan]:
    found: list[SectionSpan] = []

    def add(pos: int, number: Optional[str], title: Optional[str], scheme: Optional[str], value, rank: float,
            body_start: int):
        sec = SectionSpan("", pos, end, number, title, scheme, value, rank, body_start=body_start)
        if number is not None and body_start > pos:  # the label is in the text: keep where it stands
            # (``number`` is the text from ``pos`` stripped, and a marker opens with a non-blank)
            sec.number_span = (pos, pos + len(number))
        if title:
            t = text.find(title, body_start)
            if t >= 0:
                sec.title_span = (t, t + len(title))
        found.append(sec)

    # lines are in text order (line_starts): only this plan's, found by two bisects
    lo = bisect.bisect_left(line_starts, start)
    hi = bisect.bisect_left(line_starts, end, lo)
    scan_to = text.find("\n", end)  # the end of the plan's last line
    if scan_to < 0:
        scan_to = len(text)
    marker_lines = _lines_with(_INLINE_MARKER_HINT, text, start, scan_to)
    item_lines = _lines_with(_INLINE_ITEM_HINT, text, start, scan_to)
    # the lines holding 一是 (the enumeration below), found in one scan for the plan
    yishi_lines = _lines_with(_YISHI_HINT, text, start, scan_to)
    plan_lines = lines[lo:hi]  # (each holds a text: _lines drops the blank ones)
    # (each line's marker matched by one C-level map: no Python call for the lines without one)
    for ln, m in zip(plan_lines, map(_ANY_MARKER.match, map(_TEXT_OF, plan_lines))):
        if ln.number:  # Word list numbering: the label is not in the text
            mk = _marker(ln.number + " ")
            scheme, rank = (mk[0], mk[3]) if mk else ("word", 3.0)
            value = _value(scheme, mk[1]) if mk else None
            add(ln.body_start, ln.number, _title_of(ln.text, scheme), scheme, value, rank, ln.body_start)
        elif m:
            scheme, number, m_end, rank = _read_marker(m)
            add(ln.body_start, ln.text[:m_end].strip(), _title_after(ln.text, m_end, len(ln.text), scheme), scheme,
                _value(scheme, number), rank, ln.body_start + m_end)
        elif (ln.md_level or ln.word_heading) and ln.start != start:
            add(ln.body_start, None, _title_of(ln.text.strip("*_ "), None), None, None, _HEADING_RANK,
                ln.body_start)
    # The sections inside a line, read only on the lines a scan found (their order in ``found`` is that of
    # reading the line once: a 一是, then the markers, then the items at the same place).
    # 一是…二是… enumerations also follow a bare subject ("x镇一是建立…")
    for ln in _lines_at(yishi_lines, lines, line_starts, lo, hi):
        seg_from = ln.body_start + 1
        m1 = _YISHI.search(text[seg_from:ln.end])
        if m1 and "二是" in text[seg_from + m1.end():ln.end] \
                and text[seg_from + m1.start() - 1] not in "。；;!！?？:":
            pos = seg_from + m1.start()
            rest = text[pos + 2:ln.end]
            add(pos, "一是", _title_of(rest, "shi"), "shi", 1, 6.0, pos + 2)
    # inline markers after a sentence end ("…隐患排查。1. 落实…", "…。二是…") and items after blanks
    for ln in _lines_at(item_lines | marker_lines, lines, line_starts, lo, hi):
        seg_from = ln.body_start + 1
        gap = _INLINE_ITEM_AT.search(text, seg_from, ln.end) if ln.start in item_lines else None
        markers = _INLINE_MARKER.finditer(text, seg_from - 1, ln.end) if ln.start in marker_lines else ()
        for m in itertools.chain(markers, INLINE_ITEM.finditer(text, gap.start(), ln.end) if gap else ()):
            pos = m.end()
            mk = _marker(text, pos, ln.end)
            if not mk:
                continue
            scheme, number, m_end, rank = mk
            add(pos, text[pos:m_end].strip(), _title_after(text, m_end, ln.end, scheme), scheme, _value(scheme, number),
                rank, m_end)
    found.sort(key=lambda s: s.start)
    # tree by rank: pop while the open section ranks at or below the new one
    stack: list[SectionSpan] = []
    for k, sec in enumerate(found):
        sec.id = f"p{plan_no}.s{k + 1}"
        while stack and stack[-1].rank >= sec.rank:
            closed = stack.pop()
            closed.end = _trim_end(text, closed.start, sec.start)
        sec.parent = stack[-1].id if stack else None
        sec.level = len(stack) + 1
        stack.append(sec)
    for sec in stack:
        sec.end = _trim_end(text, sec.start, end)
    return found


def _lines_with(rx: re.Pattern, text: str, a: int, b: int) -> set[int]:
    """The starts of the lines where ``rx`` matches in ``text[a:b]``."""
    return {text.rfind("\n", 0, m.start()) + 1 for m in rx.finditer(text, a, b)}


def _lines_at(starts: set[int], lines: list[Line], line_starts: list[int], lo: int, hi: int) -> list[Line]:
    """The lines of ``lines[lo:hi]`` that start at one of ``starts``, in order."""
    return [lines[k] for k in sorted(map(bisect.bisect_left, itertools.repeat(line_starts), starts)) if lo <= k < hi]


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _spans(text: str, rx: re.Pattern, start: int, end: int) -> list[tuple[int, int]]:
    """The pieces of ``text[start:end]`` that ``rx`` (a :func:`_piece_re`) finds, as (start, end)."""
    return list(map(_SPAN, rx.finditer(text, start, end)))  # (map: the spans taken in a C loop)


def split_at(spans: list[tuple[int, int]], cuts: list[int], text: str) -> list[tuple[int, int]]:
    """Split sorted spans at the given offsets (a record field's label starts a new clause)."""
    if not cuts:
        return spans
    starts = list(map(_FIRST, spans))
    ends = list(map(_SECOND, spans))
    # sorted and disjoint (as build makes them: the usual case), checked by two C-level walks
    if all(map(le, starts, ends)) and all(map(le, ends, starts[1:])):
        return _split_disjoint(spans, cuts, text)
    out: list[tuple[int, int]] = []
    for a, b in spans:  # (any other spans: a hand-made context)
        _split_span(a, b, cuts, bisect.bisect_right(cuts, a), text, out)
    return out


def _split_span(a: int, b: int, cuts: list[int], j: int, text: str, out: list) -> int:
    """Append the pieces of the span [a, b) cut at ``cuts[j:]`` that fall before ``b`` (each piece
    but the last trimmed of its trailing whitespace, empty ones dropped); the index of the first
    cut past the span."""
    start, n = a, len(cuts)
    while j < n and cuts[j] < b:
        end = cuts[j]
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append((start, end))
        start = cuts[j]
        j += 1
    out.append((start, b))
    return j


def _split_disjoint(spans: list[tuple[int, int]], cuts: list[int], text: str) -> list[tuple[int, int]]:
    """:func:`split_at` of sorted, disjoint spans: each cut falls in one span at most, found by a
    bisect on the spans themselves (``(c,)`` sorts just before every span starting at ``c``), and the
    spans between the cut ones are copied as slices (the cuts are few, the spans many: no step, not
    even a C-level one, per span)."""
    out: list[tuple[int, int]] = []
    done = 0  # spans[:done] are in ``out``
    n = len(cuts)
    j = 0
    while j < n:
        c = cuts[j]
        k = bisect.bisect_left(spans, (c,), done) - 1  # the last span starting before the cut
        if k < done or c >= spans[k][1]:  # (cuts at or before a span's start are no cuts: split_at's ``a < c``)
            j += 1
            continue
        out += spans[done:k]
        a, b = spans[k]
        j = _split_span(a, b, cuts, j, text, out)  # every cut inside this span (all after its start: sorted)
        done = k + 1
    out += spans[done:]
    return out


def build(text: str, labels: Optional[dict[int, tuple[str, bool]]] = None, cuts: Iterable[int] = ()) -> Structure:
    """Split ``text`` (normalised) into plans with their sections, sentences and clauses.

    ``labels`` maps a line's start offset to (Word list label or None, is a Word heading); ``cuts`` are
    further offsets where a sentence and a clause start (a record field's label, a table cell).
    """
    lines = _lines(text, labels or {})  # (the non-blank ones only)
    line_starts = [ln.start for ln in lines]
    furniture = [(ln.start, ln.end) for ln in lines if _is_furniture(ln.text)]
    fset = {s for s, _ in furniture}

    pieces = [ln for ln in lines if len(ln.text) <= 80 and _piece(ln.text.strip(" *_#")) and not _marker(ln.text)]
    # the title lines, each line tested once for every use below: all of them in the branches where
    # the pieces do not split the text into plans
    titles = [ln for ln in lines if _looks_like_title(ln)] if len(pieces) < 2 else []
    title_starts = {ln.start for ln in titles}
    heads: list[Line] = []
    if len(pieces) >= 2:
        heads = pieces
    else:
        titled = [ln for ln in titles if ln.md_level]
        top = min((ln.md_level for ln in titled), default=0)
        same_level = [ln for ln in titled if ln.md_level == top]
        if len(same_level) >= 2:
            heads = same_level
        else:  # a title line repeated (one template used twice)
            seen: dict[str, list[Line]] = {}
            for ln in titles:
                seen.setdefault(_plan_title_text(ln), []).append(ln)
            repeated = [lns for lns in seen.values() if len(lns) >= 2]
            if repeated:
                heads = sorted(repeated[0], key=lambda ln: ln.start)

    body = [ln for ln in lines if ln.start not in fset]
    plans: list[PlanSpan] = []
    doc_title = None
    doc_title_span = None
    if heads:
        first = heads[0]
        pre = [ln for ln in body if ln.start < first.start]
        if pre:
            doc_title, doc_title_span = _plan_title_text(pre[0]), (pre[0].body_start, pre[0].end)
        body_starts = [ln.start for ln in body]
        for i, h in enumerate(heads):
            nxt = heads[i + 1].start if i + 1 < len(heads) else len(text)
            j = bisect.bisect_left(body_starts, nxt) - 1  # the last body line before the next plan
            last = body[j] if j >= 0 and body[j].start >= h.start else h
            plans.append(PlanSpan(f"p{i + 1}", h.body_start, _trim_end(text, h.body_start, last.end),
                                  _plan_title_text(h), (h.body_start, h.end)))
    elif body:
        # lone plan: skip leading furniture-like lines up to the title, stop at trailing furniture
        # (a web page's navigation may take dozens of short lines; a line of prose means the body began)
        first_idx = 0
        for k, ln in enumerate(body[:_TITLE_SEARCH_LINES]):
            if ln.start in title_starts:
                first_idx = k
                break
            if k >= 8 and (len(ln.text) > 40 or "。" in ln.text):
                break
        t = body[first_idx]
        # trailing furniture: the body ends at the last line before the first furniture line after it
        last = body[-1]
        for f_start, _f_end in furniture:  # (in line order: the furniture lines, not every line)
            if f_start > t.start:
                prior = [b for b in body if b.start < f_start]
                # only a furniture block in the last part of the page ends the plan
                later_body = [b for b in body if b.start > f_start
                              and (len(b.text) > 60 or _SENT_END.search(b.text))]
                if prior and not later_body:
                    last = prior[-1]
                    break
        title = _plan_title_text(t) if t.start in title_starts else None
        plans.append(PlanSpan("p1", t.body_start, _trim_end(text, t.body_start, last.end), title,
                              (t.body_start, t.end) if title else None))
        doc_title = title
        doc_title_span = (t.body_start, t.end) if title else None
    for k, p in enumerate(plans):
        title_year = _find_year(p.title) if p.title else (None, False)
        year, ph = title_year
        if year is None and not ph:
            # the first body line opening with a year: "2018年，为…", "2022社区年度…计划"
            rest = text[p.title_span[1] if p.title_span else p.start:p.end].lstrip()
            m = re.match(r"((?:19|20)\d{2})(?:年|(?=\D))|(20[xX]{2})年", rest)
            if m:
                year, ph = (int(m.group(1)), False) if m.group(1) else (None, True)
        p.year, p.year_placeholder = year, ph
        p.sections = _sections(text, lines, p.start, p.end, k + 1, line_starts)
    sentences = []
    clauses = []
    for p in plans:
        sentences += _spans(text, _SENT_RE, p.start, p.end)
        clauses += _spans(text, _CLAUSE_RE, p.start, p.end)
    # an item that starts inside a line starts a sentence, as it would on a line of its own (cut with
    # ``cuts`` in one pass: the same pieces as cutting at the ones, then the others)
    inline = sorted(itertools.chain((s.start for p in plans for s in p.sections
                                     if s.start > 0 and text[s.start - 1] in " \t\u3000"), cuts))
    # (the spans are sorted and disjoint: found in order in plans in text order)
    sentences, clauses = _split_disjoint(sentences, inline, text), _split_disjoint(clauses, inline, text)
    return Structure(plans, sentences, clauses, furniture, doc_title, doc_title_span)
