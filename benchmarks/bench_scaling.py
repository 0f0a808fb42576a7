"""Counting and training at 25M, 50M, 100M and 200M tokens of the synthetic corpus, under a memory limit.

The corpora come from ``make_corpus.py`` (default settings, ``--seed``), written in one pass and
nested (each is the first N tokens of the largest). For every size, two whole processes:

1. ``glove-gensim cooccur CORPUS --tokenizer whitespace --line-is-document --min-count 5
   --window 10 --memory-limit LIMIT --out counts.npz``, with ``TMPDIR`` pointed at a fresh folder
   (where counting spills): wall seconds, microseconds per token, peak RSS of the process tree
   (psutil polling, never below the process's own ``ru_maxrss``), peak disk used in that folder,
   and, from the file's array headers, non-zeros and vocabulary size.
2. ``glove-gensim train --cooccurrence counts.npz --memory-limit LIMIT --epochs 2 --out DIR``
   (default engine: the compiled CPU engine on a machine without accelerator): seconds of the
   last epoch (from the ``EPOCH n: ..., S s`` log lines; the first epoch is also reported),
   nanoseconds per epoch per non-zero, peak RSS.

The script only runs the command line and measures, so it applies to any version of it. With
``--dask`` the largest corpus is also counted by ``cooccur --backend dask --dask-workers 2``
(a LocalCluster of 2 worker processes, vocabulary and counts both on Dask) and the script checks
that vocabulary, rows, cols and values equal the single-process file's exactly.

Prints one JSON line per size (and one for Dask), then a table with the variation of the
per-token and per-non-zero times relative to the smallest size. Everything is written under
``--work-dir`` (default: a new folder in the system temp dir) and removed at the end.

    flock -x /tmp/cpu.lock python benchmarks/bench_scaling.py [--sizes 25M 50M 100M 200M] [--quick]
        [--memory-limit 2GB] [--dask] [--seed 0] [--work-dir DIR] [--abort-rss MB]

``--quick`` runs 2M, 4M, 8M and 16M tokens (a check of the script, and a basis to estimate how
long the full sizes take).
"""
from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import emit, measured_cli  # noqa: E402
from make_corpus import CorpusSpec, parse_tokens, size_name, write_corpora  # noqa: E402

DEFAULT_SIZES = ("25M", "50M", "100M", "200M")
QUICK_SIZES = ("2M", "4M", "8M", "16M")
CORPUS_FLAGS = ["--tokenizer", "whitespace", "--line-is-document", "--min-count", "5", "--window", "10"]
_EPOCH = re.compile(r"EPOCH (\d+): loss \S+, ([0-9.]+)s")


def array_lengths(npz: Path, names: tuple[str, ...]) -> dict[str, int]:
    """First dimension of the named arrays of an ``.npz``, read from their headers (no data loaded)."""
    lengths = {}
    with zipfile.ZipFile(npz) as archive:
        for name in names:
            with archive.open(f"{name}.npy") as member:
                version = np.lib.format.read_magic(member)
                read_header = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                               else np.lib.format.read_array_header_2_0)
                shape = read_header(member)[0]
                lengths[name] = int(shape[0])
    return lengths


def same_counts(a: Path, b: Path) -> bool:
    """Whether two counts files hold equal vocabularies and coordinates (compared array by array)."""
    with np.load(a, allow_pickle=False) as left, np.load(b, allow_pickle=False) as right:
        for name in ("vocab_words_utf8", "vocab_counts", "rows", "cols", "values"):
            x, y = left[name], right[name]
            if x.dtype != y.dtype or not np.array_equal(x, y):
                return False
            del x, y
    return True


def count(corpus: Path, counts: Path, spill: Path, limit: str, abort_rss_mb: float,
          extra: tuple[str, ...] = ()) -> dict:
    """One ``cooccur`` process, measured (``{"count_aborted_mb": ...}`` if killed by the safety valve)."""
    run = measured_cli(["cooccur", str(corpus), *CORPUS_FLAGS, "--memory-limit", limit, *extra,
                        "--out", str(counts), "-q"], spill, abort_rss_mb=abort_rss_mb, check=not extra)
    if run["aborted"]:
        return {"count_aborted_mb": abort_rss_mb, "count_s": round(run["wall_s"], 2)}
    if run["returncode"] != 0:  # only with extra flags (the Dask stage): reported, the table still printed
        last = [line for line in run["log"].splitlines() if line.strip()][-3:]
        return {"count_failed": run["returncode"], "count_s": round(run["wall_s"], 2),
                "count_peak_rss_mb": round(run["peak_rss_mb"], 1), "log_tail": last}
    lengths = array_lengths(counts, ("rows", "vocab_counts"))
    return {"count_s": round(run["wall_s"], 2), "count_peak_rss_mb": round(run["peak_rss_mb"], 1),
            "spill_peak_mb": round(run["peak_tmp_bytes"] / 2**20, 1), "nnz": lengths["rows"],
            "vocab": lengths["vocab_counts"]}


def train(counts: Path, out: Path, scratch: Path, limit: str, epochs: int, abort_rss_mb: float) -> dict:
    """One ``train --cooccurrence`` process, measured; epoch seconds from its log."""
    run = measured_cli(["train", "--cooccurrence", str(counts), "--memory-limit", limit, "--epochs", str(epochs),
                        "--out", str(out)], scratch, abort_rss_mb=abort_rss_mb)
    if run["aborted"]:
        return {"train_aborted_mb": abort_rss_mb, "train_s": round(run["wall_s"], 2)}
    epochs_s = [float(s) for _, s in _EPOCH.findall(run["log"])]
    if len(epochs_s) != epochs:
        sys.exit(f"expected {epochs} 'EPOCH n: ... s' lines in the training log, found {len(epochs_s)}:\n"
                 f"{run['log'][-2000:]}")
    return {"train_s": round(run["wall_s"], 2), "train_epoch_s": epochs_s[-1], "train_epochs_s": epochs_s,
            "train_peak_rss_mb": round(run["peak_rss_mb"], 1),
            "train_tmp_peak_mb": round(run["peak_tmp_bytes"] / 2**20, 1)}


def print_table(rows: list[dict], limit: str) -> None:
    """The summary table; ``rel`` columns are relative to the first (smallest) size."""
    print(f"\nmemory limit {limit}; rel = per-unit time / the smallest size's; '-': not measured "
          f"(killed above the --abort-rss safety valve, see the JSON lines)")
    columns = (("vocab", 7), ("nnz", 11), ("count_s", 8), ("count_us_per_token", 7), ("count_rel", 5),
               ("count_peak_rss_mb", 10), ("spill_peak_mb", 9), ("train_epoch_s", 8), ("train_ns_per_nnz", 7),
               ("train_rel", 5), ("train_peak_rss_mb", 10))
    titles = ("vocab", "nnz", "count s", "us/tok", "rel", "cnt RSS MB", "spill MB", "epoch s", "ns/nnz", "rel",
              "trn RSS MB")
    for unit, rel in (("count_us_per_token", "count_rel"), ("train_ns_per_nnz", "train_rel")):
        base = next((r[unit] for r in rows if unit in r), None)
        for r in rows:
            if unit in r:
                r[rel] = f"{r[unit] / base:.2f}"
    print(f"{'tokens':>6} " + " ".join(f"{title:>{width}}" for title, (_, width) in zip(titles, columns)))
    for r in rows:
        print(f"{r['size']:>6} " + " ".join(f"{r.get(key, '-')!s:>{width}}" for key, width in columns))
        for rel in ("count_rel", "train_rel"):
            r.pop(rel, None)
    for key, name in (("count_us_per_token", "counting time per token"), ("train_ns_per_nnz", "training time per nnz")):
        measured = [r for r in rows if key in r]
        if measured:
            values = [r[key] for r in measured]
            print(f"{name}: max/min - 1 = {max(values) / min(values) - 1:.1%} over "
                  f"{measured[0]['size']}..{measured[-1]['size']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", nargs="+", default=None, help=f"token counts (default: {' '.join(DEFAULT_SIZES)})")
    parser.add_argument("--quick", action="store_true", help=f"sizes {' '.join(QUICK_SIZES)}")
    parser.add_argument("--memory-limit", default="2GB")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--dask", action="store_true", help="also count the largest size on Dask (2 workers)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work-dir", type=Path, default=None)
    parser.add_argument("--abort-rss", type=float, default=14000, metavar="MB",
                        help="kill a measured process tree whose RSS passes this many MB, record it as "
                             "aborted and go on (a safety valve on a shared machine; default: 14000)")
    args = parser.parse_args()
    if args.quick and args.sizes:
        parser.error("--quick and --sizes exclude each other")
    try:
        sizes = sorted({parse_tokens(s) for s in (args.sizes or (QUICK_SIZES if args.quick else DEFAULT_SIZES))})
    except argparse.ArgumentTypeError as exc:
        parser.error(f"--sizes: {exc}")
    if args.epochs < 2:
        parser.error("--epochs must be at least 2 (the first epoch is reported apart)")
    work = Path(tempfile.mkdtemp(prefix="bench_scaling_", dir=args.work_dir))
    try:
        start = time.perf_counter()
        corpora = [work / f"synthetic_{size_name(n)}.txt" for n in sizes]
        write_corpora(corpora, sizes, CorpusSpec(seed=args.seed))
        emit({"benchmark": "scaling", "stage": "corpus", "sizes": sizes, "seed": args.seed,
              "bytes": [p.stat().st_size for p in corpora], "seconds": round(time.perf_counter() - start, 1)})
        rows = []
        for tokens, corpus in zip(sizes, corpora):
            counts = work / f"counts_{size_name(tokens)}.npz"
            row = {"benchmark": "scaling", "size": size_name(tokens), "tokens": tokens,
                   "memory_limit": args.memory_limit,
                   **count(corpus, counts, work / "spill", args.memory_limit, args.abort_rss)}
            if "nnz" in row:
                row["count_us_per_token"] = round(row["count_s"] / tokens * 1e6, 4)
                row.update(train(counts, work / "trained", work / "train_tmp", args.memory_limit, args.epochs,
                                 args.abort_rss))
                shutil.rmtree(work / "trained", ignore_errors=True)
            if "train_epoch_s" in row:
                row["train_ns_per_nnz"] = round(row["train_epoch_s"] / row["nnz"] * 1e9, 2)
            rows.append(row)
            emit(row)
            if tokens != sizes[-1] or not args.dask:
                counts.unlink(missing_ok=True)
            if tokens != sizes[-1]:
                corpus.unlink()
        if args.dask:
            largest = size_name(sizes[-1])
            dask_counts = work / f"counts_{largest}_dask.npz"
            record = count(corpora[-1], dask_counts, work / "spill_dask", args.memory_limit, args.abort_rss,
                           ("--backend", "dask", "--dask-workers", "2"))
            single = work / f"counts_{largest}.npz"
            equal = same_counts(single, dask_counts) if "nnz" in record and single.exists() else None
            emit({"benchmark": "scaling_dask", "size": largest, "tokens": sizes[-1], "workers": 2, **record,
                  "single_count_s": rows[-1]["count_s"], "equal": equal})
        print_table(rows, args.memory_limit)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
