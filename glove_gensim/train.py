"""Pure JAX core of GloVe: weighting, loss, update rules and a jitted epoch.

It knows nothing of words or files: it takes arrays and returns arrays. Word and context tables
are stacked in one ``[2V, dim]`` array (rows ``V..2V-1`` are the context vectors W~), and the
biases in one ``[2V]`` array, so a batch needs one gather and one scatter per table.

Update rules
------------
The rule classes (:class:`UpdateRule`, :class:`SyncAdaGrad`, :class:`DenseSyncAdaGrad`,
:class:`GloveAdaGrad`, :class:`OptaxRule`, made by :func:`make_rule`) live in
:mod:`glove_gensim.rules`, shared with the CPU engine; that module builds on this one (never the
other way round), so :func:`run_epoch` takes a rule without importing it.
"""
from __future__ import annotations

from functools import partial
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
from jax.sharding import Mesh
from jax.sharding import PartitionSpec as P

from glove_gensim.engine import estimate_bytes  # noqa: F401  (JAX-free, so the CLI checks bounds without JAX)
from glove_gensim.weighting import weighting



class GloVeParams(NamedTuple):
    """Trainable tables.

    Attributes
    ----------
    vectors : [2V, dim]
        Word vectors W (rows ``0..V-1``) stacked over context vectors W~ (rows ``V..2V-1``).
    biases : [2V]
        Word biases b over context biases b~.

    Examples
    --------
    >>> params = init_params(jax.random.PRNGKey(0), n_words=3, dim=4)
    >>> params.vectors.shape, params.biases.shape
    ((6, 4), (6,))
    """

    vectors: jax.Array
    biases: jax.Array


class AdaGradState(NamedTuple):
    """glove.c's squared-gradient accumulators, shaped like :class:`GloVeParams`, starting at 1.

    Examples
    --------
    >>> from glove_gensim.rules import SyncAdaGrad
    >>> state = SyncAdaGrad(0.05).init(init_params(jax.random.PRNGKey(0), n_words=3, dim=4))
    >>> state.vectors.shape, float(state.vectors.min()), float(state.biases.max())
    ((6, 4), 1.0, 1.0)
    """

    vectors: jax.Array
    biases: jax.Array


class Entries(NamedTuple):
    """Co-occurrence entries resident on the device, padded to whole batches.

    Attributes
    ----------
    rows, cols : int32 [n_padded]
        Word ids; ``cols`` already offset by ``V`` into the stacked table.
    log_x : float32 [n_padded]
        ``log X_ij``.
    weight : float32 [n_padded]
        ``f(X_ij)``; 0 for padding, so padding changes nothing.

    Examples
    --------
    >>> entries, n = make_entries(np.array([0, 1]), np.array([1, 0]), np.array([2.0, 1.0]),
    ...                           n_words=2, x_max=10.0, alpha=0.75, batch_size=4)
    >>> entries.cols.tolist(), entries.weight.tolist()[2:]
    ([3, 2, 2, 2], [0.0, 0.0])
    """

    rows: jax.Array
    cols: jax.Array
    log_x: jax.Array
    weight: jax.Array


def init_params(key: jax.Array, n_words: int, dim: int, dtype=jnp.float32) -> GloVeParams:
    """glove.c's initialisation: every weight and bias uniform in ``[-0.5, 0.5] / dim``.

    Examples
    --------
    >>> params = init_params(jax.random.PRNGKey(0), n_words=3, dim=4)
    >>> params.vectors.shape, bool(jnp.abs(params.vectors).max() <= 0.5 / 4)
    ((6, 4), True)
    """
    k_vectors, k_biases = jax.random.split(key)
    vectors = (jax.random.uniform(k_vectors, (2 * n_words, dim), dtype) - 0.5) / dim
    biases = (jax.random.uniform(k_biases, (2 * n_words,), dtype) - 0.5) / dim
    return GloVeParams(vectors, biases)


def host_entries(rows, cols, values, n_words: int, x_max: float, alpha: float, length: int) -> Entries:
    """The entries as host (NumPy) arrays of ``length`` >= their number, the tail padded with
    zero-weight entries (row 0, context row ``n_words``), which change nothing when trained on.

    Examples
    --------
    >>> host = host_entries(np.array([0, 1]), np.array([1, 0]), np.array([2.0, 1.0]), n_words=2,
    ...                     x_max=10.0, alpha=0.75, length=3)
    >>> type(host.rows).__name__, host.cols.tolist(), float(host.weight[2])
    ('ndarray', [3, 2, 2], 0.0)
    """
    n = len(rows)
    x = np.asarray(values, dtype=np.float32)
    padded = Entries(rows=np.zeros(length, np.int32), cols=np.full(length, n_words, np.int32),
                     log_x=np.zeros(length, np.float32), weight=np.zeros(length, np.float32))
    padded.rows[:n] = rows
    padded.cols[:n] = np.asarray(cols) + n_words
    padded.log_x[:n] = np.log(x)
    padded.weight[:n] = weighting(x, x_max, alpha)
    return padded


def make_entries(rows, cols, values, n_words: int, x_max: float, alpha: float,
                 batch_size: int) -> tuple[Entries, int]:
    """Device arrays of the entries, padded with zero-weight entries to a multiple of ``batch_size``.

    Returns
    -------
    entries : Entries
    n_entries : int
        Number of real (unpadded) entries.

    Examples
    --------
    >>> entries, n = make_entries(np.array([0, 1]), np.array([1, 0]), np.array([2.0, 1.0]),
    ...                           n_words=2, x_max=10.0, alpha=0.75, batch_size=4)
    >>> n, entries.rows.tolist(), entries.cols.tolist()
    (2, [0, 1, 0, 0], [3, 2, 2, 2])
    """
    n = len(rows)
    host = host_entries(rows, cols, values, n_words, x_max, alpha, n + (-n) % batch_size)
    return Entries(*(jnp.asarray(array) for array in host)), n


def _forward(params: GloVeParams, rows, cols, log_x, weight):
    """Gathered vectors ``w, c`` ``[B, dim]``, ``fdiff = f diff`` ``[B]`` and the batch cost, where
    ``diff = w_i . w~_j + b_i + b~_j - log X_ij`` (``cols`` offset by V)."""
    w, c = params.vectors[rows], params.vectors[cols]
    diff = jnp.sum(w * c, axis=-1) + params.biases[rows] + params.biases[cols] - log_x
    fdiff = weight * diff
    return w, c, fdiff, 0.5 * jnp.sum(fdiff * diff)


def loss(params: GloVeParams, rows: jax.Array, cols: jax.Array, log_x: jax.Array,
         weight: jax.Array) -> jax.Array:
    """Sum over the batch of glove.c's cost ``0.5 f(X) diff^2`` (scalar).

    Examples
    --------
    With all parameters 0, ``diff = -log X``: here ``0.5 * 0.5 * 1**2``.

    >>> zeros = GloVeParams(jnp.zeros((4, 2)), jnp.zeros(4))
    >>> float(loss(zeros, jnp.array([0]), jnp.array([2]), jnp.log(jnp.array([np.e])), jnp.array([0.5])))
    0.25
    """
    return _forward(params, rows, cols, log_x, weight)[3]


def data_mesh(n_devices: int | None = None) -> Mesh:
    """A 1-D mesh named ``"batch"`` over the first ``n_devices`` local devices (default: all).

    Examples
    --------
    >>> dict(data_mesh(1).shape)
    {'batch': 1}
    """
    devices = jax.local_devices()
    return Mesh(np.array(devices[: n_devices or len(devices)]), ("batch",))


def usable_devices(batch_size: int, n_devices: int | None = None) -> int:
    """Largest number of local devices (at most ``n_devices``) that divides ``batch_size``.

    Examples
    --------
    >>> usable_devices(batch_size=64, n_devices=1)
    1
    """
    count = min(n_devices or jax.local_device_count(), jax.local_device_count())
    while batch_size % count:
        count -= 1
    return count


def available_bytes(device: jax.Device) -> int | None:
    """Free memory of ``device`` when known (accelerators report it; on CPU, free host RAM).

    Examples
    --------
    >>> available_bytes(jax.local_devices()[0]) > 0
    True
    """
    stats = device.memory_stats() if hasattr(device, "memory_stats") else None
    if stats and "bytes_limit" in stats:
        return int(stats["bytes_limit"] - stats.get("bytes_in_use", 0))
    if device.platform == "cpu":
        import psutil

        return int(psutil.virtual_memory().available)
    return None


_FEISTEL_ROUNDS = 4


def shuffle_keys(key: jax.Array) -> jax.Array:
    """Round keys of the epoch's shuffle, ``uint32 [rounds]``, drawn from ``key``.

    Examples
    --------
    >>> keys = shuffle_keys(jax.random.PRNGKey(0))
    >>> keys.shape, str(keys.dtype)
    ((4,), 'uint32')
    """
    return jax.random.bits(key, (_FEISTEL_ROUNDS,), jnp.uint32)


def _mix(x: jax.Array, round_key: jax.Array) -> jax.Array:
    """A 32-bit avalanche hash (murmur3's finaliser) of ``x`` xor ``round_key``."""
    x = x ^ round_key
    x = (x ^ (x >> 16)) * jnp.uint32(0x85EBCA6B)
    x = (x ^ (x >> 13)) * jnp.uint32(0xC2B2AE35)
    return x ^ (x >> 16)


def shuffled_index(position: jax.Array, n: int, round_keys: jax.Array) -> jax.Array:
    """Image of ``position`` (``uint32 [...]``, values < n) under a pseudo-random permutation of
    ``range(n)`` keyed by ``round_keys``.

    A balanced Feistel network on the smallest even number of bits covering ``n``, with cycle
    walking for images >= n: a bijection computed elementwise, so an epoch's shuffle costs no
    sort and never materialises the order (``jax.random.permutation`` sorts, which takes seconds
    for millions of entries on a CPU).

    Examples
    --------
    >>> order = shuffled_index(jnp.arange(10, dtype=jnp.uint32), 10, shuffle_keys(jax.random.PRNGKey(0)))
    >>> sorted(order.tolist()) == list(range(10)), order.tolist() != list(range(10))
    (True, True)
    """
    half = max(1, (max(n - 1, 1).bit_length() + 1) // 2)
    mask = jnp.uint32((1 << half) - 1)

    def permute(x):
        left, right = x >> half, x & mask
        for round_key in round_keys:
            left, right = right, left ^ (_mix(right, round_key) & mask)
        return (left << half) | right

    def walk(x):
        return jax.lax.while_loop(lambda y: jnp.any(y >= n),
                                  lambda y: jnp.where(y >= n, permute(y), y), permute(x))

    return walk(position.astype(jnp.uint32)).astype(jnp.int32)


@partial(jax.jit, static_argnames=("rule", "batch_size", "mesh", "shard_tables"))
def run_epoch(params: GloVeParams, opt_state: Any, key: jax.Array, entries: Entries, rule: "rules.UpdateRule",
              batch_size: int, mesh: Mesh, shard_tables: bool = False) -> tuple[GloVeParams, Any, jax.Array]:
    """One pass over all entries in a random order, as one ``lax.scan`` on the device(s).

    Two ways to use the devices of ``mesh`` (axis ``"batch"``), both giving the one-device result
    up to the order of floating-point sums:

    * ``shard_tables=False`` (data parallel): each batch is split over the devices; every device
      computes the contribution of its share, the contributions are combined, and every device
      applies the same update to its replica of the tables.
    * ``shard_tables=True``: the tables and optimizer state are split by rows over the devices
      (for vocabularies whose tables outgrow one device) and XLA's partitioner places the
      gathers, scatters and collectives.

    Parameters
    ----------
    params, opt_state
        Current tables and optimizer state.
    key : PRNG key
        Shuffles the entries for this epoch.
    entries : Entries
        Padded to a multiple of ``batch_size`` (:func:`make_entries`).
    rule : UpdateRule
        From :func:`make_rule`.
    batch_size : int
        Entries per update; a multiple of the mesh size.
    mesh : Mesh
        From :func:`data_mesh`.
    shard_tables : bool
        Split the tables by rows instead of replicating them.

    Returns
    -------
    params, opt_state
        After the epoch.
    cost : float32 scalar
        Sum over the epoch of each entry's ``0.5 f diff^2``, evaluated just before its batch's update
        (glove.c's printed cost is this over the number of entries).

    Examples
    --------
    >>> entries, n = make_entries(np.array([0, 1]), np.array([1, 0]), np.array([2.0, 1.0]),
    ...                           n_words=2, x_max=10.0, alpha=0.75, batch_size=4)
    >>> params = init_params(jax.random.PRNGKey(0), n_words=2, dim=3)
    >>> from glove_gensim.rules import make_rule
    >>> rule = make_rule("sync", 0.05, n_words=2, batch_size=4)
    >>> params, state, cost = run_epoch(params, rule.init(params), jax.random.PRNGKey(1), entries,
    ...                                 rule, 4, data_mesh(1))
    >>> params.vectors.shape, float(cost) / n > 0
    ((4, 3), True)
    """
    n_padded = entries.rows.shape[0]
    n_devices = mesh.shape["batch"]
    round_keys = shuffle_keys(key)
    batch_ids = jnp.arange(n_padded // batch_size, dtype=jnp.uint32)
    if shard_tables:
        return _epoch_with_sharded_tables(params, opt_state, round_keys, batch_ids, entries, rule,
                                          batch_size, mesh)
    offsets = jnp.arange(batch_size, dtype=jnp.uint32).reshape(n_devices, batch_size // n_devices)

    def per_device(params, opt_state, offsets, entries):
        def body(carry, batch_id):
            p, s = carry
            batch = shuffled_index(batch_id * batch_size + offsets[0], n_padded, round_keys)
            contribution, cost = rule.local(p, entries.rows[batch], entries.cols[batch],
                                            entries.log_x[batch], entries.weight[batch])
            p, s = rule.apply(p, s, rule.reduce(contribution, "batch"))
            return (p, s), jax.lax.psum(cost, "batch")

        (params, opt_state), costs = jax.lax.scan(body, (params, opt_state), batch_ids)
        return params, opt_state, jnp.sum(costs)

    replicated = P()
    return jax.shard_map(per_device, mesh=mesh,
                         in_specs=(replicated, replicated, P("batch"), replicated),
                         out_specs=(replicated, replicated, replicated),
                         check_vma=False)(params, opt_state, offsets, entries)


def pad_rows(tree: Any, n_rows: int, padded: int) -> Any:
    """Append rows to every table of ``tree`` with ``n_rows`` rows (zeros; accumulators get ones).

    Examples
    --------
    >>> params = init_params(jax.random.PRNGKey(0), n_words=3, dim=4)
    >>> from glove_gensim.rules import SyncAdaGrad
    >>> padded, state = pad_rows((params, SyncAdaGrad(0.05).init(params)), n_rows=6, padded=8)
    >>> padded.vectors.shape, float(padded.vectors[7, 0]), float(state.vectors[7, 0])
    ((8, 4), 0.0, 1.0)
    """
    params, opt_state = tree

    def pad(x, fill):
        if getattr(x, "ndim", 0) >= 1 and x.shape[0] == n_rows:
            return jnp.concatenate([x, jnp.full((padded - n_rows, *x.shape[1:]), fill, x.dtype)])
        return x

    fill = 1.0 if isinstance(opt_state, AdaGradState) else 0.0
    return jax.tree.map(lambda x: pad(x, 0.0), params), jax.tree.map(lambda x: pad(x, fill), opt_state)


def unpad_rows(tree: Any, n_rows: int) -> Any:
    """Drop the rows :func:`pad_rows` added.

    Examples
    --------
    >>> params = init_params(jax.random.PRNGKey(0), n_words=3, dim=4)
    >>> from glove_gensim.rules import SyncAdaGrad
    >>> padded = pad_rows((params, SyncAdaGrad(0.05).init(params)), n_rows=6, padded=8)
    >>> unpad_rows(padded, n_rows=6)[0].vectors.shape
    (6, 4)
    """
    return jax.tree.map(lambda x: x[:n_rows] if getattr(x, "ndim", 0) >= 1 and x.shape[0] > n_rows else x, tree)


def shard_rows(tree: Any, mesh: Mesh, n_rows: int) -> Any:
    """Constrain every array of ``tree`` whose first axis has ``n_rows`` to be split by rows.

    Examples
    --------
    >>> params = shard_rows(init_params(jax.random.PRNGKey(0), n_words=3, dim=4), data_mesh(1), n_rows=6)
    >>> params.vectors.sharding.spec == P("batch", None)
    True
    """
    def constrain(x):
        if getattr(x, "ndim", 0) >= 1 and x.shape[0] == n_rows:
            spec = P("batch", *([None] * (x.ndim - 1)))
            return jax.lax.with_sharding_constraint(x, jax.sharding.NamedSharding(mesh, spec))
        return x

    return jax.tree.map(constrain, tree)


def _epoch_with_sharded_tables(params, opt_state, round_keys, batch_ids, entries, rule, batch_size, mesh):
    n_padded = entries.rows.shape[0]
    n_rows = params.vectors.shape[0]
    positions = jnp.arange(batch_size, dtype=jnp.uint32)

    def body(carry, batch_id):
        p, s = carry
        batch = shuffled_index(batch_id * batch_size + positions, n_padded, round_keys)
        contribution, cost = rule.local(p, entries.rows[batch], entries.cols[batch], entries.log_x[batch],
                                        entries.weight[batch])
        p, s = rule.apply(p, s, contribution)
        return shard_rows((p, s), mesh, n_rows), cost

    carry = shard_rows((params, opt_state), mesh, n_rows)
    (params, opt_state), costs = jax.lax.scan(body, carry, batch_ids)
    params, opt_state = shard_rows((params, opt_state), mesh, n_rows)
    return params, opt_state, jnp.sum(costs)
