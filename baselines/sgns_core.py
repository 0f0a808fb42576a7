"""Pure JAX core of skip-gram with negative sampling: loss, batched SGD step, one jitted epoch.

It knows nothing of words or files. The input table (``syn0``) and output table (``syn1neg``) are
stacked in one ``[2V, dim]`` array (rows ``V..2V-1`` are output vectors), so a batch needs one
scatter.

A batch of ``B`` pairs is cut into ``B / group_size`` groups; the pairs of a group share
``shared_negatives`` negatives drawn from the unigram^0.75 table, each weighted
``negative / shared_negatives`` so that the expected gradient equals word2vec's ``negative``
per-pair draws (``group_size=1, shared_negatives=negative`` *is* word2vec's sampling). The scores
of a group are one ``[S, d] x [d, N]`` product; a negative equal to a pair's context word is
skipped for that pair, as gensim does.

The step is plain SGD on the summed loss of the batch, all pairs evaluated at the same parameters.
A frequent row then receives the sum of hundreds of steps at once (unlike word2vec, whose
sequential steps saturate the sigmoid one by one), which diverges at large batches. With
``max_row_steps=k`` a row whose summed step weight in the batch is ``n`` gets its summed update
divided by ``max(1, n / k)``: rows seen at most ``k`` times move exactly as plain SGD.
"""
from __future__ import annotations

from functools import partial
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

SCATTERS = ("add", "sorted", "dense")


class StepConfig(NamedTuple):
    """Static shape of the batched step (hashable: a static argument of ``jit``).

    Attributes
    ----------
    batch_size : int
        Pairs per update ``B`` (a multiple of ``group_size``).
    group_size : int
        Pairs sharing one set of negatives ``S``.
    shared_negatives : int
        Negatives drawn per group ``N``.
    negative : int
        word2vec's negatives per pair ``K``; each shared negative weighs ``K / N``.
    max_row_steps : float
        ``k`` of the per-row bound; ``0`` for plain summed SGD.
    scatter : {"add", "sorted", "dense"}
        How updates reach the table: ``x.at[idx].add``; the same on sorted indices; or
        ``jax.ops.segment_sum`` into a ``[2V, dim]`` table added whole.

    Examples
    --------
    >>> config = StepConfig(batch_size=64, group_size=8, shared_negatives=4, negative=5)
    >>> config.batch_size // config.group_size, config.scatter, hash(config) == hash(StepConfig(64, 8, 4, 5))
    (8, 'add', True)
    """

    batch_size: int
    group_size: int
    shared_negatives: int
    negative: int
    max_row_steps: float = 0.0
    scatter: str = "add"


def init_vectors(key: jax.Array, n_words: int, dim: int, dtype=jnp.float32) -> jax.Array:
    """word2vec's initialisation, ``[2V, dim]``: input rows uniform in ``[-0.5, 0.5] / dim``, output rows 0.

    Examples
    --------
    >>> vectors = init_vectors(jax.random.PRNGKey(0), n_words=3, dim=4)
    >>> vectors.shape, float(jnp.abs(vectors[3:]).max()), bool(jnp.abs(vectors[:3]).max() <= 0.5 / 4)
    ((6, 4), 0.0, True)
    """
    syn0 = (jax.random.uniform(key, (n_words, dim), dtype) - 0.5) / dim
    return jnp.concatenate([syn0, jnp.zeros((n_words, dim), dtype)])


def sample_negatives(key: jax.Array, table: jax.Array, shape: tuple[int, ...]) -> jax.Array:
    """Word ids drawn from ``table`` (:func:`baselines.pairs.negative_table`), int32 ``shape``:
    ``r`` uniform in ``[0, table[-1])``, word ``i`` with ``table[i-1] <= r < table[i]``.

    Examples
    --------
    >>> table = jnp.array([5, 8, 10], dtype=jnp.int32)  # word 0 with probability 0.5, 1: 0.3, 2: 0.2
    >>> negatives = sample_negatives(jax.random.PRNGKey(1), table, (2, 4))
    >>> negatives.shape, str(negatives.dtype), set(negatives.ravel().tolist()) <= {0, 1, 2}
    ((2, 4), 'int32', True)
    """
    r = jax.random.randint(key, shape, 0, table[-1], dtype=jnp.int32)
    return jnp.searchsorted(table, r, side="right", method="scan_unrolled").astype(jnp.int32)


def _negative_weights(contexts, negatives, weights, config: StepConfig):
    """``[G, S, N]`` weight of each (pair, shared negative): ``K/N``, 0 where it is the context."""
    same = negatives[:, None, :] == contexts[:, :, None]
    return jnp.where(same, 0.0, weights[:, :, None] * (config.negative / config.shared_negatives))


def _forward(vectors, centres, contexts, negatives, weights, config: StepConfig):
    """Gathered rows ``v, u, un``, scores of the positives ``[G, S]`` and negatives ``[G, S, N]``,
    the negatives' weights and the batch's summed loss."""
    n_words = vectors.shape[0] // 2
    v, u, un = vectors[centres], vectors[contexts + n_words], vectors[negatives + n_words]
    positive = jnp.sum(v * u, axis=-1)
    scores = jnp.einsum("gsd,gnd->gsn", v, un)
    wn = _negative_weights(contexts, negatives, weights, config)
    loss = -(jnp.sum(weights * jax.nn.log_sigmoid(positive)) + jnp.sum(wn * jax.nn.log_sigmoid(-scores)))
    return v, u, un, positive, scores, wn, loss


def batch_loss(vectors: jax.Array, centres: jax.Array, contexts: jax.Array, negatives: jax.Array,
               weights: jax.Array, config: StepConfig) -> jax.Array:
    """Summed negative-sampling loss of a batch (scalar).

    ``sum_pairs w * (-log s(u_o . v_c) - sum_n (K/N) [n != o] log s(-u_n . v_c))``.

    Parameters
    ----------
    vectors : [2V, dim]
    centres, contexts : int32 [G, S]
        Word ids (contexts not offset).
    negatives : int32 [G, N]
    weights : float32 [G, S]
        1 for real pairs, 0 for padding.

    Examples
    --------
    At zero vectors every term is ``log 2``: two positives, and three of the four negative terms
    (pair ``1 -> 2`` skips its negative ``2``, its own context).

    >>> config = StepConfig(batch_size=2, group_size=2, shared_negatives=2, negative=2)
    >>> centres, contexts, negatives = jnp.array([[0, 1]]), jnp.array([[1, 2]]), jnp.array([[2, 0]])
    >>> value = batch_loss(jnp.zeros((6, 4)), centres, contexts, negatives, jnp.ones((1, 2)), config)
    >>> bool(jnp.isclose(value, 5 * np.log(2)))
    True
    """
    return _forward(vectors, centres, contexts, negatives, weights, config)[-1]


def batch_gradients(vectors: jax.Array, centres, contexts, negatives, weights, config: StepConfig):
    """Closed-form gradient of :func:`batch_loss`, row by row, and the loss.

    Returns
    -------
    index : int32 [2B + G*N]
        Table rows touched: centres, then ``V + contexts``, then ``V + negatives``.
    grads : [2B + G*N, dim]
        d loss / d row, for each entry of ``index`` (duplicates to be summed).
    steps : float32 [2B + G*N]
        Step weight each entry carries (1 per pair for centres and contexts; the summed
        ``K/N`` weights of the group for a negative).
    loss : scalar

    Examples
    --------
    >>> config = StepConfig(batch_size=2, group_size=2, shared_negatives=2, negative=2)
    >>> vectors = init_vectors(jax.random.PRNGKey(0), n_words=3, dim=4)
    >>> args = (jnp.array([[0, 1]]), jnp.array([[1, 2]]), jnp.array([[2, 0]]), jnp.ones((1, 2)), config)
    >>> index, grads, steps, loss = batch_gradients(vectors, *args)
    >>> index.tolist(), grads.shape, steps.tolist()
    ([0, 1, 4, 5, 5, 3], (6, 4), [1.0, 1.0, 1.0, 1.0, 1.0, 2.0])
    >>> bool(jnp.isclose(loss, batch_loss(vectors, *args)))
    True
    """
    n_words, dim = vectors.shape[0] // 2, vectors.shape[1]
    v, u, un, positive, scores, wn, loss = _forward(vectors, centres, contexts, negatives, weights, config)
    gp = weights * (jax.nn.sigmoid(positive) - 1.0)
    gn = wn * jax.nn.sigmoid(scores)
    dv = gp[..., None] * u + jnp.einsum("gsn,gnd->gsd", gn, un)
    du = gp[..., None] * v
    dun = jnp.einsum("gsn,gsd->gnd", gn, v)
    index = jnp.concatenate([centres.reshape(-1), contexts.reshape(-1) + n_words,
                             negatives.reshape(-1) + n_words])
    grads = jnp.concatenate([dv.reshape(-1, dim), du.reshape(-1, dim), dun.reshape(-1, dim)])
    steps = jnp.concatenate([weights.reshape(-1), weights.reshape(-1), jnp.sum(wn, axis=1).reshape(-1)])
    return index, grads, steps, loss


def apply_step(vectors: jax.Array, index: jax.Array, grads: jax.Array, steps: jax.Array,
               learning_rate: jax.Array, config: StepConfig) -> jax.Array:
    """SGD: each row minus ``learning_rate`` times the sum of its gradients, divided by
    ``max(1, n / max_row_steps)`` (``n`` = the row's summed step weight) when the bound is set.

    Examples
    --------
    Row 0 is hit by steps of weight 4 in all; with ``max_row_steps=2`` its summed update is halved.

    >>> vectors, grads = jnp.zeros((2, 1)), jnp.ones((2, 1))
    >>> index, steps = jnp.array([0, 0]), jnp.array([2.0, 2.0])
    >>> apply_step(vectors, index, grads, steps, 0.1, StepConfig(2, 1, 1, 1)).ravel().tolist()
    [-0.20000000298023224, 0.0]
    >>> apply_step(vectors, index, grads, steps, 0.1, StepConfig(2, 1, 1, 1, max_row_steps=2.0)).ravel().tolist()
    [-0.10000000149011612, 0.0]
    """
    n_rows = vectors.shape[0]
    if config.scatter == "dense":
        total = jax.ops.segment_sum(grads, index, n_rows)
        scale = learning_rate
        if config.max_row_steps:
            n = jax.ops.segment_sum(steps, index, n_rows)
            scale = learning_rate / jnp.maximum(1.0, n / config.max_row_steps)[:, None]
        return vectors - scale * total
    scale = jnp.full(index.shape, learning_rate)
    if config.max_row_steps:
        n = jnp.zeros(n_rows, steps.dtype).at[index].add(steps)
        scale = learning_rate / jnp.maximum(1.0, n[index] / config.max_row_steps)
    update = jax.lax.optimization_barrier(-scale[:, None] * grads)
    if config.scatter == "sorted":
        order = jnp.argsort(index)
        return vectors.at[index[order]].add(update[order], indices_are_sorted=True)
    return vectors.at[index].add(update)


def train_step(vectors, centres, contexts, negatives, weights, learning_rate, config: StepConfig):
    """One batch: new ``[2V, dim]`` table and the batch's summed loss.

    Examples
    --------
    >>> config = StepConfig(batch_size=2, group_size=2, shared_negatives=2, negative=2)
    >>> vectors = init_vectors(jax.random.PRNGKey(0), n_words=3, dim=4)
    >>> new, loss = train_step(vectors, jnp.array([[0, 1]]), jnp.array([[1, 2]]), jnp.array([[2, 0]]),
    ...                        jnp.ones((1, 2)), 0.1, config)
    >>> new.shape, bool(jnp.any(new[4] != 0)), bool(jnp.all(new[2] == vectors[2]))  # row 2 untouched
    ((6, 4), True, True)
    """
    index, grads, steps, loss = batch_gradients(vectors, centres, contexts, negatives, weights, config)
    return apply_step(vectors, index, grads, steps, learning_rate, config), loss


@partial(jax.jit, static_argnames=("config",))
def run_epoch(vectors: jax.Array, centres: jax.Array, contexts: jax.Array, n_pairs: jax.Array,
              key: jax.Array, table: jax.Array, rate_start: jax.Array, rate_end: jax.Array,
              config: StepConfig) -> tuple[jax.Array, jax.Array]:
    """One epoch as a single ``lax.scan`` over fixed-size batches.

    Parameters
    ----------
    vectors : [2V, dim]
        Input over output vectors.
    centres, contexts : int32 [n_batches, B]
        The epoch's pairs, padded; entries at positions ``>= n_pairs`` are padding (weight 0).
    n_pairs : int32 scalar
        Real pairs.
    key : PRNG key
        The epoch's key; batch ``b`` draws its negatives from ``fold_in(key, b)``.
    table : int32 [V]
        Cumulative negative-sampling table.
    rate_start, rate_end : float32 scalars
        Learning rate at the first pair and after the last real pair (linear in between).
    config : StepConfig

    Returns
    -------
    vectors : [2V, dim]
    loss : float32 scalar
        Summed loss of the epoch's pairs, each evaluated just before its batch's update.

    Examples
    --------
    >>> centres, contexts = pad_pairs(np.array([0, 1, 2]), np.array([1, 2, 0]), batch_size=2)
    >>> vectors, loss = run_epoch(init_vectors(jax.random.PRNGKey(0), 3, 4), jnp.asarray(centres),
    ...                           jnp.asarray(contexts), jnp.int32(3), jax.random.PRNGKey(1),
    ...                           jnp.array([5, 8, 10], dtype=jnp.int32), jnp.float32(0.025),
    ...                           jnp.float32(0.0001), StepConfig(2, 2, 2, 2))
    >>> vectors.shape, bool(jnp.isfinite(loss) & (loss > 0))
    ((6, 4), True)
    """
    n_batches, batch_size = centres.shape
    groups = batch_size // config.group_size
    shape = (groups, config.group_size)
    real_batches = jnp.maximum((n_pairs + batch_size - 1) // batch_size, 1).astype(jnp.float32)
    positions = jnp.arange(batch_size, dtype=jnp.int32)

    def body(vectors, batch):
        b, c, o = batch
        weights = (b * batch_size + positions < n_pairs).astype(vectors.dtype).reshape(shape)
        negatives = sample_negatives(jax.random.fold_in(key, b), table, (groups, config.shared_negatives))
        rate = rate_start + (rate_end - rate_start) * (b.astype(jnp.float32) / real_batches)
        return train_step(vectors, c.reshape(shape), o.reshape(shape), negatives, weights, rate, config)

    batch_ids = jnp.arange(n_batches, dtype=jnp.int32)
    vectors, losses = jax.lax.scan(body, vectors, (batch_ids, centres, contexts))
    return vectors, jnp.sum(losses)


def pad_pairs(centres: np.ndarray, contexts: np.ndarray, batch_size: int, bucket: int = 16) -> tuple[np.ndarray, np.ndarray]:
    """Pairs padded to whole batches, ``int32 [n_batches, B]``, the number of batches rounded up to a
    multiple of ``bucket`` so that epochs of slightly different sizes share one compiled scan.

    Examples
    --------
    >>> centres, contexts = pad_pairs(np.array([0, 1, 2]), np.array([1, 2, 0]), batch_size=2)
    >>> centres.tolist(), contexts.tolist()
    ([[0, 1], [2, 0]], [[1, 2], [0, 0]])
    >>> pad_pairs(np.zeros(33 * 4, int), np.zeros(33 * 4, int), batch_size=4)[0].shape  # 33 -> 48 batches
    (48, 4)
    """
    n = len(centres)
    n_batches = max(1, -(-n // batch_size))
    n_batches = -(-n_batches // bucket) * bucket if n_batches > bucket else n_batches
    total = n_batches * batch_size
    out_c = np.zeros(total, dtype=np.int32)
    out_o = np.zeros(total, dtype=np.int32)
    out_c[:n], out_o[:n] = centres, contexts
    return out_c.reshape(n_batches, batch_size), out_o.reshape(n_batches, batch_size)
