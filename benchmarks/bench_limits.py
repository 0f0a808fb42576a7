"""Limits honoured: a vocabulary pass over 2 million distinct words with and without
``max_vocab_size``, each measured in its own subprocess (peak RSS). Counting and training under
--memory-limit at 25M-200M tokens are bench_scaling.py's (a synthetic corpus, make_corpus.py).

    python benchmarks/bench_limits.py [--distinct 2000000] [--max-vocab-size 100000]
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import emit  # noqa: E402

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--distinct", type=int, default=2_000_000)
    parser.add_argument("--max-vocab-size", type=int, default=100_000)
    args = parser.parse_args()
    for bound in ("none", str(args.max_vocab_size)):
        start = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-c", SCRIPT, str(args.distinct), bound],
                                   stdout=subprocess.PIPE, text=True)
        output = process.stdout.read()
        _, status, usage = os.wait4(process.pid, 0)
        emit({"benchmark": "vocab_limits", "distinct_words": args.distinct, "max_vocab_size": bound,
              "kept_words": int(output.strip() or -1), "seconds": round(time.perf_counter() - start, 2),
              "peak_rss_mb": round(usage.ru_maxrss / 1024, 1), "exit_status": status})


if __name__ == "__main__":
    main()
