"""kill -9 training at random moments, resume, and get byte-identical vectors."""
from __future__ import annotations

import time

import numpy as np
import pytest

from tests.conftest import random_documents
from tests.reliability.conftest import kill_after, run_cli

TRAIN_FLAGS = ["--vector-size", "8", "--window", "3", "--min-count", "2", "--batch-size", "64",
               "--epochs", "120", "--x-max", "10", "-q"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    path = tmp_path_factory.mktemp("corpus") / "corpus.txt"
    docs = random_documents(np.random.default_rng(3), n_docs=150, n_types=80, max_len=40)
    path.write_text("\n\n".join(" ".join(d) for d in docs if d) + "\n")
    return path


def finish_with_resume(arguments, env, attempts=3):
    for _ in range(attempts):
        completed = run_cli(arguments + ["--resume"], env)
        if completed.returncode == 0:
            return completed
    raise AssertionError(completed.stderr[-2000:])


@pytest.mark.slow
def test_glove_train_killed_at_random_points_resumes_to_identical_vectors(corpus, tmp_path, cli_env):
    reference = tmp_path / "reference"
    started = time.monotonic()
    completed = run_cli(["train", str(corpus), "--out", str(reference),
                         "--checkpoint-dir", str(tmp_path / "reference_ck"), *TRAIN_FLAGS], cli_env)
    duration = time.monotonic() - started
    assert completed.returncode == 0, completed.stderr[-2000:]
    expected = (reference / "vectors.txt").read_bytes()
    rng = np.random.default_rng(2026)
    outcomes = []
    for point in range(12):
        out, checkpoints = tmp_path / f"run{point}", tmp_path / f"ck{point}"
        arguments = ["train", str(corpus), "--out", str(out), "--checkpoint-dir", str(checkpoints), *TRAIN_FLAGS]
        finished = kill_after(arguments, cli_env, rng.uniform(0.2, 1.0) * duration)
        had_checkpoint = (checkpoints / "checkpoint.npz").is_file()
        finish_with_resume(arguments, cli_env)
        assert (out / "vectors.txt").read_bytes() == expected, f"kill point {point} resumed differently"
        assert not [p for p in checkpoints.iterdir() if p.name.endswith(".tmp")]
        outcomes.append((finished, had_checkpoint))
    assert sum(1 for finished, had in outcomes if finished is None and had) >= 4, outcomes
