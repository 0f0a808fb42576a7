"""Numba kernels behind :mod:`glove_gensim.counting`: window sums into an open-addressing table,
and the sort that turns a table into canonical (row, col)-sorted coordinates.

The table is one ``[capacity, 2]`` array of (key, sum) rows, so a probe touches one cache line:
``key = left_id * n_words + right_id`` (``-1`` = empty slot). It is int64 for exact fixed-point
sums, or float64 (keys then exact below 2**53) when weights are fractional. Its capacity is a
power of two; the caller grows it or spills it to disk between calls, so the kernels only ever
see a table with room.

Counting threads split the work by *owner*: a counter with ``owner=t`` of ``n_owners`` adds only
the pairs whose right-hand id ``r`` has ``r % n_owners == t``, so the tables of the threads hold
disjoint keys and every key is summed by one thread in corpus order (results do not depend on
the number of threads, even for float sums). Compiled once and cached on disk (``cache=True``);
every kernel releases the GIL.
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
                       weights, owner, n_owners):
    """Add every (left, right) pair within ``window`` of each document to the table.

    Parameters
    ----------
    ids : int32 [n_tokens]
        In-vocabulary token ids of a chunk, documents concatenated (OOV already removed).
    doc_starts : int64 [n_docs + 1]
        Offsets of the documents in ``ids``.
    doc, position : int
        Where to resume (document number, offset of the right-hand token inside it).
    dense : [k, k_owned], the dtype of ``table``
        Sums for pairs of the ``k`` most frequent words (ids < k), which take most increments:
        ``dense[left, right // n_owners]`` for the right-hand ids this owner counts. A small
        block that stays in cache, never the whole V x V.
    table : int64 or float64 [capacity, 2]
        (key, sum) rows; ``capacity`` a power of two.
    n_used : int
        Occupied slots.
    max_used : int
        Stop (and return the resume point) once this many slots are occupied.
    n_words : int
        Vocabulary size (the key's radix).
    weights : [window + 1], the dtype of ``table``
        ``weights[d]`` is added for a pair at distance ``d``; the window is ``len(weights) - 1``.
    owner, n_owners : int
        Count only pairs whose right-hand id ``r`` has ``r % n_owners == owner``.

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
    ...                    table, 0, 8, 2, np.array([0, 2, 1]), 0, 1)
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
            right = ids[p]
            if right % n_owners != owner:
                p += 1
                continue
            if n_used >= max_used:
                return doc, p - start, n_used
            first = p - window
            if first < start:
                first = start
            dense_right = right < k_dense
            dense_col = right // n_owners
            for q in range(p - 1, first - 1, -1):
                left = ids[q]
                increment = weights[p - q]
                if dense_right and left < k_dense:
                    dense[left, dense_col] += increment
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


@numba.njit(cache=True, nogil=True)
def table_entries(table, dense, n_words, owner, n_owners, symmetric, rows, cols, values, start):
    """Write the table's and the dense block's non-zero entries as coordinates from ``start``.

    With ``symmetric`` every entry ``(l, r, v)`` is written twice, as ``(l, r, v)`` and
    ``(r, l, v)`` (``X = A + A^T``). The output arrays must have room; returns the new end.
    

    Examples
    --------
    >>> table = np.full((4, 2), EMPTY, dtype=np.int64)
    >>> table[1] = (0 * 3 + 2, 5)  # key left * n_words + right: the pair (0, 2) counted 5 units
    >>> dense = np.full((1, 1), 7, dtype=np.int64)  # the dense block's pair (0, 0)
    >>> rows, cols, values = np.zeros(4, np.int32), np.zeros(4, np.int32), np.zeros(4, np.int64)
    >>> table_entries(table, dense, 3, 0, 1, True, rows, cols, values, 0)
    4
    >>> rows.tolist(), cols.tolist(), values.tolist()
    ([0, 2, 0, 0], [2, 0, 0, 0], [5, 5, 7, 7])
    """
    k = start
    for i in range(table.shape[0]):
        key = table[i, 0]
        if key != EMPTY:
            left = np.int64(key) // n_words
            right = np.int64(key) - left * n_words
            rows[k], cols[k], values[k] = left, right, table[i, 1]
            k += 1
            if symmetric:
                rows[k], cols[k], values[k] = right, left, table[i, 1]
                k += 1
    for left in range(dense.shape[0]):
        for j in range(dense.shape[1]):
            value = dense[left, j]
            if value != 0:
                right = j * n_owners + owner
                rows[k], cols[k], values[k] = left, right, value
                k += 1
                if symmetric:
                    rows[k], cols[k], values[k] = right, left, value
                    k += 1
    return k


@numba.njit(cache=True, nogil=True)
def sort_and_sum_in_place(rows, cols, values, n, n_rows):
    """Sort the first ``n`` coordinates by (row, col) and sum duplicates, in place.

    One in-place radix pass by row (each entry swapped once into its row's bucket, linear time,
    no spare arrays), then each row's entries sorted by column, then equal neighbours summed.
    Returns the number of distinct entries, left at the front of ``rows``, ``cols`` and ``values``.
    

    Examples
    --------
    >>> rows, cols = np.array([1, 0, 1, 0], np.int32), np.array([0, 2, 0, 1], np.int32)
    >>> values = np.array([1, 2, 3, 4], np.int64)
    >>> n = sort_and_sum_in_place(rows, cols, values, 4, 2)
    >>> n, rows[:n].tolist(), cols[:n].tolist(), values[:n].tolist()
    (3, [0, 0, 1], [1, 2, 0], [4, 2, 4])
    """
    starts = np.zeros(n_rows + 1, dtype=np.int64)
    for i in range(n):
        starts[rows[i] + 1] += 1
    for b in range(n_rows):
        starts[b + 1] += starts[b]
    fill = starts[:-1].copy()
    for b in range(n_rows):
        end = starts[b + 1]
        while fill[b] < end:
            i = fill[b]
            r = rows[i]
            if r == b:
                fill[b] = i + 1
                continue
            j = fill[r]
            fill[r] = j + 1
            rows[i], rows[j] = rows[j], rows[i]
            cols[i], cols[j] = cols[j], cols[i]
            values[i], values[j] = values[j], values[i]
    k = -1
    for b in range(n_rows):
        start, end = starts[b], starts[b + 1]
        if end - start > 1:
            order = np.argsort(cols[start:end])
            cols[start:end] = cols[start:end][order]
            values[start:end] = values[start:end][order]
        for i in range(start, end):
            if k >= 0 and rows[k] == b and cols[i] == cols[k]:
                values[k] += values[i]
            else:
                k += 1
                rows[k], cols[k], values[k] = b, cols[i], values[i]
    return k + 1
