"""``glove-gensim train --cooccurrence FILE [--vocab vocab.txt]``: train from counts made elsewhere.

FILE is our ``.npz`` (``glove-gensim cooccur``, ``Cooccurrence.save``, a Dask job) or Stanford's
``cooccurrence.bin`` (then ``--vocab`` names the ``vocab.txt`` whose 1-based line positions its
ids are). Everything is checked before any counting or training: the files exist, the ``.bin`` is
a whole number of 16-byte records, its ids fit the vocabulary (an error names both files), and no
flag that only means something for a corpus was given.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from glove_gensim.cli.options import CORPUS, GLOVE, VOCABULARY, Flags, given_flags, output_file

_NPZ_MAGIC = b"PK"
_RECORD_BYTES = 16  # int32 word1, int32 word2, float64 value
_CORPUS_ONLY = ("min_count", "max_vocab_size", "max_final_vocab", "cooccurrence_cache")
_COUNTING = ("window", "symmetric", "distance_weighting")


def add_counts_flags(flags: Flags) -> None:
    """--cooccurrence / --counts FILE and --vocab FILE (training from counts, no corpus).

    Examples
    --------
    >>> flags = Flags(argparse.ArgumentParser())
    >>> add_counts_flags(flags)
    >>> args = flags.parser.parse_args(["--counts", "counts.npz"])
    >>> args.cooccurrence, args.vocab
    ('counts.npz', None)
    """
    group = flags.parser.add_argument_group("training from counts made elsewhere (instead of CORPUS)")
    group.add_argument("--cooccurrence", "--counts", dest="cooccurrence", metavar="FILE", default=None,
                       type=output_file,
                       help="co-occurrence counts: our .npz (glove-gensim cooccur, Cooccurrence.save) or "
                            "Stanford's cooccurrence.bin (needs --vocab)")
    group.add_argument("--vocab", metavar="FILE", default=None, type=output_file,
                       help="Stanford's vocab.txt that the ids of a cooccurrence.bin refer to (in its order)")


def is_npz(path: str | Path) -> bool:
    """Whether ``path`` starts like a zip archive (our ``.npz``), not like Stanford's records.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile(suffix=".bin") as handle:
    ...     _ = handle.write(b"\\x01" * 16); handle.flush()
    ...     is_npz(handle.name)
    False
    """
    with open(path, "rb") as handle:
        return handle.read(len(_NPZ_MAGIC)) == _NPZ_MAGIC


def check_counts_arguments(args: argparse.Namespace) -> None:
    """Refuse, before any work, a wrong combination of CORPUS / --cooccurrence / --vocab, missing
    files, or corpus-only flags given with counts.

    Examples
    --------
    >>> check_counts_arguments(argparse.Namespace(corpus="c.txt", cooccurrence=None, vocab=None, bound=()))
    >>> check_counts_arguments(argparse.Namespace(corpus=None, cooccurrence=None, vocab=None, bound=()))
    Traceback (most recent call last):
    ...
    ValueError: give CORPUS, or --cooccurrence FILE (counts made elsewhere)
    """
    if args.corpus is None and args.cooccurrence is None:
        raise ValueError("give CORPUS, or --cooccurrence FILE (counts made elsewhere)")
    if args.corpus is not None and args.cooccurrence is not None:
        raise ValueError(f"give CORPUS ({args.corpus}) or --cooccurrence ({args.cooccurrence}), not both")
    if args.cooccurrence is None:
        if args.vocab is not None:
            raise ValueError("--vocab goes with --cooccurrence FILE (a Stanford cooccurrence.bin)")
        return
    path = Path(args.cooccurrence)
    if not path.is_file():
        raise FileNotFoundError(f"--cooccurrence: {path} does not exist")
    refused = [bound.flag for parameter, bound in {**given_flags(args, GLOVE), **given_flags(args, CORPUS),
                                                   **given_flags(args, VOCABULARY)}.items()
               if parameter in _CORPUS_ONLY or bound.target == CORPUS]
    npz = is_npz(path)
    if npz:
        refused += [bound.flag for parameter, bound in given_flags(args, GLOVE).items() if parameter in _COUNTING]
        if args.vocab is not None:
            raise ValueError(f"--vocab is for a Stanford cooccurrence.bin; {path} is an .npz that holds "
                             "its own vocabulary")
    if refused:
        raise ValueError(f"{', '.join(sorted(set(refused)))}: not used with --cooccurrence {path} "
                         "(its vocabulary and counting settings are fixed by the file)")
    if not npz:
        _check_stanford_pair(path, args.vocab)


def _check_stanford_pair(path: Path, vocab: str | None) -> None:
    if vocab is None:
        raise ValueError(f"--cooccurrence {path} is a Stanford cooccurrence.bin: give --vocab vocab.txt, "
                         "the vocabulary its ids refer to")
    if not Path(vocab).is_file():
        raise FileNotFoundError(f"--vocab: {vocab} does not exist")
    size = path.stat().st_size
    if size == 0 or size % _RECORD_BYTES:
        raise ValueError(f"--cooccurrence {path} is {size} bytes, not a positive whole number of 16-byte "
                         "(int32, int32, float64) records: truncated, or not a cooccurrence.bin")


def load_counts(args: argparse.Namespace):
    """The :class:`~glove_gensim.cooccur.Cooccurrence` named by ``--cooccurrence`` (and ``--vocab``),
    after :func:`check_counts_arguments`; a Stanford file whose ids exceed the vocabulary is refused
    naming both files.

    Examples
    --------
    >>> import tempfile
    >>> from gensim.test.utils import common_texts
    >>> from glove_gensim.cooccur import count_cooccurrences
    >>> from glove_gensim.vocab import Vocabulary
    >>> counts = count_cooccurrences(common_texts, Vocabulary.build(common_texts, min_count=1), window=2)
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = counts.save_stanford(folder / "cooccurrence.bin"), counts.vocabulary.save_stanford(folder / "vocab.txt")
    >>> args = argparse.Namespace(cooccurrence=str(folder / "cooccurrence.bin"), vocab=str(folder / "vocab.txt"),
    ...                           bound=())
    >>> load_counts(args).nnz == counts.nnz
    True
    """
    from glove_gensim.cooccur import Cooccurrence
    from glove_gensim.vocab import Vocabulary

    path = Path(args.cooccurrence)
    if is_npz(path):
        return Cooccurrence.load(path, mmap=True)  # read a slice at a time: the counts stay out of the RSS
    vocabulary = Vocabulary.load_stanford(args.vocab)
    records = np.memmap(path, dtype=np.int32, mode="r").reshape(-1, 4)[:, :2]
    largest = int(records.max()) if len(records) else 0
    smallest = int(records.min()) if len(records) else 1
    if smallest < 1 or largest > len(vocabulary):
        raise ValueError(f"--cooccurrence {path} has word ids {smallest}..{largest}, but --vocab {args.vocab} "
                         f"has {len(vocabulary)} words: the counts were not made with this vocabulary")
    settings = {parameter: getattr(args, bound.dest) for parameter, bound in given_flags(args, GLOVE).items()
                if parameter in _COUNTING}
    return Cooccurrence.load_stanford(path, vocabulary, **settings)
