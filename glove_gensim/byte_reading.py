"""Reading a corpus as bytes: whitespace tokens to provisional ids in compiled code.

:func:`first_pass_whitespace_files` gives what :func:`glove_gensim.counting.first_pass` gives for
a :class:`~glove_gensim.corpus.Corpus` of files read with ``tokenizer="whitespace"`` (same words,
order of first appearance, counts, documents and ids), but reads each file in large blocks of
bytes and never makes a Python string per token: words are decoded once per distinct word, at
the end (:mod:`glove_gensim._token_kernels`). It returns ``None`` when the text is not valid
UTF-8, so that the caller reads it the ordinary way (which replaces or reports bad bytes).
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Sequence

import numpy as np

from glove_gensim import _token_kernels as kernels
from glove_gensim.counting import FirstPass, TokenStore, _TOKEN_SHARE
from glove_gensim.progress import progress_bar

logger = logging.getLogger(__name__)

BLOCK_BYTES = 1 << 23
__all__ = ["first_pass_whitespace_files", "BLOCK_BYTES"]


class _WordTable:
    """The growing arrays of the compiled word table."""

    def __init__(self, capacity: int = 1 << 16) -> None:
        self.slots = np.full(2 * capacity, -1, dtype=np.int32)
        self.hashes = np.zeros(capacity, dtype=np.uint64)
        self.starts = np.zeros(capacity + 1, dtype=np.int64)
        self.counts = np.zeros(capacity, dtype=np.int64)
        self.chars = np.zeros(16 * capacity, dtype=np.uint8)
        self.sizes = np.zeros(4, dtype=np.int64)  # words, arena bytes, ids, document ends

    def grow(self) -> None:
        n_types, n_chars = int(self.sizes[0]), int(self.sizes[1])
        capacity = 2 * len(self.hashes)
        self.hashes = _grown(self.hashes, capacity, n_types)
        self.starts = _grown(self.starts, capacity + 1, n_types + 1)
        self.counts = _grown(self.counts, capacity, n_types)
        self.chars = _grown(self.chars, max(2 * len(self.chars), n_chars + (1 << 20)), n_chars)
        self.slots = np.full(2 * capacity, -1, dtype=np.int32)
        kernels.rebuild_slots(self.hashes, n_types, self.slots)

    def words(self) -> list[str] | None:
        """Every word in id order, or ``None`` when one is not valid UTF-8."""
        n_types, n_chars = int(self.sizes[0]), int(self.sizes[1])
        try:
            text = self.chars[:n_chars].tobytes().decode("utf-8")
        except UnicodeDecodeError:
            return None
        return text.split("\n")[:n_types]


def _grown(array: np.ndarray, size: int, used: int) -> np.ndarray:
    bigger = np.zeros(size, dtype=array.dtype)
    bigger[:used] = array[:used]
    return bigger


def first_pass_whitespace_files(files: Sequence[Path], line_is_document: bool = False,
                                memory_limit: int | None = None, tmp_dir=None, progress: bool = False,
                                block_bytes: int = BLOCK_BYTES) -> FirstPass | None:
    """One reading of whitespace-tokenized text files: word counts and provisional ids.

    Equal to ``first_pass(Corpus(files, tokenizer="whitespace", line_is_document=...))`` for
    valid UTF-8; ``None`` (after reading) when a word is not valid UTF-8. Documents never cross
    files; empty documents are skipped.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "tokens.txt"
    ...     _ = path.write_text("b a b\\n \\nc\\u00a0a\\n")
    ...     seen = first_pass_whitespace_files([path])
    >>> seen.words, seen.counts.tolist(), seen.n_documents, [ids.tolist() for ids, _ in seen.tokens]
    (['b', 'a', 'c'], [2, 2, 1], 2, [[0, 1, 0], [2, 1]])
    >>> seen.tokens.close()
    """
    table = _WordTable()
    store = TokenStore(None if memory_limit is None else int(memory_limit * _TOKEN_SHARE), tmp_dir)
    total = n_documents = 0
    try:
        with progress_bar(progress, "reading") as bar:
            for path in files:
                for ids, lengths in _file_chunks(Path(path), line_is_document, table, block_bytes):
                    store.append(ids, lengths)
                    total += len(ids)
                    n_documents += len(lengths)
                    bar.update(len(ids))
        words = table.words()
    except BaseException:
        store.close()
        raise
    if words is None:
        store.close()
        logger.info("invalid UTF-8 in %s: reading it as text instead", ", ".join(map(str, files)))
        return None
    return FirstPass(words, table.counts[:len(words)].copy(), total, n_documents, store)


def _file_chunks(path: Path, line_is_document: bool, table: _WordTable, block_bytes: int):
    """Chunks of (provisional ids, document lengths) of one file, whole documents each."""
    state = np.zeros(2, dtype=np.int64)
    carry = np.zeros(0, dtype=np.int32)
    with open(path, "rb") as handle:
        pending = b""
        while True:
            raw = handle.read(block_bytes)
            final = not raw
            data = pending + raw
            cut = len(data) if final else data.rfind(b"\n") + 1
            if cut == 0 and not final:
                pending = data
                continue
            pending = data[cut:]
            buf = np.frombuffer(data, dtype=np.uint8)
            ids = np.empty(len(carry) + cut // 2 + 1, dtype=np.int32)
            ids[:len(carry)] = carry
            doc_ends = np.empty(cut // 2 + 2, dtype=np.int64)
            table.sizes[2:] = (len(carry), 0)
            position = 0
            while True:
                status, position = kernels.tokenize_block(buf, position, cut, line_is_document, state,
                                                          table.slots, table.hashes, table.starts,
                                                          table.chars, table.counts, table.sizes, ids,
                                                          doc_ends)
                if status == kernels.DONE:
                    break
                table.grow()
            n_ids, n_docs = int(table.sizes[2]), int(table.sizes[3])
            if final and n_ids > (doc_ends[n_docs - 1] if n_docs else 0):
                doc_ends[n_docs] = n_ids
                n_docs += 1
            closed = int(doc_ends[n_docs - 1]) if n_docs else 0
            carry = ids[closed:n_ids].copy()
            if n_docs:
                yield ids[:closed].copy(), np.diff(doc_ends[:n_docs], prepend=0)
            if final:
                return
