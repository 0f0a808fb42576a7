"""The contract every embedding model keeps (GloVe and SkipGramNS alike): gensim-style training,
loss history, callbacks, exports, keyword-only parameters read back by ``get_params``, bad
arguments refused before any work, and save/load and checkpoints that continue bitwise."""
from __future__ import annotations

import inspect
from dataclasses import dataclass, replace
from typing import Callable

import numpy as np
import pytest
from gensim.models.callbacks import CallbackAny2Vec

from baselines.sgns import SkipGramNS
from glove_gensim.callbacks import EpochLogger, NeighborsLogger
from glove_gensim.corpus import Corpus, CorpusOptions
from glove_gensim.embedding import TrainingDivergedError
from glove_gensim.files import CorruptFileError
from glove_gensim.model import GloVe
from glove_gensim.vocab import Vocabulary
from tests.conftest import Crash, random_documents


@dataclass(frozen=True)
class Spec:
    """What the contract needs to know of one model class."""

    cls: type
    small: dict
    halves: Callable  # model -> (word / input rows, context / output rows)
    exports: dict  # export name -> f(word, context)
    saved_keys: frozenset  # the configuration keys of model.npz (the file format)
    diverging: dict
    divergence_message: str
    diverges_at_once: bool  # in the first epoch, so the parameters are still the initial ones


SHARED_PARAMETERS = ("vector_size", "min_count", "max_vocab_size", "max_final_vocab", "epochs", "seed",
                     "export", "callbacks", "compute_loss", "corpus_options", "progress", "checkpoint_dir",
                     "checkpoint_every", "on_divergence", "max_restarts", "vocabulary", "engine", "workers",
                     "trim_rule")

GLOVE = Spec(
    GloVe, dict(vector_size=8, window=3, min_count=2, x_max=10.0, epochs=3, batch_size=64),
    lambda model: (model.word_vectors, model.context_vectors),
    {"sum": np.add, "word": lambda w, c: w, "context": lambda w, c: c,
     "concat": lambda w, c: np.hstack([w, c])},
    frozenset({"vector_size", "window", "min_count", "max_vocab_size", "max_final_vocab", "x_max", "alpha",
               "learning_rate", "optimizer", "batch_size", "epochs", "symmetric", "distance_weighting", "seed",
               "memory_limit", "export", "compute_loss", "n_devices", "shard_tables", "block_size",
               "out_of_core", "mittens"}),
    dict(optimizer="sgd", learning_rate=50.0, epochs=30, engine="jax"),  # optax: JAX only
    r"epoch \d+ with learning_rate=50.0.*lower learning rate", diverges_at_once=False)
SGNS = Spec(
    SkipGramNS, dict(vector_size=8, window=3, min_count=2, epochs=3, batch_size=64, group_size=8,
                     shared_negatives=4, sample=1e-2),
    lambda model: (model.input_vectors, model.output_vectors),
    {"input": lambda w, c: w, "input+output": np.add, "output": lambda w, c: c,
     "concat": lambda w, c: np.hstack([w, c])},
    frozenset({"vector_size", "window", "min_count", "max_vocab_size", "max_final_vocab", "negative",
               "ns_exponent", "sample", "alpha", "min_alpha", "epochs", "batch_size", "group_size",
               "shared_negatives", "max_row_steps", "shuffle", "seed", "export", "compute_loss", "sg", "hs"}),
    # On the CPU engine (as in gensim) scores beyond the sigmoid table take no step, so a huge
    # alpha saturates instead of diverging: this case runs on JAX; tests/baselines/test_sgns_cpu.py
    # holds the CPU engine's divergence check (NaN vectors).
    dict(alpha=1e30, min_alpha=1e30, max_row_steps=0.0, engine="jax"),
    r"SkipGramNS diverged: the loss became .* in epoch 1 ", diverges_at_once=True)


@pytest.fixture(params=[(GLOVE, "jax"), (GLOVE, "cpu"), (SGNS, "jax"), (SGNS, "cpu")],
                ids=["GloVe-jax", "GloVe-cpu", "SkipGramNS-jax", "SkipGramNS-cpu"])
def spec(request) -> Spec:
    """Each model on each engine; one CPU thread, so the bitwise checks hold."""
    base, engine = request.param
    return replace(base, small={**base.small, "engine": engine, "workers": 1})


@pytest.fixture(scope="module")
def documents():
    return random_documents(np.random.default_rng(7), n_docs=80, n_types=60, max_len=40)


def without(params: dict, *names: str) -> dict:
    return {k: v for k, v in params.items() if k not in names}


class NeverRead:
    """A re-iterable corpus that fails if anything reads it."""

    def __iter__(self):
        raise AssertionError("the corpus must not be read")


# ----- training -------------------------------------------------------------------------------

def test_constructing_with_a_corpus_trains_like_gensim(spec, documents):
    model = spec.cls(documents, **spec.small)
    assert model.epochs_trained == 3 and len(model.loss_history) == 3 == len(model.epoch_seconds)
    assert all(np.isfinite(model.loss_history))
    assert model.get_latest_training_loss() > model.loss_history[-1] > 0  # gensim's running sum
    wv = model.wv
    assert wv.index_to_key == model.vocabulary.words and wv.vector_size == 8
    assert wv.get_vecattr(model.vocabulary.words[0], "count") == model.vocabulary.counts[0]
    assert len(wv.most_similar(model.vocabulary.words[0], topn=2)) == 2


def test_build_vocab_then_train_equals_the_constructor(spec, documents):
    direct = spec.cls(documents, **spec.small)
    staged = spec.cls(**spec.small)
    with pytest.raises(RuntimeError, match="no vocabulary yet"):
        staged.wv
    with pytest.raises(RuntimeError, match="nothing to train on"):
        staged.train()
    staged.build_vocab(documents)
    assert staged.epochs_trained == 0 and staged.loss_history == []
    staged.train()
    assert np.array_equal(direct.wv.vectors, staged.wv.vectors)
    assert staged.loss_history == direct.loss_history


def test_same_seed_same_vectors_different_seed_differs(spec, documents):
    a, b = spec.cls(documents, **{**spec.small, "seed": 3}), spec.cls(documents, **{**spec.small, "seed": 3})
    c = spec.cls(documents, **{**spec.small, "seed": 4})
    assert np.array_equal(a.wv.vectors, b.wv.vectors)
    assert a.loss_history == b.loss_history
    assert not np.allclose(a.wv.vectors, c.wv.vectors)


def test_loss_history_is_recorded_only_with_compute_loss(spec, documents):
    model = spec.cls(documents, **{**spec.small, "compute_loss": False})
    assert model.epochs_trained == 3 and model.loss_history == []
    assert model.get_latest_training_loss() == 0.0
    model.compute_loss = True
    model.train(epochs=1)
    assert len(model.loss_history) == 1 and model.loss_history[0] > 0


def test_a_given_vocabulary_is_trained_over(spec, documents):
    vocabulary = Vocabulary(["w0", "w1", "w2", "w3"], [50, 40, 30, 20])
    model = spec.cls(documents, vocabulary=vocabulary, **without(spec.small, "min_count"))
    assert model.vocabulary is vocabulary and model.get_params()["vocabulary"] is vocabulary
    assert model.wv.index_to_key == vocabulary.words


# ----- callbacks ------------------------------------------------------------------------------

def test_callbacks_see_gensims_hooks_in_order(spec, documents, caplog):
    calls = []

    class Recorder(CallbackAny2Vec):
        def on_train_begin(self, model):
            calls.append(("train_begin", model.epochs_trained))

        def on_epoch_begin(self, model):
            calls.append(("epoch_begin", model.epochs_trained))

        def on_epoch_end(self, model):
            calls.append(("epoch_end", model.epochs_trained, model.loss_history[-1]))

        def on_train_end(self, model):
            calls.append(("train_end", model.epochs_trained))

    probe = NeighborsLogger([documents[0][0], "not-a-word"], topn=2)
    with caplog.at_level("INFO"):
        model = spec.cls(documents, callbacks=[Recorder(), probe, EpochLogger()], **spec.small)
    losses = model.loss_history
    assert calls == [("train_begin", 0),
                     ("epoch_begin", 0), ("epoch_end", 1, losses[0]),
                     ("epoch_begin", 1), ("epoch_end", 2, losses[1]),
                     ("epoch_begin", 2), ("epoch_end", 3, losses[2]),
                     ("train_end", 3)]
    assert len(probe.history) == 3 and len(probe.history[0][documents[0][0]]) == 2
    assert "not in the vocabulary" in caplog.text
    calls.clear()
    model.train(epochs=1, callbacks=[Recorder()])
    assert [call[0] for call in calls] == ["train_begin", "epoch_begin", "epoch_end", "train_end"]
    assert len(probe.history) == 3  # train(callbacks=...) replaces the constructor's


# ----- exports --------------------------------------------------------------------------------

def test_every_export_is_its_combination_of_the_two_tables(spec, documents):
    model = spec.cls(documents, **spec.small)
    word, context = spec.halves(model)
    assert list(model._exports) == list(spec.exports) and model.export == next(iter(spec.exports))
    assert word.shape == context.shape == (len(model.vocabulary), 8)
    for export, combine in spec.exports.items():
        model.export = export
        np.testing.assert_array_equal(model.wv.vectors, combine(word, context))
    given = spec.cls(documents, export="concat", **spec.small)
    np.testing.assert_array_equal(given.wv.vectors, np.hstack([word, context]))


# ----- parameters -----------------------------------------------------------------------------

def test_parameters_after_corpus_file_are_keyword_only(spec, documents):
    signature = inspect.signature(spec.cls)
    names = list(signature.parameters)
    assert names[:2] == ["sentences", "corpus_file"]
    assert all(p.kind is p.KEYWORD_ONLY for p in list(signature.parameters.values())[2:])
    assert set(names[2:]) == set(spec.cls().get_params()) and set(SHARED_PARAMETERS) <= set(names)
    with pytest.raises(TypeError, match="positional"):
        spec.cls(documents, None, 8)
    with pytest.raises(TypeError, match="vector_sise"):
        spec.cls(vector_sise=8)
    with pytest.raises(TypeError, match="tokenizer"):
        spec.cls(tokenizer="whitespace")  # one way to say it: corpus_options=CorpusOptions(...)


def test_get_params_rebuilds_the_model_and_the_saved_keys_keep_the_file_format(spec, documents, tmp_path):
    small = {**spec.small, "engine": "cpu", "workers": 2}
    model = spec.cls(**small, checkpoint_dir=tmp_path, corpus_options=CorpusOptions(line_is_document=True))
    params = model.get_params()
    assert {k: params[k] for k in small} == small
    assert params["engine"] == "cpu" and params["workers"] == 2 and params["checkpoint_dir"] == tmp_path
    assert spec.cls(**params).get_params() == params
    assert set(model._config()) == spec.saved_keys
    assert spec.cls().get_params()["engine"] == "auto" and spec.cls().get_params()["workers"] is None


@pytest.mark.parametrize("bad, error, match", [
    (dict(vector_size=0), ValueError, "vector_size"), (dict(min_count=0), ValueError, "min_count"),
    (dict(max_vocab_size=0), ValueError, "max_vocab_size"), (dict(max_final_vocab=0), ValueError, "max_final_vocab"),
    (dict(epochs=1.5), ValueError, "epochs"), (dict(seed=-1), ValueError, "seed"),
    (dict(export="mean"), ValueError, "export must be one of"),
    (dict(checkpoint_every=0), ValueError, "checkpoint_every"), (dict(max_restarts=-1), ValueError, "max_restarts"),
    (dict(on_divergence="later"), ValueError, "on_divergence"),
    (dict(engine="gpu"), ValueError, r"engine must be one of \('auto', 'jax', 'cpu'\)"),
    (dict(workers=0), ValueError, "workers"), (dict(workers=2.5), ValueError, "workers"),
    (dict(callbacks=[object()]), TypeError, "has none of gensim's hooks"),
    (dict(corpus_options={"tokenizer": "whitespace"}), TypeError, "corpus_options must be a CorpusOptions"),
])
def test_bad_shared_arguments_fail_before_any_work(spec, bad, error, match):
    with pytest.raises(error, match=match):
        spec.cls(NeverRead(), **{**spec.small, **bad})


def test_a_corpus_is_given_one_way(spec, documents, tmp_path):
    path = tmp_path / "corpus.txt"
    path.write_text("\n".join(" ".join(d) for d in documents if d))
    with pytest.raises(ValueError, match="either sentences or corpus_file, not both"):
        spec.cls(documents, corpus_file=path, **spec.small)
    corpus = Corpus(path, tokenizer="whitespace")
    with pytest.raises(ValueError, match="corpus_options=.* was given too"):
        spec.cls(corpus, corpus_options=CorpusOptions(line_is_document=True), **spec.small)
    with pytest.raises(TypeError, match="options=CorpusOptions.*or tokenizer=..., not both"):
        Corpus(path, CorpusOptions(), tokenizer="whitespace")
    for bad, match in ((dict(tokenizer="spacy"), "tokenizer must be one of"),
                       (dict(token_pattern="("), "not a valid regular expression"),
                       (dict(tokenizer="whitespace", token_pattern=r"\w+"), "only used with tokenizer='regex'"),
                       (dict(line_is_document="yes"), "line_is_document"), (dict(errors="ignore"), "errors")):
        with pytest.raises(ValueError, match=match):
            spec.cls(corpus_file=path, corpus_options=CorpusOptions(**bad), **spec.small)


def test_corpus_options_read_the_corpus_file_and_are_saved(spec, documents, tmp_path):
    path = tmp_path / "corpus.txt"
    path.write_text("\n".join(" ".join(w.upper() for w in d) for d in documents if d))
    options = CorpusOptions(tokenizer="whitespace", line_is_document=True)
    params = {**spec.small, "epochs": 1}
    from_file = spec.cls(corpus_file=path, corpus_options=options, **params)
    from_corpus = spec.cls(Corpus(path, options), **params)
    lower = spec.cls(corpus_file=path, **params)
    assert from_file.vocabulary.words[0].isupper() and lower.vocabulary.words[0].islower()
    np.testing.assert_array_equal(from_file.wv.vectors, from_corpus.wv.vectors)
    loaded = spec.cls.load(from_file.save(tmp_path / "model.npz"))
    assert loaded.corpus_options == options


# ----- files ----------------------------------------------------------------------------------

def test_save_load_continues_exactly(spec, documents, tmp_path):
    uninterrupted = spec.cls(**{**spec.small, "epochs": 5}).build_vocab(documents)
    uninterrupted.train(epochs=2).train(epochs=3)  # two calls: SGNS's schedule restarts in each
    first = spec.cls(**{**spec.small, "epochs": 5})
    first.build_vocab(documents)
    first.train(epochs=2)
    loaded = spec.cls.load(first.save(tmp_path / "model.npz"), engine=spec.small["engine"], workers=1)
    assert loaded.vocabulary == first.vocabulary and loaded.epochs_trained == 2
    assert loaded.loss_history == first.loss_history
    assert without(loaded.get_params(), "corpus_options") == without(first.get_params(), "corpus_options")
    assert loaded.corpus_options == CorpusOptions()
    np.testing.assert_array_equal(loaded.wv.vectors, first.wv.vectors)
    loaded.train(epochs=3)
    np.testing.assert_array_equal(loaded.wv.vectors, uninterrupted.wv.vectors)
    assert loaded.loss_history == uninterrupted.loss_history
    with pytest.raises(TypeError, match="run-time settings, not epochs"):
        spec.cls.load(tmp_path / "model.npz", epochs=3)


def test_resume_from_checkpoint_continues_exactly(spec, documents, tmp_path):
    uninterrupted = spec.cls(documents, **{**spec.small, "epochs": 4})
    first = spec.cls(**{**spec.small, "epochs": 4}, checkpoint_dir=tmp_path, callbacks=[Crash(2)])
    first.build_vocab(documents)
    with pytest.raises(KeyboardInterrupt):
        first.train()  # interrupted after 2 of its 4 epochs
    resumed = spec.cls(**{**spec.small, "epochs": 4}, checkpoint_dir=tmp_path)
    resumed.build_vocab(documents)
    assert resumed.restore_checkpoint() and resumed.epochs_trained == 2
    resumed.train(epochs=2)
    np.testing.assert_array_equal(resumed.wv.vectors, uninterrupted.wv.vectors)
    assert resumed.loss_history == uninterrupted.loss_history


def test_corrupt_or_foreign_model_files_are_refused(spec, documents, tmp_path):
    path = spec.cls(documents, **{**spec.small, "epochs": 1}).save(tmp_path / "model.npz")
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(CorruptFileError, match="model.npz"):
        spec.cls.load(path)
    (tmp_path / "bad.npz").write_bytes(b"not a model")
    with pytest.raises(CorruptFileError, match="bad.npz"):
        spec.cls.load(tmp_path / "bad.npz")
    other = GLOVE if spec.cls is SkipGramNS else SGNS
    foreign = other.cls(documents, **{**other.small, "epochs": 1}).save(tmp_path / "other.npz")
    with pytest.raises(CorruptFileError, match="other.npz"):
        spec.cls.load(foreign)


def test_atomic_save_keeps_the_previous_file_on_a_crash(spec, documents, tmp_path, monkeypatch):
    model = spec.cls(documents, **spec.small)
    path = model.save(tmp_path / "model.npz")
    before = path.read_bytes()

    def exploding_write(handle, array, **kwargs):
        handle.write(b"partial garbage")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(np.lib.format, "write_array", exploding_write)
    model.train(epochs=1)
    with pytest.raises(OSError, match="disk full"):
        model.save(path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["model.npz"]


# ----- divergence -----------------------------------------------------------------------------

def test_divergence_stops_with_a_clear_error_and_keeps_finite_parameters(spec, documents):
    model = spec.cls(**{**spec.small, **spec.diverging})
    model.build_vocab(documents)
    before = [half.copy() for half in spec.halves(model)]
    with pytest.raises(TrainingDivergedError, match=spec.divergence_message):
        model.train()
    assert np.all(np.isfinite(model.wv.vectors))
    assert len(model.loss_history) == model.epochs_trained < model.epochs
    if spec.diverges_at_once:
        assert model.epochs_trained == 0
        for kept, start in zip(spec.halves(model), before):
            np.testing.assert_array_equal(kept, start)
