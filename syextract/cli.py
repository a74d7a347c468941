"""Command line: ``syextract extract|schema``.

Exit status: 0 when every input gave a Document; 1 when any input gave an
error record (its one-line message goes to stderr); 2 for usage errors.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Iterable, Optional

from . import records as R

SCHEMA_PATH = os.path.join("schemas", "document.schema.json")


def _error_record(path: str, kind: str, message: str) -> R.ErrorRecord:
    return R.ErrorRecord(source={"path": path}, error=R.ErrorInfo(kind=kind, message=message))


def process_path(path: str, nlp=None) -> R.Document | R.ErrorRecord:
    """One input -> exactly one record: a Document or an ErrorRecord (never raises)."""
    from .io import InputError, read
    from .pipeline import process

    try:
        src = read(path)
    except InputError as e:
        return _error_record(path, e.kind, e.message)
    try:
        return process(src, nlp)
    except RecursionError:
        return _error_record(path, "internal", "document structure too deep to process")
    except Exception as e:  # an extractor bug must not kill a batch: report it as a record
        return _error_record(path, "internal", f"{type(e).__name__}: {e}")


def _dump(rec) -> str:
    return rec.model_dump_json(exclude_none=False)


def _out_name(path: str, used: set) -> str:
    stem = os.path.splitext(os.path.basename(path))[0] or "document"
    name, k = stem, 1
    while name in used:
        k += 1
        name = f"{stem}-{k}"
    used.add(name)
    return name


def cmd_extract(args) -> int:
    from .pipeline import load

    inputs: list[str] = list(args.inputs)
    if not inputs:
        print("syextract extract: no input given", file=sys.stderr)
        return 2
    if len(inputs) > 1 and not (args.out_dir or args.jsonl):
        print("syextract extract: several inputs need --out-dir DIR or --jsonl FILE", file=sys.stderr)
        return 2
    nlp = load()
    status = 0
    used: set = set()
    jsonl = open(args.jsonl, "a", encoding="utf-8") if args.jsonl else None
    if args.out_dir:
        os.makedirs(args.out_dir, exist_ok=True)
    try:
        for path in inputs:
            rec = process_path(path, nlp)
            if isinstance(rec, R.ErrorRecord):
                status = 1
                print(f"syextract: {path}: {rec.error.message} [{rec.error.kind}]", file=sys.stderr)
            line = _dump(rec)
            if jsonl:
                jsonl.write(line + "\n")
                jsonl.flush()
            if args.out_dir:
                name = _out_name(path, used)
                target = os.path.join(args.out_dir, name + (".error.json" if isinstance(rec, R.ErrorRecord)
                                                           else ".json"))
                tmp = target + ".part"
                with open(tmp, "w", encoding="utf-8") as f:
                    f.write(json.dumps(json.loads(line), ensure_ascii=False, indent=1) + "\n")
                os.replace(tmp, target)
            if not jsonl and not args.out_dir:
                if isinstance(rec, R.Document):
                    sys.stdout.write(json.dumps(json.loads(line), ensure_ascii=False, indent=1) + "\n")
    finally:
        if jsonl:
            jsonl.close()
    return status


def cmd_schema(args) -> int:
    out = args.output
    text = json.dumps(R.document_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if out == "-":
        sys.stdout.write(text)
    else:
        os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
        with open(out, "w", encoding="utf-8") as f:
            f.write(text)
        print(f"wrote {out}", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="syextract", description="Extract grounded records from Chinese plan documents.")
    sub = ap.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("extract", help="extract records from .txt/.md/.html/.docx files")
    ex.add_argument("inputs", nargs="*", help="input files")
    ex.add_argument("--out-dir", help="write DIR/<input stem>.json per input")
    ex.add_argument("--jsonl", help="append one JSON line per input to FILE")
    ex.set_defaults(func=cmd_extract)
    sc = sub.add_parser("schema", help="write the JSON Schema of a Document")
    sc.add_argument("-o", "--output", default=SCHEMA_PATH, help=f"target file (default {SCHEMA_PATH}; - for stdout)")
    sc.set_defaults(func=cmd_schema)
    return ap


def main(argv: Optional[Iterable[str]] = None) -> int:
    args = build_parser().parse_args(list(argv) if argv is not None else None)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
