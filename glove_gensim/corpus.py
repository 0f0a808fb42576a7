"""Corpus readers and tokenizers: anything a user has -> a re-iterable stream of documents.

A *document* is a list of tokens; context windows never cross a document. Sources:

* a path to a plain-text file, or to a directory of them (read in blocks, never whole);
* any re-iterable of token lists (what gensim accepts as ``sentences``), including gensim's
  ``LineSentence``, ``Text8Corpus`` and ``PathLineSentences``: each item is one document and its
  tokens are used as they are.

Raw text is a document per paragraph (blank-line separated) by default, or per line with
``line_is_document=True`` (the convention of Stanford GloVe and word2vec's ``corpus_file``).
"""
from __future__ import annotations

import codecs
import logging
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

logger = logging.getLogger(__name__)

DEFAULT_TOKEN_PATTERN = r"[a-z0-9]+(?:'[a-z]+)?"
TOKENIZERS = ("regex", "whitespace", "treebank")
TEXT_SUFFIXES = frozenset({"", ".txt", ".text", ".cor", ".tok", ".tokens", ".raw", ".md"})
_BLOCK_BYTES = 1 << 22
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_CURLY_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})
_ERROR_HANDLER = "glove_gensim.count_and_replace"
_replacements = threading.local()


def _count_and_replace(exc: UnicodeDecodeError) -> tuple[str, int]:
    _replacements.count = getattr(_replacements, "count", 0) + 1
    return "\ufffd", exc.end


codecs.register_error(_ERROR_HANDLER, _count_and_replace)
_reported: set = set()  # (file version, byte range) whose replacements were logged: once per process


def _report_replacements(path: Path, start: int, end: int | None, count: int) -> None:
    """Log ``count`` replacements at WARNING the first time this version of ``path`` is read
    (a command reads a corpus several times), at DEBUG afterwards."""
    info = os.stat(path)
    key = (str(Path(path).resolve()), info.st_size, info.st_mtime_ns, start, end)
    level = logging.DEBUG if key in _reported else logging.WARNING
    _reported.add(key)
    logger.log(level, "%s: replaced %d invalid UTF-8 byte sequence(s) with U+FFFD", path, count)

Tokenizer = Callable[[str], list]


def _check_tokenizer(tokenizer: str, token_pattern: str | None) -> re.Pattern | None:
    """Validate a tokenizer name and pattern; the compiled pattern for ``"regex"``."""
    if tokenizer not in TOKENIZERS:
        raise ValueError(f"tokenizer must be one of {TOKENIZERS}, not {tokenizer!r}; for a custom "
                         "pattern use tokenizer='regex', token_pattern=r'...'")
    if token_pattern is not None and tokenizer != "regex":
        raise ValueError("token_pattern is only used with tokenizer='regex'")
    if tokenizer != "regex":
        return None
    try:
        pattern = re.compile(token_pattern or DEFAULT_TOKEN_PATTERN)
    except (re.error, TypeError) as exc:
        raise ValueError(f"token_pattern {token_pattern!r} is not a valid regular expression: {exc}") from exc
    if pattern.groups:
        raise ValueError(f"token_pattern {pattern.pattern!r} has capturing groups; use (?:...) instead")
    return pattern


def make_tokenizer(tokenizer: str = "regex", token_pattern: str | None = None,
                   lowercase: bool = True) -> Tokenizer:
    """Build a function ``text -> list of tokens``.

    Parameters
    ----------
    tokenizer : {"regex", "whitespace", "treebank"}
        ``"regex"`` (default): lower-case, map curly apostrophes to ``'``, then find all matches of
        ``token_pattern`` (default ``[a-z0-9]+(?:'[a-z]+)?``). ``"whitespace"``: split on
        whitespace only, no case change (for pre-tokenized text). ``"treebank"``: NLTK's
        ``TreebankWordTokenizer`` (needs no downloaded data), lower-cased.
    token_pattern : str, optional
        A user regex for ``tokenizer="regex"``.
    lowercase : bool
        Lower-case before matching (``"regex"`` and ``"treebank"``).

    Returns
    -------
    callable
        ``str -> list[str]``.

    Examples
    --------
    >>> make_tokenizer()("Don\u2019t PANIC, 42 times!")
    ["don't", 'panic', '42', 'times']
    """
    pattern = _check_tokenizer(tokenizer, token_pattern)
    if tokenizer == "whitespace":
        return str.split
    if tokenizer == "treebank":
        from nltk.tokenize import TreebankWordTokenizer

        treebank = TreebankWordTokenizer()
        if lowercase:
            return lambda text: treebank.tokenize(text.translate(_CURLY_APOSTROPHES).lower())
        return treebank.tokenize
    if lowercase:
        return lambda text: pattern.findall(text.translate(_CURLY_APOSTROPHES).lower())
    return pattern.findall


def list_text_files(path: str | os.PathLike) -> list[Path]:
    """The text files a path stands for: the file itself, or a directory's text files, sorted.

    Raises
    ------
    FileNotFoundError
        The path does not exist.
    ValueError
        A directory holding no text files (suffixes: none, .txt, .text, .cor, .tok, .tokens,
        .raw, .md; hidden files are skipped).

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
    files = sorted(p for p in path.iterdir()
                   if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in TEXT_SUFFIXES)
    if not files:
        raise ValueError(f"directory {path} holds no text files (looked for suffixes "
                         f"{sorted(TEXT_SUFFIXES)})")
    return files


def iter_text_documents(path: Path, line_is_document: bool = False, errors: str = "replace",
                        block_bytes: int = _BLOCK_BYTES, start: int = 0,
                        end: int | None = None) -> Iterator[str]:
    """Yield the documents of one UTF-8 text file as strings, reading it block by block.

    Invalid UTF-8 is replaced by U+FFFD and the number of replacements logged once per file and
    process, however many passes read it (``errors="replace"``), or raises ``ValueError`` naming the file and byte offset
    (``errors="strict"``).

    ``start``/``end`` read only the bytes ``[start, end)`` (error offsets stay file offsets);
    both must be document boundaries (see :mod:`glove_gensim.distributed`) for the documents to
    be those of the whole file.

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
    """
    if errors not in ("replace", "strict"):
        raise ValueError(f"errors must be 'replace' or 'strict', not {errors!r}")
    decoder = codecs.getincrementaldecoder("utf-8")(
        errors="strict" if errors == "strict" else _ERROR_HANDLER)
    _replacements.count = 0
    carry = ""
    offset = start
    with open(path, "rb") as handle:
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
                raise ValueError(f"{path}: invalid UTF-8 at byte offset {max(position, 0)} ({exc.reason}); "
                                 "use errors='replace' to substitute U+FFFD") from exc
            offset += len(raw)
            text = carry + text
            parts = text.split("\n") if line_is_document else _PARAGRAPH_BREAK.split(text)
            carry = "" if final else parts.pop()
            yield from parts
            if final:
                break
    if _replacements.count:
        _report_replacements(path, start, end, _replacements.count)


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
                for text in iter_text_documents(path, self.options.line_is_document, self.options.errors):
                    tokens = self._tokenize(text)
                    if tokens:
                        yield tokens
            return
        for number, document in enumerate(self.source):
            if isinstance(document, str):
                raise TypeError(f"document {number} is a string, not a list of tokens; split it "
                                f"first (e.g. [text.split() for text in texts]) or pass a file path")
            if document:
                yield document if isinstance(document, list) else list(document)
