"""The executed code of the documentation: every ``.. code-block:: python`` of a page.

Convention (stated in ``docs/index.rst``): a ``.. code-block:: python`` block is executed, in page
order, in one namespace per page, in a temporary working folder; a page's blocks therefore build on
each other. ``.. code-block:: console`` (shell sessions, commands on your own files) and
``.. code-block:: text`` (output) are never executed. ``tests/test_docs_code.py`` runs the tutorial
and every how-to this way, and the Sphinx build runs the tutorial the same way to draw its figures,
so the text cannot drift from the code.

Examples
--------
>>> page = ".. code-block:: python\\n\\n   x = 1\\n\\n   y = x + 1\\n\\ntext\\n"
>>> python_blocks_of(page)
['x = 1\\n\\ny = x + 1\\n']
>>> sorted(k for k in run_blocks(python_blocks_of(page)) if not k.startswith("__"))
['x', 'y']
"""
from __future__ import annotations

import os
import re
import tempfile
import textwrap
from pathlib import Path

DOCS = Path(__file__).resolve().parent
EXECUTED_PAGES = ["tutorial.rst", *sorted(p.relative_to(DOCS).as_posix() for p in (DOCS / "howto").glob("*.rst"))]
_DIRECTIVE = re.compile(r"^(?P<indent>[ ]*)\.\. code-block:: *python[ ]*$")


def python_blocks_of(text: str) -> list[str]:
    """The bodies of the ``.. code-block:: python`` directives of an rST text, dedented."""
    lines = text.splitlines()
    blocks, i = [], 0
    while i < len(lines):
        match = _DIRECTIVE.match(lines[i])
        i += 1
        if not match:
            continue
        outer = len(match.group("indent"))
        while i < len(lines) and lines[i].strip().startswith(":"):
            i += 1
        body = []
        while i < len(lines) and (not lines[i].strip() or len(lines[i]) - len(lines[i].lstrip()) > outer):
            body.append(lines[i])
            i += 1
        blocks.append(textwrap.dedent("\n".join(body)).strip("\n") + "\n")
    return blocks


def page_blocks(page: str) -> list[str]:
    """The executed blocks of one page of ``docs/`` (a path relative to it)."""
    return python_blocks_of((DOCS / page).read_text(encoding="utf-8"))


def run_blocks(blocks: list[str], workdir: str | os.PathLike | None = None, name: str = "page") -> dict:
    """Execute ``blocks`` in order in one namespace, inside ``workdir`` (default: a temporary
    folder, removed afterwards); returns the namespace. The working directory is restored."""
    namespace: dict = {"__name__": "__docs__"}
    previous = os.getcwd()
    with tempfile.TemporaryDirectory(prefix="glove-docs-") as scratch:
        os.chdir(workdir or scratch)
        try:
            for number, block in enumerate(blocks, 1):
                exec(compile(block, f"<{name} block {number}>", "exec"), namespace)
        finally:
            os.chdir(previous)
    return namespace
