import gzip
from collections import defaultdict

import numpy as np
import pytest

from glove_gensim.cooccur import STANFORD_RECORD, Cooccurrence, count_cooccurrences, parse_memory
from glove_gensim.corpus import Corpus
from glove_gensim.vocab import Vocabulary
from tests.conftest import random_documents


def reference_counts(documents, vocabulary, window, symmetric, distance_weighting):
    """Slow float64 pure-Python reference of Stanford's cooccur."""
    counts = defaultdict(float)
    for document in documents:
        ids = [vocabulary.index[t] for t in document if t in vocabulary.index]
        for j, right in enumerate(ids):
            for k in range(max(0, j - window), j):
                weight = 1.0 / (j - k) if distance_weighting else 1.0
                counts[ids[k], right] += weight
                if symmetric:
                    counts[right, ids[k]] += weight
    return counts


def as_dict(cooc):
    return {(int(r), int(c)): float(v) for r, c, v in zip(cooc.rows, cooc.cols, cooc.values)}


@pytest.mark.parametrize("window", range(1, 13))
@pytest.mark.parametrize("symmetric", [True, False])
def test_counts_equal_slow_reference_with_oov(window, symmetric):
    rng = np.random.default_rng(window * 2 + symmetric)
    docs = random_documents(rng, n_docs=25, n_types=80)
    vocab = Vocabulary.build(docs, min_count=3)
    assert len(vocab) < len({t for d in docs for t in d}), "the test needs OOV tokens"
    weighting = window % 3 != 0
    cooc = count_cooccurrences(docs, vocab, window=window, symmetric=symmetric,
                               distance_weighting=weighting, chunk_tokens=50)
    expected = reference_counts(docs, vocab, window, symmetric, weighting)
    got = as_dict(cooc)
    assert got.keys() == expected.keys()
    np.testing.assert_allclose([got[k] for k in expected], list(expected.values()), rtol=1e-9)
    keys = cooc.rows.astype(np.int64) * len(vocab) + cooc.cols
    assert np.all(np.diff(keys) > 0), "entries must be sorted by (row, col) without duplicates"


def test_wide_window_float_path_equals_reference(rng):
    docs = random_documents(rng, n_docs=10, n_types=20, max_len=80)
    vocab = Vocabulary.build(docs, min_count=1)
    cooc = count_cooccurrences(docs, vocab, window=25)
    expected = reference_counts(docs, vocab, 25, True, True)
    got = as_dict(cooc)
    np.testing.assert_allclose([got[k] for k in expected], list(expected.values()), rtol=1e-9)


def test_windows_never_cross_documents():
    vocab = Vocabulary(["a", "b"], [1, 1])
    assert count_cooccurrences([["a"], ["b"]], vocab, window=5).nnz == 0


def test_tiny_memory_limit_spills_and_equals_in_memory_counts(rng, tmp_path):
    docs = random_documents(rng, n_docs=400, n_types=400, max_len=60)
    vocab = Vocabulary.build(docs, min_count=1)
    full = count_cooccurrences(docs, vocab, window=8, memory_limit=None)
    spill_dir = tmp_path / "spill"
    spill_dir.mkdir()
    small = count_cooccurrences(docs, vocab, window=8, memory_limit="+64KB", tmp_dir=spill_dir,
                                chunk_tokens=100)
    for name in ("rows", "cols", "values"):
        assert np.array_equal(getattr(full, name), getattr(small, name))
    assert list(spill_dir.iterdir()) == []


def test_interrupted_counting_leaves_no_temporary_file(rng, tmp_path):
    docs = random_documents(rng, n_docs=300, n_types=300, max_len=60)
    vocab = Vocabulary.build(docs, min_count=1)

    class Exploding:
        def __iter__(self):
            for number, doc in enumerate(docs):
                if number == 250:
                    raise RuntimeError("disk went away")
                yield doc

    with pytest.raises(RuntimeError, match="disk went away"):
        count_cooccurrences(Exploding(), vocab, window=8, memory_limit="+64KB", tmp_dir=tmp_path,
                            chunk_tokens=100)
    assert list(tmp_path.iterdir()) == []


def test_stanford_bin_layout_and_round_trip(tmp_path):
    vocab = Vocabulary(["a", "b", "c"], [3, 2, 1])
    cooc = count_cooccurrences([["a", "b", "a", "c"]], vocab, window=2)
    path = cooc.save(tmp_path / "cooccurrence.bin")
    raw = path.read_bytes()
    assert len(raw) == 16 * cooc.nnz
    first = np.frombuffer(raw[:16], dtype=STANFORD_RECORD)[0]
    assert (int.from_bytes(raw[0:4], "little"), int.from_bytes(raw[4:8], "little")) == (1, 1)
    assert first["value"] == pytest.approx(cooc.values[0])
    back = Cooccurrence.load_stanford(path, vocab)
    assert as_dict(back) == as_dict(cooc)
    (tmp_path / "short.bin").write_bytes(raw[:-3])
    with pytest.raises(ValueError, match="not a whole number"):
        Cooccurrence.load_stanford(tmp_path / "short.bin", vocab)
    with pytest.raises(ValueError, match="outside"):
        Cooccurrence.load_stanford(path, Vocabulary(["a"], [3]))


def test_npz_round_trip_keeps_vocabulary_and_settings(tmp_path):
    vocab = Vocabulary(["a", "b"], [3, 2], total_tokens=7)
    cooc = count_cooccurrences([["a", "b", "a"]], vocab, window=3, symmetric=False)
    back = Cooccurrence.load(cooc.save(tmp_path / "c.npz"))
    assert as_dict(back) == as_dict(cooc) and back.vocabulary == vocab
    assert back.settings() == {"window": 3, "symmetric": False, "distance_weighting": True}
    assert back.to_scipy().shape == (2, 2) and back.values_float32().dtype == np.float32


def test_equals_stanford_cooccur_on_reference_slice(stanford_reference, tmp_path):
    vocab = Vocabulary.load_stanford(stanford_reference / "vocab.txt")
    corpus = Corpus(stanford_reference / "political_300k.tok", tokenizer="whitespace",
                    line_is_document=True)
    ours = count_cooccurrences(corpus, vocab, window=10, symmetric=True)
    binary = tmp_path / "ref.bin"
    with gzip.open(stanford_reference / "cooccurrence.bin.gz") as handle:
        binary.write_bytes(handle.read())
    records = np.fromfile(binary, dtype=STANFORD_RECORD)
    assert ours.nnz == len(records) == 772535
    assert np.array_equal(ours.rows + 1, records["word1"])
    assert np.array_equal(ours.cols + 1, records["word2"])
    np.testing.assert_allclose(ours.values, records["value"], rtol=1e-9)
    ours.save(tmp_path / "ours.bin")
    np.testing.assert_array_equal(np.fromfile(tmp_path / "ours.bin", dtype=STANFORD_RECORD)[["word1", "word2"]],
                                  records[["word1", "word2"]])


def test_bad_arguments():
    vocab = Vocabulary(["a"], [1])
    with pytest.raises(ValueError, match="window"):
        count_cooccurrences([["a"]], vocab, window=0)
    with pytest.raises(ValueError, match="memory limit"):
        count_cooccurrences([["a"]], vocab, memory_limit="lots")
    with pytest.raises(ValueError, match="holds no documents"):
        count_cooccurrences([], vocab)
    assert parse_memory("2GB") == 2 << 30 and parse_memory("1.5m") == int(1.5 * 2**20)
    assert parse_memory(None) is None


def test_thousands_of_spill_files_merge_under_a_low_open_files_limit(tmp_path):
    """Stanford's cooccur fails past ~1,000 spill files ("too many open files"); we must not."""
    import subprocess
    import sys
    import textwrap
    from pathlib import Path

    script = textwrap.dedent("""
        import logging, resource, sys
        import numpy as np
        resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))
        from glove_gensim.cooccur import count_cooccurrences
        from glove_gensim.vocab import Vocabulary
        from tests.conftest import random_documents
        docs = random_documents(np.random.default_rng(0), n_docs=1400, n_types=3000, max_len=120)
        vocab = Vocabulary.build(docs, min_count=1)
        records = []
        logging.basicConfig(level=logging.INFO, stream=sys.stdout, format="%(message)s")
        spilled = count_cooccurrences(docs, vocab, window=6, memory_limit="+64KB", tmp_dir=sys.argv[1])
        full = count_cooccurrences(docs, vocab, window=6, memory_limit=None)
        assert all(np.array_equal(getattr(full, a), getattr(spilled, a)) for a in ("rows", "cols", "values"))
        print("equal")
    """)
    completed = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True,
                               cwd=str(Path(__file__).parents[2]))
    assert completed.returncode == 0, completed.stderr[-3000:]
    shards = int(completed.stdout.split(" spill shard")[0].rsplit(",", 1)[1])
    assert shards > 1000 and completed.stdout.strip().endswith("equal")
    assert list(tmp_path.iterdir()) == []


def assert_same_arrays(a: Cooccurrence, b: Cooccurrence, rtol: float = 0.0) -> None:
    assert a.vocabulary == b.vocabulary and a.vocabulary.total_tokens == b.vocabulary.total_tokens
    for name in ("rows", "cols", "values"):
        x, y = getattr(a, name), getattr(b, name)
        assert x.dtype == y.dtype and x.shape == y.shape, name
        assert np.array_equal(x, y) if rtol == 0 else np.allclose(x, y, rtol=rtol, atol=0), name


@pytest.mark.parametrize("window,symmetric,weighting", [(5, True, True), (3, False, True), (25, True, True),
                                                         (4, True, False)])
def test_one_reading_equals_vocabulary_then_counting(rng, tmp_path, window, symmetric, weighting):
    from glove_gensim.cooccur import count_corpus

    docs = random_documents(rng, n_docs=200, n_types=300, max_len=60)
    vocab = Vocabulary.build(docs, min_count=2, max_final_vocab=150)
    expected = count_cooccurrences(docs, vocab, window=window, symmetric=symmetric,
                                   distance_weighting=weighting, threads=1)
    for threads, limit, chunk in ((1, None, 1 << 16), (3, "+64KB", 50)):  # 64KB: tokens and tables spill
        got = count_corpus(docs, min_count=2, max_final_vocab=150, window=window, symmetric=symmetric,
                           distance_weighting=weighting, memory_limit=limit, tmp_dir=tmp_path,
                           chunk_tokens=chunk, threads=threads)
        floats_summed_in_another_order = window > 20 and limit is not None  # exact integers otherwise
        assert_same_arrays(got, expected, rtol=1e-13 if floats_summed_in_another_order else 0.0)
    assert list(tmp_path.iterdir()) == []


def test_counting_threads_give_the_same_arrays(rng):
    docs = random_documents(rng, n_docs=100, n_types=80)
    vocab = Vocabulary.build(docs, min_count=1)
    one = count_cooccurrences(docs, vocab, window=6, threads=1)
    for threads in (2, 5):
        assert_same_arrays(count_cooccurrences(docs, vocab, window=6, threads=threads), one)
    with pytest.raises(ValueError, match="threads"):
        count_cooccurrences(docs, vocab, threads=0)


def test_one_reading_rejects_bad_arguments_before_reading():
    from glove_gensim.cooccur import count_corpus

    class Unreadable:
        def __iter__(self):
            raise AssertionError("read before the arguments were checked")

    for bad in ({"window": 0}, {"min_count": 0}, {"max_final_vocab": 0}, {"memory_limit": "lots"}):
        with pytest.raises(ValueError, match=next(iter(bad)).replace("memory_limit", "memory limit")):
            count_corpus(Unreadable(), **bad)
