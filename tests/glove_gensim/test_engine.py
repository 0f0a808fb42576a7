import logging

import pytest

from glove_gensim import engine


def test_auto_is_cpu_without_accelerator_plugin(monkeypatch, caplog):
    monkeypatch.setattr(engine, "_accelerator_plugin_installed", lambda: False)
    with caplog.at_level(logging.INFO, logger="glove_gensim.engine"):
        assert engine.resolve_engine("auto") == "cpu"
    assert "no accelerator" in caplog.text


def test_auto_is_jax_with_an_accelerator(monkeypatch, caplog):
    monkeypatch.setattr(engine, "accelerator_platform", lambda: "gpu")
    with caplog.at_level(logging.INFO, logger="glove_gensim.engine"):
        assert engine.resolve_engine("auto") == "jax"
    assert "gpu" in caplog.text


@pytest.mark.parametrize("name", ["jax", "cpu"])
def test_explicit_engine_kept(name):
    assert engine.resolve_engine(name) == name


@pytest.mark.parametrize("bad", ["gpu", "", None, 1])
def test_bad_engine_names_argument(bad):
    with pytest.raises(ValueError, match="engine must be one of"):
        engine.resolve_engine(bad)


def test_workers():
    assert engine.resolve_workers(None) == engine.available_cores() >= 1
    assert engine.resolve_workers(3) == 3
    for bad in (0, -1, 1.5, True):
        with pytest.raises(ValueError, match="workers"):
            engine.resolve_workers(bad)
