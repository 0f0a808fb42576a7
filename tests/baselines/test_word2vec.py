"""gensim's Word2Vec on our documents and vocabulary."""
import numpy as np
import pytest

from baselines.word2vec import train_word2vec
from glove_gensim.vocab import Vocabulary
from tests.conftest import random_documents


@pytest.fixture(scope="module")
def documents():
    return random_documents(np.random.default_rng(3), n_docs=60, n_types=50, max_len=40)


def test_uses_our_vocabulary_and_reports_epoch_losses(documents):
    vocabulary = Vocabulary.build(documents, min_count=3)
    model, losses = train_word2vec(documents, vocabulary, vector_size=8, epochs=3, workers=1)
    assert model.sg == 1 and model.hs == 0 and model.negative == 5
    assert set(model.wv.index_to_key) == set(vocabulary.words)
    for word, count in zip(vocabulary.words, vocabulary.counts):
        assert model.wv.get_vecattr(word, "count") == count
    assert len(losses) == 3 and all(loss > 0 for loss in losses)
    assert model.wv.vectors.shape == (len(vocabulary), 8)


def test_same_vocabulary_as_a_restricted_one(documents):
    vocabulary = Vocabulary(["w0", "w1", "w2", "w3"], [40, 30, 20, 10])
    model, _ = train_word2vec(documents, vocabulary, vector_size=4, epochs=1, workers=1)
    assert sorted(model.wv.index_to_key) == ["w0", "w1", "w2", "w3"]


@pytest.mark.parametrize("bad", [dict(sg=0), dict(min_count=2), dict(window=0), dict(alpha=-1.0)])
def test_bad_arguments(documents, bad):
    vocabulary = Vocabulary.build(documents, min_count=3)
    with pytest.raises(ValueError):
        train_word2vec(documents, vocabulary, **bad)
