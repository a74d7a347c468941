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
import re
from typing import Optional

from syextract.extractors.base import Ctx, Span, alternation, lexicon

_C: Optional[dict] = None
_CJK = re.compile(r"[\u4e00-\u9fff0-9A-Za-z]")
_LEAD = re.compile(r"[\s\-*+>#]*(?:(?:第[一二三四五六七八九十]{1,3}[、.,:\s]?|[一二三四五六七八九十]{1,3}[、.]|"
                   r"\([一二三四五六七八九十]{1,3}\)[、.]?|\d{1,2}[、.](?!\d)|\(\d{1,2}\)[、.]?|\d{1,2}\)(?!\d)|"
                   r"[①②③④⑤⑥⑦⑧⑨⑩]|[一二三四五六七八九十]{1,2}是)\s*)?")
_PLACE = re.compile(r"[\u4e00-\u9fffxX×]{1,8}?(?:街道|镇|乡|村|县|区)")
_NOT_SUBJECT_START = "各全我本该其此这那每到在对向为给与和从把被由于经按据以让使将请邀"
_YEAR = re.compile(r"(?:19|20)\d{2}年?度?|20[xX×]{2}年?度?|[xX×]{2}年度?")


def _cfg() -> dict:
    global _C
    if _C is None:
        lx = lexicon("activities")
        c = {"lx": lx}
        c["openers"] = re.compile(r"(?:(?:%s)\s*)+" % alternation(lx["clause_openers"] + ["由", "并由", "经"]))
        c["tails"] = re.compile(r"(?:%s)" % alternation(lx["subject_tails"]))
        c["anaphor"] = re.compile(r"(?:%s)" % alternation(list(lx["anaphors"])))
        c["followers"] = set(lx["subject_followers"])
        c["subjectless"] = re.compile(r"(?:%s)" % alternation(lx["subjectless_openers"]))
        c["resp_cue"] = re.compile(r"(?:%s)" % alternation(lx["responsible_cues"]))
        c["part_cue"] = re.compile(r"(?:%s)" % alternation(lx["participant_cues"]))
        c["comit"] = re.compile(r"(?:%s)$" % alternation(lx["comitative_markers"]))
        c["resp_roles"] = set(lx["responsible_roles"])
        lxv = [w for k in ("action_verbs", "light_verbs") for w in lx.get(k, []) or [] if len(w) >= 2]
        c["not_unit"] = re.compile(alternation(lxv + list(lx["comitative_markers"]) + ["根据", "按照", "结合", "利用", "依托"]))
        c["unit_rx"] = re.compile(r"[\u4e00-\u9fffxX×]{1,10}?(?:%s)" % alternation(lx["subject_unit_suffixes"]))
        c["post_rx"] = re.compile(r"[\u4e00-\u9fffxX×]{0,8}?(?:%s)" % alternation(lx["subject_posts"]))
        c["agent_markers"] = set(w for w in lx["agent_markers"] if len(w) == 2)
        c["part_roles"] = set(lx["participant_roles"])
        c["label_start"] = re.compile(r"\s*(?:%s)\s*[:：]\s*" % alternation(lx["responsible_headers"]))
        c["item_open"] = re.compile(r"\s*(?:%s)" % alternation(lx["item_openers"]))
        c["time_h"] = lx["time_headers"]
        c["resp_h"] = lx["responsible_headers"]
        c["part_h"] = lx["participant_headers"]
        c["issuer_suffix"] = tuple(sorted(lx["issuer_suffixes"], key=len, reverse=True))
        c["issuer_stop"] = re.compile(r"\d{4}|20[xX×]{2}|[xX×]{2}年|(?:%s)" % alternation(lx["issuer_stops"]))
        _C = c
    return _C


class _Index:
    def __init__(self, spans):
        self.spans = sorted(spans, key=lambda s: (s.start, -s.end))
        self.starts = [s.start for s in self.spans]

    def within(self, a: int, b: int) -> list:
        i = bisect.bisect_left(self.starts, a)
        out = []
        while i < len(self.spans) and self.spans[i].start < b:
            if self.spans[i].end <= b:
                out.append(self.spans[i])
            i += 1
        return out

    def at(self, pos: int):
        i = bisect.bisect_left(self.starts, pos)
        return self.spans[i] if i < len(self.spans) and self.spans[i].start == pos else None


_GENERIC_ISSUERS = {"乡镇", "社区", "街道", "学校", "单位", "部门", "机关", "全县", "全市", "全区", "全镇", "全乡",
                    "我乡", "我镇", "我县", "我校", "我社区", "本社区", "基层", "城乡", "县乡", "市县", "县区", "镇村",
                    "村", "镇", "乡", "县", "市", "区", "中学", "小学", "本单位", "我单位", "各单位"}


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
        self.acts = sorted(L.get("activities", []) or [], key=lambda s: s.start)
        # first activity verb per clause start
        self.clause_verb: dict[int, int] = {}
        for a in self.acts:
            cl = a.attrs.get("_clause")
            v = a.attrs.get("_verb")
            if cl and v:
                k = cl[0]
                self.clause_verb[k] = min(self.clause_verb.get(k, v[0]), v[0])

    # ------------------------------------------------------------ subjects
    def _agents_at(self, pos: int, end: int):
        """Unit/person mentions starting at pos (longest first)."""
        best = None
        for idx, kind in ((self.orgs, "org"), (self.people, "person"), (self.places, "place")):
            m = idx.at(pos)
            if m is not None and m.end <= end and (best is None or m.end > best[0].end):
                best = (m, kind)
        return best

    def subject(self, a: int, b: int, plan) -> tuple[list, str]:
        """The subject at the start of [a, b): (spans, kind) with kind org/person/place/anaphor/''."""
        t, c = self.text, self.c
        pos = a
        for _ in range(8):
            m = _LEAD.match(t, pos, b)
            if m and m.end() > pos:
                pos = m.end()
            while pos < b and t[pos] in " \t,，、:：\"“”":
                pos += 1
            m = c["openers"].match(t, pos, b)
            if m and m.end() > pos:
                pos = m.end()
                continue
            tm = self.times.at(pos)
            if tm is not None and tm.end <= b:
                pos = tm.end
                continue
            if t.startswith("在", pos) and self.times.at(pos + 1) is not None:
                pos = self.times.at(pos + 1).end
                continue
            break
        out, kind = [], ""
        while pos < b:
            hit = self._agents_at(pos, b)
            if hit is not None:
                m, k = hit
                out.append(m)
                kind = kind or k
                pos = m.end
            else:
                ma = c["anaphor"].match(t, pos, b)
                if ma and (ma.end() >= b or t[ma.end()] in c["followers"] or c["tails"].match(t, ma.end(), b)):
                    res = self._resolve(ma.group(0), plan)
                    if res:
                        out.append(Span(ma.start(), ma.end(), "responsible", {"name": res}))
                        kind = kind or "anaphor"
                    else:
                        kind = kind or "unresolved"
                    pos = ma.end()
                elif self._unit_at(pos, b, out):
                    m2 = self._unit_at(pos, b, out)
                    out.append(m2)
                    kind = kind or ("person" if m2.attrs.get("_post") else "org")
                    pos = m2.end
                else:
                    mp = _PLACE.match(t, pos, b)
                    if (mp and t[pos] not in _NOT_SUBJECT_START and not out and len(mp.group(0)) <= 6
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

    def _unit_at(self, pos: int, b: int, out: list) -> Optional[Span]:
        """A unit or a post named as the subject that the mention layers missed (镇政府拨款…; 镇党委书记带队…)."""
        t, c = self.text, self.c
        for rx, post in ((c["unit_rx"], False), (c["post_rx"], True)):
            m = rx.match(t, pos, b)
            if not m or t[pos] in _NOT_SUBJECT_START or c["anaphor"].fullmatch(m.group(0)):
                continue
            e = m.end()
            if c["not_unit"].search(m.group(0)):
                continue  # 联合驻地武警中队…: a verb phrase, not a name
            if e >= b or t[e] in c["followers"] or c["tails"].match(t, e, b) or t[e] in "、和":
                return Span(m.start(), e, "responsible", {"name": m.group(0), "_post": post})
        return None

    def _resolve(self, word: str, plan) -> Optional[str]:
        issuer = getattr(plan, "issuer", None) if plan is not None else None
        if not issuer:
            return None
        for suf in self.c["lx"]["anaphors"].get(word, []) or []:
            if issuer.endswith(suf):
                return issuer
        return None

    # ------------------------------------------------------------ helpers
    def clauses_in(self, a: int, b: int) -> list[tuple[int, int]]:
        return self.ctx.clauses_in(a, b)

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
        for (ca, cb) in self.clauses_in(sent[0], sent[1] if before is None else before):
            subj, kind = self.subject(ca, cb, plan)
            if subj or kind in ("unresolved",):
                return subj, kind
        return [], ""

    # ------------------------------------------------------------ links
    def link(self, act: Span, plan, headings) -> None:
        t, c = self.text, self.c
        ca, cb = act.attrs.get("_clause") or (act.start, act.end)
        sent = act.attrs.get("_sent") or self.ctx.sentence_of(act.start) or (ca, cb)
        verb = act.attrs.get("_verb") or (act.start, act.start)
        # ---- times
        times: list[Span] = []
        times += self.times.within(min(ca, act.start), act.end)
        own = bool(times)
        for tm in self.times.within(sent[0], ca):
            cl = self.ctx.clause_of(tm.start)
            v = self.clause_verb.get(cl[0]) if cl else None
            # adjunct clauses govern; a topic time of an earlier activity only when this one has none
            if v is None or (tm.end <= v and not own):
                times.append(tm)
        # clauses after it in its sentence, up to the next activity (…进行兵役登记，6月30日前登记率达到100%)
        for (na, nb) in self.clauses_in(cb, sent[1]):
            if na < cb:
                continue
            if na in self.clause_verb:
                break
            times += self.times.within(na, nb)
        for sec in self._sections(act.start, plan):
            times += self._heading_times(sec, headings)
            if sec.scheme == "shi":
                times += self._lead_times(sec, plan)
        row_times, row_resp, row_part = self._row(act.start)
        times += row_times
        # ---- responsible
        resp: list[Span] = list(row_resp)
        resp += self._item_labels(act, plan)
        cue_resp, cue_part = self._cues(sent, act, plan)
        resp += cue_resp
        subj, kind = self.subject(ca, verb[0] if verb[0] > ca else cb, plan)
        if not subj and kind not in ("person", "unresolved"):
            subj, kind = self._inherited(act, sent, ca, plan)
        if kind != "" or subj:
            resp += subj
        # ---- participants
        part = list(row_part) + cue_part + self._partners(ca, verb, act)
        rkeys = {(s.start, s.end) for s in resp}
        part = [p for p in part if (p.start, p.end) not in rkeys]
        act.attrs["times"] = _dedupe(times)
        act.attrs["responsible"] = _dedupe(resp)
        act.attrs["participants"] = _dedupe(part)
        act.attrs["quantities"] = self.quants.within(act.start, act.end)
        rec = None
        for tm in act.attrs["times"]:
            if tm.attrs.get("recurrence"):
                rec = tm.attrs["recurrence"]
                if act.start <= tm.start < act.end:
                    break
        act.attrs["recurrence"] = rec

    def _inherited(self, act, sent, ca, plan):
        """A zero subject: from an earlier clause of the sentence, the sentence before, or a 一是 lead."""
        clauses = [cl for cl in self.clauses_in(sent[0], ca)]
        for (pa, pb) in reversed(clauses):
            subj, kind = self.subject(pa, pb, plan)
            if kind == "person":
                return [], "person"
            if subj or kind == "unresolved":
                return subj, kind
        t = self.text
        first = sent[0]
        m = _LEAD.match(t, first, sent[1])
        p = m.end() if m else first
        mo = self.c["openers"].match(t, p, sent[1])
        if mo:
            p = mo.end()
        while p < sent[1] and t[p] in " ,，":
            p += 1
        if self.c["subjectless"].match(t, p, sent[1]):
            ps = self.prev_sentence(sent)
            if ps is not None:
                subj, kind = self.sentence_subject(ps, plan)
                if kind != "person" and subj:
                    return subj, kind
        sec = self.ctx.section_of(act.start)
        if sec is not None and sec.scheme == "shi" and plan is not None:
            sibs = [s for s in plan.sections if s.parent == sec.parent and s.scheme == "shi" and s.start <= sec.start]
            if sibs:
                lead = sibs[0]
                cl = self.ctx.clause_of(lead.start)
                if cl is not None and cl[0] < lead.start:
                    subj, kind = self.subject(cl[0], lead.start, plan)
                    if subj and kind != "person":
                        return subj, kind
        return [], ""

    def _lead_times(self, sec, plan) -> list:
        """Times before an enumeration's 一是 in its sentence (2024年，我们将…：一是…；二是…)."""
        sibs = [s for s in plan.sections if s.parent == sec.parent and s.scheme == "shi" and s.start <= sec.start]
        if not sibs:
            return []
        lead = sibs[0]
        st = self.ctx.sentence_of(lead.start)
        if st is None or st[0] >= lead.start:
            return []
        return self.times.within(st[0], lead.start)

    def _sections(self, pos: int, plan):
        if plan is None:
            return []
        return [s for s in plan.sections if s.start <= pos < s.end]

    def _heading_times(self, sec, headings) -> list:
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
        return tms if len(_CJK.findall(rest)) <= 2 else []

    def _row(self, pos: int):
        ctx = self.ctx
        if not ctx.cells:
            return [], [], []
        cell = ctx.cell_of(pos)
        if cell is None:
            cell = self._item_record(pos)
            if cell is None:
                return [], [], []
        _, _, table, row, col, _ = cell
        times, resp, part = [], [], []
        for (s, e, tb, r, cc, header) in ctx.cells:
            if tb != table or r != row or cc == col or not header:
                continue
            h = str(header)
            if any(w in h for w in self.c["time_h"]):
                times += self.times.within(s, e)
            elif any(w in h for w in self.c["resp_h"]):
                found = self.orgs.within(s, e) + self.people.within(s, e)
                resp += found or self._cell_units(s, e)
            elif any(w in h for w in self.c["part_h"]):
                part += self.orgs.within(s, e) + self.people.within(s, e)
        return times, resp, part

    def _item_record(self, pos: int):
        """A labelled record (时间：…；责任单位：…) in the activity's own item, standing in for its row:
        the nearest one after the activity, else the nearest before. Returns a pseudo-cell of it."""
        ctx = self.ctx
        sec = ctx.section_of(pos)
        if sec is None:
            return None
        records = [c for c in ctx.cells if c[2] < 0 and sec.start <= c[0] < sec.end
                   and (ctx.section_of(c[0]) or sec).id == sec.id]
        if not records:
            return None
        after = [c for c in records if c[0] >= pos]
        first = min(after, key=lambda c: c[0]) if after else max(records, key=lambda c: c[0])
        return (pos, pos, first[2], first[3], -1, None)

    def _cell_units(self, s: int, e: int) -> list:
        out = []
        t = self.text
        for m in re.finditer(r"[^、,，;；/\s]+", t[s:e]):
            if len(_CJK.findall(m.group(0))) >= 2:
                out.append(Span(s + m.start(), s + m.end(), "responsible", {"name": m.group(0)}))
        return out

    def _item_labels(self, act, plan) -> list:
        """责任单位:X / 牵头单位:X label sentences and 本项工作由X牵头 in the activity's item."""
        sec = self.ctx.section_of(act.start)
        if sec is None:
            return []
        t, c = self.text, self.c
        out = []
        for sent in self._sentences_in(sec.start, sec.end):
            inner = self.ctx.section_of(sent[0])
            if inner is not None and inner.id != sec.id:
                continue
            m = _LEAD.match(t, sent[0], sent[1])
            p = m.end() if m else sent[0]
            ml = c["label_start"].match(t, p, sent[1])
            if ml:
                found = [x for x in self.orgs.within(ml.end(), sent[1]) + self.people.within(ml.end(), sent[1])]
                out += found or self._cell_units(ml.end(), sent[1])
                continue
            if c["item_open"].match(t, p, sent[1]):
                resp, _ = self._cues(sent, act, plan)
                out += resp
        return out

    def _sentences_in(self, a: int, b: int) -> list:
        return self.ctx.sentences_in(a, b)

    def _cues(self, sent, act, plan):
        """由X组织/X负责/X牵头 (or a role from the organizations layer) in the sentence."""
        t, c = self.text, self.c
        resp, part = [], []
        ments = self.orgs.within(sent[0], sent[1]) + self.people.within(sent[0], sent[1])
        ments.sort(key=lambda s: s.start)
        for i, m in enumerate(ments):
            role = m.attrs.get("role")
            if role in c["resp_roles"]:
                resp.append(m)
                continue
            if role in c["part_roles"]:
                clause = act.attrs.get("_clause") or (act.start, act.end)
                if role != "共建单位" or min(clause[0], act.start) <= m.start < act.end:
                    part.append(m)
                continue
            # 由X(、Y)负责/组织; X(、Y)负责/牵头
            j = m.start
            k = i
            while k > 0 and t[ments[k - 1].end:ments[k].start] in ("、", "和", "与", "及"):
                k -= 1
                j = ments[k].start
            before = t[max(sent[0], j - 2):j]
            if before.endswith("由"):
                cl = self.ctx.clause_of(m.start)
                if cl is not None and c["resp_cue"].search(t, m.end, cl[1]):
                    resp.append(m)
                    continue
            if before in c["agent_markers"] and act.start >= j:
                resp.append(m)  # 依托社区退役军人服务站，为…提供…服务
                continue
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
                resp.append(m)
            elif c["part_cue"].match(t, e, sent[1]):
                part.append(m)
        return resp, part

    def _partners(self, ca, verb, act) -> list:
        """与/同/联合 X before the verb; 邀请 X in the activity."""
        t, c = self.text, self.c
        out = []
        for m in self.orgs.within(ca, max(verb[0], ca)):
            if c["comit"].search(t[max(ca, m.start - 2):m.start]):
                out.append(m)
        for m in self.orgs.within(act.start, act.end):
            if t[max(act.start, m.start - 2):m.start].endswith("邀请"):
                out.append(m)
        return out


def _dedupe(spans: list) -> list:
    seen, out = set(), []
    for s in sorted(spans, key=lambda s: (s.start, s.end)):
        k = (s.start, s.end)
        if k not in seen:
            seen.add(k)
            out.append(s)
    return out


# ---------------------------------------------------------------- issuer

def _issuer_from_title(title: str) -> Optional[str]:
    c = _cfg()
    if not title:
        return None
    t = re.sub(r"[#*\s]+", "", title)
    inner = re.search(r"《([^》]{4,})》", t)
    if inner:  # 关于印发《柳林镇2024年…工作要点》的通知
        t = inner.group(1)
    t = re.sub(r"^(?:关于|\(|（)", "", t)
    t = _YEAR.sub(lambda m: "|" if m.start() > 0 else "", t, count=1) if _YEAR.match(t) is None else _YEAR.sub("", t, count=1)
    t = t.lstrip("|")
    m = c["issuer_stop"].search(t)
    cand = t[:m.start()] if m else ""
    cand = cand.strip("|,，:：“”\"")
    if len(cand) < 2 or cand in _GENERIC_ISSUERS:
        return None
    if not cand.endswith(c["issuer_suffix"]):
        return None
    if re.search(r"[,，。;；《》“”]", cand):
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
            mt = re.match(r".{0,30}?(?:计划|方案|总结|安排|要点)", line)
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
        if re.fullmatch(r"[\d一二三四五六七八九十〇零○xX×_]{2,4}\s*年.{0,12}日?", ln):
            continue
        if 2 < len(ln) <= 30 and not re.search(r"[,，。;；:：!?！？]", ln) and (
                ln.endswith(c["issuer_suffix"]) or ln.endswith("领导小组")):
            return ln
        break
    return None


def _issuer_from_body(ctx: Ctx, linker: _Linker, p) -> Optional[str]:
    start = p.title_span[1] if getattr(p, "title_span", None) else p.start
    sents = [s for s in ctx.sentences if start <= s[0] < p.end][:6]
    for sent in sents:
        for (ca, cb) in linker.clauses_in(sent[0], sent[1]):
            subj, kind = linker.subject(ca, cb, p)
            orgs = [s for s in subj if s.label == "organizations"]
            orgs = [s for s in orgs if not (s.attrs.get("name") or "").endswith("领导小组")
                    and not re.match(r"各|有关|相关", s.attrs.get("name") or ctx.text[s.start:s.end])]
            if orgs:
                return "、".join(s.attrs.get("name") or ctx.text[s.start:s.end] for s in orgs)
    return None


# ---------------------------------------------------------------- stage

def _heading_map(ctx: Ctx) -> dict:
    try:  # the activities extractor's heading rule (shared)
        from .extractors import activities as A
    except ImportError:
        from . import activities as A

    regions = {}
    text = ctx.text
    hr = set(A._heading_regions(ctx, text)) if hasattr(A, "_heading_regions") else set()
    for p in ctx.plans:
        for s in p.sections:
            for (a, b) in hr:
                if a == s.start:
                    regions[s.id] = (a, b)
    return regions


def extract(ctx: Ctx) -> list:
    linker = _Linker(ctx)
    _issuers(ctx, linker)
    headings = _heading_map(ctx)
    for act in linker.acts:
        linker.link(act, ctx.plan_of(act.start), headings)
    return []
