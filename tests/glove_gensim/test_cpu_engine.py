"""The compiled CPU engine against the float64 reference, the JAX engine, and itself."""
import subprocess
import sys

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest

from glove_gensim import cpu_engine, host_random, rules
from glove_gensim import train as core
from glove_gensim.embedding import TrainingDivergedError
from glove_gensim.model import GloVe
from tests.conftest import REPO, random_documents
from tests.glove_gensim.test_train import random_problem, reference_epoch

SMALL = dict(vector_size=8, window=3, min_count=2, x_max=10.0, epochs=4)


@pytest.fixture(scope="module")
def documents():
    return random_documents(np.random.default_rng(11), n_docs=80, n_types=60, max_len=40)


def test_host_prng_and_shuffle_equal_jax():
    for seed in (0, 1, 987654321):
        key = jax.random.PRNGKey(seed)
        assert np.array_equal(np.asarray(key), host_random.prng_key(seed))
        for epoch in (0, 4):
            expected = core.shuffle_keys(jax.random.fold_in(key, epoch + 1))
            assert np.array_equal(np.asarray(expected), host_random.epoch_keys(seed, epoch))
        params = core.init_params(key, 23, 7)
        vectors, biases = host_random.init_tables(seed, 23, 7)
        assert np.array_equal(np.asarray(params.vectors), vectors)
        assert np.array_equal(np.asarray(params.biases), biases)
    for n in (1, 2, 7, 1000, 4099, 70001):
        keys = core.shuffle_keys(jax.random.PRNGKey(n))
        expected = core.shuffled_index(jnp.arange(n, dtype=jnp.uint32), n, keys)
        assert np.array_equal(np.asarray(expected), host_random.shuffled_order(n, np.asarray(keys)))


@pytest.mark.parametrize("rule, n_threads, batch_size", [(rules.GloveAdaGrad(0.05), 1, 1),
                                                         (rules.SyncAdaGrad(0.05), 2, 16)])
def test_one_epoch_equals_float64_reference(rule, n_threads, batch_size):
    rows, cols, values = random_problem(0)
    entries = cpu_engine.host_entries(rows, cols, values, 12, 10.0, 0.75)
    params, accumulators = cpu_engine.init_tables(3, 12, 5)
    start = cpu_engine.copy_tables(params, accumulators)
    keys = cpu_engine.epoch_keys(3, 0)
    cost = cpu_engine.run_epoch(rule, params, accumulators, entries, keys, n_threads, batch_size)
    n_padded = len(rows) + (-len(rows)) % batch_size
    vectors, biases, expected_cost = reference_epoch(
        start[0].vectors, start[0].biases, start[1].vectors, start[1].biases, rows, cols, values,
        host_random.shuffled_order(n_padded, keys), batch_size, 12, 0.05, 10.0, 0.75,
        synchronous=rule.name == "sync")
    np.testing.assert_allclose(params.vectors, vectors, atol=1e-5)
    np.testing.assert_allclose(params.biases, biases, atol=1e-5)
    assert cost == pytest.approx(expected_cost, rel=1e-5)


def test_jax_at_batch_one_and_cpu_at_one_thread_give_the_same_vectors(documents):
    jax_model = GloVe(documents, engine="jax", optimizer="adagrad-glove", batch_size=1, seed=5, **SMALL)
    cpu_model = GloVe(documents, engine="cpu", workers=1, seed=5, **SMALL)
    assert cpu_model.optimizer == "adagrad-glove" and jax_model._engine == "jax"
    np.testing.assert_allclose(cpu_model.word_vectors, jax_model.word_vectors, atol=1e-5)
    np.testing.assert_allclose(cpu_model.context_vectors, jax_model.context_vectors, atol=1e-5)
    np.testing.assert_allclose(cpu_model.biases, jax_model.biases, atol=1e-5)
    np.testing.assert_allclose(cpu_model.loss_history, jax_model.loss_history, rtol=1e-5)


def test_synchronous_rule_agrees_with_the_jax_engine(documents):
    settings = dict(optimizer="adagrad", batch_size=32, seed=2, **SMALL)
    jax_model = GloVe(documents, engine="jax", **settings)
    cpu_model = GloVe(documents, engine="cpu", workers=2, **settings)
    np.testing.assert_allclose(cpu_model.word_vectors, jax_model.word_vectors, atol=1e-5)
    np.testing.assert_allclose(cpu_model.loss_history, jax_model.loss_history, rtol=1e-5)


def test_two_threads_follow_the_one_thread_cost_curve():
    documents = random_documents(np.random.default_rng(5), n_docs=400, n_types=3000, max_len=60)
    settings = dict(vector_size=16, window=5, min_count=1, x_max=10.0, epochs=8, seed=1)
    one = GloVe(documents, engine="cpu", workers=1, **settings).loss_history
    two = GloVe(documents, engine="cpu", workers=2, **settings).loss_history
    np.testing.assert_allclose(two, one, rtol=0.02)
    assert two[-1] < 0.5 * two[0]


def test_one_worker_is_deterministic_and_save_load_continues_bitwise(documents, tmp_path):
    settings = dict(engine="cpu", workers=1, **SMALL)
    uninterrupted = GloVe(documents, **{**settings, "epochs": 5})
    again = GloVe(documents, **{**settings, "epochs": 5})
    assert np.array_equal(uninterrupted.wv.vectors, again.wv.vectors)
    first = GloVe(documents, **{**settings, "epochs": 2})
    resumed = GloVe.load(first.save(tmp_path / "model.npz"), workers=1)
    assert resumed._engine == "cpu" and resumed.epochs_trained == 2
    resumed.train(epochs=3)
    assert np.array_equal(resumed.wv.vectors, uninterrupted.wv.vectors)
    assert resumed.loss_history == uninterrupted.loss_history


def test_checkpoint_resume_is_bitwise_and_files_match_the_jax_layout(documents, tmp_path):
    settings = dict(engine="cpu", workers=1, checkpoint_dir=tmp_path / "ck", **SMALL)
    uninterrupted = GloVe(documents, **{**settings, "checkpoint_dir": None, "epochs": 5})
    GloVe(documents, **{**settings, "epochs": 3})
    resumed = GloVe(**{**settings, "epochs": 5})
    resumed.build_vocab(documents)
    assert resumed.restore_checkpoint() and resumed.epochs_trained == 3
    resumed.train(epochs=2)
    assert np.array_equal(resumed.wv.vectors, uninterrupted.wv.vectors)
    jax_model = GloVe(documents, engine="jax", optimizer="adagrad-glove", **SMALL)
    cpu_state, jax_state = uninterrupted._state_arrays(), jax_model._state_arrays()
    assert {k: (v.shape, v.dtype) for k, v in cpu_state.items()} == \
        {k: (np.shape(v), np.asarray(v).dtype) for k, v in jax_state.items()}
    jax_copy = GloVe(**{**SMALL, "engine": "jax", "optimizer": "adagrad-glove", "batch_size": 1})
    jax_copy.build_vocab(documents)
    jax_copy._restore_state(cpu_state)
    assert np.array_equal(jax_copy.wv.vectors, uninterrupted.wv.vectors)


def test_divergence_rolls_back_to_the_last_finite_tables(documents):
    model = GloVe(engine="cpu", workers=1, learning_rate=1e30, **SMALL)
    model.build_vocab(documents)
    with pytest.raises(TrainingDivergedError, match="learning_rate"):
        model.train()
    assert np.all(np.isfinite(model.wv.vectors)) and model.epochs_trained == len(model.loss_history)



def test_out_of_core_divergence_rolls_back_from_the_snapshot_on_disk(documents, monkeypatch):
    """Out of core, the tables an epoch falls back to live in a file beside the blocks, not in a
    second copy in memory; a diverged epoch reads them back in place."""
    model = GloVe(engine="cpu", workers=1, block_size=500, out_of_core=True, **{**SMALL, "epochs": 2})
    model.build_vocab(documents)
    model.train()
    before = [array.copy() for array in (*model._params, *model._opt_state)]

    def diverge(rule, params, accumulators, *args):
        params.vectors[:] = np.nan
        return float("nan")

    def no_copy(*args):
        raise AssertionError("out of core, the tables must not be copied in memory")

    monkeypatch.setattr(cpu_engine, "run_epoch", diverge)
    monkeypatch.setattr(cpu_engine, "copy_tables", no_copy)
    with pytest.raises(TrainingDivergedError):
        model.train(epochs=1)
    assert model.epochs_trained == 2
    for saved, array in zip(before, (*model._params, *model._opt_state)):
        np.testing.assert_array_equal(array, saved)


def test_default_rule_depends_on_the_engine():
    assert GloVe(engine="cpu").optimizer == "adagrad-glove"
    assert GloVe(engine="jax").optimizer == "adagrad"
    assert GloVe(engine="auto", optimizer="adam")._engine == "jax"


class NeverRead:
    def __iter__(self):
        raise AssertionError("the corpus must not be read")


@pytest.mark.parametrize("bad, match", [
    (dict(engine="gpu"), "engine must be one of"), (dict(workers=0), "workers"),
    (dict(engine="cpu", optimizer="adam"), "engine='cpu' cannot train with optimizer='adam'"),
    (dict(engine="cpu", optimizer=optax.sgd(0.1)), "needs|engine='jax'"),
    (dict(engine="cpu", shard_tables=True), "shard_tables")])
def test_bad_arguments_fail_before_any_work(bad, match):
    with pytest.raises(ValueError, match=match):
        GloVe(NeverRead(), **bad)


def test_cpu_engine_training_never_imports_jax():
    script = ("import sys; from gensim.test.utils import common_texts; from glove_gensim import GloVe; "
              "m = GloVe(common_texts, min_count=1, vector_size=4, epochs=2, engine='cpu', workers=1); "
              "m.wv; assert m.loss_history[-1] > 0; print(sorted(k for k in sys.modules if k.split('.')[0] "
              "in ('jax', 'jaxlib', 'optax')))")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "[]"
