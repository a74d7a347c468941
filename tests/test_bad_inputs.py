"""Issue 8: every bad input answered, nothing lost, no crash.

The bad inputs are ``tests/bad_inputs/`` (small files, checked in) plus the
large and special ones ``make_bad_inputs.make_special`` makes in a temporary
folder (20 MB file, 1 MB line, numbering 1,000 deep, zip bomb, symlink loops,
named pipe, unreadable file, folders named like files). One batch over all of
them must give exactly one record per input, of the expected kind, in the
JSONL and in the database, one stderr line per error and no traceback, and
exit with status 1 (some inputs gave error records), as the README says.
"""
import importlib.util
import json
import os
import shutil
import sqlite3
import subprocess
import sys

import pytest

from syextract import batch
from syextract.cli import main
from syextract.io import read, source

HERE = os.path.dirname(__file__)
BAD = os.path.join(HERE, "bad_inputs")
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
CATEGORIES = ("times", "quantities", "people", "organizations", "activities", "placeholders")

_spec = importlib.util.spec_from_file_location("make_bad_inputs", os.path.join(BAD, "make_bad_inputs.py"))
M = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(M)


def outcome(row: dict) -> str:
    return "record" if "plans" in row else row["error"]["kind"]


def allowed(expected) -> tuple:
    return expected if isinstance(expected, tuple) else (expected,)


@pytest.fixture(scope="module")
def bad_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("bad_inputs")
    for name in M.small_files():
        shutil.copy(os.path.join(BAD, name), d / name)
    M.make_special(str(d), unreadable=not AS_ROOT)
    yield d
    os.chmod(d / "special" / "unreadable.txt", 0o644)


@pytest.fixture
def unreadable(monkeypatch):
    """As root, chmod 000 does not stop reading: simulate the refused open() (the same PermissionError)."""
    if not AS_ROOT:
        return
    real_open = open

    def fake_open(path, *a, **k):
        if os.fspath(path).endswith("unreadable.txt"):
            raise PermissionError(13, "Permission denied", path)
        return real_open(path, *a, **k)

    from syextract.io import source as io_source  # where every input file is opened

    monkeypatch.setattr(io_source, "open", fake_open, raising=False)


def test_checked_in_files_are_the_generators():
    for name, data in M.small_files().items():
        with open(os.path.join(BAD, name), "rb") as f:
            assert f.read() == data, f"{name} differs: run python tests/bad_inputs/make_bad_inputs.py --small"


def test_every_bad_input_one_record_batch_completes(bad_dir, tmp_path, capsys, unreadable):
    jsonl, db = tmp_path / "bad.jsonl", tmp_path / "bad.sqlite"
    status = main(["extract", str(bad_dir), str(bad_dir / "empty_folder.txt"), "--jsonl", str(jsonl),
                   "--db", str(db), "--jobs", "2", "--timeout", "15"])
    assert status == 1  # README: 1 when at least one input gave an error record
    with open(jsonl, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    by_name = {os.path.relpath(r["source"]["path"], bad_dir).replace(os.sep, "/"): r for r in rows}
    assert len(by_name) == len(rows)  # each input exactly once
    expected = {name: exp for name, (_, exp) in M.KINDS.items() if exp is not None}
    assert set(by_name) == set(expected)
    table = []
    for name, exp in expected.items():
        row = by_name[name]
        assert ("plans" in row) != ("error" in row)
        got = outcome(row)
        table.append(f"{name:40} {got:12} {row.get('error', {}).get('message', '')[:90]}")
        assert got in allowed(exp), (name, row.get("error"))
        if got == "record":
            text = row["source"]["text"]
            if text is None:
                text = read(row["source"]["path"]).text
            assert row["source"]["chars"] == len(text)
            for plan in row["plans"]:
                for cat in CATEGORIES:
                    for m in plan[cat]:
                        assert text[m["start"]:m["end"]] == m["text"]
        elif got not in ("unreadable", "empty") or "sha256" in row["source"]:
            assert row["source"].get("sha256") or got in ("unreadable", "empty", "too_large")
    err = capsys.readouterr().err
    with capsys.disabled():
        print("\n" + "\n".join(table))
    assert "Traceback" not in err
    errors = [r for r in rows if "error" in r]
    assert len(err.strip().splitlines()) == len(errors)  # one line per failed input
    con = sqlite3.connect(db)
    paths = [p for (p,) in con.execute("SELECT path FROM documents")]
    assert sorted(paths) == sorted(r["source"]["path"] for r in rows)
    kinds = dict(con.execute("SELECT path, error_kind FROM documents"))
    for r in rows:
        assert kinds[r["source"]["path"]] == (r["error"]["kind"] if "error" in r else None)
    con.close()


def test_console_script_on_the_small_bad_inputs(tmp_path):
    """A real process: exit status 1, one stderr line per error, no traceback, one JSONL line per input."""
    exe = os.path.join(os.path.dirname(sys.executable), "syextract")
    src = tmp_path / "bad"
    shutil.copytree(BAD, src, ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path / "small.jsonl"
    proc = subprocess.run([exe, "extract", str(src), "--jsonl", str(out), "--timeout", "60"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    with open(out, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    names = [os.path.basename(r["source"]["path"]) for r in rows]
    assert sorted(names) == sorted(list(M.small_files()) + ["make_bad_inputs.py"])
    for r in rows:
        name = os.path.basename(r["source"]["path"])
        if name in M.KINDS:
            assert outcome(r) in allowed(M.KINDS[name][1]), (name, r.get("error"))
    assert len(proc.stderr.strip().splitlines()) == sum("error" in r for r in rows)
    out.read_bytes().decode("utf-8")  # valid UTF-8 throughout


def test_timeout_gives_an_error_record_in_process():
    data = (M.PLAN.replace("\n", " ") * 3000).encode("utf-8")  # ~15 s of work
    res = batch.process_bytes("slow.txt", data, timeout=0.5)
    assert res.error_kind == "timeout" and "0.5 s" in res.error_message and res.sha256
    assert batch.process_bytes("ok.txt", M.PLAN.encode("utf-8"), timeout=30).ok  # the timer is gone


def _stuck(data, path=None, format=None):
    """Reading a document that gets stuck where SIGALRM cannot reach (blocked), or kills its worker."""
    import signal
    import time

    if path.endswith("stuck.txt"):
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(120)
    if path.endswith("die.txt"):
        os._exit(3)
    return real_read_bytes(data, path, format)


real_read_bytes = source.read_bytes


def test_worker_pool_kills_and_replaces_a_stuck_worker(tmp_path, monkeypatch, capsys):
    names = ["a.txt", "stuck.txt", "b.txt", "die.txt", "c.txt", "d.txt"]
    for n in names:
        (tmp_path / n).write_text(M.PLAN, encoding="utf-8")
    monkeypatch.setattr(source, "read_bytes", _stuck)  # inherited by the forked workers, grouped or not
    monkeypatch.setattr(batch, "KILL_GRACE", 1.0)
    out = tmp_path / "out.jsonl"
    import time

    t0 = time.monotonic()
    status = main(["extract", *[str(tmp_path / n) for n in names], "--jsonl", str(out), "--jobs", "2",
                   "--timeout", "1"])
    assert time.monotonic() - t0 < 60
    assert status == 1
    with open(out, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    assert [os.path.basename(r["source"]["path"]) for r in rows] == names  # input order, each once
    got = {os.path.basename(r["source"]["path"]): outcome(r) for r in rows}
    assert got == {"a.txt": "record", "stuck.txt": "timeout", "b.txt": "record", "die.txt": "internal",
                   "c.txt": "record", "d.txt": "record"}
    assert "Traceback" not in capsys.readouterr().err


# ------------------------------------------------------------------ security

def test_report_escapes_document_text(tmp_path):
    evil = ("2024年<script>alert('x')</script>双拥工作计划\n一、春节前夕走访慰问烈属25户"
            "<img src=x onerror=alert(1)>，由镇民政办负责。\n")
    p = tmp_path / "evil.txt"
    p.write_text(evil, encoding="utf-8")
    out = tmp_path / "report.html"
    assert main(["report", str(p), "-o", str(out), "--no-check"]) == 0
    html = out.read_text(encoding="utf-8")
    assert "<script>alert('x')</script>" not in html and "<img src=x onerror" not in html
    assert "alert" in html  # the text is there, escaped


def test_nothing_from_a_document_is_used_as_a_path(tmp_path):
    """Output names come from the input's file name only, never from its text or title."""
    p = tmp_path / "in" / "plan.txt"
    p.parent.mkdir()
    p.write_text("../../escape/evil2024年双拥工作计划\n/etc/passwd\n一、走访慰问烈属25户。\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["extract", str(p), "--out-dir", str(out)]) == 0
    assert sorted(os.listdir(out)) == ["plan.json"]
    assert not (tmp_path / "escape").exists()


def test_docx_xml_size_is_bounded(bad_dir):
    from syextract.io.docx import MAX_UNCOMPRESSED

    item = batch.read_item(str(bad_dir / "special" / "zip_bomb.docx"))
    assert item.data is not None and len(item.data) < 2 * 1024 * 1024  # small on disk …
    res = batch.process_item(item)
    assert res.error_kind == "too_large" and str(MAX_UNCOMPRESSED) in res.error_message  # … refused unread
