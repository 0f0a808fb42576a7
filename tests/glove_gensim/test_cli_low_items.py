"""The low-severity probes of issue 18: each stops early with a message naming the flag or place."""
import pytest

from glove_gensim.cli import main
from tests.conftest import write_corpus

TRAIN = ["--vector-size", "4", "--window", "2", "--min-count", "2", "--x-max", "10", "--engine", "jax", "-q"]


@pytest.fixture
def corpus(tmp_path):
    return write_corpus(tmp_path / "corpus.txt", 7, 40, 30, 20)


def test_nul_byte_is_refused_with_its_position_before_counting(tmp_path, capsys):
    path = tmp_path / "c.txt"
    path.write_bytes(b"alpha beta\x00gamma\n\ndelta alpha\n")
    assert main(["vocab", str(path), "--tokenizer", "whitespace", "--min-count", "1",
                 "--out", str(tmp_path / "v.txt")]) == 2
    assert "NUL byte at byte offset 10" in capsys.readouterr().err


def test_window_and_vector_size_upper_bounds_fail_before_work(corpus, tmp_path, capsys):
    assert main(["cooccur", str(corpus), "--window", "1000000000000", "--out", str(tmp_path / "c.npz")]) == 2
    assert "--window 1000000000000" in capsys.readouterr().err
    assert main(["train", str(corpus), "--vector-size", "1000000000000", "--out", str(tmp_path / "r")]) == 2
    assert "--vector-size" in capsys.readouterr().err and not (tmp_path / "r").exists()
    assert main(["train", str(corpus), "--batch-size", "100000000000", "--out", str(tmp_path / "r")]) == 2
    assert "--batch-size" in capsys.readouterr().err


def test_flags_with_bad_values_are_named_while_parsing(corpus, tmp_path, capsys):
    assert main(["compare", str(corpus), "--sgns-window", "0", "--out", str(tmp_path / "r")]) == 2
    assert "--sgns-window" in capsys.readouterr().err
    assert main(["neighbors", "vectors.txt", "king", "-k", "0"]) == 2
    assert "-k" in capsys.readouterr().err


def test_errors_name_cli_flags_not_python_arguments(tmp_path, capsys):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"fine words \xff here\n")
    assert main(["vocab", str(path), "--errors", "strict", "--out", str(tmp_path / "v.txt")]) == 2
    assert "--errors replace" in capsys.readouterr().err


def test_resume_with_another_learning_rate_is_refused(corpus, tmp_path, capsys):
    common = ["train", str(corpus), "--out", str(tmp_path / "run"), "--checkpoint-dir", str(tmp_path / "ck"), *TRAIN]
    assert main([*common, "--epochs", "1"]) == 0
    assert main([*common, "--epochs", "2", "--resume", "--learning-rate", "0.5"]) == 2
    assert "--learning-rate 0.5 differs" in capsys.readouterr().err
    assert main([*common, "--epochs", "2", "--resume"]) == 0


def test_diverged_training_fails_and_writes_nothing(corpus, tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["train", str(corpus), "--out", str(out), "--optimizer", "adagrad-glove", "--learning-rate", "100",
                 "--batch-size", "1", "--epochs", "1", *TRAIN]) == 1
    assert "training diverged" in capsys.readouterr().err and not out.exists()


def test_evaluate_reports_a_barely_covered_set_as_na(tmp_path, capsys):
    vectors = tmp_path / "v.txt"
    vectors.write_text("3 2\nking 0.1 0.2\nqueen 0.3 0.1\nman 0.5 -0.2\n")
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("king\tqueen\t9\nfoo\tbar\t3\nbaz\tqux\t2\n")
    questions = tmp_path / "q.txt"
    questions.write_text(": t\nking queen man woman\n")
    assert main(["evaluate", str(vectors), "--similarity", str(pairs), "--analogies", str(questions), "-q"]) == 0
    assert "n/a" in capsys.readouterr().out
