import os
import tempfile
from pathlib import Path

import numpy as np
import pytest
from gensim.models import KeyedVectors
from hypothesis import given, settings
from hypothesis import strategies as st

import glove_gensim.io as gio
from glove_gensim.io import load_glove, save_glove_binary, save_glove_text, save_word2vec_text


def make_kv(words, vectors, dtype=np.float32):
    vectors = np.asarray(vectors, dtype=dtype)
    kv = KeyedVectors(vectors.shape[1], dtype=dtype)
    kv.add_vectors(list(words), vectors)
    return kv


def random_kv(rng, n=20, dim=7):
    # Random bit patterns: every exponent range, subnormals and signed zeros, not just N(0, 1).
    bits = rng.integers(0, 2**32, size=(n, dim), dtype=np.uint64).astype(np.uint32)
    vectors = bits.view(np.float32)
    vectors[~np.isfinite(vectors)] = 1.5
    words = [f"w{i}é" for i in range(n)]
    return make_kv(words, vectors)


def assert_same(kv_a, kv_b):
    assert list(kv_a.index_to_key) == list(kv_b.index_to_key)
    assert kv_a.vectors.dtype == kv_b.vectors.dtype
    np.testing.assert_array_equal(kv_a.vectors.view(np.uint32), kv_b.vectors.view(np.uint32))


# ------------------------------------------------------------------------------------- text

def test_stanford_text_round_trip_is_bitwise(tmp_path, rng):
    kv = random_kv(rng)
    path = save_glove_text(kv, tmp_path / "vectors.txt")
    first = path.read_text(encoding="utf-8").splitlines()[0].split(" ")
    assert first[0] == "w0é" and len(first) == 1 + 7  # no header line
    assert_same(kv, load_glove(path))


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_stanford_text_round_trip_property(data):
    dim = data.draw(st.integers(1, 5))
    n = data.draw(st.integers(1, 6))
    letters = st.characters(blacklist_categories=("Cc", "Cs", "Zs", "Zl", "Zp"))
    word = st.text(letters, min_size=1, max_size=6).filter(lambda w: not gio._UNWRITABLE.search(w))
    words = data.draw(st.lists(word, min_size=n, max_size=n, unique=True))
    values = data.draw(st.lists(st.floats(width=32, allow_nan=False), min_size=n * dim, max_size=n * dim))
    kv = make_kv(words, np.reshape(values, (n, dim)))
    with tempfile.TemporaryDirectory() as folder:
        for saver in (save_glove_text, save_word2vec_text):
            assert_same(kv, load_glove(saver(kv, Path(folder) / "v.txt"), strict=False))  # inf round-trips


def test_words_are_written_in_index_order_regardless_of_count(tmp_path):
    kv = make_kv(["a", "b", "c"], np.eye(3))
    for word, count in zip(["a", "b", "c"], [1, 5, 3]):
        kv.set_vecattr(word, "count", count)
    for saver in (save_glove_text, save_word2vec_text):
        assert load_glove(saver(kv, tmp_path / "v.txt")).index_to_key == ["a", "b", "c"]


def test_word2vec_text_we_write_loads_in_gensim(tmp_path, rng):
    kv = random_kv(rng)
    path = save_word2vec_text(kv, tmp_path / "w2v.txt")
    assert path.read_text(encoding="utf-8").splitlines()[0] == "20 7"
    assert_same(kv, KeyedVectors.load_word2vec_format(str(path), binary=False))
    assert_same(kv, load_glove(path))


def test_gensim_word2vec_text_loads_with_header_detected(tmp_path, rng):
    kv = random_kv(rng)
    for i, word in enumerate(kv.index_to_key):
        kv.set_vecattr(word, "count", 100 - i)
    path = tmp_path / "gensim.txt"
    kv.save_word2vec_format(str(path), binary=False)
    assert path.read_text(encoding="utf-8").startswith("20 7\n")
    assert_same(kv, load_glove(path))


def test_stanford_glove_write_header_with_unk_line_loads(tmp_path):
    # glove -write-header 1 counts the vocabulary in the header, then also writes <unk>.
    path = tmp_path / "vectors.txt"
    path.write_text("2 2\nthe 0.100000 0.200000\nof 0.300000 0.400000\n<unk> 0.200000 0.300000\n")
    kv = load_glove(path)
    assert kv.index_to_key == ["the", "of", "<unk>"]
    np.testing.assert_allclose(kv["<unk>"], [0.2, 0.3])


def test_tokens_with_spaces_as_in_the_840B_release_load(tmp_path):
    path = tmp_path / "glove.840B.3d.txt"
    lines = [". . 0.1 0.2 0.3",          # first line's token has a space: dim must still be 3
             ", -0.1 0.25 1e-3",
             ". . . 1 2 3",
             "at name@domain.com 0.5 -0.5 0.0",
             "1 2 -1.5 2.5 3.5",          # a numeric token with a space
             "Sehr\u00a0gut 0.1 0.1 0.1",  # non-breaking space kept inside the token
             "\u00a0 0.2 0.2 0.2",
             "word\t0.7\t0.8\t0.9"]        # tab-separated fields
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    kv = load_glove(path)
    assert kv.vector_size == 3
    assert kv.index_to_key == [". .", ",", ". . .", "at name@domain.com", "1 2", "Sehr\u00a0gut", "\u00a0",
                               "word"]
    np.testing.assert_array_equal(kv["at name@domain.com"], np.float32([0.5, -0.5, 0.0]))
    np.testing.assert_array_equal(kv["1 2"], np.float32([-1.5, 2.5, 3.5]))
    np.testing.assert_array_equal(kv[". . ."], np.float32([1, 2, 3]))


def test_crlf_line_endings_and_blank_lines(tmp_path):
    path = tmp_path / "v.txt"
    path.write_bytes(b"a 1.0 2.0\r\n\r\nb 3.0 4.0\r\n\n")
    kv = load_glove(path)
    assert kv.index_to_key == ["a", "b"]
    np.testing.assert_array_equal(kv.vectors, np.float32([[1, 2], [3, 4]]))


@pytest.mark.parametrize("word", ["new york", "tab\there", "line\nbreak", "cr\rx", "", "nul\x00",
                                  "nbsp\u00a0x", "sep\u2028x"])
@pytest.mark.parametrize("saver", [save_glove_text, save_word2vec_text])
def test_unwritable_words_are_refused_by_name_and_nothing_is_written(tmp_path, word, saver):
    kv = make_kv(["fine", word], np.ones((2, 2)))
    path = tmp_path / "v.txt"
    with pytest.raises(ValueError, match="word") as info:
        saver(kv, path)
    assert repr(word) in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_non_string_keys_are_refused(tmp_path):
    kv = KeyedVectors(2)
    kv.add_vectors([1, 2], np.ones((2, 2)))
    with pytest.raises(TypeError, match="key 1"):
        save_glove_text(kv, tmp_path / "v.txt")


def test_empty_vectors_refused_for_stanford_text_but_allowed_with_a_header(tmp_path):
    kv = KeyedVectors(4)
    with pytest.raises(ValueError, match="no vectors"):
        save_glove_text(kv, tmp_path / "v.txt")
    loaded = load_glove(save_word2vec_text(kv, tmp_path / "w2v.txt"))
    assert len(loaded) == 0 and loaded.vector_size == 4


def test_float64_vectors_round_trip_at_float64(tmp_path, rng):
    kv = make_kv(["a", "b"], rng.standard_normal((2, 3)), dtype=np.float64)
    loaded = load_glove(save_glove_text(kv, tmp_path / "v.txt"), dtype=np.float64)
    np.testing.assert_array_equal(loaded.vectors, kv.vectors)


def test_vocab_counts_become_count_attributes(tmp_path):
    (tmp_path / "vocab.txt").write_text("the 10\nof 7\n")
    (tmp_path / "vectors.txt").write_text("the 0.1 0.2\nof 0.3 0.4\n<unk> 0.2 0.3\n")
    kv = load_glove(tmp_path / "vectors.txt", vocab_path=tmp_path / "vocab.txt")
    assert [kv.get_vecattr(w, "count") for w in kv.index_to_key] == [10, 7, 0]
    assert "count" not in load_glove(tmp_path / "vectors.txt").expandos


# ------------------------------------------------------------------------- header detection

def test_first_line_of_two_numbers_that_is_not_a_header(tmp_path):
    path = tmp_path / "v.txt"
    # '0.5' is not an integer: a one-dimensional file whose first word is "3".
    path.write_text("3 0.5\na 0.25\n")
    kv = load_glove(path)
    assert kv.index_to_key == ["3", "a"] and kv.vector_size == 1
    # Two integers, but the next line has 2 fields, not the 5 + 1 the 'header' asks for.
    path.write_text("3 5\na 0.25\n")
    kv = load_glove(path)
    assert kv.index_to_key == ["3", "a"]
    np.testing.assert_array_equal(kv.vectors, np.float32([[5], [0.25]]))
    # Dimension 1 and the right width, but 1 line follows, not the 2 the 'header' promises.
    path.write_text("2 1\na 0.5\n")
    kv = load_glove(path)
    assert kv.index_to_key == ["2", "a"]
    np.testing.assert_array_equal(kv.vectors, np.float32([[1], [0.5]]))
    # The ambiguous case (exactly 'n' one-dimensional lines follow) is a header.
    path.write_text("1 1\na 0.5\n")
    assert load_glove(path).index_to_key == ["a"]


def test_we_never_write_an_ambiguous_first_line(tmp_path):
    # Word "2", value 1.0, then exactly two more one-dimensional lines: would look like a header
    # if the value were written "1"; we write "1.0".
    kv = make_kv(["2", "a", "b"], [[1.0], [0.5], [0.25]])
    path = save_glove_text(kv, tmp_path / "v.txt")
    assert path.read_text().splitlines()[0] == "2 1.0"
    assert_same(kv, load_glove(path))


def test_header_contradicted_by_the_file_is_an_error(tmp_path):
    path = tmp_path / "w2v.txt"
    path.write_text("3 2\na 0.1 0.2\nb 0.3 0.4\n")
    with pytest.raises(ValueError, match=r"declares 3 vectors.*holds 2"):
        load_glove(path)


# ---------------------------------------------------------------------------------- errors

@pytest.mark.parametrize("content, line, pattern", [
    ("a 0.1 0.2\nb 0.3\nc 0.5 0.6\n", 2, "expected a word and 2 numbers"),
    ("a 0.1 0.2\nb 0.3 0.4\nc 0.5 x7\n", 3, "'x7' is not a number"),
    ("2 2\na 0.1 0.2\nb 0.3 oops\n", 3, "'oops' is not a number"),
    ("a 0.1 0.2\nb 0.3 0.4\na 0.5 0.6\n", 3, r"duplicate word 'a' \(first on line 1\)"),
    ("a 0.1 0.2\n\xff\xfe 0.3 0.4\n", 2, "not valid utf-8"),
])
def test_malformed_lines_name_file_and_line(tmp_path, content, line, pattern):
    path = tmp_path / "bad.txt"
    path.write_bytes(content.encode("latin-1"))
    with pytest.raises(ValueError, match=pattern) as info:
        load_glove(path)
    assert f"{path}:{line}:" in str(info.value)


def test_first_line_without_numbers_is_refused(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text("hello world\n")
    with pytest.raises(ValueError, match=rf"{path}:1:"):
        load_glove(path)


@pytest.mark.parametrize("content", [b"", b"\n\n  \n"])
def test_empty_file_is_refused(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(ValueError, match="empty"):
        load_glove(path)


def test_missing_file_names_the_path(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.txt"):
        load_glove(tmp_path / "nope.txt")
    (tmp_path / "v.bin").write_bytes(b"\0" * 64)
    with pytest.raises(FileNotFoundError, match="vocab.txt"):
        load_glove(tmp_path / "v.bin", vocab_path=tmp_path / "vocab.txt")


# ---------------------------------------------------------------------------------- binary

def write_vocab(path, words):
    path.write_text("".join(f"{w} {100 - i}\n" for i, w in enumerate(words)))
    return path


def test_binary_round_trip_gives_word_plus_context(tmp_path, rng):
    n, dim = 6, 4
    W, C = rng.standard_normal((n, dim)), rng.standard_normal((n, dim))
    b, bc = rng.standard_normal(n), rng.standard_normal(n)
    words = ["the", "of", "and", "to", "a", "in"]
    vocab = write_vocab(tmp_path / "vocab.txt", words)
    path = save_glove_binary(W, C, b, bc, tmp_path / "vectors.bin")

    raw = np.fromfile(path, dtype="<f8").reshape(2 * n, dim + 1)  # Stanford's layout, exactly
    expected = np.vstack([np.hstack([W, b[:, None]]), np.hstack([C, bc[:, None]])])
    np.testing.assert_array_equal(raw, expected)

    kv = load_glove(path, vocab_path=vocab)  # .bin suffix -> binary
    assert kv.index_to_key == words and kv.vector_size == dim and kv.vectors.dtype == np.float32
    np.testing.assert_array_equal(kv.vectors, (W + C).astype(np.float32))
    assert [kv.get_vecattr(w, "count") for w in words] == [100, 99, 98, 97, 96, 95]
    kv64 = load_glove(path, binary=True, vocab_path=vocab, dtype=np.float64)
    np.testing.assert_array_equal(kv64.vectors, W + C)


def test_binary_needs_the_vocabulary(tmp_path):
    path = save_glove_binary(np.ones((2, 2)), np.ones((2, 2)), np.zeros(2), np.zeros(2), tmp_path / "v.bin")
    with pytest.raises(ValueError, match="vocab_path="):
        load_glove(path)


@pytest.mark.parametrize("cut", [8, 1, 24])
def test_truncated_binary_is_refused(tmp_path, cut):
    vocab = write_vocab(tmp_path / "vocab.txt", ["a", "b", "c"])
    path = save_glove_binary(np.ones((3, 2)), np.ones((3, 2)), np.zeros(3), np.zeros(3), tmp_path / "v.bin")
    data = path.read_bytes()
    path.write_bytes(data[:-cut])
    with pytest.raises(ValueError, match=r"v\.bin.*truncated"):
        load_glove(path, vocab_path=vocab)


def test_binary_with_another_vocabulary_is_refused(tmp_path):
    path = save_glove_binary(np.ones((3, 2)), np.ones((3, 2)), np.zeros(3), np.zeros(3), tmp_path / "v.bin")
    # 3 words x 2 x 3 x 8 = 144 bytes: a 4-word vocabulary would need a multiple of 64.
    with pytest.raises(ValueError, match="not 4 words"):
        load_glove(path, vocab_path=write_vocab(tmp_path / "vocab.txt", ["a", "b", "c", "d"]))


def test_binary_writer_checks_shapes(tmp_path):
    with pytest.raises(ValueError, match="context_vectors"):
        save_glove_binary(np.ones((3, 2)), np.ones((3, 3)), np.zeros(3), np.zeros(3), tmp_path / "v.bin")
    with pytest.raises(ValueError, match="context_biases"):
        save_glove_binary(np.ones((3, 2)), np.ones((3, 2)), np.zeros(3), np.zeros(2), tmp_path / "v.bin")
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------------------ atomicity

class Boom(RuntimeError):
    pass


def fail_after(calls, real):
    state = {"left": calls}

    def wrapper(*args, **kwargs):
        if state["left"] == 0:
            raise Boom("interrupted mid-write")
        state["left"] -= 1
        return real(*args, **kwargs)
    return wrapper


@pytest.mark.parametrize("saver", [save_glove_text, save_word2vec_text])
def test_interrupted_text_save_leaves_previous_file_intact(tmp_path, monkeypatch, rng, saver):
    path = tmp_path / "vectors.txt"
    saver(make_kv(["old"], [[1.0, 2.0]]), path)
    before = path.read_bytes()
    monkeypatch.setattr(gio, "_ROWS_PER_WRITE", 2)  # several writes, so some bytes reach the disk first
    monkeypatch.setattr(gio, "_format_row", fail_after(5, gio._format_row))
    with pytest.raises(Boom):
        saver(random_kv(rng), path)
    assert path.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["vectors.txt"]  # no temporary file left behind


def test_interrupted_binary_save_leaves_previous_file_intact(tmp_path, monkeypatch):
    path = tmp_path / "vectors.bin"
    save_glove_binary(np.ones((3, 2)), np.ones((3, 2)), np.zeros(3), np.zeros(3), path)
    before = path.read_bytes()
    monkeypatch.setattr(gio, "_ROWS_PER_WRITE", 1)
    monkeypatch.setattr(gio, "_param_block", fail_after(2, gio._param_block))
    with pytest.raises(Boom):
        save_glove_binary(np.zeros((5, 2)), np.zeros((5, 2)), np.zeros(5), np.zeros(5), path)
    assert path.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["vectors.bin"]
