"""``train NEW_CORPUS --from-model model.npz`` (and ``baseline``'s): grow the vocabulary, continue."""
import numpy as np
import pytest
from gensim.models import KeyedVectors

from baselines.sgns import SkipGramNS
from glove_gensim.cli import main
from glove_gensim.model import GloVe
from tests.conftest import write_corpus

COMMON = ["--window", "3", "--min-count", "2", "--engine", "cpu", "--threads", "1", "-q"]


@pytest.fixture(scope="module")
def first(tmp_path_factory):
    """A corpus over w0..w39, a GloVe trained on it, and a new corpus that adds w40..w59."""
    root = tmp_path_factory.mktemp("from_model")
    corpus = write_corpus(root / "old.txt", seed=5, n_docs=60, n_types=40, max_len=30)
    new = write_corpus(root / "new.txt", seed=6, n_docs=80, n_types=60, max_len=30)
    assert main(["train", str(corpus), "--out", str(root / "first"), "--vector-size", "6", "--epochs", "2",
                 *COMMON]) == 0
    return root, new, root / "first" / "model.npz"


def test_from_model_grows_the_vocabulary_keeps_old_rows_and_writes_what_train_writes(first, monkeypatch):
    root, new, model_path = first
    old = GloVe.load(model_path)
    before_training = {}
    train = GloVe.train

    def spy(model, *args, **kwargs):
        before_training.setdefault("vectors", model.wv.vectors.copy())
        return train(model, *args, **kwargs)

    monkeypatch.setattr(GloVe, "train", spy)
    out = root / "continued"
    assert main(["train", str(new), "--from-model", str(model_path), "--out", str(out), "--epochs", "2",
                 "--vector-size", "6", *COMMON]) == 0
    monkeypatch.undo()
    n_old = len(old.vocabulary)
    np.testing.assert_array_equal(before_training["vectors"][:n_old], old.wv.vectors)
    model = GloVe.load(out / "model.npz")
    assert model.vocabulary.words[:n_old] == old.vocabulary.words and len(model.vocabulary) > n_old
    assert model.epochs_trained == 4 and len(model.loss_history) == 4
    assert model.vocabulary.counts[0] > old.vocabulary.counts[0]
    kv = KeyedVectors.load_word2vec_format(str(out / "vectors.txt"), binary=False)
    assert kv.index_to_key == model.vocabulary.words
    np.testing.assert_allclose(kv.vectors, model.wv.vectors, rtol=1e-6)
    library = GloVe.load(model_path, engine="cpu", workers=1).build_vocab(corpus_file=new, update=True)
    np.testing.assert_array_equal(library.train(epochs=2).wv.vectors, model.wv.vectors)


@pytest.mark.parametrize("flags,message", [
    (["--vector-size", "8"], "--vector-size 8 differs from the vector_size 6 of the model in"),
    (["--x-max", "3"], "--x-max 3.0 differs from the x_max 100.0 of the model in"),
    (["--init-vectors", "VECTORS"], "--init-vectors and --from-model conflict"),
    (["--cooc-cache", "CACHE"], "--cooc-cache and --from-model conflict"),
    (["--resume", "--checkpoint-dir", "CK"], "--resume and --from-model conflict"),
])
def test_from_model_refuses_conflicting_flags_before_any_work(first, flags, message, capsys):
    root, new, model_path = first
    replaced = {"VECTORS": str(root / "first" / "vectors.txt"), "CACHE": str(root / "cache.npz"),
                "CK": str(root / "ck")}
    out = root / "refused"
    assert main(["train", str(new), "--from-model", str(model_path), "--out", str(out),
                 *[replaced.get(flag, flag) for flag in flags], *COMMON]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists() and not (root / "cache.npz").exists() and not (root / "ck").exists()


def test_from_model_refuses_counts_a_missing_file_and_a_file_that_is_no_model(first, capsys):
    root, new, model_path = first
    out = root / "refused"
    assert main(["train", "--cooccurrence", str(root / "c.npz"), "--from-model", str(model_path), "--out",
                 str(out), *COMMON]) == 2
    assert "--cooccurrence and --from-model conflict" in capsys.readouterr().err
    assert main(["train", str(new), "--from-model", str(root / "missing.npz"), "--out", str(out), *COMMON]) == 2
    assert "no file" in capsys.readouterr().err
    assert main(["train", str(new), "--from-model", str(root / "first" / "vectors.txt"), "--out", str(out),
                 *COMMON]) == 2
    assert "is not a GloVe file but word2vec vectors" in capsys.readouterr().err
    assert not out.exists()


def test_baseline_continues_its_own_model_from_the_shared_code(first, capsys):
    root, new, _ = first
    corpus = root / "old.txt"
    settings = ["--vector-size", "6", "--epochs", "1", "--sample", "0", *COMMON]
    assert main(["baseline", str(corpus), "--out", str(root / "sgns"), *settings]) == 0
    model_path = root / "sgns" / "model.npz"
    assert main(["baseline", str(new), "--from-model", str(model_path), "--out", str(root / "sgns2"), *settings]) == 0
    old, model = SkipGramNS.load(model_path), SkipGramNS.load(root / "sgns2" / "model.npz")
    assert model.vocabulary.words[:len(old.vocabulary)] == old.vocabulary.words
    assert len(model.vocabulary) > len(old.vocabulary) and model.epochs_trained == 2
    assert main(["baseline", str(new), "--from-model", str(model_path), "--out", str(root / "bad"),
                 "--negative", "9", *settings]) == 2
    assert "--negative 9 differs from the negative 5 of the model" in capsys.readouterr().err
    assert main(["train", str(new), "--from-model", str(model_path), "--out", str(root / "bad"), *COMMON]) == 2
    assert not (root / "bad").exists()
