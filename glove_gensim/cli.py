"""``glove-gensim`` command line: thin sub-commands that parse, call the library and report.

Heavy imports (JAX, gensim) happen inside the sub-commands that need them, so counting
co-occurrences starts in a fraction of a second.
"""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Sequence

logger = logging.getLogger("glove_gensim")


def _corpus_flags() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(add_help=False)
    group = parser.add_argument_group("corpus")
    group.add_argument("corpus", metavar="CORPUS", help="a text file or a directory of text files")
    group.add_argument("--tokenizer", choices=("regex", "whitespace", "treebank"), default="regex",
                       help="regex: lower-case words and numbers (default); whitespace: split only, "
                            "keep case (pre-tokenized text); treebank: NLTK's Treebank tokenizer")
    group.add_argument("--token-pattern", metavar="REGEX", default=None,
                       help="custom token regex for --tokenizer regex (default [a-z0-9]+(?:'[a-z]+)?)")
    group.add_argument("--line-is-document", action="store_true",
                       help="a line is a document (Stanford GloVe / word2vec convention); default: "
                            "a blank-line separated paragraph")
    group.add_argument("--errors", choices=("replace", "strict"), default="replace",
                       help="invalid UTF-8: replace and report (default) or stop with an error")
    return parser


def _vocab_flags() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(add_help=False)
    group = parser.add_argument_group("vocabulary")
    group.add_argument("--min-count", type=int, default=5, metavar="N",
                       help="drop words seen fewer than N times (default 5)")
    group.add_argument("--max-vocab-size", type=int, default=None, metavar="N",
                       help="prune the rarest words while counting to hold at most N types")
    group.add_argument("--max-final-vocab", type=int, default=None, metavar="N",
                       help="keep at most the N most frequent words")
    return parser


def _cooccur_flags(window: int) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(add_help=False)
    group = parser.add_argument_group("co-occurrence")
    group.add_argument("--window", type=int, default=window, metavar="N",
                       help=f"context words on each side (default {window})")
    group.add_argument("--asymmetric", action="store_true",
                       help="count left contexts only (Stanford's -symmetric 0)")
    group.add_argument("--no-distance-weighting", action="store_true",
                       help="a pair adds 1 instead of 1/distance")
    group.add_argument("--memory-limit", default="2GB", metavar="SIZE",
                       help="counting memory cap, e.g. 256MB or 2GB; above it counts spill to "
                            "temporary files (default 2GB)")
    return parser


def _backend_flags() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(add_help=False)
    group = parser.add_argument_group("distributed counting")
    group.add_argument("--backend", choices=("local", "dask"), default="local",
                       help="count in this process (default) or in Dask tasks over corpus "
                            "partitions (same result)")
    where = group.add_mutually_exclusive_group()
    where.add_argument("--workers", type=int, default=None, metavar="N",
                       help="--backend dask: start a local cluster of N worker processes "
                            "(default: CPU count)")
    where.add_argument("--scheduler", default=None, metavar="ADDRESS",
                       help="--backend dask: use the Dask cluster at ADDRESS (e.g. tcp://host:8786); "
                            "workers must see the corpus at the same path")
    return parser


def _common_flags() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bars, warnings only")
    return parser


def build_parser() -> argparse.ArgumentParser:
    """The ``glove-gensim`` argument parser with every sub-command."""
    parser = argparse.ArgumentParser(
        prog="glove-gensim",
        description="Train GloVe word vectors with JAX and use them as gensim KeyedVectors.",
        epilog="Run 'glove-gensim COMMAND --help' for the options of one command.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    common, corpus, vocab = _common_flags(), _corpus_flags(), _vocab_flags()

    p = commands.add_parser("vocab", parents=[common, corpus, vocab, _backend_flags()],
                            help="count words -> vocab.txt",
                            description="Count the words of CORPUS and write Stanford's vocab.txt "
                                        "('word count' per line, most frequent first).")
    p.add_argument("--out", required=True, metavar="FILE",
                   help="output vocabulary (.txt: Stanford layout; .npz: ours)")
    p.set_defaults(handler=_run_vocab)

    p = commands.add_parser("cooccur", parents=[common, corpus, vocab, _cooccur_flags(10), _backend_flags()],
                            help="count co-occurrences -> .npz or Stanford .bin",
                            description="Count weighted word-word co-occurrences of CORPUS.")
    p.add_argument("--vocab", metavar="FILE", default=None,
                   help="use this vocabulary (Stanford vocab.txt or ours) and keep its order; "
                        "otherwise it is counted from CORPUS with --min-count")
    p.add_argument("--out", required=True, metavar="FILE",
                   help="output: FILE.bin in Stanford's cooccurrence.bin layout (1-based ids in "
                        "vocabulary order), anything else as our .npz")
    p.set_defaults(handler=_run_cooccur)

    p = commands.add_parser("train", parents=[common, corpus, vocab, _cooccur_flags(10), _glove_flags()],
                            help="train GloVe -> DIR/vectors.txt and DIR/model.npz",
                            description="Count co-occurrences of CORPUS and train GloVe vectors with JAX. "
                                        "Writes DIR/vectors.txt (word2vec text format with header, "
                                        "loadable by gensim's KeyedVectors.load_word2vec_format) and "
                                        "DIR/model.npz (GloVe.load continues training).")
    p.add_argument("--out", required=True, metavar="DIR", help="output folder (created if missing)")
    p.add_argument("--probe", action="append", default=[], metavar="WORD",
                   help="log this word's nearest neighbours after every epoch (repeatable)")
    p.add_argument("--cooc-cache", metavar="FILE", default=None,
                   help="reuse co-occurrence counts saved here by an earlier run on the same corpus "
                        "and settings (saved here after counting otherwise)")
    _add_checkpoint_flags(p)
    p.set_defaults(handler=_run_train)

    p = commands.add_parser("neighbors", parents=[common], help="nearest neighbours from a vectors file",
                            description="Print the nearest neighbours of WORD in VECTORS (word2vec "
                                        "text with header, Stanford text without, or .bin).")
    p.add_argument("vectors", metavar="VECTORS")
    p.add_argument("word", metavar="WORD")
    p.add_argument("-k", type=int, default=10, help="number of neighbours (default 10)")
    p.set_defaults(handler=_run_neighbors)

    p = commands.add_parser("evaluate", parents=[common, _evaluation_flags()],
                            help="score vector files on similarity and analogy sets",
                            description="Score each VECTORS file (word2vec text, Stanford text or .bin) "
                                        "on word-similarity sets (Spearman, coverage) and analogies.")
    p.add_argument("vectors", nargs="+", metavar="VECTORS")
    p.add_argument("--out", metavar="DIR", default=None,
                   help="also write report.html / report.md / report.json comparing the files")
    p.set_defaults(handler=_run_evaluate)

    p = commands.add_parser("compare", parents=[common, corpus, vocab, _evaluation_flags()],
                            help="train GloVe and SGNS on one corpus and write a comparison report",
                            description="Train GloVe, the SGNS baseline and gensim's Word2Vec (leave it "
                                        "out with --no-with-gensim) on the same corpus and vocabulary, "
                                        "evaluate them and write DIR/report.html, report.md and report.json.")
    p.add_argument("--out", required=True, metavar="DIR", help="output folder")
    p.add_argument("--with-gensim", action=argparse.BooleanOptionalAction, default=True,
                   help="also train gensim's Word2Vec (sg=1) as the reference peer (default: yes)")
    p.add_argument("--vector-size", type=int, default=100, metavar="N")
    p.add_argument("--glove-window", type=int, default=10, metavar="N")
    p.add_argument("--glove-epochs", type=int, default=25, metavar="N")
    p.add_argument("--x-max", type=float, default=100.0, metavar="X")
    p.add_argument("--sgns-window", type=int, default=5, metavar="N")
    p.add_argument("--sgns-epochs", type=int, default=5, metavar="N")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--probe", action="append", default=[], metavar="WORD",
                   help="also show this word's neighbours (repeatable)")
    p.add_argument("--template", choices=("light", "dark"), default="light")
    p.set_defaults(handler=_run_compare)
    from baselines.cli import register as register_baseline  # baselines.cli reuses this module's flags

    register_baseline(commands, [common, corpus, vocab])
    return parser


def _add_checkpoint_flags(parser: argparse.ArgumentParser) -> None:
    """--checkpoint-dir / --checkpoint-every / --resume, shared by ``train`` and ``baseline``."""
    group = parser.add_argument_group("checkpoints")
    group.add_argument("--checkpoint-dir", metavar="DIR", default=None,
                       help="write a checkpoint here after every --checkpoint-every epochs")
    group.add_argument("--checkpoint-every", type=int, default=1, metavar="N")
    group.add_argument("--resume", action="store_true",
                       help="continue from the checkpoint in --checkpoint-dir (refused if it was made "
                            "with other data or settings)")
    group.add_argument("--on-divergence", choices=("raise", "restart"), default="raise",
                       help="on a NaN loss: stop (default) or restart from the last checkpoint with "
                            "half the learning rate")


def train_resumable(model, args) -> None:
    """Restore the checkpoint when ``--resume`` is given, then train the remaining epochs."""
    if args.resume:
        if not args.checkpoint_dir:
            raise ValueError("--resume needs --checkpoint-dir DIR")
        if not model.restore_checkpoint():
            logger.info("no checkpoint in %s yet: starting from epoch 0", args.checkpoint_dir)
    remaining = model.epochs - model.epochs_trained
    if remaining > 0:
        model.train(epochs=remaining)


def _evaluation_flags() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(add_help=False)
    group = parser.add_argument_group("evaluation")
    group.add_argument("--similarity", action="append", default=None, metavar="FILE",
                       help="word-similarity set (repeatable; default: gensim's wordsim353 and simlex999)")
    group.add_argument("--analogies", metavar="FILE", default=None,
                       help="analogy questions (default: gensim's questions-words.txt)")
    return parser


def _glove_flags() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(add_help=False)
    group = parser.add_argument_group("GloVe training")
    group.add_argument("--vector-size", type=int, default=100, metavar="N", help="vector dimension (default 100)")
    group.add_argument("--x-max", type=float, default=100.0, metavar="X",
                       help="weighting cutoff: f(x) = min(1, (x/x_max)^alpha) (default 100)")
    group.add_argument("--alpha", type=float, default=0.75, help="weighting exponent (default 0.75)")
    group.add_argument("--learning-rate", type=float, default=None, metavar="ETA",
                       help="default 0.05 for adagrad, 1e-3 for optax optimizers")
    group.add_argument("--optimizer", default="adagrad",
                       choices=("adagrad", "adagrad-glove", "adam", "sgd", "adagrad-optax"),
                       help="adagrad: synchronous batched AdaGrad with glove.c's scaling (default); "
                            "adagrad-glove: glove.c's exact rule (small batches only); adam: the seed "
                            "article's Adam")
    group.add_argument("--batch-size", type=int, default=None, metavar="N",
                       help="entries per update (default: automatic, up to 65536)")
    group.add_argument("--epochs", type=int, default=25, help="passes over the co-occurrences (default 25)")
    group.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    group.add_argument("--export", choices=("sum", "word", "context", "concat"), default="sum",
                       help="vectors written: W + W~ (default), W, W~ or [W, W~]")
    return parser


def _configure_logging(quiet: bool) -> None:
    logging.basicConfig(format="%(asctime)s : %(levelname)s : %(message)s",
                        level=logging.WARNING if quiet else logging.INFO, stream=sys.stderr)


def open_corpus(args):
    """The :class:`~glove_gensim.corpus.Corpus` named by the shared corpus flags."""
    from glove_gensim.corpus import Corpus

    return Corpus(args.corpus, tokenizer=args.tokenizer, token_pattern=args.token_pattern,
                  line_is_document=args.line_is_document, errors=args.errors)


def _build_vocabulary(args, corpus, client=None):
    from glove_gensim.vocab import Vocabulary

    if getattr(args, "vocab", None):
        return Vocabulary.load(args.vocab)
    return Vocabulary.build(corpus, min_count=args.min_count, max_vocab_size=args.max_vocab_size,
                            max_final_vocab=args.max_final_vocab, progress=not args.quiet,
                            **_backend_options(args, client))


def _count(args, corpus, vocabulary, client=None):
    from glove_gensim.cooccur import count_cooccurrences

    return count_cooccurrences(corpus, vocabulary, window=args.window, symmetric=not args.asymmetric,
                               distance_weighting=not args.no_distance_weighting,
                               memory_limit=args.memory_limit, progress=not args.quiet,
                               **_backend_options(args, client))


def _backend_options(args, client) -> dict:
    if getattr(args, "backend", "local") == "local":
        return {}
    return {"backend": args.backend, "client": client, "workers": args.workers}


def _dask_client(args):
    """A Dask client for ``--backend dask`` (one cluster for both passes), else a null context."""
    import contextlib

    if getattr(args, "backend", "local") != "dask":
        if getattr(args, "workers", None) is not None or getattr(args, "scheduler", None):
            raise ValueError("--workers and --scheduler need --backend dask")
        return contextlib.nullcontext()
    from glove_gensim.distributed import dask_client

    return dask_client(workers=args.workers, scheduler=args.scheduler)


def _run_vocab(args) -> None:
    corpus = open_corpus(args)
    with _dask_client(args) as client:
        vocabulary = _build_vocabulary(args, corpus, client)
    vocabulary.save(args.out)
    logger.info("wrote %d words to %s", len(vocabulary), args.out)


def _run_cooccur(args) -> None:
    corpus = open_corpus(args)
    with _dask_client(args) as client:
        if client is None and not (args.vocab or args.max_vocab_size):
            from glove_gensim.cooccur import count_corpus  # one reading for the vocabulary and the counts

            cooccurrence = count_corpus(corpus, min_count=args.min_count, max_final_vocab=args.max_final_vocab,
                                        window=args.window, symmetric=not args.asymmetric,
                                        distance_weighting=not args.no_distance_weighting,
                                        memory_limit=args.memory_limit, progress=not args.quiet)
        else:
            cooccurrence = _count(args, corpus, _build_vocabulary(args, corpus, client), client)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    cooccurrence.save(args.out)
    logger.info("wrote %d co-occurrences to %s", cooccurrence.nnz, args.out)


def _run_train(args) -> None:
    from glove_gensim.callbacks import NeighborsLogger
    from glove_gensim.io import save_word2vec_text
    from glove_gensim.model import GloVe

    model = GloVe(vector_size=args.vector_size, window=args.window, min_count=args.min_count,
                  max_vocab_size=args.max_vocab_size, max_final_vocab=args.max_final_vocab,
                  x_max=args.x_max, alpha=args.alpha, learning_rate=args.learning_rate,
                  optimizer=args.optimizer, batch_size=args.batch_size, epochs=args.epochs,
                  symmetric=not args.asymmetric, distance_weighting=not args.no_distance_weighting,
                  seed=args.seed, memory_limit=args.memory_limit, export=args.export,
                  callbacks=[NeighborsLogger(args.probe)] if args.probe else (),
                  tokenizer=args.tokenizer, token_pattern=args.token_pattern,
                  line_is_document=args.line_is_document, errors=args.errors, progress=not args.quiet,
                  cooccurrence_cache=args.cooc_cache, checkpoint_dir=args.checkpoint_dir,
                  checkpoint_every=args.checkpoint_every, on_divergence=args.on_divergence)
    model.build_vocab(corpus_file=args.corpus)
    train_resumable(model, args)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    save_word2vec_text(model.wv, out / "vectors.txt")
    model.save(out / "model.npz")
    logger.info("wrote %s and %s (%d words, final loss %.6f)", out / "vectors.txt", out / "model.npz",
                len(model.vocabulary), model.get_latest_training_loss())


def _run_neighbors(args) -> None:
    from glove_gensim.io import load_glove

    kv = load_glove(args.vectors)
    if args.word not in kv.key_to_index:
        raise ValueError(f"{args.word!r} is not in {args.vectors} ({len(kv)} words)")
    for neighbor, similarity in kv.most_similar(args.word, topn=args.k):
        print(f"{neighbor}\t{similarity:.4f}")


def _write_report(models: dict, losses: dict, args) -> None:
    from evaluation import compare, summary_table

    report = compare(models, losses=losses, out_dir=args.out, similarity_sets=args.similarity,
                     analogy_file=args.analogies, probes=getattr(args, "probe", None) or None,
                     template=getattr(args, "template", "light"))
    print(summary_table(report))
    print(f"report: {Path(args.out).resolve() / 'report.html'}")


def _run_evaluate(args) -> None:
    from glove_gensim.io import load_glove

    models = {}
    for path in args.vectors:
        name = Path(path).stem if Path(path).stem not in models else str(path)
        models[name] = load_glove(path)
    if args.out:
        _write_report(models, {}, args)
        return
    from evaluation import evaluate_analogies, evaluate_similarity

    for name, kv in models.items():
        for dataset in args.similarity or ("wordsim353", "simlex999"):
            result = evaluate_similarity(kv, dataset)
            print(f"{name}\t{result.dataset}\tspearman {result.spearman:.4f}\tcoverage {result.coverage:.1%}")
        result = evaluate_analogies(kv, args.analogies or "questions-words")
        print(f"{name}\tanalogies\taccuracy {result.accuracy:.4f}\tcoverage {result.coverage:.1%}")


def _run_compare(args) -> None:
    from baselines.sgns import SkipGramNS
    from glove_gensim.model import GloVe

    corpus = open_corpus(args)
    glove = GloVe(vector_size=args.vector_size, window=args.glove_window, min_count=args.min_count,
                  max_vocab_size=args.max_vocab_size, max_final_vocab=args.max_final_vocab,
                  x_max=args.x_max, epochs=args.glove_epochs, seed=args.seed, progress=not args.quiet)
    glove.train(corpus)
    sgns = SkipGramNS(vocabulary=glove.vocabulary, vector_size=args.vector_size, window=args.sgns_window,
                      epochs=args.sgns_epochs, seed=args.seed, progress=not args.quiet)
    sgns.train(corpus)
    models = {"GloVe": glove.wv, "SGNS": sgns.wv}
    losses = {"GloVe": glove.loss_history, "SGNS": sgns.loss_history}
    if args.with_gensim:
        from baselines.word2vec import train_word2vec

        word2vec, word2vec_losses = train_word2vec(corpus, glove.vocabulary, vector_size=args.vector_size,
                                                   window=args.sgns_window, epochs=args.sgns_epochs,
                                                   seed=args.seed)
        models["Word2Vec (gensim)"] = word2vec.wv
        losses["Word2Vec (gensim)"] = word2vec_losses
    _write_report(models, losses, args)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``glove-gensim`` console script."""
    args = build_parser().parse_args(argv)
    _configure_logging(args.quiet)
    try:
        args.handler(args)
    except (ValueError, FileNotFoundError, TypeError, OSError, FloatingPointError, MemoryError) as exc:
        logger.error("%s", exc)
        print(f"glove-gensim {args.command}: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
