"""Corpus readers and tokenizers: anything a user has -> a re-iterable stream of documents.

A *document* is a list of tokens; context windows never cross a document. Sources:

* a path to a plain-text file, or to a directory of them (read in blocks, never whole);
* any re-iterable of token lists (what gensim accepts as ``sentences``), including gensim's
  ``LineSentence``, ``Text8Corpus`` and ``PathLineSentences``: each item is one document and its
  tokens are used as they are.

Raw text is a document per paragraph (blank-line separated) by default, or per line with
``line_is_document=True`` (the convention of Stanford GloVe and word2vec's ``corpus_file``).
Line ends may be ``\\n``, ``\\r\\n`` or a lone ``\\r``.

Files ending in ``.gz``, ``.bz2`` or ``.xz`` are decompressed while they are read (streamed, with
the standard library), alone or inside a directory (``.zst`` too where ``compression.zstd``
exists, Python 3.14+). A file that decodes to mostly invalid UTF-8 or NUL bytes is refused as
binary or compressed instead of being read as garbage.
"""
from __future__ import annotations

import bz2
import codecs
import gzip
import logging
import lzma
import os
import re
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from glove_gensim.pieces import ContinuedTokens

logger = logging.getLogger(__name__)

ASCII_TOKEN_PATTERN = r"[a-z0-9]+(?:'[a-z]+)?"
"""The ASCII pattern of earlier versions (``tokenizer="ascii"``): non-ASCII letters split words."""


def _word_class(low: int, high: int) -> str:
    """A regex character-class body of the letters, digits and combining marks (Unicode
    categories L*, N*, M*) in ``[low, high)``, as ranges."""
    chosen = [cp for cp in range(low, high) if unicodedata.category(chr(cp))[0] in "LNM"]
    ranges, first, last = [], chosen[0], chosen[0]
    for cp in chosen[1:] + [-1]:
        if cp == last + 1:
            last = cp
            continue
        ranges.append(re.escape(chr(first)) + ("" if first == last else "-" + re.escape(chr(last))))
        first = last = cp
    return "".join(ranges)


def _word_pattern(letters: str) -> str:
    return f"[{letters}]+(?:'[{letters}]+)*"


_BMP_LETTERS = _word_class(0, 0x10000)
_ASTRAL_LETTERS = _word_class(0x10000, 0x32400)  # up to CJK extension H; planes 3-16 hold no letters
DEFAULT_TOKEN_PATTERN = _word_pattern(_BMP_LETTERS + _ASTRAL_LETTERS)
"""Words of every script: runs of letters, digits and combining marks (Unicode categories L*,
N*, M*: ``café``, ``москва``, Devanagari with its vowel signs), with apostrophes between them
(``don't``, ``o'neill``; a trailing one is dropped); hyphens, underscores, other punctuation,
symbols and emoji split words or are dropped (``well-known`` -> ``well``, ``known``). A run of CJK
ideographs or kana is one token (``東京都``). Matched on NFC-normalised, case-folded text."""
_BMP_WORDS = re.compile(_word_pattern(_BMP_LETTERS))  # the same tokens on text without astral
# characters, several times faster: a class holding astral ranges defeats the regex engine's
# fast scan for a token's first character


TOKENIZERS = ("regex", "ascii", "whitespace", "treebank")
COMPRESSED_SUFFIXES = (".gz", ".bz2", ".xz", ".zst")
TEXT_SUFFIXES = frozenset({"", ".txt", ".text", ".cor", ".tok", ".tokens", ".raw", ".md"})
_BLOCK_BYTES = 1 << 22
PIECE_CHARS = 1 << 20
"""Longer documents are read in pieces of about this many characters (see :mod:`glove_gensim.pieces`)."""
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_CURLY_APOSTROPHES = ("\u2019", "\u2018", "\u02bc")
_MAGIC = ((b"\x1f\x8b", "gzip", ".gz"), (b"BZh", "bzip2", ".bz2"), (b"\xfd7zXZ\x00", "xz", ".xz"),
          (b"\x28\xb5\x2f\xfd", "zstd", ".zst"), (b"PK\x03\x04", "zip", ""))
_SNIFF_CHARS = 1024  # a file's first block is judged binary only from this many characters on
_BINARY_SHARE = 0.25
_DROP_SAMPLE_CHARS = 1 << 20
_DROP_MIN_CHARS = 100  # no share is reported from fewer characters
_NOT_WORDS = re.compile(r"[\s!-/:-@\[-`{-~\u00a1-\u00bf\u2010-\u2027\u2030-\u205e\u3000-\u3003"
                        r"\u3008-\u3011\u3014-\u301f\uff01-\uff0f\uff1a-\uff20]+")
_ERROR_HANDLER = "glove_gensim.count_and_replace"
_replacements = threading.local()


def _count_and_replace(exc: UnicodeDecodeError) -> tuple[str, int]:
    _replacements.count = getattr(_replacements, "count", 0) + 1
    return "\ufffd", exc.end


codecs.register_error(_ERROR_HANDLER, _count_and_replace)
_reported: set = set()  # (file version, byte range) whose replacements were logged: once per process


def _report_once(path: Path, what: tuple, message: str, *args) -> None:
    """Log at WARNING the first time this version of ``path`` is read (a command reads a corpus
    several times), at DEBUG afterwards; ``what`` tells reports about one file apart."""
    info = os.stat(path)
    key = (str(Path(path).resolve()), info.st_size, info.st_mtime_ns, *what)
    level = logging.DEBUG if key in _reported else logging.WARNING
    _reported.add(key)
    logger.log(level, message, path, *args)


def compression_of(path: str | os.PathLike) -> str | None:
    """The compression suffix of ``path`` (``".gz"``, ``".bz2"``, ``".xz"``, ``".zst"``), or ``None``.

    Examples
    --------
    >>> compression_of("corpus.txt.gz"), compression_of("corpus.txt")
    ('.gz', None)
    """
    suffix = Path(path).suffix.lower()
    return suffix if suffix in COMPRESSED_SUFFIXES else None


def _open_zstd(path: Path):
    try:
        from compression import zstd  # Python 3.14+
    except ImportError:
        raise ValueError(f"{path}: reading .zst needs Python 3.14 (compression.zstd); decompress it "
                         "first (zstd -d) or recompress it as .gz, .bz2 or .xz") from None
    return zstd.open(path, "rb")


_OPENERS = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open, ".zst": _open_zstd}


def open_binary(path: str | os.PathLike):
    """``path`` opened for reading bytes, decompressed on the fly when its suffix says so.

    Examples
    --------
    >>> import gzip, tempfile
    >>> path = Path(tempfile.mkdtemp()) / "c.txt.gz"
    >>> path.write_bytes(gzip.compress(b"hello world"))
    31
    >>> with open_binary(path) as handle:
    ...     handle.read()
    b'hello world'
    """
    path = Path(path)
    suffix = compression_of(path)
    return _OPENERS[suffix](path, "rb") if suffix else open(path, "rb")


def _check_not_compressed(path: Path) -> None:
    """Refuse a file whose name says text but whose first bytes are a compressed format's."""
    with open(path, "rb") as handle:
        head = handle.read(8)
    for magic, name, suffix in _MAGIC:
        if head.startswith(magic) and (name != "bzip2" or head[3:4].isdigit()):
            hint = f"; rename it to {path.name}{suffix} to read it decompressed" if suffix else \
                ""
            raise ValueError(f"{path} looks {name}-compressed, not text{hint}")


def _check_text(path: Path, text: str, replaced: int) -> None:
    """Refuse a file whose first block is mostly replacement characters or NUL bytes."""
    if len(text) < _SNIFF_CHARS:
        return
    bad = replaced + text.count("\x00")
    if bad > _BINARY_SHARE * max(len(text), 1):
        raise ValueError(f"{path} looks binary or compressed, not UTF-8 text: {bad} of its first "
                         f"{len(text)} characters are invalid UTF-8 or NUL bytes (compressed corpora "
                         f"are read when named {', '.join(COMPRESSED_SUFFIXES[:3])})")

Tokenizer = Callable[[str], list]


def _check_tokenizer(tokenizer: str, token_pattern: str | None) -> re.Pattern | None:
    """Validate a tokenizer name and pattern; the compiled pattern for ``"regex"`` and ``"ascii"``."""
    if tokenizer not in TOKENIZERS:
        raise ValueError(f"tokenizer must be one of {TOKENIZERS}, not {tokenizer!r}; for a custom "
                         "pattern use tokenizer='regex', token_pattern=r'...'")
    if token_pattern is not None and tokenizer != "regex":
        raise ValueError("token_pattern is only used with tokenizer='regex' (--token-pattern needs "
                         "--tokenizer regex)")
    if tokenizer not in ("regex", "ascii"):
        return None
    text = ASCII_TOKEN_PATTERN if tokenizer == "ascii" else token_pattern or DEFAULT_TOKEN_PATTERN
    try:
        pattern = re.compile(text)
    except (re.error, TypeError) as exc:
        raise ValueError(f"token_pattern {token_pattern!r} is not a valid regular expression: {exc}") from exc
    if pattern.groups:
        raise ValueError(f"token_pattern {pattern.pattern!r} has capturing groups; use (?:...) instead")
    if pattern.match(""):
        raise ValueError(f"token_pattern {pattern.pattern!r} matches the empty string, which would "
                         "make empty tokens; use + instead of * (e.g. [a-z]+)")
    return pattern


def _straight_apostrophes(text: str) -> str:
    for curly in _CURLY_APOSTROPHES:
        if curly in text:
            text = text.replace(curly, "'")
    return text


def normalize_text(text: str) -> str:
    """What the ``"regex"`` tokenizer matches on: NFC-normalised, case-folded text with curly
    apostrophes made straight.

    Examples
    --------
    >>> normalize_text("Stra\u00dfe Cafe\u0301 Don\u2019t")
    "strasse caf\u00e9 don't"
    """
    text = _straight_apostrophes(text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text.casefold()


def make_tokenizer(tokenizer: str = "regex", token_pattern: str | None = None,
                   lowercase: bool = True) -> Tokenizer:
    """Build a function ``text -> list of tokens``.

    Parameters
    ----------
    tokenizer : {"regex", "ascii", "whitespace", "treebank"}
        ``"regex"`` (default): NFC-normalise, case-fold (``straße`` -> ``strasse``), map curly
        apostrophes to ``'``, then find all matches of ``token_pattern`` (default
        :data:`DEFAULT_TOKEN_PATTERN`: words of every script, apostrophes inside words kept,
        hyphens splitting). ``"ascii"``: the pattern of earlier versions,
        ``[a-z0-9]+(?:'[a-z]+)?`` on lower-cased text (non-ASCII letters split words).
        ``"whitespace"``: split on whitespace only, no case change (for pre-tokenized text).
        ``"treebank"``: NLTK's ``TreebankWordTokenizer`` (needs no downloaded data), lower-cased.
    token_pattern : str, optional
        A user regex for ``tokenizer="regex"`` (it must not match the empty string).
    lowercase : bool
        Case-fold (lower-case for ``"ascii"`` and ``"treebank"``) before matching.

    Returns
    -------
    callable
        ``str -> list[str]``.

    Examples
    --------
    >>> make_tokenizer()("Don\u2019t PANIC, 42 caf\u00e9s in \u041c\u043e\u0441\u043a\u0432\u0430!")
    ["don't", 'panic', '42', 'caf\u00e9s', 'in', '\u043c\u043e\u0441\u043a\u0432\u0430']
    >>> make_tokenizer("ascii")("Caf\u00e9 na\u00efve")
    ['caf', 'na', 've']
    """
    pattern = _check_tokenizer(tokenizer, token_pattern)
    if tokenizer == "whitespace":
        return str.split
    if tokenizer == "treebank":
        from nltk.tokenize import TreebankWordTokenizer

        treebank = TreebankWordTokenizer()
        if lowercase:
            return lambda text: treebank.tokenize(_straight_apostrophes(text).lower())
        return treebank.tokenize
    if not lowercase:
        return pattern.findall
    if tokenizer == "ascii":
        return lambda text: pattern.findall(_straight_apostrophes(text).lower())
    if token_pattern is None:
        return _default_tokens
    return lambda text: pattern.findall(normalize_text(text))


_ALL_WORDS = re.compile(DEFAULT_TOKEN_PATTERN)


def _default_tokens(text: str) -> list[str]:
    """The default regex tokenizer: :data:`DEFAULT_TOKEN_PATTERN` on :func:`normalize_text`."""
    text = normalize_text(text)
    if text.isascii() or max(text) <= "\uffff":
        return _BMP_WORDS.findall(text)
    return _ALL_WORDS.findall(text)


def text_suffix(path: str | os.PathLike) -> str:
    """The suffix that says what ``path`` holds, under any compression suffix.

    Examples
    --------
    >>> text_suffix("a/corpus.TXT.gz"), text_suffix("notes.md")
    ('.txt', '.md')
    """
    path = Path(path)
    if compression_of(path):
        path = path.with_suffix("")
    return path.suffix.lower()


def list_text_files(path: str | os.PathLike, skip: Iterable[str | os.PathLike] = ()) -> list[Path]:
    """The text files a path stands for: the file itself, or a directory's text files, sorted.

    A directory's text files are those with a text suffix (none, .txt, .text, .cor, .tok, .tokens,
    .raw, .md), compressed or not (.gz, .bz2, .xz, .zst); hidden files, our own outputs
    (``skip``: resolved paths) and files such as ``vocab.npz`` are left out, and what was left out
    (sub-folders included: they are not read) is logged.

    Raises
    ------
    FileNotFoundError
        The path does not exist.
    ValueError
        A directory holding no text files.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     for name in ("b.txt", "a.cor", ".hidden.txt", "image.png"):
    ...         _ = (Path(folder) / name).write_text("text")
    ...     [path.name for path in list_text_files(folder)]
    ['a.cor', 'b.txt']
    """
    path = Path(path)
    if path.is_file():
        return [path]
    if not path.exists():
        raise FileNotFoundError(f"corpus path {path} does not exist")
    if not path.is_dir():
        raise ValueError(f"corpus path {path} is neither a file nor a directory")
    skipped = {Path(p).resolve() for p in skip}
    files, left_out = [], []
    for entry in sorted(path.iterdir()):
        if entry.name.startswith("."):
            continue
        if (entry.is_file() and text_suffix(entry) in TEXT_SUFFIXES and entry.resolve() not in skipped
                and not _written_by_us(entry)):
            files.append(entry)
        else:
            left_out.append(entry.name + ("/" if entry.is_dir() else ""))
    if left_out:
        logger.info("%s: not read (sub-folders, other suffixes, our outputs): %s", path,
                    ", ".join(left_out[:10]) + (f" and {len(left_out) - 10} more" if len(left_out) > 10 else ""))
    if not files:
        raise ValueError(f"directory {path} holds no text files (looked for suffixes "
                         f"{sorted(TEXT_SUFFIXES)}, optionally compressed as {', '.join(COMPRESSED_SUFFIXES)})")
    return files


_VECTORS_HEADER = re.compile(rb"\d+ \d+\r?\n\S+( -?[0-9.]+(e[-+]?\d+)?)+\r?\n")
_VOCAB_LINE = re.compile(rb"\S+ \d+\r?")


def _written_by_us(path: Path) -> bool:
    """Whether ``path`` looks like a vocab.txt or vectors.txt (word2vec text) we write, judged
    from its first lines; such files in a corpus directory are not corpus text."""
    if compression_of(path):
        return False
    with open(path, "rb") as handle:
        head = handle.read(8192)
    lines = head.split(b"\n")[:-1] if len(head) == 8192 else head.rstrip(b"\n").split(b"\n")
    if _VECTORS_HEADER.match(head):
        return True
    return len(lines) >= 2 and all(_VOCAB_LINE.fullmatch(line) for line in lines)


def _split_documents(text: str, line_is_document: bool) -> list[str]:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\n") if line_is_document else _PARAGRAPH_BREAK.split(text)


class DocumentPiece(str):
    """The text of a piece of a long document, which the next text yielded continues.

    Examples
    --------
    >>> piece = DocumentPiece("the first half of a very long ")
    >>> isinstance(piece, str), piece.split()[:2]
    (True, ['the', 'first'])
    """


def _cut_at_space(text: str, size: int) -> tuple[DocumentPiece, str]:
    """Cut ``text`` before its last whitespace within ``size`` characters (anywhere if none), so
    that no token is split and a paragraph break stays whole in the rest."""
    cut = max(text.rfind(" ", 0, size), text.rfind("\n", 0, size), text.rfind("\t", 0, size))
    cut = cut if cut > 0 else size
    return DocumentPiece(text[:cut]), text[cut:]


def iter_text_documents(path: Path, line_is_document: bool = False, errors: str = "replace",
                        block_bytes: int = _BLOCK_BYTES, start: int = 0,
                        end: int | None = None, piece_chars: int | None = None) -> Iterator[str]:
    """Yield the documents of one UTF-8 text file as strings, reading it block by block.

    A ``.gz``, ``.bz2``, ``.xz`` (or ``.zst``) file is decompressed as it is read. Invalid UTF-8 is
    replaced by U+FFFD and the number of replacements logged once per file and process, however
    many passes read it (``errors="replace"``), or raises ``ValueError`` naming the file and byte
    offset (``errors="strict"``). A file whose first block is mostly invalid UTF-8 or NUL bytes
    (binary, or compressed under a text name) raises ``ValueError`` either way.

    ``start``/``end`` read only the bytes ``[start, end)`` of an uncompressed file (error offsets
    stay file offsets); both must be document boundaries (see :mod:`glove_gensim.distributed`)
    for the documents to be those of the whole file.

    A document longer than ``piece_chars`` (default :data:`PIECE_CHARS`) characters is yielded in
    pieces cut at whitespace, each
    but the last a :class:`DocumentPiece` (the next text continues it), so memory stays bounded
    whatever the document's length (a whole corpus on one line, as text8).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "two.txt"
    ...     _ = path.write_text("First paragraph,\\nstill first.\\n\\nSecond one.\\n")
    ...     list(iter_text_documents(path))
    ...     list(iter_text_documents(path, line_is_document=True))
    ['First paragraph,\\nstill first.', 'Second one.\\n']
    ['First paragraph,', 'still first.', '', 'Second one.', '']
    >>> path = Path(tempfile.mkdtemp()) / "c.txt"
    >>> _ = path.write_bytes(b"one two\\r\\rthree\\r\\n\\r\\nfour")
    >>> list(iter_text_documents(path))
    ['one two', 'three', 'four']
    """
    if errors not in ("replace", "strict"):
        raise ValueError(f"errors must be 'replace' or 'strict', not {errors!r}")
    piece_chars = PIECE_CHARS if piece_chars is None else piece_chars
    compressed = compression_of(path) is not None
    if compressed and (start or end is not None):
        raise ValueError(f"{path} is compressed: it can only be read whole (start=0, end=None)")
    if not compressed:
        _check_not_compressed(path)
    decoder = codecs.getincrementaldecoder("utf-8")(
        errors="strict" if errors == "strict" else _ERROR_HANDLER)
    _replacements.count = 0
    carry = ""
    offset = start
    first = True
    with open_binary(path) as handle:
        if start:
            handle.seek(start)
        while True:
            raw = handle.read(block_bytes if end is None else max(0, min(block_bytes, end - offset)))
            final = not raw
            try:
                text = decoder.decode(raw, final=final)
            except UnicodeDecodeError as exc:
                pending = len(decoder.getstate()[0]) if not final else 0
                position = offset - pending + exc.start
                where = "decompressed byte offset" if compressed else "byte offset"
                raise ValueError(f"{path}: invalid UTF-8 at {where} {max(position, 0)} ({exc.reason}); "
                                 "use --errors replace (errors='replace') to substitute U+FFFD") from exc
            if first and (text or final):
                _check_text(path, text, _replacements.count)
                first = False
            nul = raw.find(b"\x00")
            if nul >= 0:
                where = "decompressed byte offset" if compressed else "byte offset"
                raise ValueError(f"{path} looks binary or corrupt: NUL byte at {where} {offset + nul} "
                                 "(text corpora hold none)")
            offset += len(raw)
            text = carry + text
            held = "\r" if not final and text.endswith("\r") else ""  # may be half of a \r\n
            parts = _split_documents(text[:-1] if held else text, line_is_document)
            carry = "" if final else parts.pop() + held
            for part in parts:
                while len(part) > piece_chars:
                    piece, part = _cut_at_space(part, piece_chars)
                    yield piece
                yield part
            if final:
                break
            while len(carry) > piece_chars:
                piece, carry = _cut_at_space(carry, piece_chars)
                yield piece
    if _replacements.count:
        _report_once(path, ("utf-8", start, end), "%s: replaced %d invalid UTF-8 byte sequence(s) with U+FFFD",
                     _replacements.count)


@dataclass(frozen=True)
class CorpusOptions:
    """How raw text is read: one value shared by :class:`Corpus`, the models and the Dask path.

    Validated on construction, so a bad option fails before any file is opened.

    Parameters
    ----------
    tokenizer : {"regex", "whitespace", "treebank"}
        How raw text is split into tokens (see :func:`make_tokenizer`). Ignored for token iterables.
    token_pattern : str, optional
        Custom regex for ``tokenizer="regex"``.
    line_is_document : bool
        Raw text: a line is a document (``True``) or a blank-line separated paragraph (``False``).
    errors : {"replace", "strict"}
        What to do with invalid UTF-8 bytes.

    Examples
    --------
    >>> options = CorpusOptions(tokenizer="whitespace", line_is_document=True)
    >>> options.make_tokenizer()("Hello , world")
    ['Hello', ',', 'world']
    >>> CorpusOptions(errors="ignore")
    Traceback (most recent call last):
    ...
    ValueError: errors must be 'replace' or 'strict', not 'ignore'
    """

    tokenizer: str = "regex"
    token_pattern: str | None = None
    line_is_document: bool = False
    errors: str = "replace"

    def __post_init__(self) -> None:
        _check_tokenizer(self.tokenizer, self.token_pattern)
        if not isinstance(self.line_is_document, bool):
            raise ValueError(f"line_is_document must be True or False, not {self.line_is_document!r}")
        if self.errors not in ("replace", "strict"):
            raise ValueError(f"errors must be 'replace' or 'strict', not {self.errors!r}")

    def make_tokenizer(self) -> Tokenizer:
        """The ``str -> list[str]`` function of :attr:`tokenizer` and :attr:`token_pattern`."""
        return make_tokenizer(self.tokenizer, self.token_pattern)


class Corpus:
    """A re-iterable stream of documents (lists of tokens) from a path or a token iterable.

    Parameters
    ----------
    source : str, PathLike or iterable of list of str
        A text file, a directory of text files, or a re-iterable of token lists (a list,
        gensim's ``LineSentence``, ``Text8Corpus``, ``PathLineSentences``...).
    options : CorpusOptions, optional
        How raw text is read (default ``CorpusOptions()``).
    tokenizer, token_pattern, line_is_document, errors
        The fields of :class:`CorpusOptions`, as a shorthand for ``options=CorpusOptions(...)``
        (giving both is an error).

    Examples
    --------
    >>> docs = Corpus([["hello", "world"], ["bye"]])
    >>> list(docs)
    [['hello', 'world'], ['bye']]
    >>> Corpus([["a"]], tokenizer="whitespace").options == CorpusOptions(tokenizer="whitespace")
    True
    """

    def __init__(self, source: object, options: CorpusOptions | None = None, *,
                 tokenizer: str | None = None, token_pattern: str | None = None,
                 line_is_document: bool | None = None, errors: str | None = None) -> None:
        fields = {name: value for name, value in (("tokenizer", tokenizer), ("token_pattern", token_pattern),
                                                  ("line_is_document", line_is_document), ("errors", errors))
                  if value is not None}
        if options is not None and fields:
            raise TypeError(f"give options=CorpusOptions(...) or {', '.join(fields)}=..., not both")
        if options is not None and not isinstance(options, CorpusOptions):
            raise TypeError(f"options must be a CorpusOptions, not {type(options).__name__}")
        if isinstance(source, Corpus):
            raise TypeError("source is already a Corpus; pass it directly instead of wrapping it")
        self.source = source
        self.options = options if options is not None else CorpusOptions(**fields)
        self._files: list[Path] = []
        self._tokenize: Tokenizer | None = None
        if isinstance(source, (str, os.PathLike)):
            self._files = list_text_files(source)
            self._tokenize = self.options.make_tokenizer()
            return
        if isinstance(source, bytes) or not isinstance(source, Iterable):
            raise TypeError(f"source must be a path or an iterable of token lists, not "
                            f"{type(source).__name__}")
        if iter(source) is source:
            raise TypeError("source is a one-shot iterator (a generator?), but the corpus is read "
                            "more than once; pass a list, or a re-iterable such as "
                            "gensim.models.word2vec.LineSentence(path)")

    def __repr__(self) -> str:
        return f"Corpus({self.source!r}, options={self.options!r})"

    @property
    def files(self) -> list[Path]:
        """The text files read (empty for token iterables)."""
        return list(self._files)

    @property
    def description(self) -> str:
        """A short human-readable name of the source, for logs and errors."""
        if self._files:
            return str(self.source)
        return f"<{type(self.source).__name__} of token lists>"

    def __iter__(self) -> Iterator[list[str]]:
        if self._files:
            for path in self._files:
                yield from self._iter_file(path)
            return
        for number, document in enumerate(self.source):
            if isinstance(document, str):
                raise TypeError(f"document {number} is a string, not a list of tokens; split it "
                                f"first (e.g. [text.split() for text in texts]) or pass a file path")
            if document:
                yield document if isinstance(document, list) else list(document)

    def _iter_file(self, path: Path) -> Iterator[list[str]]:
        """The documents of one file, a long one in pieces (:class:`~glove_gensim.pieces.ContinuedTokens`
        but the last); the share of word characters the tokenizer dropped is measured on the first
        megabyte or so and logged when above 1 %."""
        sampled = kept = 0
        measure = self.options.tokenizer != "whitespace"
        held: list[str] = []  # a piece waits until we know whether a later piece has tokens
        for text in iter_text_documents(path, self.options.line_is_document, self.options.errors):
            tokens = self._tokenize(text)
            if measure and sampled < _DROP_SAMPLE_CHARS:
                sampled += len(_NOT_WORDS.sub("", text))
                kept += sum(map(len, tokens))
            piece = isinstance(text, DocumentPiece)
            if held and (tokens or not piece):
                yield ContinuedTokens(held) if tokens else held
                held = []
            if piece:
                held = held + tokens if held else tokens
            elif tokens:
                yield tokens
        if held:
            yield held
        dropped = max(0, sampled - kept)
        if sampled >= _DROP_MIN_CHARS and dropped > 0.01 * sampled:
            _report_once(path, ("dropped", self.options), "%s: the %s tokenizer dropped %.1f%% of the "
                         "characters that are neither spaces nor punctuation (measured on the first %d); "
                         "see --tokenizer and --token-pattern", self.options.tokenizer,
                         100 * dropped / sampled, sampled)

