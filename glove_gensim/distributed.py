"""Counting on Dask: the vocabulary and co-occurrence passes as map-reduce over corpus partitions.

The files of a corpus, laid end to end, are cut into partitions of about equal size: a file that
fits in a partition is read whole, a file crossing a cut is read in byte ranges. Each range's
start and end are moved forward *in the worker* to the next document boundary (the end of a
blank line ``\\n[ \\t\\r\\f\\v]*\\n`` in paragraph mode, the end of a line with
``line_is_document=True``), found in the bytes, so documents never straddle partitions and the
UTF-8 decoder always starts on an ASCII byte. Each partition is read and counted in a Dask task
by the single-process code (the corpus options travel with the task; the tokenizer is rebuilt in
the worker), which returns a word ``Counter`` (vocabulary pass) or
:class:`~glove_gensim.counting.PartialCounts` (co-occurrence pass, bounded by ``memory_limit`` and
spilling under ``tmp_dir`` on its worker). Results are summed by a tree reduction that runs on
the workers, so only the final table travels to the client.

The results are *identical* to single-process counting: word counters are merged in partition
order, so words keep the order of their first appearance and ties in count break the same way;
co-occurrence partial counts are integers in units of ``1/lcm(1..window)`` and add exactly in any
order (``rows``, ``cols`` and ``values`` arrays equal). Exceptions: ``max_vocab_size`` pruning
happens per partition (its counts are approximate anyway), and ``distance_weighting`` with
``window > 20`` sums floats, equal only to rounding.

Worked example (a LocalCluster of two worker processes, started once and used for both passes)::

    import numpy as np
    from dask.distributed import Client, LocalCluster
    from glove_gensim.corpus import Corpus
    from glove_gensim.cooccur import count_cooccurrences
    from glove_gensim.vocab import Vocabulary

    if __name__ == "__main__":                       # worker processes re-import the script
        corpus = Corpus("political.txt")             # a file, or a directory of text files
        with LocalCluster(n_workers=2, threads_per_worker=1) as cluster, Client(cluster) as client:
            vocab = Vocabulary.build(corpus, min_count=5, backend="dask", client=client)
            X = count_cooccurrences(corpus, vocab, window=10, memory_limit="1GB",
                                    backend="dask", client=client)
        local = count_cooccurrences(corpus, vocab, window=10)          # one process
        assert vocab == Vocabulary.build(corpus, min_count=5)         # same words, same order
        assert all(np.array_equal(getattr(X, name), getattr(local, name))
                   for name in ("rows", "cols", "values"))            # same arrays, exactly

With ``client=None`` (e.g. ``count_cooccurrences(corpus, vocab, backend="dask", workers=2)``) a
``LocalCluster(n_workers=workers, threads_per_worker=1, processes=True)`` is started for the
call and closed afterwards. On a real cluster, connect a ``Client`` to its
scheduler (``Client("tcp://host:8786")``); the corpus paths (made absolute) and ``tmp_dir`` must
exist on every worker, e.g. on a shared file system. The command line does the same::

    glove-gensim vocab political.txt --out vocab.txt --backend dask --workers 2
    glove-gensim cooccur political.txt --out cooc.npz --backend dask --scheduler tcp://host:8786

Errors raised in a task (invalid UTF-8 with ``errors="strict"``, a missing file, an empty corpus)
reach the caller as the same ``ValueError``/``FileNotFoundError``; when several partitions fail,
the error of the first partition in corpus order is raised, as a single process would.
"""
from __future__ import annotations

import logging
import math
import os
import re
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

import numba
import numpy as np

from glove_gensim.corpus import Corpus, CorpusOptions, compression_of, iter_text_documents
from glove_gensim.counting import CHUNK_TOKENS, PartialCounts, count_partial, log_plan
from glove_gensim.validation import check_int

logger = logging.getLogger(__name__)

_PARAGRAPH_BREAK_BYTES = re.compile(rb"\n[ \t\r\f\v]*\n")
_SCAN_BYTES = 1 << 16
FAN_IN = 2


@dataclass(frozen=True)
class Piece:
    """Bytes ``[start, end)`` of one file, before alignment to document boundaries.

    ``start > 0`` moves forward to the next document boundary, and so does ``end`` unless it is
    ``None`` (end of file); two pieces cut at the same offset thus meet at the same boundary.

    Examples
    --------
    >>> Piece("corpus.txt", start=4096)
    Piece(path='corpus.txt', start=4096, end=None)
    """

    path: str
    start: int = 0
    end: int | None = None


Partition = tuple  # of Piece, read in order


# --------------------------------------------------------------------------------------------
# Partitions and document boundaries


def plan_partitions(files: Sequence[str | os.PathLike], n_partitions: int | None = None,
                    partition_bytes: int | None = None) -> list[Partition]:
    """Cut ``files`` (laid end to end) into partitions of about ``partition_bytes`` bytes.

    Parameters
    ----------
    files : sequence of paths
        In corpus order.
    n_partitions : int, optional
        Wanted number of partitions (used when ``partition_bytes`` is not given; default 1).
    partition_bytes : int, optional
        Nominal bytes per partition. Cuts are moved to document boundaries when read, so a
        partition may end up larger or empty. A compressed file is never cut.

    Returns
    -------
    list of tuple of Piece
        Each partition lists the (nominal) byte ranges it reads, in corpus order.

    Examples
    --------
    >>> from gensim.test.utils import datapath
    >>> [[(piece.start, piece.end) for piece in partition]
    ...  for partition in plan_partitions([datapath("lee_background.cor")], n_partitions=3)]
    [[(0, 120028)], [(120028, 240056)], [(240056, None)]]
    """
    paths = [os.path.abspath(p) for p in files]
    sizes = [os.stat(p).st_size for p in paths]
    total = sum(sizes)
    if partition_bytes is None:
        n = max(1, int(n_partitions or 1))
        partition_bytes = max(1, math.ceil(total / n))
    if isinstance(partition_bytes, bool) or int(partition_bytes) < 1:
        raise ValueError(f"partition_bytes must be an integer >= 1, not {partition_bytes!r}")
    partition_bytes = int(partition_bytes)
    partitions: list[list[Piece]] = [[]]
    room = partition_bytes
    for number, (path, size) in enumerate(zip(paths, sizes)):
        position = 0
        while True:
            take = size - position if compression_of(path) else min(room, size - position)
            end = position + take
            partitions[-1].append(Piece(path, position, None if end >= size else end))
            room = max(0, room - take)
            position = end
            if room == 0 and (position < size or number < len(paths) - 1):
                partitions.append([])
                room = partition_bytes
            if position >= size:
                break
    return [tuple(p) for p in partitions if p]


def next_document_boundary(handle, offset: int, line_is_document: bool) -> int | None:
    """The first document boundary after byte ``offset`` of an open binary file, or ``None`` (EOF).

    A boundary is the position just after a newline (``line_is_document``) or just after a
    paragraph break ``\\n[ \\t\\r\\f\\v]*\\n``: splitting the text there yields the documents of
    the whole text (up to leading whitespace and empty documents, which hold no tokens). The
    result depends only on the file and ``offset``, and grows with ``offset``.

    Examples
    --------
    >>> import io
    >>> text = io.BytesIO(b"one\\ntwo\\n\\nthree\\n")
    >>> next_document_boundary(text, 1, line_is_document=True)
    4
    >>> next_document_boundary(text, 1, line_is_document=False)
    9
    >>> next_document_boundary(text, 10, line_is_document=False) is None
    True
    """
    handle.seek(offset)
    buffer = b""
    searched = 0
    while True:
        block = handle.read(_SCAN_BYTES)
        if not block:
            return None
        buffer += block
        if line_is_document:
            found = buffer.find(b"\n", searched)
            if found >= 0:
                return offset + found + 1
            searched = len(buffer)
            continue
        match = _PARAGRAPH_BREAK_BYTES.search(buffer, searched)
        if match is not None:
            return offset + match.end()
        last_newline = buffer.rfind(b"\n")
        if last_newline < 0:
            buffer, offset, searched = b"", offset + len(buffer), 0
        else:  # only the last newline may start a break that continues in the next block
            buffer, offset, searched = buffer[last_newline:], offset + last_newline, 0


def aligned_range(piece: Piece, line_is_document: bool) -> tuple[int, int | None] | None:
    """``(start, end)`` of ``piece`` moved to document boundaries; ``None`` when it is empty.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "lines.txt"
    ...     _ = path.write_bytes(b"one\\ntwo\\nthree\\n")
    ...     aligned_range(Piece(str(path), 1, 5), line_is_document=True)
    ...     aligned_range(Piece(str(path), 5, 6), line_is_document=True) is None  # inside "two"
    (4, 8)
    True
    """
    if piece.start == 0 and piece.end is None:
        return 0, None
    with open(piece.path, "rb") as handle:
        start = piece.start and next_document_boundary(handle, piece.start, line_is_document)
        if start is None:
            return None
        end = piece.end and next_document_boundary(handle, piece.end, line_is_document)
    if end is not None and end <= start:
        return None
    return start, end


def iter_partition(partition: Partition, options: CorpusOptions) -> Iterator[list[str]]:
    """The documents (token lists) of one partition, as :class:`Corpus` yields them.

    Examples
    --------
    >>> from gensim.test.utils import datapath
    >>> corpus = Corpus(datapath("lee_background.cor"), line_is_document=True)
    >>> partitions = plan_partitions(corpus.files, n_partitions=3)
    >>> documents = [d for p in partitions for d in iter_partition(p, corpus.options)]
    >>> documents == list(corpus)
    True
    """
    tokenize = options.make_tokenizer()
    for piece in partition:
        bounds = aligned_range(piece, options.line_is_document)
        if bounds is None:
            continue
        for text in iter_text_documents(Path(piece.path), options.line_is_document, options.errors,
                                        start=bounds[0], end=bounds[1]):
            tokens = tokenize(text)
            if tokens:
                yield tokens


# --------------------------------------------------------------------------------------------
# Tasks (run in the workers)


def _count_words(partition: Partition, options: CorpusOptions,
                 max_vocab_size: int | None) -> tuple[Counter, int]:
    counter: Counter = Counter()
    total = 0
    prune_threshold = 1
    for document in iter_partition(partition, options):
        counter.update(document)
        total += len(document)
        if max_vocab_size is not None and len(counter) > max_vocab_size:
            counter = Counter({w: c for w, c in counter.items() if c >= prune_threshold})
            prune_threshold += 1
    return counter, total


def _merge_words(*parts: tuple[Counter, int]) -> tuple[Counter, int]:
    """Merge consecutive partitions' counters, in order.

    Words keep the order of their first appearance in the whole corpus (a word new to part ``k``
    comes after every word of parts ``< k``), so the merged counter lists words as one pass over
    the whole corpus would. The inputs are not modified.
    """
    merged: Counter = Counter()
    for counter, _ in parts:
        merged.update(counter)
    return merged, sum(t for _, t in parts)


def _count_pairs(partition: Partition, options: CorpusOptions, vocabulary, window: int,
                 symmetric: bool, distance_weighting: bool, memory_limit: int | None, tmp_dir,
                 chunk_tokens: int) -> "PackedCounts":
    partial = count_partial(iter_partition(partition, options), vocabulary, window, symmetric,
                            distance_weighting, memory_limit, tmp_dir, False, chunk_tokens, threads=1)
    return PackedCounts.pack(partial, len(vocabulary))


@dataclass
class PackedCounts:
    """:class:`~glove_gensim.counting.PartialCounts` in compact CSR form, for shipping between processes.

    Rows become an ``indptr``; columns are uint16 when the vocabulary allows it and integer values
    int32 when they fit, so a table travels in 6 bytes per entry instead of 16.

    Examples
    --------
    >>> from glove_gensim.cooccur import count_partial
    >>> from glove_gensim.vocab import Vocabulary
    >>> vocab = Vocabulary(["a", "b"], [2, 1])
    >>> partial = count_partial([["a", "b", "a"]], vocab, 2, True, True, None)
    >>> packed = PackedCounts.pack(partial, len(vocab))
    >>> packed.indptr.tolist(), packed.cols.dtype, packed.values.dtype
    ([0, 2, 3], dtype('uint16'), dtype('int32'))
    >>> packed.unpack().values.tolist() == partial.values.tolist()
    True
    """

    indptr: np.ndarray
    cols: np.ndarray
    values: np.ndarray
    scale: int
    window: int
    n_documents: int
    n_shards: int

    @classmethod
    def pack(cls, partial, n_words: int) -> "PackedCounts":
        indptr = np.zeros(n_words + 1, dtype=np.int64)
        np.cumsum(np.bincount(partial.rows, minlength=n_words), out=indptr[1:])
        return cls._compact(indptr, partial.cols, partial.values, partial.scale, partial.window,
                            partial.n_documents, partial.n_shards)

    @classmethod
    def _compact(cls, indptr, cols, values, scale, window, n_documents, n_shards) -> "PackedCounts":
        n_words = len(indptr) - 1
        cols = cols.astype(np.uint16 if n_words <= 1 << 16 else np.int32, copy=False)
        if values.dtype.kind in "iu" and (not len(values) or values.max() <= np.iinfo(np.int32).max):
            values = values.astype(np.int32, copy=False)
        return cls(indptr, cols, values, scale, window, n_documents, n_shards)

    def unpack(self) -> PartialCounts:
        """The :class:`~glove_gensim.counting.PartialCounts` (int32 rows/cols, int64 or float64 values)."""
        n_words = len(self.indptr) - 1
        rows = np.repeat(np.arange(n_words, dtype=np.int32), np.diff(self.indptr))
        values = self.values.astype(np.float64 if self.values.dtype.kind == "f" else np.int64)
        return PartialCounts(rows, self.cols.astype(np.int32), values, self.scale, self.window,
                             self.n_documents, self.n_shards)


@numba.njit(cache=True, nogil=True)
def _merge_csr(indptr_a, cols_a, values_a, indptr_b, cols_b, values_b, indptr, cols, values):
    """Merge two CSR tables with sorted columns, summing equal entries; returns the entry count."""
    k = 0
    for row in range(len(indptr) - 1):
        i, i_end = indptr_a[row], indptr_a[row + 1]
        j, j_end = indptr_b[row], indptr_b[row + 1]
        while i < i_end and j < j_end:
            ca, cb = cols_a[i], cols_b[j]
            if ca < cb:
                cols[k], values[k] = ca, values_a[i]
                i += 1
            elif cb < ca:
                cols[k], values[k] = cb, values_b[j]
                j += 1
            else:
                cols[k], values[k] = ca, values_a[i]
                values[k] += values_b[j]  # in the output's type (int32 inputs cannot overflow)
                i += 1
                j += 1
            k += 1
        while i < i_end:
            cols[k], values[k] = cols_a[i], values_a[i]
            i += 1
            k += 1
        while j < j_end:
            cols[k], values[k] = cols_b[j], values_b[j]
            j += 1
            k += 1
        indptr[row + 1] = k
    return k


def add_packed(*parts: PackedCounts) -> PackedCounts:
    """Sum packed partial counts exactly (integer units) in linear time; same as adding PartialCounts.

    Examples
    --------
    >>> from glove_gensim.cooccur import count_partial
    >>> from glove_gensim.vocab import Vocabulary
    >>> vocab = Vocabulary(["a", "b"], [2, 1])
    >>> first = count_partial([["a", "b", "a"]], vocab, 2, True, True, None)
    >>> second = count_partial([["b", "b"]], vocab, 2, True, True, None)
    >>> total = add_packed(PackedCounts.pack(first, 2), PackedCounts.pack(second, 2)).unpack()
    >>> total.values.tolist() == (first + second).values.tolist() == [2, 4, 4, 4]
    True
    """
    total = parts[0]
    for part in parts[1:]:
        if (total.scale, total.window) != (part.scale, part.window) or len(total.indptr) != len(part.indptr):
            raise ValueError("partial counts made with different windows or vocabularies cannot be added")
        n = len(total.cols) + len(part.cols)
        floating = total.values.dtype.kind == "f" or part.values.dtype.kind == "f"
        indptr = np.zeros_like(total.indptr)
        cols = np.empty(n, dtype=total.cols.dtype)
        values = np.empty(n, dtype=np.float64 if floating else np.int64)
        k = _merge_csr(total.indptr, total.cols, total.values, part.indptr, part.cols, part.values,
                       indptr, cols, values)
        total = PackedCounts._compact(indptr, cols[:k], values[:k], total.scale, total.window,
                                      total.n_documents + part.n_documents, total.n_shards + part.n_shards)
    return total


# --------------------------------------------------------------------------------------------
# Driver (runs in the client)


@contextmanager
def dask_client(client=None, workers: int | None = None, scheduler: str | None = None):
    """Yield ``client``; else a Client of ``scheduler``; else of a new LocalCluster of ``workers``.

    What this opens it closes on exit: ``LocalCluster(n_workers=workers, threads_per_worker=1,
    processes=True)`` (``workers`` default: CPU count; its HTTP server on a free port).

    Examples
    --------
    >>> from distributed import Client
    >>> with Client(processes=False, n_workers=1, threads_per_worker=1, dashboard_address=":0") as client:
    ...     with dask_client(client) as dask:
    ...         dask is client, dask.submit(sum, [1, 2]).result()
    (True, 3)
    """
    if client is not None:
        yield client
        return
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - dask[distributed] is a dependency
        raise ImportError("backend='dask' needs dask.distributed: pip install 'dask[distributed]'") from exc
    if scheduler:
        with Client(scheduler) as connected:
            yield connected
        return
    if workers is not None and (isinstance(workers, bool) or int(workers) < 1):
        raise ValueError(f"workers must be an integer >= 1, not {workers!r}")
    n_workers = int(workers or os.cpu_count() or 1)
    dask_logger = logging.getLogger("distributed")
    level = dask_logger.level
    dask_logger.setLevel(max(level, logging.WARNING))  # the in-process scheduler's INFO lines
    try:
        with LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                          dashboard_address=":0") as cluster, Client(cluster) as created:
            yield created
    finally:
        dask_logger.setLevel(level)


def _file_corpus(documents) -> Corpus:
    if isinstance(documents, (str, os.PathLike)):
        documents = Corpus(documents)
    if not isinstance(documents, Corpus) or not documents.files:
        raise ValueError("backend='dask' reads the corpus files in the workers: pass a path or "
                         f"Corpus(path), not {type(documents).__name__} of token lists")
    return documents


def _partitions(client, corpus: Corpus, n_partitions: int | None,
                partition_bytes: int | None) -> list[Partition]:
    if n_partitions is None and partition_bytes is None:
        n_partitions = sum(client.nthreads().values()) or 1
    partitions = plan_partitions(corpus.files, n_partitions, partition_bytes)
    corpus_bytes = sum(os.stat(p).st_size for p in corpus.files)
    logger.info("%s: %d partition(s) of about %.1f MB on %d Dask worker(s)", corpus.description,
                len(partitions), corpus_bytes / max(len(partitions), 1) / 2**20, len(client.nthreads()))
    return partitions


def _map_reduce(client, leaves: list, combine, fan_in: int):
    """Reduce ``leaves`` (futures in corpus order) by ``combine`` over adjacent groups, on workers.

    Returns the result; on failure raises the exception of the first failed leaf in corpus order.
    """
    from distributed import wait

    level = list(leaves)
    while len(level) > 1:
        level = [client.submit(combine, *level[i:i + fan_in], pure=False) if len(level[i:i + fan_in]) > 1
                 else level[i] for i in range(0, len(level), fan_in)]
    try:
        return level[0].result()
    except Exception:
        wait(leaves)
        for future in leaves:
            if future.status == "error":
                future.result()
        raise
    finally:
        for future in leaves:
            future.release()


def count_words(documents, max_vocab_size: int | None = None, client=None, workers: int | None = None,
                n_partitions: int | None = None, partition_bytes: int | None = None,
                fan_in: int = FAN_IN) -> tuple[Counter, int]:
    """Word counts of a file corpus on Dask, words in order of first appearance, and the token total.

    What :meth:`Vocabulary.build(..., backend="dask") <glove_gensim.vocab.Vocabulary.build>`
    turns into the same vocabulary as one process does.

    Parameters
    ----------
    documents : Corpus or path
        A corpus read from files (options such as the tokenizer are used in the workers).
    max_vocab_size : int, optional
        As :meth:`~glove_gensim.vocab.Vocabulary.build` (prunes per partition, then the merge).
    client : dask.distributed.Client, optional
        ``None``: a LocalCluster of ``workers`` processes for this call.
    n_partitions, partition_bytes : int, optional
        Partitioning (default: one partition per worker thread).
    fan_in : int
        Partial results merged per reduction task.

    Examples
    --------
    >>> from distributed import Client
    >>> from gensim.test.utils import datapath
    >>> corpus = Corpus(datapath("lee_background.cor"), line_is_document=True)
    >>> with Client(processes=False, n_workers=1, threads_per_worker=1, dashboard_address=":0") as client:
    ...     counter, total = count_words(corpus, client=client, n_partitions=3)
    >>> [word for word, _ in counter.most_common(3)], total == sum(map(len, corpus))
    (['the', 'to', 'of'], True)
    """
    check_int("max_vocab_size", max_vocab_size, 1, allow_none=True)
    corpus = _file_corpus(documents)
    with dask_client(client, workers) as dask:
        partitions = _partitions(dask, corpus, n_partitions, partition_bytes)
        options = corpus.options
        leaves = [dask.submit(_count_words, partition, options, max_vocab_size, pure=False)
                  for partition in partitions]
        counter, total = _map_reduce(dask, leaves, _merge_words, max(2, fan_in))
    if max_vocab_size is not None and len(counter) > max_vocab_size:
        threshold = 1
        while len(counter) > max_vocab_size:
            counter = Counter({w: c for w, c in counter.items() if c >= threshold})
            threshold += 1
    return counter, total


def count_pairs(documents, vocabulary, window: int = 10, symmetric: bool = True,
                distance_weighting: bool = True, memory_limit: int | None = None, tmp_dir=None,
                chunk_tokens: int | None = None, client=None, workers: int | None = None,
                n_partitions: int | None = None, partition_bytes: int | None = None,
                fan_in: int = FAN_IN) -> PartialCounts:
    """Co-occurrence counts of a file corpus on Dask, as :class:`~glove_gensim.counting.PartialCounts`.

    Reached through ``count_cooccurrences(..., backend="dask")``, which validates the arguments,
    parses ``memory_limit`` (bytes here, per task; each task spills on its own worker under
    ``tmp_dir``) and wraps the result in a :class:`~glove_gensim.cooccur.Cooccurrence`.
    ``vocabulary`` is a :class:`~glove_gensim.vocab.Vocabulary` (shipped to every worker). Other
    parameters as :func:`count_words`.

    Examples
    --------
    >>> from distributed import Client
    >>> from gensim.test.utils import datapath
    >>> from glove_gensim.cooccur import count_cooccurrences
    >>> from glove_gensim.vocab import Vocabulary
    >>> corpus = Corpus(datapath("lee_background.cor"), line_is_document=True)
    >>> vocab = Vocabulary.build(corpus, min_count=5)
    >>> with Client(processes=False, n_workers=1, threads_per_worker=1, dashboard_address=":0") as client:
    ...     X = count_cooccurrences(corpus, vocab, window=5, backend="dask", client=client)
    >>> local = count_cooccurrences(corpus, vocab, window=5)
    >>> all(np.array_equal(getattr(X, name), getattr(local, name)) for name in ("rows", "cols", "values"))
    True
    """
    tmp_dir = None if tmp_dir is None else os.path.abspath(tmp_dir)
    corpus = _file_corpus(documents)
    log_plan(corpus, len(vocabulary), window, memory_limit, tmp_dir)
    with dask_client(client, workers) as dask:
        partitions = _partitions(dask, corpus, n_partitions, partition_bytes)
        options = corpus.options
        [shared_vocabulary] = dask.scatter([vocabulary], broadcast=True, hash=False)
        leaves = [dask.submit(_count_pairs, partition, options, shared_vocabulary, window, symmetric,
                              distance_weighting, memory_limit, tmp_dir, chunk_tokens or CHUNK_TOKENS,
                              pure=False)
                  for partition in partitions]
        partial = _map_reduce(dask, leaves, add_packed, max(2, fan_in)).unpack()
        del shared_vocabulary
    return partial
