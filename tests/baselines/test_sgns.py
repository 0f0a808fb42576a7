"""What is SkipGramNS's own (the contract it shares with GloVe: tests/test_model_contract.py)."""
import numpy as np
import pytest

from baselines.sgns import SkipGramNS
from glove_gensim.vocab import Vocabulary
from tests.conftest import random_documents

SMALL = dict(vector_size=8, window=3, min_count=2, epochs=3, batch_size=64, group_size=8,
             shared_negatives=4, sample=1e-2, engine="jax")


@pytest.fixture(scope="module")
def documents():
    return random_documents(np.random.default_rng(7), n_docs=80, n_types=60, max_len=40)


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


@pytest.mark.parametrize("bad, message", [
    (dict(window=0), "window"), (dict(negative=0), "negative"), (dict(sample=-1.0), "sample"),
    (dict(alpha=0), "alpha"), (dict(min_alpha=0.5), "min_alpha"), (dict(batch_size=100, group_size=64), "divide"),
    (dict(ns_exponent=float("nan")), "ns_exponent"), (dict(batch_size=0), "batch_size"),
    (dict(group_size=0), "group_size"), (dict(export="sum"), "export"), (dict(max_row_steps=-1), "max_row_steps"),
    (dict(shared_negatives=0), "shared_negatives"), (dict(shuffle="yes"), "shuffle"),
])
def test_bad_arguments_fail_before_work(bad, message):
    with pytest.raises(ValueError, match=message):
        SkipGramNS([["never", "read"]], **bad)
