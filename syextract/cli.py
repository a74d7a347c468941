"""Command line: ``syextract extract|schema``.

``extract`` is the batch entry point: inputs (files, directories, globs,
``--from`` lists) are expanded, read and processed by :mod:`syextract.batch`
(in process, in ``--jobs N`` worker processes, or on Dask), and every result
goes, in input order, to the outputs (``--jsonl``, ``--out-dir``, ``--db``).

Exit status: 0 when every input gave a Document; 1 when any input gave an
error record (its one-line message goes to stderr; a document over the
``--timeout`` limit is such an input); 2 for usage errors and for a failure of
the environment (an output that cannot be written).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
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


def _pretty(line: str) -> str:
    return json.dumps(json.loads(line), ensure_ascii=False, indent=1) + "\n"


def cmd_extract(args) -> int:
    import sqlite3

    from . import batch
    from .io.source import InputError

    raw: list[str] = list(args.inputs)
    if args.from_file:
        try:
            raw += batch.read_list(args.from_file)
        except OSError as e:
            print(f"syextract extract: --from {args.from_file}: {e.strerror or e}", file=sys.stderr)
            return 2
    if not raw:
        print("syextract extract: no input given", file=sys.stderr)
        return 2
    outputs = [p for p in (args.jsonl if args.jsonl != "-" else None, args.db) if p]
    if args.out_dir:
        outputs.append(args.out_dir)
    if args.db:
        outputs += [args.db + "-wal", args.db + "-shm", args.db + "-journal"]
    paths = batch.expand(raw, exclude=outputs)
    if not paths:
        print("syextract extract: no input files found in " + " ".join(raw), file=sys.stderr)
        return 1
    has_output = bool(args.out_dir or args.jsonl or args.db)
    if len(paths) > 1 and not has_output:
        print("syextract extract: several inputs need --out-dir DIR, --jsonl FILE or --db FILE", file=sys.stderr)
        return 2
    if args.resume and not (args.out_dir or args.db or (args.jsonl and args.jsonl != "-")):
        print("syextract extract: --resume needs an output to resume (--jsonl FILE, --out-dir DIR or --db FILE)",
              file=sys.stderr)
        return 2
    if args.scheduler and args.engine != "dask":
        print("syextract extract: --scheduler needs --engine dask", file=sys.stderr)
        return 2
    if args.timeout is not None and args.timeout < 0:
        print("syextract extract: --timeout must be 0 (no limit) or a number of seconds", file=sys.stderr)
        return 2
    if args.jobs is not None and args.jobs < 1:
        print("syextract extract: --jobs must be at least 1", file=sys.stderr)
        return 2

    sinks = []
    try:
        if args.jsonl:
            sinks.append(batch.JsonlSink(args.jsonl))
        if args.out_dir:
            sinks.append(batch.DirSink(args.out_dir))
        if args.db:
            sinks.append(batch.DbSink(args.db))
    except Exception as e:  # an unwritable output is a usage error, reported in one line
        print(f"syextract extract: cannot open the output: {e}", file=sys.stderr)
        for s in sinks:
            s.close()
        return 2
    names: dict[str, str] = {}
    if args.out_dir:
        used: set = set()
        names = {p: batch.out_name(p, used) for p in paths}
    done: set = set()
    sink_done: list[set] = [set() for _ in sinks]
    if args.resume:  # an input is skipped when every output has it; an output that has it is not written twice
        sink_done = [s.done_keys() for s in sinks]
        done = set.intersection(*sink_done) if sink_done else set()

    summary = batch.Summary()
    show = not args.quiet and sys.stderr.isatty()
    progress = _progress(show, len(paths))
    console = progress.console if progress is not None else None

    def say(msg: str) -> None:
        if console is not None:
            console.print(msg, markup=False, highlight=False)
        else:
            print(msg, file=sys.stderr)

    def skipped(item) -> None:
        summary.skipped += 1
        if progress is not None:
            progress.advance(task)

    status = 0
    task = None
    results = None
    t0 = time.perf_counter()
    try:
        items = batch.items_for(paths, done, skipped)
        jobs = args.jobs if args.jobs is not None else (0 if args.engine == "dask" else 1)
        # builds the pipeline (and forks the workers) before the progress bar starts its thread
        results = batch.run(items, engine=args.engine, jobs=jobs, scheduler=args.scheduler,
                            segmenter=args.segmenter,
                            timeout=args.timeout if args.timeout and math.isfinite(args.timeout) else None)
        if progress is not None:
            progress.start()
            task = progress.add_task("extract", total=len(paths))
        for res in results:
            summary.add(res)
            if not res.ok:
                status = 1
                say(f"syextract: {res.path}: {res.error_message} [{res.error_kind}]")
            for s, have in zip(sinks, sink_done):
                if res.key not in have:
                    s.write(res, names.get(res.path))
            if not sinks and res.ok:
                sys.stdout.write(_pretty(res.line))
                sys.stdout.flush()
            if progress is not None:
                progress.advance(task)
    except (OSError, TimeoutError, ImportError, sqlite3.Error, InputError) as e:
        # the environment failed (disk full, a Dask scheduler out of reach, an optional extra missing):
        # one line, no traceback; what was written so far is complete and `--resume` goes on from it
        if progress is not None:
            progress.stop()
            progress = None
        print(f"syextract extract: {getattr(e, 'message', None) or e} [{type(e).__name__}]", file=sys.stderr)
        return 2
    finally:
        if results is not None and hasattr(results, "close"):
            results.close()  # stops the worker pool or the Dask client, also on Ctrl-C
        if progress is not None:
            progress.stop()
        for s in sinks:
            s.close()
    summary.seconds = time.perf_counter() - t0
    if (show or args.summary) and not args.quiet:
        print("syextract: " + summary.line(), file=sys.stderr)
    return status


def _progress(show: bool, total: int):
    """A rich progress bar on stderr when it is a terminal; None otherwise (or without rich)."""
    if not show:
        return None
    try:
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                                   TimeRemainingColumn)
    except ImportError:
        return None
    return Progress(TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), TimeRemainingColumn(), console=Console(stderr=True), transient=False)


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


def batch_default_timeout() -> float:
    from .batch import DEFAULT_TIMEOUT

    return DEFAULT_TIMEOUT


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="syextract", description="Extract grounded records from Chinese plan documents.")
    sub = ap.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("extract", help="extract records from .txt/.md/.html/.docx files")
    ex.add_argument("inputs", nargs="*", help="input files, directories (walked recursively) or glob patterns")
    ex.add_argument("--from", dest="from_file", metavar="FILE",
                    help="also read inputs from FILE, one a line (- for stdin)")
    ex.add_argument("--out-dir", metavar="DIR", help="write DIR/<input stem>.json per input")
    ex.add_argument("--jsonl", metavar="FILE", help="append one JSON line per input to FILE (- for stdout)")
    ex.add_argument("--db", metavar="FILE", help="add every record to the SQLite archive FILE")
    ex.add_argument("-j", "--jobs", type=int, default=None, metavar="N",
                    help="worker processes (default 1; with --engine dask, the LocalCluster's workers)")
    ex.add_argument("--resume", action="store_true",
                    help="skip inputs already in the output(s): same path, same sha256 of the bytes")
    ex.add_argument("--engine", choices=["local", "dask"], default="local",
                    help="local processes (default) or a Dask cluster")
    ex.add_argument("--scheduler", metavar="ADDRESS",
                    help="Dask scheduler address, e.g. tcp://host:8786 (default: a LocalCluster)")
    ex.add_argument("--segmenter", choices=["jieba", "rjieba"], default=None,
                    help="word segmenter: jieba (the reference) or rjieba (jieba-rs: the same cuts, faster; "
                         "the default when installed)")
    ex.add_argument("--timeout", type=float, default=batch_default_timeout(), metavar="SECONDS",
                    help="time limit per document; past it the input gets a `timeout` error record "
                         "(default %(default)g; 0: no limit)")
    ex.add_argument("--summary", action="store_true", help="print the summary line even when stderr is not a terminal")
    ex.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no summary")
    ex.set_defaults(func=cmd_extract)
    sc = sub.add_parser("schema", help="write the JSON Schema of a Document")
    sc.add_argument("-o", "--output", default=SCHEMA_PATH, help=f"target file (default {SCHEMA_PATH}; - for stdout)")
    sc.set_defaults(func=cmd_schema)
    # commands that consume records; each module adds its own subcommand(s)
    from . import check, diff
    from .report import command as report_command

    diff.register(sub)
    check.register(sub)
    report_command.register(sub)
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
