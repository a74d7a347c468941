#!/usr/bin/env python3
"""Extract every corpus document that has gold and score it with the user's scorer.

    python benchmarks/quality.py [--details] [--json]

Prints the scorer's table per gold file and over all of them (micro-averaged).
``benchmarks/score.py`` is a verbatim copy of the user's ``shared/eval/score.py``
so that the repository stands alone.
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import score  # noqa: E402  (the vendored scorer)


CORPUS = os.path.join(ROOT, "corpus")


def gold_files(corpus: str = CORPUS) -> list[str]:
    return sorted(glob.glob(os.path.join(corpus, "gold", "*.json")))


def document_for(gold_path: str, corpus: str = CORPUS) -> tuple[str, str]:
    """(input document to extract, UTF-8 source text the scorer reads)."""
    with open(gold_path, encoding="utf-8") as f:
        gold = json.load(f)
    text_path = os.path.join(corpus, gold["document"])
    stem = os.path.splitext(os.path.basename(gold["document"]))[0]
    if gold["document"].startswith("text/"):  # .docx or non-UTF-8 original: find it in docs/
        originals = glob.glob(os.path.join(corpus, "docs", stem + ".*"))
        return originals[0], text_path
    return text_path, text_path


def evaluate(corpus: str = CORPUS) -> tuple[dict, list[dict]]:
    from syextract.cli import process_path
    from syextract.pipeline import load

    nlp = load()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for gp in gold_files(corpus):
            doc_path, text_path = document_for(gp, corpus)
            rec = process_path(doc_path, nlp)
            pred_path = os.path.join(tmp, os.path.basename(gp))
            with open(pred_path, "w", encoding="utf-8") as f:
                f.write(rec.model_dump_json())
            gold, source, problems = score.load_gold(gp, text_path)
            with open(pred_path, encoding="utf-8") as f:
                pred = json.load(f)
            r = score.score_document(gold, source, pred)
            r["id"] = gold.get("id", os.path.basename(gp))
            results.append(r)
    return score.summarise(results), results


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--details", action="store_true", help="list misses per document")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--corpus", default=CORPUS, help="folder with docs/, gold/ (and text/); default corpus/")
    a = ap.parse_args(argv)
    total, results = evaluate(a.corpus)
    if a.json:
        print(json.dumps({"total": total, "documents": [score.summarise([r]) | {"id": r["id"]} for r in results]},
                         ensure_ascii=False, indent=1))
        return 0
    for r in results:
        print(f"== {r['id']}")
        score.print_summary(score.summarise([r]))
        if a.details:
            for c in score.CATEGORIES:
                for kind in ("missed", "spurious", "wrong"):
                    for item in r[c][kind]:
                        print(f"  {c} {kind}: {item}")
    print(f"== all {len(results)} gold files")
    score.print_summary(total)
    return 0


if __name__ == "__main__":
    sys.exit(main())
