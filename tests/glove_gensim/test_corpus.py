import logging

import pytest
from gensim.models.word2vec import LineSentence

from glove_gensim.corpus import Corpus, iter_text_documents, make_tokenizer


def test_regex_tokenizer_lowercases_and_maps_curly_apostrophe():
    assert make_tokenizer()("Don\u2019t PANIC, it's 42!") == ["don't", "panic", "it's", "42"]


def test_whitespace_tokenizer_keeps_case_and_punctuation():
    assert make_tokenizer("whitespace")("Hello , World\tagain\n") == ["Hello", ",", "World", "again"]


def test_treebank_tokenizer_needs_no_downloaded_data():
    assert make_tokenizer("treebank")("They can't stop.") == ["they", "ca", "n't", "stop", "."]


def test_user_regex_and_bad_regex():
    assert make_tokenizer(token_pattern=r"[a-z]+")("ab1cd") == ["ab", "cd"]
    with pytest.raises(ValueError, match="not a valid regular expression"):
        make_tokenizer(token_pattern="(")
    with pytest.raises(ValueError, match="tokenizer must be one of"):
        make_tokenizer("spacy")


def test_paragraphs_are_documents_by_default_and_lines_on_request(tmp_path):
    path = tmp_path / "c.txt"
    path.write_text("One two\nthree.\n\n  \n\nFour five\r\n\r\nsix\n", encoding="utf-8")
    assert list(Corpus(path)) == [["one", "two", "three"], ["four", "five"], ["six"]]
    assert list(Corpus(path, line_is_document=True)) == [["one", "two"], ["three"], ["four", "five"], ["six"]]


@pytest.mark.parametrize("block", [1, 2, 3, 7, 64])
def test_block_boundaries_do_not_change_documents(tmp_path, block):
    text = "alpha beta\n\ngamma \u00e9t\u00e9\n \n\ndelta\nepsilon\n\n\nzeta"
    path = tmp_path / "c.txt"
    path.write_text(text, encoding="utf-8")
    expected = [p for p in ["alpha beta", "gamma \u00e9t\u00e9", "delta\nepsilon", "zeta"]]
    got = [d.strip() for d in iter_text_documents(path, block_bytes=block) if d.strip()]
    assert got == expected


def test_directory_reads_text_files_in_name_order(tmp_path):
    (tmp_path / "b.txt").write_text("second")
    (tmp_path / "a.txt").write_text("first")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    assert list(Corpus(tmp_path)) == [["first"], ["second"]]


def test_missing_path_and_directory_without_text(tmp_path):
    with pytest.raises(FileNotFoundError, match="nowhere"):
        Corpus(tmp_path / "nowhere")
    (tmp_path / "x.png").write_bytes(b"")
    with pytest.raises(ValueError, match="holds no text files"):
        Corpus(tmp_path)


def test_invalid_utf8_is_replaced_counted_and_logged_once(tmp_path, caplog):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"good \xff\xfe words\n\nmore \xc3 text")
    with caplog.at_level(logging.WARNING):
        docs = list(Corpus(path, tokenizer="whitespace"))
    assert docs == [["good", "\ufffd\ufffd", "words"], ["more", "\ufffd", "text"]]
    warnings = [r.getMessage() for r in caplog.records if "invalid UTF-8" in r.getMessage()]
    assert len(warnings) == 1 and "replaced 3" in warnings[0] and str(path) in warnings[0]


def test_invalid_utf8_strict_names_file_and_offset(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"0123456789\xff")
    with pytest.raises(ValueError, match=r"bad\.txt: invalid UTF-8 at byte offset 10"):
        list(Corpus(path, errors="strict"))


def test_token_iterables_are_used_as_given_and_generators_refused(tmp_path):
    assert list(Corpus([["A", "b"], [], ("c",)])) == [["A", "b"], ["c"]]
    with pytest.raises(TypeError, match="one-shot iterator"):
        Corpus(iter([["a"]]))
    with pytest.raises(TypeError, match="is a string"):
        list(Corpus(["a b c"]))
    path = tmp_path / "lines.txt"
    path.write_text("x y\nz\n")
    assert list(Corpus(LineSentence(str(path)))) == [["x", "y"], ["z"]]
