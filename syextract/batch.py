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
  (``pipeline.records_pipeline`` is cached per process). :func:`process_group`, what every
  engine runs, gives a group of documents the same results with the stages
  run over the group together, and falls back to :func:`process_bytes` per
  document when the group fails or runs out of time.
* :func:`run` yields the results **in input order** whatever the engine
  (in-process, a pool of worker processes, Dask), with a bounded number of
  documents in flight, so memory stays flat across an archive.
* Limits: an input above ``MAX_INPUT_BYTES`` or that is no regular file is
  refused before reading; a document whose processing exceeds ``timeout``
  seconds gives an error record of kind ``timeout``. In a process's main
  thread the limit is a ``SIGALRM`` timer (:func:`time_limit`), in other
  threads (Dask's workers) a deadline checked between pipeline stages; with
  ``--jobs N`` the parent also kills a worker still busy ``KILL_GRACE``
  seconds past the limit (stuck in C code) and starts a fresh one, so one
  pathological file cannot stall an archive run.
* Sinks: :class:`JsonlSink` (one line per input, flushed per line; a torn last
  line left by a killed run is cut off on open), :class:`DirSink` (one JSON
  file per input, written to a temporary name and renamed), :class:`DbSink`
  (:mod:`syextract.store`, one transaction per document).
"""
from __future__ import annotations

import contextlib
import glob
import hashlib
import json
import os
import signal
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Optional

from . import limits
from . import records as R
from .limits import DocumentTimeout
from .io.source import InputError, read_file_bytes

#: Default per-document time limit in seconds (``syextract extract --timeout``; 0 turns it off).
DEFAULT_TIMEOUT = 120.0
#: Seconds past the limit after which a worker process still busy is killed and replaced.
KILL_GRACE = 10.0

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
            n = len(out)
            for p in walk(arg, excl):
                add(p)
            if len(out) == n and os.path.realpath(arg) not in excl:
                add(arg)  # a folder named as an input but holding no file: reported, not dropped
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
    """Read an input's bytes (the checks of ``io.read``), never raising.

    Only regular files are opened: a named pipe would block ``open`` forever and a
    device such as ``/dev/zero`` never ends. A file that grew past the size limit
    since its ``stat`` is cut off at the limit and refused.
    """
    try:
        if os.path.isdir(path):  # only a folder named as an input with no file in it reaches here
            return Item(path, error=("empty", "is a directory holding no input files (hidden files are skipped)"))
        data = read_file_bytes(path)
    except InputError as e:
        return Item(path, error=(e.kind, e.message))
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


def record_result(path: str, rec, t0: float = 0.0) -> Result:
    """The Result of a Document or an ErrorRecord."""
    if isinstance(rec, R.Document):
        return document_result(rec, t0)
    return _error_result(path, rec.error.kind, rec.error.message, rec.source.get("sha256"), t0)


def process_source(path: str, data: bytes, nlp=None):
    """bytes -> a Document or an ErrorRecord (never raises)."""
    from .io import source
    from .pipeline import process

    try:
        src = source.read_bytes(data, path)
    except InputError as e:
        return error_record(path, e.kind, e.message, hashlib.sha256(data).hexdigest())
    try:
        return process(src, nlp)
    except Exception as e:  # an extractor bug must not kill a batch: report it as a record
        return failure_record(path, e, src.sha256)


def failure_record(path: str, e: Exception, sha256: Optional[str]) -> R.ErrorRecord:
    """The error record of a document whose processing raised ``e``."""
    if isinstance(e, RecursionError):
        return error_record(path, "internal", "document structure too deep to process", sha256)
    return error_record(path, "internal", f"{type(e).__name__}: {e}", sha256)


@contextlib.contextmanager
def time_limit(seconds: Optional[float]):
    """Raise :class:`DocumentTimeout` in the body after ``seconds``.

    In the main thread on POSIX, a ``SIGALRM`` interval timer: Python code is
    interrupted between bytecodes; a long call in C code is interrupted when it
    returns (the worker pool's hard limit covers one that never does).
    Elsewhere (a Dask worker thread, Windows) a deadline that the pipeline
    checks between its stages (:mod:`syextract.limits`).
    """
    if not seconds or seconds <= 0:
        yield
        return
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        with limits.deadline(seconds):
            yield
        return

    def expired(signum, frame):
        raise DocumentTimeout()

    old = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def timeout_message(seconds: float) -> str:
    return f"processing took longer than the limit of {seconds:g} s per document (--timeout)"


def process_bytes(path: str, data: bytes, segmenter: Optional[str] = None,
                  timeout: Optional[float] = None) -> Result:
    """The per-document function: (path, bytes) -> a small Result, never raising.

    The pipeline is built on first use in each process (``records_pipeline`` is cached),
    so a worker pays for it once. ``timeout`` (seconds) bounds reading,
    extraction and serialisation of the document: past it the result is an
    error record of kind ``timeout``.
    """
    t0 = time.perf_counter()
    try:
        from .pipeline import records_pipeline

        nlp = records_pipeline(segmenter)
        with time_limit(timeout):
            return record_result(path, process_source(path, data, nlp), t0)
    except DocumentTimeout:
        return _error_result(path, "timeout", timeout_message(timeout or 0), hashlib.sha256(data).hexdigest(), t0)
    except BaseException as e:  # noqa: BLE001 - a worker must answer for every input
        if isinstance(e, KeyboardInterrupt):
            raise
        return _error_result(path, "internal", f"{type(e).__name__}: {e}", None, t0)


def process_item(item: Item, segmenter: Optional[str] = None, timeout: Optional[float] = None) -> Result:
    if item.error:
        return _error_result(item.path, *item.error)
    return process_bytes(item.path, item.data, segmenter, timeout)


#: At most this many documents, and this many bytes in all, are processed as one group
#: (:func:`process_group`); a larger document goes alone (its stages run long enough on their own).
GROUP_DOCS = 16
GROUP_BYTES = 256 * 1024


def process_group(items: list[Item], segmenter: Optional[str] = None, timeout: Optional[float] = None) -> list[Result]:
    """The results of several items, the same as :func:`process_item` gives each, in input order.

    The documents go through ``pipeline.process_many`` together, each stage over all of them in
    turn: about a sixth less CPU time than one at a time. The time limit holds for the group as
    a whole; a group that reaches it, or fails in any other way than one document's own error,
    is run again one document at a time, each under its own limit, so a slow or broken document
    gets its error record and the others their records, as if they had never met.
    """
    todo = [it for it in items if not it.error]
    if len(todo) <= 1:
        return [process_item(it, segmenter, timeout) for it in items]
    from .io import source
    from .pipeline import process_many, records_pipeline

    t0 = time.perf_counter()
    try:
        nlp = records_pipeline(segmenter)
        with time_limit(timeout):
            done: dict[int, Result] = {}  # id(item) -> result
            read = []
            for it in todo:
                try:
                    read.append((it, source.read_bytes(it.data, it.path)))
                except InputError as e:
                    done[id(it)] = _error_result(it.path, e.kind, e.message, it.sha256)
            docs = process_many([src for _, src in read], nlp)
            for (it, src), doc in zip(read, docs):
                rec = doc if isinstance(doc, R.Document) else failure_record(it.path, doc, src.sha256)
                done[id(it)] = record_result(it.path, rec)
    except BaseException as e:  # noqa: BLE001 - the time limit, or a failure not of one document
        if isinstance(e, KeyboardInterrupt):
            raise
        return [process_item(it, segmenter, timeout) for it in items]
    # a document's share of the group's time, by its length
    chars = sum(r.chars for r in done.values()) or 1
    spent = time.perf_counter() - t0
    for r in done.values():
        r.seconds = spent * r.chars / chars
    return [done[id(it)] if not it.error else _error_result(it.path, *it.error) for it in items]


def groups(items: Iterable[Item], size: int = GROUP_DOCS, nbytes: int = GROUP_BYTES) -> Iterator[list[Item]]:
    """Consecutive items in groups of at most ``size`` items and ``nbytes`` bytes (a larger item alone)."""
    group: list[Item] = []
    total = 0
    for item in items:
        n = len(item.data or b"")
        if group and (len(group) >= size or total + n > nbytes):
            yield group
            group, total = [], 0
        group.append(item)
        total += n
    if group:
        yield group


# ------------------------------------------------------------------ engines

_WARM = "2024年某某镇双拥工作计划\n一、8月1日前夕走访慰问烈属25户，由镇民政办负责，联系人：张三。\n".encode("utf-8")


def warm_up(segmenter: Optional[str] = None):
    """Build the pipeline and run it once, so that lexicons loaded on first use are in memory."""
    from .pipeline import records_pipeline

    nlp = records_pipeline(segmenter)
    process_source("warm-up.txt", _WARM, nlp)
    return nlp


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


def _ordered(submit: Callable, get: Callable, items: Iterable[Item], window: int) -> Iterator[Result]:
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


class _Worker:
    def __init__(self, process, conn):
        self.process = process
        self.conn = conn


def _worker_main(conn, segmenter: Optional[str], timeout: Optional[float]) -> None:
    """A worker process: a group of (task id, item) in, a list of (task id, Result) out."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops the workers
    _die_with_parent()
    warm_up(segmenter)  # inherited ready-made under fork: nothing to do
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            break
        if msg is None:
            break
        tids, items = zip(*msg)
        res = process_group(list(items), segmenter, timeout)
        try:
            conn.send(list(zip(tids, res)))
        except (OSError, ValueError):
            break


class WorkerPool:
    """``jobs`` worker processes, each fed a group of documents at a time through its own pipe.

    A worker takes up to ``GROUP_DOCS`` queued documents (:func:`process_group`), fewer when the
    queue is short, so that the workers share the last documents of a run. Unlike
    ``multiprocessing.Pool``, a worker can be replaced: one still busy ``KILL_GRACE`` seconds past
    its time limit (stuck where ``SIGALRM`` cannot interrupt it) is killed, and one that dies
    (killed by the OOM killer, a crash in C code) is noticed. A fresh worker takes its place and
    the run goes on. The documents of a lost group are queued again one by one; a document lost
    alone gets a ``timeout`` or an ``internal`` record. So only the guilty document gets an error.
    """

    def __init__(self, ctx, jobs: int, segmenter: Optional[str] = None, timeout: Optional[float] = None,
                 grace: Optional[float] = None):
        self.ctx = ctx
        self.jobs = jobs
        self.segmenter = segmenter
        self.timeout = timeout if timeout and timeout > 0 else None
        self.grace = KILL_GRACE if grace is None else grace
        self.idle: list[_Worker] = []
        self.busy: dict = {}  # conn -> (worker, [(task id, item)], deadline or None)
        self.queue: deque = deque()  # (task id, item, alone)
        self.results: dict[int, Result] = {}
        self.next_id = 0
        self.replaced = 0
        for _ in range(jobs):
            self.idle.append(self._spawn())

    def _spawn(self) -> _Worker:
        parent_conn, child_conn = self.ctx.Pipe(duplex=True)
        proc = self.ctx.Process(target=_worker_main, args=(child_conn, self.segmenter, self.timeout), daemon=True)
        proc.start()
        child_conn.close()
        return _Worker(proc, parent_conn)

    def _retire(self, w: _Worker, kill: bool) -> None:
        if kill and w.process.is_alive():
            w.process.kill()
        w.process.join(5)
        w.conn.close()

    def submit(self, item: Item) -> int:
        tid = self.next_id
        self.next_id += 1
        self.queue.append((tid, item, False))
        self._dispatch()
        return tid

    def _take(self) -> list[tuple[int, Item]]:
        """The next group from the queue: a document queued alone goes alone."""
        tid, item, alone = self.queue.popleft()
        group = [(tid, item)]
        if alone:
            return group
        size = min(GROUP_DOCS, max(1, (len(self.queue) + 1) // self.jobs))
        total = len(item.data or b"")
        while self.queue and len(group) < size and not self.queue[0][2]:
            n = len(self.queue[0][1].data or b"")
            if total + n > GROUP_BYTES:
                break
            tid, item, _ = self.queue.popleft()
            group.append((tid, item))
            total += n
        return group

    def _dispatch(self) -> None:
        while self.idle and self.queue:
            w = self.idle.pop()
            group = self._take()
            try:
                w.conn.send(group)
            except (OSError, ValueError):  # the worker died while idle: replace it, retry the tasks
                self._retire(w, kill=True)
                self.idle.append(self._spawn())
                self.queue.extendleft(reversed([(tid, item, len(group) == 1) for tid, item in group]))
                continue
            # a group's limit: its own, then each document's own when it is run again one by one
            hard = self.timeout * (len(group) + (len(group) > 1)) + self.grace if self.timeout else None
            self.busy[w.conn] = (w, group, time.monotonic() + hard if hard else None)

    def get(self, tid: int) -> Result:
        while tid not in self.results:
            self._wait()
        return self.results.pop(tid)

    def _lost(self, w: _Worker, group: list, kind: str, message: str) -> None:
        """A worker was killed or died with ``group``: replace it; the group's documents again, alone."""
        self._retire(w, kill=True)
        self.replaced += 1
        self.idle.append(self._spawn())
        if len(group) > 1:
            self.queue.extendleft(reversed([(tid, item, True) for tid, item in group]))
            return
        tid, item = group[0]
        self.results[tid] = _error_result(item.path, kind, message, item.sha256)

    def _wait(self) -> None:
        from multiprocessing.connection import wait

        if not self.busy:
            self._dispatch()
            if not self.busy:
                raise RuntimeError("worker pool: waiting for a task that was never submitted")
        deadlines = [d for (_, _, d) in self.busy.values() if d is not None]
        limit = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
        for conn in wait(list(self.busy), limit):
            w, group, _ = self.busy.pop(conn)
            try:
                self.results.update(conn.recv())
                self.idle.append(w)
                continue
            except (EOFError, OSError, ValueError):
                pass
            w.process.join(5)
            code = w.process.exitcode
            how = f"killed by signal {-code}" if code is not None and code < 0 else f"exit status {code}"
            self._lost(w, group, "internal", f"worker process died ({how})")
        now = time.monotonic()
        for conn, (w, group, deadline) in list(self.busy.items()):
            if deadline is not None and now >= deadline:
                del self.busy[conn]
                self._lost(w, group, "timeout", timeout_message(self.timeout))
        self._dispatch()

    def close(self) -> None:
        """Stop every worker: idle ones are asked to exit, busy ones are killed."""
        for w in self.idle:
            try:
                w.conn.send(None)
            except (OSError, ValueError):
                pass
        for w in self.idle:
            self._retire(w, kill=False)
            if w.process.is_alive():
                w.process.kill()
                w.process.join(1)
        for w, _, _ in self.busy.values():
            self._retire(w, kill=True)
        self.idle, self.busy = [], {}


def run_local(items: Iterable[Item], jobs: int = 1, segmenter: Optional[str] = None, window: int = 0,
              timeout: Optional[float] = None) -> Iterator[Result]:
    """Process items in this process (``jobs <= 1``) or in a pool of ``jobs`` worker processes."""
    if jobs <= 1:
        warm_up(segmenter)
        return (res for group in groups(items) for res in process_group(group, segmenter, timeout))
    ctx = _mp_context()
    if ctx.get_start_method() == "fork":
        # build and warm the pipeline once here: the forked workers inherit it ready to use
        warm_up(segmenter)
        import gc

        # the collector in a worker then leaves the inherited objects alone (pages stay shared). No
        # gc.collect() first (as Python's gc.freeze documentation advises: it leaves holes in the
        # pages); it also held the workers' start back by 50 ms; the little garbage it would free is
        # collected after the run (gc.unfreeze in _pool_results)
        gc.freeze()
    pool = WorkerPool(ctx, jobs, segmenter, timeout)
    # enough documents in flight for a group in each worker and the next groups queued
    return _pool_results(pool, items, window or jobs * GROUP_DOCS * 2)


def _pool_results(pool: WorkerPool, items: Iterable[Item], window: int) -> Iterator[Result]:
    try:
        yield from _ordered(pool.submit, pool.get, items, window)
    finally:
        pool.close()
        import gc

        gc.unfreeze()  # back to normal collection in this process (run_local may be called again)


def run_dask(items: Iterable[Item], scheduler: Optional[str] = None, jobs: int = 0, segmenter: Optional[str] = None,
             window: int = 0, client=None, timeout: Optional[float] = None) -> Iterator[Result]:
    """The same function as the local engine, :func:`process_group`, on a Dask cluster (a
    LocalCluster when no address is given): one task per group of documents (:func:`groups`).

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
        window = window or 2 * nworkers  # groups in flight: one running and one waiting per worker
        pending: deque = deque()
        for group in groups(items):
            pending.append(client.submit(process_group, group, segmenter, timeout, pure=False))
            if len(pending) > window:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
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
        segmenter: Optional[str] = None, timeout: Optional[float] = None) -> Iterator[Result]:
    """Results in input order, one per item, from the chosen engine.

    ``timeout``: seconds per document (None or 0: no limit). On Dask the tasks
    run in worker threads, where no timer can be set: there the pipeline checks
    the limit between its stages (see :func:`time_limit`).
    """
    if engine == "dask":
        return run_dask(items, scheduler=scheduler, jobs=jobs, segmenter=segmenter, timeout=timeout)
    return run_local(items, jobs=jobs, segmenter=segmenter, timeout=timeout)
