"""``syextract diff``: year over year, plan against report, and whole archives.

* ``syextract diff OLD NEW`` — plans are paired by issuer (a lone plan on
  each side is paired whatever its issuer), then their activities by meaning:
  names normalised to jieba content tokens and compared with rapidfuzz (equal
  times and responsible units break ties). Reported: activities added and
  removed, and for matched ones the time moved, a count changed, the
  responsible unit changed; and changes in the leading group (组长, 副组长,
  成员 …). Every change carries its spans on both sides.
* ``syextract diff --archive DIR`` — every document (or JSON record) in DIR,
  plans grouped by issuer and year, each consecutive pair of years diffed; a
  工作总结 of the same issuer and year is checked against its plan.
* ``syextract diff PLAN REPORT --mode plan-report`` — which planned
  activities the report gives as done, which it does not mention, what it
  reports that was never planned, and the completion rate.

Output: a terminal table (default), ``--json``, or ``--html FILE``.
Exit status: 0 on success, 2 on usage or input errors.
"""
from __future__ import annotations

import argparse
import html
import json
import os
import sys
from collections import defaultdict
from typing import Iterable, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

from . import records as R
from .findings import (DOC_EXTS, InputProblem, Item, Loaded, SpanRef, clip, is_report, issuer_of, load_input,
                       load_inputs, match, pad, units_of, year_in)

ChangeKind = Literal["activity_added", "activity_removed", "time_moved", "count_changed", "responsible_changed",
                     "group_member_added", "group_member_removed", "group_member_changed", "group_role_changed"]

GROUP_ROLES = ("组长", "第一组长", "常务副组长", "副组长", "成员", "办公室主任", "联络员")
THRESHOLD = 60.0


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Change(_M):
    kind: ChangeKind
    subject: str = Field(description="The activity's name, or the leading-group role (组长, 成员 …).")
    old_value: Optional[str] = None
    new_value: Optional[str] = None
    old_spans: list[SpanRef] = Field(default_factory=list, description="What changed, in the old document.")
    new_spans: list[SpanRef] = Field(default_factory=list, description="What changed, in the new document.")
    old_activity: Optional[SpanRef] = None
    new_activity: Optional[SpanRef] = None
    similarity: Optional[float] = Field(None, description="Name similarity (0..100) of a matched activity pair.")


class PlanRef(_M):
    doc: str
    source: Optional[str] = Field(None, description="The source document's path as recorded.")
    plan: str
    title: Optional[str] = None
    issuer: Optional[str] = None
    year: Optional[int] = None
    span: Optional[SpanRef] = None


class PlanDiff(_M):
    old: PlanRef
    new: PlanRef
    matched: int = Field(description="Activities found on both sides.")
    unchanged: int
    changes: list[Change] = Field(default_factory=list)


class ReportEntry(_M):
    status: Literal["done", "not_mentioned", "unplanned"]
    name: str
    planned: Optional[SpanRef] = None
    reported: Optional[SpanRef] = None
    similarity: Optional[float] = None


class PlanReport(_M):
    plan: PlanRef
    report: PlanRef
    planned: int
    done: list[ReportEntry] = Field(default_factory=list)
    not_mentioned: list[ReportEntry] = Field(default_factory=list)
    unplanned: list[ReportEntry] = Field(default_factory=list)
    completion_rate: Optional[float] = Field(None, description="done / planned (null when nothing is planned).")


class DiffResult(_M):
    mode: Literal["plan-plan", "plan-report", "archive"]
    diffs: list[PlanDiff] = Field(default_factory=list)
    reports: list[PlanReport] = Field(default_factory=list)
    unpaired: list[PlanRef] = Field(default_factory=list, description="Plans with no counterpart.")
    warnings: list[str] = Field(default_factory=list)


# ------------------------------------------------------------------ helpers

def _plan_ref(ld: Loaded, p: R.Plan) -> PlanRef:
    span = None
    if ld.text and p.title:
        k = ld.text.find(p.title, p.start, p.end)
        span = ld.span(k, k + len(p.title)) if k != -1 else None
    return PlanRef(doc=ld.name, source=ld.doc.source.path, plan=p.id, title=p.title, issuer=issuer_of(p),
                   year=p.year, span=span)


def _refs(ld: Loaded, marks) -> list[SpanRef]:
    return [m.ref(ld) for m in marks]


def _texts(marks) -> str:
    return "、".join(m.text for m in marks) or "—"


def _act(ld: Loaded, it: Item) -> SpanRef:
    return ld.span(it.start, it.end)


def _label(it: Item) -> str:
    return it.label if len(it.label) <= 40 else it.label[:39] + "…"


def _summary(it: Item) -> str:
    """When and who of an added or removed activity (4月上旬 · 镇双拥办)."""
    parts = [_texts(it.times) if it.times else "", _texts(it.responsible) if it.responsible else ""]
    return " · ".join(p for p in parts if p) or "—"


def pair_plans(old: Loaded, new: Loaded, plans_old=None, plans_new=None) -> tuple[list, list]:
    """Plans paired by issuer (order kept); a lone plan per side pairs whatever its issuer."""
    po = [p for p in (plans_old if plans_old is not None else old.doc.plans)]
    pn = [p for p in (plans_new if plans_new is not None else new.doc.plans)]
    if len(po) == 1 and len(pn) == 1:
        return [(po[0], pn[0])], []
    pairs, used = [], set()
    for a in po:
        ia = issuer_of(a)
        for j, b in enumerate(pn):
            if j in used:
                continue
            if ia and ia == issuer_of(b):
                pairs.append((a, b))
                used.add(j)
                break
    # the remaining ones by position when both sides have the same count of unpaired plans
    left_o = [a for a in po if all(a is not x for x, _ in pairs)]
    left_n = [b for j, b in enumerate(pn) if j not in used]
    if left_o and len(left_o) == len(left_n) and not any(issuer_of(a) and issuer_of(b) for a, b in zip(left_o, left_n)):
        pairs.extend(zip(left_o, left_n))
        left_o, left_n = [], []
    unpaired = [(old, a) for a in left_o] + [(new, b) for b in left_n]
    return pairs, unpaired


def _group(plan: R.Plan) -> list[R.Person]:
    return [h for h in plan.people if h.role in GROUP_ROLES]


def _who(h: R.Person) -> str:
    return h.name or h.title or h.text


def group_changes(old: Loaded, po: R.Plan, new: Loaded, pn: R.Plan) -> list[Change]:
    go, gn = _group(po), _group(pn)
    if not go and not gn:
        return []
    changes: list[Change] = []
    role_o = {_who(h): h for h in go}
    role_n = {_who(h): h for h in gn}
    for who in role_o.keys() & role_n.keys():
        a, b = role_o[who], role_n[who]
        if a.role != b.role:
            changes.append(Change(kind="group_role_changed", subject=who, old_value=a.role, new_value=b.role,
                                  old_spans=[old.span(a.start, a.end)], new_spans=[new.span(b.start, b.end)]))
    by_role_o, by_role_n = defaultdict(list), defaultdict(list)
    for who, h in role_o.items():
        if who not in role_n:
            by_role_o[h.role].append(h)
    for who, h in role_n.items():
        if who not in role_o:
            by_role_n[h.role].append(h)
    for role in sorted(set(by_role_o) | set(by_role_n), key=lambda r: GROUP_ROLES.index(r) if r in GROUP_ROLES else 99):
        gone, came = by_role_o.get(role, []), by_role_n.get(role, [])
        while gone and came:  # a seat taken by someone else
            a, b = gone.pop(0), came.pop(0)
            changes.append(Change(kind="group_member_changed", subject=role, old_value=_who(a), new_value=_who(b),
                                  old_spans=[old.span(a.start, a.end)], new_spans=[new.span(b.start, b.end)]))
        for a in gone:
            changes.append(Change(kind="group_member_removed", subject=role, old_value=_who(a),
                                  old_spans=[old.span(a.start, a.end)]))
        for b in came:
            changes.append(Change(kind="group_member_added", subject=role, new_value=_who(b),
                                  new_spans=[new.span(b.start, b.end)]))
    return changes


def _counts_changed(a: Item, b: Item) -> list[tuple[list, list]]:
    """Pairs of (old marks, new marks) whose values differ for the same unit."""
    out = []
    units_a, units_b = defaultdict(list), defaultdict(list)
    for m in a.quantities:
        if isinstance(m.key, tuple) and len(m.key) == 2 and m.key[0] != "text":
            units_a[m.key[1]].append(m)
    for m in b.quantities:
        if isinstance(m.key, tuple) and len(m.key) == 2 and m.key[0] != "text":
            units_b[m.key[1]].append(m)
    for unit in units_a.keys() & units_b.keys():
        va = sorted(m.key[0] for m in units_a[unit] if m.key[0] is not None)
        vb = sorted(m.key[0] for m in units_b[unit] if m.key[0] is not None)
        if va != vb:
            out.append((units_a[unit], units_b[unit]))
    if not units_a and not units_b:
        ta = sorted(m.text for m in a.quantities)
        tb = sorted(m.text for m in b.quantities)
        if ta and tb and ta != tb:
            out.append((a.quantities, b.quantities))
    return out


def diff_plans(old: Loaded, po: R.Plan, new: Loaded, pn: R.Plan, threshold: float = THRESHOLD) -> PlanDiff:
    io_, in_ = units_of(old, po), units_of(new, pn)
    pairs, removed, added = match(io_, in_, threshold)
    # inside a matched sentence, an activity with no counterpart is added or removed on its own
    for a, b, _sc in pairs:
        if not (a.members or b.members):
            continue
        _sub, gone, came = match(a.members or [a], b.members or [b], threshold)
        removed.extend(gone)
        added.extend(came)
    changes: list[Change] = []
    unchanged = 0
    for a, b, sc in pairs:
        mine: list[Change] = []
        common = dict(subject=_label(b), old_activity=_act(old, a), new_activity=_act(new, b), similarity=round(sc, 1))
        if (a.times or b.times) and a.time_keys() != b.time_keys():
            mine.append(Change(kind="time_moved", old_value=_texts(a.times), new_value=_texts(b.times),
                               old_spans=_refs(old, a.times), new_spans=_refs(new, b.times), **common))
        for qa, qb in _counts_changed(a, b):
            mine.append(Change(kind="count_changed", old_value=_texts(qa), new_value=_texts(qb),
                               old_spans=_refs(old, qa), new_spans=_refs(new, qb), **common))
        if (a.responsible or b.responsible) and a.resp_keys() != b.resp_keys():
            mine.append(Change(kind="responsible_changed", old_value=_texts(a.responsible),
                               new_value=_texts(b.responsible), old_spans=_refs(old, a.responsible),
                               new_spans=_refs(new, b.responsible), **common))
        if not mine:
            unchanged += 1
        changes.extend(mine)
    for a in removed:
        changes.append(Change(kind="activity_removed", subject=_label(a), old_value=_summary(a),
                              old_activity=_act(old, a), old_spans=[_act(old, a)]))
    for b in added:
        changes.append(Change(kind="activity_added", subject=_label(b), new_value=_summary(b),
                              new_activity=_act(new, b), new_spans=[_act(new, b)]))
    changes.sort(key=lambda c: (c.kind in ("activity_added", "activity_removed"),
                                (c.new_activity or c.old_activity).start if (c.new_activity or c.old_activity) else 0))
    changes.extend(group_changes(old, po, new, pn))
    return PlanDiff(old=_plan_ref(old, po), new=_plan_ref(new, pn), matched=len(pairs), unchanged=unchanged,
                    changes=changes)


def diff_documents(old: Loaded, new: Loaded, threshold: float = THRESHOLD) -> DiffResult:
    pairs, unpaired = pair_plans(old, new)
    res = DiffResult(mode="plan-plan")
    for po, pn in pairs:
        res.diffs.append(diff_plans(old, po, new, pn, threshold))
        io_, in_ = issuer_of(po), issuer_of(pn)
        if io_ and in_ and io_ != in_:
            res.warnings.append(f"{old.name} {po.id} ({io_}) and {new.name} {pn.id} ({in_}) have different issuers")
    res.unpaired = [_plan_ref(ld, p) for ld, p in unpaired]
    return res


def plan_report(plan: Loaded, pp: R.Plan, report: Loaded, pr: R.Plan, threshold: float = THRESHOLD) -> PlanReport:
    planned = units_of(plan, pp, tasks_only=True)
    reported = units_of(report, pr, report=True, tasks_only=True)
    pairs, missing, extra = match(planned, reported, threshold)
    out = PlanReport(plan=_plan_ref(plan, pp), report=_plan_ref(report, pr), planned=len(planned))
    for a, b, sc in pairs:
        out.done.append(ReportEntry(status="done", name=_label(a), planned=_act(plan, a), reported=_act(report, b),
                                    similarity=round(sc, 1)))
    for a in missing:
        out.not_mentioned.append(ReportEntry(status="not_mentioned", name=_label(a), planned=_act(plan, a)))
    for b in extra:
        out.unplanned.append(ReportEntry(status="unplanned", name=_label(b), reported=_act(report, b)))
    out.done.sort(key=lambda e: e.planned.start)
    out.not_mentioned.sort(key=lambda e: e.planned.start)
    out.completion_rate = round(len(pairs) / len(planned), 4) if planned else None
    return out


def plan_report_documents(plan: Loaded, report: Loaded, threshold: float = THRESHOLD) -> DiffResult:
    res = DiffResult(mode="plan-report")
    plans = [p for p in plan.doc.plans if not is_report(p)] or plan.doc.plans
    reps = [p for p in report.doc.plans if is_report(p)] or report.doc.plans
    pairs, unpaired = pair_plans(plan, report, plans, reps)
    for pp, pr in pairs:
        res.reports.append(plan_report(plan, pp, report, pr, threshold))
    res.unpaired = [_plan_ref(ld, p) for ld, p in unpaired]
    return res


def _archive_files(folder: str) -> list[str]:
    out = []
    for root, _dirs, files in os.walk(folder):
        for f in sorted(files):
            if f.lower().endswith(DOC_EXTS + (".json", ".jsonl")) and not f.endswith(".error.json"):
                out.append(os.path.join(root, f))
    return sorted(out)


def diff_archive(folder: str, threshold: float = THRESHOLD, loaded: Optional[list] = None) -> DiffResult:
    from .pipeline import records_pipeline

    res = DiffResult(mode="archive")
    nlp = None
    plans: dict[str, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    reports: dict[str, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for path in _archive_files(folder):
        if not path.lower().endswith((".json", ".jsonl")) and nlp is None:
            nlp = records_pipeline()
        try:
            lds = load_inputs(path, nlp)
        except (InputProblem, ValueError, OSError) as e:
            res.warnings.append(str(e))
            continue
        for ld in lds:
            if loaded is not None:
                loaded.append(ld)
            for p in ld.doc.plans:
                issuer = issuer_of(p)
                year = p.year or year_in(p.title) or year_in(ld.doc.title)
                if not issuer or not year:
                    res.warnings.append(f"{ld.name} {p.id}: no {'issuer' if not issuer else 'year'}; "
                                        "left out of the series")
                    continue
                (reports if is_report(p) else plans)[issuer][year].append((ld, p))
    for issuer in sorted(plans):
        years = sorted(plans[issuer])
        for y in years:
            if len(plans[issuer][y]) > 1:
                res.warnings.append(f"{issuer} {y}: {len(plans[issuer][y])} plans; the first is used")
        for y0, y1 in zip(years, years[1:]):
            (lo, po), (ln, pn) = plans[issuer][y0][0], plans[issuer][y1][0]
            res.diffs.append(diff_plans(lo, po, ln, pn, threshold))
        for y in years:
            for lr, pr in reports.get(issuer, {}).get(y, []):
                lp, pp = plans[issuer][y][0]
                res.reports.append(plan_report(lp, pp, lr, pr, threshold))
    return res


# ------------------------------------------------------------------ output

KIND_LABEL = {
    "activity_added": "added", "activity_removed": "removed", "time_moved": "time moved",
    "count_changed": "count changed", "responsible_changed": "responsible changed",
    "group_member_added": "group: added", "group_member_removed": "group: removed",
    "group_member_changed": "group: changed", "group_role_changed": "group: role changed",
}


def _loc(spans: list[SpanRef]) -> str:
    return ",".join(f"{s.start}-{s.end}" for s in spans) or "—"


def _table(rows: list[list[str]], widths: list[int]) -> list[str]:
    out = []
    for r in rows:
        out.append("  ".join(pad(clip(c, w), w) for c, w in zip(r, widths)).rstrip())
    return out


def _title(p: PlanRef) -> str:
    return f"{p.doc} [{p.plan}] {p.title or ''}".strip()


def render_text(res: DiffResult) -> str:
    lines: list[str] = []
    for d in res.diffs:
        lines.append(f"diff  {_title(d.old)}  →  {_title(d.new)}")
        lines.append(f"      issuer {d.new.issuer or d.old.issuer or '?'}, {d.old.year or '?'} → {d.new.year or '?'}; "
                     f"{d.matched} matched, {d.unchanged} unchanged, {len(d.changes)} changes")
        if d.changes:
            rows = [["change", "activity / role", "old", "new", "old span", "new span"]]
            rows.append(["-" * 19, "-" * 30, "-" * 20, "-" * 20, "-" * 9, "-" * 9])
            for c in d.changes:
                rows.append([KIND_LABEL[c.kind], c.subject, c.old_value or "—", c.new_value or "—",
                             _loc(c.old_spans), _loc(c.new_spans)])
            lines.extend("  " + l for l in _table(rows, [19, 30, 20, 20, 9, 9]))
        lines.append("")
    for r in res.reports:
        lines.append(f"plan-report  {_title(r.plan)}  ↔  {_title(r.report)}")
        rate = f"{r.completion_rate:.0%}" if r.completion_rate is not None else "n/a"
        lines.append(f"      completion {len(r.done)}/{r.planned} = {rate}; {len(r.not_mentioned)} not mentioned, "
                     f"{len(r.unplanned)} unplanned")
        rows = [["status", "activity", "planned span", "reported span"], ["-" * 13, "-" * 34, "-" * 12, "-" * 13]]
        for e in r.done + r.not_mentioned + r.unplanned:
            rows.append([e.status.replace("_", " "), e.name,
                         f"{e.planned.start}-{e.planned.end}" if e.planned else "—",
                         f"{e.reported.start}-{e.reported.end}" if e.reported else "—"])
        lines.extend("  " + l for l in _table(rows, [13, 34, 12, 13]))
        lines.append("")
    for p in res.unpaired:
        lines.append(f"unpaired: {_title(p)} (issuer {p.issuer or '?'})")
    for w in res.warnings:
        lines.append(f"warning: {w}")
    if not res.diffs and not res.reports:
        lines.append("nothing to compare")
    return "\n".join(lines).rstrip() + "\n"


def diff_fragment(res: DiffResult) -> str:
    """The diff and plan-report tables as an HTML fragment (every text escaped)."""
    e = html.escape
    parts = []
    for d in res.diffs:
        parts.append(f"<h2>diff: {e(_title(d.old))} → {e(_title(d.new))}</h2>"
                     f"<p class='meta'>{d.matched} matched, {d.unchanged} unchanged, {len(d.changes)} changes</p>"
                     "<table class='diff'><thead><tr><th>change</th><th>activity / role</th><th>old</th><th>new</th>"
                     "<th>old span</th><th>new span</th></tr></thead><tbody>")
        for c in d.changes:
            cls = "added" if c.kind.endswith("added") else "removed" if c.kind.endswith("removed") else "changed"
            parts.append(f"<tr class='{cls}'><td>{e(KIND_LABEL[c.kind])}</td><td>{e(c.subject)}</td>"
                         f"<td>{e(c.old_value or '')}</td><td>{e(c.new_value or '')}</td>"
                         f"<td>{_loc(c.old_spans)}</td><td>{_loc(c.new_spans)}</td></tr>")
        parts.append("</tbody></table>")
    for r in res.reports:
        rate = f"{r.completion_rate:.0%}" if r.completion_rate is not None else "n/a"
        parts.append(f"<h2>plan-report: {e(_title(r.plan))} ↔ {e(_title(r.report))}</h2>"
                     f"<p class='meta'>completion {len(r.done)}/{r.planned} = {rate}</p>"
                     "<table class='plan-report'><thead><tr><th>status</th><th>planned</th><th>reported</th>"
                     "</tr></thead><tbody>")
        for x in r.done + r.not_mentioned + r.unplanned:
            parts.append(f"<tr class='{e(x.status)}'><td>{e(x.status.replace('_', ' '))}</td>"
                         f"<td>{e(x.planned.text) if x.planned else ''}</td>"
                         f"<td>{e(x.reported.text) if x.reported else ''}</td></tr>")
        parts.append("</tbody></table>")
    return "\n".join(parts)


def render_html(res: DiffResult, loaded: Optional[list[Loaded]] = None) -> str:
    """The review report (syextract.report) with the documents and the diff; a plain page if it is unavailable."""
    frag = diff_fragment(res)
    try:
        from .report import render

        items = [(ld.doc, ld.text) for ld in loaded or [] if ld.text is not None]
        return render(items, diffs_html=[frag], title="syextract diff")
    except ImportError:
        pass
    return ("<!doctype html><meta charset='utf-8'><title>syextract diff</title>"
            "<style>body{font-family:sans-serif}table{border-collapse:collapse}td,th{border:1px solid #ccc;"
            "padding:2px 6px}.added{background:#e6ffed}.removed{background:#ffeef0}</style>\n" + frag + "\n")


# --------------------------------------------------------------------- CLI

def add_arguments(ap: argparse.ArgumentParser) -> None:
    ap.add_argument("inputs", nargs="*", metavar="OLD NEW", help="two documents or their JSON records")
    ap.add_argument("--archive", metavar="DIR", help="diff every consecutive year of each issuer in DIR")
    ap.add_argument("--mode", choices=["plan-plan", "plan-report"], default="plan-plan",
                    help="plan-plan (default): OLD and NEW are plans; plan-report: PLAN and its 工作总结")
    ap.add_argument("--json", action="store_true", help="print the result as JSON")
    ap.add_argument("--html", metavar="FILE", help="also write an HTML view to FILE")
    ap.add_argument("--threshold", type=float, default=THRESHOLD,
                    help=f"name similarity (0-100) for two activities to be the same (default {THRESHOLD:g})")


def run(args) -> int:
    loaded: list[Loaded] = []
    try:
        if args.archive:
            if args.inputs:
                print("syextract diff: --archive takes no other inputs", file=sys.stderr)
                return 2
            if not os.path.isdir(args.archive):
                print(f"syextract diff: {args.archive}: not a folder", file=sys.stderr)
                return 2
            res = diff_archive(args.archive, args.threshold, loaded)
        else:
            if len(args.inputs) != 2:
                print("syextract diff: give OLD and NEW (or PLAN REPORT with --mode plan-report), or --archive DIR",
                      file=sys.stderr)
                return 2
            from .pipeline import records_pipeline

            nlp = records_pipeline() if any(not p.lower().endswith(".json") for p in args.inputs) else None
            old, new = (load_input(p, nlp) for p in args.inputs)
            loaded = [old, new]
            if args.mode == "plan-report":
                res = plan_report_documents(old, new, args.threshold)
            else:
                res = diff_documents(old, new, args.threshold)
    except InputProblem as e:
        print(f"syextract diff: {e}", file=sys.stderr)
        return 2
    if args.html:
        with open(args.html, "w", encoding="utf-8") as f:
            f.write(render_html(res, loaded))
    if args.json:
        sys.stdout.write(json.dumps(res.model_dump(mode="json"), ensure_ascii=False, indent=1) + "\n")
    else:
        sys.stdout.write(render_text(res))
    return 0


def register(subparsers) -> argparse.ArgumentParser:
    """Add ``diff`` to an argparse subparsers object (``syextract diff …``)."""
    ap = subparsers.add_parser("diff", help="compare plans year over year, or a plan with its 工作总结",
                               description=__doc__.split("\n\n")[0])
    add_arguments(ap)
    ap.set_defaults(func=run)
    return ap


def main(argv: Optional[Iterable[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="syextract diff", description="Compare plans year over year, or a plan "
                                 "with its 工作总结.")
    add_arguments(ap)
    args = ap.parse_args(list(argv) if argv is not None else None)
    try:
        return run(args)
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
