"""Our SGNS against gensim's Word2Vec (sg=1, workers = our threads) on political.txt, in one run.

Same Corpus, same Vocabulary (min_count 5), vector_size 100, window 5, negative 5, sample 1e-3,
epochs 5. Ours runs with ``--engine`` (``jax``: the batched JAX trainer, ``cpu``: the compiled
Hogwild engine with ``--threads`` threads; ``auto``: as the model picks); gensim with
``workers=--threads``. With ``--repeats N`` the two alternate N times (ours, gensim, ours, ...),
pair ``i`` with seed ``--seed + i``.
Prints one JSON line: seconds of every run and their medians (training only, vocabulary and
encoding excluded for both; our seconds include pair generation on ``jax``; gensim's include
reading the corpus each epoch), the ratio of the medians ours/gensim, and the median over runs of
wordsim353 / simlex999 Spearman and questions-words analogy accuracy (restrict_vocab=30000).

    flock -x /tmp/cpu.lock .venv/bin/python benchmarks/bench_sgns.py --engine cpu --threads 2 --repeats 3
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
POLITICAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "political.txt"


def scores(kv) -> dict[str, float]:
    """wordsim353 and simlex999 Spearman, questions-words accuracy (gensim's evaluators)."""
    from gensim.test.utils import datapath

    return {"wordsim353": round(float(kv.evaluate_word_pairs(datapath("wordsim353.tsv"))[1][0]), 4),
            "simlex999": round(float(kv.evaluate_word_pairs(datapath("simlex999.txt"))[1][0]), 4),
            "analogy": round(float(kv.evaluate_word_analogies(datapath("questions-words.txt"),
                                                              restrict_vocab=30000)[0]), 4)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=str(POLITICAL))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=None)
    parser.add_argument("--group-size", type=int, default=None)
    parser.add_argument("--shared-negatives", type=int, default=None)
    parser.add_argument("--max-row-steps", type=float, default=None)
    parser.add_argument("--shuffle", action="store_true", help="ours: shuffle pairs (default corpus order)")
    parser.add_argument("--skip-gensim", action="store_true", help="train ours only (exploration)")
    parser.add_argument("--engine", choices=("auto", "jax", "cpu"), default="jax", help="our engine (default jax)")
    parser.add_argument("--threads", type=int, default=2, help="our CPU threads and gensim's workers (default 2)")
    parser.add_argument("--repeats", type=int, default=1, help="alternating runs of each (medians reported)")
    args = parser.parse_args()
    if not Path(args.corpus).is_file():
        sys.exit(f"benchmark data not found: {args.corpus}")

    import logging

    from baselines.sgns import SkipGramNS
    from baselines.word2vec import train_word2vec
    from glove_gensim.corpus import Corpus
    from glove_gensim.vocab import Vocabulary

    logging.basicConfig(level=logging.WARNING)
    params = dict(vector_size=100, window=5, negative=5, epochs=args.epochs)
    ours_extra = {name: getattr(args, name) for name in ("batch_size", "group_size", "shared_negatives",
                                                         "max_row_steps") if getattr(args, name) is not None}
    corpus = Corpus(args.corpus)
    vocabulary = Vocabulary.build(corpus, min_count=5)

    def ours(seed):
        model = SkipGramNS(**params, **ours_extra, seed=seed, shuffle=args.shuffle, engine=args.engine,
                           workers=args.threads)
        model.build_vocab(corpus, vocabulary=vocabulary)
        start = time.perf_counter()
        model.train()
        return time.perf_counter() - start, model, model.wv

    def theirs(seed):
        start = time.perf_counter()
        w2v, _ = train_word2vec(corpus, vocabulary, workers=args.threads, seed=seed, **params)
        return time.perf_counter() - start, w2v, w2v.wv

    runs = {"ours": [], "gensim": []}
    seeds = [args.seed + i for i in range(args.repeats)]
    for seed in seeds:
        runs["ours"].append(ours(seed))
        if not args.skip_gensim:
            runs["gensim"].append(theirs(seed))
    model = runs["ours"][-1][1]
    record = {"benchmark": "sgns", "corpus": Path(args.corpus).name, "words": len(vocabulary),
              "epochs": args.epochs, "seeds": seeds, "engine": model.resolved_engine, "threads": args.threads,
              "config": {k: getattr(model, k) for k in ("batch_size", "group_size", "shared_negatives",
                                                        "max_row_steps", "shuffle")},
              "ours_loss": [round(x, 4) for x in model.loss_history],
              "ours_epoch_seconds": [round(x, 2) for x in model.epoch_seconds]}
    for name, results in runs.items():
        if not results:
            continue
        record[f"{name}_seconds_runs"] = [round(seconds, 2) for seconds, _, _ in results]
        record[f"{name}_seconds"] = round(statistics.median(seconds for seconds, _, _ in results), 2)
        run_scores = [scores(kv) for _, _, kv in results]
        record[name] = {k: round(statistics.median(s[k] for s in run_scores), 4) for k in run_scores[0]}
        record[f"{name}_scores_runs"] = run_scores
    if runs["gensim"]:
        record["ratio_ours_over_gensim"] = round(record["ours_seconds"] / record["gensim_seconds"], 3)
        record["delta_ours_minus_gensim"] = {k: round(record["ours"][k] - record["gensim"][k], 4)
                                             for k in record["ours"]}
    print(json.dumps(record), flush=True)


if __name__ == "__main__":
    main()
