import numpy as np
import pytest
from scipy import stats

from evaluation import (bootstrap_score, evaluate_analogies, evaluate_similarity, paired_bootstrap,
                        resample_indices)
from evaluation.bootstrap import statistic
from tests.evaluation.evaluation_helpers import make_kv


def _noisy_copy(kv, scale, seed):
    rng = np.random.default_rng(seed)
    vectors = kv.vectors + scale * rng.normal(size=kv.vectors.shape) * np.linalg.norm(kv.vectors, axis=1).mean()
    return make_kv(list(kv.index_to_key), vectors)


@pytest.fixture(scope="module")
def good_kv():
    """Vectors whose cosines track simlex999's gold scores (a model with a high score)."""
    from gensim.test.utils import datapath
    rng = np.random.default_rng(5)
    pairs = []
    with open(datapath("simlex999.txt")) as fh:
        for line in fh:
            if not line.startswith("#"):
                a, b, s = line.rstrip("\n").split("\t")
                pairs.append((a, b, float(s)))
    words = list(dict.fromkeys(w for a, b, _ in pairs for w in (a, b)))
    vec = {w: rng.normal(size=50) for w in words}
    for a, b, s in pairs:  # pull pairs together in proportion to their gold similarity
        vec[b] = vec[b] + (s / 10) * 0.5 * (vec[a] - vec[b])
    return make_kv(words, np.stack([vec[w] for w in words]))


def test_vectorised_spearman_equals_scipy():
    rng = np.random.default_rng(0)
    gold = rng.integers(0, 5, size=40).astype(float)  # ties on purpose
    values = rng.normal(size=40)
    idx = resample_indices(np.random.default_rng(1), 6, 40)
    got = statistic(values[idx], gold[idx], "spearman")
    want = [stats.spearmanr(gold[row], values[row]).statistic for row in idx]
    np.testing.assert_allclose(got, want, atol=1e-12)
    got_p = statistic(values[idx], gold[idx], "pearson")
    np.testing.assert_allclose(got_p, [stats.pearsonr(gold[r], values[r]).statistic for r in idx], atol=1e-12)


def test_identical_models_difference_contains_zero(good_kv):
    res = evaluate_similarity(good_kv, "simlex999")
    cmp = paired_bootstrap(res, res, rng=np.random.default_rng(0), n_boot=500, names=("m", "m2"))
    assert cmp.difference.contains(0.0)
    assert cmp.difference.estimate == 0.0 and cmp.p_value == 1.0 and not cmp.significant
    assert cmp.score_a.low < res.spearman < cmp.score_a.high
    assert cmp.n_items == res.n_covered


def test_noisy_model_is_significantly_worse(good_kv):
    noisy = _noisy_copy(good_kv, 3.0, seed=1)
    a = evaluate_similarity(good_kv, "simlex999")
    b = evaluate_similarity(noisy, "simlex999")
    cmp = paired_bootstrap(a, b, rng=np.random.default_rng(0), n_boot=1000, names=("good", "noisy"))
    assert a.spearman > 0.3
    assert cmp.score_b.estimate < cmp.score_a.estimate
    assert cmp.p_value < 0.05 and cmp.significant and cmp.difference.low > 0
    assert cmp.to_dict()["model_a"] == "good"


def test_paired_uses_common_items_only(good_kv):
    a = evaluate_similarity(good_kv, "simlex999")
    keep = [w for i, w in enumerate(good_kv.index_to_key) if i % 7]
    partial = make_kv(keep, good_kv[keep])
    b = evaluate_similarity(partial, "simlex999")
    assert b.n_covered < a.n_covered
    cmp = paired_bootstrap(a, b, rng=np.random.default_rng(0), n_boot=200)
    assert cmp.n_items == b.n_covered
    assert cmp.difference.estimate == pytest.approx(0.0, abs=1e-12)  # same vectors on common pairs


def test_seeded_and_deterministic(good_kv):
    res = evaluate_similarity(good_kv, "simlex999")
    one = bootstrap_score(res, rng=np.random.default_rng(3), n_boot=300)
    two = bootstrap_score(res, rng=np.random.default_rng(3), n_boot=300)
    assert one == two
    assert one.low < one.estimate < one.high and one.estimate == pytest.approx(res.spearman, abs=1e-12)
    with pytest.raises(TypeError, match="default_rng"):
        bootstrap_score(res, rng=3)
    with pytest.raises(ValueError, match="n_boot"):
        bootstrap_score(res, rng=np.random.default_rng(0), n_boot=1)


def test_analogy_accuracy_bootstrap(analogy_kv, tmp_path):
    add = evaluate_analogies(analogy_kv, method="3cosadd")
    mul = evaluate_analogies(analogy_kv, method="3cosmul")
    iv = bootstrap_score(add, rng=np.random.default_rng(0), n_boot=300)
    assert iv.estimate == pytest.approx(add.accuracy) and iv.low <= add.accuracy <= iv.high
    cmp = paired_bootstrap(add, mul, rng=np.random.default_rng(0), n_boot=500)
    assert cmp.metric == "accuracy" and cmp.difference.estimate == pytest.approx(add.accuracy - mul.accuracy)
    with pytest.raises(ValueError, match="same data set"):
        paired_bootstrap(add, evaluate_similarity(analogy_kv, _tiny_pairs(analogy_kv, tmp_path)), rng=np.random.default_rng(0))


def _tiny_pairs(kv, folder):
    words = kv.index_to_key[:6]
    path = folder / "tiny.txt"
    path.write_text("".join(f"{a} {b} {i}\n" for i, (a, b) in enumerate(zip(words, words[1:]))))
    return path


def test_bootstrap_is_fast(good_kv):
    import time
    res = evaluate_similarity(good_kv, "simlex999")
    start = time.perf_counter()
    paired_bootstrap(res, res, rng=np.random.default_rng(0), n_boot=2000)
    assert time.perf_counter() - start < 5.0  # vectorised: ~0.5 s for 2000 x ~1000 on 2 cores
