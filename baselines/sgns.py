"""``SkipGramNS``: word2vec's skip-gram with negative sampling in JAX, on glove_gensim's corpus,
vocabulary and model lifecycle — the baseline GloVe is compared with.

The algorithm is word2vec's as gensim defines it (``Word2Vec(sg=1, hs=0)``): frequent-word
subsampling with gensim's keep probability, a reduced random window per centre word, negatives
from unigram^``ns_exponent``, input vectors initialised uniform in ``[-0.5, 0.5] / dim`` and output
vectors at 0, a learning rate decaying linearly from ``alpha`` to ``min_alpha`` within each
``train()`` call (gensim's schedule, :func:`baselines.schedule.rate_at`, on both engines),
the log-sigmoid loss. Two engines train it: ``"cpu"`` runs word2vec's own pair-by-pair update in
compiled threads (:mod:`baselines.sgns_cpu`); on ``"jax"`` what differs is how the SGD steps are
batched (see :mod:`baselines.sgns_core`): pairs of an epoch are trained ``batch_size`` at a time (in corpus
order, or shuffled), all from the same parameters,
the pairs of a group of ``group_size`` share their negatives, and a row's summed step in a batch can
be bounded by ``max_row_steps``.
"""
from __future__ import annotations

import logging
import math
import os
from functools import cached_property
from typing import Any, Iterable

import jax
import jax.numpy as jnp
import numpy as np

from baselines import sgns_core as core
from baselines import sgns_cpu
from baselines.schedule import call_progress, rate_at
from baselines.pairs import keep_probabilities, negative_table, skipgram_pairs
from glove_gensim.corpus import Corpus
from glove_gensim.embedding import EmbeddingModel, export_table
from glove_gensim.engine import resolve_engine
from glove_gensim.validation import check_int, check_positive
from glove_gensim.progress import progress_bar
from glove_gensim.vocab import Vocabulary

logger = logging.getLogger(__name__)

_ENCODE_TOKENS = 1 << 20


class SkipGramNS(EmbeddingModel):
    """Skip-gram with negative sampling (Mikolov et al., 2013) in JAX, shaped like gensim's
    ``Word2Vec(sg=1)``.

    Parameters
    ----------
    sentences : iterable of list of str, optional
        Token lists (gensim's ``sentences``); with a corpus the model trains at once.
    corpus_file : path, optional
        A text file or a directory of text files (read with ``corpus_options``).
    window : int
        Largest context distance; each centre word draws its window uniformly in ``1..window``.
    negative : int
        Negative samples per (centre, context) pair.
    ns_exponent : float
        Negatives are drawn with probability proportional to ``count ** ns_exponent``.
    sample : float
        Frequent-word subsampling threshold (0: none). On a tiny corpus an epoch may keep no pair
        (gensim's own ``common_texts`` with ``min_count=1``): that epoch changes nothing and logs a
        warning, as gensim trains on.
    alpha, min_alpha : float
        Learning rate at the start and at the end of each :meth:`train` call (linear decay over
        the epochs of that call, as gensim's); :attr:`learning_rate` is ``alpha``, halved by
        divergence restarts. ``min_alpha_yet_reached`` is the rate at the end of the last epoch.
    sg, hs : int
        gensim's ``sg=1`` (skip-gram) and ``hs=0`` (negative sampling), accepted so gensim
        scripts run; this model is only that (any other value is an error naming gensim's
        ``Word2Vec``).
    batch_size : int
        Pairs per SGD update.
    group_size : int
        Pairs sharing one draw of ``shared_negatives`` negatives (divides ``batch_size``).
    shared_negatives : int
        Negatives drawn per group, each weighted ``negative / shared_negatives``.
        ``group_size=1, shared_negatives=negative`` is word2vec's own per-pair sampling.
    max_row_steps : float
        A row hit ``n`` times in a batch (in pair-equivalents) has its summed update divided by
        ``max(1, n / max_row_steps)``; 0 (default) disables the bound.
    shuffle : bool
        Shuffle each epoch's pairs over the whole corpus. Default ``False``: pairs come in corpus
        order, as word2vec and gensim train (measured on political.txt, corpus order gave
        SimLex-999 0.148 against 0.104 shuffled, at equal WordSim-353).
    **shared
        The parameters every model takes (:class:`~glove_gensim.embedding.EmbeddingModel`):
        ``vector_size``, ``min_count``, ``max_vocab_size``, ``max_final_vocab``, ``epochs``
        (here 5), ``seed``, ``export`` (here ``"input"``: word2vec's and gensim's ``wv``, the
        default; ``"input+output"``; ``"output"``; ``"concat"``), ``callbacks``,
        ``compute_loss``, ``corpus_options``, ``progress``, ``checkpoint_dir``,
        ``checkpoint_every``, ``on_divergence``, ``max_restarts``, ``vocabulary`` (e.g.
        ``glove.vocabulary``, to train over the same words; kept when a corpus comes later),
        ``engine``, ``workers``, ``trim_rule``:
        ``engine="cpu"`` trains with word2vec's sequential update in compiled Hogwild threads
        (:mod:`baselines.sgns_cpu`; ``batch_size``, ``group_size``, ``shared_negatives``,
        ``max_row_steps`` and ``shuffle`` do not apply); ``"jax"``, the batched JAX trainer above
        (accelerators); ``"auto"`` (default), ``"jax"`` when JAX sees an accelerator, else
        ``"cpu"``. ``workers``: threads of the CPU engine (default: every available core);
        ``workers=1`` is deterministic for a seed, with more threads results depend on how the
        threads interleave, as gensim's do.

    Examples
    --------
    >>> from gensim.test.utils import common_texts
    >>> model = SkipGramNS(common_texts, vector_size=8, window=2, min_count=1, epochs=2, sample=0,
    ...                    batch_size=64, group_size=8, shared_negatives=4)
    >>> model.wv.vectors.shape, len(model.loss_history)
    ((12, 8), 2)
    >>> same_words = SkipGramNS(common_texts, vocabulary=model.vocabulary, vector_size=8, epochs=1,
    ...                         sample=0, batch_size=64, group_size=8, shared_negatives=4)
    >>> same_words.wv.index_to_key == model.wv.index_to_key
    True
    """

    _file_kind = "baselines.sgns_model"
    _rate_name = "alpha"
    _exports = {"input": "word", "input+output": "sum", "output": "context", "concat": "concat"}

    def __init__(self, sentences: Iterable | None = None, corpus_file: str | os.PathLike | None = None, *,
                 window: int = 5, negative: int = 5, ns_exponent: float = 0.75, sample: float = 1e-3,
                 alpha: float = 0.025, min_alpha: float = 0.0001, batch_size: int = 1024,
                 group_size: int = 64, shared_negatives: int = 16, max_row_steps: float = 0.0,
                 shuffle: bool = False, sg: int = 1, hs: int = 0, **shared: Any) -> None:
        self.window = window
        self.negative = negative
        self.ns_exponent = ns_exponent
        self.sample = sample
        self.alpha = alpha
        self.min_alpha = min_alpha
        self.batch_size = batch_size
        self.group_size = group_size
        self.shared_negatives = shared_negatives
        self.max_row_steps = max_row_steps
        self.shuffle = shuffle
        self.sg = sg
        self.hs = hs
        self.min_alpha_yet_reached = alpha
        self._vectors = None
        self._ids = self._doc_starts = None
        self._keep = self._table = None
        self._prefetched = None
        self._rate_scale = 1.0
        super().__init__(sentences, corpus_file, **shared)

    # ----- validation --------------------------------------------------------------------------
    def _validate(self) -> None:
        for name, value, means in (("sg", self.sg, 1), ("hs", self.hs, 0)):
            if isinstance(value, bool) or value != means:
                raise ValueError(f"SkipGramNS is skip-gram with negative sampling: {name} must be {means} "
                                 f"(gensim's sg=1, hs=0), not {value!r}; for CBOW or hierarchical softmax "
                                 f"use gensim.models.Word2Vec(..., {name}={value!r})")
        check_int("window", self.window, 1)
        check_int("negative", self.negative, 1)
        check_int("batch_size", self.batch_size, 1)
        check_int("group_size", self.group_size, 1)
        check_int("shared_negatives", self.shared_negatives, 1)
        check_positive("alpha", self.alpha)
        check_positive("min_alpha", self.min_alpha)
        check_positive("sample", self.sample, allow_zero=True)
        check_positive("max_row_steps", self.max_row_steps, allow_zero=True)
        if isinstance(self.ns_exponent, bool) or not isinstance(self.ns_exponent, (int, float, np.integer, np.floating)) \
                or not math.isfinite(self.ns_exponent):
            raise ValueError(f"ns_exponent must be a finite number, not {self.ns_exponent!r}")
        if not isinstance(self.shuffle, (bool, np.bool_)):
            raise ValueError(f"shuffle must be True or False, not {self.shuffle!r}")
        if self.min_alpha > self.alpha:
            raise ValueError(f"min_alpha ({self.min_alpha}) must not exceed alpha ({self.alpha})")
        if self.batch_size % self.group_size:
            raise ValueError(f"group_size ({self.group_size}) must divide batch_size ({self.batch_size}); "
                             f"e.g. SkipGramNS(..., batch_size=4096, group_size=64)")

    @property
    def step_config(self) -> core.StepConfig:
        """The static shape of the batched update (:class:`baselines.sgns_core.StepConfig`).

        Examples
        --------
        >>> SkipGramNS(batch_size=64, group_size=8, shared_negatives=4).step_config
        StepConfig(batch_size=64, group_size=8, shared_negatives=4, negative=5, max_row_steps=0.0, scatter='add')
        """
        return core.StepConfig(int(self.batch_size), int(self.group_size), int(self.shared_negatives),
                               int(self.negative), float(self.max_row_steps), "add")

    @cached_property
    def resolved_engine(self) -> str:
        """``"jax"`` or ``"cpu"``: the engine that trains (``engine="auto"`` resolved at first use)."""
        return resolve_engine(self.engine)

    @property
    def learning_rate(self) -> float:
        """The starting rate in use: ``alpha``, halved after each divergence restart
        (``on_divergence="restart"``); ``min_alpha`` is scaled alike.

        Examples
        --------
        >>> model = SkipGramNS(alpha=0.04, min_alpha=0.001)
        >>> model.learning_rate
        0.04
        >>> model.learning_rate = 0.02  # what a divergence restart does
        >>> model.learning_rate, model.alpha
        (0.02, 0.04)
        """
        return self.alpha * self._rate_scale

    @learning_rate.setter
    def learning_rate(self, value: float) -> None:
        check_positive("learning_rate", value)
        self._rate_scale = float(value) / self.alpha

    # ----- data --------------------------------------------------------------------------------
    def build_vocab(self, sentences: Iterable | None = None, corpus_file: str | os.PathLike | None = None,
                    vocabulary: Vocabulary | None = None, **options: Any) -> "SkipGramNS":
        """As :meth:`EmbeddingModel.build_vocab`; a ``vocabulary`` given to the constructor is kept
        when a corpus comes later (``SkipGramNS(vocabulary=v).train(corpus)`` trains over ``v``).

        Examples
        --------
        >>> from gensim.test.utils import common_texts
        >>> vocabulary = Vocabulary(["graph", "trees", "user"], [3, 3, 3])
        >>> model = SkipGramNS(vocabulary=vocabulary, vector_size=8, sample=0, batch_size=64, group_size=8,
        ...                    shared_negatives=4)
        >>> model.build_vocab(common_texts).vocabulary is vocabulary
        True
        """
        if vocabulary is None and self._given_vocabulary is not None and not options.get("update"):
            vocabulary = self._given_vocabulary
        return super().build_vocab(sentences, corpus_file, vocabulary, **options)

    def _prepare_data(self, corpus: Corpus | None) -> None:
        if corpus is None:
            self._ids = self._doc_starts = None
        else:
            self._ids, self._doc_starts = self._encode(corpus)
            if len(self._ids) < 2:
                raise ValueError("the corpus holds fewer than two in-vocabulary tokens: nothing to train on")
        self._setup_tables()

    def _encode(self, corpus: Corpus) -> tuple[np.ndarray, np.ndarray]:
        """All documents as ``(ids int32, doc_starts int64)``, encoded chunk by chunk."""
        id_parts, start_parts, offset = [], [np.zeros(1, dtype=np.int64)], 0
        chunk, size = [], 0
        with progress_bar(self.progress, "encode") as bar:
            for document in corpus:
                chunk.append(document)
                size += len(document)
                if size >= _ENCODE_TOKENS:
                    offset = self._encode_chunk(chunk, id_parts, start_parts, offset)
                    bar.update(size)
                    chunk, size = [], 0
            if chunk:
                self._encode_chunk(chunk, id_parts, start_parts, offset)
                bar.update(size)
        ids = np.concatenate(id_parts) if id_parts else np.zeros(0, dtype=np.int32)
        return ids.astype(np.int32, copy=False), np.concatenate(start_parts)

    def _encode_chunk(self, chunk, id_parts, start_parts, offset: int) -> int:
        ids, starts = self.vocabulary.encode(chunk)
        id_parts.append(ids)
        start_parts.append(starts[1:] + offset)
        return offset + len(ids)

    def _setup_tables(self) -> None:
        self._keep = keep_probabilities(self.vocabulary.counts, self.sample)
        self._table = jnp.asarray(negative_table(self.vocabulary.counts, self.ns_exponent), dtype=jnp.int32)
        self._prefetched = None

    def _init_state(self) -> None:
        self._vectors = core.init_vectors(jax.random.PRNGKey(self.seed), len(self.vocabulary), self.vector_size)

    def _grow_state(self, n_old: int, vocabulary) -> None:
        """New rows start as a fresh model's of that size (same seed); existing rows kept."""
        from glove_gensim.embedding import grow_stacked

        fresh = np.asarray(core.init_vectors(jax.random.PRNGKey(self.seed), len(vocabulary), self.vector_size))
        self._vectors = jnp.asarray(grow_stacked(np.asarray(self._vectors), n_old, fresh))

    def _seed_pretrained(self, found) -> None:
        """Input vectors of the words found start at their pretrained vector (as gensim's
        ``intersect_word2vec_format``); output vectors start as without ``init_vectors`` (zeros)."""
        table = np.array(self._vectors, copy=True)
        table[found.index] = found.vectors
        self._vectors = jnp.asarray(table)

    # ----- training ----------------------------------------------------------------------------
    def _pairs_seed(self, epoch: int) -> int:
        return int(np.random.SeedSequence([self.seed, epoch]).generate_state(1)[0])

    def _epoch_pairs(self, epoch: int):
        """Padded device pairs of ``epoch`` and their count (made on the host)."""
        if self._prefetched is not None and self._prefetched[0] == epoch:
            return self._prefetched[1]
        centres, contexts, _ = skipgram_pairs(self._ids, self._doc_starts, self._keep, self.window,
                                              self._pairs_seed(epoch), shuffle=self.shuffle)
        padded_c, padded_o = core.pad_pairs(centres, contexts, self.batch_size)
        return jnp.asarray(padded_c), jnp.asarray(padded_o), len(centres)

    def _rate(self, epoch: float) -> float:
        """Learning rate at (fractional, global) epoch ``epoch``: gensim's schedule within the
        current :meth:`train` call (:func:`baselines.schedule.rate_at`), scaled by divergence
        restarts. Every engine takes an epoch's rates as ``_rate(epoch)`` and ``_rate(epoch + 1)``.

        Examples
        --------
        >>> from gensim.test.utils import common_texts
        >>> model = SkipGramNS(common_texts, min_count=1, vector_size=8, epochs=2, alpha=0.02, min_alpha=0.01,
        ...                    batch_size=64, group_size=8, shared_negatives=4)
        >>> model.train(epochs=2)._rate(2), model._rate(3), model._rate(4)  # the second call starts again
        (0.02, 0.015, 0.01)
        """
        start, epochs = self._call_epochs
        return rate_at(call_progress(epoch, start, epochs), self.alpha, self.min_alpha) * self._rate_scale

    def _training_summary(self) -> str:
        return (f"sg={self.sg} hs={self.hs} sample={self.sample} negative={self.negative} window={self.window} "
                f"alpha={self.alpha} min_alpha={self.min_alpha} engine={self.engine}")

    def _no_pairs(self, epoch: int) -> tuple[float, int]:
        """An epoch whose subsampling kept no pair: nothing to train (gensim trains on)."""
        logger.warning("SkipGramNS epoch %d: subsampling (sample=%g) kept no pair on this corpus, so the "
                       "epoch changes nothing; lower sample (or sample=0) on a corpus this small",
                       epoch + 1, self.sample)
        self.min_alpha_yet_reached = self._rate(epoch + 1)
        return 0.0, 0

    def _run_epoch(self, epoch: int) -> tuple[float, int]:
        if self._ids is None:
            raise ValueError("SkipGramNS has a vocabulary but no corpus: train(sentences) or "
                             "train(corpus_file=path), or build_vocab(corpus, vocabulary=vocabulary) first")
        if self.resolved_engine == "cpu":  # both engines take the epoch's rates from _rate (per train call)
            self._vectors, loss, n_pairs = sgns_cpu.run_epoch(
                self._vectors, self._ids, self._doc_starts, self._keep, self._table,
                sgns_cpu.CpuConfig(self.window, self.negative, self.workers), self._rate(epoch),
                self._rate(epoch + 1), self.seed, epoch)
        else:
            loss, n_pairs = self._run_jax_epoch(epoch)
        if n_pairs == 0:
            return self._no_pairs(epoch)
        self.min_alpha_yet_reached = self._rate(epoch + 1)
        return float(loss) / n_pairs, n_pairs

    def _run_jax_epoch(self, epoch: int) -> tuple[Any, int]:
        """One epoch of the batched JAX trainer: (summed loss, pairs); nothing runs without pairs."""
        centres, contexts, n_pairs = self._epoch_pairs(epoch)
        if n_pairs == 0:
            return 0.0, 0
        key = jax.random.fold_in(jax.random.PRNGKey(self.seed), epoch)
        self._vectors, loss = core.run_epoch(
            self._vectors, centres, contexts, jnp.int32(n_pairs), key, self._table,
            jnp.float32(self._rate(epoch)), jnp.float32(self._rate(epoch + 1)), self.step_config)
        # The device trains asynchronously: make the next epoch's pairs meanwhile.
        self._prefetched = None
        if epoch + 1 < sum(self._call_epochs):
            self._prefetched = (epoch + 1, self._epoch_pairs(epoch + 1))
        return loss, n_pairs

    def _divergence_message(self, epoch: int, loss: float) -> str:
        if self.resolved_engine == "cpu":
            return sgns_cpu.divergence_message(epoch, loss, self.alpha)
        return (f"SkipGramNS diverged: the loss became {loss} in epoch {epoch + 1} with alpha={self.alpha}, "
                f"batch_size={self.batch_size}, max_row_steps={self.max_row_steps}; the model keeps the "
                f"parameters of epoch {epoch}. Train again with a smaller batch_size or max_row_steps "
                f"(e.g. SkipGramNS(..., max_row_steps=16)).")

    def _snapshot(self):
        return self._vectors.copy() if isinstance(self._vectors, np.ndarray) else self._vectors

    def _rollback(self, snapshot) -> None:
        self._vectors = snapshot

    # ----- vectors and files -------------------------------------------------------------------
    @property
    def input_vectors(self) -> np.ndarray:
        """word2vec's ``syn0``, ``[V, vector_size]`` (what ``wv`` holds by default).

        Examples
        --------
        >>> from gensim.test.utils import common_texts
        >>> model = SkipGramNS(common_texts, vector_size=8, window=2, min_count=1, epochs=2, sample=0,
        ...                    batch_size=64, group_size=8, shared_negatives=4)
        >>> np.array_equal(model.input_vectors, model.wv.vectors)
        True
        """
        return np.array(export_table(self._stacked_vectors(), len(self.vocabulary), "word"))

    @property
    def output_vectors(self) -> np.ndarray:
        """word2vec's ``syn1neg``, ``[V, vector_size]`` (initialised at 0).

        Examples
        --------
        >>> from gensim.test.utils import common_texts
        >>> model = SkipGramNS(vector_size=8, window=2, min_count=1, sample=0, batch_size=64, group_size=8,
        ...                    shared_negatives=4).build_vocab(common_texts)
        >>> model.output_vectors.shape, float(abs(model.output_vectors).max())
        ((12, 8), 0.0)
        """
        return np.array(export_table(self._stacked_vectors(), len(self.vocabulary), "context"))

    def _stacked_vectors(self) -> np.ndarray:
        return np.asarray(self._vectors)

    def _data_arrays(self) -> dict[str, np.ndarray]:
        if self._ids is None:
            return {}
        return {"ids": self._ids, "doc_starts": self._doc_starts}

    def _state_arrays(self) -> dict[str, np.ndarray]:
        if self._ids is None:
            raise ValueError("SkipGramNS has no corpus yet: nothing to save")
        return {"vectors": np.asarray(self._vectors), **self._data_arrays()}

    def _restore_state(self, arrays: dict[str, np.ndarray]) -> None:
        vectors = arrays["vectors"]
        if vectors.shape != (2 * len(self.vocabulary), self.vector_size):
            raise ValueError(f"vectors of shape {vectors.shape} do not fit {len(self.vocabulary)} words "
                             f"of dimension {self.vector_size}")
        self._vectors = jnp.asarray(vectors)
        self._ids = np.asarray(arrays["ids"], dtype=np.int32)
        self._doc_starts = np.asarray(arrays["doc_starts"], dtype=np.int64)
        if len(self._ids) and (self._ids.min() < 0 or self._ids.max() >= len(self.vocabulary)):
            raise ValueError("token ids outside the vocabulary")
        self._setup_tables()
