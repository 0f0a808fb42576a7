"""Logging of the ``glove-gensim`` command: our progress at INFO, other libraries' only from WARNING.

JAX, gensim, numba and Dask log their start-up at INFO (JAX's ``Unable to initialize backend
'tpu'``, for one); a command's log keeps only the messages of our own packages below WARNING.

Examples
--------
>>> configure_logging(quiet=False)
>>> logging.getLogger("glove_gensim.model").isEnabledFor(logging.INFO)
True
>>> logging.getLogger("jax._src.xla_bridge").isEnabledFor(logging.INFO)
False
"""
from __future__ import annotations

import logging
import sys

OUR_PACKAGES = ("glove_gensim", "baselines", "evaluation")
FORMAT = "%(asctime)s : %(levelname)s : %(message)s"


def configure_logging(quiet: bool) -> None:
    """Log to stderr: our packages at INFO (WARNING when ``quiet``), everything else at WARNING.

    Examples
    --------
    >>> configure_logging(quiet=False)
    >>> logging.getLogger("glove_gensim.model").getEffectiveLevel() == logging.INFO
    True
    >>> logging.getLogger("jax").getEffectiveLevel() == logging.WARNING
    True
    """
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter(FORMAT))
        root.addHandler(handler)
    root.setLevel(logging.WARNING)
    for name in OUR_PACKAGES:
        logging.getLogger(name).setLevel(logging.WARNING if quiet else logging.INFO)
