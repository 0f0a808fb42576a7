"""JAX's randomness, reproduced on the host without importing JAX.

The CPU engine must start from the same tables and visit the entries in the same order as the JAX
engine for the same seed, so that the two can be compared entry for entry. This module ports, in
NumPy and numba, exactly what the JAX engine uses:

* the threefry-2x32 key derivation (``jax.random.PRNGKey``, ``fold_in``, ``split``, 32-bit
  ``bits`` and float32 ``uniform``, with ``jax_threefry_partitionable`` on, JAX's default since
  0.5), which gives glove.c's initialisation (:func:`init_tables`) and each epoch's shuffle keys;
* the keyed Feistel bijection of :func:`glove_gensim.train.shuffled_index`
  (:func:`shuffled_position`), callable inside numba kernels so an epoch's order is never
  materialised.

Tests hold every function here to its JAX counterpart bit for bit.

Examples
--------
>>> key = prng_key(1)
>>> key.tolist()
[0, 1]
>>> order = shuffled_order(10, shuffle_keys(fold_in(key, 1)))
>>> sorted(order.tolist()) == list(range(10))
True
"""
from __future__ import annotations

import numba
import numpy as np

_MASK32 = 0xFFFFFFFF
_ROTATIONS = ((13, 15, 26, 6), (17, 29, 16, 24))
FEISTEL_ROUNDS = 4


def _rotate_left(x: np.ndarray, r: int) -> np.ndarray:
    return (x << np.uint32(r)) | (x >> np.uint32(32 - r))


def threefry2x32(key: np.ndarray, x0: np.ndarray, x1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The threefry-2x32 block cipher (20 rounds) of counters ``(x0, x1)`` (``uint32``, same
    shape) under ``key`` (``uint32 [2]``), as ``jax.random``'s ``threefry2x32_p``.

    Examples
    --------
    >>> y0, y1 = threefry2x32(prng_key(1), np.zeros(2, np.uint32), np.arange(2, dtype=np.uint32))
    >>> y0.tolist(), y1.tolist()
    ([507451445, 1948878966], [1853169794, 4237131848])
    """
    with np.errstate(over="ignore"):
        k0, k1 = np.uint32(key[0]), np.uint32(key[1])
        ks = (k0, k1, np.uint32(k0 ^ k1 ^ np.uint32(0x1BD11BDA)))
        x0 = np.asarray(x0, np.uint32) + ks[0]
        x1 = np.asarray(x1, np.uint32) + ks[1]
        for step in range(5):
            for r in _ROTATIONS[step % 2]:
                x0 = x0 + x1
                x1 = _rotate_left(x1, r) ^ x0
            x0 = x0 + ks[(step + 1) % 3]
            x1 = x1 + ks[(step + 2) % 3] + np.uint32(step + 1)
    return x0, x1


def prng_key(seed: int) -> np.ndarray:
    """``jax.random.PRNGKey(seed)`` (``uint32 [2]``: the high and low 32 bits of ``seed``).

    Examples
    --------
    >>> prng_key(2**32 + 7).tolist()
    [1, 7]
    """
    return np.array([(seed >> 32) & _MASK32, seed & _MASK32], np.uint32)


def fold_in(key: np.ndarray, data: int) -> np.ndarray:
    """``jax.random.fold_in(key, data)``.

    Examples
    --------
    >>> import jax
    >>> fold_in(prng_key(1), 3).tolist() == jax.random.fold_in(jax.random.PRNGKey(1), 3).tolist()
    True
    """
    y0, y1 = threefry2x32(key, np.zeros(1, np.uint32), np.array([data & _MASK32], np.uint32))
    return np.array([y0[0], y1[0]], np.uint32)


def _counters(shape: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """High and low 32 bits of each element's flat index (``iota_2x32_shape``)."""
    flat = np.arange(int(np.prod(shape)), dtype=np.uint64).reshape(shape)
    return (flat >> np.uint64(32)).astype(np.uint32), (flat & np.uint64(_MASK32)).astype(np.uint32)


def split(key: np.ndarray, num: int = 2) -> np.ndarray:
    """``jax.random.split(key, num)``: ``uint32 [num, 2]``.

    Examples
    --------
    >>> split(prng_key(1)).tolist()
    [[507451445, 1853169794], [1948878966, 4237131848]]
    """
    bits0, bits1 = threefry2x32(key, *_counters((num,)))
    return np.stack([bits0, bits1], axis=1)


def random_bits(key: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """``jax.random.bits(key, shape, uint32)``.

    Examples
    --------
    >>> import jax
    >>> random_bits(prng_key(1), (3,)).tolist() == jax.random.bits(jax.random.PRNGKey(1), (3,)).tolist()
    True
    """
    bits0, bits1 = threefry2x32(key, *_counters(shape))
    return bits0 ^ bits1


def uniform(key: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """``jax.random.uniform(key, shape, float32)`` in ``[0, 1)``: 23 random mantissa bits.

    Examples
    --------
    >>> import jax
    >>> sample = uniform(prng_key(1), (2, 3))
    >>> sample.dtype, bool(np.array_equal(sample, jax.random.uniform(jax.random.PRNGKey(1), (2, 3))))
    (dtype('float32'), True)
    """
    bits = random_bits(key, shape)
    return ((bits >> np.uint32(9)) | np.uint32(0x3F800000)).view(np.float32) - np.float32(1.0)


def init_tables(seed: int, n_words: int, dim: int) -> tuple[np.ndarray, np.ndarray]:
    """:func:`glove_gensim.train.init_params` for ``PRNGKey(seed)``, as NumPy arrays: vectors
    ``float32 [2V, dim]`` and biases ``float32 [2V]``, uniform in ``[-0.5, 0.5] / dim``.

    Examples
    --------
    >>> vectors, biases = init_tables(seed=1, n_words=2, dim=3)
    >>> vectors.shape, biases.shape, bool(np.abs(vectors).max() <= 0.5 / 3)
    ((4, 3), (4,), True)
    """
    k_vectors, k_biases = split(prng_key(seed))
    scale = np.float32(1.0) / np.float32(dim)  # XLA divides by a constant as a product with its inverse
    vectors = (uniform(k_vectors, (2 * n_words, dim)) - np.float32(0.5)) * scale
    biases = (uniform(k_biases, (2 * n_words,)) - np.float32(0.5)) * scale
    return vectors, biases


def shuffle_keys(key: np.ndarray) -> np.ndarray:
    """:func:`glove_gensim.train.shuffle_keys`: the Feistel round keys, ``uint32 [4]``.

    Examples
    --------
    >>> shuffle_keys(prng_key(1)).tolist()
    [1883912375, 2292451390, 1915204986, 1882898417]
    """
    return random_bits(key, (FEISTEL_ROUNDS,))


def epoch_keys(seed: int, epoch: int) -> np.ndarray:
    """Round keys of epoch ``epoch``'s shuffle (0-based), as the JAX engine draws them:
    ``shuffle_keys(fold_in(PRNGKey(seed), epoch + 1))``.

    Examples
    --------
    >>> bool(np.array_equal(epoch_keys(1, 0), shuffle_keys(fold_in(prng_key(1), 1))))
    True
    """
    return shuffle_keys(fold_in(prng_key(seed), epoch + 1))


def feistel_half_bits(n: int) -> int:
    """Bits of each half of the Feistel network permuting ``range(n)``.

    Examples
    --------
    >>> feistel_half_bits(10), feistel_half_bits(1000)
    (2, 5)
    """
    return max(1, (max(n - 1, 1).bit_length() + 1) // 2)


@numba.njit(nogil=True, inline="always", cache=True)
def _mix(x, round_key):
    """murmur3's 32-bit finaliser of ``x ^ round_key`` (values held in uint64, masked to 32 bits)."""
    x = x ^ round_key
    x = ((x ^ (x >> 16)) * np.uint64(0x85EBCA6B)) & np.uint64(0xFFFFFFFF)
    x = ((x ^ (x >> 13)) * np.uint64(0xC2B2AE35)) & np.uint64(0xFFFFFFFF)
    return x ^ (x >> 16)


@numba.njit(nogil=True, cache=True)
def shuffled_position(position, n, half, round_keys):
    """Image of ``position`` under the epoch's permutation of ``range(n)``
    (:func:`glove_gensim.train.shuffled_index`; ``half`` from :func:`feistel_half_bits`,
    ``round_keys`` ``uint64 [4]`` holding the 32-bit keys).

    Examples
    --------
    >>> keys = epoch_keys(1, 0).astype(np.uint64)
    >>> [shuffled_position(p, 5, feistel_half_bits(5), keys) for p in range(5)]
    [2, 1, 0, 3, 4]
    """
    mask = np.uint64((1 << half) - 1)
    shift = np.uint64(half)
    x = np.uint64(position)
    limit = np.uint64(n)
    while True:
        left, right = x >> shift, x & mask
        for r in range(round_keys.shape[0]):
            left, right = right, left ^ (_mix(right, round_keys[r]) & mask)
        x = (left << shift) | right
        if x < limit:
            return np.int64(x)


@numba.njit(nogil=True, cache=True)
def _order(n, half, round_keys):
    out = np.empty(n, np.int64)
    for position in range(n):
        out[position] = shuffled_position(position, n, half, round_keys)
    return out


def shuffled_order(n: int, round_keys: np.ndarray) -> np.ndarray:
    """The whole permutation ``int64 [n]`` (for tests and block orders; kernels call
    :func:`shuffled_position` per entry instead).

    Examples
    --------
    >>> shuffled_order(5, epoch_keys(1, 0)).tolist()
    [2, 1, 0, 3, 4]
    """
    return _order(n, feistel_half_bits(n), np.asarray(round_keys, np.uint64))
