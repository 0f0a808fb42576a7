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

import contextlib
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, NamedTuple, Sequence

import numpy as np

from glove_gensim.counting import (CHUNK_TOKENS, DEFAULT_MEMORY_LIMIT, READ_TOKENS, PartialCounts,
                                   count_id_chunks, count_partial, count_scale, counting_budget,
                                   drop_out_of_vocabulary, first_pass, log_plan, parse_memory, sorted_sums)
from glove_gensim.files import (CorruptFileError, atomic_write, cleanup_section, disk_full_explained, load_arrays,
                                save_arrays)
from glove_gensim.memory import chunk_slices, release_pages
from glove_gensim.validation import check_int
from glove_gensim.vocab import Vocabulary, log_collected

if TYPE_CHECKING:
    import scipy.sparse as sp

logger = logging.getLogger(__name__)

_FORMAT = "glove_gensim.cooccurrence"
_VERSION = 1
STANFORD_RECORD = np.dtype([("word1", "<i4"), ("word2", "<i4"), ("value", "<f8")])
_STAGED = {"rows": np.dtype(np.int32), "cols": np.dtype(np.int32), "values": np.dtype(np.float64)}
_STAGED_BYTES = sum(dtype.itemsize for dtype in _STAGED.values())
_CHECK_STEP = 1 << 20
__all__ = ["Cooccurrence", "CountsFile", "count_cooccurrences", "count_corpus", "count_to_file", "parse_memory",
           "DEFAULT_MEMORY_LIMIT", "STANFORD_RECORD"]


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
        self.rows = np.asanyarray(self.rows, dtype=np.int32)
        self.cols = np.asanyarray(self.cols, dtype=np.int32)
        self.values = np.asanyarray(self.values, dtype=np.float64)
        if not (self.rows.shape == self.cols.shape == self.values.shape) or self.rows.ndim != 1:
            raise ValueError("rows, cols and values must be 1-D arrays of the same length")
        n_words = len(self.vocabulary)
        for ids in (self.rows, self.cols):
            for part in chunk_slices(self.nnz, _CHECK_STEP):
                if ids[part].min() < 0 or ids[part].max() >= n_words:
                    raise ValueError(f"co-occurrence ids fall outside the vocabulary of {n_words} words")
                release_pages(ids)

    @property
    def nnz(self) -> int:
        """Number of stored (non-zero) entries."""
        return int(self.values.shape[0])

    def values_float32(self) -> np.ndarray:
        """The counts as float32, the precision used for training."""
        return self.values.astype(np.float32)

    def to_scipy(self) -> sp.csr_matrix:
        """The counts as a ``[V, V]`` scipy CSR matrix (float64)."""
        import scipy.sparse as sp

        n = len(self.vocabulary)
        return sp.csr_matrix((self.values, (self.rows, self.cols)), shape=(n, n))

    @classmethod
    def from_partial(cls, partial: PartialCounts, vocabulary: Vocabulary, symmetric: bool = True,
                     distance_weighting: bool = True) -> "Cooccurrence":
        """The counts of :class:`~glove_gensim.counting.PartialCounts` over ``vocabulary``."""
        return cls(partial.rows, partial.cols, partial.weighted_values(), vocabulary, partial.window,
                   bool(symmetric), bool(distance_weighting))

    def settings(self) -> dict:
        """Counting settings, as stored in files and fingerprints."""
        return {"window": int(self.window), "symmetric": bool(self.symmetric),
                "distance_weighting": bool(self.distance_weighting)}

    def save(self, path: str | os.PathLike) -> Path:
        """Write our checksummed ``.npz`` (or Stanford's layout when the name ends in ``.bin``)."""
        if str(path).endswith(".bin"):
            return self.save_stanford(path)
        return _save_npz(path, self.rows, self.cols, self.values, self.vocabulary, self.settings(), self.source)

    @classmethod
    def load(cls, path: str | os.PathLike, mmap: bool = False) -> "Cooccurrence":
        """Read a file written by :meth:`save` (refuses corrupt or foreign files).

        ``mmap=True``: ``rows``, ``cols`` and ``values`` are read-only memory maps of the file
        instead of arrays in memory (checked a slice at a time, their pages handed back), for
        training that streams them (:mod:`glove_gensim.blocks`).
        """
        arrays, meta = load_arrays(path, _FORMAT, _VERSION, mmap=mmap)
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
        with atomic_write(path, "wb") as handle:
            _write_stanford(handle, self.rows, self.cols, self.values)
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
        rows, cols, values = sorted_sums(rows, cols, records["value"].copy(), n)
        return cls(rows, cols, values, vocabulary, window, symmetric, distance_weighting)




def _save_npz(path, rows, cols, values, vocabulary: Vocabulary, settings: dict, source: dict) -> Path:
    return save_arrays(path, _FORMAT, _VERSION,
                       {"rows": rows, "cols": cols, "values": values, **vocabulary.to_arrays(prefix="vocab_")},
                       {**settings, "total_tokens": int(vocabulary.total_tokens), "source": source})


def _write_stanford(handle, rows: np.ndarray, cols: np.ndarray, values: np.ndarray) -> None:
    """Append Stanford records (1-based ids) to ``handle``, a slice at a time."""
    for part in chunk_slices(len(rows), _CHECK_STEP):
        records = np.empty(part.stop - part.start, dtype=STANFORD_RECORD)
        records["word1"] = rows[part] + 1
        records["word2"] = cols[part] + 1
        records["value"] = values[part]
        handle.write(records.tobytes())


class CountsFile(NamedTuple):
    """What :func:`count_to_file` wrote.

    Examples
    --------
    >>> CountsFile(Path("counts.npz"), 3, Vocabulary(["a"], [1])).nnz
    3
    """

    path: Path
    nnz: int
    vocabulary: Vocabulary


class _CountsWriter:
    """A sink for :func:`glove_gensim.counting.count_id_chunks`: merged row ranges written as they
    come, to Stanford's ``.bin`` directly, or to raw staging files that become our ``.npz``."""

    def __init__(self, path: Path, scale: int, tmp_dir) -> None:
        self.path, self.scale, self.nnz = path, scale, 0
        self._stack = contextlib.ExitStack()
        self._stanford = str(path).endswith(".bin")
        if self._stanford:
            self._handle = self._stack.enter_context(atomic_write(path, "wb"))
        else:
            self._folder = Path(tempfile.mkdtemp(prefix="glove_gensim_counts_", dir=tmp_dir))
            self._stack.callback(shutil.rmtree, self._folder, True)
            self._files = {name: self._stack.enter_context(open(self._folder / name, "wb")) for name in _STAGED}

    def __call__(self, rows: np.ndarray, cols: np.ndarray, values: np.ndarray) -> None:
        weighted = values / self.scale if self.scale != 1 else values.astype(np.float64, copy=False)
        folder = self.path.parent if self._stanford else self._folder
        with disk_full_explained(folder, len(rows) * _STAGED_BYTES, "writing merged counts",
                                 "the temporary files are removed and the destination is left as it was; "
                                 "point TMPDIR (tmp_dir) or the output at a disk with more room"):
            if self._stanford:
                _write_stanford(self._handle, rows, cols, weighted)
            else:
                for name, array in zip(_STAGED, (rows, cols, weighted)):
                    self._files[name].write(np.ascontiguousarray(array, _STAGED[name]).data)
        self.nnz += len(rows)

    def finish(self, vocabulary: Vocabulary, settings: dict, source: dict) -> None:
        """Write the file (our ``.npz``: the staged arrays read back a slice at a time), then
        remove the staging files (``.bin``: move the written file into place)."""
        if not self._stanford:
            for handle in self._files.values():
                handle.close()
            staged = {name: np.memmap(self._folder / name, dtype=dtype, mode="r") if self.nnz
                      else np.zeros(0, dtype) for name, dtype in _STAGED.items()}
            _save_npz(self.path, staged["rows"], staged["cols"], staged["values"], vocabulary, settings, source)
            del staged
        with cleanup_section():
            self._stack.close()

    def abort(self, exc: BaseException) -> None:
        """After ``exc``: remove every temporary file (the destination is left as it was)."""
        with cleanup_section(), contextlib.suppress(BaseException):
            self._stack.__exit__(type(exc), exc, exc.__traceback__)


def count_cooccurrences(documents: Iterable[Sequence[str]], vocabulary: Vocabulary, window: int = 10,
                        symmetric: bool = True, distance_weighting: bool = True,
                        memory_limit: int | str | None = DEFAULT_MEMORY_LIMIT,
                        tmp_dir: str | os.PathLike | None = None, progress: bool = False,
                        chunk_tokens: int = CHUNK_TOKENS, backend: str = "local", client=None,
                        workers: int | None = None, threads: int | None = None) -> Cooccurrence:
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
        Bound on the peak memory (RSS) of the whole process, e.g. ``"256MB"``: what the process
        holds when counting starts (interpreter, libraries, the caller's data) is measured and the
        rest shared among the counting tables, the token store and the merge; above their shares
        partial counts spill to sorted temporary shards that are merged at the end. A limit that
        leaves less than 32 MB above that baseline is refused (``ValueError`` naming the
        baseline), except the default ``"2GB"``, which then only caps the counting's own memory,
        with a warning.
        The counts returned need 16 bytes per non-zero on top: :func:`count_to_file` writes them
        as they are merged instead. ``None``: no limit. The counts do not depend on it.
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
    threads : int, optional
        Counting threads of the local backend (default: the usable CPUs, at most 8); the
        result does not depend on it.

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
    window, limit, threads = _check_counting(window, memory_limit, threads, chunk_tokens)
    if not isinstance(vocabulary, Vocabulary) or len(vocabulary) == 0:
        raise ValueError("vocabulary must be a non-empty Vocabulary (see Vocabulary.build)")
    if backend == "dask":
        from glove_gensim.distributed import count_pairs

        partial = count_pairs(documents, vocabulary, window, symmetric, distance_weighting, limit, tmp_dir,
                              chunk_tokens, client=client, workers=workers)
        where = "Dask tasks"
    elif backend == "local":
        budget = counting_budget(limit, lenient=memory_limit == DEFAULT_MEMORY_LIMIT)
        log_plan(documents, len(vocabulary), window, budget, tmp_dir)
        partial = count_partial(documents, vocabulary, window, symmetric, distance_weighting, budget,
                                tmp_dir, progress, chunk_tokens, threads)
        where = "this process"
    else:
        raise ValueError(f"backend must be 'local' or 'dask', not {backend!r}")
    if partial.n_documents == 0:
        raise ValueError(f"{getattr(documents, 'description', 'the corpus')} holds no documents")
    return _finish(partial, vocabulary, symmetric, distance_weighting, where)


def count_corpus(documents: Iterable[Sequence[str]], min_count: int = 5, max_final_vocab: int | None = None,
                 window: int = 10, symmetric: bool = True, distance_weighting: bool = True,
                 memory_limit: int | str | None = DEFAULT_MEMORY_LIMIT,
                 tmp_dir: str | os.PathLike | None = None, progress: bool = False,
                 chunk_tokens: int = READ_TOKENS, threads: int | None = None) -> Cooccurrence:
    """The vocabulary and the co-occurrences of ``documents`` from one reading of the corpus.

    Equal to ``count_cooccurrences(documents, Vocabulary.build(documents, min_count,
    max_final_vocab=max_final_vocab), ...)`` (same words, order, counts and arrays), but each
    document is read and tokenized once: tokens are kept as provisional ids in order of first
    appearance (spilled to a temporary file beyond a quarter of ``memory_limit``), the
    vocabulary is chosen from their counts, and the ids are remapped for counting. Documents are
    read ``chunk_tokens`` at a time (small, so that few token strings are alive at once). Other
    parameters as :meth:`Vocabulary.build` and :func:`count_cooccurrences`.

    Examples
    --------
    >>> X = count_corpus([["a", "b", "a"], ["b", "c"]], min_count=2, window=2)
    >>> X.vocabulary.words, X.to_scipy().toarray().tolist()
    (['a', 'b'], [[1.0, 2.0], [2.0, 0.0]])
    """
    check_int("min_count", min_count, 1)
    check_int("max_final_vocab", max_final_vocab, 1, allow_none=True)
    window, limit, threads = _check_counting(window, memory_limit, threads, chunk_tokens)
    budget = counting_budget(limit, lenient=memory_limit == DEFAULT_MEMORY_LIMIT)
    partial, vocabulary = _one_reading(documents, min_count, max_final_vocab, window, symmetric,
                                       distance_weighting, budget, tmp_dir, progress, chunk_tokens, threads)
    return _finish(partial, vocabulary, symmetric, distance_weighting, "one reading")


def count_to_file(documents: Iterable[Sequence[str]], out: str | os.PathLike, vocabulary: Vocabulary | None = None,
                  min_count: int = 5, max_final_vocab: int | None = None, window: int = 10,
                  symmetric: bool = True, distance_weighting: bool = True,
                  memory_limit: int | str | None = DEFAULT_MEMORY_LIMIT, tmp_dir: str | os.PathLike | None = None,
                  progress: bool = False, threads: int | None = None) -> CountsFile:
    """Count ``documents`` straight into the file ``out``, as the counts are merged: the same file
    as ``count_corpus(...).save(out)`` (or ``count_cooccurrences(documents, vocabulary,
    ...).save(out)`` when ``vocabulary`` is given), without ever holding all the counts.

    The counting tables spill to sorted shards, which are merged a row range at a time; each
    range is written as it is merged (``.bin``: Stanford's records, straight into the
    destination; otherwise raw staging files in ``tmp_dir``, copied a slice at a time into our
    ``.npz``, loadable by :meth:`Cooccurrence.load`). The destination is replaced atomically and
    every temporary file is removed, also on failure. ``memory_limit`` bounds the whole
    process's peak RSS (see :func:`count_cooccurrences`). Other parameters as
    :func:`count_corpus` (without ``vocabulary``: one reading of the corpus) and
    :func:`count_cooccurrences`.

    Examples
    --------
    >>> import tempfile
    >>> docs = [["a", "b", "a"], ["b", "c"]]
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     written = count_to_file(docs, Path(folder) / "counts.npz", min_count=2, window=2)
    ...     again = Cooccurrence.load(written.path)
    >>> written.nnz, again.to_scipy().toarray().tolist()
    (3, [[1.0, 2.0], [2.0, 0.0]])
    """
    if vocabulary is None:
        check_int("min_count", min_count, 1)
        check_int("max_final_vocab", max_final_vocab, 1, allow_none=True)
    elif not isinstance(vocabulary, Vocabulary) or len(vocabulary) == 0:
        raise ValueError("vocabulary must be a non-empty Vocabulary (see Vocabulary.build)")
    window, limit, threads = _check_counting(window, memory_limit, threads, READ_TOKENS)
    out = Path(out)
    if not out.parent.is_dir():
        raise FileNotFoundError(f"cannot write {out}: folder {out.parent} does not exist")
    budget = counting_budget(limit, lenient=memory_limit == DEFAULT_MEMORY_LIMIT)
    writer = _CountsWriter(out, count_scale(window, distance_weighting), tmp_dir)
    try:
        if vocabulary is None:
            partial, vocabulary = _one_reading(documents, min_count, max_final_vocab, window, symmetric,
                                               distance_weighting, budget, tmp_dir, progress, READ_TOKENS,
                                               threads, writer)
        else:
            log_plan(documents, len(vocabulary), window, budget, tmp_dir)
            partial = count_partial(documents, vocabulary, window, symmetric, distance_weighting, budget,
                                    tmp_dir, progress, CHUNK_TOKENS, threads, writer)
        if partial.n_documents == 0:
            raise ValueError(f"{getattr(documents, 'description', 'the corpus')} holds no documents")
        settings = {"window": window, "symmetric": bool(symmetric), "distance_weighting": bool(distance_weighting)}
        writer.finish(vocabulary, settings, {})
    except BaseException as exc:
        writer.abort(exc)
        raise
    _log_counted(writer.nnz, vocabulary, window, symmetric, "one reading, written as merged", partial.n_shards)
    return CountsFile(out, writer.nnz, vocabulary)


def _one_reading(documents, min_count, max_final_vocab, window, symmetric, distance_weighting, budget, tmp_dir,
                 progress, chunk_tokens, threads, sink=None) -> tuple[PartialCounts, Vocabulary]:
    """The vocabulary and the counts from one reading (:func:`count_corpus`); the tokens kept are
    dropped as soon as they are counted, before the merge."""
    description = getattr(documents, "description", "corpus")
    seen = first_pass(documents, chunk_tokens, budget, tmp_dir, progress)
    try:
        vocabulary = Vocabulary.from_word_counts(seen.words, seen.counts, seen.total_tokens, min_count,
                                                 max_final_vocab, description)
        log_collected(vocabulary, len(seen.words), description, min_count)
        log_plan(documents, len(vocabulary), window, budget, tmp_dir)
        new_ids = vocabulary.lookup(seen.words)
        del seen.words[:]

        def id_chunks():
            for (ids, lengths), continued in zip(seen.tokens, seen.continued):
                yield (*drop_out_of_vocabulary(new_ids[ids], lengths), continued)
            seen.tokens.close()

        partial = count_id_chunks(id_chunks(), len(vocabulary), window, symmetric, distance_weighting, budget,
                                  tmp_dir, threads, sink)
    finally:
        with cleanup_section():  # an interrupt waits until the token spill folder is gone
            seen.tokens.close()
    partial.n_documents = seen.n_documents
    return partial, vocabulary


def _check_counting(window, memory_limit, threads, chunk_tokens) -> tuple[int, int | None, int | None]:
    check_int("window", window, 1)
    check_int("threads", threads, 1, allow_none=True)
    check_int("chunk_tokens", chunk_tokens, 1)
    return int(window), parse_memory(memory_limit), threads


def _finish(partial: PartialCounts, vocabulary: Vocabulary, symmetric: bool, distance_weighting: bool,
            where: str) -> Cooccurrence:
    result = Cooccurrence(partial.rows, partial.cols, partial.take_weighted_values(), vocabulary, partial.window,
                          bool(symmetric), bool(distance_weighting))
    _log_counted(result.nnz, vocabulary, result.window, symmetric, where, partial.n_shards)
    return result


def _log_counted(nnz: int, vocabulary: Vocabulary, window: int, symmetric: bool, where: str, n_shards: int) -> None:
    logger.info("counted %d non-zero co-occurrences over %d words (window %d, %s) in %s, %d spill shard(s)",
                nnz, len(vocabulary), window, "symmetric" if symmetric else "left context", where, n_shards)
