"""Time `glove-gensim cooccur` on political.txt as whole processes.

Runs (window 10, min_count 5), each printed as one JSON line (tokens, vocab size, nnz, wall
seconds, tokens/s, peak RSS):
1. a pre-tokenized copy, one paragraph per line, read with --tokenizer whitespace
   --line-is-document (Stanford's vocab_count + cooccur on the same tokens: 0.3 s + 4.1 s, 442 MB);
2. the raw text with the default regex tokenizer;
3. the pre-tokenized copy with --memory-limit (default 256MB), checking the counts equal run 1.

With ``--stanford DIR`` (a Stanford GloVe build holding ``vocab_count`` and ``cooccur``) it
instead runs Stanford's ``vocab_count + cooccur`` and ours alternately on the same tokens,
``--repeats`` times each, and prints one JSON line per variant (pre-tokenized, raw text) with
both medians, the ratio and both peak RSS (:func:`count_stage`, also used by
``bench_vs_stanford.py``).

    python benchmarks/bench_cooccur.py [--memory-limit 256MB]
    python benchmarks/bench_cooccur.py --stanford ~/GloVe/build [--tokens political_tok.txt]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import POLITICAL, emit, require, timed_cli  # noqa: E402


def write_pretokenized(source: Path, target: Path) -> int:
    """Our default tokenization of ``source``, one paragraph per line; returns the token count."""
    from glove_gensim.corpus import Corpus

    tokens = 0
    with open(target, "w", encoding="utf-8") as handle:
        for document in Corpus(source):
            handle.write(" ".join(document) + "\n")
            tokens += len(document)
    return tokens


def _timed(command: list[str], stdin: Path, stdout: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one process reading ``stdin`` and writing ``stdout``."""
    with open(stdin, "rb") as source, open(stdout, "wb") as sink:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdin=source, stdout=sink, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        sys.exit(f"command failed ({status}): {' '.join(command)}")
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def stanford_counting(stanford_dir: Path, tokens_file: Path, work: Path, window: int = 10,
                      min_count: int = 5) -> tuple[float, float]:
    """Stanford's ``vocab_count`` then ``cooccur -memory 4.0``: summed wall seconds, peak RSS (MB)."""
    vocab = work / "stanford_vocab.txt"
    wall_vocab, rss_vocab = _timed([str(stanford_dir / "vocab_count"), "-min-count", str(min_count),
                                    "-verbose", "0"], tokens_file, vocab)
    wall_cooc, rss_cooc = _timed([str(stanford_dir / "cooccur"), "-memory", "4.0", "-vocab-file", str(vocab),
                                  "-verbose", "0", "-window-size", str(window)], tokens_file,
                                 work / "stanford_cooccurrence.bin")
    return wall_vocab + wall_cooc, max(rss_vocab, rss_cooc)


def count_stage(stanford_dir: str | os.PathLike, tokens_file: str | os.PathLike,
                raw_file: str | os.PathLike, repeats: int = 3) -> list[dict]:
    """Stanford's counting vs ``glove-gensim cooccur``, whole processes, alternately ``repeats`` times.

    Variants: ``pretokenized`` (ours reads ``tokens_file`` with ``--tokenizer whitespace
    --line-is-document``) and ``raw_regex`` (ours reads ``raw_file`` with the default tokenizer);
    Stanford always reads ``tokens_file``. Prints and returns one record per variant.
    """
    stanford_dir, tokens_file, raw_file = Path(stanford_dir), require(Path(tokens_file)), require(Path(raw_file))
    for tool in ("vocab_count", "cooccur"):
        if not (stanford_dir / tool).is_file():
            sys.exit(f"{stanford_dir / tool} not found: pass --stanford the folder of a Stanford GloVe build")
    variants = {"pretokenized": [str(tokens_file), "--tokenizer", "whitespace", "--line-is-document"],
                "raw_regex": [str(raw_file)]}
    times: dict = {name: {"ours": [], "ours_rss": []} for name in variants}
    stanford, stanford_rss = [], []
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        timed_cli(["cooccur", *variants["pretokenized"], "--out", str(work / "warmup.npz")])
        for _ in range(repeats):
            wall, rss = stanford_counting(stanford_dir, tokens_file, work)
            stanford.append(wall)
            stanford_rss.append(rss)
            for name, corpus_args in variants.items():
                wall, rss = timed_cli(["cooccur", *corpus_args, "--min-count", "5", "--window", "10",
                                       "--out", str(work / f"{name}.npz")])
                times[name]["ours"].append(wall)
                times[name]["ours_rss"].append(rss)
    records = []
    for name in variants:
        ours = statistics.median(times[name]["ours"])
        theirs = statistics.median(stanford)
        record = {"benchmark": "cooccur_vs_stanford", "variant": name, "repeats": repeats,
                  "stanford_seconds": round(theirs, 3), "ours_seconds": round(ours, 3),
                  "ratio": round(ours / theirs, 3), "stanford_peak_rss_mb": round(max(stanford_rss), 1),
                  "ours_peak_rss_mb": round(max(times[name]["ours_rss"]), 1)}
        emit(record)
        records.append(record)
    return records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=POLITICAL)
    parser.add_argument("--memory-limit", default="256MB")
    parser.add_argument("--stanford", type=Path, default=None, metavar="DIR",
                        help="compare with the vocab_count and cooccur of this Stanford GloVe build")
    parser.add_argument("--tokens", type=Path, default=None, metavar="FILE",
                        help="with --stanford: the pre-tokenized corpus (default: written from --corpus)")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if args.stanford is not None:
        if args.tokens is not None:
            count_stage(args.stanford, args.tokens, args.corpus, args.repeats)
            return
        with tempfile.TemporaryDirectory() as work:
            tokens = Path(work) / "tokens.txt"
            write_pretokenized(require(args.corpus), tokens)
            count_stage(args.stanford, tokens, args.corpus, args.repeats)
        return
    from glove_gensim.cooccur import Cooccurrence

    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        tokens = write_pretokenized(require(args.corpus), work / "tokens.txt")
        runs = {
            "pretokenized": [str(work / "tokens.txt"), "--tokenizer", "whitespace", "--line-is-document"],
            "raw_regex": [str(args.corpus)],
            "pretokenized_memory_limit": [str(work / "tokens.txt"), "--tokenizer", "whitespace",
                                          "--line-is-document", "--memory-limit", args.memory_limit],
        }
        timed_cli(["cooccur", *runs["pretokenized"], "--out", str(work / "warmup.npz")])
        results = {}
        for name, corpus_args in runs.items():
            out = work / f"{name}.npz"
            wall, rss = timed_cli(["cooccur", *corpus_args, "--min-count", "5", "--window", "10",
                                   "--out", str(out)])
            results[name] = Cooccurrence.load(out)
            record = {"benchmark": "cooccur", "run": name, "tokens": tokens,
                      "vocab": len(results[name].vocabulary), "nnz": results[name].nnz,
                      "wall_seconds": round(wall, 2), "tokens_per_second": round(tokens / wall),
                      "peak_rss_mb": round(rss, 1)}
            if name.endswith("memory_limit"):
                reference = results["pretokenized"]
                record["memory_limit"] = args.memory_limit
                record["identical_to_unlimited"] = all(
                    np.array_equal(getattr(results[name], a), getattr(reference, a))
                    for a in ("rows", "cols", "values"))
            emit(record)


if __name__ == "__main__":
    main()
