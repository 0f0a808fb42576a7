"""Baselines GloVe is compared with, on the same corpus and vocabulary.

``SkipGramNS`` (:mod:`baselines.sgns`): word2vec's skip-gram with negative sampling in JAX.
``train_word2vec`` (:mod:`baselines.word2vec`): gensim's own ``Word2Vec`` as the reference peer.

Imported lazily, so ``glove-gensim`` starts without loading JAX or gensim.

Examples
--------
>>> import baselines
>>> baselines.train_word2vec.__module__, baselines.SkipGramNS.__module__
('baselines.word2vec', 'baselines.sgns')
"""
from __future__ import annotations

__all__ = ["SkipGramNS", "train_word2vec"]


def __getattr__(name: str):
    if name == "SkipGramNS":
        from baselines.sgns import SkipGramNS

        return SkipGramNS
    if name == "train_word2vec":
        from baselines.word2vec import train_word2vec

        return train_word2vec
    raise AttributeError(f"module 'baselines' has no attribute {name!r}")
