#!/usr/bin/env python3
"""Throughput, parallel speed-up, memory and cold start of batch extraction, in one run.

    python benchmarks/throughput.py [--docs 520] [--keep DIR] [--rounds 3]

Builds an archive of ``--docs`` (>= 500) varied documents from the corpus
(place names, years, figures and paragraph order varied; UTF-8 and GB18030
.txt, .md and the .docx, in nested township folders) and prints:

* bare ``jieba.lcut`` (and rjieba) chars/s on the same texts, the full
  pipeline's chars/s with each segmenter, in groups as the CLI runs and one
  document at a time, and their ratio to bare jieba (best of ``--rounds``
  passes each, the pipeline's interleaved with bare jieba's: the machine's
  other tenants come and go; every pass starts with the memos of document
  text emptied, ``extractors.base.clear_memos``, as a fresh run does);
* the same ratio on the distinct corpus documents the archive is made from (the
  archive's varied copies flatter any memo of document text);
* ``--jobs 1`` against ``--jobs 2`` (the same batch code the CLI runs,
  after the pipeline is built, and the CLI end to end);
* peak RSS (and PSS, the pages not shared with the parent) per worker, and
  the RSS of one process at points across the archive (flat or growing);
* the cold start of ``syextract extract`` on one file;
* a 10x longer document against the 10 short ones it is made of, and one
  document 100 times over (as one document) against one copy.

Targets (issue 5): full extraction >= 1.0x bare jieba.lcut; 2 jobs >= 1.8x;
cold start <= 1.5 s; <= 250 MB per worker; memory flat; time linear in length.
"""
from __future__ import annotations

import argparse
import glob
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

TOWNS = ["青山镇", "红旗镇", "白云镇", "金沙镇", "石桥乡", "柳溪乡", "城南街道", "东关街道", "桃源镇", "龙泉乡",
         "清河镇", "新华街道"]
_PLACE = re.compile(r"(?:[xX某]+|青山|红旗|城南|幸福里|太平门)(?=镇|乡|街道|社区)")


def _rss_kb(pid: int | str = "self") -> tuple[int, int]:
    """(VmRSS, VmHWM) in kB from /proc."""
    rss = hwm = 0
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
                elif line.startswith("VmHWM:"):
                    hwm = int(line.split()[1])
    except OSError:
        pass
    return rss, hwm


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def base_texts() -> list[tuple[str, str]]:
    """(name, UTF-8 source text) of every corpus text document."""
    from syextract.io import read

    out = []
    for p in sorted(glob.glob(os.path.join(ROOT, "corpus", "docs", "*")) +
                    glob.glob(os.path.join(ROOT, "corpus", "series", "docs", "*"))):
        if p.endswith(".docx"):
            continue
        out.append((os.path.splitext(os.path.basename(p))[0], read(p).text))
    return out


def vary(text: str, rng: random.Random) -> str:
    """A plausible sibling document: another place, another year, other figures, sections shuffled a little."""
    town = rng.choice(TOWNS)
    text = _PLACE.sub(town[:-1] if town.endswith(("镇", "乡")) else town[:-2], text)
    shift = rng.randint(-3, 3)
    text = re.sub(r"20(1\d|2\d)(?=年)", lambda m: str(2000 + int(m.group(1)) + shift), text)
    text = re.sub(r"(?<![\d.])(\d{2,4})(?=[人户名元次场个])", lambda m: str(max(1, int(m.group(1)) + rng.randint(-9, 9))),
                  text)
    paras = text.split("\n")
    if len(paras) > 6:  # swap two body paragraphs, drop one
        i, j = rng.sample(range(2, len(paras)), 2)
        paras[i], paras[j] = paras[j], paras[i]
        if rng.random() < 0.5:
            del paras[rng.randrange(2, len(paras))]
    return "\n".join(paras)


def build_archive(root: str, n: int, seed: int = 5) -> list[str]:
    rng = random.Random(seed)
    bases = base_texts()
    docx = os.path.join(ROOT, "corpus", "docs", "bayi_scheme_2023.docx")
    paths = []
    for k in range(n):
        town = TOWNS[k % len(TOWNS)]
        d = os.path.join(root, town, str(2020 + k % 5))
        os.makedirs(d, exist_ok=True)
        if k % 50 == 49 and os.path.exists(docx):
            p = os.path.join(d, f"{k:04d}_scheme.docx")
            shutil.copy(docx, p)
        else:
            name, text = bases[k % len(bases)]
            text = vary(text, rng)
            if k % 7 == 3:
                p = os.path.join(d, f"{k:04d}_{name}.txt")
                data = text.encode("gb18030", "replace")
            elif k % 7 == 5:
                p = os.path.join(d, f"{k:04d}_{name}.md")
                data = text.encode("utf-8")
            else:
                p = os.path.join(d, f"{k:04d}_{name}.txt")
                data = text.encode("utf-8")
            with open(p, "wb") as f:
                f.write(data)
        paths.append(p)
    return paths


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


def run_sampled(cmd: list[str], progress_file: str, total: int) -> tuple[float, dict, list]:
    """Run the CLI; sample its processes' memory (peak RSS and PSS) and the worker RSS as the archive goes by."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stderr=subprocess.DEVNULL)
    peaks: dict[str, tuple[int, int]] = {}
    series: list[int] = []
    marks = [0.2, 0.4, 0.6, 0.8]
    last = 0
    while proc.poll() is None:
        kids = _children(proc.pid)
        roles = [("parent" if kids else "process", proc.pid)] + [(f"worker {k + 1}", c) for k, c in enumerate(kids)]
        for role, pid in roles:
            _rss, hwm = _rss_kb(pid)
            pss = _pss_kb(pid)
            old = peaks.get(role, (0, 0))
            peaks[role] = (max(old[0], hwm), max(old[1], pss))
        try:
            with open(progress_file, "rb") as f:
                done = f.read().count(b"\n") / total
        except OSError:
            done = 0.0
        now = max((_rss_kb(pid)[0] for _r, pid in roles[1:] or roles), default=0) // 1024
        last = now or last
        while marks and done >= marks[0]:
            marks.pop(0)
            series.append(now)
        time.sleep(0.2)
    series.append(last)  # the last sample before the run ended
    return time.perf_counter() - t, peaks, series


def timed(fn, *a, **kw):
    t = time.perf_counter()
    r = fn(*a, **kw)
    return time.perf_counter() - t, r


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=520)
    ap.add_argument("--keep", help="build the archive in DIR and keep it")
    ap.add_argument("--rounds", type=int, default=3,
                    help="best of N, interleaved: the pipeline against bare jieba, --jobs 1 against --jobs 2")
    a = ap.parse_args(argv)

    from syextract import batch
    from syextract.io.source import read_bytes
    from syextract.extractors.base import clear_memos
    from syextract.pipeline import load, process, process_many

    root = a.keep or tempfile.mkdtemp(prefix="syx-archive-")
    paths = build_archive(root, max(a.docs, 1))
    items = [batch.read_item(p) for p in batch.expand([root])]
    sources = [read_bytes(it.data, it.path) for it in items]
    texts = [s.text for s in sources]
    chars = sum(len(t) for t in texts)
    nbytes = sum(len(it.data) for it in items)
    print(f"archive: {len(items)} documents in {len(set(os.path.dirname(p) for p in paths))} folders, "
          f"{nbytes / 1e6:.1f} MB, {chars:,} chars ({root})")

    # ---------------------------------------------------------------- segmenters alone
    import jieba

    jieba.setLogLevel(60)
    # bare jieba.lcut: the default dictionary alone, in its own Tokenizer (the jieba pipeline later
    # loads the domain dictionary into jieba's global one); measured again beside each pipeline
    # pass below, and the best time kept, as for the pipeline: other tenants of the machine come and go
    bare = jieba.Tokenizer()
    bare.lcut("预热")

    def bare_pass() -> float:
        return timed(lambda: [bare.lcut(t) for t in texts])[0]

    t_jieba = bare_pass()
    try:
        from syextract.segment import RJieba
        from syextract.pipeline import DOMAIN_DICT

        rj = RJieba([DOMAIN_DICT])
        t_rj, _ = timed(lambda: [rj.cut(t) for t in texts])
        import jieba as _j

        _j.load_userdict(DOMAIN_DICT)
        same = all(rj.cut(t) == _j.lcut(t) for t in texts)
    except ImportError:
        rj, t_rj, same = None, None, None
    print(f"bare jieba.lcut            : {chars / t_jieba:12,.0f} chars/s")
    if rj is not None:
        print(f"bare rjieba (jieba-rs)     : {chars / t_rj:12,.0f} chars/s  ({t_jieba / t_rj:.1f}x jieba; "
              f"cuts identical to jieba on the archive: {same})")
    else:
        print("bare rjieba                : not installed (a dependency of syextract: reinstall it)")

    # ---------------------------------------------------------------- full pipeline, in process
    for seg in ("jieba", "rjieba"):
        if seg == "rjieba" and rj is None:
            continue
        load.cache_clear()
        nlp = load(seg)
        batch.warm_up(seg)
        rss_series = []

        def one_at_a_time() -> float:
            clear_memos()  # (each pass as a fresh run: no memo left warm by the passes before)
            t = time.perf_counter()
            for k, s in enumerate(sources):
                process(s, nlp)
                if k % max(1, len(sources) // 5) == 0 or k == len(sources) - 1:
                    rss_series.append(_rss_kb()[0] // 1024)
            return time.perf_counter() - t

        def grouped() -> float:  # as `syextract extract` runs an archive: each stage over a group in turn
            clear_memos()
            t = time.perf_counter()
            for k in range(0, len(sources), batch.GROUP_DOCS):
                process_many(sources[k:k + batch.GROUP_DOCS], nlp)
            return time.perf_counter() - t

        dt = dg = float("inf")
        for _round in range(a.rounds):  # interleaved with bare jieba, best of N each
            t_jieba = min(t_jieba, bare_pass())
            dg = min(dg, grouped())
            dt = min(dt, one_at_a_time())
        print(f"full extraction ({seg:6}) : {chars / dg:12,.0f} chars/s  ratio to bare jieba.lcut "
              f"{t_jieba / dg:.2f}x  in groups of {batch.GROUP_DOCS} (process_many, as the CLI runs)")
        print(f"   one document at a time : {chars / dt:12,.0f} chars/s  ratio to bare jieba.lcut "
              f"{t_jieba / dt:.2f}x  (process)   RSS across the archive (MB): {rss_series[-6:]}")
    print(f"bare jieba.lcut, best of all the passes: {chars / t_jieba:12,.0f} chars/s")

    # the same on the distinct documents the archive is made from: the archive holds several varied
    # copies of each, which flatters any memo of document text (a clause, a line)
    from syextract.io import read

    distinct = [read(p) for p in sorted(glob.glob(os.path.join(ROOT, "corpus", "docs", "*")) +
                                        glob.glob(os.path.join(ROOT, "corpus", "series", "docs", "*")))]
    d_chars = sum(len(s.text) for s in distinct)
    nlp = load()  # (the default segmenter)
    d_jieba = d_full = float("inf")
    for _round in range(a.rounds):
        d_jieba = min(d_jieba, timed(lambda: [bare.lcut(s.text) for s in distinct])[0])
        clear_memos()
        d_full = min(d_full, timed(lambda: [process_many(distinct[k:k + batch.GROUP_DOCS], nlp)
                                            for k in range(0, len(distinct), batch.GROUP_DOCS)])[0])
    print(f"distinct documents ({len(distinct)} corpus documents, {d_chars:,} chars): full extraction "
          f"{d_chars / d_full:,.0f} chars/s, bare jieba.lcut {d_chars / d_jieba:,.0f} chars/s, ratio "
          f"{d_jieba / d_full:.2f}x")
    load.cache_clear()

    # ---------------------------------------------------------------- jobs 1 vs jobs 2
    print(f"cores: {os.cpu_count()}; load average before the jobs runs: "
          + " ".join(f"{x:.1f}" for x in os.getloadavg()) + " (other processes on the machine share the cores)")
    segs = ("jieba", "rjieba") if rj is not None else ("jieba",)
    outputs: dict = {}
    for seg in segs:
        wall, cpu, parent = {}, {}, {}
        for _round in range(a.rounds):  # best of N: other processes on the machine come and go
            for jobs in (1, 2):
                clear_memos()  # (the workers fork from this process: none inherits warm memos)
                batch.warm_up(seg)  # as the CLI does before it forks
                c0 = os.times()
                t = time.perf_counter()
                got = [res.line for res in batch.run_local(iter(items), jobs=jobs, segmenter=seg)]
                outputs.setdefault((seg, jobs), got)
                w = time.perf_counter() - t
                c1 = os.times()  # the pool is joined: its workers' CPU time is in the children fields
                if w < wall.get(jobs, float("inf")):
                    wall[jobs] = w
                    cpu[jobs] = sum(c1[:4]) - sum(c0[:4])
                    parent[jobs] = c1[0] + c1[1] - c0[0] - c0[1]
        for jobs in (1, 2):
            print(f"--jobs {jobs} ({seg:6}), pipeline built: {wall[jobs]:6.2f} s  {chars / wall[jobs]:9,.0f} chars/s"
                  f"  CPU {cpu[jobs]:6.2f} s" + (f" (parent {parent[jobs]:.2f} s)" if jobs > 1 else "")
                  + f"  (best of {a.rounds})")
        print(f"speed-up 2 jobs / 1 job ({seg}): {wall[1] / wall[2]:.2f}x measured; "
              f"{2 * cpu[1] / cpu[2]:.2f}x on two idle cores (2 x CPU time of 1 job / CPU time of 2 jobs)")
        load.cache_clear()
    ref = outputs[("jieba", 1)]
    print("records identical to --jobs 1 with jieba: " + ", ".join(
        f"--jobs {j} {sg}: {outputs[(sg, j)] == ref}" for sg, j in outputs if (sg, j) != ("jieba", 1)))

    # ---------------------------------------------------------------- the CLI, memory sampled
    exe = os.path.join(os.path.dirname(sys.executable), "syextract")
    out = tempfile.mkdtemp(prefix="syx-out-")
    for jobs in (1, 2):
        target = os.path.join(out, f"j{jobs}.jsonl")
        t, peaks, series = run_sampled([exe, "extract", root, "--jsonl", target, "--jobs", str(jobs), "-q",
                                        "--segmenter", "rjieba" if rj is not None else "jieba"], target, len(items))
        per = ", ".join(f"{role} {h // 1024} MB RSS / {p // 1024} MB PSS" for role, (h, p) in peaks.items())
        print(f"CLI --jobs {jobs}, end to end : {t:6.2f} s (start-up included); peak: {per}")
        print(f"  worker RSS (MB) at 20/40/60/80/100% of the archive: {series}")
    with open(os.path.join(out, "j1.jsonl"), "rb") as f1, open(os.path.join(out, "j2.jsonl"), "rb") as f2:
        print(f"CLI --jobs 2 output identical to --jobs 1: {f1.read() == f2.read()} "
              "(two processes: False if the extractors' code changed between the runs)")
    shutil.rmtree(out, ignore_errors=True)

    # ---------------------------------------------------------------- cold start
    seed = os.path.join(ROOT, "corpus", "docs", "school_plan_2023.txt")
    for seg in ("jieba", "rjieba") if rj is not None else ("jieba",):
        best = min(timed(subprocess.run, [exe, "extract", "--segmenter", seg, seed], stdout=subprocess.DEVNULL,
                         check=True)[0] for _ in range(3))
        print(f"cold start, `syextract extract --segmenter {seg}` on one file: {best:.2f} s (best of 3)")
    probe = ("import time, sys; t0 = time.perf_counter(); "
             "from syextract.pipeline import records_pipeline; from syextract import batch; t1 = time.perf_counter(); "
             "records_pipeline('{seg}'); t2 = time.perf_counter(); batch.warm_up('{seg}'); t3 = time.perf_counter(); "
             "print(f'{{t1 - t0:.2f}} {{t2 - t1:.2f}} {{t3 - t2:.2f}} {{\"spacy\" in sys.modules}}')")
    for seg in ("jieba", "rjieba") if rj is not None else ("jieba",):
        runs = [subprocess.run([sys.executable, "-c", probe.format(seg=seg)], capture_output=True, text=True,
                               check=True).stdout.split() for _ in range(3)]
        best = min(runs, key=lambda r: sum(map(float, r[:3])))
        print(f"  where it goes ({seg}): import syextract {best[0]} s, the pipeline {best[1]} s, "
              f"first document (extractor lexicons loaded on first use) {best[2]} s; spaCy imported: {best[3]}")

    # ---------------------------------------------------------------- linear in length
    nlp = load("jieba")
    batch.warm_up("jieba")
    rng = random.Random(7)
    # the 10 longest distinct texts of the archive, alone and end to end as one document
    seen_text: set = set()
    shorts = []
    for s in sorted((s for s in sources if s.format != "docx"), key=lambda s: -len(s.text)):
        if s.text not in seen_text:
            seen_text.add(s.text)
            shorts.append(s)
        if len(shorts) == 10:
            break
    rng.shuffle(shorts)
    from syextract.io import read_text

    long = read_text("\n\n".join(s.text for s in shorts), "txt", "long.txt")
    short_srcs = [read_text(s.text, "txt", f"short{k}.txt") for k, s in enumerate(shorts)]
    t_short = min(timed(lambda: [process(s, nlp) for s in short_srcs])[0] for _ in range(3))
    t_long = min(timed(process, long, nlp)[0] for _ in range(3))
    print(f"10 short documents ({sum(len(s.text) for s in short_srcs):,} chars): {t_short:.3f} s; "
          f"one 10x document ({len(long.text):,} chars): {t_long:.3f} s; ratio {t_long / t_short:.2f} "
          f"(1.0 = linear)")
    # an archive-sized document: the longest document 100 times over (each copy a plan of its own, as
    # a compilation repeats its template), where any per-plan or per-mention scan over the whole
    # document shows up, against one copy
    base = max((s for s in sources if s.format != "docx"), key=lambda s: len(s.text))
    one = read_text(base.text, "txt", "one.txt")
    hundred = read_text("\n\n".join([base.text] * 100), "txt", "hundred.txt")
    t_one = min(timed(process, one, nlp)[0] for _ in range(3))
    t_hundred = timed(process, hundred, nlp)[0]
    print(f"one document ({len(one.text):,} chars): {t_one:.3f} s; 100 copies as one document "
          f"({len(hundred.text):,} chars): {t_hundred:.2f} s; ratio {t_hundred / (100 * t_one):.2f} (1.0 = linear)")
    if not a.keep:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
