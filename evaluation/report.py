"""Compare several models (over one or more training seeds) and write an HTML / Markdown / JSON report.

:func:`build_report` takes :class:`TrainedVectors` (a model's vectors from one seed, with its
settings, per-epoch curve and training cost), evaluates each on the word-similarity sets and the
analogy file, summarises every model over the seeds (mean, spread, bootstrap interval of the
mean), compares every pair of models that answer the question asked (seed by seed: paired
bootstrap, Williams' t or exact McNemar, Holm over the whole report), states a one-line verdict
per data set, checks whether the verdict holds across a settings grid, probes nearest neighbours,
draws the figures and writes ``report.html`` (one page that opens offline), ``report.md`` and
``report.json`` (every number and figure; see ``evaluation/report.schema.json``), each atomically.
:func:`compare` does the same for a plain ``{name: KeyedVectors}`` mapping.
:func:`evaluation.experiment.run_comparison` trains the models and calls :func:`build_report`.

Examples
--------
>>> import tempfile
>>> import numpy as np
>>> from gensim.models import KeyedVectors
>>> from evaluation.similarity import read_word_pairs
>>> words = sorted({w for pair in read_word_pairs("wordsim353").pairs for w in pair})
>>> def random_kv(seed):
...     kv = KeyedVectors(8)
...     kv.add_vectors(words, np.random.default_rng(seed).normal(size=(len(words), 8)).astype(np.float32))
...     return kv
>>> with tempfile.TemporaryDirectory() as out:
...     report = compare({"a": random_kv(0), "b": random_kv(1)}, out_dir=out, similarity_sets=["wordsim353"],
...                      n_boot=100, n_maps=0, analogy_methods=("3cosadd",))
>>> report.models, len(report.comparisons), report.comparisons[0].test
(['a', 'b'], 2, 'williams')
"""
from __future__ import annotations

import itertools
import json
import logging
import math
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import numpy as np
import plotly.graph_objects as go
from gensim.models import KeyedVectors

from evaluation._vocab import check_kv
from evaluation.analogy import AnalogyResult, evaluate_analogy_methods, read_analogies
from evaluation.bootstrap import Interval, Result, bootstrap_seed_mean
from evaluation.comparisons import Comparison, GridCheck, Verdict, apply_holm, compare_results, grid_check, verdict
from evaluation.cost import TrainingCost
from evaluation.curves import CurvePoint
from evaluation.neighbors import NeighborsResult, middle_frequency_probes, nearest_neighbors
from evaluation.plots import (curve_figure, loss_figure, neighbor_map_figure, relative_loss_figure,
                              resolve_template, score_figure)
from evaluation.similarity import SimilarityResult, WordPairs, evaluate_similarity, read_word_pairs

logger = logging.getLogger(__name__)

DEFAULT_SIMILARITY_SETS = ("wordsim353", "simlex999")
DEFAULT_ANALOGY_FILE = "questions-words"
REPORT_VERSION = 2
FAMILIES = ("GloVe", "SGNS")


@dataclass(frozen=True)
class TrainedVectors:
    """One model's vectors from one training seed, with what it took to make them.

    Attributes
    ----------
    name : str
        The model's row in the report, e.g. ``"GloVe (W+W~)"`` or ``"SGNS epochs=15"``.
    kv : KeyedVectors
    seed : int or None
        Training seed (None: not trained here).
    family : str
        ``"GloVe"``, ``"SGNS"`` (ours and gensim's Word2Vec) or ``""``: the verdict is between
        the best model of each family when both are present.
    implementation : str
        The training code (``"GloVe"``, ``"SGNS"``, ``"Word2Vec (gensim)"``); with ``view``, says
        which models are grid variants of one another.
    run : str
        The training run the vectors come from: GloVe's three exports share one run, its curve
        and its cost.
    view : str
        Which vectors of the run (``"W+W~"``, ``"W"``, ``"W~"``; ``""`` for the only one).
    settings : dict
        The model's parameters, printed beside its scores.
    curve : list of CurvePoint
    cost : TrainingCost or None
    primary : bool
        Shown in the neighbour tables and maps (GloVe's W and W~ rows are not).

    Examples
    --------
    >>> kv = KeyedVectors(2)
    >>> kv.add_vectors(["cat", "dog"], np.eye(2))
    >>> e = TrainedVectors("GloVe (W)", kv, seed=1, family="GloVe", implementation="GloVe", run="GloVe", view="W",
    ...                    settings={"x_max": 10}, primary=False)
    >>> e.run, e.view, e.curve, e.cost
    ('GloVe', 'W', (), None)
    """

    name: str
    kv: KeyedVectors
    seed: int | None = None
    family: str = ""
    implementation: str = ""
    run: str = ""
    view: str = ""
    settings: dict[str, Any] = field(default_factory=dict)
    curve: tuple[CurvePoint, ...] = ()
    cost: TrainingCost | None = None
    primary: bool = True


@dataclass(frozen=True)
class ScoreSummary:
    """One model's score on one data set over the seeds.

    Attributes
    ----------
    per_seed : dict of int or None to float
    interval : Interval
        The mean over seeds with its bootstrap interval over items.
    coverage : float
        Fraction of the data set's items scored.

    Examples
    --------
    >>> s = ScoreSummary("GloVe", "wordsim353", "spearman", {1: 0.60, 2: 0.64}, Interval(0.62, 0.57, 0.67), 0.98)
    >>> round(s.mean, 3), round(s.sd, 4), s.spread
    (0.62, 0.0283, (0.6, 0.64))
    >>> s.to_dict()["per_seed"]
    [{'seed': 1, 'value': 0.6}, {'seed': 2, 'value': 0.64}]
    """

    model: str
    set: str
    metric: str
    per_seed: dict[Any, float]
    interval: Interval
    coverage: float

    @property
    def mean(self) -> float:
        return float(np.mean(list(self.per_seed.values())))

    @property
    def sd(self) -> float:
        """Standard deviation over seeds (NaN for one seed)."""
        values = list(self.per_seed.values())
        return float(np.std(values, ddof=1)) if len(values) > 1 else float("nan")

    @property
    def spread(self) -> tuple[float, float]:
        """(min, max) over seeds."""
        values = list(self.per_seed.values())
        return float(min(values)), float(max(values))

    def to_dict(self) -> dict[str, Any]:
        return {"model": self.model, "set": self.set, "metric": self.metric, "mean": self.mean,
                "sd": self.sd, "min": self.spread[0], "max": self.spread[1],
                "per_seed": [{"seed": s, "value": v} for s, v in self.per_seed.items()],
                "ci": [self.interval.low, self.interval.high], "coverage": self.coverage}


@dataclass
class Report:
    """Everything :func:`build_report` computed, and where it was written.

    Attributes
    ----------
    models : list of str
        Report rows in order.
    seeds : list of int or None
    entries : list of TrainedVectors
    similarity : dict of str to dict of str to SimilarityResult or None
        ``similarity[dataset][model]`` of the first seed (None: no pair covered, see ``notes``).
    analogy : dict of str to dict of str to AnalogyResult
        ``analogy[method][model]`` of the first seed.
    scores : dict of str to dict of str to ScoreSummary
        ``scores[set][model]`` over the seeds, for every similarity set and analogy method.
    comparisons : list of Comparison
        Every compared pair on every set and seed, Holm-adjusted together.
    verdicts : list of Verdict
        One per set.
    grid_checks : list of GridCheck
        Per set, when a settings grid was trained.
    neighbors : NeighborsResult
    figures : dict of str to plotly Figure
    paths : dict of str to Path
    notes : list of str
    config : dict

    Examples
    --------
    A small report over two seeds (random vectors; see :func:`build_report` for a real call):

    >>> report = _example_report(seeds=(1, 2))
    >>> report.models, report.seeds, report.entry("SGNS").seed, [(e.name, e.seed) for e in report.runs()]
    (['GloVe', 'SGNS'], [1, 2], 1, [('GloVe', 1), ('SGNS', 1), ('GloVe', 2), ('SGNS', 2)])
    >>> sorted(report.scores), len(report.comparisons), report.verdicts[0].n_seeds
    (['wordsim353'], 2, 2)
    >>> data = report.to_dict()
    >>> data["format"], data["version"], data["seeds"]
    ('glove_gensim.evaluation.report', 2, [1, 2])
    """

    models: list[str]
    seeds: list[Any]
    entries: list[TrainedVectors]
    similarity: dict[str, dict[str, SimilarityResult | None]]
    analogy: dict[str, dict[str, AnalogyResult]]
    scores: dict[str, dict[str, ScoreSummary]]
    comparisons: list[Comparison]
    verdicts: list[Verdict]
    grid_checks: list[GridCheck]
    neighbors: NeighborsResult
    figures: dict[str, go.Figure] = field(default_factory=dict)
    paths: dict[str, Path] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    config: dict[str, Any] = field(default_factory=dict)

    def entry(self, model: str) -> TrainedVectors:
        """The first seed's entry of ``model``."""
        return next(e for e in self.entries if e.name == model)

    def runs(self) -> list[TrainedVectors]:
        """One entry per (training run, seed), in order."""
        seen: dict[tuple[str, Any], TrainedVectors] = {}
        for e in self.entries:
            seen.setdefault((e.run or e.name, e.seed), e)
        return list(seen.values())

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready content of the report (NaN becomes null)."""
        first = {e.name: e for e in reversed(self.entries)}
        out = {
            "format": "glove_gensim.evaluation.report", "version": REPORT_VERSION,
            "created": self.config.get("created"), "models": list(self.models), "seeds": list(self.seeds),
            "config": self.config,
            "model_info": {m: {"family": first[m].family, "implementation": first[m].implementation,
                               "run": first[m].run or m, "view": first[m].view,
                               "settings": first[m].settings} for m in self.models},
            "runs": [{"run": e.run or e.name, "family": e.family, "implementation": e.implementation,
                      "seed": e.seed, "settings": e.settings,
                      "cost": e.cost.to_dict() if e.cost is not None else None,
                      "curves": [p.to_dict() for p in e.curve]} for e in self.runs()],
            "scores": [s.to_dict() for per in self.scores.values() for s in per.values()],
            "similarity": {ds: {m: (r.to_dict(include_pairs=False) if r is not None else None)
                                for m, r in per.items()} for ds, per in self.similarity.items()},
            "analogy": {meth: {m: r.to_dict() for m, r in per.items()} for meth, per in self.analogy.items()},
            "comparisons": [c.to_dict() for c in self.comparisons],
            "verdicts": [v.to_dict() for v in self.verdicts],
            "grid_checks": [g.to_dict() for g in self.grid_checks],
            "neighbors": self.neighbors.to_dict(),
            "figures": {name: json.loads(fig.to_json()) for name, fig in self.figures.items()},
            "notes": list(self.notes),
        }
        return _clean(out)


def _clean(value: Any) -> Any:
    """Recursively make ``value`` strict JSON: NaN/inf -> None, numpy scalars -> Python."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, np.ndarray):
        return _clean(value.tolist())
    if isinstance(value, (np.floating, float)):
        value = float(value)
        return value if math.isfinite(value) else None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if value is None or isinstance(value, (str, int, bool)):
        return value
    return str(value)  # e.g. a CorpusOptions or an optax transformation among a model's settings


def compare(models: Mapping[str, KeyedVectors], losses: Mapping[str, Sequence[float]] | None = None,
            out_dir: str | os.PathLike = "report", similarity_sets: Iterable[str | os.PathLike] | None = None,
            analogy_file: str | os.PathLike | None = None, probes: Iterable[str] | None = None,
            template: str = "light", seed: int = 0, **options: Any) -> Report:
    """Evaluate and compare ready-made vectors; write ``report.html``, ``report.md`` and ``report.json``.

    Parameters
    ----------
    models : dict of str to KeyedVectors
        Models by name (at least one).
    losses : dict of str to list of float, optional
        Per-epoch training losses by model name, for the loss figures.
    out_dir, similarity_sets, analogy_file, probes, template, seed, **options
        As :func:`build_report`.

    Returns
    -------
    Report

    Examples
    --------
    >>> import tempfile
    >>> kv = KeyedVectors(2)
    >>> kv.add_vectors(["computer", "software", "keyboard", "internet", "news"],
    ...                [[1, 0], [1, 0.1], [1, 0.3], [1, 0.35], [0.2, 1]])
    >>> other = KeyedVectors(2)
    >>> other.add_vectors(["computer", "software", "keyboard", "internet", "news"],
    ...                   [[1, 0], [0, 1], [1, 1], [1, 0.2], [1, 0.5]])
    >>> with tempfile.TemporaryDirectory() as out:
    ...     report = compare({"a": kv, "b": other}, losses={"a": [2.0, 1.5, 1.2]}, out_dir=out,
    ...                      similarity_sets=["wordsim353"], n_boot=100, probes=["keyboard"], n_maps=1,
    ...                      map_method="pca")
    >>> sorted(report.figures)
    ['loss', 'loss_relative', 'neighbors_keyboard', 'similarity_scores']
    >>> [(c.a, c.b, c.n_items, c.test) for c in report.comparisons]  # Williams' t needs >= 4 common pairs
    [('a', 'b', 4, 'williams')]
    """
    if not models:
        raise ValueError("compare needs at least one model, e.g. compare({'glove': model.wv})")
    losses = dict(losses or {})
    unknown = sorted(set(losses) - set(models))
    if unknown:
        raise ValueError(f"losses name models that are not compared: {unknown}")
    entries = [TrainedVectors(name=name, kv=kv, run=name,
                              curve=tuple(CurvePoint(i, None, float(x), {})
                                          for i, x in enumerate(losses.get(name, ()), start=1)))
               for name, kv in models.items()]
    return build_report(entries, out_dir=out_dir, similarity_sets=similarity_sets, analogy_file=analogy_file,
                        probes=probes, template=template, seed=seed, **options)


def build_report(entries: Sequence[TrainedVectors], *, out_dir: str | os.PathLike | None = "report",
                 similarity_sets: Iterable[str | os.PathLike | WordPairs] | None = None,
                 analogy_file: str | os.PathLike | None = None, probes: Iterable[str] | None = None,
                 template: str = "light", seed: int = 0, n_boot: int = 2000, k: int = 10,
                 n_default_probes: int = 10, n_maps: int = 3, map_method: str = "auto",
                 similarity_restrict_vocab: int | None = 300000, analogy_restrict_vocab: int | None = 30000,
                 analogy_methods: Sequence[str] = ("3cosadd", "3cosmul"), case_insensitive: bool = True,
                 title: str = "Word vector comparison", grid: Mapping[str, Sequence[Any]] | None = None,
                 extra_config: Mapping[str, Any] | None = None) -> Report:
    """Evaluate, compare and report models given as :class:`TrainedVectors` (one per model and seed).

    Parameters
    ----------
    entries : sequence of TrainedVectors
        Every model from every seed; each (name, seed) once.
    out_dir : str or PathLike or None
        Folder for the three files (created if missing); None: write nothing.
    similarity_sets : iterable of str, PathLike or WordPairs, optional
        Default ``("wordsim353", "simlex999")``.
    analogy_file : str or PathLike, optional
        Default gensim's ``questions-words.txt``.
    probes : iterable of str, optional
        Neighbour probes added to the default ones (middle-frequency words of the similarity sets).
    template : {"light", "dark"} or a plotly template name
    seed : int
        Seeds the bootstrap Generator and UMAP.
    n_boot : int
        Bootstrap resamples.
    k : int
        Neighbours per probe.
    n_default_probes : int
        Default probes.
    n_maps : int
        Probes with a 2-D neighbour map (the user's first).
    map_method : {"auto", "umap", "pca"}
    similarity_restrict_vocab, analogy_restrict_vocab : int or None
        As gensim's ``restrict_vocab``.
    analogy_methods : sequence of {"3cosadd", "3cosmul"}
    case_insensitive : bool
    title : str
    grid : dict of str to list, optional
        The settings grid the entries were trained on (recorded; enables the grid check).
    extra_config : dict, optional
        More settings to record in ``config``.

    Returns
    -------
    Report

    Examples
    --------
    The entries of a small two-seed report, reported again with the first seed only:

    >>> entries = [e for e in _example_report(seeds=(1, 2)).entries if e.seed == 1]
    >>> report = build_report(entries, out_dir=None, similarity_sets=["wordsim353"], analogy_methods=(),
    ...                       n_boot=50, n_maps=0, k=3, probes=["tiger"], title="One seed")
    >>> report.seeds, [(c.a, c.b, c.seed, c.test) for c in report.comparisons], report.config["title"]
    ([1], [('GloVe', 'SGNS', 1, 'williams')], 'One seed')
    >>> report.verdicts[0].n_seeds, report.neighbors.probes[0], len(report.neighbors.neighbors["tiger"]["SGNS"])
    (1, 'tiger', 3)
    """
    entries = _check_entries(entries)
    check_report_options(n_boot=n_boot, k=k, n_default_probes=n_default_probes, n_maps=n_maps,
                         map_method=map_method, analogy_methods=analogy_methods, template=template)
    template = resolve_template(template)
    names = list(dict.fromkeys(e.name for e in entries))
    seeds = list(dict.fromkeys(e.seed for e in entries))
    notes: list[str] = []
    datasets = [s if isinstance(s, WordPairs) else read_word_pairs(s)
                for s in (DEFAULT_SIMILARITY_SETS if similarity_sets is None else similarity_sets)]
    questions = read_analogies(DEFAULT_ANALOGY_FILE if analogy_file is None else analogy_file)
    methods = [m.lower() for m in analogy_methods]
    set_names = [d.name for d in datasets] + [f"{questions.name} ({m})" for m in methods]

    results: dict[tuple[str, Any], dict[str, Result | None]] = {}
    for e in entries:
        per: dict[str, Result | None] = {}
        for data in datasets:
            try:
                per[data.name] = evaluate_similarity(e.kv, data, restrict_vocab=similarity_restrict_vocab,
                                                     case_insensitive=case_insensitive)
            except ValueError as exc:
                per[data.name] = None
                if e.seed == seeds[0]:
                    notes.append(f"{e.name} on {data.name}: {exc}")
        if methods:
            by_method = evaluate_analogy_methods(e.kv, questions, methods, restrict_vocab=analogy_restrict_vocab,
                                                 case_insensitive=case_insensitive)
            for method, res in by_method.items():
                per[f"{questions.name} ({method})"] = res if res.total.n_covered >= 3 else None
                if res.total.n_covered < 3 and e.seed == seeds[0]:
                    notes.append(f"{e.name}: only {res.total.n_covered} of {res.n_questions} analogy questions "
                                 f"covered ({method}); not scored")
        results[(e.name, e.seed)] = per

    scores = _summaries(names, seeds, set_names, results, seed, n_boot)
    comparisons = apply_holm(_comparisons(entries, seeds, set_names, results, seed, n_boot, notes))
    verdicts = [v for s in set_names if (v := _set_verdict(entries, scores.get(s, {}), comparisons, s))]
    grid_checks = _grid_checks(entries, scores, verdicts) if grid else []

    first = [e for e in entries if e.seed == seeds[0]]
    shown = {e.name: e.kv for e in first if e.primary} or {first[0].name: first[0].kv}
    user_probes = list(dict.fromkeys(probes or ()))
    chosen = middle_frequency_probes(shown, [w for d in datasets for pair in d.pairs for w in pair],
                                     n_default_probes) if n_default_probes > 0 else []
    neighbors = nearest_neighbors(shown, probes=[p for p in user_probes if p not in chosen] + chosen,
                                  k=k, n_default_probes=0)
    figures = _figures([e for e in entries if e.seed == seeds[-1]], scores, datasets, questions.name, methods,
                       shown, neighbors, user_probes, n_maps, k, seed, template, map_method, notes)
    if len(seeds) > 1 and any(e.curve for e in entries):
        notes.append(f"The per-epoch figures show the last seed ({seeds[-1]}): the first run of each model "
                     "kind also pays one-off compilation (JAX, numba), which would shift its seconds.")
    similarity = {d.name: {e.name: results[(e.name, e.seed)][d.name] for e in first} for d in datasets}
    analogy = {m: {e.name: r for e in first if (r := results[(e.name, e.seed)][f"{questions.name} ({m})"])}
               for m in methods}
    config = {
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"), "seed": seed, "n_boot": n_boot,
        "k": k, "template": template, "similarity_sets": [d.name for d in datasets],
        "analogy_file": questions.path, "analogy_methods": methods,
        "similarity_restrict_vocab": similarity_restrict_vocab,
        "analogy_restrict_vocab": analogy_restrict_vocab, "case_insensitive": case_insensitive,
        "map_method": map_method, "title": title, "grid": {k_: list(v) for k_, v in (grid or {}).items()},
        "vocab_sizes": {e.name: len(e.kv.index_to_key) for e in first},
        "vector_sizes": {e.name: int(e.kv.vector_size) for e in first},
        **dict(extra_config or {}),
    }
    report = Report(models=names, seeds=seeds, entries=list(entries), similarity=similarity, analogy=analogy,
                    scores=scores, comparisons=comparisons, verdicts=verdicts, grid_checks=grid_checks,
                    neighbors=neighbors, figures=figures, notes=notes, config=config)
    if out_dir is not None:
        from evaluation.render import write_report

        report.paths = write_report(report, out_dir)
    return report


def check_report_options(**options: Any) -> None:
    """Raise a clear error for an option :func:`build_report` would refuse, before any work starts.

    Examples
    --------
    >>> check_report_options(n_boot=500, map_method="pca")
    >>> check_report_options(k=0)
    Traceback (most recent call last):
    ...
    ValueError: k must be an integer >= 1, not 0
    """
    import inspect

    allowed = set(inspect.signature(build_report).parameters) - {"entries"}
    unknown = sorted(set(options) - allowed)
    if unknown:
        raise TypeError(f"unknown report options {unknown}; known: {sorted(allowed)}")
    minimum = {"n_boot": 10, "k": 1, "n_default_probes": 0, "n_maps": 0}
    for name, low in minimum.items():
        value = options.get(name, low)
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
            raise ValueError(f"{name} must be an integer >= {low}, not {value!r}")
    if options.get("map_method", "auto") not in ("auto", "umap", "pca"):
        raise ValueError(f"map_method must be 'auto', 'umap' or 'pca', not {options['map_method']!r}")
    methods = [str(m).lower() for m in options.get("analogy_methods", ())]
    if any(m not in ("3cosadd", "3cosmul") for m in methods):
        raise ValueError(f"analogy_methods must be among ('3cosadd', '3cosmul'), not {methods!r}")
    if "template" in options:
        resolve_template(options["template"])


def _check_entries(entries: Sequence[TrainedVectors]) -> list[TrainedVectors]:
    entries = list(entries)
    if not entries:
        raise ValueError("nothing to report: entries is empty (give at least one TrainedVectors)")
    seen = set()
    for e in entries:
        if not isinstance(e, TrainedVectors):
            raise TypeError(f"entries must be TrainedVectors, not {type(e).__name__}")
        check_kv(e.kv, f"the vectors of {e.name!r}")
        if (e.name, e.seed) in seen:
            raise ValueError(f"model {e.name!r} appears twice for seed {e.seed}")
        seen.add((e.name, e.seed))
    return entries


def _metric_value(result: Result) -> float:
    return result.spearman if isinstance(result, SimilarityResult) else result.accuracy


def _summaries(names: list[str], seeds: list[Any], set_names: list[str],
               results: dict[tuple[str, Any], dict[str, Result | None]], seed: int,
               n_boot: int) -> dict[str, dict[str, ScoreSummary]]:
    """Mean, spread and bootstrap interval of every model on every set over the seeds."""
    out: dict[str, dict[str, ScoreSummary]] = {}
    for set_name in set_names:
        per: dict[str, ScoreSummary] = {}
        for name in names:
            found = {s: r for s in seeds if (r := results.get((name, s), {}).get(set_name)) is not None}
            if not found:
                continue
            first = next(iter(found.values()))
            interval = bootstrap_seed_mean(list(found.values()), rng=np.random.default_rng(seed), n_boot=n_boot)
            per[name] = ScoreSummary(model=name, set=set_name,
                                     metric="spearman" if isinstance(first, SimilarityResult) else "accuracy",
                                     per_seed={s: float(_metric_value(r)) for s, r in found.items()},
                                     interval=interval, coverage=float(first.coverage))
        out[set_name] = per
    return out


def comparison_pairs(entries: Sequence[TrainedVectors]) -> list[tuple[str, str]]:
    """The model pairs a report tests: every pair, except two grid variants of one implementation
    that are not exports of the same run (GloVe x_max=10 against GloVe x_max=100 answers no
    question the report asks; the grid check covers them).

    Examples
    --------
    >>> kv = None
    >>> e = [TrainedVectors("G (W+W~)", kv, family="GloVe", implementation="GloVe", run="G", view="W+W~"),
    ...      TrainedVectors("G (W)", kv, family="GloVe", implementation="GloVe", run="G", view="W"),
    ...      TrainedVectors("G x=10 (W)", kv, family="GloVe", implementation="GloVe", run="G x=10", view="W"),
    ...      TrainedVectors("S", kv, family="SGNS", implementation="SGNS", run="S")]
    >>> comparison_pairs(e)
    [('G (W+W~)', 'G (W)'), ('G (W+W~)', 'S'), ('G (W)', 'S'), ('G x=10 (W)', 'S')]
    """
    info = {e.name: e for e in reversed(list(entries))}
    pairs = []
    for a, b in itertools.combinations(list(dict.fromkeys(e.name for e in entries)), 2):
        ea, eb = info[a], info[b]
        same_kind = ea.implementation and ea.implementation == eb.implementation
        if same_kind and (ea.run or a) != (eb.run or b):
            continue
        pairs.append((a, b))
    return pairs


def _comparisons(entries, seeds, set_names, results, seed: int, n_boot: int, notes: list[str]) -> list[Comparison]:
    out = []
    rng = np.random.default_rng(seed)
    for s in seeds:
        for a, b in comparison_pairs(entries):
            ra_all, rb_all = results.get((a, s)), results.get((b, s))
            if ra_all is None or rb_all is None:
                continue
            for set_name in set_names:
                ra, rb = ra_all.get(set_name), rb_all.get(set_name)
                if ra is None or rb is None:
                    continue
                try:
                    out.append(compare_results(ra, rb, names=(a, b), rng=rng, n_boot=n_boot, seed=s))
                except ValueError as exc:
                    notes.append(f"{a} vs {b} on {set_name} (seed {s}): {exc}")
    return out


def _best(scores: Mapping[str, ScoreSummary], models: Iterable[str]) -> str | None:
    ranked = sorted((m for m in models if m in scores and np.isfinite(scores[m].mean)),
                    key=lambda m: -scores[m].mean)
    return ranked[0] if ranked else None


def _set_verdict(entries, scores: Mapping[str, ScoreSummary], comparisons, set_name: str) -> Verdict | None:
    """Best GloVe against best SGNS when both families are present, else the two best models."""
    family = {e.name: e.family for e in entries}
    bests = [_best(scores, [m for m in scores if family.get(m) == f]) for f in FAMILIES]
    if None in bests:
        ranked = sorted((m for m in scores if np.isfinite(scores[m].mean)), key=lambda m: -scores[m].mean)
        if len(ranked) < 2:
            return None
        bests = ranked[:2]
    return verdict(comparisons, set_name, bests[0], bests[1])


def _grid_checks(entries, scores, verdicts: Sequence[Verdict]) -> list[GridCheck]:
    """For each set's GloVe-vs-SGNS verdict: do all grid variants of the two models agree?"""
    info = {e.name: e for e in reversed(list(entries))}
    checks = []
    for v in verdicts:
        a, b = sorted((v.better, v.worse), key=lambda m: FAMILIES.index(info[m].family)
                      if info[m].family in FAMILIES else 9)
        if {info[a].family, info[b].family} != set(FAMILIES):
            continue

        def variants(model: str) -> list[str]:
            return [m for m, e in info.items() if e.implementation == info[model].implementation
                    and e.view == info[model].view]

        group_a, group_b = variants(a), variants(b)
        if len(group_a) * len(group_b) < 2:
            continue
        means = {m: s.mean for m, s in scores[v.set].items()}
        checks.append(grid_check(means, group_a, group_b, v.set, leader_is_a=v.better == a,
                                 names=(info[a].implementation, info[b].implementation)))
    return checks


def _figures(last: Sequence[TrainedVectors], scores, datasets, questions_name: str, methods, shown,
             neighbors: NeighborsResult, user_probes: list[str], n_maps: int, k: int, seed: int, template: str,
             map_method: str, notes: list[str]) -> dict[str, go.Figure]:
    runs = {e.run or e.name: e for e in reversed(list(last))}
    runs = {name: runs[name] for name in dict.fromkeys(e.run or e.name for e in last)}
    losses = {name: [p.loss for p in e.curve] for name, e in runs.items() if any(p.loss is not None for p in e.curve)}
    figures: dict[str, go.Figure] = {}
    if losses:
        figures["loss"] = loss_figure(losses, template=template)
        figures["loss_relative"] = relative_loss_figure(losses, template=template)
    else:
        notes.append("no training losses given")
    curves = {name: list(e.curve) for name, e in runs.items() if any(p.scores for p in e.curve)}
    if curves:
        figures["similarity_vs_epoch"] = curve_figure(curves, x="epoch", template=template)
        if all(p.seconds is not None for c in curves.values() for p in c):
            figures["similarity_vs_seconds"] = curve_figure(curves, x="seconds", template=template)
    sim = {d.name: {m: s.interval for m, s in scores.get(d.name, {}).items()} for d in datasets}
    figures["similarity_scores"] = score_figure(sim, template=template, yaxis_title="Spearman ρ",
                                                title="Word similarity: Spearman with 95% bootstrap intervals")
    ana = {f"{questions_name} {m}": {name: s.interval for name, s in scores.get(f"{questions_name} ({m})", {}).items()}
           for m in methods}
    if any(ana.values()):
        figures["analogy_scores"] = score_figure(ana, template=template, yaxis_title="accuracy",
                                                 title="Analogies: accuracy with 95% bootstrap intervals")
    known_to_all = [p for p in dict.fromkeys(user_probes + neighbors.probes)
                    if all(p in kv.key_to_index for kv in shown.values())]
    for probe in known_to_all[:max(n_maps, 0)]:
        figures[f"neighbors_{probe}"] = neighbor_map_figure(shown, probe, k=k, seed=seed, template=template,
                                                            method=map_method)
    return figures



def _example_report(seeds: Sequence[int] = (1, 2)) -> Report:
    """The small report the examples use: random 8-d vectors of wordsim353's words, one GloVe and one
    SGNS model per seed, a two-epoch curve and a made-up cost; nothing written."""
    words = sorted({w for pair in read_word_pairs("wordsim353").pairs for w in pair})
    curve = (CurvePoint(1, 0.5, 0.8, {}), CurvePoint(2, 1.0, 0.4, {}))
    cost = TrainingCost(seconds=1.5, train_seconds=1.0, peak_memory_bytes=300 * 2 ** 20, tokens=60_000, epochs=2)
    entries = []
    for s in seeds:
        for i, name in enumerate(FAMILIES):
            kv = KeyedVectors(8)
            kv.add_vectors(words, np.random.default_rng(10 * s + i).normal(size=(len(words), 8)).astype(np.float32))
            entries.append(TrainedVectors(name, kv, seed=s, family=name, implementation=name, run=name,
                                          settings={"vector_size": 8}, curve=curve, cost=cost))
    return build_report(entries, out_dir=None, similarity_sets=["wordsim353"], analogy_methods=(), n_boot=50,
                        n_maps=0, n_default_probes=2,
                        extra_config={"training": {"corpus_tokens_in_vocabulary": cost.tokens}})
