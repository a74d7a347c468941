#!/usr/bin/env python3
"""Time extraction: syextract against JioNLP's ``extract_time`` on the same gold files.

    pip install -e '.[peer]'          # jionlp==1.5.29 (1.5.30 and later fail on bare months)
    python benchmarks/peer_times.py [--corpus DIR ...] [--details]

Both systems see the same normalised text (half-width, simplified, markdown
escapes resolved: JioNLP's offsets are mapped back to the source through the
same offset map) and are scored only inside the plans syextract found (gold
annotates nothing outside plans). Scoring is the user's scorer's span
pairing (largest overlap, one to one); "exact" counts only identical spans.
"""
from __future__ import annotations

import argparse
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import quality  # noqa: E402
import score  # noqa: E402


def _prf(tp: int, gold: int, pred: int) -> tuple[float, float, float]:
    return score.prf(tp, gold, pred)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", action="append", help="corpus folder(s) with docs/ gold/ [text/] (default corpus/)")
    ap.add_argument("--details", action="store_true", help="print each system's misses and spurious spans")
    a = ap.parse_args(argv)
    try:
        import jionlp as jio
    except ImportError:
        print("jionlp is not installed: pip install 'jionlp==1.5.29' (or pip install -e '.[peer]')", file=sys.stderr)
        return 2
    from syextract.io import read
    from syextract.normalize import normalize
    from syextract.pipeline import load, process

    nlp = load()
    rows = []
    totals = {"syextract": [0, 0, 0, 0], "jionlp": [0, 0, 0, 0]}  # gold, pred, tp, exact
    timing = {"syextract": 0.0, "jionlp": 0.0}
    for corpus in a.corpus or [quality.CORPUS]:
        for gp in quality.gold_files(corpus):
            doc_path, text_path = quality.document_for(gp, corpus)
            gold, source, _ = score.load_gold(gp, text_path)
            golds = [g for g in gold.get("times", []) if g.get("_span")]
            src = read(doc_path)
            t = time.perf_counter()
            doc = process(src, nlp)
            timing["syextract"] += time.perf_counter() - t
            plans = [(p.start, p.end) for p in doc.plans]
            ours = [(m.start, m.end) for p in doc.plans for m in p.times]
            norm = normalize(src.text, src.format)
            t = time.perf_counter()
            try:
                found = jio.ner.extract_time(norm.text, with_parsing=False)
            except Exception as e:  # JioNLP raises on some inputs; count as nothing found
                print(f"jionlp failed on {os.path.basename(doc_path)}: {type(e).__name__}: {e}", file=sys.stderr)
                found = []
            timing["jionlp"] += time.perf_counter() - t
            theirs = []
            for f in found:
                s, e = norm.span(*f["offset"])
                if any(ps <= s and e <= pe for ps, pe in plans):
                    theirs.append((s, e))
            for system, spans in (("syextract", ours), ("jionlp", theirs)):
                preds = [{"_span": sp} for sp in spans]
                pairs = score.pair(golds, preds)
                exact = sum(1 for gi, pi in pairs if golds[gi]["_span"] == preds[pi]["_span"])
                tot = totals[system]
                for k, v in enumerate((len(golds), len(preds), len(pairs), exact)):
                    tot[k] += v
                rows.append((gold.get("id"), system, len(golds), len(preds), len(pairs), exact))
                if a.details:
                    mg = {gi for gi, _ in pairs}
                    mp = {pi for _, pi in pairs}
                    for gi, g in enumerate(golds):
                        if gi not in mg:
                            print(f"  {gold.get('id')} {system} missed: {g['text']}")
                    for pi, sp in enumerate(spans):
                        if pi not in mp:
                            print(f"  {gold.get('id')} {system} spurious: {source[sp[0]:sp[1]]}")
    print(f"{'document':32} {'system':10} {'gold':>5} {'pred':>5} {'P':>6} {'R':>6} {'F1':>6} {'exactF1':>8}")
    for doc_id, system, g, p, tp, ex in rows:
        pr, rc, f1 = _prf(tp, g, p)
        print(f"{doc_id:32} {system:10} {g:5d} {p:5d} {pr:6.3f} {rc:6.3f} {f1:6.3f} {_prf(ex, g, p)[2]:8.3f}")
    print("-" * 84)
    for system, (g, p, tp, ex) in totals.items():
        pr, rc, f1 = _prf(tp, g, p)
        print(f"{'ALL':32} {system:10} {g:5d} {p:5d} {pr:6.3f} {rc:6.3f} {f1:6.3f} {_prf(ex, g, p)[2]:8.3f}"
              f"   ({timing[system]:.2f} s{' for all categories' if system == 'syextract' else ''})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
