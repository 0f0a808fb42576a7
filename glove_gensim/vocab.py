"""Vocabulary: word counts from one streaming pass, pruning, ordering, Stanford ``vocab.txt``.

Order is by descending count, ties broken by first appearance in the corpus, so
``restrict_vocab=N`` means "the N most frequent words". Words below ``min_count`` are dropped:
there is no ``<unk>`` row. A Stanford ``vocab.txt`` keeps its own order when loaded.
"""
from __future__ import annotations

import logging
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import chain, repeat
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from glove_gensim.counting import drop_out_of_vocabulary
from glove_gensim.files import atomic_write, load_arrays, save_arrays
from glove_gensim.progress import progress_bar
from glove_gensim.validation import check_int

logger = logging.getLogger(__name__)

_FORMAT = "glove_gensim.vocabulary"
_UNWRITABLE = re.compile(r"[\s\x00-\x1f\x7f]")
_VERSION = 1


def keep_word(word: str, count: int, min_count: int, trim_rule=None) -> bool:
    """gensim's ``keep_vocab_item``: ``count >= min_count``, unless ``trim_rule`` decides.

    Examples
    --------
    >>> from gensim.utils import RULE_KEEP
    >>> keep_word("rare", 1, 5), keep_word("rare", 1, 5, lambda word, count, min_count: RULE_KEEP)
    (False, True)
    """
    if trim_rule is None:
        return count >= min_count
    from gensim.utils import keep_vocab_item

    return bool(keep_vocab_item(word, count, min_count, trim_rule))


def effective_min_count(counts: np.ndarray, min_count: int, max_final_vocab: int | None) -> int:
    """gensim's ``effective_min_count``: ``min_count``, raised by ``max_final_vocab`` to one more
    than the count of the ``max_final_vocab + 1``-th most frequent word.

    Examples
    --------
    >>> effective_min_count(np.array([9, 7, 7, 3, 1]), 1, 2)  # the third word has 7: keep > 7
    8
    >>> effective_min_count(np.array([9, 7, 7, 3, 1]), 5, None), effective_min_count(np.array([9, 7]), 1, 5)
    (5, 1)
    """
    if max_final_vocab is None or max_final_vocab >= len(counts):
        return min_count
    boundary = int(np.partition(-np.asarray(counts), max_final_vocab)[max_final_vocab])
    return max(-boundary + 1, min_count)



@dataclass(eq=False)
class Vocabulary:
    """Words and their corpus counts, in index order.

    Parameters
    ----------
    words : sequence of str
        Distinct words; position = index (row of the embedding tables).
    counts : array-like of int, shape [n_words]
        Corpus count of each word.
    total_tokens : int, optional
        Tokens seen while counting, in-vocabulary or not (0 if unknown).

    Examples
    --------
    >>> vocab = Vocabulary.build([["a", "b", "a"], ["c", "a", "b"]], min_count=2)
    >>> vocab.words, vocab.counts.tolist()
    (['a', 'b'], [3, 2])
    """

    words: list[str]
    counts: np.ndarray
    total_tokens: int = 0
    index: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.words = list(self.words)
        self.counts = np.asarray(self.counts, dtype=np.int64).reshape(-1)
        if len(self.words) != len(self.counts):
            raise ValueError(f"{len(self.words)} words but {len(self.counts)} counts")
        self.index = {word: i for i, word in enumerate(self.words)}
        if len(self.index) != len(self.words):
            raise ValueError("vocabulary words must be distinct")
        bad = _UNWRITABLE.search("".join(self.words)) if self.words else None
        if bad is not None or "" in self.index:
            word = "" if bad is None else next(w for w in self.words if _UNWRITABLE.search(w))
            raise ValueError(f"vocabulary word {word!r} is empty or contains whitespace or control "
                             "characters, which no text vector format can hold")

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word: str) -> bool:
        return word in self.index

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Vocabulary) and self.words == other.words
                and np.array_equal(self.counts, other.counts))

    @classmethod
    def build(cls, documents: Iterable[Sequence[str]], min_count: int = 5,
              max_vocab_size: int | None = None, max_final_vocab: int | None = None,
              progress: bool = False, backend: str = "local", client=None,
              workers: int | None = None, trim_rule=None) -> "Vocabulary":
        """Count words in one pass and keep those with count >= ``min_count``.

        Parameters
        ----------
        documents : iterable of list of str
            Usually a :class:`glove_gensim.corpus.Corpus`.
        min_count : int
            Minimum corpus count for a word to be kept.
        max_vocab_size : int, optional
            Bound on distinct words held while counting, exactly as gensim's ``_scan_vocab``: after
            a document leaves more than this many, words with count below a threshold are dropped
            (the threshold starts at 1, so the first prune drops nothing, and rises by one per
            prune), so memory stays bounded. Counts are then approximate for words that were
            pruned and came back.
        max_final_vocab : int, optional
            As gensim's ``prepare_vocab``: raise the effective ``min_count`` to one more than the
            count of the ``max_final_vocab + 1``-th most frequent word, so at most this many words
            are kept (fewer when words tie at the boundary: ties are kept or dropped together).
        trim_rule : callable, optional
            gensim's ``trim_rule(word, count, min_count)`` (``gensim.utils.RULE_KEEP`` /
            ``RULE_DISCARD`` / ``RULE_DEFAULT``), applied when pruning and when keeping words,
            as gensim applies it (local backend only).
        progress : bool
            Show a tqdm bar (tokens/s) on stderr.
        backend : {"local", "dask"}
            ``"dask"``: count partitions of a file corpus in Dask tasks and merge them (same
            result, see :func:`glove_gensim.distributed.count_words`).
        client : dask.distributed.Client, optional
            With ``backend="dask"``; ``None`` starts a LocalCluster of ``workers`` processes.
        workers : int, optional
            Worker processes of that LocalCluster (default: CPU count).

        Raises
        ------
        ValueError
            Bad arguments, an empty corpus, or no word reaching ``min_count``.
        """
        if backend not in ("local", "dask"):
            raise ValueError(f"backend must be 'local' or 'dask', not {backend!r}")
        check_int("min_count", min_count, 1)
        check_int("max_vocab_size", max_vocab_size, 1, allow_none=True)
        check_int("max_final_vocab", max_final_vocab, 1, allow_none=True)
        description = getattr(documents, "description", "corpus")
        if backend == "dask":
            from glove_gensim.distributed import count_words

            if trim_rule is not None:
                raise ValueError("trim_rule works with backend='local' only")
            counter, total = count_words(documents, max_vocab_size=max_vocab_size, client=client,
                                         workers=workers)
            vocab = cls.from_counter(counter, total, min_count, max_final_vocab, description)
            log_collected(vocab, len(counter), description, min_count, " on Dask")
            return vocab
        counter: Counter = Counter()
        total = 0
        prune_threshold = 1
        peak_types = 0
        with progress_bar(progress, "vocabulary") as bar:
            for document in documents:
                counter.update(document)
                total += len(document)
                bar.update(len(document))
                if max_vocab_size is not None and len(counter) > max_vocab_size:
                    peak_types = max(peak_types, len(counter))
                    counter = Counter({w: c for w, c in counter.items()
                                       if keep_word(w, c, prune_threshold, trim_rule)})
                    prune_threshold += 1
        vocab = cls.from_counter(counter, total, min_count, max_final_vocab, description, trim_rule)
        if max_vocab_size is not None:
            logger.info("held at most %d word types while counting (max_vocab_size=%d, pruned up to "
                        "count %d)", max(peak_types, len(counter)), max_vocab_size, prune_threshold - 1)
        log_collected(vocab, len(counter), description, min_count)
        return vocab

    @classmethod
    def from_counter(cls, counter: Counter, total_tokens: int, min_count: int = 5,
                     max_final_vocab: int | None = None, description: str = "corpus",
                     trim_rule=None) -> "Vocabulary":
        """The vocabulary of word counts in first-appearance order (what :meth:`build` counts):
        words with count >= :func:`effective_min_count` (and as ``trim_rule`` says), by descending
        count, ties by first appearance.

        Raises
        ------
        ValueError
            ``total_tokens`` is 0, or no word reaches ``min_count``.
        """
        counts = np.fromiter(counter.values(), dtype=np.int64, count=len(counter))
        return cls.from_word_counts(list(counter), counts, total_tokens, min_count, max_final_vocab,
                                    description, trim_rule)

    @classmethod
    def from_word_counts(cls, words: Sequence[str], counts: np.ndarray, total_tokens: int,
                         min_count: int = 5, max_final_vocab: int | None = None,
                         description: str = "corpus", trim_rule=None) -> "Vocabulary":
        """The vocabulary of distinct ``words`` in first-appearance order and their ``counts``.

        Words with ``counts >=`` :func:`effective_min_count` (gensim's: ``min_count`` raised by
        ``max_final_vocab``; ``trim_rule`` decides where given), by descending count, ties in the
        given order.

        Raises
        ------
        ValueError
            ``total_tokens`` is 0, or no word reaches ``min_count``.

        Examples
        --------
        >>> Vocabulary.from_word_counts(["x", "y", "z"], np.array([1, 3, 3]), 7, min_count=2).words
        ['y', 'z']
        """
        if total_tokens == 0:
            raise ValueError(f"{description} is empty: no tokens found")
        counts = np.asarray(counts, dtype=np.int64)
        threshold = effective_min_count(counts, min_count, max_final_vocab)
        if threshold != min_count:
            logger.info("max_final_vocab=%d and min_count=%d resulted in effective_min_count=%d",
                        max_final_vocab, min_count, threshold)
        if trim_rule is None:
            keep = np.flatnonzero(counts >= threshold)
        else:
            keep = np.flatnonzero([keep_word(w, c, threshold, trim_rule) for w, c in zip(words, counts.tolist())])
        if not len(keep):
            raise ValueError(f"no word of {description} reaches min_count={min_count} "
                             f"({total_tokens} tokens, {len(words)} distinct, the most frequent "
                             f"seen {counts.max()} times); lower min_count")
        order = keep[np.argsort(-counts[keep], kind="stable")]
        return cls([words[i] for i in order.tolist()], counts[order], total_tokens=total_tokens)

    def lookup(self, tokens: Sequence[str]) -> np.ndarray:
        """Indices of ``tokens`` as int32, -1 for out-of-vocabulary tokens (no Python-level loop)."""
        return np.fromiter(map(self.index.get, tokens, repeat(-1)), dtype=np.int32, count=len(tokens))

    def encode(self, documents: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
        """In-vocabulary ids of a batch of documents, out-of-vocabulary tokens removed.

        Returns
        -------
        ids : int32 [n_kept]
            Documents concatenated.
        doc_starts : int64 [n_documents + 1]
            Offsets of each document in ``ids`` (empty documents have equal offsets).
        """
        lengths = np.fromiter(map(len, documents), dtype=np.int64, count=len(documents))
        return drop_out_of_vocabulary(self.lookup(list(chain.from_iterable(documents))), lengths)

    def save(self, path: str | os.PathLike) -> Path:
        """Save to our ``.npz`` format (or Stanford's ``vocab.txt`` when the name ends in ``.txt``)."""
        if str(path).endswith(".txt"):
            return self.save_stanford(path)
        return save_arrays(path, _FORMAT, _VERSION, self.to_arrays(),
                           {"total_tokens": int(self.total_tokens), "n_words": len(self)})

    @classmethod
    def load(cls, path: str | os.PathLike) -> "Vocabulary":
        """Load a file written by :meth:`save` (``.txt`` files are read as Stanford ``vocab.txt``)."""
        if str(path).endswith(".txt"):
            return cls.load_stanford(path)
        arrays, meta = load_arrays(path, _FORMAT, _VERSION)
        return cls.from_arrays(arrays, total_tokens=int(meta.get("total_tokens", 0)))

    def to_arrays(self, prefix: str = "") -> dict[str, np.ndarray]:
        """The vocabulary as numeric arrays for our ``.npz`` files (words as UTF-8 bytes, no pickle)."""
        encoded = "\n".join(self.words).encode("utf-8")
        return {f"{prefix}words_utf8": np.frombuffer(encoded, dtype=np.uint8), f"{prefix}counts": self.counts}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], prefix: str = "", total_tokens: int = 0) -> "Vocabulary":
        """Inverse of :meth:`to_arrays`."""
        counts = arrays[f"{prefix}counts"]
        words = arrays[f"{prefix}words_utf8"].tobytes().decode("utf-8").split("\n") if len(counts) else []
        return cls(words, counts, total_tokens=total_tokens)

    def save_stanford(self, path: str | os.PathLike) -> Path:
        """Write Stanford GloVe's ``vocab.txt``: ``word count`` per line, in index order."""
        with atomic_write(path, "w") as handle:
            handle.writelines(f"{w} {c}\n" for w, c in zip(self.words, self.counts.tolist()))
        return Path(path)

    @classmethod
    def load_stanford(cls, path: str | os.PathLike, min_count: int = 1) -> "Vocabulary":
        """Read Stanford's ``vocab.txt`` keeping the file's order (its ids are 1-based positions).

        Raises
        ------
        FileNotFoundError, ValueError
            Missing file, or a malformed line (named with its number).
        """
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"vocabulary file {path} does not exist")
        words, counts = [], []
        with open(path, "rb") as handle:
            for number, raw in enumerate(handle, 1):
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    raise ValueError(f"{path}:{number}: invalid UTF-8 ({exc.reason})") from exc
                fields = line.split()
                if not fields:
                    continue
                if len(fields) != 2 or not fields[1].isdigit():
                    raise ValueError(f"{path}:{number}: expected 'word count', got {line.rstrip()!r}")
                if int(fields[1]) >= min_count:
                    words.append(fields[0])
                    counts.append(int(fields[1]))
        if not words:
            raise ValueError(f"vocabulary file {path} holds no words")
        return cls(words, counts)


def log_collected(vocab: Vocabulary, n_types: int, description: str, min_count: int, where: str = "") -> None:
    """Log what a vocabulary pass found and kept.

    Examples
    --------
    >>> log_collected(Vocabulary(["a"], [3], total_tokens=4), n_types=2, description="a test", min_count=2)
    """
    logger.info("collected %d word types from %d tokens in %s%s; kept %d with count >= %d "
                "(%.1f%% of tokens)", n_types, vocab.total_tokens, description, where, len(vocab), min_count,
                100.0 * vocab.counts.sum() / vocab.total_tokens)
