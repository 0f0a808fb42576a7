"""Documents of any length: read in pieces, counted as if whole (issue 18, item 3)."""
import numpy as np
import pytest

import glove_gensim.corpus as corpus_module
from glove_gensim.cooccur import count_cooccurrences
from glove_gensim.corpus import Corpus, iter_text_documents
from glove_gensim.pieces import ContinuedTokens
from glove_gensim.vocab import Vocabulary
from tests.glove_gensim.test_cooccur import as_dict, reference_counts


@pytest.fixture
def tokens():
    rng = np.random.default_rng(18)
    words = [f"w{i}" for i in range(200)]
    return list(rng.choice(words, size=6000, p=np.r_[0.4, np.full(199, 0.6 / 199)]))


@pytest.mark.parametrize("line_is_document", [False, True])
@pytest.mark.parametrize("symmetric, distance_weighting", [(True, True), (False, False)])
def test_a_long_document_in_pieces_counts_as_the_whole(tmp_path, monkeypatch, tokens, line_is_document,
                                                       symmetric, distance_weighting):
    path = tmp_path / "one_line.txt"
    path.write_text(" ".join(tokens) + " . , ;\n" + " ".join(tokens[:50]) + "\n")
    monkeypatch.setattr(corpus_module, "PIECE_CHARS", 500)
    documents = list(Corpus(path, line_is_document=line_is_document))
    assert sum(isinstance(d, ContinuedTokens) for d in documents) > 40
    whole = [tokens, tokens[:50]] if line_is_document else [tokens + tokens[:50]]
    vocab = Vocabulary.build(whole, min_count=3)
    assert Vocabulary.build(documents, min_count=3).words == vocab.words
    counted = count_cooccurrences(documents, vocab, window=7, symmetric=symmetric,
                                  distance_weighting=distance_weighting)
    expected = reference_counts(whole, vocab, 7, symmetric, distance_weighting)
    got = as_dict(counted)
    assert got.keys() == expected.keys()
    assert max(abs(got[key] - expected[key]) for key in expected) < 1e-9


def test_pieces_are_cut_at_whitespace_and_bounded(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("alpha beta gamma " * 2000)
    pieces = list(iter_text_documents(path, piece_chars=1000, block_bytes=4096))
    assert max(map(len, pieces)) <= 4096 + 1000 and len(pieces) > 20
    assert "".join(pieces) == path.read_text()
    assert all(not p or p[0] == " " or p.startswith("alpha") for p in pieces)


def test_one_reading_path_carries_windows_too(tmp_path, monkeypatch, tokens):
    from glove_gensim.cooccur import count_corpus

    path = tmp_path / "one_line.txt"
    path.write_text(" ".join(tokens) + "\n")
    monkeypatch.setattr(corpus_module, "PIECE_CHARS", 700)
    documents = Corpus(path)
    counted = count_corpus(documents, min_count=3, window=6, chunk_tokens=333, threads=2)
    expected = reference_counts([tokens], counted.vocabulary, 6, True, True)
    got = as_dict(counted)
    assert got.keys() == expected.keys()
    assert max(abs(got[key] - expected[key]) for key in expected) < 1e-9
