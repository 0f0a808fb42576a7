"""Output paths checked before work, folders written as a whole, signals (issue 18, items 2, 5, 6)."""
import errno
import gzip
import os
import signal
import tempfile

import pytest

from glove_gensim.cli import main
from glove_gensim.vocab import Vocabulary
from tests.conftest import write_corpus

TRAIN = ["--vector-size", "4", "--window", "2", "--min-count", "2", "--epochs", "2", "--x-max", "10",
         "--batch-size", "32", "--engine", "jax", "-q"]


@pytest.fixture
def corpus(tmp_path):
    return write_corpus(tmp_path / "corpus.txt", 5, 40, 30, 20)


def leftovers(folder):
    return [p.name for p in folder.rglob("*") if p.name.endswith((".tmp", ".old"))]


@pytest.mark.parametrize("command", ["vocab", "cooccur"])
def test_out_may_not_be_the_corpus(corpus, command, capsys):
    before = corpus.read_bytes()
    assert main([command, str(corpus), "--min-count", "1", "--out", str(corpus), "-q"]) == 2
    assert "is the corpus file" in capsys.readouterr().err and corpus.read_bytes() == before


def test_out_may_not_be_the_input_vocabulary_or_lie_in_the_corpus_folder(tmp_path, corpus, capsys):
    vocab = tmp_path / "v.txt"
    assert main(["vocab", str(corpus), "--min-count", "1", "--out", str(vocab), "-q"]) == 0
    before = vocab.read_bytes()
    assert main(["cooccur", str(corpus), "--vocab", str(vocab), "--out", str(vocab), "-q"]) == 2
    assert vocab.read_bytes() == before
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("alpha beta alpha beta\n")
    assert main(["vocab", str(folder), "--min-count", "1", "--out", str(folder / "vocab.txt"), "-q"]) == 2
    assert "inside the corpus directory" in capsys.readouterr().err
    assert not (folder / "vocab.txt").exists()
    assert main(["train", str(folder), "--out", str(folder / "run"), *TRAIN]) == 2


def test_a_file_we_did_not_write_is_not_replaced(tmp_path, corpus, capsys):
    notes = tmp_path / "notes.txt"
    notes.write_text("my thesis, chapter one\n")
    assert main(["vocab", str(corpus), "--min-count", "1", "--out", str(notes), "-q"]) == 2
    assert "not a file glove-gensim wrote" in capsys.readouterr().err
    assert notes.read_text() == "my thesis, chapter one\n"
    run = tmp_path / "run"
    run.mkdir()
    (run / "vectors.txt").write_text("not vectors at all\n")
    assert main(["train", str(corpus), "--out", str(run), *TRAIN]) == 2
    assert (run / "vectors.txt").read_text() == "not vectors at all\n"


def test_unwritable_out_is_found_before_counting(tmp_path, corpus, monkeypatch, capsys):
    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    def counted(*args, **kwargs):
        raise AssertionError("the corpus was counted before --out was checked")

    monkeypatch.setattr(tempfile, "TemporaryFile", read_only)
    monkeypatch.setattr(Vocabulary, "build", counted)
    assert main(["vocab", str(corpus), "--out", str(tmp_path / "v.txt"), "-q"]) == 2
    err = capsys.readouterr().err
    assert "--out" in err and "Read-only file system" in err and ".tmp" not in err


def test_missing_parent_folders_are_created_by_every_command(tmp_path, corpus):
    assert main(["vocab", str(corpus), "--min-count", "1", "--out", str(tmp_path / "a" / "b" / "v.txt"), "-q"]) == 0
    assert main(["cooccur", str(corpus), "--min-count", "1", "--out", str(tmp_path / "c" / "x.npz"), "-q"]) == 0
    assert (tmp_path / "a" / "b" / "v.txt").is_file() and (tmp_path / "c" / "x.npz").is_file()


def test_train_folder_is_replaced_as_a_whole_and_keeps_other_entries(tmp_path, corpus, caplog):
    out = tmp_path / "run"
    assert main(["train", str(corpus), "--out", str(out), "--seed", "1", *TRAIN]) == 0
    (out / "my_notes.md").write_text("keep me")
    first = (out / "vectors.txt").read_bytes()
    with caplog.at_level("WARNING"):
        assert main(["train", str(corpus), "--out", str(out), "--seed", "5", *TRAIN]) == 0
    assert any("replaced when this run succeeds" in r.getMessage() for r in caplog.records)
    assert (out / "vectors.txt").read_bytes() != first and (out / "my_notes.md").read_text() == "keep me"
    assert sorted(p.name for p in out.iterdir()) == ["model.npz", "my_notes.md", "vectors.txt"]
    assert not leftovers(tmp_path)


def test_gzip_corpus_trains_the_same_vectors(tmp_path, corpus):
    packed = tmp_path / "corpus.txt.gz"
    packed.write_bytes(gzip.compress(corpus.read_bytes()))
    assert main(["train", str(corpus), "--out", str(tmp_path / "plain"), *TRAIN]) == 0
    assert main(["train", str(packed), "--out", str(tmp_path / "packed"), *TRAIN]) == 0
    assert (tmp_path / "plain" / "vectors.txt").read_bytes() == (tmp_path / "packed" / "vectors.txt").read_bytes()


@pytest.mark.parametrize("signum, status", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_signal_prints_one_line_and_exits_128_plus_signal(tmp_path, corpus, monkeypatch, capsys, signum, status):
    build = Vocabulary.build

    def interrupted(*args, **kwargs):
        vocabulary = build(*args, **kwargs)
        os.kill(os.getpid(), signum)
        return vocabulary

    monkeypatch.setattr(Vocabulary, "build", interrupted)
    out = tmp_path / "v.txt"
    assert main(["vocab", str(corpus), "--min-count", "1", "--out", str(out), "-q"]) == status
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f"interrupted by {signal.Signals(signum).name}" in err[0], err
    assert not out.exists() and not leftovers(tmp_path)
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL


def test_train_resume_without_checkpoints_fails_before_work(tmp_path, corpus, capsys):
    assert main(["train", str(corpus), "--out", str(tmp_path / "run"), "--resume", *TRAIN]) == 2
    assert "--resume needs --checkpoint-dir" in capsys.readouterr().err
    assert not (tmp_path / "run").exists()


def test_a_signal_during_an_import_waits_for_the_import_to_finish(tmp_path, monkeypatch):
    """An exception raised inside a module's initialisation can leave a C extension half made
    (JAX's crashed the interpreter so): the interruption comes once the import is over."""
    import importlib
    import time

    from glove_gensim.cli.outputs import Interrupted, stop_on_signals

    (tmp_path / "slow_module_under_test.py").write_text(
        "import os, signal, time\n"
        "os.kill(os.getpid(), signal.SIGTERM)\n"
        "deadline = time.monotonic() + 0.3\n"
        "while time.monotonic() < deadline:\n"
        "    pass\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    imported = []
    with pytest.raises(Interrupted) as stopped:
        with stop_on_signals():
            imported.append(importlib.import_module("slow_module_under_test"))
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                pass
    assert imported, "the signal cut the import short"
    assert time.monotonic() < deadline, "the deferred signal was never raised"
    assert stopped.value.signum == signal.SIGTERM
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
