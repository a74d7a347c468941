"""Shared ground for ``syextract diff`` and ``syextract check``.

* :class:`SpanRef` — a grounded span (document, start, end, text) that every
  diff change and check finding carries, so ``source[start:end] == text``.
* :func:`load_input` — a document file (extracted on the fly) or its JSON
  record (``syextract extract`` output), with the source text the offsets index.
* :class:`Item` / :func:`items_of` — the comparable units of a plan: its
  activities, with their times, counts and responsible units (taken from the
  activity's links, completed from the activity's sentence, line and item when
  the links are empty); when a plan has no activity records at all (an older
  record, an extractor that found none), the sentences carrying an action verb.
* :func:`normalise_name` — an activity's name as jieba tokens without times,
  counts, function words and generic words, for matching across documents.
"""
from __future__ import annotations

import functools
import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable, Optional

from pydantic import BaseModel, ConfigDict

from . import records as R


class SpanRef(BaseModel):
    """A span of one document's source text: ``text == source[start:end]``."""
    model_config = ConfigDict(extra="forbid")
    doc: Optional[str] = None
    start: int
    end: int
    text: str


# ----------------------------------------------------------------- loading

@dataclass
class Loaded:
    path: str
    doc: R.Document
    text: Optional[str]          # the source text offsets index (None when not recoverable)

    @property
    def name(self) -> str:
        """The document's file name (for a JSON record, the name of the source it was extracted from)."""
        if self.path.lower().endswith((".json", ".jsonl")) and self.doc.source.path:
            return os.path.basename(self.doc.source.path)
        return os.path.basename(self.path)

    def span(self, start: int, end: int) -> SpanRef:
        text = self.text[start:end] if self.text is not None else ""
        return SpanRef(doc=self.name, start=start, end=end, text=text)


class InputProblem(Exception):
    pass


DOC_EXTS = (".txt", ".md", ".markdown", ".html", ".htm", ".docx")


def _json_records(path: str) -> Optional[list[dict]]:
    """The records of a ``.json`` (one Document) or ``.jsonl`` file (one per line); None for other files."""
    if not path.lower().endswith((".json", ".jsonl")):
        return None
    with open(path, encoding="utf-8") as f:
        raw = f.read()
    if path.lower().endswith(".json"):
        try:
            return [json.loads(raw)]
        except json.JSONDecodeError:
            pass
    return [json.loads(line) for line in raw.splitlines() if line.strip()]


def _source_text_for(doc: R.Document, base_dir: str) -> Optional[str]:
    if doc.source.text is not None:
        return doc.source.text
    path = doc.source.path
    if not path:
        return None
    from .io import InputError, read

    for cand in (path, os.path.join(base_dir, path), os.path.join(base_dir, os.path.basename(path))):
        if os.path.isfile(cand):
            try:
                src = read(cand)
            except InputError:
                continue
            if not doc.source.text_sha256 or src.text_sha256 == doc.source.text_sha256:
                return src.text
    return None


def load_inputs(path: str, nlp=None) -> list[Loaded]:
    """A document (``.txt/.md/.html/.docx``) or its JSON record(s) (``.json``, ``.jsonl``) -> :class:`Loaded` list.

    Error records in a ``.jsonl`` are skipped; an input with no Document at all raises :class:`InputProblem`.
    """
    if not os.path.isfile(path):
        raise InputProblem(f"{path}: no such file")
    try:
        recs = _json_records(path)
    except (OSError, UnicodeDecodeError, ValueError) as e:
        raise InputProblem(f"{path}: not a JSON record ({e})")
    if recs is not None:
        out = []
        for rec in recs:
            if not isinstance(rec, dict) or ("error" in rec and "plans" not in rec):
                continue
            try:
                doc = R.Document.model_validate(rec)
            except Exception as e:
                raise InputProblem(f"{path}: not a syextract Document ({str(e).splitlines()[0]})")
            out.append(Loaded(path, doc, _source_text_for(doc, os.path.dirname(path))))
        if not out:
            raise InputProblem(f"{path}: no Document record in it")
        return out
    from .io import InputError, read
    from .pipeline import process

    try:
        src = read(path)
    except InputError as e:
        raise InputProblem(f"{path}: {e.message}")
    return [Loaded(path, process(src, nlp), src.text)]


def load_input(path: str, nlp=None) -> Loaded:
    """One document or one JSON record (the first Document of a ``.jsonl``)."""
    return load_inputs(path, nlp)[0]


# ------------------------------------------------------------- plan facts

YEAR_RE = re.compile(r"(?<![0-9０-９])((?:19|20)[0-9]{2})(?![0-9０-９])")
REPORT_RE = re.compile(r"总结|汇报|工作报告|情况报告|述职")
_GENRE_RE = re.compile(r"(?:关于)?(?:开展)?(?:“?双拥”?|拥军优属|国防教育|征兵|民兵|退役军人|安全生产|八一|建军节)")


def year_in(s: Optional[str]) -> Optional[int]:
    if not s:
        return None
    m = YEAR_RE.search(s)
    return int(m.group(1)) if m else None


def is_report(plan: R.Plan) -> bool:
    return bool(plan.title and REPORT_RE.search(plan.title))


def issuer_of(plan: R.Plan) -> Optional[str]:
    """The plan's issuer: the record's, else what stands before the year or genre in its title."""
    if plan.issuer:
        return plan.issuer.strip()
    title = (plan.title or "").strip().strip("#*").strip()
    if not title:
        return None
    m = YEAR_RE.search(title)
    head = title[:m.start()] if m else title
    g = _GENRE_RE.search(head)
    if g:
        head = head[:g.start()]
    head = re.sub(r"[\s　“”\"'《》（）()]+", "", head)
    if 2 <= len(head) <= 20 and re.search(r"[\u4e00-\u9fff]", head) and re.search(
            r"(省|市|县|区|镇|乡|村|街道|社区|学校|中学|小学|大学|学院|工会|公司|局|委|办|部|中心|站|厂|部队)$", head):
        return head
    return None


# ------------------------------------------------------------------ tokens

@functools.lru_cache(maxsize=1)
def _jieba():
    """jieba with the domain dictionary, as the pipeline loaded it (loading it twice would skew jieba's counts)."""
    import jieba

    from .pipeline import load

    nlp = load()
    seg = getattr(nlp.tokenizer, "jieba_seg", None)
    return seg if seg is not None and hasattr(seg, "lcut") else jieba


@functools.lru_cache(maxsize=4096)
def tokens(s: str) -> tuple[str, ...]:
    return tuple(t for t in _jieba().lcut(s) if t.strip())


#: words that carry no meaning of their own for telling activities apart
STOP = set("""的 地 得 了 在 为 对 与 和 及 并 等 向 将 于 由 把 从 给 以 其 各 各类 各项 有关 相关
一 一次 一场 一期 一批 全 全镇 全乡 全村 全县 全区 全市 全年 全社区 本 本镇 本社区 辖区 我 我镇 我乡
镇 乡 村 社区 街道 开展 组织 组织开展 举办 举行 召开 进行 做好 搞好 抓好 积极 认真 继续 进一步 深入
活动 工作 相关 专题 主题 有关 上年 年度 今年 明年 去年 共 共计 合计 其中 约 近 余 多""".split())
_PUNCT_RE = re.compile(r"^[\W_]+$")
_NUM_RE = re.compile(r"^[0-9０-９.．%％]+$|^[一二三四五六七八九十百千万两零〇]+[次场期户名人个支项]?$")


def normalise_name(s: str, drop: Iterable[str] = ()) -> tuple[str, ...]:
    """Content tokens of an activity phrase (times, counts and ``drop`` texts removed first)."""
    for d in sorted(set(drop), key=len, reverse=True):
        if d:
            s = s.replace(d, " ")
    s = re.sub(r"\\([_*])", r"\1", s)
    s = re.sub(r"(?:19|20)[0-9]{2}年?度?", " ", s)
    out = []
    for t in tokens(s):
        if t in STOP or _PUNCT_RE.match(t) or _NUM_RE.match(t):
            continue
        out.append(t)
    return tuple(out)


def similarity(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    """0..100: the better of token-sorted and character similarity of two normalised names (rapidfuzz)."""
    if not a or not b:
        return 0.0
    if a == b:
        return 100.0
    from rapidfuzz import fuzz

    tok = fuzz.token_sort_ratio(" ".join(a), " ".join(b))
    chars = fuzz.ratio("".join(a), "".join(b))
    return float(max(tok, chars))


def width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def pad(s: str, w: int) -> str:
    return s + " " * max(0, w - width(s))


def clip(s: str, w: int) -> str:
    s = re.sub(r"\s+", " ", s)
    if width(s) <= w:
        return s
    out, n = "", 0
    for c in s:
        cw = width(c)
        if n + cw > w - 1:
            break
        out += c
        n += cw
    return out + "…"


# ------------------------------------------------------------------- items

SENT_END = "。！？!?；;\n"
ACTION_VERBS = ("走访慰问", "召开", "举办", "举行", "开展", "组织", "慰问", "走访", "看望", "邀请", "评选", "表彰", "发放",
                "拨款", "捐赠", "参观", "体检", "义诊", "演练", "演习", "培训", "宣讲", "座谈", "招聘", "出板报", "悬挂",
                "推送", "检查", "巡查", "授课", "讲座", "联谊", "军训", "慰问金")
RESP_ROLES = {"责任单位", "牵头单位", "负责", "承办单位", "主办单位"}
RESP_CUE_RE = re.compile(r"(?:责任单位|牵头单位|负责单位|承办单位|责任人|负责人)\s*[:：]\s*([^。；;\n]+)")
RESP_BY_RE = re.compile(r"由([^，。；;\n由]{2,20}?)(?:负责|牵头|组织实施|组织|承办)")
STAT_RE = re.compile(r"共计|合计|总计|全年共|累计|其中")
OUTLOOK_RE = re.compile(r"打算|计划|思路|展望|不足|问题|建议|设想|下一步")


@dataclass
class Mark:
    """A time, count or unit attached to an item, grounded in the source."""
    text: str
    start: int
    end: int
    key: object = None       # time: canonical tuple; quantity: (value, unit); unit: normalised name

    def ref(self, ld: Loaded) -> SpanRef:
        return ld.span(self.start, self.end)


@dataclass
class Item:
    plan: str
    start: int
    end: int
    text: str
    name: str
    norm: tuple[str, ...]
    kind: str = "activity"          # activity | sentence
    id: Optional[str] = None
    section: Optional[str] = None
    times: list[Mark] = field(default_factory=list)
    quantities: list[Mark] = field(default_factory=list)
    responsible: list[Mark] = field(default_factory=list)
    members: list["Item"] = field(default_factory=list)

    @property
    def label(self) -> str:
        if self.members:
            return "、".join(m.label for m in self.members)
        if self.kind == "activity" and self.text and len(self.text) <= 24:
            return self.text
        return self.name or self.text

    def time_keys(self) -> tuple:
        return tuple(sorted({m.key for m in self.times}, key=repr))

    def resp_keys(self) -> frozenset:
        return frozenset(m.key for m in self.responsible)


def _year_only(t: Optional[R.TimeExpr], text: str) -> bool:
    """A bare year (2024年) or a vague time: it says nothing about when in the year, so it is not compared."""
    if t is None:
        return bool(re.fullmatch(r"(?:19|20)[0-9]{2}年?度?|今年|明年|全年|年内", text))
    return t.vague or (t.month is None and t.day is None and t.festival is None and t.season is None
                       and t.recurrence is None and t.part is None and (t.year is not None or t.year_end is not None))


def time_key(t: R.TimeExpr):
    k = (t.month, t.month_end, t.day, t.day_end, t.part, t.festival, t.relation, t.season, t.recurrence)
    return k if any(v is not None for v in k) else ("text", t.text)


def _unit_key(name: str) -> str:
    return re.sub(r"\s+|“|”|\"", "", name).strip("：:，,。 ")


def _bounds(text: str, pos: int, lo: int, hi: int, stops: str) -> tuple[int, int]:
    s = pos
    while s > lo and text[s - 1] not in stops:
        s -= 1
    e = pos
    while e < hi and text[e] not in stops:
        e += 1
    return s, e


def _line(text: str, pos: int, lo: int, hi: int) -> tuple[int, int]:
    return _bounds(text, pos, lo, hi, "\n")


def _sentence(text: str, pos: int, lo: int, hi: int) -> tuple[int, int]:
    return _bounds(text, pos, lo, hi, SENT_END)


def _resp_from_text(text: str, s: int, e: int) -> list[Mark]:
    out = []
    seg = text[s:e]
    for m in RESP_CUE_RE.finditer(seg):
        base = s + m.start(1)
        for part in re.finditer(r"[^、，,和及\s]+", m.group(1)):
            name = part.group(0).strip()
            if len(name) >= 2:
                out.append(Mark(name, base + part.start(), base + part.end(), _unit_key(name)))
    if not out:
        for m in RESP_BY_RE.finditer(seg):
            name = m.group(1).strip()
            out.append(Mark(name, s + m.start(1), s + m.end(1), _unit_key(name)))
    return out


def _plan_lookup(plan: R.Plan):
    times = sorted(plan.times, key=lambda t: t.start)
    qs = sorted(plan.quantities, key=lambda q: q.start)
    orgs = sorted(plan.organizations, key=lambda o: o.start)
    return times, qs, orgs


def _within(ms, s, e):
    return [m for m in ms if m.start >= s and m.end <= e]


def _time_marks(ts) -> list[Mark]:
    return [Mark(t.text, t.start, t.end, time_key(t)) for t in ts if not _year_only(t, t.text)]


def _qty_marks(qs) -> list[Mark]:
    return [Mark(q.text, q.start, q.end, (q.value, q.unit)) for q in qs if q.unit not in ("周年",)]


def _heading_times(plan: R.Plan, times, text: str, pos: int) -> list:
    """Times in the heading line of the innermost section holding ``pos`` (（一）春节期间走访慰问)."""
    secs = sorted((s for s in plan.sections if s.start <= pos < s.end), key=lambda s: -s.level)
    for sec in secs:
        nl = text.find("\n", sec.start, sec.end)
        head_end = nl if nl != -1 else sec.end
        if sec.start <= pos < head_end:
            continue            # the item is the heading line itself
        hits = [t for t in times if sec.start <= t.start and t.end <= head_end]
        if hits:
            return hits
    return []


def items_of(ld: Loaded, plan: R.Plan, report: bool = False) -> list[Item]:
    """The comparable units of ``plan``: activity records (completed from context), or action sentences."""
    text = ld.text or ""
    times, qs, orgs = _plan_lookup(plan)
    items: list[Item] = []
    if plan.activities:
        for a in plan.activities:
            it = Item(plan=plan.id, start=a.start, end=a.end, text=a.text, name=a.name or a.text, norm=(),
                      id=a.id, section=a.section)
            it.times = [Mark(r.text, r.start, r.end) for r in a.times]
            it.quantities = [Mark(r.text, r.start, r.end) for r in a.quantities]
            it.responsible = [Mark(r.text, r.start, r.end, _unit_key(r.name or r.text)) for r in a.responsible]
            # canonical keys from the plan's mentions at the same offsets
            tmap = {(t.start, t.end): t for t in times}
            qmap = {(q.start, q.end): q for q in qs}
            it.times = [Mark(m.text, m.start, m.end, time_key(tmap[(m.start, m.end)]) if (m.start, m.end) in tmap
                             else ("text", m.text)) for m in it.times
                        if not _year_only(tmap.get((m.start, m.end)), m.text)]
            it.quantities = [Mark(m.text, m.start, m.end, (qmap[(m.start, m.end)].value, qmap[(m.start, m.end)].unit)
                                  if (m.start, m.end) in qmap else ("text", m.text)) for m in it.quantities]
            items.append(it)
    elif text:
        items = _sentence_items(ld, plan, report)
    # complete empty links from context
    for it in items:
        if not text:
            break
        ss, se = _sentence(text, it.start, plan.start, plan.end)
        se = max(se, it.end)
        ls, le = _line(text, it.start, plan.start, plan.end)
        le = max(le, it.end)
        if not it.times:
            ts = _within(times, ss, se) or [t for t in _within(times, ls, le) if t.start - ls <= 8] \
                or _heading_times(plan, times, text, it.start)
            it.times = _time_marks(ts)
        if not it.quantities:
            it.quantities = _qty_marks(_within(qs, it.start, it.end) or (_within(qs, ss, se) if it.kind == "activity"
                                                                          else []))
        if not it.responsible:
            rs = [o for o in _within(orgs, ls, le) if o.role in RESP_ROLES]
            it.responsible = [Mark(o.text, o.start, o.end, _unit_key(o.name)) for o in rs] or _resp_from_text(text, ls, le)
        drop = [m.text for m in it.times] + [m.text for m in it.quantities]
        it.norm = normalise_name(it.name, drop)
        if not it.norm:
            it.norm = normalise_name(it.text, drop)
    return [it for it in items if it.norm]


_LABEL_RE = re.compile(r"^\s*(?:[-*#>]+\s*)*(?:[0-9]+[.、．)]|[（(][0-9一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、|"
                       r"[①-⑳])?\s*")


def _sentence_items(ld: Loaded, plan: R.Plan, report: bool) -> list[Item]:
    """Fallback: every sentence of the plan body holding an action verb (one item per sentence)."""
    text = ld.text or ""
    body_start = plan.start
    first_nl = text.find("\n", plan.start, plan.end)
    if plan.title and first_nl != -1 and plan.title.strip("#* ") in text[plan.start:first_nl]:
        body_start = first_nl + 1
    outlook = [(s.start, s.end) for s in plan.sections if s.title and OUTLOOK_RE.search(s.title)] if report else []
    headings = []   # first lines that only name a section with a body below them
    for x in plan.sections:
        nl = text.find("\n", x.start, x.end)
        if nl != -1 and text[nl:x.end].strip() and len(text[x.start:nl].strip()) <= len(
                (x.number or "") + (x.title or "")) + 6:
            headings.append((x.start, nl))
    out = []
    i = body_start
    while i < plan.end:
        j = i
        while j < plan.end and text[j] not in SENT_END:
            j += 1
        raw = text[i:j]
        m = _LABEL_RE.match(raw)
        s = i + (m.end() if m else 0)
        e = j
        while s < e and text[s] in " \t　":
            s += 1
        while e > s and text[e - 1] in " \t　":
            e -= 1
        sent = text[s:e]
        heading = any(a <= s < b for a, b in headings)
        ok = (e - s >= 6 and any(v in sent for v in ACTION_VERBS) and not RESP_CUE_RE.match(sent)
              and not heading and "领导小组" not in sent
              and not (report and STAT_RE.search(sent)) and not any(a <= s < b for a, b in outlook))
        if ok:
            name = re.sub(r"^[^，,]{0,12}?(?:前夕|期间|之际|上旬|中旬|下旬|[0-9]+月|[0-9]+日)[，,]", "", sent)
            sec = [x for x in plan.sections if x.start <= s < x.end]
            sec_id = max(sec, key=lambda x: x.level).id if sec else None
            out.append(Item(plan=plan.id, start=s, end=e, text=sent, name=name, norm=(), kind="sentence",
                            section=sec_id))
        i = j + 1
    return out


# -------------------------------------------------------------- matching

def match(old: list[Item], new: list[Item], threshold: float = 60.0) -> tuple[list[tuple[Item, Item, float]],
                                                                                list[Item], list[Item]]:
    """Greedy one-to-one alignment by name similarity; equal times and responsible units break ties."""
    cands = []
    for i, a in enumerate(old):
        for j, b in enumerate(new):
            sc = unit_similarity(a, b) if (a.members or b.members) else similarity(a.norm, b.norm)
            if sc < threshold - 8:
                continue
            bonus = 0.0
            if a.times and a.time_keys() == b.time_keys():
                bonus += 4
            if a.responsible and a.resp_keys() == b.resp_keys():
                bonus += 4
            if sc + bonus >= threshold:
                cands.append((sc + bonus, -abs(i / max(len(old), 1) - j / max(len(new), 1)), i, j, sc))
    cands.sort(reverse=True)
    used_o, used_n, pairs = set(), set(), []
    for _total, _pos, i, j, sc in cands:
        if i in used_o or j in used_n:
            continue
        used_o.add(i)
        used_n.add(j)
        pairs.append((old[i], new[j], sc))
    pairs.sort(key=lambda p: p[0].start)
    return (pairs, [a for k, a in enumerate(old) if k not in used_o], [b for k, b in enumerate(new) if k not in used_n])


def _dedup(marks: list[Mark]) -> list[Mark]:
    seen, out = set(), []
    for m in sorted(marks, key=lambda m: (m.start, m.end)):
        if (m.start, m.end) not in seen:
            seen.add((m.start, m.end))
            out.append(m)
    return out


NON_TASK_SECTION_RE = re.compile(r"要求|保障|指导思想|目标|原则|意义|总体|领导机构|组织领导|组织机构")


def is_task(plan: R.Plan, start: int, end: int, text: str) -> bool:
    """A checkable task: not the set-up of the leading group, not in a section of requirements, aims or organisation."""
    if text and "领导小组" in text[start:end]:
        return False
    secs = [x for x in plan.sections if x.start <= start < x.end and x.title and x.level == 1]
    return not any(NON_TASK_SECTION_RE.search(x.title) for x in secs)


def units_of(ld: Loaded, plan: R.Plan, report: bool = False, tasks_only: bool = False) -> list[Item]:
    """Items grouped by sentence: one unit per sentence holding activities (“走访慰问…30户，发放慰问金…” is one).

    ``tasks_only`` leaves out what is not a checkable task for a plan-report
    comparison: setting up the leading group, and sentences of sections of
    requirements, principles and aims (工作要求, 保障措施, 指导思想 …).
    """
    items = items_of(ld, plan, report)
    text = ld.text or ""
    groups: dict[tuple[int, int], list[Item]] = {}
    for it in items:
        key = _sentence(text, it.start, plan.start, plan.end) if text else (it.start, it.end)
        groups.setdefault(key, []).append(it)
    units = []
    for (ss, se), members in sorted(groups.items()):
        secs = [x for x in plan.sections if x.start <= ss < x.end and x.title]
        if tasks_only and not is_task(plan, ss, se, text):
            continue
        if report and (any(OUTLOOK_RE.search(x.title) for x in secs) or STAT_RE.search(text[ss:se])):
            continue
        if len(members) == 1:
            units.append(members[0])
            continue
        u = Item(plan=plan.id, start=min(m.start for m in members), end=max(m.end for m in members), text="",
                 name="", norm=tuple(t for m in members for t in m.norm), kind="unit", section=members[0].section,
                 members=members)
        u.text = text[u.start:u.end] if text else "；".join(m.text for m in members)
        u.times = _dedup([t for m in members for t in m.times])
        u.quantities = _dedup([q for m in members for q in m.quantities])
        u.responsible = _dedup([r for m in members for r in m.responsible])
        units.append(u)
    return units


def unit_similarity(a: Item, b: Item) -> float:
    """Similarity of two units: their whole names, or the best pair of their activities."""
    best = similarity(a.norm, b.norm)
    for x in a.members or [a]:
        for y in b.members or [b]:
            if (x is a and y is b) or len("".join(x.norm)) < 4 or len("".join(y.norm)) < 4:
                continue
            best = max(best, similarity(x.norm, y.norm))
    return best
