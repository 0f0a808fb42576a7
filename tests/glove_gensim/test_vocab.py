import logging

import numpy as np
import pytest

from glove_gensim.files import CorruptFileError
from glove_gensim.vocab import Vocabulary


def test_order_is_count_descending_ties_by_first_appearance():
    docs = [["b", "a", "c", "c"], ["a", "b", "d", "c"]]
    vocab = Vocabulary.build(docs, min_count=1)
    assert vocab.words == ["c", "b", "a", "d"]
    assert vocab.counts.tolist() == [3, 2, 2, 1]
    assert vocab.total_tokens == 8
    assert vocab.lookup(["a", "zzz", "c"]).tolist() == [2, -1, 0]


def test_min_count_and_max_final_vocab():
    docs = [["a"] * 5 + ["b"] * 4 + ["c"] * 3 + ["d"]]
    assert Vocabulary.build(docs, min_count=3).words == ["a", "b", "c"]
    assert Vocabulary.build(docs, min_count=1, max_final_vocab=2).words == ["a", "b"]


def test_max_vocab_size_bounds_types_while_counting_keeping_frequent_words(rng):
    frequent = [["the", "of"] * 50]
    rare = [[f"rare{i}"] for i in range(500)]
    vocab = Vocabulary.build(frequent + rare + frequent, min_count=1, max_vocab_size=50)
    assert vocab.words[:2] == ["the", "of"] and vocab.counts[0] == 100
    assert len(vocab) <= 51


def test_empty_corpus_and_nothing_reaching_min_count():
    with pytest.raises(ValueError, match="empty"):
        Vocabulary.build([[]], min_count=1)
    with pytest.raises(ValueError, match="reaches min_count=5"):
        Vocabulary.build([["a", "b", "a"]], min_count=5)
    with pytest.raises(ValueError, match="min_count must be an integer"):
        Vocabulary.build([["a"]], min_count=0)


def test_words_that_no_text_format_can_hold_are_refused():
    with pytest.raises(ValueError, match="whitespace or control"):
        Vocabulary(["ok", "two words"], [2, 1])
    with pytest.raises(ValueError, match="distinct"):
        Vocabulary(["a", "a"], [2, 1])


def test_npz_and_stanford_round_trips(tmp_path):
    vocab = Vocabulary(["le", "d\u00e9j\u00e0", "x"], [5, 3, 3], total_tokens=20)
    assert Vocabulary.load(vocab.save(tmp_path / "v.npz")) == vocab
    assert Vocabulary.load(vocab.save(tmp_path / "v.npz")).total_tokens == 20
    vocab.save(tmp_path / "vocab.txt")
    assert (tmp_path / "vocab.txt").read_text(encoding="utf-8") == "le 5\nd\u00e9j\u00e0 3\nx 3\n"
    assert Vocabulary.load(tmp_path / "vocab.txt") == vocab


def test_stanford_vocab_keeps_file_order_and_rejects_bad_lines(tmp_path, stanford_reference):
    vocab = Vocabulary.load_stanford(stanford_reference / "vocab.txt")
    assert len(vocab) == 4079 and vocab.words[:3] == ["the", "of", "to"]
    bad = tmp_path / "bad.txt"
    bad.write_text("a 3\nb three\n")
    with pytest.raises(ValueError, match=r"bad\.txt:2"):
        Vocabulary.load_stanford(bad)


def test_corrupt_vocabulary_file_is_refused(tmp_path):
    path = Vocabulary(["a", "b"], [2, 1]).save(tmp_path / "v.npz")
    data = bytearray(path.read_bytes())
    path.write_bytes(bytes(data[: len(data) // 2]))
    with pytest.raises(CorruptFileError, match="v.npz"):
        Vocabulary.load(path)
    np.save(tmp_path / "plain.npy", np.arange(3))
    with pytest.raises(CorruptFileError):
        Vocabulary.load(tmp_path / "plain.npy")


def test_max_vocab_size_holds_memory_with_many_distinct_words(caplog):
    """200,000 distinct words, bound 1,000: the counter never holds much more than the bound."""
    documents = [[f"rare{i}" for i in range(start, start + 100)] + ["common"] * 5
                 for start in range(0, 200_000, 100)]
    with caplog.at_level("INFO", logger="glove_gensim.vocab"):
        vocab = Vocabulary.build(documents, min_count=5, max_vocab_size=1000)
    assert vocab.words == ["common"]
    vocab_logger = logging.getLogger("glove_gensim.vocab")
    assert "held at most " in caplog.text, (vocab_logger.disabled, vocab_logger.propagate, vocab_logger.handlers,
                                            logging.getLogger().handlers, caplog.text[-500:])
    held = int(caplog.text.split("held at most ")[1].split(" ")[0])
    assert held <= 1000 + 105
