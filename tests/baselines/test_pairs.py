"""Pair generation: gensim's subsampling probability, reduced windows, document boundaries."""
import numpy as np

from baselines.pairs import keep_probabilities, negative_table, skipgram_pairs, subsample


def test_keep_probability_is_gensims():
    from gensim.models import Word2Vec

    counts = np.array([50_000, 9_000, 3_000, 800, 100, 20, 5])
    words = [f"w{i}" for i in range(len(counts))]
    model = Word2Vec(sg=1, min_count=1, sample=1e-3)
    model.build_vocab_from_freq(dict(zip(words, counts.tolist())))
    gensim_keep = np.array([model.wv.get_vecattr(w, "sample_int") / 2 ** 32 for w in words])
    np.testing.assert_allclose(keep_probabilities(counts, 1e-3), gensim_keep, atol=1e-9)
    threshold = 1e-3 * counts.sum()
    formula = np.minimum(1, (np.sqrt(counts / threshold) + 1) * threshold / counts)
    np.testing.assert_allclose(keep_probabilities(counts, 1e-3), formula)
    assert np.all(keep_probabilities(counts, 0) == 1)


def test_subsampling_keeps_each_word_with_gensims_probability():
    rng = np.random.default_rng(0)
    counts = np.array([200_000, 60_000, 20_000, 5_000, 1_000, 200])
    ids = rng.permutation(np.repeat(np.arange(len(counts)), counts)).astype(np.int32)
    doc_starts = np.arange(0, len(ids) + 1, 1000, dtype=np.int64)
    keep = keep_probabilities(counts, 1e-3)
    assert keep[0] < 0.1 and 0.5 < keep[-2] < 1 and keep[-1] == 1.0
    kept, starts = subsample(ids, doc_starts, keep, seed=3)
    observed = np.bincount(kept, minlength=len(counts))
    sd = np.sqrt(counts * keep * (1 - keep))
    assert np.all(np.abs(observed - counts * keep) <= 5 * sd + 1e-9)
    assert starts[-1] == len(kept) and np.all(np.diff(starts) >= 0)


def test_pairs_stay_in_documents_and_windows():
    rng = np.random.default_rng(1)
    lengths = rng.integers(0, 30, 200)
    doc_starts = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    # token t holds its own position, so a pair tells where its words were
    ids = np.arange(doc_starts[-1], dtype=np.int32)
    window = 4
    centres, contexts, n_kept = skipgram_pairs(ids, doc_starts, np.ones(len(ids)), window, seed=5, shuffle=False)
    assert n_kept == len(ids)
    doc = np.searchsorted(doc_starts, ids, side="right") - 1
    assert np.all(doc[centres] == doc[contexts])
    distance = np.abs(centres.astype(int) - contexts)
    assert distance.min() >= 1 and distance.max() <= window
    # reduced windows: a pair at distance d survives with probability (window - d + 1) / window
    interior = np.array([(doc[c] == doc[o]) and (c - doc_starts[doc[c]] >= window)
                         and (doc_starts[doc[c] + 1] - c > window) for c, o in zip(contexts, centres)])
    hist = np.bincount(distance[interior], minlength=window + 1)[1:]
    expected = (window - np.arange(1, window + 1) + 1) / window
    np.testing.assert_allclose(hist / hist[0], expected, atol=0.05)
    # shuffling permutes the same pairs
    shuffled = skipgram_pairs(ids, doc_starts, np.ones(len(ids)), window, seed=5)
    assert sorted(zip(shuffled[0], shuffled[1])) == sorted(zip(centres, contexts))
    again = skipgram_pairs(ids, doc_starts, np.ones(len(ids)), window, seed=5)
    assert np.array_equal(again[0], shuffled[0]) and np.array_equal(again[1], shuffled[1])


def test_negative_table_proportions():
    counts = np.array([100, 10, 1])
    table = negative_table(counts, 0.75)
    p = np.diff(np.concatenate([[0], table])) / table[-1]
    np.testing.assert_allclose(p, counts ** 0.75 / np.sum(counts ** 0.75), atol=1e-8)
    assert table[-1] == 2 ** 31 - 1
