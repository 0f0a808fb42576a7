"""Vocabulary + co-occurrence counting of political.txt: single process vs Dask with 1, 2, 4 workers.

Settings: window 10, min_count 5, the default regex tokenizer on the raw text (paragraph
documents). Each Dask run uses a ``LocalCluster(n_workers=N, threads_per_worker=1,
processes=True)`` created, and warmed up on a 200 KB slice, BEFORE timing starts: cluster
start-up and worker imports are excluded (so is the same warm-up in the single process). A run
times ``Vocabulary.build`` + ``count_cooccurrences`` (two task graphs over the same partitions,
one partition per worker) and checks that vocabulary and ``rows``/``cols``/``values`` equal
the single-process result exactly. One JSON line per configuration: median wall seconds over
``--repeats`` runs (Dask runs alternate with single-process runs, whose median is the ratio's
denominator), every run's seconds, CPU seconds of the run summed over the client, the
scheduler and the workers (median; a figure other processes on the machine do not inflate),
ratio to single-process, ``equal``, and the 1-minute load average before the runs.

    flock /tmp/bench.lock python benchmarks/bench_dask.py [--workers 1 2 4] [--repeats 3]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import POLITICAL, emit, require  # noqa: E402


def count(corpus, **backend):
    from glove_gensim.cooccur import count_cooccurrences
    from glove_gensim.vocab import Vocabulary

    vocab = Vocabulary.build(corpus, min_count=5, **backend)
    return vocab, count_cooccurrences(corpus, vocab, window=10, **backend)


def cpu_seconds(client=None) -> float:
    """CPU seconds used so far by this process, plus the Dask scheduler and workers."""
    total = time.process_time()
    if client is not None:
        total += sum(client.run(time.process_time).values()) + client.run_on_scheduler(time.process_time)
    return total


def timed(corpus, repeats: int, **backend):
    walls, cpus, result = [], [], None
    for _ in range(repeats):
        cpu = cpu_seconds(backend.get("client"))
        start = time.perf_counter()
        result = count(corpus, **backend)
        walls.append(time.perf_counter() - start)
        cpus.append(cpu_seconds(backend.get("client")) - cpu)
    return walls, cpus, result


def same(a, b) -> bool:
    (vocab_a, x_a), (vocab_b, x_b) = a, b
    return bool(vocab_a == vocab_b and vocab_a.words == vocab_b.words
                and all(getattr(x_a, n).dtype == getattr(x_b, n).dtype
                        and np.array_equal(getattr(x_a, n), getattr(x_b, n)) for n in ("rows", "cols", "values")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=POLITICAL)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    from distributed import Client, LocalCluster

    from glove_gensim.corpus import Corpus

    corpus = Corpus(require(args.corpus))
    with tempfile.TemporaryDirectory() as work:
        warmup = Path(work) / "warmup.txt"
        with open(args.corpus, "rb") as handle:
            warmup.write_bytes(handle.read(200_000))
        count(Corpus(warmup))
        load = os.getloadavg()[0]
        walls, cpus, reference = timed(corpus, args.repeats)
        single = statistics.median(walls)
        common = {"benchmark": "dask_counting", "corpus": args.corpus.name, "bytes": args.corpus.stat().st_size,
                  "tokens": int(reference[0].total_tokens), "vocab": len(reference[0]), "nnz": reference[1].nnz,
                  "window": 10, "min_count": 5, "repeats": args.repeats}
        emit({**common, "run": "single_process", "wall_s": round(single, 3),
              "walls_s": [round(w, 3) for w in walls], "cpu_s": round(statistics.median(cpus), 3),
              "ratio": 1.0, "equal": True, "load_before": round(load, 2)})
        for workers in args.workers:
            with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                              dashboard_address=":0") as cluster, Client(cluster) as client:
                count(Corpus(warmup), backend="dask", client=client)
                load = os.getloadavg()[0]
                walls, cpus, singles = [], [], []
                for _ in range(args.repeats):  # interleaved, so both see the same machine load
                    singles += timed(corpus, 1)[0]
                    wall, cpu, result = timed(corpus, 1, backend="dask", client=client)
                    walls += wall
                    cpus += cpu
            wall, single = statistics.median(walls), statistics.median(singles)
            emit({**common, "run": f"dask_{workers}_workers", "workers": workers, "wall_s": round(wall, 3),
                  "walls_s": [round(w, 3) for w in walls], "cpu_s": round(statistics.median(cpus), 3),
                  "single_wall_s": round(single, 3), "ratio": round(wall / single, 3),
                  "load_before": round(load, 2), "equal": same(result, reference),
                  "note": "LocalCluster(processes=True) started and warmed up before timing (start-up "
                          "excluded); ratio to single-process runs interleaved with these"})

if __name__ == "__main__":
    main()
