"""Time expressions: dates, months, years, festivals, seasons, periods, recurrences.

Every mention is one contiguous compound, parsed left to right from an anchor
(all words live in ``lexicons/times.yaml`` and ``lexicons/festivals.yaml``):

    [recurrence] [date core] [festival | season | event | holiday] [_] [modifier] [relation]

* recurrence: 每年, 每季(度) -> 每季, 每月, 每学年, 按月 -> 每月, 定期, 不定期, 常年 …;
  每到新生入学时 -> 每学年 (recurring events); 每年的春节, 每季度末 (part 末);
* date core: years (2018年, 二〇一八年, 20xx年, xx年, 2021—2025年, a bare 2022 opening a title
  line or 2016 before a festival), months (7月, 8月份, 十二月, 元月, ___月), ranges (6-8月份,
  6月至8月, 3月初至5月底 -> part/part_end, 11月至次年4月), days (7月30日, 7月27日至28日,
  2023年7月25日—8月1日), parts (上旬/中旬/下旬/中下旬/初/中/底/末, 2023年底, 上半年),
  quarters (第三季度 -> months 7-9), numeric dates (2023.7.30, 2023-07-30, 2026.03);
  in a docx table column headed 时间/日期, cells such as 7.25-8.1 are month.day dates;
  relative years (今年8月, 明年春节, 去年夏季) form one mention with what follows;
* festivals with canonical names; short cues (八一, 国庆, 五四 …, also 八·一) are times only in
  a festival use — followed by a relation, punctuation, another festival (中秋国庆) or a list
  connector, or after 逢/每逢 — never inside a name (“八一”军民座谈会, 八一路, 五四运动,
  “鱼水情深庆八一”); 十一, 清明 and 元宵 need quotes, a relation or a coordinated festival;
* seasons and terms (暑期, 寒假, 假期, 汛期, 新学期, 春季 -> 春, 2023-2024学年 -> 学年);
  generic holidays (节日, 传统节日来临之际, “双节”期间; not attributive 节日祝福);
  campaign months/weeks (“双拥”月: vague) only as occasions — with a relation or listed with
  festivals — not as campaign names (“安全生产月”宣传); congresses and events
  (xx大_召开前夕 -> relation 前夕 and ``event``); period nouns with 期间/之际/前夕 (服役期间,
  高考期间, and any two-character noun before 期间); 成立以来 -> 以来;
* relation (前夕, 前, 期间, 之际, 后, 前后, 以来, 起, 至今, 当天, 时 …); N年来/多年来 -> 以来;
* anything after a festival that the rules keep but cannot interpret (黄金周, 小长假, the 一周
  of 春节前一周) goes verbatim into ``uninterpreted`` — never dropped silently.

Coordinated lists share what the list says once: a relation at the end goes back to every
festival member before it (元旦、春节前; 春节、_八一_、和_xx大_召开前夕; 春节、八一等重要节日期间);
bare members of a period list are added (高考、中考期间 -> 高考 with 期间); 每逢/逢 before a
festival, or a recurrence compound (每年春节、八一期间), gives each following member its
recurrence (每逢“八一”、“春节”; 每逢 itself stays outside the mentions, as in the seed gold).
The seed's single ``_`` marks are kept inside a mention only between festival and relation
(八一_前夕); quotes are kept when they enclose the festival (“八一”前夕, “春节”).

Vague times (今年, 新的一年, 近几年, 近三年, 不到几天, 节日, “双拥”月 …) are mentions with
``vague: true`` and no other field. ``placeholder`` is true when the mention overlaps a template
gap (the placeholders layer, or a gap matched here: ___月, xx年, 20xx年, **月).

ISO (best effort, never guessed beyond the text):
  the year is the mention's own, else the latest explicit year earlier in the same sentence,
  else the plan's year (今年/明年/去年 in a compound shift the plan's year); no year -> null.
  Recurrences, seasons, vague times, events and placeholders get null.
  date -> YYYY-MM-DD; month -> YYYY-MM; year -> YYYY; ranges -> a/b; a part of a month -> the
  days it covers (上旬/初 1-10, 中旬/中 11-20, 下旬/底/末 21-last, 中下旬 11-last); 上半年/
  下半年 and quarters -> months. Festivals -> their date (fixed, lunar via ``lunardate``,
  清明 by the solar-term formula, nth-weekday rules such as 全民国防教育日 = third Saturday of
  September). Relations: none, 期间, 之际, 时, 当天, 前后 and 起 keep the anchor's iso (期间
  and 前后 are "around" it, 起 is its start); 前夕 -> the eve (the day before); 前, 后, 以来,
  至今 -> null (an open interval with no stated bound).
"""
from __future__ import annotations

import bisect
import calendar
import datetime
import re
from functools import lru_cache
from typing import Any, Optional

from .base import Ctx, Span, class_led, digit_start, led_by_class, lexicon, memo

_CN = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_DOTS = "·•・．"
_QUOTES = {"“": "”", "‘": "’", "「": "」", "『": "』", '"': '"'}
_SEP = r"(?:[-—–~～－]{1,2}|至|到)"
_GAP = r"(?:_{2,}|[xX×]{2,4}|\*{2,})"
_GAP_RX = re.compile(_GAP)
_YN = r"(?:(?:19|20)\d{2}|[〇零一二三四五六七八九]{4}|20[xX×]{2}|[xX×]{2,4}|_{2,}|\*{2,})"
_MN = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九元]|_{2,}|[xX×]{2}|\*{2,})"
_DN = r"(?:3[01]|[12]\d|0?[1-9]|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九]|_{2,}|[xX×]{2}|\*{2,})"
_NUMERAL_BEFORE = "0123456789〇零一二三四五六七八九十百千万两几第."
_FOLLOW_OK = set("，。、；：,;:!?！？)）]】》」』”’\"\n\t \r等")
_TITLE_WORDS = re.compile(r"计划|方案|总结|要点|安排|规划|意见|通知|报告|打算|工作")
_CJK = re.compile(r"[\u4e00-\u9fff]")
#: a table cell under a 周次 or 时间 column that names a week of the plan's period
_WEEK_CELL = re.compile(r"第[一二三四五六七八九十\d]{1,3}(?:[-—–~至到]第?[一二三四五六七八九十\d]{1,3})?周")
#: the day of a weekly recurrence, and the part of that day (每周三下午, 每周星期五); not a count (每周一次,
#: 每周五天, 每周一节课)
_WEEKDAY_AFTER = re.compile(r"(?:星期|周)?[一二三四五六日天](?![次场期轮个批名人天日节课])(?:上午|下午|中午|晚上)?")
_CONNECTOR = re.compile(r"(?:、|和|及|与|或|以及)?[_“‘「『\"]?")  # between a festival cue and the next
# the regexes that parse() and date() try in turn, each group in its order: the compounds parse() tries
# first, the dates date() tries, the anchors without a date parse() tries last
_LEAD_RXS = ("until", "rev", "since", "cont", "fewdays", "span", "recur")
_DATE_RXS = ("numdate", "numym", "yrange", "year", "bareyear", "mrange", "month")
_ANCHOR_RXS = ("event", "campaign", "period", "since_anchor", "quarter", "shol", "srel", "term", "relyear", "vague",
               "sparts", "holiday")
# each one's place in its group: where a group's prefilter (R["lead"], R["date_any"], R["anchor_any"]) says
# that the first of them to match is ranked r, those ranked before r are not tried
_RANK = {k: i for group in (_LEAD_RXS, _DATE_RXS, _ANCHOR_RXS) for i, k in enumerate(group)}
_UNIT_AFTER_NUMBER = set("名人个户次元万千百亿余多位件项场期支台辆套份米条所家张篇天周批届年月日号座处间块")


def _blocked(word: str, blockers: dict) -> str:
    """``word`` as a regex, with a negative lookahead for the characters that make it part of another word."""
    b = blockers.get(word)
    return re.escape(word) + (r"(?!%s)" % _trie(b) if b else "")


def _alt_blocked(words, blockers: dict) -> str:
    return "|".join(_blocked(w, blockers) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _trie(words) -> str:
    """``alternation(words)`` (base) written as a trie, 八一(?:建军节)?|…: the same matches tried in the
    same order (longest first) in any context, but the regex engine follows one branch per character
    instead of trying every word in turn (the lexicons hold hundreds)."""
    root: dict = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here

    def emit(node: dict) -> str:
        alts = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:%s)" % "|".join(alts)
        # a word ending here as well: the longer ones first (greedy), as in a longest-first alternation
        return "(?:%s)?" % body if "" in node else body

    return emit(root)


def _union(regexes) -> str:
    """One alternation of the compiled ``regexes`` without groups, matching wherever one of them matches
    (and maybe elsewhere): a backreference (?P=name) becomes a copy of the group it names, which
    matches the text the group matched and others; so the union may stand in a lookbehind."""
    out = []
    for rx in regexes:
        p = rx.pattern
        p = re.sub(r"\(\?P=(\w+)\)", lambda m: "(?:%s)" % _group_body(p, m[1]), p)
        out.append(re.sub(r"\(\?P<\w+>", "(?:", p))
    return "|".join(out)


def _group_body(pattern: str, name: str) -> str:
    """The text of the group ``name`` in ``pattern``, between its parentheses."""
    i = k = pattern.index("(?P<%s>" % name) + len(name) + 5
    depth = 1
    while True:
        c = pattern[k]
        if c == "\\":
            k += 1  # an escaped character
        elif c == "[":  # a class: skip to its end (a "]" first in it is a literal)
            k += 2 if pattern.startswith("^", k + 1) else 1
            k += 1 if pattern[k] == "]" else 0
            while pattern[k] != "]":
                k += 2 if pattern[k] == "\\" else 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return pattern[i:k]
        k += 1


def _led_by_words(words, group: int = 16) -> str:
    """The alternatives of :func:`base.led_by_class` for the words starting with each group of ``group``
    of their first characters, led by that group's class and checked by that group's trie.

    The engine tries a branch's alternatives one after the other: a character at which no word
    starts (most of them: 人, 军, 月 …) was compared with all the first characters of the trie of all
    the words (some 140); now with one class per group, then with the first characters of its own
    group. (A branch whose alternatives begin with a class does not tell the engine where a match can
    begin: inside a regex led by the class of all the first characters.)"""
    firsts = sorted({w[0] for w in words})
    groups = [firsts[i:i + group] for i in range(0, len(firsts), group)]
    return "|".join(led_by_class("".join(map(re.escape, g)), _trie([w for w in words if w[0] in g]))
                    for g in groups)


@lru_cache(maxsize=1)
def _R() -> dict[str, Any]:
    lx = lexicon("times")
    fx = lexicon("festivals")
    R: dict[str, Any] = {"lx": lx}
    # festivals
    canon: dict[str, str] = {}
    cues: dict[str, str] = {}
    info: dict[str, dict] = {}
    for f in fx["festivals"]:
        c = f["canonical"]
        info[c] = f
        for n in f.get("names", []):
            canon[n] = c
        for n in f.get("cues", []) or []:
            cues[n] = c
    for table in (canon, cues):
        for n, c in list(table.items()):
            if len(n) >= 2 and n[0] in _CN and n[1] in _CN:
                for dot in _DOTS:
                    table.setdefault(n[0] + dot + n[1:], c)
    tails = set()
    for n, c in canon.items():
        for cue, cc in cues.items():
            if cc == c and n.startswith(cue) and len(n) > len(cue):
                tails.add(n[len(cue):])
    allf = _trie(list(canon) + list(cues))
    R["fest_canon"], R["fest_cues"], R["fest_info"] = canon, cues, info
    R["strict_cues"] = set(fx.get("strict_cues", []))
    R["fest"] = re.compile(r"(?:(?P<oq>[“‘「『\"])(?P<qin>%s)(?P<cq>[”’」』\"])(?P<qt>%s)?"
                           r"|(?P<dp>[“\"]?\d{1,2}[·•・．.]\d{1,2}[”\"]?)?(?P<bare>%s))"
                           % (allf, _trie(tails) if tails else "(?!)", allf))
    # relations
    rels = lx["relations"]
    R["rel_map"] = rels
    R["rel"] = re.compile(r"_?(?P<r>%s)" % _alt_blocked(rels, lx["relation_blockers"]))
    R["rel_dist"] = re.compile(r"(?P<n>[一二两三四五六七八九十\d]{1,3})(?P<u>%s)(?:左右)?"
                               % _trie(lx["relation_distance_units"]))
    R["fmod"] = re.compile(r"_?(?P<w>%s)" % _trie(lx["festival_modifiers"]))
    # seasons
    R["season"] = re.compile(_trie(lx["seasons"]))
    R["season_tail"] = re.compile(_trie(lx["season_tails"]))
    # recurrences
    R["recur"] = re.compile(_alt_blocked(lx["recurrences"], lx["recurrence_blockers"]))
    R["rev"] = re.compile(r"(?P<p>%s)(?P<e>%s)(?P<s>%s)?" % (
        _trie(lx["recurring_event_prefixes"]), _trie(lx["recurring_events"]),
        _trie(lx["recurring_event_suffixes"])))
    R["fest_prefix"] = re.compile(r"(?:%s)[“‘「『\"]?$" % _trie(lx["festival_recurrence_prefixes"]))
    # vague, holidays, parts
    R["vague"] = re.compile(_trie(lx["vague"] + lx["vague_adverbial"]))
    # … and any action verb of the activities lexicon, unless a plan noun follows it (全年培训计划)
    acts = lexicon("activities")
    verbs = {w for k in ("action_verbs", "intransitive", "outcome_verbs") for w in acts[k]} - set(lx["adverbial_next"])
    R["adverbial_next"] = re.compile("(?:%s|%s)(?!%s)" % (_trie(lx["adverbial_next"]), _trie(sorted(verbs)),
                                                          _trie(lx["attributive_after_verb"])))
    R["mid_blockers"] = set(lx["month_part_blockers"]["中"])
    R["relyear"] = re.compile(_trie(lx["relative_years"]))
    R["shol"] = re.compile(_trie(lx["short_holiday_relations"]))
    R["srel"] = re.compile(_trie(lx["season_relation_words"]))
    # the start of a school term by itself (开学第一周, 开学前): a time, as after 新学期
    R["term"] = re.compile(_trie([w for w in lx["season_tails"] if w.startswith("开学")]))
    R["holiday"] = re.compile(_trie(lx["holiday_nouns"]))
    R["list_member"] = re.compile(r"(?P<w>%s)(?:、|和|及|与)$" % _trie(
        lx["period_anchors"] + lx["holiday_nouns"]))
    R["holiday_block"] = re.compile(_trie(lx["holiday_attributive_heads"]))
    R["since_anchor"] = re.compile(r"(?:%s)以来" % _trie(lx["since_anchors"]))
    R["sparts"] = re.compile(_trie(lx["standalone_parts"]))
    ends = lx.get("period_end_relations") or {}
    R["period_rel"] = dict({r: rels[r] for r in lx["period_anchor_relations"]}, **ends)
    R["event_rel"] = lx["event_anchor_relations"]
    R["period"] = re.compile(r"(?P<a>%s)(?P<r>%s)|(?P<ea>%s)(?P<er>%s)(?![的往])" % (
        _trie(lx["period_anchors"]), _trie(R["period_rel"]), _trie(lx["event_anchors"]), _trie(R["event_rel"])))
    R["fb_block"] = set(lx["period_fallback_blockers"])
    mp = _alt_blocked(lx["month_parts"], lx["month_part_blockers"])
    R["mpart"] = re.compile(mp)
    R["ypart"] = re.compile(_trie(lx["year_parts"]))
    R["rpart"] = re.compile(_alt_blocked(["初", "末", "底"], lx["month_part_blockers"]))
    # campaigns (“双拥”月)
    cn = _trie(lx["campaign_names"])
    R["campaign"] = re.compile(r"(?:“(?:%s)”|(?:%s))(?:%s)(?!%s)" % (
        cn, cn, _trie(lx["campaign_units"]), _trie(lx["campaign_unit_blockers"])))
    # events
    R["event"] = re.compile(r"(?P<e>(?:党的)?(?:(?:十[一二三四五六七八九]?|二十[一二三四五]?|[一二三四五六七八九])"
                            r"(?:大|届[一二三四五六七八九]中全会)|%s(?:大|届[一二三四五六七八九]中全会)|%s))"
                            r"(?:_?(?P<v>%s))?" % (_GAP, _trie(lx["event_nouns"]),
                                                   _trie(lx["event_verbs"])))
    # years since
    cnt = r"(?:\d{1,3}|[一二两三四五六七八九十]{1,3}|%s|%s)" % (_trie(lx["years_since_counts"]), _GAP)
    R["since"] = re.compile(r"(?P<n>近?%s多?|近)年(?P<r>以来|来)" % cnt)
    R["span"] = re.compile(r"(?:%s)(?:\d{1,2}|[一二两三四五六七八九十]{1,3}|几|数)(?:个)?年(?!来|以来|级|代|龄)"
                           % _trie(lx["span_prefixes"]))
    R["cont"] = re.compile(r"连续(?:\d{1,2}|[一二两三四五六七八九十]{1,3}|多|几|数)年")
    R["fewdays"] = re.compile(r"(?:不到|没过|没几|不出)几?(?:天|日)")
    # dates
    R["numdate"] = re.compile(r"(?P<y>(?:19|20)\d{2})(?P<s>[./-])(?P<m>1[0-2]|0?[1-9])(?P=s)"
                              r"(?P<d>3[01]|[12]\d|0?[1-9])(?![\d.])日?")
    R["numym"] = re.compile(r"(?P<y>(?:19|20)\d{2})[./](?P<m>1[0-2]|0[1-9]|[1-9])(?![\d.万亿元%])")
    R["yrange"] = re.compile(r"(?P<y>%s)年?%s(?P<y2>%s)(?P<u>学年|年度|年)" % (_YN, _SEP, _YN))
    R["year"] = re.compile(r"(?P<y>%s)年(?P<du>度)?(?![代级龄轻鉴货薪终会])" % _YN)
    R["bareyear"] = re.compile(r"(?P<y>(?:19|20)\d{2})(?![\d.%年])")
    R["mrange"] = re.compile(r"(?P<m>%s)(?P<sep>%s|、)(?P<m2>%s)月(?P<fen>份)?" % (_MN, _SEP, _MN))
    R["month"] = re.compile(r"(?P<m>%s)月(?P<fen>份)?" % _MN)
    R["day"] = re.compile(r"(?P<d>%s)[日号](?![元码楼线院文])" % _DN)
    R["drange"] = re.compile(r"(?P<d>%s)[日号]?%s(?P<d2>%s)[日号]" % (_DN, _SEP, _DN))
    R["tail"] = re.compile(r"%s(?:(?P<y>%s)年|(?P<ry>次年|翌年|来年|明年|第二年))?(?:(?P<m>%s)月份?)?(?:(?P<d>%s)[日号])?"
                           % (_SEP, _YN, _MN, _DN))
    R["cell_hdr"] = re.compile(_trie(lx["cell_time_headers"]))
    R["celldate"] = re.compile(r"(?<![\d.])(?P<m>1[0-2]|0?[1-9])[.．](?P<d>3[01]|[12]\d|0?[1-9])"
                               r"(?:[-—–~～至到]{1,2}(?:(?P<m2>1[0-2]|0?[1-9])[.．])?(?P<d2>3[01]|[12]\d|0?[1-9]))?"
                               r"(?![\d.%])")
    R["quarter"] = re.compile(r"第?(?P<q>[一二三四1-4])季度")
    # candidate starts (cheap pre-filter; each candidate is parsed properly)
    words = (list(lx["recurrences"]) + list(lx["seasons"]) + list(lx["vague"]) + list(lx["vague_adverbial"])
             + list(lx["holiday_nouns"])
             + list(lx["standalone_parts"]) + list(lx["period_anchors"]) + list(lx["event_anchors"])
             + list(lx["event_nouns"])
             + list(lx["recurring_event_prefixes"]) + list(lx["campaign_names"]) + list(canon) + list(cues)
             + list(lx["relative_years"]) + list(lx["short_holiday_relations"]) + list(lx["season_relation_words"])
             + [w for w in lx["season_tails"] if w.startswith("开学")]
             + ["连续", "不到", "没过", "没几", "不出", "近", "多年", "几年", "数年", "半年", "党的", "第", "上半年", "下半年",
                "元月", "截至", "截止"] + list(lx["span_prefixes"]) + list(lx["since_anchors"]))
    # 截至6月底 (a deadline or a count's cut-off): relation 至 with the date after it
    R["until"] = re.compile(r"(?:截至|截止)(?:到|至)?(?=\d|[一二三四五六七八九十]{1,3}月|今年|年底|年末|目前)")
    # the regexes parse() tries at its start position (directly or through date(), festival(), a season)
    tried = {k: _union([R[k]]) for k in (*_LEAD_RXS, *_DATE_RXS, "fest", "season", *_ANCHOR_RXS)}
    # the starts other than words, and every character a match of them can begin with; a number only
    # where one of the tried regexes may match at its first digit (most numbers are counts: 2000名, 30人)
    digit = digit_start(list(tried.values()))
    other_first = r"\d_*xX×〇零一二三四五六七八九十两“‘「『\""
    others = [r"(?<![\dA-Za-z×_.*])(?:%s|_{2}|\*{2})" % digit, r"(?<![\dA-Za-z×])[xX×]{2}", r"(?<=^\d\.)" + digit,
              # a list number's dot before a date (\n9.7月下旬, indented as well: "　　3．9月…")
              r"(?<=[\n \t\u3000]\d\.)" + digit, r"(?<=[\n \t\u3000]\d\d\.)" + digit,
              r"(?<![〇零一二三四五六七八九十百千万两几第])[〇零一二三四五六七八九十两][^\n]{0,3}?[年月季大届]",
              r"[“‘「『\"](?=[\u4e00-\u9fff]|\d{1,2}[·•・．.]\d)"]
    # parse() fails wherever none of the tried regexes matches there, and a failed candidate matters only
    # for the "XX期间" fallback (期间 two characters on, after a Chinese character: never at a digit): the
    # starts are narrowed to where one of them matches or 期间 follows (the same spans; most starts fail,
    # and a parse() costs much more than this check in the regex engine)
    guarded = {k: class_led(v) for k, v in tried.items()}
    # each pattern led by the class of its first characters (most starts are tried against all and fail);
    # the commonest first (months, years, festivals …): at a start that is worth it the check stops there
    common = ("month", "year", "fest", "recur", "vague")
    worth = r"(?:%s|(?s:..)期间)" % "|".join([guarded[k] for k in common] + [
        v for k, v in guarded.items() if k not in common])
    # the candidates: one character at each start (so that a search from any position finds the first
    # start at or after it), a character of the starts' classes where a start matches (the words' start
    # is their trie: only where a match starts matters), then the check above
    starts = "(?:%s|%s)" % (led_by_class(other_first, "|".join(map(class_led, others))), _led_by_words(words))
    R["cands"] = re.compile("[%s%s](?<=%s)(?<=(?=%s)(?s:.))" % (
        other_first, "".join(sorted({re.escape(w[0]) for w in words})), starts, worth))
    # prefilters in parse() and date(), one for each group of regexes tried in turn: the group's regexes, each
    # followed by an empty group named after it: the name of the last group of a match (lastgroup) is the
    # first of them that matches (those before it do not, and are not tried: see _RANK)
    for name, keys in (("lead", _LEAD_RXS), ("date_any", _DATE_RXS), ("anchor_any", _ANCHOR_RXS)):
        R[name] = re.compile("|".join("%s(?P<%s>)" % (guarded[k], k) for k in keys))
    # what _festival_after_date() looks for after a month (most months are followed by none of them)
    R["after_month"] = re.compile("|".join((_WEEKDAY_ORDINAL.pattern, guarded["fest"], guarded["season"])))
    # "XX期间" (two Chinese characters before 期间) is a candidate too: found from 期间, two characters on
    R["start_qijian"] = re.compile(r"期间(?<=[\u4e00-\u9fff]{2}期间)")
    return R


# ------------------------------------------------------------------ numbers

def _num(s: Optional[str]) -> Optional[int]:
    if not s or s[0] in "_xX×*":
        return None
    if s.isdigit():
        return int(s)
    if all(c in _CN for c in s) and len(s) == 4:  # 二〇一八
        return int("".join(str(_CN[c]) for c in s))
    if "十" in s:
        a, b = s.split("十", 1)
        return (_CN.get(a, 1) if a else 1) * 10 + (_CN.get(b, 0) if b else 0)
    if len(s) == 1 and s in _CN:
        return _CN[s]
    if s == "元":  # 元月
        return 1
    return None


def _gap(s: Optional[str]) -> bool:
    return bool(s) and (s[0] in "_*" or s[-1] in "xX×")


# ------------------------------------------------------------------ the parser

class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.R = _R()
        self.n = len(text)

    def _line_start(self, pos: int) -> int:
        return self.text.rfind("\n", 0, pos) + 1

    def date(self, p: int, a: dict) -> int:
        """Year/month/day core starting at ``p`` with the part of the day after a day (7月28日上午: in
        the span, and in ``uninterpreted``, as ``part`` holds parts of months and years only); fills
        ``a``; returns the new end (== p if none)."""
        q = self._date(p, a)
        if q > p and "day" in a and "day_end" not in a:
            m = _DAY_PART.match(self.text, q)
            if m:
                a["uninterpreted"] = a["uninterpreted"] + m.group() if a.get("uninterpreted") else m.group()
                q = m.end()
        return q

    def _date(self, p: int, a: dict) -> int:
        R, t = self.R, self.text
        m = R["date_any"].match(t, p)
        if not m:
            return p  # none of the regexes below matches here (one regex for all of them)
        first = _RANK[m.lastgroup]  # the regexes ranked before this one do not match at p: not tried
        m = first <= _RANK["numdate"] and R["numdate"].match(t, p)
        if m:
            a.update(year=int(m["y"]), month=int(m["m"]), day=int(m["d"]))
            return m.end()
        m = first <= _RANK["numym"] and R["numym"].match(t, p)
        if m:
            a.update(year=int(m["y"]), month=int(m["m"]))
            return self._after_month(m.end(), a, ranged=True)
        q = p
        m = first <= _RANK["yrange"] and R["yrange"].match(t, q)
        if m and (_num(m["y"]) or _gap(m["y"])):
            y, y2 = _num(m["y"]), _num(m["y2"])
            if y is not None:
                a["year"] = y
            if y2 is not None:
                a["year_end"] = y2
            a["_gap"] = a.get("_gap") or _gap(m["y"]) or _gap(m["y2"])
            if m["u"] == "学年":
                a["season"] = "学年"
            return m.end()
        m = first <= _RANK["year"] and R["year"].match(t, q)
        if m:
            y = _num(m["y"])
            if y is not None:
                a["year"] = y
            if _gap(m["y"]):
                a["_gap"] = True
            q = m.end()
            mp = R["ypart"].match(t, q)
            if mp and not t.startswith("初步", q) and not t.startswith("末端", q):
                a["part"] = self.R["lx"]["year_parts"][mp.group()]
                return mp.end()
            mq = R["quarter"].match(t, q)
            if mq:
                k = _num(mq["q"]) or 1
                a.update(month=3 * k - 2, month_end=3 * k)
                return mq.end()
        else:
            m = first <= _RANK["bareyear"] and R["bareyear"].match(t, q)
            if m and self._bare_year_ok(p, m.end()):
                a["year"] = int(m["y"])
                return m.end()
        # months (month, the last of _DATE_RXS, is tried whatever the rank)
        m = first <= _RANK["mrange"] and R["mrange"].match(t, q)
        if m and m["m"][0] not in "_xX×" and _num(m["m"]) is not None and _num(m["m2"]) is not None \
                and _num(m["m"]) < _num(m["m2"]) and (m["sep"] != "、" or _num(m["m2"]) == _num(m["m"]) + 1):
            a.update(month=_num(m["m"]), month_end=_num(m["m2"]))
            return self._after_month(m.end(), a, ranged=True)
        m = R["month"].match(t, q)
        if m:
            mo = _num(m["m"])
            if mo is not None and 1 <= mo <= 12:
                a["month"] = mo
            elif not _gap(m["m"]):
                return q
            else:
                a["_gap"] = True
            return self._after_month(m.end(), a)
        return q

    def _bare_year_ok(self, start: int, end: int) -> bool:
        t = self.text
        if self.R["fest"].match(t, end):
            return True
        ls = self._line_start(start)
        if t[ls:start].strip(" #*\t-") != "":
            return False
        k = end
        while k < self.n and t[k] == " ":
            k += 1
        nxt = t[k:k + 1]
        if not _CJK.match(nxt) or nxt in _UNIT_AFTER_NUMBER:
            return False  # "2000名官兵…" is a count, not a year
        return bool(_TITLE_WORDS.search(t[k:k + 40].split("\n")[0]))

    def _after_month(self, q: int, a: dict, ranged: bool = False) -> int:
        R, t = self.R, self.text
        if not ranged:
            m = R["drange"].match(t, q)
            if m and _num(m["d"]) is not None and _num(m["d2"]) is not None and _num(m["d"]) < _num(m["d2"]) <= 31:
                a.update(day=_num(m["d"]), day_end=_num(m["d2"]))
                return m.end()
            m = R["day"].match(t, q)
            if m:
                d = _num(m["d"])
                if d is not None and 1 <= d <= 31:
                    a["day"] = d
                elif _gap(m["d"]):
                    a["_gap"] = True
                else:
                    return q
                q = m.end()
        m = R["mpart"].match(t, q)
        if m and "day" not in a:
            a["part"] = m.group()
            q = m.end()
        # range tail: 6月至8月, 7月27日至28日, 7月25日—8月1日, 3月初至5月底; after the part of the first
        # day too (9月1日下午至9月5日: the part kept, as date() keeps it)
        if not ranged:
            dp = _DAY_PART.match(t, q) if "day" in a else None
            m = R["tail"].match(t, dp.end() if dp else q)
            if dp and m and (m["m"] or m["d"]):
                a["uninterpreted"] = a["uninterpreted"] + dp.group() if a.get("uninterpreted") else dp.group()
            elif dp:
                m = None
            if m and (m["y"] or m["m"] or m["d"]):
                y2, m2, d2 = _num(m["y"]), _num(m["m"]), _num(m["d"])
                ok = True
                if m["d"] and "day" not in a:
                    ok = False
                if m["d"] and not m["m"] and "day" in a and d2 is not None and d2 <= a["day"]:
                    ok = False
                if m["ry"] and not m["m"]:
                    ok = False
                if ok:
                    if y2 is not None:
                        a["year_end"] = y2
                    elif m["ry"]:
                        if "year" in a:
                            a["year_end"] = a["year"] + 1
                        else:
                            a["_next_year_end"] = True
                    if m2 is not None:
                        a["month_end"] = m2
                    if d2 is not None:
                        a["day_end"] = d2
                    if _gap(m["m"]) or _gap(m["d"]) or _gap(m["y"]):
                        a["_gap"] = True
                    q = m.end()
                    mp = R["mpart"].match(t, q)
                    if mp and m["m"] and not m["d"]:
                        a["part_end"] = mp.group()
                        q = mp.end()
        return q

    def festival(self, p: int, a: dict) -> int:
        R, t = self.R, self.text
        m = R["fest"].match(t, p)
        if not m:
            return p
        if m["oq"]:
            if _QUOTES.get(m["oq"]) != m["cq"]:
                return p
            name, end = m["qin"], m.end("cq")
            if m["qt"]:
                full = name + m["qt"]
                if full in R["fest_canon"]:
                    name, end = full, m.end("qt")
            quoted = True
        else:
            name, end, quoted = m["bare"], m.end(), False
        if name in R["fest_canon"]:
            a["festival"] = R["fest_canon"][name]
        else:
            a["festival"] = R["fest_cues"][name]
            a["_cue"] = name
            a["_quoted"] = quoted and end == m.end("cq")
        return end

    def _festival_after_date(self, q: int, a: dict) -> int:
        """A festival, commemoration day or season written right after the month or date it falls in
        is the same time: 4月清明节期间, 10月上旬重阳节前夕, 9月30日烈士纪念日, 6月至8月汛期,
        9月第三个星期六全民国防教育日 (month and day from the date; festival or season and relation
        from what follows). Returns the new end."""
        R, t = self.R, self.text
        if t.startswith("(", q) and "festival" not in a:
            # 9月19日(全民国防教育日): the day's name in brackets, one mention with the date
            probe: dict[str, Any] = {"_fstart": q + 1}
            e = self.festival(q + 1, probe)
            if e > q + 1 and "_cue" not in probe and t.startswith(")", e):
                a["festival"] = probe["festival"]
                return e + 1
        if not R["after_month"].match(t, q):
            return q
        r = _WEEKDAY_ORDINAL.match(t, q)
        p = r.end() if r else q
        probe = {"_fstart": p}
        e = self.festival(p, probe)
        if e > p and "_cue" not in probe:  # a full festival name, not a cue such as 八一 or 国庆
            a["festival"] = probe["festival"]
            return self.relation(e, a) if "relation" not in a else e
        if r is None:
            ms = R["season"].match(t, q)
            if ms and ms.group() in _SEASONS_AFTER_DATE:
                a["season"] = R["lx"]["seasons"][ms.group()]
                return self.relation(ms.end(), a) if "relation" not in a else ms.end()
            return q
        # 9月第三个星期六 on its own: part of the date, which no field holds (kept, not dropped)
        a["uninterpreted"] = a["uninterpreted"] + r.group() if a.get("uninterpreted") else r.group()
        return self.relation(p, a) if "relation" not in a else p

    def _free_after(self, q: int) -> bool:
        """Nothing attaches to the phrase ending at ``q``: punctuation, end, or a list connector."""
        t = self.text
        if q >= self.n or t[q] in _FOLLOW_OK:
            return True
        return t[q] in "和及与或"

    def cue_ok(self, a: dict, end: int, has_rel: bool) -> bool:
        """A short festival cue (八一, 国庆 …) is a time only in a festival use."""
        t = self.text
        cue = a.get("_cue")
        if not cue:
            return True
        start = a["_fstart"]
        if start > 0 and t[start - 1] in _NUMERAL_BEFORE and not a.get("_quoted"):
            return False
        if has_rel or self.R["fest_prefix"].search(t[max(0, start - 3):start]):
            return True
        strict = cue in self.R["strict_cues"] and not a.get("_quoted")
        q = end
        if not a.get("_quoted") and t[q:q + 1] in "”’」』\"":
            return False  # the end of a quoted slogan or name: “鱼水情深庆八一”
        while q < self.n and t[q] == "_":
            q += 1
        m = _CONNECTOR.match(t[q:q + 4])
        if m and (self.R["fest"].match(t, q + m.end()) or self.R["holiday"].match(t, q + m.end())):
            if not (t[q] == "、" and not a.get("_quoted") and all(c in _CN or c == "十" for c in cue)
                    and t[self._line_start(start):start].strip(" #*\t-") == ""):
                return True
        if strict:
            return False
        if q >= self.n or t[q] in _FOLLOW_OK:
            if t[q:q + 1] == "、" and not a.get("_quoted") and all(c in _CN or c == "十" for c in cue) \
                    and t[self._line_start(start):start].strip(" #*\t-") == "":
                return False  # a list label such as 五一、 at the start of a line
            return True
        return False

    def relation(self, p: int, a: dict, allowed: Optional[list] = None) -> int:
        R, t = self.R, self.text
        m = R["rel"].match(t, p)
        if not m:
            return p
        rel = R["rel_map"][m["r"]]
        if allowed is not None and rel not in allowed:
            return p
        if m["r"] in ("时", "起", "开始") and not (a.get("festival") or a.get("season") or "month" in a
                                                or "day" in a or a.get("_event") or a.get("_holiday")):
            return p
        a["relation"] = rel
        q = m.end()
        if rel in ("前", "后"):
            md = R["rel_dist"].match(t, q)
            if md and md["u"] and (a.get("festival") or "day" in a):
                a["uninterpreted"] = md.group()
                q = md.end()
        return q

    def parse(self, p: int) -> Optional[tuple[int, int, dict]]:
        R, t = self.R, self.text
        a: dict[str, Any] = {}
        start = p
        lx = R["lx"]
        # the compounds tried first (_LEAD_RXS: 截至…, 每到…时, N年来, 连续N年, 不到几天, 今后三年, recurrences)
        # seldom start here: one regex for all of them says which to try (lead; none: ranked past them all)
        m = R["lead"].match(t, p)
        first = _RANK[m.lastgroup] if m else len(_LEAD_RXS)
        m = first <= _RANK["until"] and R["until"].match(t, p)
        if m:  # 截至6月底
            b: dict[str, Any] = {}
            q = self.date(m.end(), b)
            if q == m.end():  # 截至年底, 截至目前: a part of the year or now
                mp = R["sparts"].match(t, q)
                if mp:
                    b["part"] = lx["standalone_parts"][mp.group()]
                    q = mp.end()
            if q > m.end():
                b.setdefault("relation", "至")
                return start, q, b
        # 每到新生入学时
        m = first <= _RANK["rev"] and R["rev"].match(t, p)
        if m:
            a["recurrence"] = lx["recurring_events"][m["e"]]
            if m["s"] and m["s"] not in ("时",):
                a["relation"] = R["rel_map"].get(m["s"], m["s"])
            return start, m.end(), a
        # N年来 / 多年来 / 近几年来
        m = first <= _RANK["since"] and R["since"].match(t, p)
        if m:
            a["relation"] = "以来"
            if _GAP_RX.search(m["n"]):
                a["_gap"] = True
            return start, m.end(), a
        # 连续三年, 不到几天, 今后三年 (cont, fewdays, span: one of them may match when span may)
        m = first <= _RANK["span"] and (R["cont"].match(t, p) or R["fewdays"].match(t, p) or R["span"].match(t, p))
        if m:
            return start, m.end(), a
        q = p
        m = first <= _RANK["recur"] and R["recur"].match(t, q)
        if m:
            a["recurrence"] = lx["recurrences"][m.group()]
            q = m.end()
            if a["recurrence"] == "每周":
                mw = _WEEKDAY_AFTER.match(t, q)
                if mw:  # 每周三下午: the weekday has no field (每周一次 is a count)
                    a["uninterpreted"] = mw.group()
                    q = mw.end()
            if t.startswith("的", q):
                probe: dict[str, Any] = {"_fstart": q + 1}
                if self.date(q + 1, dict(probe)) > q + 1 or self.festival(q + 1, probe) > q + 1 \
                        or R["season"].match(t, q + 1):
                    q += 1
        q0 = q
        q = self.date(q, a)
        dated = q > q0
        if a.get("recurrence") == "每月" and not dated:
            md = R["day"].match(t, q)
            if md and _num(md["d"]):
                a["day"] = _num(md["d"])
                q = md.end()
                dated = True
        only_year = dated and "month" not in a and "day" not in a and "part" not in a
        if dated and not only_year and "month" in a:
            q = self._festival_after_date(q, a)
        if (not dated or only_year) and "part" not in a:
            a["_fstart"] = q
            q2 = self.festival(q, a)
            if q2 > q:
                q = q2
                mm = R["fmod"].match(t, q)
                if mm:
                    for k, v in lx["festival_modifiers"][mm["w"]].items():
                        a[k] = v
                    q = mm.end()
                if "relation" not in a:
                    q = self.relation(q, a)
                if not self.cue_ok(a, q, "relation" in a or bool(mm)):
                    # a name such as “八一”专栏: keep only what came before the cue
                    for k in ("festival", "relation", "uninterpreted", "season", "part", "_cue"):
                        a.pop(k, None)
                    if not dated and "recurrence" not in a:
                        return None
                    q = self.date(q0, {}) if dated else q0
                    if t[q - 1] == "的":
                        q -= 1
                return (start, q, a) if q > start else None
            ms = R["season"].match(t, q)
            if ms:
                w = ms.group()
                a["season"] = lx["seasons"][w]
                if w in lx.get("season_parts", {}):
                    a["part"] = lx["season_parts"][w]
                if w in lx.get("season_relations", {}):
                    a["relation"] = lx["season_relations"][w]
                q = ms.end()
                mt = R["season_tail"].match(t, q)
                if mt:
                    for k, v in lx["season_tails"][mt.group()].items():
                        a[k] = v
                    q = mt.end()
                if "relation" not in a:
                    q = self.relation(q, a)
                return start, q, a
        if a.get("recurrence") and not dated:
            mp = R["rpart"].match(t, q)
            if mp and a["recurrence"] in ("每年", "每季", "每月", "每周", "每学期", "每学年"):
                a["part"] = mp.group()
                q = self.relation(mp.end(), a)
                return start, q, a
            ms = R["sparts"].match(t, q)
            if ms:
                a["part"] = lx["standalone_parts"][ms.group()]
                q = self.relation(ms.end(), a)
                return start, q, a
            mh = R["holiday"].match(t, q)
            if mh:
                a["_holiday"] = True
                q = self.relation(mh.end(), a)
                return start, q, a
            return start, q, a
        if dated:
            q = self.relation(q, a)
            return start, q, a
        # anchors without a date (_ANCHOR_RXS; anchor_any says which to try)
        m = R["anchor_any"].match(t, p)
        if not m:
            return None
        first = _RANK[m.lastgroup]
        m = first <= _RANK["event"] and R["event"].match(t, p)
        if m:
            e = {"_event": True}
            q2 = self.relation(m.end(), e)
            if "relation" in e:
                a.update(relation=e["relation"], event=(m["e"] + (m["v"] or "")).replace("_", ""))
                if _GAP_RX.search(m["e"]):
                    a["_gap"] = True
                return start, q2, a
        m = first <= _RANK["campaign"] and R["campaign"].match(t, p)
        if m:
            q = m.end()
            if t[q:q + 1] in _QUOTES.values() and p > 0 and _QUOTES.get(t[p - 1]) == t[q]:
                start, q = p - 1, q + 1  # “安全生产月”: the quotes belong to the name
            q = self.relation(q, a)
            if "relation" in a or self._free_after(q):
                a["_campaign"] = True
                return start, q, a
            return None
        m = first <= _RANK["period"] and R["period"].match(t, p)
        if m:
            a["relation"] = R["period_rel"][m["r"]] if m["r"] else R["event_rel"][m["er"]]
            return start, m.end(), a
        m = first <= _RANK["since_anchor"] and R["since_anchor"].match(t, p)
        if m:
            a["relation"] = "以来"
            return start, m.end(), a
        m = first <= _RANK["quarter"] and R["quarter"].match(t, p)
        if m and (p == 0 or t[p - 1] not in "每一二三四第"):
            k = _num(m["q"]) or 1
            a.update(month=3 * k - 2, month_end=3 * k)
            return start, self.relation(m.end(), a), a
        m = first <= _RANK["shol"] and R["shol"].match(t, p)
        if m and (p == 0 or not _CJK.match(t[p - 1]) or t[p - 1] in "在于的是从到至和及与、"):
            a["relation"] = lx["short_holiday_relations"][m.group()]
            a["_holiday"] = True
            return start, m.end(), a
        m = first <= _RANK["srel"] and R["srel"].match(t, p)
        if m:  # 汛前: the season with its relation in one word
            a["season"], a["relation"] = lx["season_relation_words"][m.group()]
            return start, m.end(), a
        m = first <= _RANK["term"] and R["term"].match(t, p)
        if m and (p == 0 or not _CJK.match(t[p - 1]) or t[p - 1] in "在于是从到至和及与、"):
            a.update(lx["season_tails"][m.group()])  # 开学第一周,… (not 新学期开学…: found from 新学期)
            return start, m.end(), a
        m = first <= _RANK["relyear"] and R["relyear"].match(t, p)
        if m:
            b: dict[str, Any] = {}
            q = self.date(m.end(), b)
            if q == m.end():
                mq = R["quarter"].match(t, q)
                if mq:
                    k = _num(mq["q"]) or 1
                    b.update(month=3 * k - 2, month_end=3 * k)
                    q = mq.end()
            if q == m.end() and "year" not in b:
                b["_fstart"] = q
                q2 = self.festival(q, b)
                if q2 > q:
                    q2 = self.relation(q2, b)
                    if self.cue_ok(b, q2, "relation" in b):
                        q = q2
                    else:
                        b = {}
            if q == m.end():
                ms = R["season"].match(t, q)
                if ms:
                    b = {"season": lx["seasons"][ms.group()]}
                    q = ms.end()
            if q > m.end() and "year" not in b:
                a.update(b)
                a["_rel_year"] = lx["relative_years"][m.group()]
                if "relation" not in a:
                    q = self.relation(q, a)
                return start, q, a
        m = first <= _RANK["vague"] and R["vague"].match(t, p)
        if m and m.group() in lx["vague_adverbial"] and not R["adverbial_next"].match(t, m.end()):
            m = None  # 全年工作计划: attributive, not a time
        if m:
            q = m.end()
            mp = R["sparts"].match(t, q) or R["ypart"].match(t, q)
            if mp and m.group() in ("今年", "明年", "去年", "当年", "本年", "本年度"):
                w = mp.group()
                a["part"] = lx["standalone_parts"].get(w) or lx["year_parts"].get(w)
                q = mp.end()
            return start, self.relation(q, a), a
        m = first <= _RANK["sparts"] and R["sparts"].match(t, p)
        if m and not (m.group() == "年中" and (t[m.end():m.end() + 1] in R["mid_blockers"]
                                              or (p > 0 and t[p - 1].isdigit()))):  # 2023年中小学
            a["part"] = lx["standalone_parts"][m.group()]
            return start, self.relation(m.end(), a), a
        m = first <= _RANK["holiday"] and R["holiday"].match(t, p)
        if m:
            a["_holiday"] = True
            q = m.end()
            if t[q:q + 1] in _QUOTES.values() and p > 0 and _QUOTES.get(t[p - 1]) == t[q]:
                start, q = p - 1, q + 1  # “双节”期间: the quotes belong to the mention
            q = self.relation(q, a)
            if "relation" not in a and R["holiday_block"].match(t, q):
                return None
            return start, q, a
        return None


_FIELDS = ("year", "month", "day", "month_end", "day_end", "year_end", "festival", "part", "relation",
           "season", "recurrence", "event")


_FIELD_SET = frozenset(_FIELDS)
# the private attributes read after _finish (by _keep_campaigns, _share, _iso, the year loop): kept in this order
_KEPT_PRIVATE_ORDER = ("_rel_year", "_holiday", "_campaign", "_next_year_end")
_KEPT_PRIVATE = frozenset(_KEPT_PRIVATE_ORDER)


def _finish(attrs: dict) -> dict:
    out = {k: v for k, v in attrs.items() if k[0] != "_" and v is not None}
    if not _KEPT_PRIVATE.isdisjoint(attrs):  # (seldom)
        for k in _KEPT_PRIVATE_ORDER:
            if k in attrs:
                out[k] = attrs[k]
    if attrs.get("_gap"):
        out["placeholder"] = True
    if _FIELD_SET.isdisjoint(out) and not out.get("placeholder"):
        out["vague"] = True
    return out


# ------------------------------------------------------------------ iso

@memo(4096)
def _festival_date(fest: str, year: int) -> Optional[datetime.date]:
    f = _R()["fest_info"].get(fest)
    if not f:
        return None
    try:
        if f.get("date"):
            mm, dd = f["date"].split("-")
            return datetime.date(year, int(mm), int(dd))
        if f.get("lunar"):
            import lunardate

            ld = lunardate.LunarDate(year, int(f["lunar"][0]), int(f["lunar"][1]))
            return ld.to_solar_date() if hasattr(ld, "to_solar_date") else ld.toSolarDate()
        rule = f.get("rule")
        if rule == "qingming":
            y = year % 100
            day = int(y * 0.2422 + 4.81) - (y - 1) // 4 if year >= 2001 else int(y * 0.2422 + 5.59) - (y - 1) // 4
            return datetime.date(year, 4, day)
        if rule == "eve":
            import lunardate

            ld = lunardate.LunarDate(year, 1, 1)
            d = ld.to_solar_date() if hasattr(ld, "to_solar_date") else ld.toSolarDate()
            return d - datetime.timedelta(days=1)
        if isinstance(rule, list) and rule and rule[0] == "nth_weekday":
            _, month, nth, wd = rule
            first = datetime.date(year, month, 1)
            off = (wd - first.weekday()) % 7
            return first + datetime.timedelta(days=off + 7 * (nth - 1))
    except Exception:
        return None
    return None


_PART_DAYS = {"上中旬": (1, 20), "中下旬": (11, 31), "上旬": (1, 10), "初": (1, 10), "中旬": (11, 20), "中": (11, 20), "下旬": (21, 31), "底": (21, 31),
              "末": (21, 31)}


def _iso(a: dict, year: Optional[int]) -> Optional[str]:
    if a.get("recurrence") or a.get("vague") or a.get("placeholder") or a.get("season") or a.get("event"):
        return None
    rel = a.get("relation")
    if rel in ("前", "后", "以来", "至今"):
        return None
    y = a.get("year", year)
    if y is None:
        return None
    try:
        if a.get("festival"):
            d = _festival_date(a["festival"], y)
            if d is None:
                return None
            if rel == "前夕":
                d -= datetime.timedelta(days=1)
            return d.isoformat()
        if rel == "前夕":
            return None
        mo = a.get("month")
        if mo is None:
            part = a.get("part")
            if part == "上半年":
                return f"{y:04d}-01/{y:04d}-06"
            if part == "下半年":
                return f"{y:04d}-07/{y:04d}-12"
            if part:
                return None
            if a.get("year_end"):
                return f"{y:04d}/{a['year_end']:04d}"
            return f"{y:04d}" if "year" in a else None
        last = lambda yy, mm: calendar.monthrange(yy, mm)[1]  # noqa: E731
        y2 = a.get("year_end", y + 1 if a.get("_next_year_end") else y)
        mo2 = a.get("month_end")
        if a.get("day") is not None:
            first = datetime.date(y, mo, a["day"])
            if a.get("day_end") is not None:
                second = datetime.date(y2, mo2 or mo, a["day_end"])
                return f"{first.isoformat()}/{second.isoformat()}"
            return first.isoformat()
        part = a.get("part")
        if mo2 is not None:
            if part or a.get("part_end"):
                d1 = _PART_DAYS.get(part, (1, 1))[0]
                pe = _PART_DAYS.get(a.get("part_end"), (31, 31))[1]
                return f"{datetime.date(y, mo, d1).isoformat()}/" \
                       f"{datetime.date(y2, mo2, min(pe, last(y2, mo2))).isoformat()}"
            return f"{y:04d}-{mo:02d}/{y2:04d}-{mo2:02d}"
        if part in _PART_DAYS:
            d1, d2 = _PART_DAYS[part]
            return f"{datetime.date(y, mo, d1).isoformat()}/{datetime.date(y, mo, min(d2, last(y, mo))).isoformat()}"
        return f"{y:04d}-{mo:02d}"
    except (ValueError, OverflowError):
        return None


# ------------------------------------------------------------------ lists

_LIST_SEP = re.compile(r"^[_“”‘’「」『』\"\s]*(?:、|和|及|与|或|以及|、和|、及|，和)?[_“”‘’「」『』\"\s]*$")
_LIST_WORD = re.compile(r"[、和及与或]")
_ETC_SEP = re.compile(r"^[_“”‘’「」『』\"\s]*等[一-龥]{0,4}$")  # 春节、八一等重要节日期间
_SHARE_REL = {"前", "前夕", "期间", "之际", "前后", "后", "时", "当天"}


def _listed(a: Span, b: Span, text: str) -> bool:
    """``a`` and ``b`` (in this order) are members of one coordination (元旦、春节、“双拥”月和…)."""
    between = text[a.end:b.start]
    return bool(_LIST_SEP.match(between)) and bool(_LIST_WORD.search(between))


def _keep_campaigns(spans: list[Span], text: str) -> list[Span]:
    """A campaign month/week (“双拥”月) is a time only as an occasion: with a relation or listed with
    festivals (元旦、春节、“双拥”月和“八一”建军节); alone it names the campaign (“安全生产月”宣传)."""
    out = []
    for i, sp in enumerate(spans):
        if sp.attrs.get("_campaign") and not sp.attrs.get("relation"):
            nb = [spans[k] for k in (i - 1, i + 1) if 0 <= k < len(spans)]
            ok = any((n.attrs.get("festival") or n.attrs.get("_campaign"))
                     and (_listed(n, sp, text) if n.start < sp.start else _listed(sp, n, text)) for n in nb)
            if not ok:
                continue
        out.append(sp)
    return out


_DATE_SHARE_REL = frozenset(("前", "以前", "之前", "后", "以后"))


def _share_back(spans: list[Span], i: int, member, text: str, etc: Optional[re.Pattern] = None) -> None:
    """Give ``spans[i]``'s relation to the list members before it: each span for which ``member``
    holds, without a relation of its own, separated from the next by a list separator (or, right
    before ``spans[i]``, by ``etc``: 春节、八一等重要节日期间)."""
    rel = spans[i].attrs["relation"]
    j = i
    while j > 0:
        prev = spans[j - 1]
        if not member(prev) or prev.attrs.get("relation"):
            break
        between = text[prev.end:spans[j].start]
        if not _LIST_SEP.match(between) and not (j == i and etc is not None and etc.match(between)):
            break
        prev.attrs["relation"] = rel
        j -= 1


def _dated(sp: Span) -> bool:
    """A date to the day or to a part of a month (a deadline's member in a list)."""
    return "day" in sp.attrs or ("part" in sp.attrs and "month" in sp.attrs)


def _share(spans: list[Span], text: str) -> None:
    """Coordinated lists: the relation at the end goes back to each member; 每逢 goes forward."""
    for i in range(len(spans) - 1, 0, -1):  # dates: 6月20日、12月20日前, 6月底、12月底前 (each a deadline)
        cur = spans[i]
        if cur.attrs.get("relation") in _DATE_SHARE_REL and _dated(cur):
            _share_back(spans, i, _dated, text)
    for i in range(len(spans) - 1, 0, -1):  # festivals: 春节、端午、中秋期间
        cur = spans[i]
        if cur.attrs.get("relation") in _SHARE_REL and (cur.attrs.get("festival") or cur.attrs.get("event")
                                                         or cur.attrs.get("_holiday")):
            _share_back(spans, i, lambda sp: sp.attrs.get("festival"), text,
                        _ETC_SEP if cur.attrs.get("_holiday") else None)
    R = _R()
    # members that are only times in the list: 高考、中考期间 -> 高考 (期间)
    extra = []
    for i, sp in enumerate(spans):
        rel = sp.attrs.get("relation")
        if rel not in ("期间", "之际", "前夕") or sp.attrs.get("festival") or sp.attrs.get("recurrence"):
            continue
        lo = spans[i - 1].end if i > 0 else 0
        e = sp.start
        while True:
            m = R["list_member"].search(text, max(lo, e - 12), e)
            if not m or m.start() < lo:
                break
            extra.append(Span(m.start("w"), m.end("w"), "times", {"relation": rel}))
            e = m.start("w")
    if extra:
        spans.extend(extra)
        spans.sort(key=lambda x: x.start)
    for i, sp in enumerate(spans):
        if not sp.attrs.get("festival"):
            continue
        if not sp.attrs.get("recurrence"):
            before = text[max(0, sp.start - 4):sp.start]
            if not R["fest_prefix"].search(before):
                continue
            sp.attrs["recurrence"] = "每年"
        k = i + 1
        while k < len(spans) and spans[k].attrs.get("festival") and not spans[k].attrs.get("recurrence") \
                and _LIST_SEP.match(text[spans[k - 1].end:spans[k].start]):
            spans[k].attrs["recurrence"] = sp.attrs["recurrence"]
            k += 1


# the part of a day after a date (7月28日上午, 8月1日晚): the time's part
_DAY_PART = re.compile(r"(?:上午|下午|晚上|中午|早上|凌晨|傍晚|全天|晚)(?![会间饭餐])")
# 9月第三个星期六(全民国防教育日): an ordinal weekday of the month before a commemoration day
_WEEKDAY_ORDINAL = re.compile(r"第[一二三四五1-5]个(?:星期|周|礼拜)[一二三四五六日天]")
# seasons that a stated month range may carry (6月至8月汛期); 春/夏/寒假 … do not follow a month so
_SEASONS_AFTER_DATE = frozenset(["汛期", "主汛期", "暑期", "暑假", "寒假", "毕业季"])


# ------------------------------------------------------------------ extract

def extract(ctx: Ctx) -> list[Span]:
    R = _R()
    text = ctx.text
    P = _Parser(text)
    found: list[tuple[int, int, dict]] = []
    # the candidate starts (see R["cands"]) are looked for from where the last mention ends, never
    # inside one (a whole-text scan would check the starts inside every mention too)
    find = R["cands"].search
    qijian = [m.start() - 2 for m in R["start_qijian"].finditer(text)]  # in order
    n = len(text)
    pos = 0
    m = find(text)
    while True:
        if m is not None and m.start() < pos:
            m = find(text, pos)
        k = bisect.bisect_left(qijian, pos)
        s = min(m.start() if m is not None else n, qijian[k] if k < len(qijian) else n)
        if s == n:
            break
        r = None
        try:
            r = P.parse(s)
        except (IndexError, KeyError, ValueError, TypeError):
            r = None
        if r is None or r[1] <= r[0]:
            # "XX期间" fallback: two characters before 期间
            if text.startswith("期间", s + 2) and text[s] not in R["fb_block"] and _CJK.match(text[s]):
                found.append((s, s + 4, {"relation": "期间"}))
                pos = s + 4
                continue
            pos = s + 1
            continue
        found.append(r)
        pos = r[1]
    # table cells under a 时间/日期 column: "7.25", "7.25-8.1", "8.1前"
    if ctx.cells:
        hdr = R["cell_hdr"]
        taken = [(s, e) for s, e, _ in found]
        for (cs, ce, _tb, _r, _c, header) in ctx.cells:
            if not header or not hdr.search(str(header)):
                continue
            cell = text[cs:ce]
            mw = _WEEK_CELL.fullmatch(cell.strip())
            if mw:  # a 周次 cell: the week of the plan's period (第一周, 第3-4周) settles no field
                k = cs + cell.index(mw.group())
                if not any(s < k + len(mw.group()) and k < e for s, e in taken):
                    found.append((k, k + len(mw.group()), {"vague": True}))
                continue
            rest = R["celldate"].sub("", cell)
            if len(cell) > 30 or len(rest.strip()) > 6 or re.search(r"\d", rest):
                continue  # a prose cell (a merged 备注 line), not a time cell
            for m in R["celldate"].finditer(text, cs, ce):
                if any(s < m.end() and m.start() < e for s, e in taken):
                    continue
                a: dict[str, Any] = {"month": int(m["m"]), "day": int(m["d"])}
                if m["d2"]:
                    if m["m2"]:
                        a["month_end"] = int(m["m2"])
                    a["day_end"] = int(m["d2"])
                end = P.relation(m.end(), a)
                found.append((m.start(), end, a))
        found.sort(key=lambda x: x[0])
    # drop a trailing "_" that no relation follows
    gaps = sorted((g.start, g.end) for g in ctx.layers.get("placeholders", []) or [])
    gstarts = [g[0] for g in gaps]
    spans: list[Span] = []
    for s, e, a in found:
        while e > s and text[e - 1] == "_" and not (e - 2 >= s and text[e - 2] == "_"):
            e -= 1
        if e <= s:
            continue
        attrs = _finish(a)
        k = bisect.bisect_left(gstarts, e)
        if gaps and any(gs < e and s < ge for gs, ge in gaps[max(0, k - 3):k]):
            attrs["placeholder"] = True
            attrs.pop("vague", None)
        spans.append(Span(s, e, "times", attrs))
    spans = _keep_campaigns(spans, text)
    _share(spans, text)
    # iso: own year, else the latest explicit year earlier in the sentence, else the plan's year
    # (a mention's plan is that of the mention before while it contains its start: structure.build makes
    # the plans disjoint; most mentions share their plan, few their sentence)
    last_year: dict[tuple, int] = {}
    plan = None
    for sp in spans:
        pos = sp.start
        sent = ctx.sentence_of(pos) if ctx.sentences else None
        key = sent or (-1, -1)
        ctx_year = last_year.get(key)
        if ctx_year is None or "_rel_year" in sp.attrs:
            if plan is None or not plan.start <= pos < plan.end:
                plan = ctx.plan_of(pos) if ctx.plans else None
            ctx_year = getattr(plan, "year", None)
        if "_rel_year" in sp.attrs:
            off = sp.attrs.pop("_rel_year")
            ctx_year = ctx_year + off if ctx_year is not None else None
        iso = _iso(sp.attrs, ctx_year)
        if iso:
            sp.attrs["iso"] = iso
        if sp.attrs.get("year") and not sp.attrs.get("recurrence"):
            last_year[key] = sp.attrs["year"]
    return spans

