"""Word-similarity evaluation: cosine similarity against human judgements.

Reads gensim's word-pair format (``word1<TAB>word2<TAB>score``, ``#`` comments; spaces accepted
instead of tabs), scores each pair by the cosine of its two vectors and reports Spearman's and
Pearson's correlation with the gold scores, exactly as :meth:`gensim.models.KeyedVectors.evaluate_word_pairs`
does (same case folding, same ``restrict_vocab`` rule), plus full coverage: every pair with an
unknown word is listed and counted, never silently dropped and never scored 0.

Examples
--------
>>> kv = _example_kv()  # computer, software, keyboard, internet, news in 2 dimensions
>>> result = evaluate_similarity(kv, "wordsim353")
>>> result.spearman, result.n_covered, result.n_pairs
(1.0, 4, 353)
"""
from __future__ import annotations

import logging
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from gensim.models import KeyedVectors
from gensim.test.utils import datapath
from scipy import stats

from evaluation._vocab import build_lookup, check_kv, fold

logger = logging.getLogger(__name__)

#: Data sets shipped with gensim, usable by name.
BUNDLED_SIMILARITY_SETS: dict[str, str] = {
    "wordsim353": "wordsim353.tsv",
    "simlex999": "simlex999.txt",
}


@dataclass(frozen=True)
class WordPairs:
    """A word-similarity data set.

    Attributes
    ----------
    name : str
        Short name (the bundled name or the file stem).
    path : str
        File read.
    pairs : list of (str, str)
        Word pairs in file order, as written in the file.
    gold : ndarray, shape [n_pairs]
        Human similarity scores.
    skipped_lines : list of int
        0-based line numbers that were neither comments nor valid pairs.

    Examples
    --------
    >>> pairs = read_word_pairs("wordsim353")
    >>> pairs.name, len(pairs), pairs.pairs[1], float(pairs.gold[1])
    ('wordsim353', 353, ('tiger', 'cat'), 7.35)
    """

    name: str
    path: str
    pairs: list[tuple[str, str]]
    gold: np.ndarray
    skipped_lines: list[int] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.pairs)


@dataclass
class SimilarityResult:
    """Scores of one model on one word-similarity set.

    Attributes
    ----------
    dataset : str
        Data set name.
    path : str
        Data set file.
    spearman, spearman_pvalue : float
        Spearman's rank correlation of cosine vs gold over the covered pairs, and its p-value.
    pearson, pearson_pvalue : float
        Pearson's correlation and its p-value.
    n_pairs : int
        Valid pairs in the file.
    n_covered : int
        Pairs whose two words are both known (the pairs scored).
    oov_pairs : list of (str, str, float)
        Pairs not scored because a word is unknown, with their gold score, in file order.
    oov_words : dict of str to int
        Unknown words and how many pairs each one knocked out.
    pair_ids : ndarray of int, shape [n_covered]
        Position of each covered pair in the data set (to pair two models' results).
    gold : ndarray, shape [n_covered]
        Gold scores of the covered pairs.
    cosine : ndarray, shape [n_covered]
        Model cosines of the covered pairs.
    restrict_vocab : int or None
    case_insensitive : bool

    Examples
    --------
    >>> result = evaluate_similarity(_example_kv(), "wordsim353")
    >>> result.pair_ids.tolist(), round(result.coverage, 4), result.n_oov
    ([4, 5, 171, 269], 0.0113, 349)
    >>> sorted(result.to_dict(include_pairs=False))[:4]
    ['case_insensitive', 'coverage', 'dataset', 'n_covered']
    """

    dataset: str
    path: str
    spearman: float
    spearman_pvalue: float
    pearson: float
    pearson_pvalue: float
    n_pairs: int
    n_covered: int
    oov_pairs: list[tuple[str, str, float]]
    oov_words: dict[str, int]
    pair_ids: np.ndarray
    gold: np.ndarray
    cosine: np.ndarray
    restrict_vocab: int | None = None
    case_insensitive: bool = True

    @property
    def n_oov(self) -> int:
        """Number of pairs not scored."""
        return len(self.oov_pairs)

    @property
    def coverage(self) -> float:
        """Fraction of the data set's pairs that were scored, in [0, 1]."""
        return self.n_covered / self.n_pairs if self.n_pairs else 0.0

    @property
    def oov_ratio(self) -> float:
        """Percentage of pairs not scored (gensim's ``oov_ratio``)."""
        return 100.0 * self.n_oov / self.n_pairs if self.n_pairs else 0.0

    def to_dict(self, include_pairs: bool = True) -> dict[str, Any]:
        """JSON-ready summary (the OOV list included; per-pair arrays when ``include_pairs``)."""
        out: dict[str, Any] = {
            "dataset": self.dataset, "path": self.path,
            "spearman": self.spearman, "spearman_pvalue": self.spearman_pvalue,
            "pearson": self.pearson, "pearson_pvalue": self.pearson_pvalue,
            "n_pairs": self.n_pairs, "n_covered": self.n_covered, "n_oov": self.n_oov,
            "coverage": self.coverage,
            "oov_pairs": [list(p) for p in self.oov_pairs],
            "oov_words": dict(self.oov_words),
            "restrict_vocab": self.restrict_vocab, "case_insensitive": self.case_insensitive,
        }
        if include_pairs:
            out["pair_ids"] = self.pair_ids.tolist()
            out["cosine"] = self.cosine.tolist()
        return out


def resolve_dataset(dataset: str | os.PathLike, bundled: dict[str, str]) -> tuple[str, str]:
    """Return ``(name, path)`` for a bundled data set name or a file path.

    Examples
    --------
    >>> resolve_dataset("simlex999", BUNDLED_SIMILARITY_SETS)
    ('simlex999', '...simlex999.txt')
    """
    key = str(dataset)
    if key in bundled:
        return key, datapath(bundled[key])
    path = Path(dataset)
    if not path.is_file():
        raise FileNotFoundError(f"no such data set file: {path} (bundled names: {', '.join(sorted(bundled))})")
    return path.stem, str(path)


def read_word_pairs(dataset: str | os.PathLike, encoding: str = "utf8", malformed: str = "raise") -> WordPairs:
    """Read a word-similarity file.

    Parameters
    ----------
    dataset : str or PathLike
        ``"wordsim353"`` or ``"simlex999"`` (gensim's bundled copies) or a path to a file whose
        lines are ``word1 word2 score`` separated by tabs (or, when a line has no tab, by spaces).
        Lines starting with ``#`` are comments; blank lines are skipped.
    encoding : str
        File encoding.
    malformed : {"raise", "skip"}
        A line that is not ``word1 word2 score`` raises ``ValueError`` naming the file and line
        (default), or is skipped and logged as gensim does.

    Returns
    -------
    WordPairs

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "pairs.txt"
    ...     _ = path.write_text("# word1 word2 score\\ncat\\tdog\\t7.5\\nnot a pair\\ncar truck 6\\n")
    ...     pairs = read_word_pairs(path, malformed="skip")
    >>> pairs.name, pairs.pairs, pairs.gold.tolist(), pairs.skipped_lines
    ('pairs', [('cat', 'dog'), ('car', 'truck')], [7.5, 6.0], [2])
    """
    if malformed not in ("raise", "skip"):
        raise ValueError(f"malformed must be 'raise' or 'skip', not {malformed!r}")
    name, path = resolve_dataset(dataset, BUNDLED_SIMILARITY_SETS)
    pairs: list[tuple[str, str]] = []
    gold: list[float] = []
    skipped: list[int] = []
    with open(path, encoding=encoding) as fin:
        for line_no, line in enumerate(fin):
            if line.startswith("#"):
                continue
            fields = line.rstrip("\r\n").split("\t") if "\t" in line else line.split()
            try:
                a, b, score = fields
                value = float(score)
            except (ValueError, TypeError):
                if line.strip() and malformed == "raise":
                    raise ValueError(f"{path}:{line_no + 1}: expected 'word1 word2 score', got "
                                     f"{line.rstrip()[:80]!r} (use malformed='skip' to skip such lines)") from None
                if line.strip():
                    logger.info("skipping invalid line #%d in %s", line_no, path)
                skipped.append(line_no)
                continue
            pairs.append((a.strip(), b.strip()))
            gold.append(value)
    logger.debug("read %d word pairs from %s", len(pairs), path)
    return WordPairs(name=name, path=path, pairs=pairs, gold=np.asarray(gold, dtype=np.float64),
                     skipped_lines=skipped)


def evaluate_similarity(kv: KeyedVectors, dataset: str | os.PathLike | WordPairs = "wordsim353",
                        restrict_vocab: int | None = 300000, case_insensitive: bool = True) -> SimilarityResult:
    """Correlate cosine similarities with human judgements, as gensim's ``evaluate_word_pairs``.

    Parameters
    ----------
    kv : KeyedVectors
        The vectors to evaluate.
    dataset : str, PathLike or WordPairs
        A bundled name (``"wordsim353"``, ``"simlex999"``), a file path, or pairs already read.
    restrict_vocab : int or None
        Only the first ``restrict_vocab`` keys count as known (gensim's default 300000).
    case_insensitive : bool
        Compare upper-cased words; of several case variants the first in key order is used.

    Returns
    -------
    SimilarityResult

    Raises
    ------
    ValueError
        When no pair is covered (the OOV words are named in the message).

    Examples
    --------
    >>> kv = KeyedVectors(2)
    >>> kv.add_vectors(["computer", "software", "keyboard", "internet", "news"],
    ...                [[1, 0], [1, 0.1], [1, 0.3], [1, 0.35], [0.2, 1]])
    >>> result = evaluate_similarity(kv, "wordsim353")
    >>> round(result.spearman, 3), round(result.pearson, 3), result.n_covered
    (1.0, 0.982, 4)
    >>> result.oov_words["tiger"]  # pairs that "tiger" knocked out
    11
    """
    check_kv(kv)
    data = dataset if isinstance(dataset, WordPairs) else read_word_pairs(dataset)
    lookup = build_lookup(kv, restrict_vocab, case_insensitive)
    ids, rows_a, rows_b, oov_pairs = [], [], [], []
    oov_words: Counter[str] = Counter()
    for i, (a, b) in enumerate(data.pairs):
        ia, ib = lookup.get(fold(a, case_insensitive)), lookup.get(fold(b, case_insensitive))
        if ia is None or ib is None:
            oov_pairs.append((a, b, float(data.gold[i])))
            oov_words.update(w for w, idx in ((a, ia), (b, ib)) if idx is None)
            continue
        ids.append(i)
        rows_a.append(ia)
        rows_b.append(ib)
    if not ids:
        raise ValueError(f"no pair of {data.name} ({data.path}) is in the vocabulary; unknown words "
                         f"include {sorted(oov_words)[:10]}")
    vectors = np.asarray(kv.vectors, dtype=np.float64)
    va, vb = vectors[rows_a], vectors[rows_b]
    norms = np.linalg.norm(va, axis=1) * np.linalg.norm(vb, axis=1)
    cosine = np.einsum("ij,ij->i", va, vb) / np.where(norms > 0, norms, 1.0)
    gold = data.gold[ids]
    spearman = stats.spearmanr(gold, cosine)
    pearson = stats.pearsonr(gold, cosine)
    result = SimilarityResult(
        dataset=data.name, path=data.path,
        spearman=float(spearman.statistic), spearman_pvalue=float(spearman.pvalue),
        pearson=float(pearson.statistic), pearson_pvalue=float(pearson.pvalue),
        n_pairs=len(data), n_covered=len(ids), oov_pairs=oov_pairs, oov_words=dict(oov_words),
        pair_ids=np.asarray(ids, dtype=np.int64), gold=gold, cosine=cosine,
        restrict_vocab=restrict_vocab, case_insensitive=case_insensitive)
    logger.info("%s: spearman %.4f pearson %.4f on %d/%d pairs (%d with unknown words)", data.name,
                result.spearman, result.pearson, result.n_covered, result.n_pairs, result.n_oov)
    return result


def _example_kv() -> KeyedVectors:
    """Five wordsim353 words in 2 dimensions, for the examples."""
    kv = KeyedVectors(2)
    kv.add_vectors(["computer", "software", "keyboard", "internet", "news"],
                   [[1, 0], [1, 0.1], [1, 0.3], [1, 0.35], [0.2, 1]])
    return kv
