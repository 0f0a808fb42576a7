"""SkipGramNS: the gensim-style lifecycle on top of the JAX core."""
import numpy as np
import pytest

from baselines.sgns import SkipGramNS
from glove_gensim.embedding import TrainingDivergedError
from glove_gensim.files import CorruptFileError
from glove_gensim.vocab import Vocabulary
from tests.conftest import random_documents

SMALL = dict(vector_size=8, window=3, min_count=2, epochs=3, batch_size=64, group_size=8,
             shared_negatives=4, sample=1e-2, engine="jax")


@pytest.fixture(scope="module")
def documents():
    return random_documents(np.random.default_rng(7), n_docs=80, n_types=60, max_len=40)


def test_constructing_with_a_corpus_trains(documents):
    model = SkipGramNS(documents, **SMALL)
    assert model.epochs_trained == 3 and len(model.loss_history) == 3
    assert all(np.isfinite(model.loss_history)) and model.get_latest_training_loss() > 0
    wv = model.wv
    assert wv.index_to_key == model.vocabulary.words and wv.vector_size == 8
    assert wv.get_vecattr(model.vocabulary.words[0], "count") == model.vocabulary.counts[0]
    np.testing.assert_array_equal(wv.vectors, model.input_vectors)
    assert wv.most_similar(model.vocabulary.words[0], topn=2)


def test_loss_decreases_on_a_structured_corpus():
    rng = np.random.default_rng(0)
    topics = [[f"a{i}" for i in range(10)], [f"b{i}" for i in range(10)]]
    docs = [list(rng.choice(topics[k % 2], 30)) for k in range(200)]
    model = SkipGramNS(docs, vector_size=16, window=3, min_count=1, epochs=8, batch_size=256,
                       group_size=16, shared_negatives=8, sample=0, alpha=0.05)
    assert model.loss_history[-1] < model.loss_history[0]
    same = model.wv.similarity("a1", "a2")
    other = model.wv.similarity("a1", "b2")
    assert same > other


def test_same_seed_same_vectors_different_seed_differs(documents):
    a, b = SkipGramNS(documents, seed=3, **SMALL), SkipGramNS(documents, seed=3, **SMALL)
    c = SkipGramNS(documents, seed=4, **SMALL)
    assert np.array_equal(a.wv.vectors, b.wv.vectors)
    assert a.loss_history == b.loss_history
    assert not np.allclose(a.wv.vectors, c.wv.vectors)


def test_save_load_continues_exactly(documents, tmp_path):
    uninterrupted = SkipGramNS(documents, **{**SMALL, "epochs": 5})
    first = SkipGramNS(**{**SMALL, "epochs": 5})
    first.build_vocab(documents)
    first.train(epochs=2)
    path = first.save(tmp_path / "model.npz")
    loaded = SkipGramNS.load(path)
    assert loaded.epochs_trained == 2 and loaded.loss_history == first.loss_history
    np.testing.assert_array_equal(loaded.wv.vectors, first.wv.vectors)
    loaded.train(epochs=3)
    np.testing.assert_array_equal(loaded.wv.vectors, uninterrupted.wv.vectors)
    np.testing.assert_allclose(loaded.loss_history, uninterrupted.loss_history)
    (tmp_path / "bad.npz").write_bytes(b"not a model")
    with pytest.raises(CorruptFileError):
        SkipGramNS.load(tmp_path / "bad.npz")


def test_learning_rate_decays_over_all_epochs():
    model = SkipGramNS(alpha=0.03, min_alpha=0.001, epochs=4)
    assert model._rate(0) == pytest.approx(0.03)
    assert model._rate(2) == pytest.approx(0.0155)
    assert model._rate(4) == pytest.approx(0.001) == model._rate(6)


def test_shared_vocabulary_with_glove(documents):
    from glove_gensim.model import GloVe

    glove = GloVe(documents, vector_size=8, window=3, min_count=3, epochs=1, batch_size=64)
    sgns = SkipGramNS(documents, vocabulary=glove.vocabulary, min_count=1, **{k: v for k, v in SMALL.items()
                                                                              if k != "min_count"})
    assert sgns.vocabulary is glove.vocabulary
    assert sgns.wv.index_to_key == glove.wv.index_to_key
    # given at construction and trained on a corpus later (what `compare` does)
    later = SkipGramNS(vocabulary=glove.vocabulary, **{k: v for k, v in SMALL.items() if k != "min_count"})
    later.train(documents)
    assert later.vocabulary is glove.vocabulary
    np.testing.assert_array_equal(later.wv.vectors, sgns.wv.vectors)


def test_vocabulary_without_corpus_cannot_train():
    model = SkipGramNS(vocabulary=Vocabulary(["a", "b"], [3, 2]), vector_size=4)
    with pytest.raises(ValueError, match="no corpus"):
        model.train()


def test_out_of_vocabulary_tokens_are_dropped(documents):
    vocab = Vocabulary(["w0", "w1", "w2"], [10, 8, 6])
    model = SkipGramNS(documents, vocabulary=vocab, **{**SMALL, "epochs": 1})
    assert set(np.unique(model._ids)) <= {0, 1, 2}
    assert len(model._ids) == sum(t in vocab for d in documents for t in d)


def test_callbacks_and_export(documents):
    seen = []

    class Recorder:
        def on_epoch_end(self, model):
            seen.append(model.get_latest_training_loss())

    model = SkipGramNS(documents, callbacks=[Recorder()], **SMALL)
    assert seen == model.loss_history
    for export, expected in (("output", model.output_vectors),
                             ("input+output", model.input_vectors + model.output_vectors),
                             ("concat", np.hstack([model.input_vectors, model.output_vectors]))):
        model.export = export
        model._wv = None
        np.testing.assert_allclose(model.wv.vectors, expected)


@pytest.mark.parametrize("bad, message", [
    (dict(window=0), "window"), (dict(negative=0), "negative"), (dict(sample=-1.0), "sample"),
    (dict(alpha=0), "alpha"), (dict(min_alpha=0.5), "min_alpha"), (dict(batch_size=100, group_size=64), "divide"),
    (dict(ns_exponent=float("nan")), "ns_exponent"), (dict(vector_size=0), "vector_size"),
    (dict(epochs=1.5), "epochs"), (dict(export="sum"), "export"), (dict(max_row_steps=-1), "max_row_steps"),
    (dict(shared_negatives=0), "shared_negatives"), (dict(shuffle="yes"), "shuffle"),
])
def test_bad_arguments_fail_before_work(bad, message):
    with pytest.raises(ValueError, match=message):
        SkipGramNS([["never", "read"]], **bad)


def test_divergence_keeps_last_finite_vectors(documents):
    model = SkipGramNS(**{**SMALL, "alpha": 1e30, "min_alpha": 1e30, "max_row_steps": 0.0})
    model.build_vocab(documents)
    before = model.input_vectors.copy()
    with pytest.raises(TrainingDivergedError, match="diverged"):
        model.train()
    assert model.epochs_trained == 0
    np.testing.assert_array_equal(model.input_vectors, before)
