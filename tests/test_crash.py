"""Crash safety: a batch killed with SIGKILL mid-run, rerun with --resume, holds each input exactly once.

The CLI runs in a subprocess over ~60 generated documents with ``--jobs 2
--jsonl --db``; once some lines are in the JSONL the whole process is killed
(SIGKILL: no cleanup of any kind; the workers die with their parent). The
same command with ``--resume`` then completes the run, and every input must be
in the JSONL and in the SQLite archive exactly once, with no torn line.
"""
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

PLAN = ("{town}2024年双拥工作计划\n一、组织领导\n成立双拥工作领导小组，组长：{name}。\n"
        "二、主要活动\n（一）春节前夕走访慰问烈属{n}户，发放慰问金{m}万元，由镇民政办负责。\n"
        "（二）8月1日前召开军政座谈会，由镇人武部牵头。\n（三）{k}月组织国防教育进校园活动。\n")
TOWNS = ["青山镇", "红旗镇", "白云镇", "太平镇", "新河乡", "东湖街道"]


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")
def test_sigkill_mid_run_then_resume_gives_each_input_exactly_once(tmp_path):
    archive = tmp_path / "archive"
    archive.mkdir()
    names = []
    for i in range(60):
        text = PLAN.format(town=TOWNS[i % len(TOWNS)], name="张明" if i % 2 else "李华", n=10 + i, m=1 + i % 5,
                           k=1 + i % 12) * (8 + i % 5)
        name = f"{i:03d}_plan.{'md' if i % 7 == 0 else 'txt'}"
        (archive / name).write_text(text, encoding="utf-8")
        names.append(name)
    (archive / "zz_broken.docx").write_bytes(b"PK\x03\x04 not a zip")  # an error record too
    names.append("zz_broken.docx")
    jsonl, db = tmp_path / "run.jsonl", tmp_path / "run.sqlite"
    exe = os.path.join(os.path.dirname(sys.executable), "syextract")
    cmd = [exe, "extract", str(archive), "--jobs", "2", "--jsonl", str(jsonl), "--db", str(db), "-q"]

    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 45
    killed_after = None
    while time.monotonic() < deadline:
        if jsonl.exists() and jsonl.read_bytes().count(b"\n") >= 12:
            proc.send_signal(signal.SIGKILL)
            killed_after = jsonl.read_bytes().count(b"\n")
            break
        if proc.poll() is not None:
            break
        time.sleep(0.02)
    proc.wait(30)
    proc.stderr.close()
    assert killed_after is not None and proc.returncode == -signal.SIGKILL, "the run ended before it was killed"
    assert killed_after < len(names)

    rerun = subprocess.run(cmd + ["--resume"], capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 1  # the broken .docx
    assert "Traceback" not in rerun.stderr

    raw = jsonl.read_bytes()
    assert raw.endswith(b"\n")
    rows = [json.loads(line) for line in raw.decode("utf-8").splitlines()]  # no torn line survives
    got = [os.path.basename(r["source"]["path"]) for r in rows]
    assert sorted(got) == sorted(names), "each input exactly once in the JSONL"
    con = sqlite3.connect(db)
    paths = [os.path.basename(p) for (p,) in con.execute("SELECT path FROM documents")]
    n_plans = con.execute("SELECT COUNT(*) FROM plans").fetchone()[0]
    con.close()
    assert sorted(paths) == sorted(names), "each input exactly once in the database"
    assert n_plans == sum(len(r.get("plans", [])) for r in rows)  # no half-written document
