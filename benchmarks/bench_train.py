"""Train GloVe on political.txt as one `glove-gensim train` process and report speed and quality.

Prints one JSON line: nnz, seconds per epoch (median), total process seconds, peak RSS, cost at
epochs 5/10/25 (glove.c's definition), wordsim353 / simlex999 Spearman, and the 10 nearest
neighbours of the seed article's probe words. Stanford's glove (2 threads) here: 10.5 s per
iteration; its cost at 5/10/25: 0.0379 / 0.0260 / 0.0198; wordsim353 0.246, simlex999 0.080.

    python benchmarks/bench_train.py [--engine cpu|jax|auto] [--threads N] [--batch-size N]
                                     [--optimizer adagrad] [--epochs 25]
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import POLITICAL, PROBES, children_peak_rss_mb, emit, require, similarity_scores  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=POLITICAL)
    parser.add_argument("--batch-size", type=int, default=None)
    parser.add_argument("--optimizer", default=None, help="default: the engine's (glove.c's rule on cpu)")
    parser.add_argument("--engine", default="auto", choices=("auto", "jax", "cpu"))
    parser.add_argument("--threads", type=int, default=None, help="CPU engine threads (default: all cores)")
    parser.add_argument("--learning-rate", type=float, default=None)
    parser.add_argument("--epochs", type=int, default=25)
    args = parser.parse_args()
    from glove_gensim.io import load_glove
    from glove_gensim.model import GloVe

    with tempfile.TemporaryDirectory() as out:
        command = [sys.executable, "-m", "glove_gensim.cli", "train", str(require(args.corpus)),
                   "--out", out, "--vector-size", "100", "--window", "10", "--min-count", "5",
                   "--x-max", "10", "--epochs", str(args.epochs), "--engine", args.engine, "-q"]
        for flag, value in (("--optimizer", args.optimizer), ("--threads", args.threads),
                            ("--batch-size", args.batch_size), ("--learning-rate", args.learning_rate)):
            if value is not None:
                command += [flag, str(value)]
        start = time.perf_counter()
        subprocess.run(command, check=True)
        total = time.perf_counter() - start
        model = GloVe.load(Path(out) / "model.npz", engine=args.engine)  # the file holds no engine
        kv = load_glove(Path(out) / "vectors.txt")
    losses = model.loss_history
    emit({"benchmark": "train", "corpus": args.corpus.name, "engine": model._engine, "threads": args.threads,
          "optimizer": model.optimizer,
          "batch_size": model.effective_batch_size, "nnz": model.cooccurrence.nnz,
          "vocab": len(model.vocabulary), "epochs": len(losses),
          "seconds_per_epoch_median": round(statistics.median(model.epoch_seconds), 3),
          "train_seconds": round(sum(model.epoch_seconds), 2), "total_seconds": round(total, 2),
          "peak_rss_mb": round(children_peak_rss_mb(), 1),
          "cost": {str(e): round(losses[e - 1], 5) for e in (1, 5, 10, 25) if e <= len(losses)},
          "final_loss": round(losses[-1], 5), **similarity_scores(kv),
          "neighbors": {w: [n for n, _ in kv.most_similar(w, topn=10)] for w in PROBES if w in kv}})


if __name__ == "__main__":
    main()
