"""Compare several models and write a self-contained HTML / Markdown / JSON report.

:func:`compare` evaluates every model on the word-similarity sets and the analogy file, adds
bootstrap intervals and paired comparisons, probes nearest neighbours, draws the figures, and
writes ``report.html`` (one page that opens offline: plotly's JavaScript is embedded once),
``report.md`` (tables) and ``report.json`` (every number and every figure of the HTML), each
written atomically.

Examples
--------
>>> import tempfile
>>> from gensim.test.utils import common_texts
>>> from glove_gensim import GloVe
>>> glove = GloVe(common_texts, vector_size=8, min_count=1, epochs=3)
>>> with tempfile.TemporaryDirectory() as out:
...     report = compare({"glove": glove.wv}, losses={"glove": glove.loss_history}, out_dir=out,
...                      n_boot=100, n_maps=1, map_method="pca")
...     sorted(path.name for path in report.paths.values())
['report.html', 'report.json', 'report.md']
>>> len(report.losses["glove"]), sorted(report.figures)
(3, ['loss', 'neighbors_system', 'similarity_scores'])
"""
from __future__ import annotations

import html
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

from glove_gensim.files import atomic_write
from evaluation._vocab import check_kv
from evaluation.analogy import AnalogyResult, evaluate_analogies, read_analogies
from evaluation.bootstrap import BootstrapComparison, Interval, bootstrap_score, paired_bootstrap
from evaluation.neighbors import NeighborsResult, nearest_neighbors
from evaluation.plots import loss_figure, neighbor_map_figure, resolve_template, score_figure
from evaluation.similarity import SimilarityResult, evaluate_similarity, read_word_pairs

logger = logging.getLogger(__name__)

DEFAULT_SIMILARITY_SETS = ("wordsim353", "simlex999")
DEFAULT_ANALOGY_FILE = "questions-words"
REPORT_VERSION = 1


@dataclass
class Report:
    """Everything :func:`compare` computed, and where it was written.

    Attributes
    ----------
    models : list of str
    similarity : dict of str to dict of str to SimilarityResult or None
        ``similarity[dataset][model]``; None when the model covers no pair (see ``notes``).
    similarity_intervals : dict of str to dict of str to Interval
        Spearman with its bootstrap interval, ``[dataset][model]``.
    analogy : dict of str to dict of str to AnalogyResult
        ``analogy[method][model]``.
    analogy_intervals : dict of str to dict of str to Interval
        Accuracy with its bootstrap interval, ``[method][model]`` (models covering >= 3 questions).
    comparisons : list of BootstrapComparison
        Every pair of models on every data set with enough common items.
    neighbors : NeighborsResult
    losses : dict of str to list of float
    figures : dict of str to plotly Figure
    paths : dict of str to Path
        ``"html"``, ``"md"``, ``"json"``.
    notes : list of str
        What could not be computed, and why.

    Examples
    --------
    >>> import tempfile
    >>> kv = KeyedVectors(2)
    >>> kv.add_vectors(["computer", "software", "keyboard", "internet"], [[1, 0], [1, 0.1], [1, 0.3], [1, 0.35]])
    >>> with tempfile.TemporaryDirectory() as out:
    ...     report = compare({"toy": kv}, out_dir=out, similarity_sets=["wordsim353"], n_boot=100, n_maps=0)
    >>> report.similarity["wordsim353"]["toy"].n_covered, report.similarity_intervals["wordsim353"]["toy"]
    (3, Interval(estimate=1.0, low=1.0, high=1.0, confidence=0.95))
    >>> report.notes[-1], len(report.notes)  # and one note per analogy method: no question covered
    ('no training losses given', 3)
    >>> report.to_dict()["format"]
    'glove_gensim.evaluation.report'
    """

    models: list[str]
    similarity: dict[str, dict[str, SimilarityResult | None]]
    similarity_intervals: dict[str, dict[str, Interval]]
    analogy: dict[str, dict[str, AnalogyResult]]
    analogy_intervals: dict[str, dict[str, Interval]]
    comparisons: list[BootstrapComparison]
    neighbors: NeighborsResult
    losses: dict[str, list[float]]
    figures: dict[str, go.Figure] = field(default_factory=dict)
    paths: dict[str, Path] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    config: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready content of the report (NaN becomes null)."""
        out = {
            "format": "glove_gensim.evaluation.report", "version": REPORT_VERSION,
            "created": self.config.get("created"), "models": list(self.models), "config": self.config,
            "similarity": {ds: {m: (r.to_dict(include_pairs=False) if r is not None else None)
                                for m, r in per.items()} for ds, per in self.similarity.items()},
            "similarity_intervals": {ds: {m: iv.to_dict() for m, iv in per.items()}
                                     for ds, per in self.similarity_intervals.items()},
            "analogy": {meth: {m: r.to_dict() for m, r in per.items()} for meth, per in self.analogy.items()},
            "analogy_intervals": {meth: {m: iv.to_dict() for m, iv in per.items()}
                                  for meth, per in self.analogy_intervals.items()},
            "comparisons": [c.to_dict() for c in self.comparisons],
            "neighbors": self.neighbors.to_dict(),
            "losses": {m: list(map(float, v)) for m, v in self.losses.items()},
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
    return value


def compare(models: Mapping[str, KeyedVectors], losses: Mapping[str, Sequence[float]] | None = None,
            out_dir: str | os.PathLike = "report", similarity_sets: Iterable[str | os.PathLike] | None = None,
            analogy_file: str | os.PathLike | None = None, probes: Iterable[str] | None = None,
            template: str = "light", seed: int = 0, *, n_boot: int = 2000, k: int = 10,
            n_default_probes: int = 10, n_maps: int = 3, map_method: str = "auto",
            similarity_restrict_vocab: int | None = 300000, analogy_restrict_vocab: int | None = 30000,
            analogy_methods: Sequence[str] = ("3cosadd", "3cosmul"), case_insensitive: bool = True,
            title: str = "Word vector comparison") -> Report:
    """Evaluate and compare models; write ``report.html``, ``report.md`` and ``report.json``.

    Parameters
    ----------
    models : dict of str to KeyedVectors
        Models by name (at least one).
    losses : dict of str to list of float, optional
        Per-epoch training losses by model name, for the loss figure.
    out_dir : str or PathLike
        Folder for the three files (created if missing).
    similarity_sets : iterable of str or PathLike, optional
        Bundled names or paths; default ``("wordsim353", "simlex999")``.
    analogy_file : str or PathLike, optional
        Default gensim's ``questions-words.txt``.
    probes : iterable of str, optional
        Extra neighbour probes (added to the most frequent content words).
    template : str
        ``"light"`` or ``"dark"`` (or any plotly template name).
    seed : int
        Seeds the bootstrap Generator and UMAP.
    n_boot : int
        Bootstrap resamples.
    k : int
        Neighbours per probe.
    n_default_probes : int
        Default probes (most frequent content words).
    n_maps : int
        How many probes get a 2-D neighbour map (the user's probes first).
    map_method : {"auto", "umap", "pca"}
        Projection for the maps.
    similarity_restrict_vocab, analogy_restrict_vocab : int or None
        As gensim's ``restrict_vocab``.
    analogy_methods : sequence of {"3cosadd", "3cosmul"}
    case_insensitive : bool
    title : str
        Page title.

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
    >>> other.add_vectors(["computer", "software", "keyboard", "internet"], [[1, 0], [0, 1], [1, 1], [1, 0.2]])
    >>> with tempfile.TemporaryDirectory() as out:
    ...     report = compare({"a": kv, "b": other}, out_dir=out, similarity_sets=["wordsim353"], n_boot=100,
    ...                      probes=["keyboard"], n_maps=1, map_method="pca")
    >>> sorted(report.figures), [(c.model_a, c.model_b, c.n_items) for c in report.comparisons]
    (['loss', 'neighbors_keyboard', 'similarity_scores'], [('a', 'b', 3)])
    """
    if not models:
        raise ValueError("compare needs at least one model, e.g. compare({'glove': model.wv})")
    for name, kv in models.items():
        check_kv(kv, f"models[{name!r}]")
    template = resolve_template(template)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    names = list(models)
    rng = np.random.default_rng(seed)
    notes: list[str] = []
    comparisons: list[BootstrapComparison] = []

    similarity: dict[str, dict[str, SimilarityResult | None]] = {}
    sim_intervals: dict[str, dict[str, Interval]] = {}
    for spec in (DEFAULT_SIMILARITY_SETS if similarity_sets is None else similarity_sets):
        data = read_word_pairs(spec)
        per: dict[str, SimilarityResult | None] = {}
        for name, kv in models.items():
            try:
                per[name] = evaluate_similarity(kv, data, restrict_vocab=similarity_restrict_vocab,
                                                case_insensitive=case_insensitive)
            except ValueError as exc:
                per[name] = None
                notes.append(f"{name} on {data.name}: {exc}")
        similarity[data.name] = per
        sim_intervals[data.name] = {}
        for name, res in per.items():
            if res is not None and res.n_covered >= 3:
                sim_intervals[data.name][name] = bootstrap_score(res, rng=rng, n_boot=n_boot)
        comparisons += _pairwise(per, rng, n_boot, data.name, notes)

    analogy: dict[str, dict[str, AnalogyResult]] = {}
    ana_intervals: dict[str, dict[str, Interval]] = {}
    questions = read_analogies(DEFAULT_ANALOGY_FILE if analogy_file is None else analogy_file)
    for method in analogy_methods:
        analogy[method] = {name: evaluate_analogies(kv, questions, method=method,
                                                    restrict_vocab=analogy_restrict_vocab,
                                                    case_insensitive=case_insensitive)
                           for name, kv in models.items()}
        ana_intervals[method] = {}
        for name, res in analogy[method].items():
            if res.total.n_covered >= 3:
                ana_intervals[method][name] = bootstrap_score(res, rng=rng, n_boot=n_boot)
            else:
                notes.append(f"{name}: only {res.total.n_covered} of {res.n_questions} analogy questions "
                             f"covered ({method}); no interval")
        comparisons += _pairwise(analogy[method], rng, n_boot, f"{questions.name} ({method})", notes)

    neighbors = nearest_neighbors(models, probes=probes, k=k, n_default_probes=n_default_probes)
    loss_lists = {m: [float(x) for x in v] for m, v in (losses or {}).items()}
    if not loss_lists:
        notes.append("no training losses given")

    figures: dict[str, go.Figure] = {
        "loss": loss_figure(loss_lists, template=template),
        "similarity_scores": score_figure(sim_intervals, template=template,
                                          title="Word similarity: Spearman with 95% bootstrap intervals",
                                          yaxis_title="Spearman ρ"),
    }
    if any(ana_intervals.values()):
        figures["analogy_scores"] = score_figure(
            {f"{questions.name} {meth}": per for meth, per in ana_intervals.items()}, template=template,
            title="Analogies: accuracy with 95% bootstrap intervals", yaxis_title="accuracy")
    user_probes = [p for p in (probes or ()) if any(p in kv.key_to_index for kv in models.values())]
    map_probes = list(dict.fromkeys(user_probes + [p for p in neighbors.probes
                                                   if any(p in kv.key_to_index for kv in models.values())]))
    for probe in map_probes[:max(n_maps, 0)]:
        figures[f"neighbors_{probe}"] = neighbor_map_figure(models, probe, k=k, seed=seed, template=template,
                                                            method=map_method)

    config = {
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"), "seed": seed, "n_boot": n_boot,
        "k": k, "template": template, "similarity_sets": list(similarity),
        "analogy_file": questions.path, "analogy_methods": list(analogy_methods),
        "similarity_restrict_vocab": similarity_restrict_vocab,
        "analogy_restrict_vocab": analogy_restrict_vocab, "case_insensitive": case_insensitive,
        "map_method": map_method, "title": title,
        "vocab_sizes": {m: len(kv.index_to_key) for m, kv in models.items()},
        "vector_sizes": {m: int(kv.vector_size) for m, kv in models.items()},
    }
    report = Report(models=names, similarity=similarity, similarity_intervals=sim_intervals,
                    analogy=analogy, analogy_intervals=ana_intervals, comparisons=comparisons,
                    neighbors=neighbors, losses=loss_lists, figures=figures, notes=notes, config=config)
    report.paths = write_report(report, out_dir)
    return report


def _pairwise(per: Mapping[str, Any], rng: np.random.Generator, n_boot: int, label: str,
              notes: list[str]) -> list[BootstrapComparison]:
    out = []
    for a, b in itertools.combinations(per, 2):
        ra, rb = per[a], per[b]
        if ra is None or rb is None:
            continue
        try:
            out.append(paired_bootstrap(ra, rb, rng=rng, n_boot=n_boot, names=(a, b)))
        except ValueError as exc:
            notes.append(f"{a} vs {b} on {label}: {exc}")
    return out


# ----------------------------------------------------------------------------------------- writing

def write_report(report: Report, out_dir: str | os.PathLike) -> dict[str, Path]:
    """Write ``report.html``, ``report.md`` and ``report.json`` atomically into ``out_dir``.

    Examples
    --------
    >>> import tempfile
    >>> kv = KeyedVectors(2)
    >>> kv.add_vectors(["computer", "software", "keyboard", "internet"], [[1, 0], [1, 0.1], [1, 0.3], [1, 0.35]])
    >>> with tempfile.TemporaryDirectory() as out:
    ...     report = compare({"toy": kv}, out_dir=out, similarity_sets=["wordsim353"], n_boot=100, n_maps=0)
    >>> with tempfile.TemporaryDirectory() as again:
    ...     paths = write_report(report, again)
    ...     json.loads(paths["json"].read_text())["similarity"]["wordsim353"]["toy"]["n_covered"]
    3
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"html": out_dir / "report.html", "md": out_dir / "report.md", "json": out_dir / "report.json"}
    with atomic_write(paths["json"], "w") as fh:
        json.dump(report.to_dict(), fh, indent=1, allow_nan=False)
    with atomic_write(paths["md"], "w") as fh:
        fh.write(render_markdown(report))
    with atomic_write(paths["html"], "w") as fh:
        fh.write(render_html(report))
    logger.info("report written to %s", out_dir)
    return paths


def _f(x: float | None, digits: int = 4) -> str:
    return "n/a" if x is None or not np.isfinite(x) else f"{x:.{digits}f}"


def _iv(iv: Interval | None) -> str:
    return "n/a" if iv is None else f"{_f(iv.estimate)} [{_f(iv.low)}, {_f(iv.high)}]"


def _tables(report: Report) -> list[tuple[str, list[str], list[list[str]]]]:
    """The report's tables as (title, header, rows) of strings, shared by Markdown and HTML."""
    tables = []
    rows = []
    for ds, per in report.similarity.items():
        for m, r in per.items():
            iv = report.similarity_intervals.get(ds, {}).get(m)
            if r is None:
                rows.append([ds, m, "n/a", "n/a", "n/a", "0", "n/a", ""])
                continue
            oov = ", ".join(f"{w} ({c})" for w, c in sorted(r.oov_words.items(), key=lambda t: (-t[1], t[0]))[:8])
            rows.append([ds, m, _iv(iv), _f(r.pearson), f"{r.n_covered}/{r.n_pairs}", str(r.n_oov),
                         f"{100 * r.coverage:.1f}%", oov + (" ..." if len(r.oov_words) > 8 else "")])
    tables.append(("Word similarity", ["data set", "model", "Spearman [95% CI]", "Pearson", "pairs scored",
                                       "OOV pairs", "coverage", "top OOV words (pairs)"], rows))
    rows = []
    for meth, per in report.analogy.items():
        for m, r in per.items():
            rows.append([meth, m, _iv(report.analogy_intervals.get(meth, {}).get(m)) if r.total.n_covered >= 3
                         else (_f(r.accuracy) if r.total.n_covered else "n/a"), f"{r.total.correct}/{r.total.n_covered}", str(r.total.oov),
                         f"{100 * r.coverage:.1f}%"])
    tables.append(("Analogies (total)", ["method", "model", "accuracy [95% CI]", "correct/scored",
                                         "OOV questions", "coverage"], rows))
    rows = []
    for meth, per in report.analogy.items():
        for m, r in per.items():
            for s in r.sections:
                rows.append([meth, m, s.section, _f(s.accuracy) if s.n_covered else "n/a", f"{s.correct}/{s.n_covered}",
                             str(s.oov)])
    tables.append(("Analogies per section", ["method", "model", "section", "accuracy", "correct/scored", "OOV"],
                   rows))
    rows = [[c.dataset, f"{c.model_a} − {c.model_b}", c.metric, _f(c.score_a.estimate), _f(c.score_b.estimate),
             _iv(c.difference), f"{c.p_value:.4g}", "yes" if c.significant else "no", str(c.n_items)]
            for c in report.comparisons]
    tables.append(("Paired bootstrap comparisons", ["data set", "difference", "metric", "score A", "score B",
                                                    "difference [95% CI]", "p-value", "significant",
                                                    "common items"], rows))
    nb = report.neighbors
    rows = []
    for p in nb.probes:
        for m in nb.models:
            ns = nb.neighbors[p].get(m)
            rows.append([p, m, "(not in vocabulary)" if ns is None else ", ".join(w for w, _ in ns)])
    tables.append((f"Nearest neighbours (k={nb.k})", ["probe", "model", "neighbours"], rows))
    if nb.mean_overlap:
        rows = [[f"{a} / {b}", _f(v, 3)] for (a, b), v in nb.mean_overlap.items()]
        tables.append((f"Mean neighbour overlap@{nb.k}", ["models", f"overlap@{nb.k}"], rows))
    if report.losses:
        rows = [[m, str(len(v)), _f(v[0]) if v else "n/a", _f(v[-1]) if v else "n/a"]
                for m, v in report.losses.items()]
        tables.append(("Training loss", ["model", "epochs", "first", "last"], rows))
    return tables


def _md_escape(s: str) -> str:
    return s.replace("|", "\\|")


def render_markdown(report: Report) -> str:
    """The report's tables in GitHub Markdown.

    Examples
    --------
    >>> import tempfile
    >>> kv = KeyedVectors(2)
    >>> kv.add_vectors(["computer", "software", "keyboard", "internet"], [[1, 0], [1, 0.1], [1, 0.3], [1, 0.35]])
    >>> with tempfile.TemporaryDirectory() as out:
    ...     report = compare({"toy": kv}, out_dir=out, similarity_sets=["wordsim353"], n_boot=100, n_maps=0)
    >>> print("\\n".join(render_markdown(report).splitlines()[4:8]))
    ## Word similarity
    <BLANKLINE>
    | data set | model | Spearman [95% CI] | Pearson | pairs scored | OOV pairs | coverage | top OOV words (pairs) |
    |---|---|---|---|---|---|---|---|
    """
    lines = [f"# {report.config.get('title', 'Word vector comparison')}", "",
             f"Models: {', '.join(report.models)}. Seed {report.config.get('seed')}, "
             f"{report.config.get('n_boot')} bootstrap resamples. Created {report.config.get('created')}.", ""]
    for title, header, rows in _tables(report):
        lines += [f"## {title}", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(_md_escape(c) for c in row) + " |" for row in rows]
        lines.append("")
    if report.notes:
        lines += ["## Notes", ""] + [f"- {n}" for n in report.notes] + [""]
    return "\n".join(lines)


def render_html(report: Report) -> str:
    """One self-contained HTML page: plotly.js embedded once (with the first figure).

    Examples
    --------
    >>> import tempfile
    >>> kv = KeyedVectors(2)
    >>> kv.add_vectors(["computer", "software", "keyboard", "internet"], [[1, 0], [1, 0.1], [1, 0.3], [1, 0.35]])
    >>> with tempfile.TemporaryDirectory() as out:
    ...     report = compare({"toy": kv}, out_dir=out, similarity_sets=["wordsim353"], n_boot=100, n_maps=0)
    >>> page = render_html(report)
    >>> page.startswith("<!DOCTYPE html>"), page.count('<section class="figure"'), page.count("plotly.js v")
    (True, 2, 1)
    """
    dark = report.config.get("template", "").endswith("dark")
    fg, bg, line = ("#e6e6e6", "#16181d", "#343a44") if dark else ("#222", "#fff", "#dde1e8")
    parts = []
    for i, (name, fig) in enumerate(report.figures.items()):
        div = fig.to_html(full_html=False, include_plotlyjs=(i == 0), div_id=f"fig-{i}",
                          config={"responsive": True, "displaylogo": False})
        parts.append(f'<section class="figure" data-figure="{html.escape(name)}">{div}</section>')
    tables = []
    for title, header, rows in _tables(report):
        head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows)
        tables.append(f"<h2>{html.escape(title)}</h2><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
    oov = []
    for ds, per in report.similarity.items():
        for m, r in per.items():
            if r is not None and r.oov_pairs:
                items = "".join(f"<li>{html.escape(a)} – {html.escape(b)} ({g:g})</li>" for a, b, g in r.oov_pairs)
                oov.append(f"<details><summary>{html.escape(m)} on {html.escape(ds)}: {r.n_oov} pairs not "
                           f"scored</summary><ul>{items}</ul></details>")
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in report.notes)
    title = html.escape(report.config.get("title", "Word vector comparison"))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: Inter, Helvetica, Arial, sans-serif; color: {fg}; background: {bg}; margin: 2em auto;
       max-width: 1200px; padding: 0 1em; }}
table {{ border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 0.9em; }}
th, td {{ border-bottom: 1px solid {line}; padding: 0.3em 0.7em; text-align: left; vertical-align: top; }}
section.figure {{ margin: 1em 0 2em; }}
</style></head><body>
<h1>{title}</h1>
<p>Models: {html.escape(", ".join(report.models))}. Seed {report.config.get("seed")},
{report.config.get("n_boot")} bootstrap resamples. Created {html.escape(str(report.config.get("created")))}.
All numbers are also in <code>report.json</code>.</p>
{"".join(parts)}
{"".join(tables)}
{"<h2>Pairs not scored (out of vocabulary)</h2>" + "".join(oov) if oov else ""}
{"<h2>Notes</h2><ul>" + notes + "</ul>" if notes else ""}
</body></html>
"""


def summary_table(report: Report) -> str:
    """A plain-text table for a terminal: one row per model, one column per score.

    Examples
    --------
    >>> import tempfile
    >>> kv = KeyedVectors(2)
    >>> kv.add_vectors(["computer", "software", "keyboard", "internet"], [[1, 0], [1, 0.1], [1, 0.3], [1, 0.35]])
    >>> with tempfile.TemporaryDirectory() as out:
    ...     report = compare({"toy": kv}, out_dir=out, similarity_sets=["wordsim353"], n_boot=100, n_maps=0)
    >>> print(summary_table(report))
    model  wordsim353 ρ       analogy 3cosadd  analogy 3cosmul
    -----  -----------------  ---------------  ---------------
    toy    1.000 ±0.000 (1%)  0.000 (0%)       0.000 (0%)
    """
    columns = [f"{ds} ρ" for ds in report.similarity] + [f"analogy {m}" for m in report.analogy]
    header = ["model"] + columns
    rows = []
    for m in report.models:
        row = [m]
        for ds, per in report.similarity.items():
            iv = report.similarity_intervals.get(ds, {}).get(m)
            r = per.get(m)
            row.append("n/a" if r is None else f"{_f(r.spearman, 3)} ±{_f((iv.high - iv.low) / 2, 3) if iv else '?'}"
                       f" ({100 * r.coverage:.0f}%)")
        for meth, per in report.analogy.items():
            r = per[m]
            row.append(f"{_f(r.accuracy, 3)} ({100 * r.coverage:.0f}%)")
        rows.append(row)
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    lines = [fmt.format(*header), "  ".join("-" * w for w in widths)] + [fmt.format(*r) for r in rows]
    return "\n".join(lines)
