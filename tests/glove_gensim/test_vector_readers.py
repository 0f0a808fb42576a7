"""Strict vector readers, --lenient, --vocab for Stanford .bin, word2vec binary (issue 18, item 8)."""
import numpy as np
import pytest
from gensim.models import KeyedVectors

from glove_gensim.cli import main
from glove_gensim.io import load_glove, save_glove_binary

WORDS = ["king", "queen", "man", "woman"]


def write_vocab(path, words):
    path.write_text("".join(f"{w} {100 - i}\n" for i, w in enumerate(words)))
    return path


def test_a_line_with_more_numbers_than_the_header_is_an_error(tmp_path, capsys):
    path = tmp_path / "v.txt"
    path.write_text("3 2\nking 0.1 0.2\nqueen 0.4 1.1 0.3\nman 0.5 0.6\n")
    with pytest.raises(ValueError, match=r"v\.txt:3: more numbers than the 2 declared"):
        load_glove(path)
    assert load_glove(path, strict=False).index_to_key == ["king", "queen 0.4", "man"]
    assert main(["neighbors", str(path), "king", "-q"]) == 2
    assert "v.txt:3" in capsys.readouterr().err
    assert main(["neighbors", str(path), "king", "--lenient", "-q"]) == 0


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_non_finite_values_are_errors_naming_file_and_line(tmp_path, value):
    path = tmp_path / "v.txt"
    path.write_text(f"king 0.1 0.2\nqueen {value} 0.3\n")
    with pytest.raises(ValueError, match=r"v\.txt:2: non-finite value"):
        load_glove(path)
    assert np.isnan(load_glove(path, strict=False)["queen"][0]) == (value == "nan")


def test_stanford_binary_needs_and_takes_vocab_in_neighbors_and_evaluate(tmp_path, capsys, rng):
    W, C = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    path = save_glove_binary(W, C, np.zeros(4), np.zeros(4), tmp_path / "vectors.bin")
    vocab = write_vocab(tmp_path / "vocab.txt", WORDS)
    assert main(["neighbors", str(path), "king", "-q"]) == 2
    assert "vocab" in capsys.readouterr().err
    assert main(["neighbors", str(path), "king", "-k", "2", "--vocab", str(vocab), "-q"]) == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == 2
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("king\tqueen\t9\nman\twoman\t8\nking\tman\t3\nqueen\twoman\t4\n")
    questions = tmp_path / "q.txt"
    questions.write_text(": test\nking queen man woman\n")
    assert main(["evaluate", str(path), "--vocab", str(vocab), "--similarity", str(pairs),
                 "--analogies", str(questions), "-q"]) == 0
    assert "spearman" in capsys.readouterr().out


def test_word2vec_binary_is_detected_and_read(tmp_path, rng):
    kv = KeyedVectors(3)
    kv.add_vectors(WORDS, rng.standard_normal((4, 3)).astype(np.float32))
    path = tmp_path / "GoogleNews-like.bin"
    kv.save_word2vec_format(str(path), binary=True)
    loaded = load_glove(path)
    assert loaded.index_to_key == WORDS
    np.testing.assert_array_equal(loaded.vectors, kv.vectors)
    assert main(["neighbors", str(path), "king", "-k", "1", "-q"]) == 0
