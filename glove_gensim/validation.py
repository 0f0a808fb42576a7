"""Argument checks shared by every public constructor: clear ``ValueError`` before any work."""
from __future__ import annotations

import math
from typing import Any

import numpy as np


def check_int(name: str, value: Any, minimum: int, allow_none: bool = False) -> None:
    """Raise ``ValueError`` unless ``value`` is an int >= ``minimum`` (or None when allowed).

    Examples
    --------
    >>> check_int("window", 10, 1)
    >>> check_int("window", 0, 1)
    Traceback (most recent call last):
    ...
    ValueError: window must be an integer >= 1, not 0
    """
    if value is None and allow_none:
        return
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, not {value!r}")


def check_positive(name: str, value: Any, allow_zero: bool = False) -> None:
    """Raise ``ValueError`` unless ``value`` is a finite positive number.

    Examples
    --------
    >>> check_positive("sample", 0.0, allow_zero=True)
    >>> check_positive("alpha", float("nan"))
    Traceback (most recent call last):
    ...
    ValueError: alpha must be a finite number > 0, not nan
    """
    ok = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
    ok = ok and math.isfinite(value) and (value >= 0 if allow_zero else value > 0)
    if not ok:
        raise ValueError(f"{name} must be a finite number {'>= 0' if allow_zero else '> 0'}, not {value!r}")
