"""Fixtures for every test and doctest of the repository."""
import logging

import pytest

_OUR_LOGGERS = ("", "glove_gensim", "baselines", "evaluation")
_PRISTINE_LEVELS = {name: logging.getLogger(name).level for name in _OUR_LOGGERS}
_PRISTINE_HANDLERS = list(logging.getLogger().handlers)
"""Levels and root handlers when the session starts, before any fixture (a module-scoped one
included) ran the CLI."""


@pytest.fixture(autouse=True)
def _restore_logging():
    """The CLI, run in-process by some tests and fixtures, sets logger levels and a root handler
    (``glove_gensim.cli.logs.configure_logging``): put back the session's starting levels and
    handlers after each test, so ``caplog`` in later tests sees our INFO lines whatever ran before
    (also when a module-scoped fixture ran the CLI with ``-q`` before this test started)."""
    handlers = [*_PRISTINE_HANDLERS, *logging.getLogger().handlers]  # pytest's own come and go per test
    yield
    for name, level in _PRISTINE_LEVELS.items():
        logging.getLogger(name).setLevel(level)
    root = logging.getLogger()
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
