"""Sphinx configuration: API reference from the numpy-style docstrings, built offline."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import types  # noqa: E402

import glove_gensim  # noqa: E402

# ``python -m glove_gensim.cli`` runs the command when imported; the reference lists its package
# instead, so autosummary's module scan sees a stand-in.
sys.modules["glove_gensim.cli.__main__"] = types.ModuleType("glove_gensim.cli.__main__", "The command.")

project = "glove-gensim"
author = "glove-gensim developers"
copyright = "glove-gensim developers, MIT licence"
release = version = glove_gensim.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
    "plotly_figures",
]
autosummary_generate = True
autosummary_imported_members = False
autodoc_member_order = "bysource"
autodoc_typehints = "description"
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_rtype = False
# "Attributes" sections as fields, so a NamedTuple field is not described twice (docstring + autodoc).
napoleon_use_ivar = True
napoleon_preprocess_types = False
# A numpy-style type such as ``path`` or ``Vocabulary`` names several attributes of the same name
# across modules; Sphinx then says "more than one target found" (category ref.python) and links
# the first. Those links are harmless, so that one category is not an error; every other warning is.
suppress_warnings = ["ref.python"]

templates_path = ["_templates"]
exclude_patterns = ["_build"]
html_theme = "alabaster"
# Wide enough for the tutorial's code lines (up to ~100 characters) without a scroll bar.
html_theme_options = {"description": "GloVe in JAX, delivered as gensim KeyedVectors", "fixed_sidebar": True,
                      "page_width": "1180px"}
