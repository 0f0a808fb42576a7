"""What training a model cost: seconds, peak memory and tokens per second.

Peak memory is the process's resident set size sampled every ``interval`` seconds by a
background thread while the model trains (``/proc/self/statm`` on Linux; elsewhere the
process-wide ``ru_maxrss``, which cannot go down between models). It counts every allocation
(numpy, XLA, numba), unlike ``tracemalloc``.

Examples
--------
>>> import numpy as np
>>> with MemorySampler(interval=0.01) as memory:
...     block = np.ones(20_000_000)  # 160 MB
>>> memory.peak_bytes >= memory.start_bytes
True
"""
from __future__ import annotations

import os
import resource
import sys
import threading
from dataclasses import asdict, dataclass
from typing import Any

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def resident_bytes() -> int:
    """The process's current resident memory in bytes (its peak so far where /proc is missing).

    Examples
    --------
    >>> import numpy as np
    >>> before = resident_bytes()
    >>> block = np.ones(10_000_000)  # 80 MB, written, so resident
    >>> resident_bytes() - before > 50 * 2 ** 20
    True
    """
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[1]) * _PAGE
    except OSError:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return int(peak if sys.platform == "darwin" else peak * 1024)


class MemorySampler:
    """Context manager sampling :func:`resident_bytes` in a daemon thread.

    Attributes
    ----------
    start_bytes, peak_bytes : int
        Resident memory on entry and the largest value seen until exit.

    Examples
    --------
    >>> with MemorySampler(interval=0.01) as memory:
    ...     total = sum(range(100_000))
    >>> memory.peak_bytes >= memory.start_bytes > 0
    True
    >>> MemorySampler(interval=0)
    Traceback (most recent call last):
    ...
    ValueError: interval must be positive seconds, not 0
    """

    def __init__(self, interval: float = 0.05) -> None:
        if not interval > 0:
            raise ValueError(f"interval must be positive seconds, not {interval!r}")
        self.interval = interval
        self.start_bytes = self.peak_bytes = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.peak_bytes = max(self.peak_bytes, resident_bytes())

    def __enter__(self) -> "MemorySampler":
        self.start_bytes = self.peak_bytes = resident_bytes()
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="memory-sampler", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.peak_bytes = max(self.peak_bytes, resident_bytes())


@dataclass(frozen=True)
class TrainingCost:
    """Cost of one training run.

    Attributes
    ----------
    seconds : float
        Wall-clock seconds from the start of preparation (counting, encoding) to the last epoch.
    train_seconds : float
        Seconds inside the epochs only.
    prepare_seconds : float
        Seconds before the first epoch: counting co-occurrences (GloVe), reading and encoding the
        corpus, building tables. The curves' seconds start after them.
    peak_memory_bytes : int
        Peak resident memory of the process during the run.
    tokens : int
        Corpus tokens (in the vocabulary) the run read.
    epochs : int

    Examples
    --------
    >>> TrainingCost(seconds=2.0, train_seconds=1.5, peak_memory_bytes=10, tokens=1000, epochs=5).tokens_per_second
    2500.0
    """

    seconds: float
    train_seconds: float
    peak_memory_bytes: int
    tokens: int
    epochs: int
    prepare_seconds: float = 0.0

    @property
    def tokens_per_second(self) -> float:
        """Corpus tokens times epochs over :attr:`seconds`: how fast the run turns text into vectors."""
        return self.tokens * self.epochs / self.seconds if self.seconds > 0 else float("nan")

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "tokens_per_second": self.tokens_per_second}
