"""``syextract check``: is a plan fit to file?

Rules, each with an id, a name and a severity; every finding names its rule,
the plan, a message and the spans (start, end, text) in the source::

    SY001 unfilled-placeholder          warning  template gaps left unfilled (\\_\\_\\_, xx, 20xx …)
    SY002 activity-without-time         warning  an activity with no time governing it
    SY003 activity-without-responsible  warning  an activity with no one responsible
    SY004 leading-group-without-leader  error    a 领导小组 set up with no 组长
    SY005 year-mismatch                 error    the plan's year disagrees with the year in its title
    SY006 section-numbering-gap         warning  sections numbered out of order (一、二、三、五)
    SY007 duplicate-activity            warning  the same activity listed twice
    SY008 parts-do-not-sum              error    a stated total (共计/合计/总计 N, N个…即A、B) ≠ its parts

Exit status: 1 when any error-level finding exists (so it can gate a
workflow), 2 on usage or input errors, 0 otherwise. ``--disable SY001,SY003``
switches rules off; ``--select`` runs only the rules given.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from typing import Callable, Iterable, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

from . import records as R
from .findings import (InputProblem, Loaded, SpanRef, is_report, is_task, items_of, load_input, load_inputs,
                       similarity, year_in)

Severity = Literal["error", "warning", "info"]


class Finding(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rule: str = Field(description="Rule id, e.g. SY004.")
    name: str = Field(description="Rule name, e.g. leading-group-without-leader.")
    severity: Severity
    message: str
    doc: str
    plan: Optional[str] = None
    spans: list[SpanRef] = Field(default_factory=list)


class CheckResult(BaseModel):
    model_config = ConfigDict(extra="forbid")
    path: str
    doc: str
    findings: list[Finding] = Field(default_factory=list)
    error: Optional[str] = Field(None, description="Why the input could not be checked.")


class Rule:
    def __init__(self, id: str, name: str, severity: Severity, doc: str, fn: Callable):
        self.id, self.name, self.severity, self.doc, self.fn = id, name, severity, doc, fn


RULES: dict[str, Rule] = {}


def rule(id: str, name: str, severity: Severity, doc: str):
    def deco(fn):
        RULES[id] = Rule(id, name, severity, doc, fn)
        return fn
    return deco


def _f(r: str, ld: Loaded, plan: Optional[R.Plan], message: str, spans: list[SpanRef]) -> Finding:
    ru = RULES[r]
    return Finding(rule=r, name=ru.name, severity=ru.severity, message=message, doc=ld.name,
                   plan=plan.id if plan else None, spans=spans)


def _text(ld: Loaded) -> str:
    return ld.text or ""


# -------------------------------------------------------------------- rules

@rule("SY001", "unfilled-placeholder", "warning", "template gaps left unfilled")
def unfilled_placeholder(ld: Loaded, plan: R.Plan):
    if not plan.placeholders:
        return
    kinds: dict[str, int] = {}
    for g in plan.placeholders:
        kinds[g.kind] = kinds.get(g.kind, 0) + 1
    detail = ", ".join(f"{k} ×{n}" for k, n in sorted(kinds.items(), key=lambda kv: -kv[1]))
    yield _f("SY001", ld, plan, f"{len(plan.placeholders)} template gap(s) left unfilled ({detail})",
             [ld.span(g.start, g.end) for g in plan.placeholders])


def _activity_items(ld: Loaded, plan: R.Plan):
    if not plan.activities or is_report(plan):
        return []
    text = _text(ld)
    return [it for it in items_of(ld, plan) if it.kind == "activity" and is_task(plan, it.start, it.end, text)]


@rule("SY002", "activity-without-time", "warning", "an activity with no time governing it")
def activity_without_time(ld: Loaded, plan: R.Plan):
    for it in _activity_items(ld, plan):
        act = next((a for a in plan.activities if a.id == it.id), None)
        if not it.times and not (act and act.recurrence):
            yield _f("SY002", ld, plan, f"no time for activity “{it.label}”", [ld.span(it.start, it.end)])


@rule("SY003", "activity-without-responsible", "warning", "an activity with no one responsible")
def activity_without_responsible(ld: Loaded, plan: R.Plan):
    for it in _activity_items(ld, plan):
        if not it.responsible:
            yield _f("SY003", ld, plan, f"no one responsible for activity “{it.label}”", [ld.span(it.start, it.end)])


GROUP_SETUP_RE = re.compile(r"(?:成立|组建|建立健全|建立|设立|调整充实|充实调整|调整)(?:了)?[^。；;，,\n]{0,24}?领导小组"
                            r"(?!成员单位|办公室|成员)")
LEADER_RE = re.compile(r"组\s*长\s*[:：]|为组长|任组长|担任组长|组长由|为第一组长")


@rule("SY004", "leading-group-without-leader", "error", "a 领导小组 set up with no 组长")
def leading_group_without_leader(ld: Loaded, plan: R.Plan):
    text = _text(ld)
    groups = [(o.start, o.end) for o in plan.organizations if o.leading_group]
    if text:
        for m in GROUP_SETUP_RE.finditer(text, plan.start, plan.end):
            s = text.rfind("领导小组", m.start(), m.end())
            if not any(a <= s < b or s <= a < m.end() for a, b in groups):
                groups.append((m.start(), m.end()))
    if not groups:
        return
    has_leader = any(h.role in ("组长", "第一组长") for h in plan.people) or bool(
        text and LEADER_RE.search(text, plan.start, plan.end))
    if has_leader:
        return
    for s, e in sorted(groups)[:1]:
        yield _f("SY004", ld, plan, "a leading group is set up but no 组长 is named", [ld.span(s, e)])


def _title_year_span(ld: Loaded, title: Optional[str], lo: int, hi: int) -> Optional[SpanRef]:
    text = _text(ld)
    if not title or not text:
        return None
    y = year_in(title)
    if y is None:
        return None
    k = text.find(title.strip(), lo, hi) if hi > lo else -1
    if k == -1:
        k = text.find(title.strip())
    if k == -1:
        return None
    j = text.find(str(y), k, k + len(title) + 10)
    return ld.span(j, j + 4) if j != -1 else None


BODY_YEAR_RE = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})(?:年度?)?[^。；\n]{0,12}?(?:工作)?(?:计划|方案|安排)")


@rule("SY005", "year-mismatch", "error", "the plan's year disagrees with the year in its title")
def year_mismatch(ld: Loaded, plan: R.Plan):
    text = _text(ld)
    doc = ld.doc
    if year_in(plan.title) is not None:
        title_year, ts = year_in(plan.title), _title_year_span(ld, plan.title, plan.start, plan.end)
        where = "its title"
    elif year_in(doc.title) is not None:
        title_year, ts = year_in(doc.title), _title_year_span(ld, doc.title, 0, len(text))
        where = "the document title"
    else:
        return
    claims = []  # (year, span) the plan states for itself
    if plan.year is not None and plan.year != title_year:
        j = text.find(str(plan.year), plan.start, plan.end) if text else -1
        claims.append((plan.year, ld.span(j, j + 4) if j != -1 else None))
    elif text:
        # the body restating the plan's year: “制定2022年双拥工作计划如下”
        body_from = plan.start + len(plan.title or "")
        for m in BODY_YEAR_RE.finditer(text, body_from, min(plan.end, body_from + 600)):
            y = int(m.group(1))
            if y != title_year and "总结" not in (plan.title or ""):
                claims.append((y, ld.span(m.start(1), m.end(1))))
            break
    for y, sp in claims:
        spans = [s for s in (ts, sp) if s is not None]
        yield _f("SY005", ld, plan, f"plan year {y} disagrees with {title_year} in {where}", spans)


_SCHEMES = [
    ("cn_dun", re.compile(r"^[一二三四五六七八九十]+、")), ("cn_paren", re.compile(r"^[（(][一二三四五六七八九十]+[)）]")),
    ("arabic_dun", re.compile(r"^[0-9]+、")), ("arabic_dot", re.compile(r"^[0-9]+[.．]")),
    ("arabic_paren", re.compile(r"^[（(][0-9]+[)）]")), ("circled", re.compile(r"^[①-⑳]")),
    ("shi", re.compile(r"^[一二三四五六七八九十]+是")), ("di", re.compile(r"^第[一二三四五六七八九十]+")),
]


def _scheme(sec: R.Section) -> Optional[str]:
    if sec.scheme:
        return sec.scheme
    n = (sec.number or "").strip().lstrip("#*- ").strip()
    for name, rx in _SCHEMES:
        if rx.match(n):
            return name
    return None


def _label_span(ld: Loaded, sec: R.Section) -> SpanRef:
    text = _text(ld)
    n = (sec.number or "").strip()
    if text and n:
        k = text.find(n, sec.start, min(sec.end, sec.start + len(n) + 12))
        if k != -1:
            return ld.span(k, k + len(n))
    return ld.span(sec.start, min(sec.end, sec.start + max(len(n), 1)))


def _numeral(v: int, like: str) -> str:
    if re.search(r"[0-9]", like or ""):
        return str(v)
    import cn2an  # 0.25 s to import: loaded by the checks that need it, not by every `syextract` command

    try:
        return cn2an.an2cn(v)
    except Exception:
        return str(v)


_LABEL_FMT = {"cn_dun": "{c}、", "cn_paren": "[（(]{c}[)）]", "arabic_dun": "{a}、", "arabic_dot": "{a}[.．]",
              "arabic_paren": "[（(]{a}[)）]", "shi": "{c}是", "di": "第{c}"}


def _labels_present(ld: Loaded, scheme: str, values, lo: int, hi: int) -> bool:
    """True when every missing label stands at a line start between two sections (a label the structure missed)."""
    text = _text(ld)
    fmt = _LABEL_FMT.get(scheme)
    if not text or not fmt:
        return False
    for v in values:
        lab = fmt.format(a=v, c=_numeral(v, "一"))
        if not re.search(r"(?:^|\n)[\s#*>-]*" + lab, text[lo:hi]):
            return False
    return True


@rule("SY006", "section-numbering-gap", "warning", "sections numbered out of order (一、二、三、五)")
def section_numbering_gap(ld: Loaded, plan: R.Plan):
    last: dict[tuple, tuple[int, Optional[str], R.Section]] = {}
    for sec in sorted(plan.sections, key=lambda s: s.start):
        sch = _scheme(sec)
        if sec.value is None or sch is None:
            continue
        key = (sec.level, sch)
        prev = last.get(key)
        v = sec.value
        problem = None
        if prev is None:
            if v > 1:
                missing = "、".join(_numeral(k, sec.number) for k in range(1, v))
                problem = f"numbering starts at {sec.number.strip()}: {missing} missing"
        else:
            pv, pparent, psec = prev
            if v == 1 or v == pv + 1:
                pass
            elif v > pv + 1 and _labels_present(ld, sch, range(pv + 1, v), psec.start, sec.start):
                pass
            elif v > pv + 1:
                missing = "、".join(_numeral(k, sec.number) for k in range(pv + 1, v))
                problem = f"{psec.number.strip()} is followed by {sec.number.strip()}: {missing} missing"
            elif pparent == sec.parent:
                problem = f"{psec.number.strip()} is followed by {sec.number.strip()}"
        if problem:
            spans = [_label_span(ld, prev[2]), _label_span(ld, sec)] if prev else [_label_span(ld, sec)]
            yield _f("SY006", ld, plan, problem, spans)
        last[key] = (v, sec.parent, sec)


@rule("SY007", "duplicate-activity", "warning", "the same activity listed twice")
def duplicate_activity(ld: Loaded, plan: R.Plan):
    items = items_of(ld, plan)
    pairs = []
    for i, a in enumerate(items):
        for j in range(i + 1, len(items)):
            b = items[j]
            if b.start < a.end or (a.times and b.times and a.time_keys() != b.time_keys()):
                continue
            if (a.norm == b.norm and len("".join(a.norm)) >= 4) or (
                    len(a.norm) >= 3 and similarity(a.norm, b.norm) >= 92):
                pairs.append((i, j))
    # runs of consecutive duplicated activities (开展现场参观、知识问答、项目表演 … twice) make one finding
    done: set = set()
    pairset = set(pairs)
    for i, j in pairs:
        if (i, j) in done or (i - 1, j - 1) in pairset:
            continue
        k = 0
        while (i + k, j + k) in pairset and i + k < j:
            done.add((i + k, j + k))
            k += 1
        a0, a1, b0, b1 = items[i], items[i + k - 1], items[j], items[j + k - 1]
        names = "、".join(items[x].label[:20] for x in range(i, i + k))
        yield _f("SY007", ld, plan, f"activity “{names[:60]}” is listed twice",
                 [ld.span(a0.start, a1.end), ld.span(b0.start, b1.end)])


UNITS = "万元|元|人次|场次|个|名|人|户|场|次|期|支|家|项|件|篇|条|所|位|辆|台|床|天"
NUM = r"[0-9]+(?:\.[0-9]+)?|[一二三四五六七八九十百千两]+"
TOTAL_RE = re.compile(rf"(共计|合计|总计|总共|一共|共有|共)\s*[^\d，,。；、一二三四五六七八九十两]{{0,8}}?({NUM})(余|多)?\s*({UNITS})")
ENUM_RE = re.compile(rf"({NUM})\s*(个|支|家|项|所|名|位|类|种|方面)([^，,。；：:\n]{{0,10}}?)[，,：:]?\s*"
                     r"(?:即|分别是|分别为|包括)[:：]?\s*([^。；;\n]+)")
PART_RE = re.compile(rf"({NUM})(余|多)?\s*({UNITS})")
MONEY = {"万元": 10000.0, "元": 1.0}


def _num(s: str) -> Optional[float]:
    try:
        return float(s)
    except ValueError:
        import cn2an

        try:
            return float(cn2an.cn2an(s, "smart"))
        except Exception:
            return None


def _norm_unit(value: float, unit: str) -> tuple[float, str]:
    if unit in MONEY:
        return value * MONEY[unit], "元"
    return value, unit


def _sentences(text: str, lo: int, hi: int):
    i = lo
    while i < hi:
        j = i
        while j < hi and text[j] not in "。！？!?；;\n":
            j += 1
        if j > i:
            yield i, j
        i = j + 1


@rule("SY008", "parts-do-not-sum", "error", "a stated total differs from the sum of its parts")
def parts_do_not_sum(ld: Loaded, plan: R.Plan):
    text = _text(ld)
    if not text:
        return
    for s, e in _sentences(text, plan.start, plan.end):
        sent = text[s:e]
        for m in TOTAL_RE.finditer(sent):
            total = _num(m.group(2))
            if total is None or m.group(3):
                continue
            total, unit = _norm_unit(total, m.group(4))
            qi = sent.find("其中", m.end())
            if qi != -1:
                region = (qi, len(sent))
            elif m.group(1) in ("共计", "合计", "总计", "总共") and m.start() > 0:
                region = (0, m.start())
            else:
                continue
            parts = []
            for p in PART_RE.finditer(sent, *region):
                if p.group(2):
                    parts = None
                    break
                v = _num(p.group(1))
                if v is None:
                    continue
                v, u = _norm_unit(v, p.group(3))
                if u == unit:
                    parts.append((v, p))
            if not parts or len(parts) < 2:
                continue
            got = sum(v for v, _ in parts)
            if abs(got - total) > 1e-6:
                spans = [ld.span(s + m.start(2), s + m.end(4))] + [ld.span(s + p.start(), s + p.end()) for _, p in parts]
                fmt = lambda x: f"{x:g}"  # noqa: E731
                yield _f("SY008", ld, plan, f"stated total {fmt(total)}{unit} but the parts sum to {fmt(got)}{unit} "
                         f"({' + '.join(fmt(v) for v, _ in parts)})", spans)
        for m in ENUM_RE.finditer(sent):
            n = _num(m.group(1))
            if n is None:
                continue
            listed = [x for x in re.split(r"[、，,]|和|及|以及", m.group(4)) if x.strip()]
            if len(listed) >= 2 and len(listed) != int(n):
                yield _f("SY008", ld, plan, f"says {m.group(1)}{m.group(2)} but lists {len(listed)}",
                         [ld.span(s + m.start(1), s + m.end(2)), ld.span(s + m.start(4), s + m.end(4))])


# ---------------------------------------------------------------------- run

def check_loaded(ld: Loaded, disabled: Iterable[str] = (), selected: Optional[Iterable[str]] = None) -> list[Finding]:
    names = {ru.name: rid for rid, ru in RULES.items()}
    off = {names.get(r.lower(), r.upper()) for r in disabled}
    sel = {names.get(r.lower(), r.upper()) for r in selected} if selected else None
    out: list[Finding] = []
    for plan in ld.doc.plans:
        for rid, ru in RULES.items():
            if rid in off or (sel is not None and rid not in sel):
                continue
            out.extend(ru.fn(ld, plan) or [])
    return out


def check(path_or_loaded, disabled: Iterable[str] = (), selected: Optional[Iterable[str]] = None) -> list[Finding]:
    ld = path_or_loaded if isinstance(path_or_loaded, Loaded) else load_input(path_or_loaded)
    return check_loaded(ld, disabled, selected)


def findings_for(doc: R.Document, text: Optional[str], disabled: Iterable[str] = ()) -> list[Finding]:
    """Findings for a Document and its source text (what the review report shows)."""
    return check_loaded(Loaded(doc.source.path or doc.id, doc, text), disabled)


def _line_col(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return line, col


def render_text(results: list[CheckResult], texts: dict[str, str], collapse: int = 3) -> str:
    """One line per finding with its spans below; more than ``collapse`` findings of one rule in one plan
    are shown as one line listing their spans (the JSON output keeps every finding)."""
    from .findings import clip

    lines = []
    n_err = n_warn = 0
    for res in results:
        if res.error:
            lines.append(f"{res.path}: cannot check: {res.error}")
            continue
        text = texts.get(res.path, "")
        groups: dict[tuple, list[Finding]] = {}
        for f in res.findings:
            n_err += f.severity == "error"
            n_warn += f.severity == "warning"
            groups.setdefault((f.plan, f.rule), []).append(f)
        for (plan, rule_id), fs in groups.items():
            if len(fs) > collapse:
                f0 = fs[0]
                msg = f"{len(fs)} × {RULES[rule_id].doc}" if rule_id in RULES else f"{len(fs)} findings"
                spans = [f.spans[0] for f in fs if f.spans]
                shown = [(f0, msg, spans)]
            else:
                shown = [(f, f.message, f.spans) for f in fs]
            for f, msg, spans in shown:
                pos = spans[0].start if spans else 0
                lc = "%d:%d" % _line_col(text, pos) if text else "-"
                lines.append(f"{res.path}:{lc}: {f.rule} {f.severity:<7} [{f.plan or '-'}] {f.name}: {msg}")
                for sp in spans[:4]:
                    lines.append(f"      {sp.start}-{sp.end}  {clip(sp.text, 60)!s}")
                if len(spans) > 4:
                    lines.append(f"      … {len(spans) - 4} more")
    lines.append(f"{len(results)} input(s): {n_err} error(s), {n_warn} warning(s)")
    return "\n".join(lines) + "\n"


def _split_ids(values) -> list[str]:
    out = []
    for v in values or []:
        out.extend(x.strip() for x in v.split(",") if x.strip())
    return out


def add_arguments(ap: argparse.ArgumentParser) -> None:
    ap.add_argument("inputs", nargs="*", metavar="INPUT", help="documents or their JSON records")
    ap.add_argument("--format", choices=["text", "json"], default="text", help="output format (default text)")
    ap.add_argument("--disable", "--ignore", action="append", metavar="IDS",
                    help="rule ids (or names) to switch off, comma-separated; repeatable")
    ap.add_argument("--select", action="append", metavar="IDS", help="run only these rule ids, comma-separated")
    ap.add_argument("--list-rules", action="store_true", help="list the rules and exit")


def run(args) -> int:
    if args.list_rules:
        for ru in RULES.values():
            print(f"{ru.id}  {ru.name:<30} {ru.severity:<8} {ru.doc}")
        return 0
    if not args.inputs:
        print("syextract check: no input given", file=sys.stderr)
        return 2
    disabled, selected = _split_ids(args.disable), _split_ids(args.select) or None
    unknown = [r for r in disabled + (selected or []) if r.upper() not in RULES
               and r.lower() not in {ru.name for ru in RULES.values()}]
    if unknown:
        print(f"syextract check: unknown rule(s): {', '.join(unknown)}", file=sys.stderr)
        return 2
    from .pipeline import records_pipeline

    nlp = records_pipeline() if any(not p.lower().endswith(".json") for p in args.inputs) else None
    results, texts, status = [], {}, 0
    for path in args.inputs:
        try:
            lds = load_inputs(path, nlp)
        except InputProblem as e:
            print(f"syextract check: {e}", file=sys.stderr)
            results.append(CheckResult(path=path, doc=path, error=str(e)))
            status = 2
            continue
        for ld in lds:
            label = path if len(lds) == 1 else f"{path}#{ld.doc.id}"
            texts[label] = ld.text or ""
            fs = check_loaded(ld, disabled, selected)
            results.append(CheckResult(path=label, doc=ld.name, findings=fs))
            if any(f.severity == "error" for f in fs) and status == 0:
                status = 1
    if args.format == "json":
        sys.stdout.write(json.dumps([r.model_dump(mode="json") for r in results], ensure_ascii=False, indent=1) + "\n")
    else:
        sys.stdout.write(render_text(results, texts))
    return status


def register(subparsers) -> argparse.ArgumentParser:
    """Add ``check`` to an argparse subparsers object (``syextract check …``)."""
    ap = subparsers.add_parser("check", help="flag plans not fit to file (rules SY001…SY008)",
                               description="Check plans: unfilled gaps, activities without time or responsible, "
                                           "leaderless groups, year mismatches, numbering gaps, duplicates, sums.")
    add_arguments(ap)
    ap.set_defaults(func=run)
    return ap


def main(argv: Optional[Iterable[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="syextract check", description="Check plans against rules SY001…SY008.")
    add_arguments(ap)
    args = ap.parse_args(list(argv) if argv is not None else None)
    try:
        return run(args)
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
