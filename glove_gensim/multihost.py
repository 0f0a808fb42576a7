"""Training over several processes with ``jax.distributed``: one mesh over every process's devices.

Each process calls :func:`initialize` (the coordinator's ``HOST:PORT``, the number of processes and
its own id; or ``jax.distributed.initialize``'s environment variables), then trains the same model
from the same counts. During an epoch the entries are one global array split by rows over all
devices of all processes (each process supplies only its own share, with
``jax.make_array_from_process_local_data``) and the tables and optimizer state are split by rows
over the same devices (:func:`glove_gensim.train.run_epoch` with ``shard_tables=True``, so XLA places
the gathers, scatters and collectives). The batch order is the global permutation of
:func:`glove_gensim.train.shuffled_index`, so the result equals one process on the same batches up
to the order of floating-point sums. Between epochs the tables are gathered to every process (for
checkpoints, losses and the exported vectors); only process 0 writes files.

On one machine, CPU processes talk through gloo::

    glove-gensim train --cooccurrence counts.npz --out run --coordinator 127.0.0.1:12355 \\
        --num-processes 2 --process-id 0 &
    glove-gensim train --cooccurrence counts.npz --out run --coordinator 127.0.0.1:12355 \\
        --num-processes 2 --process-id 1
"""
from __future__ import annotations

import logging
from typing import Any

import jax
import numpy as np
from jax.experimental import multihost_utils
from jax.sharding import Mesh, NamedSharding, PartitionSpec as P

from glove_gensim import train as core
from glove_gensim.validation import check_int

logger = logging.getLogger(__name__)


def initialize(coordinator: str | None = None, num_processes: int | None = None,
               process_id: int | None = None) -> None:
    """Join the process group (CPU collectives over gloo); arguments left ``None`` come from
    ``jax.distributed.initialize``'s environment variables or cluster detection.

    Raises
    ------
    ValueError
        ``process_id`` outside ``0..num_processes-1``, or ``coordinator`` not ``HOST:PORT``
        (checked before JAX is touched).

    Examples
    --------
    >>> initialize("127.0.0.1:12355", num_processes=2, process_id=2)
    Traceback (most recent call last):
    ...
    ValueError: process_id 2 must be in 0..1 (num_processes 2)
    """
    if coordinator is not None and not coordinator.rpartition(":")[2].isdigit():
        raise ValueError(f"coordinator must be HOST:PORT, not {coordinator!r}")
    if num_processes is not None:
        check_int("num_processes", num_processes, 1)
        if process_id is not None and not 0 <= process_id < num_processes:
            raise ValueError(f"process_id {process_id} must be in 0..{num_processes - 1} "
                             f"(num_processes {num_processes})")
    jax.config.update("jax_cpu_collectives_implementation", "gloo")
    jax.distributed.initialize(coordinator_address=coordinator, num_processes=num_processes,
                               process_id=process_id)
    logger.info("process %d of %d joined %s: %d devices in all", jax.process_index(), jax.process_count(),
                coordinator, jax.device_count())


def is_multiprocess() -> bool:
    """Whether this process is one of several (after :func:`initialize`).

    Examples
    --------
    >>> is_multiprocess()
    False
    """
    return jax.process_count() > 1


def process_index() -> int:
    """This process's id (0 writes the outputs).

    Examples
    --------
    >>> process_index()
    0
    """
    return jax.process_index()


def global_mesh() -> Mesh:
    """A 1-D mesh ``"batch"`` over the devices of every process.

    Examples
    --------
    >>> global_mesh().size == jax.device_count()
    True
    """
    return Mesh(np.array(jax.devices()), ("batch",))


def local_share(n_rows: int, mesh: Mesh) -> slice:
    """The rows of an array of ``n_rows`` (a multiple of the mesh size) split by rows over ``mesh``
    that live on this process's devices.

    Examples
    --------
    >>> local_share(8, global_mesh())
    slice(0, 8, None)
    """
    per_device = n_rows // mesh.size
    mine = [i for i, device in enumerate(mesh.devices.flat) if device.process_index == jax.process_index()]
    return slice(mine[0] * per_device, (mine[-1] + 1) * per_device)


def local_entries(rows, cols, values, n_words: int, x_max: float, alpha: float, n_padded: int,
                  mesh: Mesh) -> core.Entries:
    """This process's share of the entries padded to ``n_padded`` (a multiple of the mesh size):
    the host arrays of :func:`glove_gensim.train.host_entries` for its rows only.

    Examples
    --------
    >>> local_entries(np.array([0, 1]), np.array([1, 0]), np.array([2.0, 1.0]), 2, 10.0, 0.75, 4,
    ...               global_mesh()).rows.tolist()
    [0, 1, 0, 0]
    """
    share = local_share(n_padded, mesh)
    stop = min(share.stop, len(rows))
    start = min(share.start, stop)
    return core.host_entries(rows[start:stop], cols[start:stop], values[start:stop], n_words, x_max, alpha,
                             share.stop - share.start)


def global_entries(local: core.Entries, n_padded: int, mesh: Mesh) -> core.Entries:
    """Global arrays of ``n_padded`` entries split by rows, from each process's :func:`local_entries`.

    Examples
    --------
    >>> local = local_entries(np.array([0, 1]), np.array([1, 0]), np.array([2.0, 1.0]), 2, 10.0, 0.75, 4,
    ...                       global_mesh())
    >>> global_entries(local, 4, global_mesh()).rows.shape
    (4,)
    """
    sharding = NamedSharding(mesh, P("batch"))
    return core.Entries(*(jax.make_array_from_process_local_data(sharding, np.asarray(array), (n_padded,))
                          for array in local))


def to_global(tree: Any, mesh: Mesh, n_rows: int) -> Any:
    """Every process holds the same ``tree``; return it as global arrays, tables (first axis
    ``n_rows``) split by rows, the rest replicated.

    Examples
    --------
    >>> params = core.init_params(jax.random.PRNGKey(0), n_words=2, dim=3)
    >>> to_global(params, global_mesh(), n_rows=4).vectors.shape
    (4, 3)
    """
    def place(x):
        x = np.asarray(x)
        split = x.ndim >= 1 and x.shape[0] == n_rows
        sharding = NamedSharding(mesh, P("batch", *([None] * (x.ndim - 1))) if split else P())
        return jax.make_array_from_callback(x.shape, sharding, lambda index: x[index])

    return jax.tree.map(place, tree)


def to_local(tree: Any) -> Any:
    """Gather global arrays into full NumPy copies on every process.

    Examples
    --------
    >>> params = core.init_params(jax.random.PRNGKey(0), n_words=2, dim=3)
    >>> to_local(to_global(params, global_mesh(), n_rows=4)).vectors.shape
    (4, 3)
    """
    return jax.tree.map(lambda x: np.asarray(multihost_utils.process_allgather(x, tiled=True)), tree)


def run_epoch(params: Any, opt_state: Any, key: jax.Array, entries: core.Entries, rule, batch_size: int,
              mesh: Mesh) -> tuple[Any, Any, float]:
    """One epoch over the devices of all processes (tables split by rows) on the global
    ``entries`` (:func:`global_entries`); ``params`` and ``opt_state`` are full local copies in and
    out, padded to whole rows per device.

    Examples
    --------
    >>> from glove_gensim.rules import make_rule
    >>> local = local_entries(np.array([0, 1]), np.array([1, 0]), np.array([2.0, 1.0]), 2, 10.0, 0.75, 4,
    ...                       global_mesh())
    >>> entries = global_entries(local, 4, global_mesh())
    >>> params = core.init_params(jax.random.PRNGKey(0), n_words=2, dim=3)
    >>> rule = make_rule("sync", 0.05, n_words=2, batch_size=4)
    >>> params, state, cost = run_epoch(params, rule.init(params), jax.random.PRNGKey(1), entries, rule, 4,
    ...                                 global_mesh())
    >>> params.vectors.shape, cost > 0
    ((4, 3), True)
    """
    n_rows = params.vectors.shape[0]
    params, opt_state = to_global((params, opt_state), mesh, n_rows)
    key = jax.make_array_from_callback(np.shape(key), NamedSharding(mesh, P()), lambda index: np.asarray(key)[index])
    params, opt_state, cost = jax.jit(core.run_epoch, static_argnums=(4, 5, 6, 7))(
        params, opt_state, key, entries, rule, batch_size, mesh, True)
    return *to_local((params, opt_state)), float(multihost_utils.process_allgather(cost, tiled=True))
