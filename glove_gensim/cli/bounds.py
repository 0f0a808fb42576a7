"""Upper bounds on sizes, checked against the corpus and the memory they imply before any work.

argparse's checked types give the lower bounds (``--window 0`` is refused while parsing); what a
value may be at most depends on the data and the machine: a window wider than the corpus has
tokens, or tables that cannot fit in memory even for a one-word vocabulary, are refused with a
message naming the flag, before a file is read. The memory figure is the training estimate of
:func:`glove_gensim.engine.estimate_bytes` (models check it again with the real vocabulary).

Examples
--------
>>> import argparse  # doctest: +ELLIPSIS
>>> from gensim.test.utils import datapath
>>> check_window(argparse.Namespace(corpus=datapath("lee_background.cor"), window=10**9), "--window")
Traceback (most recent call last):
...
ValueError: --window 1000000000 is wider than CORPUS can hold tokens (at most ... in ... bytes)
"""
from __future__ import annotations

import argparse
import os

COMPRESSION_RATIO = 100
"""A compressed corpus file is assumed to hold at most this many bytes of text per stored byte."""


def corpus_bytes(corpus: str | os.PathLike) -> int:
    """An upper bound on the bytes of text of ``corpus`` (a file or directory), from file sizes.

    Examples
    --------
    >>> from gensim.test.utils import datapath
    >>> corpus_bytes(datapath("lee_background.cor")) > 0
    True
    """
    from glove_gensim.corpus import compression_of, list_text_files

    return sum(path.stat().st_size * (COMPRESSION_RATIO if compression_of(path) else 1)
               for path in list_text_files(corpus))


def available_memory() -> int:
    """Bytes of RAM available now (``psutil``, else the free pages the OS reports).

    Examples
    --------
    >>> available_memory() > 0
    True
    """
    try:
        import psutil

        return int(psutil.virtual_memory().available)
    except ImportError:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")


def check_window(args: argparse.Namespace, flag: str, dest: str = "window") -> None:
    """``args.<dest>`` (when given) may not exceed the tokens the corpus can hold, nor need more
    memory for its distance weights than is free.

    Examples
    --------
    >>> check_window(argparse.Namespace(corpus="c.txt"), "--window")  # not given: the default is fine
    """
    window = getattr(args, dest, None)
    if window is None:
        return
    size = corpus_bytes(args.corpus)
    most_tokens = size // 2 + 1
    if window > most_tokens:
        raise ValueError(f"{flag} {window} is wider than CORPUS can hold tokens (at most {most_tokens} "
                         f"in {size} bytes)")
    needed, free = 8 * (window + 1) * 4, available_memory()
    if needed > free:
        raise ValueError(f"{flag} {window} needs about {needed / 2**30:.1f} GB for its distance "
                         f"weights alone, but {free / 2**30:.1f} GB are free")


def check_table_memory(args: argparse.Namespace, batch_flag: str | None = "--batch-size") -> None:
    """``--vector-size`` and ``--batch-size`` (when given) must leave room, by the training memory
    estimate, for the tables of at least one word and one batch.

    Examples
    --------
    >>> check_table_memory(argparse.Namespace(vector_size=10**12))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: --vector-size 1000000000000 needs about ... GB of tables for even one word, ...
    """
    dim = getattr(args, "vector_size", None)
    batch = getattr(args, "batch_size", None) if batch_flag else None
    if dim is None and batch is None:
        return
    from glove_gensim.engine import estimate_bytes

    free = available_memory()
    dim_used = dim if dim is not None else 100
    if dim is not None:
        needed = estimate_bytes(1, dim, 0, 1)
        if needed > free:
            raise ValueError(f"--vector-size {dim} needs about {needed / 2**30:.0f} GB of tables for "
                             f"even one word, but {free / 2**30:.1f} GB are free")
    if batch is not None:
        needed = estimate_bytes(1, dim_used, batch, batch) - estimate_bytes(1, dim_used, 0, 1)
        if needed > free:
            raise ValueError(f"{batch_flag} {batch} needs about {needed / 2**30:.0f} GB per batch "
                             f"(vector size {dim_used}), but {free / 2**30:.1f} GB are free")

