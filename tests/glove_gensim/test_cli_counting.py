import numpy as np
import pytest

from glove_gensim.cli import build_parser, main
from glove_gensim.cooccur import STANFORD_RECORD, Cooccurrence
from glove_gensim.vocab import Vocabulary


@pytest.fixture
def corpus_file(tmp_path):
    path = tmp_path / "corpus.txt"
    path.write_text("the cat sat on the mat\n\nthe dog sat on the log\n\nthe cat and the dog\n")
    return path


def test_vocab_then_cooccur_with_stanford_files(tmp_path, corpus_file):
    assert main(["vocab", str(corpus_file), "--min-count", "2", "--out", str(tmp_path / "vocab.txt"), "-q"]) == 0
    vocab = Vocabulary.load(tmp_path / "vocab.txt")
    assert vocab.words[0] == "the" and "mat" not in vocab
    out = tmp_path / "cooc.bin"
    assert main(["cooccur", str(corpus_file), "--vocab", str(tmp_path / "vocab.txt"), "--window", "3",
                 "--out", str(out), "-q"]) == 0
    records = np.fromfile(out, dtype=STANFORD_RECORD)
    assert records["word1"].min() == 1 and records["word1"].max() <= len(vocab)
    npz = tmp_path / "cooc.npz"
    assert main(["cooccur", str(corpus_file), "--min-count", "2", "--window", "3", "--asymmetric",
                 "--memory-limit", "+1MB", "--out", str(npz), "-q"]) == 0
    cooc = Cooccurrence.load(npz)
    assert cooc.symmetric is False and cooc.window == 3


def test_errors_exit_2_and_name_the_cause(tmp_path, capsys):
    assert main(["vocab", str(tmp_path / "missing.txt"), "--out", str(tmp_path / "v.txt")]) == 2
    assert "missing.txt" in capsys.readouterr().err
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    assert main(["cooccur", str(empty), "--out", str(tmp_path / "c.npz")]) == 2
    assert "empty" in capsys.readouterr().err
    assert not (tmp_path / "c.npz").exists()


def test_help_lists_commands(capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--help"])
    out = capsys.readouterr().out
    assert "vocab" in out and "cooccur" in out
