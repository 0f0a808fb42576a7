"""Counting on Dask equals single-process counting exactly (arrays, vocabulary order, errors)."""
from __future__ import annotations

import numpy as np
import pytest

distributed = pytest.importorskip("distributed")

from glove_gensim import distributed as dist  # noqa: E402
from glove_gensim.cli import main  # noqa: E402
from glove_gensim.cooccur import Cooccurrence, count_cooccurrences  # noqa: E402
from glove_gensim.corpus import Corpus, CorpusOptions  # noqa: E402
from glove_gensim.vocab import Vocabulary  # noqa: E402
from tests.conftest import SHARED_DATA  # noqa: E402

POLITICAL = SHARED_DATA / "political.txt"
WORDS = ["the", "cat", "Sat", "on", "mat", "café", "naïve", "日本", "don’t", "x", "42", "a-b"]
SEPARATORS = [" ", " ", " ", "  ", "\t", "\n", "\r\n", "\n\n", "\n \n", "\r\n\r\n", "\n\t\n\n", "\n\xa0\n",
              "\u2028", "\n\n\n"]


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=":0") as cluster, distributed.Client(cluster) as c:
        yield c


def random_text(rng: np.random.Generator, n_tokens: int, invalid_bytes: bool = False) -> bytes:
    weights = np.linspace(2, 1, len(WORDS))
    words = rng.choice(len(WORDS), size=n_tokens, p=weights / weights.sum())
    seps = rng.choice(len(SEPARATORS), size=n_tokens)
    data = "".join(WORDS[w] + SEPARATORS[s] for w, s in zip(words, seps)).encode("utf-8")
    if invalid_bytes:
        data = data[:len(data) // 3] + b"\xe6\x97" + data[len(data) // 3:] + b"\xff"
    return data


def assert_same_counts(a: Cooccurrence, b: Cooccurrence) -> None:
    for name in ("rows", "cols", "values"):
        x, y = getattr(a, name), getattr(b, name)
        assert x.dtype == y.dtype and np.array_equal(x, y), name
    assert a.vocabulary == b.vocabulary


def check_equal(corpus: Corpus, client, min_count=2, window=5, **partitioning) -> None:
    vocab = Vocabulary.build(corpus, min_count=min_count)
    dask_vocab = Vocabulary.from_counter(*dist.count_words(corpus, client=client, **partitioning), min_count)
    assert dask_vocab.words == vocab.words and np.array_equal(dask_vocab.counts, vocab.counts)
    assert dask_vocab.total_tokens == vocab.total_tokens
    for symmetric, weighting in ((True, True), (False, True), (True, False)):
        expected = count_cooccurrences(corpus, vocab, window=window, symmetric=symmetric,
                                       distance_weighting=weighting)
        partial = dist.count_pairs(corpus, vocab, window=window, symmetric=symmetric,
                                   distance_weighting=weighting, client=client, **partitioning)
        assert_same_counts(Cooccurrence.from_partial(partial, vocab, symmetric, weighting), expected)


@pytest.mark.parametrize("line_is_document", [False, True])
def test_every_cut_point_gives_the_documents_of_the_whole_file(tmp_path, rng, line_is_document):
    """Two partitions cut at every byte offset (mid-word, mid-line, mid-paragraph, mid-UTF-8)."""
    path = tmp_path / "small.txt"
    path.write_bytes(random_text(rng, 60, invalid_bytes=True))
    options = CorpusOptions(line_is_document=line_is_document)
    whole = list(Corpus(path, line_is_document=line_is_document))
    size = path.stat().st_size
    assert any(path.read_bytes()[i] >= 0x80 for i in range(size))
    for cut in range(size + 1):
        first = dist.Piece(str(path), 0, cut if cut < size else None)
        second = dist.Piece(str(path), cut, None)
        documents = list(dist.iter_partition((first,), options))
        if cut < size:
            documents += list(dist.iter_partition((second,), options))
        assert documents == whole, cut


@pytest.mark.parametrize("line_is_document", [False, True])
def test_random_corpora_equal_single_process(tmp_path, rng, client, line_is_document):
    for trial in range(3):
        path = tmp_path / f"random{trial}.txt"
        path.write_bytes(random_text(rng, int(rng.integers(200, 2000))))
        corpus = Corpus(path, line_is_document=line_is_document)
        check_equal(corpus, client, partition_bytes=int(rng.integers(7, 600)))


def test_tokenizer_options_travel_with_the_tasks(tmp_path, rng, client):
    path = tmp_path / "random.txt"
    path.write_bytes(random_text(rng, 1500))
    check_equal(Corpus(path, tokenizer="whitespace"), client, partition_bytes=333)
    check_equal(Corpus(path, token_pattern=r"[^\W\d]+"), client, partition_bytes=123)


def test_directory_of_files(tmp_path, rng, client):
    folder = tmp_path / "texts"
    folder.mkdir()
    for number, n_tokens in enumerate([0, 50, 900, 10, 400]):
        (folder / f"part{number}.txt").write_bytes(random_text(rng, n_tokens))
    corpus = Corpus(folder)
    check_equal(corpus, client)  # one partition per worker thread
    check_equal(corpus, client, partition_bytes=250)  # small files whole, big ones in ranges
    check_equal(corpus, client, n_partitions=len(corpus.files))
    partitions = dist.plan_partitions(corpus.files, partition_bytes=10**9)
    assert len(partitions) == 1 and all(p.start == 0 and p.end is None for p in partitions[0])


@pytest.fixture(scope="module")
def political_slice(tmp_path_factory):
    if not POLITICAL.is_file():
        pytest.skip(f"{POLITICAL} not found")
    path = tmp_path_factory.mktemp("political") / "political_200k.txt"
    with open(POLITICAL, "rb") as handle:
        path.write_bytes(handle.read(200_000))
    return path


@pytest.mark.parametrize("workers", [1, 2, 4])
def test_political_slice_with_1_2_4_workers(political_slice, workers):
    corpus = Corpus(political_slice)
    vocab = Vocabulary.build(corpus, min_count=5)
    expected = count_cooccurrences(corpus, vocab, window=10)
    with distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=False,
                                  dashboard_address=":0") as cluster, distributed.Client(cluster) as client:
        dask_vocab = Vocabulary.build(corpus, min_count=5, backend="dask", client=client)
        assert dask_vocab == vocab and dask_vocab.words == vocab.words
        got = count_cooccurrences(corpus, dask_vocab, window=10, backend="dask", client=client,
                                  memory_limit="1MB")  # tasks spill on their own
        assert_same_counts(got, expected)
        line_corpus = Corpus(political_slice, line_is_document=True)
        check_equal(line_corpus, client, min_count=5, window=10, n_partitions=2 * workers + 1)


def test_local_process_cluster_started_and_closed(political_slice):
    corpus = Corpus(political_slice)
    vocab = Vocabulary.build(corpus, min_count=5)
    got = count_cooccurrences(corpus, vocab, window=10, backend="dask", workers=2)  # processes=True
    assert_same_counts(got, count_cooccurrences(corpus, vocab, window=10))


def test_packed_sums_equal_partial_sums(rng, client):
    from glove_gensim.counting import count_partial

    vocab = Vocabulary([f"w{i}" for i in range(40)], np.ones(40))
    docs = [[f"w{i}" for i in rng.integers(0, 40, size=int(n))] for n in rng.integers(0, 50, size=60)]
    for window, weighting in ((10, True), (3, False), (25, True)):
        parts = [count_partial(docs[i::3], vocab, window, True, weighting, None) for i in range(3)]
        expected = parts[0] + parts[1] + parts[2]
        got = dist.add_packed(*(dist.PackedCounts.pack(p, len(vocab)) for p in parts)).unpack()
        for name in ("rows", "cols", "values"):
            assert np.array_equal(getattr(got, name), getattr(expected, name)), name
        assert got.n_documents == expected.n_documents


def test_errors_surface_as_in_a_single_process(tmp_path, rng, client):
    folder = tmp_path / "texts"
    folder.mkdir()
    for number in range(3):
        (folder / f"part{number}.txt").write_bytes(random_text(rng, 100))
    corpus = Corpus(folder)
    vocab = Vocabulary.build(corpus, min_count=1)
    partitions = dist.plan_partitions(corpus.files, partition_bytes=150)
    (folder / "part1.txt").unlink()  # after planning: the tasks find it missing
    options = corpus.options
    leaves = [client.submit(dist._count_words, p, options, None, pure=False) for p in partitions]
    with pytest.raises(FileNotFoundError, match="part1.txt"):
        dist._map_reduce(client, leaves, dist._merge_words, 2)
    with pytest.raises(FileNotFoundError, match="part1.txt"):
        dist.count_pairs(corpus, vocab, client=client)
    with pytest.raises(FileNotFoundError, match="part1.txt"):
        Vocabulary.build(corpus, backend="dask", client=client)

    bad = tmp_path / "bad.txt"
    bad.write_bytes(random_text(rng, 2000, invalid_bytes=True))
    strict = Corpus(bad, errors="strict")
    with pytest.raises(ValueError) as single:
        Vocabulary.build(strict, min_count=1)
    with pytest.raises(ValueError) as on_dask:
        dist.count_words(strict, client=client, partition_bytes=500)
    assert str(on_dask.value) == str(single.value) and "byte offset" in str(single.value)

    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n  \n")
    with pytest.raises(ValueError, match="empty"):
        Vocabulary.build(Corpus(empty), backend="dask", client=client)
    with pytest.raises(ValueError, match="no documents"):
        count_cooccurrences(Corpus(empty), vocab, backend="dask", client=client)
    with pytest.raises(ValueError, match="token lists"):
        count_cooccurrences([["a", "b"]], Vocabulary(["a", "b"], [1, 1]), backend="dask", client=client)
    with pytest.raises(ValueError, match="backend"):
        count_cooccurrences(Corpus(bad), vocab, backend="spark")


def test_cli_backend_dask(tmp_path, rng, client):
    path = tmp_path / "corpus.txt"
    path.write_bytes(random_text(rng, 3000))
    address = ["--backend", "dask", "--scheduler", client.scheduler.address]
    common = [str(path), "--min-count", "2", "-q"]
    assert main(["vocab", *common, "--out", str(tmp_path / "v.txt"), *address]) == 0
    assert main(["vocab", *common, "--out", str(tmp_path / "v_local.txt")]) == 0
    assert (tmp_path / "v.txt").read_text() == (tmp_path / "v_local.txt").read_text()
    common = [str(path), "--min-count", "2", "--window", "7", "-q"]
    assert main(["cooccur", *common, "--out", str(tmp_path / "c.npz"), *address]) == 0
    assert main(["cooccur", *common, "--out", str(tmp_path / "c_local.npz")]) == 0
    assert_same_counts(Cooccurrence.load(tmp_path / "c.npz"), Cooccurrence.load(tmp_path / "c_local.npz"))
    assert main(["cooccur", *common, "--out", str(tmp_path / "x.npz"), "--dask-workers", "2"]) == 2
    assert main(["vocab", str(tmp_path / "missing.txt"), "--out", str(tmp_path / "m.txt"), *address]) == 2
