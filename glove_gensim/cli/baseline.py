"""``glove-gensim baseline``: train the skip-gram negative-sampling baseline, ours
(:class:`baselines.sgns.SkipGramNS`) or gensim's ``Word2Vec`` (``--engine gensim``)."""
from __future__ import annotations

import argparse
import logging

from glove_gensim.cli.options import (
    CORPUS,
    SGNS,
    VOCABULARY,
    Flags,
    add_checkpoint_flags,
    add_common_flags,
    add_corpus_flags,
    corpus_options,
    add_engine_flags,
    add_vocabulary_flags,
    finite_float,
    given_flags,
    int_at_least,
    library_kwargs,
    open_corpus,
    output_folder,
    positive_float,
)
from glove_gensim.cli import continued
from glove_gensim.cli.train import (
    add_training_flags,
    check_not_diverging,
    check_training_outputs,
    train_resumable,
    write_vectors,
)

logger = logging.getLogger(__name__)


def add_sgns_flags(flags: Flags, group) -> None:
    """The skip-gram flags that gensim's Word2Vec shares, bound to ``SkipGramNS``.

    Examples
    --------
    >>> flags = Flags(argparse.ArgumentParser())
    >>> add_sgns_flags(flags, flags.parser)
    >>> flags.finish(handler=print, command="baseline")
    >>> library_kwargs(flags.parser.parse_args(["--learning-rate", "0.05", "--negative", "10"]), SGNS)
    {'negative': 10, 'alpha': 0.05}
    """
    flags.add(group, "--negative", type=int_at_least(1), metavar="K", bind=[SGNS], help="negatives per pair")
    flags.add(group, "--ns-exponent", type=finite_float, metavar="X", bind=[SGNS],
              help="negatives drawn from count^X")
    flags.add(group, "--sample", type=positive_float(allow_zero=True), metavar="T", bind=[SGNS],
              help="frequent-word subsampling threshold, 0 for none")
    flags.add(group, "--learning-rate", type=positive_float(), metavar="ETA", bind=[SGNS], parameter="alpha",
              help="initial learning rate, decaying linearly to --min-learning-rate")
    flags.add(group, "--min-learning-rate", type=positive_float(), metavar="ETA", bind=[SGNS],
              parameter="min_alpha", help="final learning rate")


def register(commands, formatter_class: type[argparse.HelpFormatter]) -> None:
    """Add ``baseline`` to the sub-command parsers ``commands``.

    Examples
    --------
    >>> parser = argparse.ArgumentParser()
    >>> register(parser.add_subparsers(), argparse.HelpFormatter)
    >>> parser.parse_args(["baseline", "corpus.txt", "--out", "run", "--engine", "gensim"]).engine
    'gensim'
    """
    parser = commands.add_parser(
        "baseline", formatter_class=formatter_class,
        help="train skip-gram negative sampling -> DIR/vectors.txt",
        description="Train word2vec's skip-gram with negative sampling on CORPUS: ours "
                    "(baselines.sgns.SkipGramNS; --engine auto, jax or cpu) or gensim's Word2Vec(sg=1) "
                    "(--engine gensim) on the same documents and vocabulary. Writes DIR/vectors.txt "
                    "(word2vec text with header) and the model (DIR/model.npz, SkipGramNS.load "
                    "continues training; DIR/word2vec.model for gensim).")
    add_common_flags(parser)
    flags = Flags(parser)
    add_corpus_flags(flags)
    add_vocabulary_flags(flags, SGNS, VOCABULARY)
    group = add_training_flags(flags, SGNS, "skip-gram training")
    flags.add(group, "--window", type=int_at_least(1), metavar="N", bind=[SGNS],
              help="largest context distance; each word draws its own in 1..N")
    add_sgns_flags(flags, group)
    add_engine_flags(flags, group, SGNS, ("auto", "jax", "cpu", "gensim"),
                     more="; gensim: gensim's Word2Vec(sg=1) with --threads worker threads")
    ours = parser.add_argument_group("SkipGramNS only (not --engine gensim)")
    flags.add(ours, "--batch-size", type=int_at_least(1), metavar="N", bind=[SGNS], help="pairs per update")
    flags.add(ours, "--group-size", type=int_at_least(1), metavar="N", bind=[SGNS],
              help="pairs sharing one draw of negatives")
    flags.add(ours, "--shared-negatives", type=int_at_least(1), metavar="N", bind=[SGNS],
              help="negatives drawn per group")
    flags.add(ours, "--max-row-steps", type=positive_float(allow_zero=True), metavar="K", bind=[SGNS],
              help="bound on a row's summed steps in a batch, 0 for none")
    flags.add(ours, "--shuffle", action="store_true", bind=[SGNS],
              help="shuffle each epoch's pairs (otherwise corpus order, as word2vec)")
    flags.add(ours, "--export", choices=("input", "input+output", "output", "concat"), bind=[SGNS],
              help="vectors written (input, as word2vec)")
    add_checkpoint_flags(flags, SGNS)
    continued.add_from_model_flag(parser)
    parser.add_argument("--out", required=True, type=output_folder, metavar="DIR",
                        help="output folder (created if missing)")
    flags.finish(_run_baseline, "baseline")


def _run_baseline(args: argparse.Namespace) -> None:
    gensim = "engine" in args and args.engine == "gensim"
    if gensim and args.from_model is not None:
        raise ValueError("--from-model continues our SkipGramNS model; it does not go with --engine gensim")
    continued.check_from_model_arguments(args, SGNS)
    check_training_outputs(args, "word2vec.model" if gensim else "model.npz")
    if gensim:
        _run_gensim(args)
        return
    from baselines.sgns import SkipGramNS

    if args.from_model is not None:
        model, epochs = continued.load_for_update(SkipGramNS, args, SGNS, progress=not args.quiet)
        check_not_diverging(continued.continue_on_corpus(model, args, epochs))
        write_vectors(model.wv, model, args.out, "model.npz")
        return
    model = SkipGramNS(progress=not args.quiet, **library_kwargs(args, SGNS), **corpus_options(args))
    model.build_vocab(corpus_file=args.corpus)
    train_resumable(model, args)
    write_vectors(model.wv, model, args.out, "model.npz")


def _run_gensim(args: argparse.Namespace) -> None:
    from baselines.word2vec import SHARED_PARAMETERS, train_word2vec
    from glove_gensim.vocab import Vocabulary

    used = {*SHARED_PARAMETERS, "workers"}
    reading = {"engine", *given_flags(args, CORPUS), *given_flags(args, VOCABULARY)}
    unused = [bound.flag for name, bound in given_flags(args, SGNS).items() if name not in used | reading]
    unused += ["--resume"] if args.resume else []
    if unused:
        raise ValueError(f"{', '.join(unused)}: SkipGramNS options that gensim's Word2Vec does not use; "
                         "leave them out, or train with --engine auto, jax or cpu")
    params = {name: value for name, value in library_kwargs(args, SGNS).items() if name in used}
    corpus = open_corpus(args)
    vocabulary = Vocabulary.build(corpus, progress=not args.quiet, **library_kwargs(args, VOCABULARY))
    model, _ = train_word2vec(corpus, vocabulary, **params)
    write_vectors(model.wv, model, args.out, "word2vec.model")
