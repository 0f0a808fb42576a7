"""The update rules of both engines: one frozen class per rule behind the :class:`UpdateRule`
protocol, made by :func:`make_rule`.

Defining, constructing or comparing a rule imports nothing heavy: the JAX engine calls a rule's
``init``/``local``/``reduce``/``apply`` (which reach JAX, optax and :mod:`glove_gensim.train`
through lazy proxies, loaded on first use), while the compiled CPU engine
(:mod:`glove_gensim.cpu_engine`) runs its own kernel for the rule's ``name`` and
``learning_rate`` and never loads JAX.

Update rules
------------
``"glove"`` (:class:`GloveAdaGrad`)
    Stanford ``glove.c``'s AdaGrad, entry by entry (``batch_size=1`` gives exactly glove.c's
    sequential update): ``temp = clip(fdiff * other, +-100) * eta``, ``w -= temp / sqrt(G)``,
    then ``G += temp^2``; biases ``b -= fdiff / sqrt(G_b)`` then ``G_b += fdiff^2``.
    With larger batches the steps of duplicate rows are summed against stale accumulators,
    which diverges for frequent words: use it only with small batches.
``"sync"`` (default; :class:`SyncAdaGrad`, or :class:`DenseSyncAdaGrad` for large batches)
    Synchronous batched AdaGrad: glove.c's scaling (eta and clip inside ``temp``, no eta on
    biases, accumulators from 1), but each row first adds the squared steps of the whole batch
    to its accumulator and then takes the sum of its steps divided by the new root. A row hit
    ``n`` times in a batch moves at most ``sqrt(n)`` times one clipped step, so large batches stay
    stable. With ``batch_size=1`` it differs from glove.c only in updating the accumulator
    before rather than after the step.
any optax ``GradientTransformation`` (:class:`OptaxRule`)
    Plain gradients of the mean weighted loss over the batch (dense over the tables, as in the
    seed article's Adam setup).

Examples
--------
>>> rule = make_rule("glove", 0.05, n_words=10, batch_size=1)
>>> rule, rule.name
(GloveAdaGrad(learning_rate=0.05), 'glove')
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from glove_gensim.engine import is_optax_transformation, lazy_module

if TYPE_CHECKING:
    import jax
    import optax

    from glove_gensim.train import AdaGradState, GloVeParams
else:
    jax, optax = lazy_module("jax"), lazy_module("optax")
jnp, train = lazy_module("jax.numpy"), lazy_module("glove_gensim.train")

GRAD_CLIP = 100.0
DENSE_RATIO = 4
RULES = ("sync", "glove")


class UpdateRule(Protocol):
    """How a batch changes the tables, split so that the batch can be spread over devices.

    One small frozen dataclass per rule (:class:`SyncAdaGrad`, :class:`DenseSyncAdaGrad`,
    :class:`GloveAdaGrad`, :class:`OptaxRule`), as optax has one transformation per rule.
    ``local`` runs on each device's share of the batch and returns a contribution and a cost;
    ``reduce`` combines contributions over the device axis (a no-op with one device); ``apply``
    updates the (replicated) tables. Rules are hashable, so they can be static arguments of
    ``jit``. ``name`` (``"sync"``, ``"glove"`` or ``"optax"``) says which rule it is to the CPU
    engine, which runs its own compiled kernel for ``"sync"`` and ``"glove"`` with the rule's
    ``learning_rate`` and never calls these methods (so never loads JAX).

    Examples
    --------
    >>> rules = [make_rule("sync", 0.05, n_words=10, batch_size=64), make_rule("glove", 0.05, 10, 1),
    ...          make_rule(optax.sgd(0.1), 0.1, 10, 64)]
    >>> [rule.name for rule in rules]
    ['sync', 'glove', 'optax']
    >>> len(set(rules))  # hashable, so each can be a static argument of jit
    3
    """

    name: ClassVar[str]

    def init(self, params: GloVeParams) -> Any:
        """Optimizer state for ``params``."""

    def local(self, params: GloVeParams, rows: jax.Array, cols: jax.Array, log_x: jax.Array,
              weight: jax.Array) -> tuple[Any, jax.Array]:
        """Contribution of a (device-local) batch and its summed cost."""

    def reduce(self, contribution: Any, axis_name: str) -> Any:
        """The contributions of all devices on ``axis_name``, combined."""

    def apply(self, params: GloVeParams, state: Any, contribution: Any) -> tuple[GloVeParams, Any]:
        """New tables and optimizer state from the combined contribution."""


def _accumulators(params: GloVeParams) -> AdaGradState:
    """glove.c's squared-gradient accumulators for ``params``, all 1."""
    return train.AdaGradState(jnp.ones_like(params.vectors), jnp.ones_like(params.biases))


def _accumulate(state: AdaGradState, index, steps, bias_steps) -> AdaGradState:
    """``state`` plus the squared per-entry steps at their rows."""
    return train.AdaGradState(state.vectors.at[index].add(steps * steps),
                              state.biases.at[index].add(bias_steps * bias_steps))


def _step(params: GloVeParams, index, steps, bias_steps, acc: AdaGradState) -> GloVeParams:
    """``params`` less each per-entry step over the root of its row of ``acc``."""
    scale, bias_scale = jax.lax.rsqrt(acc.vectors[index]), jax.lax.rsqrt(acc.biases[index])
    return train.GloVeParams(params.vectors.at[index].add(-steps * scale),
                             params.biases.at[index].add(-bias_steps * bias_scale))


@dataclass(frozen=True)
class _PerEntryAdaGrad:
    """What the per-entry AdaGrad rules share: accumulators from 1, glove.c's steps, gathered
    over devices."""

    learning_rate: float = 0.05

    def init(self, params: GloVeParams) -> AdaGradState:
        return _accumulators(params)

    def local(self, params: GloVeParams, rows, cols, log_x, weight):
        index, steps, bias_steps, cost = train._adagrad_steps(params, rows, cols, log_x, weight,
                                                              self.learning_rate)
        return (index, steps, bias_steps), cost

    def reduce(self, contribution, axis_name: str):
        return jax.lax.all_gather(contribution, axis_name, tiled=True)


@dataclass(frozen=True)
class SyncAdaGrad(_PerEntryAdaGrad):
    """Synchronous batched AdaGrad with glove.c's scaling, per entry: each row first adds the
    squared steps of the whole batch to its accumulator, then takes the sum of its steps over the
    new root (see the module docstring).

    Parameters
    ----------
    learning_rate : float
        eta, inside the clipped step (biases take no eta, as in glove.c).

    Examples
    --------
    >>> params = train.init_params(jax.random.PRNGKey(0), n_words=3, dim=2)
    >>> rule = SyncAdaGrad(0.05)
    >>> state = rule.init(params)
    >>> rows, cols = jnp.array([0, 1]), jnp.array([4, 5])
    >>> contribution, cost = rule.local(params, rows, cols, jnp.log(jnp.array([2.0, 3.0])), jnp.ones(2))
    >>> new_params, new_state = rule.apply(params, state, contribution)
    >>> bool(jnp.all(new_state.vectors[jnp.array([0, 1, 4, 5])] > 1)), float(new_state.vectors[2, 0])
    (True, 1.0)
    """

    name: ClassVar[str] = "sync"

    def apply(self, params: GloVeParams, state: AdaGradState, contribution) -> tuple[GloVeParams, AdaGradState]:
        index, steps, bias_steps = contribution
        acc = _accumulate(state, index, steps, bias_steps)
        return _step(params, index, steps, bias_steps, acc), acc


@dataclass(frozen=True)
class GloveAdaGrad(_PerEntryAdaGrad):
    """Stanford ``glove.c``'s AdaGrad exactly: each step is divided by the root of the
    accumulator *before* its own square is added (``batch_size=1`` is glove.c's sequential
    update; large batches diverge for frequent words).

    Examples
    --------
    >>> params = train.init_params(jax.random.PRNGKey(0), n_words=2, dim=2)
    >>> rule = GloveAdaGrad(0.05)
    >>> contribution, _ = rule.local(params, jnp.array([0]), jnp.array([2]), jnp.zeros(1), jnp.ones(1))
    >>> new_params, _ = rule.apply(params, rule.init(params), contribution)
    >>> index, steps, _ = contribution  # accumulators at 1: the first step is taken whole
    >>> bool(jnp.allclose(new_params.vectors[index], params.vectors[index] - steps))
    True
    """

    name: ClassVar[str] = "glove"

    def apply(self, params: GloVeParams, state: AdaGradState, contribution) -> tuple[GloVeParams, AdaGradState]:
        index, steps, bias_steps = contribution
        return _step(params, index, steps, bias_steps, state), _accumulate(state, index, steps, bias_steps)


@dataclass(frozen=True)
class DenseSyncAdaGrad(SyncAdaGrad):
    """:class:`SyncAdaGrad` with the per-row sums formed as whole tables (cheaper when a batch
    has more entries than the tables have rows) instead of gathering and scattering per entry;
    summed, not gathered, over devices. The same update up to the order of floating-point sums.

    Examples
    --------
    >>> params = train.init_params(jax.random.PRNGKey(0), n_words=3, dim=2)
    >>> rows, cols, log_x, weight = jnp.array([0, 0]), jnp.array([4, 5]), jnp.zeros(2), jnp.ones(2)
    >>> dense, sparse = DenseSyncAdaGrad(0.05), SyncAdaGrad(0.05)
    >>> a, _ = dense.apply(params, dense.init(params), dense.local(params, rows, cols, log_x, weight)[0])
    >>> b, _ = sparse.apply(params, sparse.init(params), sparse.local(params, rows, cols, log_x, weight)[0])
    >>> bool(jnp.allclose(a.vectors, b.vectors, atol=1e-7)), dense.name
    (True, 'sync')
    """

    def local(self, params: GloVeParams, rows, cols, log_x, weight):
        index, steps, bias_steps, cost = train._adagrad_steps(params, rows, cols, log_x, weight,
                                                              self.learning_rate)
        n_rows = params.vectors.shape[0]
        sums = jax.ops.segment_sum(jnp.concatenate([steps, steps * steps], axis=1), index, n_rows)
        bias_sums = jax.ops.segment_sum(jnp.stack([bias_steps, bias_steps * bias_steps], axis=1),
                                        index, n_rows)
        return (sums, bias_sums), cost

    def reduce(self, contribution, axis_name: str):
        return jax.lax.psum(contribution, axis_name)

    def apply(self, params: GloVeParams, state: AdaGradState, contribution) -> tuple[GloVeParams, AdaGradState]:
        sums, bias_sums = contribution
        dim = params.vectors.shape[1]
        acc_vectors = state.vectors + sums[:, dim:]
        acc_biases = state.biases + bias_sums[:, 1]
        vectors = params.vectors - sums[:, :dim] * jax.lax.rsqrt(acc_vectors)
        biases = params.biases - bias_sums[:, 0] * jax.lax.rsqrt(acc_biases)
        return train.GloVeParams(vectors, biases), train.AdaGradState(acc_vectors, acc_biases)


@dataclass(frozen=True)
class OptaxRule:
    """Any optax ``GradientTransformation`` on plain gradients of the mean weighted loss over the
    batch (dense over the tables, as in the seed article's Adam setup); gradients are summed over
    devices.

    Parameters
    ----------
    optimizer : optax.GradientTransformation
        Carries its own learning rate.

    Examples
    --------
    >>> params = train.init_params(jax.random.PRNGKey(0), n_words=2, dim=2)
    >>> rule = OptaxRule(optax.sgd(0.1))
    >>> contribution, cost = rule.local(params, jnp.array([0]), jnp.array([2]), jnp.zeros(1), jnp.ones(1))
    >>> new_params, _ = rule.apply(params, rule.init(params), contribution)
    >>> bool(jnp.all(new_params.vectors[1] == params.vectors[1])), rule.name
    (True, 'optax')
    """

    optimizer: optax.GradientTransformation
    name: ClassVar[str] = "optax"

    def init(self, params: GloVeParams) -> Any:
        return self.optimizer.init(params)

    def local(self, params: GloVeParams, rows, cols, log_x, weight):
        count = jnp.sum(weight > 0)
        cost, grads = jax.value_and_grad(train.loss)(params, rows, cols, log_x, weight)
        return (grads, count), cost

    def reduce(self, contribution, axis_name: str):
        return jax.lax.psum(contribution, axis_name)

    def apply(self, params: GloVeParams, state: Any, contribution) -> tuple[GloVeParams, Any]:
        grads, count = contribution
        grads = jax.tree.map(lambda g: g / jnp.maximum(count, 1), grads)
        updates, state = self.optimizer.update(grads, state, params)
        return optax.apply_updates(params, updates), state


def make_rule(rule: str | optax.GradientTransformation, learning_rate: float, n_words: int,
              batch_size: int) -> UpdateRule:
    """The :class:`UpdateRule` of a name (``"sync"``, ``"glove"``) or an optax transformation.

    ``"sync"`` uses whole-table sums (:class:`DenseSyncAdaGrad`) when ``batch_size >= 4 *
    n_words``: a batch then touches most rows of the tables, and dense arithmetic over them beats
    gathering and scattering per entry (measured on political.txt: 2.9 s against 3.3 s an epoch
    at 65,536 entries; at 16,384 entries the per-entry path wins, 2.6 s against 4.1 s).

    Examples
    --------
    >>> make_rule("sync", 0.05, n_words=1000, batch_size=64)
    SyncAdaGrad(learning_rate=0.05)
    >>> make_rule("sync", 0.05, n_words=10, batch_size=64)
    DenseSyncAdaGrad(learning_rate=0.05)
    >>> make_rule("glove", 0.05, 10, 1).name
    'glove'
    >>> make_rule(optax.adam(1e-3), 1e-3, 10, 64).name
    'optax'
    """
    if is_optax_transformation(rule):
        return OptaxRule(rule)
    if rule not in RULES:
        raise ValueError(f"rule must be one of {RULES} or an optax.GradientTransformation, not {rule!r}")
    if rule == "glove":
        return GloveAdaGrad(float(learning_rate))
    dense = batch_size >= DENSE_RATIO * n_words
    return (DenseSyncAdaGrad if dense else SyncAdaGrad)(float(learning_rate))
