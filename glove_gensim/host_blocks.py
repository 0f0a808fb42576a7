"""Blocks of co-occurrence entries for the CPU engine, in memory or on disk, read one at a time.

When the entries do not fit in the memory a process may use (``memory_limit``), the CPU engine
trains block by block from a file: the entries are dealt once into ``n_blocks`` blocks of equal
size and each block is read, when its turn comes, into one reused buffer (explicit reads, not a
memory map: a mapped file's pages would count in the RSS), so the memory held is one block,
however many entries there are.

The order, all of it keyed by ``seed`` alone (so a resumed run continues bit for bit):

* **dealing**: entry ``i`` (in the order of the counts) goes to block
  ``P(i) // per_block``, ``P`` the keyed Feistel permutation of ``range(nnz)`` of
  :mod:`glove_gensim.host_random` with the round keys of ``fold_in(PRNGKey(seed), 0)``; inside
  a block the entries keep the order of the counts;
* **epoch** ``e``: with ``key = fold_in(PRNGKey(seed), e + 1)``, the blocks are visited in the
  Feistel order of ``range(n_blocks)`` keyed by ``fold_in(key, 0)``, and block ``b`` is shuffled
  by the keys of ``fold_in(key, b + 1)``: the JAX engine's block order
  (:class:`glove_gensim.blocks.BlockStore`);
* **one block** is the in-memory epoch exactly: the entries in the order of the counts, shuffled
  by :func:`~glove_gensim.host_random.epoch_keys` ``(seed, e)``; with one thread the result equals
  in-memory training bit for bit.

Nothing here imports JAX.

Examples
--------
>>> import numpy as np
>>> rows, cols = np.array([0, 1, 1, 0]), np.array([1, 0, 1, 0])
>>> store = HostBlocks(rows, cols, np.array([2.0, 2.0, 1.0, 3.0]), n_words=2, x_max=10.0, alpha=0.75,
...                    block_size=2, seed=1, out_of_core=True)
>>> store.n_blocks, sorted(len(entries) for _, entries, _ in store.epoch(0))
(2, [2, 2])
>>> store.close()
"""
from __future__ import annotations

import logging
import math
import os
import shutil
import tempfile
import weakref
from pathlib import Path
from typing import Iterator, Sequence

import numba
import numpy as np

from glove_gensim.cpu_engine import ENTRY_DTYPE, entries_into
from glove_gensim.host_random import (epoch_keys, feistel_half_bits, fold_in, prng_key, shuffle_keys,
                                      shuffled_order, shuffled_position)
from glove_gensim.memory import chunk_slices, format_bytes, release_pages, trim_heap

logger = logging.getLogger(__name__)

DEAL_CHUNK = 1 << 20
"""Entries dealt at a time (their temporaries are a few times ``16 * DEAL_CHUNK`` bytes)."""


@numba.njit(nogil=True, cache=True)
def _positions(start, stop, n, half, round_keys):
    """``P(i)`` for ``i`` in ``range(start, stop)``: the keyed permutation of ``range(n)``."""
    out = np.empty(stop - start, np.int64)
    for k in range(stop - start):
        out[k] = shuffled_position(start + k, n, half, round_keys)
    return out


def block_keys(seed: int, epoch: int, block: int, n_blocks: int) -> np.ndarray:
    """Round keys (``uint32 [4]``) of block ``block``'s shuffle in epoch ``epoch``.

    Examples
    --------
    >>> bool(np.array_equal(block_keys(1, 3, 0, 1), epoch_keys(1, 3)))
    True
    """
    if n_blocks == 1:
        return epoch_keys(seed, epoch)
    return shuffle_keys(fold_in(fold_in(prng_key(seed), epoch + 1), block + 1))


def block_order(seed: int, epoch: int, n_blocks: int) -> np.ndarray:
    """The blocks in the order epoch ``epoch`` visits them.

    Examples
    --------
    >>> sorted(block_order(1, 0, 4).tolist())
    [0, 1, 2, 3]
    """
    if n_blocks == 1:
        return np.zeros(1, np.int64)
    return shuffled_order(n_blocks, shuffle_keys(fold_in(fold_in(prng_key(seed), epoch + 1), 0)))


def _read_exactly(handle, array: np.ndarray, what: str) -> None:
    """Fill the contiguous ``array`` from the unbuffered file ``handle`` (raw reads may come short)."""
    target = memoryview(array.view(np.uint8)).cast("B")
    got = 0
    while got < len(target):
        n = handle.readinto(target[got:])
        if not n:
            raise OSError(f"{what} is shorter than expected")
        got += n


class HostBlocks:
    """Entries (:data:`~glove_gensim.cpu_engine.ENTRY_DTYPE`) dealt into equal blocks, held in
    memory or in a temporary file (``out_of_core``) read a block at a time into a reused buffer.

    Parameters
    ----------
    rows, cols, values : arrays [nnz]
        The counts (memory maps are read a slice at a time, their pages handed back).
    n_words : int
    x_max, alpha : float
        Weighting parameters.
    block_size : int
        Most entries per block.
    seed : int
        Keys the dealing and the epochs' orders (see the module's description).
    out_of_core : bool
        Keep the blocks in a file in ``tmp_dir`` (removed by :meth:`close` or when the store is
        garbage-collected).
    tmp_dir : path, optional

    Examples
    --------
    >>> store = HostBlocks(np.array([0, 1]), np.array([1, 0]), np.array([2.0, 2.0]), 2, 10.0, 0.75,
    ...                    block_size=8, seed=0, out_of_core=False)
    >>> store.n_blocks, store.n_entries, store.block_length
    (1, 2, 2)
    """

    def __init__(self, rows, cols, values, n_words: int, x_max: float, alpha: float, block_size: int, seed: int,
                 out_of_core: bool, tmp_dir: str | os.PathLike | None = None) -> None:
        nnz = len(rows)
        self.n_entries = nnz
        self.n_blocks = max(1, math.ceil(nnz / block_size))
        self.block_length = max(1, math.ceil(nnz / self.n_blocks))
        self.out_of_core = out_of_core
        self._seed = seed
        self._folder: Path | None = None
        if out_of_core:
            self._folder = Path(tempfile.mkdtemp(prefix="glove_gensim_blocks_", dir=tmp_dir))
            self._finalizer = weakref.finalize(self, shutil.rmtree, self._folder, True)
            self._path = self._folder / "entries.bin"
            self._file = open(self._path, "w+b", buffering=0)
            self._file.truncate(nnz * ENTRY_DTYPE.itemsize)
            self._buffer = np.empty(self.block_length, ENTRY_DTYPE)
        else:
            self._entries = np.empty(nnz, ENTRY_DTYPE)
        self._deal(rows, cols, values, n_words, x_max, alpha, seed)
        trim_heap()
        if out_of_core:
            logger.info("CPU engine out of core: %d blocks of up to %d entries in %s, read one at a time "
                        "into a %s buffer", self.n_blocks, self.block_length, self._path,
                        format_bytes(self._buffer.nbytes))

    def _deal(self, rows, cols, values, n_words, x_max, alpha, seed) -> None:
        nnz, per_block = self.n_entries, self.block_length
        keys = shuffle_keys(fold_in(prng_key(seed), 0)).astype(np.uint64)
        half = feistel_half_bits(nnz)
        filled = np.zeros(self.n_blocks, np.int64)
        step = min(DEAL_CHUNK, max(per_block, 1 << 16))
        for part in chunk_slices(nnz, step):
            chunk = np.empty(part.stop - part.start, ENTRY_DTYPE)
            entries_into(chunk, rows[part], cols[part], values[part], n_words, x_max, alpha)
            for array in (rows, cols, values):
                release_pages(array)
            if self.n_blocks == 1:
                block = np.zeros(len(chunk), np.int64)
            else:
                block = _positions(part.start, part.stop, nnz, half, keys) // per_block
                chunk = chunk[np.argsort(block, kind="stable")]
            sizes = np.bincount(block, minlength=self.n_blocks)
            start = 0
            for b in np.flatnonzero(sizes):
                stop = start + int(sizes[b])
                offset = b * per_block + int(filled[b])
                if self.out_of_core:
                    os.pwrite(self._file.fileno(), chunk[start:stop].view(np.uint8),
                              offset * ENTRY_DTYPE.itemsize)
                else:
                    self._entries[offset:offset + stop - start] = chunk[start:stop]
                filled[b] += stop - start
                start = stop

    def block_entries(self, block: int) -> np.ndarray:
        """Block ``block``'s entries (on disk: read into the reused buffer, valid until the next read)."""
        start = block * self.block_length
        stop = min(start + self.block_length, self.n_entries)
        if not self.out_of_core:
            return self._entries[start:stop]
        view = self._buffer[:stop - start]
        self._file.seek(start * ENTRY_DTYPE.itemsize)
        _read_exactly(self._file, view, f"block file {self._path}")
        return view

    def epoch(self, epoch: int) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
        """Yield ``(block, entries, round_keys)`` in epoch ``epoch``'s order."""
        for block in block_order(self._seed, epoch, self.n_blocks):
            block = int(block)
            yield block, self.block_entries(block), block_keys(self._seed, epoch, block, self.n_blocks)

    def save_tables(self, arrays: Sequence[np.ndarray]) -> None:
        """Write ``arrays`` (the tables an epoch may have to fall back to) to a file beside the
        blocks, through the page cache: out of core, a copy in memory would double the tables'
        share of the process's memory. :meth:`restore_tables` reads them back in place.

        Examples
        --------
        >>> store = HostBlocks(np.array([0, 1]), np.array([1, 0]), np.array([2.0, 2.0]), 2, 10.0, 0.75,
        ...                    block_size=8, seed=0, out_of_core=True)
        >>> table = np.arange(6, dtype=np.float32).reshape(2, 3)
        >>> store.save_tables([table])
        >>> table[:] = -1.0
        >>> store.restore_tables([table])
        >>> table.tolist()
        [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
        >>> store.close()
        """
        if not self.out_of_core:
            raise ValueError("save_tables needs out_of_core=True (in memory, copy the tables instead)")
        with open(self._folder / "tables.bin", "wb") as handle:
            for array in arrays:
                handle.write(memoryview(np.ascontiguousarray(array)).cast("B"))

    def restore_tables(self, arrays: Sequence[np.ndarray]) -> None:
        """Overwrite ``arrays`` in place with what :meth:`save_tables` wrote (same shapes, same order)."""
        path = self._folder / "tables.bin"
        with open(path, "rb", buffering=0) as handle:
            for array in arrays:
                _read_exactly(handle, array, f"table snapshot {path}")

    def close(self) -> None:
        """Remove the block file (on disk) or drop the entries."""
        if self.out_of_core:
            self._file.close()
            self._finalizer()
        else:
            self._entries = np.empty(0, ENTRY_DTYPE)
