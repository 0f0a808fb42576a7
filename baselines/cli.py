"""``glove-gensim baseline``: train the SGNS baseline (ours in JAX, or gensim's Word2Vec)."""
from __future__ import annotations

import argparse
import logging
from pathlib import Path

logger = logging.getLogger("glove_gensim")


def register(subparsers, parents) -> argparse.ArgumentParser:
    """Add the ``baseline`` sub-command to ``subparsers`` (``parents``: common, corpus and
    vocabulary flag parsers of :mod:`glove_gensim.cli`)."""
    p = subparsers.add_parser(
        "baseline", parents=list(parents), help="train skip-gram negative sampling -> DIR/vectors.txt",
        description="Train word2vec's skip-gram with negative sampling on CORPUS: ours in JAX "
                    "(--engine jax, default) or gensim's Word2Vec (--engine gensim) on the same "
                    "documents and vocabulary. Writes DIR/vectors.txt (word2vec text with header) and "
                    "the model (DIR/model.npz for jax, SkipGramNS.load continues training; "
                    "DIR/word2vec.model for gensim).")
    p.add_argument("--out", required=True, metavar="DIR", help="output folder (created if missing)")
    p.add_argument("--engine", choices=("jax", "gensim"), default="jax",
                   help="jax: baselines.sgns.SkipGramNS (default); gensim: gensim's Word2Vec(sg=1)")
    group = p.add_argument_group("skip-gram training")
    group.add_argument("--vector-size", type=int, default=100, metavar="N", help="vector dimension (default 100)")
    group.add_argument("--window", type=int, default=5, metavar="N",
                       help="largest context distance; each word draws its own in 1..N (default 5)")
    group.add_argument("--negative", type=int, default=5, metavar="K", help="negatives per pair (default 5)")
    group.add_argument("--ns-exponent", type=float, default=0.75, metavar="X",
                       help="negatives drawn from count^X (default 0.75)")
    group.add_argument("--sample", type=float, default=1e-3, metavar="T",
                       help="frequent-word subsampling threshold, 0 for none (default 1e-3)")
    group.add_argument("--alpha", type=float, default=0.025, help="initial learning rate (default 0.025)")
    group.add_argument("--min-alpha", type=float, default=0.0001, help="final learning rate (default 0.0001)")
    group.add_argument("--epochs", type=int, default=5, help="passes over the corpus (default 5)")
    group.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    group.add_argument("--batch-size", type=int, default=1024, metavar="N", help="jax: pairs per update (default 1024)")
    group.add_argument("--group-size", type=int, default=64, metavar="N",
                       help="jax: pairs sharing one draw of negatives (default 64)")
    group.add_argument("--shared-negatives", type=int, default=16, metavar="N",
                       help="jax: negatives drawn per group (default 16)")
    group.add_argument("--max-row-steps", type=float, default=None, metavar="K",
                       help="jax: bound on a row's summed steps in a batch, 0 for none (default: the model's)")
    group.add_argument("--shuffle", action="store_true",
                       help="jax: shuffle each epoch's pairs (default: corpus order, as word2vec)")
    group.add_argument("--export", choices=("input", "input+output", "output", "concat"), default="input",
                       help="jax: vectors written (default input, as word2vec)")
    group.add_argument("--workers", type=int, default=2, help="gensim: worker threads (default 2)")
    from glove_gensim.cli import _add_checkpoint_flags

    _add_checkpoint_flags(p)
    p.set_defaults(handler=run)
    return p


def run(args) -> None:
    """Handler of ``glove-gensim baseline``."""
    from glove_gensim.cli import open_corpus, train_resumable
    from glove_gensim.io import save_word2vec_text

    out = Path(args.out)
    corpus = open_corpus(args)
    common = dict(vector_size=args.vector_size, window=args.window, negative=args.negative,
                  ns_exponent=args.ns_exponent, sample=args.sample, alpha=args.alpha,
                  min_alpha=args.min_alpha, epochs=args.epochs, seed=args.seed)
    if args.engine == "jax":
        from baselines.sgns import SkipGramNS

        extra = {} if args.max_row_steps is None else {"max_row_steps": args.max_row_steps}
        model = SkipGramNS(min_count=args.min_count, max_vocab_size=args.max_vocab_size,
                           max_final_vocab=args.max_final_vocab, batch_size=args.batch_size,
                           group_size=args.group_size, shared_negatives=args.shared_negatives, shuffle=args.shuffle,
                           export=args.export, progress=not args.quiet, checkpoint_dir=args.checkpoint_dir,
                           checkpoint_every=args.checkpoint_every, on_divergence=args.on_divergence,
                           engine="jax", **extra, **common)
        model.build_vocab(corpus)
        train_resumable(model, args)
        out.mkdir(parents=True, exist_ok=True)
        kv, model_path = model.wv, out / "model.npz"
        model.save(model_path)
    else:
        from baselines.word2vec import train_word2vec
        from glove_gensim.vocab import Vocabulary

        vocabulary = Vocabulary.build(corpus, min_count=args.min_count, max_vocab_size=args.max_vocab_size,
                                      max_final_vocab=args.max_final_vocab, progress=not args.quiet)
        model, _ = train_word2vec(corpus, vocabulary, workers=args.workers, **common)
        out.mkdir(parents=True, exist_ok=True)
        kv, model_path = model.wv, out / "word2vec.model"
        model.save(str(model_path))
    save_word2vec_text(kv, out / "vectors.txt")
    logger.info("wrote %s and %s (%d words)", out / "vectors.txt", model_path, len(kv))
