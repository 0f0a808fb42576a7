"""The same gensim script against gensim's ``Word2Vec`` and against our classes: what a gensim user
observes must be the same (issue 17), or differ loudly where the table of
``docs/howto/from_word2vec.rst`` says so.

Each test runs one script through a *driver* per implementation (gensim's ``Word2Vec(sg=1, hs=0)``,
``SkipGramNS``, ``GloVe``), the drivers differing only in the model's own settings.
"""
from __future__ import annotations

import logging
import pickle
import threading
import warnings
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pytest
from gensim.models import Word2Vec
from gensim.models.callbacks import CallbackAny2Vec
from gensim.test.utils import common_texts, datapath
from gensim.utils import RULE_DISCARD, RULE_KEEP, RULE_DEFAULT

from baselines import sgns as sgns_module
from baselines.schedule import rate_at
from baselines.sgns import SkipGramNS
from baselines.word2vec import MAX_WORDS_IN_PIECE, Pieces, train_word2vec
from glove_gensim.corpus import Corpus, CorpusOptions
from glove_gensim.files import CorruptFileError
from glove_gensim.model import GloVe
from glove_gensim.vocab import Vocabulary

#: gensim's toy corpus, repeated so every model has something to learn (12 words, 90 documents)
TEXTS = [list(text) for text in common_texts * 10]
OTHER_TEXTS = [text[::-1] for text in TEXTS[:40]]  # the same words, another corpus


@dataclass(frozen=True)
class Driver:
    """How to make one implementation's model; everything else in a script is the same."""

    name: str  # the class name, as str(model) shows it
    make: Callable[..., object]
    label: str = ""  # the test id

    @property
    def id(self) -> str:
        return self.label or self.name

    def __call__(self, *args, **kwargs):
        return self.make(*args, **kwargs)


WORD2VEC = Driver("Word2Vec", lambda *a, **k: Word2Vec(*a, **{"sg": 1, "hs": 0, "workers": 1, "window": 2, **k}))
SGNS = Driver("SkipGramNS", lambda *a, **k: SkipGramNS(*a, **{"window": 2, "batch_size": 64, "group_size": 8,
                                                              "shared_negatives": 4, "engine": "jax", **k}),
              "SkipGramNS-jax")
SGNS_CPU = Driver("SkipGramNS", lambda *a, **k: SkipGramNS(*a, **{"window": 2, "engine": "cpu", "workers": 1, **k}),
                  "SkipGramNS-cpu")
GLOVE = Driver("GloVe", lambda *a, **k: GloVe(*a, **{"window": 2, "x_max": 10.0, "engine": "cpu", "workers": 1, **k}),
               "GloVe-cpu")
GLOVE_JAX = Driver("GloVe", lambda *a, **k: GloVe(*a, **{"window": 2, "x_max": 10.0, "batch_size": 32, "engine": "jax",
                                                        **k}), "GloVe-jax")
OURS = [SGNS, SGNS_CPU, GLOVE, GLOVE_JAX]


@pytest.fixture(params=[WORD2VEC, *OURS], ids=lambda d: d.id)
def driver(request) -> Driver:
    return request.param


@pytest.fixture(params=OURS, ids=lambda d: d.id)
def ours(request) -> Driver:
    return request.param


class Recorder:
    """A gensim callback recording each hook with what a gensim user can read at that point."""

    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def on_train_begin(self, model) -> None:
        self.calls.append(("train_begin", model.get_latest_training_loss()))

    def on_epoch_begin(self, model) -> None:
        self.calls.append(("epoch_begin",))

    def on_epoch_end(self, model) -> None:
        self.calls.append(("epoch_end", model.get_latest_training_loss()))

    def on_train_end(self, model) -> None:
        self.calls.append(("train_end",))


def two_step(driver: Driver, corpus=TEXTS, epochs: int = 2, **params):
    """gensim's documented two-step idiom, word for word."""
    model = driver(vector_size=8, min_count=1, seed=1, epochs=epochs, **params)
    model.build_vocab(corpus_iterable=corpus)
    model.train(corpus_iterable=corpus, total_examples=model.corpus_count, total_words=model.corpus_total_words,
                epochs=model.epochs)
    return model


# ----- 2. the two-step idiom and corpus_count ------------------------------------------------

def test_two_step_idiom_and_corpus_counts(driver):
    model = two_step(driver)
    assert (model.corpus_count, model.corpus_total_words) == (len(TEXTS), sum(map(len, TEXTS)))
    assert sorted(model.wv.index_to_key) == sorted({word for text in TEXTS for word in text})
    assert model.epochs == 2


def test_corpus_count_of_a_file_corpus_equals_gensims(ours, tmp_path):
    path = tmp_path / "corpus.txt"
    path.write_text("\n".join(" ".join(text) for text in TEXTS) + "\n")
    from gensim.models.word2vec import LineSentence

    reference = Word2Vec(min_count=1, vector_size=8)
    reference.build_vocab(LineSentence(str(path)))
    model = ours(vector_size=8, min_count=1, corpus_options=CorpusOptions(line_is_document=True, tokenizer="whitespace"))
    model.build_vocab(corpus_file=path)
    assert (model.corpus_count, model.corpus_total_words) == (reference.corpus_count, reference.corpus_total_words)


def test_total_examples_that_differ_from_the_corpus_warn_as_gensim(ours, caplog):
    model = ours(vector_size=8, min_count=1, epochs=1).build_vocab(TEXTS)
    with caplog.at_level(logging.WARNING):
        model.train(TEXTS, total_examples=model.corpus_count + 5, epochs=1)
    assert "total_examples=95" in caplog.text and f"holds {len(TEXTS)} documents" in caplog.text
    with pytest.raises(ValueError, match="total_words"):
        model.train(TEXTS, total_words=-1, epochs=1)
    with pytest.raises(ValueError, match="corpus_iterable"):
        model.train(TEXTS, corpus_iterable=TEXTS, epochs=1)


# ----- 1. continued training -------------------------------------------------------------------

def test_train_on_a_corpus_continues_the_model(driver):
    model = two_step(driver)
    words, kv = list(model.wv.index_to_key), model.wv
    before = kv.vectors.copy()
    model.train(corpus_iterable=OTHER_TEXTS, total_examples=len(OTHER_TEXTS), epochs=1)
    assert model.wv.index_to_key == words and model.wv is kv  # same vocabulary, same live vectors
    assert model.corpus_count == len(TEXTS)  # build_vocab's corpus, as gensim
    fresh = driver(vector_size=8, min_count=1, seed=1, epochs=1)
    fresh.build_vocab(corpus_iterable=OTHER_TEXTS)
    fresh.train(corpus_iterable=OTHER_TEXTS, total_examples=len(OTHER_TEXTS), epochs=1)
    moved = np.abs(model.wv.vectors - before).max()
    assert 0 < moved and not np.allclose(model.wv[words], fresh.wv[words], atol=1e-4)
    if driver is not WORD2VEC:
        assert model.epochs_trained == 3 and len(model.loss_history) == 3


def test_train_on_the_build_vocab_corpus_equals_train_without_one(ours, monkeypatch):
    from glove_gensim import model as glove_module

    counted = []
    count = glove_module.count_cooccurrences
    monkeypatch.setattr(glove_module, "count_cooccurrences", lambda *a, **k: counted.append(1) or count(*a, **k))
    given = two_step(ours)
    implicit = ours(vector_size=8, min_count=1, seed=1, epochs=2).build_vocab(TEXTS).train()
    np.testing.assert_array_equal(given.wv.vectors, implicit.wv.vectors)
    assert len(counted) == (2 if ours.name == "GloVe" else 0)  # once per model: train(corpus) reuses the counts


def test_new_frequent_words_are_refused_until_the_vocabulary_update_adds_them(driver):
    model = two_step(driver)
    words = list(model.wv.index_to_key)
    novel = TEXTS + [["zebra", "okapi", "system"]] * 3
    if driver is WORD2VEC:  # gensim ignores them silently: a difference docs/howto/from_word2vec.rst documents
        model.train(corpus_iterable=novel, total_examples=len(novel), epochs=1)
        assert model.wv.index_to_key == words
        return
    with pytest.raises(ValueError, match=r"build_vocab\(corpus, update=True\)"):
        model.train(novel, epochs=1)
    assert model.wv.index_to_key == words and model.epochs_trained == 2
    before = model.wv.vectors.copy()
    model.build_vocab(novel, update=True)
    assert model.wv.index_to_key[:len(words)] == words and {"zebra", "okapi"} <= set(model.wv.index_to_key)
    np.testing.assert_array_equal(model.wv.vectors[:len(words)], before)


def test_a_given_vocabulary_leaves_other_words_out_on_purpose(ours):
    vocabulary = Vocabulary(["system", "graph", "user", "trees"], [40, 30, 30, 30])
    model = ours(TEXTS, vector_size=8, min_count=1, epochs=1, vocabulary=vocabulary)
    assert model.wv.index_to_key == vocabulary.words and model.corpus_count == len(TEXTS)
    model.train(OTHER_TEXTS, epochs=1)  # words outside a given vocabulary are not "new"
    assert model.epochs_trained == 2 and model.wv.index_to_key == vocabulary.words
    if ours.name == "SkipGramNS":  # a vocabulary alone, the corpus later
        later = SGNS(vector_size=8, epochs=1, vocabulary=vocabulary).train(TEXTS)
        assert later.epochs_trained == 1 and later.corpus_count == len(TEXTS)


# ----- 3. gensim's keywords ------------------------------------------------------------------------

def discard_trees(word, count, min_count):
    return RULE_DISCARD if word == "trees" else RULE_KEEP if word == "human" else RULE_DEFAULT


def test_workers_and_trim_rule_are_taken_as_gensim(driver):
    model = driver(TEXTS, vector_size=8, min_count=25, epochs=1, workers=2, trim_rule=discard_trees)
    reference = Word2Vec(min_count=25)
    reference.build_vocab(TEXTS, trim_rule=discard_trees)
    assert sorted(model.wv.index_to_key) == sorted(reference.wv.index_to_key) == ["graph", "human", "system", "user"]
    if driver is not WORD2VEC:
        assert model.workers == 2 and model.get_params()["trim_rule"] is discard_trees
        with pytest.raises(TypeError, match="trim_rule must be a callable"):
            driver(trim_rule="trees")


def test_skipgram_ns_takes_sg_1_and_hs_0_and_names_word2vec_for_the_rest():
    model = SkipGramNS(TEXTS, sg=1, hs=0, vector_size=8, min_count=1, epochs=1, batch_size=64, group_size=8,
                       shared_negatives=4)
    assert model.epochs_trained == 1
    for bad in (dict(sg=0), dict(hs=1), dict(sg=True)):
        with pytest.raises(ValueError, match=r"gensim\.models\.Word2Vec"):
            SkipGramNS(**bad)


# ----- 4. gensim's toy example --------------------------------------------------------------------

def test_gensims_toy_example_trains_for_every_seed(caplog):
    reference = Word2Vec(common_texts, min_count=1, sg=1, workers=1)
    for seed in range(10):
        with caplog.at_level(logging.WARNING):
            model = SkipGramNS(common_texts, min_count=1, seed=seed)
        assert model.epochs_trained == reference.epochs == 5
        assert np.isfinite(model.wv.vectors).all() and len(model.wv) == len(reference.wv)


# ----- 5. the learning-rate schedule over two train calls ------------------------------------

def test_rate_at_is_gensims_formula():
    model = Word2Vec(alpha=0.03, min_alpha=0.001, epochs=4)
    for epoch in range(4):
        for within in (0.0, 0.25, 0.9, 1.0):
            assert rate_at((epoch + within) / 4, 0.03, 0.001) == pytest.approx(model._get_next_alpha(within, epoch))


@pytest.mark.parametrize("engine", ["jax", "cpu"])
def test_two_train_calls_follow_gensims_per_call_schedule(monkeypatch, engine):
    seen: list[tuple[float, float]] = []
    module = sgns_module.core if engine == "jax" else sgns_module.sgns_cpu
    engine_epoch = module.run_epoch

    def spy(*args):  # both engines: (..., rate_start, rate_end, ...) at positions 6 and 7
        seen.append((float(args[6]), float(args[7])))
        return engine_epoch(*args)

    monkeypatch.setattr(module, "run_epoch", spy)
    gensim_starts: list[float] = []

    class StartRates(CallbackAny2Vec):
        def on_epoch_end(self, model):
            gensim_starts.append(model.min_alpha_yet_reached)  # one job per epoch: the epoch's start rate

    reference = Word2Vec(vector_size=8, min_count=1, sg=1, workers=1, window=2, sample=0)
    reference.build_vocab(TEXTS)
    model = SGNS(vector_size=8, min_count=1, sample=0, engine=engine, workers=1).build_vocab(TEXTS)
    moves = []
    for _ in range(2):
        before = model.wv.vectors.copy()
        reference.train(TEXTS, total_examples=reference.corpus_count, epochs=5, callbacks=[StartRates()])
        model.train(TEXTS, total_examples=model.corpus_count, epochs=5)
        moves.append(float(np.linalg.norm(model.wv.vectors - before)))
    expected = [(rate_at(e / 5, 0.025, 0.0001), rate_at((e + 1) / 5, 0.025, 0.0001)) for e in range(5)] * 2
    np.testing.assert_allclose(seen, expected, rtol=1e-6)
    np.testing.assert_allclose(gensim_starts, [start for start, _ in expected], rtol=1e-6)
    assert moves[1] > 0.3 * moves[0]  # the second call learns (the old schedule ran it at min_alpha)


# ----- 6. a fair Word2Vec reference ---------------------------------------------------------------

def test_word2vec_reference_trains_on_every_token_and_continues(caplog):
    corpus = Corpus(datapath("lee_background.cor"))  # paragraph mode: one long document
    assert max(map(len, corpus)) > MAX_WORDS_IN_PIECE
    vocabulary = Vocabulary.build(corpus, min_count=5)
    with caplog.at_level(logging.INFO, logger="gensim.models.word2vec"):
        model, losses = train_word2vec(corpus, vocabulary, vector_size=10, epochs=1, workers=1, sample=1e-3)
    effective = int(caplog.text.split("raw words (")[1].split(" effective")[0])
    keep = np.minimum(1.0, np.array([model.wv.get_vecattr(w, "sample_int") for w in vocabulary.words]) / 2**32)
    expected = float((vocabulary.counts * keep).sum())
    spread = float(np.sqrt((vocabulary.counts * keep * (1 - keep)).sum()))
    assert abs(effective - expected) < 5 * spread + 1, (effective, expected)
    assert model.corpus_count == sum(1 for _ in Pieces(corpus)) > 1
    done = threading.Event()

    def continue_training():
        model.train(Pieces(corpus), total_examples=model.corpus_count, epochs=1)
        done.set()

    thread = threading.Thread(target=continue_training, daemon=True)
    thread.start()
    thread.join(60)
    assert done.is_set(), "continuing the returned Word2Vec hung"


# ----- 7. one live wv ---------------------------------------------------------------------------

def test_wv_is_one_live_object(driver):
    model = two_step(driver)
    kv = model.wv
    view, before = kv.vectors, kv.vectors.copy()
    word = kv.index_to_key[0]
    kv.most_similar(word)  # caches norms
    model.train(corpus_iterable=TEXTS, total_examples=model.corpus_count, epochs=1)
    assert model.wv is kv and not np.allclose(view, before)
    fresh = kv.vectors / np.linalg.norm(kv.vectors, axis=1, keepdims=True)
    best = max((w for w in kv.index_to_key if w != word), key=lambda w: fresh[kv.key_to_index[w]] @ fresh[0])
    assert kv.most_similar(word, topn=1)[0][0] == best  # cached norms were cleared


# ----- 8. vocabulary limits ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def lee_lines():
    return list(Corpus(datapath("lee_background.cor"), line_is_document=True))


@pytest.mark.parametrize("limits", [dict(max_vocab_size=3000), dict(max_final_vocab=1000),
                                    dict(max_final_vocab=700, max_vocab_size=5000)],
                         ids=["max_vocab_size", "max_final_vocab", "both"])
def test_vocabulary_limits_give_gensims_vocabulary(ours, lee_lines, limits):
    reference = Word2Vec(min_count=2, **limits)
    reference.build_vocab(lee_lines)
    model = ours(vector_size=8, min_count=2, **limits)
    model.build_vocab(lee_lines)
    ours_counts = dict(zip(model.vocabulary.words, model.vocabulary.counts.tolist()))
    gensim_counts = {w: reference.wv.get_vecattr(w, "count") for w in reference.wv.index_to_key}
    assert ours_counts == gensim_counts
    assert list(model.vocabulary.counts) == sorted(model.vocabulary.counts, reverse=True)


def test_max_final_vocab_keeps_or_drops_boundary_ties_together_as_gensim():
    docs = [["a"] * 5 + ["b"] * 4 + ["c"] * 4 + ["d"]]
    for limit, expected in ((2, ["a"]), (3, ["a", "b", "c"]), (10, ["a", "b", "c", "d"])):
        reference = Word2Vec(min_count=1, max_final_vocab=limit)
        reference.build_vocab(docs)
        assert Vocabulary.build(docs, min_count=1, max_final_vocab=limit).words == expected
        assert sorted(reference.wv.index_to_key) == expected


# ----- 9. GloVe's alpha ---------------------------------------------------------------------------

def test_glove_alpha_that_looks_like_a_learning_rate_warns():
    with pytest.warns(UserWarning, match=r"weighting exponent.*learning_rate="):
        GloVe(alpha=0.025)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        GloVe(alpha=0.75, learning_rate=0.025)
    assert "alpha" in GloVe.__doc__.split("Parameters")[0] and "learning_rate=" in GloVe.__doc__.split("Parameters")[0]


# ----- 10. loss, files, str, logs, callbacks --------------------------------------------------

def test_running_loss_and_callback_order_as_gensim(driver):
    model = driver(vector_size=8, min_count=1, seed=1, epochs=2, compute_loss=True)
    model.build_vocab(TEXTS)
    recorders = []
    for _ in range(2):
        recorder = Recorder()
        model.train(TEXTS, total_examples=model.corpus_count, epochs=2, callbacks=[recorder], compute_loss=True)
        recorders.append(recorder)
    for recorder in recorders:
        assert [call[0] for call in recorder.calls] == ["train_begin", "epoch_begin", "epoch_end",
                                                        "epoch_begin", "epoch_end", "train_end"]
        assert recorder.calls[0][1] == 0.0  # the running loss restarts in each call
        first, second = recorder.calls[2][1], recorder.calls[4][1]
        assert 0 < first < second  # cumulative: the difference is the second epoch's summed loss
    assert model.get_latest_training_loss() == pytest.approx(recorders[1].calls[4][1], rel=1e-6)
    if driver.name == "GloVe":  # the differences are the epochs' summed costs: mean x entries
        sums = np.diff([0.0, recorders[1].calls[2][1], recorders[1].calls[4][1]])
        np.testing.assert_allclose(sums / model.cooccurrence.nnz, model.loss_history[-2:], rtol=1e-5)


def test_str_is_gensims_form(driver):
    model = driver(TEXTS, vector_size=8, min_count=1, epochs=1)
    rate = {"Word2Vec": "alpha=0.025", "SkipGramNS": "alpha=0.025", "GloVe": "learning_rate=0.05"}[driver.name]
    assert str(model) == f"{driver.name}<vocab=12, vector_size=8, {rate}>"


def test_training_logs_gensims_summary_lines(driver, caplog):
    with caplog.at_level(logging.INFO):
        driver(TEXTS, vector_size=8, min_count=1, epochs=1, workers=1)
    assert "training model with 1 workers on 12 vocabulary and 8 features, using " in caplog.text
    assert "training on " in caplog.text and " took " in caplog.text


def test_save_takes_a_file_handle(driver, tmp_path):
    model = driver(TEXTS, vector_size=8, min_count=1, epochs=1)
    path = tmp_path / "model.bin"
    with open(path, "wb") as handle:
        model.save(handle)
    loaded = type(model).load(str(path))
    np.testing.assert_array_equal(loaded.wv.vectors, model.wv.vectors)
    assert loaded.corpus_count == model.corpus_count == len(TEXTS)
    if driver is not WORD2VEC:
        with open(path, "rb") as handle:
            assert type(model).load(handle).epochs_trained == 1


def test_loading_a_gensim_pickle_says_what_the_file_is(ours, tmp_path):
    gensim_model = tmp_path / "word2vec.model"
    Word2Vec(TEXTS, vector_size=8, min_count=1, epochs=1, workers=1).save(str(gensim_model))
    cls = type(ours(vector_size=8))
    with pytest.raises(CorruptFileError, match=r"Python pickle.*gensim.*Word2Vec\.load"):
        cls.load(gensim_model)
    vectors = tmp_path / "vectors.txt"
    two_step(ours).wv.save_word2vec_format(str(vectors))
    with pytest.raises(CorruptFileError, match="load_word2vec_format"):
        cls.load(vectors)
    other = tmp_path / "other.pkl"
    other.write_bytes(pickle.dumps({"a": 1}))
    with pytest.raises(CorruptFileError, match="pickle"):
        cls.load(other)
