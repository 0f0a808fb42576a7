"""gensim's own ``Word2Vec`` (skip-gram, negative sampling) on our corpus and vocabulary: the peer
that :class:`baselines.sgns.SkipGramNS` and GloVe are compared with.

gensim's vocabulary is built from our :class:`~glove_gensim.vocab.Vocabulary` (its words and
counts, ``min_count=1`` since they are already pruned), so subsampling thresholds, the negative
table and the dropped out-of-vocabulary tokens are the same as ours; the documents are the ones the
:class:`~glove_gensim.corpus.Corpus` yields, cut into pieces of at most
:data:`MAX_WORDS_IN_PIECE` tokens (:class:`Pieces`), because gensim trains on at most 10,000 words
of a sentence and silently drops the rest: a paragraph-mode corpus of long documents would
otherwise train on a fraction of its tokens (27 % of ``lee_background.cor``).
"""
from __future__ import annotations

import inspect
import logging
from typing import Iterable, Iterator

from glove_gensim.corpus import Corpus
from glove_gensim.validation import check_int, check_positive
from glove_gensim.vocab import Vocabulary

logger = logging.getLogger(__name__)

SHARED_PARAMETERS = ("vector_size", "window", "negative", "ns_exponent", "sample", "alpha", "min_alpha",
                     "epochs", "seed")
"""Parameters that gensim's ``Word2Vec`` and :class:`baselines.sgns.SkipGramNS` share (same names,
same meaning); their defaults are ``SkipGramNS``'s."""
WORKERS = 2
"""gensim's worker threads unless ``workers=`` is given."""
MAX_WORDS_IN_PIECE = 10_000
"""gensim's ``MAX_WORDS_IN_BATCH``: the most words of one sentence gensim trains on."""


class Pieces:
    """A re-iterable of the documents of ``corpus`` cut into consecutive pieces of at most
    ``max_words`` tokens, as gensim's ``Text8Corpus`` cuts text8, so gensim trains on every token.

    Windows do not cross a cut (one boundary per ``max_words`` tokens).

    Examples
    --------
    >>> [len(piece) for piece in Pieces([["w"] * 25, ["v"] * 3], max_words=10)]
    [10, 10, 5, 3]
    """

    def __init__(self, corpus: Iterable, max_words: int = MAX_WORDS_IN_PIECE) -> None:
        check_int("max_words", max_words, 1)
        self.corpus = corpus
        self.max_words = max_words

    def __iter__(self) -> Iterator[list[str]]:
        for document in self.corpus:
            for start in range(0, len(document), self.max_words):
                yield document[start:start + self.max_words]


def sgns_defaults() -> dict:
    """``SkipGramNS``'s defaults of :data:`SHARED_PARAMETERS`, the one place they are held.

    Examples
    --------
    >>> sgns_defaults()["window"], sgns_defaults()["vector_size"]
    (5, 100)
    """
    from baselines.sgns import SkipGramNS
    from glove_gensim.embedding import DEFAULT_VECTOR_SIZE

    parameters = inspect.signature(SkipGramNS).parameters
    defaults = {name: parameters[name].default for name in SHARED_PARAMETERS}
    if defaults["vector_size"] is None:  # "unset": SkipGramNS resolves it so without init_vectors
        defaults["vector_size"] = DEFAULT_VECTOR_SIZE
    return defaults


class _EpochLoss:
    """gensim callback turning the cumulative ``get_latest_training_loss()`` into per-epoch sums."""

    def __init__(self) -> None:
        self.losses: list[float] = []
        self._previous = 0.0

    def on_train_begin(self, model) -> None:
        self._previous = 0.0

    def on_epoch_begin(self, model) -> None:
        pass

    def on_epoch_end(self, model) -> None:
        total = model.get_latest_training_loss()
        self.losses.append(float(total - self._previous))
        self._previous = total

    def on_train_end(self, model) -> None:
        pass


def train_word2vec(corpus: Iterable, vocabulary: Vocabulary, callbacks=(), **params):
    """Train gensim ``Word2Vec(sg=1, hs=0)`` on ``corpus`` with exactly ``vocabulary``.

    Parameters
    ----------
    corpus : Corpus or iterable of list of str
        The documents (out-of-vocabulary tokens are dropped by gensim before windowing, as ours).
    vocabulary : Vocabulary
        Words and counts (e.g. ``GloVe(...).vocabulary`` or ``SkipGramNS(...).vocabulary``).
    callbacks : sequence of gensim callbacks
        Extra callbacks run after the loss recorder.
    **params
        :data:`SHARED_PARAMETERS` (defaults: ``SkipGramNS``'s) and ``workers`` (default
        :data:`WORKERS`); anything else is passed to ``Word2Vec``.

    Returns
    -------
    model : gensim.models.Word2Vec
        Trained on :class:`Pieces` of the corpus; ``model.wv`` holds the input vectors;
        ``corpus_count`` and ``corpus_total_words`` are set (pieces and tokens), so
        ``model.train(Pieces(corpus), total_examples=model.corpus_count, epochs=1)`` continues.
    per_epoch_losses : list of float
        gensim's summed training loss of each epoch (differences of
        ``get_latest_training_loss()``; gensim accumulates it in float32).

    Examples
    --------
    >>> from gensim.test.utils import common_texts
    >>> vocabulary = Vocabulary.build(common_texts, min_count=1)
    >>> model, losses = train_word2vec(common_texts, vocabulary, vector_size=10, epochs=3, workers=1)
    >>> sorted(model.wv.index_to_key) == sorted(vocabulary.words), len(losses), model.corpus_count
    (True, 3, 9)
    """
    from gensim.models import Word2Vec

    if not isinstance(vocabulary, Vocabulary) or len(vocabulary) == 0:
        raise ValueError("vocabulary must be a non-empty glove_gensim Vocabulary")
    for forced in ("sg", "hs", "min_count", "compute_loss", "sentences", "corpus_file", "corpus_iterable"):
        if forced in params:
            raise ValueError(f"{forced} is fixed by train_word2vec (skip-gram, negative sampling, our "
                             f"vocabulary and documents); remove {forced}=")
    options = {**sgns_defaults(), "workers": WORKERS, **params}
    for name in ("vector_size", "window", "negative", "epochs", "workers"):
        check_int(name, options[name], 1)
    check_int("seed", options["seed"], 0)
    for name in ("alpha", "min_alpha"):
        check_positive(name, options[name])
    check_positive("sample", options["sample"], allow_zero=True)
    corpus = corpus if isinstance(corpus, Corpus) else Corpus(corpus)
    pieces = Pieces(corpus)
    n_pieces = n_tokens = 0
    for piece in pieces:
        n_pieces += 1
        n_tokens += len(piece)
    if n_pieces == 0:
        raise ValueError(f"{corpus.description} holds no documents")
    recorder = _EpochLoss()
    model = Word2Vec(sg=1, hs=0, min_count=1, compute_loss=True, **options)
    model.build_vocab_from_freq(dict(zip(vocabulary.words, vocabulary.counts.tolist())), corpus_count=n_pieces)
    model.corpus_total_words = n_tokens
    model.train(corpus_iterable=pieces, total_examples=n_pieces, epochs=model.epochs,
                compute_loss=True, callbacks=[recorder, *callbacks])
    logger.info("gensim Word2Vec: %d words, per-epoch losses %s", len(model.wv), recorder.losses)
    return model, recorder.losses
