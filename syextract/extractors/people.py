"""People: persons named in a plan and posts filled for it.

Patterns (all lexicon-driven: surnames.yaml, titles.yaml, roles.yaml):

* member lines ``组 长：薛xx 副组长：杨xx`` / ``成 员：A B C`` (padding allowed,
  ``李 敏`` is one padded name, ``王xx（社区党委书记）`` and ``张三  镇党委书记``
  carry their title, indented continuation lines belong to the label), and
  table columns headed 负责人/责任人/联系人 (Word cells or text tables);
* posts filled by ``以校长为组长、书记为副组长``, ``X任组长``, ``X兼任办公室主任``,
  ``组长由镇长担任`` (``党组书记、常务副主席xxx同志`` is one person with the
  joined title; plural groups such as 各村书记 or 9个社区党组织书记 are not);
* a title next to a name: ``党委书记高伟森``, ``社区居委会主任李敏`` (an organisation
  written before the post stays in the title), ``张明校长``, ``王书记`` (no name);
* a role word before a name: ``副组长李四``;
* a name with an honorific: ``汪军同志`` (name 汪军), ``xxx同志`` (name xxx);
* a status noun before a name (``退伍军人汪军``: no title) and other mentions
  of a full name already found;
* a designated post: ``明确一名干部负责…`` (text 一名干部, role 负责人).

``X负责`` / ``由X负责`` gives role 负责人 to a person without a role. Generic
groups (官兵, 志愿者, 分管领导 …) are never people. ``attrs['_name_span']`` says
where the name stands so the pipeline can render it from the source text.
"""
from __future__ import annotations

import bisect
import functools
import operator
import re
from typing import Optional

from .base import (Ctx, Span, alternation, bracket_end, by_first_char, class_of, first_items, lexicon, memo,
                   second_items)

HAN = "\u4e00-\u9fff"
_R = None


def _spaced(word: str) -> str:
    """A label allowing alignment padding between its characters (组 长)."""
    return r"[ \t]*".join(re.escape(c) for c in word)


def _compile():
    sn = lexicon("surnames")
    tl = lexicon("titles")
    rl = lexicon("roles")
    ol = lexicon("organizations")
    single = "".join(sn["single"].split())
    r = {}
    r["single"] = set(single)
    r["compound"] = list(sn["compound"])
    # the compound surnames by first character, in lexicon order (for _surname_at)
    by_first: dict[str, list[str]] = {}
    for c in r["compound"]:
        by_first.setdefault(c[0], []).append(c)
    r["compound_by_first"] = by_first
    # the characters a surname starts with (_surname_at is 0 elsewhere), and with a mask's the
    # characters a name starts with (_name_at is None elsewhere): a set look-up spares the call
    r["surname_first"] = frozenset(r["single"] | set(by_first))
    r["name_first"] = r["surname_first"] | _MASK_FIRST
    r["not_names"] = set(sn["not_names"])
    r["titles"] = list(tl["titles"])
    r["title_re"] = re.compile(alternation(tl["titles"], two_led=True))
    r["title_set"] = set(tl["titles"])
    r["function_chars"] = set(tl["function_chars"])
    r["after_title_re"] = re.compile(alternation(tl["surname_titles"], two_led=True))  # also what every match of sur_title_re holds
    r["sur_title_re"] = re.compile(r"(?<![%s])(?P<s>(?:%s|[%s]))(?P<t>%s)(?:同志)?" % (
        HAN, alternation(sn["compound"]), re.escape("".join(c for c in single if c not in tl["not_surname_before_title"])),
        alternation(tl["surname_titles"])))
    r["title_end"] = re.compile("(?:%s)$" % alternation(tl["titles"]))
    r["hon_re"] = re.compile(alternation(tl["honorifics"]))
    r["hon_end"] = re.compile("(?:%s)$" % alternation(tl["honorifics"]))
    # the followers as one regex for _is_follower: a match at i (one C call) is the longest follower
    # starting there (alternation tries the longer words first)
    r["follower_re"] = re.compile(alternation(tl["name_followers"]))
    r["single_followers"] = {f for f in tl["name_followers"] if len(f) == 1}
    r["strict_followers"] = set(tl["strict_followers"])
    r["status_re"] = re.compile("(?:%s)" % alternation(tl["statuses"]))
    sur = "(?:%s|[%s])" % (alternation(sn["compound"]), re.escape(single))
    r["mask"] = r"(?:[xX×]{1,4}|某某|_{2,}|\*{2,})"  # (starting with one of _MASK_FIRST)
    # a masked name (薛xx, xxx), or a name written with the interpunct (阿不都·热合曼): one match for _name_only
    r["special_name"] = re.compile(r"%s?%s$|%s\Z" % (sur, r["mask"], _TRANSLITERATED.pattern))
    r["mask_only"] = re.compile(r"^%s$" % r["mask"])
    r["mask_at"] = re.compile(r["mask"])
    r["label_roles"] = dict(rl.get("label_roles") or {})
    labels = sorted(set(rl["labels"]) | set(r["label_roles"]), key=len, reverse=True)
    # a label at a line start or after punctuation (the guard, tested after the label's first
    # character so that the engine skips the positions no label starts at)
    r["label_re"] = re.compile(r"(?P<label>%s)[ \t]*[:：][ \t]*" % by_first_char(
        [(w[0], _spaced(w)[len(re.escape(w[0])):]) for w in labels], start_guard=r"(?:(?<=^)|(?<=[\s,;:)(、。]))"),
        re.M)
    fills = sorted(rl["fills"], key=len, reverse=True)
    r["fill_re"] = re.compile(
        r"(?:(?<=[以由、,;:和\n])|^)(?P<seg>[^,。;:\n为以由!?]{1,32}?)(?P<verb>兼任|担任|任|为)(?P<role>%s)"
        r"(?![单成组员位会])" % alternation(fills), re.M)
    # what every match of fill_re holds (the verb's last character and the post), for _on_lines
    r["fill_hint"] = re.compile("[任为](?:%s)" % alternation(fills))
    r["title_fills"] = set(rl["title_fills"])
    role_words = [w for w in rl["fills"] if w not in rl["title_fills"]]
    r["role_word_re"] = re.compile(alternation(
        role_words, start_guard=r"(?:(?<![%s])|(?<=小组)|(?<=领导组))" % HAN))
    r["role_by_re"] = re.compile(r"(?P<role>%s)由(?P<seg>[^,。;:\n由]{1,24}?)(?:同志)?(?:担任|兼任|出任)" % (
        alternation(rl["fills"])))
    # what every match of role_by_re holds (a post's last character and 由), for _on_lines: led by
    # the literal 由, which the engine finds faster than the posts' first characters
    r["role_by_hint"] = re.compile("由(?<=[%s]由)" % "".join(map(re.escape, sorted({w[-1] for w in rl["fills"]}))))
    r["header_roles"] = {h: role for role, hs in rl["header_roles"].items() for h in hs}
    r["resp_role"] = rl["responsible_role"]
    r["designate_re"] = re.compile(
        # 明确一名干部负责…, 明确一名安全员，负责… (any …员 post), 配备一名联络员具体负责…
        r"(?:%s)(?P<p>(?:[一二两三四五1-9])(?:名|位|个))(?P<n>%s|[\u4e00-\u9fff]{1,3}员)[,，]?\s*"
        r"(?:专门|具体|专职)?负责" % (alternation(rl["designate_verbs"]), alternation(rl["designate_nouns"])))
    r["generic"] = set(rl["generic"])
    r["collective_posts"] = tuple(lexicon("titles")["collective_posts"])
    heads = []
    for words in ol["heads"].values():
        heads += words
    heads += list(ol["single_heads"].keys())
    heads += ["乡", "镇", "县", "市", "区", "村", "街道", "社区", "省"]
    r["org_end"] = re.compile("(?:%s)$" % alternation(heads))
    # what an organisation written before a post does not hold, matched at its last occurrence in a
    # window (the greedy .* backtracks to it: one call, not a finditer through the window)
    r["last_prefix_stop"] = re.compile(r"(?s:.*)(?:[^%s0-9A-Za-z_×]|[由在和与及的是对为将请经了让使给向把从等])" % HAN)
    # (村(社区)党组织书记: the post of each village or community, as 各村…)
    r["plural"] = re.compile(r"各|全体|广大|所有|有关|相关|[0-9一二两三四五六七八九十几多]+(?:个|名|位)"
                             r"|[村乡镇县市区]\((?:社区|居|村|镇|乡|街道|市|区)(?:[、,](?:社区|居|村|镇|乡|街道|市|区)){0,3}\)")
    r["resp_after"] = re.compile(r" ?(?:同志)?(?:具体|专门|主要|全面)?负总?责|对[^,，。;；]{1,20}负总责")
    # a mask, possibly after a surname, ending where an honorific starts (_honorific)
    r["masked_before"] = re.compile(r"(?:%s)?%s$" % (sur, r["mask"]))
    # the sparse whole-text scans, made in one pass (_fused), by name
    r["scanned"] = {k: r[k] for k in ("label_re", "fill_hint", "role_word_re", "hon_re", "designate_re")}
    r["scan"] = _fused(r["scanned"])
    return r


#: The flags a pattern may carry into _fused, as the letters of an inline group scoping them to it
_SCOPED_FLAGS = ((re.IGNORECASE, "i"), (re.MULTILINE, "m"), (re.DOTALL, "s"), (re.VERBOSE, "x"))


def _scoped(rx: re.Pattern) -> str:
    """``rx``'s pattern with its flags as an inline group (``(?m:…)``): the same matches inside a
    regex joining it to patterns of other flags."""
    assert not rx.flags & ~functools.reduce(operator.or_, (f for f, _ in _SCOPED_FLAGS), re.UNICODE), rx
    letters = "".join(c for f, c in _SCOPED_FLAGS if rx.flags & f)
    return "(?%s:%s)" % (letters, rx.pattern) if letters else rx.pattern


def _fused(patterns: dict[str, re.Pattern]) -> tuple[re.Pattern, dict[str, int]]:
    """(regex, groups): one regex for the whole-text scans of ``patterns`` (by name), matching a
    character wherever one of them matches, its group number ``groups[name]`` set where that
    pattern matches.

    Each scan costs the engine a pass over the text; a single pass, led by the class of all their
    first characters (and a look-ahead for the class of their second: most positions fail there,
    before the patterns are tried), tries each pattern where one of them may start (a third of the
    time of five passes). A pattern that does not match there leaves its group unset (an empty
    alternative), and the conditionals after them fail where none is set. Each pattern keeps its
    own flags (an inline group)."""
    firsts: Optional[set] = set()
    seconds: Optional[set] = set()
    for rx in patterns.values():
        first, second = first_items(rx.pattern), second_items(rx.pattern)
        firsts = None if first is None or firsts is None else firsts | first
        seconds = None if second is None or seconds is None else seconds | second
    body = "".join("(?:(?=(?P<g%d>%s))|)" % (k, _scoped(rx)) for k, rx in enumerate(patterns.values()))
    none_set = "(?!)"
    for k in reversed(range(len(patterns))):
        none_set = "(?(g%d)|%s)" % (k, none_set)
    lead = "[%s]%s" % (class_of(firsts) if firsts else r"\s\S", "(?=[%s])" % class_of(seconds) if seconds else "")
    # (base.led_by_class's regex, with the look-ahead between its class and the patterns)
    rx = re.compile(r"%s(?<=(?=%s)(?s:.))%s" % (lead, body, none_set))
    return rx, {name: rx.groupindex["g%d" % k] for k, name in enumerate(patterns)}


def _scan(text: str) -> dict[str, list[re.Match]]:
    """The matches in ``text`` of each pattern of ``R["scanned"]`` (by name), as its ``finditer``
    gives them, from one scan by ``R["scan"]``: where a pattern matches at or after the end of its
    previous match (a later match of finditer's), it is matched again for its Match object."""
    R = _rx()
    rx, groups = R["scan"]
    hits = list(rx.finditer(text))
    found = {}
    for name, g in groups.items():
        pattern = R["scanned"][name]
        matches = []
        end = 0
        for m in hits:
            at = m.start(g)  # (-1 where the pattern does not match)
            if at >= end:
                matches.append(pattern.match(text, at))
                end = matches[-1].end()
        found[name] = matches
    return found


def _on_lines(rx: re.Pattern, hints, text: str):
    """``rx.finditer(text)``, searched only on the lines holding one of ``hints`` (the matches,
    in text order, of a pattern that matches no newline).

    For a pattern whose matches never hold a newline and always hold a match of the hints'
    pattern (fill_re holds 任组长 or 为成员): the lines without one hold no match, and the
    matches on a line are the same when the search is bounded by the line (its lookbehinds
    still see the newline before it, ``^`` still matches after it)."""
    le = 0
    for h in hints:
        if h.start() < le:
            continue  # on the line just searched
        ls = text.rfind("\n", 0, h.start()) + 1
        le = text.find("\n", h.end())
        le = len(text) if le < 0 else le + 1
        yield from rx.finditer(text, ls, le)


# fixed patterns, compiled once (not re-looked-up in re's cache on every call)
_MASK = re.compile(r"[xX×]{1,4}|某某|_{2,}|\*{2,}")
_MASK_FIRST = frozenset("xX×某_*")  # the characters a mask starts with
_TITLE_IN_PARENS = re.compile(r"\(([^()]{1,30})\)\s*$")
_PARENS = re.compile(r"\([^()]*\)")
_ITEM = re.compile(r"[^、,;\s]+(?:[ \t]*#+)?")
_ITEM_NO_SPACE = re.compile(r"[^、,;和及]+")
_FROM_PAREN = re.compile(r"\(.*")
_CONTINUATION = re.compile(r"\n((?:[ \t]*\n)*)([ \t]{2,}[^\n:。]*)(?=\n|$)")
_SENTENCE_END = re.compile(r"[。!?]")
_SPACE = re.compile(r"\s")
_LEAD = re.compile(r"^(?:成立|调整|由|以|并|其中|分别|同时)+")
_AND = re.compile(r"([、和及])")
_COUNTED = re.compile(r"[0-9一二两三四五六七八九十几多]+(?:个|名|位)")
_PART = re.compile(r"[^、和及]+")
_TRANSLITERATED = re.compile(r"[\u4e00-\u9fff]{1,6}(?:[·•・][\u4e00-\u9fff]{1,6}){1,3}")
_DUTY_NEXT = re.compile(r"\s*[,，]?\s*(?:具体|全面|主要)?负责")
_TITLE_NOTE = re.compile(r"\((?:兼职|兼|挂职|专职|主持工作|正科级|副科级)\)")
_HAN_RUN = re.compile("[%s]*" % HAN)
_START = operator.attrgetter("start")


def _all_han(s: str) -> bool:
    """Every character of s is a CJK ideograph (U+4E00..U+9FFF); true of ""."""
    return _HAN_RUN.fullmatch(s) is not None


@memo(4096)
def _padded(name: str) -> re.Pattern:
    """The name allowing alignment padding between its characters (李 敏), compiled once per name."""
    return re.compile(r"[ \t]*".join(re.escape(c) for c in name))


def _rx():
    global _R
    if _R is None:
        _R = _compile()
    return _R


# ------------------------------------------------------------------ names

def _surname_at(text: str, i: int) -> int:
    """Length of a surname starting at i (0 if none)."""
    if i >= len(text):
        return 0
    R = _rx()
    ch = text[i]
    for c in R["compound_by_first"].get(ch, ()):  # only those starting with text[i] can match
        if text.startswith(c, i):
            return len(c)
    return 1 if ch in R["single"] else 0


def _is_follower(text: str, i: int, strict: bool = False) -> bool:
    """Can a name end before position i? (punctuation, or a word that follows names;
    strict: only words of two characters or a few particles)."""
    if i >= len(text):
        return True
    ch = text[i]
    if not ("\u4e00" <= ch <= "\u9fff"):
        return True
    R = _rx()
    m = R["follower_re"].match(text, i)
    if strict:  # a particle, or a follower of two characters or more
        return ch in R["strict_followers"] or (m is not None and m.end() - i > 1)
    return m is not None


def _name_at(text: str, i: int, need_boundary: bool = True, strict: bool = False):
    """A name starting at i: (end, name) or None. surname + 1-2 given chars, or surname + mask."""
    names, masked = _names_at(text, i)
    if masked:
        return names[0]  # (a mask ends where the mask does, whatever follows)
    if need_boundary:
        names = [(e, name) for e, name in names if _is_follower(text, e, strict)]
    if len(names) == 2 and text[names[1][0]] in _rx()["single_followers"]:
        return names[1]  # 汪军|因在: a function word is not a third name character
    return names[0] if names else None


def _names_at(text: str, i: int) -> tuple[list, bool]:
    """The names that may start at i, whatever follows them, longest first, as [(end, name)], and whether
    the one name is a mask (乡长xxx同志, 王xx): else a surname with two and with one given characters."""
    R = _rx()
    if text[i:i + 1] not in R["name_first"]:
        return [], False  # no surname or mask starts there (the usual case after a title or status noun)
    m = R["mask_at"].match(text, i) if text[i] in _MASK_FIRST else None
    if m:  # a bare mask after a title: 乡长xxx同志
        return [(m.end(), text[i:m.end()])], True
    k = _surname_at(text, i)
    if not k or (k == 1 and text[i] in R["function_chars"]):
        return [], False  # 政委|和家长: a conjunction, not a surname
    if text[i] == "任" and R["fill_hint"].match(text, i):
        return [], False  # 书记|任站长: the post filled, not a surname
    j = i + k
    m = R["mask_at"].match(text, j) if j < len(text) and text[j] in _MASK_FIRST else None
    if m:
        return [(m.end(), text[i:m.end()])], True
    found = []
    for g in (2, 1):
        e = j + g
        if e > len(text):
            continue
        given = text[j:e]
        if not _all_han(given) or given[0] in _NOT_GIVEN:
            continue  # (敬|个礼: a classifier or particle opens no given name)
        name = text[i:e]
        if name in R["not_names"] or text[i:i + 2] in R["not_names"]:
            continue
        found.append((e, name))
    return found, False


_NOT_GIVEN = frozenset("个的了们着过是在和与或及等为被把将对向从给")


def _name_only(s: str) -> bool:
    """The whole string is a (possibly masked) name."""
    R = _rx()
    s = s.replace(" ", "").replace("\t", "")
    if R["special_name"].match(s):
        return True  # 薛xx, xxx; 阿不都·热合曼, 买买提·艾力
    k = _surname_at(s, 0)
    return bool(k) and 1 <= len(s) - k <= 2 and _all_han(s) \
        and s not in R["not_names"] and s not in R["generic"] and s[k:] not in R["title_set"]


def _placeholder(name: str) -> bool:
    return bool(_MASK.search(name or ""))


def _title_prefix(text: str, start: int) -> int:
    """Extend a title leftwards over the organisation or place written before it."""
    R = _rx()
    lo = max(0, start - 12)
    window = text[lo:start]
    stop = R["last_prefix_stop"].match(window)
    cut = stop.end() if stop else 0
    pre = window[cut:]
    if pre and R["org_end"].search(pre):
        return lo + cut
    return start


def _title_chain(text: str, start: int) -> int:
    """党组书记、常务副主席xxx: titles joined by 、 before a name are one title."""
    R = _rx()
    while start > 1 and text[start - 1] == "、":
        m = R["title_end"].search(text, max(0, start - 12), start - 1)
        if not m:
            break
        s = _title_prefix(text, m.start())
        start = s
    return start


# ------------------------------------------------------------------ items

def _parse_item(text: str, a: int, b: int):
    """Parse one list item text[a:b] -> dict(start, end, name, title) or None."""
    R = _rx()
    item = text[a:b]
    title = None
    pm = _TITLE_IN_PARENS.search(item)
    core_end = b
    if pm:
        title = pm.group(1).strip()
        core_end = a + pm.start()
    core = text[a:core_end].rstrip()
    hm = R["hon_end"].search(core)
    if hm and len(core) > len(hm.group(0)):
        core = core[:hm.start()]
    flat = core.replace(" ", "").replace("\t", "")
    if not flat:
        return None
    if _name_only(flat):
        return dict(start=a, end=b, name=flat, title=title)
    # title + name inside the item (镇民政办主任李四)
    for tm in R["title_re"].finditer(core):
        rest = core[tm.end():].replace(" ", "")
        if rest and _name_only(rest):
            return dict(start=a, end=b, name=rest, title=(core[:tm.end()].strip() or None))
    st = R["sur_title_re"].fullmatch(flat)
    if st:  # 王参谋: a person known by surname and post
        return dict(start=a, end=b, name=None, title=st.group("t"))
    if R["title_end"].search(flat) and len(flat) <= 16 and flat not in R["generic"]:
        s = core.rfind("的")
        if s >= 0:
            a2 = a + s + 1
            flat = text[a2:core_end].strip()
            return dict(start=a2, end=b, name=None, title=flat)
        return dict(start=a, end=b, name=None, title=flat)
    return None


def _split_items(text: str, a: int, b: int, allow_space: bool = True):
    """Split text[a:b] into list items at 、 , ; and (for member lines) runs of spaces;
    a parenthesised title stays with its item, a padded name (李 敏) is one item."""
    masked = text[a:b]
    if "(" in masked:  # protect parentheses
        masked = _PARENS.sub(lambda m: "#" * len(m.group(0)), masked)
    item_rx = _ITEM if allow_space else _ITEM_NO_SPACE
    toks = [[a + m.start(), a + m.end()] for m in item_rx.finditer(masked)]
    # merge padded names: a lone surname followed by a 1-2 char token (李 敏)
    merged = []
    i = 0
    while i < len(toks):
        s, e = toks[i]
        tok = text[s:e]
        if allow_space and i + 1 < len(toks) and len(tok) == 1 and _surname_at(tok, 0) \
                and text[e:toks[i + 1][0]].strip() == "":
            ns, ne = toks[i + 1]
            nxt = _FROM_PAREN.sub("", text[ns:ne])
            if 1 <= len(nxt) <= 2 and not _name_only(text[ns:ne].split("(")[0]):
                merged.append([s, ne])
                i += 2
                continue
        merged.append([s, e])
        i += 1
    return merged


def _pair_titles(text: str, items: list) -> list:
    """"张三 镇党委书记" / "镇党委书记 张三": a bare post next to a bare name (only
    spaces between) is that person's title."""
    out = []
    i = 0
    while i < len(items):
        it = items[i]
        nx = items[i + 1] if i + 1 < len(items) else None
        if nx and text[it["end"]:nx["start"]].strip(" \t\u3000") == "":
            if it["name"] and not it["title"] and not nx["name"] and nx["title"]:
                merged = dict(it, end=nx["end"], title=nx["title"])
                i += 2
                # "陈立军  县委副书记、县长": further bare posts after 、 are the same person's
                while i < len(items) and not items[i]["name"] and items[i]["title"] \
                        and text[merged["end"]:items[i]["start"]] == "、":
                    merged["end"] = items[i]["end"]
                    merged["title"] = text[nx["start"]:items[i]["end"]]
                    i += 1
                out.append(merged)
                continue
            if not it["name"] and it["title"] and nx["name"] and not nx["title"]:
                out.append(dict(nx, start=it["start"], title=it["title"]))
                i += 2
                continue
        out.append(it)
        i += 1
    return out


_OTHER_FIELD = re.compile(r"(?:联系电话|联系方式|办公电话|电话|手机|邮箱|传真|地址|邮编)\s*[:：]")


def _before_other_field(text: str, a: int, b: int) -> int:
    """Where a field of people in [a, b) ends: before another field of its line (联系人：X　联系电话：…)."""
    of = _OTHER_FIELD.search(text, a, b)
    return of.start() if of else b


def _joined_posts(text: str, items: list) -> list:
    """"组长：县委副书记、县长 蒋德华": posts coordinated before the post and name that open a role's
    line are that person's (one mention, title 县委副书记、县长)."""
    out = []
    for it in items:
        prev = out[-1] if out else None
        if prev is not None and len(out) == 1 and not prev["name"] and prev["title"] and it["name"] \
                and it["title"] and text.startswith(it["title"], it["start"]) \
                and text[prev["end"]:it["start"]] == "、":
            out[-1] = dict(it, start=prev["start"], title=prev["title"] + "、" + it["title"])
            continue
        out.append(it)
    return out


def _member_lines(ctx: Ctx, out: list, labels: list):
    """``labels``: the matches of label_re in the text."""
    R = _rx()
    text = ctx.text
    for k, m in enumerate(labels):
        role = _SPACE.sub("", m.group("label"))
        role = R["label_roles"].get(role, role)
        end = text.find("\n", m.end())
        if end < 0:
            end = len(text)
        # indented continuation lines belong to the same label; across blank lines (a web page's
        # paragraphs) only when indented deeper than the label's line
        ls = text.rfind("\n", 0, m.start()) + 1
        lead = text[ls:m.start()]
        indent = len(lead) - len(lead.lstrip(" \t"))
        while end < len(text):
            cm = _CONTINUATION.match(text, end)
            if not cm or not cm.group(2).strip() or (cm.group(1) and len(cm.group(2)) - len(cm.group(2).lstrip(" \t")) <= indent):
                break
            end = cm.end()
        if k + 1 < len(labels) and labels[k + 1].start() < end:
            end = labels[k + 1].start()
        body_end = _before_other_field(text, m.end(), end)
        # stop at a sentence end
        se = _SENTENCE_END.search(text, m.end(), body_end)
        if se:
            body_end = se.start()
        body_end = bracket_end(text, m.end(), body_end)  # an unbalanced ")" closes the field: (责任人:张三)
        items = []
        for s, e in _split_items(text, m.end(), body_end):
            if R["plural"].match(text, s):
                continue  # 各村党支部书记: a group, not a post
            it = _parse_item(text, s, e)
            if it is not None:
                items.append(it)
        items = _pair_titles(text, items)
        if role != "成员":  # (a members' list names posts of their own: 政教处主任、团委书记 张三)
            items = _joined_posts(text, items)
        for it in items:
            out.append(Span(it["start"], it["end"], "people",
                            _attrs(it["name"], it["title"], role, prio=3)))


def _cells(ctx: Ctx, out: list):
    """Table cells under a 负责人/联系人/责任人 column: the people in them hold that role."""
    R = _rx()
    text = ctx.text
    for s, e, role in ctx.classified_cells(lambda h: R["header_roles"].get(_SPACE.sub("", h))):
        e = _before_other_field(text, s, e)  # (a record's field running on over a phone number's)
        for a, b in _split_items(text, s, e):
            it = _parse_item(text, a, b)
            if it is not None:
                out.append(Span(it["start"], it["end"], "people", _attrs(it["name"], it["title"], role, prio=3)))


def _attrs(name, title, role, prio=1):
    d = {"_prio": prio}
    if name:
        d["name"] = name
        d["placeholder"] = _placeholder(name)
    if title:
        d["title"] = title
    if role:
        d["role"] = role
    return d


def _fills(ctx: Ctx, out: list, hints: list):
    """以校长为组长、书记为副组长 / 由X任组长 / X兼任办公室主任. ``hints``: the matches of fill_hint in the text."""
    R = _rx()
    text = ctx.text
    for m in _on_lines(R["fill_re"], hints, text):
        seg_a, seg_b = m.start("seg"), m.end("seg")
        if seg_a > 0 and text[seg_a - 1] == "、":  # the last of coordinated posts: 各年级组长、班主任为成员
            # where the coordinated posts start: after the last delimiter before them, looked for on
            # their line (back to its start, not through the whole text for a delimiter it lacks)
            nl = text.rfind("\n", 0, seg_a)
            k = max(nl, max(text.rfind(ch, nl + 1, seg_a) for ch in ",;:。以由为"))
            if R["plural"].match(text, k + 1):
                continue
        role = R["label_roles"].get(m.group("role"), m.group("role"))  # 组员 -> 成员
        verb = m.group("verb")
        seg = text[seg_a:seg_b]
        # leading words that are not part of the post
        lead = _LEAD.match(seg)
        if lead:
            seg_a += lead.end()
            seg = text[seg_a:seg_b]
        # split into items at 、 和 及
        items = []
        pos = seg_a
        for part in _AND.split(seg):
            if part in ("、", "和", "及"):
                pos += len(part)
                continue
            items.append((pos, pos + len(part)))
            pos += len(part)
        parsed = []
        if R["plural"].search(seg) and (R["plural"].match(seg) or _COUNTED.search(seg)):
            continue  # 辖区9个社区党组织书记: a plural group, not a post
        for a, b in items:
            a2 = a
            while a2 < b and text[a2] in " \t":
                a2 += 1
            while b > a2 and text[b - 1] in " \t":  # 局长 罗成刚 任组长: the spaces around are no part of it
                b -= 1
            if R["plural"].match(text, a2):
                continue  # 各班班主任: a group among the posts, not a person
            name = None
            title = None
            hon = R["hon_re"].search(text, a2, b)
            core_b = hon.start() if hon and hon.end() == b else b
            core = text[a2:core_b]
            if core.endswith(R["collective_posts"]):
                continue  # 网格员、楼栋长为成员: posts many hold (and 楼栋长 is no name)
            if _name_only(core):
                name = core.replace(" ", "")
            else:
                found = False
                for tm in R["title_re"].finditer(core):
                    rest = core[tm.end():]
                    note = _TITLE_NOTE.match(rest)  # 副主席(兼职)许国栋: the note belongs to the post
                    if note and _name_only(rest[note.end():]):
                        name, title = rest[note.end():].strip().replace(" ", ""), core[:tm.end() + note.end()]
                        found = True
                        break
                    if rest and _name_only(rest):
                        name, title = rest.strip().replace(" ", ""), core[:tm.end()]
                        found = True
                        break
                if not found:
                    if R["title_end"].search(core) and core not in R["generic"] and len(core) <= 16:
                        s = core.rfind("的")
                        if s >= 0:
                            a2 = a2 + s + 1
                            core = text[a2:core_b]
                        title = core
                    else:
                        parsed = None
                        break
            parsed.append((a2, b, name, title))
        if not parsed:
            continue
        the_role = role
        the_title = None
        if role in R["title_fills"] and verb != "为":
            the_role = None
            the_title = role
            sent_rest = text[m.end():(ctx.sentence_of(m.start()) or (0, m.end() + 30))[1]]
            if "负责" in sent_rest:
                the_role = R["resp_role"]
        # posts joined by 、 before a name are that person's one title (党组书记、常务副主席xxx同志;
        # 党组成员、副主席吕晓燕和…许国栋任副组长: two people, the first with a joined title)
        joined = []
        for item in parsed:
            prev = joined[-1] if joined else None
            if prev is not None and prev[2] is None and prev[3] is not None and item[2] \
                    and text[prev[1]:item[0]].strip() == "、":
                title = (text[prev[0]:item[0]] + (item[3] or "")).rstrip("、")
                joined[-1] = (prev[0], item[1], item[2], title)
            else:
                joined.append(item)
        parsed = joined
        for a, b, name, title in parsed:
            if name is None and title is None:
                continue
            if title is None and the_title:
                title = the_title
            out.append(Span(a, b, "people", _attrs(name, title, the_role, prio=3)))


def _role_by(ctx: Ctx, out: list):
    """组长由镇长担任 / 办公室主任由王刚同志兼任: the role is named first."""
    R = _rx()
    text = ctx.text
    for m in _on_lines(R["role_by_re"], R["role_by_hint"].finditer(text), text):
        role = R["label_roles"].get(m.group("role"), m.group("role"))
        seg_a = m.start("seg")
        title = None
        if role in R["title_fills"]:
            role, title = None, m.group("role")
            sent_rest = text[m.end():(ctx.sentence_of(m.start()) or (0, m.end() + 30))[1]]
            if _DUTY_NEXT.match(sent_rest):
                role = R["resp_role"]  # 站长由X兼任，负责服务站全面工作
        for part in _PART.finditer(m.group("seg")):
            a, b = seg_a + part.start(), seg_a + part.end()
            it = _parse_item(text, a, b)
            if it is None or R["plural"].match(text, a):
                continue
            out.append(Span(it["start"], it["end"], "people",
                            _attrs(it["name"], it["title"] or title, role, prio=3)))


def _by_name(ctx: Ctx, out: list):
    """由王xx负责日常工作, 由李明同志牵头: a person named bare as the one in charge (the role is set by
    :func:`_responsible` from what follows)."""
    R = _rx()
    text = ctx.text
    name_first = R["name_first"]
    for m in _BY.finditer(text):
        at = m.end()
        if text[at:at + 1] not in name_first:
            continue
        for e, name in _names_at(text, at)[0]:
            if name[-1] in _UNIT_LAST:
                continue  # (由王庄村负责: a place's unit)
            hm = R["hon_re"].match(text, e)
            after = hm.end() if hm else e
            if R["resp_after"].match(text, after):  # (由王明… without 负责: not said to be in charge)
                out.append(Span(at, after, "people", _attrs(name, None, None, prio=1)))
                break


_BY = re.compile("由")
_UNIT_LAST = frozenset("村镇乡县区市办局站所队部委处科室组会校院")


def _unit_lines(ctx: Ctx, out: list):
    """柳溪村：孙建平（村党总支书记）: a line that names a unit, then the person named for it (a name, with
    the post in brackets or not). Under a heading or an introduction that names 责任人 or 负责人 (村级责任人,
    …第一责任人…名单如下) the person holds that role."""
    R = _rx()
    text = ctx.text
    role, last_end = None, 0
    for m in _UNIT_LINE.finditer(text):
        if not last_end or text[last_end:m.start()].strip():  # a list's first line: the role from the two before
            k = m.start() - 1
            for _ in range(2):
                k = text.rfind("\n", 0, max(0, k))
            role = R["resp_role"] if _PERSON_IN_CHARGE.search(text, max(0, k), m.start()) else None
        last_end = m.end()
        it = _parse_item(text, m.start("item"), m.end("item"))
        if it is not None and it["name"]:
            out.append(Span(it["start"], it["end"], "people", _attrs(it["name"], it["title"], role, prio=2)))


#: a line naming a unit (a village, a community, a department …) and then one person
_UNIT_LINE = re.compile(r"(?m)^[ \t]*[\u4e00-\u9fff]{1,12}?(?:村|社区|居委会|镇|乡|街道|站|所|办|科|处|室|部门|单位)"
                        r"[ \t]*[:：][ \t]*(?P<item>[^\n,，;；、:：]{2,24}?)[ \t]*[;；。]?[ \t]*$")
_PERSON_IN_CHARGE = re.compile(r"责任人|负责人")


def _titled(ctx: Ctx, out: list):
    """党委书记高伟森, 社区居委会主任李敏, 乡长xxx同志."""
    R = _rx()
    text = ctx.text
    name_first = R["name_first"]
    for m in R["title_re"].finditer(text):
        at = m.end() + 1 if text[m.end():m.end() + 1] == " " else m.end()  # 党委书记 高伟森
        if text[at:at + 1] not in name_first:
            continue  # (_name_at's first test, spared the call: no name follows most titles)
        s = _title_prefix(text, m.start())
        if R["plural"].match(text, s):
            continue  # 各班班主任初选: a post many hold, and no name after it
        got = _name_at(text, at)
        if not got:
            continue
        e, name = got
        if name in R["not_names"]:
            continue
        hm = R["hon_re"].match(text, e)
        if hm:
            e = hm.end()
        s = _title_chain(text, s)
        title = text[s:m.end()]
        out.append(Span(s, e, "people", _attrs(name, title, None, prio=2)))
        # names listed after it share its post: 网格员周晓燕、李文博等 (a name, then a boundary)
        while text[e:e + 1] == "、" and text[e + 1:e + 2] in name_first:
            got = _name_at(text, e + 1, strict=True)
            if not got or _placeholder(got[1]):
                break  # (a name in not_names is no candidate of _name_at's)
            out.append(Span(e + 1, got[0], "people", _attrs(got[1], title, None, prio=2)))
            e = got[0]


def _surname_title(ctx: Ctx, out: list, posts: list):
    """王书记、李主任带队走访: a person known by surname and post (no name given).
    ``posts``: the matches of after_title_re in the text."""
    R = _rx()
    text = ctx.text
    for m in _on_lines(R["sur_title_re"], posts, text):
        a = m.start()
        left = text[a - 1] if a > 0 else "\n"
        if "\u4e00" <= left <= "\u9fff" and left not in "由和与及、请经让对向给":
            continue
        e = m.end()
        if e < len(text) and "\u4e00" <= text[e] <= "\u9fff" and not _is_follower(text, e) and text[e] != "、":
            continue
        out.append(Span(a, e, "people", _attrs(None, m.group("t"), None, prio=1)))


def _role_named(ctx: Ctx, out: list, role_words: list):
    """副组长李四负责…: a role word directly before a name. ``role_words``: the matches of role_word_re."""
    R = _rx()
    text = ctx.text
    for m in role_words:
        got = _name_at(text, m.end())
        if not got:
            continue
        e, name = got
        hm = R["hon_re"].match(text, e)
        out.append(Span(m.start(), hm.end() if hm else e, "people", _attrs(name, None, m.group(0), prio=2)))


#: Characters that may stand right before a name (由张明负责, 和李华): a three- or four-character
#: candidate after anything else is part of a longer word, not a name.
_NAME_LEFT_BOUND = frozenset("由和与及的了是在对向给为把被让请经将任、")


def _honorific(ctx: Ctx, out: list, honorifics: list):
    """汪军同志, xxx同志. ``honorifics``: the matches of hon_re in the text."""
    R = _rx()
    text = ctx.text
    for m in honorifics:
        i = m.start()
        mm = R["masked_before"].search(text, max(0, i - 6), i)
        if mm:
            a = i - len(mm.group(0))
            name = mm.group(0)
            out.append(Span(a, m.end(), "people", _attrs(name, None, None, prio=1)))
            continue
        cand = None
        for n in (4, 3, 2):
            a = i - n
            if a < 0:
                continue
            s = text[a:i]
            if not _all_han(s):
                continue
            k = _surname_at(text, a)
            if not k or n - k < 1 or n - k > 2:
                continue
            if k == 1 and n >= 3 and s[0] in R["function_chars"]:
                continue  # 由|李明同志: a function word, not a surname
            if s in R["not_names"] or s[:2] in R["not_names"] and n == 2:
                continue
            left = text[a - 1] if a > 0 else "\n"
            if n >= 3 and k == 1 and not (left in _NAME_LEFT_BOUND or not ("\u4e00" <= left <= "\u9fff")):
                continue
            cand = (a, s)
            break
        if cand:
            a, s = cand
            out.append(Span(a, m.end(), "people", _attrs(s, None, None, prio=1)))


def _name_title(ctx: Ctx, out: list, posts: list):
    """张明校长, 邀请李华书记: a full name followed by a post (the post is its title).
    ``posts``: the matches of after_title_re in the text."""
    R = _rx()
    text = ctx.text
    surname_first = R["surname_first"]
    for m in posts:
        i = m.start()
        for n in (3, 2, 4):
            a = i - n
            if a < 0 or text[a] not in surname_first:
                continue  # (no surname starts at a: _surname_at would say 0)
            s = text[a:i]
            k = _surname_at(text, a)
            if not k or not (1 <= n - k <= 2) or not _all_han(s):
                continue
            left = text[a - 1] if a > 0 else "\n"
            if not (left in _NAME_LEFT_BOUND or not ("\u4e00" <= left <= "\u9fff")):
                continue
            if s in R["not_names"] or s[:2] in R["not_names"] or s[k:] in R["title_set"] \
                    or (k == 1 and s[0] in R["function_chars"]):
                continue
            e = m.end()
            if e < len(text) and "\u4e00" <= text[e] <= "\u9fff" and not _is_follower(text, e):
                break
            out.append(Span(a, e, "people", _attrs(s, m.group(0), None, prio=1)))
            break


def _status(ctx: Ctx, out: list):
    """退伍军人汪军: a name after a status noun (no title)."""
    R = _rx()
    text = ctx.text
    name_first = R["name_first"]
    for m in R["status_re"].finditer(text):
        if text[m.end():m.end() + 1] not in name_first:
            continue  # (_name_at's first test, spared the call: no name follows most status nouns)
        got = _name_at(text, m.end(), strict=True)
        if not got:
            continue
        e, name = got
        if R["mask_only"].match(name) or name[0] in R["function_chars"]:
            continue  # 老师和家长: a conjunction, not a surname
        hm = R["hon_re"].match(text, e)
        out.append(Span(m.end(), hm.end() if hm else e, "people", _attrs(name, None, None, prio=1)))
        # 优秀士兵张强、李伟: coordinated names share the status
        while e < len(text) and text[e] == "、":
            nxt = _name_at(text, e + 1, strict=True)
            if not nxt or R["mask_only"].match(nxt[1]) or nxt[1][0] in R["function_chars"]:
                break
            out.append(Span(e + 1, nxt[0], "people", _attrs(nxt[1], None, None, prio=1)))
            e = nxt[0]


def _designated(out: list, designations: list):
    """明确一名干部负责… -> {text 一名干部, role 负责人}. ``designations``: the matches of designate_re."""
    role = _rx()["resp_role"]
    for m in designations:
        out.append(Span(m.start("p"), m.end("n"), "people", _attrs(None, None, role, prio=3)))


def _merge(spans: list) -> list:
    """Keep the best of overlapping candidates (priority, then length, then position). The kept
    spans never overlap, so those overlapping a candidate are found by two bisects, not by
    checking every span kept so far: linear enough for a 20 MB document."""
    kept: list = []    # in text order
    starts: list = []
    for sp in sorted(spans, key=lambda s: (-s.attrs.get("_prio", 0), -(s.end - s.start), s.start)):
        a, b = sp.start, sp.end
        i = bisect.bisect_left(starts, a)
        lo = i - 1 if i and kept[i - 1].end > a else i  # the last one starting before it may reach into it
        hi = bisect.bisect_left(starts, b, i)  # and those starting inside it overlap it
        if lo == hi:
            starts.insert(i, a)
            kept.insert(i, sp)
            continue
        # fold a missing title into the kept overlapping span
        title = sp.attrs.get("title")
        if title:
            for k in kept[lo:hi]:
                if k.attrs.get("name") == sp.attrs.get("name") and not k.attrs.get("title"):
                    k.attrs["title"] = title
    return kept


#: Up to this many names, _known_names finds them with str.find (a C scan of the text per name);
#: more, and one regex scan of the text costs less than a scan per name (its compile included).
_FIND_NAMES_MAX = 24


def _occurrences(text: str, names: set):
    """``(start, end)`` of what ``re.compile(alternation(names)).finditer(text)`` matches, in order.

    A regex compiled from each document's names costs a compile per document (re's cache
    does not help over an archive of distinct documents), more than the scan itself: a few
    names are found with str.find instead, then read as the regex would match them: from
    left to right, the longest name at a position first, each match after the previous one."""
    if len(names) > _FIND_NAMES_MAX:
        return [m.span() for m in re.compile(alternation(names)).finditer(text)]
    occ = []
    for n in names:
        k = len(n)
        i = text.find(n)
        while i >= 0:
            occ.append((i, -k))  # (sorted: at one position, the longest name first)
            i = text.find(n, i + 1)
    occ.sort()
    out = []
    end = 0
    for i, neg in occ:
        if i >= end:  # not inside the previous match
            end = i - neg
            out.append((i, end))
    return out


def _known_names(ctx: Ctx, spans: list) -> list:
    """``spans`` (sorted, disjoint: what ``_merge`` keeps) with the later (or earlier) bare
    mentions of a full name among them, in text order.

    A mention is kept where no span of ``spans`` overlaps it: what merging them again would do
    (the mentions have the lowest priority and no title to fold, and they never overlap one
    another), found by a bisect per mention instead of a second merge."""
    names = {s.attrs.get("name") for s in spans if s.attrs.get("name")}
    names = {n for n in names if len(n) >= 2 and not _placeholder(n)}
    if not names:
        return spans
    out = []
    text = ctx.text
    n_text = len(text)
    starts = [sp.start for sp in spans]
    for a, e in _occurrences(text, names):
        i = bisect.bisect_left(starts, e)
        if i and spans[i - 1].end > a:
            continue  # inside a span found (the mention it was found by, mostly)
        if e < n_text and "\u4e00" <= text[e] <= "\u9fff" and not _is_follower(text, e):
            continue
        out.append(Span(a, e, "people", _attrs(text[a:e], None, None, prio=0)))
    return sorted(spans + out, key=_START) if out else spans


def _responsible(ctx: Ctx, spans: list):
    R = _rx()
    for sp in spans:
        if sp.attrs.get("role"):
            continue
        if R["resp_after"].match(ctx.text, sp.end):
            sp.attrs["role"] = R["resp_role"]


def _name_span(text: str, sp: Span) -> None:
    """Where the name stands (padding allowed), so the pipeline can give it as written
    in the source (traditional characters, escaped gaps): attrs['_name_span']."""
    name = sp.attrs.get("name")
    if not name:
        return
    a, b = sp.start, sp.end
    seg = text[a:b]
    if " " in seg or "\t" in seg or " " in name or "\t" in name:
        # padding (李 敏): the name's own regex, compiled once per name
        last = None
        for m in _padded(name).finditer(text, a, b):
            last = m
        if last:
            sp.attrs["_name_span"] = (last.start(), last.end())
        return
    # No padding in the span: the padded regex matches the name as written, so str.find finds
    # the same matches, one after the other (the usual case costs no compile per distinct name).
    k = len(name)
    last = -1
    i = text.find(name, a, b)
    while i >= 0:
        last = i
        i = text.find(name, i + k, b)
    if last >= 0:
        sp.attrs["_name_span"] = (last, last + k)


def extract(ctx: Ctx) -> list[Span]:
    out: list[Span] = []
    found = _scan(ctx.text)
    _member_lines(ctx, out, found["label_re"])
    _cells(ctx, out)
    _fills(ctx, out, found["fill_hint"])
    _role_by(ctx, out)
    _titled(ctx, out)
    _by_name(ctx, out)
    _unit_lines(ctx, out)
    _role_named(ctx, out, found["role_word_re"])
    _honorific(ctx, out, found["hon_re"])
    posts = list(_rx()["after_title_re"].finditer(ctx.text))  # (one scan for the two)
    _surname_title(ctx, out, posts)
    _status(ctx, out)
    _name_title(ctx, out, posts)
    _designated(out, found["designate_re"])
    spans = _known_names(ctx, _merge(out))
    _responsible(ctx, spans)
    for sp in spans:
        sp.attrs.pop("_prio", None)
        _name_span(ctx.text, sp)
    return spans

