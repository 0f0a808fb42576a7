"""``glove-gensim train``: count co-occurrences and train GloVe; the training helpers that
``baseline`` shares (resuming, writing the vectors)."""
from __future__ import annotations

import argparse
import logging
from pathlib import Path

from glove_gensim.cli.options import (
    GLOVE,
    Flags,
    add_checkpoint_flags,
    add_common_flags,
    add_cooccurrence_flags,
    add_corpus_flags,
    corpus_options,
    add_engine_flags,
    add_vocabulary_flags,
    input_file,
    int_at_least,
    library_kwargs,
    output_file,
    output_folder,
    positive_float,
)

logger = logging.getLogger(__name__)


def add_training_flags(flags: Flags, target: str, title: str) -> argparse._ArgumentGroup:
    """--vector-size, --epochs and --seed, bound to ``target``; returns the group, for the model's
    own flags.

    Examples
    --------
    >>> flags = Flags(argparse.ArgumentParser())
    >>> group = add_training_flags(flags, GLOVE, "GloVe training")
    >>> flags.finish(handler=print, command="train")
    >>> library_kwargs(flags.parser.parse_args(["--epochs", "3"]), GLOVE)
    {'epochs': 3}
    """
    group = flags.parser.add_argument_group(title)
    flags.add(group, "--vector-size", type=int_at_least(1), metavar="N", bind=[target],
              help="vector dimension")
    flags.add(group, "--epochs", type=int_at_least(1), metavar="N", bind=[target],
              help="training passes")
    flags.add(group, "--seed", type=int_at_least(0), metavar="N", bind=[target], help="random seed")
    flags.add(group, "--init-vectors", type=input_file, metavar="FILE", bind=[target],
              help="start the words found in FILE (Stanford text/binary or word2vec vectors of dimension "
                   "--vector-size) from their pretrained vector")
    return group


def register(commands, formatter_class: type[argparse.HelpFormatter]) -> None:
    """Add ``train`` to the sub-command parsers ``commands``.

    Examples
    --------
    >>> parser = argparse.ArgumentParser()
    >>> register(parser.add_subparsers(), argparse.HelpFormatter)
    >>> library_kwargs(parser.parse_args(["train", "corpus.txt", "--out", "run", "--alpha", "0.5"]), GLOVE)
    {'alpha': 0.5}
    """
    parser = commands.add_parser(
        "train", formatter_class=formatter_class, help="train GloVe -> DIR/vectors.txt and DIR/model.npz",
        description="Count co-occurrences of CORPUS and train GloVe vectors. Writes DIR/vectors.txt "
                    "(word2vec text format with header, loadable by gensim's "
                    "KeyedVectors.load_word2vec_format) and DIR/model.npz (GloVe.load continues training).")
    add_common_flags(parser)
    flags = Flags(parser)
    add_corpus_flags(flags)
    add_vocabulary_flags(flags, GLOVE)
    add_cooccurrence_flags(flags, GLOVE)
    group = add_training_flags(flags, GLOVE, "GloVe training")
    flags.add(group, "--batch-size", type=int_at_least(1), metavar="N", bind=[GLOVE],
              help="entries per update (default: automatic, up to 65536)")
    flags.add(group, "--x-max", type=positive_float(), metavar="X", bind=[GLOVE],
              help="weighting cutoff: f(x) = min(1, (x/x_max)^alpha)")
    flags.add(group, "--alpha", type=positive_float(), metavar="A", bind=[GLOVE],
              help="weighting exponent of f(x)")
    flags.add(group, "--learning-rate", type=positive_float(), metavar="ETA", bind=[GLOVE],
              help="(default: 0.05 for adagrad and adagrad-glove, 1e-3 for the optax optimizers)")
    flags.add(group, "--optimizer", choices=("adagrad", "adagrad-glove", "adam", "sgd", "adagrad-optax"),
              bind=[GLOVE], help="adagrad: synchronous batched AdaGrad with glove.c's scaling; "
                                 "adagrad-glove: glove.c's exact rule (small batches only); adam: the "
                                 "seed article's Adam")
    flags.add(group, "--export", choices=("sum", "word", "context", "concat"), bind=[GLOVE],
              help="vectors written: W + W~ (sum), W, W~ or [W, W~]")
    flags.add(group, "--mittens", type=positive_float(allow_zero=True), metavar="MU", bind=[GLOVE],
              help="Mittens: add MU * ||w + w~ - r||^2 over the words of --init-vectors to the cost (0: plain GloVe)")
    add_engine_flags(flags, group, GLOVE, ("auto", "jax", "cpu"))
    parser.add_argument("--out", required=True, type=output_folder, metavar="DIR",
                        help="output folder (created if missing)")
    parser.add_argument("--probe", action="append", default=[], metavar="WORD",
                        help="log this word's nearest neighbours after every epoch (repeatable)")
    flags.add(parser, "--cooc-cache", type=output_file, metavar="FILE", bind=[GLOVE],
              parameter="cooccurrence_cache",
              help="reuse co-occurrence counts saved here by an earlier run on the same corpus and "
                   "settings (saved here after counting otherwise)")
    add_checkpoint_flags(flags, GLOVE)
    flags.finish(_run_train, "train")


def check_resume(args: argparse.Namespace) -> None:
    """``--resume`` needs ``--checkpoint-dir``.

    Examples
    --------
    >>> check_resume(argparse.Namespace(resume=False))
    >>> check_resume(argparse.Namespace(resume=True))
    Traceback (most recent call last):
    ...
    ValueError: --resume needs --checkpoint-dir DIR
    """
    if args.resume and "checkpoint_dir" not in args:
        raise ValueError("--resume needs --checkpoint-dir DIR")


def train_resumable(model, args: argparse.Namespace) -> None:
    """Restore the checkpoint when ``--resume`` is given, then train the remaining epochs.

    Examples
    --------
    >>> from gensim.test.utils import common_texts
    >>> from glove_gensim.model import GloVe
    >>> model = GloVe(vector_size=4, window=2, min_count=1, epochs=2).build_vocab(common_texts)
    >>> train_resumable(model, argparse.Namespace(resume=False))
    >>> model.epochs_trained
    2
    """
    if args.resume and not model.restore_checkpoint():
        logger.info("no checkpoint in %s yet: starting from epoch 0", args.checkpoint_dir)
    remaining = model.epochs - model.epochs_trained
    if remaining > 0:
        model.train(epochs=remaining)


def write_vectors(kv, model, args: argparse.Namespace, model_name: str) -> None:
    """Write ``DIR/vectors.txt`` (word2vec text) and the model as ``DIR/model_name``.

    Examples
    --------
    >>> import tempfile
    >>> import numpy as np
    >>> from gensim.models import KeyedVectors
    >>> kv = KeyedVectors(2)
    >>> kv.add_vectors(["a", "b"], np.eye(2, dtype=np.float32))
    >>> out = Path(tempfile.mkdtemp()) / "run"
    >>> write_vectors(kv, kv, argparse.Namespace(out=out), "kv.model")
    >>> sorted(path.name for path in out.iterdir())
    ['kv.model', 'vectors.txt']
    """
    from glove_gensim.io import save_word2vec_text

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    model.save(str(out / model_name))
    save_word2vec_text(kv, out / "vectors.txt")
    logger.info("wrote %s and %s (%d words)", out / "vectors.txt", out / model_name, len(kv))


def _run_train(args: argparse.Namespace) -> None:
    from glove_gensim.callbacks import NeighborsLogger
    from glove_gensim.model import GloVe

    check_resume(args)
    extra = {"callbacks": [NeighborsLogger(args.probe)]} if args.probe else {}
    model = GloVe(progress=not args.quiet, **library_kwargs(args, GLOVE), **corpus_options(args), **extra)
    model.build_vocab(corpus_file=args.corpus)
    train_resumable(model, args)
    write_vectors(model.wv, model, args, "model.npz")
    if model.loss_history:
        logger.info("final loss %.6f", model.loss_history[-1])
