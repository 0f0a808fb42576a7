"""Limits honoured, each measured as the peak RSS of its own process (``wait4``'s ``ru_maxrss``,
the figure ``/usr/bin/time -v`` prints as "Maximum resident set size"). Counting and training
under --memory-limit at 25M-200M tokens are bench_scaling.py's (a synthetic corpus, make_corpus.py):

* ``vocab``: a vocabulary pass over 2 million distinct words with and without ``max_vocab_size``;
* ``process``: whole ``glove-gensim cooccur`` and ``glove-gensim train --cooccurrence`` commands on
  political.txt repeated ``--repeat`` times, under ``--memory-limit`` (default 512MB), against
  the limit; the counts under the limit are compared with those of a run without a limit
  (``--memory-limit none``).

    python benchmarks/bench_limits.py [--only process] [--repeat 8] [--memory-limit 512MB] [--epochs 5]
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import POLITICAL, REPO, emit, require  # noqa: E402

SCRIPT = """
import sys
from glove_gensim.vocab import Vocabulary

class ManyWords:
    def __init__(self, distinct):
        self.distinct = distinct
    def __iter__(self):
        for start in range(0, self.distinct, 1000):
            yield [f"word{i:08d}" for i in range(start, start + 1000)] + ["the", "of", "and"] * 50

bound = None if sys.argv[2] == "none" else int(sys.argv[2])
vocab = Vocabulary.build(ManyWords(int(sys.argv[1])), min_count=2, max_vocab_size=bound)
print(len(vocab))
"""


def run_with_peak(command: list[str]) -> dict:
    """Run ``command`` and read its own peak RSS from ``wait4`` (not the largest of all children)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=str(REPO))
    errors = process.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(process.pid, 0)
    log = [line.rsplit("\r", 1)[-1] for line in errors.splitlines() if "INFO" in line or "rror" in line]
    return {"seconds": round(time.perf_counter() - start, 2), "exit_status": os.waitstatus_to_exitcode(status),
            "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
            "out_of_core": any("training out of core" in line for line in log), "log": log[-6:]}


def vocab_limits(distinct: int, max_vocab_size: int) -> None:
    for bound in ("none", str(max_vocab_size)):
        start = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-c", SCRIPT, str(distinct), bound],
                                   stdout=subprocess.PIPE, text=True)
        output = process.stdout.read()
        _, status, usage = os.wait4(process.pid, 0)
        emit({"benchmark": "vocab_limits", "distinct_words": distinct, "max_vocab_size": bound,
              "kept_words": int(output.strip() or -1), "seconds": round(time.perf_counter() - start, 2),
              "peak_rss_mb": round(usage.ru_maxrss / 1024, 1), "exit_status": status})


def repeated_corpus(repeat: int, folder: Path) -> Path:
    """political.txt ``repeat`` times, documents separated by a blank line."""
    path = folder / f"political_x{repeat}.txt"
    text = require(POLITICAL).read_bytes().rstrip(b"\n") + b"\n\n"
    with open(path, "wb") as handle:
        for _ in range(repeat):
            handle.write(text)
    return path


def same_counts(a: Path, b: Path) -> bool:
    """Whether two counts files hold identical arrays and vocabularies (read a slice at a time)."""
    import numpy as np

    from glove_gensim.cooccur import Cooccurrence

    x, y = Cooccurrence.load(a, mmap=True), Cooccurrence.load(b, mmap=True)
    if x.nnz != y.nnz or x.vocabulary.words != y.vocabulary.words:
        return False
    step = 1 << 22
    return all(np.array_equal(getattr(x, name)[i:i + step], getattr(y, name)[i:i + step])
               for name in ("rows", "cols", "values") for i in range(0, x.nnz, step))


def process_limits(repeat: int, limit: str, epochs: int, folder: Path) -> None:
    from glove_gensim.counting import parse_memory

    corpus = repeated_corpus(repeat, folder)
    cli = [sys.executable, "-m", "glove_gensim.cli"]
    limit_mb = parse_memory(limit) / 2**20
    unlimited = run_with_peak([*cli, "cooccur", str(corpus), "--out", str(folder / "unlimited.npz"),
                               "--memory-limit", "none"])
    limited = run_with_peak([*cli, "cooccur", str(corpus), "--out", str(folder / "limited.npz"),
                             "--memory-limit", limit])
    identical = same_counts(folder / "unlimited.npz", folder / "limited.npz")
    for name, result in (("cooccur --memory-limit none", unlimited), (f"cooccur --memory-limit {limit}", limited)):
        emit({"benchmark": "process_limits", "command": name, "corpus": f"political.txt x{repeat}",
              "limit_mb": limit_mb if result is limited else None, **result,
              "within_limit": result["peak_rss_mb"] <= limit_mb if result is limited else None,
              "counts_identical_to_unlimited": identical})
    train = run_with_peak([*cli, "train", "--cooccurrence", str(folder / "limited.npz"), "--out",
                           str(folder / "run"), "--memory-limit", limit, "--epochs", str(epochs),
                           "--vector-size", "100", "--x-max", "10", "--engine", "cpu"])
    emit({"benchmark": "process_limits", "command": f"train --cooccurrence --memory-limit {limit}",
          "corpus": f"political.txt x{repeat}", "limit_mb": limit_mb, "epochs": epochs, **train,
          "within_limit": train["peak_rss_mb"] <= limit_mb})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=("vocab", "process"), default=None)
    parser.add_argument("--distinct", type=int, default=2_000_000)
    parser.add_argument("--max-vocab-size", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=8)
    parser.add_argument("--memory-limit", default="512MB")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--tmp", default=None, help="folder for the corpus and counts (default: a new one in /tmp)")
    args = parser.parse_args()
    if args.only in (None, "vocab"):
        vocab_limits(args.distinct, args.max_vocab_size)
    if args.only in (None, "process"):
        with tempfile.TemporaryDirectory(dir=args.tmp) as folder:
            process_limits(args.repeat, args.memory_limit, args.epochs, Path(folder))


if __name__ == "__main__":
    main()
