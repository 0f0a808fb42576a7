"""Evaluation of word vectors: similarity, analogies, neighbours, bootstrap intervals, plots, report.

Flat public API::

    from evaluation import evaluate_similarity, evaluate_analogies, paired_bootstrap, compare

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
    paired_bootstrap,
    resample_indices,
)
from evaluation.neighbors import (
    STOP_WORDS,
    NeighborsResult,
    default_probes,
    frequency_order,
    nearest_neighbors,
    overlap_at_k,
    top_k,
)
from evaluation.plots import (
    DARK_TEMPLATE,
    LIGHT_TEMPLATE,
    embed_2d,
    loss_figure,
    neighbor_map_figure,
    register_templates,
    score_figure,
)
from evaluation.report import Report, compare, render_html, render_markdown, summary_table, write_report
from evaluation.similarity import (
    BUNDLED_SIMILARITY_SETS,
    SimilarityResult,
    WordPairs,
    evaluate_similarity,
    read_word_pairs,
)

__all__ = [
    "AnalogyQuestions", "AnalogyResult", "SectionScore", "evaluate_analogies", "read_analogies",
    "BootstrapComparison", "Interval", "bootstrap_score", "paired_bootstrap", "resample_indices",
    "STOP_WORDS", "NeighborsResult", "default_probes", "frequency_order", "nearest_neighbors",
    "overlap_at_k", "top_k",
    "DARK_TEMPLATE", "LIGHT_TEMPLATE", "embed_2d", "loss_figure", "neighbor_map_figure",
    "register_templates", "score_figure",
    "Report", "compare", "render_html", "render_markdown", "summary_table", "write_report",
    "BUNDLED_SIMILARITY_SETS", "SimilarityResult", "WordPairs", "evaluate_similarity", "read_word_pairs",
]
