"""Compressed corpora, binary input, Unicode tokens, line ends and directory listings (issue 18)."""
import bz2
import gzip
import logging
import lzma

import pytest

from glove_gensim.cli import main
from glove_gensim.corpus import Corpus, make_tokenizer
from glove_gensim.vocab import Vocabulary

TEXT = "The cat sat on the mat.\n\nThe dog sat on the log!\nA cat and a dog.\n\n" * 40
COMPRESSORS = {".gz": gzip.compress, ".bz2": bz2.compress, ".xz": lzma.compress}


@pytest.mark.parametrize("suffix", sorted(COMPRESSORS))
def test_compressed_file_reads_like_the_plain_one(tmp_path, suffix):
    plain = tmp_path / "c.txt"
    plain.write_text(TEXT)
    packed = tmp_path / f"c.txt{suffix}"
    packed.write_bytes(COMPRESSORS[suffix](TEXT.encode()))
    assert list(Corpus(packed)) == list(Corpus(plain))
    assert list(Corpus(packed, line_is_document=True)) == list(Corpus(plain, line_is_document=True))


def test_directory_reads_compressed_files_and_vocab_cli_counts_them(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT)
    (folder / "b.txt.gz").write_bytes(gzip.compress(TEXT.encode()))
    (folder / "c.bz2").write_bytes(bz2.compress(TEXT.encode()))
    assert [p.name for p in Corpus(folder).files] == ["a.txt", "b.txt.gz", "c.bz2"]
    assert main(["vocab", str(folder), "--min-count", "1", "--out", str(tmp_path / "v.txt"), "-q"]) == 0
    single = Vocabulary.build(Corpus(folder / "a.txt"), min_count=1)
    vocab = Vocabulary.load(tmp_path / "v.txt")
    assert vocab.words == single.words and list(vocab.counts) == [3 * c for c in single.counts]


def test_compressed_bytes_under_a_text_name_or_binary_data_are_refused(tmp_path, capsys):
    disguised = tmp_path / "pol.txt"
    disguised.write_bytes(bz2.compress(TEXT.encode()))
    assert main(["vocab", str(disguised), "--out", str(tmp_path / "v.txt"), "-q"]) == 2
    assert "looks bzip2-compressed" in capsys.readouterr().err
    binary = tmp_path / "data.txt"
    binary.write_bytes(bytes(range(128, 256)) * 40)
    with pytest.raises(ValueError, match="looks binary or compressed"):
        list(Corpus(binary))
    assert not (tmp_path / "v.txt").exists()


def test_nul_heavy_file_is_refused_as_binary(tmp_path):
    path = tmp_path / "nul.txt"
    path.write_bytes(b"word\x00\x00\x00\x00" * 400)
    with pytest.raises(ValueError, match="looks binary"):
        list(Corpus(path))


def test_unicode_words_stay_whole_and_cjk_runs_are_tokens(tmp_path):
    path = tmp_path / "uni.txt"
    path.write_text("Café naïve résumé Straße Cafe\u0301\n\nМосква привет, мир\n\n東京都 に 行きます don't well-known\n")
    assert main(["vocab", str(path), "--min-count", "1", "--out", str(tmp_path / "v.txt"), "-q"]) == 0
    words = set(Vocabulary.load(tmp_path / "v.txt").words)
    assert {"café", "naïve", "résumé", "strasse", "москва", "привет", "мир", "東京都", "行きます",
            "don't", "well", "known"} <= words
    assert Vocabulary.load(tmp_path / "v.txt").counts[Vocabulary.load(tmp_path / "v.txt").words.index("café")] == 2


def test_ascii_tokenizer_keeps_the_old_tokens():
    assert make_tokenizer("ascii")("Café naïve DON\u2019T") == ["caf", "na", "ve", "don't"]
    assert make_tokenizer()("Café naïve DON\u2019T") == ["café", "naïve", "don't"]


def test_dropped_share_is_logged_above_one_percent(tmp_path, caplog):
    path = tmp_path / "emoji.txt"
    path.write_text("word 😀😀 other ✨✨\n" * 50)
    with caplog.at_level(logging.WARNING, logger="glove_gensim.corpus"):
        assert list(Corpus(path))[0][:2] == ["word", "other"]
    dropped = [r.getMessage() for r in caplog.records if "dropped" in r.getMessage()]
    assert len(dropped) == 1 and "regex tokenizer dropped" in dropped[0]
    caplog.clear()
    plain = tmp_path / "plain.txt"
    plain.write_text("plain words, only punctuation dropped!\n" * 50)
    with caplog.at_level(logging.WARNING, logger="glove_gensim.corpus"):
        list(Corpus(plain))
    assert not [r for r in caplog.records if "dropped" in r.getMessage()]


def test_cr_only_line_ends_make_lines_and_paragraphs(tmp_path):
    path = tmp_path / "mac.txt"
    path.write_bytes(b"one two\rthree\r\rfour\r")
    assert list(Corpus(path, line_is_document=True)) == [["one", "two"], ["three"], ["four"]]
    assert list(Corpus(path)) == [["one", "two", "three"], ["four"]]


def test_empty_matching_pattern_is_refused_before_reading(tmp_path, capsys):
    path = tmp_path / "c.txt"
    path.write_text(TEXT)
    assert main(["vocab", str(path), "--token-pattern", "[a-z]*", "--out", str(tmp_path / "v.txt")]) == 2
    assert "matches the empty string" in capsys.readouterr().err


def test_directory_skips_our_outputs_and_logs_what_it_leaves_out(tmp_path, caplog):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT)
    (folder / "vocab.txt").write_text("the 160\ncat 80\n")
    (folder / "vectors.txt").write_text("2 2\nthe 0.1 0.2\ncat 0.3 -0.4\n")
    (folder / "sub").mkdir()
    (folder / "notes.docx").write_bytes(b"x")
    with caplog.at_level(logging.INFO, logger="glove_gensim.corpus"):
        files = Corpus(folder).files
    assert [p.name for p in files] == ["a.txt"]
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "sub/" in logged and "notes.docx" in logged and "vocab.txt" in logged
