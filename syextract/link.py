"""The last stage: plan issuers, then each activity's links.

* ``plan.issuer`` — the unit issuing a plan: from its title (幸福里社区2024年…计划
  → 幸福里社区), else a signature line at its end, else the first unit acting
  as a subject in its opening sentences (太平门社区将…, 县总工会根据…制定本计划).
* ``times`` — time expressions that govern the activity: those in its own
  clause, those in the adjunct clauses of its sentence before it (紧密结合元旦、
  春节…等契机，…将召开…), those of its item or section heading (1、___月，…),
  and its table row's 时间 cell.
* ``responsible`` — its table row's 责任单位/牵头单位 cell, the item's
  责任单位:/牵头单位: label, units marked 由X负责/组织/牵头 (or given such a role
  by the organizations layer) in its sentence, else the subject that carries
  it out (镇双拥办将组织… ; zero subjects are continued from the clause or the
  sentence before, and from the lead of a 一是…二是… enumeration), with bare
  anaphors resolved to the issuer (社区将与… → 太平门社区).
* ``participants`` — 参与/配合/协办/共建 units and 与/联合 partners.
* ``quantities`` — counts inside it; ``recurrence`` — from a linked recurring time.

Returns [] (the links live on the activity spans).
"""
from __future__ import annotations

import bisect
from bisect import bisect_left
import enum
import operator
import re
from typing import Optional, Sequence

from syextract.extractors.activities import _heading_regions
from syextract.extractors.base import ITEM_LEAD as _LEAD
from syextract.extractors.base import LABEL_COLON, SCHEDULE_LEAD, Ctx, Span, alternation, first_led, lexicon
from syextract.extractors.base import memo, nonempty_first_class
from syextract.extractors.base import n_cjk as _n_cjk

_C: Optional[dict] = None
_PLACE = re.compile(r"[\u4e00-\u9fffxX×]{1,8}?(?:街道|镇|乡|村|县|区)")
_NOT_SUBJECT_START = "各全我本该其此这那每到在对向为给与和从把被由于经按据以让使将请邀"
_CELL_UNIT = re.compile(r"[^、,，;；/\s]+")
_WS_MARKS = re.compile(r"[#*\s]+")
_IN_BOOK = re.compile(r"《([^》]{4,})》")
_TITLE_OPEN = re.compile(r"^(?:关于|\(|（)")
_TITLE_PUNCT = re.compile(r"[,，。;；《》“”]")
_DATE_LINE = re.compile(r"[\d一二三四五六七八九十〇零○xX×_]{2,4}\s*年.{0,12}日?")
_LINE_PUNCT = re.compile(r"[,，。;；:：!?！？]")
_TITLE_LINE = re.compile(r".{0,30}?(?:计划|方案|总结|安排|要点)")
_COLLECTIVE = re.compile(r"各|有关|相关")
_YEAR = re.compile(r"(?:19|20)\d{2}年?度?|20[xX×]{2}年?度?|[xX×]{2}年度?")


def _cfg() -> dict:
    global _C
    if _C is None:
        lx = lexicon("activities")
        c = {"lx": lx}
        c["openers"] = r"(?:(?:%s)\s*)+" % alternation(lx["clause_openers"] + ["由", "并由", "经"])
        # an item lead, the blanks and commas after it, then any openers, in one match (the opener group is
        # tried last and may match nothing, so the lead and the blanks are never given back: three matches
        # one after another)
        c["lead_opener"] = re.compile(_LEAD.pattern + r"[ \t,，、:：\"“”]*(?P<opener>%s)?" % c["openers"])
        # a character it can begin with: elsewhere (at most clause starts) its match is empty, not worth building
        first = nonempty_first_class(c["lead_opener"].pattern)
        c["lead_first"] = re.compile("[%s]" % first if first else "(?s:.)")
        c["tails"] = re.compile(r"(?:%s)" % alternation(lx["subject_tails"]))
        c["anaphor"] = re.compile(r"(?:%s)" % alternation(list(lx["anaphors"])))
        c["followers"] = set(lx["subject_followers"])
        # a subjectless opener after the item lead, any openers and blanks (each part possessive: what it
        # matches is not given back to the opener)
        c["subjectless"] = re.compile(r"(?>%s)(?:%s)?+[ ,，]*+(?:%s)" % (
            _LEAD.pattern, c["openers"], alternation(lx["subjectless_openers"])))
        c["resp_cue"] = re.compile(r"(?:%s)" % alternation(lx["responsible_cues"]))
        c["part_cue"] = re.compile(r"(?:%s)" % alternation(lx["participant_cues"]))
        c["comit"] = re.compile(r"(?:%s)$" % alternation(lx["comitative_markers"]))
        c["comit_lasts"] = {w[-1] for w in lx["comitative_markers"]} | {"\n"}
        c["resp_roles"] = set(lx["responsible_roles"])
        lxv = [w for k in ("action_verbs", "light_verbs") for w in lx.get(k, []) or [] if len(w) >= 2]
        c["not_unit"] = re.compile(alternation(lxv + list(lx["comitative_markers"]) + ["根据", "按照", "结合", "利用", "依托"]))
        c["unit_rx"] = _ending_in(lx["subject_unit_suffixes"], "{1,10}")
        c["post_rx"] = _ending_in(lx["subject_posts"], "{0,8}")
        # where an anaphor, a unit, a post or a place matches (the subject needs one to go on): the exact test
        # of the four patterns in one match, half the cost of the four calls, and 70% of the positions tried
        # fail it. (A class-led form would not be cheaper: a unit, a post and a place start with any Han
        # character.)
        c["subject_start"] = re.compile("|".join(rx.pattern for rx in (c["anaphor"], c["unit_rx"], c["post_rx"], _PLACE)))
        c["agent_markers"] = set(w for w in lx["agent_markers"] if len(w) == 2)
        c["part_roles"] = set(lx["participant_roles"])
        c["label_start"] = re.compile(r"\s*\(?\s*(?:%s)\s*[:：]\s*" % alternation(lx["responsible_headers"]))  # (责任单位:X) too
        # a label right before a mention inside a sentence: …不少于20户次(责任人:杨振华、李明); a unit's label
        # gives it a role (the organizations layer), a person's is read here
        c["resp_label_end"] = re.compile(r"(?:%s)\s*[:：]\s*$" % alternation(lx["responsible_headers"]))
        c["part_label_end"] = re.compile(r"(?:%s)\s*[:：]\s*$" % alternation(lx["participant_headers"]))
        # … or an item-final bracket that assigns it: （县人社局牵头，县退役军人事务局配合）
        c["item_open"] = re.compile(r"\s*(?:%s|\((?=[^()\n]{2,60}(?:牵头|负责|承办)[^()\n]{0,40}\)))"
                                    % alternation(lx["item_openers"]))
        # a word of every label and item-opener sentence (_Linker._item_sentence_index)
        c["item_words"] = re.compile(alternation(lx["responsible_headers"] + lx["item_openers"] + ["牵头", "负责", "承办"]))
        c["time_h"] = lx["time_headers"]
        c["resp_h"] = lx["responsible_headers"]
        c["part_h"] = lx["participant_headers"]
        c["issuer_suffix"] = tuple(sorted(lx["issuer_suffixes"], key=len, reverse=True))
        c["issuer_stop"] = re.compile(r"\d{4}|20[xX×]{2}|[xX×]{2}年|(?:%s)" % alternation(lx["issuer_stops"]))
        _C = c
    return _C


def _ending_in(words, repeat: str) -> re.Pattern:
    """A name of Han characters (``repeat`` of them, the fewest first) ending in one of ``words``. The
    lazy repeat tries the words after each character: led by a lookahead of their first characters,
    they let it move on at once where none starts (the same matches)."""
    return re.compile(r"[\u4e00-\u9fffxX×]%s?%s" % (repeat, first_led(alternation(words))))


#: a subject leading others (…书记带领/率领/带队…)
_LEADING = re.compile(r"(?:亲自)?(?:带领|率领|带队|领队)")
_START, _END = operator.attrgetter("start"), operator.attrgetter("end")
_START_END = operator.attrgetter("start", "end")


class _Index:
    def __init__(self, spans):
        # by start, the longest first (two stable sorts on attributes: no key function called per span)
        self.spans = sorted(spans, key=_END, reverse=True)
        self.spans.sort(key=_START)
        self.starts = list(map(_START, self.spans))
        # the longest span starting at each position (the first of its start in the sorted list)
        self.first: dict[int, Span] = dict(zip(reversed(self.starts), reversed(self.spans)))

    def within(self, a: int, b: int) -> list:
        """The spans inside [a, b), in order."""
        return _within(self.starts, self.spans, a, b)

    def at(self, pos: int):
        return self.first.get(pos)


def _within(starts: list[int], spans: list, a: int, b: int) -> list:
    """The spans (sorted by start, ``starts`` theirs) inside [a, b), in order."""
    i = bisect.bisect_left(starts, a)
    j = bisect.bisect_left(starts, b, i)  # the spans starting in [a, b) are spans[i:j]
    if i == j:
        return []
    return [s for s in spans[i:j] if s.end <= b]


_GENERIC_ISSUERS = {"乡镇", "社区", "街道", "学校", "单位", "部门", "机关", "全县", "全市", "全区", "全镇", "全乡",
                    "我乡", "我镇", "我县", "我校", "我社区", "本社区", "基层", "城乡", "县乡", "市县", "县区", "镇村",
                    "村", "镇", "乡", "县", "市", "区", "中学", "小学", "本单位", "我单位", "各单位"}


_NO_RECORDS = ((), ())  # an item without labelled records: none, and their starts (_Linker._item_records)
# outside every plan: no section, heading times, field times, label sentences or records (_Linker._stretch)
_NO_STRETCH = (None, (), (), (), _NO_RECORDS)


class _Link(enum.Enum):
    """What a cell header names (:func:`_header_kind`) and what a cue makes a mention
    (:meth:`_Linker._sentence_cues`)."""
    TIME = "time"
    RESPONSIBLE = "responsible"
    PARTICIPANT = "participant"
    COBUILD = "participant in its own clause"  # (a 共建单位)


# the members as module names (looking a member up on its Enum costs ~0.1 µs in Python 3.11: the cues are
# compared for every activity)
_TIME, _RESP, _PART, _COBUILD = _Link
_COBUILD_ROLE = "共建单位"  # the organizations layer's role of a _COBUILD participant


class _Linker:
    def __init__(self, ctx: Ctx):
        self.ctx = ctx
        self.text = ctx.text
        self.c = _cfg()
        L = ctx.layers
        self.times = _Index(L.get("times", []) or [])
        self.orgs = _Index(L.get("organizations", []) or [])
        self.people = _Index(L.get("people", []) or [])
        self.quants = _Index(L.get("quantities", []) or [])
        self.places = _Index([s for s in L.get("placeholders", []) or [] if s.attrs.get("kind") == "masked_place"])
        # the unit and person mentions by start, the units first at a start (each the longest first): what
        # orgs.within(a, b) + people.within(a, b) sorted by start gives, bisected (:meth:`_sentence_cues`)
        self.ments = sorted(self.orgs.spans + self.people.spans, key=_START)
        self.ment_starts = list(map(_START, self.ments))
        self._records: Optional[tuple] = None  # the labelled records, their starts and sections (:meth:`_item_records`)
        # the longest unit, person and place mention starting at each position (in that order)
        self.agents_at: dict[int, list] = {}
        for idx, kind in ((self.orgs, "org"), (self.people, "person"), (self.places, "place")):
            for pos, m in idx.first.items():
                self.agents_at.setdefault(pos, []).append((m, kind))
        self.acts = sorted(L.get("activities", []) or [], key=_START)
        # first activity verb per clause start
        self.clause_verb: dict[int, int] = {}
        for a in self.acts:
            cl = a.attrs.get("_clause")
            v = a.attrs.get("_verb")
            if cl and v:
                k = cl[0]
                self.clause_verb[k] = min(self.clause_verb.get(k, v[0]), v[0])
        # per-document caches of what depends only on a section or a table row, not on the activity
        # (keyed by id(): sections are not hashable; they all live as long as the linker)
        self._stretches: dict[int, tuple] = {}      # id(plan) -> its section stretches, {stretch: what its
                                                    # activities share}
        self._item_sents: Optional[tuple] = None    # the label / item-opener sentences, their starts
        self._head_times: dict[int, list] = {}      # id(section) -> times of its heading
        self._shi_leads: dict[int, object] = {}     # id(section) -> the first item of its 一是… enumeration
        self._rows: Optional[dict] = None           # (table, row) -> its cells
        self._row_links: dict[tuple, tuple] = {}    # (table, row, col) -> the links of the row's other cells
        self._label_units: dict[int, Optional[Span]] = {}  # id(section) -> the unit its item opens with
        self._sent_cues: dict[tuple, list] = {}     # (sentence start, end) -> its _sentence_cues
        self._subjectless_sents: dict[tuple, bool] = {}  # (sentence start, end) -> opens subjectless
        self._subjects: dict[tuple, tuple] = {}     # (start, end, id(plan)) -> the subject there (_subject)
        self.line_starts = ctx.line_starts()
        self.line_labels = self._line_label_times()  # line start -> its label time (8月：…)
        self._clause_starts_at: dict[int, Optional[int]] = {}  # position -> the start of its clause
        self._partner_cands: Optional[tuple] = None  # the units after a comitative marker or 邀请 (_partner_units)

    # ------------------------------------------------------------ subjects
    def _agents_at(self, pos: int, end: int):
        """Unit/person mentions starting at pos (longest first)."""
        best = None
        for m, kind in self.agents_at.get(pos, ()):
            if m.end <= end and (best is None or m.end > best[0].end):
                best = (m, kind)
        return best

    def subject(self, a: int, b: int, plan) -> tuple[list, str]:
        """The subject at the start of [a, b): (spans, kind) with kind org/person/place/anaphor/''."""
        t, c = self.text, self.c
        time_at, agents, lead_first = self.times.first.get, self.agents_at, c["lead_first"].match
        pos = a
        for _ in range(8):
            # (where no lead or opener can begin the match is empty; past b, after a time or 在…, no subject
            # is left either way)
            m = c["lead_opener"].match(t, pos, b) if lead_first(t, pos, b) else None
            if m:
                pos = m.end()
                if m["opener"]:
                    continue
            tm = time_at(pos)
            if tm is not None and tm.end <= b:
                pos = tm.end
                continue
            if t.startswith("在", pos) and time_at(pos + 1) is not None:
                pos = time_at(pos + 1).end
                continue
            break
        out, kind = [], ""
        while pos < b:
            hit = self._agents_at(pos, b) if pos in agents else None
            if hit is not None:
                m, k = hit
                out.append(m)
                kind = kind or k
                pos = m.end
            elif not c["subject_start"].match(t, pos, b):
                break  # (most clauses: one match instead of the four below)
            else:
                ma = c["anaphor"].match(t, pos, b)
                if ma and (ma.end() >= b or t[ma.end()] in c["followers"] or c["tails"].match(t, ma.end(), b)):
                    res = self._resolve(ma.group(0), plan, ma.start())
                    if res:
                        out.append(Span(ma.start(), ma.end(), "responsible", {"name": res}))
                        kind = kind or "anaphor"
                    else:
                        kind = kind or "unresolved"
                    pos = ma.end()
                elif (m2 := self._unit_at(pos, b, out)) is not None:
                    out.append(m2)
                    kind = kind or ("person" if m2.attrs.get("_post") else "org")
                    pos = m2.end
                else:
                    mp = _PLACE.match(t, pos, b) if not out and t[pos] not in _NOT_SUBJECT_START else None
                    if (mp and len(mp.group(0)) <= 6
                            and not c["not_unit"].search(mp.group(0))
                            and (mp.end() >= b or t[mp.end()] in c["followers"])):
                        out.append(Span(mp.start(), mp.end(), "responsible", {"name": mp.group(0)}))
                        kind = "place"
                        pos = mp.end()
                    else:
                        break
            mt = c["tails"].match(t, pos, b)
            if mt:
                pos = mt.end()
            if pos < b and t[pos] in "、和与及" and pos + 1 < b:
                nxt = pos + 1
                if self._agents_at(nxt, b) is not None or c["anaphor"].match(t, nxt, b):
                    pos = nxt
                    continue
            break
        return out, kind

    def _subject(self, a: int, b: int, plan) -> tuple[list, str]:
        """:meth:`subject`, computed once per span and plan while the activities are linked (the earlier
        clauses and the sentence before, which :meth:`_inherited` asks about, are shared by the activities
        of a sentence). Not while the issuers are found: an anaphor resolves to the issuer (the lists not
        to be changed)."""
        key = (a, b, id(plan))
        found = self._subjects.get(key)
        if found is None:
            found = self._subjects[key] = self.subject(a, b, plan)
        return found

    def _unit_at(self, pos: int, b: int, out: list) -> Optional[Span]:
        """A unit or a post named as the subject that the mention layers missed (镇政府拨款…; 镇党委书记带队…)."""
        t, c = self.text, self.c
        if t[pos] in _NOT_SUBJECT_START:
            return None
        for rx, post in ((c["unit_rx"], False), (c["post_rx"], True)):
            m = rx.match(t, pos, b)
            if not m or c["anaphor"].fullmatch(m.group(0)):
                continue
            e = m.end()
            if c["not_unit"].search(m.group(0)):
                continue  # 联合驻地武警中队…: a verb phrase, not a name
            if e >= b or t[e] in c["followers"] or c["tails"].match(t, e, b) or t[e] in "、和":
                return Span(m.start(), e, "responsible", {"name": m.group(0), "_post": post})
        return None

    def _resolve(self, word: str, plan, pos: int) -> Optional[str]:
        """The unit a bare anaphor (社区, 服务站, 部队) stands for: the plan's issuer when it is one,
        else the nearest unit of that kind named before it in the plan (驻镇某部二营 … 部队)."""
        sufs = tuple(self.c["lx"]["anaphors"].get(word, []) or [])
        if not sufs:
            return None
        issuer = getattr(plan, "issuer", None) if plan is not None else None
        if issuer and issuer.endswith(sufs):
            return issuer
        lo = plan.start if plan is not None else 0
        i = bisect.bisect_left(self.orgs.starts, pos) - 1
        for sp in self.orgs.spans[max(0, i - 40):i + 1][::-1]:
            if sp.end > pos or sp.start < lo:
                continue
            name = sp.attrs.get("name") or self.text[sp.start:sp.end]
            if name.endswith(sufs) and len(name) > len(word) and not sp.attrs.get("leading_group"):
                return name
        return None

    # ------------------------------------------------------------ helpers

    def prev_sentence(self, sent: tuple[int, int]) -> Optional[tuple[int, int]]:
        ctx = self.ctx
        i = bisect.bisect_left(ctx._sent_starts, sent[0]) - 1
        if i < 0:
            return None
        ps = ctx.sentences[i]
        if "\n" in self.text[ps[1]:sent[0]]:
            return None  # another paragraph
        return ps

    def sentence_subject(self, sent, plan, before: Optional[int] = None):
        for (ca, cb) in self.ctx.clauses_in(sent[0], sent[1] if before is None else before):
            subj, kind = self._subject(ca, cb, plan)
            if subj or kind in ("unresolved",):
                return subj, kind
        return [], ""

    # ------------------------------------------------------------ links
    def link(self, act: Span, plan, headings) -> None:
        # The range look-ups (``_Index.within``) are inlined below as two bisects and a slice, tested for
        # emptiness first: most ranges hold no time, unit or count, and a call per look-up (eight per
        # activity) cost more than the look-up itself.
        attrs = act.attrs
        a0, a1 = act.start, act.end
        ca, cb = attrs.get("_clause") or (a0, a1)
        sent = attrs.get("_sent") or self.ctx.sentence_of(a0) or (ca, cb)
        verb = attrs.get("_verb") or (a0, a0)
        # the activity's innermost section (its item) and the times and labels over it
        sec, sec_times, field_times, item_sents, records = self._stretch(a0, plan, headings)
        # ---- times
        tstarts, tspans = self.times.starts, self.times.spans
        i = bisect_left(tstarts, ca if ca < a0 else a0)
        j = bisect_left(tstarts, a1, i)
        times: list[Span] = [s for s in tspans[i:j] if s.end <= a1] if i < j else []
        own = bool(times)
        i = bisect_left(tstarts, sent[0])
        j = bisect_left(tstarts, ca, i)
        if i < j:
            clause_verb = self.clause_verb
            for tm in tspans[i:j]:
                if tm.end > ca:
                    continue
                v = clause_verb.get(self._clause_at(tm.start))
                # adjunct clauses govern; a topic time of an earlier activity only when this one has none
                if v is None or (tm.end <= v and not own):
                    times.append(tm)
        # clauses after it in its sentence, up to the next activity (…进行兵役登记，6月30日前登记率达到100%):
        # looked at only when a time starts after it in the sentence (most activities: none; the clauses lie
        # inside their sentence)
        i = bisect_left(tstarts, cb)
        if i < len(tstarts) and tstarts[i] < sent[1]:
            for (na, nb) in self.ctx.clauses_in(cb, sent[1]):
                if na < cb:
                    continue
                if na in self.clause_verb:
                    break
                i = bisect_left(tstarts, na)
                j = bisect_left(tstarts, nb, i)
                if i < j:
                    times += [s for s in tspans[i:j] if s.end <= nb]
        times += sec_times
        if self.line_labels:  # (most documents: none)
            tm = self.line_labels.get(self._line_start(a0))
            if tm is not None and tm.end <= a0:
                times.append(tm)
        times += field_times
        if self.ctx.cells:
            row_times, row_resp, row_part = self._row(a0, records)
            times += row_times
            resp: list[Span] = list(row_resp)
        else:  # no table, no record: no row (what _row says)
            resp, row_part = [], ()
        # ---- responsible
        if item_sents:
            resp += self._item_labels(act, plan, item_sents)
        cue_resp, cue_part = self._cues(sent, act, plan)
        resp += cue_resp
        subj, kind = self._subject(ca, verb[0] if verb[0] > ca else cb, plan)
        if not subj and kind not in ("person", "unresolved"):
            subj, kind = self._inherited(act, sent, ca, plan, sec)
        if kind != "" or subj:
            resp += subj
        # ---- participants
        part = [*row_part, *cue_part, *self._partners(ca, verb, act)]
        if part:
            rkeys = {(s.start, s.end) for s in resp}
            part = [p for p in part if (p.start, p.end) not in rkeys]
        attrs["times"] = times = _dedupe(times)
        attrs["responsible"] = _dedupe(resp)
        attrs["participants"] = _dedupe(part)
        q = self.quants
        i = bisect_left(q.starts, a0)
        j = bisect_left(q.starts, a1, i)
        attrs["quantities"] = [s for s in q.spans[i:j] if s.end <= a1] if i < j else []
        rec = None
        for tm in times:
            if tm.attrs.get("recurrence"):
                rec = tm.attrs["recurrence"]
                if a0 <= tm.start < a1:
                    break
        attrs["recurrence"] = rec

    def _clause_at(self, pos: int) -> Optional[int]:
        """The start of the clause holding ``pos`` (None outside every clause), looked up once per position
        (a time before an activity is looked up again by every later activity of its sentence)."""
        found = self._clause_starts_at.get(pos, self)
        if found is self:
            cl = self.ctx.clause_of(pos)
            found = self._clause_starts_at[pos] = cl[0] if cl else None
        return found

    def _item_field_times(self, records: Sequence) -> list:
        """The times of an item's labelled time fields (（一）…\n训练时间：3月23日至3月29日…; ``records``: its
        :meth:`_item_records`): they time every activity of the item (its own lines, not its sub-items')."""
        found = []
        for cs, ce, _table, _row, _col, header in records:
            if header and _header_kind(str(header)) is _TIME:
                found += self.times.within(cs, ce)
        return found

    def _line_label_times(self) -> dict[int, Span]:
        """The leading time of each schedule line that has one (8月：…；…, 7月28日上午：…), by line start: it
        governs every activity on the line after it. Found from the few times followed by a label colon
        (the longest at their start, where their line's lead ends), not tried at each activity's line. (A
        lead running on over a line end reaches a time that no activity of its line comes after.)"""
        t = self.text
        found = {}
        for pos, tm in self.times.first.items():
            if LABEL_COLON.match(t, tm.end):
                ls = self._line_start(pos)
                if SCHEDULE_LEAD.match(t, ls).end() == pos:
                    found[ls] = tm
        return found

    def _line_start(self, pos: int) -> int:
        """Where the line holding ``pos`` starts."""
        return self.line_starts[bisect.bisect_right(self.line_starts, pos) - 1]

    def _inherited(self, act, sent, ca, plan, sec):
        """A zero subject: from an earlier clause of the sentence, the sentence before, or a 一是 lead
        (``sec``: the activity's innermost section)."""
        for (pa, pb) in reversed(self.ctx.clauses_in(sent[0], ca)):
            subj, kind = self._subject(pa, pb, plan)
            if kind == "person":
                # a person leading the others in a clause of their own (书记宋慧兰带领…网格员，走访慰问…) does
                # what follows; a person is not otherwise carried over
                if subj and _LEADING.match(self.text, subj[-1].end, pb):
                    return subj, kind
                return [], "person"
            if subj or kind == "unresolved":
                return subj, kind
        if self._subjectless(sent):
            ps = self.prev_sentence(sent)
            if ps is not None:
                subj, kind = self.sentence_subject(ps, plan)
                if kind != "person" and subj:
                    return subj, kind
        unit = self._item_label_unit(sec)
        if unit is not None:
            return [unit], "org"
        if sec is not None and sec.scheme == "shi" and plan is not None:
            lead = self._shi_lead(sec, plan)
            if lead is not None:
                cl = self.ctx.clause_of(lead.start)
                if cl is not None and cl[0] < lead.start:
                    subj, kind = self._subject(cl[0], lead.start, plan)
                    if subj and kind != "person":
                        return subj, kind
        return [], ""

    def _item_label_unit(self, sec):
        """The unit a duty-list item opens with (（一）德育处：牵头负责…；…；…): the subject of the item."""
        if sec is None:
            return None
        if id(sec) not in self._label_units:
            t = self.text
            m = _LEAD.match(t, sec.body_start, sec.end)
            p = m.end() if m else sec.body_start
            org = self.orgs.at(p)
            self._label_units[id(sec)] = org if org is not None and LABEL_COLON.match(t, org.end) else None
        return self._label_units[id(sec)]

    def _subjectless(self, sent) -> bool:
        """Whether the sentence opens (after its numbering and openers) with a subjectless opener,
        continuing the subject of the sentence before (computed once per sentence)."""
        key = (sent[0], sent[1])
        found = self._subjectless_sents.get(key)
        if found is None:
            found = self._subjectless_sents[key] = bool(self.c["subjectless"].match(self.text, sent[0], sent[1]))
        return found

    def _shi_lead(self, sec, plan):
        """The first item (一是) of the 一是…二是… enumeration that the item ``sec`` belongs to
        (its first sibling of scheme shi starting no later than it), or None."""
        key = id(sec)
        if key not in self._shi_leads:
            self._shi_leads[key] = next((s for s in plan.sections if s.parent == sec.parent and s.scheme == "shi"
                                         and s.start <= sec.start), None)
        return self._shi_leads[key]

    def _lead_times(self, sec, plan) -> list:
        """Times before an enumeration's 一是 in its sentence (2024年，我们将…：一是…；二是…)."""
        lead = self._shi_lead(sec, plan)
        if lead is None:
            return []
        st = self.ctx.sentence_of(lead.start)
        if st is None or st[0] >= lead.start:
            return []
        return self.times.within(st[0], lead.start)

    def _stretch(self, pos: int, plan, headings) -> tuple:
        """What the activities at ``pos`` share with every position between the same two consecutive
        section boundaries of ``plan``, computed once per such stretch (the lists not to be changed):

        * the innermost section (``Ctx.section_of``: the activity's item);
        * the times of the headings of the sections containing ``pos`` (and of the lead of their
          一是…二是… enumerations), in plan order;
        * the times of the item's labelled time fields (:meth:`_item_field_times`);
        * the item's label and item-opener sentences (:meth:`_item_sentences`);
        * the item's labelled records and their starts (:meth:`_item_records`)."""
        if plan is None:
            return _NO_STRETCH
        per_plan = self._stretches.get(id(plan))
        if per_plan is None:  # (Ctx.section_stretches checks its cache is current on every call)
            per_plan = self._stretches[id(plan)] = (self.ctx.section_stretches(plan), {})
        (bounds, covers, innermost), found = per_plan
        i = bisect.bisect_right(bounds, pos)
        stretch = found.get(i)
        if stretch is None:
            times = []
            for s in covers[i]:  # the sections containing pos, in plan order
                times += self._heading_times(s, headings)
                if s.scheme == "shi":
                    times += self._lead_times(s, plan)
            sec = innermost[i]  # Ctx.section_of's answer
            if sec is None:
                stretch = found[i] = (None, times) + _NO_STRETCH[2:]
            else:
                records = self._item_records(sec)
                stretch = found[i] = (sec, times, self._item_field_times(records[0]), self._item_sentences(sec),
                                      records)
        return stretch

    def _heading_times(self, sec, headings) -> list:
        """The times in the heading of ``sec`` (the same for every activity under it: computed once)."""
        key = id(sec)
        if key not in self._head_times:
            self._head_times[key] = self._heading_times_of(sec, headings)
        return self._head_times[key]

    def _heading_times_of(self, sec, headings) -> list:
        region = headings.get(sec.id)
        if region is not None:
            return self.times.within(region[0], region[1])
        cl = self.ctx.clause_of(sec.body_start)
        if cl is None:
            return []
        a, b = sec.body_start, cl[1]
        tms = self.times.within(a, b)
        if not tms:
            return []
        rest = self.text[a:b]
        for tm in sorted(tms, key=lambda s: -s.start):
            rest = rest[:tm.start - a] + rest[tm.end - a:]
        return tms if _n_cjk(rest) <= 2 else []

    def _row(self, pos: int, records: tuple):
        """Times, responsible units and participants from the other cells of the table row holding ``pos``
        (or of the labelled record standing in for it among the item's ``records``: its :meth:`_item_records`)."""
        ctx = self.ctx
        if not ctx.cells:
            return [], [], []
        cell = ctx.cell_of(pos)
        if cell is None:
            cell = self._item_record(pos, records) or self._line_record(pos)
            if cell is None:
                return [], [], []
        _, _, table, row, col, _ = cell
        found = self._row_links.get((table, row, col))
        if found is None:
            found = self._row_links[(table, row, col)] = self._row_of(table, row, col)
        return found

    def _row_of(self, table: int, row: int, col: int) -> tuple[list, list, list]:
        """Times, responsible units and participants from the cells of a row but the column ``col``."""
        ctx = self.ctx
        if self._rows is None:  # the cells of each row, in document order
            self._rows = {}
            for cl in ctx.cells:
                self._rows.setdefault((cl[2], cl[3]), []).append(cl)
        times, resp, part = [], [], []
        for (s, e, tb, r, cc, header) in self._rows.get((table, row), ()):
            if cc == col or not header:
                continue
            kind = _header_kind(str(header))
            if kind is _TIME:
                times += self.times.within(s, e)
            elif kind is _RESP:
                found = self.orgs.within(s, e) + self.people.within(s, e)
                resp += found or self._cell_units(s, e)
            elif kind is _PART:
                part += self.orgs.within(s, e) + self.people.within(s, e)
        return times, resp, part

    def _item_record(self, pos: int, item_records: tuple):
        """A labelled record (时间：…；责任单位：…) in the activity's own item (the innermost section at ``pos``;
        ``item_records``: its :meth:`_item_records`), standing in for its row: the nearest one after the
        activity, else the nearest before. Returns a pseudo-cell of it."""
        records, starts = item_records
        if not records:
            return None
        # records are in text order (ctx.cells is sorted): the first at or after pos, else the last
        i = bisect.bisect_left(starts, pos)
        first = records[i] if i < len(records) else records[bisect.bisect_left(starts, starts[-1])]
        return (pos, pos, first[2], first[3], -1, None)

    def _line_record(self, pos: int):
        """A labelled record later on the line of ``pos``, outside any item's records: a row closed by its
        fields (3月——开展消防演练（牵头单位：镇应急办；配合单位：镇派出所）). A pseudo-cell of it, or None."""
        cells, starts, _secs = self._all_records()
        i = bisect_left(starts, pos)
        if i == len(starts):
            return None
        eol = self.text.find("\n", pos)
        if eol >= 0 and starts[i] >= eol:
            return None
        return (pos, pos, cells[i][2], cells[i][3], -1, None)

    def _all_records(self) -> tuple[list, list[int], list]:
        """The labelled records (cells of no table: a few among the table cells), in text order (as
        ctx.cells), their starts and the innermost section at each: found once, when an item asks."""
        if self._records is None:
            cells = [c for c in self.ctx.cells if c[2] < 0]
            self._records = (cells, [c[0] for c in cells], [self.ctx.section_of(c[0]) for c in cells])
        return self._records

    def _item_records(self, sec) -> tuple[Sequence, Sequence[int]]:
        """The labelled records (cells of no table) in the item ``sec``'s own lines (not its
        sub-items'), in text order, and their starts."""
        cells, starts, secs = self._all_records()
        i = bisect_left(starts, sec.start)
        j = bisect_left(starts, sec.end, i)
        if i == j:  # (most items)
            return _NO_RECORDS
        records = [c for c, inner in zip(cells[i:j], secs[i:j]) if (inner or sec).id == sec.id]
        return records, [c[0] for c in records]

    def _cell_units(self, s: int, e: int) -> list:
        out = []
        t = self.text
        for m in _CELL_UNIT.finditer(t[s:e]):
            if _n_cjk(m.group(0)) >= 2:
                out.append(Span(s + m.start(), s + m.end(), "responsible", {"name": m.group(0)}))
        return out

    def _item_labels(self, act, plan, item_sents) -> list:
        """责任单位:X / 牵头单位:X label sentences and 本项工作由X牵头 in the activity's item
        (``item_sents``: its :meth:`_item_sentences`)."""
        out = []
        for sent, label_end, units in item_sents:
            if label_end is not None:
                out += units
            else:
                resp, _ = self._cues(sent, act, plan)
                out += resp
        return out

    def _item_sentences(self, sec) -> list:
        """The sentences of the item ``sec`` itself (not of its sub-items) that are labels (责任单位:…, with
        the offset after the label and the units it names) or open with an item opener (本项工作…, with None,
        None)."""
        found, starts = self._item_sentence_index()
        i = bisect_left(starts, sec.start)
        j = bisect_left(starts, sec.end, i)
        if i == j:  # (most items)
            return []
        return [(sent, label_end, units) for sent, label_end, units, inner in found[i:j]
                if inner is None or inner.id == sec.id]  # (not a sub-item's)

    def _item_sentence_index(self) -> tuple[list, list[int]]:
        """The document's label and item-opener sentences as :meth:`_item_sentences` gives them, each with
        the innermost section at its start, and their starts (computed once: an item's are bisected out
        of them).

        Only the sentences overlapping one of the words without which no sentence is a label or opens
        with an item opener are tried (``item_words``: a label names a responsible header, an item
        opener is one of its words or a bracket naming 牵头/负责/承办), found by one search over the text
        (C-level) instead of three patterns tried on every sentence: the sentence holding a word's start
        and those starting inside it (sentences are sorted and disjoint, as ``Ctx.sentence_of`` takes
        them). (A word hidden by an overlapping match is inside a sentence that match overlaps.)"""
        if self._item_sents is None:
            t, c, ctx = self.text, self.c, self.ctx
            sents, sent_starts = ctx.sentences, ctx._sent_starts
            tried = set()  # (indices of the sentences overlapping a word)
            for w in c["item_words"].finditer(t):
                a, b = w.span()
                k = bisect.bisect_right(sent_starts, a) - 1
                if k < 0 or sents[k][1] <= a:
                    k += 1
                while k < len(sents) and sent_starts[k] < b:
                    tried.add(k)
                    k += 1
            found = []
            for k in sorted(tried):
                sent = sents[k]
                m = _LEAD.match(t, sent[0], sent[1])
                p = m.end() if m else sent[0]
                ml = c["label_start"].match(t, p, sent[1])
                label_end = ml.end() if ml else None
                if label_end is None and not c["item_open"].match(t, p, sent[1]):
                    continue
                units = None
                if label_end is not None:  # the units it names (the same for every activity of the item)
                    units = self.orgs.within(label_end, sent[1]) + self.people.within(label_end, sent[1])
                    units = units or self._cell_units(label_end, sent[1])
                found.append((sent, label_end, units, ctx.section_of(sent[0])))
            self._item_sents = (found, [e[0][0] for e in found])
        return self._item_sents

    def _cues(self, sent, act, plan):
        """由X组织/X负责/X牵头 (or a role from the organizations layer) in the sentence: its
        :meth:`_sentence_cues`, of which two depend on the activity: after an agent marker (依托X…) X is
        responsible only for the activities from the marker on, and a 共建单位 is a participant only in
        the activity's clause."""
        key = (sent[0], sent[1])
        cues = self._sent_cues.get(key)
        if cues is None:
            cues = self._sent_cues[key] = self._sentence_cues(sent)
        if not cues:
            return (), ()
        resp, part = [], []
        a0 = act.start
        for m, cue, j in cues:
            if j is not None and a0 >= j:
                resp.append(m)  # 依托社区退役军人服务站，为…提供…服务
            elif cue is _RESP:
                resp.append(m)
            elif cue is _PART:
                part.append(m)
            elif cue is _COBUILD:  # a 共建单位 only in the activity's clause
                clause = act.attrs.get("_clause") or (a0, act.end)
                if min(clause[0], a0) <= m.start < act.end:
                    part.append(m)
        return resp, part

    def _sentence_cues(self, sent) -> list:
        """The unit and person mentions of the sentence that :meth:`_cues` may take, in order, each as
        (mention, cue, j): its cue makes it responsible (_RESP), a participant (_PART), a participant in its
        own clause (_COBUILD, a 共建单位) or neither (None); ``j`` is set after an agent marker (依托X…): X is
        responsible for the activities starting from ``j`` on, and for the others what its cue says."""
        t, c = self.text, self.c
        found = []
        ments = _within(self.ment_starts, self.ments, sent[0], sent[1])
        for i, m in enumerate(ments):
            role = m.attrs.get("role")
            if role in c["resp_roles"]:
                found.append((m, _RESP, None))
                continue
            if role in c["part_roles"]:
                found.append((m, _COBUILD if role == _COBUILD_ROLE else _PART, None))
                continue
            # 由X(、Y)负责/组织; X(、Y)负责/牵头
            j = m.start
            k = i
            while k > 0 and t[ments[k - 1].end:ments[k].start] in ("、", "和", "与", "及"):
                k -= 1
                j = ments[k].start
            if m.label == "people" and t[j - 1:j] in (":", "：", " ", "\t"):  # (責任人：X, 负责人: X)
                label = t[max(sent[0], j - 8):j]
                if c["resp_label_end"].search(label):
                    found.append((m, _RESP, None))
                    continue
                if c["part_label_end"].search(label):
                    found.append((m, _PART, None))
                    continue
            before = t[max(sent[0], j - 2):j]
            if before.endswith("由"):
                cl = self.ctx.clause_of(m.start)
                if cl is not None and c["resp_cue"].search(t, m.end, cl[1]):
                    found.append((m, _RESP, None))
                    continue
            agent = j if before in c["agent_markers"] else None
            e = m.end
            mt = c["tails"].match(t, e, sent[1])
            if mt:
                e = mt.end()
            k = i
            while k + 1 < len(ments) and t[e:ments[k + 1].start] in ("、", "和", "与", "及"):
                k += 1
                e = ments[k].end
                mt = c["tails"].match(t, e, sent[1])
                if mt:
                    e = mt.end()
            if c["resp_cue"].match(t, e, sent[1]) and not t.startswith("组织的", e):
                found.append((m, _RESP, agent))
            elif c["part_cue"].match(t, e, sent[1]):
                found.append((m, _PART, agent))
            elif agent is not None:
                found.append((m, None, agent))
        return found

    def _partners(self, ca, verb, act) -> list:
        """与/同/联合 X before the verb; 邀请 X in the activity (among the units :meth:`_partner_units`
        found after a marker: most units follow none, so most activities look up nothing)."""
        (c_starts, comits), (i_starts, invited) = self._partner_cands or self._partner_units()
        out = []
        if comits:
            b = verb[0] if verb[0] > ca else ca
            i = bisect_left(c_starts, ca)
            j = bisect_left(c_starts, b, i)
            for m, ends in comits[i:j]:
                # ends[w]: a marker ends at the unit within the w characters before it; w is 2 unless the
                # clause starts closer (the marker must be inside the clause)
                if m.end <= b and ends[min(m.start - ca, 2)]:
                    out.append(m)
        if invited:
            a0, a1 = act.start, act.end
            i = bisect_left(i_starts, a0 + 2)  # (邀请 itself inside the activity)
            j = bisect_left(i_starts, a1, i)
            out += [m for m in invited[i:j] if m.end <= a1]
        return out

    def _partner_units(self) -> tuple:
        """The units (in ``orgs`` order) that a comitative marker ends right before, each with whether the
        zero, one and two characters before it end in one (:meth:`_partners` clips that window at the
        clause start), and those right after 邀请; each list with its starts. Computed once per document."""
        t, comit, lasts = self.text, self.c["comit"], self.c["comit_lasts"]
        comits, invited = [], []
        for m in self.orgs.spans:
            s = m.start
            # (the last character of a marker, or the newline before which ``$`` also matches)
            if s and t[s - 1] in lasts:
                ends = (False, bool(comit.search(t, s - 1, s)), s >= 2 and bool(comit.search(t, s - 2, s)))
                if any(ends):
                    comits.append((m, ends))
            if s >= 2 and t.startswith("邀请", s - 2):
                invited.append(m)
        self._partner_cands = (([m.start for m, _ in comits], comits), ([m.start for m in invited], invited))
        return self._partner_cands


@memo(4096)
def _header_kind(header: str) -> Optional[_Link]:
    """What a cell's header names: _TIME, _RESP or _PART (the first whose header words one is in), or
    None; found once per header text (tables repeat their headers on every row, documents the same
    headers)."""
    c = _cfg()
    return (_TIME if any(w in header for w in c["time_h"]) else
            _RESP if any(w in header for w in c["resp_h"]) else
            _PART if any(w in header for w in c["part_h"]) else None)


def _dedupe(spans: list) -> list:
    """The spans in text order, one per (start, end) (the first in ``spans`` order): ``spans`` itself when
    it has fewer than two (the callers pass fresh lists of their own: :meth:`_Linker.link`'s)."""
    if len(spans) < 2:
        return spans
    # (a stable sort on a C-level key: no lambda called per span; then the spans of a (start, end) are
    # neighbours, the first of them first)
    ordered = sorted(spans, key=_START_END)
    out = [ordered[0]]
    last = _START_END(ordered[0])
    for s in ordered[1:]:
        k = _START_END(s)
        if k != last:
            out.append(s)
            last = k
    return out


# ---------------------------------------------------------------- issuer

def _issuer_from_title(title: str) -> Optional[str]:
    c = _cfg()
    if not title:
        return None
    t = _WS_MARKS.sub("", title)
    inner = _IN_BOOK.search(t)
    if inner:  # 关于印发《柳林镇2024年…工作要点》的通知
        t = inner.group(1)
    t = _TITLE_OPEN.sub("", t)
    t = _YEAR.sub(lambda m: "|" if m.start() > 0 else "", t, count=1) if _YEAR.match(t) is None else _YEAR.sub("", t, count=1)
    t = t.lstrip("|")
    m = c["issuer_stop"].search(t)
    cand = t[:m.start()] if m else ""
    cand = cand.strip("|,，:：“”\"")
    if len(cand) < 2 or cand in _GENERIC_ISSUERS:
        return None
    if not cand.endswith(c["issuer_suffix"]):
        return None
    if _TITLE_PUNCT.search(cand):
        return None
    return cand


def _issuers(ctx: Ctx, linker: _Linker) -> None:
    text = ctx.text
    c = _cfg()
    for p in ctx.plans:
        if getattr(p, "issuer", None):
            continue
        issuer = _issuer_from_title(p.title or "")
        if issuer is None:
            # a title-like first body line (2022社区年度双拥工作计划…)
            start = p.title_span[1] if getattr(p, "title_span", None) else p.start
            line = text[start:text.find("\n", start) if text.find("\n", start) >= 0 else p.end].strip()
            mt = _TITLE_LINE.match(line)
            if mt:
                issuer = _issuer_from_title(mt.group(0))
        if issuer is None:
            issuer = _issuer_from_signature(text, p, c)
        if issuer is None:
            issuer = _issuer_from_body(ctx, linker, p)
        p.issuer = issuer


def _issuer_from_signature(text: str, p, c) -> Optional[str]:
    lines = [ln.strip(" \t*#") for ln in text[p.start:p.end].split("\n") if ln.strip()]
    for ln in reversed(lines[-3:]):
        if _DATE_LINE.fullmatch(ln):
            continue
        if 2 < len(ln) <= 30 and not _LINE_PUNCT.search(ln) and (
                ln.endswith(c["issuer_suffix"]) or ln.endswith("领导小组")):
            return ln
        break
    return None


def _issuer_from_body(ctx: Ctx, linker: _Linker, p) -> Optional[str]:
    start = p.title_span[1] if getattr(p, "title_span", None) else p.start
    sents = ctx.sentences_in(start, p.end)[:6]
    for sent in sents:
        for (ca, cb) in ctx.clauses_in(sent[0], sent[1]):
            subj, kind = linker.subject(ca, cb, p)
            orgs = [s for s in subj if s.label == "organizations"]
            orgs = [s for s in orgs if not (s.attrs.get("name") or "").endswith("领导小组")
                    and not _COLLECTIVE.match(s.attrs.get("name") or ctx.text[s.start:s.end])]
            if orgs:
                return "、".join(s.attrs.get("name") or ctx.text[s.start:s.end] for s in orgs)
    return None


# ---------------------------------------------------------------- stage

def _heading_map(ctx: Ctx) -> dict:
    """The heading region (the activities extractor's heading rule, shared) of each section that has one."""
    # the region starting at each offset (the last one in the set's order, as a scan of the set finds)
    by_start = {r[0]: r for r in set(_heading_regions(ctx, ctx.text))}
    return {s.id: by_start[s.start] for p in ctx.plans for s in p.sections if s.start in by_start}


#: People's roles that make them members of a leading group (组长, 常务副组长, 第一副组长, 成员).
_GROUP_ROLE = re.compile(r"^(?:第一|常务|执行)?(?:副)?组长$|^成员$")
#: How far (characters) a member list may run after its group is named.
_GROUP_REACH = 600


def _group_members(ctx: Ctx) -> None:
    """``Person.group``: each 组长/副组长/成员 belongs to the leading group their sentence names after
    them (成立以校长为组长的…领导小组), else to the one named last before them in their plan
    (成立…领导小组，组长：…；副组长：…；成员：…), within reach and in the same top-level section,
    so a later section's staff are not counted into an earlier group."""
    groups = sorted((o for o in ctx.layers.get("organizations", []) or [] if o.attrs.get("leading_group")),
                    key=lambda o: o.start)
    if not groups:
        return
    starts = [g.start for g in groups]
    for person in ctx.layers.get("people", []) or []:
        if not _GROUP_ROLE.match(person.attrs.get("role") or ""):
            continue
        i = bisect.bisect_right(starts, person.start)
        sent = ctx.sentence_of(person.start)
        if i < len(groups) and sent is not None and groups[i].start < sent[1]:
            person.attrs["group"] = groups[i]  # 成立以校长为组长、书记为副组长的双拥工作领导小组
            continue
        if i == 0:
            continue
        g = groups[i - 1]
        if person.start - g.end > _GROUP_REACH or ctx.plan_of(g.start) is not ctx.plan_of(person.start):
            continue
        top_g, top_p = _top_section(ctx, g.start), _top_section(ctx, person.start)
        if top_g is not None and top_p is not None and top_g is not top_p:
            continue
        person.attrs["group"] = g


def _top_section(ctx: Ctx, pos: int):
    sec = ctx.section_of(pos)
    plan = ctx.plan_of(pos)
    while sec is not None and sec.parent and plan is not None:
        sec = next((s for s in plan.sections if s.id == sec.parent), None)
    return sec


def extract(ctx: Ctx) -> list:
    linker = _Linker(ctx)
    _issuers(ctx, linker)
    headings = _heading_map(ctx)
    for act in linker.acts:
        linker.link(act, ctx.plan_of(act.start), headings)
    _group_members(ctx)
    return []
