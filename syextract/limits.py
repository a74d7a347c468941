"""Per-document time limits that work in any thread.

``batch.time_limit`` interrupts a document with a ``SIGALRM`` timer where it
can (POSIX, the main thread). A Dask worker runs tasks in threads, where no
signal can be set: there the limit is a *deadline* that the pipeline checks
between its stages (:func:`check`), so an over-long document stops after the
stage that crossed the limit and gets its ``timeout`` record.
"""
from __future__ import annotations

import contextlib
import threading
import time
from typing import Optional


class DocumentTimeout(BaseException):
    """A document reached its time limit. A BaseException, so that no extractor's ``except Exception``
    swallows it."""


_local = threading.local()


@contextlib.contextmanager
def deadline(seconds: Optional[float]):
    """Set this thread's deadline ``seconds`` from now for the body (nested calls keep the earliest)."""
    if not seconds or seconds <= 0:
        yield
        return
    previous = getattr(_local, "at", None)
    at = time.monotonic() + seconds
    _local.at = at if previous is None else min(previous, at)
    try:
        yield
    finally:
        _local.at = previous


def check() -> None:
    """Raise :class:`DocumentTimeout` when this thread's deadline has passed."""
    at = getattr(_local, "at", None)
    if at is not None and time.monotonic() > at:
        raise DocumentTimeout()
