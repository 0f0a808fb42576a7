import numpy as np
import plotly.io as pio
import pytest

from evaluation import (DARK_TEMPLATE, LIGHT_TEMPLATE, Interval, embed_2d, loss_figure, neighbor_map_figure,
                        score_figure)
from tests.evaluation.evaluation_helpers import make_kv


def test_templates_registered():
    assert LIGHT_TEMPLATE == "glove_gensim_light" and DARK_TEMPLATE == "glove_gensim_dark"
    assert LIGHT_TEMPLATE in pio.templates and DARK_TEMPLATE in pio.templates
    assert pio.templates[DARK_TEMPLATE].layout.paper_bgcolor != pio.templates[LIGHT_TEMPLATE].layout.paper_bgcolor
    fig = loss_figure({"glove": [3.0, 2.0, 1.5], "sgns": [4.0, 3.0]}, template="dark")
    assert fig.layout.template.layout.paper_bgcolor == pio.templates[DARK_TEMPLATE].layout.paper_bgcolor
    with pytest.raises(ValueError, match="template"):
        loss_figure({}, template="nope")


def test_loss_figure():
    fig = loss_figure({"glove": [3.0, 2.0, 1.5], "sgns": [4.0, 3.0]})
    assert [t.name for t in fig.data] == ["glove", "sgns"]
    assert list(fig.data[0].x) == [1, 2, 3] and list(fig.data[1].y) == [4.0, 3.0]


def test_score_figure_error_bars():
    scores = {"wordsim353": {"glove": Interval(0.5, 0.4, 0.65), "sgns": Interval(0.6, 0.55, 0.62)},
              "simlex999": {"glove": Interval(0.3, 0.2, 0.35)}}
    fig = score_figure(scores)
    glove, sgns = fig.data
    assert list(glove.x) == ["wordsim353", "simlex999"] and list(sgns.x) == ["wordsim353"]
    np.testing.assert_allclose(glove.error_y.array, [0.15, 0.05])
    np.testing.assert_allclose(glove.error_y.arrayminus, [0.1, 0.1])
    assert glove.error_y.symmetric is False


def test_embed_2d_falls_back_to_pca_for_few_points():
    rng = np.random.default_rng(0)
    coords, how = embed_2d(rng.normal(size=(3, 10)))
    assert how == "PCA" and coords.shape == (3, 2)
    coords, how = embed_2d(rng.normal(size=(12, 10)), method="pca")
    assert how == "PCA" and coords.shape == (12, 2) and np.isfinite(coords).all()
    assert embed_2d(rng.normal(size=(1, 10)))[0].shape == (1, 2)


def test_neighbor_map_star_and_labels():
    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(8)]
    kv = make_kv(words, rng.normal(size=(8, 6)))
    other = make_kv(words[1:], rng.normal(size=(7, 6)))
    fig = neighbor_map_figure({"a": kv, "b": other}, "w0", k=3, method="auto")
    # 1 probe + 3 neighbours = 4 points < 5: PCA, and the title says so
    assert "PCA" in fig.layout.title.text and "too few points" in fig.layout.title.text
    stars = [t for t in fig.data if t.marker.symbol == "star"]
    circles = [t for t in fig.data if t.marker.symbol == "circle"]
    assert len(stars) == 1 and list(stars[0].text) == ["w0"]
    assert len(circles) == 1 and len(circles[0].text) == 3 and "markers+text" in circles[0].mode
    assert any("not in vocabulary" in a.text for a in fig.layout.annotations)
