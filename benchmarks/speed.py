#!/usr/bin/env python3
"""Speed of the full pipeline against bare ``jieba.lcut`` on the same texts, in one run.

    python benchmarks/speed.py [--repeat N] [--group N]

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
    ap.add_argument("--group", type=int, default=None,
                    help="documents per group, stage-major as `syextract extract` runs them (default: "
                         "batch.GROUP_DOCS; 1: one at a time)")
    ap.add_argument("--segmenter", choices=["jieba", "rjieba"], default=None,
                    help="the pipeline's word segmenter (default: the pipeline's default, rjieba when installed)")
    a = ap.parse_args(argv)
    if a.group is None:
        from syextract.batch import GROUP_DOCS

        a.group = GROUP_DOCS

    import jieba

    from syextract.io import read
    from syextract.extractors.base import clear_memos
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
        process(s, nlp)  # load the lexicons and compile the regexes

    t = time.perf_counter()
    for _ in range(a.repeat):
        for s in sources:
            jieba.lcut(s.text)
    t_jieba = time.perf_counter() - t

    stage_time: dict[str, float] = {}

    def timed(name: str, fn, *args):
        t0 = time.perf_counter()
        out = [fn(*x) for x in zip(*args)]
        stage_time[name] = stage_time.get(name, 0) + time.perf_counter() - t0
        return out

    def tokens(ctx, norm):
        ctx.tokens = nlp.tokenizer.token_spans(norm.text)  # as process() runs: no spaCy Doc

    # as `syextract extract` runs: groups of documents, each step over the whole group in turn
    # (pipeline.process_many); --group 1 times one document at a time, as process() runs
    t = time.perf_counter()
    for _ in range(a.repeat):
        clear_memos()  # each pass as a fresh run: no memo of document text left warm by the one before
        for k in range(0, len(sources), a.group):
            group = sources[k:k + a.group]
            gc.disable()  # as process_many runs a group: no collection pauses landing in a random stage
            norms = timed("normalize", lambda s: normalize(s.text, s.format), group)
            ctxs = timed("structure", lambda s, n: _context(n.text, s.format, s, n), group, norms)
            timed(tok_label, tokens, ctxs, norms)
            for name, proc in nlp.pipeline:
                timed(name, proc.annotate, ctxs)
            timed("records", to_document, group, norms, ctxs)
            gc.enable()  # (and on between groups, as in process_many)
    t_full = time.perf_counter() - t

    print(f"documents: {len(sources)} x {a.repeat}, {chars} chars, in groups of {a.group}")
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
