"""Batch extraction: inputs, one record per input, resume, crash safety, SQLite, --jobs, Dask."""
import io
import json
import os
import re
import shutil
import sqlite3

import pytest

from syextract import batch
from syextract import records as R
from syextract.cli import main
from syextract.store import Store

ROOT = os.path.dirname(os.path.dirname(__file__))
DOCS = os.path.join(ROOT, "corpus", "docs")
SEED = os.path.join(DOCS, "000_c9f2e8833ee8cb3f.txt")
PLAN = "2024年青山镇双拥工作计划\n一、8月1日前走访慰问烈属25户，由镇民政办负责。\n"


def lines(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(x) for x in f.read().splitlines()]


@pytest.fixture
def archive(tmp_path):
    """A small nested archive: good plans, a hidden folder, a broken .docx, an undecodable .txt."""
    root = tmp_path / "archive"
    (root / "镇" / "a").mkdir(parents=True)
    (root / "镇" / "b").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "镇" / "a" / "plan1.txt").write_text(PLAN, encoding="utf-8")
    (root / "镇" / "b" / "plan2.md").write_text(PLAN.replace("青山镇", "红旗镇"), encoding="utf-8")
    (root / "镇" / "b" / "no_extension").write_text(PLAN.replace("青山镇", "白云镇"), encoding="utf-8")
    (root / "镇" / "b" / ".hidden.txt").write_text(PLAN, encoding="utf-8")
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (root / "broken.docx").write_bytes(b"PK\x03\x04" + b"not really a zip" * 10)
    (root / "junk.txt").write_bytes(bytes(range(256)) * 20)
    return root


# ------------------------------------------------------------------ inputs

def test_directories_recursive_sorted_hidden_skipped(archive):
    paths = batch.expand([str(archive)])
    rel = [os.path.relpath(p, archive) for p in paths]
    assert rel == ["broken.docx", "junk.txt", os.path.join("镇", "a", "plan1.txt"),
                   os.path.join("镇", "b", "no_extension"), os.path.join("镇", "b", "plan2.md")]


def test_symlink_loop_is_not_followed_forever(archive):
    os.symlink(archive, archive / "镇" / "loop")
    paths = batch.expand([str(archive)])
    assert len(paths) == 5 and len(set(paths)) == 5


def test_globs_missing_paths_and_duplicates(archive):
    pattern = str(archive / "**" / "*.txt")
    missing = str(archive / "nope.txt")
    nomatch = str(archive / "*.pdf")
    paths = batch.expand([pattern, missing, nomatch, str(archive / "junk.txt")])
    assert [os.path.basename(p) for p in paths] == ["junk.txt", "plan1.txt", "nope.txt", "*.pdf"]


def test_outputs_are_never_inputs(archive):
    out = archive / "out.jsonl"
    out.write_text("")
    assert str(out) not in batch.expand([str(archive)], exclude=[str(out)])


def test_from_file_and_stdin(archive, tmp_path, monkeypatch):
    lst = tmp_path / "list.txt"
    lst.write_text(f"# archive\n{archive / '镇' / 'a' / 'plan1.txt'}\n\n{archive / 'missing.txt'}\n", encoding="utf-8")
    out = tmp_path / "a.jsonl"
    assert main(["extract", "--from", str(lst), "--jsonl", str(out)]) == 1
    rows = lines(out)
    assert len(rows) == 2 and "plans" in rows[0] and rows[1]["error"]["kind"] == "unreadable"

    monkeypatch.setattr("sys.stdin", io.StringIO(str(archive / "镇" / "b") + "\n"))
    out2 = tmp_path / "b.jsonl"
    assert main(["extract", "--from", "-", "--jsonl", str(out2)]) == 0
    assert [os.path.basename(r["source"]["path"]) for r in lines(out2)] == ["no_extension", "plan2.md"]


# ------------------------------------------------------------------ one record per input

def test_exactly_one_line_per_input_with_bad_inputs(archive, tmp_path, capsys):
    out = tmp_path / "all.jsonl"
    missing = str(tmp_path / "missing.txt")
    status = main(["extract", str(archive), missing, "--jsonl", str(out)])
    assert status == 1
    rows = lines(out)
    assert len(rows) == 6
    by_name = {os.path.basename(r["source"]["path"]): r for r in rows}
    assert set(by_name) == {"broken.docx", "junk.txt", "plan1.txt", "no_extension", "plan2.md", "missing.txt"}
    for r in rows:
        assert ("plans" in r) != ("error" in r)
    assert by_name["junk.txt"]["error"]["kind"] == "undecodable"
    assert by_name["broken.docx"]["error"]["kind"] in ("undecodable", "unsupported", "unreadable")
    assert by_name["missing.txt"]["error"]["kind"] == "unreadable"
    assert by_name["junk.txt"]["source"]["sha256"]  # content errors carry the sha256 (for --resume)
    assert "sha256" not in by_name["missing.txt"]["source"]
    assert by_name["no_extension"]["plans"][0]["year"] == 2024  # format by content
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 3  # one line per failed input, no summary


def test_summary_on_request(archive, tmp_path, capsys):
    main(["extract", str(archive / "镇"), "--jsonl", str(tmp_path / "x.jsonl"), "--summary"])
    err = capsys.readouterr().err
    assert re.search(r"3 files \(3 documents, 0 errors\).*plans.*mentions.*chars/s", err)


def test_internal_error_becomes_a_record(monkeypatch):
    def boom(src, nlp=None):
        raise ValueError("extractor bug")

    monkeypatch.setattr("syextract.pipeline.process", boom)
    res = batch.process_bytes("x.txt", PLAN.encode("utf-8"))
    assert res.error_kind == "internal" and "extractor bug" in res.error_message and res.sha256
    rec = json.loads(res.line)
    assert rec["error"]["kind"] == "internal" and "plans" not in rec


# ------------------------------------------------------------------ resume and crashes

def test_resume_skips_done_inputs(archive, tmp_path):
    out = tmp_path / "r.jsonl"
    main(["extract", str(archive), "--jsonl", str(out)])
    first = out.read_text(encoding="utf-8")
    assert len(first.splitlines()) == 5
    # everything done: nothing re-run, nothing appended
    main(["extract", str(archive), "--jsonl", str(out), "--resume"])
    assert out.read_text(encoding="utf-8") == first
    # a new input: exactly one new line
    (archive / "镇" / "a" / "plan3.txt").write_text(PLAN.replace("青山镇", "金沙镇"), encoding="utf-8")
    main(["extract", str(archive), "--jsonl", str(out), "--resume"])
    rows = lines(out)
    assert len(rows) == 6 and rows[-1]["source"]["path"].endswith("plan3.txt")
    # without --resume, a run appends everything again
    main(["extract", str(archive), "--jsonl", str(out)])
    assert len(lines(out)) == 12


def test_resume_by_path_and_sha256(archive, tmp_path):
    out = tmp_path / "r.jsonl"
    missing = str(tmp_path / "missing.txt")
    main(["extract", str(archive), missing, "--jsonl", str(out)])
    assert len(lines(out)) == 6
    # a copy of a done file under another name gets its own record; an edited file is new again;
    # a still-missing input is not reported twice
    shutil.copy(archive / "镇" / "a" / "plan1.txt", archive / "镇" / "a" / "copy_of_plan1.txt")
    (archive / "镇" / "b" / "plan2.md").write_text(PLAN.replace("青山镇", "石桥乡"), encoding="utf-8")
    main(["extract", str(archive), missing, "--jsonl", str(out), "--resume"])
    rows = lines(out)
    assert [os.path.basename(r["source"]["path"]) for r in rows[6:]] == ["copy_of_plan1.txt", "plan2.md"]
    assert rows[7]["plans"][0]["title"].startswith("2024年石桥乡")
    # the file that was missing appears: it is processed
    (tmp_path / "missing.txt").write_text(PLAN, encoding="utf-8")
    main(["extract", str(archive), missing, "--jsonl", str(out), "--resume"])
    rows = lines(out)
    assert len(rows) == 9 and rows[-1]["source"]["path"] == missing and "plans" in rows[-1]


def test_resume_fills_each_output_without_duplicates(archive, tmp_path):
    out, db, d = tmp_path / "a.jsonl", tmp_path / "a.sqlite", tmp_path / "out"
    main(["extract", str(archive), "--jsonl", str(out)])
    main(["extract", str(archive / "镇"), "--db", str(db)])  # the database has three of five
    main(["extract", str(archive), "--jsonl", str(out), "--db", str(db), "--out-dir", str(d), "--resume"])
    assert len(lines(out)) == 5 and len(os.listdir(d)) == 5
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*), count(DISTINCT path) FROM documents").fetchone() == (5, 5)


def test_crash_leaves_a_torn_line_that_resume_repairs(archive, tmp_path):
    out = tmp_path / "c.jsonl"
    main(["extract", str(archive), "--jsonl", str(out)])
    full = out.read_bytes()
    rows = full.splitlines(keepends=True)
    torn = b"".join(rows[:3]) + rows[3][: len(rows[3]) // 2]  # killed while writing the 4th line
    out.write_bytes(torn)
    assert batch.jsonl_keys(str(out)) == {batch.record_key(json.loads(r)) for r in rows[:3]}
    main(["extract", str(archive), "--jsonl", str(out), "--resume"])
    assert out.read_bytes() == full  # the torn line cut off, the two missing lines written, in order


def test_out_dir_resume_and_atomic_files(archive, tmp_path):
    out = tmp_path / "out"
    main(["extract", str(archive), "--out-dir", str(out)])
    names = sorted(os.listdir(out))
    assert names == ["broken.error.json", "junk.error.json", "no_extension.json", "plan1.json", "plan2.json"]
    (out / "plan1.json").unlink()
    mtime = os.path.getmtime(out / "plan2.json")
    main(["extract", str(archive), "--out-dir", str(out), "--resume"])
    assert sorted(os.listdir(out)) == names and os.path.getmtime(out / "plan2.json") == mtime


# ------------------------------------------------------------------ SQLite

def readme_query() -> str:
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        text = f.read()
    section = text[text.index("### The SQLite archive"):]
    return re.search(r"```sql\n(.*?)```", section, re.S).group(1)


def test_db_tables_keys_and_the_readme_query(tmp_path):
    db = tmp_path / "archive.sqlite"
    missing = str(tmp_path / "missing.txt")
    assert main(["extract", DOCS, missing, "--db", str(db)]) == 1
    n_inputs = len(batch.expand([DOCS])) + 1
    con = sqlite3.connect(db)
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"documents", "plans", "sections", "activities", "times", "quantities", "people", "organizations",
            "placeholders", "activity_links"} <= tables
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == n_inputs
    assert con.execute("SELECT count(*) FROM documents WHERE error_kind = 'unreadable'").fetchone()[0] == 1
    seed = con.execute("SELECT doc_key, n_plans FROM documents WHERE path = ?", (SEED,)).fetchone()
    assert seed[1] == 6 and con.execute("SELECT count(*) FROM plans WHERE doc_key = ?", (seed[0],)).fetchone()[0] == 6
    # keys hold: every row below a plan points at an existing plan and document
    for t in ("sections", "activities", "times", "quantities", "people", "organizations", "placeholders"):
        orphans = con.execute(f"SELECT count(*) FROM {t} x LEFT JOIN plans p ON p.plan_key = x.plan_key "
                              f"WHERE p.plan_key IS NULL OR p.doc_key != x.doc_key").fetchone()[0]
        assert orphans == 0, t
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    # each stored record is the JSONL record
    rec = json.loads(con.execute("SELECT record FROM documents WHERE doc_key = ?", (seed[0],)).fetchone()[0])
    assert len(rec["plans"]) == 6
    con.execute(readme_query()).fetchall()  # the README's query runs on the corpus archive

    # --resume against the database: nothing new
    assert main(["extract", DOCS, "--db", str(db), "--resume"]) == 0
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == n_inputs


def _august_doc() -> R.Document:
    t = R.TimeExpr(id="t1", text="8月上旬", start=20, end=25, month=8, part="上旬")
    t2 = R.TimeExpr(id="t2", text="3月", start=40, end=42, month=3)
    o = R.Organization(id="o1", text="镇武装部", start=30, end=34, name="镇武装部", role="责任单位")
    a = R.Activity(id="a1", text="8月上旬举办八一军民座谈会", start=20, end=35, action="举办", name="八一军民座谈会",
                   times=[R.Ref(id="t1", text="8月上旬", start=20, end=25)],
                   responsible=[R.Ref(id="o1", text="镇武装部", start=30, end=34)])
    b = R.Activity(id="a2", text="3月开展征兵宣传", start=40, end=48, action="开展",
                   times=[R.Ref(id="t2", text="3月", start=40, end=42)])
    plan = R.Plan(id="p1", title="红旗镇2024年双拥工作计划", start=0, end=60, issuer="红旗镇", year=2024,
                  sections=[R.Section(id="p1.s1", number="一、", level=1, start=18, end=60)],
                  activities=[a, b], times=[t, t2], organizations=[o])
    src = R.SourceInfo(path="hongqi.txt", format="txt", sha256="0" * 64, chars=60, text_sha256="1" * 64)
    return R.Document(id="hongqi", source=src, plans=[plan])


def test_readme_query_finds_august_activities_of_townships(tmp_path):
    with Store(str(tmp_path / "q.sqlite")) as store:
        store.add(_august_doc())
        rows = store.conn.execute(readme_query()).fetchall()
        assert [r[:4] for r in rows] == [("红旗镇", 2024, "8月上旬举办八一军民座谈会", "8月上旬")]
        link = store.conn.execute("SELECT kind, target_table, target_key IS NOT NULL FROM activity_links "
                                  "WHERE kind = 'responsible'").fetchone()
        assert link == ("responsible", "organizations", 1)
        assert store.done_hashes() == {"0" * 64}


def test_db_document_is_one_transaction(tmp_path):
    store = Store(str(tmp_path / "t.sqlite"))
    good = json.loads(_august_doc().model_dump_json())
    bad = json.loads(_august_doc().model_dump_json())
    bad["plans"][0]["activities"].append(None)  # fails after the document, plan and mentions rows
    with pytest.raises(AttributeError):
        store.add(bad)
    assert store.count("documents") == 0 and store.count("plans") == 0 and store.count("times") == 0
    store.add(good)
    assert store.count("documents") == 1 and store.count("activities") == 2
    store.close()


# ------------------------------------------------------------------ parallel and distributed

@pytest.fixture(scope="module")
def corpus_inputs(tmp_path_factory):
    d = tmp_path_factory.mktemp("mixed")
    for name in sorted(os.listdir(DOCS)):
        shutil.copy(os.path.join(DOCS, name), d / name)
    shutil.copy(SEED, d / "zz_same_bytes_as_seed.txt")  # identical content under another name
    (d / "junk.txt").write_bytes(bytes(range(256)) * 20)
    return [str(d), str(d / "missing.txt")]


@pytest.fixture(scope="module")
def local_lines(corpus_inputs, tmp_path_factory):
    out = tmp_path_factory.mktemp("local") / "j1.jsonl"
    main(["extract", *corpus_inputs, "--jsonl", str(out), "--jobs", "1"])
    return out.read_text(encoding="utf-8")


def test_jobs_2_equals_jobs_1(corpus_inputs, local_lines, tmp_path):
    out = tmp_path / "j2.jsonl"
    main(["extract", *corpus_inputs, "--jsonl", str(out), "--jobs", "2"])
    assert out.read_text(encoding="utf-8") == local_lines
    rows = [json.loads(x) for x in local_lines.splitlines()]
    assert sum("error" in r for r in rows) == 2
    same = [r for r in rows if "plans" in r and r["source"]["sha256"] == rows[0]["source"]["sha256"]]
    assert len(same) == 2  # identical bytes under two names: two inputs, two records


def test_dask_local_cluster_equals_local(corpus_inputs, local_lines, tmp_path):
    distributed = pytest.importorskip("distributed")
    out = tmp_path / "dask.jsonl"
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        status = main(["extract", *corpus_inputs, "--jsonl", str(out), "--engine", "dask",
                       "--scheduler", cluster.scheduler_address])
    assert status == 1
    assert out.read_text(encoding="utf-8") == local_lines


def test_scheduler_needs_dask_engine(tmp_path):
    assert main(["extract", SEED, "--jsonl", str(tmp_path / "x.jsonl"), "--scheduler", "tcp://127.0.0.1:8786"]) == 2


def test_progress_and_summary_on_a_terminal(archive, tmp_path, monkeypatch, capsys):
    import sys

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert main(["extract", str(archive / "镇"), "--jsonl", str(tmp_path / "t.jsonl")]) == 0
    err = capsys.readouterr().err
    assert "3/3" in err  # the bar's count
    assert re.search(r"syextract: 3 files \(3 documents, 0 errors\), 0 skipped as done, 3 plans", err)
    assert main(["extract", str(archive / "镇"), "--jsonl", str(tmp_path / "t.jsonl"), "-q"]) == 0
    assert capsys.readouterr().err == ""


def test_jsonl_to_stdout(archive, capsys):
    assert main(["extract", str(archive / "镇"), "--jsonl", "-"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 3 and all(json.loads(x)["plans"] for x in out)


def test_time_limit_holds_in_a_worker_thread(monkeypatch):
    """Dask runs documents in worker threads, where no SIGALRM timer can be set: the pipeline's own
    deadline, checked between stages, still turns an over-long document into a `timeout` record."""
    import threading
    import time

    from syextract.pipeline import records_pipeline

    stage = dict(records_pipeline().pipeline)["syx_people"]  # what batch runs
    real = stage._extract

    def slow(ctx):
        time.sleep(0.5)
        return real(ctx)

    monkeypatch.setattr(stage, "_extract", slow)
    got = {}
    worker = threading.Thread(target=lambda: got.update(
        slow=batch.process_bytes("slow.txt", PLAN.encode("utf-8"), timeout=0.2),
        fine=batch.process_bytes("fine.txt", PLAN.encode("utf-8"), timeout=5)))
    worker.start()
    worker.join()
    assert json.loads(got["slow"].line)["error"]["kind"] == "timeout"
    assert "plans" in json.loads(got["fine"].line)  # the deadline ended with its document


# ------------------------------------------------------------------ groups

def test_a_group_gives_what_each_document_gives_alone(archive):
    """process_group runs its documents through the stages together: each item still gets exactly
    the line process_item gives it, unreadable and undecodable ones included, in input order."""
    items = [batch.read_item(p) for p in batch.expand([str(archive)])]
    items.insert(1, batch.read_item(str(archive / "missing.txt")))
    assert sum(1 for it in items if it.error) == 1 and len(items) == 6
    alone = [batch.process_item(it) for it in items]
    together = batch.process_group(items)
    assert [r.line for r in together] == [r.line for r in alone]
    assert [r.error_kind for r in together] == [None if r.ok else r.error_kind for r in alone]
    assert sum(r.ok for r in together) == 3 and all(r.seconds > 0 for r in together if r.ok)


@pytest.mark.parametrize("in_thread", [False, True], ids=["SIGALRM", "deadline in a worker thread (Dask)"])
def test_a_group_past_its_time_limit_is_run_again_one_by_one(monkeypatch, in_thread):
    """The limit holds for the group; past it, each document runs alone under its own limit, so only
    the slow one gets a timeout record."""
    import threading
    import time

    from syextract.pipeline import records_pipeline

    stage = dict(records_pipeline().pipeline)["syx_people"]  # what batch runs
    real = stage._extract

    def slow_on_one(ctx):
        if "慢镇" in ctx.text:
            time.sleep(1.0)
        return real(ctx)

    monkeypatch.setattr(stage, "_extract", slow_on_one)
    texts = [PLAN, PLAN.replace("青山镇", "慢镇"), PLAN.replace("青山镇", "红旗镇")]
    items = [batch.Item(f"p{k}.txt", t.encode("utf-8"), f"{k:064x}") for k, t in enumerate(texts)]
    if in_thread:
        out = []
        worker = threading.Thread(target=lambda: out.extend(batch.process_group(items, timeout=0.6)))
        worker.start()
        worker.join()
        got = out
    else:
        got = batch.process_group(items, timeout=0.6)
    assert [r.error_kind for r in got] == [None, "timeout", None]
    assert [got[0].line, got[2].line] == [batch.process_item(items[k]).line for k in (0, 2)]


def test_groups_are_bounded_in_documents_and_bytes():
    small = [batch.Item(f"{k}.txt", b"x" * 10) for k in range(20)]
    assert [len(g) for g in batch.groups(small, size=8)] == [8, 8, 4]
    mixed = [batch.Item("a", b"x" * 10), batch.Item("big", b"x" * 100), batch.Item("b", b"x" * 10),
             batch.Item("c", b"x" * 10)]
    assert [[it.path for it in g] for g in batch.groups(mixed, size=8, nbytes=50)] == [["a"], ["big"], ["b", "c"]]


def test_the_pool_shares_the_queue_and_sends_requeued_documents_alone():
    """A worker takes at most GROUP_DOCS documents, fewer when the queue is short so that every
    worker gets a share; documents queued again after a lost group go alone."""
    from collections import deque

    pool = batch.WorkerPool.__new__(batch.WorkerPool)  # the queue logic alone: no processes
    pool.jobs = 2
    assert batch.GROUP_DOCS == 16
    pool.queue = deque((k, batch.Item(f"{k}.txt", b"x"), False) for k in range(40))
    assert [len(pool._take()) for _ in range(4)] == [16, 12, 6, 3]  # 40 -> 24 -> 12 -> 6 -> 3 left
    pool.jobs = 1
    pool.queue = deque((k, batch.Item(name, b"x"), alone) for k, (name, alone) in enumerate(
        [("a", True), ("b", False), ("c", False), ("d", True), ("e", False)]))
    assert [[t for t, _ in pool._take()] for _ in range(4)] == [[0], [1, 2], [3], [4]]
