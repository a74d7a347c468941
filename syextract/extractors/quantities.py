"""Counts and amounts: a number (Arabic, Chinese, mixed, approximate or a template gap) with its unit.

``25名烈属`` -> value 25, unit 名, of 烈属; ``1.2万元`` -> value 12000, unit 元;
``近百万元`` -> value 1000000, approx; ``多期`` -> value null, approx, unit 期;
``\\_\\_\\_期`` -> value null, placeholder; ``3-5名`` -> value 3, value_end 5;
``200元/人`` / ``每人500元`` -> per 人; ``不少于30个`` -> bound 不少于.

How it works: one regex (built from ``lexicons/units.yaml``) finds
[approx prefix] number [range] [余/多/来] unit [左右] on a working copy of the
text in which template gaps (the ``placeholders`` layer) read as one sentinel
character and time expressions (the ``times`` layer) are blotted out, so a
year or a date can never be a count. Each candidate is then vetted (ordinals,
slogans such as 一助一 / 四个意识, idioms such as 一件大事 / 一份力,
predicative 作为一项重要工作, labels in quotes or 《》, vague counts pointing at
an enumeration such as 以下几个方面, classifiers that begin a longer word such
as 十一期间) and given its attributes. What is counted (``of``) is the noun
phrase after the classifier (25名烈属) or, when nothing nominal follows, the
one before the number (热水器一台, 现役军人89人); it is read off the jieba
tokens the pipeline already made, with jieba's dictionary tags telling nouns
from verbs. Numbers are parsed by a small positional parser over the isolated
number span only (never over whole text).
"""
from __future__ import annotations

import bisect
import json
import re
import string
from itertools import starmap
from operator import attrgetter, itemgetter, lt
from typing import Iterator, NamedTuple, Optional

from .base import Ctx, Intervals, Span, alternation, jieba_tags, led_by_class, lexicon, memo, remove_overlaps

GAP = "\ue000"     # a template gap in the working copy
BLOT = "\ue001"    # a time expression in the working copy
_HARD_STOP = set(",.;:!?。，；：！？()[]{}（）【】<>《》\n\t|/\\")
_QUOTES = set("“”\"'‘’「」『』_*")
_QUOTE_CHARS = "".join(sorted(_QUOTES))  # for str.strip: w.strip(_QUOTE_CHARS) == "" when w is all quotes
_CJK = re.compile(r"[\u4e00-\u9fff]")
_NUMBER_TOKEN = re.compile(r"\d[\d,]*(?:\.\d+)?|.")
_LAST_CLAUSE_BREAK = re.compile(r"(?s:.*)[,.;:!?。，；：！？\n]")  # greedy: up to the last break
_DIGIT = re.compile(r"\d")
_LATIN = frozenset(string.ascii_letters)
_ARABIC_BEFORE = _LATIN | frozenset(string.digits + "/#@.-")  # what makes an Arabic number part of a code
_PER_SLASH = re.compile(r"/([\u4e00-\u9fff]{1,3})")

_START = itemgetter(0)  # a token's start (the bisect key)
_SPAN = attrgetter("start", "end")  # a Span's offsets

_S: Optional[dict] = None
_TAGS: Optional[dict] = None


# ---------------------------------------------------------------- set-up

def _setup() -> dict:
    lx = lexicon("units")
    # the working copy blots the times out with BLOT, which no word of the lexicon holds: so no match of
    # the regexes built from it holds one, and ``extract`` need not test that a count is clear of a time
    assert BLOT not in json.dumps(lx, ensure_ascii=False), "a word of lexicons/units.yaml holds BLOT"
    kinds: dict[str, str] = {}
    for kind, words in lx["units"].items():
        for w in words:
            kinds[str(w)] = kind
    for w in ("万元", "亿元", "千元", "百元"):
        kinds.setdefault(w, "money")
    cn_chars = "".join(lx["digits"]) + "".join(lx["multipliers"]) + "".join(lx["vague_digits"])
    arabic = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    # each Arabic number takes its whole digit run ((?!\d)): otherwise (?:\d+)+ backtracks
    # exponentially on a long run of digits with no unit after it (an ID or phone number)
    # (a vague 数/几 never stands before an Arabic number: 任务数12人 is 12人 after the noun 任务数)
    core = r"(?:%s(?!\d)|[%s]|[%s](?!\d))+" % (
        arabic, re.escape("".join(lx["digits"]) + "".join(lx["multipliers"])), re.escape("".join(lx["vague_digits"])))
    num = r"(?:%s|%s+)" % (core, GAP)
    seps = alternation(lx["range_separators"])
    units = alternation(kinds, single_class=True)
    main = re.compile(
        r"(?P<pre>%s)?(?P<num>%s)(?:(?P<sep>%s)(?P<num2>%s))?(?P<inf>[%s])?(?P<unit>%s)(?P<post>%s)?"
        % (alternation(lx["approx_prefix"]), num, seps, num, "".join(lx["approx_infix"]), units,
           alternation(lx["approx_suffix"])))
    # the characters a match of ``main`` can begin with: an approximation prefix or a number (an Arabic
    # digit, a Chinese numeral or a gap). ``main`` is tried only there: searching with it would try it
    # at every position, since it opens with an optional group
    first = r"[\d%s]" % re.escape(
        "".join(sorted(set(cn_chars) | {GAP} | {w[0] for w in lx["approx_prefix"]})))
    # ``main`` led by that class: one character where a match of ``main`` begins, its groups (named as
    # in ``main``, and "m" for the whole match) captured in a lookahead. A search with it skips in C
    # to the next first character and tries ``main`` there, where a Python loop over the first
    # characters called ``main.match`` at each (most fail: 二〇二三年, 一是, 三、)
    main_led = re.compile(led_by_class(first[1:-1], "(?P<m>%s)" % main.pattern))
    percent_rx = re.compile(r"百分之(?P<num>%s)" % core)
    bare = {}
    for word, us in lx["vague_bare_units"].items():
        bare[word] = set(us)
    # the lookbehind comes after 多 (checking the character before it) so that the engine can jump
    # from one 多 to the next
    bare_rx = re.compile(r"(?P<num>多)(?<![%s]多)(?P<unit>%s)" % (
        re.escape(lx["multi_word_before"] + "".join(lx["digits"]) + "".join(lx["multipliers"])
                  + "".join(lx["vague_digits"]) + "0123456789"),
        alternation(lx["vague_bare_units"]["多"])))
    quoted = re.compile(r"“[^”\n]{1,16}”|\"[^\"\n]{1,16}\"|《[^》\n]{1,60}》|「[^」\n]{1,16}」|『[^』\n]{1,16}』"
                        r"|‘[^’\n]{1,16}’|〔[^〕\n]{1,8}〕|\[[^\]\n]{1,8}\]")
    return {
        "lx": lx,
        "kinds": kinds,
        "main": main,
        "main_led": main_led,
        "bare": bare_rx,
        "percent": percent_rx,
        "range_seps": set(lx["range_separators"]),
        "yuan": re.compile(r"[￥¥](?P<num>%s)(?![\d.])" % arabic),
        "web_label": re.compile(r"(?:%s)\s*[:：]?\s*$" % alternation(lx["web_labels"])),
        # the characters a label can end with before a count: a label's last or a colon (a space, and
        # the line break $ also matches before, are tested apart with isspace). Last characters are
        # written from the words by hand: base reads a pattern's first characters only
        "web_label_last": {w[-1] for w in lx["web_labels"]} | {":", "："},
        "bare_units": bare,
        "quoted": quoted,
        "excluded": re.compile(alternation(lx["excluded_phrases"])),
        "digits": {k: v for k, v in lx["digits"].items()},
        "digits_but_one": set(lx["digits"]) - {"一"},  # (a number between 每 and the amount: not a rate)
        "mult": {k: v for k, v in lx["multipliers"].items()},
        "vague": set(lx["vague_digits"]),
        "pairs": set(lx["approx_pairs"]),
        "bound_pre": re.compile(r"(?:%s)$" % alternation(lx["bound_prefix"])),
        "bound_pre_last": {w[-1] for w in lx["bound_prefix"]} | {"\n"},  # ($ also matches before a line break)
        "bound_post": re.compile(r"(?:%s)" % alternation(lx["bound_suffix"])),
        "bound_post_first": {w[0] for w in lx["bound_suffix"]},
        "pred_pre": re.compile(r"(?:%s)[^,.;:!?。；：！？\n]*$" % alternation(
            [t for t in lx["predicative_triggers"] if t != "是"])),
        "pred_shi": re.compile(r"是(?:[^,.;:!?。；：！？\n是]{0,16}的)?$"),
        "per_pre": re.compile(r"(?:%s)" % alternation(lx["per_prefix"])),
        "per_time": re.compile(r"(?:%s)" % alternation(lx["per_time_excluded"])),
        "vague_before": re.compile(r"(?:%s)$" % alternation(lx["vague_excluded_before"])),
        "of_excluded": set(lx["of_excluded"]),
        "of_excluded_endings": tuple(lx["of_excluded_endings"]),
        "of_stop": set(lx["of_stop_words"]),
        "of_verb_leads": frozenset(lx["of_verb_leads"]),
        "person_units": set(lx["person_units"]),
        "event_units": set(lx["event_units"]),
        "of_noun_tail": list(lx["of_noun_tail_words"]),
        "of_noun_tail_any": tuple(lx["of_noun_tail_words"]),  # for one str.endswith test of them all
        "conj": tuple(lx["conjunctions"]),
        "of_lead": set(lx["of_leading_prepositions"]),
        "per_fixed": dict(lx["per_fixed"]),
        "per_copulas": set(lx["per_copulas"]),
        "prefix_blocked": dict(lx["approx_prefix_blocked_after"]),
        "of_scope": set(lx["of_scope_words"]),
        "org_suffix": tuple(sorted(lx["org_suffixes"], key=len, reverse=True)),
        # the words always taken as counted nouns, the suffixes as words too: one set look-up
        "listed_nouns": frozenset(lx["of_noun_words"]) | frozenset(lx["org_suffixes"]),
        "vague_heads": tuple(lx["vague_excluded_heads"]),
        "needs_noun": {k: tuple(v) for k, v in lx["needs_noun"].items()},
        "one_before": lx["one_excluded_before"],
        "num_before": lx["number_excluded_before"],
        "arabic_before": set(lx["arabic_excluded_before"]) | _ARABIC_BEFORE,
        "names": lx["unit_names"],
        "factor": lx["unit_factor"],
        "pred_units": set(lx["predicative_units"]),
        "cn_chars": set(cn_chars),
    }


def _tags() -> dict:
    global _TAGS
    if _TAGS is None:
        _TAGS = jieba_tags()
    return _TAGS


@memo(65536)
def _tag(word: str) -> Optional[str]:
    """``_tags().get(word)``, memoised (the table is fixed; a look-up asks rjieba's dictionary)."""
    return _tags().get(word)


# ---------------------------------------------------------------- numbers

def parse_number(s: str, S: Optional[dict] = None):
    """Value of an isolated number span: 25, 二十五, 1.2万, 一万二, 1万8,000, 百万. None if vague/invalid."""
    S = S or _state()
    digits, mult = S["digits"], S["mult"]
    if not s or any(c in S["vague"] for c in s):
        return None
    toks = _NUMBER_TOKEN.findall(s)
    total = 0.0
    section = 0.0
    current: Optional[float] = None
    last_unit = 0
    after_mult = False      # the previous token was a multiplier (for 一万二 = 12000)
    zero_seen = False
    abbreviable = False
    for t in toks:
        if t[0].isdigit():
            if current is not None:
                return None
            current = float(t.replace(",", ""))
            abbreviable = after_mult and not zero_seen and len(t) == 1
            after_mult = False
        elif t in digits:
            if digits[t] == 0:
                zero_seen = True
                after_mult = False
                continue
            if current is not None:
                return None
            current = float(digits[t])
            abbreviable = after_mult and not zero_seen
            after_mult = False
        elif t in mult:
            u = mult[t]
            if u >= 10000:
                section += current if current is not None else 0.0
                if section == 0:
                    section = 1.0
                if u > 10000:
                    total = (total + section) * u
                else:
                    total += section * u
                section = 0.0
            else:
                section += (current if current is not None else 1.0) * u
            current = None
            last_unit = u
            after_mult = True
            zero_seen = False
            abbreviable = False
        else:
            return None
    if current is not None:
        if abbreviable and last_unit >= 100:
            current *= last_unit / 10
        section += current
    value = total + section
    if value == int(value):
        return int(value)
    return round(value, 6)


@memo(8192)
def _value(s: str):
    """:func:`parse_number` with the lexicon's state, memoised (the value depends on the string and the
    lexicon, which never changes within a process: see :func:`base.lexicon`)."""
    return parse_number(s, _state())


def _state() -> dict:
    global _S
    if _S is None:
        _S = _setup()
    return _S


# ---------------------------------------------------------------- tokens

class _Tokens:
    def __init__(self, ctx: Ctx):
        self.text = ctx.text
        toks = ctx.tokens or []
        # empty tokens are dropped (checked in C: the usual case copies nothing), unless the context
        # knows this list holds none (the pipeline's: a check reads every token)
        if ctx.nonempty_tokens is not toks and not all(starmap(lt, toks)):
            toks = [t for t in toks if t[1] > t[0]]
        if not toks:  # a context without a tokenizer: one token per character
            toks = [(i, i + 1) for i in range(len(ctx.text))]
        self.toks = toks
        # the starts for bisect: the context's (shared with organizations) when the tokens are its own
        self.starts = ctx.token_starts() if toks is ctx.tokens else list(map(_START, toks))

    def index_at(self, pos: int) -> int:
        """Index of the token containing ``pos`` (or the first after it)."""
        i = bisect.bisect_right(self.starts, pos) - 1
        if i < 0:
            return 0
        if self.toks[i][1] <= pos:
            return i + 1
        return i

    def word(self, i: int) -> str:
        s, e = self.toks[i]
        return self.text[s:e]

    def first_end(self, pos: int) -> Optional[int]:
        """Where the first token :meth:`forward` yields from ``pos`` ends (None when there is none)."""
        i = self.index_at(pos)
        if i >= len(self.toks):
            return None
        s, e = self.toks[i]
        return e if s <= pos else s  # (the token holding ``pos``, cut there, or the space before the next)

    # forward and backward yield their tokens one at a time: a caller reads one to three of them
    # (a noun, then a stop), so building the whole list of 16 (or 10) was mostly wasted

    def forward(self, pos: int) -> Iterator[tuple[int, int]]:
        """Tokens from ``pos`` on (a token straddling ``pos`` is cut there), at most 16 (17 when a gap
        comes last). Spaces the tokenizer kept as trailing whitespace come back as tokens of their own."""
        i = self.index_at(pos)
        toks = self.toks
        n = len(toks)
        count = 0
        cur = pos
        if i < n and toks[i][0] < pos:
            yield pos, toks[i][1]
            count = 1
            cur = toks[i][1]
            i += 1
        while i < n and count < 16:
            s, e = toks[i]
            if s > cur:
                yield cur, s
                count += 1
            yield s, e
            count += 1
            cur = e
            i += 1

    def backward(self, pos: int) -> Iterator[tuple[int, int]]:
        """Tokens ending at or before ``pos``, nearest first (a straddling token is cut at ``pos``),
        at most 10 (11 when a gap comes last)."""
        i = self.index_at(pos)
        toks = self.toks
        count = 0
        cur = pos
        if i < len(toks) and toks[i][0] < pos < toks[i][1]:
            yield toks[i][0], pos
            count = 1
            cur = toks[i][0]
        j = i - 1
        while j >= 0 and count < 10:
            s, e = toks[j]
            if e < cur:
                yield e, cur
                count += 1
            yield s, e
            count += 1
            cur = s
            j -= 1


# word classes: pure functions of the word (the lexicon and jieba's tags are fixed), memoised

@memo(65536)
def _nounish(word: str) -> bool:
    S = _state()
    if word in S["listed_nouns"]:
        return True
    if word in S["of_stop"]:
        return False
    tag = _tag(word)
    if tag is None:
        return bool(_CJK.search(word)) and not word.endswith("的") and not (
            len(word) >= 2 and word[0] in S["of_verb_leads"])  # 到市: a verb and its goal
    if tag in ("i", "l") and len(word) == 4:  # 安全事故 (tagged as a set phrase)
        return (_tag(word[2:]) or "x")[0] == "n"
    return tag[0] in "nj" or tag in ("vn", "an", "nz", "ng", "g", "s") or (len(word) == 1 and tag == "zg")


@memo(65536)
def _modifier(word: str) -> bool:
    tag = _tag(word)
    return tag is not None and tag[0] in "abz"


# the kinds of token :func:`_of_forward` and :func:`_of_backward` tell apart before reading a word
_QUOTES_ONLY, _SPACE, _CONJ, _STOP, _DE, _WORD = range(6)


@memo(65536)
def _fwd_kind(word: str) -> int:
    """The first of these a token is, in :func:`_of_forward`'s order: only quotes, a space, a number
    (_STOP), a conjunction, a stop mark, 的 (or a word ending in it, 之, 等), a word."""
    if not word.strip(_QUOTE_CHARS):
        return _QUOTES_ONLY
    if word.isspace():
        return _SPACE
    S = _state()
    if word[0].isdigit() or word[0] in S["cn_chars"] and _value(word) is not None:
        return _STOP
    if word in S["conj"]:
        return _CONJ
    if word in _HARD_STOP:
        return _STOP
    if word == "的" or word.endswith("的") or word in ("之", "等", "等等"):
        return _DE
    return _WORD


def _back_kind(word: str) -> int:
    """How :func:`_of_backward` takes a token: skipped or ending a quoted title (_QUOTES_ONLY), ending
    the noun phrase (_STOP: a space, a stop mark or word, a conjunction, 的/等/等等, a number, a scope
    word), or read (_WORD). The forward kinds, read backwards. (Asked only by :func:`_back_word`, which
    memoises it.)"""
    kind = _fwd_kind(word)
    if kind == _QUOTES_ONLY:
        return _QUOTES_ONLY
    S = _state()
    if kind not in (_DE, _WORD) or word in ("的", "等", "等等") or word in S["of_scope"] or word in S["of_stop"]:
        return _STOP
    return _WORD


class _BackWord(NamedTuple):
    """What :func:`_of_backward` asks of a token (:func:`_back_word`)."""
    kind: int            # :func:`_back_kind`
    orgish: bool         # names an organisation (ends the phrase before it)
    event_verb: bool     # names an event by verbs (文艺慰问演出)
    nounish: bool        # can be the head
    lead: bool           # can begin the phrase (nounish or a modifier)
    joins: bool          # joins the phrase before a count of something else
    joins_person: bool   # joins the phrase before a count of people


@memo(65536)
def _back_word(word: str) -> _BackWord:
    """What :func:`_of_backward` asks of a token, in one memoised look-up."""
    S = _state()
    tag = _tag(word)
    event_verb = tag is not None and len(word) >= 2 and (
        tag[0] == "v" or (tag in ("l", "i") and (_tag(word[2:]) or "x")[0] in "vn"))
    nounish = _nounish(word)
    lead = nounish or _modifier(word)
    listed = word in S["listed_nouns"]
    return _BackWord(
        kind=_back_kind(word),
        orgish=tag == "nt" or (len(word) >= 2 and word.endswith(S["org_suffix"])),
        event_verb=event_verb,
        nounish=nounish,
        lead=lead,
        joins=listed or (tag is not None and lead),
        joins_person=listed or (tag is not None and tag != "vn" and lead))


@memo(8192)
def _clean(s: str) -> str:
    return "".join(c for c in s if c not in _QUOTES and not c.isspace()).strip()


_OPEN_CLOSE = {"“": "”", "\"": "\"", "‘": "’", "「": "」", "『": "』", "_": "_", "《": "》"}


def _quoted_at(text: str, pos: int) -> Optional[tuple[int, int]]:
    """(content start, end after the closing mark) of a quoted name opening at ``pos``."""
    close = _OPEN_CLOSE.get(text[pos:pos + 1])
    if not close:
        return None
    k = text.find(close, pos + 1, pos + 24)
    if k <= pos + 1 or "\n" in text[pos:k]:
        return None
    return pos + 1, k + 1


_REST_STOP = re.compile(r"[,.;:!?。，；：！？\d]|\n+")


def _rest(text: str, pos: int, n: int = 48) -> str:
    """Text from ``pos`` to the end of its phrase (punctuation, a digit, or a real line break)."""
    seg = text[pos:pos + n]
    for m in _REST_STOP.finditer(seg):
        if m.group(0)[0] == "\n":
            a, b = pos + m.start(), pos + m.end()
            if a > 0 and _CJK.match(text[a - 1]) and b < len(text) and _CJK.match(text[b]):
                continue  # a paragraph broken inside a phrase
        return seg[:m.start()]
    return seg


def _of_forward(T: _Tokens, pos: int, S: dict) -> Optional[str]:
    """The noun phrase after a classifier: 25名[烈属], 一条宽宽的[水泥路], 多期有…等方面的[讲座]."""
    text = T.text
    # a quoted name right after the classifier: 一支“军民合唱团”, 一场_军民渔水情深_座谈会
    q = _quoted_at(text, pos)
    if q:
        inner = _clean(text[q[0]:q[1] - 1])
        after = _of_forward(T, q[1], S) if q[1] < len(text) and _CJK.match(text[q[1]]) else None
        return after or ((inner, q[0], q[1] - 1) if inner else None)
    # most counts are followed by a mark or a number: nothing to read, and no walk over the tokens
    first_end = T.first_end(pos)
    if first_end is None or _fwd_kind(text[pos:first_end]) == _STOP:
        return None
    toks = T.forward(pos)
    nxt = next(toks, None)  # the token after the current one (a look-ahead: 在乡老复员军人)
    collected: list[tuple[int, int]] = []
    seen_noun = False
    jumped = False
    while nxt is not None:
        s, e = nxt
        w = text[s:e]
        nxt = next(toks, None)
        kind = _fwd_kind(w)
        if kind == _QUOTES_ONLY:
            continue
        if kind == _SPACE:
            before = text[s - 1] if s > 0 else ""
            after = text[e] if e < len(text) else ""
            if _CJK.match(before or " ") and _CJK.match(after or " ") and collected and not seen_noun:
                continue  # a paragraph broken inside a phrase (一批拥\n\n军优属…的先进典型)
            break
        if kind == _CONJ:
            # 拥军优属、拥政爱民的先进典型: a coordinated modifier; jump past its last 的
            rest = _rest(text, e, 40)
            k = rest.rfind("的")
            if k >= 0:
                toks = T.forward(e + k + 1)
                nxt = next(toks, None)
                collected, seen_noun = [], False
                continue
            break
        if kind == _STOP:
            break
        if kind == _DE:
            if seen_noun and w in ("的", "之"):
                break  # 三四个社区的场地问题: the count goes with the possessor
            collected, seen_noun = [], False
            continue
        if _nounish(w) and not (seen_noun and len(w) <= 2 and _tag(w) is None
                                   and w not in S["listed_nouns"]):
            if w in S["of_scope"] and not seen_noun:
                continue
            collected.append((s, e))
            seen_noun = True
        elif seen_noun and _modifier(w) and nxt is not None and _nounish(text[nxt[0]:nxt[1]]):
            collected.append((s, e))   # 在乡老复员军人: an adjective inside the phrase
        else:
            if seen_noun:
                break
            if not collected and not jumped:
                # a relative clause before the head: 多期有…等方面的[讲座], 一批拥军优属、拥政爱民的[先进典型]
                rest = _rest(text, s, 48)
                k = rest.rfind("的")
                if k >= 0:
                    toks = T.forward(s + k + 1)
                    nxt = next(toks, None)
                    jumped = True
                    continue
            if (_modifier(w) or w in S["of_lead"]) and len(collected) < 2:
                collected.append((s, e))
                continue
            break
    while collected and not _nounish(text[collected[-1][0]:collected[-1][1]]):
        collected.pop()
    if not collected or not seen_noun:
        return None
    # leading modifiers that are verbs or prepositions (not adjectives) are dropped
    while collected and not _nounish(text[collected[0][0]:collected[0][1]]) \
            and not _modifier(text[collected[0][0]:collected[0][1]]) \
            and text[collected[0][0]:collected[0][1]] not in S["of_lead"]:
        collected.pop(0)
    if not collected:
        return None
    of = _clean(text[collected[0][0]:collected[-1][1]])
    return (of, collected[0][0], collected[-1][1]) if of else None


def _of_backward(T: _Tokens, pos: int, S: dict, unit: str = "") -> Optional[str]:
    """The noun phrase before a post-nominal count: 慰问消防大队[热水器]一台, 现有[现役军人]89人."""
    text = T.text
    if text.endswith(S["of_noun_tail_any"], 0, pos):  # (seldom: then the first of them, in order)
        for w in S["of_noun_tail"]:
            if text.endswith(w, 0, pos):
                return w, pos - len(w), pos
    if text.endswith("》", 0, pos):  # 发放《致退役军人的一封信》1.2万份: the named document
        k = text.rfind("《", max(0, pos - 60), pos)
        if k >= 0 and "\n" not in text[k:pos]:
            return _clean(text[k + 1:pos - 1]), k + 1, pos - 1
    person, event = unit in S["person_units"], unit in S["event_units"]
    taken: list[tuple[int, int]] = []  # the phrase's tokens, nearest first
    for s, e in T.backward(pos):
        word = _back_word(text[s:e])
        if word.kind == _QUOTES_ONLY:
            if taken:
                break  # “军民鱼水情”文艺慰问演出: a quoted title before the head is not part of it
            continue
        if word.kind == _STOP or (taken and word.orgish):
            break
        if event and word.event_verb:
            taken.append((s, e))   # 文艺慰问演出2场: an event named by verbs
            continue
        if not taken:
            if word.nounish:
                taken.append((s, e))
                continue
            break
        if word.joins_person if person else word.joins:
            taken.append((s, e))
            continue
        break
    if not event:  # a phrase starts with a noun or a modifier
        while taken and not _back_word(text[taken[-1][0]:taken[-1][1]]).lead:
            taken.pop()
    if not taken:
        return None
    if person and _tag(text[taken[0][0]:taken[0][1]]) == "vn":
        return None  # 服务100余人: a verb with its count, not a noun
    start, end = taken[-1][0], taken[0][1]
    of = _clean(text[start:end])
    if not of or _measure(of, S):
        return None
    return of, start, end


def _measure(noun: str, S: dict) -> bool:
    """A noun that measures rather than names what is counted (人数, 任务数, 覆盖率): no ``of``."""
    return noun in S["of_excluded"] or noun.endswith(S["of_excluded_endings"])


# ---------------------------------------------------------------- extraction

def _work_text(ctx: Ctx) -> str:
    """The text with template gaps read as GAP and time expressions as BLOT (a time wins over a gap)."""
    gaps = [(sp.start, sp.end) for sp in ctx.layers.get("placeholders", []) or []
            if sp.attrs.get("kind") in ("blank", "masked_number")]
    text = _blot(ctx.text, gaps, GAP)
    return _blot(text, list(map(_SPAN, ctx.layers.get("times", []) or [])), BLOT)


def _blot(text: str, spans: list[tuple[int, int]], ch: str) -> str:
    """``text`` with every character inside one of ``spans`` (which may overlap) replaced by ``ch``:
    slices of the text between them, joined once."""
    out = []
    append = out.append
    k = 0  # the end of what ``out`` holds
    n = len(text)
    for a, b in sorted(spans):  # (the clamps tested, not max/min calls: a document has hundreds)
        if a < k:
            a = k
        if b > n:
            b = n
        if b > a:
            append(text[k:a])
            append(ch * (b - a))
            k = b
    if not out:
        return text
    out.append(text[k:])
    return "".join(out)


def _clause_before(text: str, pos: int, limit: int = 40) -> str:
    seg = text[max(0, pos - limit):pos]
    m = _LAST_CLAUSE_BREAK.match(seg)
    return seg[m.end():] if m else seg


def _per(T: _Tokens, text: str, start: int, S: dict) -> Optional[str]:
    """The denominator of a rate stated before the amount: 每户发放…2000元, 每名新兵…, 人均300元.
    Asked only when one of the prefixes is in the 16 characters before ``start`` (see :func:`_count`)."""
    clause = _clause_before(text, start, 16)
    base = start - len(clause)
    for found in S["per_pre"].finditer(clause):
        k = base + found.end()
        if found.group(0) in S["per_fixed"]:
            return S["per_fixed"][found.group(0)]
        if text.startswith("一", k):
            k += 1
        if k >= start or S["per_time"].match(text, k):
            continue  # 每年, 每月: a recurrence (a time), not a rate
        between = text[k:start]
        if _DIGIT.search(between) or not S["digits_but_one"].isdisjoint(between):
            return None
        c = text[k]
        if S["kinds"].get(c) == "nominal" and k + 1 < start and _CJK.match(text[k + 1]):
            first = next(T.forward(k + 1), None)
            if first and _nounish(text[first[0]:first[1]]) and text[first[0]:first[1]] not in S["of_stop"]:
                of = _of_forward(T, k + 1, S)
                if of and text[of[2]:start].strip() not in S["per_copulas"]:
                    return of[0]   # 每名新兵发放…2000元: the noun is the denominator
                return c           # 每支慰问金5000元: the noun is what is measured
        return c if _CJK.match(c) else None
    return None



def extract(ctx: Ctx) -> list[Span]:
    S = _state()
    text = ctx.text
    work = _work_text(ctx)
    T = _Tokens(ctx)
    quoted_spans = [m.span() for m in S["quoted"].finditer(text)]
    quoted = Intervals(quoted_spans)
    # a count's number and unit may touch neither a quoted label nor an excluded phrase: one test
    blocked = Intervals(quoted_spans + [m.span() for m in S["excluded"].finditer(text)])

    out: list[Span] = []
    # the matches of S["main"].finditer(work), the regex tried only where a match can begin (see
    # "main_led"; its matches have the groups of ``main``'s and end where its "m" group ends)
    search = S["main_led"].search
    m = search(work)
    while m:
        sp = _count(m, m.group(*_Parts._fields), text, work, T, S, blocked)
        if sp is not None:
            out.append(sp)
        m = search(work, m.end("m"))
    # the main matches do not overlap, nor do the spans they gave (each lies in its match: checked in
    # tests/test_speed_quantities.py): no sorting out unless another kind adds one
    n_main = len(out)
    for m in S["bare"].finditer(work):
        sp = _count(m, _Parts(num=m["num"], unit=m["unit"]), text, work, T, S, blocked, bare=True)
        if sp is not None:
            out.append(sp)
    for m in S["percent"].finditer(work):
        sp = _percent(m, text, S, quoted)
        if sp is not None:
            out.append(sp)
    if "￥" in work or "¥" in work:  # (rare: looking for the sign is cheaper than running the regex)
        for m in S["yuan"].finditer(work):
            value = _value(m.group("num"))
            if value is not None:  # ￥5000
                out.append(Span(m.start(), m.end(), "quantities", {"value": value, "unit": "元", "approx": False}))
    if len(out) > n_main:
        out = remove_overlaps(out)  # the longest of overlapping candidates
    return _merge_ranges(out, text, S)


def _merge_ranges(spans: list[Span], text: str, S: dict) -> list[Span]:
    """3名至5名 -> one range (value 3, value_end 5) taking the second count's attributes."""
    out: list[Span] = []
    for sp in spans:
        if out:
            prev = out[-1]
            gap = text[prev.end:sp.start]
            a, b = prev.attrs, sp.attrs
            if gap in S["range_seps"] and a.get("unit") == b.get("unit") and a.get("value") is not None \
                    and b.get("value") is not None and b["value"] > a["value"] and "value_end" not in a:
                attrs = dict(b)
                attrs["value"], attrs["value_end"] = a["value"], b["value"]
                attrs["approx"] = bool(a.get("approx") or b.get("approx"))
                out[-1] = Span(prev.start, sp.end, "quantities", attrs)
                continue
        out.append(sp)
    return out


def _bound(text: str, start: int, end: int, S: dict) -> tuple[Optional[str], int]:
    """(the bound word before ``start`` or after ``end``, the one after winning: 不少于30个, 30个以上;
    or None) and where the phrase starts (before the word before). Each regex is tried only after
    the character next to the count says a word can be there (most counts have none)."""
    # (the character before may be a line break: ``$`` also matches before one)
    bm = S["bound_pre"].search(text, max(0, start - 4), start) \
        if text[start - 1:start] in S["bound_pre_last"] else None
    am = S["bound_post"].match(text, end) if text[end:end + 1] in S["bound_post_first"] else None
    found = am or bm
    return (found.group(0) if found else None), (bm.start() if bm else start)


def _percent(m, text: str, S: dict, quoted: Intervals) -> Optional[Span]:
    """百分之九十."""
    if quoted.touches(m.start(), m.end()):
        return None
    value = _value(m.group("num"))
    if value is None:
        return None
    attrs = {"value": value, "unit": "%", "approx": False}
    bound = _bound(text, m.start(), m.end(), S)[0]
    if bound:
        attrs["bound"] = bound
    return Span(m.start(), m.end(), "quantities", attrs)


@memo(8192)
def _number(num: str) -> Optional[tuple]:
    """What the number of a count says by itself (memoised: it depends on the string and the lexicon,
    which never changes within a process): None when it cannot be a count's, else (value, value_end,
    approx, placeholder, bare multiplier (百, 千家万户: a count only with an approximation), lone vague
    digit (几, 数: a count only before some units))."""
    S = _state()
    if GAP in num:
        return None if num.strip(GAP) else (None, None, False, True, False, False)
    first = num[0]
    if not first.isdigit() and first not in S["digits"] and first not in S["mult"] and first not in S["vague"]:
        return None
    if first in S["digits"] and S["digits"][first] == 0:
        return None
    bare_mult = first in S["mult"] and first not in "十拾" and not (len(num) > 1 and num[1] in S["vague"])
    lone_vague = first in S["vague"] and len(num) == 1
    if num in S["pairs"] or (len(num) == 3 and num[:2] in S["pairs"] and num[2] in S["mult"]):
        # 三四个, 两三次, 三四十人: an approximate range
        f = S["mult"][num[2]] if len(num) == 3 else 1
        return S["digits"][num[0]] * f, S["digits"][num[1]] * f, True, False, bare_mult, lone_vague
    if not S["vague"].isdisjoint(num):
        return None, None, True, False, bare_mult, lone_vague
    value = _value(num)
    return None if value is None else (value, None, False, False, bare_mult, lone_vague)


class _Parts(NamedTuple):
    """The parts of a count: the groups of ``main`` (None when missing). A main match's parts are
    passed to :func:`_count` as the plain tuple ``m.group(*_Parts._fields)``, in this order."""
    pre: Optional[str] = None
    num: Optional[str] = None
    num2: Optional[str] = None
    inf: Optional[str] = None
    unit: Optional[str] = None
    post: Optional[str] = None


def _count(m, parts: tuple, text: str, work: str, T: _Tokens, S: dict, blocked: Intervals,
           bare: bool = False) -> Optional[Span]:
    """The count a match of ``main`` stands for (``bare``: of ``bare``, 多 and a unit), or None.
    ``parts``: its :class:`_Parts`, in their order."""
    pre, num, num2, inf, unit, post = parts
    unit_e = m.end("unit")
    num_s = m.start("num")
    start = m.start("pre") if pre else num_s
    end = m.end("post") if post else unit_e
    ukind = S["kinds"].get(unit, "nominal")

    # ---- the number
    if bare:
        value, value_end, approx, placeholder = None, None, True, False
    else:
        info = _number(num)
        if info is None:
            return None
        value, value_end, approx, placeholder, bare_mult, lone_vague = info
        if bare_mult and not pre and not inf:
            return None
        if lone_vague and unit not in S["bare_units"].get(num, ()):
            return None
        if num2 is not None:
            if GAP in num2:
                placeholder = True   # 1—___个: the range's extent is a gap
                value = None
            else:
                value_end = _value(num2)
                if value_end is None or (value is not None and value_end <= value):
                    return None
        if pre:
            if pre == "上" and num[0] not in "百千万":
                start = num_s
                pre = None
            elif start > 0 and text[start - 1] in S["prefix_blocked"].get(pre, ""):
                # 最近, 附近, 节约, 预约: the marker is part of a word
                start = num_s
                pre = None
            else:
                approx = True
        if inf:
            if inf == "来" and (value is None or (isinstance(value, (int, float)) and value % 10)):
                return None
            approx = True
        if post:
            approx = True

        # ---- context vetoes
        b = text[start - 1:start]  # the character before the prefix, or before the number without one
        if b:
            if num[0].isdigit():
                if b in S["arabic_before"]:
                    return None
            elif b in S["num_before"]:
                return None
            if num == "一" and not pre and b in S["one_before"]:
                return None
        if text[end:end + 1] in _LATIN:
            return None
    # the classifier begins a longer word (十一期间, 名单, 场所, 次日, 一次性)
    ui = T.index_at(unit_e - 1)
    if ui < len(T.toks):
        ts, te = T.toks[ui]
        if te > unit_e:  # 期间, 名单, 五台山, 一家人: a dictionary word runs on past the unit
            tag = _tag(text[ts:te])
            if tag is not None and tag not in ("q", "m", "mq"):
                return None
    need = S["needs_noun"].get(unit)
    if need and not any(w in _rest(text, unit_e, 8) or w in _clause_before(text, start, 10) for w in need):
        return None  # 一起事故 / 事故2起 count; 一起举办 does not
    # 五个一, 一人一档, 一对一: a slogan built on numbers
    nxt = text[unit_e:unit_e + 1]
    if nxt and (nxt in S["digits"] and nxt not in "两" or nxt.isdigit()) and not _word_at(T, unit_e):
        m2 = S["main"].match(work, unit_e)
        if m2 is None or (num == "一" and nxt == "一") or (num in "1" and nxt == "1" and len(num) == 1):
            return None  # 五个一, 一人一档, 1人1档 (not 3处|零散: a word opening with a numeral)
    # 浏览次数：1234次 (page furniture); the regex only where a label, a colon or a space comes before
    c = text[start - 1:start]
    if c and (c in S["web_label_last"] or c.isspace()) and S["web_label"].search(text, max(0, start - 8), start):
        return None
    if blocked.touches(num_s, unit_e):  # a quoted label, an excluded phrase
        return None
    # predicative 一+classifier (作为一项重要工作, 是党委政府的一项政治工作)
    if value == 1 and num == "一" and unit in S["pred_units"]:
        clause = _clause_before(text, num_s)
        if S["pred_pre"].search(clause) or S["pred_shi"].search(clause):
            return None
    vague = value is None and not placeholder and value_end is None
    if vague and len(num) == 1:  # (a bare count's number is 多)
        if S["vague_before"].search(_clause_before(text, start, 6)):
            return None
        if text.startswith(S["vague_heads"], unit_e):
            return None

    # ---- attributes
    bound, outer = _bound(text, start, end, S)
    factor = S["factor"].get(unit)
    if factor and value is not None:
        value = value * factor
        value_end = value_end * factor if value_end is not None else None
        value = int(value) if float(value).is_integer() else value
    if factor and value_end is not None:
        value_end = int(value_end) if float(value_end).is_integer() else value_end
    norm_unit = S["names"].get(unit, unit)
    if "多" in unit:  # 3个多月
        approx = True
    per = None
    if text.startswith("/", end):  # 200元/人
        pm = _PER_SLASH.match(text, end, end + 4)
        if pm:
            w = pm.group(1)
            per = w[:2] if w[:2] in S["kinds"] else w[0]
    # the prefixes (words) are looked for in the clause, the end of the 16 characters before: most
    # amounts have none in those characters at all (one search, without cutting out the clause)
    if per is None and ukind in ("money", "nominal", "measure", "verbal") \
            and S["per_pre"].search(text, max(0, outer - 16), outer):
        per = _per(T, text, outer, S)
    of = of_span = None
    if ukind in ("nominal", "measure"):
        found = _of_forward(T, unit_e, S)
        if found is None or _measure(found[0], S):
            nx = text[unit_e:unit_e + 1]
            found = None
            if not nx or nx in _HARD_STOP or nx in "、" or nx.isspace() or not _CJK.match(nx) \
                    or _starts_non_noun(T, unit_e, S):
                found = _of_backward(T, outer, S, unit)
        if found:
            of, of_span = found[0], (found[1], found[2])
        if of and vague and of.startswith(S["vague_heads"]):
            return None
    attrs = {"value": value, "unit": norm_unit, "approx": approx}
    if value_end is not None:
        attrs["value_end"] = value_end
    if of:
        attrs["of"] = of
        attrs["_of_span"] = of_span   # normalised offsets of the counted noun (for source-script text)
    if bound:
        attrs["bound"] = bound
    if per:
        attrs["per"] = per
    if placeholder:
        attrs["placeholder"] = True
    return Span(start, end, "quantities", attrs)


def _word_at(T: _Tokens, pos: int) -> bool:
    """Whether a dictionary word that is no numeral starts at ``pos`` (零散, 零星: not the number 零)."""
    i = T.index_at(pos)
    if i >= len(T.toks):
        return False
    s, e = T.toks[i]
    if s != pos or e - s < 2:
        return False
    tag = _tag(T.text[s:e])
    return tag is not None and tag not in ("m", "mq", "q")


def _starts_non_noun(T: _Tokens, pos: int, S: dict) -> bool:
    i = T.index_at(pos)
    if i >= len(T.toks):
        return True
    s, e = T.toks[i]
    return not _nounish(T.text[max(s, pos):e])  # (a token straddling pos: its part after it, 58|名赴市 -> 赴市)
