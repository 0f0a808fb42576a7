"""The JAX core against a float64 NumPy reference on small random problems."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from baselines import sgns_core as core

jax.config.update("jax_enable_x64", False)


def log_sigmoid(x):
    return -np.logaddexp(0.0, -x)


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def reference(vectors, centres, contexts, negatives, weights, negative):
    """Pair by pair, float64: summed loss and dense gradient ``[2V, dim]``."""
    vectors = np.asarray(vectors, dtype=np.float64)
    n_words = vectors.shape[0] // 2
    grad = np.zeros_like(vectors)
    loss = 0.0
    groups, size = centres.shape
    n_shared = negatives.shape[1]
    for g in range(groups):
        for s in range(size):
            c, o, w = centres[g, s], contexts[g, s] + n_words, float(weights[g, s])
            v, u = vectors[c], vectors[o]
            score = v @ u
            loss -= w * log_sigmoid(score)
            grad[c] += w * (sigmoid(score) - 1) * u
            grad[o] += w * (sigmoid(score) - 1) * v
            for n in negatives[g]:
                if n == contexts[g, s]:
                    continue
                wn = w * negative / n_shared
                un = vectors[n + n_words]
                score = v @ un
                loss -= wn * log_sigmoid(-score)
                grad[c] += wn * sigmoid(score) * un
                grad[n + n_words] += wn * sigmoid(score) * v
    return loss, grad


def problem(seed, n_words=7, dim=5, groups=3, size=4, n_shared=3):
    rng = np.random.default_rng(seed)
    vectors = rng.normal(scale=0.7, size=(2 * n_words, dim)).astype(np.float32)
    centres = rng.integers(0, n_words, (groups, size)).astype(np.int32)
    contexts = rng.integers(0, n_words, (groups, size)).astype(np.int32)
    negatives = rng.integers(0, n_words, (groups, n_shared)).astype(np.int32)
    negatives[0, 0] = contexts[0, 0]  # a negative equal to the context is skipped
    weights = np.ones((groups, size), np.float32)
    weights[-1, -1] = 0.0  # padding
    config = core.StepConfig(groups * size, size, n_shared, 5)
    return vectors, centres, contexts, negatives, weights, config


@pytest.mark.parametrize("seed", range(4))
def test_loss_and_gradient_equal_float64_reference(seed):
    vectors, c, o, n, w, config = problem(seed)
    want_loss, want_grad = reference(vectors, c, o, n, w, config.negative)
    loss = core.batch_loss(jnp.asarray(vectors), c, o, n, w, config)
    np.testing.assert_allclose(float(loss), want_loss, rtol=1e-5)
    autodiff = jax.grad(core.batch_loss)(jnp.asarray(vectors), c, o, n, w, config)
    np.testing.assert_allclose(np.asarray(autodiff), want_grad, rtol=1e-4, atol=1e-5)
    index, grads, steps, loss2 = core.batch_gradients(jnp.asarray(vectors), c, o, n, w, config)
    dense = np.zeros_like(want_grad)
    np.add.at(dense, np.asarray(index), np.asarray(grads, dtype=np.float64))
    np.testing.assert_allclose(dense, want_grad, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(float(loss2), want_loss, rtol=1e-5)


def test_per_pair_sampling_is_word2vec(rng):
    """group_size=1, shared_negatives=negative: each pair has its own K negatives of weight 1."""
    vectors, c, o, _, w, _ = problem(3, groups=6, size=1)
    n = rng.integers(0, 7, (6, 5)).astype(np.int32)
    config = core.StepConfig(6, 1, 5, 5)
    want_loss, want_grad = reference(vectors, c, o, n, w, 5)
    index, grads, _, loss = core.batch_gradients(jnp.asarray(vectors), c, o, n, w, config)
    dense = np.zeros_like(want_grad)
    np.add.at(dense, np.asarray(index), np.asarray(grads, dtype=np.float64))
    np.testing.assert_allclose(dense, want_grad, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(float(loss), want_loss, rtol=1e-5)


@pytest.mark.parametrize("max_row_steps", [0.0, 1.5])
def test_step_equals_reference_sgd_with_row_bound(max_row_steps):
    vectors, c, o, n, w, config = problem(5)
    config = config._replace(max_row_steps=max_row_steps)
    rate = 0.1
    _, want_grad = reference(vectors, c, o, n, w, config.negative)
    # per-row step weight: 1 per pair on each side, negative/n_shared per (pair, kept negative)
    n_words = vectors.shape[0] // 2
    steps = np.zeros(2 * n_words)
    np.add.at(steps, c.ravel(), w.ravel())
    np.add.at(steps, o.ravel() + n_words, w.ravel())
    for g in range(c.shape[0]):
        for s in range(c.shape[1]):
            for neg in n[g]:
                if neg != o[g, s]:
                    steps[neg + n_words] += w[g, s] * config.negative / config.shared_negatives
    divisor = np.maximum(1.0, steps / max_row_steps) if max_row_steps else np.ones_like(steps)
    want = vectors - rate * want_grad / divisor[:, None]
    for scatter in core.SCATTERS:
        got, _ = core.train_step(jnp.asarray(vectors), c, o, n, w, rate, config._replace(scatter=scatter))
        np.testing.assert_allclose(np.asarray(got), want, rtol=1e-4, atol=1e-6, err_msg=scatter)


def test_negative_sampler_matches_unigram_power():
    from scipy.stats import chisquare

    from baselines.pairs import negative_table

    counts = np.array([5000, 1200, 700, 300, 120, 50, 20, 9, 5, 5])
    table = jnp.asarray(negative_table(counts, 0.75), dtype=jnp.int32)
    draws = np.asarray(core.sample_negatives(jax.random.PRNGKey(0), table, (200_000,)))
    observed = np.bincount(draws, minlength=len(counts))
    expected = counts ** 0.75 / np.sum(counts ** 0.75) * len(draws)
    assert chisquare(observed, expected).pvalue > 0.01
    # and it is not the plain unigram
    assert chisquare(observed, counts / counts.sum() * len(draws)).pvalue < 1e-6


def test_padding_changes_nothing(rng):
    n_words, dim, batch = 20, 6, 16
    config = core.StepConfig(batch, 4, 3, 5, 8.0)
    vectors = core.init_vectors(jax.random.PRNGKey(0), n_words, dim)
    vectors = vectors.at[n_words:].set(0.1 * jax.random.normal(jax.random.PRNGKey(1), (n_words, dim)))
    c = rng.integers(0, n_words, 40).astype(np.int32)
    o = rng.integers(0, n_words, 40).astype(np.int32)
    table = jnp.asarray(np.cumsum(np.full(n_words, 100)), dtype=jnp.int32)
    pc, po = core.pad_pairs(c, o, batch)
    junk_c, junk_o = pc.copy(), po.copy()
    junk_c.ravel()[40:] = 7
    junk_o.ravel()[40:] = 3
    key = jax.random.PRNGKey(2)
    a, la = core.run_epoch(vectors, pc, po, jnp.int32(40), key, table, jnp.float32(0.05), jnp.float32(0.01), config)
    b, lb = core.run_epoch(vectors, junk_c, junk_o, jnp.int32(40), key, table, jnp.float32(0.05), jnp.float32(0.01), config)
    np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
    assert float(la) == float(lb) > 0


def test_init_like_word2vec():
    vectors = np.asarray(core.init_vectors(jax.random.PRNGKey(0), 50, 10))
    assert np.all(np.abs(vectors[:50]) <= 0.05) and vectors[:50].std() > 0.01
    assert np.all(vectors[50:] == 0)
