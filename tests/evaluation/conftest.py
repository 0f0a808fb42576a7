"""Fixtures for the evaluation tests: small synthetic KeyedVectors (fast: no training)."""
from __future__ import annotations

import numpy as np
import pytest
from gensim.models import KeyedVectors

from tests.evaluation.evaluation_helpers import analogy_sections, dataset_words, make_kv


@pytest.fixture(scope="session")
def sim_kv() -> KeyedVectors:
    """Vectors for ~80% of wordsim353 and simlex999 words (the rest OOV), with case variants:
    'TIGER' comes before 'tiger' so case-insensitive lookup must take 'TIGER' (gensim's rule)."""
    rng = np.random.default_rng(1)
    words = dataset_words("wordsim353.tsv") + dataset_words("simlex999.txt")
    words = list(dict.fromkeys(words))
    keep = [w for w in words if rng.random() < 0.8]
    keep = ["TIGER", "Money"] + keep + ["Love", "filler1", "filler2"]
    return make_kv(keep, rng.normal(size=(len(keep), 24)))


@pytest.fixture(scope="session")
def analogy_kv() -> KeyedVectors:
    """Vectors for two analogy sections with structure (d ~ c + b - a), noise, fillers and case variants."""
    rng = np.random.default_rng(2)
    dim = 30
    vec: dict[str, np.ndarray] = {}
    for section, scale in (("capital-common-countries", 0.8), ("family", 1.0)):
        offset = rng.normal(size=dim)
        for a, b, c, d in analogy_sections({section}):
            for x, y in ((a, b), (c, d)):
                if x not in vec:
                    vec[x] = rng.normal(size=dim)
                if y not in vec:
                    vec[y] = vec[x] + offset + scale * rng.normal(size=dim)
    words = list(vec)
    rng.shuffle(words)
    words = words[:-3]  # a few words OOV
    extra = ["ATHENS", "Father", "mother2"] + [f"filler{i}" for i in range(40)]
    all_words = extra[:2] + words + extra[2:]
    def base(w: str) -> np.ndarray:
        for v in (w, w.capitalize(), w.lower()):
            if v in vec:
                return vec[v] + (0.2 * rng.normal(size=dim) if v != w else 0)
        return rng.normal(size=dim)

    vectors = np.stack([base(w) for w in all_words])
    return make_kv(all_words, vectors)


@pytest.fixture(scope="session")
def report_models(sim_kv, analogy_kv) -> dict[str, KeyedVectors]:
    """Two models sharing most words: 'glove' (analogy structure + similarity words) and 'sgns'
    (a noisy copy missing a few words), with descending counts."""
    rng = np.random.default_rng(7)
    words = list(dict.fromkeys(["government", "people"] + list(analogy_kv.index_to_key)
                               + list(sim_kv.index_to_key)))
    vectors = np.stack([analogy_kv[w] if w in analogy_kv.key_to_index else rng.normal(size=30) for w in words])
    counts = list(range(10 * len(words), 0, -10))
    glove = make_kv(words, vectors, counts)
    keep = [i for i in range(len(words)) if i % 9 != 5]
    sgns = make_kv([words[i] for i in keep], vectors[keep] + 0.7 * rng.normal(size=(len(keep), 30)),
                   [counts[i] for i in keep])
    return {"glove": glove, "sgns": sgns}


@pytest.fixture(scope="session")
def built_report(report_models, tmp_path_factory):
    """One full report (UMAP maps included), shared by the report and browser tests."""
    from evaluation import compare

    out = tmp_path_factory.mktemp("report")
    losses = {"glove": [0.09, 0.05, 0.035, 0.03], "sgns": [2.5, 2.1, 1.9]}
    return compare(report_models, losses=losses, out_dir=out, probes=["king", "unicorn"], seed=0,
                   n_boot=300, k=8, n_default_probes=4, n_maps=2)
