"""Per-epoch training curves: seconds, loss and cheap similarity scores, through gensim's hooks.

:class:`CurveRecorder` is a callback with gensim's four hooks, so the same object records our
:class:`~glove_gensim.model.GloVe` and :class:`~baselines.sgns.SkipGramNS` and gensim's own
``Word2Vec``. After each epoch it stores a :class:`CurvePoint`: the cumulative training seconds
(the model's own ``epoch_seconds`` when it keeps them, else the time from ``on_epoch_begin`` to
``on_epoch_end``, so the recorder's own scoring is never counted), the epoch's loss (our models'
mean loss; gensim's cumulative ``get_latest_training_loss()`` differenced into the epoch's sum)
and Spearman's rho on each similarity set. The pair rows are looked up once, at the first
epoch; each epoch then costs one gather and one row-wise dot product per set.

Examples
--------
>>> from gensim.models import Word2Vec
>>> from gensim.test.utils import common_texts
>>> from evaluation.similarity import WordPairs
>>> pairs = WordPairs("toy", "toy", [("human", "computer"), ("graph", "trees"), ("user", "system"),
...                                  ("eps", "time")], np.array([1.0, 8.0, 6.0, 2.0]))
>>> recorder = CurveRecorder([pairs])
>>> model = Word2Vec(common_texts, vector_size=8, min_count=1, epochs=3, seed=1, workers=1,
...                  compute_loss=True, callbacks=[recorder])
>>> [p.epoch for p in recorder.points], sorted(recorder.points[-1].scores)
([1, 2, 3], ['toy'])
>>> all(p.loss > 0 for p in recorder.points)
True
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Sequence

import numpy as np
from scipy import stats

from evaluation._vocab import fold, lookup_keys
from evaluation.similarity import WordPairs

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CurvePoint:
    """One epoch of a training curve: cumulative seconds, the epoch's loss, Spearman per similarity set.

    Examples
    --------
    >>> CurvePoint(epoch=1, seconds=0.5, loss=0.12, scores={"wordsim353": 0.31}).to_dict()
    {'epoch': 1, 'seconds': 0.5, 'loss': 0.12, 'scores': {'wordsim353': 0.31}}
    """

    epoch: int
    seconds: float
    loss: float | None
    scores: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        return {"epoch": self.epoch, "seconds": self.seconds, "loss": self.loss, "scores": dict(self.scores)}


@dataclass(frozen=True)
class PairRows:
    """The covered pairs of one similarity set as vocabulary rows (looked up once, by :func:`pair_rows`).

    Examples
    --------
    >>> pairs = WordPairs("toy", "toy", [("Cat", "dog"), ("cat", "zebra")], np.array([7.0, 2.0]))
    >>> rows = pair_rows(pairs, ["dog", "cat"])
    >>> rows.rows_a, rows.rows_b, rows.gold
    (array([1]), array([0]), array([7.]))
    """

    name: str
    rows_a: np.ndarray
    rows_b: np.ndarray
    gold: np.ndarray


def pair_rows(pairs: WordPairs, keys: Sequence, *, case_insensitive: bool = True) -> PairRows:
    """Rows of the pairs whose two words are known (gensim's case folding).

    Examples
    --------
    >>> wp = WordPairs("t", "t", [("a", "b"), ("a", "zz")], np.array([1.0, 2.0]))
    >>> pair_rows(wp, ["a", "b"]).rows_b
    array([1])
    """
    lookup = lookup_keys(list(keys), None, case_insensitive)
    a, b, keep = [], [], []
    for i, (x, y) in enumerate(pairs.pairs):
        ia, ib = lookup.get(fold(x, case_insensitive)), lookup.get(fold(y, case_insensitive))
        if ia is not None and ib is not None:
            a.append(ia)
            b.append(ib)
            keep.append(i)
    return PairRows(pairs.name, np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64),
                    pairs.gold[np.asarray(keep, dtype=np.int64)])


def pair_spearman(vectors: np.ndarray, rows: PairRows) -> float:
    """Spearman's rho of the pairs' cosines with the gold scores (NaN under 3 pairs).

    Examples
    --------
    >>> v = np.array([[1.0, 0.0], [1.0, 0.1], [0.0, 1.0], [1.0, 1.0]])
    >>> r = PairRows("t", np.array([0, 0, 0]), np.array([1, 2, 3]), np.array([9.0, 1.0, 5.0]))
    >>> pair_spearman(v, r)
    1.0
    """
    if len(rows.gold) < 3:
        return float("nan")
    va = np.asarray(vectors[rows.rows_a], dtype=np.float64)
    vb = np.asarray(vectors[rows.rows_b], dtype=np.float64)
    norms = np.linalg.norm(va, axis=1) * np.linalg.norm(vb, axis=1)
    cosine = np.einsum("ij,ij->i", va, vb) / np.where(norms > 0, norms, 1.0)
    if np.ptp(cosine) == 0:
        return float("nan")
    return float(stats.spearmanr(rows.gold, cosine).statistic)


def _default_vectors(model) -> tuple[list, np.ndarray]:
    """(keys, vectors) the model exports now: ``model.wv``."""
    wv = model.wv
    return wv.index_to_key, wv.vectors


@dataclass
class CurveRecorder:
    """A training callback recording one :class:`CurvePoint` per epoch.

    Parameters
    ----------
    similarity_sets : sequence of WordPairs
        Sets scored after every epoch (already read, e.g. with :func:`read_word_pairs`).
    vectors : callable, optional
        ``vectors(model) -> (keys, array [V, dim])``; default the model's ``wv``.
    case_insensitive : bool
        gensim's case folding of the pairs.

    Attributes
    ----------
    points : list of CurvePoint
    train_started : float or None
        ``time.perf_counter()`` at the first ``on_train_begin`` (preparation before it, such as
        reading the corpus, can be added to the curve's seconds with :meth:`shifted`).

    Examples
    --------
    The hooks as one of our models calls them (it keeps ``loss_history`` and ``epoch_seconds``):

    >>> from types import SimpleNamespace
    >>> from gensim.models import KeyedVectors
    >>> wv = KeyedVectors(2)
    >>> wv.add_vectors(["a", "b", "c", "d"], np.array([[1.0, 0.0], [1.0, 0.1], [0.0, 1.0], [1.0, 1.0]]))
    >>> recorder = CurveRecorder([WordPairs("t", "t", [("a", "b"), ("a", "c"), ("a", "d")], np.array([9.0, 1.0, 5.0]))])
    >>> model = SimpleNamespace(wv=wv, loss_history=[0.5], epoch_seconds=[0.25])
    >>> for hook in (recorder.on_train_begin, recorder.on_epoch_begin, recorder.on_epoch_end):
    ...     hook(model)
    >>> recorder.points
    [CurvePoint(epoch=1, seconds=0.25, loss=0.5, scores={'t': 1.0})]
    """

    similarity_sets: Sequence[WordPairs] = ()
    vectors: Callable[[Any], tuple[list, np.ndarray]] = _default_vectors
    case_insensitive: bool = True
    points: list[CurvePoint] = field(default_factory=list)

    def __post_init__(self) -> None:
        for pairs in self.similarity_sets:
            if not isinstance(pairs, WordPairs):
                raise TypeError(f"similarity_sets must hold WordPairs (read_word_pairs(...)), not "
                                f"{type(pairs).__name__}")
        self._rows: list[PairRows] | None = None
        self._seconds = 0.0
        self._started = 0.0
        self._previous_loss = 0.0
        self.train_started: float | None = None

    def on_train_begin(self, model) -> None:
        self._previous_loss = 0.0  # gensim's running loss restarts at every train() call
        if self.train_started is None:
            self.train_started = time.perf_counter()

    def on_epoch_begin(self, model) -> None:
        self._started = time.perf_counter()

    def on_epoch_end(self, model) -> None:
        elapsed = time.perf_counter() - self._started
        own = getattr(model, "epoch_seconds", None)
        self._seconds = float(sum(own)) if own else self._seconds + elapsed
        keys, vectors = self.vectors(model)
        if self._rows is None:
            self._rows = [pair_rows(p, keys, case_insensitive=self.case_insensitive)
                          for p in self.similarity_sets]
        scores = {rows.name: pair_spearman(vectors, rows) for rows in self._rows}
        self.points.append(CurvePoint(epoch=len(self.points) + 1, seconds=self._seconds,
                                      loss=self._epoch_loss(model), scores=scores))

    def on_train_end(self, model) -> None:
        pass

    def shifted(self, seconds: float) -> tuple[CurvePoint, ...]:
        """The points with ``seconds`` added to each one's cumulative seconds (e.g. preparation time).

        Examples
        --------
        >>> r = CurveRecorder()
        >>> r.points.append(CurvePoint(1, 2.0, 0.5, {}))
        >>> r.shifted(1.5)[0].seconds
        3.5
        """
        return tuple(replace(p, seconds=p.seconds + seconds) for p in self.points)

    def _epoch_loss(self, model) -> float | None:
        if hasattr(model, "loss_history"):  # our models: the epoch's mean loss
            return float(model.loss_history[-1]) if model.loss_history else None
        if not getattr(model, "compute_loss", False):
            return None
        total = float(model.get_latest_training_loss())  # gensim: cumulative within train()
        loss, self._previous_loss = total - self._previous_loss, total
        return loss
