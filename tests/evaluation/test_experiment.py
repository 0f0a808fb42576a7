"""run_comparison end to end on a small corpus: seeds, grid, GloVe's three views, curves, cost; the CLI flags."""
import json

import numpy as np
import pytest

from evaluation.experiment import GLOVE, SGNS, WORD2VEC, grid_variants, parse_grid, route_grid_key, run_comparison
from evaluation.schema import validate_report
from tests.conftest import random_documents
from tests.evaluation.evaluation_helpers import dataset_words

SGNS_SMALL = {"vector_size": 8, "epochs": 2, "window": 2, "batch_size": 64, "group_size": 8, "shared_negatives": 4}
GLOVE_SMALL = {"vector_size": 8, "epochs": 3, "window": 3, "x_max": 5.0}


@pytest.fixture(scope="module")
def corpus_docs():
    """Random documents over similarity-set words, so every model covers pairs."""
    words = dataset_words("wordsim353.tsv")[:80]
    rng = np.random.default_rng(2)
    docs = random_documents(rng, n_docs=150, n_types=len(words), max_len=50)
    return [[words[int(t[1:])] for t in doc] for doc in docs]


@pytest.fixture(scope="module")
def small_report(corpus_docs, tmp_path_factory):
    return run_comparison(corpus_docs, seeds=2, grid={"x_max": [2.0, 5.0]}, min_count=1,
                          glove_params=GLOVE_SMALL, sgns_params=SGNS_SMALL, word2vec_params={"workers": 1},
                          out_dir=tmp_path_factory.mktemp("cmp"), similarity_sets=["wordsim353"],
                          analogy_methods=("3cosadd",), n_boot=50, n_maps=1, map_method="pca",
                          n_default_probes=3)


def test_models_seeds_and_views(small_report):
    rep = small_report
    assert rep.seeds == [1, 2]
    assert rep.models == ["GloVe x_max=2.0 (W+W~)", "GloVe x_max=2.0 (W)", "GloVe x_max=2.0 (W~)",
                          "GloVe x_max=5.0 (W+W~)", "GloVe x_max=5.0 (W)", "GloVe x_max=5.0 (W~)",
                          "SGNS", "Word2Vec (gensim)"]
    by = {(e.name, e.seed): e for e in rep.entries}
    w, c, s = (by[(f"GloVe x_max=5.0 ({v})", 1)] for v in ("W", "W~", "W+W~"))
    np.testing.assert_allclose(s.kv.vectors, w.kv.vectors + c.kv.vectors, rtol=1e-6)
    assert w.curve is s.curve and w.cost is s.cost  # one run, three views, no extra training
    assert w.kv.index_to_key == by[("SGNS", 1)].kv.index_to_key  # one vocabulary (gensim orders ties its own way)
    assert set(w.kv.index_to_key) == set(by[("Word2Vec (gensim)", 2)].kv.index_to_key)
    assert s.settings["x_max"] == 5.0 and by[("SGNS", 2)].settings["epochs"] == 2
    assert not np.allclose(by[("SGNS", 1)].kv.vectors, by[("SGNS", 2)].kv.vectors)  # seeds differ


def test_curves_and_costs(small_report):
    for run in small_report.runs():
        epochs = run.settings.get("epochs")
        assert len(run.curve) == epochs
        seconds = [p.seconds for p in run.curve]
        assert all(b >= a for a, b in zip(seconds, seconds[1:])) and seconds[0] > 0
        assert all(p.loss is not None and p.loss > 0 for p in run.curve)
        assert set(run.curve[-1].scores) == {"wordsim353"}
        cost = run.cost
        assert cost.epochs == epochs and cost.seconds >= cost.train_seconds > 0 and cost.peak_memory_bytes > 0
        assert cost.prepare_seconds > 0 and seconds[0] > cost.prepare_seconds  # preparation counts as compute
        assert cost.seconds >= cost.prepare_seconds + cost.train_seconds - 1e-6
        assert cost.tokens == small_report.config["training"]["corpus_tokens_in_vocabulary"] > 0


def test_grid_check_and_report_files(small_report):
    data = json.loads(small_report.paths["json"].read_text())
    assert validate_report(data) == []
    assert data["config"]["grid"] == {"x_max": [2.0, 5.0]}
    assert data["config"]["training"]["seeds"] == [1, 2]
    assert small_report.grid_checks and all(g.n_combinations >= 2 for g in small_report.grid_checks)
    # grid variants of one implementation are not compared with each other
    assert not any(c.a.startswith("GloVe x_max=2.0") and c.b.startswith("GloVe x_max=5.0")
                   for c in small_report.comparisons)
    assert {c.seed for c in small_report.comparisons} == {1, 2}


def test_parse_and_route_grid():
    assert parse_grid(["x-max=10,100", "sgns_shuffle=true,false", "glove_optimizer=adam"]) == {
        "x_max": [10, 100], "sgns_shuffle": [True, False], "glove_optimizer": ["adam"]}
    assert route_grid_key("vector_size") == [(GLOVE, "vector_size"), (SGNS, "vector_size"),
                                             (WORD2VEC, "vector_size")]
    assert route_grid_key("sgns_group_size") == [(SGNS, "group_size")]  # gensim has no group_size
    assert route_grid_key("word2vec_alpha") == [(WORD2VEC, "alpha")]
    variants = grid_variants({"x_max": [10, 100], "glove_epochs": [5, 25], "negative": [5, 10]})
    assert len(variants[GLOVE]) == 4 and variants[SGNS] == [{"negative": 5}, {"negative": 10}]
    assert grid_variants(None) == {GLOVE: [{}], SGNS: [{}], WORD2VEC: [{}]}
    for bad, message in ((["x_max"], "NAME=V1,V2"), (["x_max="], "NAME=V1,V2"), (["window=2,5"], "glove_window"),
                         (["x_max=1", "x_max=2"], "twice"), (["seed=1,2"], "--seeds"),
                         (["glove_callbacks=1"], "cannot be varied")):
        with pytest.raises(ValueError, match=message):
            parse_grid(bad)


def test_bad_arguments_fail_before_training(corpus_docs):
    with pytest.raises(ValueError, match="seeds must be >= 1"):
        run_comparison(corpus_docs, seeds=0, out_dir=None)
    with pytest.raises(ValueError, match="x_max"):
        run_comparison(corpus_docs, grid={"x_max": [-1.0]}, out_dir=None)
    with pytest.raises(ValueError, match="set by run_comparison"):
        run_comparison(corpus_docs, glove_params={"callbacks": []}, out_dir=None)
    with pytest.raises(ValueError, match="seed is given different values"):
        run_comparison(corpus_docs, glove_params={"seed": 3}, sgns_params={"seed": 4}, out_dir=None)
    with pytest.raises(ValueError, match="min_count is given different values"):
        run_comparison(corpus_docs, min_count=2, glove_params={"min_count": 3}, out_dir=None)
    with pytest.raises(ValueError, match="not supported"):
        run_comparison(corpus_docs, word2vec_params={"sg": 0}, out_dir=None)
    with pytest.raises(ValueError, match="GloVe"):
        run_comparison(corpus_docs, glove_params={"no_such_parameter": 1}, out_dir=None)
    with pytest.raises(ValueError, match="n_maps"):
        run_comparison(corpus_docs, n_maps=-1, out_dir=None)
    with pytest.raises(TypeError, match="unknown report options"):
        run_comparison(corpus_docs, n_bootstrap=10, out_dir=None)
    with pytest.raises(ValueError, match="template"):
        run_comparison(corpus_docs, template="sepia", out_dir=None)


@pytest.mark.slow
def test_cli_compare_seeds_and_grid(corpus_docs, tmp_path, capsys):
    from glove_gensim.cli import main

    corpus = tmp_path / "corpus.txt"
    corpus.write_text("\n\n".join(" ".join(d) for d in corpus_docs if d))
    out = tmp_path / "report"
    assert main(["compare", str(corpus), "--out", str(out), "--min-count", "1", "--vector-size", "8",
                 "--glove-epochs", "2", "--sgns-epochs", "2", "--seeds", "2", "--grid", "x_max=2,5",
                 "--no-with-gensim", "--similarity", "wordsim353", "-q"]) == 0
    printed = capsys.readouterr().out
    data = json.loads((out / "report.json").read_text())
    assert data["seeds"] == [1, 2] and "GloVe x_max=2 (W+W~)" in data["models"]
    assert "wordsim353:" in printed and "Holm" in printed and "grid combinations" in printed
    assert main(["compare", str(corpus), "--out", str(out), "--grid", "window=2", "-q"]) == 2
    assert "glove_window" in capsys.readouterr().err
