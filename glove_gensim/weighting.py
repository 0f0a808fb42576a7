"""GloVe's weighting function, shared by the JAX engine and the CPU engine.

It is written with array methods only, so the same formula serves NumPy arrays (the CPU engine's
host preparation, which never imports JAX) and JAX arrays inside a jitted epoch (no host round
trip: a JAX array stays a JAX array).
"""
from __future__ import annotations

from typing import TypeVar

Array = TypeVar("Array")


def weighting(x: Array, x_max: float, alpha: float) -> Array:
    """GloVe's weighting ``f(x) = min(1, (x / x_max) ** alpha)``, elementwise, shape and array
    type of ``x``.

    Parameters
    ----------
    x : numpy.ndarray or jax.Array
        Co-occurrence counts (positive).
    x_max : float
        The count from which the weight is 1.
    alpha : float
        The exponent below ``x_max``.

    Examples
    --------
    >>> import numpy as np
    >>> weighting(np.array([1.0, 100.0, 1000.0]), x_max=100.0, alpha=0.75)
    array([0.03162278, 1.        , 1.        ])
    """
    return ((x / x_max) ** alpha).clip(max=1.0)
