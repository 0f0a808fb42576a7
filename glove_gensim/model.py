"""``GloVe``: the gensim-style model around the JAX trainer and the compiled CPU engine."""
from __future__ import annotations

import functools
import json
import logging
import os
import warnings
from dataclasses import asdict
from pathlib import Path
from typing import Any, Iterable

import numpy as np

from glove_gensim import cpu_engine, host_blocks, pretrained, rules
from glove_gensim.cooccur import DEFAULT_MEMORY_LIMIT, Cooccurrence, count_cooccurrences, parse_memory
from glove_gensim.corpus import Corpus
from glove_gensim.embedding import EmbeddingModel, corpus_argument, corpus_identity, export_table
from glove_gensim.engine import is_optax_transformation, lazy_module, resolve_workers
from glove_gensim.memory import chunk_slices, format_bytes, release_pages, rss_bytes, work_budget
from glove_gensim.validation import check_int, check_positive
from glove_gensim.vocab import Vocabulary

logger = logging.getLogger(__name__)
jax, jnp, optax = lazy_module("jax"), lazy_module("jax.numpy"), lazy_module("optax")
core, blocks = lazy_module("glove_gensim.train"), lazy_module("glove_gensim.blocks")
multihost = lazy_module("glove_gensim.multihost")

OPTIMIZERS = ("adagrad", "adagrad-glove", "adam", "sgd", "adagrad-optax")
MAX_AUTO_BATCH = 65536
AUTO_BATCH_DUPLICATES = 160
_OPTAX_DEFAULT_RATE = 1e-3
_IN_MEMORY_SHARE, _BLOCK_SHARE, _MIN_BLOCK = 0.5, 0.25, 1 << 12
ALPHA_WARNING_BELOW = 0.2
"""A GloVe ``alpha`` below this looks like a gensim learning rate (see :class:`GloVe`)."""


def auto_batch_size(rows: np.ndarray, cols: np.ndarray, cap: int = MAX_AUTO_BATCH,
                    duplicates: int = AUTO_BATCH_DUPLICATES) -> int:
    """Largest power of two <= ``cap`` at which the busiest row or column holds about
    ``duplicates`` entries of a random batch (and no larger than the data needs).

    A word in ``n`` entries of a batch moves by up to ``sqrt(n)`` clipped steps in the synchronous
    AdaGrad update; bounding ``n`` keeps small vocabularies as stable as large ones.

    Examples
    --------
    >>> rows = np.arange(10_000) % 1000  # each of 1000 words in 10 of 10,000 entries
    >>> auto_batch_size(rows, rows, duplicates=160)
    8192
    >>> auto_batch_size(np.zeros(10_000, int), np.zeros(10_000, int))  # one word in every entry
    128
    """
    nnz = len(rows)
    busiest = max(_busiest(rows), _busiest(cols)) if nnz else 1
    target = min(cap, max(duplicates * nnz // busiest, 1), max(nnz, 1))
    return 1 << max(int(target).bit_length() - 1, 0)


def _busiest(ids: np.ndarray) -> int:
    """The largest count of one id, a slice at a time (pages of a memory map handed back)."""
    counts = np.zeros(0, np.int64)
    for part in chunk_slices(len(ids), 1 << 22):
        found = np.bincount(ids[part])
        if len(found) > len(counts):
            counts = np.pad(counts, (0, len(found) - len(counts)))
        counts[:len(found)] += found
        release_pages(ids)
    return int(counts.max())


class GloVe(EmbeddingModel):
    """GloVe word vectors (Pennington et al., 2014), shaped like gensim's ``Word2Vec``, trained by the
    compiled CPU engine or by JAX.

    **``alpha`` is not a learning rate here.** GloVe's ``alpha`` is the paper's weighting exponent
    (``f(x) = (x / x_max) ** alpha``, 0.75); the learning rate is ``learning_rate=``. gensim users
    know ``alpha`` as the learning rate (0.025), so a value below 0.2 (where every gensim learning
    rate lies and no weighting exponent in the literature does) warns, naming ``learning_rate=``.

    Parameters
    ----------
    sentences : iterable of list of str, optional
        Token lists; with a corpus the model trains at once, as gensim's models do.
    corpus_file : path, optional
        A text file or a directory of text files (read with ``corpus_options``).
    window : int
        Context words on each side counted as co-occurring (a pair at distance d adds 1/d).
    x_max, alpha : float
        Weighting ``f(x) = min(1, (x / x_max) ** alpha)`` (``alpha``: the paper's exponent, not
        gensim's learning rate; see above).
    learning_rate : float, optional
        eta; default 0.05 for the AdaGrad rules, 1e-3 for the optax ones.
    optimizer : str or optax.GradientTransformation, optional
        ``"adagrad-glove"``: glove.c's rule exactly, entry by entry (the CPU engine's default: what
        per-entry training is, and what matches Stanford's ``glove``; on the JAX engine equal to
        glove.c at ``batch_size=1`` and unstable at large batches). ``"adagrad"``: synchronous
        batched AdaGrad with glove.c's scaling, stable at large batches (the JAX engine's default;
        see :mod:`glove_gensim.train`). ``"adam"``, ``"sgd"``, ``"adagrad-optax"``: the optax
        optimizers (``"adam"`` is the seed article's Adam 1e-3), or any
        ``optax.GradientTransformation``: JAX engine only. Default (``None``): the engine's default.
    batch_size : int, optional
        Co-occurrence entries per update (synchronous and JAX rules; the CPU engine's
        ``"adagrad-glove"`` updates per entry and ignores it). Default (``None``): the largest power of two up to
        65,536 at which the busiest word is expected in at most ~160 entries of a batch
        (:func:`auto_batch_size`), which keeps the batched AdaGrad stable on small vocabularies.
    epochs : int
        Passes over the co-occurrence entries.
    symmetric : bool
        Count left and right contexts.
    distance_weighting : bool
        A pair at distance d adds 1/d (else 1).
    memory_limit : int or str
        Bound on the peak memory (RSS) of the process (e.g. ``"2GB"``; ``"+512MB"``: that much
        above what it holds when the work starts), measured at the start of counting and of
        training: counts spill to disk above it (:func:`~glove_gensim.cooccur.count_cooccurrences`),
        and when the CPU engine's entries (16 bytes each) would take more than half of what is
        left, training streams them from disk in blocks (``out_of_core``, chosen automatically,
        logged). ``None``: no limit.
    n_devices : int, optional
        Use this many local devices (default: all).
    shard_tables : bool
        Split the word/context tables and optimizer state by rows over the devices (for
        vocabularies too large for one device) instead of replicating them and splitting batches.
    block_size : int, optional
        Train block by block, at most this many entries on the device at a time (entries are dealt
        once into random blocks; each epoch shuffles the blocks and the entries inside them; the
        CPU engine's order is described in :mod:`glove_gensim.host_blocks`: one block trains
        exactly as the entries in memory).
    out_of_core : bool
        With ``block_size``: keep the blocks in files and stream them (JAX: memory-mapped,
        double-buffered to the device; CPU engine: each block read into one reused buffer), so the
        number of entries is bounded by disk, not memory.
    cooccurrence_cache : path, optional
        Save the vocabulary and counts there, and reuse them when the same corpus and settings
        come again.
    mittens : float
        mu of Mittens (Dingwall & Potts, 2018): adds ``mu * sum_i ||w_i + w~_i - r_i||^2`` over
        the words with a pretrained vector ``r_i`` (``init_vectors=``, required when mu > 0) to
        the cost; 0 (default): plain GloVe. Sparse: one AdaGrad pass over the pretrained rows after
        each epoch's entries (:mod:`glove_gensim.pretrained`); ``loss_history`` then holds the
        total per entry and ``mittens_loss_history`` the Mittens term per entry. AdaGrad
        optimizers only (``"adagrad"``, ``"adagrad-glove"``).
    **shared
        The parameters every model takes (:class:`~glove_gensim.embedding.EmbeddingModel`):
        ``vector_size``, ``min_count``, ``max_vocab_size``, ``max_final_vocab``, ``seed``,
        ``export`` (here ``"sum"``: ``W + W~``, the default; ``"word"``: ``W``; ``"context"``:
        ``W~``; ``"concat"``: ``[W, W~]``), ``callbacks``, ``compute_loss``, ``corpus_options``,
        ``progress``, ``checkpoint_dir``, ``checkpoint_every``, ``on_divergence``,
        ``max_restarts``, ``vocabulary``, ``engine``, ``workers``, ``trim_rule``; for GloVe:

        ``engine``: ``"cpu"``, compiled numba loops over host tables (:mod:`glove_gensim.cpu_engine`),
        without JAX; ``"jax"``, the JAX trainer (accelerators, device sharding, blocks, optax);
        ``"auto"`` (default), ``"jax"`` when JAX sees an accelerator or the settings need JAX (an
        optax optimizer, ``shard_tables``, ``n_devices``), else ``"cpu"``; the log
        says which and why. Both engines start from the same tables for a seed, visit the entries
        in the same order and save the same files.
        ``workers``: CPU engine threads (default: every available core). They share the tables
        without locks, as glove.c's threads do, so with several threads results depend on
        scheduling; with ``workers=1`` they are deterministic (and checkpoints resume bit for bit).

    Examples
    --------
    >>> from gensim.test.utils import common_texts
    >>> model = GloVe(common_texts, vector_size=8, window=2, min_count=1, epochs=3, seed=1)
    >>> model.wv.vectors.shape, model.epochs_trained
    ((12, 8), 3)
    >>> model.wv.index_to_key[0], model.loss_history[-1] < model.loss_history[0]
    ('system', True)
    >>> GloVe(common_texts, None, 8)
    Traceback (most recent call last):
    ...
    TypeError: GloVe.__init__() takes from 1 to 3 positional arguments but 4 were given
    """

    _file_kind = "glove_gensim.glove_model"
    _exports = {"sum": "sum", "word": "word", "context": "context", "concat": "concat"}
    _runtime_params = EmbeddingModel._runtime_params | {"cooccurrence_cache"}

    def __init__(self, sentences: Iterable | None = None, corpus_file: str | os.PathLike | None = None, *,
                 window: int = 10, x_max: float = 100.0, alpha: float = 0.75,
                 learning_rate: float | None = None, optimizer: str | optax.GradientTransformation | None = None,
                 batch_size: int | None = None, epochs: int = 25, symmetric: bool = True,
                 distance_weighting: bool = True, memory_limit: int | str | None = DEFAULT_MEMORY_LIMIT,
                 n_devices: int | None = None, shard_tables: bool = False, block_size: int | None = None,
                 out_of_core: bool = False, cooccurrence_cache: str | os.PathLike | None = None,
                 mittens: float = 0.0, **shared: Any) -> None:
        self.window = window
        self.x_max = x_max
        self.alpha = alpha
        self.optimizer = optimizer
        self.learning_rate = learning_rate if learning_rate is not None else (
            0.05 if optimizer in (None, "adagrad", "adagrad-glove") else _OPTAX_DEFAULT_RATE)
        self.batch_size = batch_size
        self.symmetric = symmetric
        self.distance_weighting = distance_weighting
        self.memory_limit = memory_limit
        self.n_devices = n_devices
        self.shard_tables = shard_tables
        self.block_size = block_size
        self.out_of_core = out_of_core
        self.cooccurrence_cache = None if cooccurrence_cache is None else Path(cooccurrence_cache)
        self.mittens = mittens
        self.mittens_loss_history: list[float] = []
        self._optax_cache: tuple | None = None
        self._auto_batch: tuple | None = None
        self.cooccurrence: Cooccurrence | None = None
        self._params = self._opt_state = None
        self._entries = None
        super().__init__(sentences, corpus_file, epochs=epochs, **shared)

    @classmethod
    def from_cooccurrence(cls, cooccurrence: Cooccurrence, **params) -> "GloVe":
        """A model ready to ``train()`` on counts made earlier (``count_cooccurrences``, a
        ``.npz`` or Stanford's ``cooccurrence.bin``); its counting settings are taken from it.

        Examples
        --------
        >>> from gensim.test.utils import common_texts
        >>> from glove_gensim.cooccur import count_cooccurrences
        >>> vocabulary = Vocabulary.build(common_texts, min_count=1)
        >>> counts = count_cooccurrences(common_texts, vocabulary, window=2)
        >>> model = GloVe.from_cooccurrence(counts, vector_size=8, epochs=3)
        >>> model.window, model.train().epochs_trained
        (2, 3)
        """
        params.setdefault("window", cooccurrence.window)
        params.setdefault("symmetric", cooccurrence.symmetric)
        params.setdefault("distance_weighting", cooccurrence.distance_weighting)
        model = cls(**params)
        model.cooccurrence = cooccurrence
        model.build_vocab(vocabulary=cooccurrence.vocabulary)
        return model

    def _validate(self) -> None:
        check_int("window", self.window, 1)
        check_int("batch_size", self.batch_size, 1, allow_none=True)
        check_int("n_devices", self.n_devices, 1, allow_none=True)
        check_int("block_size", self.block_size, 1, allow_none=True)
        if self.out_of_core and self.block_size is None:
            raise ValueError("out_of_core=True needs block_size=N (the most entries held on the device)")
        check_positive("x_max", self.x_max)
        check_positive("alpha", self.alpha, allow_zero=True)
        if self.alpha < ALPHA_WARNING_BELOW:
            warnings.warn(f"GloVe(alpha={self.alpha}): alpha is GloVe's weighting exponent (f(x) = (x / x_max) "
                          f"** alpha, the paper's 0.75), not gensim's learning rate; for the learning rate "
                          f"use learning_rate= (e.g. GloVe(..., learning_rate={self.alpha}))", UserWarning,
                          stacklevel=4)
        check_positive("learning_rate", self.learning_rate)
        if not isinstance(self.mittens, (int, float)) or isinstance(self.mittens, bool) or not (self.mittens >= 0) \
                or not np.isfinite(self.mittens):
            raise ValueError(f"mittens must be a finite number >= 0 (mu of the Mittens term), not {self.mittens!r}")
        limit = parse_memory(self.memory_limit)
        if self.memory_limit != DEFAULT_MEMORY_LIMIT:
            work_budget(limit)  # a limit below what the process already holds fails before any reading
        self._engine = cpu_engine.select_engine(self.engine, cpu_engine.cpu_engine_refusal(
            self.optimizer, shard_tables=self.shard_tables, n_devices=self.n_devices))
        self._n_threads = resolve_workers(self.workers)
        if self.optimizer is None:
            self.optimizer = cpu_engine.default_optimizer(self._engine)
        self._transformation()
        if self.mittens > 0 and self.optimizer not in ("adagrad", "adagrad-glove"):
            raise ValueError(f"mittens={self.mittens} needs optimizer='adagrad' or 'adagrad-glove' (its pass over "
                             f"the pretrained rows is an AdaGrad step), not {self.optimizer!r}")

    def _training_summary(self) -> str:
        return (f"window={self.window} x_max={self.x_max} alpha={self.alpha} optimizer={self.optimizer} "
                f"learning_rate={self.learning_rate} batch_size={self.batch_size or 'auto'} engine={self.engine}")

    def _transformation(self) -> str | optax.GradientTransformation:
        """The update rule for :func:`glove_gensim.rules.make_rule`."""
        if is_optax_transformation(self.optimizer):
            return self.optimizer
        named = {"adagrad": "sync", "adagrad-glove": "glove"}
        if self.optimizer in named:
            return named[self.optimizer]
        factories = {"adam": optax.adam, "sgd": optax.sgd, "adagrad-optax": optax.adagrad}
        if self.optimizer in factories:
            key = (self.optimizer, self.learning_rate)
            if self._optax_cache is None or self._optax_cache[0] != key:
                self._optax_cache = (key, factories[self.optimizer](self.learning_rate))
            return self._optax_cache[1]
        raise ValueError(f"optimizer must be one of {OPTIMIZERS} or an optax.GradientTransformation, "
                         f"not {self.optimizer!r}; e.g. GloVe(..., optimizer=optax.adamw(1e-3))")

    def build_vocab(self, sentences=None, corpus_file=None, vocabulary=None, **options: Any) -> "GloVe":
        """As :meth:`EmbeddingModel.build_vocab`; with ``cooccurrence_cache`` set, reuse the cached
        vocabulary and counts when they were made from the same corpus and settings (a cache made
        otherwise is refused, naming what differs), or save them there after counting.

        Examples
        --------
        >>> import os, tempfile
        >>> from gensim.test.utils import datapath
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     cache = os.path.join(folder, "counts.npz")
        ...     settings = dict(vector_size=8, window=2, min_count=1, cooccurrence_cache=cache)
        ...     first = GloVe(**settings).build_vocab(corpus_file=datapath("testcorpus.txt"))
        ...     again = GloVe(**settings).build_vocab(corpus_file=datapath("testcorpus.txt"))
        >>> np.array_equal(first.cooccurrence.values, again.cooccurrence.values)
        True
        """
        cache = self.cooccurrence_cache
        if options.get("update") or cache is None:
            return super().build_vocab(sentences, corpus_file, vocabulary, **options)
        sentences = corpus_argument(sentences, options.pop("corpus_iterable", None))
        if cache.is_file() and (sentences is not None or corpus_file is not None):
            cached = Cooccurrence.load(cache)
            expected = self._source_description(self._open_corpus(sentences, corpus_file), vocabulary)
            differs = sorted(k for k in set(expected) | set(cached.source)
                             if expected.get(k) != cached.source.get(k))
            if differs:
                raise ValueError(f"co-occurrence cache {cache} was made from another corpus or settings "
                                 f"(differs: {', '.join(differs)}); delete it or choose another cache path")
            logger.info("reusing co-occurrence counts from %s", cache)
            self.cooccurrence = cached
            super().build_vocab(vocabulary=cached.vocabulary, **options)
            corpus = self._open_corpus(sentences, corpus_file)
            self._corpus_key = corpus_identity(sentences, corpus_file, corpus.options)
            return self
        super().build_vocab(sentences, corpus_file, vocabulary, **options)
        if sentences is not None or corpus_file is not None:
            self.cooccurrence.source = self._source_description(self._open_corpus(sentences, corpus_file), vocabulary)
            self.cooccurrence.save(cache)
        return self

    def _source_description(self, corpus: Corpus, vocabulary: Vocabulary | None) -> dict:
        """What the cached counts depend on: corpus files (size, mtime), reading and counting settings."""
        if not corpus.files:
            raise ValueError("cooccurrence_cache needs a corpus_file (a path), not an in-memory iterable")
        files = [[str(p.resolve()), p.stat().st_size, p.stat().st_mtime_ns] for p in corpus.files]
        return {"files": json.dumps(files), "corpus_options": json.dumps(asdict(corpus.options)),
                "vocabulary": "given" if vocabulary is not None else json.dumps(
                    [self.min_count, self.max_vocab_size, self.max_final_vocab]),
                "counting": json.dumps([self.window, self.symmetric, self.distance_weighting])}

    def _prepare_data(self, corpus: Corpus | None) -> None:
        if corpus is not None:
            self.cooccurrence = count_cooccurrences(
                corpus, self.vocabulary, window=self.window, symmetric=self.symmetric,
                distance_weighting=self.distance_weighting, memory_limit=self.memory_limit,
                progress=self.progress)
        if self.cooccurrence is None or self.cooccurrence.vocabulary is not self.vocabulary:
            raise ValueError("GloVe needs co-occurrence counts: pass a corpus, or use "
                             "GloVe.from_cooccurrence(cooccurrence)")
        if self.cooccurrence.nnz == 0:
            raise ValueError("the corpus yields no co-occurrences (documents of one in-vocabulary "
                             "word?): nothing to train on")
        self._entries = None

    @property
    def effective_batch_size(self) -> int:
        """``batch_size``, or the automatic choice for the current co-occurrences.

        Examples
        --------
        >>> from gensim.test.utils import common_texts
        >>> GloVe(vector_size=8, window=2, min_count=1).build_vocab(common_texts).effective_batch_size
        32
        >>> GloVe(batch_size=512).effective_batch_size
        512
        """
        if self.batch_size is not None:
            return self.batch_size
        if self.cooccurrence is None:
            raise RuntimeError("the batch size is chosen from the co-occurrences, which are not counted yet")
        if self._auto_batch is None or self._auto_batch[0] is not self.cooccurrence:
            self._auto_batch = (self.cooccurrence, auto_batch_size(self.cooccurrence.rows, self.cooccurrence.cols))
        return self._auto_batch[1]

    def _init_state(self) -> None:
        if self.mittens > 0 and self.init_vectors is None:
            raise ValueError(f"mittens={self.mittens} needs pretrained vectors: give init_vectors=...")
        self.mittens_loss_history = []
        if self._engine == "cpu":
            self._params, self._opt_state = cpu_engine.init_tables(self.seed, len(self.vocabulary), self.vector_size)
            return
        key = jax.random.PRNGKey(self.seed)
        self._params = core.init_params(key, len(self.vocabulary), self.vector_size)
        self._opt_state = self._rule().init(self._params)

    def _grow_state(self, n_old: int, vocabulary: Vocabulary) -> None:
        """New rows start as a fresh model's of that size (same seed), accumulators at 1."""
        from glove_gensim.embedding import grow_stacked
        from glove_gensim.host_random import init_tables

        if self._engine != "cpu" and not isinstance(self._opt_state, core.AdaGradState):
            raise NotImplementedError(f"build_vocab(update=True) grows AdaGrad state only, not {self.optimizer!r}'s")
        fresh_v, fresh_b = init_tables(self.seed, len(vocabulary), self.vector_size)
        n_old_rows = 2 * n_old
        vectors = np.asarray(self._params.vectors)[:n_old_rows]
        biases = np.asarray(self._params.biases)[:n_old_rows]
        acc_v = np.asarray(self._opt_state.vectors)[:n_old_rows]
        acc_b = np.asarray(self._opt_state.biases)[:n_old_rows]
        tables = (grow_stacked(vectors, n_old, fresh_v), grow_stacked(biases, n_old, fresh_b),
                  grow_stacked(acc_v, n_old, np.ones_like(fresh_v)), grow_stacked(acc_b, n_old, np.ones_like(fresh_b)))
        if self._engine == "cpu":
            self._params, self._opt_state = cpu_engine.HostTables(*tables[:2]), cpu_engine.HostTables(*tables[2:])
        else:
            self._params = core.GloVeParams(*map(jnp.asarray, tables[:2]))
            self._opt_state = core.AdaGradState(*map(jnp.asarray, tables[2:]))
        self._auto_batch = None

    def _seed_pretrained(self, found: pretrained.Pretrained) -> None:
        """``W[i] = W~[i] = r_i / 2`` for each word with a pretrained vector (mittens' split, no noise)."""
        if self._engine == "cpu":  # host tables: seeded in place, no second table
            pretrained.seed_stacked(self._params.vectors, len(self.vocabulary), found, copy=False)
            return
        table = pretrained.seed_stacked(np.asarray(self._params.vectors), len(self.vocabulary), found)
        self._params = self._params._replace(vectors=jnp.asarray(table))

    def _mittens_pass(self, n_entries: int) -> float:
        """The Mittens term's AdaGrad pass over the pretrained rows (its value before the pass)."""
        if self.mittens <= 0 or self.pretrained is None or len(self.pretrained.index) == 0:
            return 0.0
        index, targets, n_words = self.pretrained.index, self.pretrained.vectors, len(self.vocabulary)
        mu, eta, clip = np.float32(self.mittens), np.float32(self.learning_rate), np.float32(rules.GRAD_CLIP)
        if self._engine == "cpu":
            cost = pretrained.mittens_pass(self._params.vectors, self._opt_state.vectors, n_words, index, targets,
                                           mu, eta, clip)
        else:
            vectors, acc, cost = _jit_mittens_step(self._params.vectors, self._opt_state.vectors, n_words,
                                                   jnp.asarray(index), jnp.asarray(targets), mu, eta, clip)
            self._params = self._params._replace(vectors=vectors)
            self._opt_state = self._opt_state._replace(vectors=acc)
            cost = float(cost)
        if self.compute_loss:  # as loss_history; an epoch rolled back on divergence drops it (_rollback)
            self.mittens_loss_history.append(cost / n_entries)
        return cost

    def _run_epoch(self, epoch: int) -> tuple[float, int]:
        loss, n_entries = self._run_entries(epoch)
        return loss + self._mittens_pass(n_entries) / n_entries, n_entries

    def _rule(self) -> rules.UpdateRule:
        """The same rule object on both engines (the CPU engine runs its kernel for ``rule.name``)."""
        return rules.make_rule(self._transformation(), self.learning_rate, len(self.vocabulary), self.effective_batch_size)

    def _check_memory(self) -> None:
        """Log what training needs and refuse up front when the device cannot hold it."""
        transformation = self._transformation()
        slots = 0 if isinstance(transformation, str) else len(jax.tree.leaves(self._opt_state)) // 2
        needed = core.estimate_bytes(len(self.vocabulary), self.vector_size, self.cooccurrence.nnz,
                                     self.effective_batch_size, slots)
        device = jax.local_devices()[0]
        free = core.available_bytes(device)
        logger.info("training needs about %.0f MB on %s (%d entries, %d words x %d, batch %d)%s",
                    needed / 2**20, device, self.cooccurrence.nnz, len(self.vocabulary), self.vector_size,
                    self.effective_batch_size, "" if free is None else f"; {free / 2**20:.0f} MB free")
        if free is not None and needed > free:
            raise MemoryError(f"training needs about {needed / 2**30:.2f} GB but {device} has "
                              f"{free / 2**30:.2f} GB free: raise min_count, lower vector_size or "
                              "batch_size, or spread the tables over more devices")

    def _device_entries(self):
        if self._entries is None:
            self._check_memory()
            self._entries = core.make_entries(self.cooccurrence.rows, self.cooccurrence.cols,
                                              self.cooccurrence.values_float32(), len(self.vocabulary),
                                              self.x_max, self.alpha, self.effective_batch_size)
        return self._entries

    def _host_blocks(self) -> tuple[int, bool] | None:
        """``(block_size, out_of_core)`` for the CPU engine: as given, or out of core when the
        entries (and the copy of the tables each epoch keeps to roll back) would take more than half
        of what ``memory_limit`` leaves (``None``: in memory)."""
        if self.block_size is not None:
            return self.block_size, bool(self.out_of_core)
        limit = parse_memory(self.memory_limit)
        if limit is None:
            return None
        try:
            budget = work_budget(limit)
        except ValueError as exc:
            if self.memory_limit != DEFAULT_MEMORY_LIMIT:
                raise
            # str(exc), not exc: a log record keeps its arguments, and the traceback would keep the model
            logger.warning("%s; training in memory (the default memory_limit is not enforced for training)",
                           str(exc))
            return None
        tables = sum(array.nbytes for array in (*self._params, *self._opt_state))  # in memory, each epoch copies them
        needed = self.cooccurrence.nnz * cpu_engine.ENTRY_DTYPE.itemsize + tables
        if needed <= _IN_MEMORY_SHARE * budget:
            return None
        block_size = max(_MIN_BLOCK, int(_BLOCK_SHARE * budget) // cpu_engine.ENTRY_DTYPE.itemsize)
        if tables + block_size * cpu_engine.ENTRY_DTYPE.itemsize > budget:
            logger.warning("memory_limit=%s leaves %s, too little for the %s of tables and a block buffer: the "
                           "peak will exceed the limit (lower vector_size or raise the limit)",
                           self.memory_limit, format_bytes(budget), format_bytes(tables))
        logger.info("training out of core: the %d entries and a copy of the tables need %s, more than half "
                    "of the %s that memory_limit=%s leaves above this process's %s; blocks of %d entries "
                    "stream from disk",
                    self.cooccurrence.nnz, format_bytes(needed), format_bytes(budget), self.memory_limit,
                    format_bytes(rss_bytes()), block_size)
        return block_size, True

    def _cpu_entries(self):
        """The CPU engine's entries, made on first use: one array, or :class:`~glove_gensim.host_blocks.HostBlocks`."""
        if self._entries is None:
            counts, plan = self.cooccurrence, self._host_blocks()
            self._entries = cpu_engine.host_entries(counts.rows, counts.cols, counts.values, len(self.vocabulary),
                                                    self.x_max, self.alpha) if plan is None else \
                host_blocks.HostBlocks(counts.rows, counts.cols, counts.values, len(self.vocabulary), self.x_max,
                                       self.alpha, plan[0], self.seed, plan[1])
        return self._entries

    def _run_entries(self, epoch: int) -> tuple[float, int]:
        if self._engine == "cpu":
            self._cpu_entries()
            rule = self._rule()
            batch = self.effective_batch_size if rule.name == "sync" else 1
            tables = (self._params, self._opt_state)
            if isinstance(self._entries, np.ndarray):
                cost = cpu_engine.run_epoch(rule, *tables, self._entries, cpu_engine.epoch_keys(self.seed, epoch),
                                            self._n_threads, batch)
                return cost / len(self._entries), len(self._entries)
            cost = sum(cpu_engine.run_epoch(rule, *tables, entries, keys, self._n_threads, batch)
                       for _, entries, keys in self._entries.epoch(epoch))
            return cost / self._entries.n_entries, self._entries.n_entries
        batch_size = self.effective_batch_size
        if multihost.is_multiprocess():
            return self._run_epoch_multiprocess(epoch, batch_size)
        n_devices = core.usable_devices(batch_size, self.n_devices)
        mesh, rule = core.data_mesh(n_devices), self._rule()
        key = jax.random.fold_in(jax.random.PRNGKey(self.seed), epoch + 1)
        self._place_tables(mesh)
        if self.block_size is None:
            entries, n_entries = self._device_entries()
            self._params, self._opt_state, cost = core.run_epoch(
                self._params, self._opt_state, key, entries, rule, batch_size, mesh, self.shard_tables)
            return float(cost) / n_entries, n_entries
        store = self._block_store()
        total = 0.0
        for block_key, entries in store.epoch(key):
            self._params, self._opt_state, cost = core.run_epoch(
                self._params, self._opt_state, block_key, entries, rule, batch_size, mesh, self.shard_tables)
            total = total + cost
        return float(total) / store.n_entries, store.n_entries

    def _run_epoch_multiprocess(self, epoch: int, batch_size: int) -> tuple[float, int]:
        """One epoch over the devices of every process (:mod:`glove_gensim.multihost`)."""
        mesh = multihost.global_mesh()
        if batch_size % mesh.size:
            raise ValueError(f"batch_size {batch_size} must be a multiple of the {mesh.size} devices of "
                             f"all {jax.process_count()} processes")
        if self._entries is None:
            n = self.cooccurrence.nnz
            n_padded = n + (-n) % batch_size
            local = multihost.local_entries(self.cooccurrence.rows, self.cooccurrence.cols,
                                            self.cooccurrence.values_float32(), len(self.vocabulary),
                                            self.x_max, self.alpha, n_padded, mesh)
            self._entries = multihost.global_entries(local, n_padded, mesh)
        n_rows = 2 * len(self.vocabulary)
        padded = n_rows + (-n_rows) % mesh.size
        if self._params.vectors.shape[0] != padded:
            self._params, self._opt_state = core.pad_rows((self._params, self._opt_state), n_rows, padded)
        key = jax.random.fold_in(jax.random.PRNGKey(self.seed), epoch + 1)
        self._params, self._opt_state, cost = multihost.run_epoch(
            self._params, self._opt_state, key, self._entries, self._rule(), batch_size, mesh)
        return cost / self.cooccurrence.nnz, self.cooccurrence.nnz

    def _block_store(self) -> blocks.BlockStore:
        if self._entries is None:
            self._check_memory()
            self._entries = blocks.BlockStore(self.cooccurrence.rows, self.cooccurrence.cols, self.cooccurrence.values,
                                       len(self.vocabulary), self.x_max, self.alpha, self.effective_batch_size,
                                       self.block_size, self.seed, self.out_of_core)
        return self._entries

    def _place_tables(self, mesh) -> None:
        """With ``shard_tables``, pad the tables to whole rows per device and split them by rows."""
        if not self.shard_tables:
            return
        n_rows = 2 * len(self.vocabulary)
        padded = n_rows + (-n_rows) % mesh.size
        if self._params.vectors.shape[0] != padded:
            self._params, self._opt_state = core.pad_rows((self._params, self._opt_state), n_rows, padded)
        spec = jax.sharding.NamedSharding(mesh, jax.sharding.PartitionSpec("batch"))
        self._params, self._opt_state = jax.tree.map(
            lambda x: jax.device_put(x, spec) if getattr(x, "ndim", 0) >= 1 and x.shape[0] == padded else x,
            (self._params, self._opt_state))

    def _data_arrays(self) -> dict[str, np.ndarray]:
        return {"rows": self.cooccurrence.rows, "cols": self.cooccurrence.cols, "values": self.cooccurrence.values}

    def _snapshot(self):
        if self._engine != "cpu":
            return (self._params, self._opt_state), len(self.mittens_loss_history)
        if isinstance(self._cpu_entries(), host_blocks.HostBlocks) and self._entries.out_of_core:
            self._entries.save_tables([*self._params, *self._opt_state])  # out of core: no second copy in memory
            return None, len(self.mittens_loss_history)
        # the CPU engine's tables change in place
        return cpu_engine.copy_tables(self._params, self._opt_state), len(self.mittens_loss_history)

    def _rollback(self, snapshot) -> None:
        tables, n_mittens = snapshot
        if tables is None:
            self._entries.restore_tables([*self._params, *self._opt_state])
        else:
            self._params, self._opt_state = tables
        del self.mittens_loss_history[n_mittens:]  # the diverged epoch's Mittens term goes with its loss

    def _stacked_vectors(self) -> np.ndarray:
        return np.array(self._params.vectors)  # a copy: the CPU engine's tables change in place

    @property
    def word_vectors(self) -> np.ndarray:
        """W, ``[V, vector_size]`` (``wv`` holds ``W + W~`` by default).

        Examples
        --------
        >>> from gensim.test.utils import common_texts
        >>> model = GloVe(common_texts, vector_size=8, window=2, min_count=1, epochs=3)
        >>> np.array_equal(model.word_vectors + model.context_vectors, model.wv.vectors)
        True
        """
        return export_table(self._stacked_vectors(), len(self.vocabulary), "word")

    @property
    def context_vectors(self) -> np.ndarray:
        """W~, ``[V, vector_size]``.

        Examples
        --------
        >>> from gensim.test.utils import common_texts
        >>> GloVe(common_texts, vector_size=8, window=2, min_count=1, epochs=3).context_vectors.shape
        (12, 8)
        """
        return export_table(self._stacked_vectors(), len(self.vocabulary), "context")

    @property
    def biases(self) -> tuple[np.ndarray, np.ndarray]:
        """(b, b~), each ``[V]``.

        Examples
        --------
        >>> from gensim.test.utils import common_texts
        >>> word_biases, context_biases = GloVe(common_texts, vector_size=8, window=2, min_count=1,
        ...                                     epochs=3).biases
        >>> word_biases.shape, context_biases.shape
        ((12,), (12,))
        """
        biases, n = np.array(self._params.biases), len(self.vocabulary)
        return biases[:n], biases[n:2 * n]

    def _state_arrays(self) -> dict[str, np.ndarray]:
        arrays = self._pretrained_arrays()
        if self._engine == "cpu":
            return {**cpu_engine.state_arrays(self._params, self._opt_state), **self._data_arrays(), **arrays}
        n_rows = 2 * len(self.vocabulary)
        params, opt_state = core.unpad_rows((self._params, self._opt_state), n_rows)
        arrays.update({"vectors": np.asarray(params.vectors), "biases": np.asarray(params.biases),
                       **self._data_arrays()})
        arrays.update({f"opt_{i:03d}": np.asarray(leaf) for i, leaf in enumerate(jax.tree.leaves(opt_state))})
        return arrays

    def _restore_state(self, arrays: dict[str, np.ndarray]) -> None:
        self.cooccurrence = Cooccurrence(arrays["rows"], arrays["cols"], arrays["values"], self.vocabulary,
                                         self.window, self.symmetric, self.distance_weighting)
        self._entries = None
        self._restore_pretrained(arrays)
        if self._engine == "cpu":
            self._params, self._opt_state = cpu_engine.restore_tables(arrays)
            return
        self._params = core.GloVeParams(jnp.asarray(arrays["vectors"]), jnp.asarray(arrays["biases"]))
        template = self._rule().init(self._params)
        leaves, treedef = jax.tree.flatten(template)
        saved = [arrays[f"opt_{i:03d}"] for i in range(len(leaves))]
        for leaf, value in zip(leaves, saved):
            if np.shape(leaf) != value.shape:
                raise ValueError("optimizer state does not match the model's shape")
        self._opt_state = jax.tree.unflatten(treedef, [jnp.asarray(v) for v in saved])
        self._entries = None

    def _pretrained_arrays(self) -> dict[str, np.ndarray]:
        arrays = {"mittens_loss_history": np.asarray(self.mittens_loss_history, dtype=np.float64)}
        if self.pretrained is not None:
            arrays.update(pretrained_index=self.pretrained.index, pretrained_vectors=self.pretrained.vectors)
        return arrays

    def _restore_pretrained(self, arrays: dict[str, np.ndarray]) -> None:
        self.mittens_loss_history = arrays.get("mittens_loss_history", np.zeros(0)).tolist()
        if "pretrained_index" in arrays:
            self.pretrained = pretrained.Pretrained(np.asarray(arrays["pretrained_index"], np.int64),
                                                    np.asarray(arrays["pretrained_vectors"], np.float32))
        elif self.mittens > 0:
            raise ValueError(f"mittens={self.mittens} but no pretrained vectors are saved")

    def _config(self) -> dict:
        if is_optax_transformation(self.optimizer):
            raise ValueError("a model trained with a custom optax transformation cannot be saved with "
                             "its optimizer; use a named optimizer, or save model.wv instead")
        return super()._config()



@functools.cache
def _mittens_step_compiled():
    """:func:`glove_gensim.pretrained.mittens_step_jax`, jitted once (JAX imported only here)."""
    return jax.jit(pretrained.mittens_step_jax, static_argnums=(2,))


def _jit_mittens_step(*args):
    return _mittens_step_compiled()(*args)
