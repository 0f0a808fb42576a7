"""Helpers for the evaluation tests: small synthetic KeyedVectors (fast: no training)."""
from __future__ import annotations

import numpy as np
from gensim.models import KeyedVectors
from gensim.test.utils import datapath


def make_kv(words: list[str], vectors: np.ndarray, counts: list[int] | None = None) -> KeyedVectors:
    kv = KeyedVectors(vector_size=vectors.shape[1], dtype=np.float32)
    kv.add_vectors(words, vectors.astype(np.float32))
    if counts is not None:
        for w, c in zip(words, counts):
            kv.set_vecattr(w, "count", int(c))
    return kv


def dataset_words(name: str) -> list[str]:
    """Unique words of a bundled similarity set, in file order."""
    words = []
    with open(datapath(name), encoding="utf8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) == 3:
                words += [parts[0], parts[1]]
    return list(dict.fromkeys(words))


def analogy_sections(names: set[str]) -> list[tuple[str, str, str, str]]:
    """Questions of the named sections of gensim's questions-words.txt."""
    out, keep = [], False
    with open(datapath("questions-words.txt"), encoding="utf8") as fh:
        for line in fh:
            if line.startswith(": "):
                keep = line[2:].strip() in names
            elif keep:
                out.append(tuple(line.split()))
    return out


