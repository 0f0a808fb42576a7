"""The compiled CPU engine of SkipGramNS: word2vec's update against a float64 reference, its
sampler, subsampling, determinism, threads, save/load and bad arguments."""
import numpy as np
import pytest
from scipy import stats

from baselines import sgns_cpu
from baselines.pairs import keep_probabilities, negative_table
from baselines.sgns import SkipGramNS
from glove_gensim.embedding import TrainingDivergedError
from tests.conftest import Crash, random_documents

SMALL = dict(vector_size=8, window=3, min_count=2, epochs=3, sample=1e-2, engine="cpu", workers=1)
MASK = 2 ** 48 - 1


@pytest.fixture(scope="module")
def documents():
    return random_documents(np.random.default_rng(7), n_docs=80, n_types=60, max_len=40)


# ----- a slow float64 reference of word2vec's skip-gram negative-sampling epoch ------------------
def _next(state: int) -> int:
    return (state * 25214903917 + 11) & MASK


def _table_index(f: float) -> int:
    return int((f + 6.0) * (1000 / 6.0 / 2.0))


def _reference_tables():
    x = (np.arange(1000) / 1000 * 2 - 1) * 6.0
    sigmoid = 1 / (1 + np.exp(-x))
    return sigmoid, np.log(sigmoid)


def reference_pair_step(vectors, word_in, word_out, negatives, alpha):
    """gensim's ``fast_sentence_sg_neg`` in float64: updates ``vectors`` [2V, d], returns the loss."""
    exp_table, log_table = _reference_tables()
    n_words = len(vectors) // 2
    v = vectors[word_in]
    neu1e = np.zeros_like(v)
    loss = 0.0
    for d, target in enumerate([word_out, *negatives]):
        if d and target == word_out:
            continue
        label = 1.0 if d == 0 else 0.0
        u = vectors[n_words + target]
        f = float(v @ u)
        t = f if d == 0 else -f
        loss += -log_table[_table_index(t)] if -6 < t < 6 else (-t if t <= -6 else 0.0)
        if not -6 < f < 6:
            continue
        g = (label - exp_table[_table_index(f)]) * alpha
        neu1e += g * u
        u += g * v
    v += neu1e
    return loss


def reference_epoch(vectors, ids, doc_starts, keep, table, window, negative, rate_start, rate_end, state):
    """One thread's epoch, drawing random numbers in the kernel's order; returns (loss, pairs)."""
    thresholds = sgns_cpu.sample_thresholds(keep)
    subsample = bool(np.any(thresholds < 2 ** 32))
    total, loss, n_pairs = doc_starts[-1] - doc_starts[0], 0.0, 0
    for start, end in zip(doc_starts[:-1], doc_starts[1:]):
        kept = []
        for word in ids[start:end]:
            if subsample:
                r, state = state >> 16, _next(state)
                if thresholds[word] < r:
                    continue
            kept.append(int(word))
        n = len(kept)
        for i, word_out in enumerate(kept):
            alpha = rate_start + (rate_end - rate_start) * (start - doc_starts[0] + i * (end - start) / n) / total
            reach, state = window - (state >> 16) % window, _next(state)
            for j in range(max(0, i - reach), min(n, i + reach + 1)):
                if j == i:
                    continue
                negatives = []
                for _ in range(negative):
                    negatives.append(int(np.searchsorted(table, (state >> 16) % int(table[-1]), side="right")))
                    state = _next(state)
                loss += reference_pair_step(vectors, kept[j], word_out, negatives, alpha)
                n_pairs += 1
    return loss, n_pairs


def _random_table(rng, n_words, dim):
    vectors = np.zeros((2 * n_words, dim))
    vectors[:n_words] = rng.uniform(-0.5, 0.5, (n_words, dim))
    vectors[n_words:] = rng.uniform(-0.3, 0.3, (n_words, dim))
    return vectors


def test_pair_step_equals_word2vecs_update():
    rng = np.random.default_rng(0)
    reference = _random_table(rng, 6, 5)
    vectors = reference.astype(np.float32)
    exp_table, log_table = sgns_cpu.sigmoid_tables()
    work = np.empty(5, dtype=np.float32)
    # a repeated negative sees the first one's update; a negative equal to the output word is skipped
    for word_in, word_out, negatives in ((0, 1, [2, 3, 3, 1, 5]), (4, 4, [0, 4, 2]), (1, 3, [3])):
        expected = reference_pair_step(reference, word_in, word_out, negatives, 0.05)
        loss = sgns_cpu.pair_step(vectors, word_in, word_out, np.array(negatives, dtype=np.int32), 0.05,
                                  work, exp_table, log_table)
        assert loss == pytest.approx(expected, rel=1e-5)
        np.testing.assert_allclose(vectors, reference, rtol=1e-5, atol=1e-6)
    assert not np.allclose(reference, _random_table(np.random.default_rng(0), 6, 5))


def test_pair_step_skips_saturated_scores_but_counts_their_loss():
    vectors = np.zeros((4, 2), dtype=np.float32)
    vectors[0] = [4.0, 0.0]      # input of word 0
    vectors[2 + 1] = [-2.0, 0.0]  # output of word 1: score -8, outside the table
    before = vectors.copy()
    exp_table, log_table = sgns_cpu.sigmoid_tables()
    loss = sgns_cpu.pair_step(vectors, 0, 1, np.zeros(0, dtype=np.int32), 0.1, np.empty(2, np.float32),
                              exp_table, log_table)
    np.testing.assert_array_equal(vectors, before)
    assert loss == pytest.approx(8.0)


@pytest.mark.parametrize("sample", [0.0, 0.05])
def test_one_thread_epoch_equals_the_float64_reference(sample):
    rng = np.random.default_rng(1)
    counts = np.array([30, 20, 12, 8, 5, 3, 2])
    ids = rng.choice(len(counts), size=70, p=counts / counts.sum()).astype(np.int32)
    doc_starts = np.array([0, 25, 25, 26, 55, 70], dtype=np.int64)  # an empty and a one-word document
    keep, table = keep_probabilities(counts, sample), negative_table(counts, 0.75)
    reference = _random_table(rng, len(counts), 4) * 0.5
    config = sgns_cpu.CpuConfig(window=3, negative=4, workers=1)
    vectors, loss, n_pairs = sgns_cpu.run_epoch(reference.astype(np.float32), ids, doc_starts, keep, table,
                                                config, 0.05, 0.02, seed=5, epoch=2)
    state = int(sgns_cpu.thread_seeds(5, 2, 1)[0])
    expected_loss, expected_pairs = reference_epoch(reference, ids, doc_starts, keep, table, 3, 4, 0.05, 0.02, state)
    assert n_pairs == expected_pairs > 50
    assert loss == pytest.approx(expected_loss, rel=1e-5)
    np.testing.assert_allclose(vectors, reference, rtol=1e-4, atol=1e-6)


def test_negatives_follow_unigram_to_the_075():
    counts = np.array([5000, 1200, 300, 80, 10, 0, 1])
    table = negative_table(counts, 0.75)
    drawn, _ = sgns_cpu.draw_negatives(sgns_cpu.make_sampler(table), 12345, 200_000)
    observed = np.bincount(drawn, minlength=len(counts))
    expected = counts ** 0.75 / np.sum(counts ** 0.75) * len(drawn)
    assert observed[5] == 0
    nonzero = counts > 0
    assert stats.chisquare(observed[nonzero], expected[nonzero]).pvalue > 1e-3


def test_subsampling_keeps_each_word_with_gensims_probability():
    counts = np.array([100_000, 30_000, 8_000, 2_000, 400, 100])
    ids = np.random.default_rng(2).permutation(np.repeat(np.arange(len(counts)), counts)).astype(np.int32)
    keep = keep_probabilities(counts, 1e-3)
    kept = sgns_cpu.kept_tokens(ids, sgns_cpu.sample_thresholds(keep), np.uint64(99))
    rate = np.bincount(kept, minlength=len(counts)) / counts
    sigma = np.sqrt(keep * (1 - keep) / counts)
    assert keep[0] < 0.2 and keep[-1] == 1.0
    assert np.all(np.abs(rate - keep) <= 4 * sigma + 1e-12)


def test_document_shares_are_contiguous_and_balanced():
    doc_starts = np.array([0, 10, 10, 40, 50, 100], dtype=np.int64)
    np.testing.assert_array_equal(sgns_cpu.document_shares(doc_starts, 2), [0, 4, 5])  # 50 tokens each
    np.testing.assert_array_equal(sgns_cpu.document_shares(doc_starts, 1), [0, 5])
    shares = sgns_cpu.document_shares(doc_starts, 8)
    assert shares[0] == 0 and shares[-1] == 5 and np.all(np.diff(shares) >= 0)


# ----- the model on the CPU engine --------------------------------------------------------------
def test_one_worker_is_deterministic(documents):
    a, b = SkipGramNS(documents, seed=3, **SMALL), SkipGramNS(documents, seed=3, **SMALL)
    c = SkipGramNS(documents, seed=4, **SMALL)
    assert a.resolved_engine == "cpu"
    np.testing.assert_array_equal(a.wv.vectors, b.wv.vectors)
    assert a.loss_history == b.loss_history and len(a.loss_history) == 3
    assert not np.allclose(a.wv.vectors, c.wv.vectors)


def test_two_threads_train_to_a_similar_loss():
    rng = np.random.default_rng(0)
    topics = [[f"a{i}" for i in range(10)], [f"b{i}" for i in range(10)]]
    docs = [list(rng.choice(topics[k % 2], 30)) for k in range(400)]
    settings = dict(vector_size=16, window=3, min_count=1, epochs=6, sample=0, alpha=0.05, engine="cpu")
    one, two = SkipGramNS(docs, workers=1, **settings), SkipGramNS(docs, workers=2, **settings)
    assert two.loss_history[-1] < two.loss_history[0]
    assert two.loss_history[-1] == pytest.approx(one.loss_history[-1], rel=0.03)
    for model in (one, two):
        assert model.wv.similarity("a1", "a2") > model.wv.similarity("a1", "b2") + 0.2


def test_save_load_continues_exactly(documents, tmp_path):
    uninterrupted = SkipGramNS(**{**SMALL, "epochs": 5}).build_vocab(documents)
    uninterrupted.train(epochs=2).train(epochs=3)  # two calls: the rate decays within each
    first = SkipGramNS(**{**SMALL, "epochs": 5})
    first.build_vocab(documents)
    first.train(epochs=2)
    loaded = SkipGramNS.load(first.save(tmp_path / "model.npz"), engine="cpu", workers=1)
    assert (loaded.engine, loaded.workers) == ("cpu", 1)
    np.testing.assert_array_equal(loaded.wv.vectors, first.wv.vectors)
    loaded.train(epochs=3)
    np.testing.assert_array_equal(loaded.wv.vectors, uninterrupted.wv.vectors)
    assert loaded.loss_history == uninterrupted.loss_history


def test_checkpoint_resume_is_bit_identical(documents, tmp_path):
    uninterrupted = SkipGramNS(documents, **SMALL)
    first = SkipGramNS(checkpoint_dir=tmp_path, callbacks=[Crash(2)], **SMALL)
    first.build_vocab(documents)
    with pytest.raises(KeyboardInterrupt):
        first.train()  # killed after two of the three epochs
    resumed = SkipGramNS(checkpoint_dir=tmp_path, **SMALL)
    resumed.build_vocab(documents)
    assert resumed.restore_checkpoint() and resumed.epochs_trained == 2 and first.epochs_trained == 2
    resumed.train(epochs=1)
    np.testing.assert_array_equal(resumed.wv.vectors, uninterrupted.wv.vectors)


def test_input_vectors_are_a_copy(documents):
    model = SkipGramNS(documents, **{**SMALL, "epochs": 1})
    before = model.input_vectors
    model.train(epochs=1)
    assert not np.array_equal(before, model.input_vectors)


def test_divergence_keeps_last_vectors(documents):
    # gensim's rule never steps outside [-6, 6], so even a huge alpha saturates instead of
    # overflowing: a NaN output vector stands in for a diverging run
    model = SkipGramNS(**SMALL)
    model.build_vocab(documents)
    vectors = np.array(model._vectors)
    vectors[len(model.vocabulary)] = np.nan
    model._vectors = vectors
    before = model.input_vectors
    with pytest.raises(TrainingDivergedError, match="smaller alpha"):
        model.train()
    assert model.epochs_trained == 0
    np.testing.assert_array_equal(model.input_vectors, before)


@pytest.mark.parametrize("bad, message", [
    (dict(engine="gpu"), "engine"), (dict(engine=None), "engine"), (dict(workers=0), "workers"),
    (dict(workers=1.5), "workers"), (dict(workers=True), "workers"),
])
def test_bad_engine_arguments_fail_before_work(bad, message):
    with pytest.raises(ValueError, match=message):
        SkipGramNS([["never", "read"]], **bad)
