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


BASELINE_FLAGS = ["--engine", "jax", "--vector-size", "8", "--window", "3", "--min-count", "2", "--batch-size", "64",
                  "--epochs", "60", "-q"]


JAX_ENGINE_FLAGS = [*TRAIN_FLAGS, "--engine", "jax"]
CPU_ENGINE_FLAGS = [*TRAIN_FLAGS, "--engine", "cpu", "--threads", "1"]


@pytest.mark.slow
@pytest.mark.parametrize("command, flags, kill_points", [("train", JAX_ENGINE_FLAGS, 12), ("baseline", BASELINE_FLAGS, 9),
                                                         ("train", CPU_ENGINE_FLAGS, 8)],
                         ids=["train-jax", "baseline", "train-cpu"])
def test_training_killed_at_random_points_resumes_to_identical_vectors(corpus, tmp_path, cli_env, command, flags,
                                                                       kill_points):
    reference = tmp_path / "reference"
    warm_up = run_cli([command, str(corpus), "--out", str(tmp_path / "warm_up"), *flags], cli_env)
    assert warm_up.returncode == 0, warm_up.stderr[-2000:]
    started = time.monotonic()
    completed = run_cli([command, str(corpus), "--out", str(reference),
                         "--checkpoint-dir", str(tmp_path / "reference_ck"), *flags], cli_env)
    duration = time.monotonic() - started
    assert completed.returncode == 0, completed.stderr[-2000:]
    expected = (reference / "vectors.txt").read_bytes()
    rng = np.random.default_rng(2026)
    outcomes = []
    for point in range(kill_points):
        out, checkpoints = tmp_path / f"run{point}", tmp_path / f"ck{point}"
        arguments = [command, str(corpus), "--out", str(out), "--checkpoint-dir", str(checkpoints), *flags]
        if point % 2:
            finished = kill_after(arguments, cli_env, rng.uniform(0.0, 0.3) * duration,
                                  after_file=checkpoints / "checkpoint.npz")
        else:
            finished = kill_after(arguments, cli_env, rng.uniform(0.1, 1.0) * duration)
        had_checkpoint = (checkpoints / "checkpoint.npz").is_file()
        finish_with_resume(arguments, cli_env)
        assert (out / "vectors.txt").read_bytes() == expected, f"kill point {point} resumed differently"
        assert not [p for p in checkpoints.iterdir() if p.name.endswith(".tmp")]
        outcomes.append((finished, had_checkpoint))
    killed_with_checkpoint = sum(1 for finished, had in outcomes if finished is None and had)
    assert killed_with_checkpoint >= kill_points // 3, outcomes
