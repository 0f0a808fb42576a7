"""The process's memory: its resident size now, what a process-wide limit leaves to work with, and
memory-mapped pages handed back to the OS.

``memory_limit`` bounds the peak resident set (RSS) of the whole process. What the interpreter,
the libraries and their compiled kernels already hold (the *baseline*, measured when the work
starts) is not available to the work; :func:`work_budget` returns the rest and refuses a limit
that leaves less than :data:`MIN_WORKING_BYTES`, naming the measured baseline.

Pages of a memory-mapped file count in the RSS once touched, though the OS could drop them:
:func:`release_pages` drops them explicitly (``madvise(MADV_DONTNEED)``), so code that streams
through a mapped file chunk by chunk keeps its RSS bounded by the chunk. Many middle-sized arrays
freed in turn leave free holes in the C heap that still count in the RSS: :func:`trim_heap` hands
them back at the end of a phase.

Examples
--------
>>> rss_bytes() > 0
True
>>> work_budget(None) is None
True
"""
from __future__ import annotations

import ctypes
import ctypes.util
import functools
import logging
import mmap
import re
import resource
import sys

import numpy as np

logger = logging.getLogger(__name__)

MIN_WORKING_BYTES = 32 << 20
"""Least memory a limit must leave above the baseline: room for one chunk, table and buffer."""

_VMRSS = re.compile(rb"VmRSS:\s+(\d+)\s+kB")


def rss_bytes() -> int:
    """The resident set size of this process now, in bytes (``/proc/self/status``; elsewhere
    psutil, else the peak so far from ``getrusage``).

    Examples
    --------
    >>> rss_bytes() > 1 << 20
    True
    """
    try:
        with open("/proc/self/status", "rb") as status:
            found = _VMRSS.search(status.read())
        if found:
            return int(found.group(1)) << 10
    except OSError:  # pragma: no cover - not Linux
        pass
    try:  # pragma: no cover - not Linux
        import psutil

        return int(psutil.Process().memory_info().rss)
    except ImportError:  # pragma: no cover
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return int(peak) if sys.platform == "darwin" else int(peak) << 10


def format_bytes(n: int | float) -> str:
    """``n`` bytes as MB (KB below 1 MB, GB above 10 GB), for messages.

    Examples
    --------
    >>> format_bytes(268435456), format_bytes(32 << 30), format_bytes(65536)
    ('256 MB', '32.0 GB', '64 KB')
    """
    if n < 1 << 20:
        return f"{n / 2**10:.0f} KB"
    return f"{n / 2**30:.1f} GB" if n >= 10 << 30 else f"{n / 2**20:.0f} MB"


class AboveBaseline(int):
    """A limit given relative to the baseline (``"+64MB"``): the bytes the work itself may use.

    Examples
    --------
    >>> work_budget(AboveBaseline(1 << 20))
    1048576
    """

    def __repr__(self) -> str:
        return f"AboveBaseline({int(self)})"


def work_budget(limit: int | None, name: str = "memory_limit", baseline: int | None = None) -> int | None:
    """Bytes the work may use under a process-wide ``limit``: ``limit`` less the ``baseline``
    (default: this process's RSS now, which includes the interpreter, the libraries and whatever
    the caller holds); an :class:`AboveBaseline` limit is that budget itself.

    Raises
    ------
    ValueError
        Naming ``name`` and the measured baseline, when ``limit`` leaves less than
        :data:`MIN_WORKING_BYTES` above it.

    Examples
    --------
    >>> work_budget(1 << 30, baseline=200 << 20) == (1 << 30) - (200 << 20)
    True
    >>> work_budget(100 << 20, baseline=90 << 20)
    Traceback (most recent call last):
    ...
    ValueError: memory_limit=100 MB is below what this process needs: the interpreter and libraries already take 90 MB (measured RSS), and work needs 32 MB more; give at least 122 MB
    """
    if limit is None or isinstance(limit, AboveBaseline):
        return None if limit is None else int(limit)
    baseline = rss_bytes() if baseline is None else int(baseline)
    if limit < baseline + MIN_WORKING_BYTES:
        raise ValueError(f"{name}={format_bytes(limit)} is below what this process needs: the interpreter "
                         f"and libraries already take {format_bytes(baseline)} (measured RSS), and work needs "
                         f"{format_bytes(MIN_WORKING_BYTES)} more; give at least "
                         f"{format_bytes(baseline + MIN_WORKING_BYTES)}")
    logger.debug("%s=%s: baseline %s, %s left to work with", name, format_bytes(limit), format_bytes(baseline),
                 format_bytes(limit - baseline))
    return int(limit - baseline)


def release_pages(array: np.ndarray) -> None:
    """Hand the pages of the file mapping behind ``array`` (a ``np.memmap`` or a view of one) back
    to the OS, so they stop counting in the RSS; the data stays readable (pages are read again
    from the file when touched). Arrays not backed by a file mapping are left alone.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     np.arange(4, dtype=np.int64).tofile(Path(folder) / "a.bin")
    ...     mapped = np.memmap(Path(folder) / "a.bin", dtype=np.int64, mode="r")
    ...     total = int(mapped.sum())
    ...     release_pages(mapped)
    ...     total, int(mapped[3])
    (6, 3)
    """
    mapping = getattr(array, "_mmap", None)
    if isinstance(mapping, mmap.mmap) and hasattr(mapping, "madvise") and hasattr(mmap, "MADV_DONTNEED"):
        try:
            mapping.madvise(mmap.MADV_DONTNEED)
        except (OSError, ValueError):  # pragma: no cover - a closed mapping or an OS that refuses
            pass


def chunk_slices(n: int, step: int):
    """``slice`` objects covering ``range(n)`` ``step`` items at a time.

    Examples
    --------
    >>> [(s.start, s.stop) for s in chunk_slices(5, 2)]
    [(0, 2), (2, 4), (4, 5)]
    """
    for start in range(0, n, step):
        yield slice(start, min(start + step, n))


@functools.cache
def _malloc_trim():
    name = ctypes.util.find_library("c")
    try:
        return getattr(ctypes.CDLL(name), "malloc_trim", None) if name else None
    except OSError:  # pragma: no cover
        return None


def trim_heap() -> None:
    """Return the free memory of the C heap to the OS (glibc's ``malloc_trim``; elsewhere nothing):
    after a phase that freed many arrays below the allocator's mmap threshold, their pages would
    otherwise stay in the RSS.

    Examples
    --------
    >>> trim_heap()
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
