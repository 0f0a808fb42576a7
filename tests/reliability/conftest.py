"""Helpers for fault-injection tests: CLI subprocesses with a shared JAX compilation cache."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def cli_env(tmp_path_factory):
    """Environment for CLI subprocesses: JAX compiles once and reuses it from disk."""
    cache = tmp_path_factory.mktemp("jax_cache")
    return {**os.environ, "JAX_COMPILATION_CACHE_DIR": str(cache),
            "JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS": "0", "PYTHONPATH": str(REPO)}


def run_cli(arguments: list[str], env: dict) -> subprocess.CompletedProcess:
    """Run ``glove-gensim ARGS`` to completion."""
    return subprocess.run([sys.executable, "-m", "glove_gensim.cli", *arguments], env=env,
                          capture_output=True, text=True, cwd=REPO)


def kill_after(arguments: list[str], env: dict, seconds: float, after_file: Path | None = None) -> int | None:
    """Start ``glove-gensim ARGS`` and SIGKILL it ``seconds`` later (counted from when ``after_file``
    appears, if given); return its exit code if it finished first."""
    process = subprocess.Popen([sys.executable, "-m", "glove_gensim.cli", *arguments], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO)
    if after_file is not None:
        while not after_file.exists() and process.poll() is None:
            time.sleep(0.005)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return process.returncode
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    return None
