"""The ``glove-gensim`` parser and entry point, and what counts as a user's error.

Exit status: 0 on success; 2 for an argument or input error (argparse's own errors, and the
:data:`INPUT_ERRORS` below); 1 for a run that fails for a stated reason (:data:`RUN_FAILURES`:
training diverged, out of memory, disk full). Either way the message is printed once, as
``glove-gensim COMMAND: error: ...``. SIGINT (Ctrl-C) and SIGTERM stop a command with one line,
``glove-gensim COMMAND: interrupted by SIGINT; ...`` saying where to resume from, and exit status
128 + the signal number (130, 143). Anything else is a bug: its traceback is kept.
"""
from __future__ import annotations

import argparse
import errno
import gc
import os
import importlib.util
import logging
import sys
from pathlib import Path
from typing import Sequence

from glove_gensim import __version__
from glove_gensim.cli import baseline, counting, evaluate, train
from glove_gensim.cli.logs import OUR_PACKAGES, configure_logging
from glove_gensim.cli.options import LibraryDefaultsFormatter
from glove_gensim.cli.outputs import Interrupted, stop_on_signals

INPUT_ERRORS = (FileNotFoundError, FileExistsError, IsADirectoryError, NotADirectoryError, PermissionError)
"""Errors about the paths the user named; a ``ValueError`` (``CorruptFileError`` included) is an
input error when our own code raised it (a dependency's ``ValueError`` is a bug)."""
RUN_FAILURES = (FloatingPointError, MemoryError)
"""``TrainingDivergedError`` (a ``FloatingPointError``), out of memory; and a full disk (ENOSPC)."""


def build_parser() -> argparse.ArgumentParser:
    """The ``glove-gensim`` argument parser with every sub-command.

    Examples
    --------
    >>> build_parser().parse_args(["vocab", "corpus.txt", "--out", "vocab.txt"]).command
    'vocab'
    """
    parser = argparse.ArgumentParser(
        prog="glove-gensim", formatter_class=LibraryDefaultsFormatter,
        description="Train GloVe word vectors and use them as gensim KeyedVectors.",
        epilog="Run 'glove-gensim COMMAND --help' for the options of one command.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for family in (counting, train, baseline, evaluate):
        family.register(commands, LibraryDefaultsFormatter)
    return parser


def _package_folders() -> tuple[Path, ...]:
    folders = []
    for name in OUR_PACKAGES:
        spec = importlib.util.find_spec(name)
        folders += [Path(folder).resolve() for folder in (spec.submodule_search_locations or ())] if spec else []
    return tuple(folders)


def _raised_by_us(exc: BaseException) -> bool:
    """Whether the innermost frame of ``exc``'s traceback is in one of our packages."""
    tb = exc.__traceback__
    if tb is None:
        return False
    while tb.tb_next is not None:
        tb = tb.tb_next
    where = Path(tb.tb_frame.f_code.co_filename).resolve()
    return any(folder in where.parents for folder in _package_folders())


def exit_status(exc: BaseException) -> int | None:
    """2 for an input error, 1 for a stated run failure, ``None`` for a bug (re-raise it).

    Examples
    --------
    >>> exit_status(FileNotFoundError("no such file: corpus.txt")), exit_status(MemoryError())
    (2, 1)
    >>> exit_status(TypeError("a bug")) is None
    True
    """
    if isinstance(exc, INPUT_ERRORS) or (isinstance(exc, ValueError) and _raised_by_us(exc)):
        return 2
    if isinstance(exc, RUN_FAILURES) or (isinstance(exc, OSError) and exc.errno == errno.ENOSPC):
        return 1
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``glove-gensim`` console script; returns the exit status (also for
    argparse's own exits: ``--help``, ``--version``, argument errors).

    Examples
    --------
    >>> main(["neighbors", "no-such-vectors.txt", "word", "-q"])
    2
    """
    args = None
    try:
        with stop_on_signals():  # from the start: parsing imports modules, and a signal may come then
            try:
                args = build_parser().parse_args(argv)
            except SystemExit as exc:
                return exc.code if isinstance(exc.code, int) else int(exc.code is not None)
            configure_logging(args.quiet)
            args.handler(args)
    except Interrupted as exc:
        if args is None:
            words = sys.argv[1:] if argv is None else list(argv)
            command = next((word for word in words if not word.startswith("-")), "")
            print(f"glove-gensim {command}: interrupted by {exc.name} before any work", file=sys.stderr)
        else:
            print(f"glove-gensim {args.command}: interrupted by {exc.name}; {_resume_hint(args)}",
                  file=sys.stderr)
        return exc.status
    except Exception as exc:
        status = exit_status(exc)
        if status is None or args is None:
            raise
        print(f"glove-gensim {args.command}: error: {exc}", file=sys.stderr)
        return status
    return 0


def _resume_hint(args: argparse.Namespace) -> str:
    """Where an interrupted command can go on from.

    Examples
    --------
    >>> _resume_hint(argparse.Namespace(checkpoint_dir="ck"))
    'resume with the same command and --resume (checkpoints in ck)'
    >>> _resume_hint(argparse.Namespace())
    'no partial output was left; run the command again to start over'
    """
    if getattr(args, "checkpoint_dir", None):
        return f"resume with the same command and --resume (checkpoints in {args.checkpoint_dir})"
    return "no partial output was left; run the command again to start over"


def run() -> None:
    """Console-script entry point: :func:`main`, then exit with its status.

    After SIGINT or SIGTERM the process leaves with ``os._exit`` once the clean-up has run and the
    streams are flushed: JAX's runtime may crash tearing the interpreter down after an interrupted
    computation, and the user must see the exit status 128 + signal, not a segmentation fault.

    Examples
    --------
    >>> import sys
    >>> from unittest import mock
    >>> with mock.patch.object(sys, "argv", ["glove-gensim", "--version"]):
    ...     try:
    ...         run()
    ...     except SystemExit as done:
    ...         print("exit", done.code)
    glove-gensim ...
    exit 0
    """
    status = main()
    if status > 128:
        gc.collect()  # finalizers of temporary folders run now
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
    sys.exit(status)
