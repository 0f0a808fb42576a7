"""Skip-gram training pairs, made on the host once per epoch (numba, no Python loop per token).

word2vec's recipe, as gensim implements it (``word2vec_inner.pyx``):

1. frequent-word subsampling: token ``w`` is kept with probability
   ``min(1, (sqrt(count / threshold) + 1) * threshold / count)``, ``threshold = sample * total``
   (:func:`keep_probabilities`); subsampling happens before windowing;
2. a reduced window per centre word: ``b`` uniform in ``1..window`` (gensim's ``reduced_windows``),
   context = the kept words at distance ``<= b`` in the same document;
3. pairs (input word, output word): as in gensim's ``train_batch_sg``, the window is drawn for the
   word whose *output* vector is predicted, and each word within it supplies its *input* vector.
   The arrays are named ``centres`` (input side) and ``contexts`` (output side) below.

Pairs of an epoch are shuffled (Fisher-Yates) so that a batch holds pairs from all over the corpus.
Everything is drawn from numba's generator seeded per epoch, so an epoch's pairs depend only on
``(ids, doc_starts, seed)``.
"""
from __future__ import annotations

import numba
import numpy as np


def keep_probabilities(counts: np.ndarray, sample: float) -> np.ndarray:
    """gensim's keep probability of each word under frequent-word subsampling, float64 ``[V]``.

    ``sample <= 0`` keeps everything. As gensim (``sample <= 1``): ``threshold = sample * sum(counts)``,
    ``p = (sqrt(count / threshold) + 1) * threshold / count`` capped at 1.

    Examples
    --------
    >>> keep_probabilities(np.array([100, 10, 1]), sample=0.01).round(3)
    array([0.116, 0.444, 1.   ])
    >>> keep_probabilities(np.array([100, 10, 1]), sample=0).tolist()
    [1.0, 1.0, 1.0]
    """
    counts = np.asarray(counts, dtype=np.float64)
    if sample <= 0 or counts.size == 0:
        return np.ones(counts.shape, dtype=np.float64)
    threshold = sample * counts.sum()
    with np.errstate(divide="ignore"):
        p = (np.sqrt(counts / threshold) + 1.0) * (threshold / counts)
    return np.minimum(np.where(counts > 0, p, 1.0), 1.0)


@numba.njit(cache=True)
def _subsample(ids, doc_starts, keep):
    """Kept ids and the new document offsets."""
    kept = np.empty_like(ids)
    starts = np.empty_like(doc_starts)
    n = 0
    for d in range(doc_starts.shape[0] - 1):
        starts[d] = n
        for t in range(doc_starts[d], doc_starts[d + 1]):
            w = ids[t]
            if keep[w] >= 1.0 or np.random.random() < keep[w]:
                kept[n] = w
                n += 1
    starts[doc_starts.shape[0] - 1] = n
    return kept[:n], starts


@numba.njit(cache=True)
def _skipgram_pairs(ids, doc_starts, keep, window, seed, shuffle):
    np.random.seed(seed)
    kept, starts = _subsample(ids, doc_starts, keep)
    n = kept.shape[0]
    reach = np.empty(n, dtype=np.int64)
    offsets = np.zeros(n + 1, dtype=np.int64)
    doc_end = np.empty(n, dtype=np.int64)
    doc_begin = np.empty(n, dtype=np.int64)
    for d in range(starts.shape[0] - 1):
        for t in range(starts[d], starts[d + 1]):
            doc_begin[t] = starts[d]
            doc_end[t] = starts[d + 1]
    for t in range(n):
        b = np.random.randint(1, window + 1)
        reach[t] = b
        left = min(b, t - doc_begin[t])
        right = min(b, doc_end[t] - 1 - t)
        offsets[t + 1] = offsets[t] + left + right
    total = offsets[n]
    centres = np.empty(total, dtype=np.int32)
    contexts = np.empty(total, dtype=np.int32)
    for t in range(n):
        k = offsets[t]
        lo = max(doc_begin[t], t - reach[t])
        hi = min(doc_end[t], t + reach[t] + 1)
        for j in range(lo, hi):
            if j != t:
                centres[k] = kept[j]
                contexts[k] = kept[t]
                k += 1
    if shuffle:
        for i in range(total - 1, 0, -1):
            j = np.random.randint(0, i + 1)
            centres[i], centres[j] = centres[j], centres[i]
            contexts[i], contexts[j] = contexts[j], contexts[i]
    return centres, contexts, n


def skipgram_pairs(ids: np.ndarray, doc_starts: np.ndarray, keep: np.ndarray, window: int, seed: int,
                   shuffle: bool = True) -> tuple[np.ndarray, np.ndarray, int]:
    """One epoch's skip-gram pairs.

    Parameters
    ----------
    ids : int32 [n_tokens]
        In-vocabulary ids, documents concatenated (``Vocabulary.encode``).
    doc_starts : int64 [n_documents + 1]
        Document offsets in ``ids``; windows never cross them.
    keep : float64 [V]
        Keep probability of each word (:func:`keep_probabilities`).
    window : int
        Largest window; each centre word draws its own ``b`` in ``1..window``.
    seed : int
        Seeds subsampling, windows and the shuffle.
    shuffle : bool
        Shuffle the pairs (otherwise they come in corpus order).

    Returns
    -------
    centres, contexts : int32 [n_pairs]
    n_kept : int
        Tokens kept by subsampling.

    Examples
    --------
    With ``window=1`` every reduced window is 1, so the pairs of ``0 1 2`` (one document, nothing
    subsampled) are the neighbours of each output word:

    >>> centres, contexts, n_kept = skipgram_pairs(np.array([0, 1, 2]), np.array([0, 3]),
    ...                                            np.ones(3), window=1, seed=0, shuffle=False)
    >>> centres.tolist(), contexts.tolist(), n_kept
    ([1, 0, 2, 1], [0, 1, 1, 2], 3)
    """
    return _skipgram_pairs(np.ascontiguousarray(ids, dtype=np.int32),
                           np.ascontiguousarray(doc_starts, dtype=np.int64),
                           np.ascontiguousarray(keep, dtype=np.float64), int(window),
                           int(seed) % (2 ** 32), bool(shuffle))


def subsample(ids: np.ndarray, doc_starts: np.ndarray, keep: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The tokens kept by subsampling and their document offsets (what :func:`skipgram_pairs` windows over).

    Examples
    --------
    >>> kept, starts = subsample(np.array([0, 1, 2, 1]), np.array([0, 2, 4]),
    ...                          keep=np.array([1.0, 0.0, 1.0]), seed=0)
    >>> kept.tolist(), starts.tolist()
    ([0, 2], [0, 1, 2])
    """
    return _seeded_subsample(np.ascontiguousarray(ids, dtype=np.int32),
                             np.ascontiguousarray(doc_starts, dtype=np.int64),
                             np.ascontiguousarray(keep, dtype=np.float64), int(seed) % (2 ** 32))


@numba.njit(cache=True)
def _seeded_subsample(ids, doc_starts, keep, seed):
    np.random.seed(seed)
    return _subsample(ids, doc_starts, keep)


def negative_table(counts: np.ndarray, ns_exponent: float, domain: int = 2 ** 31 - 1) -> np.ndarray:
    """gensim's ``cum_table``: cumulative ``count ** ns_exponent`` scaled to ``domain``, int64 ``[V]``.

    Word ``i`` is drawn for an integer ``r`` uniform in ``[0, table[-1])`` when
    ``table[i-1] <= r < table[i]``, i.e. with probability ``count_i ** ns_exponent / sum``.

    Examples
    --------
    >>> negative_table(np.array([1, 1, 2]), ns_exponent=1.0, domain=100).tolist()
    [25, 50, 100]
    """
    weights = np.asarray(counts, dtype=np.float64) ** ns_exponent
    cumulative = np.cumsum(weights) / weights.sum()
    table = np.round(cumulative * domain).astype(np.int64)
    table[-1] = domain
    return table
