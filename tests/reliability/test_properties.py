"""Property-based tests of tokenizing, vocabulary and counting on arbitrary input."""
from __future__ import annotations

import re

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glove_gensim.cooccur import count_cooccurrences
from glove_gensim.corpus import DEFAULT_TOKEN_PATTERN, Corpus, make_tokenizer
from glove_gensim.vocab import Vocabulary
from tests.glove_gensim.test_cooccur import as_dict, reference_counts

PROFILE = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
any_text = st.text(st.characters(codec="utf-8"), max_size=300)
tokens = st.text(st.characters(codec="utf-8", exclude_categories=("Z", "C")), min_size=1, max_size=200)


@PROFILE
@given(any_text)
def test_regex_tokens_match_the_pattern_and_are_lower_case(text):
    pattern = re.compile(DEFAULT_TOKEN_PATTERN)
    for token in make_tokenizer()(text):
        assert pattern.fullmatch(token) and token == token.lower()


@PROFILE
@given(any_text)
def test_whitespace_tokenizer_is_str_split(text):
    assert make_tokenizer("whitespace")(text) == text.split()


@PROFILE
@given(st.lists(st.lists(st.sampled_from(["alpha", "b\u00e9ta", "\u0393\u03b1\u03bc\u03bc\u03b1", "x" * 500, "7"]),
                         max_size=12), max_size=8),
       st.sampled_from([True, False]))
def test_files_round_trip_through_the_reader(tmp_path, documents, line_is_document):
    path = tmp_path / "c.txt"
    separator = "\n" if line_is_document else "\n\n \t\n"
    path.write_text(separator.join(" ".join(d) for d in documents), encoding="utf-8")
    expected = [d for d in documents if d]
    assert list(Corpus(path, tokenizer="whitespace", line_is_document=line_is_document)) == expected


@PROFILE
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_crash_the_reader(tmp_path, data):
    path = tmp_path / "bytes.txt"
    path.write_bytes(data)
    try:
        documents = list(Corpus(path))
    except ValueError as exc:  # refused as compressed or binary, with a message saying so
        assert "looks" in str(exc) and ("compressed" in str(exc) or "binary" in str(exc))
        return
    assert all(doc and all(token for token in doc) for doc in documents)


@PROFILE
@given(st.lists(st.lists(tokens, max_size=10), max_size=10))
def test_vocabulary_of_arbitrary_tokens_is_ordered_or_refused_clearly(documents):
    try:
        vocab = Vocabulary.build(documents, min_count=1)
    except ValueError as exc:
        message = str(exc)
        assert "empty" in message or "whitespace or control" in message or "min_count" in message
        return
    assert np.all(np.diff(vocab.counts) <= 0)
    assert sum(vocab.counts) == sum(len(d) for d in documents)


@PROFILE
@given(st.lists(st.lists(st.sampled_from("abcdefg"), max_size=25), min_size=1, max_size=12),
       st.integers(1, 8), st.booleans(), st.integers(1, 3))
def test_counts_equal_reference_on_arbitrary_documents(documents, window, symmetric, min_count):
    if sum(map(len, documents)) == 0:
        return
    try:
        vocab = Vocabulary.build(documents, min_count=min_count)
    except ValueError:
        return
    cooc = count_cooccurrences(documents, vocab, window=window, symmetric=symmetric, chunk_tokens=7)
    expected = reference_counts(documents, vocab, window, symmetric, True)
    got = as_dict(cooc)
    assert got.keys() == expected.keys()
    np.testing.assert_allclose([got[k] for k in expected], list(expected.values()), rtol=1e-12)
