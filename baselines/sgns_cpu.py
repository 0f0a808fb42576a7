"""The compiled CPU engine of :class:`baselines.sgns.SkipGramNS`: word2vec's skip-gram with negative
sampling, pair by pair, as word2vec.c and gensim's ``word2vec_inner.pyx`` train it.

Everything happens inside one numba kernel per epoch, over the encoded corpus (token ids and
document offsets): gensim's subsampling (keep probabilities from
:func:`baselines.pairs.keep_probabilities`, compared with a 32-bit random number as gensim's
``sample_int``), gensim's reduced window (``b = window - r % window`` per centre word), negatives
from the cumulative unigram^0.75 table (:func:`baselines.pairs.negative_table`), a learning rate
decaying linearly over the words of the training call, and the loss summed per thread.

The update of one (input word, output word) pair is word2vec's (``fast_sentence_sg_neg``): for the
output word (label 1) and each negative (label 0, skipped when it equals the output word)
``f = sigmoid(v_in . u_t)`` from a 1000-entry table over ``[-6, 6]`` (no update outside it, as
gensim), ``g = (label - f) * alpha``, ``neu1e += g u_t``, ``u_t += g v_in``; then
``v_in += neu1e``. Random numbers come from word2vec's 48-bit linear congruential generator, one
state per thread.

Threads (``workers``) each take a contiguous share of the documents (balanced by tokens) and update
the shared ``[2V, dim]`` table without locks (Hogwild, as word2vec.c and gensim's workers). With
``workers=1`` an epoch is deterministic for a seed; with more threads the result depends on how the
threads interleave, as word2vec.c's and gensim's do.

Examples
--------
>>> import numpy as np
>>> from baselines.pairs import keep_probabilities, negative_table
>>> counts = np.array([5, 3, 2])
>>> ids = np.array([0, 1, 0, 2, 1, 0, 0, 2, 1, 0], dtype=np.int32)
>>> starts = np.array([0, 10], dtype=np.int64)
>>> vectors = np.zeros((6, 4), dtype=np.float32)
>>> vectors[:3] = 0.1
>>> config = CpuConfig(window=2, negative=2, workers=1)
>>> vectors, loss, n_pairs = run_epoch(vectors, ids, starts, keep_probabilities(counts, 0),
...                                    negative_table(counts, 0.75), config, 0.025, 0.0125, seed=1, epoch=0)
>>> n_pairs > 0 and bool(np.isfinite(loss))
True
"""
from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Iterator, NamedTuple

import numba
import numpy as np

from glove_gensim.engine import resolve_workers

logger = logging.getLogger(__name__)

MAX_EXP = 6.0
EXP_TABLE_SIZE = 1000
_TABLE_SCALE = EXP_TABLE_SIZE / MAX_EXP / 2.0
_LCG_MULTIPLIER = np.uint64(25214903917)
_LCG_INCREMENT = np.uint64(11)
_LCG_MASK = np.uint64(2 ** 48 - 1)
_SHIFT = np.uint64(16)
# Dot products may be reassociated (vectorised); NaN and infinities keep their meaning so that a
# diverging run is seen, never turned into an out-of-range table index.
_FAST = {"reassoc", "contract", "nsz"}


class CpuConfig(NamedTuple):
    """What the CPU kernel needs besides the data.

    Attributes
    ----------
    window : int
        Largest window; each centre word draws ``b`` uniformly in ``1..window``.
    negative : int
        Negatives drawn per pair.
    workers : int
        Threads, each training a contiguous share of the documents.

    Examples
    --------
    >>> CpuConfig(window=5, negative=5, workers=2).negative
    5
    """

    window: int
    negative: int
    workers: int


def divergence_message(epoch: int, loss: float, alpha: float) -> str:
    """What a diverged CPU epoch tells the user.

    Examples
    --------
    >>> print(divergence_message(2, float("nan"), 0.5))
    SkipGramNS diverged: the loss became nan in epoch 3 with alpha=0.5 on the CPU engine; ... alpha=0.25)) ...
    """
    return (f"SkipGramNS diverged: the loss became {loss} in epoch {epoch + 1} with alpha={alpha} on the CPU "
            f"engine; the model keeps the parameters of epoch {epoch}. Train again with a smaller alpha "
            f"(e.g. SkipGramNS(..., alpha={alpha / 2:g})) or check the initial vectors for NaN.")


def sigmoid_tables() -> tuple[np.ndarray, np.ndarray]:
    """word2vec's ``expTable`` (sigmoid at ``(i / 1000 * 2 - 1) * 6``) and gensim's ``LOG_TABLE``
    (its log), float32 ``[1000]`` each.

    Examples
    --------
    >>> exp_table, log_table = sigmoid_tables()
    >>> exp_table.shape, float(exp_table[500]), float(log_table[500])
    ((1000,), 0.5, -0.6931471824645996)
    """
    x = (np.arange(EXP_TABLE_SIZE, dtype=np.float64) / EXP_TABLE_SIZE * 2.0 - 1.0) * MAX_EXP
    sigmoid = 1.0 / (1.0 + np.exp(-x))
    return sigmoid.astype(np.float32), np.log(sigmoid).astype(np.float32)


def sample_thresholds(keep: np.ndarray) -> np.ndarray:
    """gensim's ``sample_int``: ``round(keep * 2**32)``, uint64 ``[V]``; a word is kept when its
    threshold is at least a 32-bit random number.

    Examples
    --------
    >>> sample_thresholds(np.array([1.0, 0.5])).tolist()
    [4294967296, 2147483648]
    """
    return np.round(np.asarray(keep, dtype=np.float64) * 2.0 ** 32).astype(np.uint64)


def thread_seeds(seed: int, epoch: int, workers: int) -> np.ndarray:
    """The initial 48-bit generator state of each thread in ``epoch``, uint64 ``[workers]``.

    Examples
    --------
    >>> states = thread_seeds(seed=1, epoch=0, workers=2)
    >>> states.tolist(), bool(np.array_equal(states, thread_seeds(1, 0, 2)))
    ([157116034159103, 172216623892268], True)
    """
    states = np.random.SeedSequence([int(seed), int(epoch)]).generate_state(workers, np.uint64)
    return states & _LCG_MASK


def document_shares(doc_starts: np.ndarray, workers: int) -> np.ndarray:
    """Document index where each thread's share starts (and the end), int64 ``[workers + 1]``:
    contiguous, balanced by tokens.

    Examples
    --------
    >>> document_shares(np.array([0, 5, 6, 10]), workers=2).tolist()
    [0, 1, 3]
    """
    n_docs = len(doc_starts) - 1
    bounds = np.searchsorted(doc_starts[:-1], np.linspace(0, doc_starts[-1], workers + 1)[:-1], side="left")
    return np.concatenate([np.minimum(bounds, n_docs), [n_docs]]).astype(np.int64)


@numba.njit(cache=True)
def _next_random(state):
    """word2vec's LCG step; the 32-bit random number of a state is ``state >> 16``."""
    return (state * _LCG_MULTIPLIER + _LCG_INCREMENT) & _LCG_MASK


class Sampler(NamedTuple):
    """The cumulative negative table and an index into it: ``starts[b]`` is the word drawn for
    ``r = b << shift``, so the word for any ``r`` is found by a short scan from ``starts[r >> shift]``
    (the same word as a binary search of ``table``, in about one step).

    Attributes
    ----------
    table : int64 [V]
        :func:`baselines.pairs.negative_table`.
    starts : int32 [n_buckets]
    shift : int

    Examples
    --------
    >>> sampler = Sampler(np.array([2, 3]), np.zeros(4, np.int32), 0)
    >>> sampler.shift, sampler.table.tolist()
    (0, [2, 3])
    """

    table: np.ndarray
    starts: np.ndarray
    shift: int


def make_sampler(table: np.ndarray, bucket_bits: int = 16) -> Sampler:
    """Index the cumulative ``table`` with ``2 ** bucket_bits`` buckets (:class:`Sampler`).

    Examples
    --------
    >>> sampler = make_sampler(np.array([4, 6, 8]), bucket_bits=2)
    >>> sampler.shift, sampler.starts.tolist()
    (2, [0, 1, 2])
    """
    table = np.ascontiguousarray(table, dtype=np.int64)
    shift = max(0, int(table[-1]).bit_length() - bucket_bits)
    bounds = np.arange((int(table[-1]) >> shift) + 1, dtype=np.int64) << shift
    starts = np.minimum(np.searchsorted(table, bounds, side="right"), len(table) - 1)
    return Sampler(table, starts.astype(np.int32), shift)


@numba.njit(cache=True)
def _draw_word(table, starts, shift, state):
    """A word from the cumulative table (``table[i-1] <= r < table[i]``) and the next state."""
    r = np.int64((state >> _SHIFT) % np.uint64(table[table.shape[0] - 1]))
    word = starts[r >> shift]
    while table[word] <= r:
        word += 1
    return word, _next_random(state)


@numba.njit(cache=True)
def _draw_negatives(table, starts, shift, state, n):
    out = np.empty(n, dtype=np.int32)
    for k in range(n):
        out[k], state = _draw_word(table, starts, shift, state)
    return out, state


def draw_negatives(sampler: Sampler, state: int, n: int) -> tuple[np.ndarray, int]:
    """``n`` words drawn as the kernel draws negatives, int32 ``[n]``, and the generator's next state.

    Examples
    --------
    >>> from baselines.pairs import negative_table
    >>> words, state = draw_negatives(make_sampler(negative_table(np.array([5, 3, 2]), 0.75)), 1, 5)
    >>> words.tolist(), state
    ([0, 0, 1, 1, 1], 223576932655868)
    """
    out, state = _draw_negatives(sampler.table, sampler.starts, sampler.shift, np.uint64(state), n)
    return out, int(state)


@numba.njit(cache=True, fastmath=_FAST)
def _log_sigmoid_loss(t, log_table):
    """``-log sigmoid(t)`` from the table; ``-t`` below ``-6``, 0 above 6 (NaN stays NaN)."""
    if -MAX_EXP < t < MAX_EXP:
        return -log_table[int((t + MAX_EXP) * _TABLE_SCALE)]
    if t <= -MAX_EXP:
        return -t
    return t - t


@numba.njit(cache=True, fastmath=_FAST)
def pair_step(vectors: np.ndarray, word_in: int, word_out: int, negatives: np.ndarray, alpha: float,
              work: np.ndarray, exp_table: np.ndarray, log_table: np.ndarray) -> float:
    """word2vec's update of one pair in place; returns its loss (float64).

    Parameters
    ----------
    vectors : float32 [2V, dim]
        Input rows ``0..V-1``, output rows ``V..2V-1``.
    word_in : int
        Word whose input vector is trained (the context word of gensim's ``train_batch_sg``).
    word_out : int
        Word whose output vector is predicted (label 1).
    negatives : int32 [negative]
        Words of label 0; one equal to ``word_out`` is skipped.
    alpha : float
        Learning rate.
    work : float32 [dim]
        Scratch space for ``neu1e``.
    exp_table, log_table : float32 [1000]
        :func:`sigmoid_tables`.

    Examples
    --------
    >>> vectors = np.array([[1.0, 0.0], [0.0, 0.0], [0.5, 0.5], [0.2, 0.1]], np.float32)
    >>> loss = pair_step(vectors, 0, 0, np.array([1], np.int32), 0.1, np.empty(2, np.float32), *sigmoid_tables())
    >>> round(loss, 4), vectors[0].round(4).tolist()
    (1.2774, [1.008, 0.0135])
    """
    n_words = vectors.shape[0] // 2
    dim = vectors.shape[1]
    v = vectors[word_in]
    for k in range(dim):
        work[k] = 0.0
    loss = 0.0
    for d in range(negatives.shape[0] + 1):
        if d == 0:
            target, label = word_out, np.float32(1.0)
        else:
            target, label = negatives[d - 1], np.float32(0.0)
            if target == word_out:
                continue
        u = vectors[n_words + target]
        f = np.float32(0.0)
        for k in range(dim):
            f += v[k] * u[k]
        loss += _log_sigmoid_loss(f if d == 0 else -f, log_table)
        if not (-MAX_EXP < f < MAX_EXP):
            continue
        g = (label - exp_table[int((f + MAX_EXP) * _TABLE_SCALE)]) * np.float32(alpha)
        for k in range(dim):
            work[k] += g * u[k]
            u[k] += g * v[k]
    for k in range(dim):
        v[k] += work[k]
    return loss


@numba.njit(cache=True)
def _subsample_document(ids, start, end, thresholds, subsample, state, kept):
    """Kept words of ``ids[start:end]`` written to ``kept[start:]``; their number and the next state."""
    n = 0
    for p in range(start, end):
        word = ids[p]
        if subsample:
            r = state >> _SHIFT
            state = _next_random(state)
            if thresholds[word] < r:
                continue
        kept[start + n] = word
        n += 1
    return n, state


@numba.njit(cache=True)
def kept_tokens(ids: np.ndarray, thresholds: np.ndarray, state: np.uint64) -> np.ndarray:
    """The tokens of ``ids`` that the kernel's subsampling keeps (one document), int32.

    Examples
    --------
    >>> thresholds = sample_thresholds(np.array([1.0, 0.0, 1.0]))  # word 1 is always dropped
    >>> kept_tokens(np.array([0, 1, 2, 0], np.int32), thresholds, np.uint64(1)).tolist()
    [0, 2, 0]
    """
    kept = np.empty_like(ids)
    n, _ = _subsample_document(ids, 0, ids.shape[0], thresholds, True, state, kept)
    return kept[:n]


@numba.njit(cache=True, fastmath=_FAST)
def _train_share(vectors, ids, doc_starts, doc_lo, doc_hi, thresholds, subsample, table, starts, shift, window,
                 rate_start, rate_end, state, kept, work, negatives, exp_table, log_table):
    """One thread's documents ``doc_lo..doc_hi-1``: (summed loss, pairs, next state)."""
    first = doc_starts[doc_lo]
    total = max(doc_starts[doc_hi] - first, 1)
    loss = 0.0
    n_pairs = 0
    for doc in range(doc_lo, doc_hi):
        start, end = doc_starts[doc], doc_starts[doc + 1]
        n, state = _subsample_document(ids, start, end, thresholds, subsample, state, kept)
        for i in range(n):
            progress = (start - first + i * (end - start) / n) / total
            alpha = rate_start + (rate_end - rate_start) * progress
            reach = window - np.int64((state >> _SHIFT) % np.uint64(window))
            state = _next_random(state)
            word_out = kept[start + i]
            for j in range(max(0, i - reach), min(n, i + reach + 1)):
                if j == i:
                    continue
                for k in range(negatives.shape[0]):
                    negatives[k], state = _draw_word(table, starts, shift, state)
                loss += pair_step(vectors, kept[start + j], word_out, negatives, alpha, work, exp_table, log_table)
                n_pairs += 1
    return loss, n_pairs, state


@numba.njit(cache=True, parallel=True)
def _epoch_kernel(vectors, ids, doc_starts, shares, thresholds, subsample, table, starts, shift, window, rate_start,
                  rate_end, states, kept, work, negatives, exp_table, log_table, losses, pairs):
    for t in numba.prange(states.shape[0]):
        losses[t], pairs[t], states[t] = _train_share(
            vectors, ids, doc_starts, shares[t], shares[t + 1], thresholds, subsample, table, starts, shift, window,
            rate_start, rate_end, states[t], kept, work[t], negatives[t], exp_table, log_table)


@contextmanager
def _numba_threads(workers: int) -> Iterator[None]:
    """numba's thread count set to ``workers`` (at most its pool size) for the block."""
    previous = numba.get_num_threads()
    numba.set_num_threads(max(1, min(workers, numba.config.NUMBA_NUM_THREADS)))
    try:
        yield
    finally:
        numba.set_num_threads(previous)


def host_table(vectors) -> np.ndarray:
    """``vectors`` as a writable C-contiguous float32 numpy table (copied only when needed, e.g. from
    a JAX array or a loaded file).

    Examples
    --------
    >>> table = np.zeros((4, 2), np.float32)
    >>> host_table(table) is table, host_table(table.astype(np.float64)).dtype
    (True, dtype('float32'))
    """
    if isinstance(vectors, np.ndarray) and vectors.dtype == np.float32 and vectors.flags.c_contiguous \
            and vectors.flags.writeable:
        return vectors
    return np.array(vectors, dtype=np.float32, order="C")


def run_epoch(vectors, ids: np.ndarray, doc_starts: np.ndarray, keep: np.ndarray, table: np.ndarray,
              config: CpuConfig, rate_start: float, rate_end: float, seed: int,
              epoch: int) -> tuple[np.ndarray, float, int]:
    """Train one epoch on the CPU, updating the table in place.

    Parameters
    ----------
    vectors : float32 [2V, dim]
        Input over output vectors (as :func:`baselines.sgns_core.init_vectors`); anything else
        (a JAX array) is copied to a host table first.
    ids : int32 [n_tokens]
        In-vocabulary token ids, documents concatenated.
    doc_starts : int64 [n_documents + 1]
        Document offsets; windows never cross them.
    keep : float64 [V]
        Keep probabilities (:func:`baselines.pairs.keep_probabilities`); all 1: no subsampling.
    table : int [V]
        Cumulative negative-sampling table (:func:`baselines.pairs.negative_table`).
    config : CpuConfig
    rate_start, rate_end : float
        Learning rate at the start and at the end of each thread's share (linear in between).
    seed, epoch : int
        Fix the threads' random states.

    Returns
    -------
    vectors : float32 [2V, dim]
        The trained host table (the same array when ``vectors`` was one).
    loss : float
        Summed loss of the epoch's pairs, each taken just before its update.
    n_pairs : int

    Examples
    --------
    >>> from baselines.pairs import negative_table
    >>> vectors = np.full((4, 2), 0.1, np.float32)
    >>> _, loss, n_pairs = run_epoch(vectors, np.array([0, 1, 0, 1, 0]), np.array([0, 5]), np.ones(2),
    ...                              negative_table(np.array([3, 2]), 0.75), CpuConfig(1, 1, 1), 0.025, 0.025, 1, 0)
    >>> n_pairs, loss > 0
    (8, True)
    """
    vectors = host_table(vectors)
    ids = np.ascontiguousarray(ids, dtype=np.int32)
    doc_starts = np.ascontiguousarray(doc_starts, dtype=np.int64)
    workers = resolve_workers(config.workers)
    exp_table, log_table = sigmoid_tables()
    thresholds = sample_thresholds(keep)
    subsample = bool(np.any(thresholds < 2 ** 32))
    states = thread_seeds(seed, epoch, workers)
    losses = np.zeros(workers, dtype=np.float64)
    pairs = np.zeros(workers, dtype=np.int64)
    kept = np.empty(len(ids), dtype=np.int32)
    work = np.empty((workers, vectors.shape[1]), dtype=np.float32)
    negatives = np.empty((workers, config.negative), dtype=np.int32)
    sampler = make_sampler(table)
    with _numba_threads(workers):
        _epoch_kernel(vectors, ids, doc_starts, document_shares(doc_starts, workers), thresholds, subsample,
                      sampler.table, sampler.starts, sampler.shift, int(config.window), float(rate_start),
                      float(rate_end), states, kept, work, negatives, exp_table, log_table, losses, pairs)
    return vectors, float(losses.sum()), int(pairs.sum())
