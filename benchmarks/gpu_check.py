"""GPU check of the JAX engine (run by ``benchmarks/device_check.sh``; see there).

1. political.txt (or ``--corpus``), min_count 5, window 10, vector_size 100, x_max 10, 25 epochs
   with ``engine="jax"`` at a batch chosen for the GPU: seconds per epoch, the cost of every
   epoch, wordsim353 / simlex999.
2. A synthetic problem of ``--synthetic-vocab`` words and ``--synthetic-nnz`` non-zeros, generated
   on the device: entries trained per second with the synchronous AdaGrad rule.

Prints one JSON line per part.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import emit, similarity_scores  # noqa: E402


def corpus_part(corpus: Path, batch_size: int | None, epochs: int) -> None:
    import jax

    from glove_gensim.model import GloVe

    start = time.perf_counter()
    model = GloVe(corpus_file=corpus, vector_size=100, window=10, min_count=5, x_max=10.0, epochs=epochs,
                  engine="jax", batch_size=batch_size, seed=1)
    emit({"check": "corpus", "corpus": corpus.name, "device": str(jax.devices()[0]),
          "vocab": len(model.vocabulary), "nnz": model.cooccurrence.nnz, "batch_size": model.effective_batch_size,
          "first_epoch_seconds": round(model.epoch_seconds[0], 3),
          "seconds_per_epoch_median": round(statistics.median(model.epoch_seconds[1:] or model.epoch_seconds), 4),
          "total_seconds": round(time.perf_counter() - start, 2),
          "costs": [round(c, 5) for c in model.loss_history], **similarity_scores(model.wv)})


def synthetic_part(n_words: int, nnz: int, batch_size: int, epochs: int) -> None:
    import jax
    import jax.numpy as jnp

    from glove_gensim import rules, train as core

    key_rows, key_cols, key_x, key_init = jax.random.split(jax.random.PRNGKey(0), 4)
    n_padded = nnz + (-nnz) % batch_size

    @jax.jit
    def generate():
        # Log-uniform word ids (a few frequent words, a long tail), as real counts are skewed.
        rows = jnp.floor(jnp.exp(jax.random.uniform(key_rows, (n_padded,)) * jnp.log(n_words))).astype(jnp.int32) - 1
        cols = jnp.floor(jnp.exp(jax.random.uniform(key_cols, (n_padded,)) * jnp.log(n_words))).astype(jnp.int32) - 1
        x = jnp.exp(jax.random.uniform(key_x, (n_padded,)) * 5.0)
        real = jnp.arange(n_padded) < nnz
        weight = jnp.where(real, core.weighting(x, 10.0, 0.75), 0.0)
        return core.Entries(rows, cols + n_words, jnp.log(x), weight.astype(jnp.float32))

    start = time.perf_counter()
    entries = jax.block_until_ready(generate())
    generated = time.perf_counter() - start
    params = core.init_params(key_init, n_words, 100)
    rule = rules.make_rule("sync", 0.05, n_words, batch_size)
    state = rule.init(params)
    mesh = core.data_mesh(1)
    seconds = []
    for epoch in range(epochs):
        start = time.perf_counter()
        params, state, cost = core.run_epoch(params, state, jax.random.PRNGKey(epoch), entries, rule,
                                             batch_size, mesh)
        cost = float(cost)
        seconds.append(time.perf_counter() - start)
    steady = statistics.median(seconds[1:]) if len(seconds) > 1 else seconds[0]
    emit({"check": "synthetic", "device": str(jax.devices()[0]), "vocab": n_words, "nnz": nnz,
          "batch_size": batch_size, "generate_seconds": round(generated, 2),
          "epoch_seconds": [round(s, 3) for s in seconds], "entries_per_second": round(nnz / steady),
          "mean_cost_last_epoch": cost / nnz})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--batch-size", type=int, default=None, help="default: the automatic choice")
    parser.add_argument("--epochs", type=int, default=25)
    parser.add_argument("--synthetic-vocab", type=int, default=400_000)
    parser.add_argument("--synthetic-nnz", type=int, default=200_000_000)
    parser.add_argument("--synthetic-batch", type=int, default=1 << 20)
    parser.add_argument("--synthetic-epochs", type=int, default=3)
    args = parser.parse_args()
    corpus_part(args.corpus, args.batch_size, args.epochs)
    synthetic_part(args.synthetic_vocab, args.synthetic_nnz, args.synthetic_batch, args.synthetic_epochs)


if __name__ == "__main__":
    main()
