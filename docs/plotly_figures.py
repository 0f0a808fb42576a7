"""Sphinx extension: ``.. plotly-figure:: NAME`` embeds the plotly figure the page's own code made.

On the first such directive of a page, the page's ``.. code-block:: python`` blocks are executed
(:func:`codeblocks.run_blocks`); ``NAME`` is a variable of that namespace holding a
``plotly.graph_objects.Figure``. The figure is written inline as a ``<div>``; plotly.js is copied
from the installed plotly package into ``_static`` (no CDN), so the page works offline.
"""
from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import Directive, directives

import codeblocks

_NAMESPACES: dict[str, dict] = {}


class PlotlyFigure(Directive):
    required_arguments = 1
    option_spec = {"height": directives.nonnegative_int}

    def run(self) -> list[nodes.Node]:
        import plotly.graph_objects as go

        env = self.state.document.settings.env
        page = env.docname + ".rst"
        if page not in _NAMESPACES:
            with contextlib.redirect_stdout(io.StringIO()):  # the page's prints are shown on it as text
                _NAMESPACES[page] = codeblocks.run_blocks(codeblocks.page_blocks(page), name=page)
        name = self.arguments[0]
        figure = _NAMESPACES[page].get(name)
        if not isinstance(figure, go.Figure):
            raise self.error(f"plotly-figure: {page}'s code defines no plotly Figure named {name!r}")
        html = figure.to_html(full_html=False, include_plotlyjs=False, div_id=f"figure-{name}",
                              default_height=self.options.get("height", 480))
        return [nodes.raw("", f'<div class="plotly-figure">{html}</div>', format="html")]


def _copy_plotly_js(app, exception) -> None:
    if exception is None and app.builder.format == "html":
        import plotly

        source = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
        shutil.copyfile(source, Path(app.outdir) / "_static" / "plotly.min.js")


def setup(app):
    app.add_directive("plotly-figure", PlotlyFigure)
    app.add_js_file("plotly.min.js")
    app.connect("build-finished", _copy_plotly_js)
    return {"version": "1", "parallel_read_safe": False}
