"""Blocked and out-of-core storage of co-occurrence entries for training.

When the entries do not fit on the device, an epoch visits them block by block: the entries are
dealt once into ``n_blocks`` random blocks of equal size (padded with zero-weight entries to whole
batches); each epoch visits the blocks in a shuffled order and shuffles inside each block. The
blocks live either on the device (``out_of_core=False``) or in memory-mapped ``.npy`` files on
disk, streamed to the device one block ahead of the one being trained on (double buffering).
Both give the same result for the same block order: only where the bytes wait differs.
"""
from __future__ import annotations

import logging
import math
import os
import shutil
import tempfile
import weakref
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

from glove_gensim.train import Entries, host_entries, shuffle_keys, shuffled_index

logger = logging.getLogger(__name__)

_FIELDS = Entries._fields


class BlockStore:
    """Entries dealt into equal blocks, on the device or memory-mapped on disk.

    Parameters
    ----------
    rows, cols : int [nnz]
        Word ids (``cols`` not yet offset).
    values : float [nnz]
        Co-occurrence counts.
    n_words : int
    x_max, alpha : float
        Weighting parameters.
    batch_size : int
        Blocks are padded to whole batches.
    block_size : int
        Most entries per block (the device budget).
    seed : int
        Fixes how entries are dealt into blocks.
    out_of_core : bool
        Keep the blocks on disk (``tmp_dir``) instead of on the device.
    tmp_dir : path, optional
        Folder for the block files (removed when the store is garbage-collected).

    Examples
    --------
    >>> store = BlockStore(rows=np.array([0, 1, 1]), cols=np.array([1, 0, 1]),
    ...                    values=np.array([2.0, 2.0, 1.0]), n_words=2, x_max=100.0, alpha=0.75,
    ...                    batch_size=2, block_size=2, seed=0, out_of_core=True)
    >>> store.n_blocks, store.block_length
    (2, 2)
    >>> [entries.rows.shape for _, entries in store.epoch(jax.random.PRNGKey(0))]
    [(2,), (2,)]
    """

    def __init__(self, rows, cols, values, n_words: int, x_max: float, alpha: float, batch_size: int,
                 block_size: int, seed: int, out_of_core: bool, tmp_dir: str | os.PathLike | None = None):
        nnz = len(rows)
        self.n_entries = nnz
        self.n_blocks = max(1, math.ceil(nnz / block_size))
        per_block = math.ceil(nnz / self.n_blocks)
        self.block_length = per_block + (-per_block) % batch_size
        self.out_of_core = out_of_core
        dealt = np.random.default_rng(seed).permutation(nnz)
        self._folder = None
        if out_of_core:
            self._folder = Path(tempfile.mkdtemp(prefix="glove_gensim_blocks_", dir=tmp_dir))
            weakref.finalize(self, shutil.rmtree, self._folder, True)
            arrays = {name: np.lib.format.open_memmap(self._folder / f"{name}.npy", mode="w+",
                                                      dtype=np.int32 if name in ("rows", "cols") else np.float32,
                                                      shape=(self.n_blocks, self.block_length))
                      for name in _FIELDS}
        else:
            arrays = {name: np.zeros((self.n_blocks, self.block_length),
                                     np.int32 if name in ("rows", "cols") else np.float32) for name in _FIELDS}
        rows, cols, values = np.asarray(rows), np.asarray(cols), np.asarray(values)
        for block in range(self.n_blocks):
            chosen = dealt[block * per_block:(block + 1) * per_block]
            entries = host_entries(rows[chosen], cols[chosen], values[chosen], n_words, x_max, alpha,
                                   self.block_length)
            for name in _FIELDS:
                arrays[name][block] = getattr(entries, name)
        if out_of_core:
            for array in arrays.values():
                array.flush()
            self._host = {name: np.load(self._folder / f"{name}.npy", mmap_mode="r") for name in _FIELDS}
            self._device = None
            logger.info("out-of-core training: %d blocks of %d entries in %s", self.n_blocks,
                        self.block_length, self._folder)
        else:
            self._host = None
            self._device = {name: jnp.asarray(array) for name, array in arrays.items()}

    def block(self, index: int) -> Entries:
        """Block ``index`` on the device (transfer starts now; JAX dispatch is asynchronous)."""
        if self._device is not None:
            return Entries(*(self._device[name][index] for name in _FIELDS))
        return Entries(*(jax.device_put(np.ascontiguousarray(self._host[name][index])) for name in _FIELDS))

    def order(self, key: jax.Array) -> list[int]:
        """The epoch's block order, from its key."""
        positions = jnp.arange(self.n_blocks, dtype=jnp.uint32)
        return [int(i) for i in np.asarray(shuffled_index(positions, self.n_blocks, shuffle_keys(key)))]

    def epoch(self, key: jax.Array):
        """Yield ``(block_key, entries)`` in the epoch's order, the next block already in flight."""
        order = self.order(jax.random.fold_in(key, 0))
        upcoming = self.block(order[0])
        for position, index in enumerate(order):
            current = upcoming
            if position + 1 < len(order):
                upcoming = self.block(order[position + 1])
            yield jax.random.fold_in(key, index + 1), current
