"""glove-gensim: GloVe word vectors trained with JAX, delivered as gensim ``KeyedVectors``.

Flat public API (imported lazily, so ``glove-gensim cooccur`` never loads JAX)::

    from glove_gensim import GloVe, Corpus, Vocabulary, count_cooccurrences, load_glove

Examples
--------
>>> import glove_gensim
>>> vocab = glove_gensim.Vocabulary.build(glove_gensim.Corpus([["a", "b", "a"]]), min_count=1)
>>> glove_gensim.count_cooccurrences([["a", "b", "a"]], vocab, window=2).to_scipy().toarray()
array([[1., 2.],
       [2., 0.]])
"""
from __future__ import annotations

import importlib

__version__ = "0.2.0"

_EXPORTS = {
    "Corpus": "glove_gensim.corpus", "make_tokenizer": "glove_gensim.corpus",
    "Vocabulary": "glove_gensim.vocab",
    "Cooccurrence": "glove_gensim.cooccur", "count_cooccurrences": "glove_gensim.cooccur",
    "GloVe": "glove_gensim.model", "auto_batch_size": "glove_gensim.model",
    "TrainingDivergedError": "glove_gensim.embedding", "CorpusOptions": "glove_gensim.corpus",
    "EpochLogger": "glove_gensim.callbacks", "NeighborsLogger": "glove_gensim.callbacks",
    "load_glove": "glove_gensim.io", "save_glove_text": "glove_gensim.io",
    "save_word2vec_text": "glove_gensim.io", "save_glove_binary": "glove_gensim.io",
    "CorruptFileError": "glove_gensim.files",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'glove_gensim' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
