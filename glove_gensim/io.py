"""Word vectors in Stanford GloVe's and word2vec's file formats <-> gensim ``KeyedVectors``.

Formats
-------
Stanford text (``vectors.txt``)
    One line per word, ``word v1 v2 ... vd``, no header. The public 840B release has tokens that
    contain spaces, so lines are parsed *from the right*: the last ``dim`` fields are the numbers
    and everything before them is the token.
word2vec text
    The same lines under a header line ``n_words dim``; what gensim's
    ``KeyedVectors.load_word2vec_format(path, binary=False)`` reads.
Stanford binary (``glove -binary 1`` writes ``vectors.bin``)
    Raw little-endian float64 array of shape ``[2 * V, dim + 1]``: the ``V`` word rows
    ``[w | b]`` then the ``V`` context rows ``[w~ | b~]``. It holds no words: they come from the
    ``vocab.txt`` the model was trained with, whose line ``i`` is row ``i``.

:func:`load_glove` reads all three (header or not is detected, see below) and returns
``W + W~`` for binary files, the paper's choice and Stanford's default text output.

Header detection
----------------
A first line made of exactly two non-negative integers ``n d`` (``d >= 1``) is a word2vec header
when the file agrees: the next line has at least ``d + 1`` fields and the file then holds ``n``
vectors (or ``n + 1`` whose last is ``<unk>``: Stanford's ``glove -write-header 1`` counts its
vocabulary in the header but also writes the ``<unk>`` vector). Otherwise the first line is
the first vector of a headerless file. A genuinely ambiguous file - a one-dimensional file whose
first word is an integer, whose value is written as an integer, followed by exactly that many
lines - is read as having a header. Files written by this module are never ambiguous: numbers
are always written with a decimal point or an exponent (``5.0``, ``1e+20``).

Words that no text format can hold (empty, or containing whitespace or control characters) are
refused when writing, with the word named, rather than silently altered. Every writer is atomic
(:func:`glove_gensim.files.atomic_write`): an interrupted save leaves the previous file intact.
"""
from __future__ import annotations

import logging
import os
import re
from array import array
from itertools import chain
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

import numpy as np
from gensim.models import KeyedVectors

from glove_gensim.files import atomic_write

logger = logging.getLogger(__name__)

__all__ = ["load_glove", "save_glove_binary", "save_glove_text", "save_word2vec_text"]

_UNWRITABLE = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")
_HEADER = re.compile(r"\s*([0-9]+)\s+([0-9]+)\s*")
_UNK = "<unk>"
_ROWS_PER_WRITE = 4096
_BLOCK_ROWS = 8192


# --------------------------------------------------------------------------------------------
# writing
# --------------------------------------------------------------------------------------------

def save_glove_text(kv: KeyedVectors, path: str | os.PathLike) -> Path:
    """Write Stanford GloVe's text vectors: ``word v1 ... vd`` per line, no header.

    Words are written in ``kv``'s index order (its ``count`` attribute, if any, plays no part).
    Each number is written as the shortest decimal that reads back to the same value in the
    vectors' own dtype, so float32 vectors round-trip bit for bit.

    Parameters
    ----------
    kv : gensim.models.KeyedVectors
        The vectors (a model with a ``wv`` attribute is accepted too). Keys must be strings.
    path : str or PathLike
        Destination, written atomically.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    ValueError
        A word is empty or contains whitespace or control characters (the word is named), the
        vectors have no dimensions, or there are no words (an empty Stanford file cannot be read).
    TypeError
        A key is not a string.

    Examples
    --------
    >>> import tempfile
    >>> kv = _example_kv()  # king (0.5, 1), queen (0.25, -2)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = save_glove_text(kv, Path(folder) / "vectors.txt")
    ...     print(path.read_text())
    king 0.5 1.0
    queen 0.25 -2.0
    <BLANKLINE>
    """
    kv = _keyed_vectors(kv)
    if len(kv) == 0:
        raise ValueError(f"no vectors to write to {path}: an empty Stanford text file cannot be read "
                         "back (save_word2vec_text keeps the dimension in its header)")
    return _save_text(kv, path, header=False)


def save_word2vec_text(kv: KeyedVectors, path: str | os.PathLike) -> Path:
    """Write word2vec's text format: a header ``n_words dim``, then ``word v1 ... vd`` per line.

    The file loads with ``KeyedVectors.load_word2vec_format(path, binary=False)`` and with
    :func:`load_glove`. Unlike gensim's ``save_word2vec_format``, which sorts by the ``count``
    attribute, words are written in ``kv``'s index order. Numbers round-trip exactly as in
    :func:`save_glove_text`.

    Parameters
    ----------
    kv : gensim.models.KeyedVectors
        The vectors (a model with a ``wv`` attribute is accepted too). Keys must be strings.
    path : str or PathLike
        Destination, written atomically.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    ValueError, TypeError
        As :func:`save_glove_text` (an empty ``kv`` is allowed here: the file is just the header).

    Examples
    --------
    >>> import tempfile
    >>> kv = _example_kv()  # king (0.5, 1), queen (0.25, -2)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = save_word2vec_text(kv, Path(folder) / "vectors.w2v.txt")
    ...     lines = path.read_text().splitlines()
    ...     queen = KeyedVectors.load_word2vec_format(path, binary=False)["queen"]
    >>> lines
    ['2 2', 'king 0.5 1.0', 'queen 0.25 -2.0']
    >>> queen
    array([ 0.25, -2.  ], dtype=float32)
    """
    return _save_text(_keyed_vectors(kv), path, header=True)


def save_glove_binary(word_vectors: Any, context_vectors: Any, word_biases: Any, context_biases: Any,
                      path: str | os.PathLike) -> Path:
    """Write Stanford GloVe's binary parameters (``glove -binary 1``, ``vectors.bin``).

    The layout is a raw little-endian float64 array of shape ``[2 * V, dim + 1]``: rows
    ``[W | b]`` then rows ``[W~ | b~]``. Words are not stored; write the matching ``vocab.txt``
    alongside (``Vocabulary.save_stanford``) so that :func:`load_glove` can name the rows.

    Parameters
    ----------
    word_vectors, context_vectors : array-like, shape [V, dim]
        ``W`` and ``W~``.
    word_biases, context_biases : array-like, shape [V]
        ``b`` and ``b~`` (shape ``[V, 1]`` is accepted).
    path : str or PathLike
        Destination, written atomically.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    ValueError
        Shapes that do not match, or ``V`` or ``dim`` of zero.

    Examples
    --------
    >>> import tempfile
    >>> W, C = np.ones((3, 2)), np.zeros((3, 2))
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = save_glove_binary(W, C, np.zeros(3), np.zeros(3), Path(folder) / "vectors.bin")
    ...     path.stat().st_size  # 2 * 3 rows of (2 + 1) float64
    144
    """
    w = np.asarray(word_vectors, dtype=np.float64)
    c = np.asarray(context_vectors, dtype=np.float64)
    if w.ndim != 2 or w.shape[0] < 1 or w.shape[1] < 1:
        raise ValueError(f"word_vectors must have shape [V, dim] with V, dim >= 1, not {w.shape}")
    if c.shape != w.shape:
        raise ValueError(f"context_vectors has shape {c.shape}, word_vectors {w.shape}: they must match")
    n_words = w.shape[0]
    biases = []
    for name, value in (("word_biases", word_biases), ("context_biases", context_biases)):
        bias = np.asarray(value, dtype=np.float64)
        if bias.shape not in ((n_words,), (n_words, 1)):
            raise ValueError(f"{name} must have shape [{n_words}], not {bias.shape}")
        biases.append(bias.reshape(n_words, 1))
    path = Path(path)
    with atomic_write(path, "wb") as fh:
        for vectors, bias in ((w, biases[0]), (c, biases[1])):
            for start in range(0, n_words, _ROWS_PER_WRITE):
                fh.write(_param_block(vectors[start:start + _ROWS_PER_WRITE],
                                      bias[start:start + _ROWS_PER_WRITE]))
    logger.info("wrote GloVe binary parameters for %d words of dimension %d to %s", n_words, w.shape[1], path)
    return path


def _param_block(vectors: np.ndarray, bias: np.ndarray) -> bytes:
    """Rows ``[vectors | bias]`` as little-endian float64 bytes."""
    return np.hstack([vectors, bias]).astype("<f8", copy=False).tobytes()


def _keyed_vectors(kv: Any) -> KeyedVectors:
    if not isinstance(kv, KeyedVectors) and isinstance(getattr(kv, "wv", None), KeyedVectors):
        kv = kv.wv
    if not isinstance(kv, KeyedVectors):
        raise TypeError(f"expected gensim KeyedVectors (or a model with .wv), not {type(kv).__name__}")
    return kv


def _check_writable(words: Sequence[Any], path: str | os.PathLike) -> None:
    """Refuse words that a text vector file cannot hold, naming the first such word."""
    for word in words:
        if not isinstance(word, str):
            raise TypeError(f"cannot write {path}: key {word!r} is a {type(word).__name__}, not a string")
    if _UNWRITABLE.search("".join(words)) is not None or "" in words:
        bad = next(w for w in words if w == "" or _UNWRITABLE.search(w))
        raise ValueError(f"cannot write {path}: word {bad!r} is empty or contains whitespace or control "
                         "characters, so it would not read back as one word; rename or drop it first")
    try:
        "".join(words).encode("utf-8")
    except UnicodeEncodeError:
        bad = next(w for w in words if not _encodable(w))
        raise ValueError(f"cannot write {path}: word {bad!r} cannot be encoded as UTF-8") from None


def _encodable(word: str) -> bool:
    try:
        word.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _format_row(row: np.ndarray) -> str:
    """Numbers of one vector, space-separated, each the shortest decimal that round-trips its dtype."""
    return " ".join(map(str, row))


def _save_text(kv: KeyedVectors, path: str | os.PathLike, header: bool) -> Path:
    words = list(kv.index_to_key)
    dim = int(kv.vector_size)
    if dim < 1:
        raise ValueError(f"cannot write {path}: vectors have {dim} dimensions")
    _check_writable(words, path)
    vectors = np.asarray(kv.vectors[:len(words)])
    if vectors.shape != (len(words), dim):
        raise ValueError(f"cannot write {path}: vectors have shape {vectors.shape}, expected "
                         f"({len(words)}, {dim})")
    if not np.issubdtype(vectors.dtype, np.floating):
        vectors = vectors.astype(np.float64)
    path = Path(path)
    with atomic_write(path, "w") as fh:
        if header:
            fh.write(f"{len(words)} {dim}\n")
        for start in range(0, len(words), _ROWS_PER_WRITE):
            stop = start + _ROWS_PER_WRITE
            fh.writelines(f"{word} {_format_row(row)}\n"
                          for word, row in zip(words[start:stop], vectors[start:stop]))
    logger.info("wrote %d vectors of dimension %d to %s (%s)", len(words), dim, path,
                "word2vec text" if header else "Stanford GloVe text")
    return path


# --------------------------------------------------------------------------------------------
# reading
# --------------------------------------------------------------------------------------------

def load_glove(path: str | os.PathLike, binary: bool | None = None,
               vocab_path: str | os.PathLike | None = None, dtype: Any = np.float32,
               encoding: str = "utf-8", unicode_errors: str = "strict", strict: bool = True) -> KeyedVectors:
    """Read word vectors in Stanford GloVe's text or binary format, or word2vec's text format.

    Text files are streamed line by line, with or without a ``n_words dim`` header (detected; see
    the module docstring). Lines are parsed from the right: the last ``dim`` fields are numbers and
    the rest of the line is the token, so tokens with spaces (the 840B release) load. ``dim`` is the
    header's, or, without one, the number of trailing numeric fields of the first line (at most its
    field count minus one). Binary files hold ``W``, ``W~`` and biases; the result is ``W + W~``.

    Parameters
    ----------
    path : str or PathLike
        Vectors file.
    binary : bool, optional
        Stanford binary parameters (``True``) or a text file (``False``). Default: binary when
        the file name ends in ``.bin``.
    vocab_path : str or PathLike, optional
        Stanford ``vocab.txt`` (``word count`` per line). Required for binary files, whose row
        ``i`` is the vocabulary's word ``i``. For any file, its counts become each key's
        ``count`` attribute (0 for a word missing from it, such as Stanford's ``<unk>``).
    dtype : numpy dtype, default float32
        dtype of the returned vectors (numbers are parsed as float64 and rounded once).
    encoding, unicode_errors : str
        Text decoding, as for :func:`bytes.decode` (``"strict"`` reports the line number).
    strict : bool, default True
        Refuse, naming ``path:line``, a non-finite value (NaN, inf) and, when a header declares the
        dimension, a line whose word would end in a numeric field (``queen 0.4 1.1 0.3`` under
        ``3 2``: one number too many). ``False`` (CLI: ``--lenient``) accepts both, as gensim's
        readers do (the word then holds the extra field).

    Returns
    -------
    gensim.models.KeyedVectors
        Keys in file order (vocabulary order for binary files), vectors ``[n_words, dim]``.

    Raises
    ------
    FileNotFoundError
        ``path`` or ``vocab_path`` does not exist.
    ValueError
        Empty file; a malformed line (wrong number of numbers, non-numeric value, undecodable
        bytes), named as ``path:line``; a duplicate word (named, with both line numbers); a
        header whose count the file contradicts; a binary file whose size is not
        ``V * 2 * (dim + 1) * 8`` bytes for the vocabulary's ``V``; ``binary=True`` without
        ``vocab_path``.

    Examples
    --------
    A Stanford text file (no header), then binary parameters named by their ``vocab.txt``:

    >>> import tempfile
    >>> from glove_gensim.vocab import Vocabulary
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     text = Path(folder) / "vectors.txt"
    ...     _ = text.write_text("the 0.5 1.0\\nnew york 0.25 -2.0\\n")
    ...     kv = load_glove(text)
    ...     _ = Vocabulary(["the", "cat"], [5, 2]).save_stanford(Path(folder) / "vocab.txt")
    ...     W, C = np.array([[1.0, 0.0], [0.0, 1.0]]), np.full((2, 2), 0.5)
    ...     _ = save_glove_binary(W, C, np.zeros(2), np.zeros(2), Path(folder) / "vectors.bin")
    ...     params = load_glove(Path(folder) / "vectors.bin", vocab_path=Path(folder) / "vocab.txt")
    >>> kv.index_to_key, kv["new york"]
    (['the', 'new york'], array([ 0.25, -2.  ], dtype=float32))
    >>> params["cat"], int(params.get_vecattr("cat", "count"))  # W + W~; count from vocab.txt
    (array([0.5, 1.5], dtype=float32), 2)
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"vectors file {path} does not exist" if not path.exists()
                                else f"vectors path {path} is not a file")
    if binary is None:
        binary = path.suffix.lower() == ".bin"
    if binary and _is_word2vec_binary(path):
        return _read_word2vec_binary(path, dtype, encoding, unicode_errors, strict)
    counts = None
    if vocab_path is not None:
        from glove_gensim.vocab import Vocabulary  # local: keeps io importable on its own

        vocab = Vocabulary.load_stanford(vocab_path, min_count=0)
        counts = (vocab.words, vocab.counts)
    if binary:
        if counts is None:
            raise ValueError(f"{path} is read as Stanford binary parameters, which hold no words: pass "
                             f"the vocabulary it was trained with, load_glove({str(path)!r}, "
                             "binary=True, vocab_path='vocab.txt'), or binary=False for a text file")
        words, vectors = _read_binary(path, counts[0], dtype)
    else:
        words, vectors = _read_text(path, dtype, encoding, unicode_errors, strict)
    if strict and binary:
        _check_finite(path, vectors, None)
    kv = _to_keyed_vectors(words, vectors, dtype)
    if counts is not None:
        _set_counts(kv, *counts, path=path)
    logger.info("loaded %d vectors of dimension %d from %s", len(kv), kv.vector_size, path)
    return kv


_WORD2VEC_BINARY_HEADER = re.compile(rb"[1-9][0-9]* [1-9][0-9]*\r?\n")


def _is_word2vec_binary(path: Path) -> bool:
    """Whether ``path`` starts as word2vec's binary format (``"n_words dim\\n"`` in ASCII); a
    Stanford binary file starts with a float64, whose bytes practically never read so."""
    with open(path, "rb") as handle:
        return _WORD2VEC_BINARY_HEADER.match(handle.read(48)) is not None


def _read_word2vec_binary(path: Path, dtype: Any, encoding: str, unicode_errors: str,
                          strict: bool) -> KeyedVectors:
    """A word2vec (GoogleNews-style) binary file, read by gensim."""
    logger.info("%s is in word2vec's binary format (its header line says so): reading it with gensim", path)
    try:
        kv = KeyedVectors.load_word2vec_format(str(path), binary=True, datatype=dtype, encoding=encoding,
                                               unicode_errors=unicode_errors)
    except (EOFError, UnicodeDecodeError, ValueError) as exc:
        raise ValueError(f"{path}: not a readable word2vec binary file ({exc})") from None
    if strict:
        _check_finite(path, kv.vectors, None)
    return kv


def _check_finite(path: Path, vectors: np.ndarray, words: list[str] | None) -> None:
    """Refuse NaN and inf values, naming the first row holding one."""
    for start in range(0, len(vectors), _BLOCK_ROWS):
        bad = np.flatnonzero(~np.isfinite(vectors[start:start + _BLOCK_ROWS]).all(axis=1))
        if bad.size:
            row = start + int(bad[0])
            where = f"row {row}" if words is None else f"the vector of {words[row]!r}"
            raise ValueError(f"{path}: {where} holds a non-finite value (NaN or inf); pass --lenient "
                             "(strict=False) to load it anyway")


def _to_keyed_vectors(words: list[str], vectors: np.ndarray, dtype: Any) -> KeyedVectors:
    kv = KeyedVectors(vectors.shape[1], count=0, dtype=dtype)
    kv.index_to_key = words
    kv.key_to_index = {word: i for i, word in enumerate(words)}
    kv.vectors = vectors
    kv.next_index = len(words)
    return kv


def _set_counts(kv: KeyedVectors, vocab_words: list[str], vocab_counts: np.ndarray, path: Path) -> None:
    lookup = dict(zip(vocab_words, vocab_counts.tolist()))
    counts = np.fromiter((lookup.get(word, 0) for word in kv.index_to_key), dtype=np.int64, count=len(kv))
    kv.allocate_vecattrs(attrs=["count"], types=[np.int64])
    kv.expandos["count"][:] = counts
    missing = [word for word in kv.index_to_key if word not in lookup]
    if missing and missing != [_UNK]:
        logger.warning("%d words of %s are not in the vocabulary file (count set to 0), e.g. %r",
                       len(missing), path, missing[:5])
    unused = len(lookup) - (len(kv) - len(missing))
    if unused:
        logger.warning("%d vocabulary words have no vector in %s", unused, path)


def _read_binary(path: Path, vocab_words: list[str], dtype: Any) -> tuple[list[str], np.ndarray]:
    n_words = len(vocab_words)
    size = path.stat().st_size
    row_pair_bytes = 2 * n_words * 8
    dim = size // row_pair_bytes - 1
    if size % row_pair_bytes or dim < 1:
        raise ValueError(f"{path} has {size} bytes, which is not {n_words} words x 2 x (dim + 1) x 8 "
                         "bytes for any dimension >= 1: the file is truncated, or belongs to another "
                         "vocabulary or another format")
    params = np.memmap(path, dtype="<f8", mode="r", shape=(2 * n_words, dim + 1))
    try:
        vectors = np.empty((n_words, dim), dtype=dtype)
        for start in range(0, n_words, _BLOCK_ROWS):
            stop = min(start + _BLOCK_ROWS, n_words)
            vectors[start:stop] = params[start:stop, :dim] + params[n_words + start:n_words + stop, :dim]
    finally:
        del params
    return list(vocab_words), vectors


class _Rows:
    """Words and vectors accumulated in fixed-size blocks, checking for duplicate words."""

    def __init__(self, path: Path, dim: int, dtype: Any) -> None:
        self.path, self.dim, self.dtype = path, dim, dtype
        self.words: list[str] = []
        self.index: dict[str, int] = {}
        self.lines = array("q")
        self.blocks: list[np.ndarray] = []

    def add(self, number: int, word: str, vector: np.ndarray) -> None:
        first = self.index.setdefault(word, len(self.words))
        if first != len(self.words):
            raise ValueError(f"{self.path}:{number}: duplicate word {word!r} (first on line "
                             f"{self.lines[first]})")
        row = len(self.words) % _BLOCK_ROWS
        if row == 0:
            self.blocks.append(np.empty((_BLOCK_ROWS, self.dim), dtype=self.dtype))
        self.blocks[-1][row] = vector
        self.words.append(word)
        self.lines.append(number)

    def prepend(self, number: int, word: str, vector: np.ndarray) -> None:
        """Put one more row first (the 'header' line of a one-dimensional headerless file).

        Call it last: no row may be added after it.
        """
        if word in self.index:
            raise ValueError(f"{self.path}:{self.lines[self.index[word]]}: duplicate word {word!r} "
                             f"(first on line {number})")
        row = np.asarray(vector, dtype=self.dtype).reshape(1, self.dim)
        self.blocks = [np.concatenate([row, self.finish()])]
        self.words.insert(0, word)
        self.lines.insert(0, number)
        self.index = {w: i for i, w in enumerate(self.words)}

    def finish(self) -> np.ndarray:
        if not self.blocks:
            return np.empty((0, self.dim), dtype=self.dtype)
        stacked = np.concatenate(self.blocks) if len(self.blocks) > 1 else self.blocks[0]
        return stacked[:len(self.words)]


def _lines(path: Path, encoding: str, unicode_errors: str) -> Iterator[tuple[int, str]]:
    """Yield ``(line number, text without trailing whitespace)`` for the non-blank lines of ``path``.

    Lines end at ``\\n`` only (bytes are split before decoding), so a token holding another
    Unicode line separator stays whole.
    """
    with open(path, "rb") as fh:
        for number, raw in enumerate(fh, 1):
            try:
                text = raw.decode(encoding, unicode_errors).rstrip()
            except UnicodeDecodeError as exc:
                raise ValueError(f"{path}:{number}: not valid {encoding} text ({exc.reason} at byte "
                                 f"{exc.start}); is this a binary file? (binary=True reads Stanford's "
                                 "vectors.bin)") from None
            if text:
                yield number, text


def _parse(path: Path, number: int, text: str, dim: int, dim_from: str) -> tuple[str, np.ndarray]:
    """Split one line into its token and its last ``dim`` numbers (parsed from the right)."""
    parts = text.rsplit(" ", dim)
    if len(parts) == dim + 1 and parts[0]:
        try:
            return parts[0], np.fromiter(map(float, parts[1:]), dtype=np.float64, count=dim)
        except ValueError:
            pass  # odd spacing or a bad number: the general path below says which
    fields = text.split()
    if len(fields) < dim + 1:
        raise ValueError(f"{path}:{number}: expected a word and {dim} numbers ({dim_from}), found "
                         f"{len(fields)} field{'s' if len(fields) != 1 else ''}: {_clip(text)!r}")
    values = np.empty(dim, dtype=np.float64)
    for i, field in enumerate(fields[-dim:]):
        try:
            values[i] = float(field)
        except ValueError:
            raise ValueError(f"{path}:{number}: {field!r} is not a number (expected a word and {dim} "
                             f"numbers, {dim_from}): {_clip(text)!r}") from None
    return " ".join(fields[:-dim]), values


def _clip(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


def _trailing_numbers(fields: Sequence[str]) -> int:
    """How many of the last fields parse as numbers, keeping at least one field for the word."""
    count = 0
    for field in reversed(fields[1:]):
        try:
            float(field)
        except ValueError:
            break
        count += 1
    return count


def _read_text(path: Path, dtype: Any, encoding: str, unicode_errors: str,
               strict: bool = True) -> tuple[list[str], np.ndarray]:
    lines = _lines(path, encoding, unicode_errors)
    first = next(lines, None)
    if first is None:
        raise ValueError(f"{path} is empty: it holds no vectors")
    first_number, first_text = first
    header = _HEADER.fullmatch(first_text)
    declared: tuple[int, int] | None = None
    data: Iterable[tuple[int, str]]
    if header is not None and int(header.group(2)) >= 1:
        n_declared, d_declared = int(header.group(1)), int(header.group(2))
        second = next(lines, None)
        if second is None or len(second[1].split()) >= d_declared + 1:
            declared = (n_declared, d_declared)
        data = chain([second] if second is not None else [], lines)
        if declared is None:
            data = chain([first], data)
    else:
        data = chain([first], lines)

    if declared is not None:
        dim = declared[1]
        dim_from = f"as declared by the header on line {first_number}"
    else:
        fields = first_text.split()
        dim = _trailing_numbers(fields)
        if dim < 1:
            raise ValueError(f"{path}:{first_number}: expected a word followed by numbers, found "
                             f"{_clip(first_text)!r}")
        dim_from = f"the dimension found on line {first_number}"

    rows = _Rows(path, dim, dtype)
    one_word_lines = True  # for a 1-d header candidate: could every line be "word value"?
    for number, text in data:
        word, vector = _parse(path, number, text, dim, dim_from)
        if strict and declared is not None and " " in word and _trailing_numbers(word.split()):
            raise ValueError(f"{path}:{number}: more numbers than the {dim} declared by the header on "
                             f"line {first_number}: {_clip(text)!r} (pass --lenient, strict=False, to "
                             "read the extra field as part of the word)")
        if strict and not np.isfinite(vector).all():
            raise ValueError(f"{path}:{number}: non-finite value (NaN or inf) in the vector of "
                             f"{word!r}; pass --lenient (strict=False) to load it anyway")
        if declared is not None and dim == 1 and one_word_lines and len(word.split()) != 1:
            one_word_lines = False
        rows.add(number, word, vector)

    if declared is not None:
        n_declared = declared[0]
        found = len(rows.words)
        if found == n_declared + 1 and rows.words[-1] == _UNK:
            logger.info("%s: header counts %d words; the extra last line is Stanford's %s vector",
                        path, n_declared, _UNK)
        elif found != n_declared:
            if dim == 1 and one_word_lines:
                # Not a header after all: a one-dimensional headerless file whose first word is an
                # integer and whose first value is written as an integer.
                word, value = header.group(1), float(header.group(2))
                logger.info("%s: first line %r is not a header (%d vectors follow, not %d); reading "
                            "it as the first vector", path, first_text, found, n_declared)
                rows.prepend(first_number, word, np.array([value]))
            else:
                raise ValueError(f"{path}: the header on line {first_number} declares {n_declared} "
                                 f"vectors of dimension {dim}, but the file holds {found}: truncated "
                                 "or altered")
    return rows.words, rows.finish()


def _example_kv() -> KeyedVectors:
    """Two words in 2 dimensions, for the examples."""
    kv = KeyedVectors(2)
    kv.add_vectors(["king", "queen"], [[0.5, 1.0], [0.25, -2.0]])
    return kv
