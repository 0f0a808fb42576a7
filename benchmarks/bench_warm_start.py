"""Warm start (issue 12): does ``init_vectors`` help, and what does the Mittens term cost?

``--stage helps`` ("It helps"): pretrain GloVe on a large corpus (default political.txt, a fixed
number of epochs, CPU engine), then train on a small corpus (default wikitext2_valid_test.txt) with
the same fixed epoch budget in three arms, each with 3 seeds:
(a) the small corpus alone, (b) ``init_vectors`` from the pretrained model with ``mittens=0``,
(c) ``init_vectors`` with ``mittens=MU``. Every arm has the small corpus's vocabulary; it is scored
on gensim's bundled wordsim353 and simlex999 restricted to the pairs whose two words are both in
that vocabulary (the pair counts are reported), Spearman, by :mod:`evaluation.similarity`. One
JSON line per arm (per-seed scores, mean, min, max), then a table, then one JSON line per
comparison: the margin ``mean(arm) - mean(a)`` against the seed spread (the larger max - min of
the two arms), and whether the seed ranges are disjoint.

``--stage scale`` ("Scale"): on the large corpus, with pretrained vectors for every word (a model
pretrained there, read from a word2vec text file as a user's file would be), train in separate
processes, alternating, ``--pairs`` times: ``mittens=0`` and ``mittens=MU`` (both with
``init_vectors``), and plain GloVe without ``init_vectors``. Each process reads the same saved
counts (no counting in the timed processes), trains ``--scale-epochs`` epochs and reports its
median epoch seconds and its peak RSS (``VmHWM``). The bar: median epoch ratio
(MU / 0) <= 1.15, and the peak-RSS growth over plain GloVe <= the pretrained table (V * d * 4 bytes).
Across processes epoch times move with the machine's load, so each Mittens process also times its
Mittens pass inside every epoch: epoch / (epoch - pass) is the ratio free of that noise (the
fastest epoch of each arm, load only ever adding time, is reported too). Every
process ends by exporting ``model.wv``, as every run does.

    python benchmarks/bench_warm_start.py --stage helps [--pretrain-epochs 15] [--epochs 15]
    python benchmarks/bench_warm_start.py --stage scale [--engines cpu jax] [--pairs 3]

Run ``helps`` under ``flock -s /tmp/cpu.lock`` and ``scale`` (timings) under ``flock -x``.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import POLITICAL, SHARED_DATA, emit, require  # noqa: E402

WIKITEXT = SHARED_DATA / "wikitext2_valid_test.txt"
SETS = ("wordsim353", "simlex999")
GLOVE = dict(vector_size=100, window=10, min_count=5, x_max=10.0)


def count(corpus: Path):
    """Vocabulary (min_count 5) and window-10 co-occurrences of ``corpus``, default reading."""
    from glove_gensim.cooccur import count_cooccurrences
    from glove_gensim.corpus import Corpus
    from glove_gensim.vocab import Vocabulary

    documents = Corpus(corpus)
    vocabulary = Vocabulary.build(documents, min_count=GLOVE["min_count"])
    return count_cooccurrences(documents, vocabulary, window=GLOVE["window"])


def make(counts, epochs: int, seed: int, engine: str = "cpu", **extra):
    """GloVe ready to train ``epochs`` epochs on ``counts`` (settings :data:`GLOVE`)."""
    from glove_gensim.model import GloVe

    settings = {k: v for k, v in GLOVE.items() if k not in ("window", "min_count")}
    return GloVe.from_cooccurrence(counts, epochs=epochs, seed=seed, engine=engine, **settings, **extra)


def train(counts, epochs: int, seed: int, engine: str = "cpu", **extra):
    """GloVe trained ``epochs`` epochs on ``counts`` (settings :data:`GLOVE`)."""
    return make(counts, epochs, seed, engine, **extra).train()


def restricted_sets(words: set[str]):
    """wordsim353 and simlex999 restricted to the pairs whose two words (case-folded) are in ``words``."""
    from evaluation.similarity import WordPairs, read_word_pairs

    sets = {}
    for name in SETS:
        full = read_word_pairs(name)
        keep = [i for i, (a, b) in enumerate(full.pairs) if a.lower() in words and b.lower() in words]
        sets[name] = WordPairs(name, full.path, [full.pairs[i] for i in keep], full.gold[keep])
    return sets


def scores(kv, sets) -> dict[str, float]:
    from evaluation.similarity import evaluate_similarity

    return {name: round(float(evaluate_similarity(kv, pairs, restrict_vocab=None).spearman), 4)
            for name, pairs in sets.items()}


def summary(values: list[float]) -> dict[str, float]:
    return {"mean": round(statistics.fmean(values), 4), "min": min(values), "max": max(values)}


def stage_helps(args: argparse.Namespace) -> None:
    big, small = require(args.big), require(args.small)
    start = time.perf_counter()
    pretrained = train(count(big), args.pretrain_epochs, seed=0).wv
    pretrain_seconds = time.perf_counter() - start
    counts = count(small)
    words = set(counts.vocabulary.words)
    sets = restricted_sets(words)
    found = sum(word in pretrained.key_to_index for word in words)
    context = {"big": big.name, "small": small.name, "pretrain_epochs": args.pretrain_epochs,
               "epochs": args.epochs, "engine": "cpu", "small_vocab": len(words), "small_nnz": counts.nnz,
               "pretrained_vocab": len(pretrained), "small_words_pretrained": found,
               "pairs": {name: len(pairs) for name, pairs in sets.items()},
               "pretrain_seconds": round(pretrain_seconds, 1), **{k: GLOVE[k] for k in ("vector_size", "x_max")}}
    arms = {"a_small_alone": {}, "b_init_mu0": {"init_vectors": pretrained},
            f"c_init_mu{args.mittens:g}": {"init_vectors": pretrained, "mittens": args.mittens}}
    results = {}
    for arm, extra in arms.items():
        runs = [scores(train(counts, args.epochs, seed=seed, **extra).wv, sets) for seed in args.seeds]
        results[arm] = {name: [run[name] for run in runs] for name in SETS}
        emit({"benchmark": "warm_start_helps", "arm": arm, "seeds": args.seeds, **context,
              **{name: {"seeds": values, **summary(values)} for name, values in results[arm].items()}})
    print(f"\n{big.name} ({args.pretrain_epochs} epochs) -> {small.name} ({args.epochs} epochs), "
          f"pairs: " + ", ".join(f"{n} {c}" for n, c in context["pairs"].items()), flush=True)
    print("| arm | " + " | ".join(f"{n} mean [min, max]" for n in SETS) + " |")
    print("|---|" + "---|" * len(SETS))
    for arm, by_set in results.items():
        cells = [f"{summary(v)['mean']:.4f} [{min(v):.4f}, {max(v):.4f}]" for v in by_set.values()]
        print(f"| {arm} | " + " | ".join(cells) + " |")
    alone = results["a_small_alone"]
    for arm in list(results)[1:]:
        for name in SETS:
            margin = statistics.fmean(results[arm][name]) - statistics.fmean(alone[name])
            spread = max(max(v) - min(v) for v in (results[arm][name], alone[name]))
            emit({"benchmark": "warm_start_margin", "arm": arm, "set": name, "margin": round(margin, 4),
                  "seed_spread": round(spread, 4), "margin_exceeds_spread": bool(margin > spread),
                  "ranges_disjoint": bool(min(results[arm][name]) > max(alone[name]))})


def peak_rss_mb() -> float:
    """This process's peak RSS in MB: ``VmHWM`` (reset at ``exec``, unlike ``ru_maxrss``, which
    keeps the forking parent's peak), else ``ru_maxrss``."""
    import resource

    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def scale_child(args: argparse.Namespace) -> None:
    """One timed process: train on saved counts; print its epoch seconds and peak RSS."""
    import gensim.models  # noqa: F401  (every run hands its vectors to gensim: imported first in every arm)
    from glove_gensim.cooccur import Cooccurrence

    counts = Cooccurrence.load(args.counts)
    extra = {} if args.init is None else {"init_vectors": args.init, "mittens": args.mu}
    model = make(counts, args.scale_epochs, seed=1, engine=args.engine, **extra)
    spent, mittens_pass = [], model._mittens_pass

    def timed_pass(n_entries: int) -> float:
        start = time.perf_counter()
        cost = mittens_pass(n_entries)
        spent.append(time.perf_counter() - start)
        return cost

    model._mittens_pass = timed_pass  # the Mittens pass's share of each epoch, measured in place
    model.train()
    model.wv  # the export every run makes (KeyedVectors: gensim imported in every arm)
    share = [seconds / (seconds - pass_) for seconds, pass_ in zip(model.epoch_seconds, spent)]
    print(json.dumps({"epoch_seconds": model.epoch_seconds, "peak_rss_mb": peak_rss_mb(),
                      "median_epoch_seconds": statistics.median(model.epoch_seconds),
                      "median_in_epoch_ratio": statistics.median(share)}), flush=True)


def run_child(args: argparse.Namespace, engine: str, counts: Path, init: Path | None, mu: float) -> dict:
    command = [sys.executable, __file__, "--stage", "scale-child", "--engine", engine, "--counts", str(counts),
               "--scale-epochs", str(args.scale_epochs), "--mu", str(mu)]
    command += [] if init is None else ["--init", str(init)]
    result = subprocess.run(command, stdout=subprocess.PIPE, text=True)
    if result.returncode != 0:
        sys.exit(f"child failed ({result.returncode}): {' '.join(command)}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def stage_scale(args: argparse.Namespace) -> None:
    from glove_gensim.io import save_word2vec_text

    big = require(args.big)
    with tempfile.TemporaryDirectory() as folder:
        counts = count(big)
        counts_path = counts.save(Path(folder) / "counts.npz")
        kv = train(counts, args.pretrain_epochs_scale, seed=0).wv
        init = save_word2vec_text(kv, Path(folder) / "pretrained.txt")
        table_mb, nnz = len(kv) * kv.vector_size * 4 / 2**20, counts.nnz
        del counts
        for engine in args.engines:
            arms = {"mu0": (init, 0.0), f"mu{args.mittens:g}": (init, args.mittens), "plain": (None, 0.0)}
            runs = {arm: [] for arm in arms}
            for pair in range(args.pairs):
                for arm, (path, mu) in arms.items():
                    runs[arm].append(run_child(args, engine, counts_path, path, mu))
            median = {arm: statistics.median(s for r in rs for s in r["epoch_seconds"]) for arm, rs in runs.items()}
            fastest = {arm: min(s for r in rs for s in r["epoch_seconds"]) for arm, rs in runs.items()}
            rss = {arm: statistics.median(r["peak_rss_mb"] for r in rs) for arm, rs in runs.items()}
            mittens_arm = f"mu{args.mittens:g}"
            ratio = median[mittens_arm] / median["mu0"]
            pair_ratios = [m["median_epoch_seconds"] / z["median_epoch_seconds"]
                           for m, z in zip(runs[mittens_arm], runs["mu0"])]
            in_epoch = statistics.median(r["median_in_epoch_ratio"] for r in runs[mittens_arm])
            growth = rss[mittens_arm] - rss["plain"]
            emit({"benchmark": "warm_start_scale", "corpus": big.name, "engine": engine, "vocab": len(kv),
                  "nnz": nnz, "pairs": args.pairs,
                  "epochs_per_process": args.scale_epochs,
                  "median_epoch_seconds": {a: round(v, 3) for a, v in median.items()},
                  "per_process_median_epoch_seconds": {a: [round(r["median_epoch_seconds"], 3) for r in rs]
                                                       for a, rs in runs.items()},
                  "peak_rss_mb": {a: [round(r["peak_rss_mb"], 1) for r in rs] for a, rs in runs.items()},
                  "epoch_ratio_mittens_vs_mu0": round(ratio, 3),
                  "epoch_ratio_per_pair": [round(r, 3) for r in pair_ratios],
                  "min_epoch_seconds": {a: round(v, 3) for a, v in fastest.items()},
                  "min_epoch_ratio_mittens_vs_mu0": round(fastest[mittens_arm] / fastest["mu0"], 3),
                  "in_epoch_ratio_with_vs_without_mittens_pass": round(in_epoch, 4),
                  "epoch_bar_met": bool(ratio <= 1.15),
                  "pretrained_table_mb": round(table_mb, 2),
                  "rss_growth_mb_vs_plain": round(growth, 1),
                  "rss_growth_mb_vs_mu0": round(rss[mittens_arm] - rss["mu0"], 1),
                  "memory_bar_met": bool(growth <= table_mb)})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stage", choices=("helps", "scale", "scale-child"), required=True)
    parser.add_argument("--big", type=Path, default=POLITICAL, help="pretraining corpus")
    parser.add_argument("--small", type=Path, default=WIKITEXT, help="small corpus specialised to")
    parser.add_argument("--pretrain-epochs", type=int, default=15)
    parser.add_argument("--epochs", type=int, default=15, help="epoch budget on the small corpus")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--mittens", type=float, default=0.1, help="mu of arm (c) and of the scale stage")
    parser.add_argument("--engines", nargs="+", default=["cpu"], choices=("cpu", "jax"))
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--scale-epochs", type=int, default=5, help="epochs per timed process")
    parser.add_argument("--pretrain-epochs-scale", type=int, default=3,
                        help="epochs of the model whose vectors the scale stage starts from")
    parser.add_argument("--engine", default="cpu", help=argparse.SUPPRESS)
    parser.add_argument("--counts", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--init", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--mu", type=float, default=0.0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    {"helps": stage_helps, "scale": stage_scale, "scale-child": scale_child}[args.stage](args)


if __name__ == "__main__":
    main()
