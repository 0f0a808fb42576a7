"""Paired comparisons of two models on one data set, Holm over a report, verdicts and the grid check.

Each :class:`Comparison` holds the difference ``a - b`` on the items both models cover, its paired
bootstrap interval and p-value, and the test that fits the data: Williams' t for a similarity set
(two correlations sharing the human scores) or the exact McNemar test for analogies (the same
questions answered right or wrong). :func:`apply_holm` adjusts the tests' p-values over all the
comparisons of one report. :func:`compare_results` makes one from two models' results.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Any, Sequence

import numpy as np

from evaluation.bootstrap import Result, paired_bootstrap
from evaluation.significance import holm, mcnemar_exact, williams_spearman
from evaluation.similarity import SimilarityResult

logger = logging.getLogger(__name__)

ALPHA = 0.05


@dataclass(frozen=True)
class Comparison:
    """Model ``a`` against model ``b`` on one data set and one seed.

    Attributes
    ----------
    a, b : str
        Model names.
    set : str
        Data set (``"wordsim353"``, ``"questions-words (3cosadd)"``...).
    seed : int or None
        The training seed both models share (None when not trained here).
    metric : str
        ``"spearman"`` or ``"accuracy"``.
    diff : float
        ``score(a) - score(b)`` on the common items.
    ci : (float, float)
        Paired bootstrap 95% interval of ``diff``.
    p_bootstrap : float
        Two-sided paired bootstrap p-value.
    test : {"williams", "mcnemar"}
        The test that fits the data.
    p_test : float
        Its two-sided p-value.
    p_holm : float
        ``p_test`` after Holm's correction over the report (NaN until :func:`apply_holm`).
    n_items : int
        Items covered by both models.

    Examples
    --------
    >>> c = Comparison("GloVe", "SGNS", "wordsim353", 1, "spearman", 0.05, (0.01, 0.09), 0.01, "williams",
    ...                p_test=0.004, p_holm=0.012, n_items=353)
    >>> c.significant, c.to_dict()["p_williams"], replace(c, p_holm=0.2).significant
    (True, 0.004, False)
    """

    a: str
    b: str
    set: str
    seed: int | None
    metric: str
    diff: float
    ci: tuple[float, float]
    p_bootstrap: float
    test: str
    p_test: float
    p_holm: float
    n_items: int

    @property
    def significant(self) -> bool:
        """True when ``p_holm`` is below 0.05."""
        return bool(self.p_holm < ALPHA)

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "set": self.set, "seed": self.seed, "metric": self.metric,
                "diff": self.diff, "ci": list(self.ci), "p_bootstrap": self.p_bootstrap,
                "test": self.test, f"p_{self.test}": self.p_test, "p_holm": self.p_holm,
                "significant": self.significant, "n_items": self.n_items}


def _common(ra: Result, rb: Result) -> tuple[np.ndarray, np.ndarray]:
    ids_a = ra.pair_ids if isinstance(ra, SimilarityResult) else ra.question_ids
    ids_b = rb.pair_ids if isinstance(rb, SimilarityResult) else rb.question_ids
    _, ia, ib = np.intersect1d(ids_a, ids_b, assume_unique=True, return_indices=True)
    return ia, ib


def compare_results(result_a: Result, result_b: Result, *, names: tuple[str, str], rng: np.random.Generator,
                    n_boot: int = 2000, seed: int | None = None) -> Comparison:
    """Compare two results on one data set: paired bootstrap plus Williams' t or exact McNemar.

    Parameters
    ----------
    result_a, result_b : SimilarityResult or AnalogyResult
        The two models' results on the same data set.
    names : (str, str)
    rng : numpy.random.Generator
        For the bootstrap.
    n_boot : int
    seed : int, optional
        Recorded training seed.

    Returns
    -------
    Comparison
        With ``p_holm`` NaN (see :func:`apply_holm`).

    Examples
    --------
    Model ``a`` tracks the human scores closely, ``b`` is ``a`` plus much noise:

    >>> rng = np.random.default_rng(0)
    >>> gold = rng.normal(size=200)
    >>> def result(cosine):
    ...     return SimilarityResult("toy", "toy.txt", 0, 0, 0, 0, 200, 200, [], {}, np.arange(200), gold, cosine)
    >>> good = gold + 0.5 * rng.normal(size=200)
    >>> cmp = compare_results(result(good), result(good + 3 * rng.normal(size=200)), names=("a", "b"),
    ...                       rng=np.random.default_rng(1), n_boot=200)
    >>> cmp.test, cmp.p_test < 0.01, cmp.diff > 0, cmp.n_items, cmp.p_holm
    ('williams', True, True, 200, nan)
    """
    boot = paired_bootstrap(result_a, result_b, rng=rng, n_boot=n_boot, names=names)
    ia, ib = _common(result_a, result_b)
    if isinstance(result_a, SimilarityResult):
        test = "williams"
        p_test = williams_spearman(result_a.gold[ia], result_a.cosine[ia], result_b.cosine[ib]).p_value
    else:
        test = "mcnemar"
        p_test = mcnemar_exact(result_a.correct[ia], result_b.correct[ib])
    return Comparison(a=names[0], b=names[1], set=boot.dataset, seed=seed, metric=boot.metric,
                      diff=boot.difference.estimate, ci=(boot.difference.low, boot.difference.high),
                      p_bootstrap=boot.p_value, test=test, p_test=float(p_test), p_holm=float("nan"),
                      n_items=boot.n_items)


def apply_holm(comparisons: Sequence[Comparison]) -> list[Comparison]:
    """The comparisons with ``p_holm`` set: Holm's correction over all their ``p_test``.

    Examples
    --------
    >>> c = Comparison("a", "b", "s", 1, "spearman", 0.1, (0.0, 0.2), 0.04, "williams", 0.02, float("nan"), 50)
    >>> [round(x.p_holm, 3) for x in apply_holm([c, replace(c, p_test=0.5)])]
    [0.04, 0.5]
    """
    adjusted = holm([c.p_test for c in comparisons])
    return [replace(c, p_holm=p) for c, p in zip(comparisons, adjusted)]


@dataclass(frozen=True)
class Verdict:
    """Which of two models is better on one data set, over the seeds.

    Attributes
    ----------
    set : str
    better, worse : str
        Model names (``better`` has the higher mean score).
    diff : float
        Mean over seeds of ``score(better) - score(worse)``.
    n_seeds : int
        Seeds on which both were compared.
    n_ahead : int
        Seeds on which ``better`` scored higher.
    n_significant : int
        Seeds on which the difference favours ``better`` and survives Holm's correction.
    max_p_holm : float
        Largest Holm-adjusted p-value over the seeds.

    Examples
    --------
    >>> v = Verdict("wordsim353", "GloVe", "SGNS", 0.05, n_seeds=3, n_ahead=3, n_significant=2, max_p_holm=0.08)
    >>> v.survives, v.to_dict()["survives_holm"]
    (False, False)
    >>> v.line
    "wordsim353: GloVe better than SGNS by +0.050 (ahead on 3 of 3 seeds); the difference does not
    survive Holm's correction (significant on 2 of 3 seeds, p_holm up to 0.08)"
    """

    set: str
    better: str
    worse: str
    diff: float
    n_seeds: int
    n_ahead: int
    n_significant: int
    max_p_holm: float

    @property
    def survives(self) -> bool:
        """True when the difference survives Holm's correction on every seed."""
        return self.n_seeds > 0 and self.n_significant == self.n_seeds

    @property
    def line(self) -> str:
        seeds = f"{self.n_seeds} seed{'s' if self.n_seeds != 1 else ''}"
        if self.diff == 0 and self.n_ahead == 0:
            return f"{self.set}: {self.better} and {self.worse} tie (the same score on {seeds})"
        holm_text = (f"survives Holm's correction (p_holm <= {self.max_p_holm:.2g})" if self.survives else
                     f"does not survive Holm's correction (significant on {self.n_significant} of {seeds}, "
                     f"p_holm up to {self.max_p_holm:.2g})")
        return (f"{self.set}: {self.better} better than {self.worse} by {self.diff:+.3f} "
                f"(ahead on {self.n_ahead} of {seeds}); the difference {holm_text}")

    def to_dict(self) -> dict[str, Any]:
        return {"set": self.set, "better": self.better, "worse": self.worse, "diff": self.diff,
                "n_seeds": self.n_seeds, "n_ahead": self.n_ahead, "n_significant": self.n_significant,
                "max_p_holm": self.max_p_holm, "survives_holm": self.survives, "line": self.line}


def verdict(comparisons: Sequence[Comparison], data_set: str, a: str, b: str) -> Verdict | None:
    """The :class:`Verdict` between models ``a`` and ``b`` on ``data_set`` (None if never compared).

    Examples
    --------
    >>> c = Comparison("a", "b", "s", 1, "spearman", -0.1, (-0.2, 0.0), 0.04, "williams", 0.001, 0.002, 50)
    >>> verdict([c], "s", "a", "b").line
    "s: b better than a by +0.100 (ahead on 1 of 1 seed); the difference survives Holm's correction (p_holm <= 0.002)"
    >>> verdict([replace(c, diff=0.0)], "s", "a", "b").line
    's: a and b tie (the same score on 1 seed)'
    """
    signed = []
    for c in comparisons:
        if c.set != data_set or {c.a, c.b} != {a, b}:
            continue
        signed.append((c.diff if c.a == a else -c.diff, c.p_holm))
    if not signed:
        return None
    diffs = np.array([d for d, _ in signed])
    p_holm = np.array([p for _, p in signed])
    better, worse, sign = (a, b, 1.0) if diffs.mean() >= 0 else (b, a, -1.0)
    ahead = int(np.count_nonzero(sign * diffs > 0))
    significant = int(np.count_nonzero((sign * diffs > 0) & (p_holm < ALPHA)))
    return Verdict(set=data_set, better=better, worse=worse, diff=float(sign * diffs.mean()),
                   n_seeds=len(signed), n_ahead=ahead, n_significant=significant,
                   max_p_holm=float(np.nanmax(p_holm)) if np.isfinite(p_holm).any() else float("nan"))


@dataclass(frozen=True)
class GridCheck:
    """Whether one family stays ahead of the other on one data set across all grid combinations.

    Made by :func:`grid_check`; ``combinations`` lists each (a, b) pair with its difference.

    Examples
    --------
    >>> g = GridCheck("simlex999", "SGNS", "GloVe", n_combinations=4, n_agree=3, combinations=[])
    >>> g.holds, g.line
    (False, 'simlex999: SGNS ahead of GloVe in 3 of 4 grid combinations: the verdict does NOT hold
    across the grid')
    """

    set: str
    leader: str
    other: str
    n_combinations: int
    n_agree: int
    combinations: list[dict[str, Any]]

    @property
    def holds(self) -> bool:
        return self.n_combinations > 0 and self.n_agree == self.n_combinations

    @property
    def line(self) -> str:
        return (f"{self.set}: {self.leader} ahead of {self.other} in {self.n_agree} of {self.n_combinations} "
                f"grid combinations: the verdict {'holds' if self.holds else 'does NOT hold'} across the grid")

    def to_dict(self) -> dict[str, Any]:
        return {"set": self.set, "leader": self.leader, "other": self.other,
                "n_combinations": self.n_combinations, "n_agree": self.n_agree, "holds": self.holds,
                "combinations": self.combinations, "line": self.line}


def grid_check(means: dict[str, float], group_a: Sequence[str], group_b: Sequence[str], data_set: str,
               leader_is_a: bool, names: tuple[str, str]) -> GridCheck:
    """Count the (a, b) model combinations in which the verdict's leader scores higher.

    Parameters
    ----------
    means : dict of str to float
        Mean score (over seeds) of each model on ``data_set``.
    group_a, group_b : sequence of str
        The variants of the two families (e.g. every GloVe setting, every SGNS setting).
    leader_is_a : bool
        Whether the verdict put family ``a`` ahead.
    names : (str, str)
        Family names for the line.

    Examples
    --------
    >>> grid_check({"g1": 0.2, "g2": 0.3, "s1": 0.4}, ["g1", "g2"], ["s1"], "ws", False, ("GloVe", "SGNS")).line
    'ws: SGNS ahead of GloVe in 2 of 2 grid combinations: the verdict holds across the grid'
    """
    combos, agree = [], 0
    for ma in group_a:
        for mb in group_b:
            diff = means.get(ma, float("nan")) - means.get(mb, float("nan"))
            ok = bool(np.isfinite(diff) and ((diff > 0) == leader_is_a) and diff != 0)
            agree += ok
            combos.append({"a": ma, "b": mb, "diff": diff, "agrees": ok})
    leader, other = names if leader_is_a else names[::-1]
    return GridCheck(set=data_set, leader=leader, other=other, n_combinations=len(combos), n_agree=agree,
                     combinations=combos)
