"""Batch extraction of an archive: inputs, workers, ordered results, sinks.

``syextract extract`` is a thin layer over this module:

* :func:`expand` turns command-line inputs (files, directories walked
  recursively, glob patterns, the lines of a ``--from`` list) into an ordered,
  de-duplicated list of paths; an input that matches nothing stays in the list
  so that it gets its error record.
* :func:`read_item` reads an input's bytes in the parent process, so its
  sha256 is known before any work is done (``--resume``) and a worker, local
  or on a Dask cluster, receives bytes rather than a path.
* :func:`process_bytes` is the per-document function: bytes in, a small
  :class:`Result` out (the record's JSON line and a few counts), never a spaCy
  ``Doc``, and it never raises. Each worker process builds the pipeline once
  (``pipeline.load`` is cached per process).
* :func:`run` yields the results **in input order** whatever the engine
  (in-process, a multiprocessing pool, Dask), with a bounded number of
  documents in flight, so memory stays flat across an archive.
* Sinks: :class:`JsonlSink` (one line per input, flushed per line; a torn last
  line left by a killed run is cut off on open), :class:`DirSink` (one JSON
  file per input, written to a temporary name and renamed), :class:`DbSink`
  (:mod:`syextract.store`, one transaction per document).
"""
from __future__ import annotations

import glob
import hashlib
import json
import os
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Optional

from . import records as R
from .io.source import MAX_INPUT_BYTES, InputError

_GLOB_CHARS = set("*?[")


# ------------------------------------------------------------------ inputs

def _hidden(name: str) -> bool:
    return name.startswith(".") and name not in (".", "..")


def walk(root: str, exclude: frozenset = frozenset()) -> Iterator[str]:
    """Files under ``root``, recursively, in sorted order.

    Hidden files and folders (``.git``, ``.DS_Store`` …) are skipped; symlinked
    folders are followed once each (a link back up the tree is not a loop).
    """
    seen: set[tuple[int, int]] = set()

    def rec(d: str) -> Iterator[str]:
        try:
            st = os.stat(d)
        except OSError:
            return
        if (st.st_dev, st.st_ino) in seen:
            return
        seen.add((st.st_dev, st.st_ino))
        try:
            entries = sorted(os.scandir(d), key=lambda e: e.name)
        except OSError:
            return
        for e in entries:
            if _hidden(e.name):
                continue
            p = os.path.join(d, e.name)
            if os.path.realpath(p) in exclude:
                continue
            try:
                is_dir = e.is_dir()  # follows symlinks; loops are cut by ``seen``
            except OSError:
                is_dir = False
            if is_dir:
                yield from rec(p)
            else:
                yield p

    yield from rec(root)


def read_list(path: str, stdin=None) -> list[str]:
    """The inputs named in a list file, one a line (``-`` reads stdin); blank lines and ``#`` comments skipped."""
    if path == "-":
        text = (stdin or sys.stdin).read()
    else:
        with open(path, encoding="utf-8-sig") as f:
            text = f.read()
    out = []
    for line in text.splitlines():
        line = line.rstrip("\r\n")
        if line.strip() and not line.lstrip().startswith("#"):
            out.append(line.strip())
    return out


def expand(inputs: Iterable[str], exclude: Iterable[str] = ()) -> list[str]:
    """Files, directories (recursive) and glob patterns -> ordered unique paths.

    An input that is neither an existing path nor a pattern with matches is
    kept as is: reading it gives its error record, so nothing is dropped
    silently. ``exclude`` names outputs of the run (never read as inputs).
    """
    excl = frozenset(os.path.realpath(p) for p in exclude if p)
    out: list[str] = []
    seen: set[str] = set()

    def add(p: str) -> None:
        key = os.path.normpath(p)
        if key not in seen:
            seen.add(key)
            out.append(p)

    for arg in inputs:
        if os.path.isdir(arg):
            for p in walk(arg, excl):
                add(p)
        elif os.path.lexists(arg) or not (_GLOB_CHARS & set(arg)):
            add(arg)
        else:
            matches = sorted(glob.glob(arg, recursive=True))
            if not matches:
                add(arg)  # reported as "no such file"
            for m in matches:
                if os.path.realpath(m) in excl:
                    continue
                if os.path.isdir(m):
                    if "**" not in arg:  # 'dir/**' lists the files itself
                        for p in walk(m, excl):
                            add(p)
                else:
                    add(m)
    return out


# ------------------------------------------------------------------ work items and results

def done_key(path: Optional[str], sha256: Optional[str]) -> tuple:
    """What ``--resume`` compares: the input's path (normalised) and the sha256 of its bytes.

    The sha256 makes an edited file count as new; the path gives a copy of a
    done file under another name its own record. An input that could not be
    read at all has no sha256: it is done when the output already holds its
    error record and it still cannot be read, and is processed once it can.
    """
    return (os.path.normpath(path or ""), sha256 or None)


def record_key(rec: dict) -> Optional[tuple]:
    src = rec.get("source") if isinstance(rec, dict) else None
    if not isinstance(src, dict) or not src.get("path"):
        return None
    return done_key(src.get("path"), src.get("sha256"))


@dataclass
class Item:
    """One input: its bytes and sha256 once read, or why it could not be read."""
    path: str
    data: Optional[bytes] = None
    sha256: Optional[str] = None
    error: Optional[tuple[str, str]] = None  # (kind, message)


def read_item(path: str) -> Item:
    """Read an input's bytes (the checks of ``io.read``), never raising."""
    try:
        if os.path.isdir(path):
            return Item(path, error=("unreadable", "is a directory"))
        size = os.path.getsize(path)
        if size > MAX_INPUT_BYTES:
            return Item(path, error=("too_large", f"file is {size} bytes, above the limit of {MAX_INPUT_BYTES}"))
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        return Item(path, error=("unreadable", "no such file"))
    except PermissionError:
        return Item(path, error=("unreadable", "permission denied"))
    except OSError as e:
        return Item(path, error=("unreadable", e.strerror or str(e)))
    return Item(path, data=data, sha256=hashlib.sha256(data).hexdigest())


@dataclass
class Result:
    """What a worker sends back: the record as one JSON line plus the counts of the summary."""
    path: str
    line: str
    sha256: Optional[str] = None
    error_kind: Optional[str] = None
    error_message: Optional[str] = None
    plans: int = 0
    mentions: int = 0
    chars: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error_kind is None

    @property
    def key(self) -> tuple:
        return done_key(self.path, self.sha256)


def error_record(path: str, kind: str, message: str, sha256: Optional[str] = None) -> R.ErrorRecord:
    source = {"path": path}
    if sha256:
        source["sha256"] = sha256
    return R.ErrorRecord(source=source, error=R.ErrorInfo(kind=kind, message=message))


def _error_result(path: str, kind: str, message: str, sha256: Optional[str] = None, t0: float = 0.0) -> Result:
    rec = error_record(path, kind, message, sha256)
    return Result(path=path, line=rec.model_dump_json(), sha256=sha256, error_kind=kind, error_message=message,
                  seconds=time.perf_counter() - t0 if t0 else 0.0)


_MENTION_KEYS = ("times", "quantities", "people", "organizations", "activities", "placeholders")


def document_result(doc: R.Document, t0: float = 0.0) -> Result:
    return Result(path=doc.source.path or "", line=doc.model_dump_json(), sha256=doc.source.sha256,
                  plans=len(doc.plans), chars=doc.source.chars,
                  mentions=sum(len(getattr(p, k)) for p in doc.plans for k in _MENTION_KEYS),
                  seconds=time.perf_counter() - t0 if t0 else 0.0)


def process_source(path: str, data: bytes, nlp=None):
    """bytes -> a Document or an ErrorRecord (never raises)."""
    from .io.source import read_bytes
    from .pipeline import process

    try:
        src = read_bytes(data, path)
    except InputError as e:
        return error_record(path, e.kind, e.message, hashlib.sha256(data).hexdigest())
    try:
        return process(src, nlp)
    except RecursionError:
        return error_record(path, "internal", "document structure too deep to process", src.sha256)
    except Exception as e:  # an extractor bug must not kill a batch: report it as a record
        return error_record(path, "internal", f"{type(e).__name__}: {e}", src.sha256)


def process_bytes(path: str, data: bytes, segmenter: str = "jieba") -> Result:
    """The per-document function of every engine: (path, bytes) -> a small Result, never raising.

    The pipeline is built on first use in each process (``load`` is cached),
    so a worker pays for it once.
    """
    t0 = time.perf_counter()
    try:
        from .pipeline import load

        rec = process_source(path, data, load(segmenter))
        if isinstance(rec, R.Document):
            return document_result(rec, t0)
        return _error_result(path, rec.error.kind, rec.error.message, rec.source.get("sha256"), t0)
    except BaseException as e:  # noqa: BLE001 - a worker must answer for every input
        if isinstance(e, KeyboardInterrupt):
            raise
        return _error_result(path, "internal", f"{type(e).__name__}: {e}", None, t0)


def process_item(item: Item, segmenter: str = "jieba") -> Result:
    if item.error:
        return _error_result(item.path, *item.error)
    return process_bytes(item.path, item.data, segmenter)


# ------------------------------------------------------------------ engines

_WORKER_SEGMENTER = "jieba"
_WARM = "2024年某某镇双拥工作计划\n一、8月1日前夕走访慰问烈属25户，由镇民政办负责，联系人：张三。\n".encode("utf-8")


def warm_up(segmenter: str = "jieba"):
    """Build the pipeline and run it once, so that lexicons loaded on first use are in memory."""
    from .pipeline import load

    nlp = load(segmenter)
    process_source("warm-up.txt", _WARM, nlp)
    return nlp


def _init_worker(segmenter: str) -> None:
    """Pool initializer: build the pipeline once per worker process (inherited ready-made under fork)."""
    global _WORKER_SEGMENTER
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and terminates the pool
    _die_with_parent()
    _WORKER_SEGMENTER = segmenter
    warm_up(segmenter)


def _die_with_parent() -> None:
    """Linux: a worker is killed when the parent dies (kill -9), rather than finishing its task into a
    closed pipe (a traceback on the terminal) and burning CPU for nothing. Best effort elsewhere."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        parent = os.getppid()
        libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:  # the parent died before the call
            os._exit(1)
    except (OSError, AttributeError):
        pass


def _pool_task(path: str, data: bytes) -> Result:
    return process_bytes(path, data, _WORKER_SEGMENTER)


def _ordered(submit: Callable, get: Callable, items: Iterable[Item], window: int,
             segmenter: str) -> Iterator[Result]:
    """Submit work with at most ``window`` documents in flight; yield results in input order."""
    pending: deque = deque()
    for item in items:
        if item.error:
            pending.append(("done", _error_result(item.path, *item.error)))
        else:
            pending.append(("future", submit(item)))
        while len(pending) > window or (pending and pending[0][0] == "done"):
            kind, x = pending.popleft()
            yield x if kind == "done" else get(x)
    while pending:
        kind, x = pending.popleft()
        yield x if kind == "done" else get(x)


def _mp_context():
    import multiprocessing as mp

    methods = mp.get_all_start_methods()
    # fork: workers inherit the imported modules (no re-import, no pickling of the pipeline)
    return mp.get_context("fork" if "fork" in methods else "spawn")


def run_local(items: Iterable[Item], jobs: int = 1, segmenter: str = "jieba", window: int = 0) -> Iterator[Result]:
    """Process items in this process (``jobs <= 1``) or in a pool of ``jobs`` worker processes."""
    if jobs <= 1:
        warm_up(segmenter)
        return (process_item(item, segmenter) for item in items)
    ctx = _mp_context()
    if ctx.get_start_method() == "fork":
        # build and warm the pipeline once here: the forked workers inherit it ready to use
        warm_up(segmenter)
        import gc

        gc.collect()
        gc.freeze()  # the collector in a worker then leaves the inherited objects alone (pages stay shared)
    pool = ctx.Pool(jobs, initializer=_init_worker, initargs=(segmenter,))
    return _pool_results(pool, items, window or jobs * 4, segmenter)


def _pool_results(pool, items: Iterable[Item], window: int, segmenter: str) -> Iterator[Result]:
    try:
        yield from _ordered(lambda it: pool.apply_async(_pool_task, (it.path, it.data)),
                            lambda fut: fut.get(), items, window, segmenter)
        pool.close()
    finally:
        pool.terminate()
        pool.join()
        import gc

        gc.unfreeze()  # back to normal collection in this process (run_local may be called again)


def run_dask(items: Iterable[Item], scheduler: Optional[str] = None, jobs: int = 0, segmenter: str = "jieba",
             window: int = 0, client=None) -> Iterator[Result]:
    """The same per-document function on a Dask cluster (a LocalCluster when no address is given).

    Tasks are submitted with ``pure=False``: Dask would otherwise give identical
    inputs (the same bytes under two names) one key and run them once.
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError:  # pragma: no cover - depends on the optional extra
        raise InputError("usage", "the Dask engine needs `pip install 'syextract[dask]'`") from None
    own_client = own_cluster = None
    if client is None:
        if scheduler:
            client = own_client = Client(scheduler)
        else:
            own_cluster = LocalCluster(n_workers=max(1, jobs or os.cpu_count() or 1), threads_per_worker=1,
                                       processes=True, dashboard_address=None)
            client = own_client = Client(own_cluster)
    try:
        nworkers = max(1, len(client.scheduler_info().get("workers", {})) or 1)
        yield from _ordered(
            lambda it: client.submit(process_bytes, it.path, it.data, segmenter, pure=False),
            lambda fut: fut.result(), items, window or max(8, nworkers * 4), segmenter)
    finally:
        if own_client is not None:
            own_client.close()
        if own_cluster is not None:
            own_cluster.close()


# ------------------------------------------------------------------ sinks

class JsonlSink:
    """Appends one line per record to FILE (or stdout for ``-``), flushed per line.

    On open, a torn last line (a run killed mid-write) is cut off, so the file
    holds complete lines only and appending is safe.
    """

    def __init__(self, path: str):
        self.path = path
        if path == "-":
            self.f = sys.stdout
            return
        repair_jsonl(path)
        self.f = open(path, "a", encoding="utf-8")

    def done_keys(self) -> set[tuple]:
        return jsonl_keys(self.path) if self.path != "-" else set()

    def write(self, res: Result, name: Optional[str] = None) -> None:
        self.f.write(res.line + "\n")
        self.f.flush()

    def close(self) -> None:
        if self.f is not sys.stdout:
            self.f.close()


def repair_jsonl(path: str) -> int:
    """Cut a torn last line off a JSON Lines file; returns the number of bytes removed."""
    try:
        size = os.path.getsize(path)
    except OSError:
        return 0
    if size == 0:
        return 0
    with open(path, "rb+") as f:
        f.seek(size - 1)
        if f.read(1) == b"\n":
            return 0
        # walk back to the last newline
        pos, chunk = size, 1 << 16
        keep = 0
        while pos > 0:
            start = max(0, pos - chunk)
            f.seek(start)
            buf = f.read(pos - start)
            i = buf.rfind(b"\n")
            if i >= 0:
                keep = start + i + 1
                break
            pos = start
        f.truncate(keep)
        return size - keep


def jsonl_keys(path: str) -> set[tuple]:
    """(path, sha256) of every input recorded in a JSON Lines output (unparseable lines are ignored)."""
    out: set[tuple] = set()
    if not os.path.exists(path):
        return out
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if not line.endswith("\n"):
                continue  # torn last line: not done
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            key = record_key(rec)
            if key:
                out.add(key)
    return out


class DirSink:
    """DIR/<stem>.json per input (DIR/<stem>.error.json for an error), written atomically."""

    def __init__(self, path: str):
        self.path = path
        os.makedirs(path, exist_ok=True)
        for name in os.listdir(path):  # temporary files of a killed run
            if name.endswith(".part"):
                try:
                    os.remove(os.path.join(path, name))
                except OSError:
                    pass

    def done_keys(self) -> set[tuple]:
        out: set[tuple] = set()
        for name in os.listdir(self.path):
            if not name.endswith(".json"):
                continue
            try:
                with open(os.path.join(self.path, name), encoding="utf-8") as f:
                    key = record_key(json.load(f))
            except (OSError, ValueError):
                continue
            if key:
                out.add(key)
        return out

    def write(self, res: Result, name: Optional[str] = None) -> None:
        name = name or (os.path.splitext(os.path.basename(res.path))[0] or "document")
        target = os.path.join(self.path, name + (".error.json" if not res.ok else ".json"))
        other = os.path.join(self.path, name + (".json" if not res.ok else ".error.json"))
        tmp = target + f".{os.getpid()}.part"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(json.dumps(json.loads(res.line), ensure_ascii=False, indent=1) + "\n")
        os.replace(tmp, target)
        if os.path.exists(other):  # a re-run changed the outcome: keep one file per input
            os.remove(other)

    def close(self) -> None:
        pass


class DbSink:
    """The SQLite archive (:mod:`syextract.store`), one transaction per document."""

    def __init__(self, path: str):
        from .store import Store

        self.store = Store(path)

    def done_keys(self) -> set[tuple]:
        return {done_key(p, h) for p, h in self.store.done_inputs()}

    def write(self, res: Result, name: Optional[str] = None) -> None:
        self.store.add(json.loads(res.line), res.line)

    def close(self) -> None:
        self.store.close()


def out_name(path: str, used: set) -> str:
    """A unique stem for DIR/<stem>.json (``name``, ``name-2`` … for clashes, in input order)."""
    stem = os.path.splitext(os.path.basename(path))[0] or "document"
    name, k = stem, 1
    while name in used:
        k += 1
        name = f"{stem}-{k}"
    used.add(name)
    return name


# ------------------------------------------------------------------ the run

@dataclass
class Summary:
    files: int = 0
    documents: int = 0
    errors: int = 0
    skipped: int = 0
    plans: int = 0
    mentions: int = 0
    chars: int = 0
    seconds: float = 0.0
    error_kinds: dict = field(default_factory=dict)

    def add(self, res: Result) -> None:
        self.files += 1
        if res.ok:
            self.documents += 1
        else:
            self.errors += 1
            self.error_kinds[res.error_kind] = self.error_kinds.get(res.error_kind, 0) + 1
        self.plans += res.plans
        self.mentions += res.mentions
        self.chars += res.chars

    def line(self) -> str:
        rate = self.chars / self.seconds if self.seconds > 0 else 0.0
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(self.error_kinds.items()))
        return (f"{self.files} files ({self.documents} documents, {self.errors} errors"
                f"{': ' + kinds if kinds else ''}), {self.skipped} skipped as done, {self.plans} plans, "
                f"{self.mentions} mentions, {self.chars:,} chars in {self.seconds:.1f} s ({rate:,.0f} chars/s)")


def items_for(paths: Iterable[str], skip: Optional[set] = None,
              on_skip: Optional[Callable[[Item], None]] = None) -> Iterator[Item]:
    """Read each path lazily; inputs whose :func:`done_key` is in ``skip`` go to ``on_skip``, not downstream."""
    for p in paths:
        item = read_item(p)
        if skip and done_key(item.path, item.sha256) in skip:
            if on_skip:
                on_skip(item)
            continue
        yield item


def run(items: Iterable[Item], engine: str = "local", jobs: int = 1, scheduler: Optional[str] = None,
        segmenter: str = "jieba") -> Iterator[Result]:
    """Results in input order, one per item, from the chosen engine."""
    if engine == "dask":
        return run_dask(items, scheduler=scheduler, jobs=jobs, segmenter=segmenter)
    return run_local(items, jobs=jobs, segmenter=segmenter)
