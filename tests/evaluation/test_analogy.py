import numpy as np
import pytest
from gensim.test.utils import datapath

from evaluation import evaluate_analogies, read_analogies
from tests.evaluation.evaluation_helpers import make_kv


@pytest.mark.parametrize("restrict_vocab,case_insensitive", [(30000, True), (60, True), (30000, False)])
def test_3cosadd_equals_gensim(analogy_kv, restrict_vocab, case_insensitive):
    ours = evaluate_analogies(analogy_kv, "questions-words", method="3cosadd", restrict_vocab=restrict_vocab,
                              case_insensitive=case_insensitive)
    score, sections = analogy_kv.evaluate_word_analogies(
        datapath("questions-words.txt"), restrict_vocab=restrict_vocab, case_insensitive=case_insensitive)
    assert ours.accuracy == pytest.approx(score, abs=1e-6)
    assert 0 < ours.total.correct and 0 < ours.total.incorrect  # a test that can fail both ways
    by_name = {s["section"]: s for s in sections}
    assert [s.section for s in ours.sections] + ["Total accuracy"] == [s["section"] for s in sections]
    for s in ours.sections + [ours.total]:
        assert s.correct == len(by_name[s.section]["correct"]), s.section
        assert s.incorrect == len(by_name[s.section]["incorrect"]), s.section
    # the same questions are right, not just the same number
    fold = str.upper if case_insensitive else str
    questions = [q for _, qs in read_analogies("questions-words").sections for q in qs]
    ours_right = {tuple(map(fold, questions[i])) for i, ok in zip(ours.question_ids, ours.correct) if ok}
    assert ours_right == set(by_name["Total accuracy"]["correct"])
    assert ours.n_questions == 19544
    assert ours.total.oov == ours.n_questions - ours.total.n_covered > 0
    assert sum(s.oov for s in ours.sections) == ours.total.oov


def _slow_3cosmul(kv, questions, restrict_vocab, eps=1e-3):
    """Pure-Python float64 reference (Levy & Goldberg 2014), gensim's case-folding rules."""
    keys = kv.index_to_key[:restrict_vocab]
    lookup = {}
    for i, k in enumerate(keys):
        lookup.setdefault(k.upper(), i)
    unit = [np.asarray(kv.vectors[i], float) / np.linalg.norm(kv.vectors[i]) for i in range(len(keys))]
    results = []
    for q in questions:
        f = [w.upper() for w in q]
        if any(w not in lookup for w in f):
            results.append(None)
            continue
        a, b, c, d = (unit[lookup[w]] for w in f)
        best, best_score = None, -np.inf
        for i, key in enumerate(keys):
            if key.upper() in f[:3]:
                continue
            cos = lambda v: (float(np.dot(unit[i], v)) + 1) / 2  # noqa: E731
            s = cos(b) * cos(c) / (cos(a) + eps)
            if s > best_score:
                best, best_score = key, s
        results.append(best.upper() == f[3])
    return results


def test_3cosmul_matches_slow_reference(analogy_kv, tmp_path):
    qs = read_analogies("questions-words")
    picked = {name: qs_[:40] for name, qs_ in qs.sections if name in ("capital-common-countries", "family")}
    path = tmp_path / "small.txt"
    path.write_text("".join(f": {n}\n" + "".join(" ".join(q) + "\n" for q in q_) for n, q_ in picked.items())
                    + "athens greece NOWHERE land\n")
    ours = evaluate_analogies(analogy_kv, path, method="3cosmul", restrict_vocab=30000)
    ref = _slow_3cosmul(analogy_kv, [q for q_ in picked.values() for q in q_] + [("athens", "greece", "NOWHERE", "land")],
                        30000)
    covered = [r for r in ref if r is not None]
    assert ours.total.n_covered == len(covered)
    assert ours.total.oov == ref.count(None) >= 1
    assert ours.correct.tolist() == covered
    assert 0 < sum(covered) < len(covered)
    assert ours.sections[-1].section == "family" and ours.sections[-1].oov >= 1
    assert ours.oov_words.get("NOWHERE") == 1


def test_3cosadd_and_3cosmul_on_exact_offsets(tmp_path):
    # d = c + (b - a) exactly: both methods must get every question right
    rng = np.random.default_rng(0)
    base = {w: rng.normal(size=16) for w in ["man", "king", "paris", "rome", "x1", "x2", "x3"]}
    off = rng.normal(size=16)
    words = dict(base)
    for w in ["man", "paris", "x1"]:
        words[w + "_b"] = base[w] + off
    kv = make_kv(list(words), np.stack(list(words.values())))
    q = ": s\nman man_b paris paris_b\nparis paris_b x1 x1_b\nx1 x1_b man man_b\n"
    path = tmp_path / "offsets.txt"
    path.write_text(q)
    for method in ("3cosadd", "3cosmul"):
        res = evaluate_analogies(kv, path, method=method)
        assert res.accuracy == 1.0 and res.total.n_covered == 3, method
        assert res.predicted == ["paris_b", "x1_b", "man_b"]


def test_bad_input(analogy_kv, tmp_path):
    p = tmp_path / "bad.txt"
    p.write_text("a b c d\n")
    with pytest.raises(ValueError, match="section"):
        read_analogies(p)
    with pytest.raises(ValueError, match="method"):
        evaluate_analogies(analogy_kv, method="3cosfoo")
