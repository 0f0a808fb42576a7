"""The compiled CPU engine: GloVe epochs as numba loops over host tables, updated in place.

The tables have the JAX engine's layout (:class:`HostTables`: ``vectors [2V, dim]`` = W over W~,
``biases [2V]``; AdaGrad accumulators of the same shapes, starting at 1), and an epoch visits the
entries in the JAX engine's order (the keyed Feistel shuffle, ported in
:mod:`glove_gensim.host_random`), so for the same seed both engines start from the same tables and
see the same sequence of entries. Nothing here imports JAX.

Rules (``rule.name``)
---------------------
``"glove"``
    Stanford ``glove.c``'s AdaGrad, entry by entry, ``n_threads`` threads sharing the tables
    without locks (Hogwild, as glove.c's threads do): thread ``t`` takes the ``t``-th contiguous
    share of the epoch's shuffled order. With one thread this is glove.c's sequential update
    exactly and deterministic; with several, updates race as in glove.c, so results depend on
    scheduling (the cost curve does not, to within a fraction of a percent).
``"sync"``
    The synchronous batched AdaGrad of :mod:`glove_gensim.train`, batch by batch in the JAX
    engine's batch order: every step of a batch is computed against the tables as they were
    before it, each row then adds the squared steps of the whole batch to its accumulator and
    takes their sum over the new root. Rows are split among threads by owner (``row % n_threads``),
    so the result is deterministic for any thread count.

The optax optimizers are gradient transformations of JAX arrays: they need ``engine="jax"``.

Examples
--------
>>> import numpy as np
>>> rows, cols = np.array([0, 1, 1], np.int32), np.array([1, 0, 1], np.int32)
>>> entries = host_entries(rows, cols, np.array([3.0, 3.0, 1.0]), n_words=2, x_max=10.0, alpha=0.75)
>>> params, accumulators = init_tables(seed=1, n_words=2, dim=4)
>>> from glove_gensim.rules import GloveAdaGrad
>>> costs = [run_epoch(GloveAdaGrad(0.05), params, accumulators, entries, epoch_keys(1, e), 1)
...          for e in range(50)]
>>> costs[-1] < 0.1 * costs[0]
True
"""
from __future__ import annotations

import logging
from typing import Any, NamedTuple

import numba
import numpy as np
from llvmlite import ir
from numba import prange
from numba.core import cgutils, types
from numba.extending import intrinsic

from glove_gensim.engine import is_optax_transformation, resolve_engine
from glove_gensim.host_random import epoch_keys, feistel_half_bits, init_tables as _init_values, shuffled_position
from glove_gensim.memory import release_pages
from glove_gensim.rules import GRAD_CLIP, UpdateRule
from glove_gensim.validation import check_int
from glove_gensim.weighting import weighting

logger = logging.getLogger(__name__)

__all__ = ["HostTables", "ENTRY_DTYPE", "cpu_engine_refusal", "select_engine", "default_optimizer",
           "init_tables", "host_entries", "entries_into", "run_epoch", "copy_tables", "state_arrays", "restore_tables",
           "epoch_keys"]

OPTAX_OPTIMIZERS = ("adam", "sgd", "adagrad-optax")
ENTRY_DTYPE = np.dtype([("row", np.int32), ("col", np.int32), ("log_x", np.float32), ("weight", np.float32)])
# Reassociation lets LLVM vectorise the dot products and row updates; NaN and infinity keep their
# IEEE meaning, so a diverging epoch still returns a non-finite cost.
_FASTMATH = {"reassoc", "contract", "nsz", "arcp"}
# Entries are drawn at random from arrays far larger than the caches: the kernel asks for the
# entry _ENTRY_AHEAD positions ahead and for the table rows of the entry _ROWS_AHEAD ahead.
_ENTRY_AHEAD, _ROWS_AHEAD = 16, 4
_LINE = 64
_FILL_CHUNK = 1 << 20


class HostTables(NamedTuple):
    """Host tables shaped like :class:`glove_gensim.train.GloVeParams` (and its AdaGrad state).

    Attributes
    ----------
    vectors : float32 [2V, dim]
        W (rows ``0..V-1``) over W~ (rows ``V..2V-1``).
    biases : float32 [2V]
        b over b~.

    Examples
    --------
    >>> tables = HostTables(np.zeros((4, 2), np.float32), np.zeros(4, np.float32))
    >>> tables.vectors.shape, tables.biases.shape
    ((4, 2), (4,))
    """

    vectors: np.ndarray
    biases: np.ndarray


def cpu_engine_refusal(optimizer: Any, *, shard_tables: bool = False, n_devices: int | None = None) -> str | None:
    """Why the CPU engine cannot train with these settings (``None`` when it can; an optimizer
    that is neither named nor optax is left for the model's own validation to name). Blocks
    (``block_size``, ``out_of_core``) it trains from itself (:mod:`glove_gensim.host_blocks`).

    Examples
    --------
    >>> cpu_engine_refusal("adagrad-glove") is None
    True
    >>> cpu_engine_refusal("adam")
    "optimizer='adam' (an optax optimizer)"
    >>> cpu_engine_refusal("adagrad", n_devices=2)
    'n_devices=2 (a JAX device placement)'
    """
    if optimizer in OPTAX_OPTIMIZERS or is_optax_transformation(optimizer):
        return f"optimizer={optimizer!r} (an optax optimizer)"
    for name, value in (("shard_tables", shard_tables), ("n_devices", n_devices)):
        if value not in (None, False):
            return f"{name}={value!r} (a JAX device placement)"
    return None


def select_engine(engine: str, refusal: str | None) -> str:
    """``"jax"`` or ``"cpu"``: :func:`glove_gensim.engine.resolve_engine`, except that ``"auto"``
    falls back to ``"jax"`` when the settings need it (``refusal``, from
    :func:`cpu_engine_refusal`) and an explicit ``"cpu"`` is refused for them.

    Examples
    --------
    >>> select_engine("auto", cpu_engine_refusal("adam"))
    'jax'
    >>> select_engine("cpu", None)
    'cpu'
    >>> select_engine("cpu", cpu_engine_refusal("adam"))
    Traceback (most recent call last):
    ...
    ValueError: engine='cpu' cannot train with optimizer='adam' (an optax optimizer): ...
    """
    if engine == "auto" and refusal is not None:
        logger.info("engine='auto': training with the JAX engine, as %s needs it", refusal)
        return "jax"
    resolved = resolve_engine(engine)
    if resolved == "cpu" and refusal is not None:
        raise ValueError(f"engine='cpu' cannot train with {refusal}: the CPU engine runs "
                         "optimizer='adagrad-glove' or 'adagrad' on host tables; use engine='jax' for it")
    return resolved


def default_optimizer(engine: str) -> str:
    """glove.c's exact rule (``"adagrad-glove"``) per entry on ``"cpu"``; the synchronous batched
    ``"adagrad"`` on ``"jax"``.

    Examples
    --------
    >>> default_optimizer("cpu"), default_optimizer("jax")
    ('adagrad-glove', 'adagrad')
    """
    return "adagrad-glove" if engine == "cpu" else "adagrad"


def init_tables(seed: int, n_words: int, dim: int) -> tuple[HostTables, HostTables]:
    """The JAX engine's initial tables for ``seed`` (bit for bit) and accumulators at 1.

    Examples
    --------
    >>> params, accumulators = init_tables(seed=1, n_words=2, dim=3)
    >>> params.vectors.shape, float(accumulators.biases.min()), float(accumulators.vectors.max())
    ((4, 3), 1.0, 1.0)
    """
    vectors, biases = _init_values(seed, n_words, dim)
    return HostTables(vectors, biases), HostTables(np.ones_like(vectors), np.ones_like(biases))


def host_entries(rows: np.ndarray, cols: np.ndarray, values: np.ndarray, n_words: int, x_max: float,
                 alpha: float) -> np.ndarray:
    """The entries as one record array (``ENTRY_DTYPE [nnz]``: row, col offset by ``n_words``,
    ``log X``, ``f(X)``), so that an entry drawn at random costs one cache line, not four.

    The same float32 values as :func:`glove_gensim.train.host_entries`, computed a chunk at a time
    so that temporaries stay small beside the entries themselves.

    Examples
    --------
    >>> entries = host_entries(np.array([0, 1]), np.array([1, 0]), np.array([10.0, 1.0]), n_words=2,
    ...                        x_max=10.0, alpha=1.0)
    >>> entries["col"].tolist(), entries["weight"].tolist()
    ([3, 2], [1.0, 0.10000000149011612])
    """
    entries = np.empty(len(rows), ENTRY_DTYPE)
    for start in range(0, len(rows), _FILL_CHUNK):
        chunk = slice(start, start + _FILL_CHUNK)
        entries_into(entries[chunk], rows[chunk], cols[chunk], values[chunk], n_words, x_max, alpha)
        for array in (rows, cols, values):
            release_pages(array)
    logger.info("CPU engine: %d entries, %.0f MB on the host", len(rows), entries.nbytes / 2**20)
    return entries


def entries_into(out: np.ndarray, rows: np.ndarray, cols: np.ndarray, values: np.ndarray, n_words: int,
                 x_max: float, alpha: float) -> None:
    """Fill ``out`` (``ENTRY_DTYPE [n]``) with the entries of ``n`` counts (:func:`host_entries`'
    values).

    Examples
    --------
    >>> out = np.empty(1, ENTRY_DTYPE)
    >>> entries_into(out, np.array([0]), np.array([1]), np.array([10.0]), n_words=2, x_max=10.0, alpha=1.0)
    >>> out["col"].tolist(), out["weight"].tolist()
    ([3], [1.0])
    """
    x = np.asarray(values, dtype=np.float32)
    out["row"] = rows
    out["col"] = cols
    out["col"] += n_words
    out["log_x"] = np.log(x)
    out["weight"] = weighting(x, x_max, alpha)


@intrinsic
def _prefetch(typingctx, array, index):
    """Hint the CPU to bring ``array[index]`` (a 1-D array) into the caches; no effect on results."""
    def codegen(context, builder, signature, args):
        array_type = signature.args[0]
        view = context.make_array(array_type)(context, builder, args[0])
        pointer = cgutils.get_item_pointer(context, builder, array_type, view, [args[1]], wraparound=False)
        byte_pointer = ir.IntType(8).as_pointer()
        prefetch = cgutils.get_or_insert_function(
            builder.module, ir.FunctionType(ir.VoidType(), [byte_pointer] + [ir.IntType(32)] * 3), "llvm.prefetch.p0")
        constant = ir.Constant
        builder.call(prefetch, [builder.bitcast(pointer, byte_pointer), constant(ir.IntType(32), 0),
                                constant(ir.IntType(32), 3), constant(ir.IntType(32), 1)])
        return context.get_dummy_value()

    return types.void(array, index), codegen


@numba.njit(nogil=True, inline="always", cache=True)
def _prefetch_row(flat, row, dim):
    for offset in range(0, dim, _LINE // 4):
        _prefetch(flat, row * dim + offset)
    _prefetch(flat, row * dim + dim - 1)


@numba.njit(nogil=True, inline="always", fastmath=_FASTMATH, cache=True)
def _glove_entry(vectors, biases, acc_v, acc_b, entry, eta, clip):
    """glove.c's update for one entry, in place; returns its cost ``0.5 f diff^2``."""
    i, j = entry.row, entry.col
    w, c = vectors[i], vectors[j]
    dot = np.float32(0.0)
    for b in range(w.shape[0]):
        dot += w[b] * c[b]
    diff = dot + biases[i] + biases[j] - entry.log_x
    fdiff = entry.weight * diff
    gw, gc = acc_v[i], acc_v[j]
    for b in range(w.shape[0]):
        step_w = min(max(fdiff * c[b], -clip), clip) * eta
        step_c = min(max(fdiff * w[b], -clip), clip) * eta
        w[b] -= step_w / np.sqrt(gw[b])
        c[b] -= step_c / np.sqrt(gc[b])
        gw[b] += step_w * step_w
        gc[b] += step_c * step_c
    biases[i] -= fdiff / np.sqrt(acc_b[i])
    biases[j] -= fdiff / np.sqrt(acc_b[j])
    acc_b[i] += fdiff * fdiff
    acc_b[j] += fdiff * fdiff
    return 0.5 * np.float64(fdiff) * np.float64(diff)


@numba.njit(parallel=True, nogil=True, fastmath=_FASTMATH, cache=True)
def _glove_epoch(vectors, biases, acc_v, acc_b, entries, half, round_keys, eta, clip, n_threads):
    n = entries.shape[0]
    dim = vectors.shape[1]
    flat_v, flat_g = vectors.reshape(vectors.size), acc_v.reshape(acc_v.size)
    costs = np.zeros(n_threads)
    for thread in prange(n_threads):
        start, stop = thread * n // n_threads, (thread + 1) * n // n_threads
        ahead = np.empty(_ENTRY_AHEAD, np.int64)
        for position in range(start, min(start + _ENTRY_AHEAD, stop)):
            ahead[position % _ENTRY_AHEAD] = shuffled_position(position, n, half, round_keys)
        cost = 0.0
        for position in range(start, stop):
            slot = position % _ENTRY_AHEAD
            k = ahead[slot]
            if position + _ROWS_AHEAD < stop:
                upcoming = entries[ahead[(position + _ROWS_AHEAD) % _ENTRY_AHEAD]]
                for row in (upcoming.row, upcoming.col):
                    _prefetch_row(flat_v, row, dim)
                    _prefetch_row(flat_g, row, dim)
            if position + _ENTRY_AHEAD < stop:
                ahead[slot] = shuffled_position(position + _ENTRY_AHEAD, n, half, round_keys)
                _prefetch(entries, ahead[slot])
            cost += _glove_entry(vectors, biases, acc_v, acc_b, entries[k], eta, clip)
        costs[thread] = cost
    return costs.sum()


@numba.njit(parallel=True, nogil=True, fastmath=_FASTMATH, cache=True)
def _sync_epoch(vectors, biases, acc_v, acc_b, entries, n_padded, half, round_keys, eta, clip, batch_size,
                n_threads):
    n, dim = entries.shape[0], vectors.shape[1]
    index = np.empty(2 * batch_size, np.int64)
    steps = np.empty((2 * batch_size, dim), np.float32)
    bias_steps = np.empty(2 * batch_size, np.float32)
    costs = np.zeros(batch_size)
    total = 0.0
    for start in range(0, n_padded, batch_size):
        for slot in prange(batch_size):
            k = shuffled_position(start + slot, n_padded, half, round_keys)
            if k >= n:  # padding: a zero-weight entry, which changes nothing
                index[2 * slot] = index[2 * slot + 1] = -1
                costs[slot] = 0.0
                continue
            entry = entries[k]
            i, j = entry.row, entry.col
            w, c = vectors[i], vectors[j]
            dot = np.float32(0.0)
            for b in range(dim):
                dot += w[b] * c[b]
            diff = dot + biases[i] + biases[j] - entry.log_x
            fdiff = entry.weight * diff
            costs[slot] = 0.5 * np.float64(fdiff) * np.float64(diff)
            index[2 * slot], index[2 * slot + 1] = i, j
            bias_steps[2 * slot] = bias_steps[2 * slot + 1] = fdiff
            for b in range(dim):
                steps[2 * slot, b] = min(max(fdiff * c[b], -clip), clip) * eta
                steps[2 * slot + 1, b] = min(max(fdiff * w[b], -clip), clip) * eta
        total += costs.sum()
        for owner in prange(n_threads):
            for s in range(2 * batch_size):
                r = index[s]
                if r >= 0 and r % n_threads == owner:
                    for b in range(dim):
                        acc_v[r, b] += steps[s, b] * steps[s, b]
                    acc_b[r] += bias_steps[s] * bias_steps[s]
            for s in range(2 * batch_size):
                r = index[s]
                if r >= 0 and r % n_threads == owner:
                    for b in range(dim):
                        vectors[r, b] -= steps[s, b] / np.sqrt(acc_v[r, b])
                    biases[r] -= bias_steps[s] / np.sqrt(acc_b[r])
    return total


def run_epoch(rule: UpdateRule, params: HostTables, accumulators: HostTables, entries: np.ndarray,
              round_keys: np.ndarray, n_threads: int, batch_size: int = 1) -> float:
    """One epoch over ``entries`` (from :func:`host_entries`) in the order keyed by ``round_keys``
    (``uint32 [4]``, :func:`epoch_keys`), updating ``params`` and ``accumulators`` in place.

    Parameters
    ----------
    rule : UpdateRule
        Dispatched on ``rule.name``: ``"glove"`` (:class:`glove_gensim.rules.GloveAdaGrad`) or
        ``"sync"`` (:class:`glove_gensim.rules.SyncAdaGrad` or ``DenseSyncAdaGrad``), with its
        ``learning_rate``; other rules need ``engine="jax"``.
    n_threads : int
        Threads (at most numba's thread pool are run at once; more shares are run in turn).
    batch_size : int
        Entries per synchronous update (``"sync"``; the order is the JAX engine's over the entries
        padded to whole batches).

    Returns
    -------
    float
        Sum over the epoch of each entry's ``0.5 f diff^2`` just before its update (glove.c's
        printed cost is this over the number of entries); per-thread partial sums, then added.

    Examples
    --------
    >>> entries = host_entries(np.array([0, 1]), np.array([1, 0]), np.array([3.0, 3.0]), 2, 10.0, 0.75)
    >>> params, accumulators = init_tables(seed=1, n_words=2, dim=4)
    >>> from glove_gensim.rules import SyncAdaGrad
    >>> first = run_epoch(SyncAdaGrad(0.05), params, accumulators, entries, epoch_keys(1, 0), 2, batch_size=2)
    >>> second = run_epoch(SyncAdaGrad(0.05), params, accumulators, entries, epoch_keys(1, 1), 2, batch_size=2)
    >>> second < first
    True
    """
    keys = np.asarray(round_keys, np.uint64)
    eta, clip = np.float32(rule.learning_rate), np.float32(GRAD_CLIP)
    numba.set_num_threads(max(1, min(int(n_threads), numba.config.NUMBA_NUM_THREADS)))
    tables = (params.vectors, params.biases, accumulators.vectors, accumulators.biases)
    if rule.name == "glove":
        return float(_glove_epoch(*tables, entries, feistel_half_bits(len(entries)), keys, eta, clip,
                                  int(n_threads)))
    if rule.name == "sync":
        check_int("batch_size", batch_size, 1)
        n = len(entries)
        n_padded = n + (-n) % batch_size
        return float(_sync_epoch(*tables, entries, n_padded, feistel_half_bits(n_padded), keys, eta, clip,
                                 int(batch_size), int(n_threads)))
    raise ValueError(f"the CPU engine has no kernel for rule {rule.name!r}; it needs engine='jax'")


def copy_tables(params: HostTables, accumulators: HostTables) -> tuple[HostTables, HostTables]:
    """Copies to fall back to (the engine updates its tables in place).

    Examples
    --------
    >>> params, accumulators = init_tables(seed=1, n_words=2, dim=3)
    >>> saved, _ = copy_tables(params, accumulators)
    >>> params.vectors[0, 0] = 9.0
    >>> float(saved.vectors[0, 0]) == 9.0
    False
    """
    return HostTables(params.vectors.copy(), params.biases.copy()), \
        HostTables(accumulators.vectors.copy(), accumulators.biases.copy())


def state_arrays(params: HostTables, accumulators: HostTables) -> dict[str, np.ndarray]:
    """The saved state, named as the JAX engine names it (``opt_000``/``opt_001``: accumulators).

    Examples
    --------
    >>> sorted(state_arrays(*init_tables(seed=1, n_words=2, dim=3)))
    ['biases', 'opt_000', 'opt_001', 'vectors']
    """
    return {"vectors": params.vectors, "biases": params.biases,
            "opt_000": accumulators.vectors, "opt_001": accumulators.biases}


def restore_tables(arrays: dict[str, np.ndarray]) -> tuple[HostTables, HostTables]:
    """Writable float32 tables from :func:`state_arrays`'s layout (refused if shapes disagree).

    Examples
    --------
    >>> arrays = state_arrays(*init_tables(seed=1, n_words=2, dim=3))
    >>> params, accumulators = restore_tables(arrays)
    >>> bool(np.array_equal(params.vectors, arrays["vectors"])), params.vectors.flags.writeable
    (True, True)
    >>> restore_tables(dict(arrays, opt_001=np.ones(3)))
    Traceback (most recent call last):
    ...
    ValueError: optimizer state does not match the model's shape
    """
    def table(name):
        return np.array(arrays[name], dtype=np.float32, order="C")

    params = HostTables(table("vectors"), table("biases"))
    accumulators = HostTables(table("opt_000"), table("opt_001"))
    if any(a.shape != p.shape for a, p in zip(accumulators, params)) or params.vectors.ndim != 2 \
            or params.biases.shape != params.vectors.shape[:1]:
        raise ValueError("optimizer state does not match the model's shape")
    return params, accumulators
