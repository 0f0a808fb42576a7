"""What GloVe and the SGNS baseline share: the gensim-style model lifecycle.

``EmbeddingModel`` owns the corpus options, the vocabulary, the epoch loop with gensim's callback
hooks, loss history, divergence handling, export to ``KeyedVectors`` and pickle-free save/load.
A subclass supplies four things: how a corpus becomes training data (``_prepare_data``), the
initial state (``_init_state``), one epoch (``_run_epoch``) and the exported vectors
(``_export_vectors``); and says which arrays make up its state (``_state_arrays`` /
``_restore_state``).
"""
from __future__ import annotations

import hashlib
import inspect
import json
import logging
import math
import os
import shutil
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import IO, Any, Callable, ClassVar, Iterable, Iterator, Sequence

import numpy as np

from glove_gensim.corpus import Corpus, CorpusOptions
from glove_gensim.engine import ENGINES, resolve_workers
from glove_gensim.files import CorruptFileError, load_arrays, save_arrays
from glove_gensim.pretrained import Pretrained, describe, match, read_pretrained
from glove_gensim.progress import progress_bar
from glove_gensim.validation import check_int
from glove_gensim.vocab import Vocabulary

logger = logging.getLogger(__name__)

CALLBACK_HOOKS = ("on_train_begin", "on_epoch_begin", "on_epoch_end", "on_train_end")
DEFAULT_VECTOR_SIZE = 100
"""``vector_size`` when it is left unset (``None``) and no ``init_vectors`` give one."""


class TrainingDivergedError(FloatingPointError):
    """The loss became NaN or infinite; the model keeps the last finite parameters.

    Examples
    --------
    >>> from gensim.test.utils import common_texts
    >>> from glove_gensim.model import GloVe
    >>> model = GloVe(vector_size=8, window=2, min_count=1, epochs=3, optimizer="sgd", learning_rate=1e6)
    >>> try:
    ...     model.train(common_texts)
    ... except TrainingDivergedError as error:
    ...     print("diverged; the vectors kept are finite:", bool(np.isfinite(model.wv.vectors).all()))
    diverged; the vectors kept are finite: True
    """


def export_table(table: np.ndarray, n_words: int, part: str) -> np.ndarray:
    """One export of a stacked table whose rows ``0..V-1`` are word (input) vectors and rows
    ``V..2V-1`` context (output) vectors (rows past ``2V`` are padding).

    Parameters
    ----------
    table : array [>= 2V, dim]
    n_words : int
        V.
    part : {"word", "context", "sum", "concat"}
        The word rows, the context rows, their sum, or both side by side (``[V, 2 dim]``).

    Examples
    --------
    >>> table = np.arange(8.0).reshape(4, 2)
    >>> export_table(table, 2, "sum")
    array([[ 4.,  6.],
           [ 8., 10.]])
    >>> export_table(table, 2, "concat").shape
    (2, 4)
    """
    table = np.asarray(table)
    word, context = table[:n_words], table[n_words:2 * n_words]
    if part == "word":
        return word
    if part == "context":
        return context
    if part == "sum":
        return word + context
    if part == "concat":
        return np.concatenate([word, context], axis=1)
    raise ValueError(f"part must be 'word', 'context', 'sum' or 'concat', not {part!r}")


def make_keyed_vectors(words: Sequence[str], vectors: np.ndarray, counts: np.ndarray | None = None):
    """A gensim ``KeyedVectors`` holding ``vectors`` ``[V, dim]`` in ``words`` order, each key's
    ``count`` set when ``counts`` is given.

    Examples
    --------
    >>> kv = make_keyed_vectors(["cat", "dog"], np.eye(2), counts=np.array([3, 1]))
    >>> kv.index_to_key, int(kv.get_vecattr("cat", "count")), kv.vectors.dtype.name
    (['cat', 'dog'], 3, 'float32')
    """
    from gensim.models import KeyedVectors

    kv = KeyedVectors.__new__(KeyedVectors)
    return fill_keyed_vectors(kv, words, vectors, counts)


def fill_keyed_vectors(kv, words: Sequence[str], vectors: np.ndarray, counts: np.ndarray | None = None):
    """Make ``kv`` (an existing ``KeyedVectors``) hold ``words`` and ``vectors``, in place.

    When ``kv`` already holds exactly ``words`` with vectors of the same shape, the vectors are
    copied into its array (a view of ``kv.vectors`` taken earlier sees them, as with gensim's
    training); otherwise ``kv`` is reset and refilled. Either way cached norms are cleared.

    Examples
    --------
    >>> kv = make_keyed_vectors(["cat", "dog"], np.eye(2))
    >>> view = kv.vectors
    >>> fill_keyed_vectors(kv, ["cat", "dog"], 2 * np.eye(2)) is kv, float(view[0, 0])
    (True, 2.0)
    >>> fill_keyed_vectors(kv, ["emu"], np.ones((1, 3))).index_to_key, kv.vector_size
    (['emu'], 3)
    """
    from gensim.models import KeyedVectors

    vectors = np.asarray(vectors, dtype=np.float32)
    words = list(words)
    same = (getattr(kv, "index_to_key", None) == words and getattr(kv, "vectors", None) is not None
            and kv.vectors.shape == vectors.shape)
    if same:
        kv.vectors[...] = vectors
    else:
        KeyedVectors.__init__(kv, vectors.shape[1], count=0, dtype=np.float32)
        kv.add_vectors(words, vectors)
    if counts is not None:
        if "count" not in kv.expandos:
            kv.allocate_vecattrs(attrs=["count"], types=[np.int64])
        kv.expandos["count"][:] = np.asarray(counts, dtype=np.int64)
    kv.norms = None
    return kv


def corpus_argument(sentences: Iterable | None, corpus_iterable: Iterable | None) -> Iterable | None:
    """The corpus given as ``sentences`` (ours) or ``corpus_iterable`` (gensim's name), not both.

    Examples
    --------
    >>> corpus_argument(None, [["a"]])
    [['a']]
    """
    if sentences is not None and corpus_iterable is not None:
        raise ValueError("give the corpus once: sentences=... or corpus_iterable=..., not both")
    return corpus_iterable if sentences is None else sentences


def check_trim_rule(trim_rule: Any) -> None:
    """Refuse a ``trim_rule`` that is not callable (gensim's ``trim_rule(word, count, min_count)``).

    Examples
    --------
    >>> check_trim_rule(None); check_trim_rule(lambda word, count, min_count: 0)
    >>> check_trim_rule(5)
    Traceback (most recent call last):
    ...
    TypeError: trim_rule must be a callable trim_rule(word, count, min_count) returning gensim.utils.RULE_DISCARD, RULE_KEEP or RULE_DEFAULT, not int
    """
    if trim_rule is not None and not callable(trim_rule):
        raise TypeError("trim_rule must be a callable trim_rule(word, count, min_count) returning "
                        "gensim.utils.RULE_DISCARD, RULE_KEEP or RULE_DEFAULT, not "
                        f"{type(trim_rule).__name__}")


def corpus_identity(sentences: Any, corpus_file: Any, options: CorpusOptions) -> tuple:
    """What makes two corpus arguments "the same corpus": the same object, or the same files
    (path, size, modification time) read with the same options.

    Examples
    --------
    >>> texts = [["a", "b"]]
    >>> corpus_identity(texts, None, CorpusOptions()) == corpus_identity(texts, None, CorpusOptions())
    True
    >>> corpus_identity(texts, None, CorpusOptions()) == corpus_identity([["a", "b"]], None, CorpusOptions())
    False
    """
    source = corpus_file if corpus_file is not None else sentences
    if isinstance(source, Corpus):
        source = source.source
    if isinstance(source, (str, os.PathLike)):
        files = Corpus(source, options).files
        return ("files", tuple((str(p.resolve()), p.stat().st_size, p.stat().st_mtime_ns) for p in files), options)
    return ("object", _Same(source), options)


class _Same:
    """Compares equal to another ``_Same`` of the very same object (identity, not equality) of
    the same length when it has one (a list grown in between is another corpus)."""

    def __init__(self, value: Any) -> None:
        self.value = value
        self.length = len(value) if hasattr(value, "__len__") else None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Same) and other.value is self.value and other.length == self.length

    __hash__ = None


class TalliedCorpus(Corpus):
    """A :class:`~glove_gensim.corpus.Corpus` that counts the documents and tokens of its first
    complete pass (gensim's ``corpus_count`` and ``corpus_total_words``), at no extra pass when
    something reads it anyway.

    Examples
    --------
    >>> corpus = TalliedCorpus.of(Corpus([["a", "b"], ["c"]]))
    >>> sum(1 for _ in corpus), corpus.tally()
    (2, (2, 3))
    """

    documents: int | None
    tokens: int | None

    @classmethod
    def of(cls, corpus: Corpus) -> "TalliedCorpus":
        tallied = cls.__new__(cls)
        tallied.__dict__.update(corpus.__dict__)
        tallied.documents = tallied.tokens = None
        return tallied

    def __iter__(self) -> Iterator[list[str]]:
        n_documents = n_tokens = 0
        for document in super().__iter__():
            n_documents += 1
            n_tokens += len(document)
            yield document
        if self.documents is None:
            self.documents, self.tokens = n_documents, n_tokens

    def tally(self) -> tuple[int, int]:
        """(documents, tokens), reading the corpus once more only if no pass has completed."""
        if self.documents is None:
            for _ in self:
                pass
        return self.documents, self.tokens



def is_file_handle(target: Any) -> bool:
    """True for an open file object (something with ``write`` or ``read``), not a path.

    Examples
    --------
    >>> import io
    >>> is_file_handle(io.BytesIO()), is_file_handle("model.npz")
    (True, False)
    """
    return not isinstance(target, (str, os.PathLike)) and (hasattr(target, "write") or hasattr(target, "read"))


def refuse_foreign_file(path: str | os.PathLike, class_name: str) -> None:
    """Raise :class:`CorruptFileError` naming what ``path`` is when it is a Python pickle (gensim's
    ``save`` format) or a word2vec vector file rather than one of our ``.npz`` files.

    Examples
    --------
    >>> import os, pickle, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "w2v.model")
    ...     with open(path, "wb") as handle:
    ...         pickle.dump({"a": 1}, handle)
    ...     try:
    ...         refuse_foreign_file(path, "GloVe")
    ...     except CorruptFileError as error:
    ...         print(str(error).split(";")[0].endswith("a Python pickle, as gensim's Word2Vec.save and KeyedVectors.save write"))
    True
    """
    path = Path(path)
    if not path.is_file():
        return
    with open(path, "rb") as handle:
        head = handle.read(256)
    if len(head) > 1 and head[0] == 0x80 and 2 <= head[1] <= 5:
        raise CorruptFileError(
            f"{path} is not a {class_name} file but a Python pickle, as gensim's Word2Vec.save and "
            "KeyedVectors.save write; open it with gensim (gensim.models.Word2Vec.load(path) or "
            "gensim.models.KeyedVectors.load(path)), and only if you trust it: unpickling runs code")
    first_line = head.split(b"\n", 1)[0].split()
    if len(first_line) == 2 and all(field.isdigit() for field in first_line):
        raise CorruptFileError(
            f"{path} is not a {class_name} file but word2vec vectors (header '{first_line[0].decode()} "
            f"{first_line[1].decode()}'); read them with "
            "gensim.models.KeyedVectors.load_word2vec_format(path, binary=...)")



def merge_vocabularies(old: Vocabulary, seen: Vocabulary, min_count: int, trim_rule: Any = None) -> Vocabulary:
    """``old`` with the counts of ``seen`` (a new corpus counted with ``min_count=1``) added, and
    the words of ``seen`` not in ``old`` that reach ``min_count`` (or that ``trim_rule`` keeps)
    appended in ``seen``'s order, as gensim's ``build_vocab(update=True)``.

    Examples
    --------
    >>> old = Vocabulary(["a", "b"], [5, 3], total_tokens=8)
    >>> merged = merge_vocabularies(old, Vocabulary(["c", "a", "d"], [4, 2, 1], total_tokens=7), 2)
    >>> merged.words, merged.counts.tolist(), merged.total_tokens
    (['a', 'b', 'c'], [7, 3, 4], 15)
    """
    from glove_gensim.vocab import keep_word

    counts = old.counts.copy()
    added, added_counts = [], []
    for word, count in zip(seen.words, seen.counts.tolist()):
        if word in old.index:
            counts[old.index[word]] += count
        elif keep_word(word, count, min_count, trim_rule):
            added.append(word)
            added_counts.append(count)
    return Vocabulary(old.words + added, np.concatenate([counts, np.asarray(added_counts, np.int64)]),
                      total_tokens=old.total_tokens + seen.total_tokens)


def grow_stacked(table: np.ndarray, n_old: int, fresh: np.ndarray) -> np.ndarray:
    """A stacked table (V word rows over V context rows) grown to ``fresh``'s ``2 V'`` rows: the
    ``n_old`` word and context rows of ``table`` kept, the new rows taken from ``fresh``.

    Examples
    --------
    >>> grow_stacked(np.array([1, 2]), 1, np.array([0, 9, 0, 8])).tolist()
    [1, 9, 2, 8]
    """
    n_new = len(fresh) // 2
    table = np.asarray(table)[:2 * n_old]
    return np.concatenate([table[:n_old], fresh[n_old:n_new], table[n_old:], fresh[n_new + n_old:]])


class EmbeddingModel:
    """Base of :class:`glove_gensim.model.GloVe` and :class:`baselines.sgns.SkipGramNS`: the
    parameters and lifecycle they share.

    Every parameter after ``corpus_file`` is keyword-only. A subclass declares its own parameters
    in its ``__init__`` (and re-declares a shared one only to give it another default), stores
    them, and hands the rest on with ``super().__init__(sentences, corpus_file, **shared)``;
    :meth:`get_params` and the saved configuration are read from these signatures, as
    scikit-learn does, and ``inspect.signature(cls)`` shows them all.

    Parameters
    ----------
    sentences : iterable of list of str, optional
        Token lists (gensim's ``sentences``, or a :class:`~glove_gensim.corpus.Corpus`); with a
        corpus the model trains at once, as gensim's models do.
    corpus_file : path, optional
        A text file or a directory of text files, read with ``corpus_options``.
    vector_size : int, optional
        Dimension of the vectors. Left unset (``None``): that of ``init_vectors`` when they are
        given, else :data:`DEFAULT_VECTOR_SIZE` (100); the value in use is what
        ``model.vector_size`` and :meth:`get_params` report.
    min_count, max_vocab_size, max_final_vocab : int
        Vocabulary pruning, as gensim's (ignored with ``vocabulary=``).
    epochs : int
        Passes over the training data.
    seed : int
        Fixes initialisation and every random draw: the same seed on the same device gives the
        same vectors.
    export : str
        What ``wv`` holds, one of the subclass's exports (default: its first).
    callbacks : sequence
        Objects with gensim's hooks (``on_epoch_end(model)``...), e.g. gensim ``CallbackAny2Vec``.
    compute_loss : bool
        Record the mean loss of each epoch in ``loss_history``.
    corpus_options : CorpusOptions, optional
        How ``corpus_file`` (or a path given as ``sentences``) is read; default ``CorpusOptions()``.
        A :class:`~glove_gensim.corpus.Corpus` passed as ``sentences`` carries its own options;
        giving other ones here is an error.
    progress : bool
        tqdm bars on stderr.
    checkpoint_dir : path, optional
        Write ``checkpoint.npz`` there every ``checkpoint_every`` epochs (see
        :meth:`restore_checkpoint`).
    checkpoint_every : int
        Epochs between checkpoints.
    on_divergence : {"raise", "restart"}
        When the loss becomes NaN or infinite: raise :class:`TrainingDivergedError`, or restart
        from the last finite state (or checkpoint) with half the learning rate, at most
        ``max_restarts`` times.
    max_restarts : int
        Restarts allowed by ``on_divergence="restart"`` in one :meth:`train` call.
    vocabulary : Vocabulary, optional
        Use this vocabulary (e.g. another model's) instead of counting one.
    engine : {"auto", "jax", "cpu"}
        Which engine trains (see :func:`glove_gensim.engine.resolve_engine`); kept as given.
    workers : int, optional
        Threads of the CPU engine (default: every available core); kept as given. Accepted by
        every model and engine, as gensim's ``workers`` (the JAX engine does not use it).
    trim_rule : callable, optional
        gensim's vocabulary trimming rule ``trim_rule(word, count, min_count)`` returning
        ``gensim.utils.RULE_DISCARD``, ``RULE_KEEP`` or ``RULE_DEFAULT``; used while counting
        (by :meth:`build_vocab`, which also takes one) and not saved with the model, as gensim.
    init_vectors : KeyedVectors or path, optional
        Pretrained vectors to start from (:mod:`glove_gensim.pretrained`): a gensim
        ``KeyedVectors`` or a file in Stanford text/binary or word2vec text format (read as
        :func:`glove_gensim.io.load_glove` does). Their dimension must be ``vector_size`` (or
        gives it, when ``vector_size`` is left unset). Rows of
        the words found in them start from their pretrained vector (how: each model's
        ``_seed_pretrained``; for GloVe ``W = W~ = r / 2``), the others as without them. Read when
        the model is made (a bad file is refused before any work); not saved in the
        configuration (the matched rows are kept as ``pretrained``; vectors read from a file are
        then let go, and read again by a later ``build_vocab``).

    Attributes
    ----------
    learning_rate : float
        The starting learning rate in use (each subclass defines it: GloVe's ``learning_rate``,
        SGNS's ``alpha``); divergence restarts halve it.
    vocabulary : Vocabulary or None
        The words trained (``None`` before :meth:`build_vocab`).
    loss_history : list of float
        Mean loss of each epoch trained (with ``compute_loss``).
    corpus_count, corpus_total_words : int
        Documents and tokens (in-vocabulary or not) of the corpus :meth:`build_vocab` read, as
        gensim's (0 before, or when only a ``vocabulary`` was given); gensim's idiom
        ``model.train(corpus, total_examples=model.corpus_count, epochs=model.epochs)`` works.

    Examples
    --------
    >>> from gensim.test.utils import common_texts
    >>> from glove_gensim.model import GloVe
    >>> model = GloVe(common_texts, vector_size=8, window=2, min_count=1, epochs=2)
    >>> model.epochs_trained, len(model.loss_history)
    (2, 2)
    >>> model.get_params()["vector_size"], model.get_params()["engine"]
    (8, 'auto')
    """

    _file_kind: ClassVar[str] = "glove_gensim.embedding"
    _file_version: ClassVar[int] = 1
    #: export name -> part of the stacked ``[2V, dim]`` table (see :func:`export_table`)
    _exports: ClassVar[dict[str, str]] = {"word": "word"}
    #: parameters that say how to run, not what is trained: left out of saved configurations
    _runtime_params: ClassVar[frozenset[str]] = frozenset({
        "callbacks", "vocabulary", "progress", "corpus_options", "checkpoint_dir", "checkpoint_every",
        "on_divergence", "max_restarts", "engine", "workers", "trim_rule", "init_vectors"})
    #: the name ``str(model)`` gives the learning rate (gensim: ``alpha``)
    _rate_name: ClassVar[str] = "learning_rate"
    learning_rate: float

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        cls.__signature__ = cls._signature()

    def __init__(self, sentences: Iterable | None = None, corpus_file: str | os.PathLike | None = None, *,
                 vector_size: int | None = None, min_count: int = 5, max_vocab_size: int | None = None,
                 max_final_vocab: int | None = None, epochs: int = 5, seed: int = 1,
                 export: str | None = None, callbacks: Sequence = (), compute_loss: bool = True,
                 corpus_options: CorpusOptions | None = None, progress: bool = False,
                 checkpoint_dir: str | os.PathLike | None = None, checkpoint_every: int = 1,
                 on_divergence: str = "raise", max_restarts: int = 3, vocabulary: Vocabulary | None = None,
                 engine: str = "auto", workers: int | None = None,
                 trim_rule: Callable[[str, int, int], int] | None = None,
                 init_vectors: Any = None) -> None:
        self.vector_size = vector_size
        self.min_count = min_count
        self.max_vocab_size = max_vocab_size
        self.max_final_vocab = max_final_vocab
        self.epochs = epochs
        self.seed = seed
        self.export = next(iter(self._exports)) if export is None else export
        self.callbacks = tuple(callbacks)
        self.compute_loss = compute_loss
        self.corpus_options = corpus_options
        self.progress = progress
        self.checkpoint_dir = None if checkpoint_dir is None else Path(checkpoint_dir)
        self.checkpoint_every = checkpoint_every
        self.on_divergence = on_divergence
        self.max_restarts = max_restarts
        self.engine = engine
        self.workers = workers
        self.trim_rule = trim_rule
        self.init_vectors = init_vectors
        self._pretrained_kv = None
        self.pretrained: Pretrained | None = None
        self._given_vocabulary = vocabulary
        self.vocabulary: Vocabulary | None = None
        self.loss_history: list[float] = []
        self.epochs_trained = 0
        self.epoch_seconds: list[float] = []
        self.corpus_count = 0
        self.corpus_total_words = 0
        self._wv = None
        self._wv_key: tuple | None = None
        self._state_version = 0
        self._running_loss = 0.0
        self._call_epochs = (0, epochs)
        self._resume_call: tuple[int, int] | None = None
        self._corpus_key: tuple | None = None
        self._vocabulary_given = False
        self._data_tally: tuple[int | None, int | None] = (None, None)
        self._validate_common()
        self._validate()
        if sentences is not None and corpus_file is not None:
            raise ValueError("give either sentences or corpus_file, not both")
        if sentences is not None or corpus_file is not None or vocabulary is not None:
            self.build_vocab(sentences, corpus_file, vocabulary)
            if sentences is not None or corpus_file is not None:
                self.train()

    @classmethod
    def _signature(cls) -> inspect.Signature:
        """``(sentences=None, corpus_file=None, *, <every parameter>)``: what ``cls(...)`` accepts."""
        merged: dict[str, inspect.Parameter] = {}
        for klass in cls.__mro__:
            init = klass.__dict__.get("__init__")
            if init is None or klass is object:
                continue
            for parameter in list(inspect.signature(init).parameters.values())[1:]:
                if parameter.kind not in (parameter.VAR_KEYWORD, parameter.VAR_POSITIONAL):
                    merged.setdefault(parameter.name, parameter)
        return inspect.Signature(list(merged.values()))

    @classmethod
    def _param_names(cls) -> tuple[str, ...]:
        """The keyword-only parameters of the ``__init__`` methods up the MRO, subclass first."""
        return tuple(name for name, parameter in cls._signature().parameters.items()
                     if parameter.kind is parameter.KEYWORD_ONLY)

    def get_params(self) -> dict[str, Any]:
        """Every constructor parameter after ``corpus_file`` and its current value, read from the
        ``__init__`` signatures (scikit-learn's convention): ``type(model)(**model.get_params())``
        makes an untrained model with the same settings.

        Examples
        --------
        >>> from glove_gensim.model import GloVe
        >>> params = GloVe(vector_size=8, epochs=3).get_params()
        >>> params["vector_size"], params["epochs"], params["vocabulary"] is None
        (8, 3, True)
        """
        return {name: self._given_vocabulary if name == "vocabulary" else getattr(self, name)
                for name in self._param_names()}

    def _validate_common(self) -> None:
        check_int("vector_size", self.vector_size, 1, allow_none=True)
        check_int("min_count", self.min_count, 1)
        check_int("max_vocab_size", self.max_vocab_size, 1, allow_none=True)
        check_int("max_final_vocab", self.max_final_vocab, 1, allow_none=True)
        check_int("epochs", self.epochs, 1)
        check_int("seed", self.seed, 0)
        if self.export not in self._exports:
            raise ValueError(f"export must be one of {tuple(self._exports)}, not {self.export!r}")
        for callback in self.callbacks:
            if not any(hasattr(callback, hook) for hook in CALLBACK_HOOKS):
                raise TypeError(f"callback {callback!r} has none of gensim's hooks {CALLBACK_HOOKS}")
        if self.corpus_options is not None and not isinstance(self.corpus_options, CorpusOptions):
            raise TypeError(f"corpus_options must be a CorpusOptions, not {type(self.corpus_options).__name__}; "
                            "e.g. corpus_options=CorpusOptions(tokenizer='whitespace')")
        if self.engine not in ENGINES:
            raise ValueError(f"engine must be one of {ENGINES}, not {self.engine!r}")
        check_int("workers", self.workers, 1, allow_none=True)
        check_trim_rule(self.trim_rule)
        if self.init_vectors is not None:
            self._pretrained_kv = read_pretrained(self.init_vectors, self.vector_size)
            if self.vector_size is None:
                self.vector_size = self._pretrained_kv.vector_size
                logger.info("vector_size=%d, from init_vectors %s", self.vector_size, describe(self.init_vectors))
        elif self.vector_size is None:
            self.vector_size = DEFAULT_VECTOR_SIZE
        check_int("checkpoint_every", self.checkpoint_every, 1)
        check_int("max_restarts", self.max_restarts, 0)
        if self.on_divergence not in ("raise", "restart"):
            raise ValueError(f"on_divergence must be 'raise' or 'restart', not {self.on_divergence!r}")

    # ----- what subclasses provide -------------------------------------------------------------
    def _validate(self) -> None:
        """Check the subclass's own parameters (raise ``ValueError``)."""

    def _prepare_data(self, corpus: Corpus | None) -> None:
        """Turn the corpus (``None`` when the data are set directly) into training data."""
        raise NotImplementedError

    def _init_state(self) -> None:
        raise NotImplementedError

    def _seed_pretrained(self, pretrained: Pretrained) -> None:
        """Start the rows of ``pretrained.index`` from ``pretrained.vectors`` (``init_vectors``)."""
        raise NotImplementedError(f"{type(self).__name__} does not take init_vectors")

    def _run_epoch(self, epoch: int) -> tuple[float, int]:
        """Train one epoch; return (mean loss, number of training examples)."""
        raise NotImplementedError

    def _state_arrays(self) -> dict[str, np.ndarray]:
        raise NotImplementedError

    def _restore_state(self, arrays: dict[str, np.ndarray]) -> None:
        raise NotImplementedError

    def _data_arrays(self) -> dict[str, np.ndarray]:
        """The training data among :meth:`_state_arrays` (left out of checkpoints, fingerprinted)."""
        return {}

    def _snapshot(self) -> Any:
        """The state to fall back to if an epoch diverges."""
        raise NotImplementedError

    def _rollback(self, snapshot: Any) -> None:
        raise NotImplementedError

    def _config(self) -> dict:
        """The parameters saved with the model: :meth:`get_params` less the ``_runtime_params``."""
        return {name: value for name, value in self.get_params().items() if name not in self._runtime_params}

    def _stacked_vectors(self) -> np.ndarray:
        """The ``[2V (or more), dim]`` table: V word (input) rows over V context (output) rows."""
        raise NotImplementedError

    def _export_vectors(self) -> np.ndarray:
        return export_table(self._stacked_vectors(), len(self.vocabulary), self._exports[self.export])

    # ----- the shared lifecycle ----------------------------------------------------------------
    def _reading_options(self) -> CorpusOptions:
        """``corpus_options``, or the defaults when none were given."""
        return CorpusOptions() if self.corpus_options is None else self.corpus_options

    def _open_corpus(self, sentences, corpus_file) -> Corpus:
        if isinstance(sentences, Corpus):
            if self.corpus_options is not None and self.corpus_options != sentences.options:
                raise ValueError(f"sentences is a Corpus read with {sentences.options}, but corpus_options="
                                 f"{self.corpus_options} was given too; give the options to one of them")
            return sentences
        return Corpus(sentences if corpus_file is None else corpus_file, self._reading_options())

    def build_vocab(self, sentences: Iterable | None = None, corpus_file: str | os.PathLike | None = None,
                    vocabulary: Vocabulary | None = None, *, corpus_iterable: Iterable | None = None,
                    update: bool = False,
                    trim_rule: Callable[[str, int, int], int] | None = None) -> "EmbeddingModel":
        """Read the corpus: count the vocabulary (unless ``vocabulary`` is given) and prepare data.

        Sets ``corpus_count`` and ``corpus_total_words`` as gensim's ``build_vocab`` does, and
        starts the model afresh (gensim's ``update=False``).

        Parameters
        ----------
        sentences, corpus_iterable : iterable of list of str, optional
            Token lists (``corpus_iterable`` is gensim's name; give one of the two), e.g.
            ``LineSentence(path)``.
        corpus_file : path, optional
            A text file or a directory of text files, read with ``corpus_options``.
        vocabulary : Vocabulary, optional
            Use this vocabulary (e.g. another model's) instead of counting one.
        update : bool
            gensim's online vocabulary update (new words added to a trained model); a model
            without it raises ``NotImplementedError``.
        trim_rule : callable, optional
            gensim's ``trim_rule(word, count, min_count)`` for this count (default: the model's).

        Examples
        --------
        >>> from gensim.test.utils import common_texts
        >>> from glove_gensim.model import GloVe
        >>> model = GloVe(vector_size=8, window=2, min_count=2, epochs=3).build_vocab(common_texts)
        >>> len(model.vocabulary), model.epochs_trained, model.corpus_count, model.corpus_total_words
        (12, 0, 9, 29)
        """
        sentences = corpus_argument(sentences, corpus_iterable)
        check_trim_rule(trim_rule)
        if update:
            if self.vocabulary is None:
                raise RuntimeError("build_vocab(..., update=True) adds words to a model that has a vocabulary; "
                                   "first build_vocab(corpus) without update")
            return self._update_vocab(sentences, corpus_file, trim_rule)
        if sentences is None and corpus_file is None:
            if vocabulary is None:
                raise ValueError("build_vocab needs sentences=..., corpus_file=... or vocabulary=...")
            corpus = None
        else:
            corpus = TalliedCorpus.of(self._open_corpus(sentences, corpus_file))
        if vocabulary is not None:
            if not isinstance(vocabulary, Vocabulary):
                raise TypeError(f"vocabulary must be a glove_gensim Vocabulary, not {type(vocabulary).__name__}")
            self.vocabulary = vocabulary
            self._vocabulary_given = True
        else:
            self._vocabulary_given = False
            self.vocabulary = Vocabulary.build(corpus, self.min_count, self.max_vocab_size, self.max_final_vocab,
                                               progress=self.progress,
                                               trim_rule=self.trim_rule if trim_rule is None else trim_rule)
        self._prepare_data(corpus)
        self._init_state()
        self.pretrained = None
        if self.init_vectors is not None:
            self.pretrained = match(self._pretrained_source(), self.vocabulary.words, describe(self.init_vectors))
            self._release_pretrained()
            self._seed_pretrained(self.pretrained)
        self._data_tally = (None, None) if corpus is None else corpus.tally()
        self.corpus_count, self.corpus_total_words = (0, 0) if corpus is None else self._data_tally
        self._corpus_key = None if corpus is None else corpus_identity(sentences, corpus_file, corpus.options)
        self.loss_history, self.epoch_seconds, self.epochs_trained = [], [], 0
        self._running_loss = 0.0
        self._vectors_changed()
        return self

    def _update_vocab(self, sentences, corpus_file, trim_rule) -> "EmbeddingModel":
        """gensim's ``build_vocab(corpus, update=True)``: the new corpus's words that reach
        ``min_count`` there are appended (in that corpus's order), every word's count grows by its
        count there, the tables and optimizer state grow (:meth:`_grow_state`; existing rows kept),
        and the new corpus becomes the training data."""
        if sentences is None and corpus_file is None:
            raise ValueError("build_vocab(..., update=True) needs the new corpus: sentences=... or corpus_file=...")
        corpus = TalliedCorpus.of(self._open_corpus(sentences, corpus_file))
        merged = merge_vocabularies(self.vocabulary, Vocabulary.build(corpus, 1, progress=self.progress),
                                    self.min_count, self.trim_rule if trim_rule is None else trim_rule)
        n_old = len(self.vocabulary)
        self._grow_state(n_old, merged)
        self.vocabulary = merged
        self._vocabulary_given = False
        self._prepare_data(corpus)
        if self.init_vectors is not None:
            self.pretrained = match(self._pretrained_source(), merged.words, describe(self.init_vectors))
            self._release_pretrained()
            added = Pretrained(self.pretrained.index[self.pretrained.index >= n_old],
                               self.pretrained.vectors[self.pretrained.index >= n_old])
            self._seed_pretrained(added)
        self._data_tally = corpus.tally()
        self.corpus_count, self.corpus_total_words = self._data_tally
        self._corpus_key = corpus_identity(sentences, corpus_file, corpus.options)
        logger.info("vocabulary update: %d new words (now %d) from %s", len(merged) - n_old, len(merged),
                    corpus.description)
        self._vectors_changed()
        return self

    def _pretrained_source(self):
        """The ``init_vectors`` as ``KeyedVectors``: those read when the model was made, or the
        file read again (see :meth:`_release_pretrained`)."""
        if self._pretrained_kv is None:
            self._pretrained_kv = read_pretrained(self.init_vectors, self.vector_size)
        return self._pretrained_kv

    def _release_pretrained(self) -> None:
        """Once matched, vectors read from a file are not kept (the matched rows are, in
        ``pretrained``), so training holds one copy of the pretrained table; a later
        ``build_vocab`` reads the file again. A ``KeyedVectors`` given is the caller's: kept."""
        if isinstance(self.init_vectors, (str, os.PathLike)):
            self._pretrained_kv = None

    def _grow_state(self, n_old: int, vocabulary: Vocabulary) -> None:
        """Tables and optimizer state for ``vocabulary``, whose first ``n_old`` words are the
        current ones (rows kept), the rest new (initialised as a fresh model's)."""
        raise NotImplementedError(f"{type(self).__name__} cannot grow its vocabulary")

    def _continue_on(self, sentences, corpus_file) -> None:
        """``train(corpus)`` on a corpus other than :meth:`build_vocab`'s: the same vocabulary and
        state, that corpus's training data (gensim's behaviour); new frequent words are refused
        (unless the vocabulary was given: then words outside it are left out on purpose)."""
        corpus = TalliedCorpus.of(self._open_corpus(sentences, corpus_file))
        new = [] if self._vocabulary_given else self._new_frequent_words(corpus)
        if new:
            raise ValueError(
                f"{len(new)} words of {corpus.description} reach min_count={self.min_count} but are not in "
                f"the model's vocabulary (e.g. {', '.join(map(repr, new[:5]))}); train() would ignore them "
                "(gensim does so silently). Add them first with model.build_vocab(corpus, update=True), "
                "or start a new model with model.build_vocab(corpus)")
        self._prepare_data(corpus)
        self._corpus_key = corpus_identity(sentences, corpus_file, corpus.options)
        self._data_tally = corpus.tally()
        logger.info("continuing %s on %s (%d documents) with its vocabulary of %d words", type(self).__name__,
                    corpus.description, corpus.tally()[0], len(self.vocabulary))

    def _new_frequent_words(self, corpus: Corpus) -> list[str]:
        """Words of ``corpus`` that reach ``min_count`` there but are not in the vocabulary."""
        try:
            seen = Vocabulary.build(corpus, self.min_count, trim_rule=self.trim_rule)
        except ValueError:
            return []
        return [word for word in seen.words if word not in self.vocabulary]

    def train(self, sentences: Iterable | None = None, corpus_file: str | os.PathLike | None = None,
              epochs: int | None = None, callbacks: Sequence | None = None, *,
              corpus_iterable: Iterable | None = None, total_examples: int | None = None,
              total_words: int | None = None, compute_loss: bool | None = None) -> "EmbeddingModel":
        """Train ``epochs`` more epochs (default: ``model.epochs``), continuing from the current state.

        As gensim's ``train``: given a corpus, the model continues on that corpus with its own
        vocabulary and parameters (``build_vocab`` first; a corpus with frequent words the
        vocabulary lacks is refused, naming ``build_vocab(corpus, update=True)``); given the corpus
        :meth:`build_vocab` read, the data prepared then are reused. ``train(epochs=N)`` sets
        ``model.epochs = N``; a learning-rate schedule (SGNS's decay) runs within each call (after
        :meth:`restore_checkpoint` of an interrupted call, a ``train`` that finishes that call's
        epochs continues its schedule, so a resumed run equals the uninterrupted one).
        Unlike gensim, a model without a vocabulary builds one from the corpus first, and
        ``epochs``, ``total_examples`` and ``total_words`` may be left out (we count exactly).

        Parameters
        ----------
        sentences, corpus_iterable : iterable of list of str, optional
            The corpus (give one of the two names).
        corpus_file : path, optional
            A text file or a directory of text files.
        epochs : int, optional
        callbacks : sequence, optional
            Replace the constructor's callbacks for this call.
        total_examples, total_words : int, optional
            gensim's counts of the corpus (e.g. ``model.corpus_count``); a value that differs from
            the documents (or tokens) counted is logged as a warning, as gensim does.
        compute_loss : bool, optional
            Set ``model.compute_loss`` for this and later calls.

        Raises
        ------
        TrainingDivergedError
            The loss became NaN or infinite; the model keeps the last finite state.

        Examples
        --------
        >>> from gensim.test.utils import common_texts
        >>> from glove_gensim.model import GloVe
        >>> once = GloVe(common_texts, vector_size=8, window=2, min_count=1, epochs=3, workers=1)
        >>> twice = GloVe(vector_size=8, window=2, min_count=1, workers=1).build_vocab(common_texts)
        >>> twice.train(epochs=1).train(epochs=2).epochs_trained
        3
        >>> np.array_equal(once.wv.vectors, twice.wv.vectors)
        True
        >>> _ = twice.train(common_texts, total_examples=twice.corpus_count, epochs=2)
        >>> twice.epochs_trained, twice.epochs
        (5, 2)
        """
        sentences = corpus_argument(sentences, corpus_iterable)
        check_int("total_examples", total_examples, 0, allow_none=True)
        check_int("total_words", total_words, 0, allow_none=True)
        if sentences is not None and corpus_file is not None:
            raise ValueError("give either sentences (corpus_iterable) or corpus_file, not both")
        if sentences is not None or corpus_file is not None:
            if self.vocabulary is None:
                self.build_vocab(sentences, corpus_file)
            elif self._corpus_key is None and self.epochs_trained == 0:  # a vocabulary given, no corpus yet
                self.build_vocab(sentences, corpus_file, vocabulary=self.vocabulary)
            elif self._corpus_key is None or corpus_identity(
                    sentences, corpus_file, self._open_corpus(sentences, corpus_file).options) != self._corpus_key:
                self._continue_on(sentences, corpus_file)
        if self.vocabulary is None:
            raise RuntimeError("nothing to train on: call build_vocab(...) first or pass a corpus")
        epochs = self.epochs if epochs is None else epochs
        check_int("epochs", epochs, 1)
        if compute_loss is not None:
            self.compute_loss = bool(compute_loss)
        self._check_totals(total_examples, total_words)
        self.epochs = epochs
        callbacks = self.callbacks if callbacks is None else tuple(callbacks)
        resume, self._resume_call = self._resume_call, None
        finishes_resumed = resume is not None and self.epochs_trained + epochs == sum(resume)
        self._call_epochs = resume if finishes_resumed else (self.epochs_trained, epochs)
        self._running_loss = 0.0
        logger.info("training model with %d workers on %d vocabulary and %d features, using %s",
                    resolve_workers(self.workers), len(self.vocabulary), self.vector_size, self._training_summary())
        self._call(callbacks, "on_train_begin")
        target = self.epochs_trained + epochs
        self._restarts = 0
        examples, call_start = 0, time.perf_counter()
        with progress_bar(self.progress, type(self).__name__, unit="epoch", total=epochs) as bar:
            while self.epochs_trained < target:
                epoch = self.epochs_trained
                self._call(callbacks, "on_epoch_begin")
                snapshot = self._snapshot()
                start = time.perf_counter()
                mean_loss, n_examples = self._run_epoch(epoch)
                seconds = time.perf_counter() - start
                if not math.isfinite(mean_loss):
                    self._handle_divergence(epoch, mean_loss, snapshot)
                    continue
                self.epoch_seconds.append(seconds)
                self.epochs_trained += 1
                examples += n_examples
                if self.compute_loss:
                    self.loss_history.append(mean_loss)
                    self._running_loss += mean_loss * n_examples
                self._vectors_changed()
                logger.info("EPOCH %d: loss %.6f, %.2fs, %.0f examples/s", self.epochs_trained,
                            mean_loss, seconds, n_examples / max(seconds, 1e-9))
                bar.set_postfix(loss=f"{mean_loss:.4f}", rate=f"{n_examples / max(seconds, 1e-9):.3g}/s")
                bar.update(1)
                if self.checkpoint_dir is not None and self.epochs_trained % self.checkpoint_every == 0:
                    self.save_checkpoint()
                self._call(callbacks, "on_epoch_end")
        self._resume_call = None
        elapsed = time.perf_counter() - call_start
        logger.info("training on %d examples over %d epochs took %.1fs, %.0f examples/s", examples, epochs,
                    elapsed, examples / max(elapsed, 1e-9))
        self._call(callbacks, "on_train_end")
        return self

    def _training_summary(self) -> str:
        """The settings named in the log line that starts :meth:`train` (gensim's ``sg=... hs=...``)."""
        return f"engine={self.engine} epochs={self.epochs}"

    def _check_totals(self, total_examples: int | None, total_words: int | None) -> None:
        """Warn, as gensim does, when a given count differs from the corpus's (ours are exact)."""
        counted = {"total_examples": (total_examples, self._data_tally[0], "documents"),
                   "total_words": (total_words, self._data_tally[1], "tokens")}
        for name, (given, actual, unit) in counted.items():
            if given is not None and actual is not None and given != actual:
                logger.warning("train(%s=%d): the corpus holds %d %s; the learning-rate schedule and progress "
                               "use the counted %d (gensim would use the value given)", name, given, actual,
                               unit, actual)

    def _handle_divergence(self, epoch: int, loss: float, snapshot: Any) -> None:
        """Restore the last finite state; raise, or retry with half the learning rate."""
        self._rollback(snapshot)
        self._vectors_changed()
        rate = self.learning_rate
        if self.on_divergence == "raise" or self._restarts >= self.max_restarts:
            raise TrainingDivergedError(self._divergence_message(epoch, loss))
        self._restarts += 1
        if self.checkpoint_dir is not None and self.checkpoint_path.is_file():
            self.restore_checkpoint()
        self.learning_rate = rate / 2
        self._on_learning_rate_change()
        logger.warning("loss became %s in epoch %d; restarting from epoch %d with learning_rate=%g "
                       "(restart %d of %d)", loss, epoch + 1, self.epochs_trained, self.learning_rate,
                       self._restarts, self.max_restarts)

    def _on_learning_rate_change(self) -> None:
        """Called after ``learning_rate`` changed (subclasses rebuild what depends on it)."""

    def _divergence_message(self, epoch: int, loss: float) -> str:
        rate = self.learning_rate
        return (f"{type(self).__name__} diverged: the loss became {loss} in epoch {epoch + 1} with "
                f"learning_rate={rate}; the model keeps the parameters of epoch {epoch}. "
                f"Train again with a lower learning rate (e.g. learning_rate={rate / 2}).")

    def _call(self, callbacks: Sequence, hook: str) -> None:
        for callback in callbacks:
            method = getattr(callback, hook, None)
            if method is not None:
                method(self)

    def get_latest_training_loss(self) -> float:
        """gensim's running loss: the summed loss of the epochs of the current (or last) :meth:`train`
        call (each epoch's mean times its examples); 0.0 before training or with
        ``compute_loss=False``. The mean of each epoch is in ``loss_history``.

        gensim's recipe works: the difference between two ``on_epoch_end`` calls is the epoch's
        summed loss.

        Examples
        --------
        >>> from gensim.test.utils import common_texts
        >>> from glove_gensim.model import GloVe
        >>> model = GloVe(common_texts, vector_size=8, window=2, min_count=1, epochs=3)
        >>> total = sum(loss * model.cooccurrence.nnz for loss in model.loss_history)
        >>> bool(np.isclose(model.get_latest_training_loss(), total))
        True
        """
        return float(self._running_loss)

    def __str__(self) -> str:
        """gensim's form: ``Class<vocab=V, vector_size=d, rate=r>``.

        Examples
        --------
        >>> from glove_gensim.model import GloVe
        >>> str(GloVe(vector_size=8))
        'GloVe<vocab=0, vector_size=8, learning_rate=0.05>'
        """
        vocabulary = 0 if self.vocabulary is None else len(self.vocabulary)
        return (f"{type(self).__name__}<vocab={vocabulary}, vector_size={self.vector_size}, "
                f"{self._rate_name}={getattr(self, self._rate_name)}>")

    def _vectors_changed(self) -> None:
        """The trained vectors changed: update ``wv`` in place if it was handed out."""
        self._state_version += 1
        if self._wv is not None and self.vocabulary is not None:
            self._sync_wv()

    def _sync_wv(self) -> None:
        fill_keyed_vectors(self._wv, self.vocabulary.words, self._export_vectors(), self.vocabulary.counts)
        self._wv_key = (self._state_version, self.export)

    @property
    def wv(self):
        """The trained vectors as a gensim ``KeyedVectors`` (in vocabulary order, ``count`` set), of
        the current ``export``.

        As gensim's, it is one live object: training, a new ``export`` or a new vocabulary update
        it in place (and clear its cached norms), so a ``kv = model.wv`` taken earlier stays current.

        Examples
        --------
        >>> from gensim.test.utils import common_texts
        >>> from glove_gensim.model import GloVe
        >>> model = GloVe(common_texts, vector_size=8, window=2, min_count=1, epochs=3)
        >>> kv = model.wv
        >>> kv.vector_size, int(kv.get_vecattr("system", "count"))
        (8, 4)
        >>> before = kv.vectors.copy()
        >>> _ = model.train(epochs=1)
        >>> model.wv is kv, bool((kv.vectors != before).any())
        (True, True)
        >>> model.export = "concat"
        >>> model.wv.vector_size, model.wv is kv
        (16, True)
        """
        if self.vocabulary is None:
            raise RuntimeError("the model has no vocabulary yet: build_vocab(...) or train(...) first")
        if self._wv is None:
            self._wv = make_keyed_vectors(self.vocabulary.words, self._export_vectors(), self.vocabulary.counts)
            self._wv_key = (self._state_version, self.export)
        elif self._wv_key != (self._state_version, self.export):
            self._sync_wv()
        return self._wv

    @property
    def checkpoint_path(self) -> Path:
        """``checkpoint_dir / "checkpoint.npz"``.

        Examples
        --------
        >>> from glove_gensim.model import GloVe
        >>> GloVe(checkpoint_dir="runs/a").checkpoint_path.as_posix()
        'runs/a/checkpoint.npz'
        """
        if self.checkpoint_dir is None:
            raise ValueError("no checkpoint_dir was given")
        return self.checkpoint_dir / "checkpoint.npz"

    def fingerprint(self) -> dict[str, str]:
        """What a checkpoint must match to be resumed: settings and a digest of the data.

        Examples
        --------
        >>> from gensim.test.utils import common_texts
        >>> from glove_gensim.model import GloVe
        >>> model = GloVe(vector_size=8, window=2, min_count=1).build_vocab(common_texts)
        >>> fingerprint = model.fingerprint()
        >>> fingerprint["class"], fingerprint["window"], "epochs" in fingerprint
        ('GloVe', '2', False)
        """
        digest = hashlib.sha256()
        for name, array in sorted(self._data_arrays().items()):
            digest.update(name.encode())
            digest.update(np.ascontiguousarray(array))  # the buffer itself, not a copy
        digest.update("\n".join(self.vocabulary.words).encode("utf-8"))
        digest.update(self.vocabulary.counts.tobytes())
        volatile = {"epochs", "compute_loss", "checkpoint_every", "on_divergence", "max_restarts",
                    "learning_rate", "n_devices", "engine", "workers"}
        settings = {k: json.dumps(v, sort_keys=True) for k, v in self._config().items() if k not in volatile}
        return {"data": digest.hexdigest(), "class": type(self).__name__, **settings}

    def save_checkpoint(self) -> Path:
        """Write parameters, optimizer state, epoch, loss history and the fingerprint, atomically.

        Temporary files left by a run killed while saving are removed first.

        Examples
        --------
        >>> import tempfile
        >>> from gensim.test.utils import common_texts
        >>> from glove_gensim.model import GloVe
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     model = GloVe(vector_size=8, window=2, min_count=1, checkpoint_dir=folder, checkpoint_every=100)
        ...     path = model.build_vocab(common_texts).train(epochs=1).save_checkpoint()
        ...     print(path.name, path.is_file())
        checkpoint.npz True
        """
        self.checkpoint_dir.mkdir(parents=True, exist_ok=True)
        for stale in self.checkpoint_dir.glob(f".{self.checkpoint_path.name}.*.tmp"):
            stale.unlink(missing_ok=True)
        data = self._data_arrays()
        arrays = {f"state/{name}": value for name, value in self._state_arrays().items() if name not in data}
        arrays["loss_history"] = np.asarray(self.loss_history, dtype=np.float64)
        arrays["epoch_seconds"] = np.asarray(self.epoch_seconds, dtype=np.float64)
        meta = {"fingerprint": self.fingerprint(), "epochs_trained": self.epochs_trained,
                "learning_rate": self.learning_rate, "call": list(self._call_epochs)}
        path = save_arrays(self.checkpoint_path, self._file_kind + ".checkpoint", self._file_version, arrays, meta)
        logger.debug("checkpoint after epoch %d written to %s", self.epochs_trained, path)
        return path

    def restore_checkpoint(self) -> bool:
        """Continue from ``checkpoint_dir``'s checkpoint, if there is one (``True`` when restored).

        Raises
        ------
        ValueError
            The checkpoint was made with other data or settings (the message says which).
        CorruptFileError
            The checkpoint file is damaged.

        Examples
        --------
        >>> import tempfile
        >>> from gensim.test.utils import common_texts
        >>> from glove_gensim.model import GloVe
        >>> settings = dict(vector_size=8, window=2, min_count=1, epochs=3)
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     first = GloVe(checkpoint_dir=folder, **settings).build_vocab(common_texts).train(epochs=2)
        ...     resumed = GloVe(checkpoint_dir=folder, **settings).build_vocab(common_texts)
        ...     print(resumed.restore_checkpoint(), resumed.epochs_trained)
        True 2
        """
        if self.vocabulary is None:
            raise RuntimeError("build_vocab(...) before restoring a checkpoint: its data must match")
        if not self.checkpoint_path.is_file():
            return False
        arrays, meta = load_arrays(self.checkpoint_path, self._file_kind + ".checkpoint", self._file_version)
        saved, current = meta.get("fingerprint", {}), self.fingerprint()
        differs = sorted(k for k in set(saved) | set(current) if saved.get(k) != current.get(k))
        if differs:
            details = ", ".join("the training data (corpus, vocabulary or counts)" if k == "data" else
                                f"{k} (checkpoint {saved.get(k)}, now {current.get(k)})" for k in differs)
            raise ValueError(f"cannot resume from {self.checkpoint_path}: it was made with different "
                             f"{details}; use the original settings or another checkpoint folder")
        try:
            state = {name[len("state/"):]: value for name, value in arrays.items() if name.startswith("state/")}
            if meta.get("learning_rate") is not None:
                self.learning_rate = meta["learning_rate"]
                self._on_learning_rate_change()
            self._restore_state({**self._data_arrays(), **state})
            self.loss_history = arrays["loss_history"].tolist()
            self.epoch_seconds = arrays["epoch_seconds"].tolist()
            self.epochs_trained = int(meta["epochs_trained"])
            call = meta.get("call")
            if call is not None and sum(call) > self.epochs_trained:
                self._resume_call = (int(call[0]), int(call[1]))
        except (KeyError, ValueError) as exc:
            raise CorruptFileError(f"{self.checkpoint_path} does not hold a usable checkpoint: {exc}") from exc
        self._vectors_changed()
        logger.info("resumed %s from %s after epoch %d", type(self).__name__, self.checkpoint_path,
                    self.epochs_trained)
        return True

    def save(self, path: str | os.PathLike | IO[bytes]) -> Path | IO[bytes]:
        """Save parameters, optimizer state, vocabulary, data and history (atomic, no pickle).

        ``type(self).load(path)`` restores a model that continues training exactly. ``path`` may
        be an open binary file handle, as gensim's ``save(fname_or_handle)`` allows (the file is
        written to it, and the handle is returned; it is not closed).

        Examples
        --------
        >>> import os, tempfile
        >>> from gensim.test.utils import common_texts
        >>> from glove_gensim.model import GloVe
        >>> model = GloVe(common_texts, vector_size=8, window=2, min_count=1, epochs=3)
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     loaded = GloVe.load(model.save(os.path.join(folder, "model.npz")))
        >>> loaded.epochs_trained, np.array_equal(loaded.wv.vectors, model.wv.vectors)
        (3, True)
        """
        if self.vocabulary is None:
            raise RuntimeError("nothing to save: the model has no vocabulary yet")
        arrays = {**self.vocabulary.to_arrays(prefix="vocab_"),
                  "loss_history": np.asarray(self.loss_history, dtype=np.float64),
                  "epoch_seconds": np.asarray(self.epoch_seconds, dtype=np.float64)}
        arrays.update({f"state/{name}": value for name, value in self._state_arrays().items()})
        meta = {"class": type(self).__name__, "config": self._config(),
                "corpus_options": asdict(self._reading_options()), "epochs_trained": self.epochs_trained,
                "total_tokens": int(self.vocabulary.total_tokens), "corpus_count": int(self.corpus_count),
                "corpus_total_words": int(self.corpus_total_words)}
        if is_file_handle(path):
            with tempfile.TemporaryDirectory() as folder:
                written = save_arrays(Path(folder) / "model.npz", self._file_kind, self._file_version, arrays, meta)
                with open(written, "rb") as source:
                    shutil.copyfileobj(source, path)
            logger.info("saved %s to %s", type(self).__name__, getattr(path, "name", "a file handle"))
            return path
        path = save_arrays(path, self._file_kind, self._file_version, arrays, meta)
        logger.info("saved %s to %s", type(self).__name__, path)
        return path

    @classmethod
    def load(cls, path: str | os.PathLike | IO[bytes], **runtime: Any) -> "EmbeddingModel":
        """Load a model written by :meth:`save` (refuses corrupt, foreign or newer files; a gensim
        pickle or a word2vec vector file is refused with a message saying what it is and how to
        open it). ``path`` may be an open binary file handle.

        ``runtime``: how to go on training, not what was trained (``engine``, ``workers``,
        ``callbacks``, ``progress``, ``checkpoint_dir``...; a file holds none of them), e.g.
        ``GloVe.load(path, engine="cpu", workers=1)``.

        Examples
        --------
        >>> import os, tempfile
        >>> from glove_gensim.files import CorruptFileError
        >>> from glove_gensim.model import GloVe
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     path = os.path.join(folder, "model.npz")
        ...     with open(path, "wb") as handle:
        ...         _ = handle.write(b"not a model")
        ...     try:
        ...         GloVe.load(path)
        ...     except CorruptFileError:
        ...         print("refused")
        refused
        """
        unknown = sorted(set(runtime) - (cls._runtime_params - {"vocabulary", "corpus_options"}))
        if unknown:
            raise TypeError(f"load() takes only run-time settings, not {', '.join(unknown)} (those are "
                            f"saved in the file); e.g. {cls.__name__}.load(path, engine='cpu', workers=1)")
        if is_file_handle(path):
            with tempfile.TemporaryDirectory() as folder:
                copy = Path(folder) / "model.npz"
                with open(copy, "wb") as target:
                    shutil.copyfileobj(path, target)
                return cls.load(copy, **runtime)
        refuse_foreign_file(path, cls.__name__)
        arrays, meta = load_arrays(path, cls._file_kind, cls._file_version)
        try:
            model = cls(**meta["config"], corpus_options=CorpusOptions(**meta["corpus_options"]), **runtime)
            model.vocabulary = Vocabulary.from_arrays(arrays, prefix="vocab_", total_tokens=meta["total_tokens"])
            model._restore_state({name[len("state/"):]: value for name, value in arrays.items()
                                  if name.startswith("state/")})
            model.loss_history = arrays["loss_history"].tolist()
            model.epochs_trained = int(meta["epochs_trained"])
            model.epoch_seconds = arrays["epoch_seconds"].tolist()
            model.corpus_count = int(meta.get("corpus_count", 0))
            model.corpus_total_words = int(meta.get("corpus_total_words", 0))
        except (KeyError, TypeError, ValueError) as exc:
            raise CorruptFileError(f"{path} does not hold a consistent {cls.__name__}: {exc}") from exc
        return model
