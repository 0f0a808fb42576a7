"""Files the CLI writes: the permissions of a plain open(), one warning per invalid file."""
import os
import stat

import pytest

from glove_gensim.cli import main
from glove_gensim.files import atomic_write, save_arrays


@pytest.fixture(params=[0o022, 0o027])
def umask(request):
    previous = os.umask(request.param)
    yield request.param
    os.umask(previous)


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_written_files_get_the_permissions_of_a_plain_open(tmp_path, umask):
    import numpy as np

    with open(tmp_path / "plain.txt", "w") as handle:
        handle.write("x")
    expected = mode(tmp_path / "plain.txt")
    assert expected == 0o666 & ~umask
    with atomic_write(tmp_path / "atomic.txt", "w") as handle:
        handle.write("x")
    save_arrays(tmp_path / "arrays.npz", "test", 1, {"a": np.arange(3)})
    assert (mode(tmp_path / "atomic.txt"), mode(tmp_path / "arrays.npz")) == (expected, expected)
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("a b a b c\n")
    assert main(["vocab", str(corpus), "--min-count", "1", "--out", str(tmp_path / "out" / "v.txt"), "-q"]) == 0
    assert main(["cooccur", str(corpus), "--min-count", "1", "--out", str(tmp_path / "out" / "c.npz"), "-q"]) == 0
    for name in ("out/v.txt", "out/c.npz"):
        assert mode(tmp_path / name) == expected, name
    assert not list(tmp_path.glob("**/.*.tmp"))


def test_rewriting_keeps_the_existing_files_permissions(tmp_path):
    path = tmp_path / "shared.txt"
    path.write_text("old")
    os.chmod(path, 0o640)
    with atomic_write(path, "w") as handle:
        handle.write("new")
    assert path.read_text() == "new" and mode(path) == 0o640


def test_invalid_utf8_is_reported_once_per_file(tmp_path, caplog):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"a b \xff a b\n\nc a \xfe\n")
    assert main(["cooccur", str(bad), "--min-count", "1", "--out", str(tmp_path / "c.npz"), "-q"]) == 0
    warnings = [r for r in caplog.records if "invalid UTF-8" in r.getMessage() and r.levelno == 30]
    assert len(warnings) == 1 and "replaced 2 invalid" in warnings[0].getMessage()
