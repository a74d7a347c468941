"""Organisations: units the text makes responsible for, leading or taking part in the work.

Everything is driven by ``lexicons/organizations.yaml``:

* **Finding names.** A name ends in a head (部队, 消防大队, 双拥办, 党委, 社区居委会,
  领导小组, 工会 … or a single-character head such as 办/局/所/站/部 with the
  characters that may not follow it). It extends left over its modifiers up to
  the nearest stop (punctuation, a preposition or verb from ``left_stops``) and
  after the last verb/adverb word of the token layer (jieba's dictionary
  classes, ``cut_tags``: 开放|社区阅览室); a head ending inside a longer word is
  no head (中学|生, 组织|部队); chained heads make one name (县人武部军事科,
  x镇党委政府); a deictic prefix (我镇) is dropped; ``乡党委、政府`` gives 政府 the
  name 乡政府; a leading group may coordinate topics (征兵和双拥工作领导小组).
* **Listing.** A candidate is dropped when it is a bare generic anaphor (社区,
  工会, 部队), an honour (双拥模范社区), in a 《title》, the plan's title line or a
  signature line, inside a person's title, inside a passing frame (在…领导下,
  根据…部署, 按照…要求, 被…评为, 经…研究), after a beneficiary/venue verb
  (慰问, 为, 给, 到, 走进 …) or before a possessed noun (…营区, …的职责,
  …关于). Cues apply to a whole coordination (A、B和C).
* **Roles**, only where a cue says it: colon fields and table columns (责任单位：…,
  Word cells or markdown/tab text tables; ``县双拥办（牵头）``),
  由X负责/组织 (负责), X牵头/配合/承办/主办/协办/参加, 责任落到X (责任单位), 与X一起
  (参与单位), and 与/同X in a 共建/结对 sentence (共建单位, both sides of A与B).
* **Kind** from the head, a kind keyword in the name for weak heads
  (社区退役军人服务站 -> community), or for generic heads the kind of body that
  issues the plan (a school plan's 各部门 -> school).
"""
from __future__ import annotations

import functools
import os
import re
from bisect import bisect_left, bisect_right
from collections import Counter, deque
from operator import attrgetter
from typing import Optional

from .base import (Ctx, Intervals, Span, alternation, bracket_end, by_first_char, first_led, jieba_tags, lexicon,
                   register_memo)
from ..structure import INLINE_ITEM

HAN = "\u4e00-\u9fff"
_R = None


def _compile():
    L = lexicon("organizations")
    r = {"L": L}
    head_kind = {}
    for kind, words in L["heads"].items():
        for w in words:
            head_kind.setdefault(w, None if kind == "none" else kind)
    for w in L["heads"].get("none", []):
        head_kind[w] = None
    r["head_kind"] = head_kind
    singles = L["single_heads"]
    before = L.get("single_head_before", {})
    # The heads in the order the regex tries them: the words longest first, then the
    # single-character heads with the characters that may precede and may not follow them.
    # Each alternative is (its first character, the regex for the rest).
    alts = [(w[0], re.escape(w[1:])) for w in sorted(set(head_kind), key=lambda w: (-len(w), w))]
    for ch, (kind, notafter) in singles.items():
        pre = "[%s]" % re.escape(before[ch]) if ch in before else "[%s0-9A-Za-z_]" % HAN
        # the lookbehind tests the character before the head: 办(?<=[…]办) is (?<=[…])办
        alts.append((ch, "(?<=%s%s)(?![%s])" % (pre, re.escape(ch), re.escape(notafter))))
        head_kind.setdefault(ch, kind)
    # 财政 only as a unit (县财政), not 财政预算
    r["head_re"] = re.compile("%s(?!预算|资金|支出|投入|补助|拨款|经费|年度|局|所|部门)" % by_first_char(alts))
    r["singles"] = set(singles)
    r["group_heads"] = set(L["group_heads"])
    r["group_topics"] = set(L["group_topic_words"])
    r["numbered_heads"] = frozenset(L["numbered_heads"])
    r["group_topic_tuple"] = tuple(sorted(L["group_topic_words"], key=len, reverse=True))
    r["recipient_section_re"] = re.compile(alternation(L["recipient_sections"]))
    # an item of a 责任单位：A、B和C field; a full name holding 和 (县文化和旅游局) stays whole
    compounds = [h for h in head_kind if "和" in h or "及" in h]
    r["field_item_re"] = re.compile(r"(?:%s[^、,;/\s和及()]|\([^()]*\))+" % "".join(re.escape(c) + "|" for c in compounds))
    multi = [h for h in head_kind if len(h) >= 2]
    r["inner_head"] = re.compile("(?:%s)(?=[%s])" % (alternation(multi), HAN))
    r["head_last"] = {h[-1] for h in head_kind}
    r["weak"] = set(L["weak_heads"]) | set(singles)
    r["kind_keywords"] = [(k, list(ws)) for k, ws in L["kind_keywords"]]
    # (kind, regex finding any of its keywords): one search instead of a substring test per word
    # (a kind without keywords never matches, so it is left out)
    r["kind_keyword_res"] = [(k, re.compile(alternation(ws))) for k, ws in r["kind_keywords"] if ws]
    r["plan_kind_heads"] = L["plan_kind_heads"]
    r["plan_kind_ends"] = tuple(L["plan_kind_heads"])  # for str.endswith
    r["plan_kind_late"] = frozenset(L.get("plan_kind_heads_after_keywords", []))
    r["issuer_depts"] = frozenset(L["issuer_departments"])
    r["formation_heads"] = frozenset(L["formation_heads"])
    r["own_generic"] = {w: frozenset(kinds) for w, kinds in L["own_generic"].items()}
    r["issuer_dept_kinds"] = frozenset(L["issuer_department_kinds"])
    # a plan's kind: its cue words of each kind (and the town words) counted in one scan, which counts
    # each kind as its own scan would unless words of two kinds overlap: a plan holding such an
    # overlap (员工|会 and 工会) is counted one kind at a time
    cues = dict(L["plan_kind_cues"], town=["镇", "乡", "街道"])
    r["plan_cues"] = {k: re.compile(alternation(ws)) for k, ws in cues.items()}
    r["cue_kind"] = {w: k for k, ws in cues.items() for w in ws}
    r["cue_re"] = re.compile(alternation(r["cue_kind"]))
    r["cue_overlaps"] = _overlaps(cues)
    r["generic"] = set(L["generic"])
    r["bare_generic"] = frozenset(L["bare_generic"])
    r["not_end"] = re.compile("(?:%s)$" % alternation(L["not_org_endings"]))
    r["honour"] = re.compile(alternation(L["honour_words"]))
    r["deictic"] = re.compile(alternation(L["deictic"]))  # (matched where a name starts)
    # single_class: the first two branches already make the engine try every position; led by the
    # class of the words' first characters, a position none starts is left at one test instead of one
    # per first-character group (most of the positions _left's backward scan tries)
    stops = first_led(alternation(L["left_stops"], single_class=True))
    # (交 hands something to a unit: 推荐3篇交德育处; not 交警, 交通)
    r["stop_re"] = re.compile(r"[%s]+ ?[%s]|交(?![警通流易管])|[^%s0-9A-Za-z_×]|%s"
                              % (_STOP_DIGITS, _STOP_UNITS, HAN, stops))
    # The last stop of a window (_left): the greedy .* backtracks from the window's end, trying a
    # stop at one position after the other, so the match is the stop starting rightmost, found
    # with one match object instead of one per stop in the window.
    r["last_stop_re"] = re.compile(r"(?s:.*)(%s)" % r["stop_re"].pattern)
    # ... which is the last stop of the scan from the window's start unless a longer stop of that
    # scan holds its first character (邀|请: 请 is a stop, and so is 邀请): the pairs of adjacent
    # characters inside one stop of several characters (the words; the counts 30家, 3 个)
    pairs = {w[i:i + 2] for w in L["left_stops"] for i in range(len(w) - 1)}
    pairs |= {a + b for a in _STOP_DIGITS for b in _STOP_DIGITS + " " + _STOP_UNITS}
    pairs |= {" " + b for b in _STOP_UNITS}
    r["stop_pairs"] = frozenset(pairs)
    frames = []
    for op, cl in L["passing_frames"]:
        if cl == "即":
            frames.append(re.compile(r"%s[^。;\n]{0,20}?即[^。;\n]*" % op))
        else:
            frames.append(re.compile(r"%s[^。;\n]{0,40}?%s" % (op, cl)))
    r["frames"] = frames
    r["recipient"] = re.compile("(?:%s)了?(?:全[县镇乡市区省国校村]|全街道|辖区|本地)?$" % alternation(L["recipient_before"]))
    # … also a title to be won, in quotes (创建“全省示范型退役军人服务站”, 被评为“…”)
    r["created"] = re.compile("(?:%s)(?:“[^”\n]{0,10})?$" % alternation(L["created_before"]))
    r["counted"] = re.compile(r"[%s]+ ?[%s]$" % (_STOP_DIGITS, _COUNT_UNITS))
    lab = {}
    for role, words in L["role_labels"].items():
        for w in words:
            lab[w] = role
    r["label_role"] = lab
    r["label_words"] = frozenset(lab) | {w for ws in L["header_roles"].values() for w in ws}
    # a field's body ends at the next field's label (…市双拥办承办单位:市移动公司: two fields)
    nxt = alternation(set(lab) | set(lexicon("tables")["column_headers"]))
    # ... and before the next item of a page that lost its line breaks (…市双拥办 二、开展…)
    r["label_re"] = re.compile(r"(?P<label>%s)[ \t]*[:：][ \t]*(?P<body>(?:(?!(?:%s)[ \t]*[:：]|%s)"
                               r"(?:[^。;\n()]|\([^()\n]{1,8}\))){1,80})" % (alternation(lab), nxt, INLINE_ITEM.pattern))
    hdr = {}
    for role, words in L["header_roles"].items():
        for w in words:
            hdr[w] = role
    r["header_role"] = hdr
    r["venue_header"] = re.compile(alternation(L["venue_headers"]))
    ra = {}
    for role, words in L["role_after"].items():
        for w in words:
            ra[w] = role
    r["role_after"] = ra
    r["marker_re"] = re.compile(r"\((?P<m>%s)\)$" % alternation(ra))
    gap = "(?:%s)*" % alternation(L["role_gap"] + ["、", "和"])
    # (a duty list's label: "德育处：牵头负责…", "总务处：负责…")
    r["after_role_re"] = re.compile(first_led(r"(?::\s*)?%s(?P<cue>%s)(?!人)" % (gap, alternation(ra))))
    r["by_re"] = re.compile(r"%s(?P<cue>%s)(?!人)" % (gap, alternation(L["by_cues"] + list(ra))))
    r["by_before"] = re.compile(r"由(?:我|本)?(?:[乡镇县区市村校]|街道|社区)?$")  # also 交由, 统一由
    r["duty_re"] = re.compile("(?:%s)$" % alternation(L["duty_before"]))
    r["cobuild_re"] = re.compile(alternation(L["cobuild"]))
    r["together_re"] = re.compile(r"%s(?:%s)" % (gap, alternation(L["together_after"])))
    r["partner_re"] = re.compile("(?:%s)$" % alternation(L["partner_preps"]))
    r["subject_partner_re"] = re.compile(first_led("(?:要|将|还将|还要|继续|经常|积极|主动)?(?:%s)"
                                                    % alternation(L["partner_preps"])))
    r["coord_re"] = re.compile(r"(?:官兵|人员|干部|职工)?(?:、|和|及|以及)$")  # (the whole gap between two names)
    r["status_after"] = re.compile(alternation(lexicon("titles")["statuses"]))
    after_pass = alternation(L["passing_after"])
    count_after = r"[0-9一二两三四五六七八九十几]+个(?![%s])" % HAN
    title_after = alternation(lexicon("titles")["titles"] + L["people_after"])
    of_people = "的(?:军烈属|%s)" % alternation(lexicon("titles")["statuses"])
    # what after a group of names drops it: a passing word, a count, people of it, a title
    # (the title counts only after several names: one name's title is tested on its tail)
    r["after_re"] = re.compile(first_led("(?P<passing>%s)|(?P<count>%s)|(?P<people>%s)|(?P<title>%s)"
                                          % (after_pass, count_after, of_people, title_after)))
    # what may follow one name, in the order it is tested: a passing word or a person's title
    # (各村支部书记, 各班班主任), a post named after the unit (各网格员, 各网格长为成员), the unit's troops
    r["tail_re"] = re.compile(first_led("(?P<passing>%s)|(?P<title>%s)|(?P<post>员|长(?![^为、,;和及 )]))|(?P<troops>%s)"
                                        % (after_pass, title_after, _TROOPS)))
    r["place_pre"] = re.compile(r"^(.*?(?:乡|镇|县|市|区|街道|村))(?:党委|党工委|政府|人民政府)$")
    r["head_end"] = re.compile(r"(?:%s)$" % r["head_re"].pattern)  # a line ending in a head
    return r


# fixed patterns, compiled once (not re-looked-up in re's cache on every call)
_PLACE_START = re.compile(r"^(?:[乡镇县市区]|街道)")
#: the characters a count's number opens with (应急排9个: a count of formations, not one)
_NUMERALS = frozenset("0123456789一二两三四五六七八九十几")
#: a place (石岭乡, 滨江街道, 幸福社区) or a placeholder for one in a name's modifiers
_PLACE_IN = re.compile(r"[乡镇县市区村]|街道|社区|[xX×_某]{2}")


def _plan_kind_at(ctx: Ctx, plan_kinds: dict, pos: int):
    """The kind of body that issues the plan holding ``pos`` (None when the cues do not say)."""
    plan = ctx.plan_of(pos)
    return plan_kinds.get(plan.id) if plan else None


def _after_blanks(text: str, i: int) -> int:
    """The first position from ``i`` on that is no space or tab."""
    while text[i:i + 1] in (" ", "\t", "\u3000"):
        i += 1
    return i


def _placed(modifiers: str) -> bool:
    """Whether a formation's modifiers name the place or the unit it belongs to (乡民兵森林防火|分队,
    驻镇部队医疗|分队), not only its kind (民兵应急|分队)."""
    return bool(_PLACE_IN.search(modifiers) or _rx()["head_re"].search(modifiers))


_TITLE = re.compile(r"《[^》\n]{0,60}》")
_SHORT_LINE = re.compile(r"(?m)^[ \t]*([^\n,。;:!?]{2,30})[ \t]*$")
_CLAUSE_PUNCT = re.compile(r"[,。;要将]")
_SALUTATION = re.compile(r"(?m)^[ \t]*([^\n。;:]{2,60}):[ \t]*$")
_LINE_END_COLON = re.compile(r"(?m):[ \t]*$")  # the lines a salutation may be
# what is left of a salutation without its units' heads: short modifiers between separators
# (各县(市、区)|,各产业|,市总工会各部室、直属)
_SALUTATION_REST = re.compile(r"[%s_x()]{0,8}(?:[、,和及][%s_x()]{0,8})*" % (HAN, HAN))
_NOT_SALUTATION = re.compile(r"成立|建立|调整|组建|设立|如下|安排|要求|计划|方案")
_NUMBER = re.compile(r"[\d.]+")
_MEDIUM = re.compile(r"[“\"《][^”\"》\n]{2,20}[”\"》](?=(?:微信)?公众号|官方微博|微博|抖音号?|视频号|快手号|官方网站|网站|客户端|APP|App)")
_SPACE = re.compile(r"\s")
_HOSTED = re.compile(r"设在$")
_SEAT = re.compile(r",?(?:具体|专门|主要)?负责")
_COUNT_UNITS = "家个名支所座处"  # what a counted set of units is counted in (30家, 4支)
# what the count branch of R["stop_re"] is made of (a count ends a name's modifiers: 3个|社区)
_STOP_DIGITS = "0123456789零一二两三四五六七八九十百千万几多"
_STOP_UNITS = _COUNT_UNITS + "篇"


def _overlaps(words_by_kind: dict) -> list[str]:
    """The strings in which a word of one kind and a word of another overlap: the longer word when
    it holds the other, else the two joined on their common characters (员工 and 工会: 员工会)."""
    out = set()
    for ka, was in words_by_kind.items():
        for kb, wbs in words_by_kind.items():
            if ka == kb:
                continue
            for a in was:
                for b in wbs:
                    if b in a:
                        out.add(a)
                    out.update(a + b[i:] for i in range(1, min(len(a), len(b))) if a.endswith(b[:i]))
    return sorted(out)


def _rx():
    global _R
    if _R is None:
        _R = _compile()
    return _R


# ---------------------------------------------------------------- candidates

class _CutWords(dict):
    """Dictionary words whose class ends a name's modifiers, decided on first look-up of each word.

    ``words[word]`` gives the word's jieba class when it cuts a name (v, d, p …), "overrun",
    "idiom" or "cross" for a word that may hold no head, else None; classifying on demand
    spares the start-up a pass over jieba's 349k-word dictionary. The memo is the dict itself:
    a word seen before is one C-level look-up (``__missing__`` runs only for a new word).
    """

    #: the memo is dropped when it grows past this many words (memory stays flat over any
    #: number of documents; jieba's dictionary alone has 349k words)
    LIMIT = 400_000

    def __init__(self) -> None:
        super().__init__()
        L = _rx()["L"]
        self.keep = set(L["cut_tags"])
        self.allow = set(L["name_verbs"])
        self.inner_head, self.head_last = _rx()["inner_head"], _rx()["head_last"]
        self.tags = jieba_tags()
        #: the classes that cut a name's modifiers: the kept jieba classes, not the three markers
        self.cutting = frozenset(self.keep - _NOT_CUT)

    def _classify(self, w: str) -> Optional[str]:
        tag = self.tags.get(w)
        if tag is None:
            return None
        if tag in self.keep and w not in self.allow:
            return tag
        if len(w) >= 3 and self.inner_head.search(w):
            return "overrun"  # 中学生, 工会组织: a head inside a longer word
        if tag in ("i", "l") and len(w) >= 3:
            return "idiom"  # 和睦相处: an idiom never holds a unit's head
        if len(w) >= 2 and w[0] in self.head_last:
            return "cross"  # 部队 in 组织|部队: a word starting with a head's last character
        return None

    def __missing__(self, w: str) -> Optional[str]:
        if len(self) >= self.LIMIT:
            self.clear()
        v = self[w] = self._classify(w)
        return v


@functools.lru_cache(maxsize=1)
def _cut_words() -> _CutWords:
    words = _CutWords()
    register_memo(words.clear)  # (a memo of document words)
    return words


_NOT_CUT = frozenset(("overrun", "cross", "idiom"))


class _Tokens:
    """The token layer of one document, for :func:`_refine`: the tokens, their starts (for
    bisect) and the look-ups that do not change from one head to the next."""

    __slots__ = ("text", "toks", "starts", "n", "tag", "cutting", "topics", "numbered")

    def __init__(self, ctx: Ctx) -> None:
        R = _rx()
        words = _cut_words()
        self.text = ctx.text
        self.toks = ctx.tokens or []
        self.starts = ctx.token_starts()  # (shared with quantities: built once per document)
        self.n = len(self.toks)
        self.tag = words.__getitem__
        self.cutting = words.cutting
        self.topics = R["group_topics"]
        self.numbered = R["numbered_heads"]


def _head_in_word(T: _Tokens, hs: int, he: int) -> bool:
    """Use the token layer: a head that sits inside a verb (严肃查处) or ends inside a longer
    word (中学|生) is no head. (This does not depend on where the name starts, so it is asked
    before the name's start is looked for: a rejected head costs no left scan.)"""
    toks = T.toks
    if not toks:
        return False
    starts, tag, cutting, text = T.starts, T.tag, T.cutting, T.text
    # the token holding the head's first character
    i = bisect_right(starts, hs) - 1
    if 0 <= i:
        a, b = toks[i]
        if a < hs < b:  # straddles the head start
            w = text[a:b]
            t = tag(w)
            if t in cutting or t == "idiom" or tag(w[-2:]) in cutting:
                return True
    # the token holding the head's last character: most often the same one (no later token starts
    # inside the head), found without a second bisect
    if 0 <= i and (i + 1 == T.n or starts[i + 1] >= he):
        j = i
    else:
        j = bisect_right(starts, he - 1, max(i, 0)) - 1
    if 0 <= j:
        a, b = toks[j]
        if b > he and a < he:
            t = tag(text[a:b])
            if (a > hs and t is not None) or t in ("overrun", "v", "vn", "a", "d"):
                return True  # 组织部|队 -> 组织|部队; 中学生
    return False


def _refine(T: _Tokens, s: int, hs: int, he: int, group_head: bool = False) -> int:
    """Use the token layer: cut after a verb/adverb token before the head (the head is no
    head inside a word: :func:`_head_in_word`)."""
    toks = T.toks
    if not toks or s == hs:
        return s  # (a name that is the head alone has no modifiers to cut)
    starts, n, tag, cutting, text = T.starts, T.n, T.tag, T.cutting, T.text
    # a name does not start inside a word (支|援社区 -> 支援|社区)
    k0 = bisect_right(starts, s) - 1
    if 0 <= k0:
        a, b = toks[k0]
        if a < s < b <= hs and tag(text[a:b]) in cutting:
            s = b
    # modifiers: cut after the last verb-like token in [s, hs)
    k = bisect_left(starts, s)
    topics = T.topics if group_head else ()
    while k < n:
        a, b = toks[k]
        if b > hs:
            break
        w = text[a:b]
        t = tag(w)
        if t in cutting and not w.startswith("第") and w not in topics and not (
                group_head and text.rfind("“", s, a) > text.rfind("”", s, a)):  # (inside “八一”: the occasion)
            nxt = toks[k + 1] if k + 1 < n else None
            prv = toks[k - 1] if k > 0 else None
            # an adjective opening a proper name (富贵|山|消防中队, 幸福|里|小学) stays,
            # and so does a one-character localiser inside one (幸福|里|小学)
            keep = (t == "a" and nxt is not None and nxt[1] - nxt[0] == 1 and nxt[1] <= hs) or \
                   (len(w) == 1 and t == "f" and prv is not None and prv[0] >= s and prv[1] == a) or \
                   (t == "m" and b == hs and a > s and text[hs:he] in T.numbered)  # 青榆支队|三|中队
            if not keep:
                s = b
        k += 1
    return s


_ADMIN_INSERT = re.compile(r"(?<=[县市区乡镇旗州])\((?:[市县区乡镇旗州]|街道)(?:[、,](?:[市县区乡镇旗州]|街道)){0,3}\)")


def _left(text: str, hs: int, floor: int, group_head: bool = False) -> int:
    """Start of the name whose head starts at hs: after the last stop in the window.
    A leading group's name may coordinate its topics (征兵和双拥工作领导小组)."""
    R = _rx()
    lo = max(floor, hs - (24 if group_head else 14))
    cut = lo
    if group_head:
        topics = R["group_topics"]
        topic_words = R["group_topic_tuple"]
        # a quoted occasion is part of the group's name (街道“八一”走访慰问活动领导小组): no stop inside it
        quoted = [q.span() for q in _QUOTED.finditer(text, lo, hs)] if "“" in text[lo:hs] else ()
        for m in R["stop_re"].finditer(text, lo, hs):
            if quoted and any(a <= m.start() < b for a, b in quoted):
                continue
            if m.group(0) not in topics and not text.startswith(topic_words, m.start()):
                cut = m.end()  # (a stop opening a topic word stays: 送|温暖活动领导小组)
    else:
        # only the last stop of the scan counts: the one starting rightmost, unless a stop of
        # the scan holds its first character inside (then the window is scanned)
        m = R["last_stop_re"].match(text, lo, hs)
        if m:
            p = m.start(1)
            if p == hs - 1 or p == lo or text[p - 1:p + 1] not in R["stop_pairs"]:
                cut = m.end()  # (a stop holding the character before the head ends at hs too)
            else:
                last = deque(R["stop_re"].finditer(text, lo, hs), maxlen=1)
                cut = last[0].end()
    if not cut or text[cut - 1] not in ")_我本":
        return cut  # (most cuts: none of the fixes below, each led by the character before the cut)
    # an administrative insert belongs to the name: 各县(市、区)总工会, 各乡(镇)人民政府
    pm = _ADMIN_INSERT.search(text, max(floor, cut - 12), cut) if cut > floor and text[cut - 1] == ")" else None
    if pm and pm.end() == cut:
        p0 = pm.start()
        last = deque(R["stop_re"].finditer(text, max(floor, p0 - 6), p0), maxlen=1)
        cut = last[0].end() if last else max(floor, p0 - 6)
    # a placeholder run opens a name (__军区政治部警卫连): keep underscores
    while cut > lo and text[cut - 1] == "_":
        cut -= 1
    # 我镇|涉军维权咨询站: the place character belongs to the deictic
    if cut > 0 and text[cut - 1] in "我本" and cut < hs and text[cut] in "乡镇县区市村校":
        cut += 1
    return cut


_QUOTED = re.compile(r"“[^“”\n]{1,10}”")
_HAN_RE = re.compile("[%s]" % HAN)
_CATEGORY_HEADS = frozenset(("企业",))
_MEETING_BEFORE = re.compile(r"(?:召开|举行|举办|组织召开)(?:一次)?$")
_MEETING_AFTER = re.compile(r"[^,，。;；:：\n]{0,16}?(?:座谈会|联谊会|茶话会|恳谈会)")
_MOBILISED = re.compile(r"(?:组织|动员|发动|引导|号召|鼓励|协调)$")
_ACTING = re.compile(r"(?:积极|主动|自愿|共同)?(?:开展|参与|参加|捐赠|捐助|捐款|为|出资|提供)")
_ADMIN_TAIL = re.compile(r"\((?:社区|居|居委会|街道|村|镇)\)")
#: A unit's troops (驻县部队官兵): the unit is listed only when they act (来校授课, 担任教官 …).
_TROOPS = r"(?:官兵|指战员|战士)(?:代表)?"
_TROOPS_ACT = re.compile(r"来校|到校|赴|进校|走进|担任|开展|讲授|授课|指导|帮助|协助|参与|参加|一起|共同")
_YEAR = re.compile(r"(?:19|20)\d\d(?:年)?")
_DEICTIC_PLACES = "乡镇县区市村校"
_DEICTIC_BEFORE = re.compile(r"(?:我|本)[%s]?$" % _DEICTIC_PLACES)
# the characters a match of R["counted"] or _DEICTIC_BEFORE ending at a position may end with
# (or a newline: $ matches before one at the end): a test of one character spares the search
_COUNTED_LAST = frozenset(_COUNT_UNITS + "\n")
_DEICTIC_LAST = frozenset("我本" + _DEICTIC_PLACES + "\n")


#: A candidate name, text[start:end] ending in the unit head ``head``: a plain tuple (start, end, head,
#: name), read by unpacking or by these positions (a NamedTuple's construction cost 3% of the stage)
_Cand = tuple[int, int, str, str]
_CS, _CE, _HEAD, _NAME = range(4)


def _candidates(ctx: Ctx) -> list[_Cand]:
    """The candidate names, in text order."""
    R = _rx()
    text = ctx.text
    raw = []  # (start, end, head, head start)
    T = _Tokens(ctx)
    group_heads, singles, counted = R["group_heads"], R["singles"], R["counted"]
    for m in R["head_re"].finditer(text):
        hs, he = m.span()
        head = m.group(0)
        group_head = head in group_heads
        single = head in singles
        if _head_in_word(T, hs, he):
            continue
        s = _refine(T, _left(text, hs, 0, group_head), hs, he, group_head)
        ym = _YEAR.match(text, s, hs) if text[s] in "12" else None  # (a year starts with 19 or 20)
        if ym:
            s = ym.end()
        # (a count ends right before s, or before a newline there, where $ also matches)
        if s and text[s - 1] in _COUNTED_LAST and counted.search(text, max(0, s - 8), s):
            continue  # 30家重点企业, 4支驻军: a counted set, not a unit
        if single and (hs - s < 2 or not _HAN_RE.search(text, s, hs) or text[hs - 1].isdigit()):
            continue  # a one-character head needs a real name before it (脑部, 九连, 138 处)
        if text.startswith("各", s):  # 各村(社区), 各乡镇(街道): the insert closes the collective's name
            mt = _ADMIN_TAIL.match(text, he)
            if mt:
                he = mt.end()
        raw.append((s, he, head, hs))
    out = []
    deictic, generic, n = R["deictic"], R["generic"], len(raw)
    for i, (s, e, head, hs) in enumerate(raw):
        # chained heads: a candidate that ends where the next one's name continues is its modifier
        j = i + 1
        while j < n and raw[j][3] < e:
            j += 1  # a head inside this name (各乡镇(街道)): the next name is the one after it
        if j < n and raw[j][0] <= s and raw[j][0] < e <= raw[j][3]:
            continue
        # a deictic prefix is dropped (我镇涉军维权咨询站), and so is the deictic itself (我社区)
        dm = deictic.match(text, s, e)
        seen_deictic = False
        if dm:
            seen_deictic = dm.end() < e
            s = dm.end() if seen_deictic else e
            if s == e:
                continue
        # … or written before the name (我镇|涉军维权咨询站, 我|社区)
        seen_deictic = seen_deictic or bool(s and text[s - 1] in _DEICTIC_LAST
                                            and _DEICTIC_BEFORE.search(text, max(0, s - 3), s))
        name = text[s:e]
        if not (seen_deictic and name in generic):
            out.append((s, e, head, name))
    return out


def _groups(text: str, cands: list[_Cand]) -> list[list[_Cand]]:
    """Coordinated candidates (A、B和C) form one group."""
    coord_re = _rx()["coord_re"]
    groups: list[list[_Cand]] = []
    for c in cands:
        if groups:
            pe, cs = groups[-1][-1][_CE], c[_CS]
            if 0 < cs - pe <= 4 and coord_re.match(text, pe, cs):
                groups[-1].append(c)
                continue
        groups.append([c])
    return groups


# ---------------------------------------------------------------- kinds

def _plan_kinds(ctx: Ctx) -> dict:
    kinds = {}
    for p in ctx.plans:
        counts = _cue_counts(ctx.text, p.start, p.end)
        best = max(counts, key=counts.__getitem__)
        kinds[p.id] = None if best == "town" or counts[best] < 3 else best
    return kinds


def _cue_counts(text: str, a: int, b: int) -> dict:
    """How often the cue words of each plan kind (and the town words) occur in text[a:b]: what a
    scan for each kind's words finds (one scan, unless words of two kinds overlap in it)."""
    R = _rx()
    if any(text.find(w, a, b) >= 0 for w in R["cue_overlaps"]):
        return {k: len(rx.findall(text, a, b)) for k, rx in R["plan_cues"].items()}
    counts = dict.fromkeys(R["plan_cues"], 0)
    cue_kind = R["cue_kind"]
    for w, n in Counter(R["cue_re"].findall(text, a, b)).items():
        counts[cue_kind[w]] += n
    return counts


@functools.lru_cache(maxsize=1 << 16)  # (names recur: in a document and from one plan to the next)
def _kind(name: str, head: str, plan_kind):
    R = _rx()
    hk = R["head_kind"].get(head)
    if plan_kind in R["issuer_dept_kinds"] and head in R["issuer_depts"]:
        rest = name[: len(name) - len(head)]
        if "委" not in rest and "党" not in rest and not _PLACE_START.match(rest):
            return plan_kind  # a union's 组织宣传部 (县委宣传部 stays party)
    if head not in R["weak"] and hk is not None:
        return hk
    if head in R["head_kind"] and head not in R["weak"] and hk is None and head not in R["plan_kind_heads"]:
        return None
    rest = name[: len(name) - len(head)]
    if plan_kind and name.endswith(R["plan_kind_ends"]) and not _PLACE_START.match(rest):
        return plan_kind
    for kind, rx in R["kind_keyword_res"]:
        if rx.search(rest):
            return kind
    if plan_kind and head in R["plan_kind_late"] and not _PLACE_START.match(rest):
        return plan_kind
    if name.endswith(R["plan_kind_ends"]):
        if _PLACE_START.match(rest):
            return "government"
        return plan_kind
    return hk


# ---------------------------------------------------------------- filters

def _excluded_ranges(ctx: Ctx) -> list[tuple[int, int]]:
    R = _rx()
    text = ctx.text
    rng = []
    for rx in R["frames"]:
        for m in rx.finditer(text):
            rng.append((m.start(), m.end()))
    for m in _TITLE.finditer(text):
        rng.append((m.start(), m.end()))
    for p in ctx.plans:
        ts = getattr(p, "title_span", None)
        if ts:
            rng.append(tuple(ts))
        # signature lines near the end: a short line that is only a unit's name
        tail = text[max(p.start, p.end - 120):p.end]
        base = max(p.start, p.end - 120)
        for m in _SHORT_LINE.finditer(tail):
            line = m.group(1).strip()
            if not _CLAUSE_PUNCT.search(line) and R["head_end"].search(line):  # (which holds a head)
                rng.append((base + m.start(1), base + m.end(1)))
    # cells of a venue column (活动地点: 县光荣院) hold places, not units
    for cs, ce, _venue in ctx.classified_cells(R["venue_header"].search):
        rng.append((cs, ce))
    # a unit's name as the name of a medium ("澄江工会"微信公众号, 县融媒体中心客户端): a channel
    for m in _MEDIUM.finditer(text):
        rng.append((m.start(), m.end()))
    # salutation lines: "各村、镇直各单位:" (only unit names before the colon)
    for m in _salutations(text):
        rest = R["head_re"].sub("", m.group(1))
        if _SALUTATION_REST.fullmatch(rest) and not _NOT_SALUTATION.search(m.group(1)):
            rng.append((m.start(), m.end()))
    return rng


def _salutations(text: str):
    """``_SALUTATION.finditer(text)``: a salutation is a whole line ending in a colon, so only
    the lines that end in one are tried, each from its start."""
    for c in _LINE_END_COLON.finditer(text):
        m = _SALUTATION.match(text, text.rfind("\n", 0, c.start()) + 1)
        if m:
            yield m


def _sentence_cobuild(ctx: Ctx, pos: int) -> bool:
    R = _rx()
    sent = ctx.sentence_of(pos)
    if sent and R["cobuild_re"].search(ctx.text, sent[0], sent[1]):
        return True
    sec = ctx.section_of(pos)
    if sec is not None and sec.title and R["cobuild_re"].search(sec.title) and "\n" not in ctx.text[sec.start:pos]:
        return True
    return False


def _clause_end(ctx: Ctx, pos: int) -> int:
    cl = ctx.clause_of(pos)
    return cl[1] if cl else min(len(ctx.text), pos + 30)


# ---------------------------------------------------------------- main



def _label_fields(ctx: Ctx, plan_kinds) -> list[Span]:
    """责任单位：A、B；配合单位：C  and table cells under such headers."""
    R = _rx()
    text = ctx.text
    out = []

    seen: set = set()

    field_item_re, marker_re = R["field_item_re"], R["marker_re"]

    def add_items(a, b, role):
        b = _field_end(text, a, b)
        for m in field_item_re.finditer(text, a, b):
            s, e = m.span()
            if (s, e) in seen:  # a labelled field that is also a record cell
                continue
            seen.add((s, e))
            item_role = role
            mk = marker_re.search(text, s, e) if text[e - 1] == ")" else None  # (the marker ends the item)
            if mk:  # 县双拥办（牵头）
                item_role = R["role_after"][mk.group("m")]
                e = mk.start()
            name = text[s:e]
            if len(name) < 2 or _NUMBER.fullmatch(name):
                continue
            head = _end_head(name)
            out.append(Span(s, e, "organizations", {
                "name": name, "role": item_role,
                "kind": _kind(name, head, _plan_kind_at(ctx, plan_kinds, s)) if head else None,
                "leading_group": name.endswith("领导小组"), "_name_span": (s, e)}))

    for m in R["label_re"].finditer(text):
        add_items(m.start("body"), m.end("body"), R["label_role"][m.group("label")])
    for s, e, role in ctx.classified_cells(lambda h: R["header_role"].get(_SPACE.sub("", h))):
        add_items(s, e, role)
    return out


def _field_end(text: str, a: int, b: int) -> int:
    """Where a field's units end within [a, b): at a sentence end, or at the ")" that closes the bracket the
    field stands in (…；配合部门：工会、人力资源部）县委办负责。: the text after it is another sentence's)."""
    se = _FIELD_STOP.search(text, a, b)
    return bracket_end(text, a, se.start() if se else b)


_FIELD_STOP = re.compile(r"[。!?！？\n]")


@functools.lru_cache(maxsize=1 << 16)  # (a field's units recur: in a document and from one plan to the next)
def _end_head(name: str) -> str:
    """The head a field's item ends in: the last head found in it, if it ends the item ("" if none)."""
    last = deque(_rx()["head_re"].finditer(name), maxlen=1)
    return last[0].group(0) if last and last[0].end() == len(name) else ""


#: SYX_ORG_DEBUG=1 prints why each dropped candidate was dropped (read once: os.environ.get costs
#: a microsecond, and _why is called for a quarter of the candidates)
_DEBUG = bool(os.environ.get("SYX_ORG_DEBUG"))


def _why(g, reason, ctx_text):
    if _DEBUG:
        print("DROP", [c[_NAME] for c in g], reason, repr(ctx_text[-20:]))


_START_END = attrgetter("start", "end")  # (a sort key read in C)


def extract(ctx: Ctx) -> list[Span]:
    R = _rx()
    text = ctx.text
    plan_kinds = _plan_kinds(ctx)
    labelled = _label_fields(ctx, plan_kinds)
    ranges = Intervals(_excluded_ranges(ctx))
    # a free-text mention touching a person (inside a title) or a labelled field (which wins) is dropped
    taken = Intervals([(p.start, p.end) for p in ctx.layers.get("people", []) or []]
                      + [(l.start, l.end) for l in labelled])
    person_starts = {p.start for p in ctx.layers.get("people", []) or []}
    cands = _candidates(ctx)
    cand_starts = {c[_CS] for c in cands}
    groups = _groups(text, cands)
    # the lexicon's patterns and sets, looked up once
    after_re, by_re, after_role_re, role_after = R["after_re"], R["by_re"], R["after_role_re"], R["role_after"]
    together_re, subject_partner_re = R["together_re"], R["subject_partner_re"]
    generic, status_after, tail_re, head_kind = R["generic"], R["status_after"], R["tail_re"], R["head_kind"]
    formation_heads, own_generic = R["formation_heads"], R["own_generic"]
    out: list[Span] = []
    for g in groups:
        # --- members, by what each says of itself (first: a group with no unit among its members
        # needs no reading of its context)
        kept = []
        prev_place = None
        for k, c in enumerate(g):
            cs, ce, head, name = c
            if k > 0 and name in ("政府", "人民政府", "党委") and prev_place:
                name = prev_place + name
            own = name == c[_NAME]  # (not given a place by the name before it)
            prev_place, not_unit = _name_facts(name)
            if len(name) < 2:
                continue
            if name.strip("_x") in generic and not (k > 0 and g[0][_NAME].startswith("各") and name == "部门") and own \
                    and not (name in own_generic and _plan_kind_at(ctx, plan_kinds, cs) in own_generic[name]):
                continue  # (a company's bare 工会 is its own union, a unit of its plan)
            if not_unit:
                continue
            if text[ce:ce + 1] in ":：" and _after_blanks(text, ce + 1) in person_starts:
                continue  # 柳溪村：孙建平（村党总支书记）: the unit labels the person named for it
            if ranges.inside(cs, ce):
                _why([c], "range", "")
                continue
            if taken.touches(cs, ce):
                _why([c], "person or field", "")
                continue
            tm = tail_re.match(text, ce, ce + 6)
            after_name = tm.lastgroup if tm else None
            if after_name is not None and after_name != "troops":
                _why([c], after_name, text[ce:ce + 6])
                continue  # the unit is part of a post, or mentioned in passing
            if _MEETING_BEFORE.search(text, max(0, cs - 6), cs) and _MEETING_AFTER.match(text, ce):
                continue  # 召开驻县部队和军转干部代表座谈会: the unit names the meeting's guests
            if after_name and not _TROOPS_ACT.search(text, tm.end(), _clause_end(ctx, tm.end())):
                continue  # 邀请驻县部队官兵和…观看, 慰问…部队官兵: the troops are an audience or recipients
            if head == "村" and status_after.match(text, ce, ce + 6) and head_kind.get(head) in ("community", None):
                continue
            kept.append((cs, ce, head, name, own))
        if not kept:
            continue
        fs, le = g[0][_CS], g[-1][_CE]
        cl = ctx.clause_of(fs)
        before = text[cl[0] if cl else max(0, fs - 30):fs]
        # --- group-level exclusions
        duty, hosted, recipient, by, partner = _before_facts(before)
        if recipient:
            _why(g, "recipient/created", before)
            continue
        clause_end = _clause_end(ctx, le)
        sent = ctx.sentence_of(le - 1)
        after = text[le:max(sent[1] if sent else clause_end, clause_end)]
        seat = hosted and bool(_SEAT.match(after))
        am = after_re.match(after)
        if am and (am.lastgroup != "title" or len(g) > 1):
            _why(g, "after", after)
            continue
        # --- group-level role
        role = "责任单位" if duty else ("负责" if seat else None)
        if role is None and by:
            m = by_re.match(after)
            if m:
                cue = m.group("cue")
                role = role_after.get(cue, "负责") if cue in role_after else "负责"
        if role is None:
            m = after_role_re.match(after)
            if m:
                role = role_after[m.group("cue")]
        if role is None and partner:
            if _sentence_cobuild(ctx, fs):
                role = "共建单位"
            elif together_re.match(after):
                role = "参与单位"
        if role is None:
            pm = subject_partner_re.match(after)
            if pm and _sentence_cobuild(ctx, fs):
                # the subject of A与B in a 共建 sentence (沙岗社区与消防大队, 各村要与驻地部队)
                if le + pm.end() in cand_starts:
                    role = "共建单位"
        # --- the members kept, with the group's role
        for cs, ce, head, name, own in kept:
            if head in _CATEGORY_HEADS and "各" not in name and not role and not (
                    _MOBILISED.search(text, max(0, cs - 4), cs) or _ACTING.match(text, ce)):
                continue  # 对危化品企业开展检查: a category of firms, not a unit (各企业 is a collective, and
                # firms mobilised to act are actors: 组织辖区企业开展捐赠)
            if head in formation_heads and not role and not _placed(name[: len(name) - len(head)]) and (
                    before.strip() or name.startswith("各") or text[ce:ce + 1] in _NUMERALS):
                continue  # 组建民兵应急分队, 各分队要…, 应急排9个: a kind of formation; the plan's own as the
                # subject of its clause (汛期，民兵应急排要实行…) or with a role (民兵应急排配合)
            attrs = {"name": name, "kind": _kind(name, head, _plan_kind_at(ctx, plan_kinds, cs)),
                     "leading_group": name.endswith("领导小组") or name.endswith("工作小组")}
            if own:
                attrs["_name_span"] = (cs, ce)  # the pipeline may render it from the source
            if role:
                attrs["role"] = role
            out.append(Span(cs, ce, "organizations", attrs))
    res = labelled + out
    in_recipient_section = _recipient_sections(ctx)
    # … unless a duty is stated for it there (由县退役军人事务局负责具体发放)
    if in_recipient_section is not None:
        res = [sp for sp in res if sp.attrs.get("role") in ("负责", "负责单位") or not in_recipient_section(sp.start)]
    res.sort(key=_START_END)
    for sp in res:
        if sp.attrs.get("kind") is None:
            sp.attrs.pop("kind", None)
    return res


@functools.lru_cache(maxsize=1 << 14)  # (the words before a name in its clause are few, and recur)
def _before_facts(before: str) -> tuple[bool, bool, bool, bool, bool]:
    """What the words before a group of names (from its clause's start) say of it: (a duty is
    handed to it: 责任落到; it hosts an office: 设在; it is a beneficiary, venue or created unit
    (unless one of the first two); a 由 before it; a partner preposition before it)."""
    R = _rx()
    duty = bool(R["duty_re"].search(before))
    hosted = bool(_HOSTED.search(before))  # 办公室设在县民政局: the host unit
    recipient = not (duty or hosted) and bool(R["recipient"].search(before) or R["created"].search(before))
    return duty, hosted, recipient, bool(R["by_before"].search(before)), bool(R["partner_re"].search(before))


@functools.lru_cache(maxsize=1 << 16)  # (names recur: in a document and from one plan to the next)
def _name_facts(name: str) -> tuple[Optional[str], bool]:
    """What a name says of itself: (the place it is a town's 党委/政府 of, or None: in ``乡党委、政府``
    政府 takes the place 乡; whether it names no unit: a bare generic, a label (责任部门：…), a
    non-unit ending (落实责任单位; but 各责任单位 is a collective handed a task), an honour)."""
    R = _rx()
    pm = R["place_pre"].match(name)
    not_unit = name in R["bare_generic"] or name in R["label_words"] \
        or bool(R["not_end"].search(name) and not name.startswith("各")) or bool(R["honour"].search(name))
    return (pm.group(1) if pm else None), not_unit


def _recipient_sections(ctx: Ctx):
    """``pos -> bool`` (None when the document has no such section): is pos inside a section that lists who is visited or given something
    (二、慰问对象)? Units there are beneficiaries, not actors. The answer is worked out once
    per section (and each plan's sections are indexed by id once), not once per position."""
    rx = _rx()["recipient_section_re"]
    if not any(sec.title and rx.search(sec.title) for plan in ctx.plans for sec in plan.sections):
        return None  # no such section (most documents): nothing to ask
    by_plan: dict = {}  # id(plan) -> {section id: section}
    memo: dict = {}  # (id(plan), id(section)) -> answer

    def inside(pos: int) -> bool:
        sec = ctx.section_of(pos)
        if sec is None:
            return False
        plan = ctx.plan_of(pos)
        key = (id(plan), id(sec))
        if key in memo:
            return memo[key]
        by_id = by_plan.get(id(plan))
        if by_id is None:
            by_id = by_plan[id(plan)] = {x.id: x for x in plan.sections} if plan else {}
        found = False
        while sec is not None:
            if sec.title and rx.search(sec.title):
                found = True
                break
            sec = by_id.get(sec.parent)
        memo[key] = found
        return found

    return inside
