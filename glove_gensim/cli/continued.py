"""``--from-model FILE``: continue a saved model on a new corpus (``train`` and ``baseline``).

The model is loaded (``GloVe.load`` / ``SkipGramNS.load``), its vocabulary grown with the new
corpus's words (``build_vocab(CORPUS, update=True)``: old words keep their rows, new words get
fresh ones, counts are summed) and it trains ``--epochs`` more epochs (default: the model's
``epochs``) on the new corpus. Everything is checked before any counting, and nothing is written
on an error:

* ``--init-vectors``, ``--cooccurrence`` / ``--vocab``, ``--cooc-cache``, ``--resume`` and
  multi-process training do not go with ``--from-model`` (each is refused by name);
* a flag that fixes what the model is (``--vector-size``, ``--window``, ``--x-max``,
  ``--mittens``...) must equal the loaded model's value, or the error names both;
* the vocabulary flag ``--min-count`` (which new words are kept), ``--memory-limit`` and
  ``--export`` apply to the continued run; the corpus-reading flags read the new corpus, each
  one not given keeping the model's own setting; run-time flags (``--engine``, ``--threads``,
  checkpoints) go to ``load``.

Examples
--------
>>> parser = argparse.ArgumentParser()
>>> add_from_model_flag(parser)
>>> parser.parse_args(["--from-model", __file__]).from_model == __file__
True
"""
from __future__ import annotations

import argparse
import logging
import math
from dataclasses import asdict
from typing import Any

from glove_gensim.cli.options import corpus_kwargs, given_flags, input_file

logger = logging.getLogger(__name__)

SETTABLE = ("min_count", "memory_limit", "export")
"""Parameters a continued run may change: which new words are kept, counting memory, what is written."""
REFUSED = {"init_vectors": "the loaded model's rows are its starting point",
           "cooccurrence_cache": "a vocabulary update counts the new corpus with the merged vocabulary"}
"""Parameters whose flags conflict with ``--from-model``, and why."""


def add_from_model_flag(parser: argparse.ArgumentParser) -> None:
    """``--from-model FILE`` (a ``model.npz`` written by ``train`` or ``baseline``).

    Examples
    --------
    >>> parser = argparse.ArgumentParser()
    >>> add_from_model_flag(parser)
    >>> parser.parse_args([]).from_model is None
    True
    """
    parser.add_argument("--from-model", type=input_file, metavar="FILE", default=None,
                        help="continue the model saved in FILE (DIR/model.npz of an earlier run) on CORPUS: "
                             "its vocabulary grows with CORPUS's words (old words keep their rows) and it "
                             "trains --epochs more epochs (default: the model's)")


def check_from_model_arguments(args: argparse.Namespace, target: str) -> None:
    """Refuse, before loading anything, the flags that conflict with ``--from-model`` (see the
    module); a no-op without ``--from-model``.

    Examples
    --------
    >>> check_from_model_arguments(argparse.Namespace(from_model=None), "glove_gensim.model:GloVe")
    >>> check_from_model_arguments(argparse.Namespace(from_model="m.npz", corpus=None, bound=()),
    ...                            "glove_gensim.model:GloVe")
    Traceback (most recent call last):
    ...
    ValueError: --from-model m.npz needs the new CORPUS to continue on
    """
    if args.from_model is None:
        return
    shown = f"--from-model {args.from_model}"
    for dest, flag in (("cooccurrence", "--cooccurrence"), ("vocab", "--vocab")):
        if getattr(args, dest, None) is not None:
            raise ValueError(f"{flag} and --from-model conflict: a continued model counts CORPUS with its "
                             "merged vocabulary; give CORPUS and leave out " + flag)
    if args.corpus is None:
        raise ValueError(f"{shown} needs the new CORPUS to continue on")
    if getattr(args, "resume", False):
        raise ValueError("--resume and --from-model conflict: --resume continues a checkpoint of a run "
                         "started without --from-model; leave out one of them")
    if any(getattr(args, dest, None) is not None for dest in ("coordinator", "num_processes", "process_id")):
        raise ValueError("--from-model runs in one process; leave out --coordinator, --num-processes and "
                         "--process-id")
    for parameter, bound in given_flags(args, target).items():
        if parameter in REFUSED:
            raise ValueError(f"{bound.flag} and --from-model conflict: {REFUSED[parameter]}; leave out "
                             f"{bound.flag}")


def _same(given: Any, saved: Any) -> bool:
    if isinstance(given, float) and isinstance(saved, (int, float)) and not isinstance(saved, bool):
        return math.isclose(given, saved, rel_tol=1e-12)
    return given == saved


def load_for_update(cls: type, args: argparse.Namespace, target: str, **runtime: Any):
    """Load ``args.from_model`` as ``cls`` with the run-time flags given (and ``runtime``), refuse
    a flag that differs from the model's setting (naming both values), and apply the settable
    flags and corpus-reading flags (see the module). Returns ``(model, epochs)``.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from gensim.test.utils import common_texts
    >>> from glove_gensim.cli.options import GLOVE, Bound
    >>> from glove_gensim.model import GloVe
    >>> path = Path(tempfile.mkdtemp()) / "model.npz"
    >>> _ = GloVe(common_texts, vector_size=4, window=2, min_count=1, epochs=1).save(path)
    >>> args = argparse.Namespace(from_model=str(path), vector_size=8,
    ...                           bound=(Bound("--vector-size", "vector_size", GLOVE, "vector_size"),))
    >>> load_for_update(GloVe, args, GLOVE)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: --vector-size 8 differs from the vector_size 4 of the model in ...model.npz: ...
    """
    from glove_gensim.corpus import CorpusOptions

    given = {parameter: (bound, getattr(args, bound.dest)) for parameter, bound in given_flags(args, target).items()}
    runtime = {**runtime, **{name: value for name, (_, value) in given.items()
                             if name in cls._runtime_params and name not in REFUSED}}
    model = cls.load(args.from_model, **runtime)
    saved = model.get_params()
    for name, (bound, value) in given.items():
        if name in runtime or name in SETTABLE or name == "epochs" or _same(value, saved.get(name)):
            continue
        raise ValueError(f"{bound.flag} {value} differs from the {name} {saved.get(name)} of the model in "
                         f"{args.from_model}: a continued model keeps its settings; leave {bound.flag} out, or "
                         "train a new model")
    for name in SETTABLE:
        if name in given:
            setattr(model, name, given[name][1])
    reading = corpus_kwargs(args)
    if reading:
        model.corpus_options = CorpusOptions(**{**asdict(model._reading_options()), **reading})
    epochs = given["epochs"][1] if "epochs" in given else model.epochs
    return model, epochs


def continue_on_corpus(model, args: argparse.Namespace, epochs: int) -> list[float]:
    """``build_vocab(CORPUS, update=True)``, then ``epochs`` epochs on it; returns this run's
    losses (for :func:`glove_gensim.cli.train.check_not_diverging`).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from gensim.test.utils import common_texts
    >>> from glove_gensim.model import GloVe
    >>> model = GloVe(common_texts, vector_size=4, window=2, min_count=1, epochs=1)
    >>> new = Path(tempfile.mkdtemp()) / "new.txt"
    >>> _ = new.write_text("zebra okapi graph\\n\\nzebra okapi system\\n")
    >>> losses = continue_on_corpus(model, argparse.Namespace(corpus=str(new)), epochs=2)
    >>> model.epochs_trained, len(losses), model.vocabulary.words[-2:]
    (3, 2, ['zebra', 'okapi'])
    """
    n_words, before = len(model.vocabulary), len(model.loss_history)
    model.build_vocab(corpus_file=args.corpus, update=True)
    logger.info("continuing %s (%d words, %d epochs trained) on %s: %d new words", type(model).__name__,
                n_words, model.epochs_trained, args.corpus, len(model.vocabulary) - n_words)
    model.train(epochs=epochs)
    return model.loss_history[before:]
