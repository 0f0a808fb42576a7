"""What is GloVe's own (the contract it shares with SkipGramNS: tests/test_model_contract.py)."""
import gzip

import numpy as np
import pytest

from glove_gensim.cooccur import Cooccurrence
from glove_gensim.model import GloVe, auto_batch_size
from glove_gensim.vocab import Vocabulary
from tests.conftest import random_documents

SMALL = dict(vector_size=8, window=3, min_count=2, x_max=10.0, epochs=3, batch_size=64, workers=1)


@pytest.fixture(scope="module")
def documents():
    return random_documents(np.random.default_rng(7), n_docs=80, n_types=60, max_len=40)


def test_optax_adam_option(documents):
    model = GloVe(documents, optimizer="adam", **{**SMALL, "epochs": 6})
    assert model.learning_rate == 1e-3
    assert model.loss_history[-1] < model.loss_history[0]


@pytest.mark.parametrize("bad, match", [
    (dict(window=-1), "window"), (dict(window=0), "window"), (dict(batch_size=0), "batch_size"),
    (dict(optimizer="rmsprop"), "optimizer must be one of"), (dict(x_max=0), "x_max"),
    (dict(alpha=-0.5), "alpha"), (dict(learning_rate=float("nan")), "learning_rate"),
    (dict(export="input"), "export"), (dict(memory_limit="lots"), "memory limit"),
    (dict(n_devices=0), "n_devices"), (dict(block_size=0), "block_size"),
    (dict(out_of_core=True), "out_of_core=True needs block_size")])
def test_bad_arguments_fail_before_any_work(bad, match):
    class NeverRead:
        def __iter__(self):
            raise AssertionError("the corpus must not be read")

    with pytest.raises(ValueError, match=match):
        GloVe(NeverRead(), **bad)


def test_auto_batch_size_bounds_duplicates():
    rows = np.concatenate([np.zeros(1000, np.int32), np.arange(1, 10001, dtype=np.int32)])
    assert auto_batch_size(rows, rows, duplicates=100) == 1 << (int(100 * 11000 // 1000).bit_length() - 1)
    assert auto_batch_size(np.arange(10), np.arange(10)) == 8


def test_reference_cost_trajectory_on_stanford_slice(stanford_reference, tmp_path):
    """Stanford's glove on the 300k slice (dim 50, x_max 10): our cost is at most 5% above its.

    Epoch 1 is left out: with batches of thousands of entries the first pass makes fewer,
    larger updates than glove.c's per-entry ones (0.099 against 0.087 at the automatic batch).
    """
    vocab = Vocabulary.load_stanford(stanford_reference / "vocab.txt")
    binary = tmp_path / "cooccurrence.bin"
    binary.write_bytes(gzip.decompress((stanford_reference / "cooccurrence.bin.gz").read_bytes()))
    cooc = Cooccurrence.load_stanford(binary, vocab)
    model = GloVe.from_cooccurrence(cooc, vector_size=50, x_max=10.0, epochs=15, seed=1)
    model.train()
    stanford = {2: 0.0684, 3: 0.0606, 5: 0.0532, 10: 0.0341, 15: 0.0265}
    for epoch, cost in stanford.items():
        assert model.loss_history[epoch - 1] <= 1.05 * cost, (epoch, model.loss_history[epoch - 1], cost)
    assert all(b < a for a, b in zip(model.loss_history[1:], model.loss_history[2:]))


def test_a_run_that_cannot_fit_says_so_before_training(documents, monkeypatch):
    from glove_gensim import train as core

    monkeypatch.setattr(core, "available_bytes", lambda device: 1000)
    model = GloVe(engine="jax", **SMALL)
    model.build_vocab(documents)
    with pytest.raises(MemoryError, match="training needs about .* GB but"):
        model.train()
    assert model.epochs_trained == 0
