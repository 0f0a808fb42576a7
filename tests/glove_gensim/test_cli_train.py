import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from gensim.models import KeyedVectors

from glove_gensim.cli import main
from glove_gensim.model import GloVe
from tests.conftest import random_documents


def write_corpus(path):
    docs = random_documents(np.random.default_rng(5), n_docs=60, n_types=40, max_len=30)
    path.write_text("\n\n".join(" ".join(d) for d in docs if d) + "\n")
    return path


def test_train_writes_word2vec_vectors_and_a_resumable_model(tmp_path, capsys):
    corpus = write_corpus(tmp_path / "corpus.txt")
    out = tmp_path / "run"
    assert main(["train", str(corpus), "--out", str(out), "--vector-size", "6", "--window", "3",
                 "--min-count", "2", "--epochs", "2", "--x-max", "10", "--batch-size", "32",
                 "--probe", "w0", "-q"]) == 0
    kv = KeyedVectors.load_word2vec_format(str(out / "vectors.txt"), binary=False)
    model = GloVe.load(out / "model.npz")
    assert kv.index_to_key == model.vocabulary.words and model.epochs_trained == 2
    np.testing.assert_allclose(kv.vectors, model.wv.vectors, rtol=1e-6)
    assert main(["neighbors", str(out / "vectors.txt"), "w0", "-k", "3"]) == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == 3
    assert main(["neighbors", str(out / "vectors.txt"), "nope"]) == 2


def test_train_rejects_bad_arguments_before_reading(tmp_path):
    corpus = write_corpus(tmp_path / "corpus.txt")
    assert main(["train", str(corpus), "--out", str(tmp_path / "x"), "--vector-size", "0", "-q"]) == 2
    assert not (tmp_path / "x").exists(), "nothing may be written when the arguments are refused"


def test_data_parallel_epoch_equals_one_device(tmp_path):
    """Batches split over 4 virtual CPU devices give the one-device result (float tolerance)."""
    script = textwrap.dedent("""
        import os
        os.environ["XLA_FLAGS"] = "--xla_force_host_platform_device_count=4"
        import numpy as np
        from glove_gensim.model import GloVe
        from tests.conftest import random_documents
        docs = random_documents(np.random.default_rng(1), n_docs=60, n_types=50, max_len=30)
        results = []
        for devices in (1, 4):
            for batch_size in (64, 2048):
                model = GloVe(docs, vector_size=8, window=3, min_count=1, epochs=3, x_max=10.0,
                              batch_size=batch_size, n_devices=devices)
                results.append(model.wv.vectors)
        np.testing.assert_allclose(results[0], results[2], atol=1e-5)
        np.testing.assert_allclose(results[1], results[3], atol=1e-5)
        print("ok")
    """)
    completed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                               cwd=str(Path(__file__).parents[2]))
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert completed.stdout.strip().endswith("ok")


def test_evaluate_prints_scores_for_each_vectors_file(tmp_path, capsys):
    from gensim.models import KeyedVectors as KV

    rng = np.random.default_rng(0)
    words = ["king", "queen", "man", "woman", "car", "bus", "tiger", "cat"]
    paths = []
    for name in ("a", "b"):
        kv = KV(5)
        kv.add_vectors(words, rng.normal(size=(len(words), 5)).astype(np.float32))
        paths.append(tmp_path / f"{name}.txt")
        kv.save_word2vec_format(str(paths[-1]))
    pairs = tmp_path / "pairs.txt"
    pairs.write_text("king queen 8\nman woman 8\ncar bus 7\ntiger cat 7\nking car 1\n")
    assert main(["evaluate", *map(str, paths), "--similarity", str(pairs), "-q"]) == 0
    out = capsys.readouterr().out
    assert out.count("pairs\tspearman") == 2 and "analogies" in out


@pytest.mark.slow
def test_compare_writes_a_report_for_all_models(tmp_path, capsys):
    corpus = write_corpus(tmp_path / "corpus.txt")
    out = tmp_path / "report"
    assert main(["compare", str(corpus), "--out", str(out), "--min-count", "2", "--vector-size", "8",
                 "--glove-epochs", "3", "--sgns-epochs", "2", "--x-max", "10", "-q"]) == 0
    import json

    report = json.loads((out / "report.json").read_text())
    assert {"GloVe", "SGNS", "Word2Vec (gensim)"} <= set(json.dumps(report).split('"'))
    assert (out / "report.html").stat().st_size > 100_000 and "report.html" in capsys.readouterr().out


def test_train_and_baseline_start_from_init_vectors_with_mittens(tmp_path):
    corpus = write_corpus(tmp_path / "corpus.txt")
    first = tmp_path / "first"
    common = ["--vector-size", "6", "--window", "3", "--min-count", "2", "--epochs", "2", "-q"]
    assert main(["train", str(corpus), "--out", str(first), "--engine", "cpu", *common]) == 0
    second = tmp_path / "second"
    assert main(["train", str(corpus), "--out", str(second), "--engine", "cpu", "--init-vectors",
                 str(first / "vectors.txt"), "--mittens", "0.5", *common]) == 0
    model = GloVe.load(second / "model.npz")
    assert model.mittens == 0.5 and len(model.mittens_loss_history) == 2
    assert len(model.pretrained.index) == len(model.vocabulary)
    assert main(["baseline", str(corpus), "--out", str(tmp_path / "sgns"), "--init-vectors",
                 str(first / "vectors.txt"), *common]) == 0
    assert main(["train", str(corpus), "--out", str(tmp_path / "bad"), "--mittens", "-1", *common]) == 2
    assert main(["train", str(corpus), "--out", str(tmp_path / "bad"), "--init-vectors",
                 str(tmp_path / "missing.txt"), *common]) == 2
    assert main(["train", str(corpus), "--out", str(tmp_path / "bad"), "--init-vectors",
                 str(first / "vectors.txt"), *common[:1], "8", *common[2:]]) == 2
    assert not (tmp_path / "bad").exists(), "nothing may be written when the arguments are refused"
