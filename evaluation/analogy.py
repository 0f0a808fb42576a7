"""Word analogies (``a : b :: c : ?``) by 3CosAdd and 3CosMul, vectorised over questions.

Reads gensim's / word2vec's ``questions-words.txt`` format (``: section`` headers, then lines of
four words). A question counts only when its four words are among the first ``restrict_vocab``
keys (case-folded as gensim does); the others are reported as out of vocabulary, never scored.

The answer is the best-scoring word of the restricted vocabulary other than the three question
words (and, when case-insensitive, other than any case variant of them, as gensim's
``evaluate_word_analogies`` does):

* 3CosAdd: ``argmax_d cos(d, b) - cos(d, a) + cos(d, c)`` (equal to gensim's
  ``most_similar(positive=[b, c], negative=[a])``);
* 3CosMul (Levy & Goldberg, 2014): ``argmax_d cos'(d, b) cos'(d, c) / (cos'(d, a) + eps)`` with
  ``cos' = (cos + 1) / 2`` and ``eps = 1e-3``.

Scores are computed in batches of questions with one ``[batch, dim] x [dim, vocab]`` product per
question word on unit-normalised float32 rows.
"""
from __future__ import annotations

import logging
import os
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
from gensim.models import KeyedVectors

from evaluation._vocab import build_lookup, check_kv, fold, unit_rows
from evaluation.similarity import resolve_dataset

logger = logging.getLogger(__name__)

BUNDLED_ANALOGY_SETS: dict[str, str] = {"questions-words": "questions-words.txt"}
METHODS = ("3cosadd", "3cosmul")


@dataclass(frozen=True)
class AnalogyQuestions:
    """An analogy data set: ``sections`` in file order, each a list of 4-tuples of words.

    Examples
    --------
    >>> questions = read_analogies("questions-words")
    >>> questions.n_questions, len(questions.sections), questions.sections[0][1][0]
    (19544, 14, ('Athens', 'Greece', 'Baghdad', 'Iraq'))
    """

    name: str
    path: str
    sections: list[tuple[str, list[tuple[str, str, str, str]]]]
    skipped_lines: list[int] = field(default_factory=list)

    @property
    def n_questions(self) -> int:
        return sum(len(q) for _, q in self.sections)


@dataclass
class SectionScore:
    """Counts for one section (or the total).

    Attributes
    ----------
    section : str
    correct, incorrect : int
        Covered questions answered right / wrong.
    oov : int
        Questions not scored because a word is unknown.

    Examples
    --------
    >>> score = SectionScore("capital-common-countries", correct=3, incorrect=1, oov=2)
    >>> score.n_covered, score.accuracy
    (4, 0.75)
    """

    section: str
    correct: int
    incorrect: int
    oov: int

    @property
    def n_covered(self) -> int:
        return self.correct + self.incorrect

    @property
    def accuracy(self) -> float:
        """Correct / covered (0.0 when nothing is covered)."""
        return self.correct / self.n_covered if self.n_covered else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"section": self.section, "correct": self.correct, "incorrect": self.incorrect,
                "oov": self.oov, "accuracy": self.accuracy}


@dataclass
class AnalogyResult:
    """Analogy accuracy of one model with one method.

    Attributes
    ----------
    dataset, path : str
    method : {"3cosadd", "3cosmul"}
    sections : list of SectionScore
        Per section, in file order.
    total : SectionScore
        All sections together; ``total.accuracy`` is gensim's overall score.
    question_ids : ndarray of int, shape [n_covered]
        Position (over the whole file, in order) of each covered question.
    correct : ndarray of bool, shape [n_covered]
        Whether each covered question was answered right.
    predicted : list of str
        The model's answer to each covered question.
    oov_questions : list of (str, str, str, str)
    oov_words : dict of str to int
        Unknown words and how many questions each knocked out.

    Examples
    --------
    >>> eye = np.eye(5)  # capitals e0..e3, each country = its capital + e4
    >>> kv = KeyedVectors(5)
    >>> kv.add_vectors(["athens", "baghdad", "bangkok", "beijing", "greece", "iraq", "thailand", "china"],
    ...                np.vstack([eye[:4], eye[:4] + eye[4]]))
    >>> result = evaluate_analogies(kv)
    >>> result.accuracy, result.total.n_covered, result.n_questions, result.predicted[:2]
    (1.0, 18, 19544, ['iraq', 'thailand'])
    >>> [(s.section, s.correct) for s in result.sections if s.n_covered]
    [('capital-common-countries', 12), ('capital-world', 6)]
    """

    dataset: str
    path: str
    method: str
    sections: list[SectionScore]
    total: SectionScore
    question_ids: np.ndarray
    correct: np.ndarray
    predicted: list[str]
    oov_questions: list[tuple[str, str, str, str]]
    oov_words: dict[str, int]
    restrict_vocab: int | None = 30000
    case_insensitive: bool = True

    @property
    def accuracy(self) -> float:
        return self.total.accuracy

    @property
    def n_questions(self) -> int:
        return self.total.n_covered + self.total.oov

    @property
    def coverage(self) -> float:
        """Fraction of questions scored, in [0, 1]."""
        return self.total.n_covered / self.n_questions if self.n_questions else 0.0

    def to_dict(self, include_questions: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "dataset": self.dataset, "path": self.path, "method": self.method,
            "accuracy": self.accuracy, "coverage": self.coverage, "n_questions": self.n_questions,
            "n_covered": self.total.n_covered, "n_oov": self.total.oov,
            "total": self.total.to_dict(), "sections": [s.to_dict() for s in self.sections],
            "oov_words": dict(self.oov_words), "n_oov_questions": len(self.oov_questions),
            "restrict_vocab": self.restrict_vocab, "case_insensitive": self.case_insensitive,
        }
        if include_questions:
            out["oov_questions"] = [list(q) for q in self.oov_questions]
            out["correct"] = self.correct.astype(int).tolist()
        return out


def read_analogies(dataset: str | os.PathLike = "questions-words", encoding: str = "utf8") -> AnalogyQuestions:
    """Read an analogy file in ``questions-words.txt`` format.

    Parameters
    ----------
    dataset : str or PathLike
        ``"questions-words"`` (gensim's bundled copy) or a path.

    Raises
    ------
    ValueError
        A question before the first ``: section`` header.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "capitals.txt"
    ...     _ = path.write_text(": capitals\\nathens greece paris france\\nbad line\\n")
    ...     questions = read_analogies(path)
    >>> questions.name, questions.sections, questions.skipped_lines
    ('capitals', [('capitals', [('athens', 'greece', 'paris', 'france')])], [2])
    """
    name, path = resolve_dataset(dataset, BUNDLED_ANALOGY_SETS)
    sections: list[tuple[str, list]] = []
    skipped: list[int] = []
    with open(path, encoding=encoding) as fin:
        for line_no, line in enumerate(fin):
            if line.startswith(": "):
                sections.append((line.lstrip(": ").strip(), []))
                continue
            words = line.split()
            if not words:
                skipped.append(line_no)
                continue
            if not sections:
                raise ValueError(f"missing ': section' header before line #{line_no} in {path}")
            if len(words) != 4:
                logger.info("skipping invalid line #%d in %s", line_no, path)
                skipped.append(line_no)
                continue
            sections[-1][1].append(tuple(words))
    return AnalogyQuestions(name=name, path=path, sections=sections, skipped_lines=skipped)


def evaluate_analogies(kv: KeyedVectors, dataset: str | os.PathLike | AnalogyQuestions = "questions-words",
                       method: str = "3cosadd", restrict_vocab: int | None = 30000,
                       case_insensitive: bool = True, epsilon: float = 1e-3,
                       batch_size: int = 512) -> AnalogyResult:
    """Answer analogy questions and report accuracy per section and in total.

    Parameters
    ----------
    kv : KeyedVectors
    dataset : str, PathLike or AnalogyQuestions
        ``"questions-words"`` (bundled), a path, or questions already read.
    method : {"3cosadd", "3cosmul"}
    restrict_vocab : int or None
        Only the first ``restrict_vocab`` keys are known and candidate answers (default 30000, the
        classic word2vec ``compute-accuracy`` setting; gensim's own method defaults to 300000).
    case_insensitive : bool
        Upper-case words as gensim does.
    epsilon : float
        3CosMul's denominator guard.
    batch_size : int
        Questions per matrix product; memory is ``batch_size * vocab * 4`` bytes a few times over.

    Returns
    -------
    AnalogyResult

    Examples
    --------
    >>> import numpy as np
    >>> from gensim.models import KeyedVectors
    >>> kv = KeyedVectors(2)
    >>> kv.add_vectors(["king", "queen", "man", "woman", "dog"],
    ...                np.array([[1, 1], [1, 2], [0.1, 1], [0.1, 2], [-1, 0]], dtype=np.float32))
    >>> evaluate_analogies(kv, AnalogyQuestions("toy", "toy", [("family", [("man", "woman", "king", "queen")])]),
    ...                    method="3cosmul").accuracy
    1.0
    """
    return evaluate_analogy_methods(kv, dataset, (method,), restrict_vocab=restrict_vocab,
                                    case_insensitive=case_insensitive, epsilon=epsilon,
                                    batch_size=batch_size)[method.lower()]


def evaluate_analogy_methods(kv: KeyedVectors, dataset: str | os.PathLike | AnalogyQuestions = "questions-words",
                             methods: Sequence[str] = METHODS, *, restrict_vocab: int | None = 30000,
                             case_insensitive: bool = True, epsilon: float = 1e-3,
                             batch_size: int = 512) -> dict[str, AnalogyResult]:
    """:func:`evaluate_analogies` for several methods at once, sharing the cosine products.

    Returns
    -------
    dict of str to AnalogyResult
        By method name (lower case).

    Examples
    --------
    >>> import numpy as np
    >>> from gensim.models import KeyedVectors
    >>> kv = KeyedVectors(2)
    >>> kv.add_vectors(["king", "queen", "man", "woman"], np.eye(4, 2, dtype=np.float32) + 0.5)
    >>> sorted(evaluate_analogy_methods(kv, AnalogyQuestions("t", "t", [("s", [("man", "woman", "king", "queen")])])))
    ['3cosadd', '3cosmul']
    """
    check_kv(kv)
    methods = [m.lower() for m in methods]
    if not methods or any(m not in METHODS for m in methods):
        raise ValueError(f"methods must be a non-empty subset of {METHODS}, not {methods!r}")
    if batch_size < 1:
        raise ValueError(f"batch_size must be positive, not {batch_size}")
    data = dataset if isinstance(dataset, AnalogyQuestions) else read_analogies(dataset)
    lookup = build_lookup(kv, restrict_vocab, case_insensitive)
    n_rows = min(len(kv.index_to_key), restrict_vocab) if restrict_vocab is not None else len(kv.index_to_key)
    # group id of each candidate row: rows sharing a folded key share a group (case variants)
    folded_keys = [fold(k, case_insensitive) for k in kv.index_to_key[:n_rows]]
    group_of_key = {k: g for g, k in enumerate(dict.fromkeys(folded_keys))}
    row_group = np.fromiter((group_of_key[k] for k in folded_keys), dtype=np.int64, count=n_rows)

    questions, question_ids, question_section = [], [], []
    oov_questions, oov_per_section = [], []
    oov_words: Counter[str] = Counter()
    position = 0
    for s, (_, qs) in enumerate(data.sections):
        n_oov = 0
        for q in qs:
            folded = [fold(w, case_insensitive) for w in q]
            rows = [lookup.get(w) for w in folded]
            if any(r is None for r in rows):
                n_oov += 1
                oov_questions.append(q)
                oov_words.update(w for w, r in zip(q, rows) if r is None)
            else:
                questions.append(rows)
                question_ids.append(position)
                question_section.append(s)
            position += 1
        oov_per_section.append(n_oov)
    q_rows = np.asarray(questions, dtype=np.int64).reshape(-1, 4)
    all_answers = _answer(unit_rows(kv.vectors[:n_rows]), q_rows, row_group, methods, epsilon, batch_size)
    section_ids = np.asarray(question_section, dtype=np.int64)
    results = {}
    for method, answers in zip(methods, all_answers):
        correct = row_group[answers] == row_group[q_rows[:, 3]] if len(q_rows) else np.zeros(0, bool)
        scores = []
        for s, (name, _) in enumerate(data.sections):
            in_section = section_ids == s
            n_right = int(np.count_nonzero(correct & in_section))
            scores.append(SectionScore(name, n_right, int(np.count_nonzero(in_section)) - n_right, oov_per_section[s]))
        total = SectionScore("Total accuracy", int(correct.sum()), int((~correct).sum()), len(oov_questions))
        results[method] = AnalogyResult(
            dataset=data.name, path=data.path, method=method, sections=scores, total=total,
            question_ids=np.asarray(question_ids, dtype=np.int64), correct=correct,
            predicted=[kv.index_to_key[i] for i in answers], oov_questions=oov_questions,
            oov_words=dict(oov_words), restrict_vocab=restrict_vocab, case_insensitive=case_insensitive)
        logger.info("%s %s: accuracy %.4f on %d/%d questions", data.name, method, results[method].accuracy,
                    total.n_covered, results[method].n_questions)
    return results


def _answer(unit: np.ndarray, q_rows: np.ndarray, row_group: np.ndarray, methods: Sequence[str],
            epsilon: float, batch_size: int) -> list[np.ndarray]:
    """Best candidate row for each question, per method. ``unit``: [vocab, dim]; ``q_rows``: [n, 4]."""
    answers = [np.empty(len(q_rows), dtype=np.int64) for _ in methods]
    unit_t = np.ascontiguousarray(unit.T)
    one_row_per_group = bool(np.array_equal(row_group, np.arange(len(row_group))))  # no case variants
    for start in range(0, len(q_rows), batch_size):
        rows = q_rows[start:start + batch_size]
        cos_a, cos_b, cos_c = (unit[rows[:, j]] @ unit_t for j in range(3))  # each [batch, vocab]
        excluded = None
        if not one_row_per_group:
            groups = row_group[rows[:, :3]]  # [batch, 3]
            excluded = (row_group[None, :] == groups[:, 0:1]) | (row_group[None, :] == groups[:, 1:2]) \
                | (row_group[None, :] == groups[:, 2:3])
        for out, method in zip(answers, methods):
            if method == "3cosadd":
                score = cos_b - cos_a + cos_c
            else:
                score = ((cos_b + 1) / 2) * ((cos_c + 1) / 2) / ((cos_a + 1) / 2 + np.float32(epsilon))
            if excluded is None:
                np.put_along_axis(score, rows[:, :3], -np.inf, axis=1)
            else:
                score[excluded] = -np.inf
            out[start:start + len(rows)] = np.argmax(score, axis=1)
    return answers
