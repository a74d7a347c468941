"""What every extractor sees and returns.

An extractor is a function ``extract(ctx: Ctx) -> list[Span]`` working on the
*normalised* text (``ctx.text``: half-width punctuation — ``(`` ``)`` ``,``
``:`` ``;`` — simplified characters, markdown escapes resolved, so the seed's
``\\_\\_\\_`` reads ``___``). Offsets in a Span are normalised offsets; the
pipeline maps them to the source. Earlier layers are in ``ctx.layers`` by
key (``placeholders`` before ``times`` before ``quantities`` before
``people`` before ``organizations`` before ``activities``).
"""
from __future__ import annotations

import bisect
import functools
import itertools
import operator
import os
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

import yaml

_NEWLINE = re.compile("\n")
_FIRST = operator.itemgetter(0)
#: What may open a schedule line before its leading time (a bullet, an item number, markdown bold) …
SCHEDULE_LEAD = re.compile(r"[ \t]*(?:[-*+]\s+|\d{1,2}[.、]\s*|[(（]\d{1,2}[)）]\s*)?(?:\*\*)?")
#: … and the colon that makes a time (or a unit) the line's label: 8月：…, 7月28日上午：…, 德育处：…
LABEL_COLON = re.compile(r"(?:上午|下午|晚上|早上|中午|全天|晚)?(?:\*\*)?\s*[:：]")
#: An item's numbering lead (一、 （二） 3. ⑴ ㈠ 一是 …, markdown bullets before it): what activities and
#: link skip to reach an item's first words
ITEM_LEAD = re.compile(r"[\s\-*+>#]*(?:(?:第[一二三四五六七八九十]{1,3}[、.,:\s]?|[一二三四五六七八九十]{1,3}[、.]|"
                       r"\([一二三四五六七八九十]{1,3}\)[、.]?|\d{1,2}[、.](?!\d)|\(\d{1,2}\)[、.]?|\d{1,2}\)(?!\d)|"
                       r"[①②③④⑤⑥⑦⑧⑨⑩\u2474-\u2487\u3220-\u3229]|[一二三四五六七八九十]{1,2}是)\s*)?")
_NON_CJK = re.compile(r"[^\u4e00-\u9fff0-9A-Za-z]+")


def n_cjk(s: str) -> int:
    """The number of Han characters, digits and Latin letters in ``s``: what is left when the others
    are deleted (twice as fast as counting them one by one)."""
    return len(_NON_CJK.sub("", s))


# libyaml's loader when PyYAML has it (ten times faster on the lexicons at start-up)
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
LEXICON_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "lexicons")


@dataclass
class Span:
    start: int
    end: int
    label: str
    attrs: dict[str, Any] = field(default_factory=dict)

    def overlaps(self, other: "Span") -> bool:
        return self.start < other.end and other.start < self.end


@dataclass
class Ctx:
    text: str
    format: str = "txt"
    plans: list = field(default_factory=list)            # structure.PlanSpan
    sentences: list[tuple[int, int]] = field(default_factory=list)
    clauses: list[tuple[int, int]] = field(default_factory=list)
    furniture: list[tuple[int, int]] = field(default_factory=list)
    cells: list = field(default_factory=list)            # (start, end, table, row, col, header) for table cells
    field_labels: list[int] = field(default_factory=list)  # sorted starts of record labels (时间:, 责任单位:)
    tokens: list[tuple[int, int]] = field(default_factory=list)
    #: ``tokens`` itself when it is known to hold no empty token (the pipeline's tokenizers make none),
    #: which spares a check of every token; a list it is not, for a context whose tokens were replaced
    nonempty_tokens: Optional[list[tuple[int, int]]] = None
    layers: dict[str, list[Span]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)   # for the Document (a stage that failed …)

    def __post_init__(self):
        self.index()

    def index(self) -> None:
        """Index the sentences and clauses (again, after they were changed)."""
        self._sent_starts = list(map(_FIRST, self.sentences))  # (map and itemgetter: a C loop)
        self._clause_starts = list(map(_FIRST, self.clauses))

    def _containing(self, starts: list[int], spans: list[tuple[int, int]], pos: int) -> Optional[tuple[int, int]]:
        i = bisect.bisect_right(starts, pos) - 1
        if i >= 0 and spans[i][0] <= pos < spans[i][1]:
            return spans[i]
        return None

    @staticmethod
    def _starting_in(starts: list[int], spans: list[tuple[int, int]], a: int, b: int) -> list[tuple[int, int]]:
        i = bisect.bisect_left(starts, a)
        j = bisect.bisect_left(starts, b, i)
        return spans[i:j]

    def once(self, key: str, compute: Callable[[], Any]) -> Any:
        """``compute()``, computed once for this document: a result two stages share (the activities'
        heading regions, read again by link). The value must not be changed by its readers."""
        memo = self.__dict__.get("_once")
        if memo is None:
            memo = self.__dict__["_once"] = {}
        if key not in memo:
            memo[key] = compute()
        return memo[key]

    def line_starts(self) -> list[int]:
        """The offsets where the text's lines start (computed once)."""
        ls = self.__dict__.get("_line_starts")
        if ls is None:
            ls = self.__dict__["_line_starts"] = [0] + [m.end() for m in _NEWLINE.finditer(self.text)]
        return ls

    def token_starts(self) -> list[int]:
        """The starts of ``tokens``, in their order, for bisects: computed once per token list and
        shared by the extractors (quantities and organizations each built it per document). Computed
        again when ``tokens`` is replaced or grows (a hand-made context)."""
        toks = self.tokens
        if not toks:
            return []
        cached = self.__dict__.get("_tok_starts")
        if cached is None or cached[0] is not toks or cached[1] != len(toks):
            cached = self.__dict__["_tok_starts"] = (toks, len(toks), list(map(_FIRST, toks)))  # (a C loop)
        return cached[2]

    def clauses_in(self, a: int, b: int) -> list[tuple[int, int]]:
        """The clauses starting in [a, b), in order."""
        return self._starting_in(self._clause_starts, self.clauses, a, b)

    def sentences_in(self, a: int, b: int) -> list[tuple[int, int]]:
        """The sentences starting in [a, b), in order."""
        return self._starting_in(self._sent_starts, self.sentences, a, b)

    def sentence_of(self, pos: int) -> Optional[tuple[int, int]]:
        return self._containing(self._sent_starts, self.sentences, pos)

    def clause_of(self, pos: int) -> Optional[tuple[int, int]]:
        return self._containing(self._clause_starts, self.clauses, pos)

    def _plan_index(self) -> Optional[list[int]]:
        """Starts of the plans when they are sorted and disjoint (as structure.build makes them), else None."""
        plans = self.plans
        cached = self.__dict__.get("_plan_idx")
        if cached is None or cached[0] is not plans or cached[1] != len(plans):
            ok = all(a.end <= b.start for a, b in zip(plans, plans[1:]))
            cached = self.__dict__["_plan_idx"] = (plans, len(plans), [p.start for p in plans] if ok else None)
        return cached[2]

    def plan_of(self, pos: int):
        plans = self.plans
        cached = self.__dict__.get("_plan_idx")  # _plan_index(), inlined: the hottest lookup of all
        starts = cached[2] if cached is not None and cached[0] is plans and cached[1] == len(plans) \
            else self._plan_index()
        if starts is None:  # a hand-made context: scan
            for p in plans:
                if p.start <= pos < p.end:
                    return p
            return None
        i = bisect.bisect_right(starts, pos) - 1
        if i >= 0:
            p = plans[i]
            if pos < p.end:
                return p
        return None

    def section_of(self, pos: int):
        """Innermost section containing ``pos`` (or None; the first of equal level on a tie).

        The answer is the same for every position between two consecutive section boundaries
        of the plan: it is read from :meth:`section_stretches` (a bisect into the boundaries)
        instead of scanning every section on every call.
        """
        plan = self.plan_of(pos)
        if plan is None:
            return None
        bounds, _covers, innermost = self.section_stretches(plan)
        return innermost[bisect.bisect_right(bounds, pos)]

    def section_stretches(self, plan) -> tuple[list[int], list[list], list]:
        """(bounds, covers, innermost) of ``plan``'s sections, computed once per plan.

        ``bounds`` are the sorted section boundaries; stretch ``i`` (``bisect_right(bounds, pos)``)
        runs from ``bounds[i - 1]`` to ``bounds[i]``. ``covers[i]`` are the sections containing the
        stretch, in plan order (one sweep: a section covers the stretches from the one starting at
        its start up to the one ending at its end), and ``innermost[i]`` the first of the deepest
        level among them, or None. Computed again when the plan's sections are replaced or grow
        (a hand-made context)."""
        sections = plan.sections
        cache = self.__dict__.get("_sec_idx")
        if cache is None:
            cache = self.__dict__["_sec_idx"] = {}
        entry = cache.get(id(plan))
        if entry is None or entry[0] is not sections or entry[1] != len(sections):
            bounds = sorted({x for sec in sections for x in (sec.start, sec.end)})
            at = {x: n for n, x in enumerate(bounds)}
            covers: list[list] = [[] for _ in range(len(bounds) + 1)]
            for sec in sections:
                for n in range(at[sec.start] + 1, at[sec.end] + 1):
                    covers[n].append(sec)
            innermost = []
            for cov in covers:
                best = None
                for sec in cov:
                    if best is None or sec.level > best.level:
                        best = sec
                innermost.append(best)
            entry = cache[id(plan)] = (sections, len(sections), (bounds, covers, innermost))
        return entry[2]

    def _cell_starts(self) -> list[int]:
        starts = self.__dict__.get("_cell_idx")
        if starts is None or len(starts) != len(self.cells):
            starts = self.__dict__["_cell_idx"] = [c[0] for c in self.cells]
        return starts

    def cells_in(self, a: int, b: int) -> list:
        """The table cells starting in [a, b), in order."""
        return self._starting_in(self._cell_starts(), self.cells, a, b)

    def classified_cells(self, classify: Callable[[str], Any]) -> list[tuple[int, int, Any]]:
        """(start, end, class) of the table cells under a header whose ``classify(header)`` is true:
        Word and HTML tables, text tables and labelled records alike. ``classify`` is asked once per
        distinct header (a table repeats its headers on every row)."""
        known: dict = {}
        out = []
        for c in self.cells:
            header = c[5]
            if not header:
                continue
            h = str(header)
            if h not in known:
                known[h] = classify(h)
            if known[h]:
                out.append((c[0], c[1], known[h]))
        return out

    def cell_of(self, pos: int):
        """The table cell holding ``pos`` (cells are sorted by start and do not overlap)."""
        starts = self._cell_starts()
        i = bisect.bisect_right(starts, pos) - 1
        if i >= 0 and self.cells[i][0] <= pos <= self.cells[i][1]:
            return self.cells[i]
        return None

    def in_plans(self, start: int, end: int) -> bool:
        """Inside one plan and clear of web furniture (menus, footers)."""
        if self._plan_index() is not None:
            p = self.plan_of(start)
            if p is None or end > p.end:
                return False
        elif not any(p.start <= start and end <= p.end for p in self.plans):
            return False
        fur = self.furniture
        if not fur:
            return True
        starts = self._fur_index()
        if starts is None:  # a hand-made context: scan
            return not any(a < end and start < b for a, b in fur)
        # disjoint and sorted (furniture lines): only the last one starting before ``end`` can overlap
        i = bisect.bisect_left(starts, end) - 1
        return not (i >= 0 and fur[i][1] > start)

    def _fur_index(self) -> Optional[list[int]]:
        """Starts of the furniture when it is sorted and disjoint (furniture lines), else None."""
        fur = self.furniture
        starts = self.__dict__.get("_fur_starts")
        if starts is None or len(starts) != len(fur):
            starts = self.__dict__["_fur_starts"] = [a for a, _ in fur]
            self.__dict__["_fur_sorted"] = all(x[1] <= y[0] for x, y in zip(fur, fur[1:]))
        return starts if self.__dict__["_fur_sorted"] else None

    def spans_in_plans(self, spans: list[Span]) -> list[Span]:
        """The non-empty ``spans`` that :meth:`in_plans` accepts, in order; ``spans`` sorted by start.

        One walk along the plans and the furniture lines, both sorted and disjoint, with the
        sorted spans (two pointers that only move on), instead of two bisects per span."""
        plan_starts = self._plan_index()
        fur = self.furniture
        if plan_starts is None or (fur and self._fur_index() is None):  # a hand-made context
            return [sp for sp in spans if sp.end > sp.start and self.in_plans(sp.start, sp.end)]
        plans = self.plans
        n_plans, n_fur = len(plans), len(fur)
        k = -1  # the last plan starting at or before the span (plan_of's bisect)
        j = 0  # the first furniture line ending after the span's start: the only one that may overlap it
        plan_end = -1
        out = []
        for sp in spans:
            a, b = sp.start, sp.end
            if b <= a:
                continue
            if k + 1 < n_plans and plan_starts[k + 1] <= a:
                while k + 1 < n_plans and plan_starts[k + 1] <= a:
                    k += 1
                plan_end = plans[k].end
            if b > plan_end:  # (also a >= plan_end, or no plan yet: k < 0)
                continue
            while j < n_fur and fur[j][1] <= a:
                j += 1
            if j < n_fur and fur[j][0] < b:
                continue
            out.append(sp)
        return out


class Intervals:
    """Sorted interval lists with fast containment and overlap tests (one bisect each).

    With ``size`` (the text's length), ``mask[pos]`` (pos from 0 to size) is whether an interval
    covers pos: the truth of ``covering(pos)`` in one index, for the tests in inner loops (worth
    it for few intervals tested often: quotes, sections)."""

    def __init__(self, spans, size: Optional[int] = None):
        self.spans = sorted(spans)
        self.starts = [s for s, _ in self.spans]
        # reach[i]: the furthest end of spans[0..i], for the tests in one bisect (covers, inside, touches)
        self.reach = list(itertools.accumulate((e for _, e in self.spans), max))
        if size is not None:
            mask = bytearray(max([size] + [e for _, e in self.spans]) + 1)
            for s, e in self.spans:
                s = max(s, 0)
                if e > s:
                    mask[s:e] = b"\x01" * (e - s)
            self.mask = mask

    def covers(self, pos: int) -> bool:
        """Whether an interval covers pos (the truth of covering(pos), in one bisect)."""
        i = bisect.bisect_right(self.starts, pos) - 1
        return i >= 0 and self.reach[i] > pos

    def covering(self, pos: int):
        """The last interval (in sorted order) covering pos, or None."""
        i = bisect.bisect_right(self.starts, pos) - 1
        while i >= 0 and self.reach[i] > pos:  # (none before i reaches past pos: none covers it)
            s, e = self.spans[i]
            if pos < e:
                return (s, e)
            i -= 1
        return None

    def inside(self, a: int, b: int) -> bool:
        """Whether one interval holds [a, b) (a <= b): one starting at or before a reaches b."""
        i = bisect.bisect_right(self.starts, a) - 1
        return i >= 0 and self.reach[i] >= b

    def touches(self, a: int, b: int) -> bool:
        """Whether an interval overlaps [a, b): one starting before b reaches past a."""
        i = bisect.bisect_left(self.starts, b) - 1
        return i >= 0 and self.reach[i] > a



@functools.lru_cache(maxsize=None)
def lexicon(name: str) -> Any:
    """Load ``syextract/lexicons/<name>.yaml``.

    The lexicons are data shipped with the package and never change within a process: each
    extractor compiles its regexes from them once, and memoises per-word answers that depend on
    them (bounded :func:`memo` tables) without a way to reload them."""
    with open(os.path.join(LEXICON_DIR, name + ".yaml"), encoding="utf-8") as f:
        return yaml.load(f, Loader=_YAML_LOADER)


#: how to empty each memo of document text (:func:`memo`, and memo dicts registered by their owners)
_MEMO_CLEARS: list[Callable[[], None]] = []


def memo(maxsize: int):
    """``functools.lru_cache(maxsize=maxsize)`` for a function of the documents' text (a word, a name,
    a table header), registered so that :func:`clear_memos` empties it. Bounded: memory stays flat over
    any number of documents."""
    def wrap(fn):
        cached = functools.lru_cache(maxsize=maxsize)(fn)
        _MEMO_CLEARS.append(cached.cache_clear)
        return cached
    return wrap


def register_memo(clear: Callable[[], None]) -> None:
    """Have :func:`clear_memos` call ``clear``: for a memo of document text that is no :func:`memo`."""
    _MEMO_CLEARS.append(clear)


def clear_memos() -> None:
    """Empty every memo of document text: the state a new process starts in. Benchmarks call it
    before each timed pass, so that a pass over an archive costs what one run of ``syextract
    extract`` over it costs, not what a second run over the same texts would."""
    for clear in _MEMO_CLEARS:
        clear()


def by_first_char(alts, single_class: bool = False, start_guard: str = "") -> str:
    """One regex for the alternatives ``alts`` ((first character, rest of the regex), in order),
    grouped by their first character: ``(?:科(?:学技术…局|协)|人(?:力…|大)|…)``.

    Python's regex engine tries the alternatives of a flat ``A|B|C`` one by one at every
    position; grouped, it skips the positions whose character starts no alternative and
    tries one group at the others (more than ten times faster on ~200 heads). The matches
    are the same: the order within a group is kept, and alternatives starting with
    different characters never match at the same position.

    ``single_class`` writes the characters that are whole alternatives by themselves as one
    class (``[与同和及]``): faster inside a pattern whose other branches already keep the
    engine from skipping positions. ``start_guard`` is a zero-width assertion that must hold
    where a match starts (``(?<![一-鿿])``); written first it would make the engine try every
    position, so it is tested after the first character instead, as ``科(?<=GUARD科)``.
    """
    groups: dict[str, list[str]] = {}
    for ch, rest in alts:
        groups.setdefault(ch, []).append(rest)
    lone = [ch for ch, rests in groups.items() if rests == [""]] if single_class and not start_guard else []
    parts = ["[%s]" % "".join(re.escape(ch) for ch in lone)] if lone else []
    for ch, rests in groups.items():
        if ch not in lone:
            guard = "(?<=%s%s)" % (start_guard, re.escape(ch)) if start_guard else ""
            parts.append("%s%s(?:%s)" % (re.escape(ch), guard, "|".join(rests)))
    return "(?:%s)" % "|".join(parts)


def alternation(words, single_class: bool = False, start_guard: str = "", two_led: bool = False) -> str:
    """A regex alternation of literal words, longest first (so 八一建军节 wins over 八一), preceded by
    the assertion ``start_guard`` if given, grouped by first character for speed (see
    :func:`by_first_char`): the matches of the flat ``长词|短词|…`` in the same order.
    (Not for IGNORECASE patterns, where words of two groups could match at one position.)

    ``two_led`` (for a whole-text scan, without ``single_class`` or ``start_guard``), when every word
    has two characters or more: led by a class of their first characters and a look-ahead class of
    their second, then grouped by the second character, the first checked by a look-behind. The
    grouped alternation tries each first-character group in turn at every position whose character
    starts a word; most fail on the next character, which the look-ahead class rejects in one step.
    At a position the words tried are those starting with its two characters, in the same order:
    the same matches."""
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    if two_led and not (single_class or start_guard) and ordered and min(map(len, ordered)) >= 2:
        groups: dict[str, dict[str, list[str]]] = {}  # second character -> first character -> rests
        for w in ordered:
            groups.setdefault(w[1], {}).setdefault(w[0], []).append(re.escape(w[2:]))
        return "[%s](?=[%s])(?:%s)" % (
            "".join(map(re.escape, sorted({w[0] for w in ordered}))), "".join(map(re.escape, groups)),
            "|".join("%s(?:%s)" % (re.escape(c2), "|".join(
                "(?<=%s%s)(?:%s)" % (re.escape(c1), re.escape(c2), "|".join(rests)) for c1, rests in by_c1.items()))
                for c2, by_c1 in groups.items()))
    rx = by_first_char([(w[0], re.escape(w[1:])) for w in ordered if w], single_class, start_guard)
    return rx + "|" + start_guard if "" in ordered else rx  # the empty word last, as a flat alternation would try it


try:  # the standard library's regex parser, read by first_items (private modules)
    from re import _constants as _sre_c, _parser as _sre_parse
except ImportError:  # pragma: no cover - a Python that moved them again: no pattern is led (same matches)
    _sre_c = _sre_parse = None

_CATEGORY_CLASS = ({_sre_c.CATEGORY_DIGIT: r"\d", _sre_c.CATEGORY_SPACE: r"\s", _sre_c.CATEGORY_WORD: r"\w"}
                   if _sre_c is not None else {})


def _parsed(pattern: str) -> Optional[list]:
    """The parse tree of ``pattern`` (without flags that change what a character matches), or None."""
    if _sre_parse is None:
        return None
    try:
        parsed = _sre_parse.parse(pattern)
    except Exception:  # noqa: BLE001 - a private parser that changed
        return None
    if parsed.state.flags & (_sre_c.SRE_FLAG_IGNORECASE | _sre_c.SRE_FLAG_LOCALE):
        return None
    return parsed.data


def first_items(pattern: str) -> Optional[set[tuple]]:
    r"""What every match of ``pattern`` starts with, as character-class items: ``("char", c)``,
    ``("range", lo, hi)`` or ``("category", r"\d")``; None when not known (the match may be empty,
    the pattern has flags, or it uses a construct not followed here: a negated class, …).

    Reads the parse tree of the standard library's (private) regex parser. It only serves to make
    matching faster (a pattern led by a class of its first characters), so any failure means "not
    known" and the pattern is used as written."""
    return _items_read(pattern, _first_of)


def _items_read(pattern: str, read) -> Optional[set[tuple]]:
    """The class items ``read(parse tree)`` finds, (items, whether a match may lack the character
    read), when known, not empty and in every match; None otherwise."""
    data = _parsed(pattern)
    if data is None:
        return None
    try:
        found = read(data)
    except Exception:  # noqa: BLE001 - a private parser that changed: not known
        return None
    if found is None or found[1] or not found[0]:
        return None
    return found[0]


def _first_of(items) -> Optional[tuple[set, bool]]:
    """(class items a match of the parsed ``items`` can begin with, whether it can be empty), or None
    when the parse holds something this does not follow. Assertions are skipped (a superset)."""
    out: set = set()
    for op, av in items:
        if op is _sre_c.LITERAL:
            out.add(("char", chr(av)))
            return out, False
        if op is _sre_c.IN:
            for iop, iav in av:
                if iop is _sre_c.LITERAL:
                    out.add(("char", chr(iav)))
                elif iop is _sre_c.RANGE:
                    out.add(("range", chr(iav[0]), chr(iav[1])))
                elif iop is _sre_c.CATEGORY and iav in _CATEGORY_CLASS:
                    out.add(("category", _CATEGORY_CLASS[iav]))
                else:
                    return None  # a negated class, …
            return out, False
        if op in (_sre_c.AT, _sre_c.ASSERT, _sre_c.ASSERT_NOT):
            continue  # zero width
        found = _read_parts(op, av, _first_of)
        if found is None:
            return None
        out |= found[0]
        if not (found[1] or op in _REPEATS and av[0] == 0):  # (a part that cannot be empty ends the start)
            return out, False
    return out, True


_REPEATS = (_sre_c.MAX_REPEAT, _sre_c.MIN_REPEAT) if _sre_c is not None else ()


def _read_parts(op, av, read) -> Optional[tuple[set, bool]]:
    """``read`` of each part of a group (without inline flags), of each alternative of a branch or of
    a repeat's part: the union of the items found, and whether any part has the flag read; None when
    the node is none of these or a part is not known."""
    if op is _sre_c.SUBPATTERN and not av[1] and not av[2]:
        parts = [av[3]]
    elif op is _sre_c.BRANCH:
        parts = av[1]
    elif op in _REPEATS:
        parts = [av[2]]
    else:
        return None
    out: set = set()
    flag = False
    for part in parts:
        found = read(part)
        if found is None:
            return None
        out |= found[0]
        flag = flag or found[1]
    return out, flag


def literal_led(pattern: str) -> bool:
    """Whether every top-level branch of ``pattern`` opens with a literal character (what Python's
    regex compiler needs to give a pattern the set of first characters it scans for in C). Read
    from the parse tree like :func:`first_items`; any failure just means no."""
    data = _parsed(pattern)
    if not data:
        return False
    try:
        op, av = data[0]
        if op is _sre_c.LITERAL:
            return True
        return op is _sre_c.BRANCH and all(alt and alt[0][0] is _sre_c.LITERAL for alt in av[1])
    except Exception:  # noqa: BLE001 - a private parser that changed: no
        return False


def _second_of(items) -> Optional[tuple[set, bool]]:
    """(class items the second character of a match of the parsed ``items`` can be, whether a match
    can be one character long), or None when the parse holds something _first_of does not
    follow. Both are supersets: assertions are skipped, a repeat's bounds above one are not read.

    A match's second character is the second of a part's match, or the first of what follows a
    part matching one character, every part before it matching none."""
    out: set = set()
    one = False
    for k, item in enumerate(items):
        op, av = item
        head = _first_of([item])  # (its first items, whether it can match nothing)
        if head is None:
            return None
        if op in (_sre_c.LITERAL, _sre_c.IN):
            sub_second, sub_one = set(), True
        elif op in (_sre_c.AT, _sre_c.ASSERT, _sre_c.ASSERT_NOT):
            sub_second, sub_one = set(), False
        else:  # a group, a branch or a repeat (_first_of followed it)
            found = _read_parts(op, av, _second_of)
            if found is None:
                return None
            sub_second, sub_one = found
            if op in _REPEATS and av[1] >= 2 and sub_one:
                sub_second |= head[0]  # (a one-character match of the repeated part, then another)
        out |= sub_second
        if sub_one:
            rest = _first_of(items[k + 1:])
            if rest is None:
                return None
            out |= rest[0]
            one = one or rest[1]
        if not head[1]:
            break  # (the parts after it never hold a match's first character)
    return out, one


def second_items(pattern: str) -> Optional[set[tuple]]:
    """What the second character of every match of ``pattern`` is, as character-class items (those
    of :func:`first_items`); None when not known or a match may be shorter than two characters."""
    return _items_read(pattern, _second_of)


def digit_start(patterns) -> str:
    r"""A regex for a digit at which one of ``patterns`` may match: ``\d`` led by a lookahead for its run
    of digits followed by a character that one of them can hold right after the digits it starts with,
    or for those of them that can match digits only; ``\d`` when that is not known. Read from the parse
    trees of the standard library's regex parser, as :func:`first_items`."""
    trees = [_parsed(p) for p in patterns]
    try:
        found = [None if tree is None else _after_digits(tree, False) for tree in trees]
    except Exception:  # noqa: BLE001 - a private parser that changed: not known
        found = [None]
    if None in found:
        return r"\d"
    follow = set().union(*(items for items, _ in found))
    alone = [p for p, (_, ends) in zip(patterns, found) if True in ends]
    return r"(?=\d*[%s]%s)\d" % (class_of(follow), "".join("|" + p for p in alone))


def _after_digits(nodes, started: bool) -> Optional[tuple[set, set]]:
    """What a match of the parsed ``nodes`` that starts with a digit holds after its leading digits:
    (the class items of the character that follows them, the states in which a match can end before
    such a character: True when digits are behind); ``started``: whether digits are behind at the start
    of ``nodes``. None when not known. (A path where a character other than a digit comes first is
    dropped: such a match does not start with a digit.)"""
    items, states = set(), {started}
    for op, av in nodes:
        after: set = set()
        for state in states:
            found = _node_after_digits(op, av, state)
            if found is None:
                return None
            items |= found[0]
            after |= found[1]
        states = after
    return items, states


def _node_after_digits(op, av, started: bool) -> Optional[tuple[set, set]]:
    """:func:`_after_digits` for one node of a parse tree."""
    c = _sre_c
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
        return set(), {started}  # zero width (skipped: more characters allowed, never fewer)
    if op is c.LITERAL or op is c.IN:
        cls = [(op, av)] if op is c.LITERAL else av
        digits = [_is_digit(iop, iav) for iop, iav in cls]
        if None in digits:
            return None
        other = [it for it, digit in zip(cls, digits) if not digit]
        return (_first_of([(c.IN, other)])[0] if started and other else set(), {True} if any(digits) else set())
    if op is c.SUBPATTERN and not av[1] and not av[2]:  # a group (without inline flags)
        return _after_digits(av[3], started)
    if op is c.BRANCH:
        found = [_after_digits(alt, started) for alt in av[1]]
        if None in found:
            return None
        return set().union(*(f[0] for f in found)), set().union(*(f[1] for f in found))
    if op in (c.MAX_REPEAT, c.MIN_REPEAT):
        items, states, todo = set(), set(), {started}
        while todo:  # the states after one time through, after two …
            found = _after_digits(av[2], todo.pop())
            if found is None:
                return None
            items |= found[0]
            todo |= found[1] - states
            states |= found[1]
        return items, states | {started} if av[0] == 0 else states
    return None


def _is_digit(op, av) -> Optional[bool]:
    """Whether the characters of a class item are digits: all (True), none (False), some or unknown (None)."""
    if op is _sre_c.LITERAL:
        return chr(av).isdecimal()
    if op is _sre_c.RANGE:
        kinds = {chr(k).isdecimal() for k in range(av[0], av[1] + 1)}
        return kinds.pop() if len(kinds) == 1 else None
    if op is _sre_c.CATEGORY:
        return {_sre_c.CATEGORY_DIGIT: True, _sre_c.CATEGORY_SPACE: False}.get(av)
    return None


def class_of(items: set[tuple]) -> str:
    """The body of a character class (what goes between ``[`` and ``]``) for :func:`first_items`."""
    return "".join(sorted(re.escape(it[1]) if it[0] == "char" else
                          "%s-%s" % (re.escape(it[1]), re.escape(it[2])) if it[0] == "range" else it[1]
                          for it in items))


def first_class(pattern: str) -> Optional[str]:
    """The body of the class of the characters every match of ``pattern`` begins with; None when
    they are not known or a match may be empty (:func:`first_items`)."""
    items = first_items(pattern)
    return None if items is None else class_of(items)


def nonempty_first_class(pattern: str) -> Optional[str]:
    """The body of the class of the characters a non-empty match of ``pattern`` can begin with, for a
    pattern that may also match empty (where :func:`first_class` answers None); None when not known."""
    found = _first_of(_parsed(pattern) or [])
    return class_of(found[0]) if found and found[0] else None


def first_led(pattern: str) -> str:
    """``pattern`` led by a lookahead for the class of the characters its matches start with (when
    known): a match tried where none can start fails at one class test, not at every alternative."""
    first = first_class(pattern)
    return pattern if first is None else "(?=[%s])(?:%s)" % (first, pattern)


def class_led(pattern: str) -> str:
    """``pattern`` or, when its first characters are known, a one-character regex matching where it
    matches, led by their class (:func:`led_by_class`): in a branch the engine skips an alternative
    led by a class at once when the character is not in it, but enters one led by a group, an
    optional part or an assertion. For a test of whether (or where) ``pattern`` matches, not of what."""
    first = first_class(pattern)
    return pattern if first is None else led_by_class(first, pattern)


def led_by_class(chars: str, pattern: str) -> str:
    """A one-character regex matching at each position where ``pattern`` matches, led by the class
    ``[chars]`` of every character a match of ``pattern`` can start with.

    The regex engine jumps from one character of a leading class to the next, whereas a pattern
    starting with a lookbehind or a long alternation is tried in full at every position of the text.
    ``pattern`` is checked at the class character by a lookbehind over it holding a lookahead (so it
    must not hold backreferences)."""
    return "[%s](?<=(?=%s)(?s:.))" % (chars, pattern)


_PAREN = re.compile(r"[()]")


def bracket_end(text: str, a: int, b: int) -> int:
    """Where a field that starts at ``a`` inside a bracket ends within [a, b): at the ")" that closes that
    bracket (one opened before ``a``: 牵头单位:A;配合单位:B)…), else ``b``. Brackets opened inside the
    field are skipped with their contents (县双拥办(牵头))."""
    depth = 0
    for pm in _PAREN.finditer(text, a, b):
        if pm.group() == "(":
            depth += 1
        elif depth == 0:
            return pm.start()
        else:
            depth -= 1
    return b


def remove_overlaps(spans: list[Span]) -> list[Span]:
    """Keep the longest of overlapping spans (earliest on ties), in text order.

    The kept spans never overlap, so each candidate is checked against its two neighbours
    only (a bisect), not against every span kept so far: linear enough for a 1 MB line.
    """
    kept: list[Span] = []
    starts: list[int] = []
    for sp in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        i = bisect.bisect_left(starts, sp.start)
        if (i > 0 and kept[i - 1].end > sp.start) or (i < len(kept) and kept[i].start < sp.end):
            continue
        starts.insert(i, sp.start)
        kept.insert(i, sp)
    return kept


@functools.lru_cache(maxsize=1)
def jieba_tags():
    """Part-of-speech tag of a word in jieba's dictionary and the domain dictionary: ``jieba_tags().get(word)``.

    Extractors use the word classes to find where a noun phrase may start or end
    (开放|社区阅览室, 热水器|一台) without calling jieba. Answered by rjieba's
    dictionary on demand, exactly as the full table would (see :mod:`syextract.tagtable`).
    """
    from ..tagtable import tag_table

    return tag_table()


Extractor = Callable[[Ctx], list[Span]]
