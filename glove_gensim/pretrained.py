"""Pretrained vectors in: reading them, matching them to a vocabulary, and the Mittens term.

Mittens (Dingwall & Potts, 2018) adds ``mu * sum_i ||w_i + w~_i - r_i||^2`` over the words ``i``
that have a pretrained vector ``r_i`` to GloVe's cost. Here it is sparse: only the pretrained rows
are touched, once per epoch after the pass over the co-occurrence entries, with glove.c's AdaGrad
step (the same accumulators as the entries use), so an epoch costs ``O(nnz + P dim)``, never
``V x V``.

How a pretrained vector seeds the two tables: ``W[i] = W~[i] = r_i / 2`` (mittens' split, without
its noise: the exported ``W + W~`` starts exactly at ``r_i``); biases and the rows of words
without a pretrained vector start as without ``init_vectors``.
"""
from __future__ import annotations

import logging
import os
import warnings
from pathlib import Path
from typing import Any, NamedTuple

import numba
import numpy as np

logger = logging.getLogger(__name__)


class Pretrained(NamedTuple):
    """Pretrained vectors matched to a vocabulary.

    Attributes
    ----------
    index : int64 [P]
        Vocabulary ids of the words that have a pretrained vector.
    vectors : float32 [P, dim]
        Their pretrained vectors ``r``.

    Examples
    --------
    >>> Pretrained(np.array([0]), np.ones((1, 2), np.float32)).index.tolist()
    [0]
    """

    index: np.ndarray
    vectors: np.ndarray


def describe(init_vectors: Any) -> str:
    """How ``init_vectors`` is named in messages: its path, or ``"the KeyedVectors given"``.

    Examples
    --------
    >>> describe("glove.6B.50d.txt")
    'glove.6B.50d.txt'
    """
    if isinstance(init_vectors, (str, os.PathLike)):
        return str(init_vectors)
    return "the KeyedVectors given"


def read_pretrained(init_vectors: Any, vector_size: int | None):
    """``init_vectors`` as a gensim ``KeyedVectors`` of dimension ``vector_size`` (any, when
    ``None``): a
    ``KeyedVectors`` as is, or a path read by :func:`glove_gensim.io.load_glove` (Stanford text or
    binary, word2vec text; a truncated or corrupt file is refused naming the file and line).

    Raises
    ------
    ValueError
        The dimension differs from ``vector_size`` (both numbers and the source are named).

    Examples
    --------
    >>> from glove_gensim.embedding import make_keyed_vectors
    >>> kv = make_keyed_vectors(["cat"], np.ones((1, 3)))
    >>> read_pretrained(kv, 3) is kv
    True
    >>> read_pretrained(kv, 8)
    Traceback (most recent call last):
    ...
    ValueError: init_vectors: the KeyedVectors given holds vectors of dimension 3, but vector_size=8; give vector_size=3 (or leave it unset) or other vectors
    >>> read_pretrained(kv, None).vector_size
    3
    """
    from gensim.models import KeyedVectors

    if isinstance(init_vectors, (str, os.PathLike)):
        from glove_gensim.io import load_glove

        path = Path(init_vectors)
        if not path.is_file():
            raise FileNotFoundError(f"init_vectors: no file {path}")
        kv = load_glove(path)
    elif isinstance(init_vectors, KeyedVectors):
        kv = init_vectors
    else:
        raise TypeError("init_vectors must be a gensim KeyedVectors or the path of a vectors file, not "
                        f"{type(init_vectors).__name__}")
    if vector_size is not None and kv.vector_size != vector_size:
        raise ValueError(f"init_vectors: {describe(init_vectors)} holds vectors of dimension {kv.vector_size}, "
                         f"but vector_size={vector_size}; give vector_size={kv.vector_size} (or leave it "
                         "unset) or other vectors")
    if len(kv) and not np.isfinite(kv.vectors).all():
        raise ValueError(f"init_vectors: {describe(init_vectors)} holds NaN or infinite values")
    return kv


def match(kv, words: list[str], source: str) -> Pretrained:
    """The rows of ``kv`` for the vocabulary ``words`` that it holds; logs how many were found and
    warns (naming both sizes) when none is.

    Examples
    --------
    >>> from glove_gensim.embedding import make_keyed_vectors
    >>> kv = make_keyed_vectors(["cat", "emu"], np.eye(2))
    >>> match(kv, ["dog", "cat"], "kv").index.tolist()
    [1]
    """
    index = np.array([i for i, word in enumerate(words) if word in kv.key_to_index], dtype=np.int64)
    rows = np.array([kv.key_to_index[words[i]] for i in index], dtype=np.int64)
    vectors = np.asarray(kv.vectors[rows] if len(rows) else np.zeros((0, kv.vector_size)), dtype=np.float32)
    logger.info("init_vectors: %d of the %d vocabulary words found in %s (%d vectors)", len(index), len(words),
                source, len(kv))
    if len(index) == 0:
        warnings.warn(f"init_vectors: none of the {len(words)} vocabulary words is among the {len(kv)} words of "
                      f"{source}; every row starts at random", UserWarning, stacklevel=2)
    return Pretrained(index, vectors)


def seed_stacked(vectors: np.ndarray, n_words: int, pretrained: Pretrained, copy: bool = True) -> np.ndarray:
    """The stacked ``[2V, dim]`` table with ``W[i] = W~[i] = r_i / 2`` for each pretrained word
    ``i``: a copy, or ``vectors`` itself changed in place (``copy=False``: no second table).

    Examples
    --------
    >>> seed_stacked(np.zeros((4, 1)), 2, Pretrained(np.array([1]), np.array([[4.0]], np.float32))).ravel().tolist()
    [0.0, 2.0, 0.0, 2.0]
    >>> table = np.zeros((4, 1))
    >>> seed_stacked(table, 2, Pretrained(np.array([0]), np.array([[2.0]], np.float32)), copy=False) is table
    True
    """
    table = np.array(vectors, copy=True) if copy else vectors
    half = 0.5 * pretrained.vectors.astype(table.dtype)
    table[pretrained.index] = half
    table[pretrained.index + n_words] = half
    return table


def mittens_cost(vectors: Any, n_words: int, index: Any, targets: Any, mu: float, xp=np) -> Any:
    """The Mittens term ``mu * sum_i ||w_i + w~_i - r_i||^2`` over the pretrained rows ``index``
    of the stacked table (``xp``: ``numpy`` or ``jax.numpy``; differentiable with JAX).

    Examples
    --------
    >>> float(mittens_cost(np.ones((4, 2)), 2, np.array([0]), np.zeros((1, 2)), 0.5))
    4.0
    """
    distance = vectors[index] + vectors[index + n_words] - targets
    return mu * xp.sum(distance * distance)


@numba.njit(nogil=True, cache=True)
def mittens_pass(vectors, acc_v, n_words, index, targets, mu, eta, clip):
    """One AdaGrad pass (glove.c's step: clipped gradient times ``eta`` over the root of the
    accumulator, which then adds the squared step) of the Mittens term over the pretrained rows,
    in place; returns the term's value before the pass (float64).

    Examples
    --------
    >>> vectors, acc = np.ones((2, 1), np.float32), np.ones((2, 1), np.float32)
    >>> cost = mittens_pass(vectors, acc, 1, np.array([0]), np.zeros((1, 1), np.float32),
    ...                     np.float32(1.0), np.float32(0.1), np.float32(100.0))
    >>> round(cost, 6), [round(float(v), 6) for v in vectors.ravel()]
    (4.0, [0.6, 0.6])
    """
    total = 0.0
    for k in range(index.shape[0]):
        i = index[k]
        j = i + n_words
        w, c, r = vectors[i], vectors[j], targets[k]
        gw, gc = acc_v[i], acc_v[j]
        for b in range(w.shape[0]):
            distance = w[b] + c[b] - r[b]
            total += mu * np.float64(distance) * np.float64(distance)
            step = min(max(2 * mu * distance, -clip), clip) * eta
            w[b] -= step / np.sqrt(gw[b])
            c[b] -= step / np.sqrt(gc[b])
            gw[b] += step * step
            gc[b] += step * step
    return total


def mittens_step_jax(vectors, acc_v, n_words: int, index, targets, mu: float, eta: float, clip: float):
    """:func:`mittens_pass` for JAX arrays (functional; the same rows, step and accumulators):
    returns ``(vectors, acc_v, cost)``.

    Examples
    --------
    >>> import jax.numpy as jnp
    >>> vectors, acc, cost = mittens_step_jax(jnp.ones((2, 1)), jnp.ones((2, 1)), 1, jnp.array([0]),
    ...                                       jnp.zeros((1, 1)), 1.0, 0.1, 100.0)
    >>> round(float(cost), 6), [round(float(v), 6) for v in vectors.ravel()]
    (4.0, [0.6, 0.6])
    """
    import jax.numpy as jnp

    both = jnp.concatenate([index, index + n_words])
    distance = vectors[index] + vectors[index + n_words] - targets
    cost = mu * jnp.sum(distance * distance)
    step = jnp.clip(2 * mu * distance, -clip, clip) * eta
    steps = jnp.concatenate([step, step])
    vectors = vectors.at[both].add(-steps / jnp.sqrt(acc_v[both]))
    acc_v = acc_v.at[both].add(steps * steps)
    return vectors, acc_v, cost
