import numpy as np
import pytest

from evaluation import default_probes, frequency_order, nearest_neighbors, overlap_at_k, top_k
from tests.evaluation.evaluation_helpers import make_kv

WORDS = ["the", "of", "and", "government", ",", "state", "a", "party", "1990", "people", "x", "war",
         "policy", "election", "law", "economy", "court", "vote", "tax", "army"]


@pytest.fixture(scope="module")
def kvs():
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(len(WORDS), 12))
    counts = list(range(1000, 1000 - 10 * len(WORDS), -10))
    a = make_kv(WORDS, vectors, counts)
    b = make_kv(WORDS, vectors + 0.05 * rng.normal(size=vectors.shape), counts)  # near copy
    c = make_kv(WORDS[:-1], rng.normal(size=(len(WORDS) - 1, 12)))  # unrelated, no 'army'
    return {"a": a, "b": b, "c": c}


def test_top_k_equals_gensim_most_similar(kvs):
    kv = kvs["a"]
    got = top_k(kv, ["government", "war"], 5)
    for word, ours in zip(["government", "war"], got):
        want = kv.most_similar(word, topn=5)
        assert [w for w, _ in ours] == [w for w, _ in want]
        np.testing.assert_allclose([s for _, s in ours], [s for _, s in want], atol=1e-5)


def test_default_probes_skip_stop_words_and_follow_counts(kvs):
    assert default_probes(kvs["a"], 4) == ["government", "state", "party", "people"]
    # counts override key order
    rng = np.random.default_rng(0)
    kv = make_kv(["war", "tax", "the"], rng.normal(size=(3, 4)), [1, 50, 100])
    assert frequency_order(kv) == ["the", "tax", "war"]
    assert default_probes(kv, 5) == ["tax", "war"]
    # with several models, only words every model knows
    assert "army" not in default_probes(kvs, 50)


def test_neighbors_side_by_side_overlap_and_oov(kvs):
    res = nearest_neighbors(kvs, probes=["army", "unicorn", "state"], k=5, n_default_probes=3)
    assert res.probes == ["government", "state", "party", "army", "unicorn"]
    assert res.oov == {"a": ["unicorn"], "b": ["unicorn"], "c": ["army", "unicorn"]}
    assert set(res.neighbors["army"]) == {"a", "b"} and res.neighbors["unicorn"] == {}
    assert all(len(ns) == 5 for per in res.neighbors.values() for ns in per.values())
    assert res.mean_overlap[("a", "b")] > 0.7 > res.mean_overlap[("a", "c")]
    assert ("a", "c") not in res.overlap["army"]
    d = res.to_dict()
    assert d["mean_overlap"]["a | b"] == res.mean_overlap[("a", "b")]
    assert overlap_at_k(["x", "y", "z"], ["z", "y", "q"], 3) == pytest.approx(2 / 3)


def test_identical_models_overlap_one(kvs):
    res = nearest_neighbors({"a": kvs["a"], "same": kvs["a"]}, k=4)
    assert res.mean_overlap[("a", "same")] == 1.0
    with pytest.raises(ValueError, match="at least one"):
        nearest_neighbors({})
