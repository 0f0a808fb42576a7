"""Williams' t, exact McNemar and Holm against slow references, the literature and hand computation."""
import math

import numpy as np
import pytest
from scipy import stats

from evaluation.significance import holm, mcnemar_exact, williams_spearman, williams_t


def steiger_eq3_reference(r12: float, r13: float, r23: float, n: int) -> tuple[float, float]:
    """Williams' T2 written out from Steiger (1980), "Tests for comparing elements of a correlation
    matrix", Psychological Bulletin 87(2), 245-251, eq. 3, with the determinant of the 3 x 3
    correlation matrix computed by cofactor expansion (not the closed form the module uses)."""
    R = [[1.0, r12, r13], [r12, 1.0, r23], [r13, r23, 1.0]]
    det = (R[0][0] * (R[1][1] * R[2][2] - R[1][2] * R[2][1])
           - R[0][1] * (R[1][0] * R[2][2] - R[1][2] * R[2][0])
           + R[0][2] * (R[1][0] * R[2][1] - R[1][1] * R[2][0]))
    rbar = (r12 + r13) / 2.0
    t = (r12 - r13) * math.sqrt(((n - 1) * (1 + r23))
                                / (2 * ((n - 1) / (n - 3)) * det + rbar ** 2 * (1 - r23) ** 3))
    df = n - 3
    p = 2 * (1 - stats.t.cdf(abs(t), df))
    return t, p


@pytest.mark.parametrize("seed", range(6))
def test_williams_equals_slow_reference(seed):
    rng = np.random.default_rng(seed)
    for _ in range(20):
        x = rng.normal(size=(3, 3))
        cov = x @ x.T + np.eye(3) * 0.3
        d = np.sqrt(np.diag(cov))
        corr = cov / np.outer(d, d)
        n = int(rng.integers(5, 2000))
        r12, r13, r23 = corr[0, 1], corr[0, 2], corr[1, 2]
        t_ref, p_ref = steiger_eq3_reference(r12, r13, r23, n)
        got = williams_t(r12, r13, r23, n)
        assert got.df == n - 3
        assert got.t == pytest.approx(t_ref, rel=1e-10, abs=1e-12)
        assert got.p_value == pytest.approx(p_ref, rel=1e-7, abs=1e-12)


def test_williams_worked_example_from_the_literature():
    # psych::r.test documentation (Revelle, R package psych), example "Steiger Case A" of
    # Williams's test: r.test(n = 103, r12 = .4, r13 = .5, r23 = .1) reports t = -0.89 with
    # probability 0.37 (two-tailed), the data of Steiger (1980)'s example.
    result = williams_t(0.4, 0.5, 0.1, 103)
    assert round(result.t, 2) == -0.89
    assert round(result.p_value, 2) == 0.37
    assert result.df == 100


def test_williams_symmetry_and_edges():
    a = williams_t(0.3, 0.6, 0.5, 80)
    b = williams_t(0.6, 0.3, 0.5, 80)
    assert a.t == pytest.approx(-b.t) and a.p_value == pytest.approx(b.p_value)
    assert williams_t(0.5, 0.5, 0.2, 50) == (0.0, 47, 1.0)
    for bad in ((0.5, 0.4, 0.3, 3), (1.5, 0.4, 0.3, 50), (0.5, 0.4, -1.2, 50), (0.5, 0.4, 0.3, 10.5)):
        with pytest.raises(ValueError):
            williams_t(*bad)


def test_williams_spearman_identical_and_noisy():
    rng = np.random.default_rng(3)
    gold = rng.normal(size=400)
    model = gold + 0.6 * rng.normal(size=400)
    assert williams_spearman(gold, model, model).p_value == 1.0
    noisy = model + 4.0 * rng.normal(size=400)
    assert williams_spearman(gold, model, noisy).p_value < 0.01
    assert williams_spearman(gold, noisy, model).t < 0
    with pytest.raises(ValueError, match="one length"):
        williams_spearman(gold, model, noisy[:-1])


@pytest.mark.parametrize("seed", range(5))
def test_mcnemar_equals_binomtest_on_discordant_pairs(seed):
    rng = np.random.default_rng(seed)
    for n in (1, 7, 40, 300):
        a = rng.random(n) < rng.random()
        b = rng.random(n) < rng.random()
        only_a, only_b = int(np.sum(a & ~b)), int(np.sum(b & ~a))
        expected = 1.0 if only_a + only_b == 0 else stats.binomtest(only_a, only_a + only_b, 0.5).pvalue
        assert mcnemar_exact(a, b) == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_mcnemar_edges():
    assert mcnemar_exact([True, False], [True, False]) == 1.0
    assert mcnemar_exact([], []) == 1.0
    # 10 discordant pairs all one way: 2 * 0.5**10
    assert mcnemar_exact([True] * 10 + [False] * 5, [False] * 10 + [False] * 5) == pytest.approx(2 * 0.5 ** 10)
    with pytest.raises(ValueError, match="one length"):
        mcnemar_exact([True], [True, False])


def test_holm_hand_computed():
    # m = 4: sorted p = 0.01, 0.02, 0.03, 0.04 (given out of order)
    # adjusted: 4*0.01 = 0.04; max(0.04, 3*0.02 = 0.06) = 0.06; max(0.06, 2*0.03 = 0.06) = 0.06;
    # max(0.06, 1*0.04) = 0.06
    got = holm([0.03, 0.01, 0.04, 0.02])
    assert got == pytest.approx([0.06, 0.04, 0.06, 0.06])
    # a large p caps at 1 and monotonicity carries it: 0.2*3 = 0.6, 0.5*2 = 1.0, 0.9*1 -> 1.0
    assert holm([0.9, 0.2, 0.5]) == pytest.approx([1.0, 0.6, 1.0])
    got = holm([0.01, float("nan"), 0.02])
    assert got[0] == pytest.approx(0.02) and math.isnan(got[1]) and got[2] == pytest.approx(0.02)
    assert holm([]) == []
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        holm([0.5, 1.5])


def test_holm_matches_brute_force_definition():
    rng = np.random.default_rng(0)
    p = rng.random(9) ** 3
    m = len(p)
    order = np.argsort(p)
    expected = np.empty(m)
    for rank, i in enumerate(order):
        expected[i] = min(1.0, max((m - j) * p[order[j]] for j in range(rank + 1)))
    assert holm(p) == pytest.approx(expected.tolist())
    # never below the raw p-value, and the smallest is multiplied by m
    assert all(h >= x for h, x in zip(holm(p), p))
    assert min(holm(p)) == pytest.approx(min(1.0, m * p.min()))
