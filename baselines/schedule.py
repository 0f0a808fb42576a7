"""The SGNS learning-rate schedule, one pure function shared by every engine.

gensim's ``Word2Vec`` decays the learning rate linearly from ``alpha`` to ``min_alpha`` within
each ``train()`` call (``_get_next_alpha``: progress is measured over the epochs of that call), so
a second ``train(epochs=N)`` starts again at ``alpha``. Both SGNS engines take the rates at the
start and the end of an epoch from :func:`rate_at`, with the progress within the current call.
"""
from __future__ import annotations


def rate_at(progress: float, alpha: float, min_alpha: float) -> float:
    """gensim's learning rate after ``progress`` (0..1) of the current ``train()`` call.

    ``alpha - (alpha - min_alpha) * progress``, never below ``min_alpha`` (gensim's
    ``max(end_alpha, next_alpha)``).

    Parameters
    ----------
    progress : float
        Finished fraction of the current call's epochs (``(epoch + epoch_progress) / epochs``).
    alpha, min_alpha : float
        The rates at the start and the end of the call.

    Examples
    --------
    >>> rate_at(0.0, 0.025, 0.0001), rate_at(1.0, 0.025, 0.0001)
    (0.025, 0.0001)
    >>> round(rate_at(0.5, 0.025, 0.0001), 6), rate_at(1.5, 0.025, 0.0001)
    (0.01255, 0.0001)
    """
    return max(min_alpha, alpha - (alpha - min_alpha) * progress)


def call_progress(epoch: float, call_start: int, call_epochs: int) -> float:
    """Progress within a ``train()`` call that began after ``call_start`` epochs and runs
    ``call_epochs``, at (fractional) global epoch ``epoch``, clipped to 0..1.

    Examples
    --------
    >>> call_progress(7, 5, 4), call_progress(9, 5, 4), call_progress(3, 5, 4)
    (0.5, 1.0, 0.0)
    """
    return min(1.0, max(0.0, (epoch - call_start) / call_epochs))
