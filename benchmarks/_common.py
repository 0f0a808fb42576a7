"""Helpers shared by the benchmark scripts: data paths, peak memory, quality scores."""
from __future__ import annotations

import json
import resource
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
POLITICAL = SHARED_DATA / "political.txt"
PROBES = ("tyranny", "pennsylvania", "nobles", "war")


def require(path: Path) -> Path:
    """Exit with a clear message when a shared data file is missing."""
    if not path.is_file():
        sys.exit(f"benchmark data not found: {path} (see ../shared/data/README.md)")
    return path


def children_peak_rss_mb() -> float:
    """Peak resident set size of the largest finished child process, in MB."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def self_peak_rss_mb() -> float:
    """Peak resident set size of this process, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def similarity_scores(kv) -> dict[str, float]:
    """Spearman correlations on gensim's bundled wordsim353 and simlex999 (gensim's evaluator)."""
    from gensim.test.utils import datapath

    return {name: round(float(kv.evaluate_word_pairs(datapath(file))[1][0]), 4)
            for name, file in (("wordsim353", "wordsim353.tsv"), ("simlex999", "simlex999.txt"))}


def timed_cli(arguments: list[str]) -> tuple[float, float]:
    """Run ``glove-gensim ARGS -q`` and return (wall seconds, peak RSS in MB) of that process."""
    import os
    import subprocess
    import time

    command = [sys.executable, "-m", "glove_gensim.cli", *arguments, "-q"]
    start = time.perf_counter()
    process = subprocess.Popen(command)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        sys.exit(f"command failed ({status}): {' '.join(command)}")
    return wall, usage.ru_maxrss / 1024


def emit(record: dict) -> None:
    """Print one JSON line."""
    print(json.dumps(record), flush=True)
