"""SIGTERM and SIGINT at random moments of train, cooccur and compare (issue 18, items 6 and 10).

Every interrupted run must leave the corpus byte for byte as it was, no temporary file anywhere,
and an output that is either the previous one or the complete new one; an interrupted command
that had installed its handlers prints one line and exits 128 + the signal number.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import random_documents
from tests.reliability.conftest import REPO, run_cli

TRAIN = ["--vector-size", "8", "--window", "3", "--min-count", "2", "--batch-size", "64", "--epochs", "40",
         "--x-max", "10", "--engine", "jax", "-q"]
COOCCUR = ["--min-count", "1", "--window", "8", "--memory-limit", "+1MB", "-q"]
COMPARE = ["--no-with-gensim", "--vector-size", "8", "--glove-epochs", "3", "--sgns-epochs", "1",
           "--min-count", "2", "-q"]
SIGNALS = (signal.SIGTERM, signal.SIGINT)


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    root = tmp_path_factory.mktemp("signals")
    docs = random_documents(np.random.default_rng(3), n_docs=400, n_types=300, max_len=60)
    corpus = root / "corpus.txt"
    corpus.write_text("\n\n".join(" ".join(d) for d in docs if d) + "\n")
    (root / "pairs.tsv").write_text("w1\tw2\t9\nw3\tw4\t8\nw5\tw6\t3\nw7\tw8\t4\nw1\tw9\t5\n")
    (root / "questions.txt").write_text(": t\nw1 w2 w3 w4\nw5 w6 w7 w8\n")
    return root


def content(path: Path) -> bytes:
    """A file's bytes; for a model file, its arrays but the wall-clock ``epoch_seconds``."""
    if path.name != "model.npz":
        return path.read_bytes()
    with zipfile.ZipFile(path) as archive:
        return b"".join(archive.read(name) for name in sorted(archive.namelist()) if name != "epoch_seconds.npy")


def snapshot(path: Path) -> dict[str, bytes]:
    """Every file under ``path`` (or the file itself) by relative name."""
    if path.is_file():
        return {"": content(path)}
    return {str(p.relative_to(path)): content(p) for p in sorted(path.rglob("*")) if p.is_file()}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def temporary_files(root: Path) -> list[str]:
    return [str(p) for p in root.rglob("*") if p.name.endswith((".tmp", ".old"))
            or p.name.startswith((".glove_gensim_probe_", "glove_gensim_"))]


def interrupt(arguments: list[str], env: dict, delay: float, signum: int) -> subprocess.CompletedProcess:
    """Run ``glove-gensim ARGS``, send ``signum`` after ``delay`` seconds unless it ended first."""
    process = subprocess.Popen([sys.executable, "-m", "glove_gensim.cli", *arguments], env=env, cwd=REPO,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        process.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        process.send_signal(signum)
    stdout, stderr = process.communicate(timeout=120)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def complete_report(folder: Path, old_created: str) -> bool:
    names = {p.name for p in folder.iterdir()}
    if not {"report.html", "report.md", "report.json"} <= names:
        return False
    report = json.loads((folder / "report.json").read_text())
    return report.get("created") != old_created


CASES = [  # command, its flags, the output name, kill points, when (share of a whole run)
    ("cooccur", COOCCUR, "counts.npz", 10, (0.3, 0.9)),
    ("train", TRAIN, "run", 8, (0.1, 0.7)),
    ("compare", COMPARE, "report", 3, (0.1, 0.8)),
]


@pytest.mark.slow
@pytest.mark.parametrize("command, flags, out_name, points, when", CASES, ids=[c[0] for c in CASES])
def test_signals_leave_corpus_and_outputs_whole(data, tmp_path, cli_env, command, flags, out_name, points, when):
    corpus = data / "corpus.txt"
    corpus_digest = digest(corpus)
    scratch = tmp_path / "tmpdir"  # the commands' own temporary folders (spill shards, blocks) go here
    scratch.mkdir()
    cli_env = {**cli_env, "TMPDIR": str(scratch)}
    extra = ["--similarity", str(data / "pairs.tsv"), "--analogies", str(data / "questions.txt")] \
        if command == "compare" else []
    seed = ["--seed", "2"] if command != "cooccur" else ["--window", "5"]  # the old output differs
    old = tmp_path / f"old_{out_name}"
    started = time.monotonic()
    completed = run_cli([command, str(corpus), "--out", str(old), *flags, *extra, *seed], cli_env)
    duration = time.monotonic() - started
    assert completed.returncode == 0, completed.stderr[-2000:]
    before = snapshot(old)
    if command == "compare":  # its report holds a time stamp: the new one is judged complete by its files
        after = dict.fromkeys(before)
    else:
        new = tmp_path / f"new_{out_name}"
        started = time.monotonic()  # timed again: the first run also filled the compilation cache
        completed = run_cli([command, str(corpus), "--out", str(new), *flags, *extra], cli_env)
        duration = time.monotonic() - started
        assert completed.returncode == 0, completed.stderr[-2000:]
        after = snapshot(new)
        assert before != after
    old_created = json.loads((old / "report.json").read_text())["created"] if command == "compare" else ""
    rng = np.random.default_rng(18)
    statuses = []
    for point in range(points):
        signum = SIGNALS[point % 2]
        place = tmp_path / f"p{point}"
        place.mkdir()
        out = place / out_name
        (shutil.copytree if old.is_dir() else shutil.copy2)(old, out)
        result = interrupt([command, str(corpus), "--out", str(out), *flags, *extra], cli_env,
                           rng.uniform(*when) * duration, signum)
        statuses.append(result.returncode)
        assert digest(corpus) == corpus_digest
        assert not temporary_files(place) and not list(scratch.iterdir()), (point, temporary_files(place))
        assert result.returncode in (0, 128 + signum, -signum), result.stderr[-2000:]
        if result.returncode == 128 + signum:
            lines = result.stderr.strip().splitlines()
            assert lines[-1].startswith(f"glove-gensim {command}: interrupted by {signal.Signals(signum).name}")
            assert not any("Traceback" in line for line in lines), result.stderr[-2000:]
        state = snapshot(out)
        if command == "compare":
            assert state == before or (state.keys() == after.keys() and complete_report(out, old_created)), point
        else:
            differing = sorted(name for name in {*state, *before, *after}
                               if state.get(name) not in (before.get(name), after.get(name)))
            assert state in (before, after), (point, result.returncode, differing)
    assert sum(status != 0 for status in statuses) >= points // 3, statuses
