"""Numba kernels behind :mod:`glove_gensim.cooccur`: window sums into an open-addressing table.

The table is one ``[capacity, 2]`` array of (key, sum) rows, so a probe touches one cache line:
``key = left_id * n_words + right_id`` (``-1`` = empty slot). It is int64 for exact fixed-point
sums, or float64 (keys then exact below 2**53) when weights are fractional. Its capacity is a power of two; the caller grows it or spills it to disk between calls, so
the kernels only ever see a table with room. Compiled once and cached on disk (``cache=True``).
"""
from __future__ import annotations

import numba
import numpy as np

EMPTY = -1
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


@numba.njit(cache=True, nogil=True, inline="always")
def _slot(key: int, shift: np.uint64, mask: int) -> int:
    return int((np.uint64(np.int64(key)) * _GOLDEN) >> shift) & mask


@numba.njit(cache=True, nogil=True, inline="always")
def _shift(capacity: int) -> np.uint64:
    bits = 0
    while (1 << bits) < capacity:
        bits += 1
    return np.uint64(64 - bits)


@numba.njit(cache=True, nogil=True)
def accumulate_windows(ids, doc_starts, doc, position, dense, table, n_used, max_used, n_words,
                       weights):
    """Add every (left, right) pair within ``window`` of each document to the table.

    Parameters
    ----------
    ids : int32 [n_tokens]
        In-vocabulary token ids of a chunk, documents concatenated (OOV already removed).
    doc_starts : int64 [n_docs + 1]
        Offsets of the documents in ``ids``.
    doc, position : int
        Where to resume (document number, offset of the right-hand token inside it).
    dense : [k, k], the dtype of ``table``
        Sums for pairs of the ``k`` most frequent words (ids < k), which take most increments;
        a small block that stays in cache, never the whole V x V.
    table : int64 or float64 [capacity, 2]
        (key, sum) rows; ``capacity`` a power of two.
    n_used : int
        Occupied slots.
    max_used : int
        Stop (and return the resume point) once this many slots are occupied.
    n_words : int
        Vocabulary size (the key's radix).
    weights : [window + 1], the dtype of ``values``
        ``weights[d]`` is added for a pair at distance ``d``; the window is ``len(weights) - 1``.
        Same dtype as ``table``.

    Returns
    -------
    doc, position, n_used : int
        ``doc == n_docs`` when the chunk is done.

    Examples
    --------
    One document ``a b a`` (ids 0 1 0), window 2 in units of 1/2 (``weights[d] = 2 / d``), no
    dense block, left-context counts only:

    >>> table = np.zeros((16, 2), dtype=np.int64)
    >>> table[:, 0] = EMPTY
    >>> dense = np.zeros((0, 0), dtype=np.int64)
    >>> accumulate_windows(np.array([0, 1, 0], dtype=np.int32), np.array([0, 3]), 0, 0, dense,
    ...                    table, 0, 8, 2, np.array([0, 2, 1]))
    (1, 0, 3)
    >>> sorted(table[table[:, 0] != EMPTY].tolist())  # key = left * n_words + right
    [[0, 1], [1, 2], [2, 2]]
    """
    capacity = table.shape[0]
    mask = capacity - 1
    shift = _shift(capacity)
    n_docs = doc_starts.shape[0] - 1
    window = weights.shape[0] - 1
    k_dense = dense.shape[0]
    while doc < n_docs:
        start = doc_starts[doc]
        end = doc_starts[doc + 1]
        p = start + position
        while p < end:
            if n_used >= max_used:
                return doc, p - start, n_used
            right = ids[p]
            first = p - window
            if first < start:
                first = start
            for q in range(p - 1, first - 1, -1):
                left = ids[q]
                increment = weights[p - q]
                if left < k_dense and right < k_dense:
                    dense[left, right] += increment
                    continue
                key = np.int64(left) * n_words + right
                s = _slot(key, shift, mask)
                while True:
                    k = table[s, 0]
                    if k == key:
                        table[s, 1] += increment
                        break
                    if k == EMPTY:
                        table[s, 0] = key
                        table[s, 1] = increment
                        n_used += 1
                        break
                    s = (s + 1) & mask
            p += 1
        doc += 1
        position = 0
    return doc, 0, n_used


@numba.njit(cache=True, nogil=True)
def rehash(table, new_table):
    """Move every entry of a table into an empty, larger one (keys column filled with -1).

    Examples
    --------
    >>> table = np.array([[EMPTY, 0], [5, 7], [EMPTY, 0], [2, 1]])
    >>> bigger = np.zeros((8, 2), dtype=table.dtype)
    >>> bigger[:, 0] = EMPTY
    >>> rehash(table, bigger)
    >>> sorted(bigger[bigger[:, 0] != EMPTY].tolist())
    [[2, 1], [5, 7]]
    """
    capacity = new_table.shape[0]
    mask = capacity - 1
    shift = _shift(capacity)
    for i in range(table.shape[0]):
        key = table[i, 0]
        if key != EMPTY:
            s = _slot(np.int64(key), shift, mask)
            while new_table[s, 0] != EMPTY:
                s = (s + 1) & mask
            new_table[s, 0] = key
            new_table[s, 1] = table[i, 1]
