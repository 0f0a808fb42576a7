"""Fixtures for every test and doctest of the repository."""
import logging

import pytest


@pytest.fixture(autouse=True)
def _restore_logging():
    """The CLI, run in-process by some tests, sets logger levels and a root handler
    (``glove_gensim.cli.logs.configure_logging``): undo that after each test, so ``caplog`` in
    later tests sees our INFO lines whatever ran before."""
    names = ("", "glove_gensim", "baselines", "evaluation")
    levels = {name: logging.getLogger(name).level for name in names}
    handlers = list(logging.getLogger().handlers)
    yield
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)
    root = logging.getLogger()
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
