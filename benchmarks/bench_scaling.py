"""Counting and training time and peak memory for 1x, 2x, 4x and 8x political.txt.

The corpus is political.txt repeated k times (documents never cross a copy, so the non-zeros
stay the same and every count grows k-fold). Counting runs as a whole `glove-gensim cooccur`
process with --memory-limit; training runs two epochs of GloVe on its counts in a subprocess.
Prints one JSON line per scale and a table: seconds per token (counting) and per non-zero
(training), relative to 1x, and counting's peak RSS against its limit.

    python benchmarks/bench_scaling.py [--scales 1 2 4 8] [--memory-limit 256MB]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import POLITICAL, emit, require, timed_cli  # noqa: E402

TRAIN_SCRIPT = """
import json, sys, statistics
from glove_gensim.cooccur import Cooccurrence
from glove_gensim.model import GloVe
cooc = Cooccurrence.load(sys.argv[1])
model = GloVe.from_cooccurrence(cooc, vector_size=100, x_max=10.0, epochs=3)
model.train()
print(json.dumps({"nnz": cooc.nnz, "epoch_seconds": statistics.median(model.epoch_seconds[1:])}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 2, 4, 8])
    parser.add_argument("--memory-limit", default="256MB")
    args = parser.parse_args()
    text = require(POLITICAL).read_bytes()
    rows = []
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        for scale in args.scales:
            corpus = work / f"political_x{scale}.txt"
            corpus.write_bytes(b"\n\n".join([text] * scale))
            counts = work / f"counts_x{scale}.npz"
            wall, rss = timed_cli(["cooccur", str(corpus), "--min-count", "5", "--window", "10",
                                   "--memory-limit", args.memory_limit, "--out", str(counts)])
            trained = json.loads(subprocess.run([sys.executable, "-c", TRAIN_SCRIPT, str(counts)], check=True,
                                                capture_output=True, text=True).stdout.strip().splitlines()[-1])
            tokens = 2_541_429 * scale
            row = {"benchmark": "scaling", "scale": scale, "tokens": tokens, "nnz": trained["nnz"],
                   "count_seconds": round(wall, 2), "count_peak_rss_mb": round(rss, 1),
                   "memory_limit": args.memory_limit, "count_us_per_token": round(wall / tokens * 1e6, 4),
                   "train_epoch_seconds": round(trained["epoch_seconds"], 3),
                   "train_ns_per_nnz": round(trained["epoch_seconds"] / trained["nnz"] * 1e9, 2)}
            rows.append(row)
            emit(row)
            corpus.unlink()
    base = rows[0]
    print(f"{'scale':>5} {'tokens':>10} {'count s':>8} {'us/token':>9} {'rel':>5} {'RSS MB':>7} "
          f"{'nnz':>9} {'epoch s':>8} {'ns/nnz':>7} {'rel':>5}")
    for r in rows:
        print(f"{r['scale']:>5} {r['tokens']:>10} {r['count_seconds']:>8} {r['count_us_per_token']:>9} "
              f"{r['count_us_per_token'] / base['count_us_per_token']:>5.2f} {r['count_peak_rss_mb']:>7} "
              f"{r['nnz']:>9} {r['train_epoch_seconds']:>8} {r['train_ns_per_nnz']:>7} "
              f"{r['train_ns_per_nnz'] / base['train_ns_per_nnz']:>5.2f}")


if __name__ == "__main__":
    main()
