"""Activities: concrete, checkable undertakings (召开军民座谈会, 走访慰问烈属, 拨款6000元 …).

A clause makes an activity when its main verb is an action verb (lexicon
``activities.yaml``) with a fitting object:

* action verbs (开展, 举办, 召开, 走访慰问, 邀请, 拨款 …) take any object that is
  not generic (开展双拥工作, 参加各项活动, 制定本计划 are not activities);
* light verbs (做好, 抓好, 搞好, 完成 …) need an event as object (做好节日慰问,
  抓好征兵工作 — not 做好双拥宣传, 抓好落实);
* outcome verbs (解决, 帮助, 输送 …) need a count (研究解决涉军问题11个);
* 打造/创建 need a quoted name (打造“双拥文化沙龙”), 宣传 a means or an actor
  (充分利用广播、电视宣传双拥知识), 明确/确定 a designation (明确一名干部负责…),
  负责 a unit just before it (县公安局负责…安保工作).

Not activities: aims and principles (提高认识, 加强领导, 营造氛围, 坚持…为指导 —
an aim verb before the action verb makes the clause an aim), purposes and
means (为了…, 通过…, 从而…), prohibitions (不得…), standing rules (落实…责任制),
theme headings (二、国防教育，深入人心; （五）举办共建活动。), and verbs used as
nouns (宣传单, 表彰大会, 慰问之机, 的走访慰问活动).

The span is the clause (from its subject or adjuncts to the end of the object).
Coordinated events are split (举办知识竞赛、趣味运动会 → two; 戴大红花、送光荣匾;
入学入托问题7个、随军家属就业5人); an elaborating clause joins the one before
(开展…慰问活动，重点是走访慰问…; 举办表彰会，表彰先进军嫂10名). Verbless summary
clauses count too (新生入学军训达8000人次).

Attributes: ``action`` (the verb), ``name`` (the object phrase); private
attributes (``_verb``, ``_clause``, ``_sent``) carry the grammatical context the
linker (``syextract.link``) needs.
"""
from __future__ import annotations

import bisect
import re
from typing import Optional

from syextract.extractors.base import ITEM_LEAD as _LEAD
from syextract.extractors.base import (LABEL_COLON, SCHEDULE_LEAD, Ctx, Span, alternation, class_led, first_class,
                                      first_items, first_led, Intervals, lexicon, literal_led, memo)
from syextract.extractors.base import n_cjk as _n_cjk


def _lookahead_led(alternatives: list[str]) -> str:
    """The regex ``(?:a1)|(?:a2)|…``, with the leading run of alternatives whose first characters are
    known put behind one look-ahead on their class (:func:`base.first_led`):
    ``(?=[…])(?:(?:a1)|…|(?:ak))|(?:ak+1)|…``.

    The same matches, found faster: unless every alternative starts with a plain character, Python's
    regex engine tries every alternative (~200 verbs) at every position, while a look-ahead on a
    character class fails at once where none can start. The alternatives keep their order."""
    parts = ["(?:%s)" % p for p in alternatives]
    k = next((i for i, p in enumerate(alternatives) if first_class(p) is None), len(alternatives))
    return "|".join(([first_led("|".join(parts[:k]))] if k else []) + parts[k:])


def _flat(alternatives: list[str]) -> str:
    """The regex ``a1|a2|…``, each alternative's own top-level alternatives spliced in (an
    ``alternation()`` unwrapped), when every alternative opens with a plain character; else
    :func:`_lookahead_led`. The same matches (alternation is associative, the order is kept), found
    faster: when every top-level branch opens with a literal, Python's regex compiler gives the
    pattern a set of first characters that the engine scans for in C, while the look-ahead of
    :func:`_lookahead_led` (or a look-behind in front) is tried at every position."""
    parts = [_unwrap(p) for p in alternatives]
    if parts and all(literal_led(p) for p in parts):
        return "|".join(parts)
    return _lookahead_led(alternatives)


def _unwrap(pattern: str) -> str:
    """``X`` for ``(?:X)``, ``pattern`` itself otherwise. (If the opening ``(?:`` did not close at the
    end, ``X`` would hold an unbalanced parenthesis and not compile.)"""
    if pattern.startswith("(?:") and pattern.endswith(")"):
        try:
            re.compile(pattern[3:-1])
        except re.error:
            return pattern
        return pattern[3:-1]
    return pattern


def _first_chars(pattern: str) -> Optional[set[str]]:
    """The characters every match of ``pattern`` starts with, or None when not known
    (:func:`base.first_items`) or when they include a range or a category: a set for look-ups of
    one character and words for a literal alternation, where :func:`base.first_class`'s class body
    does not serve."""
    items = first_items(pattern)
    if items is None or any(it[0] != "char" for it in items):
        return None
    return {it[1] for it in items}


class _Opens(dict):
    """``opens[ch]``: whether a match of ``pattern`` (which may be empty) can be other than empty where
    the text has the character ``ch`` (always, when the pattern's first characters are not known).
    Memoised per character: a dict look-up instead of the match, where most characters open none."""

    def __init__(self, pattern: str):
        super().__init__()
        first = first_class(r"(?:%s)\uffff" % pattern)  # (what follows an empty match: any character)
        self._rx = None if first is None else re.compile("[%s]" % first)

    def __missing__(self, ch: str) -> bool:
        opens = self[ch] = self._rx is None or self._rx.match(ch) is not None
        return opens


_C: Optional[dict] = None
_PUNCT_END = " \t\n,，。;；:：!！?？、|"  # | : a markdown table cell's right border
_CJK = re.compile(r"[\u4e00-\u9fff0-9A-Za-z]")


def _matches(rx: re.Pattern, text: str, a: int, b: int) -> list:
    """``list(rx.finditer(text, a, b))``, found search by search: on the short stretches searched
    here, where most searches find nothing, creating the iterator costs more than the searches."""
    out = []
    pos = a
    while True:
        m = rx.search(text, pos, b)
        if m is None:
            return out
        if m.end() == m.start():  # an empty match: finditer knows what comes next
            out.extend(rx.finditer(text, pos, b))
            return out
        out.append(m)
        pos = m.end()


_QUANT_PREFIX = re.compile(r"[了过好着]?(?:[一二两三四五六七八九十百千几多数\d]+|_{2,})(?:次|场|批|支|个|期|项|届|轮|名|位|户|台|床|期次)")
# (every alternative opens with its character, so the engine skips the positions where none starts;
# the blank's guard (?<![_\w]) is tested after its _, as (?<![_\w]_))
_QUOTES = re.compile(r"“[^”\n]{0,80}”|《[^》\n]{0,80}》|\"[^\"\n]{0,80}\"|‘[^’\n]{0,40}’|「[^」\n]{0,60}」|"
                     r"_(?<![_\w]_)(?!_)[^_\n,，。;；]{1,30}(?<!_)_(?![_\w])")
_FREQ = re.compile(r"(?:[一二两三四五六七八九十几多数\d]+|_{2,})(?:次|场|期|轮)(?![数间])")
_MONEY = re.compile(r"[\d.]+(?:万|千)?元|[一二两三四五六七八九十百千万]+(?:万)?元")
_PERSONNEL = re.compile(r"人员|专人|干部|医护|志愿者|教员|专家|工作人员")
_OBJ_NOT_SUFFIX = ("工作人员", "工作总结", "工作计划", "工作方案", "工作情况", "工作经验", "工作报告", "工作记录",
                   "工作站", "工作要点", "部队", "部门", "部分", "部署", "员工", "站岗")
_WEAK = ("outcome_verbs", "context_verbs", "named_object_verbs")
_TRAILING_COUNT = re.compile(r"(?:[一二两三四五六七八九十百千万几多\d.]+|_+)(?:余|多)?"
                             r"(?:个|名|人次|人|户|件|场次|场|期|次|份|条|天|万元|元)$")
# what a string must end with for _TRAILING_COUNT to match: the last character of a unit, or the
# final newline before which $ also matches (a cheap test that skips the regex)
_TRAILING_COUNT_ENDS = tuple("个名次人户件场期份条天元\n")
_NON_HAN = re.compile(r"[^\u4e00-\u9fff]")
_DET_TAIL = re.compile(r"(各项|各类|各种|相关|有关|一系列)[\u4e00-\u9fff“”\"]{0,6}$")
_BENEFACTIVE = re.compile(r"为|给|用于")
_ACTS_SUBJECT = re.compile(r"\s*(?:各项|所有|一切)[^,，]{0,8}活动")
_END_RX = re.compile(r"[。;!?！？；\n]")
_COMMAS = re.compile(r"[,，]")
_GUEST_TAIL = re.compile(r"(?:参加|出席|参与|观看|指导)$")
_FREQ_ONLY = re.compile(r"(?:[一二两三四五六七八九十几\d]+|_{2,})(?:次|场|期|轮)")
_TWO_HAN = re.compile(r"[\u4e00-\u9fff]{2}")
_KINDS = ("action_verbs", "light_verbs", "outcome_verbs", "subject_verbs", "named_object_verbs", "context_verbs",
          "designation_verbs")


def _compile() -> dict:
    lx = lexicon("activities")
    c: dict = {"lx": lx}
    kinds = {}
    for k in _KINDS:
        for w in lx.get(k, []) or []:
            kinds.setdefault(w, k)
    c["kind"] = kinds
    pats = [alternation(kinds)] + list(lx.get("verb_patterns", []) or [])
    c["verb"] = re.compile(_flat([p for p in pats if p]))  # (the patterns open with a character: see _flat)
    c["intrans"] = set(lx.get("intransitive", []) or [])
    c["aim"] = re.compile(alternation(lx["aim_verbs"]))
    c["purpose"] = re.compile(alternation(lx["purpose_markers"]))
    c["prep"] = re.compile(r"(?:%s)" % alternation(lx["prepositions"]))
    c["wei"] = re.compile(first_led(r"(?<![作成认因称以])为(?!了|主|重点|契机|载体|目标|核心|抓手|重|此|止|期)(?:%s)"
                                    % alternation(lx["purpose_after_wei"])))
    c["block_prefix"] = tuple(lx.get("blocking_prefixes", []) or [])
    c["block_len"] = max(map(len, c["block_prefix"]), default=0)
    c["generic_det"] = re.compile(r"(?:%s)" % alternation(lx["generic_determiners"]))
    c["det_end"] = re.compile(r"(?:%s)$" % alternation(lx["generic_determiners"]))
    c["det_heads"] = tuple(lx.get("determiner_heads", []) or [])
    # whether a verb may follow one of the words that _verbs tests before it (的之把, a blocking
    # prefix, a determiner, 配合/协助, or the newline that det_end's $ also matches before): a
    # look-behind for each, matched at the verb
    before = {"的", "之", "把", "\n", "配合", "协助", *c["block_prefix"], *lx["generic_determiners"]}
    c["before_verb"] = re.compile("|".join("(?<=%s)" % re.escape(w) for w in sorted(before)))
    c["before_verb_last"] = frozenset(w[-1] for w in before)  # (what the character before it must be)
    c["generic_heads"] = sorted(set(lx["generic_heads"]), key=len, reverse=True)
    c["event_heads"] = sorted(set(lx["event_heads"]), key=len, reverse=True)
    # the longest event or generic head an object ends with, in one match on the reversed object
    # (longest first, see alternation), and which of the two it is (an event head if both)
    heads = {w: "generic" for w in lx["generic_heads"] if w}
    heads.update({w: "event" for w in lx["event_heads"] if w})
    c["head_kind"] = heads
    c["head_rev"] = re.compile(alternation([w[::-1] for w in heads]))
    # a noun suffix opening a stretch (matched up to 4 characters after a verb in _verbs)
    c["noun_suffix"] = re.compile(alternation(lx["noun_suffixes"]))
    c["nominal_verbs"] = (set(lx["nominal_verbs"]) | c["intrans"] | set(lx.get("context_verbs", []) or [])
                          | set(lx.get("outcome_verbs", []) or []))
    c["context_cues"] = re.compile(alternation(lx["context_cues"]))
    c["elab"] = re.compile(r"(?:%s)" % alternation(lx["elaboration_openers"]))
    c["openers"] = re.compile(r"(?:(?:%s)\s*)+" % alternation(lx["clause_openers"]))
    # where a clause's content starts, in one match: after its numbering (_LEAD), its openers (同时,
    # 另外 …) unless they are all the clause holds (atomic: all of them or none), spaces and commas
    lead_tail = r"[ \t,，:：、]*"
    c["lead"] = re.compile(r"%s(?:(?>%s)(?=[\s\S]))?%s" % (_LEAD.pattern, c["openers"].pattern, lead_tail))
    # the characters a clause with a lead opens with (most clauses have none: the lead is then empty),
    # the atomic group as a plain one (the same first characters, and first_items reads it)
    c["lead_opens"] = _Opens(r"%s(?:%s)?%s" % (_LEAD.pattern, c["openers"].pattern, lead_tail))
    summary_tail = r"(?:%s)\s*(?=[\d一二三四五六七八九十百千近约]|_)" % alternation(lx["summary_verbs"])
    c["summary"] = re.compile(r"(%s)%s" % (alternation(lx["event_heads"]), summary_tail))
    # what every summary match holds: searched first, as few clauses have it (faster than the event heads)
    c["summary_tail"] = re.compile(summary_tail)
    # where a verb or a summary may start (see extract): the verbs, the first characters of the verb
    # patterns and the summary verbs, as one alternation of literal words. Where a verb or a summary
    # is found in a clause (searched up to the clause's end), this matches in the whole text (the same
    # word, or the pattern's first character): no verb or summary starts before its next match.
    # (With a pattern's first characters unknown, any character: every clause is searched.)
    firsts: Optional[set] = set()
    for p in lx.get("verb_patterns", []) or []:
        f = _first_chars(p) if p else set()
        firsts = None if f is None or firsts is None else firsts | f
    c["hint"] = re.compile(r"[\s\S]" if firsts is None else
                           alternation([*kinds, *sorted(firsts), *lx["summary_verbs"]]))
    c["conj"] = re.compile(first_led(r"并且|(?<![合兼吞归一])并(?=[\u4e00-\u9fff])|同时(?=[\u4e00-\u9fff])|然后|随后|进而"))
    # a conjunction or a purpose marker, in one search: few clauses have either (led by the class of
    # their first characters, which the engine skips to: the lookbehinds they open with are not tried
    # at every position)
    c["cut_hint"] = re.compile(class_led("%s|%s" % (c["conj"].pattern, c["purpose"].pattern)))
    # a word that each test of what precedes a verb in _valid needs (an aim verb, a purpose marker,
    # the 为 of c["wei"] and _WEI_END, what opens _ACTS_SUBJECT): searched first, as most verbs have none
    c["pre_hint"] = re.compile(alternation([*lx["aim_verbs"], *lx["purpose_markers"], "为", "各项", "所有", "一切"]))
    c["count"] = re.compile(lx["count_pattern"])
    c["aim_sections"] = re.compile(r"(?:%s)\s*[:：]?\s*$" % alternation(lx.get("aim_sections", []) or ["\uffff"]))
    c["subject_verb_set"] = frozenset(lx["subject_verbs"])
    c["wei_words"] = frozenset(lx["purpose_after_wei"])
    c["standard_sections"] = re.compile(r"(?:%s)\s*[:：]?\s*$" % alternation(lx["standard_sections"]))
    c["compounds"] = re.compile(alternation(lx.get("noun_compounds", []) or ["\uffff"]))
    c["skip_after"] = {w: _skip_after(w, c["intrans"]) for w in kinds}
    c["heads_verbs"] = sorted(set(kinds) | set(lx["event_heads"]), key=len, reverse=True)
    c["heads_verbs_sfx"] = _by_length(w for w in c["heads_verbs"] if len(w) >= 2)
    c["content_headers"] = (None, *lexicon("tables")["content_headers"])
    c["content_endings"] = tuple(lexicon("tables").get("content_header_endings") or ())
    # the labels of a bracketed field that closes an item (…不少于20户次（责任人：杨振华）): the clause,
    # cut at the label's colon, ends before the bracket
    c["field_labels"] = frozenset([*lx["time_headers"], *lx["responsible_headers"], *lx["participant_headers"],
                                   *lexicon("tables")["glued_labels"]])
    c["field_label_lasts"] = frozenset(w[-1] for w in c["field_labels"])
    c["agenda_verbs"] = frozenset(lx["meeting_agenda_verbs"])
    return c


def _by_length(words) -> tuple:
    """Non-empty words as ((length, frozenset of the words of that length), …), longest first."""
    groups: dict[int, set] = {}
    for w in words:
        if w:
            groups.setdefault(len(w), set()).add(w)
    return tuple((n, frozenset(ws)) for n, ws in sorted(groups.items(), reverse=True))


def _longest_suffix(s: str, by_length: tuple) -> int:
    """Length of the longest word of ``by_length`` that ``s`` ends with (0 if none): one set
    look-up per word length instead of an ``endswith`` per word."""
    n = len(s)
    for k, words in by_length:
        if k <= n and s[n - k:] in words:
            return k
    return 0


def _cfg() -> dict:
    global _C
    if _C is None:
        _C = _compile()
    return _C


@memo(8192)
def _head_ok(obj: str) -> str:
    """'event' when the object ends in an event noun, 'generic' for a generic object, '' otherwise.
    (Memoised: most objects recur, within a document and across documents; the lexicons it reads
    through _cfg never change within a process, see base.lexicon.)"""
    c = _cfg()
    o = obj.rstrip("等的中之起来出去好了 _")
    if o.endswith(_TRAILING_COUNT_ENDS):
        o = _TRAILING_COUNT.sub("", o)
    m = c["head_rev"].match(o[::-1])
    if m:
        # the longest head: a longer generic head wins over the event head it ends with
        return c["head_kind"][m.group(0)[::-1]]
    if o.endswith("工作"):
        # 发放工作, 接收安置工作, 整组工作: an undertaking; 双拥工作: a domain
        return "event" if _longest_suffix(o[:-2], c["heads_verbs_sfx"]) else "generic"
    return ""


def _heading_regions(ctx: Ctx, text: str) -> list[tuple[int, int]]:
    """:func:`_find_heading_regions`, once per document (link reads them too)."""
    if text is not ctx.text:
        return _find_heading_regions(ctx, text)
    return ctx.once("activities.heading_regions", lambda: _find_heading_regions(ctx, text))


def _find_heading_regions(ctx: Ctx, text: str) -> list[tuple[int, int]]:
    """Section titles that are headings (not content), and plan titles.

    一、/（一）/第一 titles on their own line are headings; inline ones only when short
    (（五）举办共建活动。要…; not （二）每年8月份，组织召开…座谈会，…。). Arabic items
    are headings only when the title is a short line of its own followed by more text
    (3、深入开展活动), or short and closed by 。 with the item's text after it on the line
    (1. 开展专项整治。…). 一是…二是… enumerate content.
    """
    out = []
    end_rx = _END_RX
    for p in ctx.plans:
        if getattr(p, "title_span", None):
            out.append(tuple(p.title_span))
        for s in p.sections:
            if s.scheme == "shi":
                continue
            bs = s.body_start
            m = end_rx.search(text, bs, min(len(text), s.end + 1))
            tend = m.start() if m else s.end
            nl = text.find("\n", bs)
            line_end = nl if nl >= 0 else len(text)
            title = text[bs:tend]
            n_cjk = _n_cjk(title)
            n_commas = len(_COMMAS.findall(title))
            own_line = tend <= line_end and not _CJK.search(text, tend, line_end)
            if s.scheme is None:
                out.append((s.start, line_end))
            elif _titles_a_record(ctx, text, bs, tend, s.end):
                continue
            elif s.scheme in ("cn_dun", "cn_paren", "cn_di", "word"):
                if not _CJK.search(text, tend, s.end):
                    continue  # the title is all the item says (（二）7月下旬召开军民座谈会。): content
                if (n_cjk <= 16 and n_commas <= 1) or (own_line and _CJK.search(text, line_end, s.end)
                                                       and n_cjk <= 25 and n_commas <= 2):
                    out.append((s.start, tend))
            elif own_line and _CJK.search(text, line_end, s.end) and n_cjk <= 25 and n_commas <= 2:
                out.append((s.start, tend))
            elif text[tend:tend + 1] == "。" and n_cjk <= 12 and n_commas == 0 and \
                    _CJK.search(text, tend, min(line_end, s.end)):
                out.append((s.start, tend))  # 1. 开展专项整治。2026年3月至11月，…: the item's name, then its text
    return out


_RECORD_GAP = re.compile(r"[\s。;；,，]*")


def _titles_a_record(ctx: Ctx, text: str, bs: int, tend: int, end: int) -> bool:
    """An item whose title is followed at once by the fields of a record (二、举办军地联谊晚会
    时间：8月份 牵头单位：团县委): the title names the undertaking those fields time and assign."""
    k = bisect.bisect_left(ctx.field_labels, bs)
    if k == len(ctx.field_labels) or ctx.field_labels[k] >= end:
        return False
    label = ctx.field_labels[k]
    return label <= tend or _RECORD_GAP.match(text, tend, label).end() == label


def _aim_sections(ctx: Ctx, c: dict, key: str = "aim_sections") -> list[tuple[int, int]]:
    """Sections that state aims, not undertakings (一、指导思想; 二、活动目的), or with ``key``
    ``standard_sections`` the sections of beneficiaries and standards (三、慰问标准)."""
    rx = c[key]
    out = []
    for p in ctx.plans:
        for s in p.sections:
            if s.title and rx.match(s.title.strip(" *#")):
                out.append((s.start, s.end))
    return out


def _verbs(text: str, a: int, b: int, c: dict, quotes: Intervals, taken: Intervals):
    """Action-verb matches in [a, b) that are used as verbs, in order."""
    out = []
    block_prefix, block_len, det_end = c["block_prefix"], c["block_len"], c["det_end"]
    in_quotes, skip_after = quotes.mask, c["skip_after"]
    before_verb, before_last = c["before_verb"], c["before_verb_last"]
    nominal_verbs, noun_suffix, kinds = c["nominal_verbs"], c["noun_suffix"], c["kind"]
    for m in _matches(c["verb"], text, a, b):
        vs, ve = m.span()
        if in_quotes[vs] or taken.covers(vs):
            continue
        prev = text[vs - 1] if vs > 0 else " "
        # (most verbs have none of the words tested here before them: not even their last character)
        if prev in before_last and before_verb.match(text, vs):
            if prev in "的之把" or text[max(0, vs - block_len):vs].endswith(block_prefix):
                continue  # (把走访慰问与解决实际问题结合起来: inside the disposal object)
            if det_end.search(text[max(a, vs - 3):vs]):
                continue  # 各类检查, 有关培训: a noun
            if text[max(a, vs - 2):vs] in ("配合", "协助") and taken.touches(max(a, vs - 3), vs - 2):
                return []  # 镇派出所、镇卫生院配合做好…: a supporting unit's duty
        # (the tests below only skip the verb: their order does not matter)
        w = m.group(0)
        if (skip_after.get(w) or _skip_after(w, c["intrans"])).match(text, ve):
            continue  # 检查的隐患; 走访慰问要轻车简从; 表彰大会; 春节前夕; 储备 85 万元; 座谈会; 慰问活动; 召开前
        if w in nominal_verbs and noun_suffix.match(text, ve, ve + 4):
            nxt = text[ve:ve + 4]
            if (not nxt.startswith(_OBJ_NOT_SUFFIX)
                    and not _TO_RECIPIENT.search(text, max(a, vs - 18), vs)  # 向社区党委汇报工作: a verb
                    and not (w in ("组织", "安排", "邀请", "培训") and nxt.startswith(("人员", "干部")))):
                continue  # 宣传单, 组织部, 慰问金: nouns
        out.append((vs, ve, w, kinds.get(w, "pattern")))
    return out


def _skip_after(w: str, intrans: set) -> re.Pattern:
    """What, right after the verb ``w``, makes it no verb (a noun, a subject, a budget line …), in one
    regex: the tests that look only at what follows a verb, one regex per class of verbs instead of
    one match or test each (see _verbs; c["skip_after"] holds those of the lexicon's verbs)."""
    nu = _nu()
    key = (w in nu["money_verbs"], w in intrans, w in ("召开", "举行", "举办"))
    rx = nu["skip_after"].get(key)
    if rx is None:
        money, intrans, meeting = key
        # what makes any verb a noun or a subject in the 4 characters after it (words no longer than
        # 4: the same matches as up to 4 characters after it), a meeting (座谈会, not 会议 or 会同)
        alts = [alternation(nu["noun_after_words"]), "会[^议同商签]"]
        if not money:
            alts.append(nu["budget_after"].pattern)  # 储备 85 万元: a budget line
        if intrans:
            alts.append("活动|工作|队|团")  # 慰问活动, 演出队
        if meeting:
            alts.append("[前后时]")  # 召开前
        rx = nu["skip_after"][key] = re.compile("|".join("(?:%s)" % x for x in alts))
    return rx


def _core(text: str, ve: int, seg_end: int, verbs_after) -> str:
    """The object that the head checks look at: after nested verbs (组织…开展X → X), before a
    benefactive or purpose (拨款6000元|为县武警中队解决饮水难问题). An event right after the
    verb stays the object whatever its purpose (召开专题会议|研究部署双拥工作)."""
    end = seg_end
    mb = _BENEFACTIVE.search(text, ve, seg_end)
    if mb and _n_cjk(text[ve:mb.start()]) >= 2:
        end = mb.start()
    core = text[ve:end]
    for v2 in verbs_after:
        if v2[0] >= ve and v2[1] <= end and _n_cjk(text[v2[1]:end]) >= 2 and \
                not text.startswith(("工作", "任务"), v2[1]):  # 做好…接收安置工作: a noun
            if v2[0] - ve >= 2 and _nu()["event_object"].search(text, ve, v2[0]):
                return text[ve:v2[0]]
            core = text[v2[1]:end]
    return core


#: What the words of lexicons/activities.yaml's "Not undertakings" lists become (compiled once).
_NOT_UNDERTAKING: dict = {}


def _nu() -> dict:
    """The compiled "not an undertaking" cues (see lexicons/activities.yaml)."""
    if not _NOT_UNDERTAKING:
        lx = lexicon("activities")
        d = _NOT_UNDERTAKING
        # what, in the 4 characters after a verb (matched up to ve + 4), makes it a noun or a subject
        # whatever the verb: 的, the verb in a course (中发现) or as the subject (要), 大会, the universal
        # noun suffixes (时间), 前夕/之际/期间
        d["noun_after_words"] = [w for w in ["的", "大会", "前夕", "之际", "期间", *lx["verb_in_course_after"],
                                             *lx["verb_as_subject_after"], *lx["universal_noun_suffixes"]]
                                 if len(w) <= 4]
        d["skip_after"] = {}  # (see _skip_after: at most 8)
        d["money_verbs"] = frozenset(lx["money_verbs"])
        d["budget_after"] = re.compile(r"\s*[\d.]+\s*[万亿]?元")
        d["frame"] = re.compile(r"为(?:%s)$" % alternation(lx["frame_heads"]))
        d["duty_object"] = re.compile(r"(?:具体|全面|主要)?(?:%s)" % alternation(lx["standing_duties"]))
        d["attend_verbs"] = frozenset(lx["attendance_verbs"])
        d["attendance"] = re.compile(r"(?:的)?(?:%s)[^,，。;；]{0,4}?(?:约|达|共|近|逾|超过)?[0-9一二三四五六七八九十百千万两几]+"
                                     % alternation(lx["attendance_nouns"]))
        d["report_verbs"] = frozenset(lx["report_verbs"])
        d["event_object"] = re.compile(r"(?:%s)$" % alternation(lx["meeting_objects"]))
        d["stage"] = re.compile(r"为[^,，。;；]{1,16}(?:%s)$" % alternation(lx["stage_heads"]))
        d["caption"] = re.compile(r"\(?(?:%s)|.*(?:%s)$" % (alternation(lx["caption_openers"]),
                                                          alternation(lx["caption_endings"])))
        # where a caption may be (see extract): its first characters (None: not known), its endings
        d["caption_first"] = _first_chars(r"\(?(?:%s)" % alternation(lx["caption_openers"]))
        d["caption_ends"] = tuple(lx["caption_endings"])
    return _NOT_UNDERTAKING


_WEI_END = re.compile(r"(?<![作成认因称以])为了?\s*$")
_TO_RECIPIENT = re.compile(r"向[^,，。;；向]{2,16}$")
#: The designated person's duty opening the next clause (明确一名联络员，负责…).
_DUTY_NEXT = re.compile(r"[,，]\s*(?:具体)?(?:负责|担任)")


def _valid(text: str, a: int, v, seg_end: int, verbs_after, c: dict, taken_org: Intervals,
           quotes: Intervals) -> str:
    """Why the verb v in a clause whose content starts at a makes an activity ('' if it does not)."""
    vs, ve, w, kind = v
    pre = text[a:vs]
    if c["pre_hint"].search(text, a, vs):  # (none of the words they need: none of these tests applies)
        prep = c["prep"].search(text, a, vs)
        for m in _matches(c["aim"], text, a, prep.start() if prep else vs):
            if text[m.start() - 1:m.start()] in ("的", "之", "、", "和"):
                continue  # nominal: 的落实情况
            return ""
        for mp in _matches(c["purpose"], pre, 0, len(pre)):
            # 通过 + a noun is a means (通过微信公众号宣传征兵政策); 通过开展…/为了… state a purpose
            if mp.group(0) != "通过" or _n_cjk(pre[mp.end():]) <= 2 or c["aim"].search(pre, mp.end()):
                return ""
        if c["wei"].search(pre) or (w in c["wei_words"] and _WEI_END.search(pre)):
            return ""  # (为做好…工作，特制定本方案: the verb itself is the purpose)
        if _ACTS_SUBJECT.match(pre):
            return ""  # 各项活动要提前制定安全预案: a requirement on the activities
    # (up to the tests by kind below, every test only rules the verb out: their order does not matter)
    nu = _nu()
    if text.find("为", a, seg_end) >= 0:  # (what both patterns open with)
        if nu["stage"].search(text, a, seg_end):
            return ""  # 3月为骨干集训阶段: a stage defined, not an undertaking
        if "以" in pre and nu["frame"].search(text, a, seg_end):
            return ""  # 以迎接…复查考评为契机: the occasion of what follows, not an undertaking
    obj = text[ve:seg_end]
    core = _core(text, ve, seg_end, verbs_after)
    core_s = core.lstrip("了过好着 ")
    mq = _QUANT_PREFIX.match(core_s)
    if mq:
        core_s = core_s[mq.end():]
    head = _head_ok(core)
    for cand in (core_s, obj.lstrip("了过好着 ")):
        md = c["generic_det"].match(cand)
        if md and "的" not in cand and (head in ("event", "generic") or cand.rstrip("等 ").endswith(c["det_heads"])):
            return ""
    if "如下" in obj:
        return ""
    if head in ("event", "generic"):
        mt = _DET_TAIL.search(core.rstrip("等 "))
        if mt and c["generic_det"].fullmatch(mt.group(1)):
            return ""  # 参加上级组织的各项活动
    if kind == "subject_verbs" and nu["duty_object"].match(text, ve, seg_end):
        return ""  # 由冯丽萍负责日常组织协调: a standing duty (the person's role), not an undertaking
    if w in nu["attend_verbs"] and nu["attendance"].match(obj):
        return ""  # 参加学生约800人, 观看群众约1.5万人次: how many came, not an undertaking
    n_obj = _n_cjk(obj)
    if kind == "designation_verbs":
        if any(cue in obj for cue in ("负责", "担任")) or _DUTY_NEXT.match(text, seg_end):
            return "designation"  # 明确一名干部负责…; 明确一名安全员，负责…(the duty in the next clause)
        i = obj.find("为")
        if i >= 2 and "要求" not in obj[:i] and _n_cjk(obj[i + 1:]) >= 2:
            return "designation"
        return ""
    if kind == "outcome_verbs":
        if w in nu["report_verbs"] and _TO_RECIPIENT.search(pre) and n_obj >= 2:
            return "report"  # 每季度末向社区党委汇报工作进展: a report to a named recipient
        return "outcome" if n_obj >= 2 and c["count"].search(obj) else ""
    if kind == "subject_verbs":
        lo = vs - 3 if vs == a and text[a - 1:a] in ":：" else max(a, vs - 3)  # 总务处：负责…
        if not taken_org.touches(lo, vs):
            return ""
        if (head != "generic" and n_obj >= 4) or n_obj >= 10:
            return "subject"  # (a long duty whatever its head: 负责参训学生的饮食、饮水供应和训练器材保障)
        # 由县退役军人事务局负责具体发放, 由武警某部负责承训: a bare action verb as the duty
        bare = obj.lstrip("具体统一全程专门")
        if 2 <= _n_cjk(bare) <= 3 and c["verb"].fullmatch(bare.rstrip("。,，;； ")):
            return "bare_duty"
        return ""
    if kind in ("action_verbs", "light_verbs", "pattern") and n_obj >= 3 and _FREQ.search(obj):
        return "counted"  # 开展一次…, 汇报一次武装工作: a countable event
    if kind == "light_verbs":
        if head == "event" or _MONEY.search(obj) or (w in ("安排", "认真安排") and (
                "负责" in obj or _PERSONNEL.search(obj[:6]))):
            return "light"  # 做好节日慰问; 安排专项经费15万元; 安排医护人员全程保障
        nested = [v2 for v2 in verbs_after if v2[0] > ve]
        if nested and _head_ok(text[ve:nested[0][0]]) == "event":
            return "light"  # 形成年度总结报送街道双拥办
        return ""
    if head == "generic":
        return ""
    if kind == "named_object_verbs":
        o = obj.lstrip("了过好着 ")
        off = ve + (len(obj) - len(o))
        mq = _QUANT_PREFIX.match(o)
        if mq:
            off += mq.end()
        q = quotes.covering(off)
        return "named" if q is not None and q[0] == off else ""
    if kind == "context_verbs":
        if c["context_cues"].search(pre) or taken_org.touches(a, vs):
            return "context"
        return ""
    if n_obj < 2 and w not in c["intrans"] and kind != "pattern":
        return ""  # 促进…深入扎实开展: a verb with no object
    return "action"


def _split_top(text: str, a: int, b: int, sep: str, quotes: Intervals) -> list[tuple[int, int]]:
    parts, pos = [], a
    i = text.find(sep, a, b)
    while i >= 0:
        if not quotes.mask[i]:
            parts.append((pos, i))
            pos = i + len(sep)
        i = text.find(sep, i + len(sep), b)
    parts.append((pos, b))
    return parts


def _lead_verb(text, s, e, verbs_in, c):
    """The verb opening a conjunct (after at most two characters, with an object after it)."""
    for v in verbs_in:
        if s <= v[0] < e and _n_cjk(text[s:v[0]]) <= 2:
            return v
    m = c["verb"].match(text, s, e)
    return (m.start(), m.end(), m.group(0), "") if m else None


#: What every split of _conjuncts needs: 等, 、, or the 和/及 of 和, 及, 以及.
_SPLIT_MARKS = re.compile(r"[等、和及]")


def _conjuncts(text: str, obj_start: int, seg_end: int, c: dict, quotes: Intervals, verbs_in,
               top_level: bool) -> list[tuple[int, int]]:
    """Split an object 'A、B(、C)等(活动)' into separate events, or [] when it does not split."""
    if not _SPLIT_MARKS.search(text, obj_start, seg_end):
        return []  # (most objects: none of the marks a split below needs)
    obj_end = seg_end
    tail = ""
    p = text.find("等", obj_start, seg_end)
    while p >= 0:
        if not quotes.mask[p]:
            tail = text[p + 1:seg_end]
            obj_end = p
            break
        p = text.find("等", p + 1, seg_end)
    ts = tail.strip()
    if ts and ts not in ("项目", "赛事") and not (ts.endswith("活动") and _n_cjk(ts) <= 6
                                                 and "的" not in ts):
        return []  # the list modifies a following noun (政策咨询、就业推荐等“一站式”服务)
    parts = _split_top(text, obj_start, obj_end, "、", quotes)
    if len(parts) < 2:
        # A和B of two events (举行升旗仪式和国防知识竞赛; 防汛抢险和河道环境整治)
        for sep in ("以及", "和", "及"):
            if text.find(sep, obj_start, obj_end) < 0:
                continue  # (the common case: no split)
            parts = _split_top(text, obj_start, obj_end, sep, quotes)
            if len(parts) == 2:
                strs = [text[s:e] for s, e in parts]
                if (all(_n_cjk(x) >= 3 and "的" not in x and _head_ok(x) == "event" for x in strs)
                        and not c["count"].search(strs[1])):
                    return parts
        return []
    strs = [text[s:e].strip() for s, e in parts]
    # each member with its own count: 入学入托问题7个、随军家属就业5人; 适应性培训2期、专场招聘会3场
    if all(c["count"].search(x) and _n_cjk(x) >= 4 for x in strs) and not any("的" in x for x in strs[1:]):
        if all(_head_ok(x) == "event" or _lead_verb(text, s, e, verbs_in, c) for x, (s, e) in zip(strs[1:], parts[1:])):
            return parts
    if "的" in strs[-1]:
        return []  # the list modifies a noun after 的 (互帮、互助、共同进步的军民共建活动)
    if any(_n_cjk(s) < 2 for s in strs):
        return []
    leads = [_lead_verb(text, s, e, verbs_in, c) for s, e in parts]
    lead_words = [v[2] if v else None for v in leads]
    # the same verb repeated: 维修家电、维修房屋
    if all(lead_words) and len(set(lead_words)) == 1 and all(_n_cjk(x) >= 4 for x in strs):
        return parts
    # a clause-level list of verb phrases: 戴大红花、送光荣匾 (not 组织官兵为社区打扫卫生、清扫垃圾)
    if (top_level and all(lead_words[1:]) and all(v is None or v[0] == parts[i][0] for i, v in enumerate(leads))
            and not c["verb"].search(text, parts[0][0], parts[0][1])):
        return parts
    # events: 知识竞赛、趣味运动会; 现场参观、知识问答、项目表演; 参观营区、观摩训练; 上门义诊、理发
    def is_event(x: str, v) -> bool:
        if _head_ok(x + ("活动" if x.endswith("等") else "")) == "event":
            return True
        return v is not None and v[2] in c["intrans"]
    if all(is_event(x, v) for x, v in zip(strs, leads)) and (
            all(_n_cjk(x) >= 3 for x in strs) or any(v is not None for v in leads)):
        if any(v is not None for v in leads[1:]) and not all(
                v is not None and v[2] in c["intrans"] or _head_ok(x) == "event" for x, v in zip(strs, leads)):
            return []
        return parts
    return []


_COUNT = re.compile(r"[一二两三四五六七八九十百千万几多数近约余\d.]+(?:台|床|个|名|人次|人|户|次|场|批|支|元|万元|件|套|项|期)")


def _same_object(a: str, b: str) -> bool:
    """Objects sharing a 3-character stretch (counts aside): 农村义务兵优待金 ~ 优待金近百万元."""
    a = _NON_HAN.sub("", _COUNT.sub("", a))
    b = _NON_HAN.sub("", _COUNT.sub("", b))
    return any(a[k:k + 3] in b for k in range(len(a) - 2)) if len(a) >= 3 and len(b) >= 3 else False


def _continues(prev: Span, cur: Span, adjacent: bool) -> bool:
    """cur restates prev: the same verb and object, or prev's event done (表彰会 → 表彰先进军嫂10名),
    its guests (召开座谈会，邀请…参加) or its completion (组织…拉动演练，…，圆满完成拉动任务)."""
    pa, ca = prev.attrs.get("action") or "", cur.attrs.get("action") or ""
    pn, cn = prev.attrs.get("name") or "", cur.attrs.get("name") or ""
    if pa and pa == ca and _same_object(pn, cn):
        return True
    if ca in ("邀请", "聘请") and _GUEST_TAIL.search(cn) and adjacent:
        return True
    if adjacent and ca in _cfg()["agenda_verbs"] and pn.endswith(("会议", "会")):
        return True  # 召开专题会议，研究部署年度重点任务: the meeting's agenda
    if adjacent and _FREQ_ONLY.fullmatch(cn or ""):
        return True  # 开设“国防之声”栏目，每周播出一次
    if ca in ("完成", "圆满完成") and any(cn[k:k + 2] in pn for k in range(len(cn) - 1)
                                    if _TWO_HAN.fullmatch(cn[k:k + 2]) and cn[k:k + 2] != "任务"):
        return True
    if ca and len(ca) >= 2 and ca[:2] in pn and not cur.attrs.get("_split") and _n_cjk(cn) <= 16:
        return True
    return False


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while b > a and text[b - 1] in " \t\n,，。;；:：、!！?？等(（":  # (an opening bracket ends no activity)
        b -= 1
    while a < b and text[a] in " \t\n,，;；:：、":
        a += 1
    return a, b


def extract(ctx: Ctx) -> list[Span]:
    c = _cfg()
    text = ctx.text
    n = len(text)
    quotes = Intervals([m.span() for m in _QUOTES.finditer(text)], n)
    taken = Intervals([(s.start, s.end) for key in ("times", "organizations", "people")
                        for s in ctx.layers.get(key, []) or []]
                       + [m.span() for m in c["compounds"].finditer(text)])
    taken_org = Intervals([(s.start, s.end) for key in ("organizations", "people")
                            for s in ctx.layers.get(key, []) or []]
                           + [(s.start, s.end) for s in ctx.layers.get("placeholders", []) or []
                              if s.attrs.get("kind") == "masked_place"])
    headings = Intervals(_heading_regions(ctx, text), n)
    aims = Intervals(_aim_sections(ctx, c), n)
    standards = Intervals(_aim_sections(ctx, c, "standard_sections"), n)
    in_headings, in_aims, in_standards = headings.mask, aims.mask, standards.mask
    lead, lead_opens = c["lead"], c["lead_opens"]
    nu = _nu()
    caption, cap_first, cap_ends = nu["caption"], nu["caption_first"], nu["caption_ends"]
    out: list[Span] = []
    clauses = ctx.clauses
    clause_starts = [s for s, _ in clauses]  # (ctx.clauses_in's bisects, without two calls per sentence)

    def furniture(ca: int, a: int, cb: int) -> bool:
        """Whether the clause [ca, cb), its content starting at a, is a heading's, an aim section's
        or a caption (图为… or …详见附件): no activity, and no clause for the next one to join."""
        # (a caption is looked for only in a clause opening with a character a caption may open
        # with, or ending with a caption's ending or the newline $ matches before)
        return a >= cb or (in_headings[a] and headings.inside(a, cb)) or bool(in_aims[a]) or bool(
            (cap_first is None or text[a] in cap_first or text[cb - 1] == "\n"
             or text.endswith(cap_ends, a, cb)) and caption.match(text, a, cb))

    hint, field_labels, label_lasts = c["hint"], c["field_labels"], c["field_label_lasts"]
    nxt_hint = -1  # where the next verb or summary may start, from the last clause searched on
    for sent in ctx.sentences:
        i = bisect.bisect_left(clause_starts, sent[0])
        j = bisect.bisect_left(clause_starts, sent[1], i)
        if i == j:
            continue
        if nxt_hint < sent[0]:
            m = hint.search(text, sent[0])
            nxt_hint = m.start() if m else n
        if clauses[j - 1][1] <= nxt_hint:
            # every clause of the sentence skipped below (the clauses are sorted and disjoint, as
            # tests/test_speed_activities.py checks: the last ends last)
            continue
        prev_acts: list[Span] = []
        last_acts: list[Span] = []
        prev_clause = None
        pending = None  # the clause before when skipped below: prev_clause, unless it is furniture
        for (ca, cb) in clauses[i:j]:
            while cb > ca and text[cb - 1] in _PUNCT_END:
                cb -= 1
            if cb <= ca:
                continue
            if text[cb - 1] in label_lasts:
                k = text.rfind("(", ca, cb)
                if k >= 0 and text[k + 1:cb].strip() in field_labels:
                    cb = k
                    while cb > ca and text[cb - 1] in _PUNCT_END:
                        cb -= 1
                    if cb <= ca:
                        continue
            if nxt_hint < ca:
                m = hint.search(text, ca)
                nxt_hint = m.start() if m else n
            if cb <= nxt_hint:
                # Most clauses: no verb or summary can start in them (see c["hint"]): no activity, and
                # none of the work below (one search skips clause after clause). Whether the clause is
                # furniture matters only if the next one joins it (rarely): then it is found out.
                prev_clause, prev_acts, pending = None, [], (ca, cb)
                continue
            before, pending = pending, None
            a = lead.match(text, ca, cb).end() if lead_opens[text[ca]] else ca
            if furniture(ca, a, cb):
                prev_clause, prev_acts = None, []
                continue
            verbs = _verbs(text, a, cb, c, quotes, taken)
            if not verbs and not c["summary_tail"].search(text, a, cb):
                prev_clause, prev_acts = (ca, cb), []  # (most clauses: no verb, no summary, no activity)
                continue
            acts = _clause_acts(text, ca, a, cb, sent, c, quotes, taken_org, verbs)
            if acts and in_standards[a]:  # a standard's section: only a unit's stated duty
                acts = [x for x in acts if x.attrs.get("action") in c["subject_verb_set"]]
            if acts and last_acts and all(x.attrs.get("_bare_duty") for x in acts):
                acts = []  # …栏目，每周播出一次，由学生记者团负责采编: who does the activity before, not another
            elab = c["elab"].match(text, a, cb) if acts else None
            if elab and before is not None:  # (the clause before: furniture or not)
                pa, pb = before
                prev_clause = None if furniture(pa, lead.match(text, pa, pb).end(), pb) else before
            if acts and elab and prev_clause is not None and not prev_acts and last_acts:
                # 组织高一新生进行军训，军训由县人武部承办，重点开展队列训练…: details of that activity
                p0 = last_acts[-1]
                p0.end = acts[-1].end
                p0.attrs["_clause"] = (p0.attrs["_clause"][0], acts[-1].attrs["_clause"][1])
                prev_clause = (ca, cb)
                continue
            if acts and elab and prev_clause is not None:
                # 开展形式多样的慰问活动，重点是走访慰问… ; 加强…督导检查，重点对…进行检查
                first = acts[0]
                if prev_acts:
                    merged = prev_acts[-1]
                    _remove_identical(out, merged)
                    first.attrs.update({k: merged.attrs.get(k) for k in ("action", "name", "_verb")})
                    first.start = merged.start
                else:
                    first.start = prev_clause[0]
                first.attrs["_clause"] = (first.start, first.attrs["_clause"][1])
            elif acts and last_acts and len(acts) == 1 and _continues(last_acts[-1], acts[0], bool(prev_acts)):
                p0, a0 = last_acts[-1], acts[0]
                p0.end = a0.end
                p0.attrs["_clause"] = (p0.attrs["_clause"][0], a0.attrs["_clause"][1])
                prev_clause = (ca, cb)
                continue
            out.extend(acts)
            prev_acts = acts
            if acts:
                last_acts = acts
            prev_clause = (ca, cb)
    content, endings = c["content_headers"], c["content_endings"]  # None: not in a table

    def in_content(sp) -> bool:
        header = (ctx.cell_of(sp.start) or (0, 0, 0, 0, 0, None))[5]
        return header in content or (bool(endings) and header.endswith(endings))

    if ctx.cells:  # (outside tables every span is content: a header of None)
        out = [sp for sp in out if in_content(sp)]
    _whole_groups(ctx, text, out)
    out += _nominal_cells(ctx, text, c, out, aims)
    out += _schedule_items(ctx, text, c, out, aims)
    return sorted(out, key=lambda s: (s.start, s.end))


#: 成立/调整 a group whose members are listed before its name, over commas (成立以…为组长，…为副组长的…专班).
_GROUP_SETUP = re.compile(r"(?:成立|调整|组建|调整充实|成立了|调整了)(?:了)?(?:以|由)")
_GROUP_NAME = re.compile(r"[^。;；\n]{0,80}?的[^。;；,，\n]{0,24}?(?:领导小组|工作小组|工作专班|专班|指挥部|委员会|工作组)")


def _whole_groups(ctx: Ctx, text: str, acts: list) -> None:
    """Setting up a group described member by member before its name spans the commas between the
    members: the activity runs to the group's name."""
    for sp in acts:
        if not _GROUP_SETUP.match(text, sp.start, sp.end) or text[sp.end:sp.end + 1] not in ",，":
            continue
        sent = ctx.sentence_of(sp.start)
        m = _GROUP_NAME.match(text, sp.end, sent[1] if sent else sp.end + 120)
        if m:
            sp.end = m.end()
            cl = sp.attrs.get("_clause")
            if cl:
                sp.attrs["_clause"] = (cl[0], max(cl[1], m.end()))


_PAREN_TAIL = re.compile(r"\([^()]*\)$")
_SCHEDULE_LEAD_OPENS = _Opens(SCHEDULE_LEAD.pattern)  # (most lines open with none of its characters)


def _schedule_items(ctx: Ctx, text: str, c: dict, found: list, aims) -> list[Span]:
    """A schedule line's items named without a verb (8月24日下午：队列基本动作训练；军体拳训练。):
    activities of that time, when they end in an event noun and no activity was found in them."""
    times = {sp.start: sp for sp in ctx.layers.get("times", []) or []}
    spans: list = []  # the activities found, sorted, and their starts: when an item needs them (few do)
    starts: list = []
    out = []
    for ls in ctx.line_starts():
        tm = times.get(SCHEDULE_LEAD.match(text, ls).end() if _SCHEDULE_LEAD_OPENS[text[ls:ls + 1]] else ls)
        if tm is None:
            continue
        colon = LABEL_COLON.match(text, tm.end)
        if not colon or aims.mask[ls]:
            continue
        le = text.find("\n", colon.end())
        le = len(text) if le < 0 else le
        for ca, cb in ctx.clauses_in(colon.end(), le):
            cs, ce = _trim(text, ca, cb)
            while ce > cs and text[ce - 1] in _PUNCT_END:
                ce -= 1
            cell = text[cs:ce]
            core = _PAREN_TAIL.sub("", cell)
            if not (3 <= _n_cjk(core) <= 25) or _head_ok(core) != "event":
                continue
            if found and not spans:
                spans = sorted((sp.start, sp.end) for sp in found)
                starts = [s for s, _ in spans]
            k = bisect.bisect_left(starts, cs)
            if (k < len(starts) and starts[k] < ce) or (k > 0 and spans[k - 1][1] > cs):
                continue  # an activity was found in it
            out.append(Span(cs, ce, "activities", {"action": None, "name": cell, "_clause": (ca, cb)}))
    return out


def _nominal_cells(ctx: Ctx, text: str, c: dict, found: list, aims) -> list[Span]:
    """A table's content cell naming its undertaking without a verb (汛前隐患排查整治, 执法检查情况通报,
    年度安全生产目标考核): the row's time and units make it an activity, when it ends in an event noun
    and no activity was found in it."""
    content, endings = c["content_headers"], c["content_endings"]
    starts = sorted(sp.start for sp in found)
    out = []
    for cs, ce, table, row, _col, header in ctx.cells or ():
        if not header or row == 0 or not (header in content or (endings and str(header).endswith(endings))):
            continue
        cs, ce = _trim(text, cs, ce)
        cell = text[cs:ce]
        if not (4 <= _n_cjk(cell) <= 30) or _END_RX.search(cell) or aims.mask[cs]:
            continue
        k = bisect.bisect_left(starts, cs)
        if k < len(starts) and starts[k] < ce:
            continue  # an activity was found in it
        if _head_ok(cell) == "event":
            out.append(Span(cs, ce, "activities", {"action": None, "name": cell, "_clause": (cs, ce)}))
    return out


def _remove_identical(spans: list, sp: Span) -> None:
    """Remove ``sp`` itself (not an equal Span) from ``spans``, searching from the end where it was added:
    ``list.remove`` compares every field of every Span before it."""
    for k in range(len(spans) - 1, -1, -1):
        if spans[k] is sp:
            del spans[k]
            return
    raise ValueError("span not in list")


def _clause_acts(text, ca, a, cb, sent, c, quotes, taken_org, verbs) -> list[Span]:
    """Activities of the clause [ca, cb) whose content starts at a, with its verbs (_verbs)."""
    acts: list[Span] = []

    def add(s, e, action, ns, ne, v, split=False):
        s, e = _trim(text, s, e)
        ns, ne = _trim(text, ns, ne)
        if e > s:
            acts.append(Span(s, e, "activities", {
                "action": action, "name": (text[ns:ne].lstrip("了过好着") or None) if ne > ns else None,
                "_verb": (v[0], v[1]), "_clause": (ca, cb), "_sent": sent, "_split": split}))

    if not verbs:
        m = c["summary"].search(text, a, cb)
        if m and not quotes.mask[m.start()]:
            add(a, cb, None, a, m.end(1), (m.start(1), m.end(1)))
        return acts
    # segments: the clause split at top-level conjunctions and purposes (…趣味运动会等并依托…)
    cuts = [a]
    if c["cut_hint"].search(text, a + 1, cb):  # (no cut can start where neither matches)
        for rx in (c["conj"], c["purpose"]):
            for m in rx.finditer(text, a, cb):
                if not quotes.mask[m.start()] and m.start() > a:
                    cuts.append(m.start())
        cuts = sorted(set(cuts))
    cuts.append(cb)
    for k in range(len(cuts) - 1):
        ga, gb = cuts[k], cuts[k + 1]
        seg_verbs = verbs if len(cuts) == 2 else [v for v in verbs if ga <= v[0] < gb]  # (one segment: all)
        if not seg_verbs:
            continue
        start = a if k == 0 else ga
        # weak verbs (解决 without a count, 宣传 without a means …) give way to a later verb
        while len(seg_verbs) > 1 and seg_verbs[0][3] in _WEAK and not _valid(
                text, start, seg_verbs[0], gb, seg_verbs[1:], c, taken_org, quotes):
            seg_verbs = seg_verbs[1:]
        v = seg_verbs[0]
        if k > 0 and acts and v[2] in c["intrans"] and _n_cjk(text[v[1]:gb]) < 2:
            acts[-1].end = _trim(text, acts[-1].start, gb)[1]  # 完成年度总结并归档
            continue
        why = _valid(text, start, v, gb, seg_verbs[1:], c, taken_org, quotes)
        if not why:
            # 看望优抚对象中的特困户、竭尽所能、帮助解决实际困难: the first member alone
            dun = _split_top(text, v[1], gb, "、", quotes)
            if len(dun) > 1 and _n_cjk(text[dun[0][0]:dun[0][1]]) >= 2:
                gb2 = dun[0][1]
                why = _valid(text, start, v, gb2, [x for x in seg_verbs[1:] if x[0] < gb2], c, taken_org, quotes)
                if why:
                    gb = gb2
                    seg_verbs = [x for x in seg_verbs if x[0] < gb2]
        if not why:
            continue
        vs, ve, w, kind = v
        action, obj_start = w, ve
        # coordinated verbs: 走访、慰问
        if len(seg_verbs) > 1 and text[ve:ve + 1] == "、" and seg_verbs[1][0] == ve + 1:
            action = text[vs:seg_verbs[1][1]]
            obj_start = seg_verbs[1][1]
            if not text[obj_start:gb].strip(" 、") and seg_verbs[1][2] not in c["intrans"] and w not in c["intrans"]:
                continue
        parts = []
        if why in ("action", "light", "outcome", "counted", "pattern"):
            parts = _conjuncts(text, obj_start, gb, c, quotes, seg_verbs[1:], True)
        if parts:
            for j, (ps, pe) in enumerate(parts):
                lv = _lead_verb(text, ps, pe, seg_verbs[1:], c) if j > 0 else None
                own = lv is not None and lv[0] == ps
                add(start if j == 0 else ps, pe, lv[2] if own else action, lv[1] if own else ps, pe,
                    lv if own else v, split=j > 0)
            continue
        add(start, gb, action, obj_start, gb, v)
        if why == "bare_duty":
            acts[-1].attrs["_bare_duty"] = True
    return acts

