"""The documentation's code runs: every ``.. code-block:: python`` of the tutorial and the how-tos.

Each page's blocks run in order in one namespace, in a temporary folder (the convention of
``docs/codeblocks.py``, stated on the docs' index page); ``console`` and ``text`` blocks are not
executed. The Sphinx build itself is ``make docs`` (it also executes the tutorial, for its figures);
the slow tests here run it once from a clean tree (no warning allowed) and check the rendered
tutorial and that the reference shows every public class and function with its docstring.
"""
from __future__ import annotations

import importlib
import importlib.util
import inspect
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_public_api_examples import PACKAGES, public_names

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


def _first_words(obj, n: int = 3) -> list[str]:
    """The first ``n`` plain words of ``obj``'s own docstring (rST markup dropped)."""
    first = re.sub(r"``[^`]*``|:[a-z:]+:`[^`]*`|`[^`]*`", " ", (obj.__doc__ or "").strip().split("\n\n")[0])
    return re.findall(r"[A-Za-z]{3,}", first)[:n]


def _rendered_docs(html_dir: Path) -> dict[str, str]:
    """``module.name`` -> the text (tags dropped) of its entry, over the reference pages."""
    entries = {}
    for page in (html_dir / "generated").glob("*.html"):
        text = page.read_text(encoding="utf-8")
        for match in re.finditer(r'<dt class="sig sig-object py" id="([\w.]+)">', text):
            body = text[text.index("</dt>", match.end()):]
            end = body.find("<dt", 5)
            body = body if end < 0 else body[:end]
            entries[match.group(1)] = re.sub(r"<[^>]+>", " ", body)
    return entries


def test_rendered_docs_finds_entries_and_words(tmp_path):
    page = tmp_path / "generated" / "m.html"
    page.parent.mkdir()
    page.write_text('<dl><dt class="sig sig-object py" id="m.f">f()</dt><dd><p>Count the <em>words</em>.'
                    '</p></dd><dt class="sig sig-object py" id="m.g">g()</dt><dd></dd></dl>', encoding="utf-8")
    entries = _rendered_docs(tmp_path)
    assert set(entries) == {"m.f", "m.g"} and "words" in entries["m.f"] and "Count" not in entries["m.g"]

    def f():
        """Count ``x`` with :func:`g`, the words of a `corpus`."""
    assert _first_words(f) == ["Count", "with", "the"]


@pytest.fixture(scope="module")
def built_html(tmp_path_factory) -> Path:
    """The HTML of a Sphinx build from a clean tree (``docs/generated`` removed first); the build
    must end without a warning (``-W``)."""
    shutil.rmtree(ROOT / "docs" / "generated", ignore_errors=True)
    html = tmp_path_factory.mktemp("docs") / "html"
    result = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-q",
                             str(ROOT / "docs"), str(html)], capture_output=True, text=True)
    assert result.returncode == 0 and "WARNING" not in result.stderr, result.stderr[-3000:]
    return html


_NEEDS_SPHINX = pytest.mark.skipif(importlib.util.find_spec("sphinx") is None,
                                   reason="needs the docs extra (sphinx)")


@pytest.mark.slow
@_NEEDS_SPHINX
def test_sphinx_build(built_html):
    tutorial = (built_html / "tutorial.html").read_text(encoding="utf-8")
    assert tutorial.count('class="plotly-figure"') == 3 and "_static/plotly.min.js" in tutorial
    assert (built_html / "_static" / "plotly.min.js").is_file()
    assert "cdn." not in tutorial
    # A cross-reference that found no target renders as bare code, not a link: none on the pages.
    for page in [built_html / "tutorial.html", built_html / "figures.html", *(built_html / "howto").glob("*.html")]:
        unresolved = re.findall(r'(?<!>)<code class="xref py[^"]*"[^>]*><span class="pre">([^<]*)',
                                page.read_text(encoding="utf-8"))
        assert not unresolved, (page.name, unresolved)


@pytest.mark.slow
@_NEEDS_SPHINX
def test_reference_documents_every_public_name(built_html):
    """Every public class and function of every public module (no ``_`` in its path; the same walk
    as ``tests/test_public_api_examples.py``) has an entry in the reference showing its docstring,
    and every name of a package's ``__all__`` is documented where it is defined."""
    entries = _rendered_docs(built_html)
    public = {name: obj for name, obj in public_names().items()
              if not any(part.startswith("_") for part in name.split("."))}
    assert len(public) > 250, len(public)
    missing = sorted(set(public) - set(entries))
    assert not missing, f"not in the reference: {missing}"
    undocumented = sorted(name for name, obj in public.items()
                          if not all(word in entries[name] for word in _first_words(obj)))
    assert not undocumented, f"docstring not shown in the reference: {undocumented}"
    for package in PACKAGES:
        module = importlib.import_module(package)
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isclass(obj) or inspect.isfunction(obj):
                assert f"{obj.__module__}.{obj.__name__}" in entries, f"{package}.{name}"


@pytest.mark.slow
@_NEEDS_SPHINX
@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs a headless chromium")
def test_tutorial_renders_in_headless_chromium(built_html):
    """plotly.js (from ``_static``, offline) draws the tutorial's three figures, with nothing
    written to the browser console (an error, an uncaught exception or a failed load)."""
    result = subprocess.run(["chromium", "--headless", "--disable-gpu", "--no-sandbox", "--enable-logging=stderr",
                             "--v=0", "--virtual-time-budget=15000", "--dump-dom",
                             (built_html / "tutorial.html").as_uri()], capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    console = [line for line in result.stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]
    assert not console, console
    dom = result.stdout
    for name in ("map_light", "map_dark", "losses_figure"):
        start = dom.index(f'id="figure-{name}"')
        end = dom.find('class="plotly-figure"', start)
        figure = dom[start:end if end > 0 else len(dom)]
        assert 'class="plot-container plotly"' in figure and "<svg" in figure, name
