"""``glove-gensim train``: count co-occurrences and train GloVe; the training helpers that
``baseline`` shares (resuming, writing the vectors)."""
from __future__ import annotations

import argparse
import logging
import math
from pathlib import Path

from glove_gensim.cli.counts_input import add_counts_flags, check_counts_arguments, load_counts
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
    given_flags,
    library_kwargs,
    output_file,
    output_folder,
    positive_float,
)
from glove_gensim.cli.bounds import check_table_memory, check_window
from glove_gensim.cli.outputs import check_output_file, check_output_folder, staged_folder
from glove_gensim.cli import continued

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
              help="vector dimension (default: that of --init-vectors, else 100)")
    flags.add(group, "--epochs", type=int_at_least(1), metavar="N", bind=[target],
              help="training passes")
    flags.add(group, "--seed", type=int_at_least(0), metavar="N", bind=[target], help="random seed")
    flags.add(group, "--init-vectors", type=input_file, metavar="FILE", bind=[target],
              help="start the words found in FILE (Stanford text/binary or word2vec vectors; their "
                   "dimension must equal --vector-size when given) from their pretrained vector")
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
        "train", formatter_class=formatter_class,
        help="train GloVe (or continue one: --from-model) -> DIR/vectors.txt and DIR/model.npz",
        description="Count co-occurrences of CORPUS (or read counts made elsewhere: --cooccurrence "
                    "counts.npz, or Stanford's --cooccurrence cooccurrence.bin --vocab vocab.txt) "
                    "and train GloVe vectors. Writes DIR/vectors.txt "
                    "(word2vec text format with header, loadable by gensim's "
                    "KeyedVectors.load_word2vec_format) and DIR/model.npz (GloVe.load continues training; "
                    "--from-model DIR/model.npz continues it on a new CORPUS, adding its words).")
    add_common_flags(parser)
    flags = Flags(parser)
    add_corpus_flags(flags, optional=True)
    add_counts_flags(flags)
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
    flags.add(group, "--block-size", type=int_at_least(1), metavar="N", bind=[GLOVE],
              help="train block by block, at most N entries at a time (default: all at once, or "
                   "chosen to fit --memory-limit)")
    flags.add(group, "--out-of-core", action="store_true", bind=[GLOVE],
              help="with --block-size: keep the blocks on disk and read them one at a time "
                   "(chosen automatically when the entries do not fit --memory-limit)")
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
    continued.add_from_model_flag(parser)
    add_multiprocess_flags(parser)
    flags.finish(_run_train, "train")


def _coordinator(text: str) -> str:
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise argparse.ArgumentTypeError(f"expected HOST:PORT (e.g. 127.0.0.1:12355), not {text!r}")
    return text


def add_multiprocess_flags(parser: argparse.ArgumentParser) -> None:
    """--coordinator HOST:PORT, --num-processes N, --process-id I (``jax.distributed``).

    Examples
    --------
    >>> parser = argparse.ArgumentParser()
    >>> add_multiprocess_flags(parser)
    >>> args = parser.parse_args(["--coordinator", "127.0.0.1:12355", "--num-processes", "2", "--process-id", "1"])
    >>> args.coordinator, args.num_processes, args.process_id
    ('127.0.0.1:12355', 2, 1)
    """
    group = parser.add_argument_group(
        "multi-process training (jax.distributed; every process runs the same command with its own "
        "--process-id; process 0 writes the outputs)")
    group.add_argument("--coordinator", type=_coordinator, metavar="HOST:PORT", default=None,
                       help="address of process 0's coordinator (default: $JAX_COORDINATOR_ADDRESS)")
    group.add_argument("--num-processes", type=int_at_least(1), metavar="N", default=None,
                       help="processes in all (default: $JAX_NUM_PROCESSES, or the cluster's)")
    group.add_argument("--process-id", type=int_at_least(0), metavar="I", default=None,
                       help="this process, 0..N-1 (default: $JAX_PROCESS_ID, or the cluster's)")


def multiprocess_settings(args: argparse.Namespace, environ=None) -> dict | None:
    """The ``jax.distributed`` settings of the command (flags, else environment), or ``None`` for
    one process; refuses before any work a process id outside ``0..N-1``, the CPU engine, or
    checkpoints (each process would write them).

    Examples
    --------
    >>> args = argparse.Namespace(coordinator=None, num_processes=None, process_id=None, bound=())
    >>> multiprocess_settings(args, environ={}) is None
    True
    >>> multiprocess_settings(args, environ={"JAX_COORDINATOR_ADDRESS": "10.0.0.1:1234",
    ...                                      "JAX_NUM_PROCESSES": "2", "JAX_PROCESS_ID": "0"})
    {'coordinator': '10.0.0.1:1234', 'num_processes': 2, 'process_id': 0}
    """
    import os

    environ = os.environ if environ is None else environ
    settings = {"coordinator": args.coordinator or environ.get("JAX_COORDINATOR_ADDRESS"),
                "num_processes": args.num_processes, "process_id": args.process_id}
    for key, variable in (("num_processes", "JAX_NUM_PROCESSES"), ("process_id", "JAX_PROCESS_ID")):
        if settings[key] is None and environ.get(variable):
            settings[key] = int(environ[variable])
    if settings["coordinator"] is None and settings["num_processes"] in (None, 1):
        return None
    if None not in (settings["num_processes"], settings["process_id"]) and \
            settings["process_id"] >= settings["num_processes"]:
        raise ValueError(f"--process-id {settings['process_id']} must be below --num-processes "
                         f"{settings['num_processes']}")
    given = given_flags(args, GLOVE)
    if getattr(args, "engine", None) == "cpu":
        raise ValueError("--engine cpu runs in one process; multi-process training needs --engine jax")
    for parameter in ("checkpoint_dir", "block_size"):
        if parameter in given:
            raise ValueError(f"{given[parameter].flag} is not supported with multi-process training yet")
    return settings


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


def train_resumable(model, args: argparse.Namespace, zero_loss: float | None = None) -> None:
    """Restore the checkpoint when ``--resume`` is given (refusing a ``--learning-rate`` other than
    the checkpoint's), train the remaining epochs, and refuse a diverged run (see
    :func:`check_not_diverging`; ``zero_loss``: the loss of all-zero vectors, when known).

    Examples
    --------
    >>> from gensim.test.utils import common_texts
    >>> from glove_gensim.model import GloVe
    >>> model = GloVe(vector_size=4, window=2, min_count=1, epochs=2).build_vocab(common_texts)
    >>> train_resumable(model, argparse.Namespace(resume=False))
    >>> model.epochs_trained
    2
    """
    if args.resume:
        given = getattr(args, "learning_rate", None)
        if not model.restore_checkpoint():
            logger.info("no checkpoint in %s yet: starting from epoch 0", args.checkpoint_dir)
        elif given is not None and not math.isclose(model.learning_rate, given):
            raise ValueError(f"--learning-rate {given:g} differs from the rate {model.learning_rate:g} the "
                             f"checkpoint in {args.checkpoint_dir} trains at (a divergence restart halves "
                             "it); leave --learning-rate out to resume, or start in a new --checkpoint-dir")
    remaining = model.epochs - model.epochs_trained
    if remaining > 0:
        model.train(epochs=remaining)
    check_not_diverging(model.loss_history, zero_loss)


DIVERGED_RATIO = 100.0
"""A run whose last loss is this many times its first one's, or that of all-zero vectors, diverged."""


def check_not_diverging(losses, zero_loss: float | None = None) -> None:
    """Refuse (exit status 1, before anything is written) a run whose loss grew
    :data:`DIVERGED_RATIO`-fold, or ends that many times above ``zero_loss`` (the loss of vectors
    and biases all zero, which any trained model beats): its vectors are noise, though every number
    is finite (the model itself stops only at NaN or inf).

    Examples
    --------
    >>> check_not_diverging([0.2, 0.1, 0.05])
    >>> check_not_diverging([0.2, 5.0, 2.4e13])
    Traceback (most recent call last):
    ...
    FloatingPointError: training diverged: the loss grew from 0.2 (epoch 1) to 2.4e+13 (epoch 3); lower --learning-rate
    >>> check_not_diverging([4.6e14, 5.5e14], zero_loss=1.3)
    Traceback (most recent call last):
    ...
    FloatingPointError: training diverged: the final loss 5.5e+14 is 4.2e+14 times that of all-zero vectors (1.3); lower --learning-rate
    """
    if not losses:
        return
    if zero_loss and losses[-1] > DIVERGED_RATIO * zero_loss:
        raise FloatingPointError(f"training diverged: the final loss {losses[-1]:.3g} is "
                                 f"{losses[-1] / zero_loss:.2g} times that of all-zero vectors "
                                 f"({zero_loss:.3g}); lower --learning-rate")
    if len(losses) >= 2 and losses[0] > 0 and losses[-1] > DIVERGED_RATIO * losses[0]:
        raise FloatingPointError(f"training diverged: the loss grew from {losses[0]:.3g} (epoch 1) to "
                                 f"{losses[-1]:.3g} (epoch {len(losses)}); lower --learning-rate")


def glove_zero_vector_loss(model) -> float:
    """GloVe's loss (mean of ``0.5 f(X) log(X)^2``) for vectors and biases all zero.

    Examples
    --------
    >>> from gensim.test.utils import common_texts
    >>> from glove_gensim.model import GloVe
    >>> model = GloVe(vector_size=4, window=2, min_count=1, x_max=10).build_vocab(common_texts)
    >>> round(glove_zero_vector_loss(model), 4) > 0
    True
    """
    import numpy as np

    from glove_gensim.memory import chunk_slices, release_pages

    counts, total = model.cooccurrence.values, 0.0
    for part in chunk_slices(len(counts), 1 << 20):  # a slice at a time: no temporaries of the counts' size
        values = np.asarray(counts[part], dtype=np.float64)
        total += float(np.sum(0.5 * np.minimum(1.0, (values / model.x_max) ** model.alpha) * np.log(values) ** 2))
        release_pages(counts)
    return total / len(counts) if len(counts) else 0.0


def check_training_outputs(args: argparse.Namespace, model_name: str) -> None:
    """Before any work: ``--resume`` needs ``--checkpoint-dir``; ``--out``, ``--checkpoint-dir``
    and ``--cooc-cache`` may neither hurt the corpus nor replace files that are not ours
    (:mod:`glove_gensim.cli.outputs`); ``--window``, ``--vector-size`` and ``--batch-size`` must
    fit the corpus and the memory (:mod:`glove_gensim.cli.bounds`).

    Examples
    --------
    >>> check_training_outputs(argparse.Namespace(resume=True, corpus="c.txt", out="run"), "model.npz")
    Traceback (most recent call last):
    ...
    ValueError: --resume needs --checkpoint-dir DIR
    """
    check_resume(args)
    inputs = [path for path in (args.corpus, getattr(args, "cooccurrence", None), getattr(args, "vocab", None))
              if path is not None]
    check_output_folder(args.out, inputs, ["vectors.txt", model_name])
    if getattr(args, "checkpoint_dir", None):
        check_output_folder(args.checkpoint_dir, inputs, flag="--checkpoint-dir")
    if getattr(args, "cooc_cache", None):
        check_output_file(args.cooc_cache, inputs, flag="--cooc-cache")
    if args.corpus is not None:  # counts made elsewhere: nothing to check against a corpus
        check_window(args, "--window")
    check_table_memory(args)


def check_training_memory(args: argparse.Namespace) -> None:
    """Refuse, before any work, a ``--memory-limit`` below what ``train`` needs once its
    libraries and kernels are loaded (the measured baseline is in the message).

    Examples
    --------
    >>> check_training_memory(argparse.Namespace(memory_limit="1MB", corpus=None))
    Traceback (most recent call last):
    ...
    ValueError: --memory-limit=1 MB is below what this process needs: ...
    """
    from glove_gensim.cli.counting import check_memory_limit
    from glove_gensim.counting import parse_memory
    from glove_gensim.memory import work_budget
    from glove_gensim.model import GloVe  # noqa: F401  (its libraries are part of the baseline)

    if args.corpus is not None:
        check_memory_limit(args)
    elif getattr(args, "memory_limit", None) is not None:
        work_budget(parse_memory(args.memory_limit), "--memory-limit")


def write_vectors(kv, model, out: str | Path, model_name: str) -> None:
    """Write ``out/vectors.txt`` (word2vec text) and the model as ``out/model_name``, as a whole:
    into a temporary folder renamed to ``out`` at the end (see :func:`~glove_gensim.cli.outputs.staged_folder`).

    Examples
    --------
    >>> import tempfile
    >>> import numpy as np
    >>> from gensim.models import KeyedVectors
    >>> kv = KeyedVectors(2)
    >>> kv.add_vectors(["a", "b"], np.eye(2, dtype=np.float32))
    >>> out = Path(tempfile.mkdtemp()) / "run"
    >>> write_vectors(kv, kv, out, "kv.model")
    >>> sorted(path.name for path in out.iterdir())
    ['kv.model', 'vectors.txt']
    """
    from glove_gensim.io import save_word2vec_text

    out = Path(out)
    with staged_folder(out) as stage:
        model.save(str(stage / model_name))
        save_word2vec_text(kv, stage / "vectors.txt")
    logger.info("wrote %s and %s (%d words)", out / "vectors.txt", out / model_name, len(kv))


def _run_train(args: argparse.Namespace) -> None:
    from glove_gensim.callbacks import NeighborsLogger
    from glove_gensim.model import GloVe

    continued.check_from_model_arguments(args, GLOVE)
    check_training_outputs(args, "model.npz")
    check_counts_arguments(args)
    check_training_memory(args)
    processes = multiprocess_settings(args)
    extra = {"callbacks": [NeighborsLogger(args.probe)]} if args.probe else {}
    if args.from_model is not None:
        model, epochs = continued.load_for_update(GloVe, args, GLOVE, progress=not args.quiet, **extra)
        check_not_diverging(continued.continue_on_corpus(model, args, epochs), glove_zero_vector_loss(model))
        write_vectors(model.wv, model, args.out, "model.npz")
        return
    settings = {"progress": not args.quiet, **library_kwargs(args, GLOVE), **extra}
    if processes is not None:
        from glove_gensim import multihost

        multihost.initialize(**processes)
        settings["engine"] = "jax"
    if args.cooccurrence is not None:
        model = GloVe.from_cooccurrence(load_counts(args), **settings)
    else:
        model = GloVe(**settings, **corpus_options(args))
        model.build_vocab(corpus_file=args.corpus)
    train_resumable(model, args, zero_loss=glove_zero_vector_loss(model))
    if processes is not None and multihost.process_index() != 0:
        return
    write_vectors(model.wv, model, args.out, "model.npz")
    if model.loss_history:
        logger.info("final loss %.6f", model.loss_history[-1])
