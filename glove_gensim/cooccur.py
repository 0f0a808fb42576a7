"""Sparse co-occurrence counts X_ij, exactly as Stanford GloVe's ``cooccur`` defines them.

* Out-of-vocabulary tokens are dropped *before* windowing: distances count in-vocabulary tokens.
* A pair at distance ``d`` adds ``1/d`` (``distance_weighting=False``: 1).
* ``X[left, right]`` counts ``left`` appearing up to ``window`` tokens before ``right``;
  ``symmetric=True`` also counts the other direction (``X = A + A^T``).
* Windows never cross a document.

Sums are exact: with ``1/d`` weighting and ``window <= 20`` the table holds integers in units of
``1/lcm(1..window)``, so the result does not depend on chunking or spilling (and equals
Stanford's float sums to ~1e-15 relative). Wider windows accumulate in float64.

Counting runs chunk by chunk through a compiled open-addressing table (never a dense V x V
array, never a Python loop per token). When the table would outgrow ``memory_limit``, its
partial counts are symmetrised, sorted and spilled to a temporary shard; shards are merged at
the end by row ranges, a bounded slice of each at a time.
"""
from __future__ import annotations

import logging
import math
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import scipy.sparse as sp

from glove_gensim import _cooccur_kernels as kernels
from glove_gensim.pieces import BoundaryPairs, add_sorted, continuation_flags
from glove_gensim.files import CorruptFileError, atomic_write, load_arrays, save_arrays
from glove_gensim.progress import progress_bar
from glove_gensim.vocab import Vocabulary

logger = logging.getLogger(__name__)

_FORMAT = "glove_gensim.cooccurrence"
_VERSION = 1
STANFORD_RECORD = np.dtype([("word1", "<i4"), ("word2", "<i4"), ("value", "<f8")])
_CHUNK_TOKENS = 1 << 20
_INITIAL_CAPACITY = 1 << 20
_MAX_LOAD = 0.5
_BYTES_PER_SLOT = 16
_TABLE_SHARE = 0.125
_EXACT_MAX_WINDOW = 20
_DENSE_WORDS = 2048
_MERGE_SHARE = 0.25
_MERGE_BYTES_PER_ENTRY = 64
_MIN_MERGE_ENTRIES = 1 << 16
_DENSE_SHARE = 0.1
_UNITS = {"": 1, "B": 1, "K": 1 << 10, "KB": 1 << 10, "M": 1 << 20, "MB": 1 << 20,
          "G": 1 << 30, "GB": 1 << 30, "T": 1 << 40, "TB": 1 << 40}
DEFAULT_MEMORY_LIMIT = "2GB"


def parse_memory(limit: int | str | None) -> int | None:
    """Bytes in ``limit``: an int, or a string such as ``"256MB"``, ``"2GB"``, ``"1.5G"``.

    Examples
    --------
    >>> parse_memory("256MB")
    268435456
    """
    if limit is None:
        return None
    if isinstance(limit, (int, np.integer)) and not isinstance(limit, bool):
        value = int(limit)
    else:
        match = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*([KMGT]?B?)\s*", str(limit), re.IGNORECASE)
        if match is None:
            raise ValueError(f"memory limit {limit!r} is not a size such as 268435456, '256MB' or '2GB'")
        value = int(float(match.group(1)) * _UNITS[match.group(2).upper()])
    if value < 1 << 16:
        raise ValueError(f"memory limit {limit!r} is below 64KB, too small to count anything")
    return value


@dataclass(eq=False)
class Cooccurrence:
    """Sparse co-occurrence counts in coordinate form, sorted by (row, col).

    Attributes
    ----------
    rows, cols : int32 [nnz]
        Word indices in ``vocabulary`` order (0-based).
    values : float64 [nnz]
        Accumulated (weighted) counts; :meth:`values_float32` for training.
    vocabulary : Vocabulary
    window : int
    symmetric : bool
    distance_weighting : bool
    source : dict
        Where the counts came from (corpus files, settings), recorded when cached.

    Examples
    --------
    >>> import tempfile
    >>> X = Cooccurrence([0, 1], [1, 0], [2.0, 2.0], Vocabulary(["a", "b"], [2, 1]), window=2)
    >>> X.nnz, X.to_scipy().toarray().tolist()
    (2, [[0.0, 2.0], [2.0, 0.0]])
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     again = Cooccurrence.load(X.save(Path(folder) / "cooc.npz"))
    >>> again.values.tolist(), again.vocabulary.words, again.settings()["window"]
    ([2.0, 2.0], ['a', 'b'], 2)
    """

    rows: np.ndarray
    cols: np.ndarray
    values: np.ndarray
    vocabulary: Vocabulary
    window: int = 10
    symmetric: bool = True
    distance_weighting: bool = True
    source: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rows = np.asarray(self.rows, dtype=np.int32)
        self.cols = np.asarray(self.cols, dtype=np.int32)
        self.values = np.asarray(self.values, dtype=np.float64)
        if not (self.rows.shape == self.cols.shape == self.values.shape) or self.rows.ndim != 1:
            raise ValueError("rows, cols and values must be 1-D arrays of the same length")
        n_words = len(self.vocabulary)
        if self.nnz and (min(self.rows.min(), self.cols.min()) < 0
                         or max(self.rows.max(), self.cols.max()) >= n_words):
            raise ValueError(f"co-occurrence ids fall outside the vocabulary of {n_words} words")

    @property
    def nnz(self) -> int:
        """Number of stored (non-zero) entries."""
        return int(self.values.shape[0])

    def values_float32(self) -> np.ndarray:
        """The counts as float32, the precision used for training."""
        return self.values.astype(np.float32)

    def to_scipy(self) -> sp.csr_matrix:
        """The counts as a ``[V, V]`` scipy CSR matrix (float64)."""
        n = len(self.vocabulary)
        return sp.csr_matrix((self.values, (self.rows, self.cols)), shape=(n, n))

    def settings(self) -> dict:
        """Counting settings, as stored in files and fingerprints."""
        return {"window": int(self.window), "symmetric": bool(self.symmetric),
                "distance_weighting": bool(self.distance_weighting)}

    def save(self, path: str | os.PathLike) -> Path:
        """Write our checksummed ``.npz`` (or Stanford's layout when the name ends in ``.bin``)."""
        if str(path).endswith(".bin"):
            return self.save_stanford(path)
        return save_arrays(path, _FORMAT, _VERSION,
                           {"rows": self.rows, "cols": self.cols, "values": self.values,
                            **self.vocabulary.to_arrays(prefix="vocab_")},
                           {**self.settings(), "total_tokens": int(self.vocabulary.total_tokens),
                            "source": self.source})

    @classmethod
    def load(cls, path: str | os.PathLike) -> "Cooccurrence":
        """Read a file written by :meth:`save` (refuses corrupt or foreign files)."""
        arrays, meta = load_arrays(path, _FORMAT, _VERSION)
        try:
            vocabulary = Vocabulary.from_arrays(arrays, prefix="vocab_", total_tokens=meta.get("total_tokens", 0))
            return cls(arrays["rows"], arrays["cols"], arrays["values"], vocabulary,
                       window=meta["window"], symmetric=meta["symmetric"],
                       distance_weighting=meta["distance_weighting"], source=meta.get("source", {}))
        except (KeyError, ValueError) as exc:
            raise CorruptFileError(f"{path} holds inconsistent co-occurrence data: {exc}") from exc

    def save_stanford(self, path: str | os.PathLike) -> Path:
        """Write Stanford's ``cooccurrence.bin``: little-endian records (int32 word1, int32 word2,
        float64 value), ids 1-based positions in the vocabulary, sorted by (word1, word2)."""
        step = 1 << 20
        with atomic_write(path, "wb") as handle:
            for start in range(0, self.nnz, step):
                records = np.empty(min(step, self.nnz - start), dtype=STANFORD_RECORD)
                records["word1"] = self.rows[start:start + step] + 1
                records["word2"] = self.cols[start:start + step] + 1
                records["value"] = self.values[start:start + step]
                handle.write(records.tobytes())
        return Path(path)

    @classmethod
    def load_stanford(cls, path: str | os.PathLike, vocabulary: Vocabulary, window: int = 10,
                      symmetric: bool = True, distance_weighting: bool = True) -> "Cooccurrence":
        """Read Stanford's ``cooccurrence.bin`` with the vocabulary its ids refer to.

        Records are summed per (word1, word2) and sorted, as Stanford's own merge does.

        Raises
        ------
        FileNotFoundError, ValueError
            Missing file, a size that is not a whole number of 16-byte records, ids outside
            the vocabulary.
        """
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"co-occurrence file {path} does not exist")
        size = path.stat().st_size
        if size == 0:
            raise ValueError(f"{path} is empty: no co-occurrence records")
        if size % STANFORD_RECORD.itemsize:
            raise ValueError(f"{path} is {size} bytes, not a whole number of 16-byte "
                             "(int32, int32, float64) records: truncated or not a cooccurrence.bin")
        records = np.fromfile(path, dtype=STANFORD_RECORD)
        rows = records["word1"].astype(np.int64) - 1
        cols = records["word2"].astype(np.int64) - 1
        n = len(vocabulary)
        if len(records) and (min(rows.min(), cols.min()) < 0 or max(rows.max(), cols.max()) >= n):
            raise ValueError(f"{path} has word ids outside 1..{n}: is it counted with this vocabulary?")
        matrix = _canonical_csr(rows, cols, records["value"], (n, n))
        rows, cols, values = _csr_to_coo(matrix)
        return cls(rows, cols, values, vocabulary, window, symmetric, distance_weighting)


def count_cooccurrences(documents: Iterable[Sequence[str]], vocabulary: Vocabulary, window: int = 10,
                        symmetric: bool = True, distance_weighting: bool = True,
                        memory_limit: int | str | None = DEFAULT_MEMORY_LIMIT,
                        tmp_dir: str | os.PathLike | None = None, progress: bool = False,
                        chunk_tokens: int = _CHUNK_TOKENS, backend: str = "local", client=None,
                        workers: int | None = None) -> Cooccurrence:
    """Count weighted word-word co-occurrences of ``documents`` over ``vocabulary``.

    Parameters
    ----------
    documents : iterable of list of str
        Usually a :class:`glove_gensim.corpus.Corpus`; each item is a document.
    vocabulary : Vocabulary
        Words counted (others are dropped before windowing).
    window : int
        Context words on each side (``symmetric``) or on the left.
    symmetric : bool
        Count left and right contexts (Stanford's ``-symmetric 1``).
    distance_weighting : bool
        A pair at distance ``d`` adds ``1/d`` (else 1).
    memory_limit : int or str, optional
        Bound on the counting table, e.g. ``"256MB"``; above it partial counts spill to sorted
        temporary shards that are merged at the end. ``None``: no limit.
    tmp_dir : path, optional
        Where shards go (default: the system temporary folder). Always removed afterwards.
    progress : bool
        tqdm bar (tokens/s) on stderr.
    chunk_tokens : int
        Tokens handed to the compiled kernel at a time.
    backend : {"local", "dask"}
        ``"dask"``: count partitions of a file corpus (whole files, or byte ranges cut at document
        boundaries) in Dask tasks, each bounded by ``memory_limit``, and sum them exactly; same
        result as ``"local"`` (see :mod:`glove_gensim.distributed`).
    client : dask.distributed.Client, optional
        With ``backend="dask"``; ``None`` starts a LocalCluster of ``workers`` processes.
    workers : int, optional
        Worker processes of that LocalCluster (default: CPU count).

    Returns
    -------
    Cooccurrence

    Examples
    --------
    >>> vocab = Vocabulary(["a", "b"], [2, 1])
    >>> X = count_cooccurrences([["a", "b", "a"]], vocab, window=2)
    >>> X.to_scipy().toarray()
    array([[1., 2.],
           [2., 0.]])
    """
    if isinstance(window, bool) or not isinstance(window, (int, np.integer)) or window < 1:
        raise ValueError(f"window must be an integer >= 1, not {window!r}")
    if not isinstance(vocabulary, Vocabulary) or len(vocabulary) == 0:
        raise ValueError("vocabulary must be a non-empty Vocabulary (see Vocabulary.build)")
    limit = parse_memory(memory_limit)
    if backend == "dask":
        from glove_gensim.distributed import count_cooccurrences as count_distributed

        return count_distributed(documents, vocabulary, int(window), symmetric, distance_weighting, limit,
                                 tmp_dir, chunk_tokens, client=client, workers=workers)
    if backend != "local":
        raise ValueError(f"backend must be 'local' or 'dask', not {backend!r}")
    _log_plan(documents, vocabulary, int(window), limit, tmp_dir)
    partial = count_partial(documents, vocabulary, int(window), symmetric, distance_weighting, limit,
                            tmp_dir, progress, chunk_tokens)
    if partial.n_documents == 0:
        raise ValueError(f"{getattr(documents, 'description', 'the corpus')} holds no documents")
    result = partial.to_cooccurrence(vocabulary, symmetric, distance_weighting)
    logger.info("counted %d non-zero co-occurrences over %d words (window %d, %s), %d spill shard(s)",
                result.nnz, len(vocabulary), window, "symmetric" if symmetric else "left context",
                partial.n_shards)
    return result


@dataclass
class PartialCounts:
    """Counts of part of a corpus in exact units: ``values / scale`` are the weighted counts.

    Integer units (``scale = lcm(1..window)``) make sums of partial counts exact in any order,
    which is what lets counting be split over processes or machines and merged.

    Examples
    --------
    >>> vocab = Vocabulary(["a", "b"], [2, 1])
    >>> part = count_partial([["a", "b", "a"]], vocab, window=2, symmetric=True,
    ...                      distance_weighting=True, memory_limit=None)
    >>> part.scale, part.values.tolist()  # units of 1/2: X[a, a] = 1, X[a, b] = X[b, a] = 2
    (2, [2, 4, 4])
    >>> (part + part).to_cooccurrence(vocab, symmetric=True, distance_weighting=True).values.tolist()
    [2.0, 4.0, 4.0]
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
        matrix = _canonical_csr(np.concatenate([self.rows, other.rows]), np.concatenate([self.cols, other.cols]),
                                np.concatenate([self.values, other.values]), (n, n))
        rows, cols, values = _csr_to_coo(matrix)
        return PartialCounts(rows, cols, values, self.scale, self.window,
                             self.n_documents + other.n_documents, self.n_shards + other.n_shards)

    def to_cooccurrence(self, vocabulary: Vocabulary, symmetric: bool, distance_weighting: bool) -> Cooccurrence:
        values = self.values / self.scale if self.scale != 1 else self.values.astype(np.float64)
        return Cooccurrence(self.rows, self.cols, values, vocabulary, self.window, bool(symmetric),
                            bool(distance_weighting))


def count_partial(documents: Iterable[Sequence[str]], vocabulary: Vocabulary, window: int, symmetric: bool,
                  distance_weighting: bool, memory_limit: int | None, tmp_dir=None, progress: bool = False,
                  chunk_tokens: int = _CHUNK_TOKENS) -> PartialCounts:
    """Count ``documents`` into :class:`PartialCounts` (the work of one process; no validation).

    Examples
    --------
    >>> vocab = Vocabulary(["a", "b"], [2, 1])
    >>> part = count_partial([["a", "b", "a"], ["b", "a"]], vocab, window=2, symmetric=False,
    ...                      distance_weighting=False, memory_limit=parse_memory("1MB"))
    >>> part.rows.tolist(), part.cols.tolist(), part.values.tolist(), part.n_documents
    ([0, 0, 1], [0, 1, 0], [1, 1, 2], 2)
    """
    counter = _WindowCounter(len(vocabulary), window, symmetric, distance_weighting, memory_limit, tmp_dir)
    boundary = BoundaryPairs(window, counter.weights, symmetric)  # windows across document pieces
    n_documents = 0
    try:
        with progress_bar(progress, "co-occurrence") as bar:
            for chunk in _chunks(documents, chunk_tokens):
                flags = continuation_flags(chunk)
                n_documents += len(chunk) - int(flags.sum())
                ids, doc_starts = vocabulary.encode(chunk)
                counter.add(ids, doc_starts)
                boundary.add(ids, doc_starts, flags)
                bar.update(sum(map(len, chunk)))
        rows, cols, values = counter.finish()
    finally:
        counter.close()
    rows, cols, values = add_sorted(rows, cols, values, *boundary.arrays(), len(vocabulary))
    return PartialCounts(rows, cols, values, counter.scale, window, n_documents, counter.n_shards)


def _log_plan(documents, vocabulary: Vocabulary, window: int, limit: int | None, tmp_dir) -> None:
    """Log the size of the job before it starts, and warn when spill files may not fit on disk."""
    files = getattr(documents, "files", None) or []
    corpus_bytes = sum(p.stat().st_size for p in files)
    table_bytes = (limit or 0) * _TABLE_SHARE
    logger.info("counting co-occurrences: %s, %d words, window %d, counting table capped at %s",
                f"{len(files)} file(s) of {corpus_bytes / 2**20:.1f} MB" if files else "token iterable",
                len(vocabulary), window, f"{table_bytes / 2**20:.0f} MB" if limit else "no limit")
    if files and limit:
        worst_spill = corpus_bytes * window * 4
        free = shutil.disk_usage(tmp_dir or tempfile.gettempdir()).free
        if worst_spill > free:
            logger.warning("spill files may need up to %.1f GB but %s has %.1f GB free; pass tmp_dir "
                           "(CLI: TMPDIR) on a larger disk or raise memory_limit", worst_spill / 2**30,
                           tmp_dir or tempfile.gettempdir(), free / 2**30)


def _chunks(documents: Iterable[Sequence[str]], chunk_tokens: int):
    """Group documents into lists holding about ``chunk_tokens`` tokens."""
    chunk, size = [], 0
    for document in documents:
        chunk.append(document)
        size += len(document)
        if size >= chunk_tokens:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


class _WindowCounter:
    """The counting table plus its spill shards; owns a temporary folder until :meth:`close`."""

    def __init__(self, n_words: int, window: int, symmetric: bool, distance_weighting: bool,
                 memory_limit: int | None, tmp_dir) -> None:
        self.n_words, self.window = n_words, window
        self.symmetric, self.distance_weighting = symmetric, distance_weighting
        self.memory_limit = memory_limit
        self.weights, self.scale = _distance_weights(window, distance_weighting)
        max_slots = memory_limit * _TABLE_SHARE / _BYTES_PER_SLOT if memory_limit else 1 << 62
        self.max_capacity = 1 << max(4, int(np.floor(np.log2(max(max_slots, 16)))))
        capacity = min(_INITIAL_CAPACITY, self.max_capacity)
        self.table = _empty_table(capacity, self.weights.dtype)
        k_dense = min(n_words, _DENSE_WORDS, int(np.sqrt((memory_limit or 1 << 62) * _DENSE_SHARE / 8)))
        self.dense = np.zeros((k_dense, k_dense), dtype=self.weights.dtype)
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
                self.n_words, self.weights)
            if doc < n_docs:
                self._make_room()

    def _make_room(self) -> None:
        if len(self.table) < self.max_capacity:
            new_table = _empty_table(2 * len(self.table), self.table.dtype)
            kernels.rehash(self.table, new_table)
            self.table = new_table
        else:
            self._spill()

    def _table_csr(self) -> sp.csr_matrix:
        occupied = self.table[:, 0] != kernels.EMPTY
        keys = self.table[occupied, 0].astype(np.int64)
        dense_rows, dense_cols = np.nonzero(self.dense)
        matrix = _canonical_csr(np.concatenate([dense_rows, keys // self.n_words]),
                                np.concatenate([dense_cols, keys % self.n_words]),
                                np.concatenate([self.dense[dense_rows, dense_cols], self.table[occupied, 1]]),
                                (self.n_words, self.n_words))
        if self.symmetric:
            matrix = (matrix + matrix.T).tocsr()
            matrix.sort_indices()
        return matrix

    def _spill(self) -> None:
        if self.shard_dir is None:
            self.shard_dir = Path(tempfile.mkdtemp(prefix="glove_gensim_cooccur_", dir=self.tmp_dir))
        matrix = self._table_csr()
        shard = self.shard_dir / f"shard_{len(self.shards):05d}"
        for name, array in (("indptr", matrix.indptr.astype(np.int64)),
                            ("cols", matrix.indices.astype(np.int32)), ("values", matrix.data)):
            np.save(f"{shard}.{name}.npy", array)
        self.shards.append(shard)
        logger.debug("spilled %d entries to %s", matrix.nnz, shard)
        self.table[:, 0] = kernels.EMPTY
        self.table[:, 1] = 0
        self.dense.fill(0)
        self.n_used = 0

    def finish(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """All counts, sorted by (row, col), in the table's units (divide by ``scale``)."""
        if not self.shards:
            rows, cols, values = _csr_to_coo(self._table_csr())
        else:
            if self.n_used or self.dense.any():
                self._spill()
            self.table, self.dense = np.empty((0, 2)), np.empty((0, 0))
            rows, cols, values = self._merge_shards()
        return rows, cols, values

    def _merge_shards(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Sum the shards row range by row range.

        Each range holds at most a share of ``memory_limit`` of partial entries; its slice of each
        shard is read through a memory map opened and closed in turn, so one shard file is open
        at a time however many there are (Stanford's ``cooccur`` opens all of them at once and
        fails past the open-files limit).
        """
        row_sizes = np.zeros(self.n_words, dtype=np.int64)
        for shard in self.shards:
            row_sizes += np.diff(np.load(f"{shard}.indptr.npy"))
        budget = max(int((self.memory_limit or 1 << 30) * _MERGE_SHARE / _MERGE_BYTES_PER_ENTRY),
                     _MIN_MERGE_ENTRIES)
        bounds = [0]
        cumulative = np.cumsum(row_sizes)
        while bounds[-1] < self.n_words:
            reached = cumulative[bounds[-1] - 1] if bounds[-1] else 0
            stop = int(np.searchsorted(cumulative, reached + budget, side="right"))
            bounds.append(min(max(stop, bounds[-1] + 1), self.n_words))
        rows_out = np.empty(int(cumulative[-1]), dtype=np.int32)
        cols_out = np.empty_like(rows_out)
        values_out = np.empty(len(rows_out), dtype=self.weights.dtype)
        filled = 0
        for lo, hi in zip(bounds[:-1], bounds[1:]):
            rows, cols, values = [], [], []
            for shard in self.shards:
                indptr = np.load(f"{shard}.indptr.npy", mmap_mode="r")
                start, stop = int(indptr[lo]), int(indptr[hi])
                rows.append(np.repeat(np.arange(lo, hi), np.diff(indptr[lo:hi + 1])))
                cols.append(np.array(np.load(f"{shard}.cols.npy", mmap_mode="r")[start:stop]))
                values.append(np.array(np.load(f"{shard}.values.npy", mmap_mode="r")[start:stop]))
                del indptr
            matrix = _canonical_csr(np.concatenate(rows) - lo, np.concatenate(cols), np.concatenate(values),
                                    (hi - lo, self.n_words))
            r, c, v = _csr_to_coo(matrix)
            end = filled + len(r)
            rows_out[filled:end], cols_out[filled:end], values_out[filled:end] = r + lo, c, v
            filled = end
        for array in (rows_out, cols_out, values_out):
            array.resize(filled, refcheck=False)
        return rows_out, cols_out, values_out

    def close(self) -> None:
        """Remove every temporary shard (also after an exception)."""
        if self.shard_dir is not None:
            shutil.rmtree(self.shard_dir, ignore_errors=True)
            self.shard_dir = None


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


def _canonical_csr(rows, cols, values, shape) -> sp.csr_matrix:
    """CSR with duplicates summed and column indices sorted."""
    matrix = sp.coo_matrix((values, (rows, cols)), shape=shape).tocsr()
    matrix.sum_duplicates()
    matrix.sort_indices()
    return matrix


def _csr_to_coo(matrix: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rows = np.repeat(np.arange(matrix.shape[0], dtype=np.int32), np.diff(matrix.indptr))
    return rows, matrix.indices.astype(np.int32), matrix.data
