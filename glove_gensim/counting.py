"""The counting engine: partial co-occurrence counts of token ids, bounded in memory.

What :mod:`glove_gensim.cooccur` (the :class:`~glove_gensim.cooccur.Cooccurrence` container),
:mod:`glove_gensim.vocab` and :mod:`glove_gensim.distributed` (Dask tasks) share, and imports
none of them back:

* :func:`parse_memory` reads sizes such as ``"256MB"``;
* :class:`PartialCounts` holds the counts of part of a corpus in exact integer units, so parts
  add in any order;
* :func:`count_partial` counts documents through a vocabulary (anything with ``encode``);
  :func:`count_id_chunks` counts chunks of ids that are already encoded;
* :func:`first_pass` reads a corpus once, keeping every token as a provisional id (in order of
  first appearance) together with the word counts, so the vocabulary and the co-occurrence pass
  need one tokenization instead of two;
* :func:`log_plan` logs the size of a job before it starts.

Counting runs chunk by chunk through compiled open-addressing tables
(:mod:`glove_gensim._cooccur_kernels`), one per counting thread: thread ``t`` of ``n`` owns the
pairs whose right-hand id is ``t`` modulo ``n``, so the threads never share a key and need no
merge beyond concatenation. When a table would outgrow its share of ``memory_limit``, its partial
counts are symmetrised, sorted and spilled to a temporary shard; shards are merged at the end by
row ranges, a bounded slice of each at a time.

Examples
--------
>>> import numpy as np
>>> ids, doc_starts = np.array([0, 1, 0], dtype=np.int32), np.array([0, 3])
>>> counts = count_id_chunks([(ids, doc_starts)], n_words=2, window=2)
>>> counts.rows.tolist(), counts.cols.tolist(), (counts.values / counts.scale).tolist()
([0, 0, 1], [0, 1, 0], [1.0, 2.0, 2.0])
"""
from __future__ import annotations

import logging
import math
import os
import re
import shutil
import tempfile
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import chain, count
from pathlib import Path
from typing import Callable, Iterable, Iterator, NamedTuple, Sequence

import numpy as np

from glove_gensim import _cooccur_kernels as kernels
from glove_gensim.files import cleanup_section, disk_full_explained
from glove_gensim.memory import AboveBaseline, chunk_slices, release_pages, trim_heap, work_budget
from glove_gensim.pieces import BoundaryPairs, add_sorted, continuation_flags
from glove_gensim.progress import progress_bar

logger = logging.getLogger(__name__)

CHUNK_TOKENS = 1 << 20
DEFAULT_MEMORY_LIMIT = "2GB"
_INITIAL_CAPACITY = 1 << 20
_MAX_LOAD = 0.7
_BYTES_PER_SLOT = 16
_TABLE_SHARE = 0.125
_EXACT_MAX_WINDOW = 20
_DENSE_WORDS = 2048
_MERGE_SHARE = 0.25
_MERGE_BYTES_PER_ENTRY = 64
_MIN_MERGE_ENTRIES = 1 << 16
_DENSE_SHARE = 0.1
_TOKEN_SHARE = 0.25
READ_TOKENS = 1 << 16  # small reading chunks: few str objects alive at a time, so little heap kept
_MAX_THREADS = 8
_DISK_ADVICE = ("the temporary files are removed; point tmp_dir (CLI: TMPDIR) at a disk with more room, "
                "or raise memory_limit (fewer spills)")
_CONVERT_STEP = 1 << 20
_UNITS = {"": 1, "B": 1, "K": 1 << 10, "KB": 1 << 10, "M": 1 << 20, "MB": 1 << 20,
          "G": 1 << 30, "GB": 1 << 30, "T": 1 << 40, "TB": 1 << 40}


def parse_memory(limit: int | str | None) -> int | None:
    """Bytes in ``limit``: an int, or a string such as ``"256MB"``, ``"2GB"``, ``"1.5G"``; with a
    leading ``+`` (``"+64MB"``), a :class:`~glove_gensim.memory.AboveBaseline`: that much above what
    the process holds when the work starts.

    Examples
    --------
    >>> parse_memory("256MB")
    268435456
    >>> parse_memory("+1MB")
    AboveBaseline(1048576)
    """
    if limit is None or isinstance(limit, AboveBaseline):
        return limit
    if isinstance(limit, (int, np.integer)) and not isinstance(limit, bool):
        value, above = int(limit), False
    else:
        match = re.fullmatch(r"\s*(\+?)\s*([0-9]*\.?[0-9]+)\s*([KMGT]?B?)\s*", str(limit), re.IGNORECASE)
        if match is None:
            raise ValueError(f"memory limit {limit!r} is not a size such as 268435456, '256MB' or '2GB' "
                             "(or '+64MB': that much above what the process holds at the start)")
        value, above = int(float(match.group(2)) * _UNITS[match.group(3).upper()]), bool(match.group(1))
    if value < 1 << 16:
        raise ValueError(f"memory limit {limit!r} is below 64KB, too small to count anything")
    return AboveBaseline(value) if above else value


def default_threads() -> int:
    """Counting threads used when none are asked for: the CPUs this process may run on (at most 8).

    Examples
    --------
    >>> 1 <= default_threads() <= 8
    True
    """
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, _MAX_THREADS))


@dataclass
class PartialCounts:
    """Counts of part of a corpus in exact units: ``values / scale`` are the weighted counts.

    Integer units (``scale = lcm(1..window)``) make sums of partial counts exact in any order,
    which is what lets counting be split over threads, processes or machines and merged.
    ``rows``/``cols`` are int32 and sorted by (row, col).

    Examples
    --------
    >>> one = PartialCounts(np.array([0], np.int32), np.array([1], np.int32), np.array([3]), 1, 2)
    >>> (one + one).values.tolist()
    [6]
    """

    rows: np.ndarray
    cols: np.ndarray
    values: np.ndarray
    scale: int
    window: int
    n_documents: int = 0
    n_shards: int = 0

    def __add__(self, other: "PartialCounts") -> "PartialCounts":
        if (self.scale, self.window) != (other.scale, other.window):
            raise ValueError("partial counts made with different windows cannot be added")
        n = int(max(self.rows.max(initial=-1), other.rows.max(initial=-1),
                    self.cols.max(initial=-1), other.cols.max(initial=-1))) + 1
        rows, cols, values = sorted_sums(np.concatenate([self.rows, other.rows]),
                                         np.concatenate([self.cols, other.cols]),
                                         np.concatenate([self.values, other.values]), n)
        return PartialCounts(rows, cols, values, self.scale, self.window,
                             self.n_documents + other.n_documents, self.n_shards + other.n_shards)

    def weighted_values(self) -> np.ndarray:
        """The counts as float64 (``values / scale``)."""
        return self.values / self.scale if self.scale != 1 else self.values.astype(np.float64)

    def take_weighted_values(self) -> np.ndarray:
        """:meth:`weighted_values` computed in place, a slice at a time, so that no second array of
        the counts' size is made; ``values`` is consumed (left empty).

        Examples
        --------
        >>> part = PartialCounts(np.array([0], np.int32), np.array([1], np.int32), np.array([3]), 2, 2)
        >>> part.take_weighted_values().tolist(), len(part.values)
        ([1.5], 0)
        """
        values, self.values = self.values, self.values[:0]
        if values.dtype == np.float64 and self.scale == 1:
            return values
        out = values.view(np.float64) if values.dtype.itemsize == 8 and values.flags.c_contiguous \
            else np.empty(len(values), np.float64)
        for part in chunk_slices(len(values), _CONVERT_STEP):
            out[part] = values[part] / self.scale
        return out


def sorted_sums(rows: np.ndarray, cols: np.ndarray, values: np.ndarray,
                n_rows: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Coordinates sorted by (row, col) with duplicates summed, in place (inputs consumed).

    Examples
    --------
    >>> r, c, v = sorted_sums(np.array([1, 0, 1]), np.array([0, 1, 0]), np.array([2, 5, 3]), 2)
    >>> r.tolist(), c.tolist(), v.tolist()
    ([0, 1], [1, 0], [5, 5])
    """
    rows, cols = rows.astype(np.int32, copy=False), cols.astype(np.int32, copy=False)
    n = kernels.sort_and_sum_in_place(rows, cols, values, len(rows), n_rows)
    return _shrink(rows, n), _shrink(cols, n), _shrink(values, n)


def _shrink(array: np.ndarray, n: int) -> np.ndarray:
    """``array[:n]`` without keeping the tail's memory."""
    if n == len(array) or not array.flags.owndata:
        return array[:n].copy() if n != len(array) else array
    array.resize(n, refcheck=False)
    return array


def drop_out_of_vocabulary(ids: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Remove ids ``< 0`` from documents laid end to end.

    Parameters
    ----------
    ids : int32 [n_tokens]
        Token ids, ``-1`` for tokens out of the vocabulary.
    lengths : int [n_documents]
        Tokens per document.

    Returns
    -------
    ids : int32 [n_kept]
    doc_starts : int64 [n_documents + 1]
        Offsets of each document in ``ids`` (empty documents have equal offsets).

    Examples
    --------
    >>> kept, starts = drop_out_of_vocabulary(np.array([0, -1, 1, -1], np.int32), np.array([2, 2]))
    >>> kept.tolist(), starts.tolist()
    ([0, 1], [0, 1, 2])
    """
    kept = ids >= 0
    doc_starts = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=doc_starts[1:])
    kept_before = np.concatenate([[0], np.cumsum(kept, dtype=np.int64)])
    return ids[kept], kept_before[doc_starts]


def chunks(documents: Iterable[Sequence[str]], chunk_tokens: int) -> Iterator[list]:
    """Group documents into lists holding about ``chunk_tokens`` tokens.

    Examples
    --------
    >>> list(chunks([["a", "b"], ["c"], ["d"]], 2))
    [[['a', 'b']], [['c'], ['d']]]
    """
    chunk, size = [], 0
    for document in documents:
        chunk.append(document)
        size += len(document)
        if size >= chunk_tokens:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def count_partial(documents: Iterable[Sequence[str]], vocabulary, window: int, symmetric: bool,
                  distance_weighting: bool, memory_limit: int | None, tmp_dir=None, progress: bool = False,
                  chunk_tokens: int = CHUNK_TOKENS, threads: int | None = None,
                  sink: Callable | None = None) -> PartialCounts:
    """Count ``documents`` into :class:`PartialCounts` (the work of one process; no validation);
    ``sink`` as in :func:`count_id_chunks`.

    ``vocabulary`` is anything with ``len`` and ``encode(documents) -> (ids, doc_starts)``, such
    as :class:`~glove_gensim.vocab.Vocabulary`. Encoding of the next chunk overlaps the counting
    of the current one.

    Examples
    --------
    >>> class Letters:
    ...     def __len__(self):
    ...         return 2
    ...     def encode(self, docs):
    ...         ids = np.array([ord(t) - ord("a") for d in docs for t in d], np.int32)
    ...         return drop_out_of_vocabulary(ids, np.array([len(d) for d in docs]))
    >>> count_partial([["a", "b"]], Letters(), 1, True, True, None).values.tolist()
    [1, 1]
    """
    def encoded() -> Iterator[tuple[np.ndarray, np.ndarray]]:
        with progress_bar(progress, "co-occurrence") as bar:
            for chunk in chunks(documents, chunk_tokens):
                yield (*vocabulary.encode(chunk), continuation_flags(chunk))
                bar.update(sum(map(len, chunk)))

    return count_id_chunks(encoded(), len(vocabulary), window, symmetric, distance_weighting,
                           memory_limit, tmp_dir, threads, sink)


def count_id_chunks(id_chunks: Iterable[tuple[np.ndarray, ...]], n_words: int, window: int,
                    symmetric: bool = True, distance_weighting: bool = True,
                    memory_limit: int | None = None, tmp_dir=None,
                    threads: int | None = None, sink: Callable | None = None) -> PartialCounts:
    """Count chunks of encoded documents ``(ids, doc_starts)`` (see :func:`drop_out_of_vocabulary`),
    or ``(ids, doc_starts, continued)`` where ``continued`` flags the documents that the next one
    continues (pieces of a long document, :mod:`glove_gensim.pieces`): windows then run across.

    ``threads`` counting threads (default :func:`default_threads`) share the work; the result
    is the same for any number of them. ``memory_limit`` is the memory the counting may use
    (tables, merge; the caller's share of a process-wide limit, see
    :func:`glove_gensim.memory.work_budget`).

    ``sink``: instead of returning the counts, hand them over as they are merged:
    ``sink(rows, cols, values)`` is called with consecutive row ranges, sorted by (row, col), in
    table units; the arrays of the result are then empty. The tables are spilled and merged by row
    ranges, so the counts are never all in memory at once.

    Examples
    --------
    >>> one = count_id_chunks([(np.array([0, 1, 0], np.int32), np.array([0, 3]))], n_words=2, window=2,
    ...                       threads=1)
    >>> two = count_id_chunks([(np.array([0, 1, 0], np.int32), np.array([0, 3]))], n_words=2, window=2,
    ...                       threads=2)
    >>> one.n_documents, np.array_equal(one.values, two.values) and np.array_equal(one.rows, two.rows)
    (1, True)
    """
    n_threads = default_threads() if threads is None else int(threads)
    counters = [_WindowCounter(n_words, window, symmetric, distance_weighting, memory_limit, tmp_dir,
                               owner, n_threads) for owner in range(n_threads)]
    boundary = BoundaryPairs(window, counters[0].weights, symmetric)
    n_documents = 0
    pool = ThreadPoolExecutor(n_threads, thread_name_prefix="cooccur") if n_threads > 1 else None
    pending: list = []
    try:
        for ids, doc_starts, *continued in id_chunks:
            for future in pending:
                future.result()
            n_documents += len(doc_starts) - 1
            if continued:
                boundary.add(ids, doc_starts, continued[0])
                n_documents -= int(np.count_nonzero(continued[0]))
            if pool is None:
                counters[0].add(ids, doc_starts)
            else:
                pending = [pool.submit(counter.add, ids, doc_starts) for counter in counters]
        for future in pending:
            future.result()
        if sink is None:
            rows, cols, values = add_sorted(*_finish(counters), *boundary.arrays(), n_words)
        else:
            _stream(counters, boundary.arrays(), sink)
            rows, cols, values = (np.zeros(0, np.int32), np.zeros(0, np.int32),
                                  np.zeros(0, counters[0].weights.dtype))
    finally:
        with cleanup_section():  # an interrupt waits until the spill folders are gone
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)
            for counter in counters:
                counter.close()
    return PartialCounts(rows, cols, values, counters[0].scale, window, n_documents,
                         sum(c.n_shards for c in counters))


def count_scale(window: int, distance_weighting: bool) -> int:
    """The units of the counting tables: a count is ``value / count_scale(...)``.

    Examples
    --------
    >>> count_scale(3, True), count_scale(3, False)
    (6, 1)
    """
    return _distance_weights(window, distance_weighting)[1]


def counting_budget(limit: int | None, name: str = "memory_limit", lenient: bool = False) -> int | None:
    """What counting may use under the process-wide ``limit``: ``limit`` less the process's RSS
    once the counting kernels are loaded (:func:`glove_gensim.memory.work_budget`; refused, naming
    ``name`` and the measured baseline, when too little is left).

    ``lenient`` (a default limit the caller did not choose): instead of refusing, warn and let
    the limit cap the counting's own memory only.

    Examples
    --------
    >>> counting_budget(None) is None
    True
    >>> counting_budget(1 << 20)
    Traceback (most recent call last):
    ...
    ValueError: memory_limit=1 MB is below what this process needs: ...
    """
    if limit is None:
        return None
    count_id_chunks([(np.array([0, 1, 0], np.int32), np.array([0, 3]))], 2, 2, threads=1)  # load the kernels
    try:
        return work_budget(limit, name)
    except ValueError as exc:
        if not lenient:
            raise
        # str(exc), not exc: a log record keeps its arguments, and the traceback would keep the callers
        logger.warning("%s; counting goes on with the default limit capping its own memory only", str(exc))
        return limit


class FirstPass(NamedTuple):
    """What one reading of a corpus yields: word counts and every token as a provisional id.

    ``words[i]`` is the word of provisional id ``i`` (order of first appearance) and ``counts[i]``
    its corpus count; ``tokens`` replays the documents as ids.
    

    Examples
    --------
    >>> seen = first_pass([["a", "b", "a"], ["c"]])
    >>> seen.words, seen.counts.tolist(), seen.total_tokens, seen.n_documents
    (['a', 'b', 'c'], [2, 1, 1], 4, 2)
    >>> seen.tokens.close()
    """

    words: list
    counts: np.ndarray
    total_tokens: int
    n_documents: int
    tokens: "TokenStore"
    continued: list  # per chunk of ``tokens``: which documents the next one continues (flags)


def first_pass(documents: Iterable[Sequence[str]], chunk_tokens: int = READ_TOKENS,
               memory_limit: int | None = None, tmp_dir=None, progress: bool = False) -> FirstPass:
    """Read ``documents`` once: provisional ids in order of first appearance, and word counts.

    The ids are kept in memory up to a quarter of ``memory_limit``, beyond that in a temporary
    file (removed by ``tokens.close()``). Documents are read ``chunk_tokens`` at a time (small,
    so that few token strings are alive at once and the Python heap stays small).

    Examples
    --------
    >>> seen = first_pass([["b", "a", "b"], ["c"]])
    >>> seen.words, seen.counts.tolist(), seen.total_tokens
    (['b', 'a', 'c'], [2, 1, 1], 4)
    >>> seen.tokens.close()
    """
    provisional: defaultdict = defaultdict(count().__next__)
    lookup = provisional.__getitem__
    counts = np.zeros(0, dtype=np.int64)
    total = n_documents = 0
    store = TokenStore(None if memory_limit is None else int(memory_limit * _TOKEN_SHARE), tmp_dir)
    continued: list = []
    try:
        with progress_bar(progress, "reading") as bar:
            for chunk in chunks(documents, chunk_tokens):
                lengths = np.fromiter(map(len, chunk), dtype=np.int64, count=len(chunk))
                n_tokens = int(lengths.sum())
                ids = np.fromiter(map(lookup, chain.from_iterable(chunk)), dtype=np.int32, count=n_tokens)
                chunk_counts = np.bincount(ids, minlength=len(provisional))
                chunk_counts[:len(counts)] += counts
                counts = chunk_counts
                store.append(ids, lengths)
                continued.append(continuation_flags(chunk))
                total += n_tokens
                n_documents += len(chunk) - int(np.count_nonzero(continued[-1]))
                bar.update(n_tokens)
    except BaseException:
        store.close()
        raise
    return FirstPass(list(provisional), counts, total, n_documents, store, continued)


class TokenStore:
    """Chunks of token ids and document lengths, in memory up to ``budget`` bytes, then on disk.

    Examples
    --------
    >>> store = TokenStore(budget=None)
    >>> store.append(np.array([1, 0], np.int32), np.array([2]))
    >>> [ids.tolist() for ids, lengths in store]
    [[1, 0]]
    >>> store.close()
    """

    def __init__(self, budget: int | None, tmp_dir=None) -> None:
        self.budget, self.tmp_dir = budget, tmp_dir
        self.held = 0
        self.chunks: list = []
        self.folder: Path | None = None

    def append(self, ids: np.ndarray, lengths: np.ndarray) -> None:
        """Keep one chunk (spilled to a file once the budget is used up)."""
        if self.budget is not None and self.held + ids.nbytes + lengths.nbytes > self.budget:
            if self.folder is None:
                self.folder = Path(tempfile.mkdtemp(prefix="glove_gensim_tokens_", dir=self.tmp_dir))
            path = self.folder / f"chunk_{len(self.chunks):06d}"
            with disk_full_explained(self.folder, ids.nbytes + lengths.nbytes,
                                     f"spilling token ids ({self.spilled} chunk(s) spilled before)", _DISK_ADVICE):
                np.save(f"{path}.ids.npy", ids)
                np.save(f"{path}.lengths.npy", lengths)
            self.chunks.append(path)
            return
        self.held += ids.nbytes + lengths.nbytes
        self.chunks.append((ids, lengths))

    def __iter__(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        for chunk in self.chunks:
            if isinstance(chunk, Path):
                yield np.load(f"{chunk}.ids.npy"), np.load(f"{chunk}.lengths.npy")
            else:
                yield chunk

    @property
    def spilled(self) -> int:
        """Chunks held on disk."""
        return sum(isinstance(c, Path) for c in self.chunks)

    def close(self) -> None:
        """Drop the chunks and remove the spill folder."""
        self.chunks, self.held = [], 0
        trim_heap()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


def log_plan(documents, n_words: int, window: int, limit: int | None, tmp_dir) -> None:
    """Log the size of the job before it starts, and warn when spill files may not fit on disk.

    Examples
    --------
    >>> log_plan([["a", "b"]], n_words=2, window=10, limit=None, tmp_dir=None)
    """
    files = getattr(documents, "files", None) or []
    corpus_bytes = sum(p.stat().st_size for p in files)
    table_bytes = (limit or 0) * _TABLE_SHARE
    logger.info("counting co-occurrences: %s, %d words, window %d, counting table capped at %s",
                f"{len(files)} file(s) of {corpus_bytes / 2**20:.1f} MB" if files else "token iterable",
                n_words, window, f"{table_bytes / 2**20:.0f} MB" if limit else "no limit")
    if files and limit:
        worst_spill = corpus_bytes * window * 4
        free = shutil.disk_usage(tmp_dir or tempfile.gettempdir()).free
        if worst_spill > free:
            logger.warning("spill files may need up to %.1f GB but %s has %.1f GB free; pass tmp_dir "
                           "(CLI: TMPDIR) on a larger disk or raise memory_limit", worst_spill / 2**30,
                           tmp_dir or tempfile.gettempdir(), free / 2**30)


class _WindowCounter:
    """One thread's counting table (the pairs of its owned right-hand ids) plus its spill shards."""

    def __init__(self, n_words: int, window: int, symmetric: bool, distance_weighting: bool,
                 memory_limit: int | None, tmp_dir, owner: int = 0, n_owners: int = 1) -> None:
        self.n_words, self.window = n_words, window
        self.symmetric = symmetric
        self.owner, self.n_owners = owner, n_owners
        self.memory_limit = memory_limit
        self.weights, self.scale = _distance_weights(window, distance_weighting)
        share = (memory_limit or 1 << 62) / n_owners
        max_slots = share * _TABLE_SHARE / _BYTES_PER_SLOT
        self.max_capacity = 1 << max(4, int(np.floor(np.log2(max(max_slots, 16)))))
        self.table = _empty_table(min(_INITIAL_CAPACITY, self.max_capacity), self.weights.dtype)
        k_dense = min(n_words, _DENSE_WORDS, int(np.sqrt((memory_limit or 1 << 62) * _DENSE_SHARE / 8)))
        self.dense = np.zeros((k_dense, len(range(owner, k_dense, n_owners))), dtype=self.weights.dtype)
        self.n_used = 0
        self.tmp_dir = tmp_dir
        self.shard_dir: Path | None = None
        self.shards: list[Path] = []

    @property
    def n_shards(self) -> int:
        return len(self.shards)

    def add(self, ids: np.ndarray, doc_starts: np.ndarray) -> None:
        doc, position = 0, 0
        n_docs = len(doc_starts) - 1
        while doc < n_docs:
            max_used = int(len(self.table) * _MAX_LOAD)
            doc, position, self.n_used = kernels.accumulate_windows(
                ids, doc_starts, doc, position, self.dense, self.table, self.n_used, max_used,
                self.n_words, self.weights, self.owner, self.n_owners)
            if doc < n_docs:
                self._make_room()

    def _make_room(self) -> None:
        if len(self.table) < self.max_capacity:
            new_table = _empty_table(2 * len(self.table), self.table.dtype)
            kernels.rehash(self.table, new_table)
            self.table = new_table
        else:
            self._spill()

    def n_entries(self) -> int:
        """Coordinates :meth:`write_entries` writes."""
        return (self.n_used + int(np.count_nonzero(self.dense))) * (2 if self.symmetric else 1)

    def write_entries(self, rows: np.ndarray, cols: np.ndarray, values: np.ndarray, start: int) -> int:
        """The table's entries (both directions when symmetric) from ``start``; returns the end."""
        return kernels.table_entries(self.table, self.dense, self.n_words, self.owner, self.n_owners,
                                     self.symmetric, rows, cols, values, start)

    def release(self) -> None:
        """Drop the table and the dense block (after their entries were written)."""
        self.table, self.dense = _empty_table(0, self.table.dtype), np.zeros((0, 0), self.dense.dtype)
        self.n_used = 0

    def _spill(self) -> None:
        table_shape, dense_shape = self.table.shape, self.dense.shape
        rows, cols, values = _gather([self])
        self.table = _empty_table(table_shape[0], self.table.dtype)
        self.dense = np.zeros(dense_shape, dtype=self.dense.dtype)
        self.spill_sorted(rows, cols, values)
        del rows, cols, values
        trim_heap()

    def spill_sorted(self, rows: np.ndarray, cols: np.ndarray, values: np.ndarray) -> None:
        """Write entries sorted by row (and summed) as one more shard."""
        if self.shard_dir is None:
            self.shard_dir = Path(tempfile.mkdtemp(prefix="glove_gensim_cooccur_", dir=self.tmp_dir))
        indptr = np.zeros(self.n_words + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=self.n_words), out=indptr[1:])
        shard = self.shard_dir / f"shard_{len(self.shards):05d}"
        with disk_full_explained(self.shard_dir, indptr.nbytes + cols.nbytes + values.nbytes,
                                 f"spilling co-occurrence shard {len(self.shards)}", _DISK_ADVICE):
            for name, array in (("indptr", indptr), ("cols", cols), ("values", values)):
                np.save(f"{shard}.{name}.npy", array)
        self.shards.append(shard)
        logger.debug("spilled %d entries to %s", len(cols), shard)

    def close(self) -> None:
        """Remove every temporary shard (also after an exception)."""
        if self.shard_dir is not None:
            shutil.rmtree(self.shard_dir, ignore_errors=True)
            self.shard_dir = None


def _gather(counters: Sequence[_WindowCounter]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The counters' entries, sorted and summed; each counter's table is released once written."""
    n = sum(c.n_entries() for c in counters)
    rows, cols = np.empty(n, dtype=np.int32), np.empty(n, dtype=np.int32)
    values = np.empty(n, dtype=counters[0].weights.dtype)
    end = 0
    for counter in counters:
        end = counter.write_entries(rows, cols, values, end)
        counter.release()
    n_words = counters[0].n_words
    return sorted_sums(rows, cols, values, n_words)


def _finish(counters: Sequence[_WindowCounter]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All counts, sorted by (row, col), in the table's units (divide by ``scale``)."""
    if not any(c.shards for c in counters):
        return _gather(counters)
    shards = _spill_all(counters)
    n_entries = sum(int(np.load(f"{shard}.indptr.npy", mmap_mode="r")[-1]) for shard in shards)
    rows_out = np.empty(n_entries, dtype=np.int32)
    cols_out = np.empty_like(rows_out)
    values_out = np.empty(n_entries, dtype=counters[0].weights.dtype)
    filled = 0
    for r, c, v in _merge_ranges(shards, counters[0].n_words, counters[0].memory_limit):
        end = filled + len(r)
        rows_out[filled:end], cols_out[filled:end], values_out[filled:end] = r, c, v
        filled = end
    return _shrink(rows_out, filled), _shrink(cols_out, filled), _shrink(values_out, filled)


def _spill_all(counters: Sequence[_WindowCounter]) -> list[Path]:
    """Spill what the tables still hold and release them; the shards of every counter."""
    for counter in counters:
        if counter.n_used or counter.dense.any():
            counter._spill()
        counter.release()
    return [s for c in counters for s in c.shards]


def _stream(counters: Sequence[_WindowCounter], extra: tuple[np.ndarray, ...], sink: Callable) -> None:
    """Spill everything (the ``extra`` entries, boundary pairs, as one more shard) and hand the
    merged row ranges to ``sink``."""
    rows, cols, values = extra
    if len(rows):
        counters[0].spill_sorted(*sorted_sums(rows, cols, values, counters[0].n_words))
    for merged in _merge_ranges(_spill_all(counters), counters[0].n_words, counters[0].memory_limit):
        sink(*merged)


def _merge_ranges(shards: Sequence[Path], n_words: int,
                  memory_limit: int | None) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Sum the shards row range by row range: yields each range's ``(rows, cols, values)``.

    Each range holds at most a share of ``memory_limit`` of partial entries; its slice of each
    shard is read explicitly from a memory map opened and closed in turn (its pages released),
    so one shard file is open at a time however many there are (Stanford's ``cooccur`` opens all
    of them at once and fails past the open-files limit).
    """
    row_sizes = np.zeros(n_words, dtype=np.int64)
    for shard in shards:
        row_sizes += np.diff(np.load(f"{shard}.indptr.npy"))
    budget = max(int((memory_limit or 1 << 30) * _MERGE_SHARE / _MERGE_BYTES_PER_ENTRY), _MIN_MERGE_ENTRIES)
    bounds = [0]
    cumulative = np.cumsum(row_sizes)
    while bounds[-1] < n_words:
        reached = cumulative[bounds[-1] - 1] if bounds[-1] else 0
        stop = int(np.searchsorted(cumulative, reached + budget, side="right"))
        bounds.append(min(max(stop, bounds[-1] + 1), n_words))
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        rows, cols, values = [], [], []
        for shard in shards:
            indptr = np.load(f"{shard}.indptr.npy", mmap_mode="r")
            start, stop = int(indptr[lo]), int(indptr[hi])
            rows.append(np.repeat(np.arange(hi - lo, dtype=np.int32), np.diff(indptr[lo:hi + 1])))
            for name, parts in (("cols", cols), ("values", values)):
                mapped = np.load(f"{shard}.{name}.npy", mmap_mode="r")
                parts.append(np.array(mapped[start:stop]))
                release_pages(mapped)
                del mapped
            del indptr
        r, c, v = sorted_sums(np.concatenate(rows), np.concatenate(cols), np.concatenate(values), hi - lo)
        r += lo
        yield r, c, v


def _empty_table(capacity: int, dtype) -> np.ndarray:
    table = np.zeros((capacity, 2), dtype=dtype)
    table[:, 0] = kernels.EMPTY
    return table


def _distance_weights(window: int, distance_weighting: bool) -> tuple[np.ndarray, int]:
    """Per-distance increments ``weights[d]`` and the scale that turns sums back into counts."""
    if not distance_weighting:
        return np.ones(window + 1, dtype=np.int64), 1
    if window <= _EXACT_MAX_WINDOW:
        scale = math.lcm(*range(1, window + 1))
        weights = np.array([0] + [scale // d for d in range(1, window + 1)], dtype=np.int64)
        return weights, scale
    return np.array([0.0] + [1.0 / d for d in range(1, window + 1)]), 1
