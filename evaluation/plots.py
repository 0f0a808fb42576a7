"""Plotly figures for the evaluation report, and the project's two plotly templates.

Importing this module registers ``"glove_gensim_light"`` and ``"glove_gensim_dark"`` in
``plotly.io.templates``; every function takes ``template="light" | "dark"`` (or any plotly template
name).
"""
from __future__ import annotations

import logging
import warnings
from typing import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
from gensim.models import KeyedVectors
from plotly.subplots import make_subplots

from evaluation._vocab import unit_rows
from evaluation.bootstrap import Interval
from evaluation.neighbors import top_k

logger = logging.getLogger(__name__)

LIGHT_TEMPLATE = "glove_gensim_light"
DARK_TEMPLATE = "glove_gensim_dark"
COLORWAY = ["#2f6fdf", "#e4572e", "#29a36a", "#a05ccf", "#f2a541", "#17becf", "#8c564b", "#d6279b"]
MIN_POINTS_FOR_UMAP = 5


def _make_template(dark: bool) -> go.layout.Template:
    fg, bg, paper, grid = (("#e6e6e6", "#1e2127", "#16181d", "#343a44") if dark
                           else ("#222222", "#ffffff", "#ffffff", "#e5e8ee"))
    axis = dict(gridcolor=grid, zerolinecolor=grid, linecolor=grid, ticks="outside", tickcolor=grid,
                title=dict(standoff=8))
    return go.layout.Template(layout=go.Layout(
        colorway=COLORWAY, paper_bgcolor=paper, plot_bgcolor=bg,
        font=dict(family="Inter, Helvetica, Arial, sans-serif", size=13, color=fg),
        title=dict(x=0.02, xanchor="left", font=dict(size=17)),
        xaxis=axis, yaxis=axis, legend=dict(bgcolor="rgba(0,0,0,0)"),
        margin=dict(l=60, r=30, t=70, b=55), hoverlabel=dict(font=dict(size=12)),
    ))


def register_templates() -> None:
    """(Re-)register the light and dark templates with plotly.

    Examples
    --------
    >>> register_templates()
    >>> pio.templates[DARK_TEMPLATE].layout.plot_bgcolor
    '#1e2127'
    """
    pio.templates[LIGHT_TEMPLATE] = _make_template(dark=False)
    pio.templates[DARK_TEMPLATE] = _make_template(dark=True)


register_templates()


def resolve_template(template: str) -> str:
    """``"light"``/``"dark"`` -> our template names; any registered plotly template passes through.

    Examples
    --------
    >>> resolve_template("dark"), resolve_template("plotly_white")
    ('glove_gensim_dark', 'plotly_white')
    """
    name = {"light": LIGHT_TEMPLATE, "dark": DARK_TEMPLATE}.get(template, template)
    if name not in pio.templates:
        raise ValueError(f"unknown template {template!r}: use 'light', 'dark' or one of {list(pio.templates)}")
    return name


def _subplots(titles: list[str], max_cols: int) -> tuple[go.Figure, int, int]:
    """A grid of panels for ``titles`` (no axes for the unused cells of the last row)."""
    n = max(1, len(titles))
    cols = min(n, max_cols)
    rows = -(-n // cols)
    specs = [[{} if r * cols + c < n else None for c in range(cols)] for r in range(rows)]
    fig = make_subplots(rows=rows, cols=cols, specs=specs, subplot_titles=titles or [""],
                        horizontal_spacing=0.08, vertical_spacing=0.3 / rows)
    return fig, rows, cols


def _empty_note(fig: go.Figure, text: str) -> None:
    fig.add_annotation(text=text, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")


def loss_figure(losses: Mapping[str, Sequence[float | None]], template: str = "light",
                title: str = "Training loss per epoch (each model on its own axis)") -> go.Figure:
    """Small multiples: each model's loss against epoch (1-based) in its own panel and y-axis.

    The models' losses differ in kind and scale (GloVe's weighted squared error, SGNS's mean
    log-loss per pair, gensim's summed loss), so each gets its own axis; see
    :func:`relative_loss_figure` for all of them on one chart.

    Parameters
    ----------
    losses : dict of str to list of float
        Per-epoch losses by model name (models may have different numbers of epochs; None
        entries are skipped).

    Examples
    --------
    >>> fig = loss_figure({"glove": [3.0, 2.0, 1.5], "sgns": [4.0, 3.0]})
    >>> [t.name for t in fig.data], [t.yaxis for t in fig.data]
    (['glove', 'sgns'], ['y', 'y2'])
    """
    losses = {m: [(e, float(v)) for e, v in enumerate(values, start=1) if v is not None]
              for m, values in losses.items()}
    losses = {m: v for m, v in losses.items() if v}
    fig, rows, cols = _subplots(list(losses), max_cols=3)
    for i, (name, points) in enumerate(losses.items()):
        fig.add_trace(go.Scatter(x=[e for e, _ in points], y=[v for _, v in points], mode="lines+markers",
                                 name=name, line=dict(color=COLORWAY[i % len(COLORWAY)]),
                                 hovertemplate="epoch %{x}: %{y:.6g}<extra>" + name + "</extra>"),
                      row=i // cols + 1, col=i % cols + 1)
    fig.update_layout(template=resolve_template(template), title=title, showlegend=False,
                      height=max(320, 300 * rows))
    fig.update_xaxes(title_text="epoch")
    fig.update_yaxes(title_text="loss", exponentformat="SI")
    longest = max((len(v) for v in losses.values()), default=0)
    if 0 < longest <= 20:
        fig.update_xaxes(dtick=1)  # whole epochs only
    if not losses:
        _empty_note(fig, "no losses recorded")
    return fig


def relative_loss_figure(losses: Mapping[str, Sequence[float | None]], template: str = "light",
                         title: str = "Training loss relative to the first epoch") -> go.Figure:
    """Every model's loss divided by its first epoch's loss, on one chart.

    Examples
    --------
    >>> fig = relative_loss_figure({"glove": [4.0, 2.0, 1.0], "sgns": [10.0, 9.0]})
    >>> list(fig.data[0].y)
    [1.0, 0.5, 0.25]
    """
    fig = go.Figure()
    for name, values in losses.items():
        points = [(e, float(v)) for e, v in enumerate(values, start=1) if v is not None]
        if not points or points[0][1] == 0:
            continue
        first = points[0][1]
        fig.add_trace(go.Scatter(x=[e for e, _ in points], y=[v / first for _, v in points],
                                 mode="lines+markers", name=name,
                                 hovertemplate="epoch %{x}: %{y:.4f} of epoch 1<extra>" + name + "</extra>"))
    fig.update_layout(template=resolve_template(template), title=title, xaxis_title="epoch",
                      yaxis_title="loss / loss of epoch 1")
    if not fig.data:
        _empty_note(fig, "no losses recorded")
    return fig


def curve_figure(curves: Mapping[str, Sequence], x: str = "epoch", template: str = "light",
                 title: str | None = None) -> go.Figure:
    """Spearman on each similarity set after every epoch, one panel per set, one line per model.

    Parameters
    ----------
    curves : dict of str to list of CurvePoint
        Per-epoch records by model (:class:`evaluation.curves.CurvePoint`).
    x : {"epoch", "seconds"}
        Against epochs, or against cumulative training seconds (matched compute).

    Examples
    --------
    >>> from evaluation.curves import CurvePoint
    >>> c = {"glove": [CurvePoint(1, 0.5, 2.0, {"ws": 0.1}), CurvePoint(2, 1.0, 1.0, {"ws": 0.3})]}
    >>> list(curve_figure(c, x="seconds").data[0].x)
    [0.5, 1.0]
    """
    if x not in ("epoch", "seconds"):
        raise ValueError(f"x must be 'epoch' or 'seconds', not {x!r}")
    sets = list(dict.fromkeys(s for points in curves.values() for p in points for s in p.scores))
    fig, rows, cols = _subplots(sets, max_cols=2)
    for i, (name, points) in enumerate(curves.items()):
        for j, data_set in enumerate(sets):
            pts = [p for p in points if p.scores.get(data_set) is not None and getattr(p, x) is not None
                   and np.isfinite(p.scores[data_set])]
            if not pts:
                continue
            fig.add_trace(go.Scatter(
                x=[getattr(p, x) for p in pts], y=[p.scores[data_set] for p in pts], mode="lines+markers",
                name=name, legendgroup=name, showlegend=j == 0, line=dict(color=COLORWAY[i % len(COLORWAY)]),
                hovertemplate=f"{x} %{{x:.4g}}: ρ %{{y:.4f}}<extra>{name}</extra>"),
                row=j // cols + 1, col=j % cols + 1)
    label = "epoch" if x == "epoch" else "cumulative seconds (preparation + epochs)"
    fig.update_layout(template=resolve_template(template), height=max(360, 320 * rows),
                      title=title or f"Word similarity (Spearman ρ) against {label}")
    fig.update_xaxes(title_text=label)
    fig.update_yaxes(title_text="Spearman ρ")
    if not fig.data:
        _empty_note(fig, "no per-epoch scores recorded")
    return fig


def score_figure(scores: Mapping[str, Mapping[str, Interval]], template: str = "light",
                 title: str = "Scores with 95% bootstrap intervals", yaxis_title: str = "score") -> go.Figure:
    """Grouped bars: one group per data set, one bar per model, asymmetric error bars.

    Parameters
    ----------
    scores : dict of str to dict of str to Interval
        ``scores[dataset][model]``.

    Examples
    --------
    >>> fig = score_figure({"wordsim353": {"glove": Interval(0.6, 0.5, 0.75), "sgns": Interval(0.5, 0.4, 0.6)},
    ...                     "simlex999": {"glove": Interval(0.3, 0.25, 0.35)}})
    >>> [(bar.name, bar.x, bar.error_y.array) for bar in fig.data]
    [('glove', ('wordsim353', 'simlex999'), (0.15, 0.05)), ('sgns', ('wordsim353',), (0.1,))]
    """
    models = list(dict.fromkeys(m for per in scores.values() for m in per))
    datasets = list(scores)
    fig = go.Figure()
    for model in models:
        xs, ys, plus, minus = [], [], [], []
        for ds in datasets:
            iv = scores[ds].get(model)
            if iv is None:
                continue
            xs.append(ds)
            ys.append(iv.estimate)
            plus.append(max(iv.high - iv.estimate, 0.0) if np.isfinite(iv.high) else 0.0)
            minus.append(max(iv.estimate - iv.low, 0.0) if np.isfinite(iv.low) else 0.0)
        fig.add_trace(go.Bar(x=xs, y=ys, name=model,
                             error_y=dict(type="data", symmetric=False, array=plus, arrayminus=minus),
                             hovertemplate="%{x}: %{y:.4f}<extra>" + model + "</extra>"))
    fig.update_layout(template=resolve_template(template), title=title, barmode="group",
                      yaxis_title=yaxis_title, xaxis_title="data set")
    return fig


def embed_2d(vectors: np.ndarray, seed: int = 0, method: str = "auto") -> tuple[np.ndarray, str]:
    """2-D coordinates of a few vectors: UMAP (cosine) when there are enough points, else PCA.

    Parameters
    ----------
    vectors : ndarray, shape [n_points, dim]
    seed : int
        UMAP's ``random_state``.
    method : {"auto", "umap", "pca"}
        ``"auto"``: UMAP from :data:`MIN_POINTS_FOR_UMAP` points on, PCA below.

    Returns
    -------
    coords : ndarray, shape [n_points, 2]
    method_used : str
        ``"UMAP"`` or ``"PCA"``.

    Examples
    --------
    >>> coords, method = embed_2d(np.eye(4, 6), method="pca")
    >>> coords.shape, method
    ((4, 2), 'PCA')
    """
    x = np.asarray(vectors, dtype=np.float64)
    n = len(x)
    if method not in ("auto", "umap", "pca"):
        raise ValueError(f"method must be 'auto', 'umap' or 'pca', not {method!r}")
    if n == 0:
        return np.zeros((0, 2)), "PCA"
    if method == "pca" or (method == "auto" and n < MIN_POINTS_FOR_UMAP) or n < 4:
        from sklearn.decomposition import PCA
        if n < 2:
            return np.zeros((n, 2)), "PCA"
        n_comp = min(2, n, x.shape[1])
        coords = PCA(n_components=n_comp, random_state=seed).fit_transform(x)
        if n_comp < 2:
            coords = np.hstack([coords, np.zeros((n, 2 - n_comp))])
        return coords, "PCA"
    import umap  # slow import: only when needed
    n_neighbors = max(2, min(15, n - 1))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reducer = umap.UMAP(n_components=2, n_neighbors=n_neighbors, metric="cosine", random_state=seed,
                            init="random" if n < 50 else "spectral", min_dist=0.3)
        coords = reducer.fit_transform(x)
    return np.asarray(coords, dtype=np.float64), "UMAP"


def neighbor_map_figure(models: Mapping[str, KeyedVectors], probe: str, k: int = 10, seed: int = 0,
                        template: str = "light", method: str = "auto") -> go.Figure:
    """Side-by-side 2-D maps of ``probe`` (star) and its ``k`` nearest neighbours (labelled circles).

    One panel per model; a model that does not know ``probe`` gets an empty panel saying so. The
    projection used (UMAP or, for very few points, PCA) is stated in the title.

    Examples
    --------
    >>> kv = KeyedVectors(3)
    >>> kv.add_vectors(["computer", "software", "keyboard", "news"], np.eye(4, 3) + 0.1)
    >>> fig = neighbor_map_figure({"toy": kv, "empty": KeyedVectors(3)}, "computer", k=3, method="pca")
    >>> fig.layout.title.text
    "Neighbours of 'computer' (k=3), PCA 2-D map"
    >>> [trace.text for trace in fig.data], fig.layout.annotations[-1].text
    ([('news', 'software', 'keyboard'), ('computer',)], "'computer' not in vocabulary")
    """
    names = list(models)
    fig = make_subplots(rows=1, cols=max(1, len(names)), subplot_titles=names or [""],
                        horizontal_spacing=0.06)
    used = set()
    for col, name in enumerate(names, start=1):
        kv = models[name]
        if probe not in kv.key_to_index:
            fig.add_annotation(text=f"'{probe}' not in vocabulary", showarrow=False, row=1, col=col,
                               x=0.5, y=0.5, xref="x domain" if col == 1 else f"x{col} domain",
                               yref="y domain" if col == 1 else f"y{col} domain")
            continue
        ns = top_k(kv, [probe], k)[0]
        words = [probe] + [w for w, _ in ns]
        coords, how = embed_2d(unit_rows(kv[words], np.float64), seed=seed, method=method)
        used.add(how)
        fig.add_trace(go.Scatter(
            x=coords[1:, 0], y=coords[1:, 1], mode="markers+text", text=words[1:], textposition="top center",
            marker=dict(symbol="circle", size=9, color=COLORWAY[(col - 1) % len(COLORWAY)]),
            name=f"{name}: neighbours", customdata=[round(s, 4) for _, s in ns],
            hovertemplate="%{text} (cos %{customdata})<extra>" + name + "</extra>"), row=1, col=col)
        fig.add_trace(go.Scatter(
            x=coords[:1, 0], y=coords[:1, 1], mode="markers+text", text=[probe], textposition="bottom center",
            marker=dict(symbol="star", size=18, color="#f2c14e", line=dict(width=1, color="#333333")),
            name=f"{name}: {probe}", hovertemplate="%{text}<extra>probe</extra>"), row=1, col=col)
    how = " / ".join(sorted(used)) or "no projection"
    note = " (PCA: too few points for UMAP)" if used == {"PCA"} and method == "auto" else ""
    fig.update_layout(template=resolve_template(template), showlegend=False,
                      title=f"Neighbours of '{probe}' (k={k}), {how} 2-D map{note}")
    fig.update_xaxes(showticklabels=False)
    fig.update_yaxes(showticklabels=False)
    return fig
