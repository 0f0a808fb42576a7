"""``glove-gensim`` command line: thin sub-commands that parse, check, call the library and report.

One module per family of sub-commands, over shared helpers; nothing here is imported by the
library, and ``baselines`` holds no command line of its own:

- :mod:`~glove_gensim.cli.app`: the parser, :func:`main` and the exit-status rules;
- :mod:`~glove_gensim.cli.options`: flags shared by several sub-commands, checked while parsing,
  bound to library parameters whose defaults they show but never hold;
- :mod:`~glove_gensim.cli.logs`: our packages log at INFO, other libraries from WARNING;
- :mod:`~glove_gensim.cli.counting` (``vocab``, ``cooccur``), :mod:`~glove_gensim.cli.train`
  (``train``), :mod:`~glove_gensim.cli.baseline` (``baseline``), :mod:`~glove_gensim.cli.evaluate`
  (``neighbors``, ``evaluate``, ``compare``).

Heavy imports (JAX, gensim) happen inside the sub-commands that need them, so counting
co-occurrences starts in a fraction of a second.

Examples
--------
>>> args = build_parser().parse_args(["cooccur", "corpus.txt", "--window", "5", "--out", "counts.npz"])
>>> args.command, args.window
('cooccur', 5)
"""
from glove_gensim.cli.app import build_parser, main

__all__ = ["build_parser", "main"]
