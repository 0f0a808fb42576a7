"""Numba kernels behind :mod:`glove_gensim.byte_reading`: whitespace tokenization of UTF-8 bytes
straight to provisional ids, with no Python string per token.

Distinct words live in an *arena*: their bytes laid end to end, each followed by ``\\n`` (a byte
no word holds), so the arena decodes to all words with one ``bytes.decode().split("\\n")``.
``starts[i]`` is the arena offset of word ``i``; ``hashes[i]`` its 64-bit FNV-1a hash; ``slots``
an open-addressing table (power-of-two size, ``-1`` empty) of word ids keyed by hash.

Whitespace is exactly ``str.split()``'s: the ASCII bytes ``\\t \\n \\v \\f \\r``, ``\\x1c``-``\\x1f``
and space, and the UTF-8 encodings of U+0085, U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029,
U+202F, U+205F and U+3000. Document breaks are those of
:func:`glove_gensim.corpus.iter_text_documents`: every ``\\n`` (lines), or a ``\\n``, any of
``[ \\t\\r\\f\\v]``, and another ``\\n`` (paragraphs). Compiled once and cached on disk; every
kernel releases the GIL.
"""
from __future__ import annotations

import numba
import numpy as np

_FNV_OFFSET = np.uint64(0xCBF29CE484222325)
_FNV_PRIME = np.uint64(0x100000001B3)
NEED_ROOM = 1
DONE = 0


@numba.njit(cache=True, nogil=True, inline="always")
def _space_length(buf, i, end):
    """Bytes of the whitespace character at ``buf[i]``, 0 if it starts none."""
    b = buf[i]
    if b == 32 or (9 <= b <= 13) or (28 <= b <= 31):
        return 1
    if b < 0xC2 or b > 0xE3:
        return 0
    if b == 0xC2:
        if i + 1 < end and (buf[i + 1] == 0x85 or buf[i + 1] == 0xA0):
            return 2
        return 0
    if i + 2 >= end:
        return 0
    c, d = buf[i + 1], buf[i + 2]
    if b == 0xE1:
        return 3 if c == 0x9A and d == 0x80 else 0
    if b == 0xE2:
        if c == 0x80 and (0x80 <= d <= 0x8A or d == 0xA8 or d == 0xA9 or d == 0xAF):
            return 3
        return 3 if c == 0x81 and d == 0x9F else 0
    if b == 0xE3:
        return 3 if c == 0x80 and d == 0x80 else 0
    return 0


@numba.njit(cache=True, nogil=True)
def tokenize_block(buf, pos, end, line_mode, state, slots, hashes, starts, chars, counts, sizes,
                   ids, doc_ends):
    """Tokenize ``buf[pos:end]``: append provisional ids to ``ids`` and document ends to ``doc_ends``.

    Parameters
    ----------
    buf : uint8 [n]
        UTF-8 bytes; ``end`` must fall after a ``\\n`` or at the end of a file.
    pos, end : int
        Byte range to read.
    line_mode : bool
        A document per line (else per blank-line separated paragraph).
    state : int64 [2]
        Carried between calls: ``state[0]`` is 1 after a ``\\n`` followed only by ``[ \\t\\r\\f\\v]``,
        ``state[1]`` is 1 when a document break is pending.
    slots, hashes, starts, chars, counts
        The word table (see the module docstring); ``counts[i]`` counts word ``i``.
    sizes : int64 [4]
        In and out: words, arena bytes used, ids used, document ends used.
    ids : int32 [>= tokens]
        Provisional ids, documents laid end to end (the open document's ids stay at the end).
    doc_ends : int64
        ``doc_ends[k]`` is the end offset of document ``k`` in ``ids`` (only non-empty ones).

    Returns
    -------
    status, pos : int
        ``DONE`` with ``pos == end``, or ``NEED_ROOM`` with the offset of the word that did not fit
        (grow the table or the arena, :func:`rebuild_slots`, and call again from there).

    Examples
    --------
    >>> slots = np.full(8, -1, np.int32)
    >>> hashes, starts = np.zeros(4, np.uint64), np.zeros(5, np.int64)
    >>> chars, counts, sizes = np.zeros(32, np.uint8), np.zeros(4, np.int64), np.zeros(4, np.int64)
    >>> ids, doc_ends = np.zeros(8, np.int32), np.zeros(8, np.int64)
    >>> buf = np.frombuffer(b"b a b\\n\\nc a\\n", np.uint8)
    >>> tokenize_block(buf, 0, len(buf), False, np.zeros(2, np.int64), slots, hashes, starts, chars,
    ...                counts, sizes, ids, doc_ends)
    (0, 11)
    >>> sizes.tolist(), ids[:5].tolist(), doc_ends[:1].tolist(), counts[:3].tolist()
    ([3, 6, 5, 1], [0, 1, 0, 2, 1], [3], [2, 2, 1])
    >>> bytes(chars[:6]).decode().split("\\n")
    ['b', 'a', 'c', '']
    """
    mask = slots.shape[0] - 1
    max_used = slots.shape[0] >> 1
    n_types, n_chars, n_ids, n_docs = sizes[0], sizes[1], sizes[2], sizes[3]
    doc_start = doc_ends[n_docs - 1] if n_docs > 0 else 0
    newline, pending = state[0], state[1]
    i = pos
    while i < end:
        b = buf[i]
        if b == 10:
            if line_mode or newline == 1:
                pending = 1
            newline = 1
            i += 1
            continue
        length = _space_length(buf, i, end)
        if length > 0:
            if not (b == 32 or b == 9 or b == 13 or b == 12 or b == 11):
                newline = 0
            i += length
            continue
        j = i
        h = _FNV_OFFSET
        while j < end:
            if buf[j] == 10 or _space_length(buf, j, end) > 0:
                break
            h = (h ^ np.uint64(buf[j])) * _FNV_PRIME
            j += 1
        if pending == 1 and n_ids > doc_start:
            doc_ends[n_docs] = n_ids
            n_docs += 1
            doc_start = n_ids
        pending = 0
        newline = 0
        s = np.int64(h & np.uint64(mask))
        found = -1
        while slots[s] >= 0:
            t = slots[s]
            if hashes[t] == h:
                a = starts[t]
                if starts[t + 1] - 1 - a == j - i:
                    same = True
                    for k in range(j - i):
                        if chars[a + k] != buf[i + k]:
                            same = False
                            break
                    if same:
                        found = t
                        break
            s = (s + 1) & mask
        if found < 0:
            if (n_types + 1 > max_used or n_types + 1 >= hashes.shape[0]
                    or n_chars + (j - i) + 1 > chars.shape[0]):
                sizes[0], sizes[1], sizes[2], sizes[3] = n_types, n_chars, n_ids, n_docs
                state[0], state[1] = newline, pending
                return NEED_ROOM, i
            for k in range(j - i):
                chars[n_chars + k] = buf[i + k]
            n_chars += j - i
            chars[n_chars] = 10
            n_chars += 1
            found = n_types
            hashes[found] = h
            starts[found + 1] = n_chars
            counts[found] = 0
            slots[s] = found
            n_types += 1
        counts[found] += 1
        ids[n_ids] = found
        n_ids += 1
        i = j
    sizes[0], sizes[1], sizes[2], sizes[3] = n_types, n_chars, n_ids, n_docs
    state[0], state[1] = newline, pending
    return DONE, end


@numba.njit(cache=True, nogil=True)
def rebuild_slots(hashes, n_types, slots):
    """Fill an empty (``-1``) ``slots`` table with the ids of the first ``n_types`` words.

    Examples
    --------
    >>> slots = np.full(4, -1, np.int32)
    >>> rebuild_slots(np.array([5, 1, 9], np.uint64), 3, slots)
    >>> sorted(slots.tolist())
    [-1, 0, 1, 2]
    """
    mask = slots.shape[0] - 1
    for t in range(n_types):
        s = np.int64(hashes[t] & np.uint64(mask))
        while slots[s] >= 0:
            s = (s + 1) & mask
        slots[s] = t
