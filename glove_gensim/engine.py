"""Which engine trains a model: ``"jax"`` (accelerators; the numerical reference) or ``"cpu"``
(compiled per-entry loops with numba, threads sharing the tables lock-free as glove.c does).

``"auto"`` picks ``"jax"`` when JAX can see an accelerator and ``"cpu"`` otherwise. The check does
not import JAX when no accelerator plugin (CUDA, ROCm, TPU) is installed, so CPU-only runs never pay
for loading it.

Examples
--------
>>> resolve_engine("cpu")
'cpu'
>>> resolve_workers(1)
1
>>> resolve_engine("gpu")
Traceback (most recent call last):
...
ValueError: engine must be one of ('auto', 'jax', 'cpu'), not 'gpu'
"""
from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import logging
import os
import sys
from typing import Any

from glove_gensim.validation import check_int

logger = logging.getLogger(__name__)

ENGINES = ("auto", "jax", "cpu")
_ACCELERATOR_MODULES = ("libtpu",)


def _accelerator_plugin_installed() -> bool:
    """Whether a JAX accelerator plugin (``jax_plugins`` entry point, or libtpu) is installed."""
    if importlib.metadata.entry_points(group="jax_plugins"):
        return True
    return any(importlib.util.find_spec(name) is not None for name in _ACCELERATOR_MODULES)


def accelerator_platform() -> str | None:
    """The platform of JAX's default backend (``"gpu"``, ``"tpu"``...) or ``None`` on a CPU-only
    machine.

    Examples
    --------
    >>> accelerator_platform() in (None, "gpu", "tpu", "rocm")
    True
    """
    if not _accelerator_plugin_installed():
        return None
    import jax

    platform = jax.default_backend()
    return None if platform == "cpu" else platform


def resolve_engine(engine: str) -> str:
    """``"jax"`` or ``"cpu"`` for ``engine`` (one of :data:`ENGINES`); ``"auto"`` is resolved and
    the choice logged with its reason.

    Examples
    --------
    >>> resolve_engine("jax")
    'jax'
    >>> resolve_engine("auto") in ("jax", "cpu")
    True
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, not {engine!r}")
    if engine != "auto":
        return engine
    platform = accelerator_platform()
    if platform is None:
        logger.info("engine='auto': no accelerator visible to JAX, training with the compiled CPU engine")
        return "cpu"
    logger.info("engine='auto': JAX sees a %s, training with the JAX engine", platform)
    return "jax"


def available_cores() -> int:
    """CPU cores this process may run on.

    Examples
    --------
    >>> available_cores() >= 1
    True
    """
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def resolve_workers(workers: int | None) -> int:
    """Threads for the CPU engine: ``workers``, or every available core when ``None``.

    Examples
    --------
    >>> resolve_workers(2)
    2
    >>> resolve_workers(None) == available_cores()
    True
    """
    check_int("workers", workers, 1, allow_none=True)
    return available_cores() if workers is None else int(workers)


class _LazyModule:
    """A module imported on first attribute access (see :func:`lazy_module`)."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        return getattr(importlib.import_module(self._name), attribute)

    def __repr__(self) -> str:
        return f"<lazy module {self._name!r}>"


def lazy_module(name: str) -> Any:
    """``name``, imported when first used: modules that serve both engines name JAX this way,
    so a CPU-engine run never loads it.

    Examples
    --------
    >>> json = lazy_module("json")
    >>> json
    <lazy module 'json'>
    >>> json.dumps([1])
    '[1]'
    """
    return _LazyModule(name)


def is_optax_transformation(value: Any) -> bool:
    """Whether ``value`` is an ``optax.GradientTransformation`` (without importing optax: one
    cannot exist before optax is imported).

    Examples
    --------
    >>> is_optax_transformation("adam")
    False
    >>> import optax
    >>> is_optax_transformation(optax.sgd(0.1))
    True
    """
    optax = sys.modules.get("optax")
    return optax is not None and isinstance(value, optax.GradientTransformation)


def estimate_bytes(n_words: int, dim: int, nnz: int, batch_size: int, optax_slots: int = 0) -> int:
    """Device memory an epoch needs: entries, tables with their optimizer state, batch temporaries.

    ``optax_slots`` is the number of table-sized buffers an optax optimizer keeps (2 for Adam).

    Examples
    --------
    >>> estimate_bytes(n_words=1000, dim=50, nnz=10**6, batch_size=1024)
    20912768
    """
    padded = nnz + (-nnz) % batch_size
    tables = 2 * n_words * (dim + 1) * 4 * (2 + max(optax_slots, 1))
    batch = 2 * batch_size * dim * 4 * 6
    return padded * 16 + tables * 2 + batch
