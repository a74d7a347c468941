"""`syextract extract`: outputs per input, one record per input, clear errors, exit status."""
import json
import os
import subprocess
import sys

import pytest

from syextract.cli import main

ROOT = os.path.dirname(os.path.dirname(__file__))
SEED = os.path.join(ROOT, "corpus", "docs", "000_c9f2e8833ee8cb3f.txt")


@pytest.fixture
def inputs(tmp_path):
    good = tmp_path / "社区 计划.txt"
    good.write_text("2024年社区双拥工作计划\n一、春节前夕走访慰问烈属25户。\n", encoding="utf-8")
    bad = tmp_path / "junk.txt"
    bad.write_bytes(bytes(range(256)) * 20)
    old = tmp_path / "old.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    return good, bad, old


def test_out_dir_one_file_per_input_and_errors_reported(tmp_path, inputs, capsys):
    good, bad, old = inputs
    out = tmp_path / "out"
    status = main(["extract", "--out-dir", str(out), str(good), str(bad), str(old), SEED])
    assert status == 1
    err = capsys.readouterr().err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 2 and "junk.txt" in lines[0] and "old.doc" in lines[1]
    assert "Traceback" not in err and "convert" in lines[1]
    names = sorted(os.listdir(out))
    assert names == sorted(["社区 计划.json", "junk.error.json", "old.error.json", "000_c9f2e8833ee8cb3f.json"])
    seed = json.loads((out / "000_c9f2e8833ee8cb3f.json").read_text(encoding="utf-8"))
    assert len(seed["plans"]) == 6 and seed["source"]["encoding"] == "utf-8"
    error = json.loads((out / "junk.error.json").read_text(encoding="utf-8"))
    assert error["error"]["kind"] == "undecodable" and error["source"]["path"].endswith("junk.txt")


def test_jsonl_exactly_one_line_per_input(tmp_path, inputs):
    good, bad, old = inputs
    out = tmp_path / "all.jsonl"
    main(["extract", "--jsonl", str(out), str(good), str(bad), str(old)])
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 3
    assert ("plans" in rows[0]) and ("error" in rows[1]) and ("error" in rows[2])
    assert not any("plans" in r and "error" in r for r in rows)


def test_single_input_to_stdout(inputs, capsys):
    good, _, _ = inputs
    assert main(["extract", str(good)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["plans"][0]["year"] == 2024


def test_several_inputs_need_an_output(inputs, capsys):
    good, bad, _ = inputs
    assert main(["extract", str(good), str(bad)]) == 2


def test_console_script_runs_without_traceback(tmp_path, inputs):
    _, bad, _ = inputs
    exe = os.path.join(os.path.dirname(sys.executable), "syextract")
    r = subprocess.run([exe, "extract", str(bad)], capture_output=True, text=True)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr and "junk.txt" in r.stderr and len(r.stderr.strip().splitlines()) == 1
