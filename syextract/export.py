"""Records -> tables: pandas DataFrames, CSV, Parquet, Excel, SQLite.

One table per category, each row keyed by ``doc_id`` and ``plan_id`` (and
``section_id`` where the mention lies in a section), so the tables join back
together. Activity links get a table of their own (``activity_links``: one row
per activity -> linked time, responsible unit/person, count or participant).
"""
from __future__ import annotations

import json
import os
from typing import Iterable, Iterator, Union

from . import records as R

CATEGORIES = ["activities", "times", "quantities", "people", "organizations", "placeholders"]
TABLES = ["documents", "plans", "sections", *CATEGORIES, "activity_links"]
_LINKS = ("times", "responsible", "quantities", "participants")


def load_records(paths: Iterable[str]) -> Iterator[Union[R.Document, R.ErrorRecord]]:
    """Read records from .json files (one Document), .jsonl files (one per line) or folders of them."""
    for path in paths:
        if os.path.isdir(path):
            names = sorted(n for n in os.listdir(path) if n.endswith((".json", ".jsonl")))
            yield from load_records(os.path.join(path, n) for n in names)
            continue
        with open(path, encoding="utf-8") as f:
            if path.endswith(".jsonl"):
                for line in f:
                    if line.strip():
                        yield _record(json.loads(line))
            else:
                yield _record(json.load(f))


def _record(data: dict) -> Union[R.Document, R.ErrorRecord]:
    return R.ErrorRecord.model_validate(data) if "error" in data else R.Document.model_validate(data)


def rows(docs: Iterable[Union[R.Document, R.ErrorRecord]]) -> dict[str, list[dict]]:
    """Plain rows per table (what every exporter writes)."""
    out: dict[str, list[dict]] = {t: [] for t in TABLES}
    for doc in docs:
        if isinstance(doc, R.ErrorRecord):
            out["documents"].append({"doc_id": None, "path": doc.source.get("path"), "format": None,
                                     "encoding": None, "sha256": doc.source.get("sha256"), "chars": None,
                                     "title": None, "plans": 0, "error_kind": doc.error.kind,
                                     "error_message": doc.error.message})
            continue
        s = doc.source
        out["documents"].append({"doc_id": doc.id, "path": s.path, "format": s.format, "encoding": s.encoding,
                                 "sha256": s.sha256, "chars": s.chars, "title": doc.title,
                                 "plans": len(doc.plans), "error_kind": None, "error_message": None})
        for plan in doc.plans:
            out["plans"].append({"doc_id": doc.id, "plan_id": plan.id, "title": plan.title, "issuer": plan.issuer,
                                 "year": plan.year, "start": plan.start, "end": plan.end,
                                 **{f"n_{c}": len(getattr(plan, c)) for c in CATEGORIES}})
            for sec in plan.sections:
                out["sections"].append({"doc_id": doc.id, "plan_id": plan.id, **sec.model_dump()})
            for cat in CATEGORIES:
                for m in getattr(plan, cat):
                    row = {"doc_id": doc.id, "plan_id": plan.id, "plan_year": plan.year, "issuer": plan.issuer}
                    data = m.model_dump()
                    for link in _LINKS:
                        if cat == "activities" and link in data:
                            refs = data.pop(link)
                            data[link] = "、".join(r["text"] for r in refs)
                            for r in refs:
                                out["activity_links"].append({"doc_id": doc.id, "plan_id": plan.id,
                                                              "activity_id": m.id, "kind": link,
                                                              "target_id": r["id"], "text": r["text"],
                                                              "name": r.get("name"), "start": r["start"],
                                                              "end": r["end"]})
                    row.update(data)
                    if cat == "activities":
                        row["kind"] = activity_kind(" ".join(filter(None, (m.action, m.name, m.text))))
                    out[cat].append(row)
    return out


def to_frames(docs: Iterable[Union[R.Document, R.ErrorRecord]]) -> dict:
    """pandas DataFrames, one per table (documents, plans, sections, activities, times, …)."""
    import pandas as pd

    data = rows(docs)
    frames = {}
    for table, table_rows in data.items():
        frames[table] = pd.DataFrame(table_rows) if table_rows else pd.DataFrame(columns=_columns(table))
    return frames


def _columns(table: str) -> list[str]:
    model = {"activities": R.Activity, "times": R.TimeExpr, "quantities": R.Quantity, "people": R.Person,
             "organizations": R.Organization, "placeholders": R.Placeholder, "sections": R.Section}.get(table)
    base = ["doc_id", "plan_id"]
    return base + (list(model.model_fields) if model else [])


def export(docs: Iterable[Union[R.Document, R.ErrorRecord]], to: str, out: str) -> list[str]:
    """Write the tables; returns the files written. ``to``: csv | parquet | xlsx | sqlite."""
    frames = to_frames(docs)
    written: list[str] = []
    if to in ("csv", "parquet"):
        os.makedirs(out, exist_ok=True)
        for table, df in frames.items():
            path = os.path.join(out, f"{table}.{to}")
            if to == "csv":
                df.to_csv(path, index=False, encoding="utf-8-sig")  # the BOM lets Excel read the Chinese right
            else:
                df.to_parquet(path, index=False)
            written.append(path)
    elif to == "xlsx":
        os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
        with __import__("pandas").ExcelWriter(out, engine="openpyxl") as xw:
            for table, df in frames.items():
                df.to_excel(xw, sheet_name=table, index=False)
        written.append(out)
    elif to == "sqlite":
        import sqlite3

        os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
        with sqlite3.connect(out) as con:
            for table, df in frames.items():
                df.to_sql(table, con, if_exists="replace", index=False)
        written.append(out)
    else:
        raise ValueError(f"unknown export format {to!r} (csv, parquet, xlsx, sqlite)")
    return written


def activity_kind(text: str) -> str:
    """A coarse kind for an activity (慰问帮扶, 会议座谈, 宣传教育 …) from lexicons/activity_kinds.yaml."""
    from .extractors.base import lexicon

    for entry in lexicon("activity_kinds"):
        if any(w in (text or "") for w in entry["words"]):
            return entry["kind"]
    return "其他"
