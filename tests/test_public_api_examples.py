"""Every public class and function of the three packages shows a runnable example (``>>>``).

The examples themselves run as doctests (``--doctest-modules`` in pyproject.toml); this test
makes sure none is missing. Public means: a class or function defined in its module (not
imported into it) under a name without a leading underscore, in any module of ``glove_gensim``,
``baselines`` or ``evaluation`` (private modules such as ``evaluation._vocab`` included).
Numba-compiled functions count as functions.
"""
from __future__ import annotations

import importlib
import inspect
import pkgutil


PACKAGES = ("glove_gensim", "baselines", "evaluation")

# Names still waiting for an example (empty: every public name has one).
PENDING: set[str] = set()


def _modules():
    for name in PACKAGES:
        package = importlib.import_module(name)
        yield package
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{name}."):
            if not info.name.endswith(".__main__"):  # running it is its whole job
                yield importlib.import_module(info.name)


def _is_function(obj) -> bool:
    return inspect.isfunction(obj) or inspect.isfunction(getattr(obj, "py_func", None))


def public_names() -> dict[str, object]:
    """``module.name`` -> object, for every public class and function of the three packages."""
    found = {}
    for module in _modules():
        for name, obj in vars(module).items():
            if name.startswith("_") or not (inspect.isclass(obj) or _is_function(obj)):
                continue
            if getattr(obj, "__module__", None) == module.__name__:
                found[f"{module.__name__}.{name}"] = obj
    return found


def test_walk_finds_the_public_api():
    names = public_names()
    assert {"glove_gensim.vocab.Vocabulary", "glove_gensim.io.load_glove", "baselines.pairs.skipgram_pairs",
            "evaluation.report.compare", "glove_gensim._cooccur_kernels.accumulate_windows"} <= set(names)
    assert "glove_gensim.cooccur.Vocabulary" not in names  # imported, not defined there
    assert not any(name.rsplit(".", 1)[1].startswith("_") for name in names)


def _doc(obj) -> str:
    return obj.__doc__ or ""  # not inspect.getdoc, which would borrow a base class's docstring


def test_every_public_name_has_an_example():
    missing = sorted(name for name, obj in public_names().items() if name not in PENDING and ">>>" not in _doc(obj))
    assert not missing, "public names without an example (>>>) in their docstring:\n  " + "\n  ".join(missing)


def test_no_example_is_skipped():
    skipped = sorted(name for name, obj in public_names().items() if name not in PENDING and "+SKIP" in _doc(obj))
    assert not skipped, "examples marked +SKIP (make them run):\n  " + "\n  ".join(skipped)


def test_pending_lists_only_names_still_waiting():
    names = public_names()
    done = {name for name in PENDING & set(names) if ">>>" in _doc(names[name]) and "+SKIP" not in _doc(names[name])}
    stale = sorted((PENDING - set(names)) | done)
    assert not stale, "remove from PENDING (gone, or now has a runnable example):\n  " + "\n  ".join(stale)
