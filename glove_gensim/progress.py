"""tqdm progress bars that cost nothing when switched off."""
from __future__ import annotations

import contextlib
from typing import Iterator


class _NoBar:
    """Stands in for a tqdm bar when progress is off."""

    def update(self, n: int = 1) -> None:
        """Ignore progress."""

    def set_postfix(self, *args, **kwargs) -> None:
        """Ignore postfix values."""


@contextlib.contextmanager
def progress_bar(enabled: bool, desc: str, unit: str = "tok", total: int | None = None) -> Iterator:
    """A tqdm bar on stderr (``enabled=True``) or a no-op object with the same methods.

    Parameters
    ----------
    enabled : bool
        Show the bar.
    desc : str
        Label on the left of the bar.
    unit : str
        Unit counted (tokens by default; rates show as ``tok/s``).
    total : int, optional
        Expected total, when known.

    Examples
    --------
    >>> with progress_bar(False, "vocabulary") as bar:  # enabled=True draws the bar on stderr
    ...     bar.update(1000)
    """
    if not enabled:
        yield _NoBar()
        return
    from tqdm.auto import tqdm

    with tqdm(desc=desc, unit=unit, unit_scale=True, total=total, leave=True, mininterval=0.5) as bar:
        yield bar
