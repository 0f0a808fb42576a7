"""`make demo`: compare GloVe with the SGNS baseline and gensim's Word2Vec on gensim's bundled
``lee_background.cor`` and write the report to ``demo_output/``.

    python -m glove_gensim.demo [OUT_DIR]
"""
from __future__ import annotations

import sys

from gensim.test.utils import datapath

from glove_gensim.cli import main as cli_main


def main(argv: list[str] | None = None) -> int:
    """Run the demo comparison; returns the CLI's exit status.

    Examples
    --------
    The demo is one ``glove-gensim compare`` command (about half a minute on two cores); here the
    command line is recorded instead of run:

    >>> from unittest import mock
    >>> with mock.patch("glove_gensim.demo.cli_main", return_value=0) as cli:
    ...     main(["demo_output"])
    0
    >>> cli.call_args.args[0][:4]
    ['compare', '...lee_background.cor', '--out', 'demo_output']
    """
    argv = sys.argv[1:] if argv is None else argv
    out_dir = argv[0] if argv else "demo_output"
    return cli_main(["compare", datapath("lee_background.cor"), "--out", out_dir, "--with-gensim",
                     "--vector-size", "50", "--glove-epochs", "25", "--x-max", "10", "--sgns-epochs", "10",
                     "--probe", "government", "--probe", "police"])


if __name__ == "__main__":
    sys.exit(main())
