"""The documentation's code runs: every ``.. code-block:: python`` of the tutorial and the how-tos.

Each page's blocks run in order in one namespace, in a temporary folder (the convention of
``docs/codeblocks.py``, stated on the docs' index page); ``console`` and ``text`` blocks are not
executed. The Sphinx build itself is ``make docs`` (it also executes the tutorial, for its figures);
``test_sphinx_build`` runs it here and is marked slow.
"""
from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("docs_codeblocks", ROOT / "docs" / "codeblocks.py")
codeblocks = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(codeblocks)


def test_every_page_is_covered_and_has_code():
    pages = codeblocks.EXECUTED_PAGES
    assert pages[0] == "tutorial.rst" and len(pages) >= 6, pages
    for page in pages:
        assert codeblocks.page_blocks(page), f"{page} has no executed code block"


def test_extractor_skips_console_and_keeps_options():
    text = (".. code-block:: console\n\n   $ glove-gensim train x\n\n"
            ".. code-block:: python\n   :caption: c\n\n   a = 1\n   if a:\n\n       b = 2\n\nprose\n")
    assert codeblocks.python_blocks_of(text) == ["a = 1\nif a:\n\n    b = 2\n"]


@pytest.mark.parametrize("page", codeblocks.EXECUTED_PAGES[1:])
def test_howto_code_runs(page, tmp_path):
    namespace = codeblocks.run_blocks(codeblocks.page_blocks(page), tmp_path, name=page)
    assert len(namespace) > 1


def test_tutorial_code_runs_and_makes_its_figures(tmp_path):
    import plotly.graph_objects as go

    source = (ROOT / "docs" / "tutorial.rst").read_text(encoding="utf-8")
    names = [line.split("::", 1)[1].strip() for line in source.splitlines()
             if line.startswith(".. plotly-figure::")]
    namespace = codeblocks.run_blocks(codeblocks.page_blocks("tutorial.rst"), tmp_path, name="tutorial")
    assert names == ["map_light", "map_dark", "losses_figure"]
    assert all(isinstance(namespace[name], go.Figure) for name in names)
    assert (tmp_path / "report" / "report.html").is_file() and (tmp_path / "war_light.html").is_file()
    assert namespace["model"].epochs_trained == 27


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("sphinx") is None, reason="needs the docs extra (sphinx)")
def test_sphinx_build(tmp_path):
    shutil.rmtree(ROOT / "docs" / "generated", ignore_errors=True)
    result = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-q",
                             str(ROOT / "docs"), str(tmp_path / "html")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    tutorial = (tmp_path / "html" / "tutorial.html").read_text(encoding="utf-8")
    assert tutorial.count('class="plotly-figure"') == 3 and "_static/plotly.min.js" in tutorial
    assert (tmp_path / "html" / "_static" / "plotly.min.js").is_file()
    assert "cdn." not in tutorial
