"""A full disk (ENOSPC) while counting spills, merges or writes: a clear error, no file left behind.

The failure is injected: ``numpy.save`` (what the spill shards and the token store write with)
or ``numpy.lib.format.write_array`` (what our ``.npz`` writer uses) writes a few bytes of the
file and then raises ``OSError(ENOSPC)``, as a filling disk does.
"""
import errno
import inspect
import re
import traceback

import numpy as np
import pytest

from glove_gensim import counting
from glove_gensim.cooccur import count_cooccurrences, count_corpus
from glove_gensim.vocab import Vocabulary
from tests.conftest import random_documents

REAL_SAVE = np.save


ENOSPC = OSError(errno.ENOSPC, "No space left on device")
SHORT_WRITE = OSError("65786 requested and 49120 written")  # numpy's tofile on a full disk: no errno


def failing_save(when, error=ENOSPC):
    """A ``np.save`` that fails like a full disk (after writing part of the file) when ``when()``."""
    def save(file, array, *args, **kwargs):
        if when():
            with open(file, "wb") as handle:
                handle.write(b"\x93NUMPY partial")
            raise error
        return REAL_SAVE(file, array, *args, **kwargs)
    return save


def called_from(function_name):
    return lambda: any(frame.function == function_name for frame in inspect.stack()[2:12])


def nth_call(n):
    calls = [0]

    def when():
        calls[0] += 1
        return calls[0] == n
    return when


def assert_clear_error(error, folder, what):
    message = str(error.value)
    assert error.value.errno == errno.ENOSPC
    assert str(folder) in message and what in message
    assert re.search(r"[0-9.]+ MB needed, [0-9.,]+ MB free", message), message
    assert list(folder.rglob("*")) == []


@pytest.fixture
def documents(rng):
    return random_documents(rng, n_docs=300, n_types=300, max_len=60)


@pytest.mark.parametrize("stage, when", [("spilling", lambda: nth_call(2)),
                                         ("merging", lambda: called_from("_finish"))])
def test_disk_full_while_spilling_or_merging_names_the_folder_and_leaves_nothing(documents, tmp_path, monkeypatch,
                                                                                stage, when):
    vocab = Vocabulary.build(documents, min_count=1)
    monkeypatch.setattr(np, "save", failing_save(when()))
    with pytest.raises(OSError) as error:
        count_cooccurrences(documents, vocab, window=8, memory_limit="+64KB", tmp_dir=tmp_path, chunk_tokens=100,
                            threads=2)
    assert_clear_error(error, tmp_path, "co-occurrence shard")
    if stage == "merging":  # the failure came from the last spill, after every chunk was counted
        assert "_finish" in [frame.name for frame in traceback.extract_tb(error.tb)]


@pytest.mark.parametrize("error", [ENOSPC, SHORT_WRITE], ids=["ENOSPC", "short write"])
def test_disk_full_while_spilling_token_ids_names_the_folder_and_leaves_nothing(documents, tmp_path, monkeypatch,
                                                                               error):
    monkeypatch.setattr(np, "save", failing_save(called_from("append"), error))
    with pytest.raises(OSError) as error:
        count_corpus(documents, min_count=1, window=8, memory_limit="+64KB", tmp_dir=tmp_path, chunk_tokens=100)
    assert_clear_error(error, tmp_path, "token ids")


def test_disk_full_while_writing_the_counts_keeps_the_old_file_and_leaves_no_temporary(documents, tmp_path,
                                                                                       monkeypatch):
    vocab = Vocabulary.build(documents, min_count=1)
    cooc = count_cooccurrences(documents, vocab, window=8)
    path = cooc.save(tmp_path / "counts.npz")
    before = path.read_bytes()
    real_write = np.lib.format.write_array

    def write_array(member, array, *args, **kwargs):
        if len(array) > 1000:
            member.write(b"partial")
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(member, array, *args, **kwargs)

    monkeypatch.setattr(np.lib.format, "write_array", write_array)
    with pytest.raises(OSError) as error:
        cooc.save(path)
    message = str(error.value)
    assert error.value.errno == errno.ENOSPC and str(tmp_path) in message and "counts.npz" in message
    assert re.search(r"[0-9.]+ MB needed", message) and "intact" in message
    assert [p.name for p in tmp_path.iterdir()] == ["counts.npz"] and path.read_bytes() == before


def test_other_write_errors_pass_through_unchanged(documents, tmp_path, monkeypatch):
    vocab = Vocabulary.build(documents, min_count=1)

    def save(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(np, "save", save)
    with pytest.raises(PermissionError, match="Permission denied"):
        count_cooccurrences(documents, vocab, window=8, memory_limit="+64KB", tmp_dir=tmp_path, chunk_tokens=100)
    assert list(tmp_path.rglob("*")) == []
    assert counting.np.save is save  # the module writes through numpy's save, the one injected here


@pytest.mark.parametrize("name", ["counts.npz", "counts.bin"])
def test_disk_full_while_writing_merged_counts_names_the_folder_and_leaves_nothing(documents, tmp_path, monkeypatch,
                                                                                  name):
    from glove_gensim import cooccur

    out_dir, scratch = tmp_path / "out", tmp_path / "scratch"
    out_dir.mkdir()
    scratch.mkdir()
    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(cooccur, "_write_stanford", full_disk)  # the .bin records
    monkeypatch.setattr(cooccur.np, "ascontiguousarray", full_disk)  # the .npz staging files
    with pytest.raises(OSError) as error:
        cooccur.count_to_file(documents, out_dir / name, min_count=1, window=8, memory_limit="+64KB",
                              tmp_dir=scratch)
    message = str(error.value)
    assert error.value.errno == errno.ENOSPC and "writing merged counts" in message
    assert re.search(r"[0-9.]+ MB needed, [0-9.,]+ MB free", message), message
    assert list(out_dir.iterdir()) == [] and list(scratch.rglob("*")) == []
