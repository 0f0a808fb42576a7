"""Evaluation of word vectors: similarity, analogies, neighbours, bootstrap intervals, plots, report.

Flat public API::

    from evaluation import evaluate_similarity, evaluate_analogies, paired_bootstrap, compare
    from evaluation.experiment import run_comparison  # trains GloVe, SGNS and gensim's Word2Vec first

Examples
--------
>>> import evaluation
>>> evaluation.read_word_pairs("wordsim353").pairs[:2]
[('love', 'sex'), ('tiger', 'cat')]
"""
from evaluation.analogy import (
    AnalogyQuestions,
    AnalogyResult,
    SectionScore,
    evaluate_analogies,
    read_analogies,
)
from evaluation.bootstrap import (
    BootstrapComparison,
    Interval,
    bootstrap_score,
    bootstrap_seed_mean,
    paired_bootstrap,
    resample_indices,
)
from evaluation.neighbors import (
    STOP_WORDS,
    NeighborsResult,
    default_probes,
    frequency_order,
    middle_frequency_probes,
    nearest_neighbors,
    overlap_at_k,
    top_k,
)
from evaluation.plots import (
    DARK_TEMPLATE,
    LIGHT_TEMPLATE,
    embed_2d,
    curve_figure,
    loss_figure,
    neighbor_map_figure,
    relative_loss_figure,
    register_templates,
    score_figure,
)
from evaluation.comparisons import Comparison, GridCheck, Verdict, apply_holm, compare_results
from evaluation.cost import MemorySampler, TrainingCost
from evaluation.experiment import parse_grid, run_comparison
from evaluation.curves import CurvePoint, CurveRecorder
from evaluation.render import render_html, render_markdown, summary_table, write_report
from evaluation.report import Report, ScoreSummary, TrainedVectors, build_report, compare
from evaluation.significance import holm, mcnemar_exact, williams_spearman, williams_t
from evaluation.similarity import (
    BUNDLED_SIMILARITY_SETS,
    SimilarityResult,
    WordPairs,
    evaluate_similarity,
    read_word_pairs,
)

__all__ = [
    "AnalogyQuestions", "AnalogyResult", "SectionScore", "evaluate_analogies", "read_analogies",
    "BootstrapComparison", "Interval", "bootstrap_score", "bootstrap_seed_mean", "paired_bootstrap",
    "resample_indices",
    "STOP_WORDS", "NeighborsResult", "default_probes", "frequency_order", "middle_frequency_probes",
    "nearest_neighbors", "overlap_at_k", "top_k",
    "DARK_TEMPLATE", "LIGHT_TEMPLATE", "curve_figure", "embed_2d", "loss_figure", "neighbor_map_figure",
    "register_templates", "relative_loss_figure", "score_figure",
    "Comparison", "GridCheck", "Verdict", "apply_holm", "compare_results",
    "MemorySampler", "TrainingCost", "CurvePoint", "CurveRecorder", "parse_grid", "run_comparison",
    "holm", "mcnemar_exact", "williams_spearman", "williams_t",
    "Report", "ScoreSummary", "TrainedVectors", "build_report", "compare", "render_html", "render_markdown",
    "summary_table", "write_report",
    "BUNDLED_SIMILARITY_SETS", "SimilarityResult", "WordPairs", "evaluate_similarity", "read_word_pairs",
]
