"""A self-contained HTML review report (no network): text with highlighted mentions,
the plan and section outline, the activity table, warnings and check findings,
and optionally diff views.

Every piece of document text goes through :func:`html.escape`; the data the
page's script reads is embedded as JSON with ``<`` escaped, so a document that
contains ``<script>`` shows it as text.
"""
from __future__ import annotations

import html
import json
import os
from typing import Any, Iterable, Optional

from .. import records as R

CATEGORIES = ["activities", "times", "quantities", "people", "organizations", "placeholders"]
LABELS = {"activities": "活动 activity", "times": "时间 time", "quantities": "数量 quantity",
          "people": "人员 person", "organizations": "单位 organization", "placeholders": "空缺 gap"}
_ORDER = {c: i for i, c in enumerate(CATEGORIES)}
_SKIP = {"id", "text", "start", "end", "section", "times", "responsible", "quantities", "participants"}
_HERE = os.path.dirname(__file__)


def _esc(s: Any) -> str:
    return html.escape("" if s is None else str(s), quote=True)


def _fields(m) -> str:
    data = m.model_dump(exclude_none=True)
    parts = [f"{k}: {v}" for k, v in data.items() if k not in _SKIP and v not in (False, [], "")]
    return "; ".join(parts)


def _mentions(plan: R.Plan) -> list[tuple[int, int, str, Any]]:
    out = []
    for cat in CATEGORIES:
        for m in getattr(plan, cat):
            out.append((m.start, m.end, cat, m))
    return out


def highlight(text: str, mentions: list[tuple[int, int, str, Any]], anchors: dict[int, list[str]],
              doc_key: str) -> str:
    """Escaped text with nested <mark> elements; a mention crossing another's end is split in two."""
    events = sorted(mentions, key=lambda x: (x[0], -x[1], _ORDER[x[2]]))
    out: list[str] = []
    pos = 0
    stack: list[tuple[int, int, str, Any]] = []
    queue = list(events)
    anchor_points = sorted(anchors)
    ai = 0

    def emit_text(upto: int) -> None:
        nonlocal pos, ai
        while ai < len(anchor_points) and anchor_points[ai] < pos:
            ai += 1
        while ai < len(anchor_points) and anchor_points[ai] < upto:
            at = anchor_points[ai]
            out.append(_esc(text[pos:at]))
            pos = at
            out.extend(f'<a class="anchor" id="{_esc(doc_key)}-{_esc(sid)}"></a>' for sid in anchors[at])
            ai += 1
        if upto > pos:
            out.append(_esc(text[pos:upto]))
            pos = upto

    def close_to(limit: int) -> None:
        while stack and stack[-1][1] <= limit:
            s = stack.pop()
            emit_text(s[1])
            out.append("</mark>")

    i = 0
    while i < len(queue):
        start, end, cat, m = queue[i]
        i += 1
        close_to(start)
        emit_text(start)
        if stack and end > stack[-1][1]:  # crossing: split at the enclosing mention's end
            cut = stack[-1][1]
            queue.insert(i, (cut, end, cat, m))
            queue[i:] = sorted(queue[i:], key=lambda x: (x[0], -x[1], _ORDER[x[2]]))
            end = cut
        if end <= start:
            continue
        cls = f"m {cat}" + (" cont" if start != m.start else "")
        out.append(f'<mark class="{cls}" data-id="{_esc(doc_key)}:{_esc(m.id)}" data-cat="{cat}" '
                   f'title="{_esc(LABELS[cat] + " | " + _fields(m))}">')
        stack.append((start, end, cat, m))
    close_to(len(text) + 1)
    emit_text(len(text))
    return "".join(out)


def _outline(doc: R.Document, key: str) -> str:
    parts = ["<ul class='outline'>"]
    for plan in doc.plans:
        parts.append(f"<li><a href='#{_esc(key)}-{_esc(plan.id)}'>{_esc(plan.title or plan.id)}</a>"
                     f" <span class='meta'>year {_esc(plan.year)} · issuer {_esc(plan.issuer)}</span>")
        if plan.sections:
            parts.append("<ul>")
            for sec in plan.sections:
                parts.append(f"<li class='lvl{sec.level}' style='margin-left:{(sec.level - 1) * 1.2}em'>"
                             f"<a href='#{_esc(key)}-{_esc(sec.id)}'>{_esc(sec.number)} {_esc(sec.title)}</a></li>")
            parts.append("</ul>")
        parts.append("</li>")
    parts.append("</ul>")
    return "".join(parts)


def _activity_table(doc: R.Document, key: str) -> str:
    rows = ["<table class='activities'><thead><tr><th>plan</th><th>section</th><th>activity</th><th>action</th>"
            "<th>name</th><th>times</th><th>responsible</th><th>counts</th></tr></thead><tbody>"]
    for plan in doc.plans:
        secs = {s.id: s for s in plan.sections}
        for a in plan.activities:
            sec = secs.get(a.section)
            rows.append(
                f"<tr data-id='{_esc(key)}:{_esc(a.id)}'><td>{_esc(plan.id)}</td>"
                f"<td>{_esc(sec.number if sec else '')}</td><td class='atext'>{_esc(a.text)}</td>"
                f"<td>{_esc(a.action)}</td><td>{_esc(a.name)}</td>"
                f"<td>{_esc('、'.join(r.text for r in a.times))}</td>"
                f"<td>{_esc('、'.join(r.name or r.text for r in a.responsible))}</td>"
                f"<td>{_esc('、'.join(r.text for r in a.quantities))}</td></tr>")
    rows.append("</tbody></table>")
    return "".join(rows)


def _findings(doc: R.Document, findings: Optional[list]) -> str:
    items = [f"<li class='warning'>{_esc(w)}</li>" for w in doc.warnings]
    for f in findings or []:
        d = f if isinstance(f, dict) else f.model_dump()
        spans = "; ".join(_esc(s.get("text")) for s in d.get("spans", []) if isinstance(s, dict))
        items.append(f"<li class='finding {_esc(d.get('severity'))}'><b>{_esc(d.get('rule'))}</b> "
                     f"[{_esc(d.get('severity'))}] {_esc(d.get('message'))}"
                     + (f" <span class='spans'>{spans}</span>" if spans else "") + "</li>")
    if not items:
        return "<p class='none'>No warnings or findings.</p>"
    return "<ul class='findings'>" + "".join(items) + "</ul>"


def _links_data(doc: R.Document, key: str) -> dict:
    data = {}
    for plan in doc.plans:
        for a in plan.activities:
            data[f"{key}:{a.id}"] = [f"{key}:{r.id}" for r in a.times + a.responsible + a.quantities
                                     + a.participants if r.id]
    return data


def render(items: Iterable[tuple[R.Document, str]], findings: Optional[dict] = None,
           diffs_html: Optional[list[str]] = None, title: str = "syextract review report") -> str:
    """The whole report as one HTML string. ``items``: (Document, its source text)."""
    with open(os.path.join(_HERE, "template.html"), encoding="utf-8") as f:
        template = f.read()
    sections, links, toc = [], {}, []
    for n, (doc, text) in enumerate(items):
        key = f"d{n}"
        anchors: dict[int, list[str]] = {}
        for plan in doc.plans:
            anchors.setdefault(plan.start, []).append(plan.id)
            for sec in plan.sections:
                anchors.setdefault(sec.start, []).append(sec.id)
        mentions = [m for plan in doc.plans for m in _mentions(plan)]
        counts = " · ".join(f"{LABELS[c].split()[0]} {sum(len(getattr(p, c)) for p in doc.plans)}"
                            for c in CATEGORIES)
        toc.append(f"<li><a href='#{key}'>{_esc(doc.title or doc.source.path or doc.id)}</a></li>")
        sections.append(
            f"<section class='doc' id='{key}'><h2>{_esc(doc.title or doc.id)}</h2>"
            f"<p class='meta'>{_esc(doc.source.path)} · {_esc(doc.source.format)} · {_esc(doc.source.encoding)}"
            f" · {len(doc.plans)} plan(s) · {_esc(counts)}</p>"
            f"<div class='cols'><nav>{_outline(doc, key)}</nav>"
            f"<pre class='text'>{highlight(text, mentions, anchors, key)}</pre></div>"
            f"<h3>Activities</h3>{_activity_table(doc, key)}"
            f"<h3>Warnings and check findings</h3>{_findings(doc, (findings or {}).get(doc.id))}</section>")
        links.update(_links_data(doc, key))
    legend = "".join(f"<span class='m {c}'>{_esc(LABELS[c])}</span> " for c in CATEGORIES)
    data = json.dumps({"links": links}, ensure_ascii=False).replace("<", "\\u003c")
    body = ("<ul class='toc'>" + "".join(toc) + "</ul>" + "".join(sections)
            + "".join(f"<section class='diff'>{d}</section>" for d in diffs_html or []))
    return (template.replace("{{title}}", _esc(title)).replace("{{legend}}", legend)
            .replace("{{body}}", body).replace("{{data}}", data))


def write(path: str, items: Iterable[tuple[R.Document, str]], **kw) -> str:
    page = render(items, **kw)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(page)
    return path
