"""Two CPU processes on one jax.distributed mesh (gloo) train the vectors one process trains."""
import os
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from gensim.models import KeyedVectors

from glove_gensim.cli import main
from glove_gensim.cooccur import count_cooccurrences
from glove_gensim.vocab import Vocabulary
from tests.conftest import random_documents

REPO = Path(__file__).resolve().parents[2]
FLAGS = ["--vector-size", "8", "--epochs", "3", "--x-max", "10", "--batch-size", "64", "--seed", "2",
         "--engine", "jax", "-q"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_two_processes_equal_one(tmp_path):
    docs = random_documents(np.random.default_rng(7), n_docs=60, n_types=50, max_len=30)
    count_cooccurrences(docs, Vocabulary.build(docs, min_count=1), window=3).save(tmp_path / "counts.npz")
    env = {**os.environ, "PYTHONPATH": str(REPO), "JAX_PLATFORMS": "cpu"}
    coordinator = f"127.0.0.1:{free_port()}"
    command = [sys.executable, "-m", "glove_gensim.cli", "train", "--cooccurrence", str(tmp_path / "counts.npz"),
               "--out", str(tmp_path / "multi"), "--coordinator", coordinator, "--num-processes", "2", *FLAGS]
    workers = [subprocess.Popen([*command, "--process-id", str(i)], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True) for i in (0, 1)]
    outputs = [worker.communicate(timeout=120)[0] for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0], outputs
    assert main(["train", "--cooccurrence", str(tmp_path / "counts.npz"), "--out", str(tmp_path / "one"),
                 *FLAGS]) == 0
    multi = KeyedVectors.load_word2vec_format(str(tmp_path / "multi" / "vectors.txt"))
    one = KeyedVectors.load_word2vec_format(str(tmp_path / "one" / "vectors.txt"))
    assert multi.index_to_key == one.index_to_key
    np.testing.assert_allclose(multi.vectors, one.vectors, atol=1e-5)


@pytest.mark.parametrize("extra, message", [
    (["--num-processes", "2", "--process-id", "2", "--coordinator", "127.0.0.1:1"], "must be below"),
    (["--num-processes", "2", "--process-id", "0", "--coordinator", "127.0.0.1:1", "--engine", "cpu"],
     "needs --engine jax"),
])
def test_multiprocess_flags_refused_before_work(tmp_path, capsys, extra, message):
    docs = random_documents(np.random.default_rng(7), n_docs=10, n_types=10, max_len=10)
    count_cooccurrences(docs, Vocabulary.build(docs, min_count=1), window=3).save(tmp_path / "counts.npz")
    assert main(["train", "--cooccurrence", str(tmp_path / "counts.npz"), "--out", str(tmp_path / "run"),
                 "-q", *extra]) == 2
    assert message in capsys.readouterr().err and not (tmp_path / "run").exists()


def test_coordinator_must_be_host_port(tmp_path):
    assert main(["train", "--cooccurrence", "x.npz", "--out", str(tmp_path / "run"), "--coordinator", "nohost"]) == 2
