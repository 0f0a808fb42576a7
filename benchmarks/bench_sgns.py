"""Our SGNS (JAX) against gensim's Word2Vec (sg=1, workers=2) on political.txt, in one run.

Same Corpus, same Vocabulary (min_count 5), vector_size 100, window 5, negative 5, epochs 5.
Prints one JSON line: seconds for each (training only, vocabulary and encoding excluded for both;
our seconds include pair generation), the ratio ours/gensim, wordsim353 / simlex999 Spearman and
questions-words analogy accuracy (restrict_vocab=30000) for each.

    flock /tmp/bench.lock .venv/bin/python benchmarks/bench_sgns.py [--seed 1] [--epochs 5]
"""
from __future__ import annotations

import argparse
import json
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
    args = parser.parse_args()
    if not Path(args.corpus).is_file():
        sys.exit(f"benchmark data not found: {args.corpus}")

    import logging

    from baselines.sgns import SkipGramNS
    from baselines.word2vec import train_word2vec
    from glove_gensim.corpus import Corpus
    from glove_gensim.vocab import Vocabulary

    logging.basicConfig(level=logging.WARNING)
    params = dict(vector_size=100, window=5, negative=5, epochs=args.epochs, seed=args.seed)
    ours_extra = {name: getattr(args, name) for name in ("batch_size", "group_size", "shared_negatives",
                                                         "max_row_steps") if getattr(args, name) is not None}
    corpus = Corpus(args.corpus)
    vocabulary = Vocabulary.build(corpus, min_count=5)

    model = SkipGramNS(**params, **ours_extra, shuffle=args.shuffle)
    model.build_vocab(corpus, vocabulary=vocabulary)
    start = time.perf_counter()
    model.train()
    ours_seconds = time.perf_counter() - start
    record = {"benchmark": "sgns", "corpus": Path(args.corpus).name, "words": len(vocabulary),
              "epochs": args.epochs, "seed": args.seed,
              "config": {k: getattr(model, k) for k in ("batch_size", "group_size", "shared_negatives",
                                                        "max_row_steps", "shuffle")},
              "ours_seconds": round(ours_seconds, 2), "ours_loss": [round(x, 4) for x in model.loss_history]}
    record["ours"] = scores(model.wv)
    if not args.skip_gensim:
        start = time.perf_counter()
        w2v, _ = train_word2vec(corpus, vocabulary, workers=2, **params)
        gensim_seconds = time.perf_counter() - start
        record["gensim_seconds"] = round(gensim_seconds, 2)
        record["ratio_ours_over_gensim"] = round(ours_seconds / gensim_seconds, 3)
        record["gensim"] = scores(w2v.wv)
        record["delta_ours_minus_gensim"] = {k: round(record["ours"][k] - record["gensim"][k], 4)
                                             for k in record["ours"]}
    print(json.dumps(record), flush=True)


if __name__ == "__main__":
    main()
