"""A process-wide memory limit: refused below the measured baseline, counts written as merged equal
in-memory counts, and the CPU engine's blocks (chosen automatically under a small limit) train as
the entries in memory do."""
import logging
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from glove_gensim import host_blocks
from glove_gensim.cooccur import Cooccurrence, count_corpus, count_cooccurrences, count_to_file
from glove_gensim.memory import MIN_WORKING_BYTES, rss_bytes, work_budget
from glove_gensim.model import GloVe
from glove_gensim.vocab import Vocabulary
from tests.conftest import random_documents

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def documents():
    return random_documents(np.random.default_rng(5), n_docs=300, n_types=500, max_len=60)


def test_limit_below_the_baseline_is_refused_with_the_measured_figure(documents):
    baseline = rss_bytes()
    with pytest.raises(ValueError, match=r"memory_limit=\d+ MB is below .* already take \d+ MB \(measured RSS\)"):
        count_corpus(documents, min_count=1, memory_limit=baseline // 2)
    with pytest.raises(ValueError, match="memory_limit"):
        GloVe(documents, min_count=1, vector_size=4, epochs=1, memory_limit=baseline // 2)
    assert work_budget(baseline + 2 * MIN_WORKING_BYTES, baseline=baseline) == 2 * MIN_WORKING_BYTES


def test_cli_refuses_a_limit_below_its_baseline_naming_the_flag(tmp_path):
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("a b c a b\n\nb c a\n")
    for command in (["cooccur", str(corpus), "--out", str(tmp_path / "c.npz")],
                    ["train", str(corpus), "--out", str(tmp_path / "run")]):
        result = subprocess.run([sys.executable, "-m", "glove_gensim.cli", *command, "--memory-limit", "20MB", "-q"],
                                capture_output=True, text=True, cwd=REPO)
        assert result.returncode != 0
        assert "--memory-limit=20 MB is below" in result.stderr and "(measured RSS)" in result.stderr
        assert not (tmp_path / "c.npz").exists() and not (tmp_path / "run").exists()


@pytest.mark.parametrize("suffix", [".npz", ".bin"])
def test_counts_written_as_merged_under_a_tiny_limit_equal_unlimited_counts(documents, tmp_path, suffix, caplog):
    expected = count_corpus(documents, min_count=2, window=5, memory_limit=None)
    spill = tmp_path / "spill"
    spill.mkdir()
    with caplog.at_level(logging.INFO, logger="glove_gensim.cooccur"):
        written = count_to_file(documents, tmp_path / f"counts{suffix}", min_count=2, window=5, memory_limit="+64KB",
                                tmp_dir=spill, threads=2)
    shards = int(caplog.text.split(" spill shard")[0].rsplit(",", 1)[1])
    assert shards > 10  # the tables spilled, and the merge wrote range after range
    got = Cooccurrence.load(written.path) if suffix == ".npz" else Cooccurrence.load_stanford(
        written.path, expected.vocabulary, window=5)
    assert written.nnz == expected.nnz and got.vocabulary.words == expected.vocabulary.words
    for name in ("rows", "cols", "values"):
        assert np.array_equal(getattr(got, name), getattr(expected, name)), name
    assert list(spill.iterdir()) == []


def test_counts_to_file_with_a_given_vocabulary_and_a_memory_mapped_load(documents, tmp_path):
    vocabulary = Vocabulary.build(documents, min_count=3)
    expected = count_cooccurrences(documents, vocabulary, window=4, memory_limit=None)
    path = count_to_file(documents, tmp_path / "c.npz", vocabulary, window=4, memory_limit="+64KB").path
    mapped = Cooccurrence.load(path, mmap=True)
    assert isinstance(mapped.values, np.memmap)
    assert all(np.array_equal(getattr(mapped, n), getattr(expected, n)) for n in ("rows", "cols", "values"))


@pytest.mark.parametrize("suffix", [".npz", ".bin"])
def test_failed_counting_to_file_leaves_no_temporary_file(documents, tmp_path, suffix):
    class Exploding:
        def __iter__(self):
            yield from documents[:200]
            raise RuntimeError("disk went away")

    spill = tmp_path / "spill"
    spill.mkdir()
    with pytest.raises(RuntimeError, match="disk went away"):
        count_to_file(Exploding(), tmp_path / f"c{suffix}", min_count=1, memory_limit="+64KB", tmp_dir=spill)
    assert list(spill.iterdir()) == [] and sorted(p.name for p in tmp_path.iterdir()) == ["spill"]


def _model(documents, **settings):
    base = dict(vector_size=8, window=3, min_count=1, x_max=10.0, epochs=4, seed=3, engine="cpu", workers=1,
                memory_limit=None)
    return GloVe(documents, **{**base, **settings})


@pytest.mark.parametrize("optimizer", ["adagrad-glove", "adagrad"])
def test_one_block_on_disk_trains_bit_for_bit_as_in_memory(documents, optimizer):
    in_memory = _model(documents, optimizer=optimizer, batch_size=64)
    one_block = _model(documents, optimizer=optimizer, batch_size=64, block_size=10**9, out_of_core=True)
    assert one_block._entries.n_blocks == 1 and one_block._entries.out_of_core
    assert np.array_equal(in_memory.wv.vectors, one_block.wv.vectors)
    assert in_memory.loss_history == one_block.loss_history


def test_several_blocks_follow_the_in_memory_cost_curve_and_are_deterministic(documents):
    in_memory = _model(documents, epochs=8)
    quarter = in_memory.cooccurrence.nnz // 4
    streamed = _model(documents, epochs=8, block_size=quarter, out_of_core=True)
    again = _model(documents, epochs=8, block_size=quarter, out_of_core=True)
    held = _model(documents, epochs=8, block_size=quarter)
    assert streamed._entries.n_blocks == 5 and not held._entries.out_of_core
    assert np.array_equal(streamed.wv.vectors, again.wv.vectors)
    assert np.array_equal(streamed.wv.vectors, held.wv.vectors)  # only where the blocks wait differs
    np.testing.assert_allclose(streamed.loss_history, in_memory.loss_history, rtol=0.03)
    assert streamed.loss_history[-1] < 0.5 * streamed.loss_history[0]


def test_blocks_deal_every_entry_once_in_equal_blocks():
    rows = np.arange(1000) % 37
    cols = np.arange(1000) // 37
    store = host_blocks.HostBlocks(rows, cols, np.arange(1.0, 1001.0), 40, 100.0, 0.75, block_size=300, seed=2,
                                   out_of_core=True)
    seen = np.concatenate([entries["log_x"].copy() for _, entries, _ in store.epoch(0)])
    assert store.n_blocks == 4 and len(seen) == 1000
    np.testing.assert_array_equal(np.sort(seen), np.log(np.arange(1.0, 1001.0, dtype=np.float32)))
    orders = {tuple(host_blocks.block_order(2, epoch, 4)) for epoch in range(6)}
    assert len(orders) > 1  # the blocks are visited in another order each epoch
    store.close()


def test_small_budget_chooses_out_of_core_automatically_and_logs_why(documents, caplog):
    with caplog.at_level(logging.INFO, logger="glove_gensim.model"):
        model = _model(documents, memory_limit="+128KB")
    assert model._entries.out_of_core and model._entries.n_blocks > 1
    assert "training out of core" in caplog.text and "more than half of the 128 KB" in caplog.text
    roomy = _model(documents, memory_limit="+256MB")
    assert isinstance(roomy._entries, np.ndarray)


def test_resume_with_blocks_continues_bit_for_bit(documents, tmp_path):
    settings = dict(vector_size=8, window=3, min_count=1, x_max=10.0, epochs=4, seed=3, engine="cpu", workers=1,
                    block_size=500, out_of_core=True, checkpoint_dir=tmp_path)
    whole = GloVe(documents, **{**settings, "checkpoint_dir": None})
    GloVe(**settings).build_vocab(documents).train(epochs=2)
    resumed = GloVe(**settings).build_vocab(documents)
    assert resumed.restore_checkpoint() and resumed.epochs_trained == 2
    resumed.train(epochs=2)
    assert resumed._entries.n_blocks > 1
    assert np.array_equal(whole.wv.vectors, resumed.wv.vectors)
    assert whole.loss_history == resumed.loss_history
