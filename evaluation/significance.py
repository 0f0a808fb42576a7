"""Significance tests that fit word-vector evaluations, and Holm's correction.

* :func:`williams_t`: two *dependent* correlations sharing one variable (both models are
  correlated with the same human scores on the same word pairs), Williams' T2 as given by
  Steiger (1980, Psychological Bulletin 87(2), eq. 3). Applied here to Spearman's rho, as is
  usual for word-similarity sets (the formula is Pearson's; on ranks it is an approximation).
* :func:`mcnemar_exact`: two models answering the same analogy questions, exact (binomial)
  McNemar test on the discordant questions.
* :func:`holm`: Holm's (1979) step-down adjustment over all the p-values of one report.

Examples
--------
>>> round(williams_t(0.4, 0.5, 0.1, 103).t, 2)
-0.89
>>> mcnemar_exact([True, True, False, True], [False, True, False, False])
0.5
>>> [round(p, 3) for p in holm([0.01, 0.04, 0.03])]
[0.03, 0.06, 0.06]
"""
from __future__ import annotations

import math
from typing import NamedTuple, Sequence

import numpy as np
from scipy import stats


class WilliamsResult(NamedTuple):
    """Williams' t, its degrees of freedom ``n - 3`` and the two-sided p-value.

    Examples
    --------
    >>> t, df, p = williams_t(0.7, 0.5, 0.6, 103)
    >>> round(t, 2), df, p < 0.01
    (3.11, 100, True)
    """

    t: float
    df: int
    p_value: float


def williams_t(r12: float, r13: float, r23: float, n: int) -> WilliamsResult:
    """Test H0: rho12 = rho13 for two correlations that share variable 1 (Steiger 1980, eq. 3).

    ``t = (r12 - r13) sqrt((n - 1)(1 + r23) / (2 (n - 1)/(n - 3) |R| + rbar^2 (1 - r23)^3))``,
    with ``|R| = 1 - r12^2 - r13^2 - r23^2 + 2 r12 r13 r23`` and ``rbar = (r12 + r13) / 2``,
    on ``n - 3`` degrees of freedom.

    Parameters
    ----------
    r12, r13 : float
        Correlations of variable 1 (the human scores) with variables 2 and 3 (two models).
    r23 : float
        Correlation of variables 2 and 3 (the two models with each other).
    n : int
        Number of items (at least 4).

    Returns
    -------
    WilliamsResult

    Examples
    --------
    >>> result = williams_t(0.6, 0.6, 0.9, 200)
    >>> result.t, result.p_value
    (0.0, 1.0)
    """
    if not isinstance(n, (int, np.integer)) or n < 4:
        raise ValueError(f"n must be an integer >= 4 (Williams' t has n - 3 degrees of freedom), not {n!r}")
    for name, r in (("r12", r12), ("r13", r13), ("r23", r23)):
        if not -1.0 <= r <= 1.0:
            raise ValueError(f"{name} must be a correlation in [-1, 1], not {r!r}")
    det = 1 - r12 ** 2 - r13 ** 2 - r23 ** 2 + 2 * r12 * r13 * r23
    rbar = (r12 + r13) / 2
    denominator = 2 * (n - 1) / (n - 3) * det + rbar ** 2 * (1 - r23) ** 3
    if r12 == r13:
        return WilliamsResult(0.0, int(n - 3), 1.0)
    if denominator <= 0:  # degenerate: the two models are perfectly correlated with each other
        return WilliamsResult(math.copysign(math.inf, r12 - r13), int(n - 3), 0.0)
    t = (r12 - r13) * math.sqrt((n - 1) * (1 + r23) / denominator)
    return WilliamsResult(float(t), int(n - 3), float(min(1.0, 2 * stats.t.sf(abs(t), n - 3))))


def williams_spearman(gold: np.ndarray, scores_a: np.ndarray, scores_b: np.ndarray) -> WilliamsResult:
    """Williams' t for ``spearman(gold, a) - spearman(gold, b)`` on the same items.

    Parameters
    ----------
    gold, scores_a, scores_b : ndarray, shape [n_items]
        Human scores and the two models' cosines of the same pairs.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> gold = rng.normal(size=300)
    >>> good = gold + 0.5 * rng.normal(size=300)
    >>> williams_spearman(gold, good, good + 3 * rng.normal(size=300)).p_value < 0.01
    True
    """
    gold, a, b = (np.asarray(x, dtype=np.float64) for x in (gold, scores_a, scores_b))
    if not gold.shape == a.shape == b.shape or gold.ndim != 1:
        raise ValueError(f"gold, scores_a and scores_b must be 1-D of one length, not {gold.shape}, "
                         f"{a.shape}, {b.shape}")
    ranks = stats.rankdata(np.stack([gold, a, b]), axis=1)
    corr = np.corrcoef(ranks)
    corr = np.where(np.isfinite(corr), corr, 0.0)
    return williams_t(float(corr[0, 1]), float(corr[0, 2]), float(np.clip(corr[1, 2], -1, 1)), len(gold))


def mcnemar_exact(correct_a: Sequence[bool] | np.ndarray, correct_b: Sequence[bool] | np.ndarray) -> float:
    """Two-sided exact McNemar p-value for two models answering the same questions.

    With ``n01`` questions only ``a`` answers right and ``n10`` only ``b``, the p-value is
    ``min(1, 2 P[X <= min(n01, n10)])`` for ``X ~ Binomial(n01 + n10, 1/2)`` (1.0 when no
    question is discordant), equal to ``scipy.stats.binomtest(n01, n01 + n10).pvalue``.

    Examples
    --------
    >>> mcnemar_exact([True] * 10, [False] * 10) < 0.01
    True
    """
    a = np.asarray(correct_a, dtype=bool)
    b = np.asarray(correct_b, dtype=bool)
    if a.shape != b.shape or a.ndim != 1:
        raise ValueError(f"correct_a and correct_b must be 1-D of one length, not {a.shape} and {b.shape}")
    only_a = int(np.count_nonzero(a & ~b))
    only_b = int(np.count_nonzero(b & ~a))
    n = only_a + only_b
    if n == 0:
        return 1.0
    return float(min(1.0, 2 * stats.binom.cdf(min(only_a, only_b), n, 0.5)))


def holm(p_values: Sequence[float] | np.ndarray) -> list[float]:
    """Holm's step-down adjusted p-values, in the input order (NaN stays NaN and does not count).

    The i-th smallest of ``m`` p-values becomes ``max_{j <= i} min(1, (m - j + 1) p_(j))``.

    Examples
    --------
    >>> holm([0.5, float("nan"), 0.001])
    [0.5, nan, 0.002]
    """
    p = np.asarray(p_values, dtype=np.float64)
    if p.ndim != 1:
        raise ValueError("p_values must be a flat sequence")
    if np.any((p < 0) | (p > 1)):
        raise ValueError("p-values must lie in [0, 1]")
    out = np.full(p.shape, np.nan)
    finite = np.flatnonzero(np.isfinite(p))
    m = len(finite)
    if m:
        order = finite[np.argsort(p[finite], kind="stable")]
        scaled = np.minimum(1.0, (m - np.arange(m)) * p[order])
        out[order] = np.maximum.accumulate(scaled)
    return [float(x) for x in out]
