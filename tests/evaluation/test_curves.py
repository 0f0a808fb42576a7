"""CurveRecorder on our GloVe and SGNS and on gensim's Word2Vec: losses, seconds and scores per epoch."""
import numpy as np
import pytest

from evaluation.curves import CurvePoint, CurveRecorder, pair_rows, pair_spearman
from evaluation.similarity import WordPairs, evaluate_similarity
from tests.conftest import random_documents


@pytest.fixture(scope="module")
def docs():
    return random_documents(np.random.default_rng(5), n_docs=120, n_types=60, max_len=60)


@pytest.fixture(scope="module")
def pairs():
    rng = np.random.default_rng(9)
    words = [f"w{i}" for i in range(60)]
    chosen = [(words[i], words[j]) for i, j in rng.integers(0, 60, size=(80, 2)) if i != j]
    chosen.append(("w1", "not_a_word"))
    return WordPairs("toy", "toy.txt", chosen, rng.uniform(0, 10, size=len(chosen)))


def _final_score_matches(recorder, kv, pairs):
    expected = evaluate_similarity(kv, pairs, restrict_vocab=None).spearman
    assert recorder.points[-1].scores["toy"] == pytest.approx(expected, abs=1e-6)


def test_recorder_on_gensim_word2vec(docs, pairs):
    from baselines.word2vec import train_word2vec
    from glove_gensim.vocab import Vocabulary

    vocab = Vocabulary.build(docs, min_count=1)
    recorder = CurveRecorder([pairs])
    model, losses = train_word2vec(docs, vocab, callbacks=[recorder], vector_size=8, epochs=3, workers=1)
    assert [p.epoch for p in recorder.points] == [1, 2, 3]
    assert [p.loss for p in recorder.points] == pytest.approx(losses)  # differences of the cumulative loss
    assert all(p.loss > 0 for p in recorder.points)
    seconds = [p.seconds for p in recorder.points]
    assert all(b > a for a, b in zip(seconds, seconds[1:])) and seconds[0] > 0
    _final_score_matches(recorder, model.wv, pairs)


@pytest.mark.parametrize("kind", ["glove", "sgns"])
def test_recorder_on_our_models(docs, pairs, kind):
    from baselines.sgns import SkipGramNS
    from glove_gensim.model import GloVe

    recorder = CurveRecorder([pairs])
    if kind == "glove":
        model = GloVe(docs, min_count=1, vector_size=8, window=3, epochs=3, x_max=5.0, callbacks=[recorder])
    else:
        model = SkipGramNS(docs, min_count=1, vector_size=8, window=2, epochs=3, batch_size=64, group_size=8,
                           shared_negatives=4, callbacks=[recorder])
    assert [p.loss for p in recorder.points] == pytest.approx(model.loss_history)
    assert [p.seconds for p in recorder.points] == pytest.approx(np.cumsum(model.epoch_seconds))
    _final_score_matches(recorder, model.wv, pairs)
    assert set(recorder.points[0].to_dict()) == {"epoch", "seconds", "loss", "scores"}


def test_pair_rows_and_spearman():
    wp = WordPairs("t", "t", [("A", "b"), ("a", "c"), ("b", "c"), ("x", "c")], np.array([3.0, 2.0, 1.0, 0.0]))
    rows = pair_rows(wp, ["a", "b", "c"])  # case-insensitive: "A" is "a"
    assert rows.rows_a.tolist() == [0, 0, 1] and rows.rows_b.tolist() == [1, 2, 2]
    assert rows.gold.tolist() == [3.0, 2.0, 1.0]
    vectors = np.array([[1.0, 0.0], [0.9, 0.3], [0.5, -0.5]])  # cos ab > ac > bc
    assert pair_spearman(vectors, rows) == pytest.approx(1.0)
    assert np.isnan(pair_spearman(np.ones((3, 2)), rows))  # constant cosines: no correlation


def test_recorder_rejects_paths():
    with pytest.raises(TypeError, match="WordPairs"):
        CurveRecorder(["wordsim353"])
    assert CurvePoint(1, None, None, {}).to_dict()["loss"] is None
