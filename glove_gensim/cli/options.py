"""Flags shared by the sub-commands, checked while parsing, with defaults read from the library.

A flag that sets a library parameter is *bound* to it (:class:`Bound`): its argparse default is
``SUPPRESS``, so it reaches the library only when the user gave it, and ``--help`` shows the default
read from the parameter's signature (with :mod:`inspect`, only when help is printed, so parsing never
imports JAX). Numbers and paths are checked by their ``type=`` with the validators of
:mod:`glove_gensim.validation`, so a bad value stops the command before any work, with argparse's
``argument --window: ...`` message and exit status 2.

Examples
--------
>>> parser = argparse.ArgumentParser(prog="demo", formatter_class=LibraryDefaultsFormatter)
>>> flags = Flags(parser)
>>> _ = flags.add(parser, "--min-count", type=int_at_least(1), bind=[VOCABULARY], help="rarest count kept")
>>> flags.finish(handler=print, command="demo")
>>> library_kwargs(parser.parse_args(["--min-count", "3"]), VOCABULARY)
{'min_count': 3}
>>> library_kwargs(parser.parse_args([]), VOCABULARY)
{}
>>> "(default: 5)" in parser.format_help()
True
"""
from __future__ import annotations

import argparse
import importlib
import inspect
import math
from pathlib import Path
from typing import Any, Callable, NamedTuple, Sequence

from glove_gensim.validation import check_int, check_positive

CORPUS = "glove_gensim.corpus:Corpus"
VOCABULARY = "glove_gensim.vocab:Vocabulary.build"
COOCCURRENCE = "glove_gensim.cooccur:count_cooccurrences"
GLOVE = "glove_gensim.model:GloVe"
SGNS = "baselines.sgns:SkipGramNS"


class Bound(NamedTuple):
    """The flag ``flag`` (parsed into ``dest``) sets ``parameter`` of ``target``
    (``"module:qualname"``), which holds its default; ``optional``: the target may not (yet)
    declare the parameter.

    Examples
    --------
    >>> Bound("--learning-rate", "learning_rate", SGNS, "alpha").parameter
    'alpha'
    """

    flag: str
    dest: str
    target: str
    parameter: str
    optional: bool = False


def _resolve(target: str) -> Any:
    module, _, qualname = target.partition(":")
    obj = importlib.import_module(module)
    for name in qualname.split("."):
        obj = getattr(obj, name)
    return obj


_NO_DEFAULT = object()


def library_default(target: str, parameter: str) -> Any:
    """The default of ``parameter`` in the signature of ``target`` (a class's ``__init__``, looked
    up along its MRO, or a function).

    Raises
    ------
    LookupError
        ``target`` declares no such parameter with a default.

    Examples
    --------
    >>> library_default("glove_gensim.vocab:Vocabulary.build", "min_count")
    5
    """
    obj = _resolve(target)
    callables = [klass.__init__ for klass in obj.__mro__ if "__init__" in vars(klass)] \
        if inspect.isclass(obj) else [obj]
    for function in callables:
        declared = inspect.signature(function).parameters.get(parameter)
        if declared is not None and declared.default is not inspect.Parameter.empty:
            return declared.default
    raise LookupError(f"{target} declares no parameter {parameter!r} with a default")


def _default_text(bound: Bound) -> str | None:
    try:
        value = library_default(bound.target, bound.parameter)
    except LookupError:
        if bound.optional:
            return None
        raise
    if isinstance(value, bool) or value is None:
        return None  # flags and "not set": the help text says what happens
    return str(value)


class LibraryDefaultsFormatter(argparse.HelpFormatter):
    """Help formatter appending ``(default: X)`` to bound flags, X read from the library.

    Examples
    --------
    >>> parser = argparse.ArgumentParser(formatter_class=LibraryDefaultsFormatter)
    >>> flags = Flags(parser)
    >>> _ = flags.add(parser, "--window", type=int, bind=[COOCCURRENCE], help="context words")
    >>> "context words (default: 10)" in parser.format_help()
    True
    """

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        bound = getattr(action, "bound", None)
        if bound is not None and text is not argparse.SUPPRESS:
            default = _default_text(bound)
            if default is not None:
                text = f"{text} (default: {default.replace('%', '%%')})".strip()
        return text


class Flags:
    """Adds flags to one sub-command's parser and remembers which library parameters they set.

    Examples
    --------
    >>> flags = Flags(argparse.ArgumentParser())
    >>> _ = flags.add(flags.parser, "--learning-rate", type=float, bind=[SGNS], parameter="alpha")
    >>> flags.finish(handler=print, command="baseline")
    >>> library_kwargs(flags.parser.parse_args(["--learning-rate", "0.01"]), SGNS)
    {'alpha': 0.01}
    """

    def __init__(self, parser: argparse.ArgumentParser) -> None:
        self.parser = parser
        self.bound: list[Bound] = []

    def add(self, group, *names: str, bind: Sequence[str] = (), parameter: str | None = None,
            optional: bool = False, **kwargs) -> argparse.Action:
        """``group.add_argument(*names, **kwargs)``; with ``bind`` (targets), the value goes to
        ``parameter`` (default: the flag's dest) of each target, and only when given."""
        if bind:
            kwargs["default"] = argparse.SUPPRESS
        action = group.add_argument(*names, **kwargs)
        for target in bind:
            flag = max(action.option_strings, key=len, default=action.dest)
            bound = Bound(flag, action.dest, target, parameter or action.dest, optional)
            self.bound.append(bound)
            action.bound = getattr(action, "bound", None) or bound
        return action

    def finish(self, handler: Callable, command: str) -> None:
        """Set the handler and the bound flags on the parsed namespace."""
        self.parser.set_defaults(handler=handler, command=command, bound=tuple(self.bound))


def given_flags(args: argparse.Namespace, target: str) -> dict[str, Bound]:
    """The flags bound to ``target`` that the user gave, by ``target``'s parameter name.

    Examples
    --------
    >>> flags = Flags(argparse.ArgumentParser())
    >>> _ = flags.add(flags.parser, "--learning-rate", type=float, bind=[SGNS], parameter="alpha")
    >>> flags.finish(handler=print, command="baseline")
    >>> given_flags(flags.parser.parse_args(["--learning-rate", "0.01"]), SGNS)["alpha"].flag
    '--learning-rate'
    """
    return {bound.parameter: bound for bound in args.bound if bound.target == target and bound.dest in args}


def library_kwargs(args: argparse.Namespace, target: str) -> dict[str, Any]:
    """The parameters of ``target`` the user set, as keyword arguments (see :class:`Flags`).

    Examples
    --------
    >>> library_kwargs(argparse.Namespace(bound=(Bound("--window", "window", GLOVE, "window"),)), GLOVE)
    {}
    """
    return {parameter: getattr(args, bound.dest) for parameter, bound in given_flags(args, target).items()}


# ----- checked types (argparse turns ArgumentTypeError into "argument --flag: message", exit 2) ----
def _checked(convert: Callable[[str], Any], check: Callable[[Any], None]) -> Callable[[str], Any]:
    kind = "an integer" if convert is int else "a number"

    def parse(text: str) -> Any:
        try:
            value = convert(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {kind}, not {text!r}") from None
        try:
            check(value)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc).replace("value ", "", 1)) from None
        return value

    return parse


def int_at_least(minimum: int) -> Callable[[str], int]:
    """argparse type: an integer >= ``minimum``.

    Examples
    --------
    >>> int_at_least(1)("3")
    3
    >>> int_at_least(1)("0")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be an integer >= 1, not 0
    """
    return _checked(int, lambda value: check_int("value", value, minimum))


def positive_float(allow_zero: bool = False) -> Callable[[str], float]:
    """argparse type: a finite number > 0 (>= 0 with ``allow_zero``).

    Examples
    --------
    >>> positive_float(allow_zero=True)("0")
    0.0
    >>> positive_float()("inf")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be a finite number > 0, not inf
    """
    return _checked(float, lambda value: check_positive("value", value, allow_zero=allow_zero))


def _check_finite(value: float) -> None:
    if not math.isfinite(value):
        raise ValueError(f"value must be a finite number, not {value!r}")


def finite_float(text: str) -> float:
    """argparse type: any finite number.

    Examples
    --------
    >>> finite_float("-0.5")
    -0.5
    """
    return _checked(float, _check_finite)(text)


def input_file(text: str) -> str:
    """argparse type: the path of an existing file.

    Examples
    --------
    >>> input_file("no/such/vectors.txt")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: no file no/such/vectors.txt
    """
    if not Path(text).is_file():
        raise argparse.ArgumentTypeError(f"no file {text}")
    return text


def memory_size(text: str) -> str | None:
    """argparse type: a size such as ``256MB`` or ``2GB`` (checked, passed on as written), or
    ``none``: no limit.

    Examples
    --------
    >>> memory_size("256MB"), memory_size("none")
    ('256MB', None)
    """
    from glove_gensim.cooccur import parse_memory

    if text.strip().lower() == "none":
        return None

    try:
        parse_memory(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def _existing_file_ancestor(path: Path) -> Path | None:
    for parent in path.parents:
        if parent.exists():
            return None if parent.is_dir() else parent
    return None


def output_folder(text: str) -> str:
    """argparse type: a folder to write into (created after the work succeeds).

    Examples
    --------
    >>> output_folder("run/")
    'run/'
    >>> output_folder(__file__)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: ...options.py is an existing file, but this option names a folder ...
    """
    path = Path(text)
    if path.exists() and not path.is_dir():
        raise argparse.ArgumentTypeError(
            f"{text} is an existing file, but this option names a folder (it is created if missing "
            f"and receives several files); pass a new or existing folder, e.g. {path.with_suffix('')}_out/")
    blocking = _existing_file_ancestor(path)
    if blocking is not None:
        raise argparse.ArgumentTypeError(f"cannot create folder {text}: {blocking} is a file")
    return text


def output_file(text: str) -> str:
    """argparse type: a file to write (its folder is created after the work succeeds).

    Examples
    --------
    >>> output_file("counts.npz")
    'counts.npz'
    >>> output_file(__file__ + "/counts.npz")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: cannot write ...: ...options.py is a file, not a folder
    """
    path = Path(text)
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{text} is a folder, but this option names a file; pass a "
                                         f"file path, e.g. {path / 'counts.npz'}")
    blocking = _existing_file_ancestor(path)
    if blocking is not None:
        raise argparse.ArgumentTypeError(f"cannot write {text}: {blocking} is a file, not a folder")
    return text


# ----- option groups shared by several sub-commands ----------------------------------------
def add_common_flags(parser: argparse.ArgumentParser) -> None:
    """``-q/--quiet``.

    Examples
    --------
    >>> parser = argparse.ArgumentParser()
    >>> add_common_flags(parser)
    >>> parser.parse_args(["-q"]).quiet
    True
    """
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bars, warnings only")


def add_corpus_flags(flags: Flags, optional: bool = False) -> None:
    """CORPUS and how it is read (:func:`corpus_options` hands the reading options to a model);
    ``optional``: CORPUS may be left out (``train --cooccurrence FILE``).

    Examples
    --------
    >>> flags = Flags(argparse.ArgumentParser())
    >>> add_corpus_flags(flags)
    >>> flags.finish(handler=print, command="train")
    >>> args = flags.parser.parse_args(["corpus.txt", "--tokenizer", "whitespace"])
    >>> corpus_kwargs(args), corpus_options(args)
    ({'tokenizer': 'whitespace'}, {'corpus_options': CorpusOptions(tokenizer='whitespace', token_pattern=None, line_is_document=False, errors='replace')})
    """
    from glove_gensim.corpus import TOKENIZERS

    group = flags.parser.add_argument_group("corpus")
    group.add_argument("corpus", metavar="CORPUS", help="a text file or a directory of text files "
                       "(.gz, .bz2 and .xz files are decompressed as they are read)",
                       **({"nargs": "?", "default": None} if optional else {}))
    bind = (CORPUS,)
    flags.add(group, "--tokenizer", choices=TOKENIZERS, bind=bind,
              help="regex: words and numbers of every script, case-folded and NFC-normalised, "
                   "apostrophes inside words kept, hyphens splitting; ascii: the ASCII pattern of "
                   "earlier versions, [a-z0-9]+(?:'[a-z]+)?; whitespace: split only, keep case "
                   "(pre-tokenized text); treebank: NLTK's Treebank tokenizer")
    flags.add(group, "--token-pattern", metavar="REGEX", bind=bind,
              help="custom token regex for --tokenizer regex, matched on case-folded text (it must "
                   "not match the empty string)")
    flags.add(group, "--line-is-document", action="store_true", bind=bind,
              help="a line is a document (Stanford GloVe / word2vec convention); otherwise a "
                   "blank-line separated paragraph is")
    flags.add(group, "--errors", choices=("replace", "strict"), bind=bind,
              help="invalid UTF-8: replace and report, or stop with an error")


def corpus_kwargs(args: argparse.Namespace) -> dict[str, Any]:
    """The corpus-reading options the user set (for ``Corpus`` and the models alike); see
    :func:`add_corpus_flags`.

    Examples
    --------
    >>> corpus_kwargs(argparse.Namespace(bound=()))
    {}
    """
    return library_kwargs(args, CORPUS)


def corpus_options(args: argparse.Namespace) -> dict[str, Any]:
    """``{"corpus_options": CorpusOptions(...)}`` for a model when the user set a reading option,
    else ``{}`` (the model's default).

    Examples
    --------
    >>> corpus_options(argparse.Namespace(bound=()))
    {}
    """
    from glove_gensim.corpus import CorpusOptions

    given = corpus_kwargs(args)
    return {"corpus_options": CorpusOptions(**given)} if given else {}


def open_corpus(args: argparse.Namespace):
    """The :class:`~glove_gensim.corpus.Corpus` named by the corpus flags.

    Examples
    --------
    >>> from gensim.test.utils import datapath
    >>> open_corpus(argparse.Namespace(corpus=datapath("lee_background.cor"), bound=())).options.tokenizer
    'regex'
    """
    from glove_gensim.corpus import Corpus

    return Corpus(args.corpus, **corpus_kwargs(args))


def add_vocabulary_flags(flags: Flags, *targets: str) -> None:
    """--min-count, --max-vocab-size, --max-final-vocab, bound to ``targets``.

    Examples
    --------
    >>> flags = Flags(argparse.ArgumentParser())
    >>> add_vocabulary_flags(flags, VOCABULARY)
    >>> flags.finish(handler=print, command="vocab")
    >>> library_kwargs(flags.parser.parse_args(["--min-count", "2"]), VOCABULARY)
    {'min_count': 2}
    """
    group = flags.parser.add_argument_group("vocabulary")
    flags.add(group, "--min-count", type=int_at_least(1), metavar="N", bind=targets,
              help="drop words seen fewer than N times")
    flags.add(group, "--max-vocab-size", type=int_at_least(1), metavar="N", bind=targets,
              help="prune the rarest words while counting to hold at most N types (default: no limit)")
    flags.add(group, "--max-final-vocab", type=int_at_least(1), metavar="N", bind=targets,
              help="keep at most the N most frequent words (default: no limit)")


def add_cooccurrence_flags(flags: Flags, target: str) -> None:
    """--window, --asymmetric, --no-distance-weighting, --memory-limit, bound to ``target``.

    Examples
    --------
    >>> flags = Flags(argparse.ArgumentParser())
    >>> add_cooccurrence_flags(flags, COOCCURRENCE)
    >>> flags.finish(handler=print, command="cooccur")
    >>> library_kwargs(flags.parser.parse_args(["--asymmetric", "--window", "5"]), COOCCURRENCE)
    {'window': 5, 'symmetric': False}
    """
    group = flags.parser.add_argument_group("co-occurrence")
    flags.add(group, "--window", type=int_at_least(1), metavar="N", bind=[target],
              help="context words on each side")
    flags.add(group, "--asymmetric", dest="symmetric", action="store_const", const=False, bind=[target],
              help="count left contexts only (Stanford's -symmetric 0)")
    flags.add(group, "--no-distance-weighting", dest="distance_weighting", action="store_const",
              const=False, bind=[target], help="a pair adds 1 instead of 1/distance")
    flags.add(group, "--memory-limit", type=memory_size, metavar="SIZE", bind=[target],
              help="peak memory (RSS) of the whole command, e.g. 512MB or 2GB, or +64MB: that much above "
                   "what the program holds once started, or none (default: 2GB); counts spill to temporary files and are "
                   "written as merged, and training streams blocks from disk to stay under it (a limit "
                   "below the program's own baseline is refused, naming it)")


def add_checkpoint_flags(flags: Flags, target: str) -> None:
    """--checkpoint-dir / --checkpoint-every / --resume / --on-divergence (``train``, ``baseline``).

    Examples
    --------
    >>> flags = Flags(argparse.ArgumentParser())
    >>> add_checkpoint_flags(flags, GLOVE)
    >>> flags.finish(handler=print, command="train")
    >>> args = flags.parser.parse_args(["--checkpoint-dir", "ck", "--resume"])
    >>> library_kwargs(args, GLOVE), args.resume
    ({'checkpoint_dir': 'ck'}, True)
    """
    group = flags.parser.add_argument_group("checkpoints")
    flags.add(group, "--checkpoint-dir", type=output_folder, metavar="DIR", bind=[target],
              help="write a checkpoint here after every --checkpoint-every epochs")
    flags.add(group, "--checkpoint-every", type=int_at_least(1), metavar="N", bind=[target],
              help="epochs between checkpoints")
    group.add_argument("--resume", action="store_true",
                       help="continue from the checkpoint in --checkpoint-dir (refused if it was made "
                            "with other data or settings)")
    flags.add(group, "--on-divergence", choices=("raise", "restart"), bind=[target],
              help="on a NaN loss: stop, or restart from the last checkpoint with half the learning rate")


def add_engine_flags(flags: Flags, group, target: str, engines: Sequence[str], more: str = "") -> None:
    """--engine and --threads (worker threads of the CPU engine), bound to ``target``; ``more``:
    help on engines beyond auto, jax and cpu.

    Examples
    --------
    >>> flags = Flags(argparse.ArgumentParser())
    >>> add_engine_flags(flags, flags.parser, GLOVE, ("auto", "jax", "cpu"))
    >>> flags.finish(handler=print, command="train")
    >>> library_kwargs(flags.parser.parse_args(["--engine", "cpu", "--threads", "2"]), GLOVE)
    {'engine': 'cpu', 'workers': 2}
    """
    flags.add(group, "--engine", choices=tuple(engines), bind=[target],
              help="auto: JAX when it sees an accelerator, the compiled CPU engine otherwise; jax: "
                   f"JAX on its default device; cpu: the compiled CPU engine{more}")
    flags.add(group, "--threads", type=int_at_least(1), metavar="N", bind=[target], parameter="workers",
              help="training threads of the CPU engine (default: every available core)")


def add_evaluation_flags(parser: argparse.ArgumentParser) -> None:
    """--similarity / --analogies (``evaluate``, ``compare``).

    Examples
    --------
    >>> parser = argparse.ArgumentParser()
    >>> add_evaluation_flags(parser)
    >>> parser.parse_args(["--similarity", "a.txt", "--similarity", "b.txt"]).similarity
    ['a.txt', 'b.txt']
    """
    group = parser.add_argument_group("evaluation")
    group.add_argument("--similarity", action="append", default=None, metavar="FILE",
                       help="word-similarity set (repeatable; default: gensim's wordsim353 and simlex999)")
    group.add_argument("--analogies", metavar="FILE", default=None,
                       help="analogy questions (default: gensim's questions-words.txt)")
