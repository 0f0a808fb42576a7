"""Vocabulary helpers shared by the evaluation modules (private).

gensim's evaluation methods look words up through a restricted, optionally case-folded copy of
``key_to_index``: the first ``restrict_vocab`` keys, upper-cased when ``case_insensitive`` is true,
with the *first* (most frequent) case variant winning. :func:`build_lookup` reproduces that rule so
our scores equal gensim's on the same vectors.
"""
from __future__ import annotations

import numpy as np
from gensim.models import KeyedVectors


def fold(word: str, case_insensitive: bool) -> str:
    """Return ``word`` as gensim compares it (upper-cased when ``case_insensitive``).

    Examples
    --------
    >>> fold("Paris", case_insensitive=True), fold("Paris", case_insensitive=False)
    ('PARIS', 'Paris')
    """
    return word.upper() if case_insensitive else word


def build_lookup(kv: KeyedVectors, restrict_vocab: int | None, case_insensitive: bool) -> dict[str, int]:
    """Map (folded) words to row indices among the first ``restrict_vocab`` keys, as gensim does.

    Parameters
    ----------
    kv : KeyedVectors
        The vectors.
    restrict_vocab : int or None
        Only the first ``restrict_vocab`` keys take part (None: all).
    case_insensitive : bool
        Fold keys with ``str.upper``; the first variant in key order wins.

    Returns
    -------
    dict of str to int

    Examples
    --------
    >>> kv = KeyedVectors(2)
    >>> kv.add_vectors(["Paris", "paris", "city"], np.eye(3, 2))
    >>> build_lookup(kv, restrict_vocab=None, case_insensitive=True)
    {'PARIS': 0, 'CITY': 2}
    >>> build_lookup(kv, restrict_vocab=2, case_insensitive=False)
    {'Paris': 0, 'paris': 1}
    """
    return lookup_keys(kv.index_to_key, restrict_vocab, case_insensitive)


def lookup_keys(keys: list, restrict_vocab: int | None, case_insensitive: bool) -> dict[str, int]:
    """:func:`build_lookup` on a plain list of keys (in vocabulary order); keys that are not strings
    are kept as they are.

    Examples
    --------
    >>> lookup_keys(["Paris", "paris", 7, "city"], restrict_vocab=3, case_insensitive=True)
    {'PARIS': 0, 7: 2}
    """
    keys = keys if restrict_vocab is None else keys[:restrict_vocab]
    lookup: dict[str, int] = {}
    for index, key in enumerate(keys):
        folded = fold(key, case_insensitive) if isinstance(key, str) else key
        lookup.setdefault(folded, index)
    return lookup


def unit_rows(vectors: np.ndarray, dtype: type = np.float32) -> np.ndarray:
    """Rows of ``vectors`` scaled to unit length; all-zero rows stay zero. Shape ``[n, dim]``.

    Examples
    --------
    >>> unit_rows(np.array([[3.0, 4.0], [0.0, 0.0]]))
    array([[0.6, 0.8],
           [0. , 0. ]], dtype=float32)
    """
    vectors = np.asarray(vectors, dtype=dtype)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1).astype(dtype)


def check_kv(kv: object, name: str = "kv") -> KeyedVectors:
    """Raise a clear ``TypeError`` unless ``kv`` is a gensim ``KeyedVectors``.

    Examples
    --------
    >>> check_kv(KeyedVectors(2))
    Traceback (most recent call last):
    ...
    ValueError: kv has no words
    >>> check_kv([[0.5, 1.0]], name="models['glove']")
    Traceback (most recent call last):
    ...
    TypeError: models['glove'] must be a gensim KeyedVectors, not list
    """
    if not isinstance(kv, KeyedVectors):
        hint = " (pass model.wv, not the model)" if hasattr(kv, "wv") else ""
        raise TypeError(f"{name} must be a gensim KeyedVectors, not {type(kv).__name__}{hint}")
    if len(kv.index_to_key) == 0:
        raise ValueError(f"{name} has no words")
    return kv
