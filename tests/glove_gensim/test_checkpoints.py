"""Checkpoints, resume, co-occurrence cache and divergence handling of GloVe."""
import numpy as np
import pytest

from glove_gensim.embedding import TrainingDivergedError
from glove_gensim.files import CorruptFileError
from glove_gensim.model import GloVe
from tests.conftest import random_documents

SMALL = dict(vector_size=8, window=3, min_count=2, x_max=10.0, batch_size=64, workers=1)


@pytest.fixture(scope="module")
def documents():
    return random_documents(np.random.default_rng(11), n_docs=80, n_types=60, max_len=40)


def test_resume_from_checkpoint_equals_uninterrupted_run(documents, tmp_path):
    full = GloVe(documents, epochs=5, **SMALL)
    first = GloVe(epochs=5, checkpoint_dir=tmp_path, **SMALL)
    first.build_vocab(documents)
    first.train(epochs=2)
    assert (tmp_path / "checkpoint.npz").is_file()
    resumed = GloVe(epochs=5, checkpoint_dir=tmp_path, **SMALL)
    resumed.build_vocab(documents)
    assert resumed.restore_checkpoint() and resumed.epochs_trained == 2
    resumed.train(epochs=3)
    assert np.array_equal(resumed.wv.vectors, full.wv.vectors)
    assert resumed.loss_history == full.loss_history


def test_resume_with_other_settings_or_data_is_refused(documents, tmp_path):
    GloVe(documents, epochs=1, checkpoint_dir=tmp_path, **SMALL)
    other = GloVe(epochs=2, checkpoint_dir=tmp_path, **{**SMALL, "x_max": 50.0})
    other.build_vocab(documents)
    with pytest.raises(ValueError, match=r"x_max \(checkpoint 10.0, now 50.0\)"):
        other.restore_checkpoint()
    other_data = GloVe(epochs=2, checkpoint_dir=tmp_path, **SMALL)
    other_data.build_vocab(documents[:-5])
    with pytest.raises(ValueError, match="training data"):
        other_data.restore_checkpoint()


def test_missing_checkpoint_means_fresh_start_and_corrupt_one_is_refused(documents, tmp_path):
    model = GloVe(epochs=2, checkpoint_dir=tmp_path, **SMALL)
    model.build_vocab(documents)
    assert model.restore_checkpoint() is False
    model.train(epochs=1)
    path = tmp_path / "checkpoint.npz"
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(CorruptFileError, match="checkpoint.npz"):
        model.restore_checkpoint()


def test_cooccurrence_cache_is_reused_and_checked(tmp_path, documents):
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("\n\n".join(" ".join(d) for d in documents if d))
    cache = tmp_path / "counts.npz"
    first = GloVe(corpus_file=corpus, epochs=1, cooccurrence_cache=cache, **SMALL)
    assert cache.is_file()
    second = GloVe(epochs=1, cooccurrence_cache=cache, **SMALL)
    second.build_vocab(corpus_file=corpus)
    assert np.array_equal(second.cooccurrence.values, first.cooccurrence.values)
    second.train()
    assert np.array_equal(second.wv.vectors, first.wv.vectors)
    with pytest.raises(ValueError, match=r"differs: counting"):
        GloVe(corpus_file=corpus, epochs=1, cooccurrence_cache=cache, **{**SMALL, "window": 4})
    corpus.write_text(corpus.read_text() + "\n\nw1 w2 w3\n")
    with pytest.raises(ValueError, match=r"differs: files"):
        GloVe(corpus_file=corpus, epochs=1, cooccurrence_cache=cache, **SMALL)


def test_divergence_restart_halves_the_learning_rate(documents, tmp_path, caplog):
    model = GloVe(optimizer="sgd", learning_rate=50.0, epochs=4, on_divergence="restart",
                  max_restarts=12, checkpoint_dir=tmp_path, **SMALL)
    model.build_vocab(documents)
    with caplog.at_level("WARNING"):
        model.train()
    assert model.epochs_trained == 4 and model.learning_rate < 50.0
    assert "restarting from epoch" in caplog.text
    assert np.all(np.isfinite(model.wv.vectors))
    stubborn = GloVe(optimizer="sgd", learning_rate=1e9, epochs=2, on_divergence="restart",
                     max_restarts=1, **SMALL)
    stubborn.build_vocab(documents)
    with pytest.raises(TrainingDivergedError, match="learning_rate"):
        stubborn.train()
