"""Pretrained vectors in (``init_vectors``) and the Mittens term (``mittens=``)."""
import os
import warnings

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from gensim.test.utils import common_texts

from glove_gensim import pretrained, train
from glove_gensim.embedding import make_keyed_vectors
from glove_gensim.model import GloVe
from baselines.sgns import SkipGramNS

SETTINGS = dict(vector_size=8, window=2, min_count=1, workers=1)


@pytest.fixture(scope="module")
def kv():
    return GloVe(common_texts, epochs=3, engine="cpu", **SETTINGS).wv


def _mittens_reference(V, dim, seed, mu):
    """mittens.np_mittens' cost and gradients on a random dense problem, with its W, C, biases."""
    np_mittens = pytest.importorskip("mittens.np_mittens")
    rng = np.random.default_rng(seed)
    counts = rng.poisson(0.7, (V, V)).astype(np.float64) * rng.integers(1, 40, (V, V))
    weights = np.where(counts > 0, np.minimum(1.0, (counts / 30.0) ** 0.75), 0.0)
    log_x = np.log(np.where(counts > 0, counts, 1.0))
    model = np_mittens.Mittens(n=dim, mittens=mu, max_iter=1)
    model.n_words = V
    has = rng.random(V) < 0.6
    embedding = {f"w{i}": rng.normal(size=dim) for i in range(V) if has[i]}
    model._initialize_w_c_b(V, [f"w{i}" for i in range(V)], embedding)
    gradients, error = model._get_gradients_and_error(model._make_prediction(), log_x, weights)
    return counts, weights, log_x, model, gradients, error


@pytest.mark.parametrize("seed,V", [(0, 40), (1, 300)])
def test_cost_and_gradients_equal_mittens(seed, V):
    dim, mu = 6, 0.3
    counts, weights, log_x, ref, gradients, error = _mittens_reference(V, dim, seed, mu)
    rows, cols = np.nonzero(counts)
    index = np.flatnonzero(ref.has_embedding)
    with jax.enable_x64(True):
        params = train.GloVeParams(jnp.asarray(np.concatenate([ref.W, ref.C])),
                                   jnp.asarray(np.concatenate([ref.bw.ravel(), ref.bc.ravel()])))

        def cost(params):
            glove = train.loss(params, jnp.asarray(rows), jnp.asarray(cols + V), jnp.asarray(log_x[rows, cols]),
                               jnp.asarray(weights[rows, cols]))
            return glove + pretrained.mittens_cost(params.vectors, V, jnp.asarray(index),
                                                   jnp.asarray(ref.original_embedding[index]), mu, xp=jnp)

        value, grad = jax.value_and_grad(cost)(params)
        value, grad_v, grad_b = float(value), np.asarray(grad.vectors), np.asarray(grad.biases)
    assert value == pytest.approx(error, rel=1e-5)
    for ours, theirs in [(grad_v[:V], gradients["W"]), (grad_v[V:], gradients["C"]),
                         (grad_b[:V], gradients["bw"].ravel()), (grad_b[V:], gradients["bc"].ravel())]:
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-8)


def test_the_mittens_pass_is_a_step_along_the_gradient_on_both_engines():
    rng = np.random.default_rng(3)
    V, dim, mu, eta = 20, 4, 0.5, 0.01
    vectors = rng.normal(size=(2 * V, dim)).astype(np.float32)
    acc = rng.uniform(1, 3, size=(2 * V, dim)).astype(np.float32)
    index = np.array([1, 4, 7, 19])
    targets = rng.normal(size=(4, dim)).astype(np.float32)
    grad = np.asarray(jax.grad(lambda v: pretrained.mittens_cost(v, V, index, targets, mu, xp=jnp))(vectors))
    expected = vectors - eta * grad / np.sqrt(acc)
    cpu_v, cpu_acc = vectors.copy(), acc.copy()
    cpu_cost = pretrained.mittens_pass(cpu_v, cpu_acc, V, index, targets, np.float32(mu), np.float32(eta),
                                       np.float32(100.0))
    jax_v, jax_acc, jax_cost = pretrained.mittens_step_jax(jnp.asarray(vectors), jnp.asarray(acc), V,
                                                           jnp.asarray(index), jnp.asarray(targets), mu, eta, 100.0)
    np.testing.assert_allclose(cpu_v, expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(np.asarray(jax_v), cpu_v, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(np.asarray(jax_acc), cpu_acc, rtol=1e-5)
    assert cpu_cost == pytest.approx(float(pretrained.mittens_cost(vectors, V, index, targets, mu)), rel=1e-5)
    assert float(jax_cost) == pytest.approx(cpu_cost, rel=1e-5)


@pytest.mark.parametrize("engine", ["cpu", "jax"])
def test_pretrained_rows_start_at_the_pretrained_vector(kv, engine, caplog):
    caplog.set_level("INFO", logger="glove_gensim.pretrained")
    model = GloVe(engine=engine, init_vectors=kv, **SETTINGS).build_vocab(common_texts + [["novel"]])
    found = [w for w in model.wv.index_to_key if w in kv.key_to_index]
    np.testing.assert_allclose(model.wv[found], kv[found], rtol=1e-6)
    np.testing.assert_allclose(model.word_vectors[model.wv.key_to_index["system"]], 0.5 * kv["system"], rtol=1e-6)
    assert "12 of the 13 vocabulary words found" in caplog.text


@pytest.mark.parametrize("engine", ["cpu", "jax"])
def test_mittens_reports_both_terms_and_pulls_toward_the_pretrained_vectors(kv, engine):
    runs = {mu: GloVe(common_texts, engine=engine, epochs=5, init_vectors=kv, mittens=mu, **SETTINGS)
            for mu in (0.0, 1.0)}
    assert runs[0.0].mittens_loss_history == [] and len(runs[1.0].mittens_loss_history) == 5
    assert all(total > term > 0 for total, term in zip(runs[1.0].loss_history, runs[1.0].mittens_loss_history))
    distance = {mu: np.linalg.norm(m.wv.vectors - kv.vectors) for mu, m in runs.items()}
    assert distance[1.0] < distance[0.0]


def test_a_saved_mittens_model_continues_exactly(kv, tmp_path):
    model = GloVe(common_texts, engine="cpu", epochs=2, init_vectors=kv, mittens=0.5, **SETTINGS)
    loaded = GloVe.load(model.save(tmp_path / "m.npz"), engine="cpu", workers=1)
    np.testing.assert_array_equal(loaded.pretrained.vectors, model.pretrained.vectors)
    assert loaded.mittens_loss_history == model.mittens_loss_history
    model.train(epochs=1), loaded.train(epochs=1)
    np.testing.assert_array_equal(loaded.wv.vectors, model.wv.vectors)


def test_sgns_input_vectors_start_at_the_pretrained_vector(kv):
    model = SkipGramNS(vector_size=8, window=2, min_count=1, init_vectors=kv).build_vocab(common_texts)
    np.testing.assert_allclose(model.wv["system"], kv["system"], rtol=1e-6)


def test_a_stanford_text_file_is_read_and_a_wrong_dimension_names_both_numbers(kv, tmp_path):
    path = tmp_path / "vectors.txt"
    path.write_text("".join(f"{w} " + " ".join(map(str, kv[w])) + "\n" for w in kv.index_to_key))
    model = GloVe(init_vectors=path, **SETTINGS).build_vocab(common_texts)
    np.testing.assert_allclose(model.wv["human"], kv["human"], rtol=1e-5)
    with pytest.raises(ValueError, match=r"vectors\.txt holds vectors of dimension 8, but vector_size=16"):
        GloVe(init_vectors=path, **{**SETTINGS, "vector_size": 16})


def test_a_truncated_file_is_refused_naming_file_and_line(kv, tmp_path):
    path = tmp_path / "broken.txt"
    lines = [f"{w} " + " ".join(map(str, kv[w])) for w in kv.index_to_key[:3]]
    path.write_text("\n".join(lines) + "\nemu 0.1 0.2\n")
    with pytest.raises(Exception, match=r"broken\.txt:4: expected a word and 8 numbers"):
        GloVe(init_vectors=path, **SETTINGS)


def test_no_overlap_warns_naming_both_sizes_and_trains():
    foreign = make_keyed_vectors(["zebra", "okapi"], np.ones((2, 8)))
    with pytest.warns(UserWarning, match=r"none of the 12 vocabulary words is among the 2 words"):
        model = GloVe(common_texts, epochs=1, init_vectors=foreign, **SETTINGS)
    assert model.epochs_trained == 1


@pytest.mark.parametrize("mu", [-0.1, float("nan"), float("inf"), "1"])
def test_a_bad_mittens_is_refused_before_any_work(mu):
    with pytest.raises(ValueError, match="mittens must be a finite number >= 0"):
        GloVe(common_texts, mittens=mu, **SETTINGS)


def test_mittens_without_pretrained_vectors_or_with_optax_is_refused(kv):
    with pytest.raises(ValueError, match="needs pretrained vectors: give init_vectors"):
        GloVe(common_texts, mittens=0.5, **SETTINGS)
    with pytest.raises(ValueError, match="needs optimizer='adagrad' or 'adagrad-glove'"):
        GloVe(init_vectors=kv, mittens=0.5, optimizer="adam", **SETTINGS)


def test_init_vectors_of_another_type_is_refused():
    with pytest.raises(TypeError, match="init_vectors must be a gensim KeyedVectors or the path"):
        GloVe(init_vectors=np.ones((2, 8)), **SETTINGS)


NEW_TEXTS = [["zebra", "okapi", "system"], ["zebra", "okapi", "graph"]] * 2


@pytest.mark.parametrize("engine", ["cpu", "jax"])
def test_update_keeps_rows_adds_words_sums_counts_and_saving_between_changes_nothing(engine, tmp_path):
    model = GloVe(common_texts, engine=engine, epochs=2, **SETTINGS)
    old_words, before = list(model.wv.index_to_key), model.wv.vectors.copy()
    old_count = int(model.wv.get_vecattr("system", "count"))
    saved = GloVe.load(model.save(tmp_path / "m.npz"), engine=engine, workers=1)
    for m in (model, saved):
        m.build_vocab(NEW_TEXTS, update=True)
    assert model.wv.index_to_key == old_words + ["zebra", "okapi"]
    np.testing.assert_array_equal(model.wv.vectors[:len(old_words)], before)
    assert int(model.wv.get_vecattr("system", "count")) == old_count + 2
    for m in (model, saved):
        m.train(NEW_TEXTS, epochs=2)
    np.testing.assert_array_equal(saved.wv.vectors, model.wv.vectors)
    assert model.epochs_trained == 4 and not np.array_equal(model.wv.vectors[:len(old_words)], before)


def test_sgns_update_grows_its_tables():
    model = SkipGramNS(common_texts, vector_size=8, window=2, min_count=1, epochs=1, sample=0)
    before = model.wv.vectors.copy()
    model.build_vocab(NEW_TEXTS, update=True).train(NEW_TEXTS, epochs=1)
    assert len(model.wv) == 14 and model.output_vectors.shape == (14, 8)
    assert not np.array_equal(model.wv.vectors[:12], before)


def test_update_without_a_vocabulary_or_a_corpus_is_refused():
    with pytest.raises(RuntimeError, match="adds words to a model that has a vocabulary"):
        GloVe(**SETTINGS).build_vocab(NEW_TEXTS, update=True)
    with pytest.raises(ValueError, match=r"update=True\) needs the new corpus"):
        GloVe(common_texts, epochs=1, **SETTINGS).build_vocab(update=True)


def test_an_unset_vector_size_is_taken_from_the_pretrained_file(kv, tmp_path):
    path = tmp_path / "vectors.txt"
    path.write_text("".join(f"{w} " + " ".join(map(str, kv[w])) + "\n" for w in kv.index_to_key))
    settings = {name: value for name, value in SETTINGS.items() if name != "vector_size"}
    model = GloVe(init_vectors=path, **settings).build_vocab(common_texts)
    assert model.vector_size == 8 and model.get_params()["vector_size"] == 8 and model.wv.vector_size == 8
    np.testing.assert_allclose(model.wv["human"], kv["human"], rtol=1e-5)
    assert SkipGramNS(init_vectors=kv, min_count=1).vector_size == 8
    assert GloVe(**settings).vector_size == 100 and SkipGramNS().vector_size == 100
    with pytest.raises(ValueError, match=r"vectors\.txt holds vectors of dimension 8, but vector_size=100; "
                                         r"give vector_size=8 \(or leave it unset\)"):
        GloVe(init_vectors=path, vector_size=100, **settings)


@pytest.mark.parametrize("engine", ["cpu", "jax"])
def test_a_rolled_back_epoch_takes_its_mittens_term_with_it(kv, engine, monkeypatch):
    model = GloVe(engine=engine, epochs=3, init_vectors=kv, mittens=0.5, on_divergence="restart",
                  **SETTINGS).build_vocab(common_texts)
    run_entries, calls = model._run_entries, []

    def diverge_in_the_second_epoch(epoch):
        calls.append(epoch)
        loss, n_entries = run_entries(epoch)
        return (float("nan") if len(calls) == 2 else loss), n_entries

    monkeypatch.setattr(model, "_run_entries", diverge_in_the_second_epoch)
    model.train()
    assert len(calls) == 4 and model.epochs_trained == 3 and model.learning_rate == 0.025
    assert len(model.mittens_loss_history) == len(model.loss_history) == 3
    assert all(total > term > 0 for total, term in zip(model.loss_history, model.mittens_loss_history))


def test_vectors_read_from_a_file_are_let_go_once_matched_and_read_again_for_new_words(kv, tmp_path):
    path = tmp_path / "vectors.txt"
    zebra = np.linspace(-1, 1, 8).astype(np.float32)
    rows = [(w, kv[w]) for w in kv.index_to_key] + [("zebra", zebra)]
    path.write_text("".join(f"{w} " + " ".join(map(str, v)) + "\n" for w, v in rows))
    model = GloVe(common_texts, epochs=1, engine="cpu", init_vectors=path, **SETTINGS)
    assert model._pretrained_kv is None and len(model.pretrained.index) == 12
    model.build_vocab(NEW_TEXTS, update=True)
    assert model._pretrained_kv is None and len(model.pretrained.index) == 13
    np.testing.assert_allclose(model.wv["zebra"], zebra, rtol=1e-6)
    given = GloVe(common_texts, epochs=1, engine="cpu", init_vectors=kv, **SETTINGS)
    assert given._pretrained_kv is kv  # the caller's KeyedVectors: kept, not copied
