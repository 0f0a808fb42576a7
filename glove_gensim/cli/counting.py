"""``glove-gensim vocab`` and ``glove-gensim cooccur``: count words and co-occurrences.

Neither imports JAX: counting starts in a fraction of a second.
"""
from __future__ import annotations

import argparse
import contextlib
import logging
from pathlib import Path

from glove_gensim.cli.options import (
    COOCCURRENCE,
    VOCABULARY,
    Flags,
    add_common_flags,
    add_cooccurrence_flags,
    add_corpus_flags,
    add_vocabulary_flags,
    int_at_least,
    library_kwargs,
    open_corpus,
    output_file,
)
from glove_gensim.cli.bounds import check_window
from glove_gensim.cli.outputs import check_output_file, raise_if_interrupted

logger = logging.getLogger(__name__)


def _add_backend_flags(flags: Flags) -> None:
    group = flags.parser.add_argument_group("distributed counting")
    group.add_argument("--backend", choices=("local", "dask"), default="local",
                       help="count in this process (default) or in Dask tasks over corpus "
                            "partitions (same result)")
    where = group.add_mutually_exclusive_group()
    where.add_argument("--dask-workers", type=int_at_least(1), default=None, metavar="N",
                       help="--backend dask: start a local cluster of N worker processes "
                            "(default: CPU count)")
    where.add_argument("--scheduler", default=None, metavar="ADDRESS",
                       help="--backend dask: use the Dask cluster at ADDRESS (e.g. tcp://host:8786); "
                            "workers must see the corpus at the same path")


def _counting_parser(commands, name: str, **kwargs) -> Flags:
    parser = commands.add_parser(name, **kwargs)
    add_common_flags(parser)
    flags = Flags(parser)
    add_corpus_flags(flags)
    add_vocabulary_flags(flags, VOCABULARY)
    return flags


def register(commands, formatter_class: type[argparse.HelpFormatter]) -> None:
    """Add ``vocab`` and ``cooccur`` to the sub-command parsers ``commands``.

    Examples
    --------
    >>> commands = argparse.ArgumentParser().add_subparsers(dest="command")
    >>> register(commands, argparse.HelpFormatter)
    >>> sorted(commands.choices)
    ['cooccur', 'vocab']
    """
    flags = _counting_parser(commands, "vocab", formatter_class=formatter_class,
                             help="count words -> vocab.txt",
                             description="Count the words of CORPUS and write Stanford's vocab.txt "
                                         "('word count' per line, most frequent first).")
    _add_backend_flags(flags)
    flags.parser.add_argument("--out", required=True, type=output_file, metavar="FILE",
                              help="output vocabulary (.txt: Stanford layout; .npz: ours)")
    flags.finish(_run_vocab, "vocab")

    flags = _counting_parser(commands, "cooccur", formatter_class=formatter_class,
                             help="count co-occurrences -> .npz or Stanford .bin",
                             description="Count weighted word-word co-occurrences of CORPUS.")
    add_cooccurrence_flags(flags, COOCCURRENCE)
    _add_backend_flags(flags)
    flags.parser.add_argument("--vocab", metavar="FILE", default=None,
                              help="use this vocabulary (Stanford vocab.txt or ours) and keep its "
                                   "order; otherwise it is counted from CORPUS with --min-count")
    flags.parser.add_argument("--out", required=True, type=output_file, metavar="FILE",
                              help="output: FILE.bin in Stanford's cooccurrence.bin layout (1-based "
                                   "ids in vocabulary order), anything else as our .npz")
    flags.finish(_run_cooccur, "cooccur")


def _backend_kwargs(args: argparse.Namespace, client) -> dict:
    if args.backend == "local":
        return {}
    return {"backend": args.backend, "client": client, "workers": args.dask_workers}


def _dask_client(args: argparse.Namespace):
    """A Dask client for ``--backend dask`` (one cluster for both passes), else a null context."""
    if args.backend != "dask":
        if args.dask_workers is not None or args.scheduler:
            raise ValueError("--dask-workers and --scheduler need --backend dask")
        return contextlib.nullcontext()
    from glove_gensim.distributed import dask_client

    return dask_client(workers=args.dask_workers, scheduler=args.scheduler)


def _build_vocabulary(args: argparse.Namespace, corpus, client):
    from glove_gensim.vocab import Vocabulary

    return Vocabulary.build(corpus, progress=not args.quiet, **library_kwargs(args, VOCABULARY),
                            **_backend_kwargs(args, client))


def _run_vocab(args: argparse.Namespace) -> None:
    check_output_file(args.out, [args.corpus])
    corpus = open_corpus(args)
    with _dask_client(args) as client:
        vocabulary = _build_vocabulary(args, corpus, client)
    raise_if_interrupted()
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    vocabulary.save(args.out)
    logger.info("wrote %d words to %s", len(vocabulary), args.out)


def check_memory_limit(args: argparse.Namespace) -> None:
    """Refuse, before any work, a ``--memory-limit`` below what this command needs once its
    libraries and kernels are loaded (the measured baseline is in the message).

    Examples
    --------
    >>> check_memory_limit(argparse.Namespace(memory_limit="1MB"))
    Traceback (most recent call last):
    ...
    ValueError: --memory-limit=1 MB is below what this process needs: ...
    """
    from glove_gensim.counting import counting_budget, parse_memory

    if getattr(args, "memory_limit", None) is not None:
        counting_budget(parse_memory(args.memory_limit), name="--memory-limit")


def _run_cooccur(args: argparse.Namespace) -> None:
    from glove_gensim.cooccur import count_cooccurrences, count_to_file
    from glove_gensim.vocab import Vocabulary

    check_output_file(args.out, [args.corpus, *([args.vocab] if args.vocab else [])])
    check_window(args, "--window")
    check_memory_limit(args)
    corpus = open_corpus(args)
    given = Vocabulary.load(args.vocab) if args.vocab else None
    vocabulary_kwargs = library_kwargs(args, VOCABULARY)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    with _dask_client(args) as client:
        if client is None and "max_vocab_size" not in vocabulary_kwargs:
            # the counts are written as they are merged (one reading of the corpus without --vocab)
            written = count_to_file(corpus, args.out, given, progress=not args.quiet,
                                    **({} if given is not None else vocabulary_kwargs),
                                    **library_kwargs(args, COOCCURRENCE))
            raise_if_interrupted()
            logger.info("wrote %d co-occurrences to %s", written.nnz, args.out)
            return
        vocabulary = given if given is not None else _build_vocabulary(args, corpus, client)
        cooccurrence = count_cooccurrences(corpus, vocabulary, progress=not args.quiet,
                                           **library_kwargs(args, COOCCURRENCE), **_backend_kwargs(args, client))
    raise_if_interrupted()
    cooccurrence.save(args.out)
    logger.info("wrote %d co-occurrences to %s", cooccurrence.nnz, args.out)
