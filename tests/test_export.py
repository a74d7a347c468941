"""Exports: DataFrames keyed by document and plan, CSV/Parquet/Excel/SQLite files, displaCy."""
import json
import os
import sqlite3

import pandas as pd
import pytest

import syextract
from syextract.export import TABLES, export, load_records

ROOT = os.path.dirname(os.path.dirname(__file__))
SEED = os.path.join(ROOT, "corpus", "docs", "000_c9f2e8833ee8cb3f.txt")
DOCX = os.path.join(ROOT, "corpus", "docs", "bayi_scheme_2023.docx")


@pytest.fixture(scope="module")
def docs():
    return [syextract.extract(SEED), syextract.extract(DOCX)]


def test_to_frames_keys_and_counts(docs):
    frames = syextract.to_frames(docs)
    assert set(frames) == set(TABLES)
    assert len(frames["documents"]) == 2 and len(frames["plans"]) == 7
    for cat in ("times", "quantities", "people", "organizations", "placeholders", "activities"):
        df = frames[cat]
        assert len(df) == sum(len(getattr(p, cat)) for d in docs for p in d.plans)
        if len(df):
            assert {"doc_id", "plan_id", "text", "start", "end"} <= set(df.columns)
    times = frames["times"]
    seed_times = times[times.doc_id == docs[0].id]
    assert set(seed_times.plan_id) <= {p.id for p in docs[0].plans}


def test_file_exports_roundtrip(docs, tmp_path):
    jsonl = tmp_path / "records.jsonl"
    jsonl.write_text("".join(d.model_dump_json() + "\n" for d in docs), encoding="utf-8")
    loaded = list(load_records([str(jsonl)]))
    assert [d.id for d in loaded] == [d.id for d in docs]
    csv_files = export(loaded, "csv", str(tmp_path / "csv"))
    assert len(csv_files) == len(TABLES)
    plans = pd.read_csv(tmp_path / "csv" / "plans.csv", encoding="utf-8-sig")
    assert len(plans) == 7 and "issuer" in plans.columns
    export(loaded, "parquet", str(tmp_path / "pq"))
    assert len(pd.read_parquet(tmp_path / "pq" / "placeholders.parquet")) == sum(
        len(p.placeholders) for d in docs for p in d.plans)
    export(loaded, "xlsx", str(tmp_path / "x.xlsx"))
    assert set(pd.ExcelFile(tmp_path / "x.xlsx").sheet_names) == set(TABLES)
    export(loaded, "sqlite", str(tmp_path / "x.sqlite"))
    with sqlite3.connect(tmp_path / "x.sqlite") as con:
        n = con.execute("select count(*) from times t join plans p on t.doc_id = p.doc_id and t.plan_id = p.plan_id"
                        ).fetchone()[0]
    assert n == sum(len(p.times) for d in docs for p in d.plans)


def test_error_records_become_document_rows(tmp_path):
    rec = {"source": {"path": "bad.txt"}, "error": {"kind": "undecodable", "message": "binary"}}
    f = tmp_path / "e.json"
    f.write_text(json.dumps(rec), encoding="utf-8")
    frames = syextract.to_frames(load_records([str(f)]))
    assert frames["documents"].iloc[0]["error_kind"] == "undecodable"


def test_displacy_renders_exact_spans(docs):
    html = syextract.displacy(docs[1], jupyter=False)
    for cat in ("times", "quantities", "placeholders"):  # one label per span, at its first character
        assert html.count(cat.upper()) == sum(len(getattr(p, cat)) for p in docs[1].plans)
