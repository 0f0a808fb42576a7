"""``glove-gensim train --cooccurrence FILE [--vocab vocab.txt]``: training from counts made elsewhere."""
import gzip
import shutil

import numpy as np
import pytest
from gensim.models import KeyedVectors

from glove_gensim.cli import main
from glove_gensim.cooccur import count_cooccurrences
from glove_gensim.model import GloVe
from glove_gensim.vocab import Vocabulary
from tests.conftest import random_documents

TRAINING = dict(vector_size=6, epochs=2, x_max=10.0, batch_size=32, seed=3)
FLAGS = ["--vector-size", "6", "--epochs", "2", "--x-max", "10", "--batch-size", "32", "--seed", "3",
         "--engine", "jax", "-q"]


@pytest.fixture
def counts():
    docs = random_documents(np.random.default_rng(5), n_docs=40, n_types=30, max_len=20)
    return count_cooccurrences(docs, Vocabulary.build(docs, min_count=1), window=3)


def vectors(out):
    return KeyedVectors.load_word2vec_format(str(out / "vectors.txt"), binary=False)


def test_train_from_npz_equals_training_in_python(tmp_path, counts):
    counts.save(tmp_path / "counts.npz")
    assert main(["train", "--counts", str(tmp_path / "counts.npz"), "--out", str(tmp_path / "run"), *FLAGS]) == 0
    python = GloVe.from_cooccurrence(counts, engine="jax", progress=False, **TRAINING).train()
    kv = vectors(tmp_path / "run")
    assert kv.index_to_key == counts.vocabulary.words
    np.testing.assert_allclose(kv.vectors, python.wv.vectors, rtol=1e-5, atol=1e-6)
    assert GloVe.load(tmp_path / "run" / "model.npz").window == 3


def test_train_from_stanford_files_equals_the_npz(tmp_path, counts):
    counts.save(tmp_path / "counts.npz")
    counts.save_stanford(tmp_path / "cooccurrence.bin")
    counts.vocabulary.save_stanford(tmp_path / "vocab.txt")
    assert main(["train", "--cooccurrence", str(tmp_path / "cooccurrence.bin"), "--vocab",
                 str(tmp_path / "vocab.txt"), "--window", "3", "--out", str(tmp_path / "bin"), *FLAGS]) == 0
    assert main(["train", "--cooccurrence", str(tmp_path / "counts.npz"), "--out", str(tmp_path / "npz"), *FLAGS]) == 0
    np.testing.assert_allclose(vectors(tmp_path / "bin").vectors, vectors(tmp_path / "npz").vectors, atol=1e-6)


def test_train_from_stanford_reference_loads_in_gensim(tmp_path, stanford_reference):
    binary = tmp_path / "cooccurrence.bin"
    with gzip.open(stanford_reference / "cooccurrence.bin.gz", "rb") as source, open(binary, "wb") as target:
        shutil.copyfileobj(source, target)
    assert main(["train", "--cooccurrence", str(binary), "--vocab", str(stanford_reference / "vocab.txt"),
                 "--out", str(tmp_path / "run"), "--vector-size", "8", "--epochs", "1", "--engine", "cpu",
                 "-q"]) == 0
    kv = vectors(tmp_path / "run")
    assert len(kv) == 4079 and kv.vector_size == 8 and np.isfinite(kv.vectors).all()


@pytest.mark.parametrize("case, message", [
    ("nothing", "give CORPUS, or --cooccurrence FILE"),
    ("both", "not both"),
    ("missing", "does not exist"),
    ("no-vocab", "give --vocab vocab.txt"),
    ("missing-vocab", "--vocab: "),
    ("truncated", "not a positive whole number of 16-byte"),
    ("small-vocab", "has 3 words"),
    ("npz-with-vocab", "holds its own vocabulary"),
    ("npz-with-window", "--window: not used with --cooccurrence"),
    ("min-count", "--min-count: not used"),
])
def test_train_from_counts_refuses_bad_input_before_work(tmp_path, capsys, counts, case, message):
    counts.save(tmp_path / "counts.npz")
    counts.save_stanford(tmp_path / "cooccurrence.bin")
    counts.vocabulary.save_stanford(tmp_path / "vocab.txt")
    (tmp_path / "small.txt").write_text("a 9\nb 8\nc 7\n")
    (tmp_path / "cut.bin").write_bytes((tmp_path / "cooccurrence.bin").read_bytes()[:-3])
    binary, npz, vocab = str(tmp_path / "cooccurrence.bin"), str(tmp_path / "counts.npz"), str(tmp_path / "vocab.txt")
    argv = {"nothing": [], "both": [npz, "--cooccurrence", npz], "missing": ["--cooccurrence", binary + "x"],
            "no-vocab": ["--cooccurrence", binary], "missing-vocab": ["--cooccurrence", binary, "--vocab", vocab + "x"],
            "truncated": ["--cooccurrence", str(tmp_path / "cut.bin"), "--vocab", vocab],
            "small-vocab": ["--cooccurrence", binary, "--vocab", str(tmp_path / "small.txt")],
            "npz-with-vocab": ["--cooccurrence", npz, "--vocab", vocab],
            "npz-with-window": ["--cooccurrence", npz, "--window", "5"],
            "min-count": ["--cooccurrence", binary, "--vocab", vocab, "--min-count", "2"]}[case]
    assert main(["train", *argv, "--out", str(tmp_path / "run"), "-q"]) == 2
    error = capsys.readouterr().err
    assert message in error
    if case == "small-vocab":
        assert binary in error and "small.txt" in error
    assert not (tmp_path / "run").exists()
