"""Ready-made training callbacks with gensim's hook names (``on_epoch_end(model)`` ...).

Any object with these methods works, including subclasses of gensim's ``CallbackAny2Vec``.
"""
from __future__ import annotations

import logging
from typing import Iterable

logger = logging.getLogger(__name__)


class EpochLogger:
    """Log the start of training and each epoch's number and loss.

    Examples
    --------
    >>> from gensim.test.utils import common_texts
    >>> from glove_gensim import GloVe
    >>> model = GloVe(common_texts, vector_size=8, min_count=1, epochs=2, callbacks=[EpochLogger()])
    >>> model.epochs_trained
    2
    """

    def on_train_begin(self, model) -> None:
        logger.info("training %s for %d epoch(s)", type(model).__name__, model.epochs)

    def on_epoch_end(self, model) -> None:
        logger.info("epoch %d done, loss %.6f", model.epochs_trained, model.get_latest_training_loss())


class NeighborsLogger:
    """Log the nearest neighbours of probe words after every epoch.

    Parameters
    ----------
    words : iterable of str
        Probe words (out-of-vocabulary ones are reported once and skipped).
    topn : int
        Neighbours per word.

    Examples
    --------
    >>> from gensim.test.utils import common_texts
    >>> from glove_gensim import GloVe
    >>> probes = NeighborsLogger(["computer", "unseen"], topn=2)
    >>> model = GloVe(common_texts, vector_size=8, min_count=1, epochs=2, callbacks=[probes])
    >>> len(probes.history), len(probes.history[-1]["computer"]), "unseen" in probes.history[-1]
    (2, 2, False)
    """

    def __init__(self, words: Iterable[str], topn: int = 3) -> None:
        self.words = list(words)
        self.topn = topn
        self.history: list[dict[str, list[str]]] = []
        self._warned: set[str] = set()

    def on_epoch_end(self, model) -> None:
        wv = model.wv
        found = {}
        for word in self.words:
            if word not in wv.key_to_index:
                if word not in self._warned:
                    logger.warning("probe word %r is not in the vocabulary", word)
                    self._warned.add(word)
                continue
            found[word] = [neighbor for neighbor, _ in wv.most_similar(word, topn=self.topn)]
            logger.info("epoch %d: %s -> %s", model.epochs_trained, word, ", ".join(found[word]))
        self.history.append(found)
