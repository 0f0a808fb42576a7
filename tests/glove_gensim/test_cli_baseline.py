"""`glove-gensim baseline` smoke tests."""
import numpy as np
import pytest
from gensim.models import KeyedVectors

from baselines.sgns import SkipGramNS
from glove_gensim.cli import main
from tests.conftest import write_corpus


@pytest.fixture
def corpus_file(tmp_path):
    return write_corpus(tmp_path / "corpus.txt", 5, 60, 40, 30)


FLAGS = ["--vector-size", "6", "--window", "2", "--min-count", "2", "--epochs", "2", "-q"]


def test_baseline_jax_writes_vectors_and_model(corpus_file, tmp_path):
    out = tmp_path / "jax"
    assert main(["baseline", str(corpus_file), "--out", str(out), "--batch-size", "128", "--group-size", "16",
                 "--shared-negatives", "4", *FLAGS]) == 0
    kv = KeyedVectors.load_word2vec_format(out / "vectors.txt")
    model = SkipGramNS.load(out / "model.npz")
    assert kv.vector_size == 6 and kv.index_to_key == model.vocabulary.words
    np.testing.assert_allclose(kv.vectors, model.wv.vectors, atol=1e-5)
    assert model.epochs_trained == 2 and model.batch_size == 128


def test_baseline_gensim_engine(corpus_file, tmp_path):
    from gensim.models import Word2Vec

    out = tmp_path / "gensim"
    assert main(["baseline", str(corpus_file), "--out", str(out), "--engine", "gensim", "--threads", "1", *FLAGS]) == 0
    kv = KeyedVectors.load_word2vec_format(out / "vectors.txt")
    assert kv.vector_size == 6
    assert Word2Vec.load(str(out / "word2vec.model")).epochs == 2


def test_baseline_bad_argument_is_a_clean_error(corpus_file, tmp_path, capsys):
    assert main(["baseline", str(corpus_file), "--out", str(tmp_path / "x"), "--batch-size", "100", *FLAGS]) == 2
    assert "group_size" in capsys.readouterr().err
