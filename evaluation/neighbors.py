"""Nearest neighbours of probe words, several models side by side, and their overlap.

Examples
--------
>>> kv = KeyedVectors(2)
>>> kv.add_vectors(["computer", "software", "keyboard", "internet", "news"],
...                [[1, 0], [1, 0.1], [1, 0.3], [1, 0.35], [0.2, 1]])
>>> other = KeyedVectors(2)
>>> other.add_vectors(["computer", "software", "keyboard", "internet", "news"],
...                   [[1, 0], [0.2, 1], [1, 0.3], [1, 0.1], [0, 1]])
>>> result = nearest_neighbors({"a": kv, "b": other}, k=2, n_default_probes=2)
>>> result.probes, [word for word, _ in result.neighbors["computer"]["b"]]
(['computer', 'software'], ['internet', 'keyboard'])
>>> result.overlap["computer"], result.mean_overlap
({('a', 'b'): 0.5}, {('a', 'b'): 0.5})
"""
from __future__ import annotations

import itertools
import logging
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

import numpy as np
from gensim.models import KeyedVectors

from evaluation._vocab import check_kv, unit_rows

logger = logging.getLogger(__name__)

#: A small English stop-word list, skipped when choosing default probes.
STOP_WORDS: frozenset[str] = frozenset("""
a about above after again against all also am an and any are aren't as at be because been before
being below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't
down during each few for from further had hadn't has hasn't have haven't having he he'd he'll he's her
here here's hers herself him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its
itself let's me more most mustn't my myself no nor not of off on once only or other ought our ours
ourselves out over own said same say says shan't she she'd she'll she's should shouldn't so some such
than that that's the their theirs them themselves then there there's these they they'd they'll
they're they've this those through to too under until up upon us very was wasn't we we'd we'll we're
we've were weren't what what's when when's where where's which while who who's whom why why's will
with won't would wouldn't you you'd you'll you're you've your yours yourself yourselves one two
may might must shall just s t now like also even many much new well
""".split())


@dataclass
class NeighborsResult:
    """Top-k neighbours per probe and model, and pairwise overlap@k.

    Attributes
    ----------
    k : int
    models : list of str
    probes : list of str
        Probes in order (defaults first, then the user's).
    neighbors : dict of str to dict of str to list of (str, float)
        ``neighbors[probe][model]`` = the k nearest keys with their cosines (absent when the probe
        is out of the model's vocabulary).
    oov : dict of str to list of str
        Probes missing from each model.
    overlap : dict of str to dict of (str, str) to float
        ``overlap[probe][(m1, m2)]`` = shared neighbours / k, for probes both models know.
    mean_overlap : dict of (str, str) to float
        Mean over probes of the overlap of each model pair (NaN when no common probe).

    Examples
    --------
    >>> kv = KeyedVectors(2)
    >>> kv.add_vectors(["computer", "software", "keyboard", "internet", "news"],
    ...                [[1, 0], [1, 0.1], [1, 0.3], [1, 0.35], [0.2, 1]])
    >>> result = nearest_neighbors({"toy": kv}, probes=["unknown"], k=2, n_default_probes=1)
    >>> result.probes, result.oov, result.neighbors["computer"]["toy"][0][0]
    (['computer', 'unknown'], {'toy': ['unknown']}, 'software')
    >>> result.to_dict()["oov"]
    {'toy': ['unknown']}
    """

    k: int
    models: list[str]
    probes: list[str]
    neighbors: dict[str, dict[str, list[tuple[str, float]]]]
    oov: dict[str, list[str]]
    overlap: dict[str, dict[tuple[str, str], float]] = field(default_factory=dict)
    mean_overlap: dict[tuple[str, str], float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "k": self.k, "models": list(self.models), "probes": list(self.probes),
            "neighbors": {p: {m: [[w, s] for w, s in ns] for m, ns in per.items()}
                          for p, per in self.neighbors.items()},
            "oov": {m: list(ps) for m, ps in self.oov.items()},
            "overlap": {p: {f"{a} | {b}": v for (a, b), v in per.items()} for p, per in self.overlap.items()},
            "mean_overlap": {f"{a} | {b}": v for (a, b), v in self.mean_overlap.items()},
        }


def _is_content_word(word: str, stop_words: frozenset[str]) -> bool:
    return (isinstance(word, str) and len(word) > 1 and any(c.isalpha() for c in word)
            and word.lower() not in stop_words)


def frequency_order(kv: KeyedVectors) -> list[str]:
    """Keys from most to least frequent: by the ``count`` attribute when every key has one,
    otherwise in the KeyedVectors order (gensim's models store keys by descending frequency).

    Examples
    --------
    >>> kv = KeyedVectors(2)
    >>> kv.add_vectors(["rare", "common", "middle"], np.eye(3, 2))
    >>> frequency_order(kv)
    ['rare', 'common', 'middle']
    >>> for word, count in (("rare", 1), ("common", 50), ("middle", 7)):
    ...     kv.set_vecattr(word, "count", count)
    >>> frequency_order(kv)
    ['common', 'middle', 'rare']
    """
    keys = list(kv.index_to_key)
    try:
        counts = [kv.get_vecattr(k, "count") for k in keys]
    except KeyError:
        return keys
    order = np.argsort(-np.asarray(counts, dtype=np.int64), kind="stable")
    return [keys[i] for i in order]


def default_probes(models: Mapping[str, KeyedVectors] | KeyedVectors, n: int = 10,
                   stop_words: Iterable[str] = STOP_WORDS) -> list[str]:
    """The ``n`` most frequent content words known to every model.

    Frequency follows the first model (its ``count`` attribute, else its key order); stop words,
    one-character tokens and tokens without a letter are skipped.

    Examples
    --------
    >>> kv = KeyedVectors(2)
    >>> kv.add_vectors(["the", "a", "1999", "police", "fire", "government"], np.eye(6, 2))
    >>> default_probes(kv, n=2)
    ['police', 'fire']
    """
    if isinstance(models, KeyedVectors):
        models = {"model": models}
    if not models:
        raise ValueError("no models given")
    stops = frozenset(w.lower() for w in stop_words)
    kvs = list(models.values())
    probes = []
    for word in frequency_order(kvs[0]):
        if _is_content_word(word, stops) and all(word in kv.key_to_index for kv in kvs[1:]):
            probes.append(word)
            if len(probes) == n:
                break
    return probes


def middle_frequency_probes(models: Mapping[str, KeyedVectors] | KeyedVectors, words: Iterable[str],
                            n: int = 10, stop_words: Iterable[str] = STOP_WORDS) -> list[str]:
    """``n`` probe words of middle frequency among ``words`` (e.g. the similarity sets' words).

    The candidates are the content words of ``words`` known to every model, ranked by frequency in
    the first model (its ``count`` attribute, else its key order); the probes are ``n`` of them
    evenly spaced between the 25th and 75th percentile of that ranking. Deterministic: the same
    models and words give the same probes. Falls back to :func:`default_probes` when no word of
    ``words`` is known.

    Examples
    --------
    >>> import numpy as np
    >>> kv = KeyedVectors(2)
    >>> kv.add_vectors([f"w{i}" for i in range(100)], np.ones((100, 2), dtype=np.float32))
    >>> middle_frequency_probes(kv, [f"w{i}" for i in range(0, 100, 10)], n=3)
    ['w20', 'w40', 'w70']
    """
    if isinstance(models, KeyedVectors):
        models = {"model": models}
    if not models:
        raise ValueError("no models given")
    if n < 0:
        raise ValueError(f"n must be >= 0, not {n}")
    stops = frozenset(w.lower() for w in stop_words)
    kvs = list(models.values())
    wanted = set(words)
    candidates = [w for w in frequency_order(kvs[0]) if w in wanted and _is_content_word(w, stops)
                  and all(w in kv.key_to_index for kv in kvs[1:])]
    if not candidates:
        return default_probes(models, n, stop_words)
    if len(candidates) <= n:
        return candidates
    low, high = int(0.25 * (len(candidates) - 1)), int(np.ceil(0.75 * (len(candidates) - 1)))
    positions = np.unique(np.round(np.linspace(low, high, n)).astype(int))
    return [candidates[i] for i in positions]


def top_k(kv: KeyedVectors, words: list[str], k: int, unit: np.ndarray | None = None) -> list[list[tuple[str, float]]]:
    """The ``k`` nearest keys (cosine) of each word, the word itself excluded, like ``most_similar``.

    ``words`` must be keys of ``kv``. One ``[n_words, dim] x [dim, vocab]`` product.

    Examples
    --------
    >>> kv = KeyedVectors(2)
    >>> kv.add_vectors(["computer", "software", "keyboard", "internet", "news"],
    ...                [[1, 0], [1, 0.1], [1, 0.3], [1, 0.35], [0.2, 1]])
    >>> [[(word, round(cosine, 3)) for word, cosine in found] for found in top_k(kv, ["computer", "news"], 2)]
    [[('software', 0.995), ('keyboard', 0.958)], [('internet', 0.509), ('keyboard', 0.47)]]
    """
    unit = unit_rows(kv.vectors) if unit is None else unit
    rows = np.asarray([kv.key_to_index[w] for w in words], dtype=np.int64)
    if len(rows) == 0:
        return []
    sims = unit[rows] @ unit.T  # [n_words, vocab]
    sims[np.arange(len(rows)), rows] = -np.inf
    k_eff = min(k, unit.shape[0] - 1)
    if k_eff <= 0:
        return [[] for _ in words]
    part = np.argpartition(-sims, k_eff - 1, axis=1)[:, :k_eff]
    order = np.argsort(-np.take_along_axis(sims, part, axis=1), axis=1, kind="stable")
    best = np.take_along_axis(part, order, axis=1)
    return [[(kv.index_to_key[j], float(sims[i, j])) for j in best[i]] for i in range(len(rows))]


def overlap_at_k(a: list[str], b: list[str], k: int) -> float:
    """The share of top-k neighbours two models have in common: ``|top-k(a) ∩ top-k(b)| / k``.

    Examples
    --------
    >>> overlap_at_k(["queen", "prince", "royal"], ["prince", "emperor", "queen"], k=2)
    0.5
    """
    return len(set(a[:k]) & set(b[:k])) / k


def nearest_neighbors(models: Mapping[str, KeyedVectors], probes: Iterable[str] | None = None, k: int = 10,
                      n_default_probes: int = 10, stop_words: Iterable[str] = STOP_WORDS) -> NeighborsResult:
    """Top-k neighbours of probe words for several models, and overlap@k between every pair.

    Parameters
    ----------
    models : dict of str to KeyedVectors
        Models by name.
    probes : iterable of str, optional
        Words to probe in addition to the ``n_default_probes`` most frequent content words
        (:func:`default_probes`). A probe unknown to a model is listed in ``oov[model]``.
    k : int
        Neighbours per probe.
    n_default_probes : int
        How many default probes (0: only the given ones).
    stop_words : iterable of str
        Words never chosen as default probes.

    Returns
    -------
    NeighborsResult

    Examples
    --------
    >>> kv = KeyedVectors(2)
    >>> kv.add_vectors(["computer", "software", "keyboard", "internet", "news"],
    ...                [[1, 0], [1, 0.1], [1, 0.3], [1, 0.35], [0.2, 1]])
    >>> noise = KeyedVectors(2)
    >>> noise.add_vectors(kv.index_to_key, np.random.default_rng(0).normal(size=(5, 2)))
    >>> result = nearest_neighbors({"a": kv, "b": noise}, probes=["computer"], k=2, n_default_probes=0)
    >>> {name: [word for word, _ in found] for name, found in result.neighbors["computer"].items()}
    {'a': ['software', 'keyboard'], 'b': ['software', 'news']}
    >>> result.overlap["computer"]
    {('a', 'b'): 0.5}
    """
    if not models:
        raise ValueError("models must name at least one KeyedVectors, e.g. {'glove': model.wv}")
    if k < 1:
        raise ValueError(f"k must be >= 1, not {k}")
    for name, kv in models.items():
        check_kv(kv, f"models[{name!r}]")
    chosen = default_probes(models, n_default_probes, stop_words) if n_default_probes > 0 else []
    for word in probes or ():
        if word not in chosen:
            chosen.append(word)
    names = list(models)
    neighbors: dict[str, dict[str, list[tuple[str, float]]]] = {p: {} for p in chosen}
    oov: dict[str, list[str]] = {}
    for name, kv in models.items():
        known = [p for p in chosen if p in kv.key_to_index]
        oov[name] = [p for p in chosen if p not in kv.key_to_index]
        if oov[name]:
            logger.info("probes unknown to %s: %s", name, ", ".join(oov[name]))
        for probe, ns in zip(known, top_k(kv, known, k)):
            neighbors[probe][name] = ns
    overlap: dict[str, dict[tuple[str, str], float]] = {}
    for probe, per in neighbors.items():
        overlap[probe] = {(a, b): overlap_at_k([w for w, _ in per[a]], [w for w, _ in per[b]], k)
                          for a, b in itertools.combinations(names, 2) if a in per and b in per}
    mean_overlap = {}
    for pair in itertools.combinations(names, 2):
        values = [per[pair] for per in overlap.values() if pair in per]
        mean_overlap[pair] = float(np.mean(values)) if values else float("nan")
    return NeighborsResult(k=k, models=names, probes=chosen, neighbors=neighbors, oov=oov,
                           overlap=overlap, mean_overlap=mean_overlap)
