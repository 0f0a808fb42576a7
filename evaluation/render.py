"""A :class:`~evaluation.report.Report` as tables: Markdown, one self-contained HTML page, a terminal summary.

All three show the same numbers, built once by :func:`tables`; ``report.json`` holds them all.
The examples render the small two-seed report of ``evaluation.report._example_report`` (random
vectors of wordsim353's words, one GloVe and one SGNS model per seed, a made-up cost).

This module only reads a report's attributes and never imports :mod:`evaluation.report` (which
calls :func:`write_report`), so the two stay free of an import cycle; ``Report`` in the
annotations names :class:`evaluation.report.Report`.
"""
from __future__ import annotations

import html
import json
import logging
import os
from pathlib import Path
from typing import Any

import numpy as np

from evaluation.bootstrap import Interval
from glove_gensim.files import atomic_write

logger = logging.getLogger(__name__)

TEST_LABELS = {"williams": "Williams' t", "mcnemar": "exact McNemar"}


def write_report(report: Report, out_dir: str | os.PathLike) -> dict[str, Path]:
    """Write ``report.html``, ``report.md`` and ``report.json`` atomically into ``out_dir``.

    Examples
    --------
    >>> import tempfile
    >>> from evaluation.schema import validate_report
    >>> from evaluation.report import _example_report
    >>> report = _example_report(seeds=(1, 2))
    >>> with tempfile.TemporaryDirectory() as out:
    ...     paths = write_report(report, out)
    ...     errors = validate_report(json.loads(paths["json"].read_text(encoding="utf8")))
    >>> sorted(p.name for p in paths.values()), errors
    (['report.html', 'report.json', 'report.md'], [])
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


def fmt(x: float | None, digits: int = 4) -> str:
    """``x`` with ``digits`` decimals, ``"n/a"`` for None or NaN.

    Examples
    --------
    >>> fmt(0.123456), fmt(2.0, 1), fmt(float("nan")), fmt(None)
    ('0.1235', '2.0', 'n/a', 'n/a')
    """
    return "n/a" if x is None or not np.isfinite(x) else f"{x:.{digits}f}"


def fmt_interval(iv: Interval | None) -> str:
    """``estimate [low, high]``.

    Examples
    --------
    >>> fmt_interval(Interval(0.5, 0.25, 0.75)), fmt_interval(None)
    ('0.5000 [0.2500, 0.7500]', 'n/a')
    """
    return "n/a" if iv is None else f"{fmt(iv.estimate)} [{fmt(iv.low)}, {fmt(iv.high)}]"


def fmt_p(p: float | None) -> str:
    """A p-value with 2 significant digits.

    Examples
    --------
    >>> fmt_p(0.000012), fmt_p(0.0412), fmt_p(float("nan"))
    ('1.2e-05', '0.041', 'n/a')
    """
    return "n/a" if p is None or not np.isfinite(p) else f"{p:.2g}"


def settings_text(settings: dict[str, Any]) -> str:
    """``key=value`` pairs, space separated.

    Examples
    --------
    >>> settings_text({"vector_size": 50, "x_max": 10.0})
    'vector_size=50 x_max=10.0'
    """
    return " ".join(f"{k}={v}" for k, v in settings.items())


def _mean(values: list[float]) -> float:
    return float(np.mean(values)) if values else float("nan")


def cost_rows(report: Report) -> dict[str, list[str]]:
    """Per model: mean over seeds of total seconds, epoch seconds, peak memory (MB), tokens/s.

    Examples
    --------
    >>> from evaluation.report import _example_report
    >>> report = _example_report(seeds=(1, 2))
    >>> cost_rows(report)
    {'GloVe': ['1.5', '1.0', '300', '80,000'], 'SGNS': ['1.5', '1.0', '300', '80,000']}
    """
    out = {}
    for model in report.models:
        costs = [e.cost for e in report.entries if e.name == model and e.cost is not None]
        if not costs:
            out[model] = ["n/a"] * 4
            continue
        out[model] = [fmt(_mean([c.seconds for c in costs]), 1), fmt(_mean([c.train_seconds for c in costs]), 1),
                      f"{max(c.peak_memory_bytes for c in costs) / 2 ** 20:.0f}",
                      f"{_mean([c.tokens_per_second for c in costs]):,.0f}"]
    return out


def verdict_lines(report: Report) -> list[str]:
    """The one-line verdicts, then the grid lines.

    Examples
    --------
    >>> from evaluation.report import _example_report
    >>> report = _example_report(seeds=(1, 2))
    >>> verdict_lines(report)  # random vectors: no difference survives
    ["wordsim353: SGNS better than GloVe by +0.008 (ahead on 1 of 2 seeds); the difference does not survive ..."]
    """
    lines = [v.line for v in report.verdicts] + [g.line for g in report.grid_checks]
    return lines or ["no verdict: fewer than two models were scored"]


def tables(report: Report) -> list[tuple[str, list[str], list[list[str]]]]:
    """The report's tables as (title, header, rows) of strings, shared by Markdown and HTML.

    Examples
    --------
    >>> from evaluation.report import _example_report
    >>> report = _example_report(seeds=(1, 2))
    >>> [(title, len(rows)) for title, header, rows in tables(report)][:4]
    [('Models, settings and training cost (mean over seeds)', 2), ('Scores over 2 seeds', 2),
     ('Differences over seeds (Holm-adjusted, 5% level)', 1), ("Paired comparisons (Holm's correction over all of them)", 2)]
    >>> tables(report)[0][2][0]
    ['GloVe', 'GloVe', 'vector_size=8', '1.5', '1.0', '300', '80,000']
    """
    out = []
    costs = cost_rows(report)
    rows = []
    for m in report.models:
        e = report.entry(m)
        rows.append([m, e.family or "-", settings_text(e.settings) or "-", *costs[m]])
    out.append(("Models, settings and training cost (mean over seeds)",
                ["model", "family", "settings", "seconds", "of which epochs", "peak RSS MB", "tokens x epochs / s"], rows))
    n_seeds = len(report.seeds)
    rows = []
    for set_name, per in report.scores.items():
        for m, s in per.items():
            per_seed = ", ".join(fmt(v, 3) for v in s.per_seed.values())
            rows.append([set_name, m, fmt_interval(s.interval), fmt(s.sd, 4) if n_seeds > 1 else "-",
                         f"{fmt(s.spread[0], 3)} – {fmt(s.spread[1], 3)}" if n_seeds > 1 else "-", per_seed,
                         f"{100 * s.coverage:.1f}%"])
    out.append((f"Scores over {n_seeds} seed{'s' if n_seeds != 1 else ''}",
                ["set", "model", "mean [95% bootstrap CI]", "sd over seeds", "min – max", "per seed", "coverage"],
                rows))
    rows = [[c.set, str(c.seed) if c.seed is not None else "-", f"{c.a} − {c.b}",
             f"{fmt(c.diff)} [{fmt(c.ci[0])}, {fmt(c.ci[1])}]", fmt_p(c.p_bootstrap),
             f"{fmt_p(c.p_test)} ({TEST_LABELS[c.test]})", fmt_p(c.p_holm), "yes" if c.significant else "no",
             str(c.n_items)] for c in report.comparisons]
    if n_seeds > 1:
        out.append(("Differences over seeds (Holm-adjusted, 5% level)",
                    ["set", "difference", "mean diff", "min – max", "seeds ahead", "seeds significant"],
                    seed_difference_rows(report)))
    out.append(("Paired comparisons (Holm's correction over all of them)",
                ["set", "seed", "difference", "diff [95% CI]", "p (bootstrap)", "p (test)", "p (Holm)",
                 "significant", "common items"], rows))
    rows = []
    for ds, per in report.similarity.items():
        for m, r in per.items():
            if r is None:
                rows.append([ds, m, "0", "n/a", "n/a", ""])
                continue
            oov = ", ".join(f"{w} ({c})" for w, c in sorted(r.oov_words.items(), key=lambda t: (-t[1], t[0]))[:8])
            rows.append([ds, m, f"{r.n_covered}/{r.n_pairs}", str(r.n_oov), fmt(r.pearson),
                         oov + (" ..." if len(r.oov_words) > 8 else "")])
    out.append(("Word similarity coverage (first seed)", ["data set", "model", "pairs scored", "OOV pairs",
                                                          "Pearson", "OOV words (pairs lost)"], rows))
    rows = []
    for meth, per in report.analogy.items():
        for m, r in per.items():
            for sec in r.sections:
                rows.append([meth, m, sec.section, fmt(sec.accuracy) if sec.n_covered else "n/a",
                             f"{sec.correct}/{sec.n_covered}", str(sec.oov)])
    out.append(("Analogies per section (first seed)", ["method", "model", "section", "accuracy",
                                                       "correct/scored", "OOV"], rows))
    nb = report.neighbors
    rows = [[p, m, "(not in vocabulary)" if nb.neighbors[p].get(m) is None
             else ", ".join(w for w, _ in nb.neighbors[p][m])] for p in nb.probes for m in nb.models]
    out.append((f"Nearest neighbours (k={nb.k}, first seed)", ["probe", "model", "neighbours"], rows))
    if nb.mean_overlap:
        out.append((f"Mean neighbour overlap@{nb.k}", ["models", f"overlap@{nb.k}"],
                    [[f"{a} / {b}", fmt(v, 3)] for (a, b), v in nb.mean_overlap.items()]))
    rows = []
    for e in report.runs():
        losses = [p.loss for p in e.curve if p.loss is not None]
        if not e.curve:
            continue
        last = e.curve[-1]
        rows.append([e.run or e.name, str(e.seed) if e.seed is not None else "-", str(len(e.curve)),
                     fmt(losses[0], 6) if losses else "n/a", fmt(losses[-1], 6) if losses else "n/a",
                     fmt(last.seconds, 1) if last.seconds is not None else "n/a",
                     ", ".join(f"{k} {fmt(v, 3)}" for k, v in last.scores.items())])
    if rows:
        out.append(("Training curves", ["run", "seed", "epochs", "first loss", "last loss", "seconds",
                                        "last epoch's Spearman"], rows))
    return out


def seed_difference_rows(report: Report) -> list[list[str]]:
    """Per compared pair and set: the difference ``a - b`` over seeds, and on how many seeds ``a`` is
    ahead and significantly so (after Holm).

    Examples
    --------
    >>> from evaluation.report import _example_report
    >>> report = _example_report(seeds=(1, 2))
    >>> seed_difference_rows(report)
    [['wordsim353', 'GloVe − SGNS', '-0.0083', '-0.0499 – 0.0332', '1/2 (SGNS)', '0/2']]
    """
    groups: dict[tuple[str, str, str], list] = {}
    for c in report.comparisons:
        groups.setdefault((c.set, c.a, c.b), []).append(c)
    rows = []
    for (set_name, a, b), cmps in groups.items():
        diffs = [c.diff for c in cmps]
        sign = 1 if np.mean(diffs) >= 0 else -1
        ahead = sum(1 for d in diffs if sign * d > 0)
        significant = sum(1 for c in cmps if sign * c.diff > 0 and c.significant)
        rows.append([set_name, f"{a} − {b}", fmt(float(np.mean(diffs))), f"{fmt(min(diffs))} – {fmt(max(diffs))}",
                     f"{ahead}/{len(cmps)} ({a if sign > 0 else b})", f"{significant}/{len(cmps)}"])
    return rows


def _intro(report: Report) -> str:
    c = report.config
    return (f"Models: {', '.join(report.models)}. Training seeds: "
            f"{', '.join(str(s) for s in report.seeds if s is not None) or 'n/a'}; bootstrap seed {c.get('seed')}, "
            f"{c.get('n_boot')} resamples. Created {c.get('created')}.")


def _md_escape(s: str) -> str:
    return s.replace("|", "\\|")


def render_markdown(report: Report) -> str:
    """The report's verdicts and tables in GitHub Markdown.

    Examples
    --------
    >>> from evaluation.report import _example_report
    >>> report = _example_report(seeds=(1, 2))
    >>> render_markdown(report).splitlines()[:5]
    ['# Word vector comparison', '', 'Models: GloVe, SGNS. Training seeds: 1, 2; bootstrap seed 0, 50 resamples. Created ...',
     '', '## Verdicts']
    """
    lines = [f"# {report.config.get('title', 'Word vector comparison')}", "", _intro(report), "",
             "## Verdicts", ""] + [f"- {line}" for line in verdict_lines(report)] + [""]
    for title, header, rows in tables(report):
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
    >>> import re
    >>> from evaluation.report import _example_report
    >>> report = _example_report(seeds=(1, 2))
    >>> page = render_html(report)
    >>> page.startswith("<!DOCTYPE html>"), re.findall('data-figure="([^"]+)"', page), page.count("<table>")
    (True, ['loss', 'loss_relative', 'similarity_scores'], 9)
    """
    dark = report.config.get("template", "").endswith("dark")
    fg, bg, line = ("#e6e6e6", "#16181d", "#343a44") if dark else ("#222", "#fff", "#dde1e8")
    parts = []
    for i, (name, fig) in enumerate(report.figures.items()):
        div = fig.to_html(full_html=False, include_plotlyjs=(i == 0), div_id=f"fig-{i}",
                          config={"responsive": True, "displaylogo": False})
        parts.append(f'<section class="figure" data-figure="{html.escape(name)}">{div}</section>')
    blocks = []
    for title, header, rows in tables(report):
        head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows)
        blocks.append(f"<h2>{html.escape(title)}</h2><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
    oov = []
    for ds, per in report.similarity.items():
        for m, r in per.items():
            if r is not None and r.oov_pairs:
                items = "".join(f"<li>{html.escape(a)} – {html.escape(b)} ({g:g})</li>" for a, b, g in r.oov_pairs)
                oov.append(f"<details><summary>{html.escape(m)} on {html.escape(ds)}: {r.n_oov} pairs not "
                           f"scored</summary><ul>{items}</ul></details>")
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in report.notes)
    verdicts = "".join(f"<li>{html.escape(v)}</li>" for v in verdict_lines(report))
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
ul.verdicts li {{ margin: 0.3em 0; }}
</style></head><body>
<h1>{title}</h1>
<p>{html.escape(_intro(report))} All numbers are also in <code>report.json</code>.</p>
<h2>Verdicts</h2><ul class="verdicts">{verdicts}</ul>
{"".join(parts)}
{"".join(blocks)}
{"<h2>Pairs not scored (out of vocabulary)</h2>" + "".join(oov) if oov else ""}
{"<h2>Notes</h2><ul>" + notes + "</ul>" if notes else ""}
</body></html>
"""


def summary_table(report: Report) -> str:
    """Plain text for a terminal: one row per model (scores as mean ±sd over seeds, cost), then
    the one-line verdicts.

    Examples
    --------
    >>> from evaluation.report import _example_report
    >>> report = _example_report(seeds=(1, 2))
    >>> print(summary_table(report))
    model  wordsim353           seconds  peak RSS MB  tokens/s  settings
    -----  -------------------  -------  -----------  --------  -------------
    GloVe  0.024 ±0.034 (100%)  1.5      300          80,000    vector_size=8
    SGNS   0.032 ±0.025 (100%)  1.5      300          80,000    vector_size=8
    <BLANKLINE>
    wordsim353: SGNS better than GloVe by +0.008 (ahead on 1 of 2 seeds); the difference does not survive ...
    """
    costs = cost_rows(report)
    columns = list(report.scores)
    header = ["model"] + columns + ["seconds", "peak RSS MB", "tokens/s", "settings"]
    multi = len(report.seeds) > 1
    rows = []
    for m in report.models:
        row = [m]
        for set_name in columns:
            s = report.scores[set_name].get(m)
            row.append("n/a" if s is None else fmt(s.mean, 3) + (f" ±{fmt(s.sd, 3)}" if multi else "")
                       + f" ({100 * s.coverage:.0f}%)")
        seconds, _, memory, rate = costs[m]
        row += [seconds, memory, rate, settings_text(report.entry(m).settings)]
        rows.append(row)
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    line_fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    lines = [line_fmt.format(*header).rstrip(), "  ".join("-" * w for w in widths)]
    lines += [line_fmt.format(*r).rstrip() for r in rows]
    lines += [""] + verdict_lines(report)
    return "\n".join(lines)


def neighbors_side_by_side(report: Report, probes: list[str] | None = None, k: int = 8) -> str:
    """Plain text: for each probe, the nearest neighbours of every shown model in columns.

    Parameters
    ----------
    probes : list of str, optional
        Default: the report's first three probes.
    k : int
        Rows per probe (at most the report's ``k``).

    Examples
    --------
    >>> from evaluation.report import _example_report
    >>> report = _example_report(seeds=(1, 2))
    >>> print(neighbors_side_by_side(report, k=3))  # random vectors: random neighbours
    nearest neighbours of 'criterion'
         GloVe    SGNS
     1.  team     credibility
     2.  potato   recovery
     3.  grocery  challenge
    <BLANKLINE>
    nearest neighbours of 'psychology'
         GloVe       SGNS
     1.  tableware   start
     2.  airport     similarity
     3.  depression  activity
    """
    nb = report.neighbors
    probes = nb.probes[:3] if probes is None else probes
    blocks = []
    for probe in probes:
        per = nb.neighbors.get(probe, {})
        columns = [[m] + ([w for w, _ in per[m][:k]] if m in per else ["(not in vocabulary)"]) for m in nb.models]
        depth = max(len(c) for c in columns)
        columns = [c + [""] * (depth - len(c)) for c in columns]
        widths = [max(len(x) for x in c) for c in columns]
        lines = [f"nearest neighbours of '{probe}'"]
        for i in range(depth):
            rank = "   " if i == 0 else f"{i:>2}."
            lines.append((rank + "  " + "  ".join(c[i].ljust(w) for c, w in zip(columns, widths))).rstrip())
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


SPARKS = "▁▂▃▄▅▆▇█"


def loss_sparklines(report: Report) -> str:
    """Plain text: each training run's loss per epoch (last seed, as the figures) as a sparkline.

    Examples
    --------
    >>> from evaluation.report import _example_report
    >>> report = _example_report(seeds=(1, 2))
    >>> print(loss_sparklines(report))
    GloVe  █▁  0.8 -> 0.4 over 2 epochs (50% of epoch 1)
    SGNS   █▁  0.8 -> 0.4 over 2 epochs (50% of epoch 1)
    """
    runs = [e for e in report.runs() if e.seed == report.seeds[-1] and any(p.loss is not None for p in e.curve)]
    if not runs:
        return "no training losses recorded"
    width = max(len(e.run or e.name) for e in runs)
    lines = []
    for e in runs:
        losses = [p.loss for p in e.curve if p.loss is not None]
        lines.append(f"{(e.run or e.name).ljust(width)}  {sparkline(losses)}  {losses[0]:.4g} -> {losses[-1]:.4g} "
                     f"over {len(losses)} epochs ({losses[-1] / losses[0]:.0%} of epoch 1)")
    return "\n".join(lines)


def sparkline(values: list[float]) -> str:
    """One block character per value, scaled between the values' minimum and maximum.

    Examples
    --------
    >>> sparkline([4.0, 2.0, 1.0, 1.0]), sparkline([3.0, 3.0])
    ('█▃▁▁', '▁▁')
    """
    low, high = min(values), max(values)
    span = high - low
    return "".join(SPARKS[0 if span == 0 else min(len(SPARKS) - 1, int((v - low) / span * len(SPARKS)))]
                   for v in values)
