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


def _curve(first_loss: float, n_epochs: int, seconds_per_epoch: float, rng: np.random.Generator):
    from evaluation.curves import CurvePoint

    return tuple(CurvePoint(epoch=e, seconds=e * seconds_per_epoch, loss=first_loss / e ** 0.5,
                            scores={"wordsim353": float(rng.uniform(-0.2, 0.4)),
                                    "simlex999": float(rng.uniform(-0.2, 0.4))})
                 for e in range(1, n_epochs + 1))


def report_entries(report_models, seeds=(1, 2)):
    """TrainedVectors as run_comparison makes them: a GloVe run with three views, an SGNS run,
    two seeds (the second seed's vectors a slightly perturbed copy), curves and costs."""
    from evaluation.cost import TrainingCost
    from evaluation.report import TrainedVectors

    rng = np.random.default_rng(11)
    glove, sgns = report_models["glove"], report_models["sgns"]
    entries = []
    for seed in seeds:
        jitter = 0.0 if seed == seeds[0] else 0.3
        g = make_kv(list(glove.index_to_key), glove.vectors + jitter * rng.normal(size=glove.vectors.shape),
                    [glove.get_vecattr(w, "count") for w in glove.index_to_key])
        s = make_kv(list(sgns.index_to_key), sgns.vectors + jitter * rng.normal(size=sgns.vectors.shape),
                    [sgns.get_vecattr(w, "count") for w in sgns.index_to_key])
        g_curve, s_curve = _curve(0.09, 6, 0.4, rng), _curve(3.1, 4, 1.1, rng)
        g_cost = TrainingCost(seconds=3.0, train_seconds=2.4, peak_memory_bytes=300 << 20, tokens=60000, epochs=6)
        s_cost = TrainingCost(seconds=5.0, train_seconds=4.4, peak_memory_bytes=320 << 20, tokens=60000, epochs=4)
        half = make_kv(list(glove.index_to_key), 0.5 * g.vectors + 0.2 * rng.normal(size=g.vectors.shape))
        for view, kv in (("W+W~", g), ("W", half), ("W~", make_kv(list(glove.index_to_key), g.vectors - half.vectors))):
            entries.append(TrainedVectors(name=f"glove ({view})", kv=kv, seed=seed, family="GloVe",
                                          implementation="GloVe", run="glove", view=view,
                                          settings={"x_max": 10, "epochs": 6}, curve=g_curve, cost=g_cost,
                                          primary=view == "W+W~"))
        entries.append(TrainedVectors(name="sgns", kv=s, seed=seed, family="SGNS", implementation="SGNS",
                                      run="sgns", settings={"epochs": 4}, curve=s_curve, cost=s_cost))
    return entries


@pytest.fixture(scope="session")
def built_report(report_models, tmp_path_factory):
    """One full report over two seeds (UMAP maps included), shared by the report and browser tests."""
    from evaluation.report import build_report

    out = tmp_path_factory.mktemp("report")
    return build_report(report_entries(report_models), out_dir=out, probes=["king", "unicorn"], seed=0,
                        n_boot=200, k=8, n_default_probes=4, n_maps=2)
