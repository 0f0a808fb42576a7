"""Time `glove-gensim cooccur` on political.txt as whole processes.

Runs (window 10, min_count 5), each printed as one JSON line (tokens, vocab size, nnz, wall
seconds, tokens/s, peak RSS):
1. a pre-tokenized copy, one paragraph per line, read with --tokenizer whitespace
   --line-is-document (Stanford's vocab_count + cooccur on the same tokens: 0.3 s + 4.1 s, 442 MB);
2. the raw text with the default regex tokenizer;
3. the pre-tokenized copy with --memory-limit (default 256MB), checking the counts equal run 1.

    python benchmarks/bench_cooccur.py [--memory-limit 256MB]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=POLITICAL)
    parser.add_argument("--memory-limit", default="256MB")
    args = parser.parse_args()
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
