"""Documents of any length, read in bounded pieces, with context windows carried across pieces.

The reader (:mod:`glove_gensim.corpus`) cuts a document longer than a bound at whitespace and
yields its pieces one after the other; every piece but the last is a :class:`ContinuedTokens`
(a ``list`` of tokens that says "the next document continues me"). Word counts need nothing more.
For co-occurrences, :class:`BoundaryPairs` adds exactly the pairs that straddle two pieces: it
keeps the last ``window`` in-vocabulary ids of the document so far and pairs them with the first
``window`` ids of the next piece, so the counts equal those of the whole document while memory
stays bounded by the piece size.

Examples
--------
>>> import numpy as np
>>> weights = np.array([0, 2, 1])  # units for distance 1 and 2 (window 2, 1/d, scale 2)
>>> pairs = BoundaryPairs(window=2, weights=weights, symmetric=False)
>>> ids, starts = np.array([0, 1, 2, 3], np.int32), np.array([0, 2, 4])  # two pieces: [0 1] [2 3]
>>> pairs.add(ids, starts, np.array([True, False]))
>>> rows, cols, values = pairs.arrays()
>>> sorted(zip(rows.tolist(), cols.tolist(), values.tolist()))
[(0, 2, 1), (1, 2, 2), (1, 3, 1)]
"""
from __future__ import annotations

from typing import Sequence

import numpy as np


class ContinuedTokens(list):
    """The tokens of a document piece that the next document yielded continues.

    Examples
    --------
    >>> continues(ContinuedTokens(["a", "b"])), continues(["a", "b"])
    (True, False)
    """


def continues(document: Sequence) -> bool:
    """Whether the next document continues ``document`` (a :class:`ContinuedTokens`).

    Examples
    --------
    >>> continues(ContinuedTokens(["a"])), continues(["a"])
    (True, False)
    """
    return isinstance(document, ContinuedTokens)


def continuation_flags(documents: Sequence[Sequence]) -> np.ndarray:
    """``bool [n_documents]``: which documents the next one continues.

    Examples
    --------
    >>> continuation_flags([ContinuedTokens(["a"]), ["b"], ["c"]]).tolist()
    [True, False, False]
    """
    return np.fromiter(map(continues, documents), dtype=bool, count=len(documents))


class BoundaryPairs:
    """The co-occurrences that straddle piece boundaries, accumulated chunk by chunk.

    Examples
    --------
    Piece ``[0, 1]`` continues into ``[2]`` (window 2, units of 1/2): the pairs across the cut
    are (1, 2) at distance 1 and (0, 2) at distance 2, each also transposed:

    >>> pairs = BoundaryPairs(2, np.array([0, 2, 1]), symmetric=True)
    >>> pairs.add(np.array([0, 1, 2], np.int32), np.array([0, 2, 3]), np.array([True, False]))
    >>> [a.tolist() for a in pairs.arrays()]
    [[0, 1, 2, 2], [2, 2, 0, 1], [1, 2, 1, 2]]

    Parameters
    ----------
    window : int
        Context window (in in-vocabulary tokens, as the counter's).
    weights : ndarray [window + 1]
        The counter's increment per distance (``weights[d]``), in its units.
    symmetric : bool
        Also add each pair transposed (as a symmetric count holds both).
    """

    def __init__(self, window: int, weights: np.ndarray, symmetric: bool) -> None:
        self.window, self.weights, self.symmetric = int(window), np.asarray(weights), bool(symmetric)
        self.tail = np.zeros(0, dtype=np.int32)  # last ids of the document being continued
        self.open = False  # the previous chunk's last document continues into this chunk
        self._rows: list[np.ndarray] = []
        self._cols: list[np.ndarray] = []
        self._values: list[np.ndarray] = []

    def add(self, ids: np.ndarray, doc_starts: np.ndarray, flags: np.ndarray) -> None:
        """Take one encoded chunk: ``ids`` laid end to end, ``doc_starts`` (``n + 1`` offsets) and
        ``flags`` (:func:`continuation_flags` of its ``n`` documents)."""
        flags = np.asarray(flags, dtype=bool)
        continued_from = np.concatenate([[self.open], flags[:-1]]) if len(flags) else flags
        for doc in np.flatnonzero(flags | continued_from):
            piece = ids[doc_starts[doc]:doc_starts[doc + 1]]
            if continued_from[doc]:
                self._pair(piece[:self.window])
                joined = np.concatenate([self.tail, piece])
            else:
                joined = piece
            self.tail = joined[-self.window:].astype(np.int32, copy=True) if flags[doc] else self.tail[:0]
        if len(flags):
            self.open = bool(flags[-1])

    def _pair(self, head: np.ndarray) -> None:
        tail = self.tail
        if not len(tail) or not len(head):
            return
        left, right = np.meshgrid(np.arange(len(tail)), np.arange(len(head)), indexing="ij")
        distance = (len(tail) - left) + right
        keep = distance <= self.window
        rows, cols = tail[left[keep]], head[right[keep]]
        values = self.weights[distance[keep]]
        self._rows.append(rows)
        self._cols.append(cols)
        self._values.append(values)
        if self.symmetric:
            self._rows.append(cols)
            self._cols.append(rows)
            self._values.append(values)

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(rows, cols, values)`` of the boundary pairs so far (unsorted, with repeats)."""
        if not self._rows:
            return (np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0, self.weights.dtype))
        return (np.concatenate(self._rows).astype(np.int32), np.concatenate(self._cols).astype(np.int32),
                np.concatenate(self._values))


def add_sorted(rows: np.ndarray, cols: np.ndarray, values: np.ndarray, extra_rows: np.ndarray,
               extra_cols: np.ndarray, extra_values: np.ndarray, n_cols: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Add a few entries to coordinates sorted by (row, col), keeping them sorted and unique.

    Entries already present are added in place; only new ones make the arrays grow, so adding the
    boundary pairs costs about one copy of the counts at most, not a full re-sort.

    Examples
    --------
    >>> rows, cols, values = np.array([0, 1]), np.array([1, 0]), np.array([5, 7])
    >>> r, c, v = add_sorted(rows, cols, values, np.array([1, 0, 1]), np.array([0, 0, 0]), np.array([1, 2, 1]), 2)
    >>> r.tolist(), c.tolist(), v.tolist()
    ([0, 0, 1], [0, 1, 0], [2, 5, 9])
    """
    if not len(extra_rows):
        return rows, cols, values
    keys = extra_rows.astype(np.int64) * n_cols + extra_cols
    keys, inverse = np.unique(keys, return_inverse=True)
    summed = np.zeros(len(keys), dtype=values.dtype)
    np.add.at(summed, inverse, extra_values.astype(values.dtype))
    existing = rows.astype(np.int64) * n_cols + cols
    position = np.searchsorted(existing, keys)
    found = position < len(existing)
    found[found] = existing[position[found]] == keys[found]
    del existing
    values[position[found]] += summed[found]
    if found.all():
        return rows, cols, values
    new = ~found
    at = position[new]
    return (np.insert(rows, at, (keys[new] // n_cols).astype(rows.dtype)),
            np.insert(cols, at, (keys[new] % n_cols).astype(cols.dtype)),
            np.insert(values, at, summed[new]))
