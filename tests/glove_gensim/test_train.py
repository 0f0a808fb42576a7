"""The JAX core against slow float64 NumPy references."""
import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest

from glove_gensim import rules, train as core


def random_problem(seed, n_words=12, dim=5, density=0.5):
    rng = np.random.default_rng(seed)
    mask = rng.random((n_words, n_words)) < density
    rows, cols = np.nonzero(mask)
    values = rng.gamma(0.7, 8.0, size=len(rows)) + 0.05
    return rows.astype(np.int32), cols.astype(np.int32), values


def epoch_order(key, n_padded):
    positions = jnp.arange(n_padded, dtype=jnp.uint32)
    return np.asarray(core.shuffled_index(positions, n_padded, core.shuffle_keys(key)))


def reference_epoch(vectors, biases, acc_v, acc_b, rows, cols, values, order, batch_size, n_words,
                    eta, x_max, alpha, synchronous):
    """glove.c's update (synchronous=False, batch 1) or the synchronous batched rule, in float64."""
    vectors, biases = vectors.astype(np.float64).copy(), biases.astype(np.float64).copy()
    acc_v, acc_b = acc_v.astype(np.float64).copy(), acc_b.astype(np.float64).copy()
    log_x = np.log(values)
    weight = np.minimum(1.0, (values / x_max) ** alpha)
    cost = 0.0
    for start in range(0, len(order), batch_size):
        batch = [k for k in order[start:start + batch_size] if k < len(rows)]
        index, steps, bias_steps = [], [], []
        for k in batch:
            i, j = rows[k], cols[k] + n_words
            diff = vectors[i] @ vectors[j] + biases[i] + biases[j] - log_x[k]
            fdiff = weight[k] * diff
            cost += 0.5 * fdiff * diff
            index += [i, j]
            steps += [np.clip(fdiff * vectors[j], -100, 100) * eta, np.clip(fdiff * vectors[i], -100, 100) * eta]
            bias_steps += [fdiff, fdiff]
        if synchronous:
            for r, s, b in zip(index, steps, bias_steps):
                acc_v[r] += s * s
                acc_b[r] += b * b
            delta_v, delta_b = np.zeros_like(vectors), np.zeros_like(biases)
            for r, s, b in zip(index, steps, bias_steps):
                delta_v[r] -= s / np.sqrt(acc_v[r])
                delta_b[r] -= b / np.sqrt(acc_b[r])
            vectors += delta_v
            biases += delta_b
        else:
            for r, s, b in zip(index, steps, bias_steps):
                vectors[r] -= s / np.sqrt(acc_v[r])
                biases[r] -= b / np.sqrt(acc_b[r])
                acc_v[r] += s * s
                acc_b[r] += b * b
    return vectors, biases, cost


def run(rule_name, batch_size, seed=0, dense=None, n_words=12, dim=5):
    rows, cols, values = random_problem(seed, n_words, dim)
    entries, n = core.make_entries(rows, cols, values, n_words, 10.0, 0.75, batch_size)
    params = core.init_params(jax.random.PRNGKey(seed), n_words, dim)
    rule = rules.make_rule(rule_name, 0.05, n_words, batch_size)
    if dense is not None:
        rule = (rules.DenseSyncAdaGrad if dense else rules.SyncAdaGrad)(rule.learning_rate)
    state = rule.init(params)
    key = jax.random.PRNGKey(seed + 100)
    new_params, new_state, cost = core.run_epoch(params, state, key, entries, rule, batch_size,
                                                 core.data_mesh(1))
    order = epoch_order(key, entries.rows.shape[0])
    reference = reference_epoch(np.asarray(params.vectors), np.asarray(params.biases),
                                np.asarray(state.vectors), np.asarray(state.biases), rows, cols,
                                values, order, batch_size, n_words, 0.05, 10.0, 0.75,
                                synchronous=rule_name == "sync")
    return new_params, float(cost), reference


def test_loss_and_gradients_equal_float64_reference():
    rows, cols, values = random_problem(1)
    n_words, dim = 12, 5
    params = core.init_params(jax.random.PRNGKey(3), n_words, dim)
    params = core.GloVeParams(params.vectors * 40, params.biases * 40)
    W, b = np.asarray(params.vectors, np.float64), np.asarray(params.biases, np.float64)
    i, j = rows, cols + n_words
    f = np.minimum(1.0, (values / 7.0) ** 0.6)
    diff = np.sum(W[i] * W[j], axis=1) + b[i] + b[j] - np.log(values)
    expected_loss = 0.5 * np.sum(f * diff ** 2)
    grad_W, grad_b = np.zeros_like(W), np.zeros_like(b)
    for k in range(len(rows)):
        grad_W[i[k]] += f[k] * diff[k] * W[j[k]]
        grad_W[j[k]] += f[k] * diff[k] * W[i[k]]
        grad_b[i[k]] += f[k] * diff[k]
        grad_b[j[k]] += f[k] * diff[k]
    args = (jnp.asarray(i), jnp.asarray(j), jnp.log(jnp.asarray(values, jnp.float32)),
            core.weighting(jnp.asarray(values, jnp.float32), 7.0, 0.6))
    loss, grads = jax.value_and_grad(core.loss)(params, *args)
    np.testing.assert_allclose(float(loss), expected_loss, rtol=1e-5)
    np.testing.assert_allclose(np.asarray(grads.vectors), grad_W, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(np.asarray(grads.biases), grad_b, rtol=1e-4, atol=1e-6)


def test_batch_one_glove_rule_equals_sequential_glove_c():
    params, cost, (ref_vectors, ref_biases, ref_cost) = run("glove", batch_size=1)
    np.testing.assert_allclose(np.asarray(params.vectors), ref_vectors, atol=1e-5)
    np.testing.assert_allclose(np.asarray(params.biases), ref_biases, atol=1e-5)
    assert cost == pytest.approx(ref_cost, rel=1e-5)


@pytest.mark.parametrize("dense", [True, False])
def test_synchronous_rule_equals_reference_on_both_paths(dense):
    params, cost, (ref_vectors, ref_biases, ref_cost) = run("sync", batch_size=16, dense=dense)
    np.testing.assert_allclose(np.asarray(params.vectors), ref_vectors, atol=1e-5)
    np.testing.assert_allclose(np.asarray(params.biases), ref_biases, atol=1e-5)
    assert cost == pytest.approx(ref_cost, rel=1e-5)


def test_padding_entries_change_nothing():
    rows, cols, values = random_problem(2)
    entries, n = core.make_entries(rows, cols, values, 12, 10.0, 0.75, 64)
    assert entries.rows.shape[0] % 64 == 0 and entries.rows.shape[0] > n
    assert np.all(np.asarray(entries.weight[n:]) == 0)


def test_shuffle_is_a_permutation_that_depends_on_the_key():
    for n in (1, 7, 1000, 4099):
        order = epoch_order(jax.random.PRNGKey(n), n)
        assert np.array_equal(np.sort(order), np.arange(n))
    a, b = epoch_order(jax.random.PRNGKey(1), 1000), epoch_order(jax.random.PRNGKey(2), 1000)
    assert not np.array_equal(a, b)
    assert abs(np.corrcoef(a, np.arange(1000))[0, 1]) < 0.1


def test_optax_rule_reduces_the_loss():
    rows, cols, values = random_problem(4)
    entries, n = core.make_entries(rows, cols, values, 12, 10.0, 0.75, 8)
    params = core.init_params(jax.random.PRNGKey(0), 12, 5)
    rule = rules.make_rule(optax.adam(0.05), 0.05, 12, 8)
    state = rule.init(params)
    costs = []
    for epoch in range(15):
        params, state, cost = core.run_epoch(params, state, jax.random.PRNGKey(epoch), entries, rule, 8,
                                             core.data_mesh(1))
        costs.append(float(cost))
    assert costs[-1] < 0.5 * costs[0]


def test_unknown_rule_is_refused():
    with pytest.raises(ValueError, match="rule must be one of"):
        rules.make_rule("rmsprop", 0.05, 10, 8)
