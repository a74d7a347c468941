#!/usr/bin/env python3
"""Speed of the full pipeline against bare ``jieba.lcut`` on the same texts, in one run.

    python benchmarks/speed.py [--repeat N]

Prints chars/s for jieba.lcut alone, for the full extraction (read, normalise,
structure, the segmenter via spaCy, every extractor, records), their ratio, the time
per stage, and the cold start of ``syextract extract`` on one file.
"""
from __future__ import annotations

import argparse
import gc
import glob
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--segmenter", choices=["jieba", "rjieba"], default=None,
                    help="the pipeline's word segmenter (default: the pipeline's default, rjieba when installed)")
    a = ap.parse_args(argv)

    import jieba

    from syextract.io import read
    from syextract.normalize import normalize
    from syextract.pipeline import _context, default_segmenter, load, process, to_document

    paths = sorted(glob.glob(os.path.join(ROOT, "corpus", "docs", "*.*")))
    sources = [read(p) for p in paths]
    chars = sum(len(s.text) for s in sources) * a.repeat
    segmenter = a.segmenter or default_segmenter()
    nlp = load(segmenter)
    tok_label = f"tokenizer ({segmenter} token offsets)"
    jieba.lcut("预热")
    for s in sources:
        process(s, nlp)  # warm caches and lexicons

    t = time.perf_counter()
    for _ in range(a.repeat):
        for s in sources:
            jieba.lcut(s.text)
    t_jieba = time.perf_counter() - t

    stage_time: dict[str, float] = {}
    t = time.perf_counter()
    for _ in range(a.repeat):
        for s in sources:
            gc.disable()  # as process() runs a document: no collection pauses landing in a random stage
            t0 = time.perf_counter()
            norm = normalize(s.text, s.format)
            t1 = time.perf_counter()
            ctx = _context(norm.text, s.format, s, norm)
            t2 = time.perf_counter()
            ctx.tokens = nlp.tokenizer.token_spans(norm.text)  # as process() runs: no spaCy Doc
            t3 = time.perf_counter()
            stage_time["normalize"] = stage_time.get("normalize", 0) + t1 - t0
            stage_time["structure"] = stage_time.get("structure", 0) + t2 - t1
            stage_time[tok_label] = stage_time.get(tok_label, 0) + t3 - t2
            for name, proc in nlp.pipeline:
                t4 = time.perf_counter()
                proc.annotate(ctx)
                stage_time[name] = stage_time.get(name, 0) + time.perf_counter() - t4
            t5 = time.perf_counter()
            to_document(s, norm, ctx)
            stage_time["records"] = stage_time.get("records", 0) + time.perf_counter() - t5
            gc.enable()  # (and on between documents, as in process())
    t_full = time.perf_counter() - t

    print(f"documents: {len(sources)} x {a.repeat}, {chars} chars")
    print(f"bare jieba.lcut : {chars / t_jieba:12,.0f} chars/s")
    print(f"full extraction : {chars / t_full:12,.0f} chars/s  (segmenter: {segmenter})")
    print(f"ratio full/bare : {t_jieba / t_full:12.2f}x")
    print("time per stage (share of full extraction):")
    for name, sec in stage_time.items():
        print(f"  {name:28} {sec * 1000 / a.repeat:8.1f} ms/pass  {100 * sec / t_full:5.1f}%")
    exe = os.path.join(os.path.dirname(sys.executable), "syextract")
    seed = os.path.join(ROOT, "corpus", "docs", "000_c9f2e8833ee8cb3f.txt")
    t = time.perf_counter()
    subprocess.run([exe, "extract", seed], check=True, stdout=subprocess.DEVNULL)
    print(f"cold start, `syextract extract` on the seed: {time.perf_counter() - t:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
