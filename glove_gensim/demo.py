"""`make demo`: GloVe, the SGNS baseline and gensim's Word2Vec on gensim's bundled
``lee_background.cor`` (60k tokens), side by side, with the report in ``demo_output/``.

    python -m glove_gensim.demo [OUT_DIR]

What a newcomer can judge at a glance on so small a corpus: the nearest neighbours of three probe
words per model, the loss curves, and the one-line verdicts (which, here, say that no difference
survives Holm's correction: the command for a larger corpus is printed at the end).
"""
from __future__ import annotations

import sys

from gensim.test.utils import datapath

LARGER = "glove-gensim compare /path/to/larger_corpus.txt --seeds 3 --out report"


def run(out_dir: str = "demo_output"):
    """Train and compare on lee_background.cor; returns the :class:`~evaluation.report.Report`.

    Examples
    --------
    The run trains three models (about half a minute on two cores); here the comparison is replaced,
    to show what it is asked for:

    >>> from unittest import mock
    >>> with mock.patch("evaluation.experiment.run_comparison") as compare:
    ...     report = run("somewhere")
    >>> report is compare.return_value, compare.call_args.args[0].endswith("lee_background.cor")
    (True, True)
    >>> options = compare.call_args.kwargs
    >>> options["out_dir"], options["seeds"], options["glove_params"], options["sgns_params"]
    ('somewhere', 1, {'vector_size': 50, 'epochs': 25, 'x_max': 10.0}, {'vector_size': 50, 'epochs': 10})
    """
    from evaluation.experiment import run_comparison

    return run_comparison(datapath("lee_background.cor"), seeds=1, out_dir=out_dir,
                          glove_params={"vector_size": 50, "epochs": 25, "x_max": 10.0},
                          sgns_params={"vector_size": 50, "epochs": 10}, probes=["government", "police"],
                          title="GloVe or SGNS? (demo on lee_background.cor)")


def describe(report) -> str:
    """The demo's printout: neighbours side by side, loss curves, verdicts, and what to do next.

    Examples
    --------
    On a small ready-made report (random vectors, two seeds):

    >>> from evaluation.report import _example_report
    >>> print(describe(_example_report(seeds=(1, 2))))
    nearest neighbours of 'criterion'
         GloVe         SGNS
     1.  team          credibility
    ...
    training loss per epoch (each on its own scale):
    GloVe  █▁  0.8 -> 0.4 over 2 epochs (50% of epoch 1)
    SGNS   █▁  0.8 -> 0.4 over 2 epochs (50% of epoch 1)
    ...
    On a corpus this small (60,000 tokens) the 95% intervals of 2 of the 2 differences span zero, ...
    """
    from evaluation.render import loss_sparklines, neighbors_side_by_side, summary_table

    spanning = sum(1 for c in report.comparisons if c.ci[0] <= 0 <= c.ci[1])
    total = len(report.comparisons)
    tokens = report.config.get("training", {}).get("corpus_tokens_in_vocabulary", 0)
    return "\n\n".join([
        neighbors_side_by_side(report, k=8),
        "training loss per epoch (each on its own scale):\n" + loss_sparklines(report),
        summary_table(report),
        f"On a corpus this small ({tokens:,} tokens) the 95% intervals of {spanning} of the {total} "
        f"differences span zero{', so the scores above cannot tell the models apart' if spanning == total else ''}; "
        f"for a verdict, run on a corpus of a few million tokens: {LARGER}",
    ])


def main(argv: list[str] | None = None) -> int:
    """Run the demo and print what it shows; returns 0.

    Examples
    --------
    The demo trains three models (about half a minute on two cores); here the training is replaced:

    >>> from unittest import mock
    >>> with mock.patch("glove_gensim.demo.run") as fake, \\
    ...         mock.patch("glove_gensim.demo.describe", return_value="printed"):
    ...     main(["somewhere"])  # doctest: +ELLIPSIS
    printed
    report: ...somewhere/report.html
    0
    >>> fake.call_args.args
    ('somewhere',)
    """
    from pathlib import Path

    argv = sys.argv[1:] if argv is None else argv
    out_dir = argv[0] if argv else "demo_output"
    report = run(out_dir)
    print(describe(report))
    print(f"report: {Path(out_dir).resolve() / 'report.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
