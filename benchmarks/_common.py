"""Helpers shared by the benchmark scripts: data paths, peak memory, quality scores."""
from __future__ import annotations

import json
import re
import resource
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
POLITICAL = SHARED_DATA / "political.txt"
PROBES = ("tyranny", "pennsylvania", "nobles", "war")
_TIME = "/usr/bin/time"
_MAXRSS_TAG = "MEASURED_MAXRSS_KB="


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


def folder_bytes(folder: Path) -> int:
    """Disk space used by the files under ``folder`` (allocated blocks), 0 if it is gone."""
    import os

    total = 0
    for root, _, files in os.walk(folder):
        for name in files:
            try:
                total += os.stat(os.path.join(root, name)).st_blocks * 512
            except FileNotFoundError:  # removed while we walked
                pass
    return total


def measured_cli(arguments: list[str], tmp_dir: Path, poll_seconds: float = 0.2,
                 abort_rss_mb: float | None = None, check: bool = True) -> dict:
    """Run ``glove-gensim ARGS`` with ``TMPDIR=tmp_dir`` and measure the whole process tree.

    Returns wall seconds, the peak RSS of the tree (sum over the process and its descendants,
    polled every ``poll_seconds`` with psutil, and never below the command's own peak as
    ``/usr/bin/time`` reports it: the command runs as its child, because a process started
    straight from this one would inherit this one's high-water mark in ``ru_maxrss``),
    the peak disk use of ``tmp_dir`` (where counting spills), the captured log (stderr) and
    ``aborted``: whether the tree was killed for passing ``abort_rss_mb`` (a safety valve for a
    shared machine) and ``returncode``. Exits with the log's tail when the command fails
    otherwise, unless ``check`` is false.
    """
    import contextlib
    import os
    import subprocess
    import tempfile
    import time

    import psutil

    tmp_dir.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "glove_gensim.cli", *arguments]
    if os.access(_TIME, os.X_OK):
        command = [_TIME, "-f", f"{_MAXRSS_TAG}%M", *command]
    env = {**os.environ, "TMPDIR": str(tmp_dir), "TQDM_DISABLE": "1"}
    with tempfile.TemporaryFile("w+") as log:
        start = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        root = psutil.Process(process.pid)
        peak_rss = peak_disk = 0
        aborted = False
        while True:
            pid, status, _ = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            try:
                tree = [root, *root.children(recursive=True)]
                rss = 0
                for member in tree:
                    try:
                        rss += member.memory_info().rss
                    except psutil.Error:
                        pass
                peak_rss = max(peak_rss, rss)
                if abort_rss_mb is not None and rss > abort_rss_mb * 2**20 and not aborted:
                    aborted = True
                    for member in reversed(tree):
                        with contextlib.suppress(psutil.Error):
                            member.kill()
            except psutil.Error:
                pass
            peak_disk = max(peak_disk, folder_bytes(tmp_dir))
            time.sleep(poll_seconds)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        text = log.read()
    reported = [int(kb) for kb in re.findall(rf"^{_MAXRSS_TAG}(\d+)$", text, re.MULTILINE)]
    usage_peak = reported[-1] * 1024 if reported else 0
    if process.returncode != 0 and not aborted and check:
        sys.exit(f"command failed ({process.returncode}): {' '.join(command)}\n{text[-3000:]}")
    return {"wall_s": wall, "peak_rss_mb": max(peak_rss, usage_peak) / 2**20, "polled_rss_mb": peak_rss / 2**20,
            "peak_tmp_bytes": peak_disk, "log": text, "aborted": aborted,
            "returncode": process.returncode}
