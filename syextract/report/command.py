"""``syextract report INPUT... -o report.html`` and ``syextract export RECORDS --to FMT``."""
from __future__ import annotations

import sys

from .. import records as R


def _documents_with_text(inputs: list[str]) -> tuple[list[tuple[R.Document, str]], int]:
    """Documents (extracted from files, or loaded from .json/.jsonl records) with their source text."""
    from ..cli import process_path
    from ..export import load_records
    from ..io import InputError, read
    from ..pipeline import records_pipeline

    items, errors = [], 0
    nlp = None
    for path in inputs:
        if path.endswith((".json", ".jsonl")):
            recs = list(load_records([path]))
        else:
            nlp = nlp or records_pipeline()
            recs = [process_path(path, nlp)]
        for rec in recs:
            if isinstance(rec, R.ErrorRecord):
                errors += 1
                print(f"syextract: {rec.source.get('path')}: {rec.error.message} [{rec.error.kind}]", file=sys.stderr)
                continue
            text = rec.source.text
            if text is None:
                try:
                    text = read(rec.source.path).text
                except InputError as e:
                    errors += 1
                    print(f"syextract: {e}", file=sys.stderr)
                    continue
            items.append((rec, text))
    return items, errors


def _findings(items) -> dict:
    try:
        from .. import check
    except ImportError:
        return {}
    out = {}
    for doc, text in items:
        try:
            out[doc.id] = check.findings_for(doc, text) if hasattr(check, "findings_for") else []
        except Exception as e:  # a check bug must not hide the report
            out[doc.id] = [{"rule": "internal", "severity": "warning", "message": f"check failed: {e}"}]
    return out


def cmd_report(args) -> int:
    from . import write

    items, errors = _documents_with_text(args.inputs)
    findings = {} if args.no_check else _findings(items)
    write(args.output, items, findings=findings)
    print(f"wrote {args.output} ({len(items)} document(s))", file=sys.stderr)
    return 1 if errors else 0


def cmd_export(args) -> int:
    from ..export import export, load_records

    written = export(load_records(args.records), args.to, args.output)
    for path in written:
        print(f"wrote {path}", file=sys.stderr)
    return 0


def register(sub) -> None:
    rp = sub.add_parser("report", help="self-contained HTML review report of documents or their records")
    rp.add_argument("inputs", nargs="+", help="documents (.txt .md .html .docx) or records (.json .jsonl)")
    rp.add_argument("-o", "--output", default="report.html")
    rp.add_argument("--no-check", action="store_true", help="leave out the plan-check findings")
    rp.set_defaults(func=cmd_report)
    ep = sub.add_parser("export", help="records -> csv | parquet | xlsx | sqlite tables")
    ep.add_argument("records", nargs="+", help=".json / .jsonl records, or folders of them")
    ep.add_argument("--to", required=True, choices=["csv", "parquet", "xlsx", "sqlite"])
    ep.add_argument("-o", "--output", required=True, help="folder (csv, parquet) or file (xlsx, sqlite)")
    ep.set_defaults(func=cmd_export)
