"""Bootstrap confidence intervals for evaluation scores, and paired model comparisons.

The unit resampled is the test item (a word pair, or an analogy question). Two models are compared
on the items *both* cover, with the same resampled indices for both (a paired bootstrap), so the
interval of the difference reflects the test set's sampling noise, not the models' coverage.

Everything is vectorised: one index matrix ``[n_boot, n_items]`` drawn from an explicit
``numpy.random.Generator``, rank-based Spearman computed row-wise on it (in chunks to bound memory).

Examples
--------
Random vectors: each Spearman's interval holds 0, and so does the interval of their difference.

>>> from gensim.models import KeyedVectors
>>> from evaluation.similarity import evaluate_similarity, read_word_pairs
>>> pairs = read_word_pairs("wordsim353")
>>> words = sorted({word for pair in pairs.pairs for word in pair})
>>> kv = KeyedVectors(5)
>>> kv.add_vectors(words, np.random.default_rng(0).normal(size=(len(words), 5)))
>>> other = KeyedVectors(5)
>>> other.add_vectors(words, np.random.default_rng(1).normal(size=(len(words), 5)))
>>> cmp = paired_bootstrap(evaluate_similarity(kv, pairs), evaluate_similarity(other, pairs),
...                        rng=np.random.default_rng(0), n_boot=500, names=("seed 0", "seed 1"))
>>> cmp.n_items, cmp.score_a.contains(0.0), cmp.score_b.contains(0.0), cmp.significant
(353, True, True, False)
"""
from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from typing import Any, Sequence, Union

import numpy as np
from scipy import stats

from evaluation.analogy import AnalogyResult
from evaluation.similarity import SimilarityResult

logger = logging.getLogger(__name__)

Result = Union[SimilarityResult, AnalogyResult]
METRICS = ("spearman", "pearson", "accuracy")
_CHUNK_CELLS = 4_000_000  # resample cells per chunk (~32 MB of float64)


@dataclass(frozen=True)
class Interval:
    """A point estimate with a percentile bootstrap interval.

    Examples
    --------
    >>> interval = Interval(estimate=0.61, low=0.55, high=0.66)
    >>> interval.contains(0.6), interval.contains(0.5), interval.to_dict()["confidence"]
    (True, False, 0.95)
    """

    estimate: float
    low: float
    high: float
    confidence: float = 0.95

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high

    def to_dict(self) -> dict[str, float]:
        return asdict(self)


@dataclass(frozen=True)
class BootstrapComparison:
    """Paired bootstrap comparison of two models on the items both cover.

    Attributes
    ----------
    model_a, model_b : str
    dataset, metric : str
    n_items : int
        Items covered by both models (those resampled).
    n_boot : int
    score_a, score_b : Interval
        Each model's score on the common items.
    difference : Interval
        ``score_a - score_b``.
    p_value : float
        Two-sided bootstrap p-value of "no difference".

    Examples
    --------
    >>> same = Interval(0.5, 0.4, 0.6)
    >>> cmp = BootstrapComparison("glove", "sgns", "wordsim353", "spearman", n_items=300, n_boot=1000,
    ...                           score_a=same, score_b=same, difference=Interval(0.1, 0.02, 0.18),
    ...                           p_value=0.01)
    >>> cmp.significant, cmp.to_dict()["difference"]
    (True, {'estimate': 0.1, 'low': 0.02, 'high': 0.18, 'confidence': 0.95})
    """

    model_a: str
    model_b: str
    dataset: str
    metric: str
    n_items: int
    n_boot: int
    score_a: Interval
    score_b: Interval
    difference: Interval
    p_value: float

    @property
    def significant(self) -> bool:
        """True when the difference interval excludes 0."""
        return not self.difference.contains(0.0)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["significant"] = self.significant
        return out


def _check_rng(rng: object) -> np.random.Generator:
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy Generator, e.g. rng=np.random.default_rng(0), not {type(rng).__name__}")
    return rng


def _check_args(n_boot: int, confidence: float) -> None:
    if not isinstance(n_boot, (int, np.integer)) or n_boot < 10:
        raise ValueError(f"n_boot must be an integer >= 10, not {n_boot!r}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1), not {confidence!r}")


def _default_metric(result: Result) -> str:
    return "accuracy" if isinstance(result, AnalogyResult) else "spearman"


def _items(result: Result, metric: str) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """(ids, values, gold) of a result: model values per item, gold for correlations."""
    if isinstance(result, SimilarityResult):
        if metric not in ("spearman", "pearson"):
            raise ValueError(f"metric for a similarity result is 'spearman' or 'pearson', not {metric!r}")
        return result.pair_ids, np.asarray(result.cosine, float), np.asarray(result.gold, float)
    if isinstance(result, AnalogyResult):
        if metric != "accuracy":
            raise ValueError(f"metric for an analogy result is 'accuracy', not {metric!r}")
        return result.question_ids, result.correct.astype(float), None
    raise TypeError(f"expected a SimilarityResult or AnalogyResult, not {type(result).__name__}")


def _rank_rows(x: np.ndarray) -> np.ndarray:
    """Average ranks (ties share their mean rank) along the last axis, vectorised."""
    return stats.rankdata(x, method="average", axis=-1)


def _pearson_rows(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Row-wise Pearson correlation of ``[n, m]`` arrays; NaN where a row is constant."""
    xc = x - x.mean(axis=1, keepdims=True)
    yc = y - y.mean(axis=1, keepdims=True)
    denom = np.sqrt((xc * xc).sum(axis=1) * (yc * yc).sum(axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denom > 0, (xc * yc).sum(axis=1) / denom, np.nan)


def statistic(values: np.ndarray, gold: np.ndarray | None, metric: str) -> np.ndarray:
    """The metric on each row of resampled values: ``values``/``gold`` are ``[n_boot, n_items]``.

    Examples
    --------
    >>> statistic(np.array([[1.0, 0.0, 1.0], [1.0, 1.0, 1.0]]), None, "accuracy").round(3)
    array([0.667, 1.   ])
    >>> statistic(np.array([[1.0, 2.0, 3.0]]), np.array([[10.0, 30.0, 20.0]]), "spearman")
    array([0.5])
    """
    if metric == "accuracy":
        return values.mean(axis=-1)
    if metric == "spearman":
        return _pearson_rows(_rank_rows(values), _rank_rows(gold))
    return _pearson_rows(values, gold)


def resample_indices(rng: np.random.Generator, n_boot: int, n_items: int) -> np.ndarray:
    """Index matrix ``[n_boot, n_items]`` of draws with replacement.

    Examples
    --------
    >>> resample_indices(np.random.default_rng(0), n_boot=2, n_items=5)
    array([[4, 3, 2, 1, 1],
           [0, 0, 0, 0, 4]])
    """
    return _check_rng(rng).integers(0, n_items, size=(n_boot, n_items))


def _bootstrap_stats(idx: np.ndarray, gold: np.ndarray | None, *values: np.ndarray, metric: str) -> list[np.ndarray]:
    """Metric of each values array on each resample row, in chunks of rows."""
    n_boot, n_items = idx.shape
    step = max(1, _CHUNK_CELLS // max(n_items, 1))
    out = [np.empty(n_boot) for _ in values]
    for start in range(0, n_boot, step):
        rows = idx[start:start + step]
        g = gold[rows] if gold is not None else None
        if metric == "spearman":  # rank the resampled gold scores once for all value arrays
            g_ranks = _rank_rows(g)
            for o, v in zip(out, values):
                o[start:start + len(rows)] = _pearson_rows(_rank_rows(v[rows]), g_ranks)
            continue
        for o, v in zip(out, values):
            o[start:start + len(rows)] = statistic(v[rows], g, metric)
    return out


def _interval(estimate: float, samples: np.ndarray, confidence: float) -> Interval:
    samples = samples[np.isfinite(samples)]
    if samples.size == 0:
        return Interval(float(estimate), float("nan"), float("nan"), confidence)
    alpha = (1 - confidence) / 2
    low, high = np.quantile(samples, [alpha, 1 - alpha])
    return Interval(float(estimate), float(low), float(high), confidence)


def bootstrap_score(result: Result, *, rng: np.random.Generator, n_boot: int = 2000,
                    metric: str | None = None, confidence: float = 0.95) -> Interval:
    """A model's score with a percentile bootstrap interval over its covered items.

    Parameters
    ----------
    result : SimilarityResult or AnalogyResult
    rng : numpy.random.Generator
        Source of randomness, passed explicitly (``np.random.default_rng(seed)``).
    n_boot : int
        Resamples.
    metric : {"spearman", "pearson", "accuracy"}, optional
        Default: Spearman for similarity, accuracy for analogies.
    confidence : float
        Interval coverage.

    Returns
    -------
    Interval

    Examples
    --------
    >>> from evaluation.similarity import evaluate_similarity
    >>> kv = _random_wordsim_kv(seed=0)  # random vectors for every wordsim353 word
    >>> result = evaluate_similarity(kv, "wordsim353")  # random vectors: Spearman near 0
    >>> interval = bootstrap_score(result, rng=np.random.default_rng(0), n_boot=500)
    >>> round(interval.estimate, 3), round(interval.low, 2), round(interval.high, 2)
    (0.008, -0.08, 0.1)
    """
    _check_rng(rng)
    _check_args(n_boot, confidence)
    metric = metric or _default_metric(result)
    _, values, gold = _items(result, metric)
    estimate = statistic(values[None, :], None if gold is None else gold[None, :], metric)[0]
    idx = resample_indices(rng, n_boot, len(values))
    (samples,) = _bootstrap_stats(idx, gold, values, metric=metric)
    return _interval(estimate, samples, confidence)


def paired_bootstrap(result_a: Result, result_b: Result, *, rng: np.random.Generator, n_boot: int = 2000,
                     metric: str | None = None, confidence: float = 0.95,
                     names: tuple[str, str] = ("a", "b")) -> BootstrapComparison:
    """Compare two models' results on one data set with a paired bootstrap.

    Only items covered by both models are used; both models are scored on the same resampled
    items each time. The p-value is two-sided: twice the smaller tail of the bootstrap
    differences around 0, with the ``(count + 1) / (n_boot + 1)`` correction, capped at 1.

    Parameters
    ----------
    result_a, result_b : SimilarityResult or AnalogyResult
        Results of the two models on the same data set (same kind).
    rng : numpy.random.Generator
        Passed explicitly, e.g. ``np.random.default_rng(0)``.
    n_boot : int
    metric : {"spearman", "pearson", "accuracy"}, optional
    confidence : float
    names : (str, str)
        Model names recorded in the result.

    Returns
    -------
    BootstrapComparison

    Raises
    ------
    ValueError
        Different data sets, or fewer than 3 common items.

    Examples
    --------
    >>> from evaluation.similarity import evaluate_similarity
    >>> kv = _random_wordsim_kv(seed=0)  # random vectors for every wordsim353 word
    >>> full = evaluate_similarity(kv, "wordsim353")
    >>> from gensim.models import KeyedVectors
    >>> words = kv.index_to_key
    >>> half = KeyedVectors(5)  # knows only the first half of the words
    >>> half.add_vectors(words[:len(words) // 2], kv.vectors[:len(words) // 2])
    >>> cmp = paired_bootstrap(full, evaluate_similarity(half, "wordsim353"),
    ...                        rng=np.random.default_rng(0), n_boot=500, names=("all", "half"))
    >>> cmp.n_items, cmp.difference.estimate, cmp.p_value  # the same vectors on the common pairs
    (72, 0.0, 1.0)
    """
    _check_rng(rng)
    _check_args(n_boot, confidence)
    if type(result_a) is not type(result_b) or result_a.path != result_b.path:
        raise ValueError(f"both results must come from the same data set, not {result_a.path!r} "
                         f"and {result_b.path!r}")
    metric = metric or _default_metric(result_a)
    ids_a, va, gold_a = _items(result_a, metric)
    ids_b, vb, _ = _items(result_b, metric)
    common, ia, ib = np.intersect1d(ids_a, ids_b, assume_unique=True, return_indices=True)
    if len(common) < 3:
        raise ValueError(f"only {len(common)} items of {result_a.dataset} are covered by both models; "
                         "need at least 3 to compare")
    va, vb = va[ia], vb[ib]
    gold = None if gold_a is None else gold_a[ia]
    g1 = None if gold is None else gold[None, :]
    est_a = float(statistic(va[None, :], g1, metric)[0])
    est_b = float(statistic(vb[None, :], g1, metric)[0])
    idx = resample_indices(rng, n_boot, len(common))
    sa, sb = _bootstrap_stats(idx, gold, va, vb, metric=metric)
    diff = sa - sb
    finite = diff[np.isfinite(diff)]
    n = len(finite)
    p = min(1.0, 2 * min((np.count_nonzero(finite <= 0) + 1) / (n + 1),
                         (np.count_nonzero(finite >= 0) + 1) / (n + 1)))
    label = result_a.dataset
    if isinstance(result_a, AnalogyResult):
        label += (f" ({result_a.method})" if result_a.method == result_b.method
                  else f" ({result_a.method} vs {result_b.method})")
    cmp = BootstrapComparison(
        model_a=names[0], model_b=names[1], dataset=label, metric=metric,
        n_items=len(common), n_boot=int(n_boot),
        score_a=_interval(est_a, sa, confidence), score_b=_interval(est_b, sb, confidence),
        difference=_interval(est_a - est_b, diff, confidence), p_value=float(p))
    logger.info("%s vs %s on %s (%s): diff %.4f [%.4f, %.4f], p=%.4g", names[0], names[1], cmp.dataset,
                metric, cmp.difference.estimate, cmp.difference.low, cmp.difference.high, cmp.p_value)
    return cmp


def bootstrap_seed_mean(results: Sequence[Result], *, rng: np.random.Generator, n_boot: int = 2000,
                        metric: str | None = None, confidence: float = 0.95) -> Interval:
    """The mean score over several training seeds with a percentile bootstrap interval over items.

    Each resample scores every seed's result on the same resampled items (when they cover the same
    number of items, as models trained on one vocabulary do) and averages the seeds, so the
    interval reflects the test set's sampling noise of the seed-averaged score.

    Parameters
    ----------
    results : sequence of SimilarityResult or AnalogyResult
        One model's results on one data set, one per seed.
    rng : numpy.random.Generator
    n_boot : int
    metric : str, optional
    confidence : float

    Returns
    -------
    Interval

    Examples
    --------
    >>> from evaluation.similarity import SimilarityResult
    >>> gen = np.random.default_rng(0)
    >>> gold = gen.normal(size=100)
    >>> seeds = [SimilarityResult("t", "t", 0, 0, 0, 0, 100, 100, [], {}, np.arange(100), gold,
    ...                           gold + gen.normal(size=100)) for _ in range(3)]
    >>> iv = bootstrap_seed_mean(seeds, rng=np.random.default_rng(1), n_boot=200)
    >>> iv.low < iv.estimate < iv.high
    True
    """
    _check_rng(rng)
    _check_args(n_boot, confidence)
    if not results:
        raise ValueError("results must hold at least one result")
    metric = metric or _default_metric(results[0])
    estimates, samples, idx = [], [], None
    for result in results:
        _, values, gold = _items(result, metric)
        estimates.append(statistic(values[None, :], None if gold is None else gold[None, :], metric)[0])
        if idx is None or idx.shape[1] != len(values):
            idx = resample_indices(rng, n_boot, len(values))
        samples.append(_bootstrap_stats(idx, gold, values, metric=metric)[0])
    return _interval(float(np.mean(estimates)), np.mean(samples, axis=0), confidence)


def _random_wordsim_kv(seed: int, dim: int = 5):
    """Random vectors for every word of wordsim353, for the examples."""
    from gensim.models import KeyedVectors

    from evaluation.similarity import read_word_pairs

    words = sorted({word for pair in read_word_pairs("wordsim353").pairs for word in pair})
    kv = KeyedVectors(dim)
    kv.add_vectors(words, np.random.default_rng(seed).normal(size=(len(words), dim)))
    return kv
